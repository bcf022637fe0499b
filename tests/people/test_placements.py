"""Placement history: "who was in which department on date X", transfers that take effect later."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import selectors, services
from ennoshita.people.models import Placement

from ..conftest import make_department, make_employee


@pytest.fixture
def setup(company, hr, department):
    sales = make_department(company, hr, code="300", name="営業部")
    e = make_employee(company, hr, department, hire_date=date(2020, 4, 1))
    return company, hr, department, sales, e


def _transfer(hr, e, dept, day, **kw):
    return services.transfer_employee(
        company=e.company,
        actor=hr.user,
        membership=hr,
        employee=e,
        department=dept,
        position=None,
        effective_from=day,
        **kw,
    )


def test_department_on_any_date(setup):
    company, hr, general, sales, e = setup
    _transfer(hr, e, sales, date(2023, 10, 1))
    _transfer(hr, e, general, date(2025, 4, 1))
    on = lambda d: selectors.placement_as_of(company=company, employee=e, as_of=d)
    assert on(date(2020, 3, 31)) is None  # before hire
    assert on(date(2020, 4, 1)).department == general
    assert on(date(2023, 9, 30)).department == general
    assert on(date(2023, 10, 1)).department == sales
    assert on(date(2025, 3, 31)).department == sales
    assert on(date(2025, 4, 1)).department == general


def test_a_transfer_recorded_today_for_next_month_takes_effect_then(setup):
    company, hr, general, sales, e = setup
    _transfer(hr, e, sales, date(2026, 12, 1))
    in_sales = lambda d: [
        x.pk for x in selectors.employee_list(company=company, membership=hr, department_id=sales.pk, as_of=d)
    ]
    assert in_sales(date(2026, 11, 24)) == []
    assert in_sales(date(2026, 12, 1)) == [e.pk]
    chart_before = selectors.org_chart(company=company, as_of=date(2026, 11, 30))
    chart_after = selectors.org_chart(company=company, as_of=date(2026, 12, 1))
    members = lambda chart, dept: [m.pk for m in next(n for n in chart if n.department == dept).members]
    assert members(chart_before, general) == [e.pk] and members(chart_before, sales) == []
    assert members(chart_after, sales) == [e.pk] and members(chart_after, general) == []


def test_transfer_is_audited_on_the_employee(setup):
    company, hr, general, sales, e = setup
    _transfer(hr, e, sales, date(2024, 4, 1), reason="promotion", note="昇格")
    ev = AuditEvent.objects.filter(company=company, object_type="people.employee", object_id=str(e.pk)).last()
    assert ev.action == "transfer"
    assert ev.changes["extra"]["department_name"] == "営業部"
    assert ev.changes["extra"]["effective_from"] == "2024-04-01"


@pytest.mark.parametrize(
    ("day", "field"),
    [(date(2020, 4, 1), "effective_from"), (date(2019, 1, 1), "effective_from")],
)
def test_transfer_must_come_after_hire(setup, day, field):
    company, hr, general, sales, e = setup
    before = Placement.objects.count()
    with pytest.raises(ServiceError) as err:
        _transfer(hr, e, sales, day)
    assert field in err.value.field_errors
    assert Placement.objects.count() == before


def test_two_placements_on_one_day_are_refused(setup):
    company, hr, general, sales, e = setup
    _transfer(hr, e, sales, date(2024, 4, 1))
    with pytest.raises(ServiceError) as err:
        _transfer(hr, e, general, date(2024, 4, 1))
    assert "effective_from" in err.value.field_errors


def test_cancel_a_scheduled_transfer(setup):
    company, hr, general, sales, e = setup
    p = _transfer(hr, e, sales, date(2026, 12, 1))
    services.cancel_placement(company=company, actor=hr.user, membership=hr, placement=p)
    assert (
        selectors.placement_as_of(company=company, employee=e, as_of=date(2027, 1, 1)).department == general
    )
    hire = Placement.objects.get(employee=e)
    with pytest.raises(ServiceError):
        services.cancel_placement(company=company, actor=hr.user, membership=hr, placement=hire)


def test_retirement_ends_the_placement(setup):
    company, hr, general, sales, e = setup
    services.retire_employee(
        company=company, actor=hr.user, membership=hr, employee=e, retire_date=date(2025, 3, 31)
    )
    assert selectors.placement_as_of(company=company, employee=e, as_of=date(2025, 4, 1)) is None
    assert [
        x.pk
        for x in selectors.employee_list(
            company=company, membership=hr, status="retired", as_of=date(2025, 4, 1)
        )
    ] == [e.pk]
    assert (
        list(selectors.employee_list(company=company, membership=hr, status="active", as_of=date(2025, 4, 1)))
        == []
    )


def test_retirement_before_a_scheduled_transfer_is_refused(setup):
    company, hr, general, sales, e = setup
    _transfer(hr, e, sales, date(2026, 12, 1))
    with pytest.raises(ServiceError) as err:
        services.retire_employee(
            company=company, actor=hr.user, membership=hr, employee=e, retire_date=date(2026, 11, 30)
        )
    assert "retire_date" in err.value.field_errors


def test_only_hr_may_transfer(setup, employee_member):
    company, hr, general, sales, e = setup
    with pytest.raises(PermissionDeniedError):
        _transfer(employee_member, e, sales, date(2024, 4, 1))
    assert Placement.objects.filter(employee=e).count() == 1


def test_another_companys_department_is_refused(setup, other_company, outsider):
    company, hr, general, sales, e = setup
    foreign = make_department(other_company, outsider, code="999")
    with pytest.raises(ServiceError):
        _transfer(hr, e, foreign, date(2024, 4, 1))


def test_department_tree_cannot_loop(company, hr):
    top = make_department(company, hr, code="1", name="本部")
    mid = make_department(company, hr, code="2", name="部", parent=top)
    low = make_department(company, hr, code="3", name="課", parent=mid)
    with pytest.raises(ServiceError) as err:
        services.update_department(company=company, actor=hr.user, membership=hr, department=top, parent=low)
    assert "parent" in err.value.field_errors
    assert selectors.descendant_ids(company=company, department_id=top.pk) == [top.pk, mid.pk, low.pk]


def test_retire_date_before_hire_says_so(setup):
    company, hr, general, sales, e = setup
    with pytest.raises(ServiceError) as err:
        services.retire_employee(
            company=company, actor=hr.user, membership=hr, employee=e, retire_date=date(2019, 3, 31)
        )
    assert err.value.field_errors["retire_date"] == ["退職日は入社日以降の日付にしてください。"]


def test_people_without_a_placement_sort_last_on_every_database(setup):
    company, hr, general, sales, e = setup
    future = make_employee(company, hr, sales, number="0099", hire_date=date(2099, 4, 1))
    rows = [
        x.pk
        for x in selectors.employee_list(
            company=company, membership=hr, status="all", sort="department", as_of=date(2026, 1, 1)
        )
    ]
    assert rows == [e.pk, future.pk]
    rows = [
        x.pk
        for x in selectors.employee_list(
            company=company, membership=hr, status="all", sort="-department", as_of=date(2026, 1, 1)
        )
    ]
    assert rows == [e.pk, future.pk]


def test_full_width_department_codes_are_the_same_code(company, hr):
    make_department(company, hr, code="１２３", name="開発部")
    with pytest.raises(ServiceError) as err:
        make_department(company, hr, code="123", name="開発二部")
    assert "code" in err.value.field_errors
