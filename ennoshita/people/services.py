"""Writes of 人事 master data. Each is keyword-only, one transaction, role-checked and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import (
    is_katakana,
    nfkc,
    normalize_phone,
    normalize_postal_code,
    search_key,
    to_katakana,
)

from .models import Department, Employee, EmploymentType, Placement, PlacementReason, Position

HR_WRITERS = (Role.ADMIN, Role.HR)

DEFAULT_EMPLOYMENT_TYPES = [
    ("regular", "正社員"),
    ("contract", "契約社員"),
    ("part_time", "パート"),
    ("arbeit", "アルバイト"),
    ("dispatched", "派遣"),
    ("officer", "役員"),
]


def _fail(field: str, message: str) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors={field: [message]})


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ServiceError.from_validation_error(exc) from exc


@transaction.atomic
def set_up_company_masters(*, company: Company, actor: User | None) -> None:
    """Seed the employment types every Japanese company uses (idempotent)."""
    for order, (code, name) in enumerate(DEFAULT_EMPLOYMENT_TYPES):
        et, created = EmploymentType.objects.get_or_create(
            company=company, code=code, defaults={"name": name, "sort_order": order}
        )
        if created:
            record_event(company=company, actor=actor, action="create", instance=et, after=snapshot(et))


# ------------------------------------------------------------------ departments
def _check_parent(company: Company, department: Department | None, parent: Department | None) -> None:
    if parent is None:
        return
    if parent.company_id != company.pk:
        raise NotFound()
    node: Department | None = parent
    while node is not None:
        if department is not None and node.pk == department.pk:
            raise _fail("parent", _("自分自身や配下の部署を上位部署にはできません。"))
        node = node.parent


def _save_unique(obj: Any, field: str, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise _fail(field, message) from exc


@transaction.atomic
def create_department(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    code: str,
    name: str,
    parent: Department | None = None,
    sort_order: int = 0,
) -> Department:
    require_role(membership, *HR_WRITERS)
    _check_parent(company, None, parent)
    # 部署コード typed in full width (１００) is the same code as 100.
    dept = Department(
        company=company, code=nfkc(code).strip(), name=name.strip(), parent=parent, sort_order=sort_order
    )
    _full_clean(dept, exclude=["company"])
    _save_unique(dept, "code", _("この部署コードは既に使われています。"))
    record_event(company=company, actor=actor, action="create", instance=dept, after=snapshot(dept))
    return dept


@transaction.atomic
def update_department(
    *, company: Company, actor: User, membership: Membership, department: Department, **changes: Any
) -> Department:
    require_role(membership, *HR_WRITERS)
    if department.company_id != company.pk:
        raise NotFound()
    allowed = {"code", "name", "parent", "sort_order", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(department)
    if "parent" in changes:
        _check_parent(company, department, changes["parent"])
    if changes.get("is_active") is False:
        from .selectors import department_headcount

        if department_headcount(company=company, department=department, as_of=None) > 0:
            raise _fail("is_active", _("所属している社員がいる部署は無効にできません。"))
    if isinstance(changes.get("code"), str):
        changes["code"] = nfkc(changes["code"])
    for key, value in changes.items():
        setattr(department, key, value.strip() if isinstance(value, str) else value)
    _full_clean(department, exclude=["company"])
    _save_unique(department, "code", _("この部署コードは既に使われています。"))
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=department,
        before=before,
        after=snapshot(department),
    )
    return department


@transaction.atomic
def delete_department(
    *, company: Company, actor: User, membership: Membership, department: Department
) -> None:
    require_role(membership, *HR_WRITERS)
    if department.company_id != company.pk:
        raise NotFound()
    if department.children.exists() or Placement.objects.filter(department=department).exists():
        raise _fail("__all__", _("配下の部署や配置履歴がある部署は削除できません。無効にしてください。"))
    before = snapshot(department)
    pk, label = department.pk, str(department)
    department.delete()
    record_event(
        company=company,
        actor=actor,
        action="delete",
        object_type="people.department",
        object_id=str(pk),
        object_repr=label,
        before=before,
    )


# ------------------------------------------------------------------ positions
@transaction.atomic
def create_position(
    *, company: Company, actor: User, membership: Membership, code: str, name: str, rank: int = 0
) -> Position:
    require_role(membership, *HR_WRITERS)
    pos = Position(company=company, code=nfkc(code).strip(), name=name.strip(), rank=rank)
    _full_clean(pos, exclude=["company"])
    _save_unique(pos, "code", _("この役職コードは既に使われています。"))
    record_event(company=company, actor=actor, action="create", instance=pos, after=snapshot(pos))
    return pos


@transaction.atomic
def update_position(
    *, company: Company, actor: User, membership: Membership, position: Position, **changes: Any
) -> Position:
    require_role(membership, *HR_WRITERS)
    if position.company_id != company.pk:
        raise NotFound()
    before = snapshot(position)
    for key in changes:
        if key not in {"code", "name", "rank"}:
            raise ServiceError(f"unknown field: {key}")
        setattr(position, key, changes[key])
    _full_clean(position, exclude=["company"])
    _save_unique(position, "code", _("この役職コードは既に使われています。"))
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=position,
        before=before,
        after=snapshot(position),
    )
    return position


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


@transaction.atomic
def transfer_employee(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee: Employee,
    department: Department,
    position: Position | None,
    effective_from: date,
    reason: str = PlacementReason.TRANSFER,
    note: str = "",
) -> Placement:
    """異動・昇格: a placement that takes effect on ``effective_from`` (today, past or future)."""
    require_role(membership, *HR_WRITERS)
    if employee.company_id != company.pk:
        raise NotFound()
    _check_refs(company, department, position)
    if reason not in PlacementReason.values or reason == PlacementReason.HIRE:
        raise _fail("reason", _("事由が不正です。"))
    if effective_from <= employee.hire_date:
        raise _fail("effective_from", _("発令日は入社日より後の日付にしてください。"))
    if employee.retire_date and effective_from > employee.retire_date:
        raise _fail("effective_from", _("退職日より後の異動は登録できません。"))
    if Placement.objects.filter(employee=employee, effective_from=effective_from).exists():
        raise _fail("effective_from", _("この発令日の配置は既に登録されています。"))
    placement = Placement(
        company=company,
        employee=employee,
        department=department,
        position=position,
        effective_from=effective_from,
        reason=reason,
        note=note.strip()[:200],
    )
    placement.save()
    record_event(
        company=company,
        actor=actor,
        action="transfer",
        instance=employee,
        before=None,
        after=None,
        extra={
            "placement": placement.pk,
            "department": department.pk,
            "department_name": department.name,
            "position": position.pk if position else None,
            "position_name": position.name if position else None,
            "effective_from": effective_from,
            "reason": reason,
        },
    )
    return placement


@transaction.atomic
def cancel_placement(*, company: Company, actor: User, membership: Membership, placement: Placement) -> None:
    """Cancel a scheduled or mistaken transfer (the hire placement stays)."""
    require_role(membership, *HR_WRITERS)
    if placement.company_id != company.pk:
        raise NotFound()
    if placement.reason == PlacementReason.HIRE:
        raise _fail("__all__", _("入社時の配置は取り消せません。"))
    before = snapshot(placement)
    employee = placement.employee
    pk = placement.pk
    placement.delete()
    record_event(
        company=company,
        actor=actor,
        action="cancel_transfer",
        instance=employee,
        extra={"placement": pk, "cancelled": before},
    )


@dataclass(frozen=True)
class RetireResult:
    employee: Employee
    removed_placements: int


@transaction.atomic
def retire_employee(
    *, company: Company, actor: User, membership: Membership, employee: Employee, retire_date: date
) -> Employee:
    require_role(membership, *HR_WRITERS)
    if employee.company_id != company.pk:
        raise NotFound()
    if retire_date < employee.hire_date:
        raise _fail("retire_date", _("退職日は入社日以降の日付にしてください。"))
    if Placement.objects.filter(employee=employee, effective_from__gt=retire_date).exists():
        raise _fail("retire_date", _("退職日より後に予定された異動があります。先に取り消してください。"))
    return update_employee(
        company=company, actor=actor, membership=membership, employee=employee, retire_date=retire_date
    )


@transaction.atomic
def delete_employee(*, company: Company, actor: User, membership: Membership, employee: Employee) -> None:
    """Remove a record entered by mistake. Its history stays in the audit trail."""
    require_role(membership, *HR_WRITERS)
    if employee.company_id != company.pk:
        raise NotFound()
    before = snapshot(employee)
    pk, label = employee.pk, str(employee)
    employee.placements.all().delete()
    employee.delete()
    record_event(
        company=company,
        actor=actor,
        action="delete",
        object_type="people.employee",
        object_id=str(pk),
        object_repr=label,
        before=before,
    )


@transaction.atomic
def update_employee_record(
    *, company: Company, actor: User, membership: Membership, employee: Employee, **changes: Any
) -> Employee:
    """``update_employee`` that also refuses a retirement date before a scheduled transfer (the check
    of ``retire_employee``), in one transaction. The API's PATCH uses it."""
    require_role(membership, *HR_WRITERS)
    if employee.company_id != company.pk:
        raise NotFound()
    retire_date = changes.get("retire_date")
    if (
        retire_date is not None
        and Placement.objects.filter(employee=employee, effective_from__gt=retire_date).exists()
    ):
        raise _fail("retire_date", _("退職日より後に予定された異動があります。先に取り消してください。"))
    return update_employee(company=company, actor=actor, membership=membership, employee=employee, **changes)
