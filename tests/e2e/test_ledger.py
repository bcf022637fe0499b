"""The 振替伝票 screen in a real browser, with the keyboard only: three lines (消耗品費 10,000 税込
課税仕入10% and 会議費 3,000 on the debit side, 普通預金 13,000 on the credit side), the live
totals and the tax of the taxed line, posting with Ctrl+Enter, the detail page, the reversal, and
(when the report screens exist) both entries in the 総勘定元帳 of 普通預金 and the 試算表.

With ENNOSHITA_SCREENSHOTS=1 the screenshot of the filled screen goes to docs/img/ledger-entry.png
for the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.ledger.models import JournalEntry
from tests.conftest import make_member

# The README's picture is refreshed only on request (ENNOSHITA_SCREENSHOTS=1): a test run must not
# change tracked files.
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "ledger-entry.png"


def pick_account(page: Page, typed: str, name: str) -> None:
    """Type into the focused account cell, wait for the suggestion, take it with Enter."""
    page.keyboard.type(typed)
    expect(page.locator("#account-suggest li[aria-selected=true]")).to_contain_text(name)
    page.keyboard.press("Enter")


def press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def test_keyboard_entry_post_and_reverse(page: Page, live_server, company, login_as, tmp_path):
    keiri = make_member(company, "keiri", ["accounting"], last_name="経理", first_name="三郎")
    login_as(keiri, "/ledger/entries/new/?kind=transfer")
    expect(page.get_by_role("heading", name="振替伝票")).to_be_visible()
    account0 = page.locator("[name=lines-0-account]")
    expect(account0).to_be_focused()  # the screen starts on the first account cell

    # line 1: 消耗品費 by half-width kana → sub-account, department → debit 10000 → credit → tax (P10,
    # the account's default) → 税込 (on by default) → memo → line 2
    pick_account(page, "ｼｮｳﾓｳ", "消耗品費")
    expect(page.locator("[name=lines-0-sub_account]")).to_be_focused()
    press(page, "Enter", 2)
    expect(page.locator("[name=lines-0-debit]")).to_be_focused()
    page.keyboard.type("10000")
    press(page, "Enter", 2)
    expect(page.locator("[name=lines-0-tax_code]")).to_have_value("P10")
    press(page, "Enter", 2)
    page.keyboard.type("コピー用紙")
    press(page, "Enter")
    # tax of 税込 10,000 at 10%: 10,000 × 10 / 110 = 909.09… → 909 (切り捨て)
    expect(page.locator("tr[data-line]").nth(0).locator("[data-tax]")).to_have_text("909")

    # line 2: 会議費 by hiragana and an arrow key, 3,000 on the debit side
    expect(page.locator("[name=lines-1-account]")).to_be_focused()
    page.keyboard.type("かいぎ")  # 開業費 (カイギョウヒ) comes first: take 会議費 with the arrow key
    expect(page.locator("#account-suggest li[aria-selected=true]")).to_contain_text("開業費")
    press(page, "ArrowDown")
    expect(page.locator("#account-suggest li[aria-selected=true]")).to_contain_text("会議費")
    press(page, "Enter")
    press(page, "Enter", 2)
    page.keyboard.type("3000")
    press(page, "Enter", 5)
    expect(page.locator("[data-total=debit]")).to_have_text("13,000")
    expect(page.locator("[data-total=diff]")).to_have_text("13,000")
    expect(page.locator("[data-total=diff]")).to_have_class("diff-bad")

    # line 3: 普通預金 by its code, 13,000 on the credit side
    expect(page.locator("[name=lines-2-account]")).to_be_focused()
    pick_account(page, "1121", "普通預金")
    press(page, "Enter", 3)
    expect(page.locator("[name=lines-2-credit]")).to_be_focused()
    page.keyboard.type("13000")
    expect(page.locator("[data-total=credit]")).to_have_text("13,000")
    expect(page.locator("[data-total=diff]")).to_have_text("0")
    expect(page.locator("[data-total=diff]")).not_to_have_class("diff-bad")
    expect(page.locator("tr[data-line]")).to_have_count(4)  # a new empty line appeared each time

    shot = SCREENSHOT if os.environ.get("ENNOSHITA_SCREENSHOTS") == "1" else tmp_path / "ledger-entry.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0

    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-voucher]")).to_contain_text("No.1")
    entry = JournalEntry.objects.get(company=company, reversal_of__isnull=True)
    assert page.url.endswith(reverse("ledger:entry_detail", args=[entry.pk]))
    lines = page.locator("#entry-lines tbody tr")
    expect(lines).to_have_count(5)  # 消耗品費, 仮払消費税等, 会議費, 仮払消費税等, 普通預金
    expect(page.locator('#entry-lines tr[data-account="1171"]').first).to_contain_text("¥909")
    expect(page.locator('#entry-lines tr[data-account="6310"]')).to_contain_text("¥9,091")
    expect(page.locator("#entry-lines tfoot")).to_contain_text("¥13,000")

    # reverse it (today, the default date)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#reverse").get_by_role("button", name="反対仕訳で取り消す").click()
    expect(page.locator("[data-reversal-of]")).to_be_visible()
    reversal = JournalEntry.objects.get(company=company, reversal_of=entry)
    assert reversal.date == timezone.localdate() and reversal.number == 2
    expect(page.locator('#entry-lines tr[data-account="1121"]')).to_contain_text("¥13,000")

    # the reports, when they exist
    try:
        general_ledger = reverse("ledger:general_ledger")
        trial_balance = reverse("ledger:trial_balance")
    except NoReverseMatch:
        pytest.skip("the report screens (ledger:general_ledger, ledger:trial_balance) do not exist yet")
    page.goto(f"{live_server.url}{general_ledger}?account=1121")
    expect(page.get_by_text("13,000").first).to_be_visible()
    assert page.get_by_text("13,000").count() >= 2  # the entry and its reversal
    page.goto(live_server.url + trial_balance)
    expect(page.get_by_text("普通預金").first).to_be_visible()
