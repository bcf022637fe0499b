"""Writes of approvals: submitting, deciding, withdrawing and resubmitting requests, delegations,
routes and settings. Each is keyword-only, one transaction, checked and audited.

An owning app (経費精算, 支払…) calls ``submit_request`` for its record and names, in
``settings.ENNOSHITA_APPROVAL_TYPES``, a function that is called as
``on_decided(company=, actor=, request=, outcome=)`` when the request ends (``approved``,
``rejected``, ``returned`` or ``withdrawn``), inside the same transaction: when the owner's own work
fails (a posting refused), the decision is rolled back with it.

Decisions lock the request row (``select_for_update``). The ``request`` instance a caller passes
is what they saw: when the locked row has moved on since (another approver decided the step), the
call is refused with ``AlreadyDecided`` (409) instead of acting on a step they did not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

from . import selectors
from ._base import AlreadyDecided, InvalidInput, _check_membership
from .delegations import end_delegation, set_delegation
from .models import (
    OPEN_STATUSES,
    ActionKind,
    ApprovalAction,
    ApprovalAssignment,
    ApprovalRequest,
    RequestStatus,
)
from .reminders import remind_waiting
from .routing import (
    DEFAULT_ROUTES,
    StepSpec,
    check_request_type,
    choose_route,
    delete_route,
    ensure_default_routes,
    resolve_step,
    save_route,
    steps_snapshot,
    update_approval_settings,
)

__all__ = [
    "DEFAULT_ROUTES",
    "AlreadyDecided",
    "InvalidInput",
    "StepSpec",
    "approve",
    "delete_route",
    "end_delegation",
    "reject",
    "remind_waiting",
    "resubmit",
    "save_route",
    "send_back",
    "set_delegation",
    "submit_request",
    "update_approval_settings",
    "withdraw",
]


def _reason(value: str, field_name: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, code="validation", field_errors={field_name: [message]})
    if len(text) > 2000:
        limit = _("2000文字以内で入力してください。")
        raise InvalidInput(limit, code="validation", field_errors={field_name: [limit]})
    return text


def _event(company: Company, actor: User, action: str, request: ApprovalRequest, **extra: Any) -> None:
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=request,
        object_repr=str(request),
        after={
            "status": request.status,
            "current_step": request.current_step,
            "round": request.round,
            "amount": request.amount,
        },
        extra=extra or None,
    )


def _notify_owner(company: Company, actor: User, request: ApprovalRequest, outcome: str) -> None:
    entry = check_request_type(request.request_type)
    path = entry.get("on_decided")
    if path:
        import_string(path)(company=company, actor=actor, request=request, outcome=outcome)


def _locked(company: Company, request: ApprovalRequest) -> ApprovalRequest:
    """The request row, locked; a changed step or state since the caller read it → AlreadyDecided."""
    if request.company_id != company.pk:
        raise NotFound()
    locked = (
        ApprovalRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=request.pk)
        .select_related("route", "department", "applicant")
        .first()
    )
    if locked is None:
        raise NotFound()
    if (locked.status, locked.current_step, locked.round) != (
        request.status,
        request.current_step,
        request.round,
    ):
        raise AlreadyDecided()
    return locked


def _earlier_deciders(request: ApprovalRequest) -> set[int]:
    return selectors.earlier_deciders(request)


def _begin_step(company: Company, request: ApprovalRequest, order: int) -> None:
    """Make ``order`` the current step and open the assignments of who may decide it."""
    step = request.step_at(order)
    assert step is not None
    users = resolve_step(
        company=company,
        request=request,
        step=step,
        as_of=timezone.localdate(),
        exclude=_earlier_deciders(request),
    )
    request.current_step = order
    request.step_started_at = timezone.now()
    ApprovalAssignment.objects.bulk_create(
        [
            ApprovalAssignment(
                company=company,
                request=request,
                round=request.round,
                step_order=order,
                user=u,
                applicant_id=request.applicant_id,
            )
            for u in users
        ]
    )


def _close_assignments(request: ApprovalRequest) -> None:
    ApprovalAssignment.objects.filter(request=request, is_open=True).update(is_open=False)


def _clean_codes(account_codes: Sequence[str]) -> list[str]:
    if isinstance(account_codes, str):
        account_codes = [account_codes]
    return sorted({str(c).strip() for c in account_codes if str(c).strip()})


def _clean_amount(amount: Any) -> Decimal:
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
        raise InvalidInput(
            _("金額が正しくありません。"), field_errors={"amount": [_("金額が正しくありません。")]}
        )
    value = Decimal(amount)
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        message = _("金額は0以上の円単位の整数にしてください。")
        raise InvalidInput(message, field_errors={"amount": [message]})
    return value


def _route_for(
    company: Company, request_type: str, amount: Decimal, department: Department | None, codes: list[str]
) -> Any:
    route = choose_route(
        company=company, request_type=request_type, amount=amount, department=department, account_codes=codes
    )
    if route is None:
        message = _(
            "この申請に合う承認ルートがありません。管理者か経理に承認ルートの設定を依頼してください。"
        )
        raise ServiceError(message, code="no_route", field_errors={"__all__": [message]})
    return route


# ---------------------------------------------------------------------------- submitting
@transaction.atomic
def submit_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request_type: str,
    object_id: str | int,
    object_repr: str,
    amount: Decimal,
    department: Department | None,
    account_codes: Sequence[str] = (),
    url: str = "",
) -> ApprovalRequest:
    """The actor applies for ``object_id`` of ``request_type``: the route is chosen, its first
    step's approvers are resolved (nobody → refused, nothing written)."""
    _check_membership(company, actor, membership)
    check_request_type(request_type)
    amount = _clean_amount(amount)
    codes = _clean_codes(account_codes)
    if department is not None and department.company_id != company.pk:
        raise NotFound()
    today = timezone.localdate()
    if department is None:
        department = people_selectors.employee_department(company=company, user=actor, as_of=today)
    object_key = str(object_id).strip()[:64]
    if not object_key:
        raise InvalidInput(_("申請の対象がありません。"), field_errors={"object_id": [_("必須です。")]})
    open_one = selectors.request_for(company=company, request_type=request_type, object_id=object_key)
    if open_one is not None and open_one.status in OPEN_STATUSES:
        message = (
            _("差し戻された申請です。内容を直して再申請してください。")
            if open_one.status == RequestStatus.RETURNED
            else _("この申請は既に承認待ちです。")
        )
        raise AlreadyDecided(message)
    ensure_default_routes(company=company, actor=actor, request_type=request_type)
    route = _route_for(company, request_type, amount, department, codes)
    now = timezone.now()
    request = ApprovalRequest(
        company=company,
        request_type=request_type,
        object_id=object_key,
        object_repr=(object_repr or "").strip()[:200] or object_key,
        url=(url or "")[:500],
        applicant=actor,
        amount=amount,
        department=department,
        account_codes=codes,
        route=route,
        steps=steps_snapshot(route),
        status=RequestStatus.PENDING,
        round=1,
        submitted_at=now,
        step_started_at=now,
    )
    request.current_step = request.steps[0]["order"]
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:  # another submit of the same record won the race
        raise AlreadyDecided(_("この申請は既に承認待ちです。")) from exc
    _begin_step(company, request, request.steps[0]["order"])
    request.save(update_fields=["current_step", "step_started_at"])
    ApprovalAction.objects.create(
        company=company, request=request, round=1, step_order=0, actor=actor, action=ActionKind.SUBMIT
    )
    _event(company, actor, "submit", request, route=route.pk)
    return request


@transaction.atomic
def resubmit(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: ApprovalRequest,
    amount: Decimal | None = None,
    account_codes: Sequence[str] | None = None,
) -> ApprovalRequest:
    """After 差し戻し the applicant submits again: the route is chosen again and the request starts
    from its first step."""
    _check_membership(company, actor, membership)
    request = _locked(company, request)
    if request.applicant_id != actor.pk:
        raise PermissionDeniedError(_("再申請できるのは申請者本人だけです。"))
    if request.status != RequestStatus.RETURNED:
        raise AlreadyDecided(_("差し戻された申請だけを再申請できます。"))
    if amount is not None:
        request.amount = _clean_amount(amount)
    if account_codes is not None:
        request.account_codes = _clean_codes(account_codes)
    route = _route_for(
        company, request.request_type, request.amount, request.department, request.account_codes
    )
    request.route = route
    request.steps = steps_snapshot(route)
    request.round += 1
    request.status = RequestStatus.PENDING
    request.decided_at = None
    _begin_step(company, request, request.steps[0]["order"])
    request.save()
    ApprovalAction.objects.create(
        company=company,
        request=request,
        round=request.round,
        step_order=0,
        actor=actor,
        action=ActionKind.RESUBMIT,
    )
    _event(company, actor, "resubmit", request, route=route.pk)
    return request


# ---------------------------------------------------------------------------- deciding
def _decider(company: Company, actor: User, membership: Membership, request: ApprovalRequest) -> User | None:
    """Check that the actor may decide the locked request's current step; on whose behalf."""
    _check_membership(company, actor, membership)
    if request.status != RequestStatus.PENDING:
        raise AlreadyDecided(
            _("この申請は既に「%(status)s」です。") % {"status": request.get_status_display()}
        )
    if request.applicant_id == actor.pk:
        raise PermissionDeniedError(_("自分の申請は承認・却下できません(代理でもできません)。"))
    allowed, on_behalf_of = selectors.can_decide(company=company, user=actor, request=request)
    if not allowed:
        if actor.pk in _earlier_deciders(request):
            raise PermissionDeniedError(
                _("同じ申請の別の段階を既に承認しているため、この段階は承認できません。")
            )
        raise PermissionDeniedError(_("この段階の承認者ではありません。"))
    return on_behalf_of


def _record_decision(
    company: Company,
    actor: User,
    request: ApprovalRequest,
    action: str,
    on_behalf_of: User | None,
    comment: str,
) -> None:
    try:
        with transaction.atomic():
            ApprovalAction.objects.create(
                company=company,
                request=request,
                round=request.round,
                step_order=request.current_step,
                actor=actor,
                on_behalf_of=on_behalf_of,
                action=action,
                comment=comment,
            )
    except IntegrityError as exc:  # the database's one-decision-per-step rule
        raise AlreadyDecided() from exc


def _finish(
    company: Company, actor: User, request: ApprovalRequest, status: str, event: str, **extra: Any
) -> ApprovalRequest:
    request.status = status
    request.decided_at = timezone.now()
    _close_assignments(request)
    request.save(update_fields=["status", "decided_at"])
    _event(company, actor, event, request, **extra)
    _notify_owner(company, actor, request, status)
    return request


@transaction.atomic
def approve(
    *, company: Company, actor: User, membership: Membership, request: ApprovalRequest, comment: str = ""
) -> ApprovalRequest:
    """Approve the current step: the next step begins (its approvers resolved), or after the last
    one the request is approved and the owner is told."""
    request = _locked(company, request)
    on_behalf_of = _decider(company, actor, membership, request)
    comment = (comment or "").strip()[:2000]
    _record_decision(company, actor, request, ActionKind.APPROVE, on_behalf_of, comment)
    extra = {"step": request.current_step, "on_behalf_of": on_behalf_of.pk if on_behalf_of else None}
    later = [s["order"] for s in request.steps if s["order"] > request.current_step]
    if later:
        _close_assignments(request)
        _begin_step(company, request, later[0])
        request.save(update_fields=["current_step", "step_started_at"])
        _event(company, actor, "approve", request, **extra)
        return request
    return _finish(company, actor, request, RequestStatus.APPROVED, "approve", **extra)


@transaction.atomic
def reject(
    *, company: Company, actor: User, membership: Membership, request: ApprovalRequest, reason: str
) -> ApprovalRequest:
    """却下: the request ends; the reason is required."""
    reason = _reason(reason, "reason", _("却下の理由を入力してください。"))
    request = _locked(company, request)
    on_behalf_of = _decider(company, actor, membership, request)
    _record_decision(company, actor, request, ActionKind.REJECT, on_behalf_of, reason)
    extra = {"step": request.current_step, "on_behalf_of": on_behalf_of.pk if on_behalf_of else None}
    return _finish(company, actor, request, RequestStatus.REJECTED, "reject", **extra)


@transaction.atomic
def send_back(
    *, company: Company, actor: User, membership: Membership, request: ApprovalRequest, reason: str
) -> ApprovalRequest:
    """差し戻し: back to the applicant, who may correct and ``resubmit``; the reason is required."""
    reason = _reason(reason, "reason", _("差し戻しの理由を入力してください。"))
    request = _locked(company, request)
    on_behalf_of = _decider(company, actor, membership, request)
    _record_decision(company, actor, request, ActionKind.RETURN, on_behalf_of, reason)
    extra = {"step": request.current_step, "on_behalf_of": on_behalf_of.pk if on_behalf_of else None}
    return _finish(company, actor, request, RequestStatus.RETURNED, "send_back", **extra)


@transaction.atomic
def withdraw(
    *, company: Company, actor: User, membership: Membership, request: ApprovalRequest
) -> ApprovalRequest:
    """取り下げ: by the applicant, while the request waits (or after 差し戻し, instead of resubmitting)."""
    _check_membership(company, actor, membership)
    request = _locked(company, request)
    if request.applicant_id != actor.pk:
        raise PermissionDeniedError(_("取り下げできるのは申請者本人だけです。"))
    if request.status not in OPEN_STATUSES:
        raise AlreadyDecided(
            _("この申請は既に「%(status)s」のため取り下げできません。")
            % {"status": request.get_status_display()}
        )
    ApprovalAction.objects.create(
        company=company,
        request=request,
        round=request.round,
        step_order=request.current_step,
        actor=actor,
        action=ActionKind.WITHDRAW,
    )
    return _finish(company, actor, request, RequestStatus.WITHDRAWN, "withdraw")


@transaction.atomic
def withdraw_for_source(
    *, company: Company, actor: User, request: ApprovalRequest, reason: str
) -> ApprovalRequest:
    """取り下げ by the module that asked for the approval, when what was asked for was cancelled by
    someone other than the applicant (人事 cancelling an employee's leave request): the request
    leaves every approver's list, recorded with who did it and why. The calling module has checked
    its own permission to cancel; this only closes an open request."""
    request = _locked(company, request)
    if request.status not in OPEN_STATUSES:
        raise AlreadyDecided(
            _("この申請は既に「%(status)s」のため取り下げできません。")
            % {"status": request.get_status_display()}
        )
    ApprovalAction.objects.create(
        company=company,
        request=request,
        round=request.round,
        step_order=request.current_step,
        actor=actor,
        action=ActionKind.WITHDRAW,
        comment=reason,
    )
    return _finish(company, actor, request, RequestStatus.WITHDRAWN, "withdraw", reason=reason)
