"""給与所得の源泉徴収票 of a leaver as an A4 PDF in Japanese (ReportLab, core.pdf.japanese_font: IPA
Gothic embedded when installed, else the CID font), laid out after the NTA form's boxes.

This is the 受給者交付用 (the copy given to the employee, 所得税法226条1項): since the 平成27年
amendment of 所得税法施行規則93条 the copy given to the employee carries no 個人番号, nor the payer's
法人番号 (they are printed on the 税務署提出用 only). No 年末調整 is made
for someone who left during the year (jp-rules §19.4), so 給与所得控除後の金額, 所得控除の額の合計額
and the deduction boxes stay blank, and the 摘要 says why.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ennoshita.core.dates import era_of
from ennoshita.core.pdf import japanese_font

from .selectors.leaving import WithholdingSlip

GRID = colors.HexColor("#6b7785")
HEAD = colors.HexColor("#eef1f4")


def _yen(value: int) -> str:
    return f"{value:,}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wareki_parts(day: date | None) -> tuple[str, str, str, str]:
    """(元号, 年, 月, 日) as the form's boxes want them; blanks without a date."""
    if day is None:
        return ("", "", "", "")
    era, year = era_of(day)
    return (era.name, "元" if year == 1 else str(year), str(day.month), str(day.day))


def withholding_slip_pdf(*, slip: WithholdingSlip) -> bytes:
    """One A4 page: the 源泉徴収票's boxes with the leaver's figures."""
    font = japanese_font()
    out = io.BytesIO()
    era, era_year, _m, _d = _wareki_parts(date(slip.year, 12, 31))
    title = f"{era}{era_year}年分 給与所得の源泉徴収票"
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{title} {slip.name}",
    )
    width = A4[0] - 30 * mm
    title_style = ParagraphStyle("t", fontName=font, fontSize=15, leading=20, alignment=1, spaceAfter=6)
    small = ParagraphStyle("s", fontName=font, fontSize=8, leading=11)
    cell = ParagraphStyle("c", fontName=font, fontSize=9, leading=12)

    def table(data: list[list[Any]], widths: list[float], heads: list[tuple[int, int, int, int]]) -> Table:
        t = Table(data, colWidths=widths)
        style: list[Any] = [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("LEADING", (0, 0), (-1, -1), 12),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BOX", (0, 0), (-1, -1), 1, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for c0, r0, c1, r1 in heads:
            style += [("BACKGROUND", (c0, r0), (c1, r1), HEAD), ("ALIGN", (c0, r0), (c1, r1), "CENTER")]
        t.setStyle(TableStyle(style))
        return t

    address = f"〒{slip.postal_code} {slip.address}" if slip.postal_code else slip.address
    recipient = table(
        [
            [
                "支払を受ける者",
                "住所又は居所",
                Paragraph(_escape(address or "(未登録)"), cell),
                "受給者番号",
                slip.number,
            ],
            ["", "氏名", Paragraph(f"{_escape(slip.name_kana)}<br/>{_escape(slip.name)}", cell), "", ""],
        ],
        [24 * mm, 24 * mm, width - 24 * mm * 2 - 22 * mm - 26 * mm, 22 * mm, 26 * mm],
        [(0, 0, 1, 1), (3, 0, 3, 0)],
    )
    recipient.setStyle(TableStyle([("SPAN", (0, 0), (0, 1)), ("SPAN", (2, 1), (4, 1))]))
    col = width / 5
    amounts = table(
        [
            [
                "種別",
                "支払金額",
                "給与所得控除後の金額\n(調整控除後)",
                "所得控除の額の合計額",
                "源泉徴収税額",
            ],
            ["給料・賞与", _yen(slip.paid), "", "", _yen(slip.income_tax)],
        ],
        [col] * 5,
        [(0, 0, 4, 0)],
    )
    amounts.setStyle(TableStyle([("ALIGN", (1, 1), (-1, 1), "RIGHT"), ("FONTSIZE", (2, 0), (2, 0), 7.5)]))
    col4 = width / 4
    deductions = table(
        [
            ["社会保険料等の金額", "生命保険料の控除額", "地震保険料の控除額", "住宅借入金等特別控除の額"],
            [_yen(slip.social_insurance), "", "", ""],
        ],
        [col4] * 4,
        [(0, 0, 3, 0)],
    )
    deductions.setStyle(TableStyle([("ALIGN", (0, 1), (-1, 1), "RIGHT")]))
    remarks = (
        f"年の中途で退職({slip.retire_date.year}年{slip.retire_date.month}月{slip.retire_date.day}日)"
        "したため年末調整をしていません。"
        f" 内訳: 給料 {_yen(slip.salary)}円、賞与 {_yen(slip.bonus)}円。"
    )
    remark_table = table(
        [["(摘要)", Paragraph(_escape(remarks), cell)]], [24 * mm, width - 24 * mm], [(0, 0, 0, 0)]
    )
    hired = slip.hired_in_year
    h_era, h_year, h_month, h_day = _wareki_parts(slip.hire_date if hired else None)
    r_era, r_year, r_month, r_day = _wareki_parts(slip.retire_date)
    b_era, b_year, b_month, b_day = _wareki_parts(slip.birth_date)
    moves = table(
        [
            [
                "中途就・退職",
                "就職",
                "退職",
                "元号",
                "年",
                "月",
                "日",
                "受給者生年月日",
                "元号",
                "年",
                "月",
                "日",
            ],
            [
                "就職",
                "○" if hired else "",
                "",
                h_era,
                h_year,
                h_month,
                h_day,
                "",
                b_era,
                b_year,
                b_month,
                b_day,
            ],
            ["退職", "", "○", r_era, r_year, r_month, r_day, "", "", "", "", ""],
        ],
        [22 * mm, 11 * mm, 11 * mm, 13 * mm, 10 * mm, 10 * mm, 10 * mm, 30 * mm]
        + [(width - 117 * mm) / 4] * 4,
        [(0, 0, 11, 0), (0, 1, 0, 2)],
    )
    moves.setStyle(
        TableStyle([("SPAN", (7, 1), (7, 2)), ("SPAN", (8, 1), (8, 2)), ("SPAN", (9, 1), (9, 2)),
                    ("SPAN", (10, 1), (10, 2)), ("SPAN", (11, 1), (11, 2)), ("ALIGN", (1, 1), (-1, -1), "CENTER")])
    )  # fmt: skip
    payer_address = (
        f"〒{slip.payer.postal_code} {slip.payer.address}" if slip.payer.postal_code else slip.payer.address
    )
    payer = table(
        [
            ["支払者", "住所(居所)\n又は所在地", Paragraph(_escape(payer_address or "(未登録)"), cell)],
            ["", "氏名又は名称", Paragraph(_escape(slip.payer.name), cell)],
        ],
        [24 * mm, 26 * mm, width - 50 * mm],
        [(0, 0, 1, 1)],
    )
    payer.setStyle(TableStyle([("SPAN", (0, 0), (0, 1)), ("FONTSIZE", (1, 0), (1, 0), 7.5)]))
    notes = [
        "受給者交付用のため、個人番号・法人番号は記載していません。",
        "支払金額は、その年に支払の確定した給料・賞与のうち課税されるもの(非課税の通勤手当を除く)の合計です。",
        f"単位: 円  作成日 {timezone.localdate():%Y-%m-%d}"
        + ("" if slip.final_pay_confirmed else "  ※最終給与が未確定のため、確定分だけの金額です。"),
    ]
    story: list[Any] = [
        Paragraph(_escape(title), title_style),
        recipient,
        Spacer(1, 3 * mm),
        amounts,
        Spacer(1, 3 * mm),
        deductions,
        Spacer(1, 3 * mm),
        remark_table,
        Spacer(1, 3 * mm),
        moves,
        Spacer(1, 3 * mm),
        payer,
        Spacer(1, 4 * mm),
        *[Paragraph(_escape(n), small) for n in notes],
    ]
    doc.build(story)
    return out.getvalue()
