"""年次有給休暇 rules (pure): schedule, expiry, 8割, FIFO with half days and hours, 年5日 with 按分.
Expected figures are computed by hand from 労基法39条・115条, 則24条の3・24条の5."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance.rules import leave_grants as r
from ennoshita.attendance.rules.paid_leave import paid_leave_days


def days_of(dues, **week):
    return [paid_leave_days(service_months=d.service_months, **week) for d in dues]


FULL = {"weekly_days": 5, "weekly_hours": 40}


def test_full_timer_hired_april_first():
    dues = r.grant_dates(hire_date=date(2024, 4, 1), until=date(2031, 12, 31))
    assert [d.granted_on for d in dues] == [date(2024 + i, 10, 1) for i in range(8)]
    assert days_of(dues, **FULL) == [10, 11, 12, 14, 16, 18, 20, 20]
    first = dues[0]
    assert (first.period_start, first.period_end, first.deemed_until) == (
        date(2024, 4, 1),
        date(2024, 9, 30),
        None,
    )
    assert dues[1].period_start == date(2024, 10, 1) and dues[1].period_end == date(2025, 9, 30)
    assert first.expires_on == date(2026, 9, 30)


def test_part_timer_three_days_a_week_follows_the_table():
    dues = r.grant_dates(hire_date=date(2024, 4, 1), until=date(2030, 10, 1))
    assert days_of(dues, weekly_days=3, weekly_hours=18) == [5, 6, 6, 8, 9, 10, 11]


def test_hired_on_the_31st_is_granted_on_the_first_of_the_month_after():
    # 民法143条2項: 6 months from 8/31 end on the last day of February
    assert r.grant_dates(hire_date=date(2024, 8, 31), until=date(2025, 3, 1))[0].granted_on == date(
        2025, 3, 1
    )
    assert r.grant_dates(hire_date=date(2024, 8, 31), until=date(2025, 2, 28)) == []


def test_reference_date_with_front_loading():
    # 基準日 4/1: hired 2024-04-01 → 10 days on 2024-10-01, 11 days on 2025-04-01, 12 on 2026-04-01
    dues = r.grant_dates(hire_date=date(2024, 4, 1), until=date(2027, 4, 1), reference_month=4)
    assert [d.granted_on for d in dues] == [
        date(2024, 10, 1),
        date(2025, 4, 1),
        date(2026, 4, 1),
        date(2027, 4, 1),
    ]
    assert days_of(dues, **FULL) == [10, 11, 12, 14]
    second = dues[1]
    # the 8割 period 2024-10-01..2025-03-31; the cut-off half year to 2025-09-30 counts as attended
    assert (second.period_start, second.period_end, second.deemed_until) == (
        date(2024, 10, 1),
        date(2025, 3, 31),
        date(2025, 9, 30),
    )
    assert dues[2].deemed_until is None  # a whole year from 2025-04-01


def test_reference_date_never_later_or_smaller_than_the_law():
    for hire in [date(2023, 1, 15), date(2023, 6, 30), date(2023, 10, 2), date(2024, 2, 29)]:
        company = r.grant_dates(hire_date=hire, until=date(2032, 1, 1), reference_month=4)
        law = r.grant_dates(hire_date=hire, until=date(2032, 1, 1))
        for k, legal in enumerate(law):
            assert company[k].granted_on <= legal.granted_on
            assert company[k].service_months == legal.service_months


def test_first_grant_earlier_than_six_months():
    dues = r.grant_dates(hire_date=date(2024, 4, 1), until=date(2025, 4, 1), first_grant_months=0)
    assert [d.granted_on for d in dues] == [date(2024, 4, 1), date(2025, 4, 1)]
    assert dues[0].deemed_until == date(2024, 9, 30)
    with pytest.raises(ValueError):
        r.grant_dates(hire_date=date(2024, 4, 1), until=date(2025, 4, 1), first_grant_months=7)


def test_expiry_is_the_day_before_the_second_anniversary():
    assert r.expiry_date(date(2024, 10, 1)) == date(2026, 9, 30)
    assert r.expiry_date(date(2024, 2, 29)) == date(2026, 2, 28)
    lot = r.Lot("g", date(2024, 10, 1), r.expiry_date(date(2024, 10, 1)), 16)
    assert lot.valid_on(date(2026, 9, 30))
    assert not lot.valid_on(date(2026, 10, 1))


def test_eighty_percent_boundary():
    assert r.meets_attendance_test(attended_days=80, working_days=100)
    assert not r.meets_attendance_test(attended_days=79, working_days=100)
    assert r.attendance_rate(attended_days=80, working_days=100) == Decimal("0.8")
    # 195/244 = 0.7991…: under 80 % even though it shows as 0.7991
    assert not r.meets_attendance_test(attended_days=195, working_days=244)
    assert r.meets_attendance_test(attended_days=196, working_days=245)
    # the deemed (cut-off) days count on both sides
    assert r.meets_attendance_test(attended_days=70, working_days=100, deemed_days=50)
    assert r.attendance_rate(attended_days=0, working_days=0) == 1


def test_count_attendance_excludes_company_days_and_counts_leave():
    days = [date(2025, 4, d) for d in range(1, 11)]
    counted = r.count_attendance(
        workdays=days,
        worked=set(days[:6]),
        counted_leave={days[6]},
        excluded={days[9]},
    )
    assert (counted.attended_days, counted.working_days) == (7, 9)


def test_units_days_half_days_and_hours():
    assert r.hours_per_day(450) == 8  # 7時間30分 → 8時間 (平21.5.29基発0529001号)
    assert r.hours_per_day(420) == 7
    assert r.to_units(days=Decimal("10"), hours=0, hours_per_day=8) == 160
    assert r.from_units(160 - 2, 8) == (Decimal(9), Decimal(7))  # 10日 − 1時間 = 9日と7時間
    assert r.from_units(152, 8) == (Decimal("9.5"), Decimal(0))
    assert r.from_units(150, 8) == (Decimal(9), Decimal(3))  # 10 − 0.5日 − 1時間
    assert r.from_units(7, 7) == (Decimal("0.5"), Decimal(0))  # a half 7-hour day


def test_fifo_oldest_first_and_split_across_grants():
    old = r.Lot("old", date(2024, 10, 1), date(2026, 9, 30), 8)  # half a day left (8h days)
    new = r.Lot("new", date(2025, 10, 1), date(2027, 9, 30), 176)
    draws = r.draw(lots=[new, old], day=date(2026, 1, 5), units=16)
    assert draws == [r.Draw("old", 8), r.Draw("new", 8)]
    # after the old grant expires, only the new one is used
    assert r.draw(lots=[new, old], day=date(2026, 10, 1), units=16) == [r.Draw("new", 16)]
    # hours: 3 hours from what is left of the old grant first
    left = r.apply_draws([old, new], [r.Draw("old", 2)])
    assert r.draw(lots=left, day=date(2026, 1, 6), units=8) == [r.Draw("old", 6), r.Draw("new", 2)]
    with pytest.raises(r.InsufficientBalance) as short:
        r.draw(lots=[old], day=date(2026, 1, 5), units=10)
    assert short.value.available == 8


def test_five_days_plain_and_prorated():
    plain = r.five_day_periods([(date(2024, 10, 1), Decimal(10)), (date(2025, 10, 1), Decimal(11))])
    assert [(p.start, p.deadline, p.required) for p in plain] == [
        (date(2024, 10, 1), date(2025, 9, 30), Decimal(5)),
        (date(2025, 10, 1), date(2026, 9, 30), Decimal(5)),
    ]
    # 基準日 4/1: 10 days on 2024-10-01, 11 on 2025-04-01 → 2024-10-01..2026-03-31, 18 months → 7.5 days
    joined = r.five_day_periods([(date(2024, 10, 1), Decimal(10)), (date(2025, 4, 1), Decimal(11))])
    assert [(p.start, p.deadline, p.required, p.grant_dates) for p in joined] == [
        (date(2024, 10, 1), date(2026, 3, 31), Decimal("7.5"), (date(2024, 10, 1), date(2025, 4, 1)))
    ]
    # 2024-10-15 and 2025-04-01: 17 months and a half → 18 months → 7.5; 2024-11-01 → 17 → 7.083… → 7.5
    assert r.five_day_periods([(date(2024, 11, 1), Decimal(10)), (date(2025, 4, 1), Decimal(11))])[
        0
    ].required == Decimal("7.5")
    assert r.five_day_periods([(date(2025, 1, 1), Decimal(10)), (date(2025, 4, 1), Decimal(11))])[
        0
    ].required == Decimal("6.5")
    # under 10 days: no duty (a part-timer's 5, 6, 6, 8, 9 days)
    assert r.five_day_periods([(date(2024, 10, 1), Decimal(9))]) == []


def test_five_day_counting_units():
    assert r.day_count_for_five_days("full") == 1
    assert r.day_count_for_five_days("am") == Decimal("0.5")
    assert r.day_count_for_five_days("hours") == 0


# --- property: a balance never goes negative, no taking draws on a grant past its expiry --------

grant_st = st.tuples(
    st.integers(min_value=0, max_value=1500),  # day offset of the grant
    st.integers(min_value=0, max_value=40),  # half days granted
)
taking_st = st.tuples(
    st.integers(min_value=0, max_value=2200),  # day offset of the leave
    st.sampled_from(["full", "am", "hours"]),
    st.integers(min_value=1, max_value=7),  # hours when hourly
)


@given(
    grants=st.lists(grant_st, max_size=6),
    takings=st.lists(taking_st, max_size=40),
    hpd=st.integers(min_value=1, max_value=9),
)
def test_balance_never_negative_and_never_past_expiry(grants, takings, hpd):
    base = date(2020, 1, 1)
    lots = [
        r.Lot(i, base + timedelta(days=g), r.expiry_date(base + timedelta(days=g)), half * hpd)
        for i, (g, half) in enumerate(grants)
    ]
    start = {lot.key: lot for lot in lots}
    for offset, unit, hours in takings:
        day = base + timedelta(days=offset)
        need = {"full": 2 * hpd, "am": hpd, "hours": 2 * min(hours, hpd)}[unit]
        before = r.available_on(lots, day)
        if before < need:
            with pytest.raises(r.InsufficientBalance) as short:
                r.draw(lots=lots, day=day, units=need)
            assert short.value.available == before
            continue
        draws = r.draw(lots=lots, day=day, units=need)
        assert sum(d.units for d in draws) == need
        for item in draws:
            assert start[item.key].valid_on(day)  # never before the grant nor past its expiry
        lots = r.apply_draws(lots, draws)
        assert all(lot.units >= 0 for lot in lots)
        assert r.available_on(lots, day) == before - need
