"""知的財産's daily work (``tasks_ip``): the deadlines moved on, the rights whose last late period
has ended marked 消滅, and the alerts ahead of each deadline. Safe to repeat.

Alerts: the next deadline of every right in force is alerted 180, 90, 30 and 7 days before and on
the day; inside a late period (割増), once a week until it ends. Each alert is one ``IpAlert`` row
(right, kind, day, lead) inserted *before* anyone is notified: a second run (or a second worker) finds
the row and sends nothing. A day missed by the job is caught up with the nearest lead only (a first
run 20 days before sends the 30-day alert, not the 180- and 90-day ones as well). Inside the late
period the row's ``due_on`` is the late period's last day and ``days_before`` the whole weeks left
(×7), so each week is one row.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify
from ennoshita.core.selectors import memberships_of_company
from ennoshita.legal.models import IpAlert, IpRight
from ennoshita.legal.rules import ip as rules

from .base import JOB_LABEL, NOTIFY_KIND, STATE_FIELDS, S, deadlines_of, set_next_deadline

LEADS = (180, 90, 30, 7, 0)


def _recipients(company: Company, right: IpRight, members: list[Membership], today: date) -> list[User]:
    found: dict[int, User] = {}
    for m in members:
        if m.expires_on is not None and m.expires_on < today:
            continue
        if m.has_any_role(Role.LEGAL) or m.user_id == right.owner_id:
            found[m.user_id] = m.user
    return list(found.values())


def _active_members(company: Company) -> list[Membership]:
    return list(memberships_of_company(company=company).filter(is_active=True, user__is_active=True))


def alert_slot(d: rules.Deadline, today: date) -> tuple[date, int] | None:
    """(the alert's day, its lead) for ``today``, or None when no alert is due yet."""
    state = d.state(today)
    if state == "passed":
        return None
    if state == "grace":
        assert d.grace_until is not None
        left = (d.grace_until - today).days
        return d.grace_until, (left // 7) * 7
    left = (d.due_on - today).days
    leads = [lead for lead in LEADS if left <= lead]
    return (d.due_on, min(leads)) if leads else None


def _text(right: IpRight, d: rules.Deadline, today: date) -> str:
    if d.state(today) == "grace":
        return _(
            "【知的財産】%(ref)s「%(t)s」: %(what)sの期限 %(due)s を過ぎています。割増料金(同額・計2倍)を添えて %(end)s まで手続できます。"
        ) % {
            "ref": right.reference,
            "t": right.title,
            "what": d.label,
            "due": d.due_on.isoformat(),
            "end": d.last_day.isoformat(),
        }
    left = (d.due_on - today).days
    return _("【知的財産】%(ref)s「%(t)s」: %(what)sの期限は %(due)s です(あと%(n)s日)。") % {
        "ref": right.reference,
        "t": right.title,
        "what": d.label,
        "due": d.due_on.isoformat(),
        "n": left,
    }


@transaction.atomic
def send_ip_alerts(*, company: Company, today: date | None = None) -> int:
    """Alerts for the next deadline of every right in force, to its 担当者 and every member with the
    法務 role; returns how many notices were sent."""
    today = today or timezone.localdate()
    members = _active_members(company)
    rights = (
        IpRight.objects.for_company(company)
        .filter(status=S.REGISTERED, next_deadline_on__isnull=False)
        .filter(next_deadline_on__lte=today + timedelta(days=max(LEADS)))
        .order_by("next_deadline_on", "pk")
    )
    sent = 0
    events: list[EventInput] = []
    for right in rights:
        d = next((x for x in deadlines_of(right, today) if x.key == right.next_deadline_kind), None)
        if d is None:
            continue
        slot = alert_slot(d, today)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                IpAlert.objects.create(
                    company=company, right=right, kind=d.key, due_on=slot[0], days_before=slot[1]
                )
        except IntegrityError:
            continue  # sent already (this run or another)
        message = _text(right, d, today)
        url = reverse("legal:ip_detail", args=[right.pk])
        users = _recipients(company, right, members, today)
        for user in users:
            notify(
                company=company,
                user=user,
                kind=NOTIFY_KIND,
                text=message,
                url=url,
                object_type="legal.ipright",
                object_id=right.pk,
                email=True,
            )
        sent += len(users)
        events.append(
            EventInput(
                "notify",
                instance=right,
                extra={"deadline": d.key, "due_on": d.due_on, "days_before": slot[1], "to": len(users)},
            )
        )
    record_events(company=company, actor=None, events=events, actor_label=JOB_LABEL)
    return sent


@transaction.atomic
def refresh_ip_deadlines(*, company: Company, today: date | None = None) -> tuple[int, int]:
    """Moves the next deadline on for the rights in force whose deadline has passed; a right whose
    last late period has ended with nothing paid (or whose term has ended) becomes 消滅 —
    recorded and notified. Returns (moved, lapsed)."""
    today = today or timezone.localdate()
    rights = (
        IpRight.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(status=S.REGISTERED)
        .filter(Q(next_deadline_on__lt=today) | Q(next_deadline_on__isnull=True, expires_on__lt=today))
        .order_by("pk")
    )
    members: list[Membership] | None = None
    moved = lapsed = 0
    events: list[EventInput] = []
    for right in rights:
        before = snapshot(right, STATE_FIELDS)
        missed = rules.missed(deadlines_of(right, today), today)
        if missed is not None:
            right.status = S.LAPSED
            right.next_deadline_on = None
            right.next_deadline_kind = ""
            right.save()
            reason = _("%(what)sの期限(%(d)s)を過ぎたため消滅") % {
                "what": missed.label,
                "d": missed.last_day.isoformat(),
            }
            events.append(
                EventInput(
                    "ip_lapse",
                    instance=right,
                    before=before,
                    after=snapshot(right, STATE_FIELDS),
                    extra={"reason": reason},
                )
            )
            members = members if members is not None else _active_members(company)
            for user in _recipients(company, right, members, today):
                notify(
                    company=company,
                    user=user,
                    kind=NOTIFY_KIND,
                    text=_("【知的財産】%(ref)s「%(t)s」を消滅にしました: %(r)s。")
                    % {"ref": right.reference, "t": right.title, "r": reason},
                    url=reverse("legal:ip_detail", args=[right.pk]),
                    object_type="legal.ipright",
                    object_id=right.pk,
                )
            lapsed += 1
            continue
        set_next_deadline(right, today)
        after = snapshot(right, STATE_FIELDS)
        if after != before:
            right.save(update_fields=["next_deadline_on", "next_deadline_kind", "updated_at"])
            events.append(EventInput("update", instance=right, before=before, after=after))
            moved += 1
    record_events(company=company, actor=None, events=events, actor_label=JOB_LABEL)
    return moved, lapsed
