"""The label sheet of 備品: A4, 3 columns × 8 rows (70 × 37 mm labels, the common 24-label sheet),
each label the asset number as a QR code and as a Code 128 barcode, with the number and the name
in text. The Japanese font comes from ``core.pdf`` (IPA Gothic embedded when installed)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ennoshita.core.pdf import japanese_font

from .models import Equipment

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
PAGE_W, PAGE_H = A4
MARGIN_X = (PAGE_W - COLUMNS * LABEL_W) / 2
MARGIN_Y = (PAGE_H - ROWS * LABEL_H) / 2
PAD = 2.5 * mm
QR_SIZE = 22 * mm


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text cut (with …) so that it fits the width."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _qr(canvas: Canvas, value: str, x: float, y: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    w, h = x1 - x0, y1 - y0
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / w, 0, 0, QR_SIZE / h, 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _barcode(canvas: Canvas, value: str, x: float, y: float, width: float) -> None:
    bar_width = 0.3 * mm
    barcode = code128.Code128(value, barWidth=bar_width, barHeight=8 * mm, humanReadable=False, quiet=False)
    if barcode.width > width:
        bar_width = bar_width * width / barcode.width
        barcode = code128.Code128(
            value, barWidth=bar_width, barHeight=8 * mm, humanReadable=False, quiet=False
        )
    barcode.drawOn(canvas, x, y)


def _label(canvas: Canvas, item: Equipment, x: float, y: float, font: str, company_name: str) -> None:
    canvas.setStrokeColor(colors.HexColor("#d0d6dc"))
    canvas.setLineWidth(0.25)
    canvas.rect(x, y, LABEL_W, LABEL_H, stroke=1, fill=0)
    _qr(canvas, item.asset_number, x + PAD, y + LABEL_H - PAD - QR_SIZE)
    text_x = x + PAD + QR_SIZE + 2 * mm
    text_w = LABEL_W - (text_x - x) - PAD
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 10)
    canvas.drawString(text_x, y + LABEL_H - PAD - 4 * mm, _fit(item.asset_number, font, 10, text_w))
    canvas.setFont(font, 7.5)
    canvas.drawString(text_x, y + LABEL_H - PAD - 9 * mm, _fit(item.name, font, 7.5, text_w))
    canvas.drawString(text_x, y + LABEL_H - PAD - 13 * mm, _fit(item.category.name, font, 7.5, text_w))
    if company_name:
        canvas.setFont(font, 6)
        canvas.drawString(text_x, y + LABEL_H - PAD - 17.5 * mm, _fit(company_name, font, 6, text_w))
    _barcode(canvas, item.asset_number, x + PAD, y + PAD, LABEL_W - 2 * PAD)


def label_sheet(items: Sequence[Equipment], *, title: str = "備品ラベル") -> bytes:
    """The labels of ``items`` in their order, 24 to a page (an empty page says so)."""
    font = japanese_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(title)
    if not items:
        canvas.setFont(font, 12)
        canvas.drawString(MARGIN_X, PAGE_H - 30 * mm, "ラベルにする備品がありません。")
    per_page = COLUMNS * ROWS
    company_name = items[0].company.name if items else ""  # one company's items: read once
    for index, item in enumerate(items):
        slot = index % per_page
        if slot == 0 and index:
            canvas.showPage()
        row, col = divmod(slot, COLUMNS)
        x = MARGIN_X + col * LABEL_W
        y = PAGE_H - MARGIN_Y - (row + 1) * LABEL_H
        _label(canvas, item, x, y, font, company_name)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
