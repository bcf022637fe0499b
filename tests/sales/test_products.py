"""品目 services and selectors: unit prices (≤ 4 places, never negative), 税区分, unique codes,
deactivate/delete, search, permissions, tenancy and the audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.sales import selectors, services
from ennoshita.sales.models import Product, Quote, QuoteLine

from ..conftest import make_member


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def read(m):
    return {"company": m.company, "membership": m}


def add(m, code="P001", name="コピー用紙 A4", **kw):
    return services.create_product(**who(m), code=code, name=name, **kw)


def state() -> tuple[int, int]:
    return Product.objects.count(), AuditEvent.objects.count()


def test_create_with_defaults_and_audit(sales_admin):
    p = add(sales_admin)
    p.refresh_from_db()
    assert (p.code, p.unit, p.unit_price, p.tax, p.is_active) == ("P001", "個", Decimal(0), "S10", True)
    event = AuditEvent.objects.get(object_type="sales.product", object_id=str(p.pk))
    assert event.action == "create"
    assert event.changes["fields"]["name"] == [None, "コピー用紙 A4"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("１２３４．５６７８", Decimal("1234.5678")),
        (Decimal("0.0001"), Decimal("0.0001")),
        (980, Decimal(980)),
        ("1200円", Decimal(1200)),
    ],
)
def test_unit_price_accepts_what_people_type(sales_admin, typed, stored):
    p = add(sales_admin, unit_price=typed)
    p.refresh_from_db()
    assert p.unit_price == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.23456", "単価は小数点以下4桁までで入力してください。"),
        ("-1", "単価は0以上で入力してください。"),
        ("abc", "単価を数値で入力してください。"),
        ("", "単価を入力してください。"),
        ("NaN", "単価を数値で入力してください。"),
        ("1e30", "単価が大きすぎます。"),
    ],
)
def test_bad_unit_price_is_refused_on_its_field(sales_admin, typed, message):
    before = state()
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, unit_price=typed)
    assert exc.value.field_errors == {"unit_price": [message]}
    assert state() == before


def test_every_field_error_at_once(sales_admin):
    with pytest.raises(ServiceError) as exc:
        services.create_product(
            **who(sales_admin), code="あ", name="", unit="x" * 11, unit_price="x", tax="S99"
        )
    assert set(exc.value.field_errors) == {"code", "name", "unit", "unit_price", "tax"}


def test_code_is_unique_per_company_and_width_folded(sales_admin, outsider):
    add(sales_admin, code="P001")
    with pytest.raises(ServiceError) as exc:
        add(sales_admin, code="Ｐ００１", name="別")
    assert exc.value.field_errors == {"code": ["品目コード「P001」は使われています。"]}
    assert (
        services.create_product(**who(outsider), code="P001", name="よそ").company_id == outsider.company_id
    )


def test_update_only_what_is_given(sales_admin):
    p = add(sales_admin, unit_price="100", tax="S8R")
    p = services.update_product(**who(sales_admin), product=p, unit_price="120.5")
    assert (p.unit_price, p.tax, p.name) == (Decimal("120.5"), "S8R", "コピー用紙 A4")
    event = AuditEvent.objects.get(object_type="sales.product", action="update")
    assert event.changes["fields"] == {"unit_price": ["100.0000", "120.5000"]}


def test_deactivate_reactivate_delete(sales_admin):
    p = add(sales_admin)
    services.deactivate_product(**who(sales_admin), product=p)
    p.refresh_from_db()
    assert p.is_active is False
    services.reactivate_product(**who(sales_admin), product=p)
    p.refresh_from_db()
    assert p.is_active is True
    services.delete_product(**who(sales_admin), product=p)
    assert Product.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="sales.product", action="delete").count() == 1


def test_a_product_on_a_quote_line_cannot_be_deleted(sales_admin, company):
    p = add(sales_admin)
    c = services.create_customer(**who(sales_admin), code="C1", name="得意先")
    quote = Quote.objects.create(
        company=company,
        customer=c,
        number="Q-1",
        date=date(2025, 4, 1),
        valid_until=date(2025, 4, 30),
        tax_rounding="floor",
    )
    QuoteLine.objects.create(
        company=company,
        quote=quote,
        line_no=1,
        product=p,
        description=p.name,
        quantity=1,
        unit_price=p.unit_price,
        tax=p.tax,
        amount=0,
    )
    before = state()
    with pytest.raises(ServiceError) as exc:
        services.delete_product(**who(sales_admin), product=p)
    assert exc.value.code == "in_use"
    assert state() == before


def test_display_without_trailing_zeros():
    assert services.format_unit_price(Decimal("1234.5000")) == "1,234.5"
    assert services.format_unit_price(Decimal("1000.0000")) == "1,000"
    assert services.format_unit_price(Decimal("0.0000")) == "0"
    assert services.format_unit_price(Decimal("1234567.0125")) == "1,234,567.0125"


def test_reduced_rate_label():
    assert selectors.tax_label("S8R") == "課税 8%(軽減) ※軽減"
    assert selectors.tax_label("S10") == "課税 10%"


def test_permissions_and_tenancy(sales_admin, company, outsider):
    p = add(sales_admin)
    reader = make_member(company, "zaimu", ["finance"])
    hr = make_member(company, "jinji", ["hr"])
    before = state()
    with pytest.raises(PermissionDeniedError):
        add(reader, code="P2")
    with pytest.raises(PermissionDeniedError):
        services.update_product(**who(reader), product=p, name="x")
    with pytest.raises(PermissionDeniedError):
        selectors.product_list(**read(hr))
    with pytest.raises(NotFound):
        selectors.get_product(**read(outsider), product_id=p.pk)
    with pytest.raises(NotFound):
        services.update_product(**who(outsider), product=p, name="x")
    with pytest.raises(NotFound):
        services.delete_product(**who(outsider), product=p)
    assert state() == before
    assert [x.code for x in selectors.product_list(**read(reader))] == ["P001"]


@pytest.fixture
def catalogue(sales_admin):
    add(sales_admin, code="A-1", name="ｺﾋﾟｰ用紙", unit_price="500")
    add(sales_admin, code="B-2", name="ＵＳＢメモリ", unit_price="1200", tax="S10")
    add(sales_admin, code="C-3", name="お茶", unit="本", unit_price="150", tax="S8R")
    gone = add(sales_admin, code="D-4", name="旧製品")
    services.deactivate_product(**who(sales_admin), product=gone)


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("コピー", ["A-1"]),
        ("こぴー", ["A-1"]),
        ("usb", ["B-2"]),
        ("USB", ["B-2"]),
        ("b-2", ["B-2"]),
        ("お茶", ["C-3"]),
    ],
)
def test_search(catalogue, sales_admin, q, codes):
    assert [p.code for p in selectors.product_list(**read(sales_admin), q=q)] == codes


def test_filters_and_sort(catalogue, sales_admin):
    def codes(**kw):
        return [p.code for p in selectors.product_list(**read(sales_admin), **kw)]

    assert codes() == ["A-1", "B-2", "C-3"]
    assert codes(status="inactive") == ["D-4"]
    assert codes(status="all", tax="S8R") == ["C-3"]
    assert codes(sort="-price") == ["B-2", "A-1", "C-3"]
