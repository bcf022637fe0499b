"""Reads of リーガルチェック: the list (search, filters, CSV rows), one review with its rounds and
comments, the lead time (リードタイム), the summary, and the playbook.

Lead time is counted in 営業日 (business days: not Saturday, Sunday or a national holiday, by
``core.dates.is_business_day``): the business days after the day of the request up to and including
the day of the answer (asked and answered the same day = 0; asked on Friday, answered on Monday = 1).

Who sees which review is ``permissions_reviews.visible_q``. Another company's review, and one a
member may not see, are a 404 (``NotFound``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.dates import is_business_day
from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.documents.models import DocumentVersion
from ennoshita.legal import permissions_reviews as permissions
from ennoshita.legal.models import LegalReview, PlaybookClause, ReviewComment, ReviewRound, ReviewStatus

S = ReviewStatus
WAITING = (S.SUBMITTED, S.IN_REVIEW)
SUMMARY_DAYS = 90


def business_days_between(start: date, end: date, closed: frozenset[date] = frozenset()) -> int:
    """The business days after ``start`` up to and including ``end`` (0 when end ≤ start);
    ``closed``: the company's own closed days (会社の休業日), not counted either."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, extra_closed=closed):
            days += 1
    return days


def closed_days_for(reviews: Iterable[LegalReview]) -> frozenset[date]:
    """The 会社の休業日 that the lead times of ``reviews`` (one company's) may span: one query."""
    rows = list(reviews)
    if not rows:
        return frozenset()
    start = min(timezone.localdate(r.submitted_at) for r in rows)
    end = timezone.localdate() + timedelta(days=366)  # answers are in the past; a margin costs nothing
    return core_selectors.closed_days(company=rows[0].company_id, start=start, end=end)


def _local_day(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localdate(moment)


@dataclass(frozen=True)
class LeadTime:
    """営業日 from the request to the first answer and to 完了 (None while not yet)."""

    to_first_return: int | None
    to_close: int | None


def lead_time(
    review: LegalReview, first_returned_at: datetime | None = None, *, closed: frozenset[date] | None = None
) -> LeadTime:
    """``closed``: the company's closed days when the caller has them (a list reads them once);
    otherwise they are read for this review."""
    first = first_returned_at if first_returned_at is not None else getattr(review, "first_returned_at", None)
    start = _local_day(review.submitted_at)
    assert start is not None
    ret, done = _local_day(first), _local_day(review.closed_at)
    if closed is None:
        closed = closed_days_for([review]) if ret is not None or done is not None else frozenset()
    return LeadTime(
        None if ret is None else business_days_between(start, ret, closed),
        None if done is None else business_days_between(start, done, closed),
    )


def _visible(company: Company, membership: Membership) -> QuerySet[LegalReview]:
    return LegalReview.objects.for_company(company).filter(permissions.visible_q(membership))


def review_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    status: str = "",
    reviewer_id: int | None = None,
    department_id: int | None = None,
    overdue: bool | None = None,
    mine: bool = False,
) -> QuerySet[LegalReview]:
    """Reviews newest first, each with ``first_returned_at``; ``q`` matches the number, the title, the
    background or the contract's number (each word); ``overdue`` True = still with 法務 past the
    回答希望日, False = not so."""
    qs = (
        _visible(company, membership)
        .select_related("requester", "reviewer", "department", "contract")
        .annotate(first_returned_at=Min("rounds__returned_at"))
        .order_by("-pk")
    )
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(title__icontains=word)
            | Q(background__icontains=word)
            | Q(contract__number__icontains=word)
        )
    if status:
        qs = qs.filter(status=status)
    if reviewer_id:
        qs = qs.filter(reviewer_id=reviewer_id)
    if department_id:
        qs = qs.filter(department_id=department_id)
    late = Q(status__in=WAITING, desired_on__lt=timezone.localdate())
    if overdue is True:
        qs = qs.filter(late)
    elif overdue is False:
        qs = qs.exclude(late)
    if mine:
        qs = qs.filter(Q(requester_id=membership.user_id) | Q(reviewer_id=membership.user_id))
    return qs


def get_review(*, company: Company, membership: Membership, review_id: int) -> LegalReview:
    review = (
        _visible(company, membership)
        .select_related("requester", "reviewer", "department", "contract", "contract__owner", "document")
        .annotate(first_returned_at=Min("rounds__returned_at"))
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound()
    return review


def rounds(*, review: LegalReview) -> list[ReviewRound]:
    """The rounds, newest first, each with its version and its comments (oldest first)."""
    comments = ReviewComment.objects.select_related("author", "playbook").order_by("pk")
    return list(
        ReviewRound.objects.filter(review=review)
        .select_related("version", "submitted_by", "returned_by")
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by("-number")
    )


def get_review_version(
    *, company: Company, membership: Membership, review_id: int, version_id: int
) -> tuple[LegalReview, DocumentVersion]:
    """A round's file of a review the member sees (a version that some round of it names)."""
    review = get_review(company=company, membership=membership, review_id=review_id)
    found = ReviewRound.objects.filter(review=review, version_id=version_id).select_related("version").first()
    if found is None or found.version is None:
        raise NotFound()
    return review, found.version


def history(*, company: Company, review: LegalReview) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(company=company, object_type="legal.legalreview", object_id=str(review.pk))
        .select_related("actor")
        .order_by("-seq")
    )


def contract_reviews(*, company: Company, membership: Membership, contract_id: int) -> QuerySet[LegalReview]:
    """The reviews of one contract that the member sees (for the contract page)."""
    return (
        _visible(company, membership)
        .filter(contract_id=contract_id)
        .select_related("requester", "reviewer")
        .order_by("-pk")
    )


# ------------------------------------------------------------------------------ summary
@dataclass(frozen=True)
class Summary:
    open_count: int
    overdue_count: int
    average_lead_days: Decimal | None  # to the first answer, over answers of the last 90 days
    answered: int


def summary(*, company: Company, membership: Membership) -> Summary:
    today = timezone.localdate()
    qs = _visible(company, membership)
    counts = qs.filter(status__in=WAITING)
    open_count = counts.count()
    overdue_count = counts.filter(desired_on__lt=today).count()
    since = timezone.now() - timedelta(days=SUMMARY_DAYS)
    rows = (
        qs.annotate(first_returned_at=Min("rounds__returned_at"))
        .filter(first_returned_at__gte=since)
        .values_list("submitted_at", "first_returned_at")
    )
    pairs = [(timezone.localdate(sub), timezone.localdate(ret)) for sub, ret in rows]
    closed = (
        core_selectors.closed_days(
            company=company, start=min(p[0] for p in pairs), end=today + timedelta(days=366)
        )
        if pairs
        else frozenset()
    )
    days = [business_days_between(sub, ret, closed) for sub, ret in pairs]
    average = (
        (Decimal(sum(days)) / Decimal(len(days))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if days
        else None
    )
    return Summary(open_count, overdue_count, average, len(days))


# ------------------------------------------------------------------------------ export
def export_rows(reviews: Iterable[LegalReview]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            "依頼番号",
            "件名",
            "契約番号",
            "依頼部署",
            "依頼者",
            "担当者",
            "状態",
            "判定",
            "回数",
            "依頼日",
            "回答希望日",
            "初回回答日",
            "完了日",
            "初回回答まで(営業日)",
            "完了まで(営業日)",
        ]
    ]
    reviews = list(reviews)
    closed = closed_days_for(reviews)
    for r in reviews:
        lt = lead_time(r, closed=closed)
        rows.append(
            [
                r.number,
                r.title,
                r.contract.number if r.contract else "",
                r.department.name if r.department else "",
                r.requester.display_name(),
                r.reviewer.display_name() if r.reviewer else "",
                r.get_status_display(),
                r.get_verdict_display() if r.verdict else "",
                r.round,
                _local_day(r.submitted_at),
                r.desired_on,
                _local_day(getattr(r, "first_returned_at", None)),
                _local_day(r.closed_at),
                "" if lt.to_first_return is None else lt.to_first_return,
                "" if lt.to_close is None else lt.to_close,
            ]
        )
    return rows


# ------------------------------------------------------------------------------ playbook
def playbook(*, company: Company, active_only: bool = False, q: str = "") -> QuerySet[PlaybookClause]:
    qs = PlaybookClause.objects.for_company(company).order_by("category", "title")
    if active_only:
        qs = qs.filter(is_active=True)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(category__icontains=word) | Q(guidance__icontains=word))
    return qs


def get_playbook_clause(*, company: Company, clause_id: int) -> PlaybookClause:
    clause = PlaybookClause.objects.for_company(company).filter(pk=clause_id).first()
    if clause is None:
        raise NotFound()
    return clause
