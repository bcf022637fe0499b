"""The daily alerts of 登記・機関 (``tasks_registry``): officers' terms ending in 90 and 30 days (and
once when the expected end has passed with neither 重任 nor 退任 recorded), and 登記 deadlines of
unfiled changes in 7, 3 and 1 days (and once when overdue). To every active 法務 and 管理者 member.

Each alert is one ``RegistryAlert`` row (kind, object, due day, lead) inserted *before* anyone is
notified: a second run (or a second worker) finds it and sends nothing. A run that missed a day
sends the nearest lead only (a first run 20 days before a term end sends the 30-day alert alone).
``days_before`` 0 is the "passed / overdue" alert.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events
from ennoshita.core.models import Company, Role, User
from ennoshita.core.notifications import notify
from ennoshita.core.selectors import memberships_of_company
from ennoshita.legal.models import Officer, RegistryAlert, RegistryAlertKind, RegistryChange

from .base import JOB_LABEL, NOTIFY_KIND

TERM_LEADS = (90, 30)
FILING_LEADS = (7, 3, 1)


def lead_for(days_left: int, leads: tuple[int, ...]) -> int | None:
    """The alert due for a date ``days_left`` away: the nearest lead reached; 0 once it has passed."""
    if days_left < 0:
        return 0
    reached = [lead for lead in leads if days_left <= lead]
    return min(reached) if reached else None


def recipients(company: Company, today: date) -> list[User]:
    found: dict[int, User] = {}
    members = memberships_of_company(company=company).filter(is_active=True, user__is_active=True)
    for m in members:
        if m.expires_on is not None and m.expires_on < today:
            continue
        if m.has_any_role(Role.LEGAL, Role.ADMIN) and not m.has_any_role(Role.ASSISTANT):
            found[m.user_id] = m.user
    return list(found.values())


def _claim(company: Company, kind: str, object_id: int, due: date, lead: int) -> bool:
    try:
        with transaction.atomic():
            RegistryAlert.objects.create(
                company=company, kind=kind, object_id=object_id, due_on=due, days_before=lead
            )
    except IntegrityError:  # sent already
        return False
    return True


def _term_text(o: Officer, days_left: int) -> str:
    label = f"{o.get_position_display()} {o.name}"
    if days_left < 0:
        return _(
            "【登記・機関】%(o)s の任期は定時株主総会(予定 %(d)s)で満了しています。重任または退任を記録し、"
            "2週間以内に変更登記を申請してください。"
        ) % {"o": label, "d": o.term_ends_on.isoformat()}
    return _(
        "【登記・機関】%(o)s の任期は %(d)s ごろの定時株主総会で満了します(あと%(n)s日)。改選の準備をしてください。"
    ) % {
        "o": label,
        "d": o.term_ends_on.isoformat(),
        "n": days_left,
    }


def _filing_text(c: RegistryChange, days_left: int) -> str:
    what = f"{c.get_item_display()}「{c.content[:40]}」"
    if days_left < 0:
        return _(
            "【登記・機関】%(w)s の登記期限 %(d)s を過ぎています。至急申請してください(登記懈怠は100万円以下の過料、"
            "会社法976条1号)。"
        ) % {"w": what, "d": c.deadline_on.isoformat()}
    return _("【登記・機関】%(w)s の登記期限は %(d)s です(あと%(n)s日)。") % {
        "w": what,
        "d": c.deadline_on.isoformat(),
        "n": days_left,
    }


@transaction.atomic
def send_registry_alerts(*, company: Company, today: date | None = None) -> int:
    """Send the alerts due today; returns how many notices went out."""
    today = today or timezone.localdate()
    users: list[User] | None = None
    events: list[EventInput] = []
    sent = 0
    due: list[tuple[str, object, date, int, str, str]] = []
    officers = Officer.objects.for_company(company).filter(
        left_on__isnull=True, term_ends_on__lte=today + timedelta(days=max(TERM_LEADS))
    )
    for o in officers.order_by("term_ends_on", "pk"):
        days_left = (o.term_ends_on - today).days
        lead = lead_for(days_left, TERM_LEADS)
        if lead is not None:
            url = reverse("legal:officer_detail", args=[o.pk])
            due.append((RegistryAlertKind.TERM_END, o, o.term_ends_on, lead, _term_text(o, days_left), url))
    changes = RegistryChange.objects.for_company(company).filter(
        filed_on__isnull=True, deadline_on__lte=today + timedelta(days=max(FILING_LEADS))
    )
    for c in changes.order_by("deadline_on", "pk"):
        days_left = (c.deadline_on - today).days
        lead = lead_for(days_left, FILING_LEADS)
        if lead is not None:
            url = reverse("legal:change_detail", args=[c.pk])
            due.append((RegistryAlertKind.FILING, c, c.deadline_on, lead, _filing_text(c, days_left), url))
    for kind, obj, day, lead, message, url in due:
        pk = obj.pk  # type: ignore[attr-defined]
        if not _claim(company, kind, pk, day, lead):
            continue
        users = users if users is not None else recipients(company, today)
        for user in users:
            notify(
                company=company,
                user=user,
                kind=NOTIFY_KIND,
                text=message,
                url=url,
                object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
                object_id=pk,
                email=True,
            )
        sent += len(users)
        events.append(
            EventInput(
                "notify",
                instance=obj,  # type: ignore[arg-type]
                extra={"kind": kind, "due_on": day, "days_before": lead, "to": len(users)},
            )
        )
    record_events(company=company, actor=None, events=events, actor_label=JOB_LABEL)
    return sent
