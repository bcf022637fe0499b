"""勤怠 in a real browser on a phone-sized screen: the employee clocks in and out, asks for a
morning off (午前半休), the 所属長 and then 人事 approve it from their inboxes, and the employee's
出勤簿 and 有給休暇 balance show the half day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.attendance.models import LeaveRequest, Punch
from ennoshita.attendance.services import leave_grants
from ennoshita.core.dates import is_holiday
from ennoshita.people import services as people_services
from tests.conftest import make_employee, make_member

PHONE = {"width": 390, "height": 844}


def _next_workday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5 or is_holiday(day):
        day += timedelta(days=1)
    return day


def _person(company, hr, department, username, number, roles, family, given):
    member = make_member(company, username, roles, last_name=family, first_name=given)
    employee = make_employee(
        company,
        hr,
        department,
        number=number,
        family_name=family,
        given_name=given,
        family_name_kana="テスト",
        given_name_kana="テスト",
        user=member.user,
        hire_date=date(2020, 4, 1),
    )
    return member, employee


def _approve_first_waiting(page: Page, login_as, member) -> None:
    page.context.clear_cookies()
    login_as(member, reverse("approvals:inbox"))
    row = page.locator("tr[data-request]", has_text="年次有給休暇")
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="承認", exact=True).click()
    expect(page.locator(".messages, [role=status], .alert").first).to_be_visible()


def test_punch_and_half_day_leave_on_a_phone(page: Page, live_server, login_as, company, hr, department):
    manager, manager_e = _person(company, hr, department, "bucho", "M001", ["manager"], "部長", "一郎")
    member, employee = _person(company, hr, department, "jiro", "E001", ["employee"], "社員", "次郎")
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=department, head=manager_e
    )
    today = timezone.localdate()
    leave_grants.add_grant(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=employee.pk,
        granted_on=today - timedelta(days=30),
        days=Decimal(10),
        note="テストの付与",
    )
    page.set_viewport_size(PHONE)

    # 打刻: one big button at a time
    login_as(member, reverse("attendance:punch"))
    page.get_by_role("button", name="出勤", exact=True).click()
    expect(page.locator("#punch-status")).to_contain_text("勤務中")
    page.get_by_role("button", name="退勤", exact=True).click()
    expect(page.locator("#punch-status")).to_contain_text("退勤済")
    assert [p.kind for p in Punch.objects.filter(employee=employee).order_by("at")] == ["in", "out"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing off-screen

    # 休暇申請: a morning off on the next workday
    day = _next_workday(today)
    page.goto(live_server.url + reverse("attendance:leave_new"))
    page.locator("[name=leave_type]").select_option(label="年次有給休暇")
    page.locator("input[name=unit][value=am]").check()
    page.locator("[name=start_date]").fill(day.isoformat())
    page.locator("[name=reason]").fill("通院")
    page.get_by_role("button", name="申請する").click()
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "pending")
    leave = LeaveRequest.objects.get(employee=employee)
    assert (leave.unit, leave.start_date, leave.days) == ("am", day, Decimal("0.5"))

    # the 所属長, then 人事, approve from their inboxes
    _approve_first_waiting(page, login_as, manager)
    leave.refresh_from_db()
    assert leave.state == "pending"  # one step left
    _approve_first_waiting(page, login_as, hr)
    leave.refresh_from_db()
    assert leave.state == "approved"

    # the employee sees it on the 出勤簿 of that month and in the balance
    page.context.clear_cookies()
    login_as(member, reverse("attendance:timesheet") + f"?month={day:%Y-%m}")
    expect(page.locator(".badge-leave").first).to_contain_text("午前半休")
    page.goto(live_server.url + reverse("attendance:my_paid_leave"))
    expect(page.locator("#remaining")).to_contain_text("9.5")
