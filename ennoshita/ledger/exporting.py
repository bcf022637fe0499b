"""The reports as one table shape (``ReportTable``), shown on the screens and written as CSV
(UTF-8 with BOM, or cp932), Excel (core.xlsx) or PDF (core.pdf).

Amounts are Decimal whole yen: a number in CSV (plain signed integer) and Excel (a number cell,
shown △ when negative), text formatted 「1,234」/「△1,234」 on the screen and in the PDF. Every text
cell of a CSV is defused (core.csvio.defuse) and Excel stores text as text, so a memo such as
"=cmd|…" is never run as a formula. A cell may name an account (drill-down to its 総勘定元帳 for
the cell's period) or an entry (drill-down to the entry).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ennoshita.core import pdf, xlsx
from ennoshita.core.csvio import REPLACEMENT, SJIS, defuse, encode_csv

from . import selectors as s


def fmt_yen(value: Decimal | None) -> str:
    """1234 → 「1,234」, −1234 → 「△1,234」 (the Japanese minus for statements), None → ""."""
    if value is None:
        return ""
    body = f"{abs(int(value)):,}"
    return f"△{body}" if value < 0 else body


@dataclass(frozen=True)
class Cell:
    value: Any  # Decimal | str | date | int | None
    account: str = ""  # a code: the figure drills down to that account's 総勘定元帳
    start: date | None = None  # the period of the drill-down (the table's when None)
    end: date | None = None
    entry: int | None = None  # the figure drills down to this journal entry

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, Decimal)

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return fmt_yen(self.value)
        if isinstance(self.value, date):
            return self.value.strftime("%Y/%m/%d")
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    kind: str = "row"  # row | heading | subtotal | total | profit | account
    level: int = 0


@dataclass
class ReportTable:
    key: str  # file name stem
    title: str
    period: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    start: date | None = None  # drill-down period
    end: date | None = None
    numeric_columns: tuple[int, ...] = ()

    def add(self, values: Iterable[Any], *, kind: str = "row", level: int = 0, **drill: Any) -> None:
        cells = []
        for v in values:
            cells.append(
                v if isinstance(v, Cell) else Cell(v, **drill) if isinstance(v, Decimal) else Cell(v)
            )
        self.rows.append(Row(cells, kind, level))


def _period(start: date | None, end: date) -> str:
    if start is None:
        return _("%(end)s 現在") % {"end": date_format(end, "DATE_FORMAT")}
    return f"{date_format(start, 'DATE_FORMAT')} 〜 {date_format(end, 'DATE_FORMAT')}"


# ------------------------------------------------------------------------------ tables


def trial_balance_table(tb: s.TrialBalance) -> ReportTable:
    t = ReportTable(
        "trial-balance",
        _("残高試算表"),
        _period(tb.start, tb.end),
        [_("コード"), _("勘定科目"), _("区分"), _("期首・前月残高"), _("借方"), _("貸方"), _("残高")],
        start=tb.start,
        end=tb.end,
        numeric_columns=(3, 4, 5, 6),
    )
    for r in tb.rows:
        t.add(
            [r.code, r.name, r.section_label, r.opening, r.debit, r.credit, r.closing],
            kind="account",
            account=r.code,
        )
    t.add([_("合計"), "", "", None, tb.debit, tb.credit, None], kind="total")
    return t


def statement_table(st: s.Statement, *, key: str) -> ReportTable:
    compare = st.previous_end is not None
    columns = [_("科目"), _("金額")]
    if compare:
        columns += [_("前年同期"), _("増減")]
    t = ReportTable(
        key,
        st.title,
        _period(st.start, st.end),  # type: ignore[arg-type]
        columns,
        start=st.start if isinstance(st.start, date) else None,
        end=st.end,  # type: ignore[arg-type]
        numeric_columns=(1, 2, 3) if compare else (1,),
    )
    if compare:
        t.period += " " + _("(前年同期: %(p)s)") % {"p": _period(st.previous_start, st.previous_end)}  # type: ignore[arg-type]
    for ln in st.lines:
        values: list[Any] = [ln.label, ln.amount]
        if compare:
            values += [ln.previous, ln.difference]
        cells = [Cell(values[0])] + [Cell(v, account=ln.code) for v in values[1:]]
        if compare and ln.code:  # the year-before figure drills down to the year-before period
            cells[2] = Cell(ln.previous, account=ln.code, start=st.previous_start, end=st.previous_end)  # type: ignore[arg-type]
        t.rows.append(Row(cells, ln.kind, ln.level))
    return t


def monthly_trend_table(tr: s.MonthlyTrend, *, month_end: Callable[[date], date]) -> ReportTable:
    columns = [_("科目")] + [m.strftime("%Y/%m") for m in tr.months] + [_("合計")]
    t = ReportTable(
        "monthly-trend",
        _("月次推移表"),
        _period(tr.start, tr.end),
        columns,
        start=tr.start,
        end=tr.end,
        numeric_columns=tuple(range(1, len(columns))),
    )
    for title, rows, pl in ((_("損益計算書"), tr.pl_rows, True), (_("貸借対照表"), tr.bs_rows, False)):
        t.add([title] + [""] * (len(columns) - 1), kind="heading")
        for r in rows:
            cells = [Cell(r.label)]
            for m, v in zip(tr.months, r.values, strict=True):
                # P/L: that month's movement; B/S: the balance at its end (from the year start)
                cells.append(Cell(v, account=r.code, start=m if pl else tr.start, end=month_end(m)))
            cells.append(Cell(r.total, account=r.code) if pl else Cell(None))
            t.rows.append(Row(cells, r.kind, r.level))
    return t


GL_COLUMNS = ("日付", "伝票番号", "相手科目", "摘要", "税区分", "借方", "貸方", "残高")


def _gl_row(r: s.LedgerRow) -> list[Any]:
    return [r.date, r.voucher_number, r.counter_account, r.memo, r.tax_label, r.debit, r.credit, r.balance]


def general_ledger_table(gl: s.GeneralLedger, *, first_page: bool = True) -> ReportTable:
    title = _("補助元帳") if gl.sub_account_id else _("総勘定元帳")
    name = f"{gl.code} {gl.name}" + (f" / {gl.sub_account_name}" if gl.sub_account_name else "")
    t = ReportTable(
        "general-ledger",
        f"{title} {name}",
        _period(gl.start, gl.end),
        [_(c) for c in GL_COLUMNS],
        start=gl.start,
        end=gl.end,
        numeric_columns=(5, 6, 7),
    )
    if first_page:
        t.add([gl.start, None, "", _("前期繰越"), "", None, None, gl.opening], kind="subtotal")
    for r in gl.rows:
        values = _gl_row(r)
        t.rows.append(Row([Cell(v, entry=r.entry_id) for v in values]))
    if gl.next_cursor is None:
        t.add([gl.end, None, "", _("期間合計"), "", gl.debit, gl.credit, gl.closing], kind="total")
    return t


def journal_table(j: s.Journal) -> ReportTable:
    t = ReportTable(
        "journal",
        _("仕訳帳"),
        _period(j.start, j.end),
        [
            _("日付"),
            _("伝票番号"),
            _("勘定科目"),
            _("補助科目"),
            _("部門"),
            _("借方"),
            _("貸方"),
            _("税区分"),
            _("摘要"),
        ],
        start=j.start,
        end=j.end,
        numeric_columns=(5, 6),
    )
    for e in j.entries:
        for i, ln in enumerate(e.lines):
            head = [e.date, e.number] if i == 0 else ["", ""]
            values = [*head, f"{ln.account_code} {ln.account_name}", ln.sub_account, ln.department]
            values += [
                ln.debit or None,
                ln.credit or None,
                ln.tax_code,
                ln.memo or (e.memo if i == 0 else ""),
            ]
            t.rows.append(Row([Cell(v, entry=e.entry_id) for v in values], "row" if i else "entry"))
    return t


def tax_summary_table(ts: s.TaxSummary) -> ReportTable:
    t = ReportTable(
        "tax-summary",
        _("消費税集計表"),
        _period(ts.start, ts.end),
        [_("区分"), _("税区分"), _("税率(%)"), _("税抜金額"), _("消費税等"), _("税込金額")],
        start=ts.start,
        end=ts.end,
        numeric_columns=(3, 4, 5),
    )
    for g in ts.groups:
        for r in g.rows:
            t.add([_(g.label), r.label, f"{r.rate.normalize():f}", r.net, r.tax, r.gross])
        t.add([_("%(g)s 計") % {"g": _(g.label)}, "", "", g.net, g.tax, g.gross], kind="subtotal")
    f = ts.figures
    if f is not None:
        t.add([_("申告の概算(一般課税・割戻し計算)"), "", "", None, None, None], kind="heading")
        figures = [
            (_("課税標準額"), f.taxable_base),
            (_("消費税額"), f.national_tax),
            (_("控除対象仕入税額"), f.deductible_input_tax_national),
            (_("差引税額(国税)"), f.net_national_tax),
            (_("控除不足還付税額(国税)"), f.national_refund),
            (_("地方消費税(納付)"), f.local_tax),
            (_("地方消費税(還付)"), f.local_refund),
            (_("納付税額合計"), f.total_due),
            (_("還付税額合計"), f.total_refund),
        ]
        for label, value in figures:
            t.add([label, "", "", None, None, value])
    return t


# ------------------------------------------------------------------------------ writers


def _csv_values(row: Row) -> list[Any]:
    out: list[Any] = []
    for c in row.cells:
        v = c.value
        if isinstance(v, Decimal):
            out.append(str(int(v)))
        elif isinstance(v, date):
            out.append(v.isoformat())
        else:
            out.append(defuse("" if v is None else str(v)))
    return out


def to_csv(table: ReportTable, *, encoding: str = "utf-8-sig", replace: bool = False) -> bytes:
    """Header + rows; amounts as plain integers. cp932: see core.csvio.encode_csv."""
    rows = [[defuse(c) for c in table.columns], *(_csv_values(r) for r in table.rows)]
    return encode_csv(rows, encoding=SJIS if encoding == SJIS else "utf-8-sig", replace=replace)


def to_xlsx(table: ReportTable, *, company_name: str, note: str = "") -> bytes:
    header_rows = [[table.title], [table.period], [company_name + (f" {note}" if note else "")]]
    rows = [list(table.columns), *([c.value for c in r.cells] for r in table.rows)]
    bold = [n + 1 for n, r in enumerate(table.rows) if r.kind in ("subtotal", "total", "profit", "heading")]
    widths = [14 if i in table.numeric_columns else 22 for i in range(len(table.columns))]
    return xlsx.write_book(rows, title=table.title, header_rows=header_rows, widths=widths, bold_rows=bold)


def to_pdf(table: ReportTable, *, company_name: str, note: str = "") -> bytes:
    rows = []
    for r in table.rows:
        texts = [c.text for c in r.cells]
        if texts and r.level:
            texts[0] = "　" * r.level + texts[0]
        rows.append(texts)
    bold = [n for n, r in enumerate(table.rows) if r.kind in ("subtotal", "total", "profit", "heading")]
    return pdf.table_pdf(
        title=table.title,
        subtitle_lines=[table.period, company_name + (f" {note}" if note else "")],
        header=list(table.columns),
        rows=rows,
        numeric_columns=table.numeric_columns,
        bold_rows=bold,
        landscape_page=len(table.columns) > 8,
    )


def stream_general_ledger_csv(
    pages: Iterable[s.GeneralLedger], *, encoding: str = "utf-8-sig"
) -> Iterator[bytes]:
    """The general ledger as CSV, page by page (for long books): never all of it in memory. A
    streamed Shift_JIS file cannot report bad characters first, so they are replaced with 〓."""
    sjis = encoding == SJIS
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        if sjis:
            return "".join(ch if _sjis_ok(ch) else REPLACEMENT for ch in text).encode(SJIS)
        return text.encode("utf-8")

    if not sjis:
        yield b"\xef\xbb\xbf"
    writer.writerow([_(c) for c in GL_COLUMNS])
    first = True
    for page in pages:
        table = general_ledger_table(page, first_page=first)
        first = False
        for row in table.rows:
            writer.writerow(_csv_values(row))
        yield flush()


def _sjis_ok(ch: str) -> bool:
    try:
        ch.encode(SJIS)
    except UnicodeEncodeError:
        return False
    return True
