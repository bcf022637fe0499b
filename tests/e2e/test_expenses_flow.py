"""経費精算 in a real browser, from submission to approval with different people: the employee
fills the claim form, attaches a receipt photo and submits; the 所属長 finds it in the inbox and
approves; 経理 gives the final approval; the claim shows 承認済み with its journal entry."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page, expect

from ennoshita.expenses.models import ClaimStatus, ExpenseClaim
from ennoshita.ledger.models import JournalEntry
from tests.expenses.conftest import org, png_bytes  # noqa: F401  (the personas of 経費精算)


def _approve_from_inbox(page: Page, login_as, member, claim_number: str) -> None:
    page.context.clear_cookies()
    login_as(member, reverse("approvals:inbox"))
    row = page.locator("tr[data-request]", has_text=claim_number)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="承認", exact=True).click()
    expect(page.locator(".messages, [role=status], .alert").first).to_be_visible()


def test_claim_from_submission_to_approval(page: Page, live_server, org, login_as, tmp_path):  # noqa: F811
    day = date.today() - timedelta(days=3)
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(png_bytes("コピー用紙 1,100円"))

    # 申請: the employee fills one line and saves a draft
    login_as(org.applicant, reverse("expenses:claim_new"))
    page.get_by_label("件名").fill("今月の文具")
    page.locator("[name=lines-0-date]").fill(day.isoformat())
    page.locator("[name=lines-0-category]").select_option(str(org.cat["SUPPLIES"].pk))
    page.locator("[name=lines-0-payee]").fill("文具のヤマダ")
    page.locator("[name=lines-0-purpose]").fill("コピー用紙")
    page.locator("[name=lines-0-amount]").fill("1100")
    # more lines than the blank ones: 「行を追加」 until a third line shows, then fill it
    blank = page.locator("fieldset.expense-line").count()
    page.get_by_role("button", name="行を追加").click()
    expect(page.locator("fieldset.expense-line")).to_have_count(blank + 1)
    last = f"lines-{blank}"
    page.locator(f"[name={last}-date]").fill(day.isoformat())
    page.locator(f"[name={last}-category]").select_option(str(org.cat["TRANSIT"].pk))
    expect(page.locator(f"[name={last}-route_from]")).to_be_visible()  # the 交通費 inputs show
    page.locator(f"[name={last}-payee]").fill("東京メトロ")
    page.locator(f"[name={last}-purpose]").fill("客先訪問")
    page.locator(f"[name={last}-amount]").fill("360")
    page.locator(f"[name={last}-route_from]").fill("大手町")
    page.locator(f"[name={last}-route_to]").fill("渋谷")
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.locator("#claim-status")).to_have_text("下書き")

    # the receipt photo, attached to the line; then 申請
    line = page.locator("tr[data-line='1']")
    line.locator("input[type=file]").set_input_files(str(receipt))
    line.get_by_role("button", name="添付").click()
    expect(page.locator("tr[data-line='1']").get_by_role("link", name="表示")).to_be_visible()
    page.get_by_role("button", name="申請", exact=True).click()
    expect(page.locator("#claim-status")).to_have_text("申請中")
    claim = ExpenseClaim.objects.get(applicant=org.applicant.user)
    assert claim.number.startswith("EXP-") and claim.total == Decimal(1100 + 360)
    assert claim.lines.count() == 2

    # the 所属長, then 経理, approve from their inboxes
    _approve_from_inbox(page, login_as, org.manager, claim.number)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED  # one step left
    _approve_from_inbox(page, login_as, org.accountant, claim.number)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    entry = JournalEntry.objects.get(pk=claim.journal_entry_id)
    assert entry.status == "posted" and entry.total == Decimal(1100 + 360)

    # the applicant sees the claim approved
    page.context.clear_cookies()
    login_as(org.applicant, reverse("expenses:claim_detail", args=[claim.pk]))
    expect(page.locator("#claim-status")).to_have_text("承認済み")
