"""シフト: patterns, a department's monthly table saved whole (all or nothing), what it refuses
(unknown codes, approved leave, closed months, other departments), warnings, publishing, swaps by
route, and ``shifts_of`` for the 出勤簿."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.attendance import shift_selectors as sel
from ennoshita.attendance.models import (
    LeaveRequest,
    LeaveTaking,
    LeaveType,
    MonthClose,
    Shift,
    ShiftPattern,
    ShiftSwap,
    ShiftTable,
    WorkRule,
)
from ennoshita.attendance.services import shifts as services
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people.models import Department, EmploymentType

from ..conftest import make_department, make_employee, make_member

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
MONTH = date(2099, 3, 1)  # March 2099: 31 days, in the future (swaps refuse past days)


def writer(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def add_pattern(hr, code, start, end, brk=60, **kw):
    return services.save_pattern(
        **writer(hr),
        data=services.PatternInput(
            code=code, name=kw.pop("name", code), start_time=start, end_time=end, break_minutes=brk, **kw
        ),
    )


@pytest.fixture
def shop(company, hr, department, employee_member):
    return build_shop(company, hr, department, employee_member)


def build_shop(company, hr, department, employee_member):
    """総務部: its 所属長 (boss, a manager), E001 (employee_member) and E002 (colleague, with a
    login); 営業部 with S001; patterns 早 遅 夜 当."""
    boss = make_member(company, "boss", ["manager"])
    head = make_employee(company, hr, department, number="M001", family_name="上司", user=boss.user)
    Department.objects.filter(pk=department.pk).update(head=head)
    colleague = make_member(company, "emp2", ["employee"])
    e2 = make_employee(
        company, hr, department, number="E002", family_name="同僚", given_name="三郎", user=colleague.user
    )
    sales = make_department(company, hr, code="200", name="営業部")
    s1 = make_employee(company, hr, sales, number="S001", family_name="営業")
    patterns = {
        "早": add_pattern(hr, "早", time(7), time(16), name="早番"),
        "遅": add_pattern(hr, "遅", time(13), time(22), name="遅番"),
        "夜": add_pattern(hr, "夜", time(22), time(7), name="夜勤"),
        "当": add_pattern(hr, "当", time(9), time(9), name="当直"),
    }
    e1 = employee_member.user.employee_records.get()
    return {
        "boss": boss,
        "head": head,
        "e1": e1,
        "e2": e2,
        "colleague": colleague,
        "sales": sales,
        "s1": s1,
        "department": department,
        "patterns": patterns,
    }


def save(member, department, cells, month=MONTH, **kw):
    return services.save_table(**writer(member), department_id=department.pk, month=month, cells=cells, **kw)


def d(day: int) -> date:
    return MONTH.replace(day=day)


def codes_of(company, employee):
    found = Shift.objects.filter(company=company, employee=employee).select_related("pattern")
    return {s.date: ("休" if s.is_rest_day else s.pattern.code) for s in found}


def approve_leave(company, hr, employee, day, days=Decimal(1)):
    leave_type, _ = LeaveType.objects.get_or_create(
        company=company, code="annual", defaults={"name": "年次有給休暇", "kind": "annual", "paid": True}
    )
    request = LeaveRequest.objects.create(
        company=company, employee=employee, leave_type=leave_type, start_date=day, end_date=day,
        days=days, state="approved", requested_by=hr.user,
    )  # fmt: skip
    LeaveTaking.objects.create(
        company=company,
        request=request,
        employee=employee,
        leave_type=leave_type,
        date=day,
        days=days,
        approved=True,
    )


# ------------------------------------------------------------------------------ patterns
def test_a_pattern_with_too_short_a_break_is_refused(hr, company):
    with pytest.raises(ServiceError) as exc:
        add_pattern(hr, "長", time(9), time(18), brk=45)  # 8h15m of work needs 60 minutes
    assert "労基法34条" in exc.value.field_errors["break_minutes"][0]
    with pytest.raises(ServiceError) as exc:
        add_pattern(hr, "休", time(9), time(18))
    assert "code" in exc.value.field_errors
    assert not ShiftPattern.objects.filter(company=company).exists()
    p = add_pattern(hr, "当", time(9), time(9), name="当直")
    assert p.planned_minutes == 23 * 60
    with pytest.raises(ServiceError) as exc:
        add_pattern(hr, "当", time(8), time(12), brk=0)
    assert "既に使われています" in exc.value.field_errors["code"][0]
    assert (
        AuditEvent.objects.filter(
            company=company, object_type="attendance.shiftpattern", action="create"
        ).count()
        == 1
    )


def test_only_hr_keeps_patterns(employee_member, shop):
    with pytest.raises(PermissionDeniedError):
        add_pattern(employee_member, "X", time(9), time(12), brk=0)
    with pytest.raises(PermissionDeniedError):
        add_pattern(shop["boss"], "X", time(9), time(12), brk=0)


# ------------------------------------------------------------------------------ the table
def test_hr_saves_a_month_and_times_come_from_the_pattern(hr, company, shop):
    e1, e2 = shop["e1"], shop["e2"]
    result = save(hr, shop["department"], {e1.pk: {d(1): "早", d(2): "休", d(31): "夜"}, e2.pk: {d(1): "当"}})
    assert result.changed == 4 and result.table.revision == 1
    assert codes_of(company, e1) == {d(1): "早", d(2): "休", d(31): "夜"}
    night = Shift.objects.get(employee=e1, date=d(31))
    # a shift across midnight belongs to the day it starts, and ends on the next
    assert night.start_at == datetime(2099, 3, 31, 22, tzinfo=JST)
    assert night.end_at == datetime(2099, 4, 1, 7, tzinfo=JST)
    assert night.break_minutes == 60 and night.department_id == shop["department"].pk
    duty = Shift.objects.get(employee=e2, date=d(1))
    assert duty.end_at - duty.start_at == timezone.timedelta(hours=24)
    rest = Shift.objects.get(employee=e1, date=d(2))
    assert rest.is_rest_day and rest.start_at is None and rest.pattern is None
    event = AuditEvent.objects.get(company=company, object_type="attendance.shifttable", action="update")
    assert event.changes["extra"]["cells"][f"{e1.pk}:2099-03-31"] == ["", "夜"]
    # the same table again: nothing changes, no event
    again = save(hr, shop["department"], {e1.pk: {d(1): "早", d(2): "休", d(31): "夜"}, e2.pk: {d(1): "当"}})
    assert again.changed == 0
    # a cell not sent is cleared
    save(hr, shop["department"], {e1.pk: {d(1): "遅"}})
    assert codes_of(company, e1) == {d(1): "遅"} and codes_of(company, e2) == {}
    assert Shift.objects.get(employee=e1, date=d(1)).start_at == datetime(2099, 3, 1, 13, tzinfo=JST)


def test_one_bad_cell_refuses_the_whole_table(hr, company, shop):
    e1, e2 = shop["e1"], shop["e2"]
    save(hr, shop["department"], {e1.pk: {d(1): "早"}})
    with pytest.raises(ServiceError) as exc:
        save(hr, shop["department"], {e1.pk: {d(1): "遅", d(2): "早"}, e2.pk: {d(3): "X"}})
    assert exc.value.field_errors == {f"cells.{e2.pk}.{d(3)}": ["「X」というシフトパターンはありません。"]}
    assert codes_of(company, e1) == {d(1): "早"} and codes_of(company, e2) == {}
    assert ShiftTable.objects.get(company=company).revision == 1
    # an employee of another department, a day of another month
    with pytest.raises(ServiceError) as exc:
        save(hr, shop["department"], {shop["s1"].pk: {d(1): "早"}, e1.pk: {date(2099, 4, 1): "早"}})
    assert set(exc.value.field_errors) == {f"cells.{shop['s1'].pk}", f"cells.{e1.pk}.2099-04-01"}
    assert codes_of(company, e1) == {d(1): "早"}


def test_a_shift_on_a_day_of_approved_leave_is_refused_naming_who_and_when(hr, company, shop):
    e1 = shop["e1"]
    approve_leave(company, hr, e1, d(10))
    with pytest.raises(ServiceError) as exc:
        save(hr, shop["department"], {e1.pk: {d(9): "早", d(10): "早"}})
    message = exc.value.field_errors[f"cells.{e1.pk}.{d(10)}"][0]
    assert "E001 社員 次郎" in message and "3月10日" in message and "年次有給休暇" in message
    assert message in exc.value.message
    assert codes_of(company, e1) == {}
    # a rest day on it is fine, and half a day of leave leaves the rest of the day to work
    approve_leave(company, hr, e1, d(11), days=Decimal("0.5"))
    save(hr, shop["department"], {e1.pk: {d(10): "休", d(11): "早"}})
    assert codes_of(company, e1) == {d(10): "休", d(11): "早"}


def test_a_closed_month_is_refused_and_nothing_is_written(hr, company, shop):
    e1, e2 = shop["e1"], shop["e2"]
    MonthClose.objects.create(
        company=company, employee=e2, month=MONTH, locked_at=timezone.now(), locked_by=hr.user
    )
    with pytest.raises(ServiceError) as exc:
        save(hr, shop["department"], {e1.pk: {d(1): "早"}, e2.pk: {d(1): "早"}})
    assert exc.value.code == "month_closed" and "2099年3月" in exc.value.message
    assert not Shift.objects.filter(company=company).exists()
    save(hr, shop["department"], {e1.pk: {d(1): "早"}})  # the other employee's month is open
    assert codes_of(company, e1) == {d(1): "早"}


def test_an_employee_cannot_edit_and_a_head_only_their_department(
    hr, company, shop, employee_member, outsider
):
    e1 = shop["e1"]
    with pytest.raises(PermissionDeniedError):
        save(employee_member, shop["department"], {e1.pk: {d(1): "早"}})
    with pytest.raises(PermissionDeniedError):
        sel.shift_table(
            company=company, membership=employee_member, department_id=shop["department"].pk, month=MONTH
        )
    with pytest.raises(NotFound):
        save(shop["boss"], shop["sales"], {shop["s1"].pk: {d(1): "早"}})
    save(shop["boss"], shop["department"], {e1.pk: {d(1): "早"}})
    assert codes_of(company, e1) == {d(1): "早"}
    # another company's department is not found, even for its HR + admin
    with pytest.raises(NotFound):
        services.save_table(
            company=outsider.company, actor=outsider.user, membership=outsider,
            department_id=shop["department"].pk, month=MONTH, cells={},
        )  # fmt: skip
    assert codes_of(company, e1) == {d(1): "早"}


def test_a_save_over_someone_elses_newer_one_is_refused(hr, shop):
    save(hr, shop["department"], {shop["e1"].pk: {d(1): "早"}}, revision=0)
    with pytest.raises(ServiceError) as exc:
        save(shop["boss"], shop["department"], {shop["e1"].pk: {d(1): "遅"}}, revision=0)
    assert exc.value.status == 409


def test_an_inactive_pattern_stays_where_it_is_but_is_not_put_anew(hr, company, shop):
    e1, e2 = shop["e1"], shop["e2"]
    save(hr, shop["department"], {e1.pk: {d(1): "夜"}})
    services.set_pattern_active(**writer(hr), pattern=shop["patterns"]["夜"], active=False)
    save(hr, shop["department"], {e1.pk: {d(1): "夜", d(2): "早"}})  # unchanged cell: kept
    with pytest.raises(ServiceError) as exc:
        save(hr, shop["department"], {e1.pk: {d(1): "夜"}, e2.pk: {d(1): "夜"}})
    assert "無効" in exc.value.field_errors[f"cells.{e2.pk}.{d(1)}"][0]
    assert AuditEvent.objects.filter(company=company, action="deactivate").count() == 1


def test_warnings_come_back_on_save_and_on_the_table(hr, company, shop):
    e1 = shop["e1"]
    long_day = add_pattern(hr, "長", time(8), time(19))  # 10h of work
    week = {date(2099, 3, 1 + i): "早" for i in range(7)}  # Sun 3/1 … Sat 3/7: no rest day
    week[d(2)] = long_day.code
    result = save(hr, shop["department"], {e1.pk: week})
    codes = [(w.code, w.day) for w in result.warnings[e1.pk]]
    assert ("weekly_rest", d(1)) in codes and ("daily_over", d(2)) in codes and ("weekly_over", d(1)) in codes
    view = sel.shift_table(company=company, membership=hr, department_id=shop["department"].pk, month=MONTH)
    row = next(r for r in view.rows if r.employee_id == e1.pk)
    assert [(w.code, w.day) for w in row.warnings] == codes
    assert row.planned_minutes == 6 * 8 * 60 + 10 * 60 and row.rest_days == 31 - 7


def test_the_variable_system_warns_on_the_months_frame(hr, company, shop):
    e1 = shop["e1"]
    WorkRule.objects.create(company=company, system="monthly_variable")
    cells = {d(i): "早" for i in range(1, 32) if i % 7 != 1}  # 26 days × 8h = 208h > 177.1h
    result = save(hr, shop["department"], {e1.pk: cells})
    found = [w for w in result.warnings[e1.pk] if w.code == "period_limit"]
    assert len(found) == 1 and "208.0時間" in found[0].message and "177.1時間" in found[0].message
    # 起算日 1 (the default): the period is the calendar month, as before
    assert found[0].day == d(1) and "3/1〜3/31の変形期間" in found[0].message
    assert not any(w.code in ("daily_over", "weekly_over") for w in result.warnings[e1.pk])


APRIL, FEBRUARY = date(2099, 4, 1), date(2099, 2, 1)  # February 2099: 28 days


def period_warnings(warnings):
    return [(w.day, w.message) for w in warnings if w.code == "period_limit"]


def table_row(hr, shop, employee, month=MONTH):
    view = sel.shift_table(
        company=hr.company, membership=hr, department_id=shop["department"].pk, month=month
    )
    return next(r for r in view.rows if r.employee_id == employee.pk)


def test_a_period_from_the_16th_counts_the_next_months_shifts(hr, company, shop):
    """起算日 16: March's table overlaps 2/16〜3/15 (28 days, 160.0h) and 3/16〜4/15 (31 days,
    177.1h). March's own 128h are under, but with April's 80h the period is planned at 208h."""
    e1 = shop["e1"]
    WorkRule.objects.create(company=company, system="monthly_variable", variable_period_start_day=16)
    result = save(hr, shop["department"], {e1.pk: {d(i): "早" for i in range(16, 32)}})  # 16 × 8h
    assert period_warnings(result.warnings[e1.pk]) == []
    april = {APRIL.replace(day=i): "早" for i in range(1, 11)}  # 10 × 8h
    result = save(hr, shop["department"], {e1.pk: april}, month=APRIL)  # April's table warns too
    row = table_row(hr, shop, e1)  # March's table, as saved
    for found in (period_warnings(result.warnings[e1.pk]), period_warnings(row.warnings)):
        assert [day for day, _m in found] == [d(16)]
        assert found[0][1].startswith("3/16〜4/15の変形期間: 計画 208.0時間 > 上限 177.1時間")
        assert "労基法32条の2" in found[0][1]
    assert row.planned_minutes == 128 * 60  # the column is still the month's own
    # the live check of March being edited: 40h in March and April's 80h are within the frame
    lighter = sel.check_cells(
        company=company, membership=hr, department_id=shop["department"].pk, month=MONTH,
        cells={e1.pk: {d(i): "早" for i in range(16, 21)}},
    )  # fmt: skip
    assert period_warnings(lighter[e1.pk]) == []


def test_a_month_over_the_calendar_frame_is_judged_by_its_periods(hr, company, shop):
    """起算日 16: March planned at 208h (over 177.1h as a calendar month) but 2/16〜3/15 holds 96h
    and 3/16〜4/15 112h: no warning, until February's 2/16〜2/28 bring the first period to 200h."""
    e1 = shop["e1"]
    WorkRule.objects.create(company=company, system="monthly_variable", variable_period_start_day=16)
    result = save(hr, shop["department"], {e1.pk: {d(i): "早" for i in range(1, 32) if i % 7 != 1}})
    assert period_warnings(result.warnings[e1.pk]) == []
    save(
        hr,
        shop["department"],
        {e1.pk: {FEBRUARY.replace(day=i): "早" for i in range(16, 29)}},
        month=FEBRUARY,
    )
    found = period_warnings(table_row(hr, shop, e1).warnings)
    assert [day for day, _m in found] == [date(2099, 2, 16)]  # the period's first day, in February
    assert "2/16〜3/15の変形期間: 計画 200.0時間 > 上限 160.0時間" in found[0][1]


def test_only_the_employment_type_on_the_variable_system_gets_the_period_warning(hr, company, shop):
    """E001 is 契約社員, whose rule is the 変形労働時間制 from the 16th; E002 (正社員) keeps the
    company's 通常 rule: the same plan is 時間外 by the day and the week for E002 only."""
    e1, e2 = shop["e1"], shop["e2"]
    contract = EmploymentType.objects.for_company(company).get(code="contract")
    assert e2.employment_type_id != contract.pk
    e1.employment_type = contract
    e1.save(update_fields=["employment_type"])
    WorkRule.objects.create(
        company=company, employment_type=contract, system="monthly_variable", variable_period_start_day=16
    )
    add_pattern(hr, "長", time(8), time(19))  # 10h of work
    march = {d(i): "長" for i in range(16, 32)}  # 160h
    april = {APRIL.replace(day=i): "長" for i in range(1, 3)}  # 20h: 180h > 177.1h
    save(hr, shop["department"], {e1.pk: april, e2.pk: april}, month=APRIL)
    result = save(hr, shop["department"], {e1.pk: march, e2.pk: march})
    mine, theirs = result.warnings[e1.pk], result.warnings[e2.pk]
    assert [day for day, _m in period_warnings(mine)] == [d(16)]
    assert not any(w.code in ("daily_over", "weekly_over") for w in mine)
    assert period_warnings(theirs) == []
    assert {"daily_over", "weekly_over"} <= {w.code for w in theirs}
    assert table_row(hr, shop, e1).variable and not table_row(hr, shop, e2).variable


# ------------------------------------------------------------------------------ publishing
def test_publishing_shows_the_month_and_later_changes_wait_for_the_next(hr, company, shop, employee_member):
    e1 = shop["e1"]
    save(hr, shop["department"], {e1.pk: {d(2): "早", d(3): "休"}})
    mine = sel.my_shifts(company=company, membership=employee_member, month=MONTH)
    assert not mine.published and all(x.code == "" for x in mine.days)
    services.publish_table(**writer(shop["boss"]), department_id=shop["department"].pk, month=MONTH)
    mine = sel.my_shifts(company=company, membership=employee_member, month=MONTH)
    assert mine.published and mine.work_days == 1 and mine.planned_minutes == 8 * 60
    assert (mine.days[1].code, mine.days[1].start, mine.days[1].end) == ("早", "07:00", "16:00")
    assert mine.days[2].code == "休"
    assert sel.shifts_of(company=company, employee_id=e1.pk, start=d(1), end=d(31))[d(2)].published
    save(hr, shop["department"], {e1.pk: {d(2): "夜"}})  # 3/3 cleared, 3/2 changed
    view = sel.shift_table(company=company, membership=hr, department_id=shop["department"].pk, month=MONTH)
    assert view.changed_cells == 2 and view.needs_publishing
    changed = [c.day for r in view.rows for c in r.cells if c.changed]
    assert changed == [d(2), d(3)]
    mine = sel.my_shifts(company=company, membership=employee_member, month=MONTH)
    assert mine.days[1].code == "早"  # still what was published
    assert not sel.shifts_of(company=company, employee_id=e1.pk, start=d(1), end=d(31))[d(2)].published
    services.publish_table(**writer(hr), department_id=shop["department"].pk, month=MONTH)
    mine = sel.my_shifts(company=company, membership=employee_member, month=MONTH)
    assert (mine.days[1].code, mine.days[1].end, mine.days[2].code) == ("夜", "翌07:00", "")
    assert (
        AuditEvent.objects.filter(
            company=company, object_type="attendance.shifttable", action="publish"
        ).count()
        == 2
    )


def test_an_employee_cannot_publish(employee_member, shop):
    with pytest.raises(PermissionDeniedError):
        services.publish_table(**writer(employee_member), department_id=shop["department"].pk, month=MONTH)


def test_shifts_of_gives_the_planned_days(hr, company, shop):
    e1 = shop["e1"]
    save(hr, shop["department"], {e1.pk: {d(5): "夜", d(6): "休"}})
    planned = sel.shifts_of(company=company, employee_id=e1.pk, start=d(1), end=d(31))
    assert set(planned) == {d(5), d(6)}
    night = planned[d(5)]
    assert (night.start_at, night.end_at, night.break_minutes) == (
        datetime(2099, 3, 5, 22, tzinfo=JST), datetime(2099, 3, 6, 7, tzinfo=JST), 60,
    )  # fmt: skip
    assert (night.pattern_code, night.pattern_name, night.is_rest_day, night.planned_minutes) == (
        "夜",
        "夜勤",
        False,
        480,
    )
    assert planned[d(6)].is_rest_day and planned[d(6)].start_at is None and not planned[d(6)].published


# ------------------------------------------------------------------------------ swaps
def swap_setup(hr, shop):
    e1, e2 = shop["e1"], shop["e2"]
    save(hr, shop["department"], {e1.pk: {d(10): "早", d(12): "休"}, e2.pk: {d(10): "休", d(12): "遅"}})
    services.publish_table(**writer(hr), department_id=shop["department"].pk, month=MONTH)


def ask(employee_member, shop, **kw):
    args = {"partner_id": shop["e2"].pk, "requester_date": d(10), "partner_date": d(12), "reason": "通院"}
    args.update(kw)
    return services.request_swap(**writer(employee_member), **args)


def decide(company, member, swap, how="approve"):
    request = approval_selectors.request_for(company=company, request_type=sel.SWAP_TYPE, object_id=swap.pk)
    if how == "approve":
        return approval_services.approve(**writer(member), request=request)
    return approval_services.reject(**writer(member), request=request, reason="人手不足")


def test_an_approved_swap_exchanges_both_days(hr, company, shop, employee_member):
    swap_setup(hr, shop)
    e1, e2 = shop["e1"], shop["e2"]
    swap = ask(employee_member, shop)
    assert swap.state == "pending" and swap.cells == {
        f"{e1.pk}:2099-03-10": "早", f"{e2.pk}:2099-03-10": "休",
        f"{e1.pk}:2099-03-12": "休", f"{e2.pk}:2099-03-12": "遅",
    }  # fmt: skip
    assert codes_of(company, e1) == {d(10): "早", d(12): "休"}  # nothing moves before approval
    request = approval_selectors.request_for(company=company, request_type=sel.SWAP_TYPE, object_id=swap.pk)
    assert request.steps[0]["kind"] == "manager" and len(request.steps) == 1
    decide(company, shop["boss"], swap)
    swap.refresh_from_db()
    assert swap.state == "approved" and swap.decided_at is not None
    assert codes_of(company, e1) == {d(10): "休", d(12): "遅"}
    assert codes_of(company, e2) == {d(10): "早", d(12): "休"}
    late = Shift.objects.get(employee=e1, date=d(12))
    assert late.start_at == datetime(2099, 3, 12, 13, tzinfo=JST)
    # the published month shows the swap at once
    mine = sel.my_shifts(company=company, membership=employee_member, month=MONTH)
    assert (mine.days[9].code, mine.days[11].code) == ("休", "遅")
    assert AuditEvent.objects.filter(
        company=company, object_type="attendance.shiftswap", action="approve"
    ).exists()


def test_the_same_day_swap_exchanges_the_two_shifts(hr, company, shop, employee_member):
    e1, e2 = shop["e1"], shop["e2"]
    save(hr, shop["department"], {e1.pk: {d(10): "早"}, e2.pk: {d(10): "遅"}})
    swap = ask(employee_member, shop, partner_date=d(10))
    decide(company, shop["boss"], swap)
    assert codes_of(company, e1) == {d(10): "遅"} and codes_of(company, e2) == {d(10): "早"}


def test_a_swap_refused_when_a_shift_changed_since_the_request(hr, company, shop, employee_member):
    swap_setup(hr, shop)
    swap = ask(employee_member, shop)
    save(
        hr,
        shop["department"],
        {shop["e1"].pk: {d(10): "早", d(12): "休"}, shop["e2"].pk: {d(10): "休", d(12): "早"}},
    )
    with pytest.raises(ServiceError) as exc:
        decide(company, shop["boss"], swap)
    assert "変更されたため" in exc.value.message
    swap.refresh_from_db()
    request = approval_selectors.request_for(company=company, request_type=sel.SWAP_TYPE, object_id=swap.pk)
    assert swap.state == "pending" and request.status == "pending"  # the decision rolled back
    assert codes_of(company, shop["e2"]) == {d(10): "休", d(12): "早"}


def test_a_swap_refused_when_a_day_is_now_on_leave_or_closed(hr, company, shop, employee_member):
    swap_setup(hr, shop)
    swap = ask(employee_member, shop)
    approve_leave(company, hr, shop["e2"], d(10))  # e2 would work 早 on the 10th
    with pytest.raises(ServiceError) as exc:
        decide(company, shop["boss"], swap)
    assert "E002 同僚 三郎" in exc.value.message and "3月10日" in exc.value.message
    LeaveTaking.objects.filter(company=company).delete()
    MonthClose.objects.create(
        company=company, employee=shop["e1"], month=MONTH, locked_at=timezone.now(), locked_by=hr.user
    )
    with pytest.raises(ServiceError) as exc:
        decide(company, shop["boss"], swap)
    assert exc.value.code == "month_closed"
    MonthClose.objects.filter(company=company).delete()
    decide(company, shop["boss"], swap, how="reject")
    swap.refresh_from_db()
    assert swap.state == "rejected" and codes_of(company, shop["e1"]) == {d(10): "早", d(12): "休"}


def test_what_a_swap_request_refuses(hr, company, shop, employee_member):
    swap_setup(hr, shop)
    with pytest.raises(ServiceError) as exc:
        ask(employee_member, shop, requester_date=d(12))  # a rest day of mine
    assert "requester_date" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        ask(employee_member, shop, partner_id=shop["s1"].pk)  # another department
    assert "partner_id" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        ask(employee_member, shop, partner_id=shop["e1"].pk)
    assert "partner_id" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        ask(employee_member, shop, requester_date=date(2020, 1, 6), partner_date=date(2020, 1, 6))
    assert "requester_date" in exc.value.field_errors
    ask(employee_member, shop)
    with pytest.raises(ServiceError) as exc:
        ask(employee_member, shop)
    assert "承認待ち" in exc.value.message
    assert ShiftSwap.objects.filter(company=company).count() == 1


def test_who_sees_a_swap(hr, company, shop, employee_member, outsider):
    swap_setup(hr, shop)
    swap = ask(employee_member, shop)
    for m in (employee_member, shop["colleague"], shop["boss"], hr):
        assert sel.get_swap(company=company, membership=m, swap_id=swap.pk) == swap
    stranger = make_member(company, "stranger", ["employee"])
    with pytest.raises(NotFound):
        sel.get_swap(company=company, membership=stranger, swap_id=swap.pk)
    with pytest.raises(NotFound):
        sel.get_swap(company=outsider.company, membership=outsider, swap_id=swap.pk)


def test_the_demo_month(company, admin, hr, department, employee_member):
    boss = make_member(company, "boss", ["manager"])
    make_employee(company, hr, department, number="M001", family_name="上司", user=boss.user)
    services.build_demo_shifts(company=company, membership=admin, department_id=department.pk, month=MONTH)
    table = ShiftTable.objects.get(company=company)
    assert table.published_at is not None and table.revision == 1
    assert Shift.objects.filter(company=company).count() == 2 * 31
    e1 = employee_member.user.employee_records.get()
    assert [codes_of(company, e1)[d(i)] for i in range(1, 8)] == ["早", "早", "遅", "遅", "夜", "休", "休"]
    services.build_demo_shifts(company=company, membership=admin, department_id=department.pk, month=MONTH)
    assert ShiftPattern.objects.filter(company=company).count() == 4
