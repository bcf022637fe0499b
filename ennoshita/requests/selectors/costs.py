"""The cost report: hours and cost per request and per month per team, and for an outside team what
the same hours would have cost in-house (hours × the team's 社内で行う場合の時間単価) against what they
cost (the sum of the entries' stored cost): the saving. 管理者・経理 only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.money import Rounding, round_yen
from ennoshita.requests import permissions
from ennoshita.requests.models import TeamKind, TimeEntry


@dataclass(frozen=True)
class MonthRow:
    team_id: int
    team_name: str
    outside: bool
    month: date
    minutes: int
    cost: Decimal
    requests: int
    inhouse_cost: Decimal | None  # outside teams with an in-house rate only
    saving: Decimal | None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class RequestRow:
    request_id: int
    number: str
    title: str
    team_name: str
    minutes: int
    cost: Decimal

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(Decimal("0.01"))


def _check(membership: Membership) -> None:
    if not permissions.reads_costs(membership):
        raise PermissionDeniedError()


def _entries(company: Company, start: date, end: date, team_id: int | None) -> Any:
    qs = TimeEntry.objects.for_company(company).filter(worked_on__gte=start, worked_on__lte=end)
    if team_id:
        qs = qs.filter(request__team_id=team_id)
    return qs


def by_month(
    *, company: Company, membership: Membership, start: date, end: date, team_id: int | None = None
) -> list[MonthRow]:
    """One row per team and month (one query). The in-house figure is hours × 社内単価, rounded
    四捨五入 to the yen once per row."""
    _check(membership)
    rows = (
        _entries(company, start, end, team_id)
        .annotate(month=TruncMonth("worked_on"))
        .values(
            "month",
            "request__team_id",
            "request__team__name",
            "request__team__kind",
            "request__team__inhouse_hourly_cost",
        )
        .annotate(minutes=Sum("minutes"), cost=Sum("cost"), requests=Count("request_id", distinct=True))
        .order_by("month", "request__team__name")
    )
    out = []
    for r in rows:
        outside = r["request__team__kind"] == TeamKind.OUTSIDE
        rate = r["request__team__inhouse_hourly_cost"] or Decimal(0)
        inhouse = saving = None
        if outside and rate:
            inhouse = round_yen(Decimal(r["minutes"]) * rate / Decimal(60), Rounding.HALF_UP)
            saving = inhouse - r["cost"]
        month = r["month"]
        out.append(
            MonthRow(
                team_id=r["request__team_id"],
                team_name=r["request__team__name"],
                outside=outside,
                month=month.date() if hasattr(month, "date") else month,
                minutes=r["minutes"],
                cost=r["cost"],
                requests=r["requests"],
                inhouse_cost=inhouse,
                saving=saving,
            )
        )
    return out


def by_request(
    *,
    company: Company,
    membership: Membership,
    start: date,
    end: date,
    team_id: int | None = None,
    limit: int = 200,
) -> list[RequestRow]:
    """The requests with the most time in the period (one query)."""
    _check(membership)
    rows = (
        _entries(company, start, end, team_id)
        .values("request_id", "request__number", "request__title", "request__team__name")
        .annotate(minutes=Sum("minutes"), cost=Sum("cost"))
        .order_by("-minutes", "request_id")[:limit]
    )
    return [
        RequestRow(
            request_id=r["request_id"],
            number=r["request__number"],
            title=r["request__title"],
            team_name=r["request__team__name"],
            minutes=r["minutes"],
            cost=r["cost"],
        )
        for r in rows
    ]
