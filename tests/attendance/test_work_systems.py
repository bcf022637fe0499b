"""Work rules per employment type and the working-time systems: the settings (services and screen),
the employee's 勤怠設定 (管理監督者), leave and shifts on the 出勤簿, the team day, 人事's export."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ennoshita.attendance import services, team_selectors
from ennoshita.attendance.models import (
    AttendanceProfile,
    LeaveRequest,
    LeaveTaking,
    LeaveType,
    RequestState,
    Shift,
    WorkRule,
    WorkSystem,
)
from ennoshita.attendance.timesheet_selectors import work_rule_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people.models import EmploymentType

from ..apiclient import ApiClient
from ..conftest import login, make_employee
from .test_timesheet import AFTER, at, employee_of, expect, nov, row, sheet, work

pytestmark = pytest.mark.django_db


def rule(**kw):
    fields = {
        "start_time": time(9),
        "end_time": time(18),
        "break_minutes": 60,
        "workdays": [0, 1, 2, 3, 4],
        "statutory_holiday_weekday": 6,
        "week_start_weekday": 6,
        "national_holidays_off": True,
    }
    fields.update(kw)
    return services.WorkRuleInput(**fields)


def etype(company, code="part_time"):
    return EmploymentType.objects.for_company(company).get(code=code)


# --- the rules ---------------------------------------------------------------------------------


def test_the_employees_type_rule_else_the_companys(company, hr, department, employee_member):
    employee = employee_of(employee_member)
    assert work_rule_of(company=company, employee=employee).pk is None  # the defaults
    standard = services.update_work_rule(
        company=company, actor=hr.user, membership=hr, data=rule(end_time=time(17))
    )
    assert work_rule_of(company=company, employee=employee) == standard
    own = services.update_work_rule(
        company=company,
        actor=hr.user,
        membership=hr,
        data=rule(system=WorkSystem.FLEX, core_start=time(10), core_end=time(15)),
        employment_type=etype(company, "regular"),
    )
    assert work_rule_of(company=company, employee=employee) == own and own.system == "flex"
    assert work_rule_of(company=company) == standard
    assert WorkRule.objects.count() == 2
    events = AuditEvent.objects.filter(object_type="attendance.workrule").values_list("action", flat=True)
    assert sorted(events) == ["create", "create"]
    services.delete_work_rule(company=company, actor=hr.user, membership=hr, rule=own)
    assert work_rule_of(company=company, employee=employee) == standard
    with pytest.raises(ServiceError):
        services.delete_work_rule(company=company, actor=hr.user, membership=hr, rule=standard)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"system": "flex", "core_start": time(8), "core_end": time(15)}, "core_start", "労基法32条の3"),
        ({"system": "flex", "core_start": time(15), "core_end": time(10)}, "core_end", "後の時刻"),
        ({"system": "flex", "core_start": time(10)}, "core_end", "両方"),
        ({"system": "flex", "flex_standard_minutes": 600}, "flex_standard_minutes", "480分"),
        # 変形: 9 h a day (10 h − 1 h) × 5 = 45 h a week from the rule itself
        ({"system": "monthly_variable", "end_time": time(19)}, "workdays", "40時間"),
        ({"system": "monthly_variable", "end_time": time(21), "workdays": [0, 1, 2]}, "end_time", "10時間"),
        ({"variable_period_start_day": 29}, "variable_period_start_day", "28日"),
        ({"display_rounding_minutes": 7}, "display_rounding_minutes", "丸め"),
        ({"end_time": time(19)}, "end_time", "労基法32条2項"),
        ({"system": "nonsense"}, "system", "制度"),
    ],
)
def test_rules_against_the_law_are_refused(company, hr, changes, field, words):
    with pytest.raises(ServiceError) as refused:
        services.update_work_rule(
            company=company,
            actor=hr.user,
            membership=hr,
            data=rule(**changes),
            employment_type=etype(company),
        )
    assert words in refused.value.field_errors[field][0]
    assert not WorkRule.objects.exists()


def test_a_variable_rule_may_plan_longer_days_within_the_week(company, hr):
    # 4 days × (8:00–19:00 − 1 h = 600) = 2,400: a 10-hour day is lawful under 32条の2
    saved = services.update_work_rule(
        company=company,
        actor=hr.user,
        membership=hr,
        data=rule(system="monthly_variable", start_time=time(8), end_time=time(19), workdays=[0, 1, 2, 3]),
    )
    assert saved.scheduled_minutes == 600


def test_only_hr_sets_rules_and_another_companys_type_is_not_found(
    company, employee_member, hr, other_company
):
    with pytest.raises(PermissionDeniedError):
        services.update_work_rule(
            company=company, actor=employee_member.user, membership=employee_member, data=rule()
        )
    with pytest.raises(NotFound):
        services.update_work_rule(
            company=company, actor=hr.user, membership=hr, data=rule(), employment_type=etype(other_company)
        )
    assert not WorkRule.objects.exists()


def test_the_settings_screen_per_employment_type(client, company, hr, other_company):
    login(client, hr)
    part = etype(company)
    page = client.get(reverse("attendance:settings")).content.decode()
    assert f'data-type="{part.pk}"' in page and "規則を追加" in page
    assert client.get(reverse("attendance:settings"), {"type": etype(other_company).pk}).status_code == 404
    data = {
        "form": "rule", "type": str(part.pk), "system": "flex", "start_time": "07:00", "end_time": "22:00",
        "break_minutes": "60", "workdays": ["0", "1", "2", "3", "4"], "statutory_holiday_weekday": "6",
        "week_start_weekday": "6", "core_start": "10:00", "core_end": "15:00", "flex_standard_minutes": "450",
        "variable_period_start_day": "1", "display_rounding_minutes": "15",
    }  # fmt: skip
    assert client.post(reverse("attendance:settings"), data).status_code == 302
    saved = WorkRule.objects.get(employment_type=part)
    assert (saved.system, saved.core_start, saved.flex_standard_minutes) == ("flex", time(10), 450)
    r = client.post(reverse("attendance:settings"), {**data, "core_start": "06:00"})
    assert r.status_code == 400 and "労基法32条の3" in r.content.decode()
    assert (
        client.post(reverse("attendance:settings"), {"form": "delete_rule", "type": part.pk}).status_code
        == 302
    )
    assert not WorkRule.objects.filter(employment_type=part).exists()


# --- the employee's 勤怠設定 ----------------------------------------------------------------------


def test_hr_sets_the_attendance_profile(client, company, hr, employee_member, other_company, outsider):
    employee = employee_of(employee_member)
    login(client, hr)
    url = reverse("attendance:employee_profile", args=[employee.pk])
    assert (
        client.post(url, {"is_supervisor": "on", "weekly_days": "3", "weekly_minutes": "1200"}).status_code
        == 302
    )
    profile = AttendanceProfile.objects.get(employee=employee)
    assert (profile.is_supervisor, profile.weekly_days, profile.weekly_minutes) == (True, 3, 1200)
    assert AuditEvent.objects.filter(object_type="attendance.attendanceprofile", action="create").exists()
    page = client.get(reverse("attendance:employee_timesheet", args=[employee.pk])).content.decode()
    assert 'id="attendance-profile"' in page and "管理監督者(労基法41条2号)" in page
    with pytest.raises(ServiceError) as refused:
        services.update_attendance_profile(
            company=company, actor=hr.user, membership=hr, employee=employee,
            data=services.ProfileInput(weekly_minutes=3000),
        )  # fmt: skip
    assert "weekly_minutes" in refused.value.field_errors
    assert AttendanceProfile.objects.get(employee=employee).weekly_minutes == 1200
    client.logout()
    login(client, employee_member)
    assert client.post(url, {"is_supervisor": ""}).status_code == 403
    assert 'id="attendance-profile"' not in client.get(reverse("attendance:timesheet")).content.decode()
    assert AttendanceProfile.objects.get(employee=employee).is_supervisor


# --- leave on the 出勤簿 ---------------------------------------------------------------------------


def take(company, hr, employee, day, unit="full", days=Decimal(1), hours=0, paid=True, code="annual"):
    kind = code if code in ("annual", "special") else "other"
    leave_type, _created = LeaveType.objects.get_or_create(
        company=company,
        code=code,
        defaults={"name": {"annual": "年次有給休暇"}.get(code, code), "kind": kind, "paid": paid},
    )
    request = LeaveRequest.objects.create(
        company=company, employee=employee, leave_type=leave_type, start_date=day, end_date=day, unit=unit,
        days=days, hours=hours, state=RequestState.APPROVED, requested_by=hr.user,
    )  # fmt: skip
    LeaveTaking.objects.create(
        company=company, request=request, employee=employee, leave_type=leave_type, date=day, days=days,
        hours=hours, approved=True,
    )  # fmt: skip


def test_half_days_and_hours_of_leave(company, hr, employee_member):
    employee = employee_of(employee_member)
    take(company, hr, employee, nov(4), unit="am", days=Decimal("0.5"))  # morning off
    take(company, hr, employee, nov(5), unit="pm", days=Decimal("0.5"))  # afternoon off
    take(company, hr, employee, nov(6), unit="hours", days=Decimal(0), hours=2)  # 2 hours
    take(company, hr, employee, nov(9), code="unpaid", paid=False)  # a whole unpaid day
    work(employee_member, nov(4), start=time(13), end=time(18), breaks=())  # 300 after a 午前半休
    work(employee_member, nov(5), start=time(9), end=time(12), breaks=())  # 180 before a 午後半休
    work(employee_member, nov(6), start=time(10, 30), end=time(18))  # 1:30 late, 2 hours taken
    ts = sheet(employee_member)
    d4, d5, d6, d9 = row(ts, 4), row(ts, 5), row(ts, 6), row(ts, 9)
    # half of the 480 所定 is taken: 240 expected; 300 worked = 240 所定内 + 60 法定内残業, no 遅刻
    assert (d4.expected_minutes, d4.late_minutes, d4.leave_minutes) == (240, 0, 240)
    expect(d4.minutes, scheduled=240, legal_overtime=60)
    assert (d5.early_leave_minutes, d5.minutes.scheduled) == (0, 180)
    # 90 minutes late, covered by the 2 hours taken; 3.5 h + 5 h = 390 worked, expected 480 − 120 = 360
    assert (d6.late_minutes, d6.expected_minutes) == (0, 360)
    expect(d6.minutes, worked=390, scheduled=360, legal_overtime=30)
    assert d9.whole_day_leave and not d9.absent and d9.expected_minutes == 0
    t = ts.totals
    # 19 workdays − 4 with work or leave... absences: every other past workday (2, 10–13, 16–20, 24–27, 30 = 15)
    assert t.absences == 15 and t.leave_days == 1
    assert (t.leave_paid_days, t.leave_unpaid_days, t.leave_hours) == (Decimal(1), Decimal(1), 2)
    assert {c: (d, h) for c, d, h in t.leave_by_type} == {
        "annual": (Decimal(1), 2),
        "other": (Decimal(1), 0),
    }


# --- shifts on any system -------------------------------------------------------------------------


def test_a_published_shift_sets_the_day(company, hr, department, employee_member):
    from django.utils import timezone

    employee = employee_of(employee_member)
    common = {"company": company, "employee": employee, "department": department, "updated_by": hr.user}
    Shift.objects.create(
        **common, date=nov(4), start_at=at(nov(4), time(10)), end_at=at(nov(4), time(19)), break_minutes=60
    )
    Shift.objects.create(**common, date=nov(5), is_rest_day=True)
    Shift.objects.create(
        **common, date=nov(6), start_at=at(nov(6), time(13)), end_at=at(nov(6), time(22)), break_minutes=60
    )
    Shift.objects.filter(date__in=[nov(4), nov(5)]).update(published_at=timezone.now())  # the 6th is a draft
    work(employee_member, nov(4), start=time(10, 5), end=time(18, 50))
    ts = sheet(employee_member, today=AFTER)
    d4 = row(ts, 4)
    assert d4.from_shift and (d4.late_minutes, d4.early_leave_minutes) == (5, 10)
    assert row(ts, 5).kind == "scheduled_holiday" and not row(ts, 5).absent
    assert not row(ts, 6).from_shift and row(ts, 6).absent  # an unpublished shift does not count


# --- the team day and 人事's export ---------------------------------------------------------------


def test_the_team_day_shows_who_is_on_leave(company, hr, department, employee_member):
    take(company, hr, employee_of(employee_member), date(2026, 12, 1))
    board = team_selectors.team_day(
        company=company, membership=hr, day=date(2026, 12, 1), today=date(2026, 12, 2)
    )
    member = next(m for m in board.members if m.number == "E001")
    assert (member.status, member.leave_whole_day) == ("on_leave", True) and "年次有給休暇" in member.leave
    assert board.counts["on_leave"] == 1 and board.counts["absent"] == 0


def test_hr_exports_a_month_for_everyone(client, company, hr, department, employee_member):
    make_employee(company, hr, department, number="E002", family_name="同僚")
    work(employee_member, nov(4), end=time(20))
    login(client, hr)
    index = client.get(reverse("attendance:timesheet_index"), {"month": "2026-11"}).content.decode()
    assert reverse("attendance:timesheet_export") + "?month=2026-11" in index
    r = client.get(reverse("attendance:timesheet_export"), {"month": "2026-11"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["社員番号", "氏名", "雇用形態", "労働時間制度"]
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {"E001", "E002"}
    assert by_number["E001"][rows[0].index("時間外")] == "2:00"
    xlsx = client.get(reverse("attendance:timesheet_export"), {"month": "2026-11", "format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=1).value in ("E001", "E002")
    client.logout()
    login(client, employee_member)
    assert client.get(reverse("attendance:timesheet_export")).status_code == 403


def test_the_timesheet_shows_how_it_was_reached_and_links_corrections(client, employee_member):
    work(employee_member, nov(4), end=time(20))
    login(client, employee_member)
    page = client.get(reverse("attendance:timesheet"), {"month": "2026-11"}).content.decode()
    assert 'id="timesheet-basis"' in page and "労基法32条2項" in page and "昭63.3.14基発150号" in page
    employee = employee_of(employee_member)
    assert f"{reverse('attendance:correction_new')}?employee={employee.pk}&amp;date=2026-11-04" in page


def test_the_api_has_the_new_fields(client, company, hr, employee_member):
    take(company, hr, employee_of(employee_member), nov(5))
    work(employee_member, nov(4), end=time(20))
    body = ApiClient(client, employee_member).get("/attendance/timesheets/me", {"month": "2026-11"}).json()
    t = body["totals"]
    assert (t["system"], t["supervisor"], t["overtime_daily"], t["leave_days"]) == ("standard", False, 120, 1)
    assert (
        t["leave_by_type"] == [{"code": "annual", "days": "1", "hours": 0}]
        or t["leave_by_type"][0]["code"] == "annual"
    )
    day5 = body["days"][4]
    assert (
        day5["leave"][0]["name"] == "年次有給休暇"
        and day5["planned_minutes"] == 480
        and day5["expected_minutes"] == 0
    )
    assert body["days"][3]["minutes"]["overtime_period"] == 0 and body["days"][3]["minutes"]["exempt"] == 0


def test_display_rounding_changes_only_what_is_shown(client, company, employee_member):
    # 15-minute display rounding: 出勤 9:07 shown 09:15, 退勤 18:08 shown 18:00; the figures stay
    # exact: 9:07–12:00 (173) + 13:00–18:08 (308) = 481 worked, 遅刻 7 (jp-rules §4.1)
    WorkRule.objects.create(company=company, display_rounding_minutes=15)
    work(employee_member, nov(4), start=time(9, 7), end=time(18, 8))
    assert row(sheet(employee_member), 4).minutes.worked == 481
    login(client, employee_member)
    page = client.get(reverse("attendance:timesheet"), {"month": "2026-11"}).content.decode()
    day = page[page.index('data-date="2026-11-04"') :][:1500]
    assert "09:15" in day and "18:00" in day and "9:07" not in day
    assert "遅刻 7分" in day
