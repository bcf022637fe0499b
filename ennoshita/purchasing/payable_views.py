"""Screens of 買掛金 (経理 / admin): 買掛金残高 per vendor with due buckets, the 仕入先元帳, the 支払予定表;
each with CSV / Excel, each figure drilling down to the bills."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.web import read_kwargs as read

from .forms import AsOfForm, PeriodForm
from .selectors import payables as selectors
from .selectors import vendors as vendor_selectors
from .vendor_views import accounting, wants_download


def _balance_rows(report: selectors.PayablesReport) -> Iterable[list[Any]]:
    yield [
        "仕入先コード",
        "仕入先",
        "件数",
        "残高",
        "期日超過",
        "今月",
        "来月",
        "再来月以降",
        "買掛金",
        "未払金",
    ]
    for r in [*report.rows, report.total]:
        yield [
            r.vendor_code,
            r.vendor_name,
            r.count,
            r.total,
            r.overdue,
            r.this_month,
            r.next_month,
            r.later,
            r.accounts_payable,
            r.other_payable,
        ]


@accounting
def payable_balances(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    as_of = (
        form.cleaned_data.get("as_of") if form.is_bound and form.is_valid() else None
    ) or timezone.localdate()
    report = selectors.payables_by_vendor(**read(request), as_of=as_of)
    if wants_download(request):
        return table_download(request, _balance_rows(report), name="payables", title=_("買掛金残高"))
    return render(request, "purchasing/payable_balances.html", {"form": form, "report": report})


def _period(request: HttpRequest, default_days: int) -> tuple[PeriodForm, date, date]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or today.replace(day=1)
    end = data.get("end") or (start + timedelta(days=default_days))
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _ledger_rows(ledger: selectors.VendorLedger) -> Iterable[list[Any]]:
    yield ["日付", "区分", "受付番号", "摘要", "借方(支払)", "貸方(計上)", "残高"]
    yield [ledger.start, "前期繰越", "", "", "", "", ledger.opening]
    for r in ledger.rows:
        yield [
            r.day,
            "計上" if r.kind == "bill" else "支払",
            r.number,
            r.description,
            r.debit,
            r.credit,
            r.balance,
        ]
    yield [ledger.end, "合計", "", "", ledger.debit_total, ledger.credit_total, ledger.closing]


@accounting
def payable_vendor_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = vendor_selectors.get_vendor(**read(request), vendor_id=pk)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or date(today.year - 1, today.month, 1)
    end = data.get("end") or today
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    ledger = selectors.vendor_ledger(**read(request), vendor=vendor, start=start, end=end)
    if wants_download(request):
        return table_download(
            request, _ledger_rows(ledger), name=f"vendor-ledger-{vendor.code}", title=_("仕入先元帳")
        )
    return render(
        request,
        "purchasing/payable_vendor_ledger.html",
        {"form": form, "ledger": ledger, "vendor": vendor},
        status=400 if form.errors else 200,
    )


def _schedule_rows(schedule: selectors.PaymentSchedule) -> Iterable[list[Any]]:
    yield ["支払期日", "受付番号", "仕入先コード", "仕入先", "先方の請求書番号", "金額", "日計"]
    for day in schedule.days:
        for n, b in enumerate(day.bills):
            last = n == len(day.bills) - 1
            yield [
                day.day,
                b.number,
                b.vendor.code,
                b.vendor.name,
                b.vendor_reference,
                b.total,
                day.total if last else "",
            ]
    yield ["合計", "", "", "", "", schedule.total, ""]


@accounting
def payable_schedule(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request, 60)
    schedule = selectors.payment_schedule(**read(request), start=start, end=end)
    if wants_download(request):
        return table_download(
            request, _schedule_rows(schedule), name="payment-schedule", title=_("支払予定表")
        )
    return render(
        request,
        "purchasing/payable_schedule.html",
        {"form": form, "schedule": schedule},
        status=400 if form.errors else 200,
    )
