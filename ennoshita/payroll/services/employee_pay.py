"""社員の給与設定 — writes: an employee's pay settings (PayProfile), fixed items (EmployeePayItem)
and 標準報酬月額 (StandardRemuneration), each from a month. A row for a month that already has one
replaces it (audited with before and after); a later month is allowed (a 昇給 takes effect then).
The 住民税 rows are in resident_tax_import.py. docs/domains/payroll.md 「社員の給与設定」."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, snapshot
from ennoshita.core.bank_text import bank_kana
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.payroll import rules
from ennoshita.payroll.models import (
    EmployeePayItem,
    GradeReason,
    ItemSource,
    PayGroup,
    PayItem,
    PayProfile,
    PayType,
    StandardRemuneration,
    TaxColumn,
)
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.selectors import settings as selectors
from ennoshita.people.models import AccountType, Employee

from .settings import check_bank

MAX_YEN = Decimal(1_000_000_000)
COMMUTE_EXEMPT_MAX = Decimal(150_000)  # 所得税法施行令20条の2: 150,000円 a month at most
HOLDER_WIDTH = 30  # 全銀 受取人名 (jp-rules §8)

PROFILE_FIELDS = tuple(
    f.name for f in PayProfile._meta.concrete_fields if f.name not in ("id", "company", "created_at")
)
ITEM_FIELDS = ("employee", "item", "effective_from", "amount")
GRADE_FIELDS = (
    "employee",
    "effective_from",
    "monthly_remuneration",
    "health_grade",
    "health_standard",
    "pension_grade",
    "pension_standard",
    "reason",
    "note",
)


def _invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _employee(company: Company, employee_id: int) -> Employee:
    return selectors.get_employee(company=company, employee_id=employee_id)


def _check_month(day: date | None, errors: dict[str, list[str]], name: str = "effective_from") -> None:
    if day is None:
        errors[name] = [_("適用開始月を入力してください。")]
    elif day.day != 1:
        errors[name] = [_("適用開始月は月の初日(1日)にしてください。")]
    elif not 2000 <= day.year <= 2100:
        errors[name] = [_("適用開始月は2000年〜2100年の月にしてください。")]


def _yen(value: Decimal, name: str, label: str, errors: dict[str, list[str]]) -> None:
    if value != value.to_integral_value() or not Decimal(0) <= value <= MAX_YEN:
        errors.setdefault(name, []).append(
            _("%(label)sは0円以上10億円以下の円単位の金額で入力してください。") % {"label": label}
        )


# ============================================================================ 給与の基本設定
@dataclass(frozen=True)
class ProfileInput:
    effective_from: date
    pay_group_id: int
    pay_type: str = PayType.MONTHLY
    base_pay: Decimal = Decimal(0)
    is_officer: bool = False
    commute_allowance: Decimal = Decimal(0)
    commute_exempt_limit: Decimal = COMMUTE_EXEMPT_MAX
    tax_column: str = TaxColumn.KOU
    dependents: int = 0
    health_insured: bool = True
    si_acquired_on: date | None = None
    si_lost_on: date | None = None
    employment_insured: bool = True
    ei_acquired_on: date | None = None
    ei_lost_on: date | None = None
    split_bank_code: str = ""
    split_branch_code: str = ""
    split_account_type: str = ""
    split_account_number: str = ""
    split_account_holder_kana: str = ""
    split_amount: Decimal = Decimal(0)
    insured_number: str = ""
    resident_tax_lump_sum: bool = False
    note: str = ""


@dataclass(frozen=True)
class SavedProfile:
    profile: PayProfile
    replaced: bool  # a row of the same month was there and was replaced
    notices: list[str] = field(default_factory=list)  # what was adjusted, to tell the user


SPLIT_FIELDS = (
    "split_bank_code",
    "split_branch_code",
    "split_account_type",
    "split_account_number",
    "split_account_holder_kana",
)


def _split_account(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """第2口座: every field or none; codes that exist; 7 digits; a holder banks accept; an amount."""
    for name in ("split_bank_code", "split_branch_code", "split_account_number"):
        values[name] = nfkc(values[name]).strip()
    values["split_account_type"] = values["split_account_type"].strip()
    holder = values["split_account_holder_kana"].strip()
    given = [n for n in SPLIT_FIELDS if (holder if n == "split_account_holder_kana" else values[n])]
    if not given:
        values["split_account_holder_kana"] = ""
        if values["split_amount"] > 0:
            errors["split_amount"] = [_("第2口座を入れないときは、第2口座への振込額を0にしてください。")]
        return
    missing = [name for name in SPLIT_FIELDS if name not in given]
    for name in missing:
        errors[name] = [
            _("第2口座は銀行・支店・預金種目・口座番号・名義をすべて入れるか、すべて空にしてください。")
        ]
    if values["split_bank_code"] and values["split_branch_code"]:
        check_bank(
            values["split_bank_code"],
            values["split_branch_code"],
            errors,
            bank_field="split_bank_code",
            branch_field="split_branch_code",
        )
    if values["split_account_type"] and values["split_account_type"] not in AccountType.values:
        errors["split_account_type"] = [_("預金種目は普通・当座・貯蓄のどれかです。")]
    number = values["split_account_number"]
    if number:
        if re.fullmatch(r"\d{1,7}", number):
            values["split_account_number"] = number.zfill(7)
        else:
            errors["split_account_number"] = [_("口座番号は7桁の数字です。")]
    if holder:
        try:
            converted = bank_kana(holder)
        except ValueError as exc:
            errors["split_account_holder_kana"] = [_("口座名義: %(detail)s") % {"detail": exc}]
        else:
            if len(converted) > HOLDER_WIDTH:
                errors["split_account_holder_kana"] = [
                    _("口座名義は全銀ファイルの受取人名の%(n)d文字(半角)までです。") % {"n": HOLDER_WIDTH}
                ]
            values["split_account_holder_kana"] = converted
    if values["split_amount"] <= 0:
        errors["split_amount"] = [_("第2口座への振込額を1円以上で入力してください。")]


def _profile_values(
    company: Company, data: ProfileInput, errors: dict[str, list[str]], notices: list[str]
) -> dict[str, Any]:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    _check_month(data.effective_from, errors)
    group = PayGroup.objects.for_company(company).filter(pk=data.pay_group_id).first()
    if group is None:
        errors["pay_group_id"] = [_("支給グループを選んでください。")]
    elif not group.is_active:
        errors["pay_group_id"] = [_("無効な支給グループは選べません。")]
    values["pay_group"] = group
    del values["pay_group_id"]
    if data.pay_type not in PayType.values:
        errors["pay_type"] = [_("給与形態を選んでください。")]
    _yen(data.base_pay, "base_pay", _("基本給"), errors)
    _yen(data.commute_allowance, "commute_allowance", _("通勤手当"), errors)
    _yen(data.split_amount, "split_amount", _("第2口座への振込額"), errors)
    limit = data.commute_exempt_limit
    if limit != limit.to_integral_value() or not Decimal(0) <= limit <= COMMUTE_EXEMPT_MAX:
        errors["commute_exempt_limit"] = [
            _("通勤手当の非課税限度額は0〜150,000円です(所得税法施行令20条の2)。")
        ]
    if data.tax_column not in TaxColumn.values:
        errors["tax_column"] = [_("税額表の欄を選んでください。")]
    elif data.tax_column == TaxColumn.OTSU and data.dependents:
        # 乙欄: no 扶養控除等申告書, so no 扶養親族 are counted (所得税法185条1項2号)
        values["dependents"] = 0
        notices.append(_("乙欄では扶養親族等の数を数えないため、0人にしました。"))
    elif not 0 <= data.dependents <= 30:
        errors["dependents"] = [_("扶養親族等の数は0〜30人です。")]
    for acquired, lost, label in (
        ("si_acquired_on", "si_lost_on", _("社会保険")),
        ("ei_acquired_on", "ei_lost_on", _("雇用保険")),
    ):
        if values[lost] and not values[acquired]:
            errors[acquired] = [_("%(what)sの喪失日を入れるときは取得日も入れてください。") % {"what": label}]
        elif values[lost] and values[lost] < values[acquired]:
            errors[lost] = [_("%(what)sの喪失日は取得日より後の日にしてください。") % {"what": label}]
    if data.is_officer and data.employment_insured:
        # 役員 are not 労働者 (雇用保険法4条1項; 行政手引20351): not insured
        errors["employment_insured"] = [_("役員は雇用保険の被保険者になりません。")]
    insured = nfkc(data.insured_number).strip()
    if insured and not re.fullmatch(r"[0-9A-Za-z]{1,10}", insured):
        errors["insured_number"] = [_("被保険者整理番号は10文字以内の半角英数字で入力してください。")]
    values["insured_number"] = insured
    note = data.note.strip()
    if len(note) > 200:
        errors["note"] = [_("備考は200文字以内です。")]
    values["note"] = note
    _split_account(values, errors)
    return values


@transaction.atomic
def set_pay_profile(
    *, company: Company, actor: User, membership: Membership, employee_id: int, data: ProfileInput
) -> SavedProfile:
    """The employee's pay settings from ``data.effective_from`` (a month's first day; a later month
    is fine). A row of the same month is replaced. Refused, nothing written: base < 0, a 取得日
    after its 喪失日, a 第2口座 half given or at an unknown bank, an officer insured by 雇用保険, a
    被保険者整理番号 that is not up to 10 letters or digits (全角 is turned into 半角). 乙欄 counts no
    dependents: they are set to 0 and ``notices`` says so. ``resident_tax_lump_sum``: the employee
    asked that the rest of the 住民税 be collected from the final pay on leaving (地方税法321条の5第2項)."""
    require_role(membership, *SETTINGS_ROLES)
    employee = _employee(company, employee_id)
    errors: dict[str, list[str]] = {}
    notices: list[str] = []
    values = _profile_values(company, data, errors, notices)
    if errors:
        raise _invalid(errors)
    row = (
        PayProfile.objects.for_company(company)
        .select_for_update()
        .filter(employee=employee, effective_from=data.effective_from)
        .first()
    )
    replaced = row is not None
    before = snapshot(row, PROFILE_FIELDS) if row is not None else None
    if row is None:
        row = PayProfile(company=company, employee=employee, effective_from=data.effective_from)
    for name, value in values.items():
        setattr(row, name, value)
    row.created_by = actor
    row.save()
    record_change(
        company=company,
        actor=actor,
        instance=row,
        fields=PROFILE_FIELDS,
        before=before,
        object_repr=f"{employee.number} {employee.full_name} {data.effective_from:%Y-%m}",
    )
    return SavedProfile(profile=row, replaced=replaced, notices=notices)


# ============================================================================ 社員の固定項目
@transaction.atomic
def set_employee_item(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int,
    item_id: int,
    effective_from: date,
    amount: Decimal,
) -> EmployeePayItem:
    """A fixed allowance or deduction of the employee from a month; an amount of 0 ends it. Only
    active items whose amount is fixed per employee (source FIXED) are set here."""
    require_role(membership, *SETTINGS_ROLES)
    employee = _employee(company, employee_id)
    errors: dict[str, list[str]] = {}
    _check_month(effective_from, errors)
    item = PayItem.objects.for_company(company).filter(pk=item_id).first()
    if item is None or not item.is_active:
        errors["item_id"] = [_("項目を選んでください。")]
    elif item.source != ItemSource.FIXED:
        errors["item_id"] = [_("勤怠や計算式で決まる項目は、社員ごとの金額を入れません。")]
    _yen(amount, "amount", _("金額"), errors)
    if errors:
        raise _invalid(errors)
    assert item is not None
    row = (
        EmployeePayItem.objects.for_company(company)
        .select_for_update()
        .filter(employee=employee, item=item, effective_from=effective_from)
        .first()
    )
    before = snapshot(row, ITEM_FIELDS) if row is not None else None
    if row is None:
        row = EmployeePayItem(company=company, employee=employee, item=item, effective_from=effective_from)
    row.amount = amount
    row.save()
    record_change(
        company=company,
        actor=actor,
        instance=row,
        fields=ITEM_FIELDS,
        before=before,
        object_repr=f"{employee.number} {item.name} {effective_from:%Y-%m}",
    )
    return row


# ============================================================================ 標準報酬月額
@transaction.atomic
def set_standard_remuneration(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int,
    effective_from: date,
    monthly_remuneration: Decimal,
    reason: str,
    note: str = "",
) -> StandardRemuneration:
    """標準報酬月額 from an insurance month: the grades are those ``payroll.rules.standard_remuneration``
    gives for the 報酬月額 by the tables in force that month (健康保険法40条, 厚生年金保険法20条).
    A row of the same month is replaced."""
    require_role(membership, *SETTINGS_ROLES)
    employee = _employee(company, employee_id)
    errors: dict[str, list[str]] = {}
    _check_month(effective_from, errors)
    _yen(monthly_remuneration, "monthly_remuneration", _("報酬月額"), errors)
    if reason not in GradeReason.values:
        errors["reason"] = [_("決定の種類を選んでください。")]
    if len(note.strip()) > 200:
        errors["note"] = [_("備考は200文字以内です。")]
    grade = None
    if not errors:
        try:
            grade = rules.standard_remuneration(monthly_remuneration=monthly_remuneration, on=effective_from)
        except ValueError as exc:
            errors["effective_from"] = [str(exc).partition(": ")[2] or str(exc)]
    if errors or grade is None:
        raise _invalid(errors)
    row = (
        StandardRemuneration.objects.for_company(company)
        .select_for_update()
        .filter(employee=employee, effective_from=effective_from)
        .first()
    )
    before = snapshot(row, GRADE_FIELDS) if row is not None else None
    if row is None:
        row = StandardRemuneration(company=company, employee=employee, effective_from=effective_from)
    row.monthly_remuneration = monthly_remuneration
    row.health_grade = grade.health_grade
    row.health_standard = Decimal(grade.health_standard)
    row.pension_grade = grade.pension_grade
    row.pension_standard = Decimal(grade.pension_standard)
    row.reason = reason
    row.note = note.strip()
    row.save()
    record_change(
        company=company,
        actor=actor,
        instance=row,
        fields=GRADE_FIELDS,
        before=before,
        object_repr=f"{employee.number} {employee.full_name} {effective_from:%Y-%m}",
    )
    return row


__all__ = [
    "ProfileInput",
    "SavedProfile",
    "set_employee_item",
    "set_pay_profile",
    "set_standard_remuneration",
]
