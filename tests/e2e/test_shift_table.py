"""シフト表 in a real browser: a 所属長 fills cells with the keyboard (a code, 休, arrows, Delete),
copies a cell by dragging, sees an unknown code refused, saves, and the month is written; in English
the script speaks English (its texts come translated with the page)."""

from __future__ import annotations

import json
from datetime import date

from django.urls import reverse
from playwright.sync_api import Page, expect

from ennoshita.attendance.models import Shift
from tests.attendance.test_shifts import build_shop


def cell(page: Page, employee_id: int, day: str):
    return page.locator(f'#shift-grid tr[data-employee="{employee_id}"] td[data-day="{day}"]')


def test_keyboard_and_drag_fill_the_table(
    page: Page, live_server, login_as, company, hr, department, employee_member
):
    shop = build_shop(company, hr, department, employee_member)
    e1, e2 = shop["e1"], shop["e2"]
    login_as(shop["boss"], reverse("attendance:shift_table") + f"?department={department.pk}&month=2099-03")
    expect(page.locator("#shift-toolbar")).to_be_visible()

    cell(page, e1.pk, "2099-03-01").click()
    page.keyboard.type("早")  # sets the cell and moves right
    expect(cell(page, e1.pk, "2099-03-01")).to_have_attribute("data-code", "早")
    expect(cell(page, e1.pk, "2099-03-02")).to_have_class("cell active")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("休")
    expect(cell(page, e2.pk, "2099-03-02")).to_have_attribute("data-code", "休")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("X")
    expect(page.locator("#shift-errors")).to_contain_text("「X」というシフトパターンはありません")
    expect(cell(page, e2.pk, "2099-03-01")).to_have_attribute("data-code", "")

    # drag 早 from the 1st across the 2nd to the 4th
    a = cell(page, e1.pk, "2099-03-01").bounding_box()
    b = cell(page, e1.pk, "2099-03-04").bounding_box()
    assert a and b
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()
    for day in ("2099-03-02", "2099-03-03", "2099-03-04"):
        expect(cell(page, e1.pk, day)).to_have_attribute("data-code", "早")
    cell(page, e1.pk, "2099-03-03").click()
    page.keyboard.press("Delete")
    expect(cell(page, e1.pk, "2099-03-03")).to_have_attribute("data-code", "")
    expect(page.locator(f'#shift-grid tr[data-employee="{e1.pk}"] [data-hours]')).to_have_text("24:00")

    page.locator("#shift-save").click()
    expect(page.locator(".toast")).to_contain_text("シフト表を保存しました")
    saved = {(s.employee_id, s.date): s for s in Shift.objects.filter(company=company)}
    assert set(saved) == {
        (e1.pk, date(2099, 3, 1)),
        (e1.pk, date(2099, 3, 2)),
        (e1.pk, date(2099, 3, 4)),
        (e2.pk, date(2099, 3, 2)),
    }
    assert saved[(e2.pk, date(2099, 3, 2))].is_rest_day
    assert saved[(e1.pk, date(2099, 3, 4))].pattern.code == "早"

    # in English the script's texts are English: they come translated with the page
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    expect(page.locator("#shift-toolbar")).to_be_visible()
    cell(page, e2.pk, "2099-03-05").click()
    page.keyboard.type("X")
    expect(page.locator("#shift-errors")).to_have_text('There is no shift pattern "X".')
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#copy-last-month").click()  # the confirmation, dismissed: nothing changes
    expect(cell(page, e1.pk, "2099-03-01")).to_have_attribute("data-code", "早")
    texts = json.loads(page.locator("#shift-texts").text_content() or "{}")
    assert asked == [texts["confirm_copy"]]
