"""The chart of accounts (add, rename, default 税区分, deactivate, 補助科目), the fiscal years and
month locks (lock, unlock with a reason, close and reopen a year, open the next), and the ledger
settings, through the Django test client."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.ledger import services
from ennoshita.ledger.models import Account, FiscalYear, JournalEntry, LedgerSettings, PeriodLock, SubAccount
from tests.conftest import make_member

from .conftest import acct, line, post, tax

D = date(2026, 11, 10)


@pytest.fixture
def keiri(books, accountant, as_member):
    return as_member(accountant)


def fy(company, start: date) -> FiscalYear:
    return FiscalYear.objects.for_company(company).get(start=start)


# ------------------------------------------------------------------------------ accounts


def test_the_chart_is_listed_by_section_and_searchable(keiri):
    html = keiri.get(reverse("ledger:account_list")).content.decode()
    assert 'data-section="current_assets"' in html and 'data-account="1110"' in html
    found = keiri.get(reverse("ledger:account_list"), {"q": "ｹﾞﾝｷﾝ"}).content.decode()
    assert 'data-account="1110"' in found and 'data-account="6310"' not in found


def test_an_account_is_added(keiri, books):
    response = keiri.post(
        reverse("ledger:account_new"),
        {
            "code": "6399",
            "name": "研究資料費",
            "kana": "けんきゅうしりょうひ",
            "section": "sga",
            "default_tax_code": tax(books, "P10").pk,
            "is_active": "on",
        },
    )
    account = acct(books, "研究資料費")
    assert response.status_code == 302
    assert (account.code, account.kana, account.normal_side, account.default_tax_code.key) == (
        "6399",
        "ケンキュウシリョウヒ",
        "debit",
        "P10",
    )
    assert AuditEvent.objects.filter(
        object_type="ledger.account", object_id=str(account.pk), action="create"
    ).exists()
    # and it is found by the entry screen's search
    codes = [
        r["code"] for r in keiri.get(reverse("ledger:account_search"), {"q": "けんきゅう"}).json()["results"]
    ]
    assert codes == ["6399"]


def test_a_duplicate_code_is_shown_on_the_field(keiri, books):
    response = keiri.post(
        reverse("ledger:account_new"),
        {"code": "1110", "name": "別の現金", "section": "current_assets", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "この科目コードは使われています。" in response.content.decode()
    assert not Account.objects.filter(company=books, name="別の現金").exists()


def test_an_account_is_renamed_and_its_tax_code_changed(keiri, books):
    account = acct(books, "会議費")
    response = keiri.post(
        reverse("ledger:account_edit", args=[account.pk]),
        {
            "code": account.code,
            "name": "会議・打合せ費",
            "kana": "カイギウチアワセヒ",
            "section": "sga",
            "default_tax_code": tax(books, "P8R").pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "会議・打合せ費" and account.default_tax_code.key == "P8R"
    page = keiri.get(reverse("ledger:account_edit", args=[account.pk])).content.decode()
    assert 'id="history"' in page and "会議・打合せ費" in page


def test_an_account_is_deactivated_not_deleted(keiri, books, accountant):
    account = acct(books, "会議費")
    post(books, accountant, D, line(books, "会議費", "debit", 100, "OUT"), line(books, "現金", "credit", 100))
    response = keiri.post(
        reverse("ledger:account_edit", args=[account.pk]),
        {
            "code": account.code,
            "name": account.name,
            "section": "sga",
            "default_tax_code": account.default_tax_code_id,
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_active is False
    listed = keiri.get(reverse("ledger:account_list")).content.decode()
    assert 'data-account="6250"' not in listed
    assert (
        'data-account="6250"'
        in keiri.get(reverse("ledger:account_list"), {"inactive": "on"}).content.decode()
    )
    results = keiri.get(reverse("ledger:account_search"), {"q": "6250"}).json()["results"]
    assert results == []


def test_the_section_of_a_used_account_cannot_change(keiri, books, accountant):
    account = acct(books, "会議費")
    post(books, accountant, D, line(books, "会議費", "debit", 100, "OUT"), line(books, "現金", "credit", 100))
    response = keiri.post(
        reverse("ledger:account_edit", args=[account.pk]),
        {"code": account.code, "name": account.name, "section": "cost_of_sales", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "仕訳で使われた科目の区分は変えられません。" in response.content.decode()
    account.refresh_from_db()
    assert account.section == "sga"


def test_a_sub_account_is_added_and_used_on_a_line(keiri, books):
    bank = acct(books, "普通預金")
    response = keiri.post(
        reverse("ledger:sub_account_new", args=[bank.pk]),
        {"code": "01", "name": "みずほ銀行 本店", "is_active": "on"},
    )
    assert response.status_code == 302
    sub = SubAccount.objects.get(company=books, account=bank)
    assert sub.code == "01"
    assert "みずほ銀行 本店" in keiri.get(reverse("ledger:account_list")).content.decode()
    again = keiri.post(reverse("ledger:sub_account_new", args=[bank.pk]), {"code": "01", "name": "重複"})
    assert again.status_code == 400 and "この補助コードは使われています。" in again.content.decode()
    # the entry screen offers it and posts it on the line
    from .test_entry_screens import entry_data

    keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "1121", "sub_account": str(sub.pk), "debit": "500"},
            {"account": "1132", "credit": "500"},
        ),
    )
    entry = JournalEntry.objects.get(company=books)
    assert entry.lines.get(account=bank).sub_account == sub


# ------------------------------------------------------------------------------ periods


def test_the_periods_page_lists_years_and_months(keiri):
    html = keiri.get(reverse("ledger:periods")).content.decode()
    assert (
        'data-month="2026-04"' in html and 'data-month="2027-03"' in html and 'data-month="2025-04"' in html
    )


def test_a_month_is_locked_and_unlocked_with_a_reason(keiri, books):
    response = keiri.post(reverse("ledger:lock_month"), {"month": "2026-10-01"})
    assert response.status_code == 302
    lock = PeriodLock.objects.get(company=books, month=date(2026, 10, 1))
    assert lock.locked
    refused = keiri.post(reverse("ledger:unlock_month"), {"month": "2026-10-01", "reason": ""}, follow=True)
    assert (
        "締めを解除する理由を入力してください" in refused.content.decode()
        or "理由は必須です" in refused.content.decode()
    )
    lock.refresh_from_db()
    assert lock.locked
    keiri.post(reverse("ledger:unlock_month"), {"month": "2026-10-01", "reason": "請求書の計上漏れ"})
    lock.refresh_from_db()
    assert not lock.locked and lock.reason == "請求書の計上漏れ"
    unlock = AuditEvent.objects.get(object_type="ledger.periodlock", action="unlock")
    assert unlock.changes["extra"]["reason"] == "請求書の計上漏れ"
    assert "請求書の計上漏れ" in keiri.get(reverse("ledger:periods")).content.decode()


def test_a_year_is_closed_and_reopened(keiri, books):
    year = fy(books, date(2025, 4, 1))
    response = keiri.post(reverse("ledger:close_year", args=[year.pk]))
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.status == "closed"
    assert PeriodLock.objects.filter(company=books, locked=True, month__lt=date(2026, 4, 1)).count() == 12
    refused = keiri.post(reverse("ledger:reopen_year", args=[year.pk]), {"reason": ""}, follow=True)
    assert "締めを解除する理由を入力してください" in refused.content.decode()
    keiri.post(reverse("ledger:reopen_year", args=[year.pk]), {"reason": "決算修正"})
    year.refresh_from_db()
    assert year.status == "open"
    assert AuditEvent.objects.filter(object_type="ledger.fiscalyear", action="reopen").exists()


def test_a_year_with_drafts_is_not_closed(keiri, books, accountant):
    services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=date(2025, 6, 1),
        lines=[line(books, "消耗品費", "debit", 1)],
    )
    year = fy(books, date(2025, 4, 1))
    response = keiri.post(reverse("ledger:close_year", args=[year.pk]), follow=True)
    assert "下書きの仕訳が1件あります" in response.content.decode()
    year.refresh_from_db()
    assert year.status == "open"


def test_the_next_year_is_opened(keiri, books):
    keiri.post(reverse("ledger:open_next_year"))
    assert (
        FiscalYear.objects.for_company(books).filter(start=date(2027, 4, 1), end=date(2028, 3, 31)).exists()
    )


# ------------------------------------------------------------------------------ settings


def test_the_settings_are_saved_and_audited(keiri, books):
    response = keiri.post(reverse("ledger:settings"), {"tax_rounding": "half_up"})
    assert response.status_code == 302
    row = LedgerSettings.objects.get(company=books)
    assert row.tax_rounding == "half_up" and row.tax_included_entry is False
    assert AuditEvent.objects.filter(object_type="ledger.ledgersettings", action="update").exists()
    # the entry screen now starts rows as 税抜 and rounds half up
    html = keiri.get(reverse("ledger:entry_new")).content.decode()
    assert '"rounding": "half_up"' in html
    assert (
        'name="lines-0-tax_included" aria-label' not in html
        or "checked" not in html.split('name="lines-0-tax_included"')[1][:80]
    )


# ------------------------------------------------------------------------------ who may


def test_hr_gets_403_on_accounts_periods_and_settings(books, hr, as_member):
    client = as_member(hr)
    bank = acct(books, "普通預金")
    year = fy(books, date(2025, 4, 1))
    for url in (
        reverse("ledger:account_list"),
        reverse("ledger:account_new"),
        reverse("ledger:account_edit", args=[bank.pk]),
        reverse("ledger:sub_account_new", args=[bank.pk]),
        reverse("ledger:periods"),
        reverse("ledger:settings"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("ledger:lock_month"), {"month": "2026-10-01"}).status_code == 403
    assert client.post(reverse("ledger:close_year", args=[year.pk])).status_code == 403
    assert not PeriodLock.objects.filter(company=books).exists()
    year.refresh_from_db()
    assert year.status == "open"


def test_finance_sees_periods_but_cannot_lock(books, company, as_member):
    client = as_member(make_member(company, "zaimu", ["finance"]))
    html = client.get(reverse("ledger:periods")).content.decode()
    assert reverse("ledger:lock_month") not in html
    assert client.post(reverse("ledger:lock_month"), {"month": "2026-10-01"}).status_code == 403


def test_another_companys_account_and_year_are_404(keiri, books, other_company):
    services.ensure_books(company=other_company)
    theirs = Account.objects.for_company(other_company).get(code="1121")
    their_year = FiscalYear.objects.for_company(other_company).order_by("start").first()
    assert keiri.get(reverse("ledger:account_edit", args=[theirs.pk])).status_code == 404
    assert (
        keiri.post(
            reverse("ledger:sub_account_new", args=[theirs.pk]), {"code": "9", "name": "x"}
        ).status_code
        == 404
    )
    assert keiri.post(reverse("ledger:close_year", args=[their_year.pk])).status_code == 404
    assert keiri.post(reverse("ledger:reopen_year", args=[their_year.pk]), {"reason": "x"}).status_code == 404
    assert not SubAccount.objects.filter(account=theirs).exists()
    their_year.refresh_from_db()
    assert their_year.status == "open"
