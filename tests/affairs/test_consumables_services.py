"""消耗品 services: items, 入庫・出庫・棚卸・移動, requests, amounts, permissions, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ennoshita.affairs.models import ConsumableRequest, ConsumableStock, MoveKind, RequestStatus, StockMove
from ennoshita.affairs.rules import consumables as rules
from ennoshita.affairs.services import consumables as services
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification

from .consumables_fixtures import World, build_world, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company) -> World:
    return build_world(company)


def stock(world: World, item, location) -> int:
    row = ConsumableStock.objects.filter(consumable=item, location=location).first()
    return row.quantity if row else 0


def counts() -> tuple[int, int, int, int]:
    return (
        StockMove.objects.count(),
        AuditEvent.objects.count(),
        ConsumableRequest.objects.filter(status=RequestStatus.REQUESTED).count(),
        sum(ConsumableStock.objects.values_list("quantity", flat=True)),
    )


# ------------------------------------------------------------------------------------ rules
def test_move_amount_rounds_half_up_to_whole_yen():
    assert rules.move_amount(quantity=3, unit_cost=Decimal("12.5")) == Decimal("38")  # 37.5 → 38
    assert rules.move_amount(quantity=-3, unit_cost=Decimal("12.5")) == Decimal("-38")
    assert rules.move_amount(quantity=7, unit_cost=Decimal("10.07")) == Decimal("70")  # 70.49 → 70


def test_moving_average_cost():
    assert rules.moving_average_cost(
        on_hand=10, current_cost=Decimal("100"), received=30, received_cost=Decimal("120")
    ) == Decimal("115.0000")
    assert rules.moving_average_cost(
        on_hand=0, current_cost=Decimal("100"), received=5, received_cost=Decimal("80")
    ) == Decimal("80.0000")
    # 1 × 100 + 2 × 101 = 302 / 3 = 100.6666… → 100.6667 (四捨五入 at 4 places)
    assert rules.moving_average_cost(
        on_hand=1, current_cost=Decimal("100"), received=2, received_cost=Decimal("101")
    ) == Decimal("100.6667")


def test_suggested_order_quantity():
    assert rules.suggested_order_quantity(on_hand=3, reorder_point=5, reorder_quantity=10) == 10
    assert rules.suggested_order_quantity(on_hand=0, reorder_point=20, reorder_quantity=10) == 21
    assert rules.suggested_order_quantity(on_hand=2, reorder_point=5, reorder_quantity=0) == 8
    assert rules.is_below_reorder_point(on_hand=5, reorder_point=5)
    assert not rules.is_below_reorder_point(on_hand=0, reorder_point=0)


# ------------------------------------------------------------------------------------ items
def test_create_and_update_item_are_audited(world):
    item = make_item(world)
    assert item.search_key and "コピー" in item.search_key
    services.update_consumable(
        **world.w(),
        consumable=item,
        data=services.ConsumableInput(
            code="P-001", name="コピー用紙 A4 (500枚×5冊)", unit="箱", unit_cost="2600"
        ),
    )
    actions = list(
        AuditEvent.objects.filter(object_type="affairs.consumable", object_id=str(item.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "update"]


def test_item_input_errors_are_on_their_fields(world):
    make_item(world)
    before = counts()
    with pytest.raises(ServiceError) as exc:
        services.create_consumable(
            **world.w(),
            data=services.ConsumableInput(code="P-001", name="", unit="", unit_cost="-1", reorder_point="x"),
        )
    assert set(exc.value.field_errors) == {"code", "name", "unit", "unit_cost", "reorder_point"}
    assert "既に使われています" in exc.value.field_errors["code"][0]
    assert counts() == before


def test_only_affairs_and_admin_manage_items(world):
    with pytest.raises(PermissionDeniedError):
        services.create_consumable(
            **world.w(world.employee), data=services.ConsumableInput(code="X", name="X")
        )
    with pytest.raises(PermissionDeniedError):
        services.create_consumable(**world.w(world.hr), data=services.ConsumableInput(code="X", name="X"))
    assert not StockMove.objects.exists()


# ------------------------------------------------------------------------------------ stock
def test_receipt_adds_stock_and_moves_the_unit_cost_to_the_moving_average(world):
    item = make_item(world, unit_cost="100")
    m1 = services.receive_stock(
        **world.w(), consumable=item, location=world.store, quantity=10, unit_cost="100"
    )
    m2 = services.receive_stock(
        **world.w(), consumable=item, location=world.floor, quantity=30, unit_cost="120"
    )
    item.refresh_from_db()
    assert (m1.kind, m1.quantity, m1.amount) == (MoveKind.RECEIPT, 10, Decimal("1000"))
    assert (m2.quantity, m2.amount) == (30, Decimal("3600"))
    assert item.unit_cost == Decimal("115.0000")
    assert stock(world, item, world.store) == 10 and stock(world, item, world.floor) == 30
    event = AuditEvent.objects.filter(object_type="affairs.consumable", action="update").get()
    assert event.changes["fields"]["unit_cost"] == ["100.0000", "115.0000"]


def test_issue_to_an_employee_charges_their_department_at_the_current_unit_cost(world):
    item = make_item(world, unit_cost="12.5")
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=10)
    move = services.issue_stock(
        **world.w(), consumable=item, location=world.store, quantity=3, employee=world.staff
    )
    assert (move.kind, move.quantity, move.unit_cost, move.amount) == (
        MoveKind.ISSUE,
        -3,
        Decimal("12.5000"),
        Decimal("-38"),
    )
    assert move.department == world.sales and move.employee == world.staff
    assert stock(world, item, world.store) == 7
    assert AuditEvent.objects.filter(object_type="affairs.stockmove", action="issue").count() == 1


def test_issuing_more_than_in_stock_is_refused_and_nothing_is_written(world):
    item = make_item(world)
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=2)
    before = counts()
    with pytest.raises(ServiceError) as exc:
        services.issue_stock(
            **world.w(), consumable=item, location=world.store, quantity=3, department=world.sales
        )
    assert exc.value.code == "insufficient_stock"
    assert "在庫は 2箱 です" in exc.value.field_errors["quantity"][0]
    assert counts() == before
    # a place with no stock row at all says 0
    with pytest.raises(ServiceError) as exc:
        services.issue_stock(**world.w(), consumable=item, location=world.floor, quantity=1)
    assert "在庫は 0箱" in exc.value.message
    assert counts() == before


@pytest.mark.parametrize("bad", [0, -1, "abc", 1.5, True, 10_000_001])
def test_bad_quantities_are_refused(world, bad):
    item = make_item(world)
    with pytest.raises(ServiceError) as exc:
        services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=bad)
    assert "quantity" in exc.value.field_errors
    assert not StockMove.objects.exists()


def test_stock_count_records_the_difference(world):
    item = make_item(world, unit_cost="200")
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=10)
    short = services.record_stock_count(
        **world.w(), consumable=item, location=world.store, counted_quantity=8
    )
    assert (short.kind, short.quantity, short.counted_quantity, short.amount) == (
        MoveKind.COUNT,
        -2,
        8,
        Decimal("-400"),
    )
    assert stock(world, item, world.store) == 8
    same = services.record_stock_count(**world.w(), consumable=item, location=world.store, counted_quantity=8)
    assert same.quantity == 0 and same.counted_quantity == 8
    found = services.record_stock_count(
        **world.w(), consumable=item, location=world.floor, counted_quantity=4
    )
    assert found.quantity == 4 and stock(world, item, world.floor) == 4


def test_transfer_moves_between_places(world):
    item = make_item(world)
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=10)
    out_move, in_move = services.transfer_stock(
        **world.w(), consumable=item, from_location=world.store, to_location=world.floor, quantity=4
    )
    assert (out_move.kind, out_move.quantity, in_move.kind, in_move.quantity) == (
        MoveKind.TRANSFER_OUT,
        -4,
        MoveKind.TRANSFER_IN,
        4,
    )
    assert stock(world, item, world.store) == 6 and stock(world, item, world.floor) == 4
    before = counts()
    with pytest.raises(ServiceError) as exc:
        services.transfer_stock(
            **world.w(), consumable=item, from_location=world.floor, to_location=world.store, quantity=5
        )
    assert "quantity" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        services.transfer_stock(
            **world.w(), consumable=item, from_location=world.floor, to_location=world.floor, quantity=1
        )
    assert "to_location" in exc.value.field_errors
    assert counts() == before


def test_another_companys_place_or_item_is_not_found(world, other_company):
    from .consumables_fixtures import make_location

    item = make_item(world)
    foreign = make_location(other_company, "よその倉庫")
    with pytest.raises(NotFound):
        services.receive_stock(**world.w(), consumable=item, location=foreign, quantity=1)
    assert not StockMove.objects.exists()


# ------------------------------------------------------------------------------------ requests
def test_request_issue_flow_notifies_the_requester(world):
    item = make_item(world)
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=10)
    req = services.request_consumable(**world.w(world.employee), consumable=item, quantity=2, note="会議資料")
    assert (req.status, req.employee, req.department) == (RequestStatus.REQUESTED, world.staff, world.sales)
    move = services.issue_request(**world.w(), request=req, location=world.store)
    req.refresh_from_db()
    assert req.status == RequestStatus.ISSUED and req.decided_by == world.affairs.user
    assert (move.request, move.quantity, move.department, move.employee) == (
        req,
        -2,
        world.sales,
        world.staff,
    )
    assert (
        Notification.objects.filter(user=world.employee.user, kind="affairs.consumable_request").count() == 1
    )
    with pytest.raises(ServiceError) as exc:
        services.issue_request(**world.w(), request=req, location=world.store)
    assert exc.value.code == "invalid_state"
    assert stock(world, item, world.store) == 8


def test_issuing_a_request_beyond_stock_keeps_it_open_and_writes_nothing(world):
    item = make_item(world)
    services.receive_stock(**world.w(), consumable=item, location=world.store, quantity=1)
    req = services.request_consumable(**world.w(world.employee), consumable=item, quantity=5)
    before = counts()
    notes = Notification.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.issue_request(**world.w(), request=req, location=world.store)
    assert "quantity" in exc.value.field_errors
    req.refresh_from_db()
    assert req.status == RequestStatus.REQUESTED and req.decided_by is None
    assert counts() == before and Notification.objects.count() == notes


def test_reject_needs_a_reason_and_cancel_is_the_requesters(world):
    item = make_item(world)
    req = services.request_consumable(**world.w(world.employee), consumable=item, quantity=1)
    with pytest.raises(ServiceError) as exc:
        services.reject_request(**world.w(), request=req, note="")
    assert "decision_note" in exc.value.field_errors
    services.reject_request(**world.w(), request=req, note="在庫切れのため来週入荷後に")
    req.refresh_from_db()
    assert req.status == RequestStatus.REJECTED
    with pytest.raises(ServiceError):
        services.cancel_request(**world.w(world.employee), request=req)

    second = services.request_consumable(**world.w(world.employee), consumable=item, quantity=1)
    with pytest.raises(PermissionDeniedError):
        services.cancel_request(**world.w(world.hr), request=second)
    services.cancel_request(**world.w(world.employee), request=second)
    second.refresh_from_db()
    assert second.status == RequestStatus.CANCELLED


def test_employees_cannot_manage_stock_or_decide_requests(world):
    item = make_item(world)
    req = services.request_consumable(**world.w(world.employee), consumable=item, quantity=1)
    before = counts()
    for call in (
        lambda: services.receive_stock(
            **world.w(world.employee), consumable=item, location=world.store, quantity=1
        ),
        lambda: services.issue_request(**world.w(world.employee), request=req, location=world.store),
        lambda: services.reject_request(**world.w(world.employee), request=req, note="x"),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    assert counts() == before


def test_inactive_items_cannot_be_requested(world):
    item = make_item(world, is_active=False)
    with pytest.raises(ServiceError) as exc:
        services.request_consumable(**world.w(world.employee), consumable=item, quantity=1)
    assert "consumable" in exc.value.field_errors


def test_request_transitions_are_declared_as_data():
    assert services.REQUEST_TRANSITIONS["issue"] == (
        frozenset({RequestStatus.REQUESTED}),
        RequestStatus.ISSUED,
    )
    assert {t for _f, t in services.REQUEST_TRANSITIONS.values()} == {
        RequestStatus.ISSUED,
        RequestStatus.REJECTED,
        RequestStatus.CANCELLED,
    }
