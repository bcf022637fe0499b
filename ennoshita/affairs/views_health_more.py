"""Screens of ストレスチェック, 長時間労働者 and the health-access grants (namespace "affairs", names
``health_…``); the checkup screens are in ``views_health``. Participation only on the lists; a
consented stress-check result opens only for members with health access, and each opening is
recorded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.dates import parse_month
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import error_text, membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import forms_health as forms
from .models import LongHoursCase, StressCheck
from .rules import health as rules
from .selectors import health as selectors
from .services import health as services
from .services import health_more as more
from .views_health import PAGE_SIZE, _int, _url, _years, admin_only, staff, wants_download

# ------------------------------------------------------------------------------ ストレスチェック


def _stress_rows(rows: Iterable[StressCheck]) -> Iterable[list[Any]]:
    yield ["年度", "社員番号", "氏名", "受検状況", "受検日", "結果の通知日", "同意日", "面接指導の申出日", "面接指導の実施日"]  # fmt: skip
    for s in rows:
        yield [
            s.fiscal_year,
            s.employee.number,
            s.employee.full_name,
            s.get_status_display(),
            s.taken_on,
            s.notified_on,
            s.consent_on,
            s.interview_requested_on,
            s.interview_done_on,
        ]


@staff
def stress(request: HttpRequest) -> HttpResponse:
    current, years = _years(request)
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = str(current)
    form = forms.StressFilterForm(data, years=years)
    f = form.cleaned_data if form.is_valid() else {}
    year = _int(f.get("year")) or current
    qs = selectors.stress_list(**read(request), year=year, status=f.get("status", ""), q=f.get("q", ""))
    if wants_download(request):
        return table_download(request, _stress_rows(qs), name="stress-checks", title=_("ストレスチェック"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/health/stress.html",
        {
            "form": form,
            "page_obj": page,
            "year": year,
            "counts": selectors.stress_counts(**read(request), year=year),
            "invite_form": forms.YearForm(initial={"fiscal_year": year}, years=years),
            "can_open": selectors.can_open_results(**read(request)),
        },
    )


@require_POST
@staff
def stress_invite(request: HttpRequest) -> HttpResponse:
    _current, years = _years(request)
    form = forms.YearForm(request.POST, years=years)
    if not form.is_valid():
        messages.error(request, _("年度を選んでください。"))
        return redirect("affairs:health_stress")
    year = form.cleaned_data["fiscal_year"]
    try:
        n = more.invite_stress_checks(**ctx(request), fiscal_year=year)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)s人をストレスチェックの対象にしました。") % {"n": n})
    return redirect(f"{_url('affairs:health_stress')}?year={year}")


@require_POST
@membership_required
def stress_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of a worker's check (staff; the worker gives their own consent and 申出)."""
    check = selectors.get_stress_check(**read(request), check_id=pk)
    form = forms.StressStepForm(request.POST)
    back = request.POST.get("back") == "mine"
    if not form.is_valid():
        messages.error(request, _("入力内容に誤りがあります。"))
    else:
        step, day = form.cleaned_data["step"], form.cleaned_data["day"]
        try:
            if step in ("taken", "declined"):
                more.record_stress_participation(**ctx(request), check=check, status=step, taken_on=day)
            elif step == "notice":
                more.record_stress_notice(**ctx(request), check=check, notified_on=day)
            elif step == "consent":
                more.record_stress_consent(**ctx(request), check=check, consent_on=day)
            elif step == "requested":
                more.record_stress_interview(**ctx(request), check=check, requested_on=day)
            else:
                more.record_stress_interview(**ctx(request), check=check, done_on=day)
        except ServiceError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("記録しました。"))
    if back:
        return redirect("affairs:health_my_checkups")
    return redirect(f"{_url('affairs:health_stress')}?year={check.fiscal_year}")


@staff
def stress_result(request: HttpRequest, pk: int) -> HttpResponse:
    """A consented individual result: store it, or open it (recorded). Health access only."""
    check = selectors.get_stress_check(**read(request), check_id=pk)
    form = forms.StressResultForm(request.POST or None)
    text = None
    status = 200
    try:
        if request.method == "POST":
            if form.is_valid():
                more.store_stress_result(**ctx(request), check=check, result=form.cleaned_data["result"])
                messages.success(request, _("本人の同意を得た結果を暗号化して保存しました。"))
                return redirect("affairs:health_stress_result", check.pk)
            status = 400
        elif check.result_encrypted:
            text = more.view_stress_result(**ctx(request), check=check)
        else:
            services.require_health_access(**read(request))
    except PermissionDeniedError as exc:
        return render(
            request, "affairs/health/stress_result.html", {"check": check, "refused": exc.message}, status=403
        )
    except ServiceError as exc:
        apply_service_error(form, exc)
        status = 400
    return render(
        request,
        "affairs/health/stress_result.html",
        {"check": check, "form": form, "text": text},
        status=status,
    )


# ------------------------------------------------------------------------------ 長時間労働


def _long_rows(rows: Iterable[LongHoursCase]) -> Iterable[list[Any]]:
    yield ["対象月", "社員番号", "氏名", "週40時間を超えた時間", "本人への通知日", "面接指導の申出日", "面接指導の実施日"]  # fmt: skip
    for c in rows:
        yield [
            c.month.strftime("%Y-%m"),
            c.employee.number,
            c.employee.full_name,
            rules.hours_text(c.excess_minutes),
            c.notified_on,
            c.interview_requested_on,
            c.interview_done_on,
        ]


@staff
def long_hours(request: HttpRequest) -> HttpResponse:
    form = forms.LongHoursFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    month = parse_month(f.get("month", "") or "")
    qs = selectors.long_hours_list(**read(request), month=month, open_only=bool(f.get("open_only")))
    if wants_download(request):
        return table_download(request, _long_rows(qs), name="long-hours", title=_("長時間労働者"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    last_month = rules.add_months(today.replace(day=1), -1)
    return render(
        request,
        "affairs/health/long_hours.html",
        {
            "form": form,
            "page_obj": page,
            "build_form": forms.LongHoursBuildForm(initial={"month": last_month.strftime("%Y-%m")}),
            "step_form": forms.LongHoursStepForm(initial={"notified_on": today}),
            "threshold_hours": rules.LONG_HOURS_THRESHOLD // 60,
        },
    )


@require_POST
@staff
def long_hours_build(request: HttpRequest) -> HttpResponse:
    month = parse_month(request.POST.get("month", ""))
    if month is None:
        messages.error(request, _("対象月を「2026-05」の形で入力してください。"))
        return redirect("affairs:health_long_hours")
    try:
        result = more.build_long_hours_cases(**ctx(request), month=month)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(m)sの長時間労働者: 新規 %(c)s件・更新 %(u)s件・解除 %(r)s件")
            % {"m": month.strftime("%Y-%m"), "c": result.created, "u": result.updated, "r": result.removed},
        )
    return redirect(f"{_url('affairs:health_long_hours')}?month={month.strftime('%Y-%m')}")


@require_POST
@staff
def long_hours_step(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_long_hours_case(**read(request), case_id=pk)
    form = forms.LongHoursStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("入力内容に誤りがあります。"))
    else:
        try:
            more.record_long_hours_step(**ctx(request), case=case, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("記録しました。"))
    return redirect(f"{_url('affairs:health_long_hours')}?month={case.month.strftime('%Y-%m')}")


# ------------------------------------------------------------------------------ access


@admin_only
def access(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    members = [
        (m.pk, f"{m.user.display_name()}({m.roles_display()})")
        for m in selectors.grant_candidates(company=company)
    ]
    form = forms.GrantForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            grantee = selectors.get_member(company=company, membership_id=form.cleaned_data["grantee"])
            services.grant_health_access(
                **ctx(request), grantee=grantee, expires_on=form.cleaned_data["expires_on"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("健康情報の閲覧権限を付与しました。"))
            return redirect("affairs:health_access")
    return render(
        request,
        "affairs/health/access.html",
        {"form": form, "grants": selectors.grant_list(company=company), "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@require_POST
@admin_only
def access_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant(company=request.company, grant_id=pk)  # type: ignore[attr-defined]
    try:
        services.revoke_health_access(**ctx(request), grant=grant)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("閲覧権限を取り消しました。"))
    return redirect("affairs:health_access")
