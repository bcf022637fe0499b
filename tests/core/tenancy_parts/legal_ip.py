"""Tenancy URL walk: the 知的財産 part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _right_body(own: World) -> dict[str, Any]:
    return {"kind": "domain", "title": "probe.example.jp", "expires_on": _later(90), "status": "registered"}


def _later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _status_body(own: World) -> dict[str, Any]:
    return {"status": "abandoned", "reason": "プローブ"}


def _payment_body(own: World) -> dict[str, Any]:
    return {
        "what": "domain",
        "paid_on": timezone.localdate().isoformat(),
        "amount": 1000,
        "new_expires_on": _later(400),
    }


def _cost_body(own: World) -> dict[str, Any]:
    return {"kind": "agent", "paid_on": timezone.localdate().isoformat(), "amount": 1000}


ROUTES: dict[str, Probe] = {
    "legal:ip_detail": Probe({"pk": "ip_right"}),
    "legal:ip_edit": Probe({"pk": "ip_right"}),
    "legal:ip_status": Probe({"pk": "ip_right"}),
    "legal:ip_payment": Probe({"pk": "ip_right"}),
    "legal:ip_cost": Probe({"pk": "ip_right"}),
    "api:ip_get": Probe({"right_id": "ip_right"}),
    "api:ip_update": Probe({"right_id": "ip_right"}, body=_right_body),
    "api:ip_status": Probe({"right_id": "ip_right"}, body=_status_body),
    "api:ip_payment": Probe({"right_id": "ip_right"}, body=_payment_body),
    "api:ip_costs": Probe({"right_id": "ip_right"}),
    "api:ip_cost_create": Probe({"right_id": "ip_right"}, body=_cost_body),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member (admin manages 知的財産); keys are prefixed with the part's name."""
    from ennoshita.legal.services import ip as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    right = services.register_ip_right(
        **w,
        data=services.IpInput(
            kind="domain",
            title="tenancy.example.jp",
            status="registered",
            expires_on=timezone.localdate() + timedelta(days=30),
        ),
    )
    return {"ip_right": right}
