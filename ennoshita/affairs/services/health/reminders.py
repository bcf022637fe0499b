"""健康診断's writes: the daily reminders — of checkups due to the employees, and of doctors'
opinions due to the members with health access. A scheduled job (``tasks_health``) runs them;
safe to repeat."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Checkup, CheckupStatus, HealthAccessGrant
from ennoshita.affairs.rules import health as rules
from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.models import Company, User
from ennoshita.core.notifications import notify

JOB_LABEL = "健康診断の催促(自動)"


def _granted_users(company: Company, today: date) -> list[User]:
    grants = (
        HealthAccessGrant.objects.for_company(company)
        .filter(revoked_at__isnull=True, membership__is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("membership__user")
    )
    return [g.membership.user for g in grants if g.membership.has_any_role("admin", "hr")]


@transaction.atomic
def send_health_reminders(*, company: Company, today: date | None = None) -> int:
    """Daily: each employee whose checkup is due within 14 days or overdue (once in 7 days per
    checkup, ``last_reminded_on``), and each member with health access about opinions due within 14
    days or overdue (once a day). Safe to repeat: a second run the same day sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    due = (
        Checkup.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(
            status__in=(CheckupStatus.PLANNED, CheckupStatus.BOOKED),
            due_on__lte=today + timedelta(days=rules.REMIND_WITHIN_DAYS),
        )
        .filter(
            Q(last_reminded_on__isnull=True)
            | Q(last_reminded_on__lte=today - timedelta(days=rules.REMIND_EVERY_DAYS))
        )
        .select_related("employee__user")
    )
    events: list[EventInput] = []
    url = reverse("affairs:health_my_checkups")
    for c in due:
        user = c.employee.user
        if user is not None:
            late = rules.is_overdue(c.due_on, today)
            text = (
                _("%(k)sの受診期限(%(d)s)を過ぎています。受診してください。")
                if late
                else _("%(k)sの受診期限は%(d)sです。予約・受診をお願いします。")
            ) % {"k": c.get_kind_display(), "d": c.due_on.isoformat()}
            notify(
                company=company,
                user=user,
                kind="affairs.health.checkup_due",
                text=text,
                url=url,
                object_type="affairs.checkup",
                object_id=c.pk,
            )
            sent += 1
        before = snapshot(c, fields=("last_reminded_on",))
        c.last_reminded_on = today
        c.save(update_fields=["last_reminded_on"])
        events.append(
            EventInput("remind", instance=c, before=before, after=snapshot(c, fields=("last_reminded_on",)))
        )
    record_events(company=company, actor=None, events=events, actor_label=JOB_LABEL)
    opinions = Checkup.objects.for_company(company).filter(
        status=CheckupStatus.DONE,
        has_findings=True,
        opinion_on__isnull=True,
        opinion_due_on__lte=today + timedelta(days=rules.REMIND_WITHIN_DAYS),
    )
    count = opinions.count()
    if count:
        from ennoshita.core.models import Notification

        text = _(
            "医師の意見聴取の期限が近い(または過ぎた)健康診断が%(n)s件あります(安衛則51条の2: 受診から3か月以内)。"
        ) % {"n": count}
        for user in _granted_users(company, today):
            already = Notification.objects.for_company(company).filter(
                user=user, kind="affairs.health.opinion_due", created_at__date=today
            )
            if already.exists():
                continue
            notify(
                company=company,
                user=user,
                kind="affairs.health.opinion_due",
                text=text,
                url=reverse("affairs:health_opinions"),
            )
            sent += 1
    return sent
