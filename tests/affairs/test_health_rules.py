"""affairs.rules.health: due dates (month ends, leap years), the 80-hour test, the 50-worker line."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.affairs.rules import health as rules

FY_START, FY_END = date(2026, 4, 1), date(2027, 3, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_ends_on_the_last_day_when_the_day_is_missing(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_opinion_due_is_three_months_after_the_exam():
    # 安衛則51条の2: 3月以内
    assert rules.opinion_due(date(2026, 6, 10)) == date(2026, 9, 10)
    assert rules.opinion_due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert rules.opinion_due(date(2027, 11, 30)) == date(2028, 2, 29)


def test_keep_until_is_five_years_after_the_exam():
    # 安衛則51条: 5年間保存
    assert rules.keep_until(date(2026, 6, 10)) == date(2031, 6, 10)
    assert rules.keep_until(date(2028, 2, 29)) == date(2033, 2, 28)


def test_periodic_due_is_the_end_of_the_company_month_inside_the_fiscal_year():
    assert rules.periodic_due(fy_start=FY_START, fy_end=FY_END, checkup_month=6) == date(2026, 6, 30)
    assert rules.periodic_due(fy_start=FY_START, fy_end=FY_END, checkup_month=2) == date(2027, 2, 28)
    assert rules.periodic_due(fy_start=date(2027, 4, 1), fy_end=date(2028, 3, 31), checkup_month=2) == date(
        2028, 2, 29
    )
    with pytest.raises(ValueError):
        rules.periodic_due(fy_start=FY_START, fy_end=FY_END, checkup_month=13)


def test_specific_work_is_every_six_months():
    # 安衛則45条: 6月以内ごとに1回
    assert rules.specific_dues(fy_start=FY_START, fy_end=FY_END, checkup_month=8) == [
        date(2026, 8, 31),
        date(2027, 2, 28),
    ]
    # a month late in the year: the other one lies six months before, still inside the year
    assert rules.specific_dues(fy_start=FY_START, fy_end=FY_END, checkup_month=12) == [
        date(2026, 6, 30),
        date(2026, 12, 31),
    ]


def plan(**kw):
    profile = rules.Profile(**{"hire_date": date(2020, 4, 1), **kw})
    return rules.planned_checkups(profile, fy_start=FY_START, fy_end=FY_END, checkup_month=6)


def test_a_regular_employee_gets_one_periodic_checkup():
    assert plan() == [("periodic", date(2026, 6, 30))]


def test_a_new_hire_gets_the_hiring_checkup_and_no_periodic_one_within_a_year():
    # 安衛則43条 at hire; 44条2項: the hiring exam stands in for a year
    assert plan(hire_date=date(2026, 4, 1)) == [("hiring", date(2026, 4, 1))]
    # hired after the checkup month: only the hiring checkup
    assert plan(hire_date=date(2026, 10, 1)) == [("hiring", date(2026, 10, 1))]
    # hired 13 months before: a periodic one again
    assert plan(hire_date=date(2025, 5, 31)) == [("periodic", date(2026, 6, 30))]


def test_a_night_worker_gets_two_specific_checkups_instead_of_the_periodic_one():
    assert plan(specific_work=True) == [("specific", date(2026, 6, 30)), ("specific", date(2026, 12, 31))]


def test_nothing_after_retirement():
    assert plan(retire_date=date(2026, 5, 31)) == []
    assert plan(specific_work=True, retire_date=date(2026, 9, 30)) == [("specific", date(2026, 6, 30))]


def test_overseas_posting_of_six_months_or_more_before_and_after():
    # 安衛則45条の2
    found = plan(overseas_from=date(2026, 8, 31), overseas_until=date(2027, 2, 28))
    assert ("overseas_before", date(2026, 8, 31)) in found
    assert ("overseas_after", date(2027, 2, 28)) in found
    # a day short of six months: no overseas checkups
    short = plan(overseas_from=date(2026, 8, 31), overseas_until=date(2027, 2, 27))
    assert [k for k, _d in short] == ["periodic"]


def test_is_long_posting_at_month_ends():
    assert rules.is_long_posting(date(2026, 8, 31), date(2027, 2, 28))
    assert not rules.is_long_posting(date(2026, 8, 31), date(2027, 2, 27))


def test_reminders_from_fourteen_days_before_and_once_a_week():
    today = date(2026, 6, 16)
    assert rules.should_remind(due_on=date(2026, 6, 30), today=today, last_reminded_on=None)
    assert not rules.should_remind(due_on=date(2026, 7, 1), today=today, last_reminded_on=None)
    assert rules.should_remind(due_on=date(2026, 5, 31), today=today, last_reminded_on=None)  # overdue
    assert not rules.should_remind(due_on=date(2026, 6, 30), today=today, last_reminded_on=date(2026, 6, 10))
    assert rules.should_remind(due_on=date(2026, 6, 30), today=today, last_reminded_on=date(2026, 6, 9))


@pytest.mark.parametrize(("days", "legal"), [(31, 10628), (30, 10285), (29, 9942), (28, 9600)])
def test_legal_month_minutes(days, legal):
    assert rules.legal_month_minutes(days) == legal


def test_the_80_hour_test_over_40_a_week():
    # 安衛法66条の8, 則52条の2: over 80 hours, not at 80
    legal = rules.legal_month_minutes(31)
    assert rules.excess_minutes(worked_minutes=legal + 80 * 60, calendar_days=31) == 80 * 60
    assert not rules.needs_interview_offer(80 * 60)
    assert rules.needs_interview_offer(80 * 60 + 1)
    assert rules.excess_minutes(worked_minutes=100, calendar_days=30) == 0
    # February: the same hours worked are more hours beyond 40 a week
    worked = 240 * 60
    assert rules.excess_minutes(worked_minutes=worked, calendar_days=28) == worked - 9600
    assert rules.excess_minutes(worked_minutes=worked, calendar_days=31) == worked - 10628
    with pytest.raises(ValueError):
        rules.legal_month_minutes(32)


def test_the_report_is_due_from_50_workers():
    # 安衛則52条
    assert not rules.report_required(49)
    assert rules.report_required(50)


def test_hours_text():
    assert rules.hours_text(5130) == "85:30"
    assert rules.hours_text(0) == "0:00"
