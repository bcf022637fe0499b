"""attendance.rules.workday.split_week: the week's minutes by kind (労基法32条, 35条, 37条), by hand
cases with the figures written out and against a minute-by-minute reference on random weeks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ennoshita.attendance.rules.workday import DayMinutes, WorkDay, split_week

TOKYO = ZoneInfo("Asia/Tokyo")
MONDAY = date(2025, 6, 2)  # a Monday


def at(day: date, hour: int, minute: int = 0, *, plus_days: int = 0) -> datetime:
    """Tokyo wall-clock time on ``day`` (+ ``plus_days``); hour 24 is the next day's 0:00."""
    return datetime(day.year, day.month, day.day, tzinfo=TOKYO) + timedelta(
        days=plus_days, hours=hour, minutes=minute
    )


def shift(day: date, *spans: tuple[int, int], scheduled: int = 480, kind: str = "workday") -> WorkDay:
    """A day of whole-hour spans, e.g. (9, 12), (13, 18); an end past 24 runs into the next day."""
    return WorkDay(
        work_date=day,
        intervals=tuple((at(day, s), at(day, e)) for s, e in spans),
        scheduled_minutes=scheduled,
        kind=kind,
    )


def figures(m: DayMinutes) -> dict[str, object]:
    return {k: v for k, v in dataclasses.asdict(m).items() if v and k != "work_date"}


# --- the minute-by-minute reference, written straight from the rules ---------------------------


def reference(days, daily_limit=480, weekly_limit=2400, statutory_holidays=()):
    # 法定休日労働 is the work inside the 法定休日's calendar day, whichever day the shift started
    # (昭和23年4月5日基発535号, 平成6年5月31日基発331号)
    holidays = set(statutory_holidays) | {d.work_date for d in days if d.kind == "statutory_holiday"}
    rows = []
    week_counted = 0
    for day in days:
        row = {f.name: 0 for f in dataclasses.fields(DayMinutes) if f.name != "work_date"}
        day_count = 0
        for start, end in day.intervals:
            t = start.astimezone(UTC)
            while t < end:
                local = t.astimezone(TOKYO)
                is_night = local.hour >= 22 or local.hour < 5
                row["worked"] += 1
                row["night"] += is_night
                if local.date() in holidays:
                    row["holiday"] += 1
                    row["holiday_night"] += is_night
                else:
                    if day.kind == "scheduled_holiday":
                        row["scheduled_holiday"] += 1
                    if day_count >= daily_limit:
                        row["overtime_daily"] += 1
                        row["overtime"] += 1
                        row["overtime_night"] += is_night
                    elif week_counted >= weekly_limit:
                        row["overtime_weekly"] += 1
                        row["overtime"] += 1
                        row["overtime_night"] += is_night
                        week_counted += 1
                    elif day_count >= day.scheduled_minutes:
                        row["legal_overtime"] += 1
                        week_counted += 1
                    else:
                        row["scheduled"] += 1
                        week_counted += 1
                    day_count += 1
                t += timedelta(minutes=1)
        rows.append(DayMinutes(work_date=day.work_date, **row))
    return rows


ZONES = [TOKYO, UTC, timezone(timedelta(hours=5, minutes=30)), ZoneInfo("America/New_York")]


@st.composite
def weeks(draw):
    """1–7 days of one week (random kinds and 所定), 0–3 intervals a day, some past midnight, in
    time order across the week, given in random time zones."""
    first = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 24)))
    offsets = sorted(draw(st.just(set(range(7))) | st.sets(st.integers(0, 6), min_size=1, max_size=7)))
    cursor = 0  # Tokyo minutes from the first day's 0:00
    days = []
    for offset in offsets:
        day_start = offset * 1440
        cursor = max(cursor, day_start)
        intervals = []
        for _ in range(draw(st.sampled_from([2, 3]) | st.integers(0, 3))):
            # short gaps and long spans often enough for the week to pass 40 hours
            begin = cursor + draw(st.sampled_from([0, 60]) | st.integers(0, 720))
            end = begin + draw(st.sampled_from([240, 300, 480, 600]) | st.integers(1, 840))
            if end > day_start + 2 * 1440:
                break
            zone = draw(st.sampled_from(ZONES))
            base = datetime(first.year, first.month, first.day, tzinfo=TOKYO)  # +09:00 since 1952
            intervals.append(
                (
                    (base + timedelta(minutes=begin)).astimezone(zone),
                    (base + timedelta(minutes=end)).astimezone(zone),
                )
            )
            cursor = end
        days.append(
            WorkDay(
                work_date=first + timedelta(days=offset),
                intervals=tuple(intervals),
                scheduled_minutes=draw(st.sampled_from([0, 240, 420, 450, 480, 540]) | st.integers(0, 600)),
                kind=draw(st.sampled_from(["workday", "workday", "scheduled_holiday", "statutory_holiday"])),
            )
        )
    return days


@settings(max_examples=200, deadline=None)
@given(days=weeks(), next_is_holiday=st.booleans())
def test_matches_the_minute_by_minute_reference(days, next_is_holiday):
    # sometimes the day after the last one is a 法定休日 that a late shift runs into
    extra = {days[-1].work_date + timedelta(days=1)} if days and next_is_holiday else set()
    assert split_week(days=days, statutory_holidays=extra) == reference(days, statutory_holidays=extra)


@settings(max_examples=100, deadline=None)
@given(days=weeks(), daily_limit=st.integers(0, 720), weekly_limit=st.integers(0, 3000))
def test_matches_the_reference_with_other_limits(days, daily_limit, weekly_limit):
    assert split_week(days=days, daily_limit=daily_limit, weekly_limit=weekly_limit) == reference(
        days, daily_limit, weekly_limit
    )


@settings(max_examples=100, deadline=None)
@given(days=weeks())
def test_every_minute_is_counted_once(days):
    for m in split_week(days=days):
        assert m.worked == m.scheduled + m.legal_overtime + m.overtime + m.holiday
        assert m.overtime == m.overtime_daily + m.overtime_weekly
        assert m.overtime_night <= min(m.overtime, m.night)
        assert m.holiday_night <= min(m.holiday, m.night)
        assert m.scheduled_holiday in (0, m.worked - m.holiday)


# --- hand cases -------------------------------------------------------------------------------


def test_nine_to_six_with_an_hour_break_is_all_scheduled():
    (m,) = split_week(days=[shift(MONDAY, (9, 12), (13, 18))])
    assert figures(m) == {"worked": 480, "scheduled": 480}


def test_nine_to_eight_with_a_break_has_two_hours_of_daily_overtime():
    (m,) = split_week(days=[shift(MONDAY, (9, 12), (13, 20))])
    # 10 hours worked: 8 within 所定, the last 2 over 8h a day (32条2項)
    assert figures(m) == {"worked": 600, "scheduled": 480, "overtime_daily": 120, "overtime": 120}


def test_an_hour_past_a_seven_hour_schedule_is_legal_overtime():
    (m,) = split_week(days=[shift(MONDAY, (9, 12), (13, 18), scheduled=420)])
    # 法定内残業: beyond 7h 所定 but within 8h — no 割増 required
    assert figures(m) == {"worked": 480, "scheduled": 420, "legal_overtime": 60}


def five_days_of_eight():
    return [shift(MONDAY + timedelta(days=i), (9, 12), (13, 18)) for i in range(5)]


def test_a_saturday_on_a_scheduled_holiday_is_weekly_overtime():
    saturday = MONDAY + timedelta(days=5)
    result = split_week(
        days=[*five_days_of_eight(), shift(saturday, (9, 14), scheduled=0, kind="scheduled_holiday")]
    )
    assert all(figures(m) == {"worked": 480, "scheduled": 480} for m in result[:5])
    # 40 hours reached on Friday: Saturday's 5 hours are 時間外 by the week (32条1項)
    assert figures(result[5]) == {
        "worked": 300,
        "overtime_weekly": 300,
        "overtime": 300,
        "scheduled_holiday": 300,
    }


def test_a_saturday_on_the_statutory_holiday_is_holiday_work_not_overtime():
    saturday = MONDAY + timedelta(days=5)
    result = split_week(
        days=[*five_days_of_eight(), shift(saturday, (9, 14), scheduled=0, kind="statutory_holiday")]
    )
    # 法定休日労働 (35条) is never 時間外 and does not count toward the 40 hours
    assert figures(result[5]) == {"worked": 300, "holiday": 300}


def test_a_statutory_holiday_midweek_leaves_the_forty_hours_untouched():
    days = [shift(MONDAY + timedelta(days=i), (9, 12), (13, 18)) for i in (0, 1, 3, 4, 5)]
    days.insert(2, shift(MONDAY + timedelta(days=2), (10, 20), scheduled=0, kind="statutory_holiday"))
    result = split_week(days=days)
    # Mon, Tue, Thu–Sat: 40 hours within the limits; Wednesday's 10 hours are all 休日労働
    assert figures(result[2]) == {"worked": 600, "holiday": 600}
    assert all(figures(m) == {"worked": 480, "scheduled": 480} for i, m in enumerate(result) if i != 2)


def test_a_night_shift_into_the_morning():
    (m,) = split_week(days=[shift(MONDAY, (22, 31))])  # 22:00 – 翌7:00, no break
    # 22:00–05:00 is 深夜 (420); 8 hours end at 06:00, so 06:00–07:00 is daily 時間外, not at night
    assert figures(m) == {"worked": 540, "scheduled": 480, "overtime_daily": 60, "overtime": 60, "night": 420}


def test_one_to_midnight_has_overtime_at_night():
    (m,) = split_week(days=[shift(MONDAY, (13, 24))])
    # 13:00–21:00 所定; 21:00–24:00 時間外, of which 22:00–24:00 深夜 too (150%)
    assert figures(m) == {
        "worked": 660,
        "scheduled": 480,
        "overtime_daily": 180,
        "overtime": 180,
        "night": 120,
        "overtime_night": 120,
    }


def test_holiday_work_at_night():
    (m,) = split_week(days=[shift(MONDAY, (20, 26), scheduled=0, kind="statutory_holiday")])
    # 20:00–翌2:00 from the 法定休日: 休日労働 up to midnight only (240, of which 22:00–24:00 深夜);
    # 0:00–2:00 is the next calendar day: ordinary work of the shift's day, 法定内 and 深夜
    # (平成6年5月31日基発331号)
    assert figures(m) == {
        "worked": 360,
        "holiday": 240,
        "night": 240,
        "holiday_night": 120,
        "legal_overtime": 120,
    }


def test_a_shift_from_the_day_before_is_holiday_work_from_midnight():
    # Sat 20:00 → Sun 2:00 with Sunday the 法定休日 (the next week's first day, passed by the caller):
    # 20:00–24:00 on Saturday after a full week is 時間外 by the week; 0:00–2:00 is 休日労働
    saturday = MONDAY + timedelta(days=5)
    days = [*five_days_of_eight(), shift(saturday, (20, 26), scheduled=0, kind="scheduled_holiday")]
    m = split_week(days=days, statutory_holidays={saturday + timedelta(days=1)})[-1]
    assert figures(m) == {
        "worked": 360,
        "overtime": 240,
        "overtime_weekly": 240,
        "night": 240,
        "overtime_night": 120,
        "holiday": 120,
        "holiday_night": 120,
        "scheduled_holiday": 240,
    }


def test_daily_overtime_is_not_counted_again_toward_the_week():
    # Mon–Thu 10 h each: 2 h a day 時間外 by the day, 8 h a day counted toward the week (32 h);
    # Friday's 8 h bring it to exactly 40 h, so nothing is 時間外 by the week (基発1号).
    days = [shift(MONDAY + timedelta(days=i), (8, 12), (13, 19)) for i in range(4)]
    days.append(shift(MONDAY + timedelta(days=4), (9, 12), (13, 18)))
    result = split_week(days=days)
    for m in result[:4]:
        assert figures(m) == {"worked": 600, "scheduled": 480, "overtime_daily": 120, "overtime": 120}
    assert figures(result[4]) == {"worked": 480, "scheduled": 480}
    assert sum(m.overtime_weekly for m in result) == 0


def test_forty_hours_crossed_in_the_middle_of_a_day():
    # Mon–Fri 7 h each = 35 h with a 7 h 所定; Saturday (所定休日) 9:00–19:00 with a 12:00–13:00
    # break, 9 h: 9–12 and 13–15 (5 h) reach 40 h at 15:00 → 法定内 (no 所定 that day);
    # 15:00–18:00 時間外 by the week (3 h) until the day's 8 h at 18:00; 18:00–19:00 by the day.
    days = [shift(MONDAY + timedelta(days=i), (9, 12), (13, 17), scheduled=420) for i in range(5)]
    days.append(shift(MONDAY + timedelta(days=5), (9, 12), (13, 19), scheduled=0, kind="scheduled_holiday"))
    result = split_week(days=days)
    assert all(figures(m) == {"worked": 420, "scheduled": 420} for m in result[:5])
    assert figures(result[5]) == {
        "worked": 540,
        "legal_overtime": 300,
        "overtime_weekly": 180,
        "overtime_daily": 60,
        "overtime": 240,
        "scheduled_holiday": 540,
    }


def test_the_week_may_start_on_any_day_and_have_fewer_days():
    sunday = MONDAY - timedelta(days=1)
    result = split_week(
        days=[shift(sunday, (9, 19), scheduled=0, kind="statutory_holiday"), shift(MONDAY, (9, 18))]
    )
    assert [m.work_date for m in result] == [sunday, MONDAY]
    assert figures(result[0]) == {"worked": 600, "holiday": 600}
    assert figures(result[1]) == {"worked": 540, "scheduled": 480, "overtime_daily": 60, "overtime": 60}
    assert split_week(days=[]) == []


def test_any_time_zone_is_read_as_tokyo_time():
    start = at(MONDAY, 21).astimezone(UTC)  # 12:00 UTC
    day = WorkDay(MONDAY, ((start, start + timedelta(hours=3)),), 480)
    (m,) = split_week(days=[day])
    assert (m.worked, m.night) == (180, 120)  # 21:00–24:00 Tokyo


def test_an_empty_day_is_all_zeros():
    (m,) = split_week(days=[WorkDay(MONDAY, (), 480)])
    assert figures(m) == {}


# --- refused input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (WorkDay(MONDAY, ((at(MONDAY, 9), at(MONDAY, 12)), (at(MONDAY, 11), at(MONDAY, 14)))), "重なって"),
        (WorkDay(MONDAY, ((at(MONDAY, 13), at(MONDAY, 14)), (at(MONDAY, 9), at(MONDAY, 10)))), "重なって"),
        (WorkDay(MONDAY, ((at(MONDAY, 9), at(MONDAY, 12) + timedelta(seconds=30)),)), "分単位"),
        (WorkDay(MONDAY, ((at(MONDAY, 9) + timedelta(microseconds=1), at(MONDAY, 12)),)), "分単位"),
        (WorkDay(MONDAY, ((at(MONDAY, 12), at(MONDAY, 12)),)), "開始より後"),
        (WorkDay(MONDAY, ((datetime(2025, 6, 2, 9), datetime(2025, 6, 2, 12)),)), "タイムゾーン"),
        (WorkDay(MONDAY, ((at(MONDAY, -1), at(MONDAY, 2)),)), "0時以降"),
        (WorkDay(MONDAY, ((at(MONDAY, 40), at(MONDAY, 48, 1)),)), "24時まで"),
        (WorkDay(MONDAY, (), -1), "scheduled_minutes"),
        (WorkDay(MONDAY, (), 24 * 60 + 1), "scheduled_minutes"),
        (WorkDay(MONDAY, (), 0, "holiday"), "kind"),
    ],
)
def test_bad_days_are_refused(day, message):
    with pytest.raises(ValueError, match=message):
        split_week(days=[day])


def test_the_whole_day_to_the_next_midnight_is_allowed():
    (m,) = split_week(days=[shift(MONDAY, (0, 48), scheduled=0)])
    assert m.worked == 48 * 60


def test_overlap_across_days_is_refused():
    with pytest.raises(ValueError, match="重なって"):
        split_week(days=[shift(MONDAY, (22, 31)), shift(MONDAY + timedelta(days=1), (6, 15))])


def test_days_out_of_order_or_beyond_a_week_are_refused():
    with pytest.raises(ValueError, match="work_date"):
        split_week(days=[shift(MONDAY + timedelta(days=1), (9, 10)), shift(MONDAY, (9, 10))])
    with pytest.raises(ValueError, match="work_date"):
        split_week(days=[shift(MONDAY, (9, 10)), shift(MONDAY, (11, 12))])
    with pytest.raises(ValueError, match="7日"):
        split_week(days=[shift(MONDAY, (9, 10)), shift(MONDAY + timedelta(days=7), (9, 10))])


@pytest.mark.parametrize("limits", [{"daily_limit": -1}, {"weekly_limit": -1}])
def test_negative_limits_are_refused(limits):
    with pytest.raises(ValueError, match="0分以上"):
        split_week(days=[], **limits)
