"""Tenancy URL walk: the 法律相談・紛争 part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _deadline_body(own: World) -> dict[str, Any]:
    return {"due_on": _later(30), "title": "プローブ期限"}


def _cost_body(own: World) -> dict[str, Any]:
    return {
        "paid_on": timezone.localdate().isoformat(),
        "payee": "プローブ",
        "description": "費用",
        "amount": 1000,
    }


ROUTES: dict[str, Probe] = {
    **{
        f"legal:{name}": Probe({"pk": "legal_matter"})
        for name in (
            "matter_detail",
            "matter_edit",
            "matter_answer",
            "matter_note",
            "matter_status",
            "matter_handler",
            "matter_member_add",
            "matter_member_remove",
            "matter_deadline_new",
            "matter_cost_new",
            "matter_file_new",
        )
    },
    "legal:matter_deadline_done": Probe({"pk": "legal_matter", "deadline_id": "legal_matter_deadline"}),
    "legal:matter_file": Probe({"pk": "legal_matter", "version_id": "legal_matter_version"}),
    "api:matter_get": Probe({"matter_id": "legal_matter"}),
    "api:matter_answer": Probe({"matter_id": "legal_matter"}, body=lambda own: {"answer": "プローブ"}),
    "api:matter_note": Probe({"matter_id": "legal_matter"}, body=lambda own: {"body": "プローブ"}),
    "api:matter_status": Probe({"matter_id": "legal_matter"}, body=lambda own: {"to": "closed"}),
    "api:matter_deadline": Probe({"matter_id": "legal_matter"}, body=_deadline_body),
    "api:matter_cost": Probe({"matter_id": "legal_matter"}, body=_cost_body),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """A dispute with a deadline and one file, made through the part's services by staff (admin + 人事:
    admin manages 法律相談・紛争)."""
    from ennoshita.legal.services import matters as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    matter = services.open_dispute(
        **w, data=services.DisputeInput(title="テナンシー紛争", opponent="テナンシー株式会社")
    )
    deadline = services.add_deadline(
        **w, matter=matter, due_on=timezone.localdate() + timedelta(days=20), title="テナンシー期限"
    )
    version = services.attach_matter_file(**w, matter=matter, file_name="訴状.txt", data="訴状".encode())
    return {"legal_matter": matter, "legal_matter_deadline": deadline, "legal_matter_version": version}
