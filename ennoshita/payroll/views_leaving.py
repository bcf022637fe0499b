"""Leavers' screens: 「退職者(異動届)」 for 人事・経理 — the leavers of a period with the figures of the
給与所得者異動届出書 (screen, CSV, Excel) — and the leaver's 給与所得の源泉徴収票 as a PDF, which its
own employee may download too (anyone else: 404)."""

from __future__ import annotations

import calendar
from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.web import membership_required, role_required

from .calculation_deductions import month_add
from .pdf_leaving import withholding_slip_pdf as render_slip_pdf
from .permissions import RUN_ROLES
from .selectors import leaving as selectors


def _date(request: HttpRequest, name: str, default: date) -> tuple[date, str]:
    """A date query parameter (YYYY-MM-DD), or ``default`` with a message when it is not a date."""
    text = request.GET.get(name, "").strip()
    if not text:
        return default, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return default, f"{text} は日付(YYYY-MM-DD)ではありません。"


def default_period(today: date) -> tuple[date, date]:
    """Last month's first day to this month's last day: the 異動届 of last month's leavers is due
    by the 10th of this month (地方税法321条の7)."""
    start = month_add(today.replace(day=1), -1)
    end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return start, end


@role_required(*RUN_ROLES)
def leavers(request: HttpRequest) -> HttpResponse:
    """退職者と給与所得者異動届出書の数字: ?start=&end= (退職日), ?q=, ?format=csv|xlsx."""
    first, last = default_period(timezone.localdate())
    start, start_error = _date(request, "start", first)
    end, end_error = _date(request, "end", last)
    errors = [e for e in (start_error, end_error) if e]
    if start > end:
        errors.append("開始日が終了日より後になっています。")
        start, end = end, start
    q = request.GET.get("q", "")[:100]
    data = selectors.leavers(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        start=start,
        end=end,
        q=q,
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.leaver_rows(data), name=f"leavers-{start:%Y%m%d}-{end:%Y%m%d}", title="異動届"
        )
    return render(
        request,
        "payroll/leaving/leavers.html",
        {"data": data, "start": start, "end": end, "q": q, "errors": errors},
    )


@membership_required
def withholding_slip(request: HttpRequest, employee_id: int) -> HttpResponse:
    """The leaver's 給与所得の源泉徴収票 (PDF) of ``?year=`` (the year of the 退職日): 人事・経理・admin
    any leaver, the employee their own."""
    raw = request.GET.get("year", "")
    asked = int(raw) if raw.isdigit() and len(raw) == 4 else None
    year = selectors.slip_year(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        employee_id=employee_id,
        year=asked,
    )
    if year is None:
        return HttpResponseBadRequest(_("この社員には退職日がないため、退職時の源泉徴収票はありません。"))
    slip = selectors.withholding_slip(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        employee_id=employee_id,
        year=year,
    )
    response = HttpResponse(render_slip_pdf(slip=slip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gensen-{slip.number}-{year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
