# ruff: noqa: F811  (the fixtures come from test_welfare_services)
"""/api/v1/affairs/welfare/…: catalogue, keeping it, apply (refusals as 422 on the field, nothing
written), my uses, one use with its approval steps, withdraw, resubmit, the report."""

from __future__ import annotations

import pytest

from ennoshita.affairs.models import Benefit, BenefitUse, BenefitUseStatus
from ennoshita.approvals.models import ApprovalRequest

from ..apiclient import ApiClient, field_errors
from .test_welfare_services import (  # noqa: F401  (fixtures)
    affairs,
    apply,
    boss,
    decide,
    housing,
    qualification,
    resort,
    today,
)

pytestmark = pytest.mark.django_db


def test_the_catalogue_with_my_eligibility_and_remaining(
    client, employee_member, boss, qualification, resort
):
    apply(employee_member, qualification, amount=25000)
    api = ApiClient(client, employee_member)
    body = api.get("/affairs/welfare/benefits").json()
    assert body["count"] == 2
    items = {i["code"]: i for i in body["items"]}
    assert items["QUAL"]["eligible"] is True
    assert items["QUAL"]["who"] == "正社員・契約社員、勤続6か月以上"
    assert items["QUAL"]["remaining"] == {"amount": 75000, "count": None}
    assert items["QUAL"]["used_amount"] == 25000
    assert items["RESORT"]["remaining"] == {"amount": None, "count": 2}
    assert api.get("/affairs/welfare/benefits", {"q": "保養"}).json()["count"] == 1


def test_apply_decide_and_read_the_use(client, employee_member, boss, affairs, qualification):
    api = ApiClient(client, employee_member)
    response = api.post(
        "/affairs/welfare/uses",
        {
            "benefit_id": qualification.pk,
            "used_on": today().isoformat(),
            "amount": "30,000",
            "detail": "受験料",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["amount"] == 30000 and body["can_withdraw"]
    assert [s["label"] for s in body["approval"]["steps"]] == ["所属長", "総務"]
    assert body["approval"]["steps"][0]["state"] == "current"
    use = BenefitUse.objects.get(pk=body["id"])
    decide(boss, use)
    decide(affairs, use)
    detail = api.get(f"/affairs/welfare/uses/{use.pk}").json()
    assert detail["status"] == "approved" and detail["approval"]["status"] == "approved"
    assert not detail["can_withdraw"]
    mine = api.get("/affairs/welfare/uses").json()
    assert [u["id"] for u in mine["items"]] == [use.pk]


def test_refused_applications_are_422_and_write_nothing(
    client, company, employee_member, boss, qualification
):
    api = ApiClient(client, employee_member)
    over = api.post(
        "/affairs/welfare/uses",
        {"benefit_id": qualification.pk, "used_on": today().isoformat(), "amount": 100001},
    )
    assert over.status_code == 422
    assert "上限額を超えます" in field_errors(over)["amount"][0]
    fraction = api.post(
        "/affairs/welfare/uses",
        {"benefit_id": qualification.pk, "used_on": today().isoformat(), "amount": "10.5"},
    )
    assert fraction.status_code == 422 and "amount" in field_errors(fraction)
    unknown = api.post(
        "/affairs/welfare/uses", {"benefit_id": qualification.pk, "used_on": today().isoformat(), "x": 1}
    )
    assert unknown.status_code == 422
    assert not BenefitUse.objects.exists() and not ApprovalRequest.objects.exists()


def test_withdraw_and_resubmit_through_the_api(client, employee_member, boss, qualification):
    api = ApiClient(client, employee_member)
    use = apply(employee_member, qualification, amount=50000)
    decide(boss, use, "send_back", reason="直してください")
    again = api.post(
        f"/affairs/welfare/uses/{use.pk}/resubmit", {"used_on": use.used_on.isoformat(), "amount": 40000}
    )
    assert (
        again.status_code == 200 and again.json()["status"] == "pending" and again.json()["amount"] == 40000
    )
    gone = api.post(f"/affairs/welfare/uses/{use.pk}/withdraw")
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    twice = api.post(f"/affairs/welfare/uses/{use.pk}/withdraw")
    assert twice.status_code == 400
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.WITHDRAWN


def test_keeping_the_catalogue_and_the_report_are_for_affairs(
    client, company, employee_member, boss, affairs, housing
):
    apply(employee_member, housing, amount=20000)
    body = {
        "code": "CONDO",
        "name": "慶弔見舞金",
        "category": "condolence",
        "eligible_employment_types": ["regular"],
        "requires_approval": True,
    }
    as_employee = ApiClient(client, employee_member)
    assert as_employee.post("/affairs/welfare/benefits", body).status_code == 403
    assert as_employee.get("/affairs/welfare/report").status_code == 403
    assert as_employee.get("/affairs/welfare/uses", {"scope": "all"}).status_code == 403
    assert not Benefit.objects.filter(code="CONDO").exists()
    api = ApiClient(client, affairs)
    created = api.post("/affairs/welfare/benefits", body)
    assert created.status_code == 201 and created.json()["who"] == "正社員"
    dup = api.post("/affairs/welfare/benefits", body)
    assert dup.status_code == 422 and "code" in field_errors(dup)
    changed = api.client.put(
        f"/api/v1/affairs/welfare/benefits/{created.json()['id']}",
        {**body, "yearly_amount_limit": 30000},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )
    assert changed.status_code == 200 and changed.json()["yearly_amount_limit"] == 30000
    report = api.get("/affairs/welfare/report").json()
    assert report["count"] == 1
    row = report["items"][0]
    assert (row["benefit_code"], row["approved_count"], row["approved_amount"]) == ("HOUSE", 1, 20000)
    assert api.get("/affairs/welfare/uses", {"scope": "all"}).json()["count"] == 1


def test_another_companys_use_is_404(client, employee_member, boss, qualification, outsider):
    use = apply(employee_member, qualification)
    api = ApiClient(client, outsider)
    assert api.get(f"/affairs/welfare/uses/{use.pk}").status_code == 404
    assert api.post(f"/affairs/welfare/uses/{use.pk}/withdraw").status_code == 404
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.PENDING


def test_the_uses_endpoint_costs_the_same_with_more_rows(client, employee_member, housing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = ApiClient(client, employee_member)
    apply(employee_member, housing, amount=1000)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/affairs/welfare/uses").status_code == 200
        return len(ctx.captured_queries)

    count()  # the token's first use is recorded once
    few = count()
    for i in range(5):
        apply(employee_member, housing, amount=2000 + i)
    assert count() == few
