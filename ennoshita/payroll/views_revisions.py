"""Screen of 給与 — 定時決定・随時改定: who needs a 算定基礎届 (?year=) and who a 月額変更届 (as of
today), with the months, the average and both grades; ?format=csv|xlsx downloads both lists (our
own table). People tick rows (or 「全員」) and record them as 標準報酬月額 (POST revisions/record/), and
download each 届出 as CSV in the 日本年金機構 form's layout (revisions/filing/?kind=annual|interim,
UTF-8 with BOM or ?encoding=sjis)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.csvio import SJIS, UnencodableError, defuse, encode_csv
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import role_required

from .permissions import RUN_ROLES, SETTINGS_ROLES
from .rules.revision import MIN_BASE_DAYS, PART_TIME_MIN_BASE_DAYS
from .selectors import revision_filings as filings
from .selectors import revisions as selectors
from .services import revisions as services
from .views_settings import _writer

FILING_NAMES = {"annual": "santei-kiso", "interim": "getsugaku-henko"}


def _year(text: str) -> int:
    this_year = timezone.localdate().year
    if text.isdigit() and 2000 <= int(text) <= this_year + 1:
        return int(text)
    return this_year


def _list_url(year: int, anchor: str = "") -> str:
    return reverse("payroll:revision_list") + f"?year={year}" + (f"#{anchor}" if anchor else "")


@role_required(*RUN_ROLES)
def revision_list(request: HttpRequest) -> HttpResponse:
    """定時決定 for ?year= (April–June pay, from September) and 随時改定 as of today."""
    read = {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]
    year = _year(request.GET.get("year", ""))
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
            "annual_recordable": any(r.recordable for r in annual),
            "interim_recordable": any(r.recordable for r in interim),
            "min_days": MIN_BASE_DAYS,
            "part_time_min_days": PART_TIME_MIN_BASE_DAYS,
        },
    )


@require_POST
@role_required(*SETTINGS_ROLES)
def revision_record(request: HttpRequest) -> HttpResponse:
    """「標準報酬月額に登録する」: the ticked rows of one list (kind), or 「全員」 (all=1) of it."""
    kind = request.POST.get("kind", "")
    year = _year(request.POST.get("year", ""))
    anchor = "interim" if kind == "interim" else "annual"
    ids = [int(v) for v in request.POST.getlist("employee") if v.isdigit() and len(v) <= 10]
    read = {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]
    if request.POST.get("all") == "1" and kind in services.KINDS:
        rows = (
            selectors.annual_list(**read, year=year)
            if kind == "annual"
            else selectors.interim_list(**read, as_of=timezone.localdate())
        )
        ids = [r.employee_id for r in rows if r.recordable]
    try:
        result = services.record_revisions(
            **_writer(request),
            kind=kind,
            employee_ids=ids,
            year=year if kind == "annual" else None,
            as_of=timezone.localdate() if kind == "interim" else None,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        for problems in exc.field_errors.values():
            for problem in problems:
                if problem != exc.message:
                    messages.error(request, problem)
        return redirect(_list_url(year, anchor))
    if result.created:
        messages.success(request, _("%(n)d人の標準報酬月額を登録しました。") % {"n": len(result.created)})
    if result.skipped:
        messages.info(
            request,
            _("%(n)d人は登録済みのため、そのままにしました: %(names)s")
            % {
                "n": len(result.skipped),
                "names": "、".join(f"{r.employee_number} {r.employee_name}" for r in result.skipped),
            },
        )
    return redirect(_list_url(year, anchor))


@role_required(*RUN_ROLES)
def revision_filing(request: HttpRequest) -> HttpResponse:
    """?kind=annual (算定基礎届, ?year=) or interim (月額変更届, as of today) as CSV in the form's
    layout: UTF-8 with BOM, or Shift_JIS with ?encoding=sjis (?replace=1 writes 〓 for a character
    Shift_JIS cannot hold; otherwise such characters are listed and nothing is downloaded)."""
    read = {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]
    kind = request.GET.get("kind", "annual")
    if kind not in FILING_NAMES:
        kind = "annual"
    year = _year(request.GET.get("year", ""))
    today = timezone.localdate()
    rows = (
        selectors.annual_list(**read, year=year)
        if kind == "annual"
        else selectors.interim_list(**read, as_of=today)
    )
    sjis = request.GET.get("encoding") == "sjis"
    cells = ([defuse(v) for v in line] for line in filings.filing_rows(kind, rows))
    try:
        body = encode_csv(
            cells, encoding=SJIS if sjis else "utf-8-sig", replace=request.GET.get("replace") == "1"
        )
    except UnencodableError as exc:
        messages.error(request, exc.message)
        for p in exc.problems[:20]:
            messages.error(
                request,
                _("%(line)d行目「%(column)s」: %(chars)s")
                % {"line": p.line, "column": p.column, "chars": p.chars},
            )
        return redirect(_list_url(year, kind))
    stamp = f"{year}" if kind == "annual" else today.strftime("%Y%m%d")
    suffix = "-sjis" if sjis else ""
    response = HttpResponse(body, content_type=f"text/csv; charset={'shift_jis' if sjis else 'utf-8'}")
    response["Content-Disposition"] = f'attachment; filename="{FILING_NAMES[kind]}-{stamp}{suffix}.csv"'
    return response
