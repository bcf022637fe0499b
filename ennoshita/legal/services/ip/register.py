"""知的財産's writes: a right registered and its facts changed. Every input is checked before
anything is written; messages name the field. ``expires_on`` and the next deadline are computed
by ``legal.rules.ip`` (§16); a right registered as 存続中 whose deadline is past even its late
period is refused with what to record instead, and one inside the late period is accepted (its
deadline shows 割増)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, snapshot
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.core.permissions import require_role
from ennoshita.core.selectors import active_members
from ennoshita.legal.models import CopyrightBasis, IpRight
from ennoshita.legal.permissions_ip import MANAGER_ROLES
from ennoshita.legal.rules import ip as rules
from ennoshita.people.models import Department

from .base import (
    RIGHT_FIELDS,
    IpInput,
    K,
    S,
    deadlines_of,
    fail,
    first_expiry,
    locked,
    missed_message,
    parse_classes,
    renewals_of,
    set_next_deadline,
    text,
    uses_jp_rules,
)

INITIAL_STATUSES = (S.APPLIED, S.REGISTERED, S.LAPSED, S.ABANDONED)


def _limit(errors: dict[str, list[str]], name: str, value: str, limit: int, required: str = "") -> str:
    if required and not value:
        errors[name] = [required]
    elif len(value) > limit:
        errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]
    return value


def _clean(company: Company, data: IpInput, *, creating: bool, current_status: str = "") -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    kind = data.kind
    if kind not in K.values:
        errors["kind"] = [_("種類を選んでください。")]
    country = text(data.country).upper() or "JP"
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        errors["country"] = [_("国・地域は JP・US などの英字2文字で入力してください。")]
    values: dict[str, Any] = {
        "kind": kind,
        "title": _limit(errors, "title", text(data.title), 200, _("名称・標章を入力してください。")),
        "country": country,
        "application_number": _limit(errors, "application_number", text(data.application_number), 40),
        "registration_number": _limit(errors, "registration_number", text(data.registration_number), 40),
        "filed_on": data.filed_on,
        "registered_on": data.registered_on,
        "agent": _limit(errors, "agent", text(data.agent), 200),
        "note": _limit(errors, "note", text(data.note, keep_lines=True), 5000),
        "classes": "",
        "class_count": 0,
        "installment": False,
        "paid_through_year": None,
        "copyright_basis": "",
        "basis_year": None,
    }
    if creating:
        if data.status not in INITIAL_STATUSES:
            errors["status"] = [_("状態を選んでください。")]
        values["status"] = data.status
    if data.filed_on and data.registered_on and data.registered_on < data.filed_on:
        errors["registered_on"] = [_("設定登録日は出願日以降の日付にしてください。")]
    today = timezone.localdate()
    for name in ("filed_on", "registered_on"):
        day = getattr(data, name)
        if day is not None and day > today:
            errors[name] = [_("未来の日付は入力できません。")]
    if kind == K.TRADEMARK:
        classes, count, problem = parse_classes(data.classes)
        if problem:
            errors["classes"] = [problem]
        elif count == 0:
            errors["classes"] = [_("商標の区分(例: 9, 35, 42)を入力してください。")]
        values.update(classes=classes, class_count=count, installment=bool(data.installment))
        if data.renewals is not None and not 0 <= data.renewals <= 20:
            errors["renewals"] = [_("更新の回数は0〜20で入力してください。")]
    if kind in rules.ANNUITY_KINDS and data.paid_through_year is not None:
        if not 1 <= data.paid_through_year <= 25:
            errors["paid_through_year"] = [_("納付済みの年分は1〜25で入力してください。")]
        values["paid_through_year"] = data.paid_through_year
    if kind == K.COPYRIGHT:
        if data.copyright_basis not in CopyrightBasis.values:
            errors["copyright_basis"] = [_("保護期間の起算(著作者の死亡・公表)を選んでください。")]
        if data.basis_year is not None and not 1900 <= data.basis_year <= today.year:
            errors["basis_year"] = [_("死亡・公表の年は1900年から今年までで入力してください。")]
        values.update(copyright_basis=data.copyright_basis, basis_year=data.basis_year)
    status = values.get("status", current_status)
    if kind in rules.REGISTERED_KINDS and status == S.REGISTERED and data.registered_on is None:
        errors["registered_on"] = [_("存続中の%(k)sは設定登録日を入力してください。") % {"k": K(kind).label}]
    needs_filing = kind in (K.PATENT, K.DESIGN, K.UTILITY_MODEL) and uses_jp_rules(kind, country)
    if needs_filing and status == S.REGISTERED and not data.filed_on:
        errors["filed_on"] = [_("存続期間を計算するため出願日を入力してください。")]
    manual_expiry = kind == K.DOMAIN or (kind in K.values and not uses_jp_rules(kind, country))
    if manual_expiry:
        values["expires_on"] = data.expires_on
        if kind == K.DOMAIN and status == S.REGISTERED and data.expires_on is None:
            errors["expires_on"] = [_("ドメイン名の有効期限を入力してください。")]
    values["owner"] = None
    if data.owner_id:
        values["owner"] = active_members(company=company).filter(pk=data.owner_id).first()
        if values["owner"] is None:
            errors["owner"] = [_("担当者はこの会社のメンバーから選んでください。")]
    values["owner_department"] = None
    if data.owner_department_id:
        values["owner_department"] = (
            Department.objects.for_company(company).filter(pk=data.owner_department_id).first()
        )
        if values["owner_department"] is None:
            errors["owner_department"] = [_("担当部署を選んでください。")]
    fail(errors)
    return values


def _derive(right: IpRight, renewals: int, *, manual_expiry: bool, today: date) -> None:
    """expires_on (computed unless entered) and the next deadline; a deadline past even its late
    period on a right said to be 存続中 → refused with what to record."""
    if not manual_expiry:
        expiry = first_expiry(right)
        if right.kind == K.TRADEMARK and expiry is not None and renewals:
            expiry = rules.term_end(right.registered_on, rules.TRADEMARK_YEARS * (1 + renewals))  # type: ignore[arg-type]
        right.expires_on = expiry
    found = deadlines_of(right, today)
    missed = rules.missed(found, today)
    if missed is not None:
        field, message = missed_message(missed, right)
        fail({field: [message]})
    set_next_deadline(right, today)


def _manual_expiry(right: IpRight) -> bool:
    return right.kind == K.DOMAIN or not uses_jp_rules(right.kind, right.country)


def _save(right: IpRight) -> None:
    try:
        with transaction.atomic():
            right.save()
    except IntegrityError:  # the constraints the checks above already cover; kept as a field error
        fail({"registered_on": [_("設定登録日と出願日の組み合わせが正しくありません。")]})


@transaction.atomic
def register_ip_right(*, company: Company, actor: User, membership: Membership, data: IpInput) -> IpRight:
    """A new right with its 管理番号 (IP-<年度>-0001). Any error → nothing written (not even a number)."""
    require_role(membership, *MANAGER_ROLES)
    values = _clean(company, data, creating=True)
    right = IpRight(company=company, created_by=actor, **values)
    today = timezone.localdate()
    _derive(right, data.renewals or 0, manual_expiry=_manual_expiry(right), today=today)
    year, number = next_number_for_date(company=company, doc_type="legal.ip", day=today)
    right.reference = format_number("IP", year, number, width=4)
    _save(right)
    record_change(company=company, actor=actor, instance=right, fields=RIGHT_FIELDS, before=None)
    return right


@transaction.atomic
def update_ip_right(
    *, company: Company, actor: User, membership: Membership, right: IpRight, data: IpInput
) -> IpRight:
    """Change a right's facts (not its status: ``set_ip_status``; not its payments)."""
    require_role(membership, *MANAGER_ROLES)
    found = locked(company, right)
    values = _clean(company, data, creating=False, current_status=found.status)
    before = snapshot(found, RIGHT_FIELDS)
    renewals = data.renewals if data.renewals is not None else renewals_of(found)
    for name, value in values.items():
        setattr(found, name, value)
    _derive(found, renewals, manual_expiry=_manual_expiry(found), today=timezone.localdate())
    _save(found)
    record_change(company=company, actor=actor, instance=found, fields=RIGHT_FIELDS, before=before)
    return found
