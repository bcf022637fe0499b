"""Excel books (.xlsx) written in openpyxl's write-only mode: numbers stay numbers, dates stay
dates, and text is always stored as text, so a cell such as "=HYPERLINK(…)" is never a formula."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

YEN_FORMAT = "#,##0;△#,##0"


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, Decimal):
        # whole yen as int (exact); anything with a fraction keeps its Decimal digits
        value = int(value) if value == value.to_integral_value() else value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        cell.number_format = YEN_FORMAT
    elif isinstance(value, (date, datetime)):
        cell.number_format = "yyyy/mm/dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_book(
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    header_rows: Sequence[Sequence[Any]] = (),
    widths: Sequence[int] = (),
    bold_rows: Iterable[int] = (),
) -> bytes:
    """One sheet: ``header_rows`` (title lines, bold), then ``rows``; the first of ``rows`` is the
    column header (bold, frozen). ``bold_rows``: indexes into ``rows`` to set in bold (totals)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or "Sheet")[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{len(header_rows) + 2}"
    bold = set(bold_rows)
    for row in header_rows:
        sheet.append([_cell(sheet, v, bold=True) for v in row])
    for n, row in enumerate(rows):
        sheet.append([_cell(sheet, v, bold=n == 0 or n in bold) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
