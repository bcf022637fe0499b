"""Export of the journal (弥生会計 仕訳日記帳, the generic layout) and of the whole book (beancount):
an export imported into another company with the same chart gives the same trial balance; the
beancount file passes beancount's own checks and shows our balances."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from ennoshita.ledger import importing, interchange, services
from ennoshita.ledger.models import Balance, FiscalYear, JournalEntry

from ..conftest import login, make_department, make_member
from .conftest import line, post

START, END = date(2025, 4, 1), date(2027, 3, 31)


@pytest.fixture
def book(books, accountant, hr):
    """Entries of both fiscal years: taxed at every rate, without a 適格請求書, across departments,
    multi-line, a reversal and a memo with a comma, a quote and a formula-like start."""
    sales = make_department(books, hr, code="310", name="営業第一部")
    c = books
    post(
        c,
        accountant,
        date(2025, 4, 1),
        line(c, "普通預金", "debit", 1_000_000),
        line(c, "資本金", "credit", 1_000_000),
        kind="opening",
        memo="開始仕訳",
    )
    post(
        c,
        accountant,
        date(2025, 6, 10),
        line(c, "売掛金", "debit", 12_080),
        line(c, "売上高", "credit", 11_000, "S10", department=sales),
        line(c, "売上高", "credit", 1_080, "S8R", department=sales),
        memo='売上, "A社"',
    )
    post(
        c,
        accountant,
        date(2025, 7, 1),
        line(c, "仕入高", "debit", 5_555, "P10"),
        line(c, "会議費", "debit", 1_234, "P8R"),
        line(c, "買掛金", "credit", 6_789),
        memo="=仕入",
    )
    nq = post(
        c,
        accountant,
        date(2026, 5, 20),
        line(c, "修繕費", "debit", 11_000, "P10_NQ"),
        line(c, "現金", "credit", 11_000),
        memo="個人商店",
    )
    services.reverse_entry(
        company=c, actor=accountant.user, membership=accountant, entry=nq, date=date(2026, 11, 2)
    )
    post(
        c,
        accountant,
        date(2026, 11, 5),
        line(c, "消耗品費", "debit", 10_000, "P10", tax_included=False),
        line(c, "現金", "credit", 11_000),
    )
    services.close_fiscal_year(
        company=c,
        actor=accountant.user,
        membership=accountant,
        year=FiscalYear.objects.for_company(c).get(start=START),
    )
    return c


def trial_balance(company) -> dict[tuple[str, date], tuple[int, int]]:
    rows = (
        Balance.objects.for_company(company)
        .values("account__code", "month")
        .annotate(dr=Sum("debit"), cr=Sum("credit"))
    )
    return {
        (r["account__code"], r["month"]): (int(r["dr"]), int(r["cr"])) for r in rows if r["dr"] or r["cr"]
    }


@pytest.fixture
def other_books(other_company, outsider):
    services.ensure_books(company=other_company)
    accountant = make_member(other_company, "keiri-other", ["accounting"])
    make_department(other_company, outsider, code="310", name="営業第一部")
    return other_company, accountant


@pytest.mark.parametrize("layout", ["yayoi", "generic"])
def test_an_export_imported_into_another_company_gives_the_same_trial_balance(
    book, accountant, other_books, layout
):
    data = interchange.export_journal(
        company=book, membership=accountant, layout=layout, start=START, end=END
    )
    other, other_accountant = other_books
    result = importing.import_journal(
        company=other, actor=other_accountant.user, membership=other_accountant, data=data, layout=layout
    )
    assert result.errors == [] and result.posted == 6
    assert trial_balance(other) == trial_balance(book)
    # the reversal came back as a reversal of the imported original (not re-taxed at its own date)
    reversal = JournalEntry.objects.for_company(other).get(kind="reversal")
    assert reversal.reversal_of.date == date(2026, 5, 20)


def test_the_yayoi_export_has_25_columns_in_shift_jis_and_the_voucher_flags(book, accountant):
    data = interchange.export_journal(
        company=book, membership=accountant, layout="yayoi", start=START, end=END
    )
    rows = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    assert {len(r) for r in rows} == {25}
    assert [r[0] for r in rows] == ["2000", "2110", "2101", "2110", "2101", "2000", "2000", "2000"]
    sale = rows[1:3]
    assert sale[0][3] == "2025/06/10" and sale[0][16] == '売上, "A社"'
    assert (sale[0][10], sale[0][12], sale[0][13], sale[0][14], sale[0][15]) == (
        "売上高",
        "営業第一部",
        "課税売上内10%",
        "11000",
        "1000",
    )
    assert (sale[1][4], sale[1][8], sale[1][13], sale[1][14]) == ("", "0", "課税売上内軽減8%", "1080")
    assert rows[3][16] == "'=仕入"  # defused for spreadsheets
    nq = rows[5]
    assert (nq[4], nq[7], nq[8], nq[9]) == ("修繕費", "課対仕入内10%区分80%", "11000", "1000")
    reversal = rows[6]  # the reversal: the other way round, at the 70% of 2026-11
    assert (reversal[4], reversal[10], reversal[13], reversal[14]) == (
        "現金",
        "修繕費",
        "課対仕入内10%区分70%",
        "11000",
    )


def test_the_export_is_limited_to_the_period_and_to_readers(book, accountant, hr):
    from ennoshita.core.errors import PermissionDeniedError

    data = interchange.export_journal(
        company=book, membership=accountant, layout="generic", start=date(2026, 4, 1), end=END
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(interchange.GENERIC_COLUMNS)
    assert {r[1] for r in rows[1:]} == {"2026-05-20", "2026-11-02", "2026-11-05"}
    with pytest.raises(PermissionDeniedError):
        interchange.export_journal(company=book, membership=hr, layout="generic")


def test_the_beancount_export_passes_bean_check_and_shows_our_balances(book, accountant, tmp_path):
    loader = pytest.importorskip("beancount.loader")
    text = interchange.export_beancount(company=book, membership=accountant)
    entries, errors, options = loader.load_string(text)
    assert errors == []
    assert options["operating_currency"] == ["JPY"]
    assert_same_balances(book, entries)
    assert 'name: "仮払消費税等"' in text and 'department: "310"' in text and 'voucher: "2025-2"' in text


def assert_same_balances(company, entries) -> None:
    from beancount.core import data

    ours: dict[str, int] = defaultdict(int)
    for row in Balance.objects.for_company(company).select_related("account"):
        ours[interchange.beancount_account(row.account)] += int(row.debit - row.credit)
    theirs: dict[str, int] = defaultdict(int)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                assert posting.units.currency == "JPY"
                theirs[posting.account] += int(posting.units.number)
    assert {k: v for k, v in theirs.items() if v} == {k: v for k, v in ours.items() if v}


def test_the_demo_books_export_to_beancount_that_bean_check_accepts(books, accountant, tmp_path):
    pytest.importorskip("beancount")
    from ennoshita.ledger.demo import build_demo_books

    build_demo_books(books, today=date(2026, 11, 24))
    path = tmp_path / "books.beancount"
    call_command("export_beancount", "--company", str(books.pk), str(path))
    from beancount import loader

    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    assert_same_balances(books, entries)
    years = {e.date.year for e in entries}
    assert {2025, 2026} <= years


def test_the_command_finds_the_company_by_its_corporate_number(books, tmp_path):
    books.corporate_number = "1234567890123"
    books.save(update_fields=["corporate_number"])
    path = tmp_path / "b.beancount"
    call_command("export_beancount", "--company", "1234567890123", str(path))
    assert 'option "operating_currency" "JPY"' in path.read_text(encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("export_beancount", "--company", "999999", str(path))


# ------------------------------------------------------------------------------ the screen
def test_the_export_screen_downloads_each_layout(client, book, accountant):
    login(client, accountant)
    url = reverse("ledger:export")
    assert client.get(url).status_code == 200
    period = {"start": "2025-04-01", "end": "2027-03-31"}
    response = client.get(url, {"layout": "yayoi", **period})
    assert response.status_code == 200 and "shift_jis" in response["Content-Type"]
    assert response.content.decode("cp932").startswith("2000,")
    response = client.get(url, {"layout": "generic", "encoding": "utf8", **period})
    assert response.content.startswith(b"\xef\xbb\xbf")
    response = client.get(url, {"layout": "beancount", **period})
    assert b'option "operating_currency" "JPY"' in response.content


def test_the_export_screen_reports_characters_shift_jis_cannot_hold(client, book, accountant):
    c = book
    post(
        c,
        accountant,
        date(2026, 11, 6),
        line(c, "現金", "debit", 100),
        line(c, "売掛金", "credit", 100),
        memo="𠮷野家",
    )
    login(client, accountant)
    period = {"layout": "yayoi", "start": "2026-04-01", "end": "2027-03-31"}
    response = client.get(reverse("ledger:export"), period)
    assert response.status_code == 400 and "𠮷" in response.content.decode()
    response = client.get(reverse("ledger:export"), {**period, "replace": "on"})
    assert response.status_code == 200 and "〓野家" in response.content.decode("cp932")


def test_the_export_screen_refuses_a_bad_period_and_other_roles(client, book, accountant, hr):
    login(client, accountant)
    response = client.get(
        reverse("ledger:export"), {"layout": "yayoi", "start": "2027-01-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    login(client, hr)
    assert client.get(reverse("ledger:export")).status_code == 403
