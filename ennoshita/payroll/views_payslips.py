"""給与明細 screens: 「給与明細」 for every employee (their own published payslips, each on a page and
as a PDF), and for 人事・経理 the 賃金台帳 and the 源泉徴収簿 of any employee and year (screen, Excel,
and the 賃金台帳 also as a PDF)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import xlsx
from ennoshita.core.downloads import XLSX_TYPE, table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import membership_required, role_required

from .pdf import payslip_pdf as render_payslip_pdf
from .pdf import wage_ledger_pdf
from .permissions import CONFIRM_ROLES, RUN_ROLES
from .selectors import confirm as confirm_selectors
from .selectors import leaving as leaving_selectors
from .selectors import ledgers
from .selectors import payslip_documents as filed_selectors
from .selectors import payslips as selectors
from .services import payslip_documents as filing


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _int(request: HttpRequest, name: str, low: int, high: int) -> int | None:
    text = request.GET.get(name, "").strip()
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def _year(request: HttpRequest) -> int | None:
    return _int(request, "year", 2000, 2100)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@membership_required
def my_payslips(request: HttpRequest) -> HttpResponse:
    """「給与明細」: one's own published payslips (給与 and 賞与) of a year, newest first."""
    mine = selectors.my_payslips(**_ctx(request), year=_year(request))
    slip_years = leaving_selectors.own_slip_years(**_ctx(request))
    return render(request, "payroll/payslips/mine.html", {"mine": mine, "slip_years": slip_years})


@membership_required
def payslip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One payslip laid out as a 給与明細 (404 for anyone who may not open it); for 人事・経理 a
    link to the PDF filed in 文書 when the folder lets them open it."""
    payslip = selectors.get_payslip(**_ctx(request), payslip_id=pk)
    sheet = selectors.payslip_sheet(payslip)
    staff = selectors.can_see_all_payslips(request.membership)  # type: ignore[attr-defined]
    document_id = (
        filed_selectors.visible_document_id(**_ctx(request), payslip=payslip)
        if staff and payslip.document_id is not None
        else None
    )
    return render(
        request,
        "payroll/payslips/detail.html",
        {"sheet": sheet, "p": payslip, "staff": staff, "document_id": document_id},
    )


@membership_required
def payslip_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The payslip as a PDF: the one filed in 文書 when the run was confirmed (exactly what was
    filed), else rendered now (a draft, or before the filing job has reached it)."""
    payslip = selectors.get_payslip(**_ctx(request), payslip_id=pk)
    pay_date = payslip.run.pay_date
    name = f"payslip-{payslip.employee_number}-{pay_date:%Y%m%d}-{payslip.pk}.pdf"
    data = filed_selectors.filed_pdf(company=request.company, payslip=payslip)  # type: ignore[attr-defined]
    if data is None:
        sheet = selectors.payslip_sheet(payslip)
        data = render_payslip_pdf(company=request.company, sheet=sheet)  # type: ignore[attr-defined]
    return _attachment(HttpResponse(data, content_type="application/pdf"), name)


@role_required(*CONFIRM_ROLES)
@require_POST
def file_payslip_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the filing of a confirmed run's payslip PDFs again (after a crash): what is filed
    already is skipped. Then the job's progress page."""
    run = confirm_selectors.get_run(**_ctx(request), run_id=pk)
    try:
        job = filing.start_filing_job(**_ctx(request), actor=request.user, run=run)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("payroll:run_detail", run.pk)
    return redirect("payroll:run_job", job_id=job.pk)


def _picker(request: HttpRequest, year: int) -> dict[str, Any]:
    q = request.GET.get("q", "")[:100]
    today = timezone.localdate()
    return {
        "q": q,
        "year": year,
        "years": ledgers.ledger_years(company=request.company, today=today),  # type: ignore[attr-defined]
        "choices": ledgers.ledger_employees(**_ctx(request), q=q, year=year),
        "employee_id": _int(request, "employee", 1, 2**63 - 1),
    }


@role_required(*RUN_ROLES)
def wage_ledger(request: HttpRequest) -> HttpResponse:
    """賃金台帳 (労基法108条): ?employee=&year=; ?format=xlsx|csv|pdf."""
    year = _year(request) or timezone.localdate().year
    context = _picker(request, year)
    ledger = None
    if context["employee_id"] is not None:
        ledger = ledgers.wage_ledger(**_ctx(request), employee_id=context["employee_id"], year=year)
        fmt = request.GET.get("format")
        name = f"wage-ledger-{ledger.employee.number}-{year}"
        if fmt == "pdf":
            data = wage_ledger_pdf(company=request.company, ledger=ledger)  # type: ignore[attr-defined]
            return _attachment(HttpResponse(data, content_type="application/pdf"), f"{name}.pdf")
        if fmt == "xlsx":
            book = xlsx.write_book(
                wage_ledger_rows(ledger),
                title="賃金台帳",
                header_rows=_ledger_heading(request, ledger),
                widths=[22, *[14] * (len(ledger.columns) + 1)],
                bold_rows=[i + 3 for i, r in enumerate(ledger.rows) if r.bold],
            )
            return _attachment(HttpResponse(book, content_type=XLSX_TYPE), f"{name}.xlsx")
        if fmt == "csv":
            return table_download(request, wage_ledger_rows(ledger), name=name, title="賃金台帳")
    context["ledger"] = ledger
    return render(request, "payroll/payslips/wage_ledger.html", context)


def _ledger_heading(request: HttpRequest, ledger: ledgers.WageLedger) -> list[list[Any]]:
    e = ledger.employee
    return [
        ["賃金台帳", f"{ledger.year}年"],
        [request.company.name],  # type: ignore[attr-defined]
        ["社員番号", e.number, "氏名", f"{e.family_name} {e.given_name}", "性別", ledger.gender_label],
    ]


def _ledger_value(value: Any, unit: str) -> Any:
    return value if unit == "yen" else ledgers.value_text(value, unit)


def wage_ledger_rows(ledger: ledgers.WageLedger) -> Iterator[list[Any]]:
    """Row 0: the columns; then 支給日, 賃金計算期間, and one row per item (amounts as numbers,
    times as 時:分)."""
    cols = ledger.columns
    yield ["項目", *[c.label for c in cols], "年計"]
    yield ["支給日", *[c.pay_date for c in cols], ""]
    yield ["賃金計算期間", *[f"{c.period_start}〜{c.period_end}" if c.period_start else "" for c in cols], ""]
    for r in ledger.rows:
        yield [r.label, *[_ledger_value(v, r.unit) for v in r.values], _ledger_value(r.total, r.unit)]


@role_required(*RUN_ROLES)
def withholding_book(request: HttpRequest) -> HttpResponse:
    """源泉徴収簿の数字: ?employee=&year=; ?format=xlsx|csv."""
    year = _year(request) or timezone.localdate().year
    context = _picker(request, year)
    book = None
    if context["employee_id"] is not None:
        book = ledgers.withholding_book(**_ctx(request), employee_id=context["employee_id"], year=year)
        fmt = request.GET.get("format")
        name = f"withholding-book-{book.employee.number}-{year}"
        if fmt == "xlsx":
            e = book.employee
            heading: list[list[Any]] = [
                ["源泉徴収簿", f"{year}年"],
                [request.company.name],  # type: ignore[attr-defined]
                ["社員番号", e.number, "氏名", f"{e.family_name} {e.given_name}"],
            ]
            rows = list(withholding_book_rows(book))
            bold = [i for i, r in enumerate(rows) if str(r[0]).endswith("計")]
            data = xlsx.write_book(
                rows, title="源泉徴収簿", header_rows=heading, widths=[10, 6, 12] + [16] * 7, bold_rows=bold
            )
            return _attachment(HttpResponse(data, content_type=XLSX_TYPE), f"{name}.xlsx")
        if fmt == "csv":
            return table_download(request, withholding_book_rows(book), name=name, title="源泉徴収簿")
    context["book"] = book
    if book is not None:
        context["sections"] = [
            (_("給与"), book.salary, book.salary_total, "book-salary"),
            (_("賞与"), book.bonus, book.bonus_total, "book-bonus"),
        ]
    return render(request, "payroll/payslips/withholding_book.html", context)


BOOK_HEADER = [
    "区分",
    "月",
    "支給日",
    "総支給額",
    "課税支給額",
    "社会保険料等",
    "社会保険料等控除後の金額",
    "扶養親族等の数",
    "税額表",
    "税額",
    "算出率(賞与)",
]


def withholding_book_rows(book: ledgers.WithholdingBook) -> Iterator[list[Any]]:
    yield BOOK_HEADER
    for label, lines, total in (
        ("給与", book.salary, book.salary_total),
        ("賞与", book.bonus, book.bonus_total),
    ):
        for x in lines:
            yield [
                label,
                x.month,
                x.pay_date,
                x.gross,
                x.taxable,
                x.social_insurance,
                x.after_insurance,
                x.dependents,
                x.tax_column,
                x.income_tax,
                *([x.rate] if x.kind == "bonus" else []),
            ]
        yield [f"{label} 計", "", "", *_totals_cells(total)]
    yield ["合計", "", "", *_totals_cells(book.total)]


def _totals_cells(t: ledgers.BookTotals) -> list[Any]:
    return [t.gross, t.taxable, t.social_insurance, t.after_insurance, "", "", t.income_tax]
