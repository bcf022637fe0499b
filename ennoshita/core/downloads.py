"""A list screen's rows as a download: Excel with ?format=xlsx, else CSV in UTF-8 with a BOM (which
Excel opens as Japanese). Cells are defused against spreadsheet formula injection."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import xlsx
from .csvio import defuse, encode_csv

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(request: HttpRequest, rows: Iterable[list[Any]], *, name: str, title: str) -> HttpResponse:
    """``name``-YYYYMMDD.csv or .xlsx (``title`` names the sheet)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(xlsx.write_book(rows, title=title), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
        return response
    cells = ([defuse(v.isoformat() if hasattr(v, "isoformat") else v) for v in row] for row in rows)
    response = HttpResponse(
        encode_csv(cells, encoding="utf-8-sig", replace=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
