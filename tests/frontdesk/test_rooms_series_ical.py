# ruff: noqa: F811 -- the shared fixtures are imported from rooms_helpers
"""定例予約 (all-or-nothing, cancel one / the rest) and the iCalendar text (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.frontdesk.models.rooms import BookingSeries, BookingStatus, RoomBooking
from ennoshita.frontdesk.rules import rooms as rules
from ennoshita.frontdesk.rules import rooms_ical as ical
from ennoshita.frontdesk.services import rooms as svc

from .rooms_helpers import DAY, alice, at, bob, book, desk, room  # noqa: F401


def series(member, room, **kw):
    args = {
        "title": "週次定例",
        "frequency": "weekly",
        "starts_on": DAY,
        "until": DAY + timedelta(weeks=9),
        "start_time": time(10),
        "end_time": time(11),
    }
    args.update(kw)
    return svc.book_series(company=member.company, actor=member.user, membership=member, room=room, **args)


# ---------------------------------------------------------------- recurrence rules (pure)
def test_occurrence_dates():
    assert rules.occurrence_dates("weekly", date(2026, 12, 8), date(2026, 12, 29)) == [
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
        date(2026, 12, 29),
    ]
    assert rules.occurrence_dates("biweekly", date(2026, 12, 8), date(2026, 12, 29)) == [
        date(2026, 12, 8),
        date(2026, 12, 22),
    ]
    # 第2火曜日
    assert rules.occurrence_dates("monthly_nth", date(2026, 12, 8), date(2027, 3, 31)) == [
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
    ]
    # a 5th Tuesday only in the months that have one
    assert rules.occurrence_dates("monthly_nth", date(2026, 12, 29), date(2027, 4, 30)) == [
        date(2026, 12, 29),
        date(2027, 3, 30),
    ]
    # 平日毎日 skips weekends and, with the holiday calendar, 元日 and 成人の日
    days = svc.series_dates("weekdays", date(2026, 12, 31), date(2027, 1, 12))
    assert date(2027, 1, 1) not in days and date(2027, 1, 11) not in days and date(2027, 1, 2) not in days
    assert date(2026, 12, 31) in days and date(2027, 1, 12) in days


# ---------------------------------------------------------------- book_series
@pytest.mark.django_db
def test_series_books_every_occurrence(company, alice, room):
    s = series(alice, room)
    rows = list(RoomBooking.objects.filter(series=s).order_by("starts_at"))
    assert (
        len(rows) == 10
        and rows[0].starts_at == at(DAY, "10:00")
        and rows[-1].starts_at == at(DAY + timedelta(weeks=9), "10:00")
    )


@pytest.mark.django_db
def test_series_is_all_or_nothing_and_lists_the_conflicting_dates(company, alice, bob, room):
    book(
        bob, room, at(DAY + timedelta(weeks=2), "10:30"), at(DAY + timedelta(weeks=2), "11:30"), title="来客"
    )
    book(
        bob, room, at(DAY + timedelta(weeks=5), "09:00"), at(DAY + timedelta(weeks=5), "10:01"), title="面接"
    )
    with pytest.raises(ServiceError) as err:
        series(alice, room)
    message = err.value.field_errors["starts_on"][0]
    assert "12/22(来客)" in message and "01/12(面接)" in message and "(2日)" in message
    assert not BookingSeries.objects.filter(company=company).exists()
    assert RoomBooking.objects.filter(company=company).count() == 2


@pytest.mark.django_db
def test_series_limits(alice, room):
    with pytest.raises(ServiceError) as err:
        series(alice, room, until=DAY + timedelta(days=400))
    assert "until" in err.value.field_errors
    with pytest.raises(ServiceError) as err:
        series(alice, room, end_time=time(9))
    assert "end_time" in err.value.field_errors
    with pytest.raises(ServiceError) as err:
        series(alice, room, frequency="daily", until=DAY + timedelta(days=300))
    assert "260" in err.value.field_errors["until"][0]


@pytest.mark.django_db
def test_cancel_one_occurrence_or_the_rest(company, alice, bob, room):
    s = series(alice, room)
    third = RoomBooking.objects.filter(series=s).order_by("starts_at")[2]
    svc.cancel_booking(company=company, actor=alice.user, membership=alice, booking=third)
    book(bob, room, third.starts_at, third.ends_at)  # the freed slot can be booked again
    with pytest.raises(PermissionDeniedError):
        svc.cancel_series(company=company, actor=bob.user, membership=bob, series=s, from_date=DAY)
    n = svc.cancel_series(
        company=company, actor=alice.user, membership=alice, series=s, from_date=DAY + timedelta(weeks=5)
    )
    assert n == 5
    s.refresh_from_db()
    assert s.until == DAY + timedelta(weeks=5) - timedelta(days=1)
    statuses = list(
        RoomBooking.objects.filter(series=s).order_by("starts_at").values_list("status", flat=True)
    )
    assert statuses.count(BookingStatus.CONFIRMED) == 4


# ---------------------------------------------------------------- iCalendar
def test_ical_escaping_folding_and_utc():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    start = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    text = ical.calendar(
        "会議室A",
        [
            ical.Event(
                uid="room-booking-1@example.com",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                summary="営業会議, 第3四半期; 予算" + "の確認" * 20,
                location="会議室A",
            )
        ],
        now=datetime(2026, 12, 1, 0, 0, tzinfo=UTC),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:営業会議\\, 第3四半期\\; 予算の確認" in unfolded
    assert "DTSTART:20261208T010000Z\r\n" in unfolded and "DTEND:20261208T020000Z" in unfolded
    assert "DTSTAMP:20261201T000000Z" in unfolded and "UID:room-booking-1@example.com" in unfolded
    # folding never splits a UTF-8 character: every physical line decodes on its own
    for line in text.split("\r\n"):
        line.encode("utf-8").decode("utf-8")
    with pytest.raises(ValueError):
        ical.utc(datetime(2026, 12, 8, 10, 0))


def test_fold_counts_octets_not_characters():
    line = "SUMMARY:" + "あ" * 40  # 8 + 120 octets
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) == 2 and all(len(p.encode()) <= 75 for p in parts) and parts[1].startswith(" ")
    assert folded.replace("\r\n ", "") == line
