"""健康診断's writes: ストレスチェック (安衛法66条の10).

ストレスチェック (jp-rules §13.2): the company tracks participation. The 実施者 tells each worker the
result directly; the company may receive an individual result only with the worker's consent given
**after** that notice (安衛法66条の10第2項, 安衛則52条の10第2項 per jp-rules §13.2; consent before or at
the test, or by opt-out, is not valid). The services refuse it and the database constraints back
them. A worker's 申出 for a 面接指導 counts as consent to pass the result on (66条の10第3項).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import StressCheck, StressCheckStatus
from ennoshita.core import crypto
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.dates import fiscal_year as fiscal_year_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .access import HEALTH_STAFF_ROLES, has_health_access, is_health_staff, require_health_access
from .base import MAX_TEXT, _need_date, _raise

STRESS_FIELDS = (
    "employee",
    "fiscal_year",
    "status",
    "taken_on",
    "notified_on",
    "consent_on",
    "interview_requested_on",
    "interview_done_on",
)


@transaction.atomic
def invite_stress_checks(
    *,
    company: Company,
    actor: User | None,
    membership: Membership,
    fiscal_year: int,
    as_of: date | None = None,
) -> int:
    """One row per employee in service on ``as_of`` (default: today, or the year's first day when
    the year has not begun) for the year's check; those already invited are left as they are."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    if not 2000 <= fiscal_year <= 2100:
        raise ServiceError(
            _("年度が正しくありません。"), field_errors={"fiscal_year": [_("年度を選んでください。")]}
        )
    fy = fiscal_year_of(fiscal_year, start_month=company.fiscal_year_start_month)
    day = as_of or min(max(timezone.localdate(), fy.start), fy.end)
    have = set(
        StressCheck.objects.for_company(company)
        .filter(fiscal_year=fiscal_year)
        .values_list("employee_id", flat=True)
    )
    rows = [
        StressCheck(company=company, employee=e, fiscal_year=fiscal_year)
        for e in people_selectors.employees_in_service(company=company, as_of=day)
        if e.pk not in have
    ]
    created = StressCheck.objects.bulk_create(rows, batch_size=500)
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "create",
                instance=c,
                object_repr=f"{c.employee} {fiscal_year}",
                after=snapshot(c, fields=STRESS_FIELDS),
            )
            for c in created
        ],
    )
    return len(created)


def _locked_check(company: Company, check: StressCheck) -> StressCheck:
    found = (
        StressCheck.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk=check.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _save_check(
    company: Company,
    actor: User | None,
    check: StressCheck,
    before: dict[str, Any],
    action: str,
    **extra: Any,
) -> StressCheck:
    check.save()
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=check,
        object_repr=f"{check.employee} {check.fiscal_year}",
        before=before,
        after=snapshot(check, fields=STRESS_FIELDS),
        extra=extra or None,
    )
    return check


def _own_or_staff(membership: Membership, employee: Any) -> None:
    if not is_health_staff(membership) and employee.user_id != membership.user_id:
        raise PermissionDeniedError()


@transaction.atomic
def record_stress_participation(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    check: StressCheck,
    status: str,
    taken_on: date | None = None,
) -> StressCheck:
    """受検済み (with the date) or 受検しない (受検は労働者の義務ではない), or back to 未受検."""
    check = _locked_check(company, check)
    _own_or_staff(membership, check.employee)
    errors: dict[str, list[str]] = {}
    if status not in StressCheckStatus.values:
        errors["status"] = [_("受検状況を選んでください。")]
    elif status == StressCheckStatus.TAKEN:
        _need_date(errors, "taken_on", taken_on)
    if check.notified_on is not None and status != StressCheckStatus.TAKEN:
        errors["status"] = [_("結果を本人に通知した後は受検状況を変えられません。")]
    _raise(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    check.status = status
    check.taken_on = taken_on if status == StressCheckStatus.TAKEN else None
    return _save_check(company, actor, check, before, "update")


@transaction.atomic
def record_stress_notice(
    *, company: Company, actor: User, membership: Membership, check: StressCheck, notified_on: date | None
) -> StressCheck:
    """実施者が本人に結果を通知した日 (安衛法66条の10第2項)."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    check = _locked_check(company, check)
    errors: dict[str, list[str]] = {}
    if check.status != StressCheckStatus.TAKEN:
        errors["notified_on"] = [_("受検済みのストレスチェックにだけ通知日を記録できます。")]
    else:
        _need_date(errors, "notified_on", notified_on)
        if isinstance(notified_on, date) and check.taken_on and notified_on < check.taken_on:
            errors["notified_on"] = [_("通知日は受検日以降の日付にしてください。")]
        if isinstance(notified_on, date) and check.consent_on and check.consent_on < notified_on:
            errors["notified_on"] = [_("同意日より後の通知日にはできません。")]
    _raise(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    check.notified_on = notified_on
    return _save_check(company, actor, check, before, "update")


@transaction.atomic
def record_stress_consent(
    *, company: Company, actor: User, membership: Membership, check: StressCheck, consent_on: date | None
) -> StressCheck:
    """本人の同意 to give the company the individual result: only on or after the day the worker was
    told the result (安衛法66条の10第2項; jp-rules §13.2). Given by the worker, or recorded by a member with health
    access from the worker's written consent."""
    check = _locked_check(company, check)
    own = check.employee.user_id == membership.user_id
    if not own and not has_health_access(company=company, membership=membership):
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    if check.notified_on is None:
        errors["consent_on"] = [
            _(
                "結果の通知前の同意は無効です(安衛法66条の10第2項)。本人に結果が通知された後に同意を記録してください。"
            )
        ]
    else:
        _need_date(errors, "consent_on", consent_on)
        if isinstance(consent_on, date) and consent_on < check.notified_on:
            errors["consent_on"] = [
                _("同意日は結果の通知日(%(d)s)以降にしてください。通知前の同意は無効です。")
                % {"d": check.notified_on.isoformat()}
            ]
    _raise(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    check.consent_on = consent_on
    return _save_check(company, actor, check, before, "health.consent")


@transaction.atomic
def store_stress_result(
    *, company: Company, actor: User, membership: Membership, check: StressCheck, result: str
) -> StressCheck:
    """The individual result, encrypted; only with the worker's consent and by a member with health
    access."""
    require_health_access(company=company, membership=membership)
    check = _locked_check(company, check)
    if check.consent_on is None:
        raise ServiceError(
            _("本人の同意がないため、個人の結果は会社に保存できません(安衛法66条の10第2項)。"),
            code="no_consent",
            field_errors={"result": [_("本人の同意(結果の通知後)が必要です。")]},
        )
    text = (result or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"result": [_("結果を%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]},
        )
    before = snapshot(check, fields=STRESS_FIELDS)
    check.result_encrypted = crypto.encrypt_text(text)
    return _save_check(company, actor, check, before, "health.result", encrypted=["result"])


@transaction.atomic
def view_stress_result(*, company: Company, actor: User, membership: Membership, check: StressCheck) -> str:
    require_health_access(company=company, membership=membership)
    if check.company_id != company.pk:
        raise NotFound()
    if check.consent_on is None or not check.result_encrypted:
        raise ServiceError(_("本人の同意を得た結果はありません。"), code="no_consent")
    text = crypto.decrypt_text(check.result_encrypted)
    record_event(
        company=company,
        actor=actor,
        action="health.viewed",
        instance=check,
        object_repr=f"{check.employee} {check.fiscal_year}",
        extra={"viewed": ["result"]},
    )
    return text


@transaction.atomic
def record_stress_interview(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    check: StressCheck,
    requested_on: date | None = None,
    done_on: date | None = None,
) -> StressCheck:
    """高ストレス者の面接指導: the worker's 申出 (after the notice) and the day it was held."""
    check = _locked_check(company, check)
    _own_or_staff(membership, check.employee)
    if not is_health_staff(membership) and done_on is not None:
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    if requested_on is None and done_on is None:
        errors["requested_on"] = [_("申出日か実施日を入力してください。")]
    if requested_on is not None:
        _need_date(errors, "requested_on", requested_on)
        if check.notified_on is None:
            errors["requested_on"] = [_("面接指導の申出は、結果の通知の後に記録できます。")]
        elif isinstance(requested_on, date) and requested_on < check.notified_on:
            errors["requested_on"] = [_("申出日は結果の通知日以降にしてください。")]
    if done_on is not None:
        _need_date(errors, "done_on", done_on)
        first = requested_on or check.interview_requested_on
        if first is None:
            errors["done_on"] = [_("面接指導の申出日を先に記録してください。")]
        elif isinstance(done_on, date) and done_on < first:
            errors["done_on"] = [_("実施日は申出日以降にしてください。")]
    _raise(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    if requested_on is not None:
        check.interview_requested_on = requested_on
    if done_on is not None:
        check.interview_done_on = done_on
    return _save_check(company, actor, check, before, "update")
