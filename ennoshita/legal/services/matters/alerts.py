"""法律相談・紛争's daily alerts: 7 days and 1 day before each open deadline (not done, matter not
ended), to the handler and every 法務 member, once each.

Idempotent: each alert (deadline, days before) is a ``MatterAlert`` row inserted before anyone is
told — the unique constraint makes a second run (or a second worker) send nothing twice. A job that
missed the 7-day alert sends the nearest one due (the 1-day alert), not both."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.models import Company, User
from ennoshita.legal.models import MatterAlert, MatterDeadline

from .base import ENDING, legal_members, tell

JOB_NAME = "legal.matter_alerts"
LEAD_DAYS = (7, 1)


def lead_for(days_left: int) -> int | None:
    """The alert due now for a deadline ``days_left`` away (None: none yet, or already past)."""
    due = [lead for lead in LEAD_DAYS if days_left <= lead]
    return min(due) if due and days_left >= 0 else None


def _insert(company: Company, deadline: MatterDeadline, lead: int) -> bool:
    try:
        with transaction.atomic():
            MatterAlert.objects.create(company=company, deadline=deadline, days_before=lead)
    except IntegrityError:  # sent already (by an earlier run or another worker)
        return False
    return True


@transaction.atomic
def send_matter_alerts(*, company: Company, today: date) -> int:
    """Send the alerts due today; returns how many notices were sent."""
    horizon = today + timedelta(days=max(LEAD_DAYS))
    deadlines = (
        MatterDeadline.objects.for_company(company)
        .filter(done_on__isnull=True, due_on__gte=today, due_on__lte=horizon)
        .exclude(matter__status__in=ENDING)
        .select_related("matter__handler")
        .order_by("due_on", "pk")
    )
    legal: list[User] | None = None
    sent = 0
    for deadline in deadlines:
        days_left = (deadline.due_on - today).days
        lead = lead_for(days_left)
        if lead is None or not _insert(company, deadline, lead):
            continue
        if legal is None:
            legal = legal_members(company)
        matter = deadline.matter
        users = {u.pk: u for u in legal}
        if matter.handler is not None:
            users.setdefault(matter.handler.pk, matter.handler)
        if days_left == 0:
            message = _("「%(n)s %(t)s」の期限「%(d)s」は今日(%(on)s)です。")
        else:
            message = _("「%(n)s %(t)s」の期限「%(d)s」(%(on)s)まであと%(left)d日です。")
        message = message % {
            "n": matter.number,
            "t": matter.title,
            "d": deadline.title,
            "on": deadline.due_on.isoformat(),
            "left": days_left,
        }
        tell(company, users.values(), matter, message, None)
        record_event(
            company=company,
            actor=None,
            actor_label=JOB_NAME,
            action="notify",
            instance=matter,
            extra={
                "deadline": deadline.title,
                "due_on": deadline.due_on.isoformat(),
                "days_before": lead,
                "to": sorted(users),
            },
        )
        sent += len(users)
    return sent
