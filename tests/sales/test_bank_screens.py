"""The 入金明細 screens through the test client: upload (check, then import), the list, one line
with its suggestions, confirm a suggestion or a by-hand choice, set aside; roles and tenancy."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.sales.models import BankStatementLine, Invoice, Payment

from ..conftest import login, make_member
from .test_bank_import import csv_file, import_rows, make_customer, make_invoice
from .test_bank_statement import sample_zengin


def _upload(client, data: bytes, action: str, name: str = "nyukin.csv"):
    return client.post(
        reverse("sales:bank_import"), {"file": SimpleUploadedFile(name, data), "action": action}
    )


def test_upload_check_then_import_then_list(client, company, books, accountant):
    login(client, accountant)
    assert client.get(reverse("sales:bank_import")).status_code == 200
    data = csv_file('2026-07-31,"110,000",ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ,振込', "2026-07-31,-440,,手数料")
    checked = _upload(client, data, "check")
    assert checked.status_code == 200
    assert "入金 1 件・合計 110,000円を取り込めます" in checked.content.decode()
    assert not BankStatementLine.objects.exists()
    imported = _upload(client, data, "import")
    assert imported.status_code == 302
    assert BankStatementLine.objects.for_company(company).count() == 1
    page = client.get(imported["Location"])
    body = page.content.decode()
    assert "1 件の入金明細を取り込みました" in body and "カ)ヤマダシヨウジ" in body
    again = _upload(client, data, "import")
    assert "取込済みで飛ばした明細 1 件" in client.get(again["Location"]).content.decode()
    assert BankStatementLine.objects.for_company(company).count() == 1


def test_a_bad_file_shows_its_lines_and_imports_nothing(client, company, books, accountant):
    login(client, accountant)
    response = _upload(client, csv_file("2026-07-31,1000,ｱ,", "2026-13-01,1000,ｲ,"), "import")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-line="3"' in body and "3 行目: 日付「2026-13-01」を読めません" in body
    assert not BankStatementLine.objects.exists()


def test_a_zengin_file_is_imported_through_the_screen(client, company, books, accountant):
    login(client, accountant)
    response = _upload(client, sample_zengin(), "import", name="meisai.dat")
    assert response.status_code == 302
    assert BankStatementLine.objects.for_company(company).count() == 2


def test_confirming_a_suggestion_records_the_payment(client, company, books, sales_admin, accountant):
    customer = make_customer(company, sales_admin, "C001", "有限会社田中電機", "タナカデンキ")
    invoice = make_invoice(company, sales_admin, customer, 30_000)  # 33,000
    line = import_rows(company, accountant, "2026-07-31,32340,ﾀﾅｶﾃﾞﾝｷ(ﾕ,").created[0]
    login(client, accountant)
    lines_page = client.get(reverse("sales:bank_lines"))
    assert f'data-line="{line.pk}"' in lines_page.content.decode()
    url = reverse("sales:bank_line_detail", args=[line.pk])
    detail = client.get(url)
    body = detail.content.decode()
    assert detail.status_code == 200
    assert 'data-suggestion="1" data-customer="C001"' in body and "手数料差引(660円)" in body
    response = client.post(
        url, {"customer": customer.pk, "fee": "660", "invoice": [invoice.pk], f"amount_{invoice.pk}": "33000"}
    )
    assert response.status_code == 302
    payment = Payment.objects.get(statement_line=line)
    assert payment.customer == customer and payment.fee == Decimal(660) and payment.amount == Decimal(32_340)
    assert Invoice.objects.get(pk=invoice.pk).open_amount == 0
    after = client.get(url).content.decode()
    assert "消込の内容" in after and invoice.number in after
    assert f'data-line="{line.pk}"' not in client.get(reverse("sales:bank_lines")).content.decode()
    again = client.post(url, {"customer": customer.pk, "fee": "0"})
    assert again.status_code == 400
    assert Payment.objects.count() == 1


def test_choosing_a_customer_and_invoices_by_hand(client, company, books, sales_admin, accountant):
    customer = make_customer(company, sales_admin, "C009", "株式会社まるで無関係", "マルデムカンケイ")
    a = make_invoice(company, sales_admin, customer, 10_000)  # 11,000
    make_invoice(company, sales_admin, customer, 20_000)  # 22,000
    line = import_rows(company, accountant, "2026-07-31,20000,ｻﾄｳ ﾀﾛｳ,").created[0]
    login(client, accountant)
    url = reverse("sales:bank_line_detail", args=[line.pk])
    found = client.get(url, {"q": "まるで"}).content.decode()
    assert f'href="?customer={customer.pk}"' in found
    chosen = client.get(url, {"customer": customer.pk}).content.decode()
    assert 'id="manual-form"' in chosen and f'name="amount_{a.pk}" value="11000"' in chosen
    # too much for the invoice: the service's message comes back, nothing is written
    bad = client.post(
        url, {"customer": customer.pk, "fee": "0", "invoice": [a.pk], f"amount_{a.pk}": "20000"}
    )
    assert bad.status_code == 400 and "未回収残高" in bad.content.decode()
    assert not Payment.objects.exists()
    ok = client.post(url, {"customer": customer.pk, "fee": "0", "invoice": [a.pk], f"amount_{a.pk}": "11000"})
    assert ok.status_code == 302
    payment = Payment.objects.get(statement_line=line)
    assert payment.unapplied == Decimal(9000)


def test_dismiss_and_restore_a_line(client, company, books, accountant):
    line = import_rows(company, accountant, "2026-07-31,12,ﾘｿｸ,").created[0]
    login(client, accountant)
    url = reverse("sales:bank_line_dismiss", args=[line.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "dismiss", "reason": "利息"}).status_code == 302
    detail = client.get(reverse("sales:bank_line_detail", args=[line.pk])).content.decode()
    assert "対象外にしています" in detail
    listed = client.get(reverse("sales:bank_lines"), {"status": "dismissed"}).content.decode()
    assert f'data-line="{line.pk}"' in listed
    client.post(url, {"action": "restore"})
    assert f'data-line="{line.pk}"' in client.get(reverse("sales:bank_lines")).content.decode()


def test_another_companys_line_is_a_404(client, company, books, accountant, other_company):
    keiri = make_member(other_company, "keiri_other", ["accounting"])
    theirs = import_rows(other_company, keiri, "2026-07-31,1000,ｱ,").created[0]
    login(client, accountant)
    assert client.get(reverse("sales:bank_line_detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("sales:bank_line_detail", args=[theirs.pk]), {"customer": 1}).status_code == 404
    )
    assert (
        client.post(reverse("sales:bank_line_dismiss", args=[theirs.pk]), {"action": "dismiss"}).status_code
        == 404
    )
    assert f'data-line="{theirs.pk}"' not in client.get(reverse("sales:bank_lines")).content.decode()


def test_roles_without_payments_are_refused(client, company, books, sales_admin):
    login(client, sales_admin)
    assert client.get(reverse("sales:bank_import")).status_code == 403
    assert client.get(reverse("sales:bank_lines")).status_code == 403


def test_the_list_costs_the_same_queries_for_more_lines(
    client, company, books, accountant, django_assert_max_num_queries
):
    import_rows(company, accountant, *[f"2026-07-{d:02d},{1000 + d},ｱ{d}," for d in range(1, 29)])
    login(client, accountant)
    client.get(reverse("sales:bank_lines"))  # warm the session and the menu
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("sales:bank_lines"))
    import_rows(company, accountant, *[f"2026-06-{d:02d},{2000 + d},ｲ{d}," for d in range(1, 29)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("sales:bank_lines"))
