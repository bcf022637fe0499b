"""受付 in a real browser: a host pre-registers a visitor and books a meeting room in the same form;
the front desk checks the visitor in on the today board; the host signs in again and finds the
arrival notice on the home page."""

from __future__ import annotations

from urllib.parse import unquote

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.frontdesk.models import Visit, VisitStatus
from ennoshita.frontdesk.services import rooms as room_services
from tests.conftest import make_company, make_member


def test_host_registers_desk_checks_in_host_is_told(page: Page, live_server, login_as):
    company = make_company("株式会社受付テスト")
    host = make_member(company, "host_e2e", ["employee"], last_name="本田", first_name="広")
    desk = make_member(company, "desk_e2e", ["frontdesk"], last_name="受付", first_name="桜")
    room = room_services.create_room(
        company=company,
        actor=desk.user,
        membership=desk,
        data=room_services.RoomInput(code="R1", name="第1会議室", capacity=6),
    )
    day = timezone.localdate().isoformat()

    # the host: 来訪予約 with a room
    login_as(host, reverse("frontdesk:visit_new"))
    page.get_by_label("会社名").fill("株式会社ABC商事")
    page.get_by_label("氏名").fill("山田 太郎")
    page.get_by_label("用件").fill("新製品のご紹介")
    page.get_by_label("来訪予定時刻").fill(f"{day}T23:00")
    # the times ask for the free rooms (HTMX): choose the room once that answer has replaced the options
    with page.expect_response(lambda r: "free-rooms" in r.url and "expected_until=" + day in unquote(r.url)):
        page.get_by_label("退館予定時刻").fill(f"{day}T23:45")
    expect(page.locator("#id_room option", has_text="第1会議室")).to_have_count(1)
    page.wait_for_timeout(300)
    page.locator("select[name=room]").select_option(str(room.pk))
    page.get_by_role("button", name="登録する").click()
    expect(page.locator("#visit-status")).to_have_text("来訪予定")
    expect(page.locator("main")).to_contain_text("第1会議室")
    visit = Visit.objects.get()
    assert visit.booking is not None and visit.booking.room_id == room.pk
    page.get_by_role("button", name="ログアウト").click()

    # the desk: the today board, 受付
    page.context.clear_cookies()
    login_as(desk, reverse("frontdesk:visit_board"))
    row = page.locator(f"#expected tr[data-visit='{visit.pk}']")
    expect(row).to_contain_text("山田 太郎")
    row.get_by_role("button", name="受付").click()
    expect(page.locator(f"#arrived tr[data-visit='{visit.pk}']")).to_contain_text("山田 太郎")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ARRIVED and visit.badge_number

    # the desk: a walk-in for the same host, chosen by typing part of the name (the picker's
    # suggestions come from the member search; choosing one sets the hidden id)
    walk_in = page.locator(f"form[action='{reverse('frontdesk:visit_walk_in')}']")
    walk_in.get_by_label("氏名").fill("飛込 次郎")
    with page.expect_response(lambda r: "members/search" in r.url):
        walk_in.get_by_label("担当者").press_sequentially("本田")
    expect(walk_in.locator("datalist option")).to_have_count(1)
    walk_in.get_by_label("担当者").fill("本田 広(host_e2e)")
    expect(walk_in.locator("input[name=host]")).to_have_value(str(host.user_id))
    walk_in.get_by_role("button", name="受付する").click()
    expect(page.locator("#arrived")).to_contain_text("飛込 次郎")
    assert Visit.objects.get(visitor_name="飛込 次郎").host_id == host.user_id

    # the host: the notice on the home page
    page.context.clear_cookies()
    login_as(host, reverse("home"))
    notices = page.locator("[data-panel-key=notifications]")
    expect(notices).to_contain_text("山田 太郎 様 が受付に到着しました")
    expect(page.locator("[data-panel-key=frontdesk_visitors]")).to_contain_text("【到着】")
