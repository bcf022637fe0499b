"""The entry screens through the Django test client: 振替伝票 with a taxed line, refused input
that writes nothing, 入金/出金伝票, drafts (save, edit, post, delete), reversal from the detail
page, the account suggestions, the list and its CSV, and who may open what."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.ledger import services
from ennoshita.ledger.models import JournalEntry, JournalLine
from tests.conftest import make_member

from .conftest import acct, line, post

D = date(2026, 11, 10)


def entry_data(
    *rows: dict, day: str = "2026-11-10", memo: str = "", kind: str = "transfer", action: str = "post"
):
    """The POST of the entry form: the header, the management form and the given rows (a row is
    a dict of LineForm fields; missing fields are empty)."""
    data = {
        "date": day,
        "memo": memo,
        "kind": kind,
        "action": action,
        "lines-TOTAL_FORMS": str(len(rows) + 1),  # one empty row at the end, as the browser sends
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            if key == "tax_included":
                if value:
                    data[f"lines-{n}-tax_included"] = "on"
            else:
                data[f"lines-{n}-{key}"] = value
    return data


@pytest.fixture
def keiri(books, accountant, as_member):
    return as_member(accountant)


def lines_of(entry: JournalEntry) -> list[tuple[str, int, int]]:
    return [
        (ln.account.name, int(ln.debit), int(ln.credit))
        for ln in entry.lines.select_related("account").order_by("line_no")
    ]


def test_the_entry_screen_renders_ten_rows_and_the_tax_data(keiri):
    response = keiri.get(reverse("ledger:entry_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="lines-9-account"' in html and 'name="lines-10-account"' not in html
    assert 'id="ledger-tax-data"' in html and "ledger/entry.js" in html
    assert 'name="lines-TOTAL_FORMS"' in html


def test_a_three_line_transfer_with_a_taxed_line_posts(keiri, books):
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310 消耗品費", "debit": "10,000", "tax_code": "P10", "tax_included": True},
            {"account": "6250", "debit": "3000", "tax_code": "OUT", "tax_included": True},
            {"account": "普通預金", "credit": "１３０００"},
            memo="文具と会議の茶菓",
        ),
    )
    entry = JournalEntry.objects.get(company=books)
    assert response.status_code == 302 and response.url == reverse("ledger:entry_detail", args=[entry.pk])
    assert entry.status == "posted" and entry.number == 1 and entry.memo == "文具と会議の茶菓"
    # 税込 10,000 at 10%: 10,000 × 10/110 = 909.09… → 909 (切り捨て) → 消耗品費 9,091 + 仮払消費税等 909
    assert lines_of(entry) == [
        ("消耗品費", 9091, 0),
        ("仮払消費税等", 909, 0),
        ("会議費", 3000, 0),
        ("普通預金", 0, 13000),
    ]
    tax_line = entry.lines.get(account__name="仮払消費税等")
    assert tax_line.tax_for.account.name == "消耗品費"
    detail = keiri.get(response.url).content.decode()
    assert "No.1" in detail and "仮払消費税等" in detail and "¥909" in detail


def test_tax_excluded_line_adds_the_tax_on_top(keiri, books):
    keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "10000", "tax_code": "P10", "tax_included": False},
            {"account": "1121", "credit": "11000"},
        ),
    )
    entry = JournalEntry.objects.get(company=books)
    assert lines_of(entry) == [("消耗品費", 10000, 0), ("仮払消費税等", 1000, 0), ("普通預金", 0, 11000)]


def test_the_account_default_tax_code_applies_when_none_is_chosen(keiri, books):
    keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "1100", "tax_included": True}, {"account": "1110", "credit": "1100"}
        ),
    )
    entry = JournalEntry.objects.get(company=books)
    assert lines_of(entry)[:2] == [("消耗品費", 1000, 0), ("仮払消費税等", 100, 0)]


def test_an_unbalanced_entry_is_shown_again_with_the_message_and_nothing_is_written(keiri, books):
    events = AuditEvent.objects.count()
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "5000", "tax_code": "OUT"}, {"account": "1121", "credit": "4000"}
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "借方合計(5,000円)と貸方合計(4,000円)が一致しません。" in html
    assert 'value="6310"' in html and 'value="5000"' in html  # what was typed is kept
    assert not JournalEntry.objects.filter(company=books).exists()
    assert not JournalLine.objects.filter(company=books).exists()
    assert AuditEvent.objects.count() == events


def test_row_errors_are_shown_on_their_row(keiri, books):
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "存在しない科目", "debit": "100"},
            {"account": "1121", "debit": "100", "credit": "100"},
            {"account": "1110", "credit": "1.5"},
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "勘定科目が見つかりません" in html
    assert "借方か貸方のどちらか一方に入力してください。" in html
    assert "金額は円単位の整数で入力してください。" in html
    assert not JournalEntry.objects.filter(company=books).exists()


def test_a_date_in_a_locked_month_is_refused_on_the_date_field(keiri, books, accountant):
    services.lock_month(company=books, actor=accountant.user, membership=accountant, month=D)
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "100", "tax_code": "OUT"}, {"account": "1110", "credit": "100"}
        ),
    )
    assert response.status_code == 400
    assert "2026年11月 は月次締め済みです。" in response.content.decode()
    assert not JournalEntry.objects.filter(company=books).exists()


def test_a_deactivated_account_is_refused_on_its_row(keiri, books, accountant):
    account = acct(books, "会議費")
    services.save_account(
        company=books,
        actor=accountant.user,
        membership=accountant,
        account=account,
        code=account.code,
        name=account.name,
        section=account.section,
        default_tax_code=account.default_tax_code,
        is_active=False,
    )
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6250", "debit": "100", "tax_code": "OUT"}, {"account": "1110", "credit": "100"}
        ),
    )
    assert response.status_code == 400
    assert "勘定科目「会議費」は使用停止です。" in response.content.decode()


def test_post_and_next_keeps_the_date_and_the_kind(keiri, books):
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "100", "tax_code": "OUT"},
            {"account": "1110", "credit": "100"},
            day="2026-11-03",
            action="post_next",
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("ledger:entry_new") + "?kind=transfer&date=2026-11-03"
    page = keiri.get(response.url).content.decode()
    assert 'value="2026-11-03"' in page


def test_a_receipt_puts_cash_on_the_debit_side(keiri, books):
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "4100", "credit": "11000", "tax_code": "S10", "tax_included": True},
            {"account": "雑収入", "credit": "500", "tax_code": "OUT"},
            kind="receipt",
        ),
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get(company=books)
    assert entry.kind == "receipt"
    assert lines_of(entry) == [
        ("売上高", 0, 10000),
        ("仮受消費税等", 0, 1000),
        ("雑収入", 0, 500),
        ("現金", 11500, 0),
    ]


def test_a_payment_puts_cash_on_the_credit_side_with_the_tax_excluded_total(keiri, books):
    keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "2000", "tax_code": "P10", "tax_included": False}, kind="payment"
        ),
    )
    entry = JournalEntry.objects.get(company=books)
    assert entry.kind == "payment"
    assert lines_of(entry) == [("消耗品費", 2000, 0), ("仮払消費税等", 200, 0), ("現金", 0, 2200)]


def test_the_receipt_screen_shows_one_amount_column(keiri):
    html = keiri.get(reverse("ledger:entry_new") + "?kind=receipt").content.decode()
    assert "入金伝票" in html and 'name="lines-0-credit"' in html and 'name="lines-0-debit"' not in html


def test_draft_save_edit_post(keiri, books):
    response = keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "11000", "tax_code": "P10", "tax_included": True},
            {"account": "1121", "credit": "10000"},
            action="draft",
            memo="あとで直す",
        ),
    )
    draft = JournalEntry.objects.get(company=books)
    assert response.status_code == 302 and draft.status == "draft" and draft.number is None
    edit = keiri.get(reverse("ledger:entry_edit", args=[draft.pk])).content.decode()
    # the tax line is folded back into its line, shown as the 税込 amount that was typed
    assert (
        'value="6310 消耗品費"' in edit
        and 'value="11,000"' in edit
        and "仮払消費税等" not in edit.split("<tbody")[1].split("</tbody>")[0]
    )
    response = keiri.post(
        reverse("ledger:entry_edit", args=[draft.pk]),
        entry_data(
            {"account": "6310 消耗品費", "debit": "11,000", "tax_code": "P10", "tax_included": True},
            {"account": "1121 普通預金", "credit": "11000"},
            memo="直した",
            action="post",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "posted" and draft.number == 1 and draft.memo == "直した"
    assert JournalEntry.objects.filter(company=books).count() == 1
    # a posted entry cannot be edited any more
    again = keiri.get(reverse("ledger:entry_edit", args=[draft.pk]))
    assert again.status_code == 302 and again.url == reverse("ledger:entry_detail", args=[draft.pk])


def test_an_unbalanced_draft_is_kept_and_posting_it_is_refused(keiri, books):
    keiri.post(
        reverse("ledger:entry_new"),
        entry_data({"account": "6310", "debit": "100", "tax_code": "OUT"}, action="draft"),
    )
    draft = JournalEntry.objects.get(company=books)
    response = keiri.post(reverse("ledger:entry_post", args=[draft.pk]), follow=True)
    assert "一致しません" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_balanced_draft_posts_from_the_detail_page(keiri, books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "消耗品費", "debit", 500), line(books, "現金", "credit", 500)],
    )
    detail = keiri.get(reverse("ledger:entry_detail", args=[draft.pk])).content.decode()
    assert reverse("ledger:entry_post", args=[draft.pk]) in detail
    response = keiri.post(reverse("ledger:entry_post", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "posted" and draft.number == 1


def test_a_draft_is_deleted(keiri, books, accountant):
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "消耗品費", "debit", 500)],
    )
    response = keiri.post(reverse("ledger:entry_delete", args=[draft.pk]))
    assert response.status_code == 302 and response.url == reverse("ledger:entry_list")
    assert not JournalEntry.objects.filter(pk=draft.pk).exists()


def test_a_posted_entry_is_reversed_from_its_detail_page(keiri, books, accountant):
    entry = post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 1100, "P10"),
        line(books, "現金", "credit", 1100),
    )
    response = keiri.post(
        reverse("ledger:entry_reverse", args=[entry.pk]), {"date": "2026-11-20", "memo": ""}
    )
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert response.status_code == 302 and response.url == reverse("ledger:entry_detail", args=[reversal.pk])
    assert reversal.status == "posted" and reversal.date == date(2026, 11, 20) and reversal.number == 2
    assert lines_of(reversal) == [("消耗品費", 0, 1000), ("仮払消費税等", 0, 100), ("現金", 1100, 0)]
    original = keiri.get(reverse("ledger:entry_detail", args=[entry.pk])).content.decode()
    assert (
        reverse("ledger:entry_detail", args=[reversal.pk]) in original
        and "反対仕訳で取り消す" not in original
    )
    back = keiri.get(response.url).content.decode()
    assert reverse("ledger:entry_detail", args=[entry.pk]) in back
    # a second reversal is refused with the service's message
    again = keiri.post(reverse("ledger:entry_reverse", args=[entry.pk]), {"date": "2026-11-20"}, follow=True)
    assert "すでに取り消されています" in again.content.decode()
    assert JournalEntry.objects.filter(company=books).count() == 2


def test_the_detail_page_shows_history_and_source(keiri, books, accountant):
    entry = post(
        books,
        accountant,
        D,
        line(books, "売掛金", "debit", 100),
        line(books, "売上高", "credit", 100, "OUT"),
        source_type="sales.invoice",
        source_id="7",
        source_repr="請求書 INV-7",
    )
    html = keiri.get(reverse("ledger:entry_detail", args=[entry.pk])).content.decode()
    assert "請求書 INV-7" in html and 'id="history"' in html and "No.1" in html


def test_account_search_finds_by_code_name_and_kana(keiri):
    url = reverse("ledger:account_search")

    def codes(q: str) -> list[str]:
        return [r["code"] for r in keiri.get(url, {"q": q}).json()["results"]]

    assert codes("111")[:2] == ["1110", "1111"]
    assert codes("現金")[0] == "1110"
    assert codes("ｹﾞﾝｷﾝ")[0] == "1110"
    assert codes("げんきん")[0] == "1110"
    assert "6310" in codes("ショウモウ")
    first = keiri.get(url, {"q": "ｼｮｳﾓｳﾋﾝ"}).json()["results"][0]
    assert first == {
        "id": first["id"],
        "code": "6310",
        "name": "消耗品費",
        "kana": "ショウモウヒンヒ",
        "label": "6310 消耗品費",
        "section": "販売費及び一般管理費",
        "tax_code": "P10",
    }


def test_the_list_filters_and_exports_csv(keiri, books, accountant):
    post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 500),
        line(books, "現金", "credit", 500),
        memo="文具",
    )
    post(
        books,
        accountant,
        D,
        line(books, "普通預金", "debit", 9000),
        line(books, "売掛金", "credit", 9000),
        memo="入金",
    )
    services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "消耗品費", "debit", 1)],
        memo="下書き中",
    )
    url = reverse("ledger:entry_list")
    assert keiri.get(url).content.decode().count("data-entry=") == 3
    assert keiri.get(url, {"q": "文具"}).content.decode().count("data-entry=") == 1
    assert keiri.get(url, {"account": "1132"}).content.decode().count("data-entry=") == 1
    assert keiri.get(url, {"amount_min": "1,000"}).content.decode().count("data-entry=") == 1
    assert keiri.get(url, {"status": "draft"}).content.decode().count("data-entry=") == 1
    assert keiri.get(url, {"q": "2"}).content.decode().count("data-entry=") == 1  # voucher No.2
    response = keiri.get(reverse("ledger:entry_export"), {"q": "文具"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    rows = body.strip().splitlines()
    assert rows[0].startswith("年度,伝票番号,日付") and len(rows) == 3
    assert "消耗品費" in rows[1] and "現金" in rows[2]


def test_the_list_query_count_does_not_grow_with_rows(
    keiri, books, accountant, django_assert_max_num_queries
):
    for _ in range(5):
        post(books, accountant, D, line(books, "消耗品費", "debit", 5), line(books, "現金", "credit", 5))
    with django_assert_max_num_queries(14):
        assert keiri.get(reverse("ledger:entry_list")).status_code == 200


def test_the_ledger_top_shows_shortcuts_and_drafts(keiri, books, accountant):
    services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=D,
        lines=[line(books, "消耗品費", "debit", 1)],
        memo="待っている下書き",
    )
    html = keiri.get(reverse("ledger:home")).content.decode()
    assert "?kind=receipt" in html and "?kind=payment" in html and "待っている下書き" in html


def test_ledger_pages_make_the_books_of_an_older_company(as_member, company):
    from ennoshita.ledger.models import Account, FiscalYear, LedgerSettings, TaxCode

    for model in (Account, TaxCode, FiscalYear, LedgerSettings):  # as if made before the ledger
        model.objects.filter(company=company).delete()
    member = make_member(company, "keiri2", ["accounting"])
    client = as_member(member)
    assert client.get(reverse("ledger:home")).status_code == 200
    assert LedgerSettings.objects.filter(company=company).exists()


def test_hr_gets_403_and_nothing_is_written(books, hr, as_member):
    client = as_member(hr)
    for name in ("ledger:home", "ledger:entry_new", "ledger:entry_list", "ledger:account_search"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "6310", "debit": "100", "tax_code": "OUT"}, {"account": "1110", "credit": "100"}
        ),
    )
    assert response.status_code == 403
    assert not JournalEntry.objects.filter(company=books).exists()


def test_finance_reads_but_does_not_write(books, company, as_member):
    client = as_member(make_member(company, "zaimu", ["finance"]))
    assert client.get(reverse("ledger:entry_list")).status_code == 200
    assert client.get(reverse("ledger:entry_new")).status_code == 403


def test_another_companys_entry_is_404(keiri, books, accountant, other_company):
    services.ensure_books(company=other_company)
    theirs = make_member(other_company, "yoso-keiri", ["accounting"])
    entry = post(
        other_company,
        theirs,
        D,
        line(other_company, "消耗品費", "debit", 100),
        line(other_company, "現金", "credit", 100),
    )
    for name in ("ledger:entry_detail", "ledger:entry_edit"):
        assert keiri.get(reverse(name, args=[entry.pk])).status_code == 404
    for name in ("ledger:entry_post", "ledger:entry_delete", "ledger:entry_reverse"):
        assert keiri.post(reverse(name, args=[entry.pk]), {"date": "2026-11-20"}).status_code == 404
    assert not JournalEntry.objects.filter(reversal_of=entry).exists()


def test_a_receipt_draft_comes_back_without_its_cash_line_and_posts(keiri, books):
    keiri.post(
        reverse("ledger:entry_new"),
        entry_data(
            {"account": "4100", "credit": "1000", "tax_code": "S10", "tax_included": False},
            kind="receipt",
            action="draft",
        ),
    )
    draft = JournalEntry.objects.get(company=books)
    assert lines_of(draft) == [("売上高", 0, 1000), ("仮受消費税等", 0, 100), ("現金", 1100, 0)]
    edit = keiri.get(reverse("ledger:entry_edit", args=[draft.pk])).content.decode()
    assert "入金伝票" in edit and 'value="4100 売上高"' in edit and 'value="1110 現金"' not in edit
    assert 'value="1,100"' in edit or 'value="1,000"' in edit  # shown 税込 or 税抜, reproducing the tax
    data = entry_data(
        {"account": "4100 売上高", "credit": "1,000", "tax_code": "S10", "tax_included": False},
        kind="receipt",
    )
    assert keiri.post(reverse("ledger:entry_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "posted" and lines_of(draft)[-1] == ("現金", 1100, 0)


def test_the_home_page_tells_accounting_about_waiting_drafts(client, books, accountant, hr):
    from datetime import date as _date

    from ennoshita.ledger import services as _services

    from ..conftest import login
    from .conftest import line as _line

    _services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=_date(2026, 11, 10),
        lines=[_line(books, "現金", "debit", 500)],
    )
    login(client, accountant)
    page = client.get("/").content.decode()
    assert "下書きの仕訳が 1 件あります" in page and "/ledger/entries/?status=draft" in page
    client.logout()
    login(client, hr)
    assert "下書きの仕訳" not in client.get("/").content.decode()
