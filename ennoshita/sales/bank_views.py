"""入金明細 screens: upload a statement (check → import), the list of lines, one line with its
suggestions and the by-hand choice of customer and invoices, confirm (records the payment), set
a line aside as 対象外 or bring it back.

Every screen takes a role of ``permissions.PAYMENT_ROLES`` (the services check it again).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from .bank_forms import CustomerSearchForm, DismissForm, LineFilterForm, MatchForm, StatementUploadForm
from .bank_statement import parse_statement
from .models import Customer
from .permissions import PAYMENT_ROLES
from .selectors import bank as selectors
from .services import bank_import as services
from .services.payments import suggest_allocations

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 20
PAGE_SIZE = 50
MANUAL_INVOICES = 100
payments_role = role_required(*PAYMENT_ROLES)


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"membership": request.membership}  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- import
@payments_role
def bank_import(request: HttpRequest) -> HttpResponse:
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    statement = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("ファイルが大きすぎます(20MBまで)。"))
        else:
            data = upload.read()
            statement = parse_statement(data)
            if statement.ok and request.POST.get("action") == "import":
                try:
                    result = services.import_statement(**_ctx(request), data=data, filename=upload.name)
                except ServiceError as exc:
                    apply_service_error(form, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "%(n)d 件の入金明細を取り込みました(取込済みで飛ばした明細 %(dup)d 件、出金 %(debits)d 件は取り込みません)。"
                        )
                        % {"n": len(result.created), "dup": result.duplicates, "debits": result.debits},
                    )
                    return redirect(f"{reverse('sales:bank_lines')}?status=all&batch={result.batch}")
    status = 400 if form.errors or (statement is not None and statement.errors) else 200
    context = {
        "form": form,
        "statement": statement,
        "preview": statement.entries[:PREVIEW_ROWS] if statement else [],
    }
    return render(request, "sales/bank/import.html", context, status=status)


# ---------------------------------------------------------------------------- lines
@payments_role
def bank_lines(request: HttpRequest) -> HttpResponse:
    form = LineFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    status = data.get("status") or selectors.STATUS_UNMATCHED
    batch = data.get("batch") or ""
    qs = selectors.statement_lines(request.company, status=status, batch=batch, **_read(request))  # type: ignore[attr-defined]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(line, selectors.line_status(line)) for line in page.object_list]
    context = {"form": form, "page_obj": page, "rows": rows, "status": status, "batch": batch}
    return render(request, "sales/bank/lines.html", context)


# ---------------------------------------------------------------------------- one line
@payments_role
def bank_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    line = selectors.get_line(company, pk, **_read(request))
    status = selectors.line_status(line)
    match_form = MatchForm(request.POST or None, company=company)
    if request.method == "POST" and status == selectors.STATUS_UNMATCHED and match_form.is_valid():
        data = match_form.cleaned_data
        try:
            payment = services.match_statement_line(
                **_ctx(request),
                line=line,
                customer=data["customer_obj"],
                allocations=data["allocations"],
                fee=data["fee"],
                memo=data.get("memo") or "",
            )
        except ServiceError as exc:
            apply_service_error(match_form, exc)
        else:
            messages.success(
                request,
                _("%(customer)s からの入金 %(amount)s円を消し込みました。")
                % {"customer": payment.customer.name, "amount": f"{payment.amount:,}"},
            )
            return redirect(reverse("sales:bank_line_detail", args=[line.pk]))
    elif request.method == "POST" and status != selectors.STATUS_UNMATCHED:
        match_form.add_error(None, _("この入金明細は未消込ではありません。"))
    return _render_detail(request, line, status, match_form)


def _render_detail(request: HttpRequest, line: Any, status: str, match_form: MatchForm) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    context: dict[str, Any] = {"line": line, "status": status, "match_form": match_form}
    if status == selectors.STATUS_UNMATCHED:
        search = CustomerSearchForm(request.GET or None)
        search.is_valid()
        query = getattr(search, "cleaned_data", {}).get("q") or ""
        context["search_form"] = search
        context["found"] = selectors.find_customers(company, query) if query else []
        context["suggestions"] = selectors.suggestions(company, line, **_read(request))
        context["manual"] = _manual(request, line)
    context["dismiss_form"] = DismissForm()
    return render(request, "sales/bank/line_detail.html", context, status=400 if match_form.errors else 200)


def _manual(request: HttpRequest, line: Any) -> dict[str, Any] | None:
    """The customer chosen by hand (?customer=id) with their open invoices, the oldest ones
    proposed for the line's amount."""
    raw = request.POST.get("customer") or request.GET.get("customer") or ""
    if not str(raw).isdigit():
        return None
    company = request.company  # type: ignore[attr-defined]
    customer = Customer.objects.for_company(company).filter(pk=int(raw)).first()
    if customer is None:
        return None
    invoices = list(selectors.open_invoices(company, customer)[:MANUAL_INVOICES])
    proposed = {a.invoice.pk: a.amount for a in suggest_allocations(invoices=invoices, amount=line.amount)}
    rows = [(invoice, proposed.get(invoice.pk)) for invoice in invoices]
    return {"customer": customer, "rows": rows}


@payments_role
def bank_line_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    line = selectors.get_line(company, pk, **_read(request))  # another company's line: 404 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください。"))
        return redirect(reverse("sales:bank_line_detail", args=[line.pk]))
    try:
        if form.cleaned_data["action"] == "restore":
            services.restore_statement_line(**_ctx(request), line=line)
            messages.success(request, _("入金明細を未消込に戻しました。"))
        else:
            services.dismiss_statement_line(**_ctx(request), line=line, reason=form.cleaned_data["reason"])
            messages.success(request, _("入金明細を対象外にしました。"))
    except ServiceError as exc:
        messages.error(request, exc.field_errors.get("statement_line", [exc.message])[0])
    return redirect(reverse("sales:bank_line_detail", args=[line.pk]))
