"""Screens of 健康診断・ストレスチェック・長時間労働 (namespace "affairs", names ``health_…``).

Views parse, call ``services.health`` / ``services.health_more`` / ``selectors.health`` and render; the
services check the permissions again. Results, opinions and measures appear only on the result page,
only for members with health access, and each opening is recorded; the lists and their CSV / Excel
never carry them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.history import history_table
from ennoshita.core.web import error_text, membership_required, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import forms_health as forms
from .models import Checkup
from .rules import health as rules
from .selectors import health as selectors
from .services import health as services

PAGE_SIZE = 50
staff = role_required(*services.HEALTH_STAFF_ROLES)
admin_only = role_required("admin")
ACTION_LABELS = {
    "create": gettext_lazy("作成"),
    "update": gettext_lazy("更新"),
    "delete": gettext_lazy("削除"),
    "remind": gettext_lazy("受診の催促"),
    "health.book": gettext_lazy("予約"),
    "health.result": gettext_lazy("結果の記録(暗号化)"),
    "health.opinion": gettext_lazy("医師の意見・措置の記録(暗号化)"),
    "health.viewed": gettext_lazy("結果の閲覧"),
    "health.consent": gettext_lazy("同意の記録"),
    "health.grant": gettext_lazy("閲覧権限の付与"),
    "health.revoke": gettext_lazy("閲覧権限の取消"),
}


def wants_download(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


def _years(request: HttpRequest) -> tuple[int, list[tuple[str, str]]]:
    current = selectors.current_fiscal_year(request.company)  # type: ignore[attr-defined]
    return current, forms.year_choices(current)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _checkup_rows(checkups: Iterable[Checkup], today: date) -> Iterable[list[Any]]:
    """The list as a table: plan, booking and dates only — never a result."""
    yield ["年度", "社員番号", "氏名", "種類", "受診期限", "状態", "期限切れ", "医療機関", "予約日", "受診日", "有所見", "意見聴取期限", "医師の意見聴取日", "結果の通知日", "個人票の保存期限"]  # fmt: skip
    for c in checkups:
        yield [
            c.fiscal_year,
            c.employee.number,
            c.employee.full_name,
            c.get_kind_display(),
            c.due_on,
            c.get_status_display(),
            "○" if c.status in selectors.OPEN and c.due_on < today else "",
            c.clinic,
            c.booked_for,
            c.examined_on,
            {True: "有", False: "無"}.get(c.has_findings, ""),  # type: ignore[arg-type]
            c.opinion_due_on,
            c.opinion_on,
            c.result_notified_on,
            c.keep_until,
        ]


@staff
def checkup_list(request: HttpRequest) -> HttpResponse:
    current, years = _years(request)
    departments = selectors.department_choices(company=request.company)  # type: ignore[attr-defined]
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = str(current)
    form = forms.CheckupFilterForm(data, years=years, departments=departments)
    f = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.checkup_list(
        **read(request),
        year=_int(f.get("year")),
        kind=f.get("kind", ""),
        status=f.get("status", ""),
        department_id=_int(f.get("department")),
        overdue=bool(f.get("overdue")),
        unexamined=bool(f.get("unexamined")),
        q=f.get("q", ""),
        today=today,
    )
    if wants_download(request):
        return table_download(request, _checkup_rows(qs, today), name="checkups", title=_("健康診断"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    plan_form = forms.YearForm(initial={"fiscal_year": current}, years=years)
    return render(
        request,
        "affairs/health/checkup_list.html",
        {"form": form, "page_obj": page, "today": today, "plan_form": plan_form, "title": _("健康診断")},
    )


@staff
def unexamined(request: HttpRequest) -> HttpResponse:
    """未受診者一覧: the year's checkups not yet had, with the overdue marked."""
    current, years = _years(request)
    year = _int(request.GET.get("year")) or current
    q = request.GET.get("q", "")[:100]
    today = timezone.localdate()
    qs = selectors.unexamined_list(**read(request), year=year, q=q, today=today)
    if wants_download(request):
        return table_download(
            request, _checkup_rows(qs, today), name="checkups-unexamined", title=_("未受診者")
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/health/unexamined.html",
        {"page_obj": page, "today": today, "year": year, "years": years, "q": q},
    )


@staff
def opinions(request: HttpRequest) -> HttpResponse:
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    qs = selectors.opinions_due(**read(request), overdue_only=overdue_only, today=today)
    if wants_download(request):
        return table_download(
            request, _checkup_rows(qs, today), name="checkups-opinions", title=_("医師の意見聴取")
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/health/opinions.html",
        {"page_obj": page, "today": today, "overdue_only": overdue_only},
    )


@require_POST
@staff
def plan(request: HttpRequest) -> HttpResponse:
    _current, years = _years(request)
    form = forms.YearForm(request.POST, years=years)
    if not form.is_valid():
        messages.error(request, _("年度を選んでください。"))
        return redirect("affairs:health_checkup_list")
    try:
        result = services.plan_checkups(**ctx(request), fiscal_year=form.cleaned_data["fiscal_year"])
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(y)s年度の健康診断を%(n)s件計画しました(既存 %(e)s件)。")
            % {"y": result.fiscal_year, "n": result.created, "e": result.existing},
        )
    return redirect(f"{_url('affairs:health_checkup_list')}?year={form.cleaned_data['fiscal_year']}")


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _history(company: Any, checkup: Checkup) -> list[tuple[Any, Any, Any]]:
    events = list(selectors.checkup_history(company=company, checkup=checkup)[:200])
    return [(ev, ACTION_LABELS.get(ev.action, ev.action), rows) for ev, rows in history_table(events)]


def _detail(
    request: HttpRequest, checkup: Checkup, *, record: Any = None, status: int = 200, **extra: Any
) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    is_staff = services.is_health_staff(membership)
    context = {
        "checkup": checkup,
        "record": record,
        "is_staff": is_staff,
        "can_open": selectors.can_open_results(company=company, membership=membership),
        "history": _history(company, checkup) if is_staff else [],
        "book_form": extra.pop("book_form", None)
        or forms.BookForm(initial={"clinic": checkup.clinic, "booked_for": checkup.booked_for}),
        "notice_form": extra.pop("notice_form", None)
        or forms.NoticeForm(initial={"notified_on": timezone.localdate()}),
        "close_form": extra.pop("close_form", None) or forms.CloseForm(),
        "today": timezone.localdate(),
        "open_statuses": selectors.OPEN,
        **extra,
    }
    return render(request, "affairs/health/checkup_detail.html", context, status=status)


@membership_required
def checkup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff, or the employee for their own checkup. The result is not on this page."""
    return _detail(request, selectors.get_checkup(**read(request), checkup_id=pk))


@membership_required
def checkup_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The result, opinion and measures: members with health access only; each opening recorded.
    Anyone else: 403 with the reason, nothing written."""
    checkup = selectors.get_checkup(**read(request), checkup_id=pk)
    try:
        record = services.view_checkup_record(**ctx(request), checkup=checkup)
    except PermissionDeniedError as exc:
        return _detail(request, checkup, status=403, refused=exc.message)
    return _detail(request, checkup, record=record)


def _checkup_step(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    service: Callable[..., object],
    *,
    form_name: str,
    done: str,
) -> HttpResponse:
    """The small forms on the checkup page (予約, 結果の通知, 状態): a valid form goes to ``service``
    with its fields as keywords; when it writes, ``done`` as the message and back to the page.
    Otherwise the page again with this form (under ``form_name``) and its errors, 400."""
    checkup = selectors.get_checkup(**read(request), checkup_id=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(**ctx(request), checkup=checkup, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("affairs:health_checkup_detail", checkup.pk)
    return _detail(request, checkup, status=400, **{form_name: form})


@require_POST
@membership_required
def checkup_book(request: HttpRequest, pk: int) -> HttpResponse:
    return _checkup_step(
        request,
        pk,
        forms.BookForm,
        services.book_checkup,
        form_name="book_form",
        done=_("予約を記録しました。"),
    )


@require_POST
@staff
def checkup_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _checkup_step(
        request,
        pk,
        forms.NoticeForm,
        services.mark_result_notified,
        form_name="notice_form",
        done=_("結果の通知日を記録しました。"),
    )


@require_POST
@staff
def checkup_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _checkup_step(
        request,
        pk,
        forms.CloseForm,
        services.close_checkup,
        form_name="close_form",
        done=_("状態を変更しました。"),
    )


def _refused(request: HttpRequest, checkup: Checkup) -> HttpResponse | None:
    if selectors.can_open_results(**read(request)):
        return None
    message = services.no_access_message()
    return _detail(request, checkup, status=403, refused=message)


@staff
def checkup_record(request: HttpRequest, pk: int) -> HttpResponse:
    """結果の記録 (health access only)."""
    checkup = selectors.get_checkup(**read(request), checkup_id=pk)
    if (refused := _refused(request, checkup)) is not None:
        return refused
    form = forms.ResultForm(
        request.POST or None,
        initial={"examined_on": checkup.booked_for or timezone.localdate(), "clinic": checkup.clinic},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_checkup_result(**ctx(request), checkup=checkup, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("結果を暗号化して記録しました。"))
            return redirect("affairs:health_checkup_detail", checkup.pk)
    return render(
        request,
        "affairs/health/checkup_form.html",
        {"form": form, "checkup": checkup, "heading": _("健康診断の結果を記録")},
        status=400 if form.errors else 200,
    )


@staff
def checkup_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """医師の意見と就業上の措置 (health access only)."""
    checkup = selectors.get_checkup(**read(request), checkup_id=pk)
    if (refused := _refused(request, checkup)) is not None:
        return refused
    form = forms.OpinionForm(request.POST or None, initial={"opinion_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_doctor_opinion(**ctx(request), checkup=checkup, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("医師の意見と措置を暗号化して記録しました。"))
            return redirect("affairs:health_checkup_detail", checkup.pk)
    return render(
        request,
        "affairs/health/checkup_form.html",
        {"form": form, "checkup": checkup, "heading": _("医師の意見・就業上の措置を記録")},
        status=400 if form.errors else 200,
    )


@staff
def profiles(request: HttpRequest) -> HttpResponse:
    """特定業務従事者・海外派遣 (what decides the kinds of checkups)."""
    company = request.company  # type: ignore[attr-defined]
    employees = selectors.employee_choices(company=company)
    form = forms.ProfileForm(request.POST or None, employees=employees)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.set_health_profile(**ctx(request), employee_id=data.pop("employee"), **data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("健康管理の区分を保存しました。"))
            return redirect("affairs:health_profiles")
    names = dict(employees)
    rows = [
        (names.get(p.employee_id, str(p.employee_id)), p)
        for p in selectors.profiles_by_employee(company=company).values()
        if p.specific_work or p.overseas_from
    ]
    return render(
        request,
        "affairs/health/profiles.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


@membership_required
def my_checkups(request: HttpRequest) -> HttpResponse:
    """An employee's own checkups (due dates, booking) and stress checks (participation, consent).
    The results are not shown here: the company keeps the 個人票 and gives the worker the result
    itself (安衛法66条の6); the worker reads it on that notice, not in this system."""
    return render(
        request,
        "affairs/health/mine.html",
        {
            "checkups": selectors.my_checkups(**read(request)),
            "stress": selectors.my_stress_checks(**read(request)),
            "today": timezone.localdate(),
            "open_statuses": selectors.OPEN,
        },
    )


# ------------------------------------------------------------------------------ 結果報告


@staff
def report(request: HttpRequest) -> HttpResponse:
    """定期健康診断結果報告 (安衛則52条, 様式第6号) figures for a fiscal year."""
    current, years = _years(request)
    form = forms.ReportForm(request.GET or {"year": str(current)}, years=years)
    year = _int(form.cleaned_data["year"]) if form.is_valid() else current
    start, end = selectors.fiscal_year_bounds(request.company, year or current)  # type: ignore[attr-defined]
    figures = selectors.report_figures(**read(request), start=start, end=end)
    if wants_download(request):
        rows: list[list[Any]] = [
            [
                "期間",
                "在籍労働者数",
                "受診者数",
                "うち特定業務従事者",
                "有所見者数",
                "医師の指示人数",
                "医師の意見を聴いた人数",
                "報告義務(常時50人以上)",
            ],
            [
                f"{start.isoformat()}〜{end.isoformat()}",
                figures.workers,
                figures.examined,
                figures.specific_workers,
                figures.with_findings,
                figures.instructed,
                figures.opinions_heard,
                "あり" if figures.required else "なし(50人未満)",
            ],
        ]
        return table_download(request, rows, name="checkup-report", title=_("定期健康診断結果報告"))
    return render(
        request,
        "affairs/health/report.html",
        {"form": form, "figures": figures, "threshold": rules.REPORT_THRESHOLD},
    )
