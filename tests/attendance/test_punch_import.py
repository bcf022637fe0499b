"""打刻の取込: whole work days from a CSV, every row checked first, nothing written on an error."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.attendance import services, timesheet_selectors
from ennoshita.attendance.models import Punch
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent

from ..conftest import login

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
HEADER = "社員番号,勤務日,種類,時刻,メモ\n"
GOOD = HEADER + (
    "E001,2026-11-02,出勤,8:55,\n"
    "E001,2026-11-02,休憩開始,12:00,\n"
    "E001,2026-11-02,休憩終了,13:00,\n"
    "E001,2026-11-02,退勤,25:30,夜間作業\n"
    "E001,2026-11-03,in,10:00,\n"
    "E001,2026-11-03,out,15:00,\n"
)


def load(member, text, encoding="utf-8"):
    return services.import_punches(
        company=member.company, actor=member.user, membership=member, data=text.encode(encoding)
    )


def test_whole_days_come_in(hr, employee_member):
    result = load(hr, GOOD, "cp932")
    assert (result.punches, result.employees) == (6, 1)
    out = Punch.objects.get(kind="out", work_date="2026-11-02")
    assert (
        out.at == datetime(2026, 11, 3, 1, 30, tzinfo=JST)
        and out.source == "import"
        and out.note == "夜間作業"
    )
    sheet = timesheet_selectors.timesheet(
        company=hr.company, membership=employee_member, month=datetime(2026, 11, 1).date()
    )
    monday = sheet.days[1].minutes
    # 8:55–12:00 and 13:00–翌1:30: 185 + 750 = 935 worked; 22:00–1:30 深夜 210
    assert (monday.worked, monday.night) == (935, 210)
    assert AuditEvent.objects.filter(action="import", object_type="people.employee").count() == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("番号,日付\n", "見出し"),
        (HEADER + "X999,2026-11-02,出勤,9:00,\n", "社員番号「X999」"),
        (HEADER + "E001,11月2日,出勤,9:00,\n", "YYYY-MM-DD"),
        (HEADER + "E001,2026-11-02,昼休み,9:00,\n", "種類は"),
        (HEADER + "E001,2026-11-02,出勤,9時,\n", "時刻は"),
        (HEADER + "E001,2026-11-02,出勤,9:00,\n", "退勤がありません"),
        (HEADER + "E001,2026-11-02,退勤,9:00,\nE001,2026-11-02,出勤,18:00,\n", "順になっていない"),
    ],
)
def test_a_bad_row_stops_everything(hr, employee_member, text, words):
    with pytest.raises(ServiceError) as refused:
        load(hr, GOOD + text.removeprefix(HEADER) if text.startswith(HEADER) else text)
    assert any(words in m for m in refused.value.field_errors["file"]), refused.value.field_errors
    assert not Punch.objects.exists()


def test_a_day_with_punches_is_not_merged(hr, employee_member):
    services.record_punch(
        company=employee_member.company,
        actor=employee_member.user,
        membership=employee_member,
        data=services.PunchInput(kind="in"),
        now=datetime(2026, 11, 2, 9, 0, tzinfo=JST),
    )
    with pytest.raises(ServiceError) as refused:
        load(hr, GOOD)
    assert "すでに打刻があります" in refused.value.field_errors["file"][0]
    assert Punch.objects.count() == 1


def test_only_hr_imports(client, hr, employee_member):
    with pytest.raises(ServiceError):
        load(employee_member, GOOD)
    login(client, employee_member)
    assert client.get(reverse("attendance:punch_import")).status_code == 403
    client.logout()
    login(client, hr)
    r = client.post(reverse("attendance:punch_import"), {"file": SimpleUploadedFile("p.csv", GOOD.encode())})
    assert r.status_code == 302 and Punch.objects.count() == 6
    r = client.post(reverse("attendance:punch_import"), {"file": SimpleUploadedFile("p.csv", GOOD.encode())})
    assert r.status_code == 400 and "すでに打刻があります" in r.content.decode()
