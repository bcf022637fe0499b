"""Reads of approvals: a record's request, an approver's inbox, who may decide, history, routes and
delegations. Every read is scoped by the company; another company's id is NotFound."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User

from .models import (
    ActionKind,
    ApprovalAction,
    ApprovalAssignment,
    ApprovalRequest,
    ApprovalRoute,
    Delegation,
    RequestStatus,
    step_label,
)
from .permissions import sees_all


def request_for(*, company: Company, request_type: str, object_id: str | int) -> ApprovalRequest | None:
    """The latest request for an owning record (None if it was never submitted)."""
    return (
        ApprovalRequest.objects.for_company(company)
        .filter(request_type=request_type, object_id=str(object_id))
        .select_related("applicant", "department", "route")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _delegating_approvers(company: Company, user: User, as_of: date) -> Any:
    """Approvers who named ``user`` their substitute for a range covering ``as_of`` (ids)."""
    return (
        Delegation.objects.for_company(company)
        .filter(substitute=user, start__lte=as_of, end__gte=as_of, ended_at__isnull=True)
        .values("approver_id")
    )


def inbox(
    *, company: Company, user: User, as_of: date | None = None, q: str = "", request_type: str = ""
) -> QuerySet[ApprovalRequest]:
    """承認待ち: pending requests with an open assignment of the user, or of an approver who
    delegated to the user on ``as_of``; never the user's own. Oldest waiting first."""
    as_of = as_of or timezone.localdate()
    open_for = (
        ApprovalAssignment.objects.for_company(company)
        .filter(is_open=True)
        .filter(Q(user=user) | Q(user__in=_delegating_approvers(company, user, as_of)))
        .values("request_id")
    )
    qs = (
        ApprovalRequest.objects.for_company(company)
        .filter(status=RequestStatus.PENDING, pk__in=open_for)
        .exclude(applicant=user)
        .select_related("applicant", "department")
        .order_by("step_started_at", "pk")
    )
    return _search(qs, q, request_type)


def _search(qs: QuerySet[ApprovalRequest], q: str, request_type: str) -> QuerySet[ApprovalRequest]:
    for word in (q or "").split()[:10]:
        qs = qs.filter(
            Q(object_repr__icontains=word)
            | Q(applicant__last_name__icontains=word)
            | Q(applicant__first_name__icontains=word)
            | Q(applicant__username__icontains=word)
        )
    if request_type:
        qs = qs.filter(request_type=request_type)
    return qs


def my_requests(
    *, company: Company, user: User, status: str = "", q: str = "", request_type: str = ""
) -> QuerySet[ApprovalRequest]:
    """私の申請: the user's requests, newest first."""
    qs = (
        ApprovalRequest.objects.for_company(company)
        .filter(applicant=user)
        .select_related("applicant", "department")
        .order_by("-submitted_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, request_type)


def earlier_deciders(request: ApprovalRequest) -> set[int]:
    """Who approved an earlier step of this submission, themselves or through a substitute (they
    may not decide again unless the route allows the same approver)."""
    if request.route.allow_same_approver:
        return set()
    rows = ApprovalAction.objects.filter(request=request, round=request.round, action=ActionKind.APPROVE)
    return {pk for pair in rows.values_list("actor_id", "on_behalf_of_id") for pk in pair if pk is not None}


def open_approver_ids(request: ApprovalRequest) -> set[int]:
    return set(
        ApprovalAssignment.objects.filter(
            request=request, is_open=True, round=request.round, step_order=request.current_step
        ).values_list("user_id", flat=True)
    )


def can_decide(
    *, company: Company, user: User, request: ApprovalRequest, as_of: date | None = None
) -> tuple[bool, User | None]:
    """Whether the user may decide the request's current step now, and on whose behalf (None: as
    an approver themself; an approver: as that approver's substitute)."""
    if request.company_id != company.pk or request.status != RequestStatus.PENDING:
        return False, None
    if request.applicant_id == user.pk or user.pk in earlier_deciders(request):
        return False, None
    approvers = open_approver_ids(request)
    if user.pk in approvers:
        return True, None
    as_of = as_of or timezone.localdate()
    delegation = (
        Delegation.objects.for_company(company)
        .filter(
            substitute=user,
            approver_id__in=approvers,
            start__lte=as_of,
            end__gte=as_of,
            ended_at__isnull=True,
        )
        .select_related("approver")
        .order_by("approver_id")
        .first()
    )
    if delegation is None:
        return False, None
    return True, delegation.approver


def history(*, company: Company, request: ApprovalRequest) -> list[ApprovalAction]:
    """Every act on the request, oldest first, with who and on whose behalf."""
    return list(
        ApprovalAction.objects.for_company(company)
        .filter(request=request)
        .select_related("actor", "on_behalf_of")
        .order_by("at", "pk")
    )


def can_view(*, company: Company, membership: Membership, request: ApprovalRequest) -> bool:
    """The applicant, anyone assigned to it (now or before) or who acted on it, a substitute who
    may decide it now, and admin / 経理."""
    if request.company_id != company.pk:
        return False
    user_id = membership.user_id
    if request.applicant_id == user_id or sees_all(membership):
        return True
    if ApprovalAssignment.objects.filter(request=request, user_id=user_id).exists():
        return True
    if ApprovalAction.objects.filter(request=request, actor_id=user_id).exists():
        return True
    return can_decide(company=company, user=membership.user, request=request)[0]


def get_request(*, company: Company, membership: Membership, request_id: int) -> ApprovalRequest:
    request = (
        ApprovalRequest.objects.for_company(company)
        .select_related("applicant", "department", "route")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not can_view(company=company, membership=membership, request=request):
        raise NotFound()
    return request


@dataclass
class StepRow:
    """One step of a request as the panel shows it."""

    order: int
    label: str
    state: str  # done, current, waiting, stopped
    approvers: list[User] = field(default_factory=list)
    actions: list[ApprovalAction] = field(default_factory=list)


def step_rows(*, company: Company, request: ApprovalRequest, actions: list[ApprovalAction]) -> list[StepRow]:
    """The request's steps (of its latest submission) with who may decide the current one and the
    decisions taken at each."""
    open_users = {
        a.user_id: a.user
        for a in ApprovalAssignment.objects.for_company(company)
        .filter(request=request, is_open=True)
        .select_related("user")
    }
    rows = []
    for step in request.steps:
        order = step["order"]
        done = [
            a for a in actions if a.round == request.round and a.step_order == order and a.action != "submit"
        ]
        if request.status == RequestStatus.PENDING and order == request.current_step:
            state = "current"
        elif done:
            state = "done"
        elif request.status == RequestStatus.PENDING and order > request.current_step:
            state = "waiting"
        else:
            state = "stopped" if request.status != RequestStatus.APPROVED else "done"
        approvers = list(open_users.values()) if state == "current" else []
        rows.append(StepRow(order, step_label(step), state, approvers, done))
    return rows


# ---------------------------------------------------------------------------- routes
def routes(*, company: Company, request_type: str = "") -> QuerySet[ApprovalRoute]:
    qs = (
        ApprovalRoute.objects.for_company(company)
        .select_related("department")
        .prefetch_related("steps")
        .order_by("request_type", "priority", "pk")
    )
    return qs.filter(request_type=request_type) if request_type else qs


def get_route(*, company: Company, route_id: int) -> ApprovalRoute:
    route = (
        ApprovalRoute.objects.for_company(company).select_related("department").filter(pk=route_id).first()
    )
    if route is None:
        raise NotFound()
    return route


def route_steps(*, company: Company, route: ApprovalRoute) -> list[Any]:
    return list(route.steps.filter(company=company).order_by("order").prefetch_related("step_users__user"))


# ---------------------------------------------------------------------------- delegations
def delegations(*, company: Company, membership: Membership, show_all: bool = False) -> QuerySet[Delegation]:
    """The member's delegations (as approver or as substitute); admin / 経理 may see all."""
    qs = (
        Delegation.objects.for_company(company)
        .select_related("approver", "substitute")
        .order_by("-start", "-pk")
    )
    if show_all and sees_all(membership):
        return qs
    return qs.filter(Q(approver_id=membership.user_id) | Q(substitute_id=membership.user_id))


def get_delegation(*, company: Company, membership: Membership, delegation_id: int) -> Delegation:
    found = (
        delegations(company=company, membership=membership, show_all=True).filter(pk=delegation_id).first()
    )
    if found is None:
        raise NotFound()
    return found


def waiting_count(*, company: Company, user: User) -> int:
    return inbox(company=company, user=user).count()
