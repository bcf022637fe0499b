"""備品 reads: search and filters, held items and loan histories, leavers, fixed-asset candidates;
the list costs the same queries for 3 rows or 30."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ennoshita.affairs.models import EquipmentStatus
from ennoshita.affairs.selectors import equipment as selectors
from ennoshita.affairs.services import equipment as services
from ennoshita.affairs.services import settings as settings_services
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.people import services as people_services
from tests.conftest import make_member

from .equipment_fixtures import lend, make_item, today

pytest_plugins = ["tests.affairs.equipment_fixtures"]


def _numbers(qs):
    return [e.asset_number for e in qs]


def _r(org, who=None):
    m = who or org.affairs
    return {"company": org.company, "membership": m}


def test_search_matches_number_name_serial_and_holder(org, worker, colleague):
    a = make_item(org, number="PC-0001", name="ノートPC", serial_number="ABC123")
    make_item(org, number="PH-0001", name="iPhone 15", category_id=org.key.pk, serial_number="XYZ")
    lend(org, a, worker)
    assert _numbers(selectors.equipment_list(**_r(org), q="pc-0001")) == ["PC-0001"]
    assert _numbers(selectors.equipment_list(**_r(org), q="ｉｐｈｏｎｅ")) == ["PH-0001"]
    assert _numbers(selectors.equipment_list(**_r(org), q="abc")) == ["PC-0001"]
    assert _numbers(selectors.equipment_list(**_r(org), q="社員")) == ["PC-0001"]  # the holder's name
    assert _numbers(selectors.equipment_list(**_r(org), q="しゃいん")) == ["PC-0001"]  # kana, hiragana
    assert _numbers(selectors.equipment_list(**_r(org), q="鈴木")) == []


def test_filters(org, worker):
    place = settings_services.create_location(**org.w(), name="本社2F")
    a = make_item(
        org,
        number="A-1",
        location_id=place.pk,
        purchase_price="150000",
        warranty_end=today() + timedelta(days=20),
    )
    make_item(
        org,
        number="A-2",
        category_id=org.key.pk,
        purchase_price="3000",
        warranty_end=today() + timedelta(days=200),
    )
    gone = make_item(org, number="A-3")
    services.dispose_equipment(**org.w(), equipment=gone, disposed_on=today())
    lend(org, a, worker)
    r = _r(org)
    assert _numbers(selectors.equipment_list(**r)) == ["A-1", "A-2"]  # 廃棄済み left out by default
    assert _numbers(selectors.equipment_list(**r, status=EquipmentStatus.DISPOSED)) == ["A-3"]
    assert _numbers(selectors.equipment_list(**r, category_id=org.key.pk)) == ["A-2"]
    assert _numbers(selectors.equipment_list(**r, location_id=place.pk)) == ["A-1"]
    assert _numbers(selectors.equipment_list(**r, holder_id=worker.pk)) == ["A-1"]
    assert _numbers(selectors.equipment_list(**r, status=EquipmentStatus.LENT)) == ["A-1"]
    assert _numbers(selectors.equipment_list(**r, fixed_asset=True)) == ["A-1"]
    assert _numbers(selectors.equipment_list(**r, fixed_asset=False)) == ["A-2"]
    assert _numbers(selectors.equipment_list(**r, warranty_within=30)) == ["A-1"]


def test_the_fixed_asset_threshold_follows_the_settings(org):
    make_item(org, number="B-1", purchase_price="100000")  # at the threshold: flagged
    make_item(org, number="B-2", purchase_price="99999")
    make_item(org, number="B-3", purchase_price=None)
    assert _numbers(selectors.fixed_asset_candidates(**_r(org))) == ["B-1"]
    settings_services.update_affairs_settings(**org.w(), fixed_asset_threshold="300000", checkup_month=6)
    assert _numbers(selectors.fixed_asset_candidates(**_r(org))) == []
    accounting = make_member(org.company, "acc1", ["accounting"])
    selectors.fixed_asset_candidates(**_r(org, accounting))  # 経理 reads it
    with pytest.raises(PermissionDeniedError):
        selectors.fixed_asset_candidates(**_r(org, org.hr))


def test_list_query_count_does_not_grow_with_rows(org, worker, colleague, django_assert_num_queries):
    def run():
        with django_assert_num_queries(2):  # the threshold, the rows (category, place, holder joined)
            rows = list(selectors.equipment_list(**_r(org), fixed_asset=False, q="PC"))
            for e in rows:
                (e.category.name, e.location and e.location.name, e.holder and e.holder.full_name)
        return rows

    for i in range(3):
        lend(org, make_item(org, number=f"PC-{i:04d}"), worker if i % 2 else colleague)
    assert len(run()) == 3
    for i in range(3, 30):
        make_item(org, number=f"PC-{i:04d}")
    assert len(run()) == 30


def test_leavers_holding_items(org, worker, colleague, django_assert_num_queries):
    a = make_item(org, number="L-1")
    b = make_item(org, number="L-2")
    c = make_item(org, number="L-3")
    lend(org, a, worker, lent_on=today() - timedelta(days=100))
    lend(org, b, worker, lent_on=today() - timedelta(days=100))
    lend(org, c, colleague, lent_on=today() - timedelta(days=100))
    people_services.retire_employee(**org.w(org.hr), employee=worker, retire_date=today() - timedelta(days=5))
    people_services.retire_employee(
        **org.w(org.hr), employee=colleague, retire_date=today() + timedelta(days=90)
    )
    with django_assert_num_queries(1):
        groups = selectors.leavers_holding(**_r(org, org.hr))
    assert [(g.employee.pk, [i.asset_number for i in g.items], g.has_left) for g in groups] == [
        (worker.pk, ["L-1", "L-2"], True)
    ]  # the colleague leaves in 90 days: not yet listed
    assert selectors.leaver_item_count(company=org.company) == (1, 2)
    assert len(selectors.leavers_holding(**_r(org, org.hr), days=120)) == 2
    services.return_equipment(**org.w(), equipment=a, returned_on=today())
    services.return_equipment(**org.w(), equipment=b, returned_on=today())
    assert selectors.leavers_holding(**_r(org, org.hr)) == []
    accounting = make_member(org.company, "acc1", ["accounting"])
    with pytest.raises(PermissionDeniedError):
        selectors.leavers_holding(**_r(org, accounting))


def test_held_items_and_histories(org, worker, django_assert_num_queries):
    a = make_item(org, number="H-1")
    b = make_item(org, number="H-2")
    lend(org, a, worker, lent_on=today() - timedelta(days=9))
    services.return_equipment(**org.w(), equipment=a, returned_on=today() - timedelta(days=2))
    lend(org, b, worker, lent_on=today())
    with django_assert_num_queries(1):
        held = [
            (loan.equipment.asset_number, loan.equipment.category.name)
            for loan in selectors.held_items(company=org.company, employee=worker)
        ]
    assert held == [("H-2", "PC")]
    assert [
        loan.equipment.asset_number for loan in selectors.employee_loans(company=org.company, employee=worker)
    ] == ["H-2", "H-1"]
    with django_assert_num_queries(1):
        loans = [loan.employee.full_name for loan in selectors.item_loans(company=org.company, equipment=a)]
    assert loans == ["社員 次郎"]
    actions = [e.action for e in selectors.equipment_history(company=org.company, equipment=a)]
    assert actions == ["update", "return", "create", "lend", "create"]


def test_who_reads(org, employee_member, other_company, outsider):
    item = make_item(org)
    for role in ("hr", "accounting"):
        m = make_member(org.company, f"r-{role}", [role])
        assert selectors.get_equipment(**_r(org, m), equipment_id=item.pk) == item
    with pytest.raises(PermissionDeniedError):
        selectors.equipment_list(**_r(org, employee_member))
    with pytest.raises(NotFound):
        selectors.get_equipment(company=other_company, membership=outsider, equipment_id=item.pk)


def test_threshold_default_before_settings_are_saved(org):
    assert selectors.threshold_of(org.company) == Decimal(100000)
