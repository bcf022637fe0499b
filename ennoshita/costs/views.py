"""Screens of 間接経費: the dashboard (charts and tables of one month and the 12 months before),
the drill-down to the journal lines behind a figure, and the settings.

Views parse, call ``costs.selectors`` / ``costs.services`` and render. 経理 and admins see the
whole company; a 所属長 his or her departments; anyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.money import format_yen
from ennoshita.core.web import membership_required, role_required

from . import charts, selectors, services
from .forms import DrilldownForm, FilterForm, SettingsForm
from .permissions import ACCOUNTING_ROLES, can_change_settings
from .selectors.consumables import consumable_use


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _filters(request: HttpRequest, *, drill: bool = False) -> tuple[FilterForm, selectors.Scope]:
    company = request.company  # type: ignore[attr-defined]
    scope = selectors.scope_of(**_read(request), as_of=timezone.localdate())
    choices = selectors.department_choices(company=company, scope=scope)
    if not drill:
        return FilterForm(request.GET or None, departments=choices, everything=scope.everything), scope
    codes = list(selectors.settings_of(company=company).account_codes)
    accounts = [
        (a.code, f"{a.code} {a.name}") for a in selectors.indirect_accounts(company=company, codes=codes)
    ]
    form = DrilldownForm(
        request.GET or None, departments=choices, everything=scope.everything, accounts=accounts
    )
    return form, scope


def _cleaned(form: FilterForm) -> dict[str, Any]:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def month_label(month: date) -> str:
    return _("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}


def drill_url(*, month: date, account: str = "", department_id: int | None = None) -> str:
    query: dict[str, Any] = {"month": month.strftime("%Y-%m")}
    if account:
        query["account"] = account
    if department_id is not None:
        query["department"] = department_id
    return f"{reverse('costs:drilldown')}?{urlencode(query)}"


# ------------------------------------------------------------------------------ dashboard
def _category_rows(board: selectors.Dashboard) -> Iterator[list[Any]]:
    yield [
        "科目コード",
        "勘定科目",
        *[m.strftime("%Y-%m") for m in board.months],
        "期間合計",
        "前月比(円)",
        "前月比(%)",
        "前年同月比(円)",
        "前年同月比(%)",
    ]
    for c in board.categories:
        yield [
            c.code,
            c.name,
            *c.amounts,
            c.period_total,
            c.mom.amount,
            "" if c.mom.percent is None else c.mom.percent,
            c.yoy.amount,
            "" if c.yoy.percent is None else c.yoy.percent,
        ]
    yield ["", "合計", *board.month_totals, board.period_total, "", "", "", ""]


def _charts(board: selectors.Dashboard) -> tuple[charts.Chart, charts.Chart]:
    dept = board.department_id

    def seg_href(si: int, ci: int) -> str:
        return drill_url(month=board.months[ci], account=board.categories[si].code, department_id=dept)

    def seg_title(si: int, ci: int) -> str:
        c = board.categories[si]
        return f"{month_label(board.months[ci])} {c.name} {format_yen(c.amounts[ci])}"

    columns = [
        (
            _("%(m)s月") % {"m": m.month},
            (_("%(y)s年") % {"y": m.year}) if i == 0 or m.month == 1 else "",
        )
        for i, m in enumerate(board.months)
    ]
    stacked = charts.stacked_columns(
        columns=columns,
        series=[(c.name, c.amounts) for c in board.categories],
        href=seg_href,
        title=seg_title,
    )
    by_department = charts.bars(
        rows=[
            (d.name, d.month_amount, drill_url(month=board.month, department_id=d.department_id))
            for d in board.departments
        ]
    )
    return stacked, by_department


@membership_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """間接経費ダッシュボード."""
    form, scope = _filters(request)
    f = _cleaned(form)
    month = f.get("month") or selectors.default_month(company=request.company, today=timezone.localdate())  # type: ignore[attr-defined]
    # the top payees of the selected month, or of the 12 months on request (「12か月で見る」)
    payee_months = 12 if request.GET.get("payees") == "12" else 1
    board = selectors.dashboard(
        **_read(request), month=month, department_id=f.get("department"), payee_months=payee_months
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(
            request,
            _category_rows(board),
            name=f"indirect-costs-{month:%Y%m}",
            title=_("間接経費(科目×月)"),
        )
    stacked, by_department = _charts(board)
    table = [
        (
            c,
            [
                (amount, drill_url(month=m, account=c.code, department_id=board.department_id))
                for m, amount in zip(board.months, c.amounts, strict=True)
            ],
        )
        for c in board.categories
    ]
    return render(
        request,
        "costs/dashboard.html",
        {
            "form": form,
            "board": board,
            "month_label": month_label(board.month),
            "period_label": f"{month_label(board.months[0])}〜{month_label(board.month)}",
            "month_labels": [month_label(m) for m in board.months],
            "table": table,
            "stacked": stacked,
            "by_department": by_department,
            "month_link": drill_url(month=board.month, department_id=board.department_id),
            "can_change_settings": can_change_settings(request.membership),  # type: ignore[attr-defined]
            "scope": scope,
            # 総務's 消耗品の払出 by department, beside the books (not added to them)
            "consumables": consumable_use(
                company=request.company,  # type: ignore[attr-defined]
                months=board.months,
                department_ids=board.scope.keys(request.company, board.department_id),  # type: ignore[attr-defined]
            ),
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ drill-down
def _drill_rows(drill: selectors.Drilldown) -> Iterable[list[Any]]:
    yield ["日付", "伝票番号", "科目コード", "勘定科目", "部門", "摘要", "借方", "貸方", "金額", "元の記録"]
    for d in drill.lines:
        ln = d.line
        yield [
            ln.date,
            ln.entry_number or "",
            ln.account_code,
            ln.account_name,
            ln.department_name,
            ln.memo or ln.entry_memo,
            ln.debit,
            ln.credit,
            ln.amount,
            d.source_label,
        ]


@membership_required
def drilldown(request: HttpRequest) -> HttpResponse:
    """The journal lines behind an account × month (× department) of the dashboard."""
    form, scope = _filters(request, drill=True)
    f = _cleaned(form)
    month = f.get("month") or timezone.localdate().replace(day=1)
    export = request.GET.get("format") in ("csv", "xlsx")
    drill = selectors.drilldown(
        **_read(request),
        month=month,
        account_code=f.get("account") or None,
        department_id=f.get("department"),
        limit=None if export else selectors.SCREEN_LIMIT,
    )
    if export:
        return download(
            request,
            _drill_rows(drill),
            name=f"indirect-costs-lines-{month:%Y%m}",
            title=_("間接経費の明細"),
        )
    back: dict[str, Any] = {"month": month.strftime("%Y-%m")}
    if drill.department_id is not None:
        back["department"] = drill.department_id
    return render(
        request,
        "costs/drilldown.html",
        {
            "form": form,
            "drill": drill,
            "month_label": month_label(drill.month),
            "back_url": f"{reverse('costs:dashboard')}?{urlencode(back)}",
            "scope": scope,
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ settings
@role_required(*ACCOUNTING_ROLES)
def cost_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = selectors.settings_of(company=company)
    accounts = [(a.code, f"{a.code} {a.name}") for a in selectors.expense_accounts(company=company)]
    form = SettingsForm(
        request.POST or None,
        accounts=accounts,
        initial={
            "account_codes": list(current.account_codes),
            "rise_threshold_percent": current.rise_threshold_percent,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cost_settings(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                account_codes=form.cleaned_data["account_codes"],
                rise_threshold_percent=form.cleaned_data["rise_threshold_percent"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("間接経費の設定を保存しました。"))
            return redirect("costs:settings")
    events = (
        core_selectors.audit_events_for_object(
            company=company, object_type="costs.indirectcostsettings", object_id=str(current.pk)
        )[:50]
        if current.pk
        else []
    )
    return render(
        request,
        "costs/settings.html",
        {"form": form, "events": events},
        status=400 if form.errors else 200,
    )
