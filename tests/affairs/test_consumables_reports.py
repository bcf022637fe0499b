"""消耗品 reads: reorder list, consumption by department × month (and the public read for 間接経費),
the home panels, and the stock lock under two issuers at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections

from ennoshita.affairs import home_consumables
from ennoshita.affairs.models import StockMove
from ennoshita.affairs.selectors import consumables as selectors
from ennoshita.affairs.services import consumables as services
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company

from .consumables_fixtures import World, build_world, make_item, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company) -> World:
    return build_world(company)


def test_reorder_list_has_items_at_or_under_their_point_with_a_suggestion(world):
    low = make_item(world, code="T-1", name="トナー", reorder_point=3, reorder_quantity=5, unit_cost="8000")
    ok = make_item(world, code="P-1", name="用紙", reorder_point=3)
    make_item(world, code="N-1", name="発注点なし", reorder_point=0)
    services.receive_stock(**world.w(), consumable=low, location=world.store, quantity=2)
    services.receive_stock(**world.w(), consumable=low, location=world.floor, quantity=1)
    services.receive_stock(**world.w(), consumable=ok, location=world.store, quantity=4)
    rows = selectors.reorder_list(company=world.company, membership=world.affairs)
    assert [(r.code, r.on_hand, r.suggested_quantity, r.estimated_amount) for r in rows] == [
        ("T-1", 3, 5, Decimal("40000"))
    ]
    with pytest.raises(PermissionDeniedError):
        selectors.reorder_list(company=world.company, membership=world.employee)


def test_consumption_by_department_and_month(world):
    item = make_item(world, unit_cost="100")
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=100)
    this = today().replace(day=1)
    last = selectors.add_months(this, -1)
    services.issue_stock(
        **world.w(), consumable=item, location=world.store, quantity=3, department=world.sales, moved_on=last
    )
    services.issue_stock(
        **world.w(), consumable=item, location=world.store, quantity=2, department=world.sales, moved_on=this
    )
    services.issue_stock(
        **world.w(),
        consumable=item,
        location=world.store,
        quantity=4,
        department=world.general,
        moved_on=this,
    )
    services.issue_stock(**world.w(), consumable=item, location=world.store, quantity=1, moved_on=this)
    services.record_stock_count(
        **world.w(), consumable=item, location=world.store, counted_quantity=80
    )  # not consumption
    data = selectors.consumption(company=world.company, membership=world.affairs, start=last, months=2)
    assert data.months == [last, this]
    table = {r.name: [(c.quantity, c.amount) for c in r.cells] for r in data.rows}
    assert table == {
        "総務部": [(0, Decimal(0)), (4, Decimal(400))],
        "営業部": [(3, Decimal(300)), (2, Decimal(200))],
        "部門なし(共通)": [(0, Decimal(0)), (1, Decimal(100))],
    }
    assert data.total_amount == Decimal(1000) and data.month_amounts == [Decimal(300), Decimal(700)]
    public = selectors.consumption_cost_by_department_month(
        company=world.company, start=last, end=this + timedelta(days=40)
    )
    assert {(c.department_id, c.month, c.amount) for c in public} == {
        (world.sales.pk, last, Decimal(300)),
        (world.sales.pk, this, Decimal(200)),
        (world.general.pk, this, Decimal(400)),
        (None, this, Decimal(100)),
    }
    with pytest.raises(ServiceError) as exc:
        selectors.consumption(company=world.company, membership=world.affairs, start=last, months=13)
    assert "months" in exc.value.field_errors


def test_consumption_of_another_company_is_not_mixed_in(world, other_company):
    other = build_world(other_company)
    item = make_item(other)
    services.receive_stock(**other.w(), consumable=item, location=other.store, quantity=5)
    services.issue_stock(
        **other.w(), consumable=item, location=other.store, quantity=5, department=other.sales
    )
    assert (
        selectors.consumption_cost_by_department_month(
            company=world.company, start=date(2000, 1, 1), end=today()
        )
        == []
    )


def test_home_panels(world):
    item = make_item(world, reorder_point=5)
    services.request_consumable(**world.w(world.employee), consumable=item, quantity=2)
    staff = {p["key"]: p for p in home_consumables.panels(world.affairs)}
    texts = [i["text"] for i in staff["affairs_consumables"]["items"]]
    assert any("依頼が 1 件" in t for t in texts) and any("発注点以下の消耗品が 1 品目" in t for t in texts)
    own = {p["key"]: p for p in home_consumables.panels(world.employee)}
    assert "affairs_consumables" not in own
    assert "コピー用紙 A4 × 2箱 を依頼中" in own["my_consumable_requests"]["items"][0]["text"]


@pytest.mark.django_db(transaction=True)
def test_two_issues_of_the_last_stock_at_once_let_only_one_through():
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL and file SQLite run this")
    from tests.conftest import make_company

    company: Company = make_company("同時出庫")
    w = build_world(company)
    item = make_item(w)
    services.receive_stock(**w.w(), consumable=item, location=w.store, quantity=3)
    results: list[object] = []
    barrier = threading.Barrier(4)

    def issue() -> None:
        try:
            barrier.wait()
            results.append(services.issue_stock(**w.w(), consumable=item, location=w.store, quantity=2))
        except ServiceError as exc:
            results.append(exc)
        except BaseException as exc:
            results.append(("unexpected", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    made = [r for r in results if isinstance(r, StockMove)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(made) == 1 and len(refused) == 3, results
    assert all(e.code == "insufficient_stock" for e in refused)
    assert item.stocks.get(location=w.store).quantity == 1
