"""休暇申請: the leave requests by day, half day or hour, approved by route (request type
``attendance.leave``) and cancelled (取り消し) with a reason. The company's leave types are in
leave_types.py, 計画的付与 of 年次有給休暇 (労基法39条6項, written by 人事 without a route) in
leave_plans.py, and the checks of a request's input both use in leave_checks.py; their names are
re-exported here, so callers (and the settings' ``on_leave_decided``) keep importing this module.

A request holds its days from submission (``leave_grants.hold_leave`` writes its LeaveTaking rows),
so two requests cannot spend the same balance; the approval's end confirms them (approved) or
releases them (rejected, withdrawn), and a cancellation releases them. A returned request
(差し戻し) keeps holding its days until it is resubmitted (when it may be changed: the days are
released and held again from the new input) or withdrawn. See docs/domains/attendance.md
「休暇と休暇申請」.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.attendance.models import LeaveRequest, LeaveTaking, RequestState
from ennoshita.attendance.services import leave_grants
from ennoshita.attendance.services.closing import ensure_months_open
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
from ennoshita.attendance.services.leave_checks import MAX_RANGE_DAYS as MAX_RANGE_DAYS
from ennoshita.attendance.services.leave_checks import _check_hours as _check_hours
from ennoshita.attendance.services.leave_checks import _Checked as _Checked
from ennoshita.attendance.services.leave_checks import _clashes as _clashes
from ennoshita.attendance.services.leave_checks import _in_service as _in_service
from ennoshita.attendance.services.leave_checks import _minutes as _minutes
from ennoshita.attendance.services.leave_plans import PLANNED_FREE_DAYS as PLANNED_FREE_DAYS
from ennoshita.attendance.services.leave_plans import _planned_beyond_five as _planned_beyond_five
from ennoshita.attendance.services.leave_plans import plan_annual_leave
from ennoshita.attendance.services.leave_types import ATTENDED_BY_LAW as ATTENDED_BY_LAW
from ennoshita.attendance.services.leave_types import (
    DEFAULT_TYPES,
    LEAVE_ADMIN_ROLES,
    LeaveTypeInput,
    _fail,
    create_leave_type,
    delete_leave_type,
    ensure_leave_types,
    update_leave_type,
)
from ennoshita.attendance.services.leave_types import TYPE_FIELDS as TYPE_FIELDS
from ennoshita.attendance.services.leave_types import _apply as _apply
from ennoshita.attendance.services.leave_types import _check_type as _check_type
from ennoshita.attendance.services.leave_types import _hourly_agreed as _hourly_agreed
from ennoshita.attendance.services.leave_types import _type_in_use as _type_in_use
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

REQUEST_TYPE = "attendance.leave"
CANCELLABLE_STATES = HELD_STATES


def _employee_for(company: Company, membership: Membership, employee_id: int | None) -> Employee:
    """The applicant's own record, or (人事) anyone's; NotFound for an id of no employee here."""
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if employee_id is None or (own is not None and own.pk == employee_id):
        if own is None:
            raise _fail(
                _(
                    "ログインユーザーに社員の記録が紐付いていないため、休暇を申請できません。人事に連絡してください。"
                )
            )
        return own
    if not membership.has_any_role(*LEAVE_ADMIN_ROLES):
        raise PermissionDeniedError(_("ほかの社員の休暇を申請できるのは人事だけです。"))
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    return found


def _department(company: Company, employee: Employee, day: date) -> Any:
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=day)
    if placement is None:
        placement = people_selectors.placement_as_of(
            company=company, employee=employee, as_of=timezone.localdate()
        )
    return placement.department if placement is not None else None


@transaction.atomic
def request_leave(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: LeaveInput,
    employee_id: int | None = None,
) -> LeaveRequest:
    """休暇申請 by the employee (or 人事 on their behalf, ``employee_id``): checked, its days held
    from the balance, and submitted through the approval route (所属長 → 人事). Refused with a
    message and nothing written: a bad range or unit, no workday, a closed month, an overlap,
    a short balance or hourly cap (leave_grants.hold_leave), no approver on the route."""
    employee = _employee_for(company, membership, employee_id)
    checked = _check_input(company, employee, data)
    ensure_months_open(
        company=company, days={(employee.pk, p.date) for p in checked.parts}, field="start_date"
    )
    _lock_employee(company, employee.pk)
    _check_overlap(company, checked)
    leave = LeaveRequest(company=company, employee=employee, requested_by=actor, state=RequestState.PENDING)
    _write(leave, checked)
    leave.save()
    leave_grants.hold_leave(company=company, request=leave, parts=checked.parts)
    approval_services.submit_request(
        company=company,
        actor=actor,
        membership=membership,
        request_type=REQUEST_TYPE,
        object_id=leave.pk,
        object_repr=f"{_name(employee)} {describe(leave)}"[:200],
        amount=Decimal(0),
        department=_department(company, employee, checked.start_date),
        url=reverse("attendance:leave_detail", args=[leave.pk]),
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=leave,
        object_repr=describe(leave),
        after=snapshot(leave, REQUEST_FIELDS),
    )
    return leave


def _locked_request(company: Company, request_id: int) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("leave_type", "employee")
        .filter(pk=request_id)
        .first()
    )
    if leave is None:
        raise NotFound()
    return leave


OUTCOMES = {
    "approved": RequestState.APPROVED,
    "rejected": RequestState.REJECTED,
    "returned": RequestState.RETURNED,
    "withdrawn": RequestState.WITHDRAWN,
}


def on_leave_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction. approved → the held days are confirmed
    (refused, and the decision rolled back, when a month of the leave was closed meanwhile);
    rejected / withdrawn → released; returned → still held (see the module's docstring). A request
    cancelled while its approval waited stays cancelled whatever the approval's end."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        leave_id = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    leave = _locked_request(company, leave_id)
    before = snapshot(leave, ("state",))
    if leave.state == RequestState.CANCELLED:
        record_event(
            company=company,
            actor=actor,
            action="note",
            instance=leave,
            object_repr=describe(leave),
            extra={"approval_outcome": outcome, "note": "cancelled before the approval ended"},
        )
        return
    if leave.state not in (RequestState.PENDING, RequestState.RETURNED):
        raise ServiceError(
            _("「%(state)s」の休暇申請はこの操作ができません。") % {"state": leave.get_state_display()},
            code="bad_state",
        )
    if target == RequestState.APPROVED:
        held = LeaveTaking.objects.for_company(company).filter(request=leave).values_list("date", flat=True)
        days = set(held) | {leave.start_date, leave.end_date}
        ensure_months_open(company=company, days={(leave.employee_id, d) for d in days})
        leave_grants.confirm_leave(company=company, request=leave)
    elif target in (RequestState.REJECTED, RequestState.WITHDRAWN):
        leave_grants.release_leave(company=company, request=leave)
    leave.state = target
    if target != RequestState.RETURNED:
        leave.decided_at = timezone.now()
    leave.save(update_fields=["state", "decided_at"])
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=leave,
        object_repr=describe(leave),
        before=before,
        after=snapshot(leave, ("state",)),
    )


def _approval_of(company: Company, leave: LeaveRequest) -> Any:
    return approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=leave.pk)


@transaction.atomic
def resubmit_leave_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request_id: int,
    data: LeaveInput | None = None,
) -> LeaveRequest:
    """After 差し戻し the applicant submits again, as it was or changed (``data``): a change releases
    the held days and holds the new ones, with every check of a new request."""
    leave = _locked_request(company, request_id)
    approval = _approval_of(company, leave)
    if approval is None or approval.applicant_id != actor.pk:
        raise PermissionDeniedError(_("再申請できるのは申請者本人だけです。"))
    if leave.state != RequestState.RETURNED:
        raise _fail(_("差し戻された申請だけを再申請できます。"), code="bad_state")
    before = snapshot(leave, REQUEST_FIELDS)
    if data is not None:
        checked = _check_input(company, leave.employee, data)
        ensure_months_open(
            company=company, days={(leave.employee_id, p.date) for p in checked.parts}, field="start_date"
        )
        _lock_employee(company, leave.employee_id)
        _check_overlap(company, checked, exclude_id=leave.pk)
        leave_grants.release_leave(company=company, request=leave)
        _write(leave, checked)
        leave.state = RequestState.PENDING
        leave.save()
        leave_grants.hold_leave(company=company, request=leave, parts=checked.parts)
    else:
        leave.state = RequestState.PENDING
        leave.save(update_fields=["state"])
    approval_services.resubmit(company=company, actor=actor, membership=membership, request=approval)
    record_event(
        company=company,
        actor=actor,
        action="resubmit",
        instance=leave,
        object_repr=describe(leave),
        before=before,
        after=snapshot(leave, REQUEST_FIELDS),
    )
    return leave


def can_cancel(
    *, membership: Membership, leave: LeaveRequest, own_employee_id: int | None, today: date
) -> bool:
    """人事 any time (months still open); the employee before the first day."""
    if leave.state not in CANCELLABLE_STATES:
        return False
    if membership.has_any_role(*LEAVE_ADMIN_ROLES):
        return True
    return own_employee_id == leave.employee_id and today < leave.start_date


@transaction.atomic
def cancel_leave_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request_id: int,
    reason: str,
    today: date | None = None,
) -> LeaveRequest:
    """取り消し of a waiting, returned or approved request, with a reason: by the employee before
    its first day, by 人事 any time unless a month of it is closed. The held days are released.
    A waiting approval is withdrawn — by the applicant's own 取り下げ when they cancel, else closed
    by this module with the canceller and the reason recorded — so it leaves the approvers' lists."""
    today = today or timezone.localdate()
    leave = _locked_request(company, request_id)
    own = people_selectors.own_employee_record(company=company, membership=membership)
    is_hr = membership.has_any_role(*LEAVE_ADMIN_ROLES)
    if not is_hr and (own is None or own.pk != leave.employee_id):
        raise NotFound()
    text = (reason or "").strip()
    if not text:
        raise _fail(_("取り消しの理由を入力してください。"), "reason")
    if len(text) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    if leave.state not in CANCELLABLE_STATES:
        raise _fail(
            _("「%(state)s」の休暇申請は取り消せません。") % {"state": leave.get_state_display()},
            code="bad_state",
        )
    if not is_hr and today >= leave.start_date:
        raise PermissionDeniedError(_("休暇の初日以降は、人事に取り消しを依頼してください。"))
    days = set(
        LeaveTaking.objects.for_company(company).filter(request=leave).values_list("date", flat=True)
    ) | {leave.start_date, leave.end_date}
    ensure_months_open(company=company, days={(leave.employee_id, d) for d in days})
    before = snapshot(leave, REQUEST_FIELDS)
    approval = _approval_of(company, leave)
    if (
        leave.state in (RequestState.PENDING, RequestState.RETURNED)
        and approval is not None
        and approval.status in ("pending", "returned")
    ):
        # on_leave_decided("withdrawn") releases the days
        if approval.applicant_id == actor.pk:
            approval_services.withdraw(company=company, actor=actor, membership=membership, request=approval)
        else:
            approval_services.withdraw_for_source(
                company=company,
                actor=actor,
                request=approval,
                reason=_("休暇申請の取り消し: %(r)s") % {"r": text},
            )
        leave.refresh_from_db()
    else:
        leave_grants.release_leave(company=company, request=leave)
    leave.state = RequestState.CANCELLED
    leave.cancelled_at = timezone.now()
    leave.cancel_reason = text
    leave.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    record_event(
        company=company,
        actor=actor,
        action="cancel",
        instance=leave,
        object_repr=describe(leave),
        before=before,
        after=snapshot(leave, REQUEST_FIELDS),
    )
    return leave


# The names imported ``as`` themselves above are re-exported: callers and tests from before the split
# (leave types, 計画的付与 and the request checks were in this module) import them from here.
__all__ = [
    "DEFAULT_TYPES",
    "REQUEST_TYPE",
    "LeaveInput",
    "LeaveTypeInput",
    "cancel_leave_request",
    "create_leave_type",
    "delete_leave_type",
    "ensure_leave_types",
    "on_leave_decided",
    "plan_annual_leave",
    "request_leave",
    "resubmit_leave_request",
    "update_leave_type",
]
