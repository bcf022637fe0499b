"""Tenancy URL walk: the 登記・機関 part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _day(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _reelect_body(own: World) -> dict[str, Any]:
    return {"elected_on": _day(), "took_office_on": _day()}


def _leave_body(own: World) -> dict[str, Any]:
    return {"reason": "resigned", "left_on": _day()}


def _filed_body(own: World) -> dict[str, Any]:
    return {"filed_on": _day()}


def _registered_body(own: World) -> dict[str, Any]:
    return {"registered_on": _day()}


ROUTES: dict[str, Probe] = {
    "legal:officer_detail": Probe({"pk": "registry_officer"}),
    "legal:officer_reelect": Probe({"pk": "registry_officer"}),
    "legal:officer_leave": Probe({"pk": "registry_officer"}),
    "legal:change_detail": Probe({"pk": "registry_change"}),
    "legal:change_filed": Probe({"pk": "registry_change"}),
    "legal:change_registered": Probe({"pk": "registry_change"}),
    "legal:meeting_detail": Probe({"pk": "registry_meeting"}),
    "legal:meeting_minutes_new": Probe({"pk": "registry_meeting"}),
    "legal:meeting_minutes": Probe({"pk": "registry_meeting"}),
    "api:registry_officer_get": Probe({"officer_id": "registry_officer"}),
    "api:registry_officer_reelect": Probe({"officer_id": "registry_officer"}, body=_reelect_body),
    "api:registry_officer_leave": Probe({"officer_id": "registry_officer"}, body=_leave_body),
    "api:registry_change_get": Probe({"change_id": "registry_change"}),
    "api:registry_change_filed": Probe({"change_id": "registry_change"}, body=_filed_body),
    "api:registry_change_registered": Probe({"change_id": "registry_change"}, body=_registered_body),
    "api:registry_meeting_get": Probe({"meeting_id": "registry_meeting"}),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """An officer (with its 就任 change), a 本店 change and a board meeting with its minutes, made
    through the part's services by ``staff`` (admin + 人事; admin manages the registry)."""
    from ennoshita.documents.demo import pdf
    from ennoshita.legal.services import registry as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    today = timezone.localdate()
    services.save_charter_settings(
        **w,
        is_public_company=False,
        has_board=True,
        director_term_years=2,
        auditor_term_years=4,
        agm_months_after_year_end=3,
    )
    officer = services.appoint_officer(
        **w,
        data=services.OfficerInput(
            name="登記 太郎", position="director", elected_on=today - timedelta(days=30), took_office_on=today
        ),
    )
    change = services.record_registry_change(
        **w, data=services.ChangeInput(item="head_office", content="東京都千代田区", effective_on=today)
    )
    meeting = services.record_meeting(
        **w, data=services.MeetingInput(kind="board", title="取締役会", held_on=today)
    )
    services.attach_minutes(**w, meeting=meeting, file_name="minutes.pdf", data=pdf("議事録", [company.name]))
    return {"registry_officer": officer, "registry_change": change, "registry_meeting": meeting}
