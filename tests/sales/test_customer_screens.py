"""得意先 and 品目 screens: what 営業事務 and 経理 see and do, field errors in Japanese, exports,
roles (財務 reads, 人事 nothing) and another company's ids."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ennoshita.core.models import AuditEvent
from ennoshita.sales import rules, services
from ennoshita.sales.models import Contact, Customer, Product

from ..conftest import login, make_member

CORP = "8700110005901"


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


@pytest.fixture
def customer(sales_admin):
    return services.create_customer(
        **who(sales_admin),
        code="C001",
        name="株式会社山田商事",
        name_kana="ヤマダショウジ",
        corporate_number=CORP,
        closing_day=20,
        payment_months_after=1,
        payment_day=10,
    )


@pytest.fixture
def reader(company):
    return make_member(company, "zaimu", ["finance"])


def form_data(**kw):
    data = {
        "code": "C100",
        "name": "株式会社テスト商会",
        "name_kana": "てすとしょうかい",
        "honorific": "御中",
        "corporate_number": "",
        "registration_number": "",
        "registration_status": "unknown",
        "registration_date": "",
        "postal_code": "1000001",
        "address": "東京都千代田区千代田1-1",
        "address2": "",
        "phone": "0312345678",
        "email": "",
        "closing_day": "99",
        "payment_months_after": "1",
        "payment_day": "99",
        "holiday_rule": "",
        "credit_limit": "500,000",
        "notes": "",
        "allow_similar_name": "False",
    }
    data.update(kw)
    return data


# ------------------------------------------------------------------ list and export
def test_list_search_and_filters(client, sales_admin, customer):
    services.create_customer(**who(sales_admin), code="C002", name="田中工業", is_active=False)
    login(client, sales_admin)
    r = client.get(reverse("sales:customer_list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-customer="C001"' in body and 'data-customer="C002"' not in body
    r = client.get(reverse("sales:customer_list"), {"status": "all", "q": "たなか"})
    assert 'data-customer="C002"' not in r.content.decode()  # フリガナ is empty: not found by kana
    r = client.get(reverse("sales:customer_list"), {"status": "all", "q": "田中"})
    body = r.content.decode()
    assert 'data-customer="C002"' in body and 'data-customer="C001"' not in body
    r = client.get(reverse("sales:customer_list"), {"q": "ﾔﾏﾀﾞ"})
    assert 'data-customer="C001"' in r.content.decode()


def test_list_paginates(client, sales_admin):
    for n in range(55):
        services.create_customer(**who(sales_admin), code=f"X{n:03d}", name=f"会社{n:03d}")
    login(client, sales_admin)
    first = client.get(reverse("sales:customer_list")).content.decode()
    second = client.get(reverse("sales:customer_list"), {"page": 2}).content.decode()
    assert 'data-customer="X049"' in first and 'data-customer="X050"' not in first
    assert 'data-customer="X050"' in second and 'data-customer="X054"' in second


def test_csv_export_has_a_bom_and_follows_the_filters(client, sales_admin, customer):
    services.create_customer(**who(sales_admin), code="C002", name="田中工業", is_active=False)
    login(client, sales_admin)
    r = client.get(reverse("sales:customer_export"), {"q": "山田"})
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("得意先コード,名称,フリガナ,敬称,法人番号")
    assert len(lines) == 2
    assert lines[1].startswith(f"C001,株式会社山田商事,ヤマダショウジ,御中,{CORP}")
    assert "20日締め翌月10日払い" in lines[1]


def test_excel_export(client, sales_admin, customer):
    login(client, sales_admin)
    r = client.get(reverse("sales:customer_export"), {"format": "xlsx", "status": "all"})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("得意先コード", "名称", "フリガナ")
    assert rows[1][:2] == ("C001", "株式会社山田商事")
    assert len(rows) == 2


def test_sjis_export_reports_characters_it_cannot_hold(client, sales_admin):
    services.create_customer(**who(sales_admin), code="C009", name="𠮷野家商店")
    login(client, sales_admin)
    r = client.get(reverse("sales:customer_export"), {"encoding": "sjis"})
    assert r.status_code == 400
    assert "𠮷" in r.content.decode()
    r = client.get(reverse("sales:customer_export"), {"encoding": "sjis", "replace": "1"})
    assert r.status_code == 200
    assert "〓野家商店".encode("cp932") in r.content


# ------------------------------------------------------------------ create and edit
def test_create_through_the_form(client, sales_admin):
    login(client, sales_admin)
    assert client.get(reverse("sales:customer_new")).status_code == 200
    r = client.post(reverse("sales:customer_new"), form_data())
    customer = Customer.objects.get(code="C100")
    assert r.status_code == 302 and r["Location"] == reverse("sales:customer_detail", args=[customer.pk])
    assert customer.name_kana == "テストショウカイ"
    assert customer.postal_code == "100-0001"
    assert customer.credit_limit == Decimal(500_000)


def test_field_errors_in_japanese_and_nothing_written(client, sales_admin):
    login(client, sales_admin)
    events = AuditEvent.objects.count()
    r = client.post(
        reverse("sales:customer_new"),
        form_data(corporate_number="8700110005902", registration_number="T123", postal_code="12", email="x@"),
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "チェックデジット" in body
    assert "T」と13桁" in body
    assert "郵便番号は7桁の数字で入力してください" in body
    assert "メールアドレスの形式が正しくありません" in body
    assert Customer.objects.count() == 0 and AuditEvent.objects.count() == events


def test_similar_name_shows_the_others_and_a_confirmation(client, sales_admin, customer):
    login(client, sales_admin)
    r = client.post(reverse("sales:customer_new"), form_data(code="C200", name="(株)山田商事"))
    assert r.status_code == 400
    body = r.content.decode()
    assert 'id="similar-customers"' in body and "C001 株式会社山田商事" in body
    assert 'type="checkbox" name="allow_similar_name"' in body
    assert "同名の得意先があることを確認しました" in body
    assert Customer.objects.count() == 1
    r = client.post(
        reverse("sales:customer_new"), form_data(code="C200", name="(株)山田商事", allow_similar_name="on")
    )
    assert r.status_code == 302
    assert Customer.objects.count() == 2


def test_duplicate_corporate_number_on_the_form(client, sales_admin, customer):
    login(client, sales_admin)
    r = client.post(reverse("sales:customer_new"), form_data(code="C300", name="別名", corporate_number=CORP))
    assert r.status_code == 400
    assert f"法人番号 {CORP} は得意先「C001 株式会社山田商事」で登録されています。" in r.content.decode()


def test_edit_keeps_the_values_and_saves(client, sales_admin, customer):
    login(client, sales_admin)
    r = client.get(reverse("sales:customer_edit", args=[customer.pk]))
    assert r.status_code == 200
    assert f'value="{CORP}"' in r.content.decode()
    data = form_data(
        code="C001",
        name="株式会社山田商事",
        name_kana="ヤマダショウジ",
        corporate_number=CORP,
        registration_number="T" + CORP,
        closing_day="20",
        payment_day="10",
        credit_limit="",
    )
    r = client.post(reverse("sales:customer_edit", args=[customer.pk]), data)
    assert r.status_code == 302
    customer.refresh_from_db()
    assert customer.registration_status == "registered"
    assert customer.credit_limit is None


# ------------------------------------------------------------------ detail, contacts, states
def test_detail_shows_terms_with_an_example_due_date(client, sales_admin, customer):
    login(client, sales_admin)
    r = client.get(reverse("sales:customer_detail", args=[customer.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    due = rules.due_date(invoice_date=timezone.localdate(), closing_day=20, months_after=1, pay_day=10)
    assert "20日締め翌月10日払い" in body
    assert f"今日請求すると支払期日は {due.year}年{due.month}月{due.day}日" in body
    assert "変更履歴" in body


def test_terms_preview_follows_the_choices(client, sales_admin):
    login(client, sales_admin)
    r = client.get(
        reverse("sales:customer_terms"),
        {"closing_day": "99", "payment_months_after": "2", "payment_day": "99", "holiday_rule": "none"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    body = r.content.decode()
    due = rules.due_date(
        invoice_date=timezone.localdate(), closing_day=99, months_after=2, pay_day=99, holiday_rule="none"
    )
    assert "月末締め翌々月末払い" in body and f"{due.year}年{due.month}月{due.day}日" in body
    r = client.get(reverse("sales:customer_terms"), {"closing_day": "abc"})
    assert r.status_code == 200 and "支払期日の例を表示します" in r.content.decode()


def test_contacts_added_and_removed(client, sales_admin, customer):
    login(client, sales_admin)
    url = reverse("sales:customer_contact_add", args=[customer.pk])
    r = client.post(
        url, {"name": "佐藤花子", "department": "経理部", "email": "sato@example.jp", "phone": "03-1111-2222"}
    )
    assert r.status_code == 302
    contact = Contact.objects.get()
    r = client.post(url, {"name": "鈴木", "email": "bad", "phone": ""})
    assert r.status_code == 400
    assert "メールアドレスの形式が正しくありません" in r.content.decode()
    assert Contact.objects.count() == 1
    r = client.post(reverse("sales:customer_contact_delete", args=[customer.pk, contact.pk]))
    assert r.status_code == 302 and Contact.objects.count() == 0


def test_deactivate_reactivate_and_delete(client, sales_admin, customer):
    login(client, sales_admin)
    client.post(reverse("sales:customer_deactivate", args=[customer.pk]))
    customer.refresh_from_db()
    assert customer.is_active is False
    client.post(reverse("sales:customer_reactivate", args=[customer.pk]))
    customer.refresh_from_db()
    assert customer.is_active is True
    assert client.get(reverse("sales:customer_deactivate", args=[customer.pk])).status_code == 405
    r = client.post(reverse("sales:customer_delete", args=[customer.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("sales:customer_list")
    assert Customer.objects.count() == 0


# ------------------------------------------------------------------ roles and tenancy
def test_finance_reads_but_does_not_write(client, reader, customer):
    login(client, reader)
    assert client.get(reverse("sales:customer_list")).status_code == 200
    body = client.get(reverse("sales:customer_detail", args=[customer.pk])).content.decode()
    assert reverse("sales:customer_edit", args=[customer.pk]) not in body
    assert client.get(reverse("sales:customer_new")).status_code == 403
    assert client.post(reverse("sales:customer_new"), form_data()).status_code == 403
    assert client.post(reverse("sales:customer_deactivate", args=[customer.pk])).status_code == 403
    customer.refresh_from_db()
    assert customer.is_active is True and Customer.objects.count() == 1


def test_hr_sees_nothing_of_sales(client, hr, customer):
    login(client, hr)
    assert client.get(reverse("sales:customer_list")).status_code == 403
    assert client.get(reverse("sales:product_list")).status_code == 403


def test_another_companys_ids_are_404(client, outsider, customer, sales_admin):
    contact = services.add_contact(**who(sales_admin), customer=customer, name="佐藤")
    product = services.create_product(**who(sales_admin), code="P1", name="品")
    login(client, outsider)
    for name in ("customer_detail", "customer_edit"):
        assert client.get(reverse(f"sales:{name}", args=[customer.pk])).status_code == 404
    for name in ("customer_deactivate", "customer_reactivate", "customer_delete", "customer_contact_add"):
        assert client.post(reverse(f"sales:{name}", args=[customer.pk]), {"name": "x"}).status_code == 404
    assert (
        client.post(reverse("sales:customer_contact_delete", args=[customer.pk, contact.pk])).status_code
        == 404
    )
    for name in ("product_edit",):
        assert client.get(reverse(f"sales:{name}", args=[product.pk])).status_code == 404
    for name in ("product_deactivate", "product_reactivate", "product_delete"):
        assert client.post(reverse(f"sales:{name}", args=[product.pk])).status_code == 404
    assert Customer.objects.filter(pk=customer.pk, is_active=True).exists()
    assert Contact.objects.filter(pk=contact.pk).exists() and Product.objects.filter(pk=product.pk).exists()


def test_list_query_count_is_flat(client, sales_admin, django_assert_max_num_queries):
    for n in range(30):
        services.create_customer(**who(sales_admin), code=f"X{n:03d}", name=f"会社{n:03d}")
    login(client, sales_admin)
    client.get(reverse("sales:customer_list"))  # warm the session and the caches
    with django_assert_max_num_queries(12) as ctx:
        client.get(reverse("sales:customer_list"))
    few = len(ctx.captured_queries)
    for n in range(30, 60):
        services.create_customer(**who(sales_admin), code=f"X{n:03d}", name=f"会社{n:03d}")
    with django_assert_max_num_queries(few):
        client.get(reverse("sales:customer_list"))


# ------------------------------------------------------------------ products
def test_product_list_shows_prices_without_trailing_zeros_and_reduced_rate(client, sales_admin):
    services.create_product(**who(sales_admin), code="P1", name="お茶", unit_price="1234.5", tax="S8R")
    services.create_product(**who(sales_admin), code="P2", name="用紙", unit_price="1000")
    login(client, sales_admin)
    r = client.get(reverse("sales:product_list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert '<td class="num nowrap" data-price>1,234.5</td>' in body
    assert '<td class="num nowrap" data-price>1,000</td>' in body
    assert "※軽減" in body


def test_product_create_edit_and_errors(client, sales_admin):
    login(client, sales_admin)
    data = {
        "code": "P9",
        "name": "作業費",
        "unit": "時間",
        "unit_price": "5000.25",
        "tax": "S10",
        "is_active": "on",
    }
    r = client.post(reverse("sales:product_new"), data)
    assert r.status_code == 302
    product = Product.objects.get(code="P9")
    assert product.unit_price == Decimal("5000.25")
    r = client.get(reverse("sales:product_edit", args=[product.pk]))
    assert 'value="5000.25"' in r.content.decode()
    r = client.post(reverse("sales:product_edit", args=[product.pk]), {**data, "unit_price": "1.23456"})
    assert r.status_code == 400
    assert "単価は小数点以下4桁までで入力してください。" in r.content.decode()
    product.refresh_from_db()
    assert product.unit_price == Decimal("5000.25")
    r = client.post(reverse("sales:product_new"), {**data, "name": "別"})
    assert r.status_code == 400 and "品目コード「P9」は使われています。" in r.content.decode()


def test_product_export(client, sales_admin):
    services.create_product(
        **who(sales_admin), code="P1", name="お茶", unit="本", unit_price="98.5", tax="S8R"
    )
    login(client, sales_admin)
    r = client.get(reverse("sales:product_export"))
    assert r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "品目コード,品名,単位,単価,税区分,軽減税率,使用中",
        "P1,お茶,本,98.5,課税 8%(軽減),※,はい",
    ]
    r = client.get(reverse("sales:product_export"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("P1", "お茶", "本", 98.5, "課税 8%(軽減)", "※", "はい")


def test_product_states(client, sales_admin):
    p = services.create_product(**who(sales_admin), code="P1", name="品")
    login(client, sales_admin)
    client.post(reverse("sales:product_deactivate", args=[p.pk]))
    p.refresh_from_db()
    assert p.is_active is False
    client.post(reverse("sales:product_reactivate", args=[p.pk]))
    p.refresh_from_db()
    assert p.is_active is True
    client.post(reverse("sales:product_delete", args=[p.pk]))
    assert Product.objects.count() == 0


def test_registration_date_is_kept(client, sales_admin):
    login(client, sales_admin)
    r = client.post(
        reverse("sales:customer_new"),
        form_data(registration_number="T1234567890124", registration_date="2023-10-01"),
    )
    assert r.status_code == 302
    assert Customer.objects.get().registration_date == date(2023, 10, 1)
