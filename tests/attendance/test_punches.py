"""打刻: the button's state machine, the times it keeps, what it refuses, the audit trail, the
screen and the API."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from ennoshita.attendance import selectors, services
from ennoshita.attendance.models import Punch, PunchState
from ennoshita.attendance.rules import punches as rules
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent

from ..apiclient import ApiClient, field_errors
from ..conftest import login

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


def press(member, kind, at, **kw):
    return services.record_punch(
        company=member.company,
        actor=member.user,
        membership=member,
        data=services.PunchInput(kind=kind, **kw),
        now=at,
        ip_address="203.0.113.5",
    )


def test_a_day_of_punches(employee_member):
    m = employee_member
    press(m, "in", jst(2026, 12, 1, 8, 59, 40))
    press(m, "break_start", jst(2026, 12, 1, 12, 0, 20))
    press(m, "break_end", jst(2026, 12, 1, 12, 59, 50))
    press(m, "out", jst(2026, 12, 1, 18, 0, 5), note="資料作成")
    punches = list(Punch.objects.filter(company=m.company).order_by("at"))
    assert [p.kind for p in punches] == ["in", "break_start", "break_end", "out"]
    assert {p.work_date.isoformat() for p in punches} == {"2026-12-01"}
    assert (
        punches[-1].note == "資料作成"
        and punches[0].ip_address == "203.0.113.5"
        and punches[0].source == "web"
    )
    board = selectors.punch_board(company=m.company, membership=m, now=jst(2026, 12, 1, 18, 5))
    assert board is not None and board.status == "done" and board.allowed == ("in",)
    (day,) = board.days
    # starts from the minute they fall in, ends to the end of theirs: 8:59–12:01 and 12:59–18:01
    assert (day.worked_minutes, day.break_minutes) == (182 + 302, 58)
    assert day.worked_label == "8:04" and not day.open and day.problems == ()


def test_each_punch_is_audited(employee_member):
    punch = press(employee_member, "in", jst(2026, 12, 1, 9, 0))
    event = AuditEvent.objects.get(company=employee_member.company, object_type="attendance.punch")
    assert event.object_id == str(punch.pk) and event.actor_id == employee_member.user_id
    assert event.changes["fields"]["kind"] == [None, "in"] and event.changes["fields"]["ip_address"] == [
        None,
        "203.0.113.5",
    ]


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ([], "out", "出勤していないため退勤できません。"),
        ([], "break_start", "勤務中ではないため休憩を始められません。"),
        (["in"], "in", "出勤中です。先に退勤を打刻してください。"),
        (["in", "break_start"], "out", "休憩中です。休憩終了を打刻してから退勤してください。"),
        (["in", "out"], "break_end", "休憩中ではありません。"),
    ],
)
def test_a_punch_out_of_order_is_refused_and_nothing_is_written(employee_member, first, then, message):
    at = jst(2026, 12, 1, 9, 0)
    for n, kind in enumerate(first):
        press(employee_member, kind, at + timedelta(hours=n))
    before = (Punch.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as refused:
        press(employee_member, then, at + timedelta(hours=5))
    assert refused.value.field_errors == {"kind": [message]}
    assert (Punch.objects.count(), AuditEvent.objects.count()) == before


def test_a_time_not_after_the_last_punch_is_refused(employee_member):
    press(employee_member, "in", jst(2026, 12, 1, 9, 0))
    with pytest.raises(ServiceError, match="直前の打刻"):
        press(employee_member, "out", jst(2026, 12, 1, 9, 0))
    with pytest.raises(ServiceError, match="直前の打刻"):
        press(employee_member, "out", jst(2026, 12, 1, 8, 0))


def test_a_night_shift_belongs_to_the_day_it_started(employee_member):
    press(employee_member, "in", jst(2026, 12, 1, 22, 0))
    press(employee_member, "out", jst(2026, 12, 2, 7, 0))
    assert set(Punch.objects.values_list("work_date", flat=True)) == {datetime(2026, 12, 1).date()}
    board = selectors.punch_board(
        company=employee_member.company, membership=employee_member, now=jst(2026, 12, 2, 8)
    )
    assert board is not None and board.days[0].worked_minutes == 540


def test_a_forgotten_clock_out_lets_the_next_day_start(employee_member):
    m = employee_member
    press(m, "in", jst(2026, 12, 1, 9, 0))
    board = selectors.punch_board(company=m.company, membership=m, now=jst(2026, 12, 2, 12, 0))
    assert board is not None and board.status == "off" and board.forgotten_clock_in == jst(2026, 12, 1, 9, 0)
    press(m, "in", jst(2026, 12, 2, 12, 0))
    board = selectors.punch_board(company=m.company, membership=m, now=jst(2026, 12, 2, 12, 1))
    assert board is not None and board.status == "working"
    assert [d.open for d in board.days] == [True, True]


def test_who_cannot_punch(company, hr, employee_member):
    with pytest.raises(ServiceError, match="社員の記録が紐付いていない"):
        press(hr, "in", jst(2026, 12, 1, 9))
    employee = selectors.punch_board(company=company, membership=employee_member).employee
    employee.retire_date = jst(2026, 11, 30, 0).date()
    employee.save()
    with pytest.raises(ServiceError, match="退職日を過ぎている"):
        press(employee_member, "in", jst(2026, 12, 1, 9))


def test_a_position_only_where_the_company_records_it(employee_member, hr):
    where = {"latitude": Decimal("35.681236"), "longitude": Decimal("139.767125")}
    with pytest.raises(ServiceError, match="位置情報を記録しません"):
        press(employee_member, "in", jst(2026, 12, 1, 9), **where)
    services.update_settings(company=hr.company, actor=hr.user, membership=hr, position_enabled=True)
    punch = press(employee_member, "in", jst(2026, 12, 1, 9), **where)
    assert (punch.latitude, punch.longitude) == (where["latitude"], where["longitude"])
    with pytest.raises(ServiceError, match="緯度と経度の両方"):
        press(employee_member, "out", jst(2026, 12, 1, 18), latitude=Decimal(35))


def test_only_hr_changes_the_settings(employee_member):
    with pytest.raises(ServiceError):
        services.update_settings(
            company=employee_member.company,
            actor=employee_member.user,
            membership=employee_member,
            position_enabled=True,
        )


def test_intervals_never_take_a_minute_from_the_worker():
    found = rules.day_intervals(
        [
            ("in", jst(2026, 12, 1, 9, 0, 59)),
            ("break_start", jst(2026, 12, 1, 12, 0, 1)),
            ("break_end", jst(2026, 12, 1, 12, 0, 30)),
            ("out", jst(2026, 12, 1, 18, 0, 0)),
        ]
    )
    # a break of half a minute: the minute 12:00–12:01 is counted once, not twice and not lost
    assert found.intervals == (
        (jst(2026, 12, 1, 9, 0), jst(2026, 12, 1, 12, 1)),
        (jst(2026, 12, 1, 12, 1), jst(2026, 12, 1, 18, 0)),
    )
    assert rules.worked_minutes(found.intervals) == 540


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_clock_in_once(employee_member):
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL runs this")
    at = jst(2026, 12, 1, 9, 0)
    results: list[object] = []

    def go(offset: int) -> None:
        try:
            results.append(press(employee_member, "in", at + timedelta(seconds=offset)))
        except ServiceError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Punch.objects.filter(kind="in").count() == 1
    assert sum(isinstance(r, ServiceError) for r in results) == 3
    assert PunchState.objects.get().last_kind == "in"


def test_the_punch_screen(client, employee_member):
    login(client, employee_member)
    page = client.get(reverse("attendance:punch")).content.decode()
    assert 'value="in"' in page and 'value="out"' not in page and "勤務外" in page
    r = client.post(reverse("attendance:record_punch"), {"kind": "in", "note": "在宅"})
    assert r.status_code == 302
    page = client.get(reverse("attendance:punch")).content.decode()
    assert "勤務中" in page and 'value="out"' in page and 'value="break_start"' in page and "出勤を" in page
    r = client.post(reverse("attendance:record_punch"), {"kind": "break_end"})
    assert r.status_code == 400 and "休憩中ではありません。" in r.content.decode()
    r = client.post(
        reverse("attendance:record_punch"),
        {"kind": "in"},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile/15E148",
    )
    assert r.status_code == 400  # already working
    client.post(
        reverse("attendance:record_punch"),
        {"kind": "out"},
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile",
    )
    assert Punch.objects.get(kind="out").source == "mobile"


def test_the_screen_says_why_someone_cannot_punch(client, hr):
    login(client, hr)
    page = client.get(reverse("attendance:punch")).content.decode()
    assert "社員の記録が紐付いていない" in page and 'name="kind"' not in page


def test_the_settings_screen(client, hr, employee_member):
    login(client, hr)
    r = client.post(reverse("attendance:settings"), {"form": "position", "position_enabled": "on"})
    assert r.status_code == 302
    assert selectors.settings_of(company=hr.company).position_enabled
    assert "変更履歴" in client.get(reverse("attendance:settings")).content.decode()
    client.logout()
    login(client, employee_member)
    assert client.get(reverse("attendance:settings")).status_code == 403


def test_the_api(client, employee_member, hr):
    api = ApiClient(client, employee_member)
    r = api.post("/attendance/punches", {"kind": "in"})
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "in"
    r = api.post("/attendance/punches", {"kind": "in"})
    assert r.status_code == 400 and field_errors(r) == {"kind": ["出勤中です。先に退勤を打刻してください。"]}
    r = api.post("/attendance/punches", {"kind": "lunch"})
    assert r.status_code == 422
    body = api.get("/attendance/me").json()
    assert body["status"] == "working" and body["allowed"] == ["break_start", "out"]
    assert body["days"][0]["punches"][0]["kind"] == "in"
    assert ApiClient(client, hr).get("/attendance/me").status_code == 404
