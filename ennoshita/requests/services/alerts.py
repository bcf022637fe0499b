"""期限超過の通知: every morning, each open request past its SLA due date (``sla_due_on``, from the
type's turnaround in 営業日) or the requester's due date (``due_on``) is told to the team (the
assignee, or every active member when nobody has taken it) and to the requester — once per request
and due date: the ``RequestAlert`` row is inserted first, and its unique constraint makes a second
run (or a second worker) send nothing twice. A request whose due date moves is alerted again for the
new date."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_event, record_events
from ennoshita.core.models import Company
from ennoshita.requests.models import OPEN_STATUSES, RequestAlert, WorkRequest

from .base import team_users, tell

JOB_NAME = "requests.overdue_alerts"
CHUNK = 500


def overdue_dates(request: WorkRequest, today: date) -> list[date]:
    return sorted({d for d in (request.sla_due_on, request.due_on) if d is not None and d < today})


def send_overdue_alerts(*, company: Company, today: date) -> int:
    """Returns the number of alerts sent (one per request and due date)."""
    unsent_sla = ~Exists(RequestAlert.objects.filter(request=OuterRef("pk"), due_on=OuterRef("sla_due_on")))
    unsent_due = ~Exists(RequestAlert.objects.filter(request=OuterRef("pk"), due_on=OuterRef("due_on")))
    rows = (
        WorkRequest.objects.for_company(company)
        .filter(status__in=OPEN_STATUSES)
        .filter((Q(sla_due_on__lt=today) & unsent_sla) | (Q(due_on__lt=today) & unsent_due))
        .select_related("team", "requester", "assignee", "company")
        .order_by("pk")
    )
    members: dict[int, list] = {}
    sent = 0
    chunk: list[tuple[WorkRequest, date]] = []
    for request in rows.iterator(chunk_size=CHUNK):
        chunk += [(request, due) for due in overdue_dates(request, today)]
        if len(chunk) >= CHUNK:
            sent += _send_chunk(company, chunk, members)
            chunk = []
    if chunk:
        sent += _send_chunk(company, chunk, members)
    return sent


def _send_chunk(company: Company, chunk: list[tuple[WorkRequest, date]], members: dict[int, list]) -> int:
    """A chunk in one transaction (alerts in bulk, one append of their audit events). When another
    run inserted one of them meanwhile, the chunk rolls back and goes one by one."""
    try:
        with transaction.atomic():
            RequestAlert.objects.bulk_create(
                [RequestAlert(company=company, request=r, due_on=due) for r, due in chunk], batch_size=CHUNK
            )
            for request, due in chunk:
                _tell(request, due, members)
            record_events(
                company=company,
                actor=None,
                actor_label=JOB_NAME,
                events=[EventInput("request_overdue", r, extra={"due_on": due}) for r, due in chunk],
            )
    except IntegrityError:
        return sum(_alert(company, r, due, members) for r, due in chunk)
    return len(chunk)


def _tell(request: WorkRequest, due: date, members: dict[int, list]) -> None:
    if request.assignee is not None:
        team = [request.assignee]
    else:
        if request.team_id not in members:
            members[request.team_id] = team_users(request.team)
        team = members[request.team_id]
    tell([*team, request.requester], request, _("期限(%(d)s)を過ぎています。") % {"d": due.isoformat()})


def _alert(company: Company, request: WorkRequest, due: date, members: dict[int, list]) -> int:
    try:
        with transaction.atomic():
            RequestAlert.objects.create(company=company, request=request, due_on=due)
            _tell(request, due, members)
            record_event(
                company=company,
                actor=None,
                actor_label=JOB_NAME,
                action="request_overdue",
                instance=request,
                extra={"due_on": due},
            )
    except IntegrityError:
        return 0
    return 1
