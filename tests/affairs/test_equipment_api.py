"""/api/v1/affairs/equipment: list with filters and paging, create, update, lend (refused twice),
return, loans; roles and other companies' ids."""

from __future__ import annotations

from ennoshita.affairs.models import Equipment, EquipmentLoan
from ennoshita.affairs.services import equipment as services
from tests.apiclient import ApiClient, field_errors
from tests.conftest import make_member

from .equipment_fixtures import lend, make_item, today

pytest_plugins = ["tests.affairs.equipment_fixtures"]


def _body(org, **kw):
    body = {
        "asset_number": "PC-0100",
        "name": "ノートPC",
        "category_id": org.pc.pk,
        "purchase_price": "128,000",
        "purchase_date": "2025-04-01",
    }
    body.update(kw)
    return body


def test_create_update_and_read(client, org):
    api = ApiClient(client, org.affairs)
    r = api.post("/affairs/equipment", _body(org))
    assert r.status_code == 201, r.content
    data = r.json()
    assert (
        data["asset_number"] == "PC-0100"
        and data["purchase_price"] == 128000
        and data["status"] == "in_stock"
    )
    pk = data["id"]
    r = client.put(
        f"/api/v1/affairs/equipment/{pk}",
        data=_body(org, name="ノートPC(予備)"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )
    assert r.status_code == 200 and r.json()["name"] == "ノートPC(予備)"
    assert api.get(f"/affairs/equipment/{pk}").json()["category"] == "PC"


def test_bad_input_is_a_422_on_the_field(client, org):
    make_item(org, number="PC-0100")
    api = ApiClient(client, org.affairs)
    r = api.post("/affairs/equipment", _body(org))
    assert r.status_code == 422 and "asset_number" in field_errors(r)
    r = api.post("/affairs/equipment", _body(org, asset_number="PC-0200", purchase_price="-1"))
    assert r.status_code == 422 and "purchase_price" in field_errors(r)
    r = api.post("/affairs/equipment", _body(org, asset_number="PC-0200", color="red"))
    assert r.status_code == 422
    assert Equipment.objects.count() == 1


def test_list_filters_and_pages(client, org, worker, django_assert_max_num_queries):
    for i in range(5):
        make_item(org, number=f"PC-{i:04d}")
    lend(org, Equipment.objects.get(asset_number="PC-0003"), worker)
    api = ApiClient(client, org.hr)
    r = api.get("/affairs/equipment", {"limit": 2, "offset": 1})
    data = r.json()
    assert data["count"] == 5 and [i["asset_number"] for i in data["items"]] == ["PC-0001", "PC-0002"]
    r = api.get("/affairs/equipment", {"status": "lent"})
    assert [(i["asset_number"], i["holder"]["name"]) for i in r.json()["items"]] == [("PC-0003", "社員 次郎")]
    r = api.get("/affairs/equipment", {"q": "社員"})
    assert r.json()["count"] == 1
    api.get("/affairs/equipment")
    with django_assert_max_num_queries(8) as first:
        api.get("/affairs/equipment")
    for i in range(5, 30):
        make_item(org, number=f"PC-{i:04d}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(api.get("/affairs/equipment").json()["items"]) == 30


def test_lend_twice_is_refused_and_return(client, org, worker, colleague):
    item = make_item(org)
    api = ApiClient(client, org.affairs)
    r = api.post(
        f"/affairs/equipment/{item.pk}/lend", {"employee_id": worker.pk, "lent_on": today().isoformat()}
    )
    assert r.status_code == 201 and r.json()["employee"]["name"] == "社員 次郎"
    r = api.post(
        f"/affairs/equipment/{item.pk}/lend", {"employee_id": colleague.pk, "lent_on": today().isoformat()}
    )
    assert r.status_code == 422
    assert "貸出中" in field_errors(r)["equipment"][0]
    assert EquipmentLoan.objects.count() == 1
    r = api.post(
        f"/affairs/equipment/{item.pk}/return", {"returned_on": today().isoformat(), "needs_repair": True}
    )
    assert r.status_code == 200 and r.json()["returned_on"] == today().isoformat()
    assert api.get(f"/affairs/equipment/{item.pk}").json()["status"] == "repair"
    loans = api.get(f"/affairs/equipment/{item.pk}/loans").json()
    assert [loan["employee"]["id"] for loan in loans] == [worker.pk]
    r = api.post(f"/affairs/equipment/{item.pk}/return", {"returned_on": today().isoformat()})
    assert r.status_code == 422


def test_roles_and_other_companies(client, org, employee_member, worker, other_company, outsider):
    item = make_item(org)
    r = ApiClient(client, employee_member).get("/affairs/equipment")
    assert r.status_code == 403
    hr_api = ApiClient(client, org.hr)
    assert hr_api.get(f"/affairs/equipment/{item.pk}").status_code == 200
    r = hr_api.post(
        f"/affairs/equipment/{item.pk}/lend", {"employee_id": worker.pk, "lent_on": today().isoformat()}
    )
    assert r.status_code == 403
    accounting = make_member(org.company, "acc1", ["accounting"])
    assert ApiClient(client, accounting).post("/affairs/equipment", _body(org)).status_code == 403
    theirs_cat = services.create_category(
        company=other_company, actor=outsider.user, membership=outsider, name="PC"
    )
    theirs = services.register_equipment(
        company=other_company,
        actor=outsider.user,
        membership=outsider,
        data=services.EquipmentInput(asset_number="PC-9", name="PC", category_id=theirs_cat.pk),
    )
    api = ApiClient(client, org.affairs)
    assert api.get(f"/affairs/equipment/{theirs.pk}").status_code == 404
    r = api.post(
        f"/affairs/equipment/{theirs.pk}/lend", {"employee_id": worker.pk, "lent_on": today().isoformat()}
    )
    assert r.status_code == 404
    assert not EquipmentLoan.objects.exists()
