"""Screens of 売掛金: balances per customer, the 得意先元帳 (with CSV), the aging table (with
CSV) and the overdue invoices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download as download
from ennoshita.core.web import read_kwargs as read

from .document_forms import LedgerRangeForm, ReceivableDateForm
from .document_views import page_of, perms, reader, status_of
from .selectors import documents as doc_selectors
from .selectors import receivables

BUCKET_LABELS = {
    "current": _("期日前"),
    "1_30": _("1〜30日"),
    "31_60": _("31〜60日"),
    "61_90": _("61〜90日"),
    "over_90": _("90日超"),
}


def _as_of(request: HttpRequest) -> tuple[ReceivableDateForm, date]:
    form = ReceivableDateForm(request.GET or None, initial={"as_of": timezone.localdate()})
    day = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("as_of")
    return form, day or timezone.localdate()


@reader
def receivable_balances(request: HttpRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    rows = receivables.customer_balances(**read(request), as_of=as_of)
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(
            request,
            _balance_rows(rows),
            name="receivables",
            title=_("売掛金残高"),
        )
    context = {
        "form": form,
        "as_of": as_of,
        "rows": rows,
        "total_receivable": sum((r.receivable for r in rows), 0),
        "total_advances": sum((r.advances for r in rows), 0),
        "total_net": sum((r.net for r in rows), 0),
        **perms(request),
    }
    return render(request, "sales/documents/receivables/balances.html", context, status=status_of(form))


def _balance_rows(rows: list[receivables.CustomerBalance]) -> Iterable[list[Any]]:
    yield ["得意先コード", "得意先", "売掛金", "前受金", "差引残高"]
    for r in rows:
        yield [r.customer.code, r.customer.name, r.receivable, r.advances, r.net]


@reader
def customer_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    customer = doc_selectors.get_customer(company=company, customer_id=pk)
    today = timezone.localdate()
    default_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    form = LedgerRangeForm(request.GET or None, initial={"start": default_start, "end": today})
    start, end = default_start, today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or default_start
        end = form.cleaned_data.get("end") or today
    if start > end:
        start = end
    ledger = receivables.customer_ledger(**read(request), customer=customer, start=start, end=end)
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(
            request, _ledger_rows(ledger), name=f"customer-ledger-{customer.code}", title=_("得意先元帳")
        )
    context = {"form": form, "ledger": ledger, "customer": customer, **perms(request)}
    return render(
        request, "sales/documents/receivables/customer_ledger.html", context, status=status_of(form)
    )


def _ledger_rows(ledger: receivables.CustomerLedger) -> Iterable[list[Any]]:
    yield ["日付", "区分", "番号", "請求額", "入金・返還額", "残高"]
    yield [ledger.start, str(_("前期繰越")), "", "", "", ledger.opening]
    for row in ledger.rows:
        yield [row.date, row.label, row.number, row.debit or "", row.credit or "", row.balance]


@reader
def receivable_aging(request: HttpRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    table = receivables.aging(**read(request), as_of=as_of)
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _aging_rows(table), name="aging", title=_("売掛金年齢表"))
    context = {
        "form": form,
        "table": table,
        "buckets": [(key, BUCKET_LABELS[key]) for key in BUCKET_LABELS],
        **perms(request),
    }
    return render(request, "sales/documents/receivables/aging.html", context, status=status_of(form))


def _aging_rows(table: receivables.Aging) -> Iterable[list[Any]]:
    yield ["得意先コード", "得意先", *[str(label) for label in BUCKET_LABELS.values()], "合計"]
    for row in table.rows:
        assert row.customer is not None
        yield [row.customer.code, row.customer.name, *[row.buckets[k] for k in BUCKET_LABELS], row.total]
    yield ["", str(_("合計")), *[table.totals.buckets[k] for k in BUCKET_LABELS], table.totals.total]


@reader
def receivable_overdue(request: HttpRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    qs = receivables.overdue_invoices(**read(request), as_of=as_of)
    page = page_of(request, qs)
    page.object_list = list(page.object_list)
    for inv in page.object_list:
        inv.days_late = (as_of - inv.due_date).days if inv.due_date else 0
    context = {"form": form, "as_of": as_of, "page_obj": page, **perms(request)}
    return render(request, "sales/documents/receivables/overdue.html", context, status=status_of(form))
