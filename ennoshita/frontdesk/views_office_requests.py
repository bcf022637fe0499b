"""Screens of 総務・一般事務への依頼: the form (any member), my requests, the team queue (総務 /
一般事務 / admin) with search, filters and CSV / Excel, one request with its history and the moves
the viewer may make, and the request types master (admin / 総務)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .forms_visits import (
    OfficeRequestFilterForm,
    OfficeRequestForm,
    OfficeRequestTransitionForm,
    RequestTypeForm,
)
from .models import OfficeRequest, OfficeRequestStatus, OfficeRequestType
from .permissions_visits import MEMBER_ROLES, REQUEST_TYPE_ROLES, TEAM_ROLES, teams_of
from .rules.visits import REQUEST_TRANSITIONS
from .selectors import office_requests as selectors
from .services import office_requests as services
from .views_visits import PAGE_SIZE

members = role_required(*MEMBER_ROLES)
TEAM_WORKERS = tuple(sorted({r for roles in TEAM_ROLES.values() for r in roles}))


def _type_choices(company: Any) -> list[tuple[int, str]]:
    return [(t.pk, f"{t.name}({t.get_team_display()})") for t in selectors.request_types(company=company)]


@members
def office_request_new(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = OfficeRequestForm(
        request.POST if post else None,
        initial={"request_type": request.GET.get("type", "")},
        types=_type_choices(company),
    )
    if post and form.is_valid():
        try:
            req = services.create_request(**ctx(request), data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            flash.success(request, _("依頼を送りました。担当チームに知らせました。"))
            return redirect("frontdesk:office_request_detail", req.pk)
    return render(request, "frontdesk/requests/form.html", {"form": form}, status=400 if form.errors else 200)


@members
def office_request_mine(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    status = request.GET.get("status", "")
    qs = selectors.my_requests(company=company, user=request.user, status=status, open_only=status == "")  # type: ignore[arg-type]
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontdesk/requests/mine.html",
        {"page_obj": page, "status": status, "statuses": OfficeRequestStatus.choices},
    )


@role_required(*TEAM_WORKERS)
def office_request_queue(request: HttpRequest) -> HttpResponse:
    """The team queue: open requests oldest first; filters, search, CSV / Excel."""
    membership = request.membership  # type: ignore[attr-defined]
    form = OfficeRequestFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    team = f.get("team", "")
    if team and team not in teams_of(membership):
        team = ""
    qs = selectors.team_queue(
        **read(request), team=team, status=f.get("status", ""), q=f.get("q", ""), mine=bool(f.get("mine"))
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.request_rows(qs.iterator()), name="office-requests", title=_("依頼")
        )
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/requests/queue.html", {"form": form, "page_obj": page})


def _moves(req: OfficeRequest, membership: Any, user_id: int) -> list[tuple[str, str]]:
    """The status moves this viewer may make on ``req`` (value, label)."""
    team = services.works_team(membership, req.request_type.team)
    labels = dict(OfficeRequestStatus.choices)
    allowed = []
    for target in sorted(REQUEST_TRANSITIONS.get(req.status, frozenset())):
        if team or (target == OfficeRequestStatus.CANCELLED and req.requester_id == user_id):
            allowed.append((target, str(labels[target])))
    return allowed


@members
def office_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    req = selectors.get_request(**read(request), request_id=pk)
    team_members = [(u.pk, u.display_name()) for u in services.team_members(company, req.request_type.team)]
    return render(
        request,
        "frontdesk/requests/detail.html",
        {
            "req": req,
            "events": selectors.request_history(company=company, request=req),
            "moves": _moves(req, membership, membership.user_id),
            "form": OfficeRequestTransitionForm(members=team_members),
            "works_team": services.works_team(membership, req.request_type.team),
        },
    )


@require_POST
@members
def office_request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    req = selectors.get_request(**read(request), request_id=pk)
    team_members = [(u.pk, u.display_name()) for u in services.team_members(company, req.request_type.team)]
    form = OfficeRequestTransitionForm(request.POST, members=team_members)
    if not form.is_valid():
        flash.error(
            request,
            _("入力内容に誤りがあります。")
            + " "
            + " ".join(str(m) for ms in form.errors.values() for m in ms),
        )
        return redirect("frontdesk:office_request_detail", req.pk)
    try:
        services.transition_request(
            **ctx(request),
            request=req,
            status=form.cleaned_data["status"],
            assignee_id=form.cleaned_data.get("assignee"),
            resolution=form.cleaned_data.get("resolution", ""),
        )
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        flash.error(request, error_text(exc))
    else:
        flash.success(request, _("依頼の状態を変えました。"))
    return redirect("frontdesk:office_request_detail", req.pk)


# ------------------------------------------------------------------------------ request types


@role_required(*REQUEST_TYPE_ROLES)
def office_request_types(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    types = selectors.request_types(company=company, active_only=False)
    return render(request, "frontdesk/requests/types.html", {"types": types})


def _type_form(request: HttpRequest, kind: OfficeRequestType | None) -> HttpResponse:
    post = request.method == "POST"
    initial = (
        {
            "name": kind.name,
            "team": kind.team,
            "description": kind.description,
            "sort_order": kind.sort_order,
            "is_active": kind.is_active,
        }
        if kind
        else None
    )
    form = RequestTypeForm(request.POST if post else None, initial=initial)
    if post and form.is_valid():
        try:
            if kind is None:
                services.create_request_type(**ctx(request), data=form.data_input())
            else:
                services.update_request_type(**ctx(request), request_type=kind, data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            flash.success(request, _("依頼の種類を保存しました。"))
            return redirect("frontdesk:office_request_types")
    company = request.company  # type: ignore[attr-defined]
    events = selectors.request_type_history(company=company, request_type=kind) if kind else []
    return render(
        request,
        "frontdesk/requests/type_form.html",
        {"form": form, "kind": kind, "events": events},
        status=400 if form.errors else 200,
    )


@role_required(*REQUEST_TYPE_ROLES)
def office_request_type_new(request: HttpRequest) -> HttpResponse:
    return _type_form(request, None)


@role_required(*REQUEST_TYPE_ROLES)
def office_request_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    return _type_form(request, selectors.get_request_type(company=company, type_id=pk))
