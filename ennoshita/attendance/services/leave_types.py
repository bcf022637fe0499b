"""休暇の種類: the company's leave types (LeaveType), seeded with DEFAULT_TYPES on first use and
kept by 人事 (add, edit, deactivate, delete while unused). The requests are in leave.py, 計画的付与 in
leave_plans.py. See docs/domains/attendance.md 「休暇と休暇申請」.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.attendance.models import LeaveKind, LeavePolicy, LeaveType
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role

LEAVE_ADMIN_ROLES = ("admin", "hr")  # 人事: every employee's requests, the types, 計画的付与

# Kinds whose days the law counts as attended in the 8割 test (労基法39条10項: 業務上の傷病,
# 育児休業, 介護休業, 産前産後; 年休 itself by 昭和22年9月13日発基17号): the flag cannot be cleared.
ATTENDED_BY_LAW = (
    LeaveKind.ANNUAL,
    LeaveKind.MATERNITY,
    LeaveKind.CHILDCARE,
    LeaveKind.FAMILY_CARE,
    LeaveKind.INJURY,
)

# What a company starts with (code = kind). Each row: code, name, kind, paid, has_balance,
# allow_half_day, allow_hourly, counts_as_attended, expiry_months.
DEFAULT_TYPES: tuple[tuple[str, str, str, bool, bool, bool, bool, bool, int | None], ...] = (
    # 労基法39条: paid, from the grants, 半日 by custom, 時間単位 only under a 労使協定 (39条4項),
    # 時効2年 (115条)
    ("annual", "年次有給休暇", LeaveKind.ANNUAL, True, True, True, True, True, 24),
    # 就業規則で定める慶弔休暇 (法定外): paid here, by the day
    ("special", "特別休暇(慶弔)", LeaveKind.SPECIAL, True, False, False, False, False, None),
    # 労基法68条: unpaid unless the rules say otherwise; may be asked by the half day or hour
    ("menstrual", "生理休暇", LeaveKind.MENSTRUAL, False, False, True, True, False, None),
    # 育児介護休業法16条の2〜16条の6: 5 (10) days a year, by the day or the hour, unpaid by default
    ("child_sick", "子の看護等休暇", LeaveKind.CHILD_SICK, False, False, True, True, False, None),
    ("care_day", "介護休暇", LeaveKind.CARE_DAY, False, False, True, True, False, None),
    # 労基法65条; 育児介護休業法5条・11条: unpaid, counted as attended (労基法39条10項)
    ("maternity", "産前産後休業", LeaveKind.MATERNITY, False, False, False, False, True, None),
    ("childcare", "育児休業", LeaveKind.CHILDCARE, False, False, False, False, True, None),
    ("family_care", "介護休業", LeaveKind.FAMILY_CARE, False, False, False, False, True, None),
    # 代休: a day off after 休日労働 (the work is paid with its premium; the day is not)
    ("compensatory", "代休", LeaveKind.COMPENSATORY, False, False, True, False, False, None),
    # 振替休日: a workday swapped beforehand with a rest day; no pay is lost
    ("substitute", "振替休日", LeaveKind.SUBSTITUTE, True, False, False, False, False, None),
    # 労基法37条3項, 労基則19条の2: paid leave in place of the 25% extra for 時間外 over 60h,
    # by the day or half day, under a 労使協定
    ("alternative", "代替休暇", LeaveKind.ALTERNATIVE, True, False, True, False, False, None),
    # 業務上の傷病による休業 (労基法76条: 休業補償), counted as attended (39条10項)
    ("injury", "業務上の傷病による休業", LeaveKind.INJURY, False, False, False, False, True, None),
)

TYPE_FIELDS = (
    "code",
    "name",
    "kind",
    "paid",
    "has_balance",
    "allow_half_day",
    "allow_hourly",
    "counts_as_attended",
    "expiry_months",
    "is_active",
    "sort_order",
)


def _fail(message: str, field: str = "__all__", code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


# ------------------------------------------------------------------------------ leave types
def _hourly_agreed(company: Company) -> bool:
    """時間単位年休 needs a 労使協定 (労基法39条4項), recorded as the policy's days per year."""
    policy = LeavePolicy.objects.for_company(company).first()
    return policy is not None and policy.hourly_days_per_year > 0


def ensure_leave_types(*, company: Company) -> list[LeaveType]:
    """The company's leave types, seeded with DEFAULT_TYPES on first use (a concurrent first use
    makes them once: the codes are unique per company)."""
    existing = list(LeaveType.objects.for_company(company).order_by("sort_order", "pk"))
    codes = {t.code for t in existing}
    if not codes <= {"annual"}:  # seeded already (the balance engine may make 年休 alone first)
        return existing
    hourly = _hourly_agreed(company)
    rows = [
        LeaveType(
            company=company,
            code=code,
            name=name,
            kind=kind,
            paid=paid,
            has_balance=balance,
            allow_half_day=half,
            allow_hourly=hour and (kind != LeaveKind.ANNUAL or hourly),
            counts_as_attended=attended,
            expiry_months=expiry,
            sort_order=(n + 1) * 10,
        )
        for n, (code, name, kind, paid, balance, half, hour, attended, expiry) in enumerate(DEFAULT_TYPES)
        if code not in codes
    ]
    try:
        with transaction.atomic():
            LeaveType.objects.bulk_create(rows)
            created = list(
                LeaveType.objects.for_company(company).filter(code__in=[r.code for r in rows]).order_by("pk")
            )
            record_events(
                company=company,
                actor=None,
                actor_label="attendance",
                events=[EventInput("create", t, after=snapshot(t, TYPE_FIELDS)) for t in created],
            )
    except IntegrityError:  # another first use won
        pass
    return list(LeaveType.objects.for_company(company).order_by("sort_order", "pk"))


@dataclass(frozen=True)
class LeaveTypeInput:
    name: str
    paid: bool
    allow_half_day: bool
    allow_hourly: bool
    counts_as_attended: bool
    expiry_months: int | None
    is_active: bool = True
    sort_order: int = 0
    has_balance: bool = False
    code: str = ""  # new types only
    kind: str = LeaveKind.OTHER  # new types only


def _type_in_use(leave_type: LeaveType) -> bool:
    return leave_type.requests.exists() or leave_type.grants.exists()


def _check_type(company: Company, leave_type: LeaveType, data: LeaveTypeInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("名称を入力してください。")]
    elif len(name) > 50:
        errors["name"] = [_("名称は50文字以内で入力してください。")]
    elif LeaveType.objects.for_company(company).filter(name=name).exclude(pk=leave_type.pk).exists():
        errors["name"] = [_("同じ名称の休暇の種類があります。")]
    if data.expiry_months is not None and not 1 <= data.expiry_months <= 120:
        errors["expiry_months"] = [_("有効期間は1〜120か月で入力してください(空欄は期限なし)。")]
    if leave_type.kind == LeaveKind.ANNUAL:
        if not data.paid:
            errors["paid"] = [_("年次有給休暇は有給です(労基法39条)。")]
        if data.expiry_months is not None and data.expiry_months < 24:
            errors["expiry_months"] = [_("年次有給休暇の有効期間は24か月以上にしてください(労基法115条)。")]
        if data.allow_hourly and not _hourly_agreed(company):
            errors["allow_hourly"] = [
                _(
                    "時間単位年休は労使協定が必要です(労基法39条4項)。先に付与方法で時間単位の日数を設定してください。"
                )
            ]
    if leave_type.kind in ATTENDED_BY_LAW and not data.counts_as_attended:
        errors["counts_as_attended"] = [_("この休暇は出勤率の計算で出勤とみなす決まりです(労基法39条10項)。")]
    if leave_type.kind == LeaveKind.ALTERNATIVE and data.allow_hourly:
        errors["allow_hourly"] = [_("代替休暇は1日または半日単位です(労基則19条の2)。")]
    if not -9999 <= data.sort_order <= 9999:
        errors["sort_order"] = [_("表示順は-9999〜9999で入力してください。")]
    return errors


@transaction.atomic
def create_leave_type(
    *, company: Company, actor: User, membership: Membership, data: LeaveTypeInput
) -> LeaveType:
    """人事 adds a type (a company's own 特別休暇 and the like)."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    ensure_leave_types(company=company)
    code = data.code.strip()
    leave_type = LeaveType(company=company, code=code, kind=data.kind)
    errors = _check_type(company, leave_type, data)
    if not code:
        errors["code"] = [_("コードを入力してください。")]
    elif len(code) > 20 or not code.isascii():
        errors["code"] = [_("コードは半角20文字以内で入力してください。")]
    elif LeaveType.objects.for_company(company).filter(code=code).exists():
        errors["code"] = [_("このコードは使われています。")]
    if data.kind not in LeaveKind.values:
        errors["kind"] = [_("区分を選んでください。")]
    elif data.kind == LeaveKind.ANNUAL:
        errors["kind"] = [_("年次有給休暇は会社に1つです。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    _apply(leave_type, data)
    leave_type.has_balance = data.has_balance
    leave_type.save()
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=leave_type,
        after=snapshot(leave_type, TYPE_FIELDS),
    )
    return leave_type


def _apply(leave_type: LeaveType, data: LeaveTypeInput) -> None:
    leave_type.name = data.name.strip()
    leave_type.paid = data.paid
    leave_type.allow_half_day = data.allow_half_day
    leave_type.allow_hourly = data.allow_hourly
    leave_type.counts_as_attended = data.counts_as_attended
    leave_type.expiry_months = data.expiry_months
    leave_type.is_active = data.is_active
    leave_type.sort_order = data.sort_order


@transaction.atomic
def update_leave_type(
    *, company: Company, actor: User, membership: Membership, leave_type_id: int, data: LeaveTypeInput
) -> LeaveType:
    """人事 edits a type's name and flags, or deactivates it (is_active=False: no new requests; the
    requests and grants it has stay). ``has_balance`` changes only while the type is unused."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    leave_type = LeaveType.objects.for_company(company).select_for_update().filter(pk=leave_type_id).first()
    if leave_type is None:
        raise NotFound()
    errors = _check_type(company, leave_type, data)
    if data.has_balance != leave_type.has_balance:
        if leave_type.kind == LeaveKind.ANNUAL:
            errors["has_balance"] = [_("年次有給休暇は付与日数から差し引きます。")]
        elif _type_in_use(leave_type):
            errors["has_balance"] = [_("使われている休暇の種類は、残日数の扱いを変えられません。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    before = snapshot(leave_type, TYPE_FIELDS)
    _apply(leave_type, data)
    leave_type.has_balance = data.has_balance
    leave_type.save()
    after = snapshot(leave_type, TYPE_FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=leave_type, before=before, after=after
        )
    return leave_type


@transaction.atomic
def delete_leave_type(*, company: Company, actor: User, membership: Membership, leave_type_id: int) -> None:
    """Only a type never used (no request, no grant) is deleted; a used one is deactivated instead."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    leave_type = LeaveType.objects.for_company(company).select_for_update().filter(pk=leave_type_id).first()
    if leave_type is None:
        raise NotFound()
    if leave_type.kind == LeaveKind.ANNUAL or _type_in_use(leave_type):
        raise _fail(_("使われている休暇の種類は削除できません。無効にしてください。"), code="in_use")
    before = snapshot(leave_type, TYPE_FIELDS)
    record_event(company=company, actor=actor, action="delete", instance=leave_type, before=before)
    leave_type.delete()


__all__ = [
    "DEFAULT_TYPES",
    "LEAVE_ADMIN_ROLES",
    "LeaveTypeInput",
    "create_leave_type",
    "delete_leave_type",
    "ensure_leave_types",
    "update_leave_type",
]
