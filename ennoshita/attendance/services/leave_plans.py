"""計画的付与 of 年次有給休暇 (労基法39条6項, under a 労使協定): days of leave written by 人事 for
chosen employees or a department, approved at once without a route, never eating into the 5 days
of each grant left to the employee. See docs/domains/attendance.md 「休暇と休暇申請」.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance.models import LeaveKind, LeaveRequest, LeaveTaking, LeaveUnit, RequestState
from ennoshita.attendance.services import leave_grants
from ennoshita.attendance.services.closing import ensure_month_open
from ennoshita.attendance.services.leave_checks import (
    HELD_STATES,
    REQUEST_FIELDS,
    LeaveInput,
    _check_input,
    _check_overlap,
    _lock_employee,
    _name,
    _write,
    describe,
)
from ennoshita.attendance.services.leave_types import LEAVE_ADMIN_ROLES, _fail, ensure_leave_types
from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

PLANNED_FREE_DAYS = Decimal(5)  # 労基法39条6項: the 5 days of each grant left to the employee


# ------------------------------------------------------------------------------ 計画的付与
def _planned_beyond_five(company: Company, employee: Employee, leave: LeaveRequest) -> bool:
    """労基法39条6項: only the days of each grant beyond 5 may be planned. True when every grant
    this planned day drew from still leaves 5 days to the employee's own choice."""
    takings = LeaveTaking.objects.for_company(company).filter(request=leave, grant__isnull=False)
    for grant_id in {t.grant_id for t in takings}:
        grant_days = takings.filter(grant_id=grant_id).values_list("grant__days", flat=True).first() or 0
        planned = (
            LeaveTaking.objects.for_company(company)
            .filter(grant_id=grant_id, request__planned=True, request__state__in=HELD_STATES)
            .aggregate(total=Sum("days"))["total"]
            or 0
        )
        if Decimal(planned) > Decimal(grant_days) - PLANNED_FREE_DAYS:
            return False
    return True


@transaction.atomic
def plan_annual_leave(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    day: date,
    employee_ids: Sequence[int] = (),
    department_id: int | None = None,
    reason: str = "",
) -> list[LeaveRequest]:
    """計画的付与 (労基法39条6項, under a 労使協定): one day of 年次有給休暇 on ``day`` for the chosen
    employees, or everyone in service that day in the department (and those below), approved at
    once (planned=True, no route). All or nothing: when anyone cannot take it (not a workday for
    them, a closed month, an overlap, a short balance, or the day would eat into the 5 days of a
    grant that stay the employee's own), nothing is written and each is named."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    types = ensure_leave_types(company=company)
    annual = next((t for t in types if t.kind == LeaveKind.ANNUAL and t.is_active), None)
    if annual is None:
        raise _fail(_("年次有給休暇の種類が無効になっています。"), "leave_type")
    if department_id is not None:
        people_selectors.get_department(company=company, department_id=department_id)  # NotFound
        ids = people_selectors.descendant_ids(company=company, department_id=department_id)
        employees = people_selectors.employees_in_service(
            company=company, as_of=day, department_ids=list(ids)
        )
        if employee_ids:
            employees = [e for e in employees if e.pk in set(employee_ids)]
    else:
        employees = []
        for pk in dict.fromkeys(employee_ids):
            found = people_selectors.employee_by_id(company=company, employee_id=pk)
            if found is None:
                raise NotFound()
            employees.append(found)
    if not employees:
        raise _fail(_("計画的付与の対象者を選んでください。"), "employees")
    text = (reason or "").strip()[:500] or _("計画的付与")
    data = LeaveInput(
        leave_type_id=annual.pk, unit=LeaveUnit.FULL_DAY, start_date=day, end_date=day, reason=text
    )
    failures: list[str] = []
    created: list[LeaveRequest] = []
    now = timezone.now()
    for employee in employees:
        try:
            with transaction.atomic():
                checked = _check_input(company, employee, data)
                ensure_month_open(company=company, employee_id=employee.pk, day=day)
                _lock_employee(company, employee.pk)
                _check_overlap(company, checked)
                leave = LeaveRequest(
                    company=company,
                    employee=employee,
                    requested_by=actor,
                    planned=True,
                    state=RequestState.APPROVED,
                    decided_at=now,
                )
                _write(leave, checked)
                leave.save()
                leave_grants.hold_leave(company=company, request=leave, parts=checked.parts)
                if not _planned_beyond_five(company, employee, leave):
                    raise _fail(
                        _("計画的付与にできるのは付与日数のうち5日を超える部分だけです(労基法39条6項)。")
                    )
                leave_grants.confirm_leave(company=company, request=leave)
                created.append(leave)
        except ServiceError as exc:
            failures.append(f"{employee.number} {_name(employee)}: {exc.message}")
    if failures:
        message = _("計画的付与できない社員がいるため、誰にも登録していません。") + " " + " / ".join(failures)
        raise ServiceError(message, code="plan_refused", field_errors={"employees": failures})
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput("plan", leave, object_repr=describe(leave), after=snapshot(leave, REQUEST_FIELDS))
            for leave in created
        ],
    )
    return created


__all__ = ["PLANNED_FREE_DAYS", "plan_annual_leave"]
