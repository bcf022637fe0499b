"""消耗品 screens: lists with search, filters and CSV/Excel, forms, requests, permissions, queries."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from ennoshita.affairs.models import ConsumableRequest, ConsumableStock, RequestStatus, StockMove
from ennoshita.affairs.services import consumables as services
from tests.conftest import login

from .consumables_fixtures import World, build_world, make_item, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company) -> World:
    return build_world(company)


def stocked(world: World, n: int = 3):
    items = []
    for i in range(n):
        item = make_item(
            world, code=f"P-{i:03d}", name=f"ボールペン 黒 {i}", unit="本", unit_cost="110", reorder_point=5
        )
        services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=10 + i)
        services.issue_stock(
            **world.w(), consumable=item, location=world.store, quantity=2, department=world.sales
        )
        items.append(item)
    return items


def test_item_list_search_filter_and_exports(client, world):
    stocked(world)
    make_item(world, code="T-1", name="トナー カートリッジ", reorder_point=3)
    login(client, world.affairs)
    url = reverse("affairs:consumable_list")
    page = client.get(url).content.decode()
    assert "ボールペン 黒 0" in page and "トナー" in page
    page = client.get(url, {"q": "とな"}).content.decode()  # hiragana finds katakana
    assert "トナー" in page and "ボールペン" not in page
    page = client.get(url, {"below": "on"}).content.decode()
    assert "トナー" in page and "ボールペン" not in page
    page = client.get(url, {"location": world.floor.pk}).content.decode()
    assert "ボールペン" not in page
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("品番,品名,単位,在庫数")
    assert "P-000,ボールペン 黒 0,本,8" in text
    xlsx = client.get(url, {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.active.cell(1, 1).value == "品番" and book.active.max_row == 5


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _activity(world: World, prefix: str, n: int) -> None:
    for i in range(n):
        item = make_item(world, code=f"{prefix}-{i}", name=f"付箋 {prefix}{i}", reorder_point=50)
        services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=10)
        services.issue_stock(
            **world.w(), consumable=item, location=world.store, quantity=1, employee=world.staff
        )
        services.request_consumable(**world.w(world.employee), consumable=item, quantity=1)


LIST_PAGES = (
    "consumable_list",
    "consumable_moves",
    "consumable_requests",
    "consumable_reorder",
    "consumable_consumption",
    "consumable_my_requests",
)


def test_list_pages_cost_the_same_queries_for_more_rows(client, world):
    _activity(world, "A", 1)
    login(client, world.affairs)
    few = {name: _queries(client, reverse(f"affairs:{name}")) for name in LIST_PAGES}
    _activity(world, "B", 6)
    many = {name: _queries(client, reverse(f"affairs:{name}")) for name in LIST_PAGES}
    assert many == few
    assert few["consumable_list"] <= 12, few


def test_create_edit_and_detail_with_history(client, world):
    login(client, world.affairs)
    response = client.post(
        reverse("affairs:consumable_new"),
        {
            "code": "B-1",
            "name": "単3乾電池",
            "unit": "本",
            "unit_cost": "45.5",
            "reorder_point": "20",
            "reorder_quantity": "40",
            "vendor_name": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    item = (
        StockMove.objects.none().model._meta.apps.get_model("affairs", "Consumable").objects.get(code="B-1")
    )
    response = client.post(
        reverse("affairs:consumable_edit", args=[item.pk]),
        {
            "code": "B-1",
            "name": "単3アルカリ乾電池",
            "unit": "本",
            "unit_cost": "45.5",
            "reorder_point": "20",
            "reorder_quantity": "40",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("affairs:consumable_detail", args=[item.pk])).content.decode()
    assert "単3アルカリ乾電池" in page and "変更履歴" in page and "単3乾電池" in page  # before → after


def test_bad_item_input_is_shown_on_the_form(client, world):
    make_item(world, code="DUP")
    login(client, world.affairs)
    response = client.post(
        reverse("affairs:consumable_new"),
        {
            "code": "DUP",
            "name": "x",
            "unit": "個",
            "unit_cost": "1.23456",
            "reorder_point": "0",
            "reorder_quantity": "0",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "既に使われています" in page and "小数点以下4桁まで" in page


def test_move_forms_and_over_issue_message(client, world):
    item = make_item(world)
    login(client, world.affairs)
    day = today().isoformat()
    r = client.post(
        reverse("affairs:consumable_receive", args=[item.pk]),
        {"location": world.store.pk, "quantity": "5", "unit_cost": "2400", "moved_on": day},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("affairs:consumable_issue", args=[item.pk]),
        {"location": world.store.pk, "quantity": "9", "department": world.sales.pk, "moved_on": day},
    )
    assert r.status_code == 400
    assert "在庫は 5箱 です" in r.content.decode()
    assert StockMove.objects.count() == 1
    r = client.post(
        reverse("affairs:consumable_issue", args=[item.pk]),
        {"location": world.store.pk, "quantity": "2", "department": world.sales.pk, "moved_on": day},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("affairs:consumable_transfer", args=[item.pk]),
        {"from_location": world.store.pk, "to_location": world.floor.pk, "quantity": "1", "moved_on": day},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("affairs:consumable_count", args=[item.pk]),
        {"location": world.floor.pk, "counted_quantity": "0", "moved_on": day, "note": "紛失"},
    )
    assert r.status_code == 302
    assert dict(ConsumableStock.objects.values_list("location_id", "quantity")) == {
        world.store.pk: 2,
        world.floor.pk: 0,
    }
    page = client.get(reverse("affairs:consumable_moves"), {"kind": "issue"}).content.decode()
    assert "出庫" in page and "営業部" in page
    csv = client.get(reverse("affairs:consumable_moves"), {"format": "csv"}).content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + 5


def test_employee_requests_and_affairs_issues(client, world):
    item = make_item(world, name="付箋 75mm", unit="冊")
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=3)
    login(client, world.employee)
    assert client.get(reverse("affairs:consumable_list")).status_code == 403
    r = client.post(
        reverse("affairs:consumable_request_new"),
        {"consumable": item.pk, "quantity": "2", "note": "打合せ用"},
    )
    assert r.status_code == 302
    req = ConsumableRequest.objects.get()
    assert "付箋 75mm" in client.get(reverse("affairs:consumable_my_requests")).content.decode()

    login(client, world.affairs)
    page = client.get(reverse("affairs:consumable_requests")).content.decode()
    assert "付箋 75mm" in page and "打合せ用" in page
    r = client.post(reverse("affairs:consumable_request_issue", args=[req.pk]), {"location": world.store.pk})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.ISSUED

    again = services.request_consumable(**world.w(world.employee), consumable=item, quantity=5)
    r = client.post(
        reverse("affairs:consumable_request_issue", args=[again.pk]),
        {"location": world.store.pk},
        follow=True,
    )
    assert "在庫は 1冊 です" in r.content.decode()
    again.refresh_from_db()
    assert again.status == RequestStatus.REQUESTED
    r = client.post(reverse("affairs:consumable_request_reject", args=[again.pk]), {"note": "在庫不足"})
    again.refresh_from_db()
    assert again.status == RequestStatus.REJECTED


def test_employee_cancels_own_request_but_not_anothers(client, world):
    from tests.conftest import make_member

    item = make_item(world)
    mine = services.request_consumable(**world.w(world.employee), consumable=item, quantity=1)
    other = make_member(world.company, "other-emp", ["employee"])
    theirs = services.request_consumable(**world.w(other), consumable=item, quantity=1)
    login(client, world.employee)
    assert client.post(reverse("affairs:consumable_request_cancel", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("affairs:consumable_request_cancel", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (RequestStatus.CANCELLED, RequestStatus.REQUESTED)
    page = client.get(reverse("affairs:consumable_my_requests")).content.decode()
    assert page.count("data-request=") == 1


def test_reorder_and_consumption_pages(client, world):
    item = make_item(world, name="トナー", reorder_point=5, reorder_quantity=10, unit_cost="8000")
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=6)
    services.issue_stock(
        **world.w(), consumable=item, location=world.store, quantity=2, department=world.sales
    )
    login(client, world.affairs)
    page = client.get(reverse("affairs:consumable_reorder")).content.decode()
    assert "トナー" in page and "¥80,000" in page
    csv = client.get(reverse("affairs:consumable_reorder"), {"format": "csv"}).content.decode("utf-8-sig")
    assert ",4,5,10,8000" in csv
    page = client.get(reverse("affairs:consumable_consumption")).content.decode()
    assert "営業部" in page and "¥16,000" in page and "<svg" in page
    bad = client.get(reverse("affairs:consumable_consumption"), {"months": "40"})
    assert bad.status_code == 200  # an invalid filter falls back to the default period
    xlsx = client.get(reverse("affairs:consumable_consumption"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.active.cell(2, 1).value == "営業部"
