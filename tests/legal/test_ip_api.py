"""/api/v1/legal/ip: create (refusals as 422 with nothing written), read with deadlines, list with
filters, update, status, payments, costs, upcoming; roles, owners and other companies' ids."""

from __future__ import annotations

from datetime import timedelta

from ennoshita.legal.models import IpCost, IpRight
from tests.apiclient import ApiClient, field_errors
from tests.conftest import make_member

from .ip_fixtures import make_right, patent, today, years_ago

pytest_plugins = ["tests.legal.ip_fixtures"]


def _body(**kw):
    body = {
        "kind": "trademark",
        "title": "エンノシタ",
        "classes": "9, 42",
        "filed_on": years_ago(2, -200).isoformat(),
        "registered_on": years_ago(2).isoformat(),
    }
    body.update(kw)
    return body


def test_create_read_and_update(client, org):
    api = ApiClient(client, org.legal)
    r = api.post("/legal/ip", _body())
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["reference"].startswith("IP-") and data["class_count"] == 2
    assert [d["kind"] for d in data["deadlines"]] == ["tm_renewal"]
    assert data["deadlines"][0]["state"] == "upcoming" and data["next_deadline_label"] == "商標の更新登録申請"
    pk = data["id"]
    r = client.put(
        f"/api/v1/legal/ip/{pk}",
        data=_body(installment=True),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )
    assert r.status_code == 200 and r.json()["next_deadline_kind"] == "tm_second_half"
    assert api.get(f"/legal/ip/{pk}").json()["installment"] is True


def test_refusals_are_422_on_the_field_and_write_nothing(client, org):
    api = ApiClient(client, org.legal)
    r = api.post(
        "/legal/ip", _body(registered_on=years_ago(11).isoformat(), filed_on=years_ago(12).isoformat())
    )
    assert r.status_code == 422 and "renewals" in field_errors(r)
    r = api.post("/legal/ip", _body(registered_on=None))
    assert r.status_code == 422 and "registered_on" in field_errors(r)
    r = api.post("/legal/ip", _body(colour="red"))
    assert r.status_code == 422
    assert IpRight.objects.count() == 0


def test_payments_and_costs(client, org):
    right = patent(org, due_in=20)
    api = ApiClient(client, org.legal)
    r = api.post(
        f"/legal/ip/{right.pk}/payments", {"what": "annuity", "paid_on": today().isoformat(), "amount": 5200}
    )
    assert r.status_code == 201, r.content
    assert r.json()["paid_through_year"] == 4 and r.json()["next_deadline_kind"] == "annuity:5"
    r = api.post(
        f"/legal/ip/{right.pk}/costs", {"kind": "agent", "paid_on": today().isoformat(), "amount": "33,000"}
    )
    assert r.status_code == 201 and r.json()["amount"] == 33000
    assert [c["kind"] for c in api.get(f"/legal/ip/{right.pk}/costs").json()] == ["agent", "annuity"]
    assert IpCost.objects.count() == 2
    r = api.post(
        f"/legal/ip/{right.pk}/costs", {"kind": "agent", "paid_on": today().isoformat(), "amount": 0}
    )
    assert r.status_code == 422 and IpCost.objects.count() == 2


def test_status_and_upcoming(client, org):
    soon = patent(org, due_in=20)
    make_right(org)
    api = ApiClient(client, org.legal)
    r = api.get("/legal/ip/upcoming", {"days": 30})
    assert [i["id"] for i in r.json()["items"]] == [soon.pk]
    r = api.get("/legal/ip", {"kind": "trademark"})
    assert r.json()["count"] == 1
    r = api.post(f"/legal/ip/{soon.pk}/status", {"status": "abandoned"})
    assert r.status_code == 422 and "reason" in field_errors(r)
    r = api.post(f"/legal/ip/{soon.pk}/status", {"status": "abandoned", "reason": "事業撤退"})
    assert r.status_code == 200 and r.json()["status"] == "abandoned"


def test_roles_owners_and_other_companies(client, org, other_company):
    mine = make_right(org, owner_id=org.employee.user_id)
    theirs = make_right(org, title="他の権利")
    # 経理 reads every right, writes none
    api = ApiClient(client, org.accounting)
    assert api.get("/legal/ip").json()["count"] == 2
    assert api.post("/legal/ip", _body()).status_code == 403
    # an employee reads only the rights they own
    api = ApiClient(client, org.employee)
    assert [i["id"] for i in api.get("/legal/ip").json()["items"]] == [mine.pk]
    assert api.get(f"/legal/ip/{theirs.pk}").status_code == 404
    assert api.get(f"/legal/ip/{mine.pk}").status_code == 200
    # another company's legal sees nothing here
    outsider = make_member(other_company, "legal9", ["legal", "admin"])
    api = ApiClient(client, outsider)
    assert api.get(f"/legal/ip/{mine.pk}").status_code == 404
    r = api.post(f"/legal/ip/{mine.pk}/costs", {"kind": "agent", "paid_on": today().isoformat(), "amount": 1})
    assert r.status_code == 404 and IpCost.objects.count() == 0
    assert api.get("/legal/ip").json()["count"] == 0


def test_a_late_payment_without_surcharge_is_422(client, org):
    right = patent(org, due_in=-5)
    api = ApiClient(client, org.legal)
    body = {"what": "annuity", "paid_on": (today() - timedelta(days=0)).isoformat(), "amount": 5200}
    r = api.post(f"/legal/ip/{right.pk}/payments", body)
    assert r.status_code == 422 and "surcharge" in field_errors(r)
    r = api.post(f"/legal/ip/{right.pk}/payments", {**body, "surcharge": 5200})
    assert r.status_code == 201 and IpCost.objects.count() == 2
