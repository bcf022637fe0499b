"""Reads of 商談: the searchable list (screen and CSV), the board by stage with each column's count
and total, the won/lost totals of the last 90 days, one opportunity with its quotes and history,
and who may own an opportunity.

Every read is scoped by ``Opportunity.objects.for_company(company)`` (another company's id is a
NotFound) and needs a role of ``permissions.READ_ROLES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, to_katakana
from ennoshita.sales.models import Customer, Opportunity, Quote
from ennoshita.sales.permissions import READ_ROLES
from ennoshita.sales.services.opportunities import CLOSED_STAGES, OPEN_STAGES, owner_memberships

Stage = Opportunity.Stage
CLOSED_WINDOW_DAYS = 90
CARDS_PER_COLUMN = 100  # a column shows its first cards; its count and total cover all of them
STAGE_FILTERS = ("open", "closed", *Stage.values)


def _opportunities(company: Company, membership: Membership | None) -> QuerySet[Opportunity]:
    require_role(membership, *READ_ROLES)
    return Opportunity.objects.for_company(company)


def _by_date() -> tuple[Any, ...]:
    return (F("expected_date").asc(nulls_last=True), "pk")


def _user_id(user: User | int | None) -> int | None:
    return user.pk if isinstance(user, User) else user


def _word_filter(word: str) -> Q:
    condition = (
        Q(title__icontains=word)
        | Q(customer__name__icontains=word)
        | Q(customer__code__icontains=word)
        | Q(customer__name_key__icontains=word)
    )
    kana = to_katakana(word)
    if kana:
        condition |= Q(customer__name_kana__contains=kana)
    return condition


def opportunity_list(
    *,
    company: Company,
    membership: Membership | None,
    q: str = "",
    stage: str = "",
    owner: User | int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Opportunity]:
    """The company's opportunities, filtered: ``q`` (every word matches the title or the
    customer's code / name / フリガナ), ``stage`` (a stage, "open" or "closed"; blank: all),
    ``owner`` (a user or their id), ``date_from`` / ``date_to`` (受注予定日, inclusive). Sorted by
    受注予定日 (those without one last)."""
    qs = _opportunities(company, membership).select_related("customer", "owner")
    for word in nfkc(q).split():
        qs = qs.filter(_word_filter(word))
    if stage == "open":
        qs = qs.filter(stage__in=OPEN_STAGES)
    elif stage == "closed":
        qs = qs.filter(stage__in=CLOSED_STAGES)
    elif stage in Stage.values:
        qs = qs.filter(stage=stage)
    owner_id = _user_id(owner)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if date_from:
        qs = qs.filter(expected_date__gte=date_from)
    if date_to:
        qs = qs.filter(expected_date__lte=date_to)
    return qs.order_by(*_by_date())


def get_opportunity(*, company: Company, membership: Membership | None, opportunity_id: int) -> Opportunity:
    found = (
        _opportunities(company, membership)
        .select_related("customer", "owner")
        .filter(pk=opportunity_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def opportunity_quotes(*, company: Company, opportunity: Opportunity) -> list[Quote]:
    """The quotes made for the opportunity (every revision), the newest first."""
    return list(
        Quote.objects.for_company(company)
        .filter(opportunity=opportunity)
        .select_related("customer")
        .order_by("-date", "-pk")
    )


def opportunity_history(*, company: Company, opportunity: Opportunity) -> list[AuditEvent]:
    """The opportunity's audit events, newest first (for core/components/history.html)."""
    return list(
        core_selectors.audit_events_for_object(
            company=company, object_type="sales.opportunity", object_id=str(opportunity.pk)
        )
    )


def owner_choices(*, company: Company, include: User | int | None = None) -> list[User]:
    """Who may own an opportunity (``services.opportunities.owner_memberships``: active members of
    any role but the outside assistant team), by name; ``include`` (a current owner who left) is
    added so that an edit keeps it."""
    users = [m.user for m in owner_memberships(company)]
    include_id = _user_id(include)
    if include_id and include_id not in {u.pk for u in users}:
        users += list(User.objects.filter(pk=include_id))
    return sorted(users, key=lambda u: (u.last_name, u.first_name, u.username))


def customer_choices(*, company: Company, include: Customer | int | None = None) -> list[Customer]:
    """Active customers (and the current one of an opportunity being edited)."""
    include_id = include.pk if isinstance(include, Customer) else include
    return list(
        Customer.objects.for_company(company)
        .filter(Q(is_active=True) | Q(pk=include_id or 0))
        .order_by("code")
    )


# ------------------------------------------------------------------------------------- board
@dataclass(frozen=True)
class BoardColumn:
    stage: str
    label: str
    cards: list[Opportunity]
    count: int
    total: Decimal

    @property
    def more(self) -> int:
        """Cards of the column not shown (see the list for them)."""
        return self.count - len(self.cards)


@dataclass(frozen=True)
class ClosedTotal:
    stage: str
    label: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class Board:
    columns: list[BoardColumn]
    won: ClosedTotal
    lost: ClosedTotal
    since: date
    today: date


def _closed_since(since: date) -> Q:
    """Won or lost within the window: by the day it was closed (``closed_on``, set by the services
    when a deal is won or lost, also by accepting its quote), not by its last change, so that
    editing an old closed deal's notes does not bring it back into the window."""
    return Q(closed_on__gte=since)


def board(
    *,
    company: Company,
    membership: Membership | None,
    owner: User | int | None = None,
    today: date | None = None,
) -> Board:
    """The open opportunities in one column per stage (見込み・提案・交渉), each column's count and
    sum of 見込金額, and the won and lost of the last 90 days. ``owner`` narrows it to one person's
    opportunities (「自分の商談」). A fixed number of queries however many rows there are."""
    today = today or timezone.localdate()
    since = today - timedelta(days=CLOSED_WINDOW_DAYS)
    qs = _opportunities(company, membership)
    owner_id = _user_id(owner)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    totals: dict[str, tuple[int, Decimal]] = {}
    open_rows = (
        qs.filter(stage__in=OPEN_STAGES).values("stage").annotate(n=Count("pk"), total=Sum("expected_amount"))
    )
    closed_rows = (
        qs.filter(stage__in=CLOSED_STAGES)
        .filter(_closed_since(since))
        .values("stage")
        .annotate(n=Count("pk"), total=Sum("expected_amount"))
    )
    for row in [*open_rows, *closed_rows]:
        totals[row["stage"]] = (row["n"], row["total"] or Decimal(0))
    columns = []
    for stage in OPEN_STAGES:
        count, total = totals.get(stage, (0, Decimal(0)))
        cards = (
            list(
                qs.filter(stage=stage)
                .select_related("customer", "owner")
                .order_by(*_by_date())[:CARDS_PER_COLUMN]
            )
            if count
            else []
        )
        columns.append(BoardColumn(stage, str(Stage(stage).label), cards, count, total))

    def closed(stage: str) -> ClosedTotal:
        count, total = totals.get(stage, (0, Decimal(0)))
        return ClosedTotal(stage, str(Stage(stage).label), count, total)

    return Board(columns, closed(Stage.WON), closed(Stage.LOST), since, today)
