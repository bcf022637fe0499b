"""The core screens in a real browser: sign in and out, the home page, language and company
switches, password change, API tokens. Personas are made through the services (tests/conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ennoshita.core import services as core_services
from tests.conftest import PASSWORD

# Two different kanji drawn on a canvas: without a Japanese font both come out as the same
# .notdef box ("tofu"), so equal pixels mean the page shows boxes instead of Japanese.
GLYPHS_DIFFER_JS = """() => {
  const draw = (ch) => {
    const c = document.createElement("canvas"); c.width = 40; c.height = 40;
    const g = c.getContext("2d"); g.font = "32px sans-serif"; g.fillStyle = "#000";
    g.fillText(ch, 2, 32);
    return Array.from(g.getImageData(0, 0, 40, 40).data).join(",");
  };
  return draw("縁") !== draw("下");
}"""


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="ログイン").click()


def test_sign_in_shows_home_with_three_panels_and_department_navigation(
    page: Page, live_server, admin, tmp_path
):
    sign_in(page, live_server.url, "admin1")

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("管理 一郎 さんのホーム")
    panels = page.locator("section.panel h2")
    expect(panels).to_have_count(3)
    for title in ("承認待ち", "やること", "お知らせ"):
        expect(page.locator("section.panel h2", has_text=title)).to_be_visible()
    # Navigation grouped by department, with their screens (申請: approvals and 経費精算, for everyone).
    groups = page.locator("nav.sidenav .nav-group-label")
    expect(groups).to_have_text(
        [
            "経理",
            "買掛金・支払",
            "営業事務",
            "人事",
            "給与",
            "総務",
            "受付",
            "法務",
            "申請",
            "業務依頼",
            "社内",
            "文書",
            "管理",
        ]
    )
    expect(page.locator('.nav-group[data-group="hr"] a', has_text="社員一覧")).to_be_visible()
    expect(page.locator('.nav-group[data-group="admin"] a', has_text="監査ログ")).to_be_visible()

    # /static/ is served by the live server: the stylesheet answers and htmx (served by
    # django-htmx from our static files, no CDN) has run.
    assert page.request.get(live_server.url + "/static/core/ennoshita.css").status == 200
    assert page.evaluate("typeof window.htmx") == "object"

    # Japanese renders as glyphs, not boxes (fonts-ipafont), and the screenshot is written.
    assert page.evaluate(GLYPHS_DIFFER_JS), "kanji render as identical boxes: no Japanese font installed"
    shot = tmp_path / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_sign_out_returns_to_the_login_page(page: Page, live_server, admin):
    sign_in(page, live_server.url, "admin1")
    expect(page.locator("h1")).to_contain_text("さんのホーム")

    page.get_by_role("button", name="ログアウト").click()

    expect(page).to_have_url(live_server.url + "/login/")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_wrong_password_shows_an_error_and_stays_signed_out(page: Page, live_server, admin):
    sign_in(page, live_server.url, "admin1", password="wrong-password-999")

    expect(page).to_have_url(live_server.url + "/login/")
    expect(page.locator(".alert-error")).to_be_visible()
    expect(page.locator(".alert-error")).to_contain_text("パスワード")
    expect(page.get_by_role("button", name="ログアウト")).to_have_count(0)


def test_language_switches_to_english_and_back(page: Page, live_server, admin, login_as):
    login_as(admin)
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    page.locator(".lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")  # the form's `next` brings us back
    expect(page.locator(".lang-switch button")).to_have_text("日本語")

    page.locator(".lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(".lang-switch button")).to_have_text("English")


def test_company_switch_select_submits_and_changes_the_active_company(
    page: Page, live_server, company, admin, other_company, login_as
):
    core_services.add_member(company=other_company, actor=None, username="admin1", roles=["employee"])
    expected = {  # company → (role label shown on the home page, department groups of the menu)
        company: ("管理者", ["人事", "総務", "受付", "申請", "業務依頼", "社内", "文書", "管理"]),
        other_company: ("一般社員", ["人事", "申請", "業務依頼", "社内", "文書"]),
    }
    login_as(admin)
    switch = page.locator("#company-switch")
    expect(switch.locator("option")).to_have_count(2)
    before = company if switch.input_value() == str(company.pk) else other_company
    after = other_company if before == company else company
    expect(page.locator(".page-head .muted")).to_contain_text(f"{before.name} · {expected[before][0]}")

    with page.expect_navigation():
        switch.select_option(str(after.pk))  # no button: data-autosubmit submits the form

    expect(page.locator(".toast")).to_contain_text(f"{after.name} に切り替えました。")
    expect(page.locator("#company-switch option:checked")).to_have_text(after.name)
    expect(page.locator(".page-head .muted")).to_contain_text(f"{after.name} · {expected[after][0]}")
    expect(page.locator("nav.sidenav .nav-group-label")).to_have_text(expected[after][1])
    page.goto(live_server.url + "/profile/")  # the choice is kept in the session
    expect(page.locator("#company-switch option:checked")).to_have_text(after.name)


def test_password_change_then_sign_in_with_the_new_password(page: Page, live_server, admin, login_as):
    new_password = "brand-new-pass-2468"
    login_as(admin, "/profile/")
    page.get_by_role("link", name="パスワード変更").click()

    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.get_by_role("button", name="変更する").click()

    expect(page).to_have_url(live_server.url + "/profile/")
    expect(page.locator(".toast")).to_contain_text("パスワードを変更しました。")
    page.get_by_role("button", name="ログアウト").click()

    sign_in(page, live_server.url, "admin1", password=PASSWORD)
    expect(page.locator(".alert-error")).to_be_visible()
    sign_in(page, live_server.url, "admin1", password=new_password)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("管理 一郎 さんのホーム")


def test_api_token_is_shown_once_on_the_profile_page(page: Page, live_server, admin, login_as):
    login_as(admin, "/profile/")

    page.fill("#id_name", "給与ソフト連携")
    page.get_by_role("button", name="トークンを作成").click()

    token = page.locator("#new-token")
    expect(token).to_have_text(re.compile(r"^enno_[A-Za-z0-9_-]{40,}$"))
    raw = token.inner_text()
    expect(page.locator("#api-tokens table")).to_contain_text("給与ソフト連携")

    page.goto(live_server.url + "/profile/")  # shown once: the raw token is gone, its name stays
    expect(page.locator("#new-token")).to_have_count(0)
    assert raw not in page.content()
    expect(page.locator("#api-tokens table")).to_contain_text("給与ソフト連携")
    expect(page.locator("#api-tokens table code")).to_have_text(raw[len("enno_") : len("enno_") + 8] + "…")
