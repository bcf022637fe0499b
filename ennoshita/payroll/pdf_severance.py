"""退職所得の源泉徴収票・特別徴収票 (所得税法226条2項・所得税法施行規則別表第六(一), 地方税法
50条の7・328条の14) as an A4 PDF in Japanese, with the project's font (core.pdf). Three copies on
three pages, as the paper form has them: 税務署提出用 (every resident recipient from 2026,
jp-rules §17.5), 市町村提出用 and 受給者交付用.

The form's rows (区分): 所得税法201条1項1号 (with the 退職所得の受給に関する申告書, no earlier
退職手当等), 201条1項2号 (with the 申告書 and earlier 退職手当等 in the year: not computed here, so
left empty) and 201条3項 (without the 申告書); 住民税 by 地方税法50条の6・328条の6 in the same row.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ennoshita.core.dates import to_wareki, wareki_year
from ennoshita.core.models import Company

from .models import RunStatus, SeverancePay
from .rules.retirement import KIND_LABELS, MAN, payment_kind, service_years

GRID = colors.HexColor("#9aa5b1")
HEAD = colors.HexColor("#eef1f4")
COPIES = ("税務署提出用", "市町村提出用", "受給者交付用")
ROW_1 = "所得税法第201条第1項第1号並びに地方税法第50条の6第1項第1号及び第328条の6第1項第1号適用分"
ROW_2 = "所得税法第201条第1項第2号並びに地方税法第50条の6第1項第2号及び第328条の6第1項第2号適用分"
ROW_3 = "所得税法第201条第3項並びに地方税法第50条の6第2項及び第328条の6第2項適用分"


def _yen(value: Any) -> str:
    return f"{int(value):,}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def certificate_file_name(row: SeverancePay) -> str:
    return f"taishoku-gensen-{row.employee.number}-{row.paid_on:%Y%m%d}-{row.pk}.pdf"


def _rows(row: SeverancePay) -> list[list[str]]:
    """The 区分 rows: the payment's figures on its row, the others empty."""
    figures = [_yen(row.amount), _yen(row.income_tax), _yen(row.city_tax), _yen(row.prefecture_tax)]
    empty = ["", "", "", ""]
    with_declaration = row.declaration_submitted
    return [
        [ROW_1, *(figures if with_declaration else empty)],
        [ROW_2, *empty],
        [ROW_3, *(empty if with_declaration else figures)],
    ]


def _copy(company: Company, row: SeverancePay, copy: str, font: str, width: float) -> list[Any]:
    e = row.employee
    small = ParagraphStyle("s", fontName=font, fontSize=7, leading=9)
    text = ParagraphStyle("t", fontName=font, fontSize=9, leading=12)
    title = ParagraphStyle("h", fontName=font, fontSize=13, leading=17)

    def p(value: str, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(_escape(value), style)

    heading = f"{wareki_year(row.paid_on)}分 退職所得の源泉徴収票・特別徴収票"
    if row.status != RunStatus.CONFIRMED:
        heading += "(下書き)"
    address = " ".join(x for x in (f"〒{e.postal_code}" if e.postal_code else "", e.address) if x)
    person = Table(
        [
            [p("支払を受ける者"), p("住所又は居所"), p(address or "—", text)],
            ["", p(f"{row.paid_on.year}年1月1日の住所(市区町村)"), p(row.municipality_name or "—", text)],
            [
                "",
                p("氏名"),
                p(f"{e.family_name} {e.given_name}({e.family_name_kana} {e.given_name_kana})", text),
            ],
        ],
        colWidths=[24 * mm, 40 * mm, width - 64 * mm],
    )
    amounts = Table(
        [
            [
                p("区分"),
                p("支払金額"),
                p("源泉徴収税額"),
                p("特別徴収税額 市町村民税"),
                p("特別徴収税額 道府県民税"),
            ],
            *[[p(r[0]), *r[1:]] for r in _rows(row)],
        ],
        colWidths=[width - 4 * 28 * mm, 28 * mm, 28 * mm, 28 * mm, 28 * mm],
    )
    deduction_man = int(row.deduction) // MAN
    facts = Table(
        [
            [p("退職所得控除額"), p("勤続年数"), p("就職年月日"), p("退職年月日")],
            [
                f"{deduction_man:,}万円",
                f"{row.service_years}年",
                to_wareki(row.service_from),
                to_wareki(row.service_to),
            ],
        ],
        colWidths=[width / 4] * 4,
    )
    notes = [
        KIND_LABELS.get(_kind(row), ""),
        f"課税退職所得金額 {_yen(row.taxable_income)}円",
        f"支払日 {to_wareki(row.paid_on)}",
    ]
    if row.officer_from:
        notes.append(f"役員等に就任 {to_wareki(row.officer_from)}")
    if row.disability:
        notes.append("障害者になったことに基因する退職")
    if not row.declaration_submitted:
        notes.append("退職所得の受給に関する申告書の提出なし")
    payer_address = " ".join(x for x in (company.address, company.address2) if x)
    payer = Table(
        [
            [p("支払者"), p("住所(居所)又は所在地"), p(payer_address or "—", text)],
            ["", p("氏名又は名称"), p(company.name, text)],
            ["", p("法人番号"), p(company.corporate_number or "—", text)],
            ["", p("電話"), p(company.phone or "—", text)],
        ],
        colWidths=[24 * mm, 40 * mm, width - 64 * mm],
    )
    base: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    side = [*base, ("SPAN", (0, 0), (0, -1)), ("BACKGROUND", (0, 0), (1, -1), HEAD)]
    person.setStyle(TableStyle(side))
    payer.setStyle(TableStyle(side))
    amounts.setStyle(
        TableStyle([*base, ("BACKGROUND", (0, 0), (-1, 0), HEAD), ("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    )
    facts.setStyle(
        TableStyle([*base, ("BACKGROUND", (0, 0), (-1, 0), HEAD), ("ALIGN", (0, 1), (-1, 1), "CENTER")])
    )
    return [
        Paragraph(_escape(heading), title),
        Paragraph(_escape(f"({copy})"), text),
        Spacer(1, 3 * mm),
        person,
        Spacer(1, 3 * mm),
        amounts,
        Spacer(1, 1 * mm),
        Paragraph(_escape("金額の単位は円"), small),
        Spacer(1, 3 * mm),
        facts,
        Spacer(1, 3 * mm),
        Paragraph(_escape("(摘要) " + " / ".join(n for n in notes if n)), text),
        Spacer(1, 3 * mm),
        payer,
        Spacer(1, 3 * mm),
        Paragraph(_escape(f"作成日 {timezone.localdate():%Y-%m-%d}"), small),
    ]


def _kind(row: SeverancePay) -> str:
    officer_years = (
        service_years(service_from=row.officer_from, service_to=row.service_to) if row.officer_from else None
    )
    return payment_kind(years=max(row.service_years, 1), officer_years=officer_years)


def severance_pdf(*, company: Company, severance: SeverancePay) -> bytes:
    from ennoshita.core.pdf import japanese_font

    font = japanese_font()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"退職所得の源泉徴収票 {severance.employee.family_name} {severance.employee.given_name}",
    )
    width = A4[0] - 30 * mm
    story: list[Any] = []
    for i, copy in enumerate(COPIES):
        if i:
            story.append(PageBreak())
        story += _copy(company, severance, copy, font, width)
    doc.build(story)
    return out.getvalue()
