"""Tables as A4 PDFs with ReportLab, in Japanese.

The font: IPA Gothic embedded as a TrueType font when its file is found (the same on every
reader, for documents that are kept), otherwise ReportLab's built-in CID font HeiseiKakuGo-W5
(not embedded: the reader supplies it). ``ENNOSHITA_PDF_FONT`` in the settings may name a .ttf.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/ipa-gothic/ipag.ttf",
)
CID_FONT = "HeiseiKakuGo-W5"
logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def japanese_font() -> str:
    """The name of the registered Japanese font (IPAGothic embedded, or the CID fallback)."""
    configured = getattr(settings, "ENNOSHITA_PDF_FONT", "")
    for path in (configured, *FONT_CANDIDATES):
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("IPAGothic", path))
            except Exception:
                logger.warning("cannot use the font file %s for PDFs", path, exc_info=True)
                continue
            return "IPAGothic"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table_pdf(
    *,
    title: str,
    subtitle_lines: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric_columns: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    col_widths: Sequence[float] | None = None,
    landscape_page: bool = False,
) -> bytes:
    """An A4 PDF: title, the lines under it (period, company), a table whose header repeats on each
    page, and 「n / m ページ」 at the foot. Cells are text already formatted by the caller."""
    font = japanese_font()
    pagesize = landscape(A4) if landscape_page else A4
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
    )
    title_style = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, spaceAfter=4)
    sub_style = ParagraphStyle("sub", fontName=font, fontSize=9, leading=12)
    story: list[Any] = [Paragraph(_escape(title), title_style)]
    story += [Paragraph(_escape(s), sub_style) for s in subtitle_lines]
    story.append(Spacer(1, 4 * mm))
    data = [list(header), *[["" if v is None else str(v) for v in row] for row in rows]]
    table = Table(data, colWidths=col_widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d6dc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for col in numeric_columns:
        style.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
    for r in bold_rows:
        style.append(("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#f5f7f9")))
    table.setStyle(TableStyle(style))
    story.append(table)

    doc.build(story, canvasmaker=_numbered_canvas(font, pagesize))
    return out.getvalue()


def _numbered_canvas(font: str, pagesize: tuple[float, float]) -> type[Canvas]:
    """A canvas that writes 「n / m ページ」 on every page once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.drawRightString(pagesize[0] - 12 * mm, 8 * mm, f"{self._pageNumber} / {total} ページ")
                super().showPage()
            super().save()

    return NumberedCanvas
