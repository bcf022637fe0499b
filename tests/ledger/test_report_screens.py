"""The report screens: who may open them, the figures and drill-down links they show, the cursor
pages of the ledgers and the downloads (CSV, Shift_JIS, Excel, PDF)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.ledger.models import JournalEntry

from ..conftest import login
from .conftest import line, post
from .test_reports import worked_book

REPORTS = [
    "ledger:journal",
    "ledger:trial_balance",
    "ledger:balance_sheet",
    "ledger:profit_and_loss",
    "ledger:monthly_trend",
    "ledger:tax_summary",
    "ledger:general_ledger",
]


@pytest.fixture
def book(books, accountant):
    return worked_book(books, accountant)


@pytest.fixture
def keiri(client, accountant):
    return login(client, accountant)


def body(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("name", REPORTS)
def test_accountant_opens_every_report_and_hr_is_refused(name, book, client, accountant, hr):
    login(client, accountant)
    assert client.get(reverse(name)).status_code == 200
    login(client, hr)
    assert client.get(reverse(name)).status_code == 403


def test_reports_need_a_login(client, book):
    response = client.get(reverse("ledger:trial_balance"))
    assert response.status_code == 302


def test_trial_balance_as_of_a_date_with_drill_down(book, keiri):
    response = keiri.get(reverse("ledger:trial_balance"), {"mode": "as_of", "as_of": "2026-07-31"})
    html = body(response)
    assert response.status_code == 200
    assert "2026年4月1日 〜 2026年7月31日" in html
    assert "1,040,000" in html and "1,330,000" in html and "貸借一致" in html
    assert (
        'href="/ledger/reports/general-ledger/?account=1121&amp;start=2026-04-01&amp;end=2026-07-31"' in html
    )


def test_trial_balance_for_a_month(book, keiri):
    html = body(keiri.get(reverse("ledger:trial_balance"), {"mode": "month", "month": "2026-05"}))
    assert "2026年5月1日 〜 2026年5月31日" in html and "950,000" in html


def test_balance_sheet_shows_contra_as_triangle_and_compares(book, keiri):
    html = body(keiri.get(reverse("ledger:balance_sheet"), {"as_of": "2026-07-31", "compare": "on"}))
    assert "△20,000" in html and "資産の部" in html and "当期純利益" in html and "前年同期" in html
    assert "2,020,000" in html and "1,500,000" in html


def test_profit_and_loss_default_period_is_the_year_to_date(book, keiri, monkeypatch):
    # "today" is fixed inside the fixture's fiscal year so that the default period is known
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 11, 20))
    html = body(keiri.get(reverse("ledger:profit_and_loss")))
    assert "2026年4月1日 〜 2026年11月20日" in html
    assert "売上総利益" in html and "570,000" in html
    assert "account=4100&amp;start=2026-04-01" in html


def test_a_bad_filter_is_a_400_with_the_message_on_the_field(book, keiri):
    response = keiri.get(reverse("ledger:profit_and_loss"), {"start": "2026-07-01", "end": "2026-06-01"})
    assert response.status_code == 400 and "終了日は開始日以降" in body(response)


def test_monthly_trend_screen(book, keiri):
    html = body(keiri.get(reverse("ledger:monthly_trend"), {"year": "2026"}))
    assert "2026/05" in html and "2027/03" in html and "650,000" in html and "経常利益" in html
    assert "account=4100&amp;start=2026-05-01&amp;end=2026-05-31" in html


def test_general_ledger_pages_with_a_cursor_and_links_rows_to_entries(books, accountant, keiri):
    for i in range(120):
        post(
            books,
            accountant,
            date(2026, 6, 1 + i % 28),
            line(books, "普通預金", "debit", 1000 + i),
            line(books, "売上高", "credit", 1000 + i),
        )
    url = reverse("ledger:general_ledger")
    first = keiri.get(url, {"account": "1121", "start": "2026-04-01", "end": "2026-06-30"})
    html = body(first)
    assert first.status_code == 200 and "前期繰越" in html
    entry = JournalEntry.objects.filter(company=books).order_by("date", "id").first()
    assert f'href="/ledger/entries/{entry.pk}/"' in html
    cursor = re.search(r'href="\?([^"]*after=[^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    second = keiri.get(f"{url}?{cursor}")
    assert second.status_code == 200 and "期間合計" in body(second)
    total = sum(1000 + i for i in range(120))
    assert f"{total:,}" in body(second)
    forged = keiri.get(
        url, {"account": "1121", "start": "2026-04-01", "end": "2026-06-30", "after": "abc:def"}
    )
    assert forged.status_code == 400 and "カーソル" in body(forged)


def test_general_ledger_without_an_account_asks_for_one_and_unknown_code_is_404(book, keiri):
    assert "勘定科目を選んで" in body(keiri.get(reverse("ledger:general_ledger")))
    assert keiri.get(reverse("ledger:general_ledger"), {"account": "9999x"}).status_code in (400, 404)


def test_journal_screen_links_entries(book, keiri):
    html = body(keiri.get(reverse("ledger:journal"), {"start": "2025-04-01", "end": "2027-03-31"}))
    assert "1,000,000" in html and "資本金" in html and 'data-entry="' in html


# ------------------------------------------------------------------------------ downloads


def test_csv_downloads_utf8_with_bom_and_shift_jis(book, keiri):
    url = reverse("ledger:trial_balance")
    response = keiri.get(url, {"as_of": "2026-07-31", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "1121,普通預金,流動資産,900000,300000,160000,1040000" in text
    sjis = keiri.get(url, {"as_of": "2026-07-31", "format": "csv-sjis"})
    assert "普通預金" in sjis.content.decode("cp932") and not sjis.content.startswith(b"\xef\xbb\xbf")


def test_memo_that_looks_like_a_formula_is_defused_in_csv_and_text_in_excel(books, accountant, keiri):
    from openpyxl import load_workbook

    post(
        books,
        accountant,
        date(2026, 6, 1),
        line(books, "現金", "debit", 500, memo='=HYPERLINK("x")'),
        line(books, "売上高", "credit", 500),
    )
    url = reverse("ledger:general_ledger")
    params = {"account": "1110", "start": "2026-04-01", "end": "2026-06-30"}
    text = b"".join(keiri.get(url, {**params, "format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "2026-06-01" in text
    book = load_workbook(io.BytesIO(keiri.get(url, {**params, "format": "xlsx"}).content))
    cells = [c for row in book.active.iter_rows() for c in row]
    memo = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert memo.data_type == "s" and memo.value == '=HYPERLINK("x")'


def test_general_ledger_csv_streams_every_page(books, accountant, keiri, monkeypatch):
    from ennoshita.ledger import report_views

    monkeypatch.setattr(report_views, "EXPORT_PAGE", 3)
    for i in range(8):
        post(
            books,
            accountant,
            date(2026, 6, 1 + i),
            line(books, "現金", "debit", 10),
            line(books, "売上高", "credit", 10),
        )
    response = keiri.get(
        reverse("ledger:general_ledger"),
        {"account": "1110", "start": "2026-04-01", "end": "2026-06-30", "format": "csv"},
    )
    assert response.streaming
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("日付,伝票番号,相手科目") and len(rows) == 1 + 1 + 8 + 1
    assert rows[-1].endswith(",80,0,80")


def test_excel_has_numbers(book, keiri):
    from openpyxl import load_workbook

    response = keiri.get(reverse("ledger:balance_sheet"), {"as_of": "2026-07-31", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1}
    assert values["資産合計"] == 2_020_000 and values["貸倒引当金"] == -20_000
    assert sheet["A1"].value == "貸借対照表"


def test_pdf_is_a_japanese_a4_document(book, keiri, company):
    from pypdf import PdfReader

    response = keiri.get(
        reverse("ledger:profit_and_loss"), {"start": "2026-04-01", "end": "2026-07-31", "format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "損益計算書" in text and "売上総利益" in text and "570,000" in text and company.name in text
    assert "1 / 1" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)


@pytest.mark.parametrize(
    "name", ["ledger:journal", "ledger:monthly_trend", "ledger:tax_summary", "ledger:trial_balance"]
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_every_report_downloads(name, fmt, book, keiri):
    response = keiri.get(reverse(name), {"format": fmt})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "query"),
    [("ledger:balance_sheet", "as_of=0001-01-01"), ("ledger:trial_balance", "as_of=9999-12-31")],
)
def test_dates_outside_the_reporting_range_are_a_message_not_a_500(name, query, book, client, accountant):
    login(client, accountant)
    response = client.get(reverse(name) + "?" + query)
    assert response.status_code in (200, 400)
    assert "1900年から2999年" in response.content.decode()
