"""出勤簿 screens, download and API; the work-rule settings with their legal limits."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ennoshita.attendance import services, timesheet_selectors
from ennoshita.attendance.models import WorkRule
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent

from ..apiclient import ApiClient
from ..conftest import login, make_employee

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def day(member, y, m, d, start=(9, 0), end=(18, 0)):
    for kind, at in (
        ("in", datetime(y, m, d, *start, tzinfo=JST)),
        ("break_start", datetime(y, m, d, 12, 0, tzinfo=JST)),
        ("break_end", datetime(y, m, d, 13, 0, tzinfo=JST)),
        ("out", datetime(y, m, d, *end, tzinfo=JST)),
    ):
        services.record_punch(
            company=member.company,
            actor=member.user,
            membership=member,
            data=services.PunchInput(kind=kind),
            now=at,
        )


def test_my_timesheet_screen_and_download(client, employee_member):
    day(
        employee_member, 2026, 11, 2, end=(20, 30)
    )  # Monday 9:00–20:30: 11.5 h − 1 h break = 10.5 h worked → 2:30 over 8 h
    login(client, employee_member)
    page = client.get(reverse("attendance:timesheet"), {"month": "2026-11"}).content.decode()
    assert "2026年11月" in page and 'data-date="2026-11-02"' in page
    assert 'data-overtime="150"' in page and "10:30" in page and "文化の日" in page
    r = client.get(reverse("attendance:timesheet"), {"month": "2026-11", "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["日付", "区分", "出勤", "退勤", "休憩", "実労働"]
    monday = next(row for row in rows if row[0] == "2026-11-02")
    assert monday[1:9] == ["出勤日", "09:00", "20:30", "1:00", "10:30", "8:00", "0:00", "2:30"]
    assert rows[-1][0] == "合計" and rows[-1][8] == "2:30"
    r = client.get(reverse("attendance:timesheet"), {"month": "2026-11", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(row=1, column=1).value == "日付"


def test_a_bad_month_falls_back_with_a_message(client, employee_member):
    login(client, employee_member)
    r = client.get(reverse("attendance:timesheet"), {"month": "2026-13"})
    assert r.status_code == 200 and "YYYY-MM" in r.content.decode()


def test_who_reads_whose_timesheet(client, company, hr, employee_member, department, other_company, outsider):
    other = make_employee(company, hr, department, number="E002")
    login(client, employee_member)
    assert client.get(reverse("attendance:employee_timesheet", args=[other.pk])).status_code == 403
    assert client.get(reverse("attendance:timesheet_index")).status_code == 403
    client.logout()
    login(client, hr)
    assert client.get(reverse("attendance:employee_timesheet", args=[other.pk])).status_code == 200
    index = client.get(
        reverse("attendance:timesheet_index"), {"q": "E002", "month": "2026-11"}
    ).content.decode()
    assert reverse("attendance:employee_timesheet", args=[other.pk]) + "?month=2026-11" in index
    assert reverse("attendance:timesheet") not in index or "E001" not in index
    client.logout()
    login(client, outsider)
    assert client.get(reverse("attendance:employee_timesheet", args=[other.pk])).status_code == 404


def test_the_timesheet_api(client, company, hr, employee_member, department):
    day(employee_member, 2026, 11, 2)
    api = ApiClient(client, employee_member)
    body = api.get("/attendance/timesheets/me", {"month": "2026-11"}).json()
    assert body["month"] == "2026-11" and len(body["days"]) == 30
    assert body["days"][1]["minutes"]["scheduled"] == 480 and body["totals"]["worked"] == 480
    assert body["days"][2]["kind"] == "scheduled_holiday" and body["days"][2]["holiday_name"] == "文化の日"
    other = make_employee(company, hr, department, number="E002")
    assert api.get(f"/attendance/timesheets/{other.pk}").status_code == 403
    assert api.get("/attendance/timesheets/me", {"month": "11/2026"}).status_code == 422
    r = ApiClient(client, hr).get(f"/attendance/timesheets/{other.pk}", {"month": "2026-11"})
    assert r.status_code == 200 and r.json()["employee_id"] == other.pk


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


def test_the_work_rule_is_saved_and_audited(hr):
    saved = services.update_work_rule(
        company=hr.company,
        actor=hr.user,
        membership=hr,
        data=rule(start_time=time(8, 30), end_time=time(17), break_minutes=45),
    )
    assert saved.scheduled_minutes == 465
    assert timesheet_selectors.work_rule_of(company=hr.company).pk == saved.pk
    services.update_work_rule(company=hr.company, actor=hr.user, membership=hr, data=rule())
    assert WorkRule.objects.count() == 1
    actions = list(
        AuditEvent.objects.filter(object_type="attendance.workrule")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"workdays": [0, 1, 2, 3, 4, 6]}, "statutory_holiday_weekday", "労基法35条"),
        ({"end_time": time(19)}, "end_time", "労基法32条2項"),  # 9 h
        ({"workdays": [0, 1, 2, 3, 4, 5]}, "workdays", "労基法32条1項"),  # 48 h a week
        ({"end_time": time(17), "break_minutes": 30}, "break_minutes", "労基法34条"),  # 7.5 h with 30 min
        ({"workdays": []}, "workdays", "1日以上"),
    ],
)
def test_a_work_rule_against_the_law_is_refused(hr, changes, field, words):
    with pytest.raises(ServiceError) as refused:
        services.update_work_rule(company=hr.company, actor=hr.user, membership=hr, data=rule(**changes))
    assert words in refused.value.field_errors[field][0]
    assert not WorkRule.objects.exists()


def test_the_settings_screen_saves_the_work_rule(client, hr, employee_member):
    login(client, hr)
    data = {
        "form": "rule",
        "start_time": "08:30",
        "end_time": "17:00",
        "break_minutes": "45",
        "workdays": ["0", "1", "2", "3", "4"],
        "statutory_holiday_weekday": "6",
        "week_start_weekday": "0",
        "national_holidays_off": "on",
    }
    assert client.post(reverse("attendance:settings"), data).status_code == 302
    assert timesheet_selectors.work_rule_of(company=hr.company).week_start_weekday == 0
    r = client.post(reverse("attendance:settings"), {**data, "end_time": "19:00"})
    assert r.status_code == 400 and "労基法32条2項" in r.content.decode()
    client.logout()
    login(client, employee_member)
    assert client.post(reverse("attendance:settings"), data).status_code == 403
