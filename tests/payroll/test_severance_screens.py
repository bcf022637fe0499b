"""退職金 screens and /api/v1/payroll/severance: list (search, filters, CSV), the form, the detail
with its steps, confirm for 経理 only, the 源泉徴収票 PDF, the simulator, and who may see what
(a plain employee sees no one's severance; another company's is a 404)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader

from ennoshita.ledger.models import JournalEntry
from ennoshita.payroll.models import SeverancePay

from ..apiclient import ApiClient, field_errors
from ..conftest import login
from .confirm_builders import make_org
from .test_severance_services import confirm, draft, leaver, leaving_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# ------------------------------------------------------------------------------ screens
def test_the_list_searches_filters_and_exports(client, org):
    a = draft(org, leaver(org, "3001", given_name="一郎"))
    b = draft(org, leaver(org, "3002", given_name="二郎"), amount=3_000_000)
    confirm(org, b)
    login(client, org.hr)
    page = client.get("/payroll/severance/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-severance="{a.pk}"' in text and f'data-severance="{b.pk}"' in text
    assert "20,000,000" in text and "788,722" in text
    text = client.get("/payroll/severance/", {"q": "二郎"}).content.decode()
    assert f'data-severance="{b.pk}"' in text and f'data-severance="{a.pk}"' not in text
    text = client.get("/payroll/severance/", {"status": "draft"}).content.decode()
    assert f'data-severance="{a.pk}"' in text and f'data-severance="{b.pk}"' not in text
    csv = client.get("/payroll/severance/", {"status": "confirmed", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig").splitlines()
    assert body[0].startswith("社員番号,氏名,支払日,状態,退職手当等の額")
    assert len(body) == 2 and body[1].startswith("3002,退職 二郎,") and ",3000000," in body[1]
    xlsx = client.get("/payroll/severance/", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_form_creates_a_draft_and_shows_the_steps(client, org):
    person = leaver(org)
    login(client, org.hr)
    assert client.get("/payroll/severance/new/").status_code == 200
    response = client.post(
        "/payroll/severance/new/",
        {
            "employee": person.pk,
            "paid_on": (leaving_day() + timedelta(days=5)).isoformat(),
            "amount": "20000000",
            "declaration": "on",
        },
    )
    row = SeverancePay.objects.get(company=org.company)
    assert response.status_code == 302 and response["Location"] == f"/payroll/severance/{row.pk}/"
    text = client.get(response["Location"]).content.decode()
    assert "788,722" in text and "所得税法施行令69条" in text and "800万円" in text
    assert 'id="severance-confirm"' not in text  # 人事 may not confirm


def test_the_form_shows_a_refusal_on_its_field(client, org):
    person = leaver(org)
    login(client, org.hr)
    response = client.post(
        "/payroll/severance/new/", {"employee": person.pk, "paid_on": "2000-01-01", "amount": "1000"}
    )
    assert response.status_code == 400
    assert "支払日が勤続の起算日より前です。" in response.content.decode()
    assert not SeverancePay.objects.exists()


def test_the_accountant_confirms_from_the_detail(client, org):
    row = draft(org, leaver(org))
    login(client, org.accountant)
    text = client.get(f"/payroll/severance/{row.pk}/").content.decode()
    assert 'id="severance-confirm"' in text
    response = client.post(f"/payroll/severance/{row.pk}/confirm/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "confirmed" and row.journal_entry_id is not None
    text = client.get(f"/payroll/severance/{row.pk}/").content.decode()
    assert 'id="severance-confirm"' not in text and f"/ledger/entries/{row.journal_entry_id}" in text
    # an edit of a confirmed payment is sent back to the detail
    assert client.get(f"/payroll/severance/{row.pk}/edit/")["Location"] == f"/payroll/severance/{row.pk}/"


def test_hr_posting_to_confirm_is_forbidden_and_writes_nothing(client, org):
    row = draft(org, leaver(org))
    login(client, org.hr)
    assert client.post(f"/payroll/severance/{row.pk}/confirm/").status_code == 403
    row.refresh_from_db()
    assert row.status == "draft" and not JournalEntry.objects.filter(source_type="payroll.severance").exists()


def test_the_certificate_pdf(client, org):
    person = leaver(org)
    row = draft(org, person, municipality_code="131016", municipality_name="千代田区")
    login(client, org.hr)
    response = client.get(f"/payroll/severance/{row.pk}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "退職所得の源泉徴収票・特別徴収票",
        "(下書き)",
        "税務署提出用",
        "受給者交付用",
        "東京都千代田区千代田1-1",
        "退職 太郎",
        "所得税法第201条第1項第1号",
        "20,000,000",
        "788,722",
        "360,000",
        "240,000",
        "800万円",
        "20年",
        "株式会社テスト",
    ):
        assert expected in text, expected


def test_the_simulator_shows_each_step(client, org):
    login(client, org.hr)
    page = client.get(
        "/payroll/severance/simulator/",
        {
            "calc": "severance",
            "severance-amount": "23000000",
            "severance-service_from": "1996-04-01",
            "severance-service_to": "2026-03-31",
            "severance-declaration": "on",
        },
    )
    text = page.content.decode()
    assert page.status_code == 200 and "380,322円" in text and "1,500万円" in text  # NTA No.2732 例2
    bad = client.get(
        "/payroll/severance/simulator/",
        {
            "calc": "severance",
            "severance-amount": "1",
            "severance-service_from": "2026-04-01",
            "severance-service_to": "2026-03-31",
        },
    )
    assert bad.status_code == 400 and "退職日が勤続の起算日より前です。" in bad.content.decode()


# ------------------------------------------------------------------------------ who sees what
def test_a_plain_employee_sees_no_ones_severance(client, org, employee_member):
    row = draft(org, leaver(org))
    login(client, employee_member)
    for url in (
        "/payroll/severance/",
        "/payroll/severance/new/",
        f"/payroll/severance/{row.pk}/",
        f"/payroll/severance/{row.pk}/certificate.pdf",
        "/payroll/severance/simulator/",
    ):
        assert client.get(url).status_code == 403, url
    api = ApiClient(client, employee_member)
    assert api.get("/payroll/severance").status_code == 403
    assert api.get(f"/payroll/severance/{row.pk}").status_code == 403
    assert api.get(f"/payroll/severance/{row.pk}/certificate").status_code == 403


def test_another_company_gets_404(client, org, outsider):
    row = draft(org, leaver(org))
    login(client, outsider)
    assert client.get(f"/payroll/severance/{row.pk}/").status_code == 404
    api = ApiClient(client, outsider)
    assert api.get(f"/payroll/severance/{row.pk}").status_code == 404
    assert api.post(f"/payroll/severance/{row.pk}/confirm").status_code == 404
    assert SeverancePay.objects.get(pk=row.pk).status == "draft"


# ------------------------------------------------------------------------------ API
def test_api_create_get_list_confirm_and_pdf(client, org):
    person = leaver(org)
    hr = ApiClient(client, org.hr)
    response = hr.post(
        "/payroll/severance",
        {
            "employee_id": person.pk,
            "paid_on": (leaving_day() + timedelta(days=3)).isoformat(),
            "amount": 20_000_000,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["service_years"], body["deduction"], body["taxable_income"]) == (20, 8_000_000, 6_000_000)
    assert (body["income_tax"], body["city_tax"], body["prefecture_tax"]) == (788_722, 360_000, 240_000)
    assert body["steps"][0]["label"] == "退職手当等の収入金額"
    pk = body["id"]
    assert hr.get("/payroll/severance", {"q": "退職"}).json()["count"] == 1
    assert hr.post(f"/payroll/severance/{pk}/confirm").status_code == 403
    put = client.put(
        f"/api/v1/payroll/severance/{pk}",
        json.dumps({"employee_id": person.pk, "paid_on": body["paid_on"], "amount": 3_000_000}),
        content_type="application/json",
        **hr._headers(),
    )
    assert put.status_code == 200 and put.json()["income_tax"] == 0
    keiri = ApiClient(client, org.accountant)
    done = keiri.post(f"/payroll/severance/{pk}/confirm")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "confirmed" and done.json()["document_id"] is not None
    assert keiri.post(f"/payroll/severance/{pk}/compute").status_code == 400
    pdf = keiri.get(f"/payroll/severance/{pk}/certificate")
    assert pdf.status_code == 200 and "3,000,000" in pdf_text(pdf.content)


def test_api_refusals(client, org):
    person = leaver(org)
    hr = ApiClient(client, org.hr)
    response = hr.post("/payroll/severance", {"employee_id": person.pk, "paid_on": "2000-01-01", "amount": 1})
    assert response.status_code == 400
    assert field_errors(response) == {"paid_on": ["支払日が勤続の起算日より前です。"]}
    response = hr.post(
        "/payroll/severance", {"employee_id": person.pk, "paid_on": "2026-04-01", "amount": -1}
    )
    assert response.status_code == 422
    assert not SeverancePay.objects.exists()


def test_api_rule_endpoint(client, employee_member):
    api = ApiClient(client, employee_member)
    response = api.post(
        "/payroll/rules/severance",
        {"amount": 10_000_000, "service_from": "2023-04-01", "service_to": "2026-03-31"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["kind"], body["service_years"], body["taxable_income"], body["income_tax"]) == (
        "short",
        3,
        7_300_000,
        1_064_903,
    )
    assert body["steps"][-1]["label"] == "差引支給額"
    bad = api.post(
        "/payroll/rules/severance",
        {"amount": 1, "service_from": "2023-04-01", "service_to": "2026-03-31", "officer_from": "2020-01-01"},
    )
    assert bad.status_code == 422 and "officer_from" in field_errors(bad)
