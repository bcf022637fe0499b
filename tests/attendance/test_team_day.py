"""チームの勤怠: who is in, late, gone home or absent — a 所属長 sees their departments, 人事 all."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ennoshita.attendance import services, team_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.people.models import Department

from ..conftest import login, make_department, make_employee, make_member

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
TUESDAY = date(2026, 12, 1)


def press(member, kind, hour, minute=0, day=TUESDAY):
    services.record_punch(
        company=member.company,
        actor=member.user,
        membership=member,
        data=services.PunchInput(kind=kind),
        now=datetime(day.year, day.month, day.day, hour, minute, tzinfo=JST),
    )


@pytest.fixture
def team(company, hr, department, employee_member):
    sales = make_department(company, hr, code="200", name="営業部")
    boss = make_member(company, "boss", ["manager"])
    make_employee(company, hr, department, number="M001", family_name="上司", user=boss.user)
    Department.objects.filter(pk=department.pk).update(head=boss.user.employee_records.get())
    make_employee(company, hr, department, number="E003", family_name="休憩")
    make_employee(company, hr, sales, number="S001", family_name="営業")
    press(employee_member, "in", 9, 5)
    return {"boss": boss, "sales": sales, "department": department}


def statuses(board):
    return {m.number: (m.status, m.late_minutes) for m in board.members}


def test_hr_sees_everyone(hr, team):
    board = team_selectors.team_day(company=hr.company, membership=hr, day=TUESDAY, today=TUESDAY)
    assert statuses(board) == {
        "E001": ("working", 5),  # 9:05 against 始業 9:00
        "E003": ("not_in", 0),
        "M001": ("not_in", 0),
        "S001": ("not_in", 0),
    }
    assert board.counts["working"] == 1 and board.counts["not_in"] == 3 and board.kind == "workday"
    later = team_selectors.team_day(company=hr.company, membership=hr, day=TUESDAY, today=date(2026, 12, 2))
    assert statuses(later)["S001"] == ("absent", 0)  # a past workday without a punch


def test_a_head_sees_the_department_headed(team, employee_member):
    boss = team["boss"]
    press(employee_member, "break_start", 12)
    board = team_selectors.team_day(company=boss.company, membership=boss, day=TUESDAY, today=TUESDAY)
    assert statuses(board) == {"E001": ("on_break", 5), "E003": ("not_in", 0), "M001": ("not_in", 0)}
    assert [name for _pk, name in board.departments] == ["総務部"]
    with pytest.raises(NotFound):
        team_selectors.team_day(
            company=boss.company, membership=boss, day=TUESDAY, department_id=team["sales"].pk
        )


def test_someone_who_heads_nothing_may_not_look(employee_member, team):
    with pytest.raises(PermissionDeniedError):
        team_selectors.team_day(company=employee_member.company, membership=employee_member, day=TUESDAY)


def test_a_sunday_is_a_day_off(hr, team):
    board = team_selectors.team_day(company=hr.company, membership=hr, day=date(2026, 12, 6), today=TUESDAY)
    assert board.kind == "statutory_holiday" and board.counts["day_off"] == 4


def test_the_screen(client, hr, team, employee_member):
    login(client, hr)
    page = client.get(reverse("attendance:team_day"), {"day": "2026-12-01"}).content.decode()
    assert 'data-employee="E001"' in page and "勤務中" in page and "5分" in page
    page = client.get(reverse("attendance:team_day"), {"day": "2026-12-01", "department": team["sales"].pk})
    assert (
        'data-employee="S001"' in page.content.decode()
        and 'data-employee="E001"' not in page.content.decode()
    )
    client.logout()
    login(client, employee_member)
    assert client.get(reverse("attendance:team_day")).status_code == 403


def test_a_board_of_many_is_paged_and_its_counts_cover_everyone(client, hr, team, monkeypatch):
    from ennoshita.attendance import views

    monkeypatch.setattr(views, "TEAM_DAY_PAGE", 1)
    login(client, hr)
    first = client.get(reverse("attendance:team_day"), {"day": "2026-12-01"})
    rows = first.content.decode().count("data-employee=")
    board = first.context["board"]
    assert rows == 1 and len(board.members) > 1 and sum(board.counts.values()) == len(board.members)
    assert first.context["page_obj"].paginator.num_pages == len(board.members)
    second = client.get(reverse("attendance:team_day"), {"day": "2026-12-01", "page": 2}).content.decode()
    assert f'data-employee="{board.members[1].number}"' in second
