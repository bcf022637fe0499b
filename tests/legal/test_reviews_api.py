"""リーガルチェック through the API: submit (base64 file) → assign → comment → return → resubmit →
return OK → close, list and get with lead time, withdraw, playbook list/create; refusals write
nothing; bad input is a 422 on the field; another company's review is a 404."""

from __future__ import annotations

import base64

import pytest

from ennoshita.legal.models import LegalReview, PlaybookClause, ReviewComment, ReviewRound
from tests.apiclient import ApiClient, field_errors
from tests.legal.contracts_fixtures import make_contract
from tests.legal.test_reviews_fixtures import later, submit

pytest_plugins = ["tests.legal.contracts_fixtures", "tests.legal.test_reviews_fixtures"]

pytestmark = pytest.mark.django_db


def file(name: str = "案.txt", data: bytes = "第1条 目的".encode()) -> dict[str, str]:
    return {"name": name, "content_base64": base64.b64encode(data).decode()}


def body(**kw):
    fields = {
        "title": "業務委託契約の確認",
        "background": "新規取引",
        "desired_on": later().isoformat(),
        "file": file(),
    }
    fields.update(kw)
    return fields


def test_the_whole_round_trip(client, legal, employee_member):
    contract = make_contract(employee_member)
    dept = ApiClient(client, employee_member)
    r = dept.post("/legal/reviews", body(contract_id=contract.pk))
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["status"] == "submitted" and r.json()["rounds"][0]["file_name"].endswith(".txt")
    lawyer = ApiClient(client, legal)
    assert (
        lawyer.post(f"/legal/reviews/{rid}/assign", {"reviewer_id": legal.user_id}).json()["status"]
        == "in_review"
    )
    r = lawyer.post(
        f"/legal/reviews/{rid}/comments", {"clause": "第5条", "comment": "上限を", "severity": "must"}
    )
    assert r.status_code == 200 and r.json()["rounds"][0]["comments"][0]["clause"] == "第5条"
    r = lawyer.post(f"/legal/reviews/{rid}/return", {"verdict": "ok_with_changes"})
    assert r.json()["status"] == "returned" and r.json()["lead_days_to_first_return"] == 0
    dept = ApiClient(client, employee_member)
    r = dept.post(f"/legal/reviews/{rid}/resubmit", {"file": file("案2.txt", b"v2"), "note": "修正"})
    assert r.status_code == 200 and r.json()["round"] == 2 and len(r.json()["rounds"]) == 2
    lawyer = ApiClient(client, legal)
    assert lawyer.post(f"/legal/reviews/{rid}/return", {"verdict": "ok"}).json()["verdict"] == "ok"
    dept = ApiClient(client, employee_member)
    assert dept.post(f"/legal/reviews/{rid}/close", {}).json()["status"] == "closed"
    r = dept.get("/legal/reviews")
    assert r.json()["count"] == 1 and r.json()["items"][0]["lead_days_to_close"] == 0
    assert dept.get(f"/legal/reviews/{rid}").status_code == 200


def test_bad_input_is_a_422_on_the_field(client, legal, employee_member):
    api = ApiClient(client, employee_member)
    r = api.post("/legal/reviews", body(desired_on="2020-01-01"))
    assert r.status_code == 422 and "desired_on" in field_errors(r)
    r = api.post("/legal/reviews", body(file={"name": "a.txt", "content_base64": "!!!"}))
    assert r.status_code == 422
    r = api.post("/legal/reviews", body(file=file("a.exe")))
    assert r.status_code == 422 and "file" in field_errors(r)
    assert LegalReview.objects.count() == 0


def test_refusals_write_nothing(client, legal, employee_member, sales_member, outsider):
    review = submit(employee_member)
    api = ApiClient(client, employee_member)
    assert api.post(f"/legal/reviews/{review.pk}/return", {"verdict": "ok"}).status_code == 403
    assert (
        api.post(f"/legal/reviews/{review.pk}/comments", {"clause": "a", "comment": "b"}).status_code == 403
    )
    assert api.get("/legal/playbook").status_code == 403
    assert api.post("/legal/playbook", {"title": "a", "guidance": "b"}).status_code == 403
    other = ApiClient(client, sales_member)
    assert other.get(f"/legal/reviews/{review.pk}").status_code == 404
    assert other.post(f"/legal/reviews/{review.pk}/withdraw", {}).status_code == 404
    stranger = ApiClient(client, outsider)
    assert stranger.get(f"/legal/reviews/{review.pk}").status_code == 404
    assert stranger.post(f"/legal/reviews/{review.pk}/close", {}).status_code == 404
    assert ReviewComment.objects.count() == 0 and PlaybookClause.objects.count() == 0
    assert LegalReview.objects.get().status == "submitted" and ReviewRound.objects.count() == 1
    assert (
        ApiClient(client, employee_member).post(f"/legal/reviews/{review.pk}/withdraw", {}).json()["status"]
        == "withdrawn"
    )


def test_playbook(client, legal):
    api = ApiClient(client, legal)
    r = api.post("/legal/playbook", {"title": "再委託", "guidance": "書面承諾"})
    assert r.status_code == 201 and r.json()["is_active"]
    r = api.post("/legal/playbook", {"title": "再委託", "guidance": "重複"})
    assert r.status_code == 422 and "title" in field_errors(r)
    assert [p["title"] for p in api.get("/legal/playbook").json()] == ["再委託"]


def test_list_query_count(client, legal, employee_member, django_assert_max_num_queries):
    submit(employee_member)
    api = ApiClient(client, legal)
    with django_assert_max_num_queries(20) as first:
        assert api.get("/legal/reviews").status_code == 200
    for i in range(5):
        submit(employee_member, title=f"確認{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert api.get("/legal/reviews").json()["count"] == 6
