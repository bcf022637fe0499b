"""備品 services: the register, lending and return (refusals write nothing), audit events, roles,
and 総務の設定 / places."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ennoshita.affairs.models import AffairsSettings, Equipment, EquipmentLoan, EquipmentStatus, Location
from ennoshita.affairs.services import equipment as services
from ennoshita.affairs.services import settings as settings_services
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import services as people_services
from tests.conftest import make_member

from .equipment_fixtures import lend, make_item, today

pytest_plugins = ["tests.affairs.equipment_fixtures"]


def _rows():
    return (
        Equipment.objects.count(),
        EquipmentLoan.objects.count(),
        AuditEvent.objects.count(),
        list(Equipment.objects.values_list("status", "holder_id").order_by("pk")),
    )


def _events(org, action, obj):
    return AuditEvent.objects.filter(
        company=org.company, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


# ------------------------------------------------------------------------------ the register
def test_register_normalises_and_records_the_creation(org):
    item = make_item(org, number="ｐｃ－0001", purchase_price="１２８，０００")
    assert item.asset_number == "PC-0001"
    assert item.purchase_price == Decimal(128000)
    assert item.status == EquipmentStatus.IN_STOCK and item.holder is None
    event = _events(org, "create", item).get()
    assert event.changes["fields"]["asset_number"] == [None, "PC-0001"]
    assert event.changes["fields"]["purchase_price"] == [None, "128000"]


def test_a_duplicate_asset_number_is_refused_and_nothing_written(org):
    make_item(org, number="PC-0001")
    before = _rows()
    with pytest.raises(ServiceError) as info:
        make_item(org, number="pc-0001")
    assert "PC-0001" in info.value.field_errors["asset_number"][0]
    assert _rows() == before


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("purchase_price", {"purchase_price": "-1"}),
        ("purchase_price", {"purchase_price": "12.5"}),
        ("purchase_price", {"purchase_price": "abc"}),
        ("name", {"name": "  "}),
        ("category", {"category_id": None}),
        ("warranty_end", {"purchase_date": date(2025, 4, 1), "warranty_end": date(2025, 3, 1)}),
    ],
)
def test_bad_input_is_refused_on_its_field(org, field, kw):
    before = _rows()
    with pytest.raises(ServiceError) as info:
        make_item(org, **kw)
    assert field in info.value.field_errors
    assert _rows() == before


def test_another_companys_category_is_not_accepted(org, other_company, outsider):
    theirs = services.create_category(
        company=other_company, actor=outsider.user, membership=outsider, name="PC"
    )  # outsider is admin there
    with pytest.raises(ServiceError) as info:
        make_item(org, category_id=theirs.pk)
    assert "category" in info.value.field_errors


def test_update_records_only_what_changed(org):
    item = make_item(org)
    data = services.EquipmentInput(
        asset_number=item.asset_number,
        name="ノートPC(予備)",
        category_id=org.pc.pk,
        maker=item.maker,
        serial_number=item.serial_number,
        purchase_date=item.purchase_date,
        purchase_price=item.purchase_price,
        vendor_name=item.vendor_name,
        warranty_end=item.warranty_end,
    )
    services.update_equipment(**org.w(), equipment=item, data=data)
    event = _events(org, "update", item).get()
    assert event.changes["fields"] == {"name": ["ノートPC ThinkPad X1", "ノートPC(予備)"]}


def test_employees_hr_and_accounting_cannot_register(org, employee_member):
    accounting = make_member(org.company, "acc1", ["accounting"])
    for who in (employee_member, org.hr, accounting):
        before = _rows()
        with pytest.raises(PermissionDeniedError):
            services.register_equipment(
                **org.w(who),
                data=services.EquipmentInput(asset_number="X-1", name="机", category_id=org.pc.pk),
            )
        assert _rows() == before


# ------------------------------------------------------------------------------ lending
def test_lend_and_return_move_the_item_and_leave_a_history(org, worker):
    item = make_item(org)
    loan = lend(org, item, worker, due_on=today() + timedelta(days=30), note="在宅勤務用")
    item.refresh_from_db()
    assert (item.status, item.holder_id) == (EquipmentStatus.LENT, worker.pk)
    assert loan.returned_on is None and loan.lent_by == org.affairs.user
    lent = _events(org, "lend", item).get()
    assert lent.changes["fields"]["status"] == ["in_stock", "lent"]
    assert lent.changes["fields"]["holder"] == [None, worker.pk]
    assert _events(org, "create", loan).exists()

    services.return_equipment(**org.w(), equipment=item, returned_on=today(), return_note="画面に傷")
    item.refresh_from_db()
    loan.refresh_from_db()
    assert (item.status, item.holder_id) == (EquipmentStatus.IN_STOCK, None)
    assert loan.returned_on == today() and loan.return_note == "画面に傷"
    assert _events(org, "return", item).get().changes["fields"]["status"] == ["lent", "in_stock"]
    # lent again after the return: a second loan
    lend(org, item, worker, lent_on=today())
    assert EquipmentLoan.objects.filter(equipment=item).count() == 2


def test_lending_an_item_already_lent_is_refused_with_the_holder_and_nothing_written(org, worker, colleague):
    item = make_item(org)
    lend(org, item, worker)
    before = _rows()
    with pytest.raises(ServiceError) as info:
        lend(org, item, colleague)
    assert info.value.code == "already_lent"
    message = info.value.field_errors["equipment"][0]
    assert "社員 次郎" in message and "貸出中" in message and "PC-0001" in message
    assert _rows() == before


def test_the_database_refuses_a_second_open_loan_with_the_same_message(org, worker, colleague):
    """Two lendings at once: the first committed its loan after the second read the item as 保管中.
    The one-open-loan constraint turns the second into the same refusal, nothing written."""
    item = make_item(org)
    EquipmentLoan.objects.create(
        company=org.company, equipment=item, employee=worker, lent_on=today(), lent_by=org.affairs.user
    )  # the other lending's row; the item's status is not yet updated (as read by the second)
    before = _rows()
    with pytest.raises(ServiceError) as info:
        lend(org, item, colleague)
    assert info.value.code == "already_lent"
    assert "社員 次郎" in info.value.field_errors["equipment"][0]
    assert _rows() == before


def test_lending_to_someone_who_has_left_is_refused(org, colleague):
    people_services.retire_employee(
        **org.w(org.hr), employee=colleague, retire_date=today() - timedelta(days=3)
    )
    item = make_item(org)
    before = _rows()
    with pytest.raises(ServiceError) as info:
        lend(org, item, colleague, lent_on=today())
    assert info.value.code == "retired" and "退職" in info.value.field_errors["employee"][0]
    assert _rows() == before
    # a loan dated before the 退職日 (recorded late) is still accepted
    lend(org, item, colleague, lent_on=today() - timedelta(days=20))


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("lent_on", {"lent_on": date.today() + timedelta(days=400)}),
        ("due_on", {"lent_on": date(2026, 1, 10), "due_on": date(2026, 1, 9)}),
    ],
)
def test_bad_loan_dates_are_refused(org, worker, field, kw):
    item = make_item(org)
    before = _rows()
    with pytest.raises(ServiceError) as info:
        lend(org, item, worker, **kw)
    assert field in info.value.field_errors
    assert _rows() == before


def test_items_under_repair_disposed_or_of_an_unlent_category_are_not_lent(org, worker):
    repair = make_item(org, number="PC-0002")
    services.set_equipment_status(**org.w(), equipment=repair, status=EquipmentStatus.REPAIR)
    gone = make_item(org, number="PC-0003")
    services.dispose_equipment(**org.w(), equipment=gone, disposed_on=today())
    shelf = services.create_category(**org.w(), name="家具", is_lendable=False)
    desk = make_item(org, number="FN-0001", name="事務机", category_id=shelf.pk)
    for item, code in ((repair, "not_available"), (gone, "not_available"), (desk, "not_lendable")):
        before = _rows()
        with pytest.raises(ServiceError) as info:
            lend(org, item, worker)
        assert info.value.code == code
        assert _rows() == before


def test_returning_an_item_not_lent_and_a_return_before_the_loan_are_refused(org, worker):
    item = make_item(org)
    with pytest.raises(ServiceError) as info:
        services.return_equipment(**org.w(), equipment=item, returned_on=today())
    assert info.value.code == "not_lent"
    lend(org, item, worker, lent_on=today() - timedelta(days=5))
    before = _rows()
    with pytest.raises(ServiceError) as info:
        services.return_equipment(**org.w(), equipment=item, returned_on=today() - timedelta(days=6))
    assert "returned_on" in info.value.field_errors
    assert _rows() == before


def test_a_broken_return_goes_to_repair(org, worker):
    item = make_item(org)
    lend(org, item, worker)
    services.return_equipment(**org.w(), equipment=item, returned_on=today(), needs_repair=True)
    item.refresh_from_db()
    assert item.status == EquipmentStatus.REPAIR and item.holder is None


def test_a_lent_item_cannot_be_disposed_or_marked_lost(org, worker):
    item = make_item(org)
    lend(org, item, worker)
    before = _rows()
    with pytest.raises(ServiceError):
        services.dispose_equipment(**org.w(), equipment=item, disposed_on=today())
    with pytest.raises(ServiceError):
        services.set_equipment_status(**org.w(), equipment=item, status=EquipmentStatus.LOST)
    assert _rows() == before


def test_dispose_records_the_day(org):
    item = make_item(org)
    services.dispose_equipment(**org.w(), equipment=item, disposed_on=today(), note="故障のため")
    item.refresh_from_db()
    assert item.status == EquipmentStatus.DISPOSED and item.disposed_on == today()
    assert "故障のため" in item.note
    assert _events(org, "dispose", item).get().changes["fields"]["status"] == ["in_stock", "disposed"]


def test_another_companys_item_is_not_found(org, other_company, outsider, worker):
    theirs_cat = services.create_category(
        company=other_company, actor=outsider.user, membership=outsider, name="PC"
    )
    theirs = services.register_equipment(
        company=other_company,
        actor=outsider.user,
        membership=outsider,
        data=services.EquipmentInput(asset_number="PC-9", name="PC", category_id=theirs_cat.pk),
    )
    with pytest.raises(NotFound):
        lend(org, theirs, worker)
    with pytest.raises(NotFound):
        services.dispose_equipment(**org.w(), equipment=theirs, disposed_on=today())


def test_lending_to_another_companys_employee_is_refused(org, other_company, outsider):
    from tests.conftest import make_department, make_employee

    dept = make_department(other_company, outsider, code="900")
    stranger = make_employee(other_company, outsider, dept, number="Z1")
    item = make_item(org)
    before = _rows()
    with pytest.raises(ServiceError) as info:
        lend(org, item, stranger)
    assert "employee" in info.value.field_errors
    assert _rows() == before


def test_only_admin_and_affairs_lend(org, worker):
    item = make_item(org)
    for who in (org.hr,):
        with pytest.raises(PermissionDeniedError):
            services.lend_equipment(**org.w(who), equipment=item, employee=worker, lent_on=today())
    assert not EquipmentLoan.objects.exists()


# ------------------------------------------------------------------------------ categories
def test_category_names_are_unique_per_company(org):
    with pytest.raises(ServiceError) as info:
        services.create_category(**org.w(), name="ＰＣ")
    assert "PC" in info.value.field_errors["name"][0]
    services.update_category(**org.w(), category=org.key, name="鍵・カード", is_lendable=True, sort_order="3")
    org.key.refresh_from_db()
    assert (org.key.name, org.key.sort_order) == ("鍵・カード", 3)


# ------------------------------------------------------------------------------ settings and places
def test_settings_are_made_with_the_defaults(org):
    row = settings_services.settings_of(org.company)
    assert row.fixed_asset_threshold == Decimal(100000) and row.checkup_month == 6
    assert settings_services.settings_of(org.company).pk == row.pk


def test_update_settings_checks_and_records(org):
    settings_services.update_affairs_settings(**org.w(), fixed_asset_threshold="200,000", checkup_month="10")
    row = AffairsSettings.objects.get(company=org.company)
    assert (row.fixed_asset_threshold, row.checkup_month) == (Decimal(200000), 10)
    assert _events(org, "update", row).get().changes["fields"]["fixed_asset_threshold"] == [
        "100000",
        "200000",
    ]
    with pytest.raises(ServiceError) as info:
        settings_services.update_affairs_settings(**org.w(), fixed_asset_threshold="-5", checkup_month="13")
    assert set(info.value.field_errors) == {"fixed_asset_threshold", "checkup_month"}
    row.refresh_from_db()
    assert row.checkup_month == 10
    with pytest.raises(PermissionDeniedError):
        settings_services.update_affairs_settings(
            **org.w(org.hr), fixed_asset_threshold="1", checkup_month="1"
        )


def test_places_create_rename_deactivate(org):
    place = settings_services.create_location(**org.w(), name=" 本社 3F  倉庫 ")
    assert place.name == "本社 3F 倉庫"
    with pytest.raises(ServiceError):
        settings_services.create_location(**org.w(), name="本社 3F 倉庫")
    settings_services.rename_location(**org.w(), location=place, name="本社3F倉庫")
    settings_services.deactivate_location(**org.w(), location=place)
    place.refresh_from_db()
    assert (place.name, place.is_active) == ("本社3F倉庫", False)
    assert _events(org, "deactivate", place).exists()
    # a stopped place is not offered for a new item
    with pytest.raises(ServiceError) as info:
        make_item(org, location_id=place.pk)
    assert "location" in info.value.field_errors
    assert Location.objects.count() == 1
