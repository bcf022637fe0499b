"""Posting: balanced entries only, tax lines generated and rounded by the company's rule, gapless
voucher numbers, balances in the same transaction, posted entries final (service and database)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.ledger import services
from ennoshita.ledger.models import Balance, FiscalYear, JournalEntry, JournalLine

from .conftest import acct, line, post

D = date(2026, 11, 10)


def test_a_new_company_gets_its_books(books):
    assert acct(books, "売掛金").section == "current_assets"
    assert acct(books, "売上高").normal_side == "credit"
    years = list(FiscalYear.objects.for_company(books).values_list("start", "end"))
    assert years == [(date(2025, 4, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2027, 3, 31))]


def test_a_balanced_entry_posts_with_a_number_and_updates_balances(books, accountant):
    entry = post(
        books, accountant, D, line(books, "普通預金", "debit", 50000), line(books, "売掛金", "credit", 50000)
    )
    assert entry.status == "posted" and entry.number == 1 and entry.total == 50000
    second = post(books, accountant, D, line(books, "現金", "debit", 1), line(books, "売掛金", "credit", 1))
    assert second.number == 2
    bal = Balance.objects.get(company=books, account=acct(books, "売掛金"), month=date(2026, 11, 1))
    assert (bal.debit, bal.credit) == (0, 50001)
    assert AuditEvent.objects.filter(action="post", object_id=str(entry.pk)).exists()


def test_tax_included_purchase_gets_an_input_tax_line(books, accountant):
    # 税込 11,000 at 10%: tax = 11,000 × 10/110 = 1,000 → 消耗品費 10,000 + 仮払消費税等 1,000
    entry = post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 11000, "P10"),
        line(books, "現金", "credit", 11000),
    )
    lines = {ln.account.name: ln for ln in entry.lines.select_related("account")}
    assert lines["消耗品費"].debit == 10000 and lines["消耗品費"].tax_amount == 1000
    assert lines["仮払消費税等"].debit == 1000 and lines["仮払消費税等"].tax_for == lines["消耗品費"]


def test_tax_is_truncated_by_default(books, accountant):
    # 税込 1,234 at 10%: 1,234 × 10/110 = 112.18… → 112 (切り捨て)
    entry = post(
        books,
        accountant,
        D,
        line(books, "売掛金", "debit", 1234),
        line(books, "売上高", "credit", 1234, "S10"),
    )
    lines = {ln.account.name: ln for ln in entry.lines.select_related("account")}
    assert lines["仮受消費税等"].credit == 112 and lines["売上高"].credit == 1122


def test_purchase_without_a_qualified_invoice_credits_only_the_transitional_part(books, accountant):
    # 2026-11-10 is in the 70% period: tax 1,000 → 700 to 仮払消費税等, 300 stays in the cost
    entry = post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 11000, "P10_NQ"),
        line(books, "現金", "credit", 11000),
    )
    lines = {ln.account.name: ln for ln in entry.lines.select_related("account")}
    assert lines["仮払消費税等"].debit == 700 and lines["消耗品費"].debit == 10300
    assert "70%控除対象" in lines["消耗品費"].memo


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ((1000, 999), "一致しません"),
        ((1000.5, 1000.5), "円単位"),
        ((0, 0), "1円以上"),
        ((-5, -5), "1円以上"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(books, accountant, amounts, message):
    with pytest.raises(ServiceError) as err:
        post(
            books,
            accountant,
            D,
            line(books, "現金", "debit", amounts[0]),
            line(books, "売上高", "credit", amounts[1]),
        )
    assert message in str(err.value.field_errors)
    assert not JournalEntry.objects.exists() and not Balance.objects.exists()


def test_dates_outside_an_open_fiscal_year_or_in_a_locked_month_are_refused(books, accountant):
    with pytest.raises(ServiceError, match="仕訳"):
        post(
            books,
            accountant,
            date(2030, 1, 5),
            line(books, "現金", "debit", 1),
            line(books, "売上高", "credit", 1),
        )
    services.lock_month(company=books, actor=accountant.user, membership=accountant, month=D)
    with pytest.raises(ServiceError) as err:
        post(books, accountant, D, line(books, "現金", "debit", 1), line(books, "売上高", "credit", 1))
    assert "月次締め" in str(err.value.field_errors)


def test_inactive_accounts_are_refused(books, accountant):
    cash = acct(books, "現金")
    services.save_account(
        company=books,
        actor=accountant.user,
        membership=accountant,
        account=cash,
        code=cash.code,
        name=cash.name,
        is_active=False,
    )
    with pytest.raises(ServiceError, match="仕訳"):
        post(books, accountant, D, line(books, "現金", "debit", 1), line(books, "売上高", "credit", 1))


def test_only_accounting_may_post_by_hand(books, hr):
    with pytest.raises(PermissionDeniedError):
        post(books, hr, D, line(books, "現金", "debit", 1), line(books, "売上高", "credit", 1))


def test_another_app_posts_with_a_source_reference(books):
    entry = services.post_entry(
        company=books,
        actor=None,
        date=D,
        lines=[line(books, "売掛金", "debit", 1100), line(books, "売上高", "credit", 1100, "S10")],
        source_type="sales.invoice",
        source_id="42",
        source_repr="INV-2026-000042",
        actor_label="sales",
    )
    assert (entry.source_type, entry.source_id) == ("sales.invoice", "42")


def test_reversal_mirrors_the_entry_and_cancels_its_balances(books, accountant):
    entry = post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 11000, "P10"),
        line(books, "現金", "credit", 11000),
    )
    rev = services.reverse_entry(
        company=books, actor=accountant.user, membership=accountant, entry=entry, date=D
    )
    assert rev.reversal_of == entry and rev.kind == "reversal" and rev.number == 2
    for bal in Balance.objects.filter(company=books):
        assert bal.debit == bal.credit, bal.account
    with pytest.raises(ServiceError, match="すでに取り消"):
        services.reverse_entry(
            company=books, actor=accountant.user, membership=accountant, entry=entry, date=D
        )


def test_drafts_need_not_balance_and_post_later(books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "現金", "debit", 500)],
    )
    assert draft.status == "draft" and draft.number is None and not Balance.objects.exists()
    with pytest.raises(ServiceError, match="記帳できません"):
        services.post_draft(company=books, actor=accountant.user, membership=accountant, entry=draft)
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "現金", "debit", 500), line(books, "雑収入", "credit", 500)],
        draft=draft,
    )
    posted = services.post_draft(company=books, actor=accountant.user, membership=accountant, entry=draft)
    assert posted.number == 1 and JournalLine.objects.filter(entry=posted).count() == 2


# ------------------------------------------------------------------ the database refuses as well


def _expect_db_refusal(sql: str, params: list) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


def test_the_database_refuses_changing_or_deleting_posted_entries(books, accountant):
    entry = post(
        books, accountant, D, line(books, "現金", "debit", 100), line(books, "売上高", "credit", 100)
    )
    _expect_db_refusal("UPDATE ledger_journalentry SET memo = 'x' WHERE id = %s", [entry.pk])
    _expect_db_refusal("DELETE FROM ledger_journalentry WHERE id = %s", [entry.pk])
    _expect_db_refusal(
        "UPDATE ledger_journalline SET debit = 200 WHERE entry_id = %s AND debit > 0", [entry.pk]
    )
    _expect_db_refusal("DELETE FROM ledger_journalline WHERE entry_id = %s", [entry.pk])
    assert JournalLine.objects.filter(entry=entry).count() == 2


def test_the_database_refuses_posting_an_unbalanced_draft(books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "現金", "debit", 500)],
    )
    _expect_db_refusal(
        "UPDATE ledger_journalentry SET status = 'posted', number = 99 WHERE id = %s", [draft.pk]
    )
    assert JournalEntry.objects.get(pk=draft.pk).status == "draft"


def test_the_database_refuses_a_line_on_both_sides(books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "現金", "debit", 500)],
    )
    _expect_db_refusal("UPDATE ledger_journalline SET credit = 500 WHERE entry_id = %s", [draft.pk])


def test_a_draft_with_tax_lines_can_be_edited_and_deleted(books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "消耗品費", "debit", 11000, "P10")],
    )
    assert JournalLine.objects.filter(entry=draft).count() == 2  # base + 仮払消費税等
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "会議費", "debit", 1080, "P8R")],
        draft=draft,
    )
    assert sorted(JournalLine.objects.filter(entry=draft).values_list("debit", flat=True)) == [80, 1000]
    services.delete_draft(company=books, actor=accountant.user, membership=accountant, entry=draft)
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()


def test_a_reversal_links_its_tax_line_to_its_own_base_line(books, accountant):
    entry = post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 11000, "P10"),
        line(books, "現金", "credit", 11000),
    )
    rev = services.reverse_entry(
        company=books, actor=accountant.user, membership=accountant, entry=entry, date=D
    )
    tax_line = JournalLine.objects.get(entry=rev, tax_for__isnull=False)
    assert tax_line.tax_for.entry == rev and tax_line.credit == 1000
    assert tax_line.tax_for.tax_amount == -1000


def test_reversal_kind_cannot_be_entered_by_hand(books, accountant):
    with pytest.raises(ServiceError) as err:
        post(
            books,
            accountant,
            D,
            line(books, "現金", "debit", 1),
            line(books, "売上高", "credit", 1),
            kind="reversal",
        )
    assert "kind" in err.value.field_errors


def test_system_accounts_keep_their_code_and_stay_active(books, accountant):
    tax_account = acct(books, "仮払消費税等")
    with pytest.raises(ServiceError):
        services.save_account(
            company=books,
            actor=accountant.user,
            membership=accountant,
            account=tax_account,
            code="9999",
            name=tax_account.name,
        )
    with pytest.raises(ServiceError):
        services.save_account(
            company=books,
            actor=accountant.user,
            membership=accountant,
            account=tax_account,
            code=tax_account.code,
            name=tax_account.name,
            is_active=False,
        )
    # renaming is fine, and what is left out is kept
    renamed = services.save_account(
        company=books,
        actor=accountant.user,
        membership=accountant,
        account=tax_account,
        code=tax_account.code,
        name="仮払消費税",
    )
    assert renamed.kana == tax_account.kana and renamed.default_tax_code_id == tax_account.default_tax_code_id


def test_a_contra_account_keeps_the_opposite_side(books, accountant):
    allowance = acct(books, "貸倒引当金")
    assert allowance.is_contra and allowance.normal_side == "credit"
    saved = services.save_account(
        company=books,
        actor=accountant.user,
        membership=accountant,
        account=allowance,
        code=allowance.code,
        name="貸倒引当金(流動)",
    )
    assert saved.normal_side == "credit"


def test_another_companys_entry_is_not_found(books, accountant, other_company):
    from ennoshita.core.errors import NotFound
    from ennoshita.ledger.services import ensure_books

    from ..conftest import make_member

    ensure_books(company=other_company)
    stranger = make_member(other_company, "yoso", ["accounting"])
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "現金", "debit", 1)],
    )
    with pytest.raises(NotFound):
        services.post_draft(company=other_company, actor=stranger.user, membership=stranger, entry=draft)


def test_the_database_refuses_posting_with_a_deactivated_account(books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "現金", "debit", 500), line(books, "雑収入", "credit", 500)],
    )
    from ennoshita.ledger.models import Account

    Account.objects.filter(company=books, name="雑収入").update(is_active=False)
    _expect_db_refusal(
        "UPDATE ledger_journalentry SET status = 'posted', number = 99 WHERE id = %s", [draft.pk]
    )
    assert JournalEntry.objects.get(pk=draft.pk).status == "draft"


def test_an_entry_can_still_be_reversed_after_its_account_was_deactivated(books, accountant):
    entry = post(
        books, accountant, D, line(books, "現金", "debit", 100), line(books, "雑収入", "credit", 100)
    )
    from ennoshita.ledger.models import Account

    Account.objects.filter(company=books, name="雑収入").update(is_active=False)
    rev = services.reverse_entry(
        company=books, actor=accountant.user, membership=accountant, entry=entry, date=D
    )
    assert rev.status == "posted"
