"""Tenancy URL walk: the consumables part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from typing import Any

from tests.core.tenancy_probe import Probe, World


def _item_body(own: World) -> dict[str, Any]:
    return {"code": "PROBE-1", "name": "プローブ"}


def _move_body(own: World) -> dict[str, Any]:
    return {"kind": "receipt", "location_id": own.objects["consumable_location"].pk, "quantity": 1}


def _issue_body(own: World) -> dict[str, Any]:
    return {"location_id": own.objects["consumable_location"].pk}


def _reject_body(own: World) -> dict[str, Any]:
    return {"note": "プローブ"}


ROUTES: dict[str, Probe] = {
    "affairs:consumable_detail": Probe({"pk": "consumable"}),
    "affairs:consumable_edit": Probe({"pk": "consumable"}),
    "affairs:consumable_receive": Probe({"pk": "consumable"}),
    "affairs:consumable_issue": Probe({"pk": "consumable"}),
    "affairs:consumable_count": Probe({"pk": "consumable"}),
    "affairs:consumable_transfer": Probe({"pk": "consumable"}),
    "affairs:consumable_request_issue": Probe({"pk": "consumable_request"}),
    "affairs:consumable_request_reject": Probe({"pk": "consumable_request"}),
    "affairs:consumable_request_cancel": Probe({"pk": "consumable_request"}),
    "api:consumable_get": Probe({"consumable_id": "consumable"}),
    "api:consumable_update": Probe({"consumable_id": "consumable"}, body=_item_body),
    "api:consumable_move_create": Probe({"consumable_id": "consumable"}, body=_move_body),
    "api:consumable_request_get": Probe({"request_id": "consumable_request"}),
    "api:consumable_request_issue": Probe({"request_id": "consumable_request"}, body=_issue_body),
    "api:consumable_request_reject": Probe({"request_id": "consumable_request"}, body=_reject_body),
    "api:consumable_request_cancel": Probe({"request_id": "consumable_request"}),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.affairs.services import consumables as services
    from ennoshita.affairs.services import settings as settings_services

    w = {"company": company, "actor": staff.user, "membership": staff}
    location = settings_services.create_location(**w, name="消耗品倉庫")
    item = services.create_consumable(
        **w, data=services.ConsumableInput(code="C-0001", name="コピー用紙 A4", unit="箱", unit_cost="2500")
    )
    services.receive_stock(**w, consumable=item, location=location, quantity=10)
    request = services.request_consumable(**w, consumable=item, quantity=1)
    return {"consumable": item, "consumable_location": location, "consumable_request": request}
