"""Reads of core data."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from .errors import NotFound
from .models import (
    ApiToken,
    AuditEvent,
    Company,
    CompanyClosedDay,
    Job,
    Membership,
    Role,
    ScheduledRun,
    User,
)
from .text import nfkc

MEMBER_SEARCH_LIMIT = 20  # suggestions of the 担当者・宛先 picker


def active_memberships(*, user: User, today: date | None = None) -> list[Membership]:
    today = today or timezone.localdate()
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("company")
        .order_by("company__name", "company_id")
    )


def lapsed_memberships(*, user: User, today: date | None = None) -> list[Membership]:
    """Memberships that no longer count: switched off, or past their expiry date."""
    today = today or timezone.localdate()
    return list(
        Membership.objects.filter(user=user)
        .filter(Q(is_active=False) | Q(expires_on__lt=today))
        .order_by("pk")
    )


def membership_for(*, user: User, company: Company) -> Membership | None:
    return next((m for m in active_memberships(user=user) if m.company_id == company.pk), None)


def memberships_of_company(*, company: Company) -> QuerySet[Membership]:
    return Membership.objects.for_company(company).select_related("user").order_by("user__username")


def audit_events_for_object(*, company: Company, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(company=company, object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("-seq")
    )


def audit_events_between(
    *,
    company: Company,
    start: datetime | None = None,
    end: datetime | None = None,
    q: str = "",
    action: str = "",
) -> QuerySet[AuditEvent]:
    """Events of one company in a time range; ``q`` matches the object's label or the actor, so a
    deleted record's history can still be found by its name or number."""
    qs = AuditEvent.objects.filter(company=company).order_by("seq")
    for word in q.split():
        qs = qs.filter(Q(object_repr__icontains=word) | Q(actor_label__icontains=word))
    if action:
        qs = qs.filter(action=action)
    if start is not None:
        qs = qs.filter(occurred_at__gte=start)
    if end is not None:
        qs = qs.filter(occurred_at__lt=end)
    return qs


def api_tokens_of(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership).order_by("-created_at")


def get_job(*, company: Company, membership: Membership, job_id: int) -> Job:
    """A job of this company that the member may watch: their own, or any for an admin."""
    job = Job.objects.for_company(company).select_related("created_by").filter(pk=job_id).first()
    if job is None or (job.created_by_id != membership.user_id and not membership.has_any_role(Role.ADMIN)):
        raise NotFound()
    from .jobs import live_progress

    return live_progress(job)


def recent_jobs(*, company: Company, kind: str, limit: int = 5) -> list[Job]:
    return list(
        Job.objects.for_company(company)
        .filter(kind=kind)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    )


def recent_scheduled_runs(*, name: str, limit: int = 5) -> list[ScheduledRun]:
    return list(ScheduledRun.objects.filter(name=name).order_by("-created_at")[:limit])


def active_members(*, company: Company) -> QuerySet[User]:
    """Users with an active, unexpired membership of the company, in name order."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.for_company(company)
        .filter(is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(memberships.filter(user=OuterRef("pk"))))
        .order_by("last_name", "first_name", "username")
    )


def search_members(*, company: Company, q: str, limit: int = MEMBER_SEARCH_LIMIT) -> list[User]:
    """Members whose name (with or without the space between family and given name), login name
    or e-mail contains ``q`` (全角/半角 folded)."""
    text = nfkc(q).strip()
    if not text:
        return []
    # 「山田(yamada)」, a suggestion label typed back, searches by the login name inside
    inner = re.fullmatch(r".*\((.+)\)", text)
    if inner:
        return list(active_members(company=company).filter(username=inner.group(1))[:limit])
    compact = re.sub(r"\s+", "", text)
    return list(
        active_members(company=company)
        .annotate(_full=Concat("last_name", Value(""), "first_name"))
        .filter(
            Q(_full__icontains=compact)
            | Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(first_name__icontains=text)
        )[:limit]
    )


def closed_days(*, company: Company | int, start: date, end: date) -> frozenset[date]:
    """会社の休業日 from ``start`` to ``end`` inclusive (for ``core.dates.is_business_day``'s
    ``extra_closed``)."""
    company_id = company if isinstance(company, int) else company.pk
    rows = CompanyClosedDay.objects.filter(company_id=company_id, day__gte=start, day__lte=end)
    return frozenset(rows.values_list("day", flat=True))


def closed_day_list(*, company: Company, year: int) -> QuerySet[CompanyClosedDay]:
    return CompanyClosedDay.objects.for_company(company).filter(day__year=year).order_by("day")
