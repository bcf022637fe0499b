"""Screen of 給与 — 定時決定・随時改定: who needs a 算定基礎届 (?year=) and who a 月額変更届 (as of
today), with the months, the average and both grades; ?format=csv|xlsx downloads both lists."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.web import role_required

from .permissions import RUN_ROLES
from .rules.revision import MIN_BASE_DAYS, PART_TIME_MIN_BASE_DAYS
from .selectors import revisions as selectors


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if text.isdigit() and 2000 <= int(text) <= this_year + 1:
        return int(text)
    return this_year


@role_required(*RUN_ROLES)
def revision_list(request: HttpRequest) -> HttpResponse:
    """定時決定 for ?year= (April–June pay, from September) and 随時改定 as of today."""
    read = {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]
    year = _year(request)
    today = timezone.localdate()
    annual = selectors.annual_list(**read, year=year)
    interim = selectors.interim_list(**read, as_of=today)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request,
            selectors.csv_rows(annual=annual, interim=interim),
            name=f"revisions-{year}",
            title=_("定時決定・随時改定"),
        )
    this_year = today.year
    return render(
        request,
        "payroll/revisions/list.html",
        {
            "year": year,
            "years": list(range(this_year + 1, this_year - 7, -1)),
            "today": today,
            "annual": annual,
            "interim": interim,
            "min_days": MIN_BASE_DAYS,
            "part_time_min_days": PART_TIME_MIN_BASE_DAYS,
        },
    )
