"""Writes of 人事 master data: employee records (hire, edit), with input normalised as people type it."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core import banks
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.bank_text import bank_kana
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import (
    is_katakana,
    nfkc,
    normalize_phone,
    normalize_postal_code,
    search_key,
    to_katakana,
)
from ennoshita.people.models import Department, Employee, Placement, PlacementReason, Position

from .base import HR_WRITERS, _fail

# ------------------------------------------------------------------ employees
EMPLOYEE_FIELDS = (
    "number",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "gender",
    "hire_date",
    "retire_date",
    "employment_type",
    "postal_code",
    "address",
    "phone",
    "email",
    "emergency_contact_name",
    "emergency_contact_relation",
    "emergency_contact_phone",
    "bank_code",
    "bank_branch_code",
    "bank_account_type",
    "bank_account_number",
    "bank_account_holder_kana",
    "user",
)


def _check_bank_account(out: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """The salary and expense account must be one a 全銀 file can carry (jp-rules §8): a bank and a
    branch that exist in the bank-code data, and a holder name in characters banks accept."""
    code, branch_code = out.get("bank_code") or "", out.get("bank_branch_code") or ""
    if re.fullmatch(r"\d{4}", code):
        if banks.bank(code) is None:
            errors.setdefault("bank_code", []).append(
                _("銀行コード %(code)s は金融機関コードのデータにありません。") % {"code": code}
            )
        elif re.fullmatch(r"\d{3}", branch_code) and banks.branch(code, branch_code) is None:
            errors.setdefault("bank_branch_code", []).append(
                _("支店コード %(code)s はこの銀行にありません。") % {"code": branch_code}
            )
    holder = out.get("bank_account_holder_kana") or ""
    if holder:
        try:
            bank_kana(holder)
        except ValueError as exc:
            errors.setdefault("bank_account_holder_kana", []).append(
                _("口座名義: %(detail)s") % {"detail": exc}
            )


def normalise_employee_input(company: Company, data: dict[str, Any]) -> dict[str, Any]:
    """Normalise what people type and collect every field error at once."""
    errors: dict[str, list[str]] = {}
    out = dict(data)
    for key, value in list(out.items()):
        if isinstance(value, str):
            out[key] = value.strip()
    for key in ("family_name_kana", "given_name_kana", "bank_account_holder_kana"):
        if out.get(key):
            out[key] = to_katakana(out[key])
            if key != "bank_account_holder_kana" and not is_katakana(out[key]):
                errors.setdefault(key, []).append(_("フリガナはカタカナで入力してください。"))
    if "number" in out:
        out["number"] = nfkc(out["number"]).upper()
    if out.get("postal_code"):
        try:
            out["postal_code"] = normalize_postal_code(out["postal_code"])
        except ValueError as exc:
            errors.setdefault("postal_code", []).append(str(exc))
    for key in ("phone", "emergency_contact_phone"):
        if out.get(key):
            try:
                out[key] = normalize_phone(out[key])
            except ValueError as exc:
                errors.setdefault(key, []).append(str(exc))
    for key, width, label in (
        ("bank_code", 4, _("銀行コードは4桁の数字です。")),
        ("bank_branch_code", 3, _("支店コードは3桁の数字です。")),
    ):
        if out.get(key):
            out[key] = nfkc(out[key])
            if not re.fullmatch(rf"\d{{{width}}}", out[key]):
                errors.setdefault(key, []).append(label)
    _check_bank_account(out, errors)
    if out.get("bank_account_number"):
        digits = nfkc(out["bank_account_number"])
        if not re.fullmatch(r"\d{1,7}", digits):
            errors.setdefault("bank_account_number", []).append(_("口座番号は7桁以内の数字です。"))
        else:
            out["bank_account_number"] = digits.zfill(7)
    et = out.get("employment_type")
    if et is not None and et.company_id != company.pk:
        errors.setdefault("employment_type", []).append(_("雇用形態が見つかりません。"))
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return out


def _search_key_of(e: Employee) -> str:
    # Fields are kept apart by "|" so that a search word never matches across two of them; the
    # full name and its kana are also stored joined, so "山田太郎" and "ヤマダタロウ" match.
    parts = [
        e.number,
        e.family_name + e.given_name,
        e.family_name_kana + e.given_name_kana,
        e.email,
    ]
    return "|".join(search_key(p) for p in parts if p)[:400]


@transaction.atomic
def create_employee(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    department: Department,
    position: Position | None = None,
    **fields: Any,
) -> Employee:
    """Hire: the employee and their first placement (入社), effective on the hire date."""
    require_role(membership, *HR_WRITERS)
    unknown = set(fields) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ServiceError(f"unknown fields: {sorted(unknown)}")
    data = normalise_employee_input(company, fields)
    employee = Employee(company=company, **data)
    _check_refs(company, department, position)
    _validate_employee(employee)
    employee.search_key = _search_key_of(employee)
    _save_employee(employee)
    placement = Placement(
        company=company,
        employee=employee,
        department=department,
        position=position,
        effective_from=employee.hire_date,
        reason=PlacementReason.HIRE,
    )
    placement.save()
    record_event(company=company, actor=actor, action="create", instance=employee, after=snapshot(employee))
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=placement,
        after=snapshot(placement),
        extra={"employee": employee.pk},
    )
    return employee


def _check_refs(company: Company, department: Department | None, position: Position | None) -> None:
    if department is None or department.company_id != company.pk:
        raise _fail("department", _("所属部署を選んでください。"))
    if not department.is_active:
        raise _fail("department", _("無効な部署には配置できません。"))
    if position is not None and position.company_id != company.pk:
        raise _fail("position", _("役職が見つかりません。"))


def _validate_employee(employee: Employee) -> None:
    errors: dict[str, list[str]] = {}
    try:
        employee.full_clean(
            exclude=["company", "search_key"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    if employee.retire_date and employee.hire_date and employee.retire_date < employee.hire_date:
        errors.setdefault("retire_date", []).append(_("退職日は入社日以降の日付にしてください。"))
    if employee.birth_date and employee.hire_date and employee.birth_date >= employee.hire_date:
        errors.setdefault("birth_date", []).append(_("生年月日は入社日より前の日付にしてください。"))
    if (
        employee.user_id
        and Employee.objects.filter(company=employee.company, user_id=employee.user_id)
        .exclude(pk=employee.pk)
        .exists()
    ):
        errors.setdefault("user", []).append(_("このユーザーは既に別の社員に紐付いています。"))
    if (
        Employee.objects.filter(company=employee.company, number=employee.number)
        .exclude(pk=employee.pk)
        .exists()
    ):
        errors.setdefault("number", []).append(_("この社員番号は既に使われています。"))
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _save_employee(employee: Employee) -> None:
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError as exc:  # a concurrent writer took the number between check and save
        raise _fail("number", _("この社員番号は既に使われています。")) from exc


@transaction.atomic
def update_employee(
    *, company: Company, actor: User, membership: Membership, employee: Employee, **changes: Any
) -> Employee:
    require_role(membership, *HR_WRITERS)
    if employee.company_id != company.pk:
        raise NotFound()
    unknown = set(changes) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ServiceError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(employee)
    data = normalise_employee_input(company, changes)
    for key, value in data.items():
        setattr(employee, key, value)
    _validate_employee(employee)
    first = employee.placements.order_by("effective_from").first()
    if "hire_date" in data and first is not None and first.effective_from != employee.hire_date:
        if first.reason != PlacementReason.HIRE:
            raise _fail("hire_date", _("入社日より前に配置履歴があります。"))
        if employee.placements.filter(effective_from__lte=employee.hire_date).exclude(pk=first.pk).exists():
            raise _fail("hire_date", _("入社日は最初の異動より前の日付にしてください。"))
        first.effective_from = employee.hire_date
        first.save(update_fields=["effective_from"])
    employee.search_key = _search_key_of(employee)
    _save_employee(employee)
    after = snapshot(employee)
    if before != after:
        record_event(
            company=company, actor=actor, action="update", instance=employee, before=before, after=after
        )
    return employee
