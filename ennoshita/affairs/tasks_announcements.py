"""Scheduled job of お知らせ: notify the audience of important announcements whose publication time
has come (every 15 minutes; see core.schedule). Idempotent: each announcement is notified once
(``notified_at``), checked again on its locked row, so a repeated or overlapping run sends nothing
twice."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django_tasks import task

from ennoshita.core.schedule import Scheduled, carry_out

from .models import Announcement
from .selectors import announcements as selectors
from .services import announcements as services


def every_quarter_hour(now: datetime) -> str:
    """The slot: the local date, hour and quarter (e.g. ``2025-12-01T09:15``)."""
    return now.strftime("%Y-%m-%dT%H:") + f"{now.minute // 15 * 15:02d}"


def notify_published(now: datetime | None = None) -> str:
    """Notify every announcement due (all companies); returns a short summary."""
    announcements = notices = 0
    for pk in list(selectors.due_for_notice(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            row = (
                Announcement.objects.select_for_update(of=("self",))
                .select_related("company")
                .filter(pk=pk)
                .first()
            )
            if row is None:
                continue
            sent = services.notify_if_due(company=row.company, announcement=row, actor=None)
        if sent or row.notified_at is not None:
            announcements += 1
            notices += sent
    return f"{announcements} announcement(s) published, {notices} notice(s) sent"


@task()
def publish_announcements(run_id: int) -> None:
    """Every 15 minutes: notify the audience of important announcements now published."""
    carry_out(run_id, notify_published)


QUARTERLY_ANNOUNCEMENTS = Scheduled("affairs.announcements", every_quarter_hour, publish_announcements)
