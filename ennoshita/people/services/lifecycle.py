"""Writes of 人事 master data: what happens to an employee later (transfer, retirement, deletion)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people.models import Department, Employee, Placement, PlacementReason, Position

from .base import HR_WRITERS, _fail
from .employees import _check_refs, update_employee


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
