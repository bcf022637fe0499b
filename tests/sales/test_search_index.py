"""The n-gram index behind the word search of invoices, quotes and orders (sales/search_index.py):
whatever the word's length, width or ASCII case, it finds exactly the rows of the plain substring
search in the number and the subject, on SQLite (FTS5 + triggers) and PostgreSQL (GIN index)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection

from ennoshita.core.text import nfkc
from ennoshita.sales import search_index
from ennoshita.sales.models import Customer, Invoice, Order, Quote
from ennoshita.sales.selectors.documents import invoice_list, order_list, quote_list
from ennoshita.sales.services.invoices import delete_invoice_draft, issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec

from ..conftest import make_company

# what subjects are made of: kanji, kana, ASCII of both cases, digits, marks, a full-width letter
ALPHABET = "保守開発費用点検の月カナA-aBb1２ 「」・"
DAY = date(2026, 6, 1)


def reference(rows, word: str) -> list[int]:
    """The plain search: the NFKC word in the number or the subject, ASCII letters in either case."""
    w = search_index.fold(nfkc(word))
    return sorted(r.pk for r in rows if w in search_index.fold(r.number) or w in search_index.fold(r.subject))


def ids(qs) -> list[int]:
    return sorted(qs.values_list("pk", flat=True))


@pytest.fixture
def customer(company):
    # a name no test word matches: the words go to the number/subject search
    return Customer.objects.create(company=company, code="X9", name="得意先", name_key="得意先")


def random_subjects(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 12))) for _ in range(n)]


def make_invoices(company, customer, subjects: list[str]) -> list[Invoice]:
    return [
        Invoice.objects.create(
            company=company,
            customer=customer,
            date=DAY,
            tax_rounding="floor",
            number=f"INV-D-{n:04d}",
            subject=s,
        )
        for n, s in enumerate(subjects)
    ]


def words_of(subjects: list[str]) -> list[str]:
    """Every 1-, 2- and 3-character piece of the subjects (no spaces), and a few that are not there."""
    found = {s[i : i + k] for s in subjects for k in (1, 2, 3) for i in range(len(s) - k + 1)}
    words = sorted(w for w in found if w.strip() == w and " " not in w)
    return [*words, "保守点検費用", "zz", "用保", "ｶﾅ", "ＡＢ", "-D-", "d-00", "0001"]


def test_every_word_finds_what_the_plain_search_finds(company, customer):
    subjects = random_subjects(1, 80)
    rows = make_invoices(company, customer, subjects)
    words = words_of(subjects)
    assert len(words) > 200
    for word in words:
        assert ids(invoice_list(company=company, q=word)) == reference(rows, word), word
    # two words: both must match
    assert ids(invoice_list(company=company, q="保 a")) == sorted(
        set(reference(rows, "保")) & set(reference(rows, "a"))
    )


def test_two_character_japanese_words_and_one_character_words(company, customer):
    rows = make_invoices(company, customer, ["保守費用", "開発費用", "保険", "守衛", "費"])
    by = {r.subject: r.pk for r in rows}
    assert ids(invoice_list(company=company, q="保守")) == [by["保守費用"]]
    assert ids(invoice_list(company=company, q="費用")) == sorted([by["保守費用"], by["開発費用"]])
    assert ids(invoice_list(company=company, q="守")) == sorted([by["保守費用"], by["守衛"]])
    assert ids(invoice_list(company=company, q="費")) == sorted([by["保守費用"], by["開発費用"], by["費"]])
    assert ids(invoice_list(company=company, q="守費用")) == [by["保守費用"]]
    assert ids(invoice_list(company=company, q="用保")) == []  # not across two rows' text


def test_ascii_case_half_width_and_the_number(company, customer):
    rows = make_invoices(company, customer, ["Web保守 ABC", "ｶﾅ入力", "abc"])
    assert ids(invoice_list(company=company, q="abc")) == sorted([rows[0].pk, rows[2].pk])
    assert ids(invoice_list(company=company, q="ＡＢＣ")) == sorted([rows[0].pk, rows[2].pk])  # full width
    assert ids(invoice_list(company=company, q="WEB")) == [rows[0].pk]
    # the half-width kana typed is NFKC'd to カナ, which the stored ｶﾅ is not (as the plain search)
    assert ids(invoice_list(company=company, q="ｶﾅ")) == reference(rows, "ｶﾅ") == []
    assert ids(invoice_list(company=company, q="d-0001")) == [rows[1].pk]  # inside the number
    # the end of the number and the start of the subject are not one text
    assert ids(invoice_list(company=company, q="0000Web")) == []


def test_editing_and_deleting_a_draft_moves_the_index(books, company, sales_admin, customer):
    def save(subject, draft=None):
        return save_invoice_draft(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            customer=customer,
            date=DAY,
            subject=subject,
            lines=[LineSpec("作業", quantity=1, unit_price=1000, tax="S10")],
            draft=draft,
        )

    draft = save("保守費用")
    assert ids(invoice_list(company=company, q="保守")) == [draft.pk]
    draft = save("開発費用", draft=draft)
    assert ids(invoice_list(company=company, q="保守")) == []
    assert ids(invoice_list(company=company, q="開発")) == [draft.pk]
    assert ids(invoice_list(company=company, q="発")) == [draft.pk]
    issued = issue_invoice(company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft)
    assert ids(invoice_list(company=company, q=issued.number[-6:])) == [draft.pk]  # its new number
    other = save("開発 2")
    delete_invoice_draft(company=company, actor=sales_admin.user, membership=sales_admin, invoice=other)
    assert ids(invoice_list(company=company, q="開発")) == [draft.pk]


def test_quotes_and_orders(company, customer):
    subjects = random_subjects(2, 30)
    quotes = [
        Quote.objects.create(
            company=company,
            customer=customer,
            date=DAY,
            valid_until=DAY,
            tax_rounding="floor",
            number=f"Q-X-{n:03d}",
            subject=s,
        )
        for n, s in enumerate(subjects)
    ]
    orders = [
        Order.objects.create(
            company=company,
            customer=customer,
            date=DAY,
            tax_rounding="floor",
            number=f"SO-X-{n:03d}",
            subject=s,
        )
        for n, s in enumerate(subjects)
    ]
    for word in [*words_of(subjects)[::7], "x-00", "保守"]:
        assert ids(quote_list(company=company, q=word)) == reference(quotes, word), word
        assert ids(order_list(company=company, q=word)) == reference(orders, word), word
    Quote.objects.filter(pk=quotes[0].pk).update(subject="特急対応")
    assert ids(quote_list(company=company, q="特急")) == [quotes[0].pk]
    Order.objects.filter(pk=orders[0].pk).delete()
    assert ids(order_list(company=company, q="SO-X-000")) == []


def test_another_companys_documents_are_not_found(company, customer):
    mine = make_invoices(company, customer, ["保守費用"])
    other = make_company("株式会社ほか")
    theirs = Customer.objects.create(company=other, code="Z", name="他社", name_key="他社")
    make_invoices(other, theirs, ["保守費用", "保守"])
    assert ids(invoice_list(company=company, q="保守")) == [mine[0].pk]
    assert ids(invoice_list(company=company, q="守")) == [mine[0].pk]
    assert len(ids(invoice_list(company=other, q="保守"))) == 2


def test_the_index_is_used(company, customer):
    make_invoices(company, customer, ["保守費用"])
    sql = str(invoice_list(company=company, q="保守").query)
    if connection.vendor == "sqlite":
        assert "sales_invoice_search" in sql and "MATCH" in sql
    else:
        assert "sales_search_grams" in sql
        with connection.cursor() as cur:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'sales_invoice_search_idx'")
            assert "gin" in cur.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers when it rebuilds a table")
def test_a_rebuilt_table_gets_its_triggers_and_index_back(company, customer):
    rows = make_invoices(company, customer, ["保守費用", "開発"])
    with connection.cursor() as cur:
        for sql in search_index.sqlite_drop("sales_invoice"):
            if sql.startswith("DROP TRIGGER"):
                cur.execute(sql)
        cur.execute("INSERT INTO sales_invoice_search(sales_invoice_search) VALUES ('delete-all')")
    assert search_index.ensure_search_index() == ["sales_invoice"]
    assert search_index.ensure_search_index() == []  # nothing left to repair
    assert ids(invoice_list(company=company, q="保守")) == [rows[0].pk]
    Invoice.objects.filter(pk=rows[1].pk).update(subject="点検")  # the triggers work again
    assert ids(invoice_list(company=company, q="点検")) == [rows[1].pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the migration's fill of the FTS5 tables")
def test_the_fill_indexes_existing_rows_like_the_triggers(company, customer):
    subjects = random_subjects(3, 40)
    rows = make_invoices(company, customer, subjects)
    with connection.cursor() as cur:
        for sql in search_index.sqlite_fill("sales_invoice"):
            cur.execute(sql)
    for word in words_of(subjects)[::5]:
        assert ids(invoice_list(company=company, q=word)) == reference(rows, word), word
