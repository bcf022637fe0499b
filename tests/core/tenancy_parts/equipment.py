"""Tenancy URL walk: the equipment part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _item_body(own: World) -> dict[str, Any]:
    return {
        "asset_number": "TN-9999",
        "name": "プローブ",
        "category_id": own.objects["equipment_category"].pk,
    }


def _lend_body(own: World) -> dict[str, Any]:
    return {"employee_id": own.objects["employee"].pk, "lent_on": timezone.localdate().isoformat()}


def _return_body(own: World) -> dict[str, Any]:
    return {"returned_on": timezone.localdate().isoformat()}


ROUTES: dict[str, Probe] = {
    "affairs:equipment_detail": Probe({"pk": "equipment"}),
    "affairs:equipment_edit": Probe({"pk": "equipment"}),
    "affairs:equipment_lend": Probe({"pk": "equipment"}),
    "affairs:equipment_return": Probe({"pk": "equipment_lent"}),
    "affairs:equipment_set_status": Probe({"pk": "equipment"}),
    "affairs:equipment_dispose": Probe({"pk": "equipment"}),
    "affairs:equipment_category_edit": Probe({"pk": "equipment_category"}),
    "affairs:equipment_employee_loans": Probe({"employee_id": "employee"}),
    "affairs:location_edit": Probe({"pk": "equipment_location"}),
    "affairs:location_set_active": Probe({"pk": "equipment_location"}),
    "api:equipment_detail": Probe({"equipment_id": "equipment"}, body=_item_body),
    "api:equipment_update": Probe({"equipment_id": "equipment"}, body=_item_body),
    "api:equipment_lend": Probe({"equipment_id": "equipment"}, body=_lend_body),
    "api:equipment_return": Probe({"equipment_id": "equipment_lent"}, body=_return_body),
    "api:equipment_loans": Probe({"equipment_id": "equipment"}),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.affairs.services import equipment as services
    from ennoshita.affairs.services import settings as settings_services

    w = {"company": company, "actor": staff.user, "membership": staff}
    category = services.create_category(**w, name="PC")
    location = settings_services.create_location(**w, name="本社倉庫")
    item = services.register_equipment(
        **w,
        data=services.EquipmentInput(
            asset_number="PC-0001", name="ノートPC", category_id=category.pk, location_id=location.pk
        ),
    )
    lent = services.register_equipment(
        **w, data=services.EquipmentInput(asset_number="PC-0002", name="ノートPC", category_id=category.pk)
    )
    services.lend_equipment(
        **w, equipment=lent, employee=employee, lent_on=timezone.localdate() - timedelta(days=1)
    )
    return {
        "equipment": item,
        "equipment_lent": lent,
        "equipment_category": category,
        "equipment_location": location,
    }
