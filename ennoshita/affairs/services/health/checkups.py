"""健康診断's writes: a checkup booked, its result recorded (encrypted), the result told to the
employee, and a checkup closed as 対象外 or 取消.

States: 未予約 → 予約済み → 受診済み; 未予約/予約済み → 対象外 (e.g. a certificate of an exam within
3 months, 安衛則43条ただし書) or 取消.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Checkup, CheckupStatus
from ennoshita.affairs.rules import health as rules
from ennoshita.core import crypto
from ennoshita.core.audit import snapshot
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role

from .access import HEALTH_STAFF_ROLES, is_health_staff, require_health_access
from .base import (
    CHECKUP_FIELDS,
    MAX_TEXT,
    OPEN_STATUSES,
    _check_date,
    _locked,
    _raise,
    _save,
    _status_error,
)


@transaction.atomic
def book_checkup(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    checkup: Checkup,
    clinic: str,
    booked_for: date | None,
) -> Checkup:
    """予約: by 人事・総務, or by the employee for their own checkup."""
    checkup = _locked(company, checkup)
    if not is_health_staff(membership) and checkup.employee.user_id != membership.user_id:
        raise PermissionDeniedError()
    if checkup.status not in OPEN_STATUSES:
        raise _status_error(checkup)
    errors: dict[str, list[str]] = {}
    name = (clinic or "").strip()
    if not name:
        errors["clinic"] = [_("医療機関を入力してください。")]
    elif len(name) > 200:
        errors["clinic"] = [_("200文字以内で入力してください。")]
    _check_date(errors, "booked_for", booked_for)
    _raise(errors)
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.clinic = name
    checkup.booked_for = booked_for
    checkup.status = CheckupStatus.BOOKED
    _save(company, actor, checkup, before, "health.book")
    return checkup


@transaction.atomic
def record_checkup_result(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    checkup: Checkup,
    examined_on: date | None,
    has_findings: bool,
    result: str,
    doctor_instructed: bool = False,
    clinic: str = "",
) -> Checkup:
    """受診済み with the result (encrypted). With findings, the doctor's opinion is due within 3
    months (安衛則51条の2); the 個人票 is kept 5 years (安衛則51条). A correction of a recorded
    result is allowed (the history shows it)."""
    require_health_access(company=company, membership=membership)
    checkup = _locked(company, checkup)
    if checkup.status not in (*OPEN_STATUSES, CheckupStatus.DONE):
        raise _status_error(checkup)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "examined_on", examined_on)
    if isinstance(examined_on, date) and examined_on > timezone.localdate():
        errors["examined_on"] = [_("受診日に未来の日付は入力できません。")]
    text = (result or "").strip()
    if not text:
        errors["result"] = [_("結果(所見・判定)を入力してください。")]
    elif len(text) > MAX_TEXT:
        errors["result"] = [_("%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]
    if len((clinic or "").strip()) > 200:
        errors["clinic"] = [_("200文字以内で入力してください。")]
    if doctor_instructed and not has_findings:
        errors["doctor_instructed"] = [
            _("医師の指示があるのは有所見の場合です。「有所見」も選んでください。")
        ]
    _raise(errors)
    assert examined_on is not None
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.examined_on = examined_on
    checkup.has_findings = bool(has_findings)
    checkup.doctor_instructed = bool(doctor_instructed)
    if (clinic or "").strip():
        checkup.clinic = clinic.strip()
    checkup.result_encrypted = crypto.encrypt_text(text)
    checkup.opinion_due_on = rules.opinion_due(examined_on) if has_findings else None
    checkup.keep_until = rules.keep_until(examined_on)
    checkup.status = CheckupStatus.DONE
    _save(company, actor, checkup, before, "health.result", encrypted=["result"])
    return checkup


@transaction.atomic
def mark_result_notified(
    *, company: Company, actor: User, membership: Membership, checkup: Checkup, notified_on: date | None
) -> Checkup:
    """結果を本人に通知した日 (安衛法66条の6: 遅滞なく)."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    checkup = _locked(company, checkup)
    if checkup.status != CheckupStatus.DONE:
        raise _status_error(checkup)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "notified_on", notified_on)
    if isinstance(notified_on, date) and checkup.examined_on and notified_on < checkup.examined_on:
        errors["notified_on"] = [_("通知日は受診日以降の日付にしてください。")]
    _raise(errors)
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.result_notified_on = notified_on
    _save(company, actor, checkup, before, "update")
    return checkup


@transaction.atomic
def close_checkup(
    *, company: Company, actor: User, membership: Membership, checkup: Checkup, status: str, note: str = ""
) -> Checkup:
    """対象外 (with the reason, e.g. 3か月以内の健診結果の提出 — 安衛則43条ただし書) or 取消."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    checkup = _locked(company, checkup)
    if status not in (CheckupStatus.EXEMPT, CheckupStatus.CANCELLED):
        raise ServiceError(
            _("状態が正しくありません。"), field_errors={"status": [_("対象外か取消を選んでください。")]}
        )
    if checkup.status not in OPEN_STATUSES:
        raise _status_error(checkup)
    text = (note or "").strip()
    if status == CheckupStatus.EXEMPT and not text:
        raise ServiceError(
            _("対象外にする理由を入力してください。"),
            code="validation",
            field_errors={"note": [_("理由を入力してください。")]},
        )
    if len(text) > 200:
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"note": [_("200文字以内で入力してください。")]},
        )
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.status = status
    checkup.note = text
    _save(company, actor, checkup, before, "update")
    return checkup
