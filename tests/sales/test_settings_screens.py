"""販売の設定 and 合計請求書の発行 screens."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ennoshita.core.models import Job
from ennoshita.sales.models import Customer, Invoice, SalesSettings
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.quotes import create_order

from ..conftest import login, make_member


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def keiri(client, books, accountant):
    login(client, accountant)
    return client


def form(**overrides):
    data = {
        "tax_rounding": "floor",
        "holiday_rule": "next_business_day",
        "registration_number": "",
        "bank_details": "みずほ銀行 本店 普通 1234567",
        "invoice_note": "",
        "deposit_account_code": "1121",
        "fee_treatment": "discount",
    }
    data.update(overrides)
    return data


def test_settings_save_with_a_logo_and_are_audited(keiri, company):
    response = keiri.post(
        reverse("sales:settings"), form(logo=SimpleUploadedFile("logo.png", png(), "image/png"))
    )
    assert response.status_code == 302
    row = SalesSettings.objects.get(company=company)
    assert row.bank_details.startswith("みずほ") and row.logo.name.endswith(".png")
    page = keiri.get(reverse("sales:settings")).content.decode()
    assert "登録済み" in page and "変更履歴" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("registration_number", "T123"),
        ("deposit_account_code", "9999"),
        ("tax_rounding", "bankers"),
    ],
)
def test_bad_settings_are_refused_on_the_field(keiri, company, field, value):
    response = keiri.post(reverse("sales:settings"), form(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert not SalesSettings.objects.filter(company=company, bank_details__startswith="みずほ").exists()


def test_a_file_that_is_not_an_image_is_refused(keiri, company):
    response = keiri.post(
        reverse("sales:settings"), form(seal=SimpleUploadedFile("seal.png", b"not an image", "image/png"))
    )
    assert response.status_code == 400 and response.context["form"].errors.get("seal")


def test_registration_number_must_match_the_companys_corporate_number(keiri, company):
    company.corporate_number = "7000012050002"
    company.save()
    bad = keiri.post(reverse("sales:settings"), form(registration_number="T1180301018771"))
    assert bad.status_code == 400
    good = keiri.post(reverse("sales:settings"), form(registration_number="ｔ７０００ ０１２０ ５０００２"))
    assert good.status_code == 302
    assert SalesSettings.objects.get(company=company).registration_number == "T7000012050002"


def test_sales_staff_cannot_change_settings(client, books, company):
    login(client, make_member(company, "eigyo2", ["sales_admin"]))
    assert client.get(reverse("sales:settings")).status_code == 403


def test_the_summary_run_screen_previews_and_starts_the_job(client, books, company, sales_admin):
    customer = Customer.objects.create(
        company=company, code="A", name="株式会社甲", name_key="甲", closing_day=99
    )
    create_order(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        customer=customer,
        date=date(2026, 6, 5),
        lines=[LineSpec("部品", quantity=2, unit_price=1500, tax="S10")],
    )
    login(client, sales_admin)
    preview = client.get(reverse("sales:summary_run"), {"closing": "2026-06-30"})
    assert preview.status_code == 200 and "株式会社甲" in preview.content.decode()
    response = client.post(reverse("sales:summary_run"), {"closing": "2026-06-30"})
    assert response.status_code == 302
    job = Job.objects.get(company=company)
    assert job.status == Job.Status.SUCCEEDED and job.result["issued"] == 1
    page = client.get(response["Location"]).content.decode()
    assert "1 通を発行しました" in page
    assert Invoice.objects.get(company=company).is_summary
    # nothing left: the screen says so and refuses to start
    again = client.post(reverse("sales:summary_run"), {"closing": "2026-06-30"})
    assert again.status_code == 400
