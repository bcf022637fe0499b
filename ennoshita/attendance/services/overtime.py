"""残業申請: where the employee's work rule requires it (WorkRule.overtime_requires_approval), time
before the scheduled start or after the scheduled end counts as work only where an approved
request covers it (timesheet_selectors). Requests before or after the fact, by the employee or by
人事 for them, go through the approvals engine as "attendance.overtime" (所属長); the engine
calls ``on_overtime_decided`` in the deciding transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.attendance import overtime_selectors
from ennoshita.attendance.models import OPEN_STATES, OvertimeRequest, RequestState
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.attendance.services.closing import ensure_month_open
from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

REQUEST_TYPE = overtime_selectors.REQUEST_TYPE
MAX_SPAN = timedelta(hours=24)

OUTCOMES = {
    "approved": RequestState.APPROVED,
    "rejected": RequestState.REJECTED,
    "returned": RequestState.RETURNED,
    "withdrawn": RequestState.WITHDRAWN,
}


@dataclass(frozen=True)
class OvertimeInput:
    work_date: date
    start_at: datetime  # timezone-aware
    end_at: datetime
    reason: str


def _fail(message: str, field: str = "__all__", code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _employee(company: Company, membership: Membership, employee_id: int | None) -> Employee:
    own = overtime_selectors.own_employee(company=company, membership=membership)
    if employee_id is None or (own is not None and own.pk == employee_id):
        if own is None:
            raise _fail(
                _("ログインユーザーに社員の記録が紐付いていないため申請できません。"), code="no_employee"
            )
        return own
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    if not membership.has_any_role(*overtime_selectors.ALL_ROLES):
        raise PermissionDeniedError(_("他の社員の残業申請を出せるのは人事だけです。"))
    return found


def _department(company: Company, employee: Employee, day: date) -> Any:
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=day)
    if placement is None:
        placement = people_selectors.placement_as_of(
            company=company, employee=employee, as_of=timezone.localdate()
        )
    return placement.department if placement is not None else None


def _repr(employee: Employee, data: OvertimeInput) -> str:
    start, end = data.start_at.astimezone(TOKYO), data.end_at.astimezone(TOKYO)
    return f"{employee.number} {employee.family_name} {employee.given_name} {data.work_date:%Y-%m-%d} {start:%H:%M}–{end:%H:%M}"


def _validate(company: Company, employee: Employee, data: OvertimeInput) -> str:
    reason = (data.reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("理由を入力してください。")]
    elif len(reason) > 500:
        errors["reason"] = [_("理由は500文字以内で入力してください。")]
    start, end = data.start_at, data.end_at
    if start.tzinfo is None or end.tzinfo is None:
        errors["start_at"] = [_("時刻はタイムゾーン付きで入力してください。")]
    elif end <= start:
        errors["end_at"] = [_("終了は開始より後の時刻にしてください。")]
    elif end - start > MAX_SPAN:
        errors["end_at"] = [_("1件の残業申請は24時間までです。")]
    else:
        day_start = datetime.combine(data.work_date, datetime.min.time(), TOKYO)
        if not (day_start <= start and end <= day_start + timedelta(days=2)):
            errors["start_at"] = [_("勤務日の0時から翌日の24時までの時間で申請してください。")]
    if not employee.hire_date <= data.work_date or (
        employee.retire_date is not None and data.work_date > employee.retire_date
    ):
        errors["work_date"] = [_("在籍していない日の残業は申請できません。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    overlapping = (
        OvertimeRequest.objects.for_company(company)
        .filter(employee=employee, state__in=(*OPEN_STATES, RequestState.APPROVED))
        .filter(start_at__lt=end, end_at__gt=start)
        .exists()
    )
    if overlapping:
        raise _fail(_("同じ時間に重なる残業申請が既にあります。"), "start_at", "duplicate")
    return reason


@transaction.atomic
def request_overtime(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: OvertimeInput,
    employee_id: int | None = None,
    now: datetime | None = None,
) -> OvertimeRequest:
    """申請 (before the fact, or after it: ``after_the_fact`` when the time has begun). The employee
    for themself, 人事 for anyone. Refused, nothing written: a closed month, a time outside the
    work day, an overlap with another open or approved request, no 所属長 to decide."""
    now = now or timezone.now()
    employee = _employee(company, membership, employee_id)
    reason = _validate(company, employee, data)
    ensure_month_open(company=company, employee_id=employee.pk, day=data.work_date, field="work_date")
    row = OvertimeRequest.objects.create(
        company=company,
        employee=employee,
        work_date=data.work_date,
        start_at=data.start_at,
        end_at=data.end_at,
        reason=reason,
        after_the_fact=data.start_at < now,
        state=RequestState.PENDING,
        requested_by=actor,
    )
    label = _repr(employee, data)
    approval_services.submit_request(
        company=company,
        actor=actor,
        membership=membership,
        request_type=REQUEST_TYPE,
        object_id=row.pk,
        object_repr=_("残業申請 %(who)s") % {"who": label},
        amount=Decimal(0),
        department=_department(company, employee, data.work_date),
        url=reverse("attendance:overtime_detail", args=[row.pk]),
    )
    record_event(
        company=company,
        actor=actor,
        action="submit",
        instance=row,
        object_repr=label,
        after={
            "state": row.state,
            "work_date": row.work_date,
            "start_at": row.start_at,
            "end_at": row.end_at,
            "reason": reason,
            "after_the_fact": row.after_the_fact,
        },
    )
    return row


@transaction.atomic
def withdraw_overtime(
    *, company: Company, actor: User, membership: Membership, request: OvertimeRequest
) -> OvertimeRequest:
    """取り下げ by whoever filed it, while it waits (or after 差し戻し)."""
    if request.company_id != company.pk:
        raise NotFound()
    approval = approval_selectors.request_for(
        company=company, request_type=REQUEST_TYPE, object_id=request.pk
    )
    if approval is None:
        raise NotFound()
    approval_services.withdraw(company=company, actor=actor, membership=membership, request=approval)
    request.refresh_from_db()
    return request


def on_overtime_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction: the request takes the outcome. An
    approval into a month closed meanwhile is refused (and the decision rolls back with it)."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        pk = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    row = OvertimeRequest.objects.for_company(company).select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound()
    if row.state not in OPEN_STATES:
        raise _fail(_("この残業申請は既に「%(s)s」です。") % {"s": row.get_state_display()}, code="bad_state")
    if target == RequestState.APPROVED:
        ensure_month_open(company=company, employee_id=row.employee_id, day=row.work_date)
    before = {"state": row.state}
    row.state = target
    row.decided_at = timezone.now() if target != RequestState.RETURNED else None
    row.save(update_fields=["state", "decided_at"])
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=row,
        before=before,
        after={"state": row.state},
    )
