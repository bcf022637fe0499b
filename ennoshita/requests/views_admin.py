"""Screens of 業務依頼 around the requests: the service catalogue (every member but the outside
team), the teams with their members and catalogue (管理者), recurring requests (their requesters;
管理者 all), and the cost report with its chart and CSV (管理者・経理). The outside team gets a 404
on all of them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import error_text, membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import charts, permissions, services
from .forms import CostFilterForm, MemberForm, RecurringForm, TeamForm, TypeForm, put_errors
from .selectors import catalogue as selectors
from .selectors import costs as cost_selectors
from .views_common import page


def _not_assistant(request: HttpRequest) -> None:
    if permissions.is_assistant(request.membership):  # type: ignore[attr-defined]
        raise Http404


def _admin(request: HttpRequest) -> None:
    m = request.membership  # type: ignore[attr-defined]
    if not permissions.is_admin(m) or permissions.is_assistant(m):
        raise Http404


# ------------------------------------------------------------------------------ catalogue
@membership_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _not_assistant(request)
    team = request.GET.get("team", "")
    teams = selectors.catalogue(company=request.company, team_id=int(team) if team.isdigit() else None)  # type: ignore[attr-defined]
    return page(
        request,
        "requests/catalogue.html",
        {"teams": teams, "is_admin": permissions.is_admin(request.membership)},  # type: ignore[attr-defined]
    )


# ------------------------------------------------------------------------------ teams
@membership_required
def team_list(request: HttpRequest) -> HttpResponse:
    _admin(request)
    if request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team = services.save_team(**ctx(request), **form.cleaned_data)
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, _("チーム「%(n)s」を登録しました。") % {"n": team.name})
                return redirect("requests:team_detail", team.pk)
    else:
        form = TeamForm()
    teams = selectors.teams(company=request.company, active_only=False)  # type: ignore[attr-defined]
    return page(
        request, "requests/teams.html", {"teams": teams, "form": form}, status=400 if form.errors else 200
    )


@membership_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    company = request.company  # type: ignore[attr-defined]
    team = selectors.get_team(company=company, team_id=pk)
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": team.name,
            "kind": team.kind,
            "description": team.description,
            "hourly_rate": int(team.hourly_rate),
            "inhouse_hourly_cost": int(team.inhouse_hourly_cost),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(**ctx(request), team=team, **form.cleaned_data)
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("チームを保存しました。"))
            return redirect("requests:team_detail", team.pk)
    return page(
        request,
        "requests/team_detail.html",
        {
            "team": team,
            "form": form,
            "member_form": MemberForm(company=company),
            "type_form": TypeForm(),
            "members": selectors.members(team=team),
            "types": selectors.types_of(team=team),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@membership_required
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    team = selectors.get_team(company=request.company, team_id=pk)  # type: ignore[attr-defined]
    form = MemberForm(request.POST, company=request.company)  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for v in form.errors.values() for m in v))
        return redirect("requests:team_detail", pk)
    try:
        services.add_team_member(**ctx(request), team=team, user_id=form.cleaned_data["user"])
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("メンバーを追加しました。"))
    return redirect("requests:team_detail", pk)


@require_POST
@membership_required
def team_member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    _admin(request)
    team = selectors.get_team(company=request.company, team_id=pk)  # type: ignore[attr-defined]
    services.remove_team_member(**ctx(request), team=team, user_id=user_id)
    messages.success(request, _("メンバーを外しました。"))
    return redirect("requests:team_detail", pk)


@require_POST
@membership_required
def team_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    team = selectors.get_team(company=request.company, team_id=pk)  # type: ignore[attr-defined]
    try:
        services.revoke_team(**ctx(request), team=team)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("チーム「%(n)s」の契約を解除しました。") % {"n": team.name})
    return redirect("requests:team_detail", pk)


@require_POST
@membership_required
def type_new(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    team = selectors.get_team(company=request.company, team_id=pk)  # type: ignore[attr-defined]
    return _save_type(request, team, None)


@membership_required
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    row = selectors.get_type(company=request.company, type_id=pk)  # type: ignore[attr-defined]
    if request.method == "POST":
        return _save_type(request, row.team, row)
    form = TypeForm(
        initial={
            "name": row.name,
            "description": row.description,
            "needs": row.needs,
            "turnaround_days": row.turnaround_days,
            "sort_order": row.sort_order,
            "is_active": row.is_active,
        }
    )
    return page(request, "requests/type_form.html", {"form": form, "row": row, "team": row.team})


def _save_type(request: HttpRequest, team: Any, row: Any) -> HttpResponse:
    form = TypeForm(request.POST)
    if form.is_valid():
        try:
            services.save_request_type(**ctx(request), team=team, request_type=row, **form.cleaned_data)
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("依頼の種類を保存しました。"))
            return redirect("requests:team_detail", team.pk)
    return page(request, "requests/type_form.html", {"form": form, "row": row, "team": team}, status=400)


# ------------------------------------------------------------------------------ recurring
@membership_required
def recurring_list(request: HttpRequest) -> HttpResponse:
    _not_assistant(request)
    rows = selectors.recurring_list(**read(request))
    return page(request, "requests/recurring.html", {"rows": rows})


@membership_required
def recurring_new(request: HttpRequest) -> HttpResponse:
    _not_assistant(request)
    return _recurring_form(request, None)


@membership_required
def recurring_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _not_assistant(request)
    row = selectors.get_recurring(**read(request), recurring_id=pk)
    return _recurring_form(request, row)


def _recurring_form(request: HttpRequest, row: Any) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    initial: dict[str, Any] = {"team": request.GET.get("team", "")}
    if row is not None:
        initial = {
            "team": str(row.team_id),
            "request_type": str(row.request_type_id or ""),
            "title": row.title,
            "body": row.body,
            "frequency": row.frequency,
            "day": row.day,
            "lead_days": row.lead_days,
        }
    post = request.method == "POST"
    form = RecurringForm(request.POST if post else None, initial=initial, company=company)
    if post and "pick" not in request.POST and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.save_recurring(
                **ctx(request),
                team_id=int(d["team"]),
                request_type_id=int(d["request_type"]) if d.get("request_type") else None,
                title=d["title"],
                body=d.get("body") or "",
                frequency=d["frequency"],
                day=d.get("day") or 0,
                lead_days=d["lead_days"],
                recurring=row,
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(
                request,
                _("定期依頼を保存しました(次回の期限 %(d)s)。") % {"d": saved.next_due_on.isoformat()},
            )
            return redirect("requests:recurring_list")
    elif post:
        form.errors.clear()
    return page(
        request,
        "requests/recurring_form.html",
        {"form": form, "row": row},
        status=400 if form.errors else 200,
    )


@require_POST
@membership_required
def recurring_stop(request: HttpRequest, pk: int) -> HttpResponse:
    _not_assistant(request)
    row = selectors.get_recurring(**read(request), recurring_id=pk)
    try:
        services.stop_recurring(**ctx(request), recurring=row)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("定期依頼を停止しました。"))
    return redirect("requests:recurring_list")


# ------------------------------------------------------------------------------ costs
def _period(form: CostFilterForm) -> tuple[date, date, int | None]:
    """The period shown: by default the first day of the month five months ago to today."""
    today = timezone.localdate()
    month, year = today.month - 5, today.year
    if month < 1:
        month, year = month + 12, year - 1
    start, end, team = date(year, month, 1), today, None
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        team = int(form.cleaned_data["team"]) if form.cleaned_data.get("team") else None
    return start, end, team


@membership_required
def cost_report(request: HttpRequest) -> HttpResponse:
    if not permissions.reads_costs(request.membership):  # type: ignore[attr-defined]
        raise Http404
    form = CostFilterForm(request.GET or None, company=request.company)  # type: ignore[attr-defined]
    start, end, team = _period(form)
    if end < start:
        form.add_error("end", _("終了日は開始日以降にしてください。"))
        start, end = end, start
    months = cost_selectors.by_month(**read(request), start=start, end=end, team_id=team)
    top = cost_selectors.by_request(**read(request), start=start, end=end, team_id=team)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows: list[list[Any]] = [
            ["月", "チーム", "件数", "時間", "費用(円)", "社内で行った場合(円)", "差額(円)"]
        ]
        rows += [
            [
                m.month.strftime("%Y-%m"),
                m.team_name,
                m.requests,
                m.hours,
                m.cost,
                m.inhouse_cost if m.inhouse_cost is not None else "",
                m.saving if m.saving is not None else "",
            ]
            for m in months
        ]
        return table_download(request, rows, name="request-costs", title=_("業務依頼の工数と費用"))
    return page(
        request,
        "requests/costs.html",
        {
            "form": form,
            "months": months,
            "top": top,
            "start": start,
            "end": end,
            "chart": charts.month_bars(months),
        },
    )
