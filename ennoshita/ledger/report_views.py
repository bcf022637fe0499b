"""会計 report screens: 仕訳帳, 総勘定元帳/補助元帳, 残高試算表, 貸借対照表, 損益計算書, 月次推移表,
消費税集計表. Each is a GET filter form over ``ledger.selectors``, shown as a table whose figures
drill down to the 総勘定元帳 (and its rows to the entry), and downloads with
``?format=csv|csv-sjis|xlsx|pdf``. Readers: ``permissions.READ_ROLES``. The default period is the
current fiscal year to date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ennoshita.core.csvio import SJIS, UnencodableError
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.web import role_required
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

from . import exporting, selectors
from .exporting import ReportTable
from .permissions import READ_ROLES
from .selectors._sums import month_end

EXPORT_PAGE = 1000
FORMATS = ("csv", "csv-sjis", "xlsx", "pdf")
DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """Every report's filters; each screen shows only the fields it names."""

    start = forms.DateField(label=gettext_lazy("開始日"), required=False, widget=DateInput)
    end = forms.DateField(label=gettext_lazy("終了日"), required=False, widget=DateInput)
    as_of = forms.DateField(label=gettext_lazy("基準日"), required=False, widget=DateInput)
    mode = forms.ChoiceField(
        label=gettext_lazy("表示"),
        required=False,
        choices=[("as_of", gettext_lazy("期首から基準日まで")), ("month", gettext_lazy("月次"))],
    )
    month = forms.CharField(
        label=gettext_lazy("月"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)
    account = forms.ChoiceField(label=gettext_lazy("勘定科目"), required=False)
    sub = forms.IntegerField(label=gettext_lazy("補助科目"), required=False, widget=forms.HiddenInput)
    dept: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Department.objects.none(),  # set per company in __init__
        label=gettext_lazy("部門"),
        required=False,
    )
    compare = forms.BooleanField(label=gettext_lazy("前年同期と比較"), required=False)

    def __init__(self, data: Any, *, company: Any, fields: tuple[str, ...]) -> None:
        super().__init__(data)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if "dept" in self.fields:
            self.fields["dept"].queryset = people_selectors.departments(company=company)  # type: ignore[attr-defined]
            self.fields["dept"].empty_label = _("すべての部門")  # type: ignore[attr-defined]
        if "account" in self.fields:
            choices = [("", _("選択してください"))]
            choices += [(a.code, f"{a.code} {a.name}") for a in selectors.accounts(company=company)]
            self.fields["account"].choices = choices  # type: ignore[attr-defined]
        if "year" in self.fields:
            years = selectors.fiscal_years(company=company)
            self.fields["year"].choices = [(y.year, _("%(y)s年度") % {"y": y.year}) for y in years]  # type: ignore[attr-defined]

    def clean_month(self) -> date | None:
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        try:
            return date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end", "as_of", "month"):
            day = data.get(name)
            if day and not selectors.is_report_date(day):
                self.add_error(name, _("日付は1900年から2999年の間で入力してください。"))
                data.pop(name, None)
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("終了日は開始日以降の日付にしてください。"))
        return data


def _form(request: HttpRequest, fields: tuple[str, ...]) -> tuple[ReportForm, dict[str, Any]]:
    form = ReportForm(request.GET or None, company=request.company, fields=fields)  # type: ignore[attr-defined]
    form.is_valid()
    return form, dict(getattr(form, "cleaned_data", {}))


def _period(request: HttpRequest, data: dict[str, Any]) -> tuple[date, date]:
    default = selectors.current_period(company=request.company, today=timezone.localdate())  # type: ignore[attr-defined]
    start = data.get("start") or default.start
    end = data.get("end") or (default.end if start <= default.end else month_end(start))
    return start, max(start, end)


def _entry_base() -> str:
    try:
        return reverse("ledger:entry_detail", args=[987654321]).replace("987654321/", "")
    except NoReverseMatch:
        return "/ledger/entries/"


def _respond(
    request: HttpRequest,
    template: str,
    form: ReportForm,
    table: ReportTable | None,
    *,
    context: dict[str, Any] | None = None,
    note: str = "",
) -> HttpResponseBase:
    """The screen, or the table as a download when ``format`` is asked for."""
    fmt = request.GET.get("format", "")
    if table is not None and fmt in FORMATS and not form.errors:
        return _download(request, table, fmt, note=note)
    dept = getattr(form, "cleaned_data", {}).get("dept")
    ctx = {
        "form": form,
        "table": table,
        "entry_base": _entry_base(),
        "dept_id": dept.pk if dept is not None else "",
        "note": note,
        "formats": [
            ("csv", _("CSV出力")),
            ("csv-sjis", _("CSV出力(Shift_JIS)")),
            ("xlsx", _("Excel出力")),
            ("pdf", _("PDF出力")),
        ],
    }
    ctx.update(context or {})
    return render(request, template, ctx, status=400 if form.errors else 200)


def _download(request: HttpRequest, table: ReportTable, fmt: str, *, note: str = "") -> HttpResponse:
    company_name = request.company.name  # type: ignore[attr-defined]
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{table.key}-{stamp}"
    if fmt == "xlsx":
        body = exporting.to_xlsx(table, company_name=company_name, note=note)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt == "pdf":
        response = HttpResponse(
            exporting.to_pdf(table, company_name=company_name, note=note), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    sjis = fmt == "csv-sjis"
    try:
        body = exporting.to_csv(
            table, encoding=SJIS if sjis else "utf-8-sig", replace=request.GET.get("replace") == "1"
        )
    except UnencodableError as exc:
        return render(
            request,
            "ledger/reports/export_unencodable.html",
            {"error": exc, "problems": exc.problems[:100]},
            status=400,
        )
    response = HttpResponse(body, content_type=f"text/csv; charset={'shift_jis' if sjis else 'utf-8'}")
    response["Content-Disposition"] = f'attachment; filename="{name}{"-sjis" if sjis else ""}.csv"'
    return response


def _dept_note(data: dict[str, Any]) -> str:
    dept = data.get("dept")
    return _("部門: %(d)s") % {"d": dept.name} if dept else ""


# ------------------------------------------------------------------------------ statements


@role_required(*READ_ROLES)
def trial_balance(request: HttpRequest) -> HttpResponseBase:
    form, data = _form(request, ("mode", "as_of", "month", "dept"))
    company = request.company  # type: ignore[attr-defined]
    today = timezone.localdate()
    if data.get("mode") == "month":
        first = data.get("month") or today.replace(day=1)
        start, end = first, month_end(first)
    else:
        end = data.get("as_of") or today
        start = selectors.current_period(company=company, today=end).start
    tb = selectors.trial_balance(company=company, start=start, end=end, department=data.get("dept"))
    table = exporting.trial_balance_table(tb)
    return _respond(
        request, "ledger/reports/trial_balance.html", form, table, note=_dept_note(data), context={"tb": tb}
    )


@role_required(*READ_ROLES)
def balance_sheet(request: HttpRequest) -> HttpResponseBase:
    form, data = _form(request, ("as_of", "dept", "compare"))
    company = request.company  # type: ignore[attr-defined]
    as_of = data.get("as_of") or timezone.localdate()
    st = selectors.balance_sheet(
        company=company, as_of=as_of, department=data.get("dept"), compare=bool(data.get("compare"))
    )
    table = exporting.statement_table(st, key="balance-sheet")
    table.start = selectors.current_period(company=company, today=as_of).start  # drill-down: the year to date
    return _respond(request, "ledger/reports/statement.html", form, table, note=_dept_note(data))


@role_required(*READ_ROLES)
def profit_and_loss(request: HttpRequest) -> HttpResponseBase:
    form, data = _form(request, ("start", "end", "dept", "compare"))
    start, end = _period(request, data)
    st = selectors.profit_and_loss(
        company=request.company,  # type: ignore[attr-defined]
        start=start,
        end=end,
        department=data.get("dept"),
        compare=bool(data.get("compare")),
    )
    table = exporting.statement_table(st, key="profit-and-loss")
    return _respond(request, "ledger/reports/statement.html", form, table, note=_dept_note(data))


@role_required(*READ_ROLES)
def monthly_trend(request: HttpRequest) -> HttpResponseBase:
    form, data = _form(request, ("year", "dept"))
    company = request.company  # type: ignore[attr-defined]
    year = (
        data.get("year") or selectors.current_period(company=company, today=timezone.localdate()).start.year
    )
    trend = selectors.monthly_trend(company=company, year=year, department=data.get("dept"))
    table = exporting.monthly_trend_table(trend, month_end=month_end)
    return _respond(request, "ledger/reports/monthly_trend.html", form, table, note=_dept_note(data))


@role_required(*READ_ROLES)
def tax_summary(request: HttpRequest) -> HttpResponseBase:
    form, data = _form(request, ("start", "end"))
    start, end = _period(request, data)
    summary = selectors.tax_summary(company=request.company, start=start, end=end)  # type: ignore[attr-defined]
    return _respond(request, "ledger/reports/tax_summary.html", form, exporting.tax_summary_table(summary))


# ------------------------------------------------------------------------------ books


def _bad_cursor(request: HttpRequest, template: str, form: ReportForm, exc: ServiceError) -> HttpResponse:
    form.add_error(None, exc.message)
    return render(request, template, {"form": form, "table": None, "entry_base": _entry_base()}, status=400)


def _all_pages(fetch: Callable[[str | None], Any]) -> Iterator[Any]:
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield page
        cursor = page.next_cursor
        if not cursor:
            return


@role_required(*READ_ROLES)
def general_ledger(request: HttpRequest) -> HttpResponseBase:
    template = "ledger/reports/general_ledger.html"
    form, data = _form(request, ("account", "start", "end", "dept", "sub"))
    company = request.company  # type: ignore[attr-defined]
    if not data.get("account") or form.errors:
        return _respond(request, template, form, None)
    account = selectors.get_account_by_code(company=company, code=data["account"])
    sub = None
    if data.get("sub"):
        try:
            sub = selectors.get_sub_account(company=company, account=account, sub_account_id=data["sub"])
        except NotFound:
            form.add_error("sub", _("補助科目が見つかりません。"))
            return _respond(request, template, form, None)
    start, end = _period(request, data)
    args: dict[str, Any] = {
        "company": company,
        "account": account,
        "start": start,
        "end": end,
        "sub_account": sub,
        "department": data.get("dept"),
    }
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "csv-sjis"):
        stream = _all_pages(lambda c: selectors.general_ledger(**args, after=c, limit=EXPORT_PAGE))
        response = StreamingHttpResponse(
            exporting.stream_general_ledger_csv(stream, encoding=SJIS if fmt == "csv-sjis" else "utf-8-sig"),
            content_type=f"text/csv; charset={'shift_jis' if fmt == 'csv-sjis' else 'utf-8'}",
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        suffix = "-sjis" if fmt == "csv-sjis" else ""
        response["Content-Disposition"] = (
            f'attachment; filename="general-ledger-{account.code}-{stamp}{suffix}.csv"'
        )
        return response
    try:
        if fmt in FORMATS:
            pages = list(_all_pages(lambda c: selectors.general_ledger(**args, after=c, limit=EXPORT_PAGE)))
            table = exporting.general_ledger_table(pages[0])
            for p in pages[1:]:  # the opening on the first page, the totals after the last
                table.rows += exporting.general_ledger_table(p, first_page=False).rows
            page = pages[0]
        else:
            after = request.GET.get("after") or None
            page = selectors.general_ledger(**args, after=after)
            table = exporting.general_ledger_table(page, first_page=after is None)
    except ServiceError as exc:
        return _bad_cursor(request, template, form, exc)
    return _respond(request, template, form, table, context={"page": page}, note=_dept_note(data))


@role_required(*READ_ROLES)
def journal(request: HttpRequest) -> HttpResponseBase:
    template = "ledger/reports/journal.html"
    form, data = _form(request, ("start", "end"))
    start, end = _period(request, data)
    args = {"company": request.company, "start": start, "end": end}  # type: ignore[attr-defined]
    try:
        if request.GET.get("format", "") in FORMATS:
            pages = list(_all_pages(lambda c: selectors.journal(**args, after=c, limit=EXPORT_PAGE)))
            table = exporting.journal_table(pages[0])
            for p in pages[1:]:
                table.rows += exporting.journal_table(p).rows
            page = None
        else:
            page = selectors.journal(**args, after=request.GET.get("after") or None)
            table = exporting.journal_table(page)
    except ServiceError as exc:
        return _bad_cursor(request, template, form, exc)
    return _respond(request, template, form, table, context={"page": page})
