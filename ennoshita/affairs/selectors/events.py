"""Reads of 社内行事: the list (upcoming / past, search) with seats taken and the reader's own
sign-up, one event, its attendees, and the cost summary (予算と実費、一人あたり)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ennoshita.affairs.models import Event, EventSignup, EventStatus
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role
from ennoshita.core.money import Rounding, round_yen
from ennoshita.core.text import nfkc

MANAGER_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR)


def is_manager(membership: Membership) -> bool:
    return membership.has_any_role(*MANAGER_ROLES)


def _require_reader(membership: Membership) -> None:
    if membership.has_any_role(Role.ASSISTANT):  # the outside team is not invited to company events
        raise PermissionDeniedError()


def _open_signups() -> Q:
    return Q(signups__cancelled_at__isnull=True)


def with_seats(qs: QuerySet[Event], user_id: int) -> QuerySet[Event]:
    """Annotate ``taken`` (signed-up people + their guests) and ``is_signed_up`` (for user_id)."""
    taken = (
        EventSignup.objects.filter(event=OuterRef("pk"), cancelled_at__isnull=True)
        .order_by()
        .values("event")
        .annotate(n=Sum(F("guests") + 1))
        .values("n")[:1]
    )
    mine = EventSignup.objects.filter(event=OuterRef("pk"), user_id=user_id, cancelled_at__isnull=True)
    return qs.annotate(taken=Coalesce(taken, Value(0)), is_signed_up=Exists(mine))


def event_list(
    *,
    company: Company,
    membership: Membership,
    when: str = "",
    q: str = "",
    status: str = "",
    mine: bool = False,
) -> QuerySet[Event]:
    """Events: ``when`` "upcoming" (not yet ended, soonest first) or "past" (newest first)."""
    _require_reader(membership)
    now = timezone.now()
    qs: QuerySet[Event] = Event.objects.for_company(company).select_related("organizer")
    if when == "upcoming":
        qs = qs.filter(ends_at__gt=now).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if status in EventStatus.values:
        qs = qs.filter(status=status)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(place__icontains=word) | Q(description__icontains=word))
    qs = with_seats(qs, membership.user_id)
    if mine:
        qs = qs.filter(Q(is_signed_up=True))
    return qs


def get_event(*, company: Company, membership: Membership, event_id: int) -> Event:
    _require_reader(membership)
    found = with_seats(Event.objects.for_company(company).select_related("organizer"), membership.user_id)
    event = found.filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def remaining(event: Event) -> int | None:
    """Seats left (None: no capacity). ``event`` comes from ``with_seats``."""
    if event.capacity is None:
        return None
    return max(event.capacity - int(getattr(event, "taken", 0) or 0), 0)


def attendees(
    *, company: Company, membership: Membership, event: Event, q: str = ""
) -> QuerySet[EventSignup]:
    """The open sign-ups of an event, in sign-up order (everyone invited sees who comes)."""
    _require_reader(membership)
    qs = (
        EventSignup.objects.for_company(company)
        .filter(event=event, cancelled_at__isnull=True)
        .select_related("user")
        .order_by("signed_up_at", "pk")
    )
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(user__last_name__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__username__icontains=word)
        )
    return qs


def cancelled_signups(*, company: Company, membership: Membership, event: Event) -> QuerySet[EventSignup]:
    if not is_manager(membership):
        raise PermissionDeniedError()
    return (
        EventSignup.objects.for_company(company)
        .filter(event=event, cancelled_at__isnull=False)
        .select_related("user")
        .order_by("-cancelled_at")
    )


def own_signup(*, company: Company, membership: Membership, event: Event) -> EventSignup | None:
    return (
        EventSignup.objects.for_company(company)
        .filter(event=event, user_id=membership.user_id, cancelled_at__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class CostSummary:
    budget: Decimal | None
    cost: Decimal | None
    variance: Decimal | None  # 予算 − 実費 (negative: over budget)
    people: int  # signed-up people and their guests
    cost_per_person: Decimal | None  # 実費 ÷ 人数, 円未満四捨五入
    fee_per_person: Decimal | None
    fees: Decimal | None  # 参加費の合計 (fee × people)
    company_cost: Decimal | None  # 実費 − 参加費の合計 (what the company bears)


def cost_summary(*, company: Company, event: Event) -> CostSummary:
    total = (
        EventSignup.objects.for_company(company)
        .filter(event=event, cancelled_at__isnull=True)
        .aggregate(n=Sum(F("guests") + 1))["n"]
        or 0
    )
    cost, budget, fee = event.cost, event.budget, event.fee_per_person
    per_person = round_yen(cost / total, Rounding.HALF_UP) if cost is not None and total else None
    fees = fee * total if fee is not None else None
    return CostSummary(
        budget=budget,
        cost=cost,
        variance=budget - cost if budget is not None and cost is not None else None,
        people=total,
        cost_per_person=per_person,
        fee_per_person=fee,
        fees=fees,
        company_cost=cost - (fees or 0) if cost is not None else None,
    )
