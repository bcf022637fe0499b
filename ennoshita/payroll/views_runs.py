"""給与計算 screens: the list of runs, a new run (with the dates it will use shown first), one run
(checklist, changes since the last confirmed run, everyone's figures), recompute, discard, the
CSV/Excel of the table, and the progress page of a run computed in the background."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import views_bonus
from .forms_runs import CorrectionForm, DiscardForm, PayslipSearchForm, RunFilterForm, RunForm
from .models import PayType, RunKind, RunStatus
from .permissions import CONFIRM_ROLES, RUN_ROLES
from .selectors import runs as selectors
from .services import corrections as correction_services
from .services import runs as services

LIST_PAGE = 50
PAY_TYPES = dict(PayType.choices)
TABLE_PAGE = 200
TOTAL_FIELDS = (
    "gross", "health", "child_support", "pension", "employment", "income_tax", "resident_tax",
    "other_deductions", "deduction_total", "net",
)  # fmt: skip


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


@role_required(*RUN_ROLES)
def run_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    groups = selectors.pay_groups(company=company)
    form = RunFilterForm(request.GET or None, years=selectors.run_years(company=company), groups=groups)
    year = group = None
    if form.is_valid():
        year, group = form.cleaned_data.get("year"), form.cleaned_data.get("group")
    qs = selectors.run_list(**_read(request), year=year, group_id=group.pk if group else None)
    page = Paginator(qs, LIST_PAGE).get_page(request.GET.get("page"))
    return render(request, "payroll/runs/list.html", {"form": form, "page": page, "runs": page.object_list})


@role_required(*RUN_ROLES)
def run_new(request: HttpRequest) -> HttpResponseBase:
    """GET with a group and month: the dates and headcount it will use; POST: create (in the
    background for a group of more than BACKGROUND_OVER people). 種類 賞与 (?kind=bonus): the bonus
    form (views_bonus)."""
    if (request.POST if request.method == "POST" else request.GET).get("kind") == "bonus":
        return views_bonus.bonus_run_new(request)
    company = request.company  # type: ignore[attr-defined]
    groups = selectors.pay_groups(company=company)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = RunForm(data, groups=groups)
    preview = None
    if data is None:
        first = groups.first()
        form = RunForm(
            initial={
                "pay_group": first,
                "pay_month": selectors.next_pay_month(
                    company=company, pay_group=first, today=timezone.localdate()
                ).strftime("%Y-%m"),
            },
            groups=groups,
        )
    elif form.is_valid():
        group, month = form.cleaned_data["pay_group"], form.cleaned_data["pay_month"]
        size = selectors.group_size(company=company, pay_group=group, pay_month=month)
        if request.method == "POST":
            try:
                if size > services.BACKGROUND_OVER:
                    job = services.start_create_job(
                        **_ctx(request), pay_group=group, pay_month=month, title=form.cleaned_data["title"]
                    )
                    return redirect("payroll:run_job", job_id=job.pk)
                run = services.create_run(
                    **_ctx(request), pay_group=group, pay_month=month, title=form.cleaned_data["title"]
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("給与を計算しました(%(n)d名)。") % {"n": run.headcount})
                return redirect("payroll:run_detail", pk=run.pk)
        preview = {"dates": services.run_dates(pay_group=group, pay_month=month), "size": size}
        preview["background"] = size > services.BACKGROUND_OVER
    return render(
        request,
        "payroll/runs/new.html",
        {"form": form, "preview": preview, "groups": groups, "kind": "salary"},
    )


def _totals(rows: Any) -> dict[str, int]:
    sums = rows.aggregate(**{f: Sum(f) for f in TOTAL_FIELDS})
    return {k: int(v or 0) for k, v in sums.items()}


@role_required(*RUN_ROLES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run(**_read(request), run_id=pk)
    search = PayslipSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    rows = selectors.payslip_rows(run=run, q=q)
    page = Paginator(rows, TABLE_PAGE).get_page(request.GET.get("page"))
    columns = selectors.deduction_columns(run=run)
    amounts = selectors.item_amounts(run=run, codes=[c for c, _n in columns])
    table = [(p, [amounts.get(p.pk, {}).get(c, 0) for c, _n in columns]) for p in page.object_list]
    return render(
        request,
        "payroll/runs/detail.html",
        {
            "run": run,
            "checklist": selectors.checklist(run=run),
            "changes": selectors.change_rows(run=run) if run.kind == RunKind.SALARY else None,
            "corrections": list(selectors.corrections_of(run=run)) if run.kind == RunKind.SALARY else [],
            "search": search,
            "page": page,
            "table": table,
            "columns": columns,
            "totals": _totals(rows),
            "is_draft": run.status == RunStatus.DRAFT,
            "can_confirm": request.membership.has_any_role(*CONFIRM_ROLES),  # type: ignore[attr-defined]
            "discard_form": DiscardForm(),
            "background": run.headcount > services.BACKGROUND_OVER,
        },
    )


@role_required(*CONFIRM_ROLES)
def run_correction_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    """「訂正の計算」 of a confirmed salary run (経理): the pay date (the next bank business day by
    default) and whom to recompute (everyone by default); a draft correction run holding the
    differences. The page explains when the next run settles things by itself (遡及差額)."""
    run = selectors.get_run(**_read(request), run_id=pk)
    people = selectors.correction_people(run=run)
    if request.method == "POST":
        form = CorrectionForm(request.POST, people=people)
        if form.is_valid():
            try:
                correction = correction_services.start_correction(
                    **_ctx(request),
                    run=run,
                    pay_date=form.cleaned_data["pay_date"],
                    employee_ids=form.cleaned_data["employees"] or None,
                    title=form.cleaned_data["title"],
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request, _("訂正の計算を作りました(%(n)d名)。") % {"n": correction.headcount}
                )
                for note in getattr(correction, "left_out", []):
                    messages.warning(request, note)
                return redirect("payroll:run_detail", pk=correction.pk)
    else:
        form = CorrectionForm(
            initial={
                "pay_date": correction_services.next_bank_day(timezone.localdate()),
                "employees": [str(pk) for pk, _label in people],
            },
            people=people,
        )
    return render(
        request,
        "payroll/runs/correction.html",
        {"run": run, "form": form, "corrections": list(selectors.corrections_of(run=run))},
    )


@role_required(*RUN_ROLES)
@require_POST
def run_recompute(request: HttpRequest, pk: int) -> HttpResponseBase:
    run = selectors.get_run(**_read(request), run_id=pk)
    try:
        if run.headcount > services.BACKGROUND_OVER:
            job = services.start_recompute_job(**_ctx(request), run=run)
            return redirect("payroll:run_job", job_id=job.pk)
        run = services.recompute_run(**_ctx(request), run=run)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("計算し直しました(%(n)d名)。") % {"n": run.headcount})
    return redirect("payroll:run_detail", pk=pk)


@role_required(*RUN_ROLES)
@require_POST
def run_discard(request: HttpRequest, pk: int) -> HttpResponseBase:
    run = selectors.get_run(**_read(request), run_id=pk)
    form = DiscardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("破棄の理由を入力してください。"))
        return redirect("payroll:run_detail", pk=pk)
    try:
        services.discard_run(**_ctx(request), run=run, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, " ".join(m for ms in exc.field_errors.values() for m in ms) or exc.message)
    else:
        messages.success(request, _("給与計算を破棄しました。"))
    return redirect("payroll:run_detail", pk=pk)


EXPORT_HEAD = [
    "社員番号", "氏名", "部署", "給与形態", "総支給額", "課税支給額", "非課税支給額", "健康保険料",
    "子ども・子育て支援金", "厚生年金保険料", "雇用保険料", "所得税", "住民税", "その他控除", "控除合計",
    "差引支給額", "振込額(本人口座)", "振込額(第2口座)", "確認事項",
]  # fmt: skip


@role_required(*RUN_ROLES)
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone's figures as CSV (UTF-8 with BOM) or Excel (?format=xlsx)."""
    run = selectors.get_run(**_read(request), run_id=pk)

    def rows() -> Any:
        yield EXPORT_HEAD
        for p in selectors.payslip_rows(run=run).iterator(chunk_size=2000):
            yield [
                p.employee_number, p.employee_name, p.department_name, str(PAY_TYPES.get(p.pay_type, p.pay_type)),
                p.gross, p.taxable, p.nontaxable, p.health, p.child_support, p.pension, p.employment,
                p.income_tax, p.resident_tax, p.other_deductions, p.deduction_total, p.net,
                p.transfer_amount, p.split_transfer_amount,
                " / ".join(a.get("message", "") for a in p.anomalies or []),
            ]  # fmt: skip

    name = f"payroll-{run.pay_month:%Y%m}-{run.pay_group.code}"
    return table_download(request, rows(), name=name, title=f"{run.pay_month:%Y-%m}")


@role_required(*RUN_ROLES)
def run_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A run computed in the background: its progress (HTMX polls the panel), then a link to it."""
    job = core_selectors.get_job(**_read(request), job_id=job_id)
    template = "payroll/runs/_job.html" if getattr(request, "htmx", False) else "payroll/runs/job.html"
    return render(request, template, {"job": job})
