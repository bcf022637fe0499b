"""社員一覧の出力: the filtered list as CSV (UTF-8 with BOM, or Shift_JIS) or as an Excel book.

The columns are those of the import (so an exported file can be edited and imported into another
company) plus 部署名 and 役職名 for people to read, which the import skips.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ennoshita.core.csvio import SJIS, defuse, encode_csv

from .importing import COLUMNS
from .models import AccountType, Employee, Gender

_GENDERS = dict(Gender.choices)
_ACCOUNT_TYPES = dict(AccountType.choices)


def _value(e: Employee, *, key: str) -> Any:
    if key == "employment_type":
        return e.employment_type.name
    if key == "department":
        return getattr(e, "dept_code", None) or ""
    if key == "position":
        return getattr(e, "position_code", None) or ""
    if key == "gender":
        return str(_GENDERS.get(e.gender, e.gender))
    if key == "bank_account_type":
        return str(_ACCOUNT_TYPES.get(e.bank_account_type, "")) if e.bank_account_type else ""
    value = getattr(e, key)
    return "" if value is None else value


def _columns() -> list[tuple[str, Callable[[Employee], Any]]]:
    out: list[tuple[str, Callable[[Employee], Any]]] = []
    for c in COLUMNS:
        out.append((c.label, partial(_value, key=c.key)))
        if c.key == "department":
            out.append(("部署名", lambda e: getattr(e, "dept_name", None) or ""))
        if c.key == "position":
            out.append(("役職名", lambda e: getattr(e, "position_name", None) or ""))
    return out


EXPORT_COLUMNS = _columns()
EXPORT_HEADER = [label for label, _get in EXPORT_COLUMNS]


def employee_rows(employees: Iterable[Employee]) -> Iterator[list[Any]]:
    """Header, then one row per employee (dates as ``date``; the writers format them)."""
    yield list(EXPORT_HEADER)
    for e in employees:
        yield [get(e) for _label, get in EXPORT_COLUMNS]


def to_csv(employees: Iterable[Employee], *, encoding: str = "utf-8-sig", replace: bool = False) -> bytes:
    """CSV bytes. With ``encoding="cp932"`` (Shift_JIS), characters it cannot hold raise
    ``core.csvio.UnencodableError`` listing every cell, unless ``replace`` asks for 〓 instead."""
    rows = (
        [defuse(v.isoformat() if isinstance(v, date) else v) for v in row] for row in employee_rows(employees)
    )
    return encode_csv(rows, encoding=SJIS if encoding == SJIS else "utf-8-sig", replace=replace)


def to_xlsx(employees: Iterable[Employee], *, title: str = "社員一覧") -> bytes:
    """An Excel book (.xlsx) with one sheet; dates are real dates, text is never read as a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    widths = [max(8, len(label) * 2 + 2) for label in EXPORT_HEADER]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    bold = Font(bold=True)
    sheet.freeze_panes = "A2"
    for n, row in enumerate(employee_rows(employees)):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" stays text: an employee's name must never run as a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy/mm/dd"
            if n == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
