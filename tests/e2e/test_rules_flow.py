"""就業規則 in a real browser: a revised version is published to everyone; the employee signs in,
sees it waiting on the home page, opens it, reads the text and presses 「読みました」; the 総務
manager's not-yet list no longer shows them (and still shows the colleague who has not read it)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.affairs.models import RuleAcknowledgement
from ennoshita.affairs.services import rules as services
from tests.conftest import PASSWORD, make_department, make_employee, make_member


def test_an_employee_acknowledges_a_new_rule_version(
    page: Page, live_server, login_as, company, hr, department, employee_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    affairs = make_member(company, "affairs1", ["affairs"], last_name="総務", first_name="桜")
    colleague = make_member(company, "emp2", ["employee"])
    make_employee(
        company,
        hr,
        make_department(company, hr, code="200", name="営業部"),
        number="E002",
        family_name="営業",
        given_name="三郎",
        user=colleague.user,
    )
    w = {"company": company, "actor": affairs.user, "membership": affairs}
    today = timezone.localdate()
    rule = services.create_rule(
        **w,
        code="R-001",
        title="就業規則",
        category="work_rules",
        file_name="就業規則.txt",
        data="第1条 この規則は従業員の就業に関する事項を定める。".encode(),
        effective_from=today - timedelta(days=400),
    )
    services.publish_version(**w, version=rule.versions.get(number=1), audience=services.Audience())
    draft = services.add_draft_version(
        **w,
        rule=rule,
        file_name="就業規則.txt",
        data="第12条 始業は午前9時30分とする。".encode(),
        effective_from=today,
        summary="始業時刻の変更",
    )
    services.publish_version(
        **w, version=draft, audience=services.Audience(), acknowledge_by=today + timedelta(days=14)
    )

    # the employee signs in with the form and finds the revision waiting on the home page
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "emp1")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    panel = page.locator('section[data-panel-key="rules_pending"]')
    expect(panel).to_contain_text("「就業規則」第2版を読んで確認してください")
    panel.get_by_role("link", name="「就業規則」第2版を読んで確認してください").click()

    # the reading page shows the text of the new version, and 「読みました」
    expect(page.locator("h1")).to_contain_text("就業規則")
    expect(page.locator("#rule-text")).to_contain_text("始業は午前9時30分")
    expect(page.get_by_text("始業時刻の変更")).to_be_visible()
    page.get_by_role("button", name="読みました").click()
    expect(page.locator(".toast, .messages, [role=status]").first).to_contain_text("確認しました")
    expect(page.locator("#acknowledged")).to_contain_text("確認済み")
    row = RuleAcknowledgement.objects.get(version=draft, employee__user=employee_member.user)
    assert row.acknowledged_at is not None

    # the 社内規程 page says so too
    page.goto(live_server.url + reverse("affairs:rule_library"))
    expect(page.locator(f'#library-table tr[data-version="{draft.pk}"]')).to_contain_text("確認済み")

    # the manager's not-yet list shows only the colleague now
    page.context.clear_cookies()
    login_as(affairs, reverse("affairs:rule_not_yet", args=[draft.pk]))
    table = page.locator("#not-yet-table tbody")
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text("E002")
    expect(table).not_to_contain_text("E001")
