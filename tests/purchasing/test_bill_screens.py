"""The screens of 仕入先・仕入先請求書・買掛金: lists with CSV / Excel, forms (errors on their fields,
nothing written), details with the approval panel and the journal link, who may see what, and
another company's records as 404."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.purchasing.models import Vendor, VendorBill

from ..conftest import login, make_member
from .conftest import approved_bill, pdf_bytes, recent_day, save_bill, submit

pytestmark = pytest.mark.django_db


def _vendor_post(**kw):
    data = {
        "code": "V100",
        "name": "株式会社テスト商会",
        "kana": "テストショウカイ",
        "registration_number": "T7000012050002",
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "7654321",
        "account_holder": "カブシキガイシャ テストショウカイ",
        "closing_day": "20",
        "payment_month_offset": "1",
        "payment_day": "10",
    }
    data.update(kw)
    return data


def _bill_post(org, vendor, **kw):
    data = {
        "vendor": str(vendor.pk),
        "bill_date": recent_day().isoformat(),
        "due_date": "",
        "vendor_reference": "A-123",
        "is_qualified": "on",
        "payable_account_code": "2112",
        "department": str(org.sales.pk),
        "memo": "11月分",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-description": "コピー用紙",
        "lines-0-account_code": "6310",
        "lines-0-tax_handling": "P10",
        "lines-0-amount": "1,000",
        "lines-1-description": "トナー",
        "lines-1-account_code": "6310",
        "lines-1-tax_handling": "P10",
        "lines-1-amount": "2000",
        "lines-2-tax_handling": "P10",
    }
    data.update(kw)
    return data


# ------------------------------------------------------------------------------ vendors
def test_vendor_created_on_the_form_and_shown(client, org):
    login(client, org.clerk)
    assert client.get(reverse("purchasing:vendor_new")).status_code == 200
    response = client.post(reverse("purchasing:vendor_new"), _vendor_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    vendor = Vendor.objects.get(company=org.company, code="V100")
    assert vendor.account_holder == "ｶ)ﾃｽﾄｼﾖｳｶｲ"
    body = client.get(reverse("purchasing:vendor_detail", args=[vendor.pk])).content.decode()
    assert "20日締め翌月10日払い" in body and "三菱ＵＦＪ" in body and "本店" in body


def test_vendor_form_errors_on_their_fields(client, org):
    login(client, org.clerk)
    response = client.post(
        reverse("purchasing:vendor_new"), _vendor_post(bank_code="9999", registration_number="T8000012050002")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "銀行コード「9999」の金融機関は見つかりません。" in body
    assert "検査数字" in body
    assert not Vendor.objects.filter(company=org.company).exists()


def test_vendor_list_search_and_downloads(client, org, vendor):
    login(client, org.clerk)
    page = client.get(reverse("purchasing:vendor_list"), {"q": "山田"})
    assert page.status_code == 200 and "株式会社山田商事" in page.content.decode()
    csv = client.get(reverse("purchasing:vendor_list"), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("仕入先コード,仕入先名") and "V001,株式会社山田商事" in text
    xlsx = client.get(reverse("purchasing:vendor_list"), {"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:2] == ["V001", "株式会社山田商事"]


def test_vendor_edit_and_stop(client, org, vendor):
    login(client, org.clerk)
    assert client.get(reverse("purchasing:vendor_edit", args=[vendor.pk])).status_code == 200
    response = client.post(
        reverse("purchasing:vendor_edit", args=[vendor.pk]), _vendor_post(code="V001", name="山田商事(改)")
    )
    assert response.status_code == 302
    client.post(reverse("purchasing:vendor_set_active", args=[vendor.pk]), {"active": "0"})
    vendor.refresh_from_db()
    assert vendor.name == "山田商事(改)" and not vendor.is_active


def test_bank_lookup_returns_options(client, org):
    login(client, org.clerk)
    banks = client.get(reverse("purchasing:vendor_bank_search"), {"bank_code": "三井住友"}).content.decode()
    assert '<option value="0009">' in banks
    branches = client.get(
        reverse("purchasing:vendor_branch_search"), {"bank_code": "0001", "branch_code": "東京営業部"}
    )
    assert '<option value="001">' in branches.content.decode()


# ------------------------------------------------------------------------------ bills
def test_bill_recorded_on_the_form_and_its_detail(client, org, vendor):
    login(client, org.clerk)
    form = client.get(reverse("purchasing:bill_new"), {"vendor": vendor.pk})
    assert form.status_code == 200
    # 「行を追加」: the empty row the browser copies (core/formset_rows.js) is on the page
    html = form.content.decode()
    assert 'data-formset-template="lines"' in html and 'name="lines-__prefix__-description"' in html
    assert 'data-formset-add="lines"' in html
    # a fourth row, as the browser sends it after 「行を追加」
    response = client.post(
        reverse("purchasing:bill_new"),
        _bill_post(
            org,
            vendor,
            **{
                "lines-TOTAL_FORMS": "4",
                "lines-3-tax_handling": "P10",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    bill = VendorBill.objects.get(company=org.company)
    assert (bill.total, bill.tax_total, bill.lines.count()) == (3000, 272, 2)
    page = client.get(reverse("purchasing:bill_detail", args=[bill.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-tax="P10"' in body and "コピー用紙" in body
    # upload the vendor's PDF, then look at it
    client.post(
        reverse("purchasing:bill_document_upload", args=[bill.pk]),
        {"file": SimpleUploadedFile("bill.pdf", pdf_bytes(), content_type="application/pdf")},
    )
    bill.refresh_from_db()
    shown = client.get(reverse("purchasing:bill_document_view", args=[bill.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    # submit from the page
    client.post(reverse("purchasing:bill_submit", args=[bill.pk]))
    bill.refresh_from_db()
    assert bill.status == "submitted"
    assert 'id="approval"' in client.get(reverse("purchasing:bill_detail", args=[bill.pk])).content.decode()


def test_bill_form_errors_on_the_line_and_nothing_written(client, org, vendor):
    login(client, org.clerk)
    response = client.post(
        reverse("purchasing:bill_new"),
        _bill_post(
            org, vendor, **{"lines-0-amount": "100.5", "lines-1-amount": "0", "bill_date": "2099-01-01"}
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "1円未満の端数は入力できません。" in body and "金額は1円以上で入力してください" in body
    assert "未来の日付は入力できません" in body
    assert not VendorBill.objects.exists()


def test_bill_list_filters_and_downloads(client, org, vendor):
    approved_bill(org, vendor, vendor_reference="REF-APPROVED")
    save_bill(org, vendor, vendor_reference="REF-DRAFT")
    login(client, org.clerk)
    body = client.get(reverse("purchasing:bill_list"), {"status": "approved"}).content.decode()
    assert "REF-APPROVED" in body and "REF-DRAFT" not in body
    body = client.get(reverse("purchasing:bill_list"), {"q": "REF-DRAFT"}).content.decode()
    assert "REF-DRAFT" in body and "REF-APPROVED" not in body
    csv = client.get(reverse("purchasing:bill_list"), {"format": "csv", "status": "approved"}).content.decode(
        "utf-8-sig"
    )
    assert len(csv.strip().splitlines()) == 2 and "REF-APPROVED" in csv
    assert client.get(reverse("purchasing:bill_list"), {"format": "xlsx"}).status_code == 200


def test_bill_list_query_count_does_not_grow(client, org, vendor, django_assert_max_num_queries):
    for n in range(3):
        save_bill(org, vendor, vendor_reference=f"R{n}")
    login(client, org.clerk)
    client.get(reverse("purchasing:bill_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("purchasing:bill_list"))
    for n in range(3, 13):
        save_bill(org, vendor, vendor_reference=f"R{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("purchasing:bill_list"))


def test_approved_bill_links_its_entry(client, org, vendor):
    bill = approved_bill(org, vendor)
    login(client, org.clerk)
    body = client.get(reverse("purchasing:bill_detail", args=[bill.pk])).content.decode()
    assert reverse("ledger:entry_detail", args=[bill.journal_entry_id]) in body


def test_the_approver_sees_the_bill_others_do_not(client, org, vendor):
    bill = submit(org, save_bill(org, vendor))
    login(client, org.manager)
    page = client.get(reverse("purchasing:bill_detail", args=[bill.pk]))
    assert page.status_code == 200 and "decision-form" in page.content.decode()
    assert client.get(reverse("purchasing:bill_list")).status_code == 403
    login(client, org.employee)
    assert client.get(reverse("purchasing:bill_detail", args=[bill.pk])).status_code == 404
    assert client.get(reverse("purchasing:vendor_list")).status_code == 403


def test_another_companys_bill_and_vendor_are_404(client, org, vendor, other_company):
    bill = save_bill(org, vendor)
    stranger = make_member(other_company, "yoso-keiri", ["accounting"])
    login(client, stranger)
    for name, pk in (
        ("purchasing:bill_detail", bill.pk),
        ("purchasing:bill_edit", bill.pk),
        ("purchasing:bill_document_view", bill.pk),
        ("purchasing:vendor_detail", vendor.pk),
        ("purchasing:vendor_edit", vendor.pk),
        ("purchasing:payable_vendor_ledger", vendor.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("purchasing:bill_submit", args=[bill.pk])).status_code == 404
    bill.refresh_from_db()
    assert bill.status == "draft"


# ------------------------------------------------------------------------------ payables
def test_payables_screens_and_downloads(client, org, vendor):
    approved_bill(org, vendor, vendor_reference="PAY-ME")
    login(client, org.clerk)
    body = client.get(reverse("purchasing:payable_balances")).content.decode()
    assert (
        "株式会社山田商事" in body and reverse("purchasing:payable_vendor_ledger", args=[vendor.pk]) in body
    )
    csv = client.get(reverse("purchasing:payable_balances"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "V001,株式会社山田商事,1,11000" in csv
    ledger = client.get(reverse("purchasing:payable_vendor_ledger", args=[vendor.pk]))
    assert ledger.status_code == 200 and "PAY-ME" in ledger.content.decode()
    assert (
        client.get(
            reverse("purchasing:payable_vendor_ledger", args=[vendor.pk]), {"format": "xlsx"}
        ).status_code
        == 200
    )
    schedule = client.get(
        reverse("purchasing:payable_schedule"), {"start": recent_day(30).isoformat(), "end": "2099-12-31"}
    )
    assert schedule.status_code == 200 and "PAY-ME" in schedule.content.decode()
    csv = client.get(
        reverse("purchasing:payable_schedule"), {"format": "csv", "end": "2099-12-31"}
    ).content.decode("utf-8-sig")
    assert "11000" in csv


def test_the_journal_entry_links_back_to_the_bill(org, vendor):
    from ennoshita.ledger import entry_selectors
    from ennoshita.ledger.models import JournalEntry

    bill = approved_bill(org, vendor)
    entry = JournalEntry.objects.get(pk=bill.journal_entry_id)
    assert entry_selectors.source_url(entry=entry) == reverse("purchasing:bill_detail", args=[bill.pk])
