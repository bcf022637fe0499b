"""Tenancy URL walk: the announcements part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe

ROUTES: dict[str, Probe] = {
    "affairs:announcement_detail": Probe({"pk": "announcement"}),
    "affairs:announcement_edit": Probe({"pk": "announcement"}),
    "affairs:announcement_withdraw": Probe({"pk": "announcement"}),
    "affairs:announcement_attach": Probe({"pk": "announcement"}),
    "affairs:announcement_reads": Probe({"pk": "announcement"}),
    "affairs:event_detail": Probe({"pk": "announcement_event"}),
    "affairs:event_edit": Probe({"pk": "announcement_event"}),
    "affairs:event_signup": Probe({"pk": "announcement_event"}),
    "affairs:event_cancel_signup": Probe({"pk": "announcement_event"}),
    "affairs:event_cancel": Probe({"pk": "announcement_event"}),
    "affairs:event_close": Probe({"pk": "announcement_event"}),
    "affairs:event_cost": Probe({"pk": "announcement_event"}),
    "affairs:event_attendees": Probe({"pk": "announcement_event"}),
    "api:announcement_detail": Probe({"announcement_id": "announcement"}),
    "api:announcement_mark_read": Probe({"announcement_id": "announcement"}),
    "api:event_signup": Probe({"event_id": "announcement_event"}, body=lambda own: {"guests": 0, "note": ""}),
    "api:event_cancel_signup": Probe({"event_id": "announcement_event"}),
    "api:event_attendees": Probe({"event_id": "announcement_event"}),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.affairs.services import announcements as services
    from ennoshita.affairs.services import events as event_services

    w = {"company": company, "actor": staff.user, "membership": staff}
    announcement = services.create_announcement(
        **w,
        data=services.AnnouncementInput(
            title="プローブのお知らせ", body="本文", publish_at=timezone.now() - timedelta(hours=1)
        ),
    )
    start = timezone.now() + timedelta(days=7)
    event = event_services.create_event(
        **w,
        data=event_services.EventInput(
            title="プローブの行事", starts_at=start, ends_at=start + timedelta(hours=2), capacity=10
        ),
    )
    event_services.sign_up(**w, event=event)
    return {"announcement": announcement, "announcement_event": event}
