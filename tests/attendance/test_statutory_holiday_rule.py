"""法定休日 without a fixed weekday: the week's first rest day not worked, else its last rest day
(厚生労働省「改正労働基準法に係る質疑応答」平成21年10月5日). The pure rule, the 出勤簿 under such a
rule, and the settings that choose it."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance import rules, services
from ennoshita.attendance.models import StatutoryHolidayRule, WorkRule
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent

from ..conftest import login
from .test_timesheet import DEC, expect, full_days, nov, row, sheet, work
from .test_work_systems import rule as rule_input

# --- the pure rule ------------------------------------------------------------------------------

SUN, SAT = date(2026, 11, 8), date(2026, 11, 14)
WED = date(2026, 11, 11)


def test_a_rest_day_not_worked_is_the_statutory_holiday():
    assert rules.statutory_holiday_of_week(rest_days=[SUN, SAT], worked_days=set()) == SUN
    assert rules.statutory_holiday_of_week(rest_days=[SUN, SAT], worked_days={SAT}) == SUN
    # Sunday worked, Saturday rested: the Saturday was the day off the law asks for
    assert rules.statutory_holiday_of_week(rest_days=[SUN, SAT], worked_days={SUN}) == SAT


def test_every_rest_day_worked_makes_the_last_one_the_statutory_holiday():
    assert rules.statutory_holiday_of_week(rest_days=[SAT, SUN], worked_days={SUN, SAT}) == SAT
    # three rest days, the middle one rested
    assert rules.statutory_holiday_of_week(rest_days=[SUN, WED, SAT], worked_days={SUN, SAT}) == WED
    assert rules.statutory_holiday_of_week(rest_days=[SUN, WED, SAT], worked_days={SUN, WED, SAT}) == SAT


def test_a_week_without_rest_days_has_no_statutory_holiday():
    assert rules.statutory_holiday_of_week(rest_days=[], worked_days={SUN}) is None


@given(
    rest=st.sets(st.integers(min_value=0, max_value=6)),
    worked=st.sets(st.integers(min_value=0, max_value=6)),
)
def test_at_most_one_day_and_holiday_work_only_when_no_rest_day_was_given(rest, worked):
    days = [SUN.replace(day=SUN.day + i) for i in sorted(rest)]
    worked_days = {SUN.replace(day=SUN.day + i) for i in worked}
    chosen = rules.statutory_holiday_of_week(rest_days=days, worked_days=worked_days)
    if not days:
        assert chosen is None
        return
    assert chosen in days
    rested = [d for d in days if d not in worked_days]
    # 法定休日労働 happens (the chosen day was worked) exactly when no rest day was rested
    assert (chosen in worked_days) == (not rested)


# --- the 出勤簿 ------------------------------------------------------------------------------------


@pytest.fixture
def unnamed(employee_member):
    """The company's rule: Mon–Fri, the 法定休日 not named (the weekday field stays Sunday and is
    ignored), the week from Sunday."""
    return WorkRule.objects.create(
        company=employee_member.company, statutory_holiday_rule=StatutoryHolidayRule.LAST_REST_DAY
    )


def test_a_worked_sunday_is_rest_day_work_when_saturday_is_rested(employee_member, unnamed):
    # week Sun 11-08 … Sat 11-14: Sun 9–18 (480) then Mon–Fri full. Saturday rested → Saturday is the
    # 法定休日; Sunday is 所定休日労働 and counts toward 40 h: Sunday 480 法定内 (the week's first
    # 480), Friday's 480 all 時間外 by the week (2,880 − 2,400).
    work(employee_member, SUN)
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    ts = sheet(employee_member)
    assert (row(ts, 8).kind, row(ts, 14).kind) == ("scheduled_holiday", "statutory_holiday")
    expect(row(ts, 8).minutes, holiday=0, scheduled_holiday=480, legal_overtime=480, overtime=0)
    expect(row(ts, 13).minutes, overtime_weekly=480, scheduled=0)
    expect(ts.totals, holiday=0, overtime=480, scheduled_holiday=480)


def test_the_same_week_under_a_fixed_sunday(employee_member):
    # the same days with the default rule (Sunday named): Sunday is 法定休日労働 and not toward 40 h
    work(employee_member, SUN)
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    ts = sheet(employee_member)
    assert row(ts, 8).kind == "statutory_holiday"
    expect(ts.totals, holiday=480, overtime=0, scheduled_holiday=0)


def test_both_rest_days_worked_make_saturday_the_statutory_holiday(employee_member, unnamed):
    # Sun 11-08 9–18 and Sat 11-14 9–15 worked, Mon–Fri full: Saturday (the later rest day) is
    # 法定休日労働 (300, not toward 40 h); Sunday 480 + Mon–Fri 2,400 = 2,880 → Friday 480 時間外.
    work(employee_member, SUN)
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    work(employee_member, SAT, end=time(15))
    ts = sheet(employee_member)
    assert (row(ts, 8).kind, row(ts, 14).kind) == ("scheduled_holiday", "statutory_holiday")
    expect(row(ts, 14).minutes, holiday=300, overtime=0, scheduled_holiday=0)
    expect(ts.totals, holiday=300, overtime=480, scheduled_holiday=480)


def test_the_week_across_the_month_end_is_judged_whole(employee_member, unnamed):
    # week Sun 11-29 … Sat 12-05. Sun 11-29 worked; in December, Sat 12-05 worked too: the November
    # 出勤簿 must read December's Saturday to know that Sunday was not the 法定休日 (Saturday is).
    work(employee_member, nov(29))
    work(employee_member, date(2026, 12, 5), end=time(15))
    november = sheet(employee_member)
    assert row(november, 29).kind == "scheduled_holiday"
    expect(november.totals, holiday=0, scheduled_holiday=480)
    december = sheet(employee_member, month=DEC)
    assert december.days[4].kind == "statutory_holiday"
    expect(december.totals, holiday=300)


# --- the settings ---------------------------------------------------------------------------------


def test_the_rule_is_saved_and_audited(company, hr):
    saved = services.update_work_rule(
        company=company,
        actor=hr.user,
        membership=hr,
        data=rule_input(statutory_holiday_rule="last_rest_day", workdays=[0, 1, 2, 3, 6]),
    )
    # Sunday (the weekday field's day) as a workday is allowed once no weekday is named
    assert saved.statutory_holiday_rule == "last_rest_day"
    event = AuditEvent.objects.get(object_type="attendance.workrule", object_id=str(saved.pk))
    assert "last_rest_day" in str(event.changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"statutory_holiday_rule": "last_rest_day", "workdays": [0, 1, 2, 3, 4, 5, 6]}, "workdays"),
        ({"statutory_holiday_rule": "every_day"}, "statutory_holiday_rule"),
    ],
)
def test_a_week_without_a_rest_day_is_refused(company, hr, changes, field):
    with pytest.raises(ServiceError) as caught:
        services.update_work_rule(company=company, actor=hr.user, membership=hr, data=rule_input(**changes))
    assert field in caught.value.field_errors
    assert not WorkRule.objects.filter(company=company).exists()


def test_the_settings_screen_offers_the_choice(client, company, hr):
    login(client, hr)
    page = client.get(reverse("attendance:settings"))
    assert "法定休日の決め方" in page.content.decode()
    response = client.post(
        reverse("attendance:settings"),
        {
            "form": "rule",
            "start_time": "09:00",
            "end_time": "18:00",
            "break_minutes": "60",
            "workdays": ["0", "1", "2", "3", "4"],
            "statutory_holiday_rule": "last_rest_day",
            "statutory_holiday_weekday": "6",
            "week_start_weekday": "6",
            "national_holidays_off": "on",
        },
    )
    assert response.status_code == 302
    assert WorkRule.objects.get(company=company).statutory_holiday_rule == "last_rest_day"
