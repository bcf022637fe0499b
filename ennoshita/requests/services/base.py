"""What every write of 業務依頼 shares: errors, the row lock, the status table, the request's own
history (``RequestEvent``), the 依頼番号 and the SLA's due date in 営業日."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.dates import is_business_day
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, User
from ennoshita.core.notifications import notify
from ennoshita.core.numbering import format_number, next_number
from ennoshita.requests.models import (
    EventKind,
    RequestEvent,
    RequestStatus,
    Team,
    TeamMember,
    WorkRequest,
)

S = RequestStatus
NOTIFY_KIND = "requests.request"
NUMBER_TYPE = "work_request"  # core.numbering: WR-<暦年>-00001
NUMBER_PREFIX = "WR"

# Every move a person may make; a move not here is refused. Hand-over to another team sends the
# request back to OPEN (unassigned) from any open status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.IN_PROGRESS, S.WAITING, S.DONE, S.CANCELLED),
    S.IN_PROGRESS: (S.WAITING, S.DONE, S.CANCELLED, S.OPEN),
    S.WAITING: (S.IN_PROGRESS, S.DONE, S.CANCELLED, S.OPEN),
    S.DONE: (),
    S.CANCELLED: (),
}

REQUEST_FIELDS = ("status", "assignee", "team", "request_type", "due_on", "sla_due_on", "resolution")


def fail(field: str, message: str) -> ServiceError:
    return ServiceError(message, code="validation", field_errors={field: [message]})


def check_move(request: WorkRequest, to: str) -> None:
    if to not in TRANSITIONS.get(request.status, ()):
        raise ServiceError(
            _("「%(s)s」の依頼は「%(t)s」にできません。") % {"s": S(request.status).label, "t": S(to).label},
            code="invalid_status",
        )


def locked(company: Company, request: WorkRequest | int) -> WorkRequest:
    pk = request if isinstance(request, int) else request.pk
    row = (
        WorkRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("team", "requester", "assignee", "request_type")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def add_event(request: WorkRequest, kind: str, actor: User | None, body: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        company_id=request.company_id, request=request, kind=kind, actor=actor, body=body[:5000]
    )


def add_business_days(start: date, days: int, *, closed: frozenset[date] = frozenset()) -> date:
    """``days`` 営業日 after ``start`` (土日・国民の祝日 and the company's ``closed`` days are not
    business days; 0 = the same day, or the next business day when ``start`` is not one)."""
    day = start
    while not is_business_day(day, extra_closed=closed):
        day += timedelta(days=1)
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_business_day(day, extra_closed=closed):
            left -= 1
    return day


def sla_due(company: Company, start: date, days: int) -> date:
    """The SLA day of a request made on ``start`` with a turnaround of ``days`` 営業日, skipping the
    company's 会社の休業日 (年末年始 …) as well."""
    window = start + timedelta(days=days * 2 + 62)  # room for weekends, holidays and closed weeks
    return add_business_days(
        start, days, closed=core_selectors.closed_days(company=company, start=start, end=window)
    )


def new_number(company: Company, day: date) -> str:
    """WR-YYYY-NNNNN, numbered per calendar year (requests are not 帳簿: a plain yearly series)."""
    return format_number(
        NUMBER_PREFIX,
        day.year,
        next_number(company=company, doc_type=NUMBER_TYPE, fiscal_year=day.year),
        width=5,
    )


def team_users(team: Team) -> list[User]:
    rows = (
        TeamMember.objects.filter(company_id=team.company_id, team=team, is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return [r.user for r in rows]


def request_url(request: WorkRequest) -> str:
    return reverse("requests:detail", args=[request.pk])


def tell(users: list[User], request: WorkRequest, text: str, *, skip: User | None = None) -> int:
    sent = 0
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or (skip is not None and user.pk == skip.pk):
            continue
        seen.add(user.pk)
        notify(
            company=request.company,
            user=user,
            kind=NOTIFY_KIND,
            text=f"{request.number} {request.title}: {text}",
            url=request_url(request),
            object_type="requests.workrequest",
            object_id=request.pk,
        )
        sent += 1
    return sent


__all__ = [
    "NOTIFY_KIND",
    "REQUEST_FIELDS",
    "TRANSITIONS",
    "EventKind",
    "S",
    "add_business_days",
    "add_event",
    "check_move",
    "fail",
    "locked",
    "new_number",
    "request_url",
    "sla_due",
    "team_users",
    "tell",
]
