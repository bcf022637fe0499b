"""/api/v1/affairs/consumables…: items, stock, moves, requests, consumption; errors as problems."""

from __future__ import annotations

import pytest

from ennoshita.affairs.models import ConsumableRequest, RequestStatus, StockMove
from ennoshita.affairs.services import consumables as services
from tests.apiclient import ApiClient, field_errors

from .consumables_fixtures import World, build_world, make_item, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company) -> World:
    return build_world(company)


def test_items_stock_and_moves(client, world):
    api = ApiClient(client, world.affairs)
    r = api.post(
        "/affairs/consumables",
        {"code": "E-1", "name": "単3乾電池", "unit": "本", "unit_cost": "45.5", "reorder_point": 10},
    )
    assert r.status_code == 201, r.content
    item_id = r.json()["id"]
    r = api.post(
        f"/affairs/consumables/{item_id}/moves",
        {"kind": "receipt", "location_id": world.store.pk, "quantity": 20, "unit_cost": "40"},
    )
    assert r.status_code == 201 and r.json()[0]["amount"] == "800"
    r = api.post(
        f"/affairs/consumables/{item_id}/moves",
        {"kind": "issue", "location_id": world.store.pk, "quantity": 3, "department_id": world.sales.pk},
    )
    assert r.status_code == 201 and r.json()[0]["quantity"] == -3
    r = api.post(
        f"/affairs/consumables/{item_id}/moves",
        {"kind": "transfer", "location_id": world.store.pk, "to_location_id": world.floor.pk, "quantity": 2},
    )
    assert r.status_code == 201 and [m["kind"] for m in r.json()] == ["transfer_out", "transfer_in"]
    r = api.post(
        f"/affairs/consumables/{item_id}/moves",
        {"kind": "count", "location_id": world.floor.pk, "counted_quantity": 1},
    )
    assert r.status_code == 201 and r.json()[0]["quantity"] == -1
    listed = api.get("/affairs/consumables", {"q": "乾電池"}).json()
    assert listed["count"] == 1 and listed["items"][0]["on_hand"] == 16
    assert api.get("/affairs/consumables", {"below_reorder": "true"}).json()["count"] == 0
    stock = api.get("/affairs/consumable-stock").json()
    assert {(s["location"], s["quantity"]) for s in stock["items"]} == {("本社 倉庫", 15), ("3F 事務室", 1)}
    moves = api.get("/affairs/consumable-moves", {"kind": "issue"}).json()
    assert moves["count"] == 1 and moves["items"][0]["department_id"] == world.sales.pk
    r = api.get("/affairs/consumable-consumption", {"start": today().replace(day=1).isoformat(), "months": 1})
    assert r.status_code == 200
    body = r.json()
    assert body["rows"][0]["name"] == "営業部" and body["total_quantity"] == 3


def test_over_issue_is_a_problem_and_writes_nothing(client, world):
    item = make_item(world)
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=1)
    api = ApiClient(client, world.affairs)
    before = StockMove.objects.count()
    r = api.post(
        f"/affairs/consumables/{item.pk}/moves",
        {"kind": "issue", "location_id": world.store.pk, "quantity": 2},
    )
    assert r.status_code == 400
    assert r.json()["code"] == "insufficient_stock"
    assert "在庫は 1箱 です" in field_errors(r)["quantity"][0]
    assert StockMove.objects.count() == before
    r = api.post(f"/affairs/consumables/{item.pk}/moves", {"kind": "count", "location_id": world.store.pk})
    assert r.status_code == 422 and "counted_quantity" in field_errors(r)
    r = api.post(
        f"/affairs/consumables/{item.pk}/moves",
        {"kind": "receipt", "location_id": world.store.pk, "quantity": 0},
    )
    assert r.status_code == 422 and "quantity" in field_errors(r)


def test_requests_by_employee_issue_and_reject_by_affairs(client, world):
    item = make_item(world)
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=2)
    emp = ApiClient(client, world.employee)
    r = emp.post("/affairs/consumable-requests", {"consumable_id": item.pk, "quantity": 2, "note": "研修"})
    assert r.status_code == 201, r.content
    req_id = r.json()["id"]
    assert emp.get("/affairs/consumables").status_code == 403
    assert emp.get("/affairs/consumable-requests").json()["count"] == 1
    assert (
        emp.post(f"/affairs/consumable-requests/{req_id}/issue", {"location_id": world.store.pk}).status_code
        == 403
    )

    staff = ApiClient(client, world.affairs)
    r = staff.post(f"/affairs/consumable-requests/{req_id}/issue", {"location_id": world.store.pk})
    assert r.status_code == 200 and r.json()["request_id"] == req_id
    r = staff.post(f"/affairs/consumable-requests/{req_id}/reject", {"note": "x"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_state"

    r = emp.post("/affairs/consumable-requests", {"consumable_id": item.pk, "quantity": 1})
    second = r.json()["id"]
    r = staff.post(f"/affairs/consumable-requests/{second}/issue", {"location_id": world.store.pk})
    assert r.status_code == 400 and "quantity" in field_errors(r)
    assert ConsumableRequest.objects.get(pk=second).status == RequestStatus.REQUESTED
    r = staff.post(f"/affairs/consumable-requests/{second}/reject", {"note": "在庫切れ"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert staff.get("/affairs/consumable-requests").json()["count"] == 0  # none open
    assert staff.get("/affairs/consumable-requests", {"status": ""}).json()["count"] == 2


def test_employee_sees_only_own_requests(client, world):
    from tests.conftest import make_member

    item = make_item(world)
    other = make_member(world.company, "other-api", ["employee"])
    theirs = services.request_consumable(**world.w(other), consumable=item, quantity=1)
    emp = ApiClient(client, world.employee)
    assert emp.get(f"/affairs/consumable-requests/{theirs.pk}").status_code == 404
    assert emp.post(f"/affairs/consumable-requests/{theirs.pk}/cancel").status_code == 404
    assert emp.get("/affairs/consumable-requests", {"status": ""}).json()["count"] == 0
    r = emp.post("/affairs/consumable-requests", {"consumable_id": 999999, "quantity": 1})
    assert r.status_code == 422 and "consumable_id" in field_errors(r)
