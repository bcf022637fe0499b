"""給与明細 and 賃金台帳 as A4 PDFs in Japanese, with the project's font (core.pdf: IPA Gothic
embedded when installed, else ReportLab's CID font)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ennoshita.core.models import Company
from ennoshita.core.pdf import japanese_font, table_pdf

from .selectors.ledgers import WageLedger
from .selectors.payslips import Cell, PayslipSheet

PER_ROW = 6  # cells per row of a 明細 grid (label above, figure below, as paper payslips do)
GRID = colors.HexColor("#9aa5b1")
HEAD = colors.HexColor("#eef1f4")


def yen_text(value: Decimal | int) -> str:
    n = int(value)
    return f"-{abs(n):,}" if n < 0 else f"{n:,}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _grid(title: str, cells: Sequence[tuple[str, str]], font: str, width: float) -> Table:
    """A block titled on its left (勤怠 / 支給 / 控除), cells in rows of PER_ROW: label, then figure.
    A long label (健康保険料(介護含む)) is set smaller so that it stays on one line."""
    data: list[list[str]] = []
    padded = list(cells) or [("", "")]
    for start in range(0, len(padded), PER_ROW):
        chunk = padded[start : start + PER_ROW]
        chunk += [("", "")] * (PER_ROW - len(chunk))
        data.append([title if start == 0 else "", *[c[0] for c in chunk]])
        data.append(["", *[c[1] for c in chunk]])
    first = 14 * mm
    cell_width = (width - first) / PER_ROW
    table = Table(data, colWidths=[first, *[cell_width] * PER_ROW])
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("GRID", (1, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (0, 0), (0, -1)),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
    ]
    room = cell_width - 4 * mm
    for r in range(0, len(data), 2):
        style += [
            ("BACKGROUND", (1, r), (-1, r), HEAD),
            ("ALIGN", (1, r), (-1, r), "CENTER"),
            ("ALIGN", (1, r + 1), (-1, r + 1), "RIGHT"),
        ]
        for c, label in enumerate(data[r][1:], start=1):
            one = pdfmetrics.stringWidth(label, font, 1) or 1
            style.append(("FONTSIZE", (c, r), (c, r), max(4.5, min(7.5, room / one))))
    table.setStyle(TableStyle(style))
    return table


def _amounts(cells: Sequence[Cell]) -> list[tuple[str, str]]:
    return [(c.label, yen_text(c.amount if c.amount is not None else 0)) for c in cells]


def payslip_pdf(*, company: Company, sheet: PayslipSheet) -> bytes:
    """One payslip on one A4 page: heading (company, pay date, 賃金計算期間, employee), 勤怠, 支給
    with 総支給額, 控除 with 控除合計, 差引支給額 and 振込."""
    p = sheet.payslip
    font = japanese_font()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{sheet.title} {p.employee_name}",
    )
    width = A4[0] - 30 * mm
    title_style = ParagraphStyle("t", fontName=font, fontSize=16, leading=20, spaceAfter=4)
    text = ParagraphStyle("s", fontName=font, fontSize=9, leading=13)
    big = ParagraphStyle("b", fontName=font, fontSize=12, leading=16)
    heading = sheet.title + ("(下書き)" if sheet.draft else "")
    period = (
        f"賃金計算期間 {sheet.period_start:%Y-%m-%d} 〜 {sheet.period_end:%Y-%m-%d}"
        if sheet.period_start and sheet.period_end
        else ""
    )
    story: list[Any] = [
        Paragraph(_escape(heading), title_style),
        Paragraph(_escape(company.name), text),
        Paragraph(_escape(f"支給日 {sheet.pay_date:%Y-%m-%d}  {period}"), text),
        Paragraph(
            _escape(f"社員番号 {p.employee_number}  氏名 {p.employee_name} 様  {p.department_name}".strip()),
            big,
        ),
        Spacer(1, 4 * mm),
    ]
    if sheet.attendance:
        story += [
            _grid("勤怠", [(c.label, c.value) for c in sheet.attendance], font, width),
            Spacer(1, 3 * mm),
        ]
    payments = [*_amounts(sheet.payments), ("総支給額", yen_text(p.gross))]
    deductions = [*_amounts(sheet.deductions), ("控除合計", yen_text(p.deduction_total))]
    story += [_grid("支給", payments, font, width), Spacer(1, 3 * mm)]
    story += [_grid("控除", deductions, font, width), Spacer(1, 3 * mm)]
    if sheet.bonus:  # 賞与: 標準賞与額 and the 算出率
        figures = [(c.label, yen_text(c.amount) if c.amount is not None else c.value) for c in sheet.bonus]
        story += [_grid("標準賞与額", figures, font, width), Spacer(1, 3 * mm)]
    net = [("差引支給額", yen_text(p.net))]
    net += [(f"振込 {t.label}", yen_text(t.amount)) for t in sheet.transfers]
    if sheet.cash:
        net.append(("振込以外", yen_text(sheet.cash)))
    story += [_grid("差引", net, font, width), Spacer(1, 3 * mm)]
    for t in sheet.transfers:
        story.append(
            Paragraph(_escape(f"振込先({t.label}): {t.bank} {t.account}  {yen_text(t.amount)}円"), text)
        )
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(_escape(f"単位: 円  作成日 {timezone.localdate():%Y-%m-%d}"), text))
    doc.build(story)
    return out.getvalue()


def wage_ledger_pdf(*, company: Company, ledger: WageLedger) -> bytes:
    """賃金台帳 on A4 landscape: one column per payment of the year and the total (労基則54条1項)."""
    e = ledger.employee
    cols = ledger.columns
    header = ["項目", *[f"{c.label}\n{c.pay_date:%Y-%m-%d}" for c in cols], "年計"]
    period_row = [
        "賃金計算期間",
        *[f"{c.period_start}\n〜{c.period_end}" if c.period_start else "" for c in cols],
        "",
    ]
    rows: list[list[str]] = [period_row]
    bold: list[int] = []
    for r in ledger.rows:
        if r.bold:
            bold.append(len(rows))
        rows.append([r.label, *r.texts, r.total_text])
    usable = 273 * mm
    first = 34 * mm
    n = len(cols) + 1
    widths = [first, *[(usable - first) / n] * n]
    lines = [
        company.name,
        f"{ledger.year}年  社員番号 {e.number}  氏名 {e.family_name} {e.given_name}  性別 {ledger.gender_label}",
        "労働基準法108条・同施行規則54条1項 / 時間数は 時:分 / 金額は円 / "
        f"作成日 {timezone.localdate():%Y-%m-%d}",
    ]
    return table_pdf(
        title="賃金台帳",
        subtitle_lines=lines,
        header=header,
        rows=rows,
        numeric_columns=tuple(range(1, n + 1)),
        bold_rows=bold,
        col_widths=widths,
        landscape_page=True,
    )
