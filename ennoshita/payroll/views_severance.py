"""退職金 screens (人事・経理・admin): the list (search, year, status; CSV and Excel), a new payment
and its edit form (computed on save), one payment with each step of its calculation and the rule
it applies, compute again, discard, confirm (経理・admin), the 退職所得の源泉徴収票 PDF, and a
simulator of the same calculation (nothing stored)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from .forms_severance import DiscardForm, SeveranceFilterForm, SeveranceForm, SeveranceSimulatorForm
from .models import RunStatus, SeverancePay
from .pdf_severance import certificate_file_name, severance_pdf
from .permissions import CONFIRM_ROLES, RUN_ROLES
from .rules import retirement
from .selectors import severance as selectors
from .services import severance as services

LIST_PAGE = 50


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _filtered(request: HttpRequest) -> tuple[SeveranceFilterForm, Any]:
    company = request.company  # type: ignore[attr-defined]
    form = SeveranceFilterForm(request.GET or None, years=selectors.severance_years(company=company))
    q, year, status = "", None, ""
    if form.is_valid():
        q = form.cleaned_data.get("q") or ""
        year = form.cleaned_data.get("year")
        status = form.cleaned_data.get("status") or ""
    return form, selectors.severance_list(**_read(request), q=q, year=year, status=status)


@role_required(*RUN_ROLES)
def severance_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(request, export_rows(qs), name="severance", title="退職金")
    page = Paginator(qs, LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "payroll/severance/list.html",
        {"form": form, "page": page, "rows": page.object_list, "query": _query(request)},
    )


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


EXPORT_HEAD = [
    "社員番号", "氏名", "支払日", "状態", "退職手当等の額", "勤続の起算日", "退職日", "勤続年数",
    "役員等に就任した日", "障害者になったことによる退職", "申告書の提出", "退職所得控除額",
    "課税退職所得金額", "源泉徴収税額", "市町村民税", "道府県民税", "差引支給額", "市区町村コード",
    "市区町村", "備考",
]  # fmt: skip


def export_rows(qs: Any) -> Any:
    statuses = dict(RunStatus.choices)
    yield EXPORT_HEAD
    for r in qs.iterator(chunk_size=2000):
        e = r.employee
        yield [
            e.number, f"{e.family_name} {e.given_name}", r.paid_on, str(statuses.get(r.status, r.status)),
            int(r.amount), r.service_from, r.service_to, r.service_years, r.officer_from or "",
            "あり" if r.disability else "", "あり" if r.declaration_submitted else "なし", int(r.deduction),
            int(r.taxable_income), int(r.income_tax), int(r.city_tax), int(r.prefecture_tax), int(r.net),
            r.municipality_code, r.municipality_name, r.note,
        ]  # fmt: skip


def _inputs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "employee": data["employee"],
        "paid_on": data["paid_on"],
        "amount": data["amount"],
        "service_from": data.get("service_from"),
        "service_to": data.get("service_to"),
        "officer_from": data.get("officer_from"),
        "disability": bool(data.get("disability")),
        "declaration": bool(data.get("declaration")),
        "municipality_code": data.get("municipality_code") or "",
        "municipality_name": data.get("municipality_name") or "",
        "note": data.get("note") or "",
    }


@role_required(*RUN_ROLES)
def severance_new(request: HttpRequest) -> HttpResponseBase:
    company = request.company  # type: ignore[attr-defined]
    employees = selectors.employee_choices(company=company)
    if request.method != "POST":
        initial: dict[str, Any] = {"declaration": True}
        wanted = request.GET.get("employee", "")
        if wanted.isdigit():
            initial["employee"] = employees.filter(pk=int(wanted)).first()
        form = SeveranceForm(initial=initial, employees=employees)
        return render(request, "payroll/severance/form.html", {"form": form, "row": None})
    form = SeveranceForm(request.POST, employees=employees)
    if form.is_valid():
        try:
            row = services.create_severance(**_ctx(request), **_inputs(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("退職金を計算しました(下書き)。"))
            return redirect("payroll:severance_detail", pk=row.pk)
    return render(request, "payroll/severance/form.html", {"form": form, "row": None}, status=400)


@role_required(*RUN_ROLES)
def severance_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    company = request.company  # type: ignore[attr-defined]
    row = selectors.get_severance(**_read(request), severance_id=pk)
    if row.status != RunStatus.DRAFT:
        messages.error(request, _("確定・破棄した退職金は変更できません。"))
        return redirect("payroll:severance_detail", pk=pk)
    employees = selectors.employee_choices(company=company)
    if request.method != "POST":
        form = SeveranceForm(initial=_initial(row), employees=employees)
        return render(request, "payroll/severance/form.html", {"form": form, "row": row})
    form = SeveranceForm(request.POST, employees=employees)
    if form.is_valid():
        try:
            services.update_severance(**_ctx(request), severance=row, **_inputs(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("変更して計算し直しました。"))
            return redirect("payroll:severance_detail", pk=pk)
    return render(request, "payroll/severance/form.html", {"form": form, "row": row}, status=400)


def _initial(row: SeverancePay) -> dict[str, Any]:
    return {
        "employee": row.employee,
        "paid_on": row.paid_on,
        "amount": int(row.amount),
        "service_from": row.service_from,
        "service_to": row.service_to,
        "officer_from": row.officer_from,
        "disability": row.disability,
        "declaration": row.declaration_submitted,
        "municipality_code": row.municipality_code,
        "municipality_name": row.municipality_name,
        "note": row.note,
    }


@role_required(*RUN_ROLES)
def severance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.get_severance(**_read(request), severance_id=pk)
    return render(
        request,
        "payroll/severance/detail.html",
        {
            "row": row,
            "steps": row.steps,
            "is_draft": row.status == RunStatus.DRAFT,
            "can_confirm": selectors.can_confirm(request.membership),  # type: ignore[attr-defined]
            "discard_form": DiscardForm(),
            "resident_tax": int(row.city_tax) + int(row.prefecture_tax),
        },
    )


def _act(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponseBase:
    row = selectors.get_severance(**_read(request), severance_id=pk)
    try:
        act(row)
    except ServiceError as exc:
        messages.error(request, " ".join(m for ms in exc.field_errors.values() for m in ms) or exc.message)
    else:
        messages.success(request, done)
    return redirect("payroll:severance_detail", pk=pk)


@role_required(*RUN_ROLES)
@require_POST
def severance_compute(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        lambda row: services.compute_severance(**_ctx(request), severance=row),
        _("計算し直しました。"),
    )


@role_required(*CONFIRM_ROLES)
@require_POST
def severance_confirm(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        lambda row: services.confirm_severance(**_ctx(request), severance=row),
        _("退職金を確定し、仕訳を記帳して源泉徴収票を文書に保存しました。"),
    )


@role_required(*RUN_ROLES)
@require_POST
def severance_discard(request: HttpRequest, pk: int) -> HttpResponseBase:
    form = DiscardForm(request.POST)
    if not form.is_valid():
        selectors.get_severance(**_read(request), severance_id=pk)
        messages.error(request, _("破棄の理由を入力してください。"))
        return redirect("payroll:severance_detail", pk=pk)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        pk,
        lambda row: services.discard_severance(**_ctx(request), severance=row, reason=reason),
        _("退職金を破棄しました。"),
    )


@role_required(*RUN_ROLES)
def severance_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """退職所得の源泉徴収票・特別徴収票 (a draft's is marked 下書き)."""
    row = selectors.get_severance(**_read(request), severance_id=pk)
    data = severance_pdf(company=request.company, severance=row)  # type: ignore[attr-defined]
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_file_name(row)}"'
    return response


@role_required(*RUN_ROLES)
def severance_simulator(request: HttpRequest) -> HttpResponse:
    """The calculation alone: figures in by GET, each step with its rule out; nothing stored."""
    bound = request.GET.get("calc") == "severance"
    form = SeveranceSimulatorForm(request.GET if bound else None, prefix="severance")
    context: dict[str, Any] = {"form": form, "calc": "severance" if bound else ""}
    status = 200
    if bound:
        if form.is_valid():
            try:
                args = {**form.cleaned_data, "disability": bool(form.cleaned_data.get("disability"))}
                args["declaration"] = bool(form.cleaned_data.get("declaration"))
                result = retirement.severance(**args)
                context["steps"] = retirement.severance_steps(**args)
                context["result"] = (
                    f"源泉徴収税額 {result.income_tax:,}円・住民税 {result.resident_tax:,}円"
                    f"(市町村民税 {result.city_tax:,}円・道府県民税 {result.prefecture_tax:,}円)・"
                    f"差引支給額 {result.net:,}円"
                )
            except ValueError as exc:
                field, _sep, message = str(exc).partition(": ")
                form.add_error(field if message and field in form.fields else None, message or str(exc))
                status = 400
        else:
            status = 400
    return render(request, "payroll/severance/simulator.html", context, status=status)
