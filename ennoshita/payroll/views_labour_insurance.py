"""「労働保険の年度更新」 (人事・経理・管理者): the 保険年度's 賃金総額 month by month from confirmed
payslips, the 確定 and 概算 figures of the 申告書, the 一般拠出金, the 差額 and the installments with
their due dates (screen, CSV, Excel), and the company's 労災保険率 and 事務組合 flag. Thin: parse,
call the selector or the service, render."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core import xlsx
from ennoshita.core.downloads import XLSX_TYPE, table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from .forms_labour_insurance import FilingForm, WorkersCompRateForm, industry_of
from .permissions import SETTINGS_ROLES
from .rules import labour_insurance as rules
from .selectors import labour_insurance as selectors
from .selectors.settings import payroll_settings_of
from .services import labour_insurance as services

QUERY_FIELDS = ("year", "workers_comp_estimate", "employment_estimate", "paid_estimate", "split")


def _filing_form(request: HttpRequest) -> tuple[FilingForm, int]:
    today = timezone.localdate()
    years = selectors.insurance_years(company=request.company, today=today)  # type: ignore[attr-defined]
    default = selectors.default_year(today)
    data = {k: request.GET[k] for k in QUERY_FIELDS if k in request.GET}
    requested = data.get("year", "")
    if requested.isdigit() and 2000 <= int(requested) <= 2100 and int(requested) not in years:
        years = sorted({*years, int(requested)}, reverse=True)
    data.setdefault("year", str(default))
    form = FilingForm(data, years=years)
    form.is_valid()  # a bad estimate is shown on its field; the valid fields still count
    return form, form.cleaned_data.get("year", default)


@role_required(*SETTINGS_ROLES)
def labour_insurance(request: HttpRequest) -> HttpResponse:
    """?year=&workers_comp_estimate=&employment_estimate=&paid_estimate=&split=lump; ?format=csv|xlsx."""
    form, year = _filing_form(request)
    d = form.cleaned_data
    filing = selectors.filing(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        year=year,
        workers_comp_estimate=d.get("workers_comp_estimate"),
        employment_estimate=d.get("employment_estimate"),
        paid_estimate=d.get("paid_estimate"),
        split=False if d.get("split") == "lump" else None,
    )
    fmt = request.GET.get("format")
    name = f"labour-insurance-{year}"
    if fmt == "xlsx":
        heading = [
            ["労働保険 年度更新", f"{filing.label}(確定)・{filing.next_label}(概算)"],
            [request.company.name],  # type: ignore[attr-defined]
        ]
        book = xlsx.write_book(
            filing_rows(filing), title="労働保険 年度更新", header_rows=heading, widths=[30] + [16] * 9
        )
        response = HttpResponse(book, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt == "csv":
        return table_download(request, filing_rows(filing), name=name, title="労働保険 年度更新")
    settings = payroll_settings_of(company=request.company)  # type: ignore[attr-defined]
    rate_form = WorkersCompRateForm(
        initial={
            "industry": industry_of(settings.workers_comp_rate),
            "workers_comp_rate": settings.workers_comp_rate,
            "association": settings.labour_insurance_association,
        }
    )
    return render(request, "payroll/labour_insurance/filing.html", _context(request, form, filing, rate_form))


def _context(
    request: HttpRequest, form: FilingForm, filing: selectors.Filing, rate_form: WorkersCompRateForm
) -> dict[str, Any]:
    query = {"year": str(filing.year)}
    for key in QUERY_FIELDS[1:]:
        value = request.GET.get(key, "")
        if value:
            query[key] = value
    settings = payroll_settings_of(company=request.company)  # type: ignore[attr-defined]
    return {
        "form": form,
        "f": filing,
        "rate_form": rate_form,
        "query": urlencode(query),
        "industries_source": rules.workers_comp_table_source(),
        "events": core_selectors.audit_events_for_object(
            company=request.company,  # type: ignore[attr-defined]
            object_type="payroll.payrollsettings",
            object_id=str(settings.pk),
        )[:20],
    }


@require_POST
@role_required(*SETTINGS_ROLES)
def labour_insurance_rate(request: HttpRequest) -> HttpResponse:
    """Save the 労災保険率 and the 事務組合 flag; on a refusal the screen again with the messages."""
    rate_form = WorkersCompRateForm(request.POST)
    back = request.POST.get("back", "")
    if rate_form.is_valid():
        try:
            services.set_labour_insurance_settings(
                company=request.company,  # type: ignore[attr-defined]
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                workers_comp_rate=rate_form.cleaned_data["workers_comp_rate"],
                association=rate_form.cleaned_data["association"],
            )
        except ServiceError as exc:
            apply_service_error(rate_form, exc)
        else:
            messages.success(request, _("労災保険率を保存しました。"))
            target = redirect("payroll:labour_insurance")
            given = QueryDict(back)
            kept = {k: str(given.get(k, "")) for k in QUERY_FIELDS if given.get(k)}
            if kept:
                target["Location"] += "?" + urlencode(kept)
            return target
    form, year = _filing_form(request)
    filing = selectors.filing(company=request.company, membership=request.membership, year=year)  # type: ignore[attr-defined]
    return render(
        request,
        "payroll/labour_insurance/filing.html",
        _context(request, form, filing, rate_form),
        status=400,
    )


# --------------------------------------------------------------------------- CSV / Excel

MONTH_HEADER = [
    "月",
    "労働者数",
    "雇用保険被保険者数",
    "役員(除外)",
    "支払総額(全員)",
    "労災: 給与",
    "労災: 賞与",
    "労災保険の賃金",
    "雇用: 給与",
    "雇用: 賞与",
    "雇用保険の賃金",
]


def filing_rows(f: selectors.Filing) -> Iterator[list[Any]]:
    """The monthly table, then the 申告書's figures as 項目 / 値 rows."""
    yield MONTH_HEADER
    for m in [*f.wages.months, f.wages.total]:
        label = "合計" if m is f.wages.total else f"{m.month.year}年{m.month.month}月"
        yield [
            label,
            m.workers,
            m.insured,
            m.officers,
            m.gross,
            m.workers_comp_salary,
            m.workers_comp_bonus,
            m.workers_comp_wages,
            m.employment_salary,
            m.employment_bonus,
            m.employment_wages,
        ]
    yield []
    yield ["申告書の項目", "値"]
    for label, value in filing_figures(f):
        yield [label, value]


def _rate_text(rate: Any) -> str:
    return f"{rate.normalize():f}/1000"


def filing_figures(f: selectors.Filing) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("常時使用労働者数(月平均)", f.wages.average_workers),
        ("雇用保険被保険者数(月平均)", f.wages.average_insured),
        ("労災保険率", _rate_text(f.workers_comp_rate)),
        ("労働保険事務組合に委託", "はい" if f.association else "いいえ"),
    ]
    c = f.confirmed
    if c is not None and f.confirmed_rate is not None:
        rows += [
            (f"確定 {f.label} 雇用保険率", _rate_text(f.confirmed_rate.total)),
            (f"確定 {f.label} 労災保険 算定基礎額", c.workers_comp_base),
            (f"確定 {f.label} 雇用保険 算定基礎額", c.employment_base),
            (f"確定 {f.label} 労災保険料", c.workers_comp),
            (f"確定 {f.label} 雇用保険料", c.employment),
            (f"確定 {f.label} 確定保険料額", c.total),
        ]
    rows.append((f"一般拠出金({f.label})", f.general_contribution))
    e = f.estimated
    if e is not None and f.estimated_rate is not None:
        rows += [
            (f"概算 {f.next_label} 雇用保険率", _rate_text(f.estimated_rate.total)),
            (f"概算 {f.next_label} 労災保険 算定基礎額", e.workers_comp_base),
            (f"概算 {f.next_label} 雇用保険 算定基礎額", e.employment_base),
            (f"概算 {f.next_label} 労災保険料", e.workers_comp),
            (f"概算 {f.next_label} 雇用保険料", e.employment),
            (f"概算 {f.next_label} 概算保険料額", e.total),
        ]
    s = f.settlement
    if s is not None:
        if f.paid_estimate is not None:
            rows += [
                ("申告済概算保険料額", s.paid_estimate),
                ("充当額(超過額)", s.surplus),
                ("不足額", s.shortfall),
                ("還付額", s.refund),
            ]
        rows.append(("延納", "3回" if s.split else "しない(一括)"))
        for i in s.installments:
            rows.append((f"第{i.number}期 納付額(納期限 {i.due:%Y-%m-%d})", i.payable))
    for error in f.errors:
        rows.append(("計算できない項目", error))
    return rows
