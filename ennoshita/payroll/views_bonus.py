"""賞与 screens: a new bonus run (from 「給与を計算する」 with 種類 = 賞与), the amounts of a draft
bonus run (one table, typed in or imported from a CSV; saving recomputes the payslips), the CSV
template of amounts, and the 賞与支払届 figures of a confirmed run (CSV / Excel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.csvio import encode_csv
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import bonus_inputs
from .forms_bonus import BonusImportForm, BonusRunForm, BonusSearchForm
from .models import PayrollRun, RunKind, RunStatus
from .permissions import RUN_ROLES
from .selectors import runs as run_selectors
from .services import bonus as services

PAGE = 200  # rows of the amounts table per page (each has two inputs: well under the POST limit)


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _bonus_run(request: HttpRequest, pk: int) -> PayrollRun:
    run = run_selectors.get_run(company=request.company, membership=request.membership, run_id=pk)  # type: ignore[attr-defined]
    if run.kind != RunKind.BONUS:
        raise NotFound()
    return run


def bonus_run_new(request: HttpRequest) -> HttpResponseBase:
    """The 賞与 tab of 「給与を計算する」 (views_runs.run_new hands it over): GET with the fields
    shows who would be paid; POST creates the run and goes to its amounts."""
    company = request.company  # type: ignore[attr-defined]
    groups = run_selectors.pay_groups(company=company)
    data = request.POST if request.method == "POST" else request.GET
    bound = any(k in data for k in ("pay_group", "pay_date"))
    form = BonusRunForm(data if bound else None, groups=groups, initial={"pay_group": groups.first()})
    preview = None
    status = 200
    if bound and form.is_valid():
        c = form.cleaned_data
        try:
            day, title, months = services.check_new_run(
                company=company,
                pay_group=c["pay_group"],
                pay_date=c["pay_date"],
                title=c["title"],
                bonus_period_months=c["bonus_period_months"],
            )
            if request.method == "POST":
                run = services.create_bonus_run(
                    **_ctx(request),
                    pay_group=c["pay_group"],
                    pay_date=day,
                    title=title,
                    bonus_period_months=months,
                )
                messages.success(request, _("賞与の計算を作りました。一人ずつ金額を入力してください。"))
                return redirect("payroll:bonus_amounts", pk=run.pk)
        except ServiceError as exc:
            apply_service_error(form, exc)
            status = 400
        else:
            people = bonus_inputs.payees(company=company, pay_group=c["pay_group"], pay_date=day)
            preview = {"pay_date": day, "title": title, "months": months, "size": len(people)}
    elif bound:
        status = 400
    return render(
        request,
        "payroll/bonus/new.html",
        {"form": form, "preview": preview, "groups": groups, "kind": "bonus"},
        status=status,
    )


def _lines(rows: Any, posted: dict[str, str]) -> list[tuple[Any, str, str]]:
    """Each row with the text its inputs show: what was typed when saving failed, else the stored."""
    out = []
    for r in rows:
        stored = "" if r.amount is None else str(r.amount)
        out.append((r, posted.get(f"amount_{r.number}", stored), posted.get(f"note_{r.number}", r.note)))
    return out


def _rows_from_post(request: HttpRequest) -> tuple[list[services.AmountIn], list[str]]:
    """The page's rows: ``number`` repeated, with ``amount_<number>`` and ``note_<number>``."""
    rows: list[services.AmountIn] = []
    problems: list[str] = []
    for number in request.POST.getlist("number"):
        text = request.POST.get(f"amount_{number}", "").strip().replace(",", "")
        note = request.POST.get(f"note_{number}", "")
        if text == "":
            amount = None
        else:
            try:
                amount = int(text)
            except ValueError:
                problems.append(_("%(n)s: 金額は円単位の整数で入力してください。") % {"n": number})
                continue
        rows.append(services.AmountIn(number, amount, note))
    return rows, problems


@role_required(*RUN_ROLES)
def bonus_amounts(request: HttpRequest, pk: int) -> HttpResponse:
    """The amounts of a bonus run: everyone the run may pay, 200 a page, searchable; POST saves
    the page (an empty amount removes one) and recomputes."""
    run = _bonus_run(request, pk)
    search = BonusSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    errors: list[str] = []
    posted: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        rows, errors = _rows_from_post(request)
        posted = {k: str(request.POST.get(k, "")) for k in request.POST if k.startswith(("amount_", "note_"))}
        if not errors:
            try:
                services.set_bonus_amounts(**_ctx(request), run=run, rows=rows)
            except ServiceError as exc:
                errors = [m for ms in exc.field_errors.values() for m in ms] or [exc.message]
            else:
                messages.success(request, _("金額を保存して計算しました。"))
                query = request.GET.urlencode()
                return redirect(f"{request.path}?{query}" if query else request.path)
        status = 400
        run.refresh_from_db()
    rows_all = bonus_inputs.amount_rows(company=request.company, run=run, q=q)  # type: ignore[attr-defined]
    page = Paginator(rows_all, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "payroll/bonus/amounts.html",
        {
            "run": run,
            "page": page,
            "lines": _lines(page.object_list, posted),
            "search": search,
            "errors": errors,
            "is_draft": run.status == RunStatus.DRAFT,
            "import_form": BonusImportForm(),
            "header": ",".join(services.IMPORT_HEADER),
        },
        status=status,
    )


@role_required(*RUN_ROLES)
@require_POST
def bonus_import(request: HttpRequest, pk: int) -> HttpResponse:
    """CSV 社員番号,金額[,備考]: all or nothing, problems by line."""
    run = _bonus_run(request, pk)
    form = BonusImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.import_bonus_amounts(**_ctx(request), run=run, data=form.cleaned_data["file"].read())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("CSVの金額を取り込んで計算しました。"))
            return redirect("payroll:bonus_amounts", pk=run.pk)
    run.refresh_from_db()
    rows_all = bonus_inputs.amount_rows(company=request.company, run=run)  # type: ignore[attr-defined]
    page = Paginator(rows_all, PAGE).get_page(1)
    return render(
        request,
        "payroll/bonus/amounts.html",
        {
            "run": run,
            "page": page,
            "lines": _lines(page.object_list, {}),
            "search": BonusSearchForm(),
            "errors": [],
            "is_draft": run.status == RunStatus.DRAFT,
            "import_form": form,
            "header": ",".join(services.IMPORT_HEADER),
        },
        status=400,
    )


@role_required(*RUN_ROLES)
def bonus_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The amounts as a CSV to fill in and import again (社員番号,金額,備考; UTF-8 with BOM)."""
    run = _bonus_run(request, pk)
    rows: list[list[Any]] = [list(services.IMPORT_HEADER)]
    rows += [
        [r.number, "" if r.amount is None else r.amount, r.note]
        for r in bonus_inputs.amount_rows(company=request.company, run=run)  # type: ignore[attr-defined]
    ]
    response = HttpResponse(
        encode_csv(rows, encoding="utf-8-sig", replace=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bonus-amounts-{run.pk}.csv"'
    return response


REPORT_HEAD = [
    "社員番号", "氏名", "氏名(カナ)", "生年月日", "賞与支払年月日", "賞与額(通貨)", "賞与額(現物)",
    "賞与額(合計)", "標準賞与額(1,000円未満切捨て)", "標準賞与額(健康保険)", "標準賞与額(厚生年金)",
    "70歳以上被用者", "備考",
]  # fmt: skip


@role_required(*RUN_ROLES)
def bonus_report(request: HttpRequest, pk: int) -> HttpResponse:
    """被保険者賞与支払届 figures (CSV; Excel with ?format=xlsx): confirmed runs only."""
    run = _bonus_run(request, pk)
    if run.status != RunStatus.CONFIRMED:
        messages.error(request, _("賞与支払届のデータは確定した賞与だけです。先に確定してください。"))
        return redirect("payroll:run_detail", pk=run.pk)

    def rows() -> Any:
        yield REPORT_HEAD
        for r in bonus_inputs.report_rows(company=request.company, run=run):  # type: ignore[attr-defined]
            yield [
                r.number, r.name, r.name_kana, r.birth_date or "", r.pay_date, r.amount, 0, r.amount,
                r.standard_bonus, r.standard_bonus_health, r.standard_bonus_pension,
                "1" if r.over_70 else "", r.note,
            ]  # fmt: skip

    return table_download(
        request, rows(), name=f"shoyo-shiharai-{run.pay_date:%Y%m%d}-{run.pk}", title="賞与支払届"
    )
