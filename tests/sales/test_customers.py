"""得意先 services and selectors: normalising, 法人番号 and 登録番号 rules, duplicates, contacts,
deactivate/delete, permissions, tenancy and the audit trail.

Personas: 営業事務 (sales_admin, who keeps the customers), 経理 (accountant, who may too), a 財務
reader, an HR officer (no access to sales) and the outsider (another company)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.sales import selectors, services
from ennoshita.sales.models import Contact, Customer, Invoice, Opportunity
from ennoshita.sales.services import customers as customer_module

from ..conftest import make_member

CORP = "8700110005901"  # a 法人番号 whose check digit is right
CORP2 = "1010401089234"
BAD_CORP = "8700110005902"  # last digit changed: the check digit no longer matches


@pytest.fixture
def reader(company):
    return make_member(company, "zaimu", ["finance"])


@pytest.fixture
def hr_member(company):
    return make_member(company, "jinji", ["hr"])


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def add(m, code="C001", name="株式会社山田商事", **kw):
    return services.create_customer(**who(m), code=code, name=name, **kw)


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.field_errors


def state() -> tuple[int, int, int]:
    return Customer.objects.count(), Contact.objects.count(), AuditEvent.objects.count()


# ------------------------------------------------------------------ name key
@pytest.mark.parametrize(
    "name",
    [
        "株式会社 山田商事",
        "(株)山田商事",
        "㈱山田商事",
        "山田商事",
        "（株）山田商事",
        "山田商事株式会社",
        "山田 商事",
    ],
)
def test_name_key_ignores_legal_form_spaces_and_width(name):
    assert services.customer_name_key(name) == "山田商事"


def test_name_key_folds_width_and_case_and_english_forms():
    assert services.customer_name_key("ＡＢＣ Trading Co., Ltd.") == "abctrading"
    assert services.customer_name_key("abc trading inc.") == "abctrading"
    assert services.customer_name_key("一般社団法人 日本協会") == "日本協会"
    assert services.customer_name_key("有限会社ｶﾅﾀﾞ") == "カナダ"


def test_name_key_of_a_bare_legal_form_is_not_empty():
    assert services.customer_name_key("株式会社") == "株式会社"


# ------------------------------------------------------------------ create and normalise
def test_create_normalises_what_was_typed(sales_admin):
    c = add(
        sales_admin,
        code="Ｃ－００１",
        name=" 株式会社山田商事 ",
        name_kana="やまだｼｮｳｼﾞ",
        corporate_number="８７００ １１０－００５９０１",
        registration_number="ｔ８７００１１０００５９０１",
        postal_code="〒１００－０００１",
        phone="０３（１２３４）５６７８",
        email=" info@yamada.example.jp ",
        credit_limit="1,000,000",
    )
    c.refresh_from_db()
    assert c.code == "C-001"
    assert c.name == "株式会社山田商事"
    assert c.name_kana == "ヤマダショウジ"
    assert c.name_key == "山田商事"
    assert c.corporate_number == CORP
    assert c.registration_number == "T" + CORP
    assert c.registration_status == Customer.Registration.REGISTERED  # a T-number with 未確認
    assert c.postal_code == "100-0001"
    assert c.phone == "03-1234-5678"
    assert c.email == "info@yamada.example.jp"
    assert c.credit_limit == Decimal(1_000_000)
    assert c.closing_day == 99 and c.payment_months_after == 1 and c.payment_day == 99
    assert c.is_active is True


def test_create_is_audited_with_after_state(sales_admin):
    c = add(sales_admin, corporate_number=CORP)
    event = AuditEvent.objects.get(object_type="sales.customer", object_id=str(c.pk))
    assert event.action == "create"
    assert event.actor_id == sales_admin.user_id
    assert event.changes["fields"]["corporate_number"] == [None, CORP]
    assert event.changes["fields"]["name"] == [None, "株式会社山田商事"]


def test_sole_proprietor_t_number_is_not_checked_against_the_corporate_check_digit(sales_admin):
    # a 個人事業者's 登録番号 has no published check rule: any T + 13 digits is taken
    c = add(sales_admin, name="山田太郎", honorific="様", registration_number="T1234567890124")
    assert c.registration_number == "T1234567890124"
    assert c.registration_status == Customer.Registration.REGISTERED
    assert c.corporate_number == ""


def test_corporation_t_number_must_be_its_corporate_number(sales_admin):
    before = state()
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, corporate_number=CORP, registration_number="T" + CORP2)
    message = errors_of(exc)["registration_number"][0]
    assert CORP in message and "一致しません" in message
    assert state() == before


def test_corporate_number_check_digit_is_checked(sales_admin):
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, corporate_number=BAD_CORP)
    assert "チェックデジット" in errors_of(exc)["corporate_number"][0]


@pytest.mark.parametrize("typed", ["12345", "12345678901234", "87001100059O1"])
def test_corporate_number_must_be_13_digits(sales_admin, typed):
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, corporate_number=typed)
    assert errors_of(exc)["corporate_number"] == ["法人番号は13桁の数字で入力してください。"]


@pytest.mark.parametrize("typed", ["T123", "1234567890123", "TT234567890123", "X1234567890123"])
def test_registration_number_format(sales_admin, typed):
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, registration_number=typed)
    assert "T」と13桁" in errors_of(exc)["registration_number"][0]


def test_every_field_error_at_once_and_nothing_written(sales_admin):
    before = state()
    with pytest.raises(ServiceError) as exc:
        services.create_customer(
            **who(sales_admin),
            code="",
            name="",
            corporate_number="123",
            postal_code="12",
            phone="12",
            email="not-an-address",
            closing_day=32,
            payment_months_after=13,
            payment_day=0,
            credit_limit="-1",
            honorific="殿",
            holiday_rule="someday",
        )
    assert set(errors_of(exc)) == {
        "code",
        "name",
        "corporate_number",
        "postal_code",
        "phone",
        "email",
        "closing_day",
        "payment_months_after",
        "payment_day",
        "credit_limit",
        "honorific",
        "holiday_rule",
    }
    assert errors_of(exc)["postal_code"] == ["郵便番号は7桁の数字で入力してください(例: 100-0001)"]
    assert state() == before


def test_credit_limit_must_be_whole_yen(sales_admin):
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, credit_limit="100.5")
    assert errors_of(exc)["credit_limit"] == ["与信限度額は円単位の整数で入力してください。"]
    assert add(sales_admin, credit_limit=0).credit_limit == 0


def test_day_31_is_stored_as_end_of_month(sales_admin):
    c = add(sales_admin, closing_day=31, payment_day=10, payment_months_after=2)
    assert (c.closing_day, c.payment_day, c.payment_months_after) == (99, 10, 2)


def test_registration_status_contradictions(sales_admin):
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, registration_status="registered")
    assert "registration_number" in errors_of(exc)
    with pytest.raises(ServiceError) as exc:
        add(
            sales_admin,
            registration_number="T" + CORP,
            corporate_number=CORP,
            registration_status="not_registered",
        )
    assert "registration_status" in errors_of(exc)
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, registration_status="not_registered", registration_date=date(2024, 1, 1))
    assert "registration_date" in errors_of(exc)
    with pytest.raises(ServiceError) as exc:
        add(
            sales_admin,
            registration_number="T" + CORP,
            corporate_number=CORP,
            registration_date=date(2023, 9, 30),
        )
    assert "2023年10月1日" in errors_of(exc)["registration_date"][0]


def test_not_registered_without_number_is_fine(sales_admin):
    c = add(sales_admin, registration_status="not_registered")
    assert c.registration_status == "not_registered" and c.registration_number == ""


# ------------------------------------------------------------------ duplicates
def test_same_code_is_refused(sales_admin):
    add(sales_admin)
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, name="別会社")
    assert errors_of(exc)["code"] == ["得意先コード「C001」は使われています。"]


def test_same_corporate_number_is_refused_naming_the_existing_customer(sales_admin):
    add(sales_admin, corporate_number=CORP)
    before = state()
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, code="C002", name="ヤマダ商事(旧)", corporate_number=CORP)
    assert errors_of(exc)["corporate_number"] == [
        f"法人番号 {CORP} は得意先「C001 株式会社山田商事」で登録されています。"
    ]
    assert exc.value.code == "validation"
    assert state() == before


def test_database_refusal_of_a_duplicate_corporate_number_gets_the_same_message(sales_admin, company):
    """A concurrent writer that passed the check: the unique constraint says no, and the service
    turns the IntegrityError into the same field error inside a savepoint."""
    add(sales_admin, corporate_number=CORP)
    twin = Customer(company=company, code="C009", name="x", name_key="x", corporate_number=CORP)
    with pytest.raises(ServiceError) as exc:
        customer_module.save_customer_row(company, twin)
    assert exc.value.field_errors["corporate_number"] == [
        f"法人番号 {CORP} は得意先「C001 株式会社山田商事」で登録されています。"
    ]
    assert Customer.objects.filter(code="C009").count() == 0
    # the transaction is still usable after the savepoint rolled back
    assert Customer.objects.count() == 1


def test_database_refusal_of_a_duplicate_code_gets_the_code_message(sales_admin, company):
    add(sales_admin)
    twin = Customer(company=company, code="C001", name="x", name_key="x")
    with pytest.raises(ServiceError) as exc:
        customer_module.save_customer_row(company, twin)
    assert exc.value.field_errors == {"code": ["得意先コード「C001」は使われています。"]}


def test_the_constraint_itself_holds(sales_admin, company):
    add(sales_admin, corporate_number=CORP)
    with pytest.raises(IntegrityError):
        Customer.objects.create(company=company, code="C2", name="y", name_key="y", corporate_number=CORP)


@pytest.mark.parametrize("other", ["(株)山田商事", "山田商事", "㈱ 山田商事", "山田商事株式会社"])
def test_similar_name_needs_confirmation(sales_admin, other):
    add(sales_admin)
    before = state()
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, code="C002", name=other)
    assert exc.value.code == "similar_name"
    assert "C001 株式会社山田商事" in errors_of(exc)["name"][0]
    assert state() == before
    second = add(sales_admin, code="C002", name=other, allow_similar_name=True)
    assert second.name_key == "山田商事"
    names = [c.code for c in selectors.similar_customers(**_read(sales_admin), name="山田商事")]
    assert names == ["C001", "C002"]


def test_same_company_in_another_tenant_is_not_a_duplicate(sales_admin, outsider):
    add(sales_admin, corporate_number=CORP)
    theirs = services.create_customer(
        **who(outsider), code="C001", name="株式会社山田商事", corporate_number=CORP
    )
    assert theirs.company_id == outsider.company_id


def _read(m):
    return {"company": m.company, "membership": m}


# ------------------------------------------------------------------ update
def test_update_changes_only_what_is_given_and_audits_before_after(sales_admin):
    c = add(sales_admin, phone="03-1111-2222", corporate_number=CORP)
    updated = services.update_customer(**who(sales_admin), customer=c, name_kana="やまだ", closing_day=20)
    assert updated.name_kana == "ヤマダ"
    assert updated.closing_day == 20
    assert updated.phone == "03-1111-2222"
    assert updated.corporate_number == CORP
    event = AuditEvent.objects.filter(object_type="sales.customer", action="update").get()
    assert event.changes["fields"] == {"closing_day": [99, 20], "name_kana": ["", "ヤマダ"]}


def test_update_keeping_a_similar_name_does_not_ask_again(sales_admin):
    add(sales_admin)
    second = add(sales_admin, code="C002", name="(株)山田商事", allow_similar_name=True)
    services.update_customer(**who(sales_admin), customer=second, phone="0312345678")
    # but renaming another customer into the same name does
    third = add(sales_admin, code="C003", name="田中工業")
    with pytest.raises(ServiceError) as exc:
        services.update_customer(**who(sales_admin), customer=third, name="山田商事")
    assert exc.value.code == "similar_name"
    third.refresh_from_db()
    assert third.name == "田中工業"


def test_refused_update_leaves_the_callers_object_and_the_row_alone(sales_admin):
    c = add(sales_admin)
    with pytest.raises(ServiceError):
        services.update_customer(**who(sales_admin), customer=c, name="新しい名前", postal_code="abc")
    assert c.name == "株式会社山田商事"
    c.refresh_from_db()
    assert c.name == "株式会社山田商事"


def test_clearing_the_corporate_number_keeps_a_sole_proprietor_number(sales_admin):
    c = add(sales_admin, corporate_number=CORP, registration_number="T" + CORP)
    c = services.update_customer(**who(sales_admin), customer=c, corporate_number="")
    # without a 法人番号 only the format is checked: the number stays valid
    assert c.registration_number == "T" + CORP and c.corporate_number == ""


# ------------------------------------------------------------------ deactivate, delete
def test_deactivate_and_reactivate_are_audited(sales_admin):
    c = add(sales_admin)
    services.deactivate_customer(**who(sales_admin), customer=c)
    c.refresh_from_db()
    assert c.is_active is False
    services.reactivate_customer(**who(sales_admin), customer=c)
    c.refresh_from_db()
    assert c.is_active is True
    changes = [
        e.changes["fields"]
        for e in AuditEvent.objects.filter(object_type="sales.customer", action="update").order_by("seq")
    ]
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_delete_an_unused_customer_with_its_contacts(sales_admin):
    c = add(sales_admin)
    services.add_contact(**who(sales_admin), customer=c, name="佐藤")
    services.delete_customer(**who(sales_admin), customer=c)
    assert Customer.objects.count() == 0 and Contact.objects.count() == 0
    actions = list(AuditEvent.objects.order_by("seq").values_list("object_type", "action"))
    assert actions[-2:] == [("sales.contact", "delete"), ("sales.customer", "delete")]


def test_customer_with_a_deal_cannot_be_deleted(sales_admin, company):
    c = add(sales_admin)
    Opportunity.objects.create(company=company, customer=c, title="案件")
    before = state()
    with pytest.raises(ServiceError) as exc:
        services.delete_customer(**who(sales_admin), customer=c)
    assert exc.value.code == "in_use"
    assert "取引を停止" in exc.value.message
    assert state() == before
    assert services.customer_references(c) == {"opportunities": 1}


def test_customer_with_a_draft_invoice_cannot_be_deleted(sales_admin, company):
    c = add(sales_admin)
    Invoice.objects.create(company=company, customer=c, date=date(2025, 4, 1), tax_rounding="floor")
    with pytest.raises(ServiceError):
        services.delete_customer(**who(sales_admin), customer=c)
    assert Customer.objects.filter(pk=c.pk).exists()


# ------------------------------------------------------------------ contacts
def test_contacts_add_and_remove_with_history(sales_admin, company):
    c = add(sales_admin)
    p = services.add_contact(
        **who(sales_admin),
        customer=c,
        name=" 佐藤 花子 ",
        department="経理部",
        email="sato@example.jp",
        phone="０９０-１２３４-５６７８",
    )
    assert (p.name, p.phone) == ("佐藤 花子", "090-1234-5678")
    assert [x.pk for x in selectors.customer_contacts(company=company, customer=c)] == [p.pk]
    services.remove_contact(**who(sales_admin), contact=p)
    assert Contact.objects.count() == 0
    history = [(e.object_type, e.action) for e in selectors.customer_history(company=company, customer=c)]
    assert history == [("sales.contact", "delete"), ("sales.contact", "create"), ("sales.customer", "create")]


def test_contact_errors_are_on_their_fields(sales_admin):
    c = add(sales_admin)
    before = state()
    with pytest.raises(ServiceError) as exc:
        services.add_contact(**who(sales_admin), customer=c, name="", email="x@", phone="123")
    assert set(errors_of(exc)) == {"name", "email", "phone"}
    assert state() == before


# ------------------------------------------------------------------ permissions and tenancy
def test_readers_cannot_write_and_nothing_is_written(sales_admin, reader, hr_member):
    c = add(sales_admin)
    before = state()
    for m in (reader, hr_member):
        with pytest.raises(PermissionDeniedError):
            add(m, code="C100", name="新規")
        with pytest.raises(PermissionDeniedError):
            services.update_customer(**who(m), customer=c, name="変更")
        with pytest.raises(PermissionDeniedError):
            services.deactivate_customer(**who(m), customer=c)
        with pytest.raises(PermissionDeniedError):
            services.add_contact(**who(m), customer=c, name="佐藤")
        with pytest.raises(PermissionDeniedError):
            services.delete_customer(**who(m), customer=c)
    assert state() == before


def test_accountant_may_write(accountant):
    assert add(accountant).pk


def test_reading_needs_a_sales_read_role(sales_admin, reader, hr_member):
    add(sales_admin)
    assert selectors.customer_list(**_read(reader)).count() == 1
    with pytest.raises(PermissionDeniedError):
        selectors.customer_list(**_read(hr_member))


def test_another_companys_customer_is_not_found(sales_admin, outsider):
    c = add(sales_admin)
    with pytest.raises(NotFound):
        selectors.get_customer(company=outsider.company, membership=outsider, customer_id=c.pk)
    with pytest.raises(NotFound):
        services.update_customer(**who(outsider), customer=c, name="乗っ取り")
    with pytest.raises(NotFound):
        services.add_contact(**who(outsider), customer=c, name="x")
    with pytest.raises(NotFound):
        services.delete_customer(**who(outsider), customer=c)
    c.refresh_from_db()
    assert c.name == "株式会社山田商事"


# ------------------------------------------------------------------ list and search
@pytest.fixture
def three(sales_admin):
    a = add(
        sales_admin, code="A01", name="株式会社山田商事", name_kana="ヤマダショウジ", corporate_number=CORP
    )
    b = add(
        sales_admin,
        code="B02",
        name="ＡＢＣトレーディング",
        name_kana="エービーシー",
        registration_number="T1234567890124",
    )
    c = add(
        sales_admin,
        code="C03",
        name="有限会社田中工業",
        name_kana="タナカコウギョウ",
        registration_status="not_registered",
    )
    services.deactivate_customer(**who(sales_admin), customer=c)
    return a, b, c


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("山田", ["A01"]),
        ("(株)山田商事", ["A01"]),
        ("やまだ", ["A01"]),
        ("ﾔﾏﾀﾞ", ["A01"]),
        ("abc", ["B02"]),
        ("ＡＢＣ", ["B02"]),
        ("a01", ["A01"]),
        ("87001100", ["A01"]),
        ("t1234567890124", ["B02"]),
        ("1234567890124", ["B02"]),
        ("山田 ショウジ", ["A01"]),
        ("山田 エービー", []),
    ],
)
def test_search(three, sales_admin, q, codes):
    found = selectors.customer_list(**_read(sales_admin), q=q, status="all")
    assert [c.code for c in found] == codes


def test_filters(three, sales_admin):
    def codes(**kw):
        return [c.code for c in selectors.customer_list(**_read(sales_admin), **kw)]

    assert codes() == ["A01", "B02"]
    assert codes(status="inactive") == ["C03"]
    assert codes(status="all") == ["A01", "B02", "C03"]
    assert codes(status="all", registration="registered") == ["B02"]
    assert codes(status="all", registration="unknown") == ["A01"]
    assert codes(status="all", registration="not_registered") == ["C03"]
    assert codes(status="all", sort="-code") == ["C03", "B02", "A01"]


def test_list_query_count_does_not_grow_with_rows(sales_admin, django_assert_num_queries):
    for n in range(12):
        c = add(sales_admin, code=f"X{n:02d}", name=f"会社{n}")
        services.add_contact(**who(sales_admin), customer=c, name="担当")
    with django_assert_num_queries(3):  # count, page, contacts
        total, rows = selectors.customer_page(**_read(sales_admin), limit=50, offset=0)
        _ = [list(r.contacts.all()) for r in rows]
    assert total == 12


# ------------------------------------------------------------------ payment terms
def test_payment_terms_in_words_with_an_example(sales_admin, company):
    c = add(sales_admin, closing_day=20, payment_months_after=1, payment_day=10)
    terms = selectors.customer_terms(company=company, customer=c, invoice_date=date(2025, 4, 21))
    assert terms.label == "20日締め翌月10日払い"
    # closes 2025-05-20, due 2025-06-10 (a Tuesday)
    assert terms.due == date(2025, 6, 10)
    assert terms.holiday_rule == "next_business_day"


def test_payment_terms_follow_the_holiday_rule(sales_admin, company):
    # 月末締め翌月末払い for an invoice of 2025-04-10: 2025-05-31 is a Saturday
    c = add(sales_admin, holiday_rule="previous_business_day")
    terms = selectors.customer_terms(company=company, customer=c, invoice_date=date(2025, 4, 10))
    assert terms.label == "月末締め翌月末払い"
    assert terms.due == date(2025, 5, 30)
    c = services.update_customer(**who(sales_admin), customer=c, holiday_rule="")
    assert selectors.customer_terms(company=company, customer=c, invoice_date=date(2025, 4, 10)).due == date(
        2025, 6, 2
    )
