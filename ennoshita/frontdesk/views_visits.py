"""Screens of 来訪者: the desk's today board (check in / out, walk-ins), 来訪予約 for hosts (with an
optional room), a visit with its history, the printable visitor badge, the visitor log with CSV /
Excel, my visits, and 受付の設定.

Views parse, call ``frontdesk.services.visits`` / ``frontdesk.selectors.visits`` and render; the
services check the roles again. Another company's visit is a 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import qr
from .forms_visits import FrontdeskSettingsForm, ReasonForm, VisitForm, VisitLogFilterForm, WalkInForm
from .models import Visit, VisitStatus
from .permissions_visits import DESK_ROLES, MEMBER_ROLES, SETTINGS_ROLES, is_desk
from .selectors import visits as selectors
from .services import visits as services

PAGE_SIZE = 50
desk_only = role_required(*DESK_ROLES)
members = role_required(*MEMBER_ROLES)


def _back(request: HttpRequest, visit: Visit) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "board":
        return redirect("frontdesk:visit_board")
    return redirect("frontdesk:visit_detail", visit.pk)


# ------------------------------------------------------------------------------ the desk


@desk_only
def visit_board(request: HttpRequest) -> HttpResponse:
    """受付: today's visitors — expected, in the building, left — and the walk-in form."""
    company = request.company  # type: ignore[attr-defined]
    board = selectors.today_board(**read(request))
    form = WalkInForm(company=company)
    return render(request, "frontdesk/visits/board.html", {"board": board, "walk_in_form": form})


@require_POST
@desk_only
def visit_walk_in(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = WalkInForm(request.POST, company=company)
    if form.is_valid():
        try:
            visit = services.register_walk_in(
                **ctx(request), data=form.data_input(), badge_number=form.cleaned_data.get("badge_number", "")
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request, _("飛び込みの来訪者を受け付けました(入館証 %(b)s)。") % {"b": visit.badge_number}
            )
            return redirect("frontdesk:visit_board")
    board = selectors.today_board(**read(request))
    return render(request, "frontdesk/visits/board.html", {"board": board, "walk_in_form": form}, status=400)


def _act(request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any) -> HttpResponse:
    visit = selectors.get_visit(**read(request), visit_id=pk)
    try:
        visit = action(**ctx(request), visit=visit, **kwargs)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done % {"b": visit.badge_number})
    return _back(request, visit)


@require_POST
@desk_only
def visit_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    badge = request.POST.get("badge_number", "")[:40]
    return _act(
        request,
        pk,
        services.check_in,
        _("受付しました(入館証 %(b)s)。担当者に知らせました。"),
        badge_number=badge,
    )


@require_POST
@desk_only
def visit_check_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.check_out, _("退館を記録しました。"))


@require_POST
@members
def visit_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.mark_no_show, _("来訪なしにしました。"))


@require_POST
@members
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    return _act(request, pk, services.cancel_visit, _("来訪を取り消しました。"), reason=reason)


# ------------------------------------------------------------------------------ hosts


def _visit_form(request: HttpRequest, visit: Visit | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    post = request.method == "POST"
    initial: dict[str, Any] = {}
    if visit is not None:
        initial = {
            name: getattr(visit, name)
            for name in (
                "visitor_company",
                "visitor_name",
                "visitor_count",
                "visitor_phone",
                "visitor_email",
                "purpose",
                "note",
            )
        }
        initial["expected_at"] = timezone.localtime(visit.expected_at)
        initial["expected_until"] = timezone.localtime(visit.expected_until) if visit.expected_until else None
        initial["host"] = visit.host_id
        booking = visit.booking
        initial["room"] = booking.room_id if booking is not None and booking.status == "confirmed" else ""
    form = VisitForm(
        request.POST if post else None,
        initial=initial,
        company=company,
        rooms=selectors.room_choices(company=company),
        choose_host=is_desk(membership),
    )
    if post and form.is_valid():
        try:
            if visit is None:
                saved = services.register_visit(**ctx(request), data=form.data_input())
            else:
                saved = services.update_visit(**ctx(request), visit=visit, data=form.data_input())
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            apply_service_error(form, exc)
        else:
            text = _("来訪を登録しました。") if visit is None else _("来訪を変更しました。")
            if saved.booking is not None:
                text += " " + _("会議室「%(r)s」を予約しました。") % {"r": saved.booking.room.name}
            messages.success(request, text)
            return redirect("frontdesk:visit_detail", saved.pk)
    return render(
        request,
        "frontdesk/visits/form.html",
        {"form": form, "visit": visit},
        status=400 if form.errors else 200,
    )


@members
def visit_new(request: HttpRequest) -> HttpResponse:
    return _visit_form(request, None)


@members
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit(**read(request), visit_id=pk)
    if visit.status != VisitStatus.EXPECTED:
        messages.error(request, _("来訪予定の間だけ変更できます。"))
        return redirect("frontdesk:visit_detail", visit.pk)
    return _visit_form(request, visit)


@members
def visit_free_rooms(request: HttpRequest) -> HttpResponse:
    """The room options free for the times typed in the form (HTMX, as the times change)."""
    company = request.company  # type: ignore[attr-defined]
    start = _parse(request.GET.get("expected_at", ""))
    end = _parse(request.GET.get("expected_until", ""))
    if start is not None and end is not None and end > start:
        rooms = [
            (r.pk, f"{r.name}(定員{r.capacity}名)")
            for r in selectors.free_rooms(company=company, start=start, end=end)
        ]
        note = _("空いている会議室だけを表示しています。")
    else:
        rooms = selectors.room_choices(company=company)
        note = ""
    selected = request.GET.get("room", "")
    return render(
        request, "frontdesk/visits/_room_options.html", {"rooms": rooms, "selected": selected, "note": note}
    )


def _parse(text: str) -> datetime | None:
    value = parse_datetime(text[:30]) if text else None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@members
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    visit = selectors.get_visit(**read(request), visit_id=pk)
    mine = request.user.pk in (visit.host_id, visit.created_by_id)
    return render(
        request,
        "frontdesk/visits/detail.html",
        {
            "visit": visit,
            "events": selectors.visit_history(company=company, visit=visit),
            "is_desk": is_desk(membership),
            "may_change": is_desk(membership) or mine,
        },
    )


@members
def visit_badge(request: HttpRequest, pk: int) -> HttpResponse:
    """入館証: a printable page with the visitor, the host, the date, the badge number and a QR code
    of the visit (its number, for the desk's scanner)."""
    visit = selectors.get_visit(**read(request), visit_id=pk)
    return render(
        request,
        "frontdesk/visits/badge.html",
        {"visit": visit, "qr_svg": qr.svg(f"ENNOSHITA-VISIT:{visit.pk}")},
    )


@members
def visit_mine(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    rows = selectors.my_visits(company=company, user=request.user, days_back=7)  # type: ignore[arg-type]
    page = KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/visits/mine.html", {"page_obj": page})


@desk_only
def visit_log(request: HttpRequest) -> HttpResponse:
    """来訪記録: search by company / name, filters, pages, CSV / Excel."""
    company = request.company  # type: ignore[attr-defined]
    form = VisitLogFilterForm(request.GET or None, company=company)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.visitor_log(
        **read(request),
        q=f.get("q", ""),
        date_from=f.get("date_from"),
        date_to=f.get("date_to"),
        host_id=f.get("host"),
        status=f.get("status", ""),
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.log_rows(qs.iterator(chunk_size=2000)), name="visitors", title=_("来訪記録")
        )
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/visits/log.html", {"form": form, "page_obj": page})


@role_required(*SETTINGS_ROLES)
def visit_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = services.settings_of(company)
    post = request.method == "POST"
    form = FrontdeskSettingsForm(
        request.POST if post else None,
        initial={
            "visitor_retention_days": current.visitor_retention_days,
            "notify_host_by_email": current.notify_host_by_email,
        },
    )
    if post and form.is_valid():
        try:
            services.update_settings(**ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("受付の設定を保存しました。"))
            return redirect("frontdesk:visit_settings")
    return render(
        request,
        "frontdesk/visits/settings.html",
        {"form": form, "events": selectors.settings_history(company=company)},
        status=400 if form.errors else 200,
    )
