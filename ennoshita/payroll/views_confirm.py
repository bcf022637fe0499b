"""Screens of 給与 — confirm (issue 9): confirming a run (a page with the totals, the journal lines
and what blocks it; the button posts), the transfer preview and the file, and the payments of
what was withheld (源泉所得税・住民税) with CSV/Excel."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import role_required

from .models import RunStatus
from .permissions import CONFIRM_ROLES, RUN_ROLES
from .selectors import confirm as selectors
from .services import confirm as services


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _error_text(exc: ServiceError) -> str:
    texts = [m for ms in exc.field_errors.values() for m in ms]
    return " ".join([exc.message, *dict.fromkeys(texts)])


def _detail_url(pk: int) -> str:
    """The run's page of the runs part, when it is there."""
    try:
        return reverse("payroll:run_detail", args=[pk])
    except NoReverseMatch:
        return ""


@role_required(*CONFIRM_ROLES)
@require_http_methods(["GET", "POST"])
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """確定: GET shows what will be posted and paid and what blocks it; POST confirms."""
    run = selectors.get_run(**_read(request), run_id=pk)
    if request.method == "POST":
        try:
            run = services.confirm_run(**_ctx(request), run=run)
        except ServiceError as exc:
            messages.error(request, _error_text(exc))
            return redirect("payroll:run_confirm", run.pk)
        messages.success(
            request,
            _(
                "%(label)s を確定しました。仕訳を記帳し、給与明細を公開しました。振込データをダウンロードして銀行に送ってください。"
            )
            % {"label": selectors.run_label(run)},
        )
        return redirect("payroll:run_transfer", run.pk)
    summary = selectors.confirm_summary(**_read(request), run=run)
    return render(
        request,
        "payroll/confirm/confirm.html",
        {"run": run, "s": summary, "label": selectors.run_label(run), "detail_url": _detail_url(run.pk)},
    )


@role_required(*RUN_ROLES)
def run_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfers of a run: bank, branch, account, holder, amount; the totals; the download."""
    run = selectors.get_run(**_read(request), run_id=pk)
    preview = selectors.transfer_preview(**_read(request), run=run)
    return render(
        request,
        "payroll/confirm/transfer.html",
        {
            "run": run,
            "p": preview,
            "label": selectors.run_label(run),
            "detail_url": _detail_url(run.pk),
            "can_confirm": run.status == RunStatus.DRAFT and request.membership.has_any_role(*CONFIRM_ROLES),  # type: ignore[attr-defined]
        },
    )


@role_required(*CONFIRM_ROLES)
def run_transfer_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The 全銀 給与振込 file of a confirmed run as filed (CP932, 120 bytes + CR LF a record)."""
    run = selectors.get_run(**_read(request), run_id=pk)
    try:
        name, data = selectors.transfer_file(**_read(request), run=run)
    except ServiceError as exc:
        if exc.status != 400:
            raise
        messages.error(request, exc.message)
        return redirect("payroll:run_transfer", run.pk)
    response = HttpResponse(data, content_type="text/plain; charset=Shift_JIS")
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if text.isdigit() and 2000 <= int(text) <= this_year + 1:
        return int(text)
    return this_year


@role_required(*RUN_ROLES)
def withheld_taxes(request: HttpRequest) -> HttpResponse:
    """源泉所得税 (per month, or per half-year under the 納期の特例) and 住民税 per municipality, each
    with its 納期限; ?year=, ?format=csv|xlsx."""
    year = _year(request)
    data = selectors.withheld_taxes(**_read(request), year=year)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request,
            selectors.withheld_rows(data),
            name=f"withheld-{year}",
            title=_("源泉所得税・住民税の納付"),
        )
    this_year = timezone.localdate().year
    return render(
        request,
        "payroll/confirm/withheld.html",
        {"data": data, "year": year, "years": list(range(this_year + 1, this_year - 7, -1))},
    )
