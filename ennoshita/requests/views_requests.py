"""Screens of 業務依頼 for requesters and teams: 「依頼する」, my requests, the team inbox (filters,
search, CSV; for an outside assistant their team's open requests with what each gives them), a
request's page (history, actions, time, files, record cards), a record card and a file of a request.

Views parse, call ``services`` / ``selectors`` and render; the services check permissions again. A
request the member may not see, and another company's, are a 404. Every page an outside assistant
opens here is a 閲覧 line on the request; a record or file the request does not give them is a 404
recorded as アクセス拒否 (and ``access_denied`` in the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core import records as core_records
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.downloads import version_response

from . import gate, permissions, services
from .forms import (
    EditForm,
    FilesForm,
    FilterForm,
    HandOverForm,
    RequestForm,
    TextForm,
    TimeForm,
    put_errors,
    record_value,
)
from .models import OPEN_STATUSES, Team, TeamMember, WorkRequest
from .selectors import catalogue as catalogue_selectors
from .selectors import requests as selectors
from .views_common import page

PAGE_SIZE = 50


def _assistant(request: HttpRequest) -> bool:
    return permissions.is_assistant(request.membership)  # type: ignore[attr-defined]


def _seen(request: HttpRequest, row: WorkRequest, page: str) -> None:
    if _assistant(request):
        services.record_view(company=request.company, actor=request.user, request=row, page=page)  # type: ignore[attr-defined,arg-type]


# ------------------------------------------------------------------------------ 依頼する
@membership_required
def request_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_request(request.membership):  # type: ignore[attr-defined]
        raise Http404
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    initial = {"team": request.GET.get("team", ""), "request_type": request.GET.get("type", "")}
    form = RequestForm(
        request.POST if post else None, request.FILES if post else None, initial=initial, company=company
    )
    if post and form.is_valid() and "search" not in request.POST and "pick" not in request.POST:
        d = form.cleaned_data
        try:
            row = services.create_request(
                **ctx(request),
                team_id=int(d["team"]),
                request_type_id=int(d["request_type"]) if d.get("request_type") else None,
                title=d["title"],
                body=d["body"],
                due_on=d.get("due_on"),
                records=form.record_pairs(),
                files=form.file_pairs(),
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("依頼「%(n)s」を送りました。") % {"n": row.number})
            return redirect("requests:detail", row.pk)
    elif post and ("search" in request.POST or "pick" in request.POST):
        form.errors.clear()  # only looking up records or the team's types: no errors yet
    team_id = form.data.get("team") if post else initial["team"]
    chosen_type = None
    type_id = form.data.get("request_type") if post else initial["request_type"]
    if str(type_id or "").isdigit():
        chosen_type = catalogue_selectors.catalogue_type(company=company, type_id=int(str(type_id)))
    return page(
        request,
        "requests/new.html",
        {
            "form": form,
            "catalogue": catalogue_selectors.catalogue(
                company=company, team_id=int(str(team_id)) if str(team_id or "").isdigit() else None
            ),
            "chosen_type": chosen_type,
            "has_kinds": bool(core_records.kinds()),
        },
        status=400 if post and form.errors else 200,
    )


# ------------------------------------------------------------------------------ 依頼内容の変更
@membership_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester corrects the title, the task, the due date and the records while it is open."""
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    row = selectors.get_request(**read(request), request_id=pk)
    if not (permissions.is_requester(membership, row) or permissions.is_admin(membership)) or (
        row.status not in OPEN_STATUSES
    ):
        raise Http404
    post = request.method == "POST"
    initial = {
        "title": row.title,
        "body": row.body,
        "due_on": row.due_on,
        "records": [record_value(r.object_type, r.object_id) for r in row.records.all()],
    }
    form = EditForm(request.POST if post else None, initial=initial, company=company)
    if post and "search" in request.POST:
        form.errors.clear()  # only looking up records
    elif post and form.is_valid():
        d = form.cleaned_data
        try:
            services.edit_request(
                **ctx(request),
                request=row,
                title=d["title"],
                body=d["body"],
                due_on=d.get("due_on"),
                records=form.record_pairs(),
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("依頼内容を変更しました。"))
            return redirect("requests:detail", row.pk)
    return page(
        request,
        "requests/edit.html",
        {"r": row, "form": form, "has_kinds": bool(core_records.kinds())},
        status=400 if post and form.errors else 200,
    )


# ------------------------------------------------------------------------------ lists
def _members_of(company: Any, team_ids: list[int]) -> list[tuple[int, str]]:
    rows = (
        TeamMember.objects.for_company(company)
        .filter(team_id__in=team_ids, is_active=True)
        .select_related("user")
    )
    seen: dict[int, str] = {}
    for r in rows.order_by("user_id"):
        seen.setdefault(r.user_id, r.user.display_name())
    return sorted(seen.items(), key=lambda x: x[1])


@membership_required
def request_mine(request: HttpRequest) -> HttpResponse:
    if _assistant(request):
        return redirect("requests:inbox")
    return _list(request, scope="mine")


@membership_required
def request_inbox(request: HttpRequest) -> HttpResponse:
    return _list(request, scope="team")


def _list(request: HttpRequest, *, scope: str) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    teams = permissions.team_ids(membership)
    assistant = permissions.is_assistant(membership)
    if scope == "team" and not teams and not permissions.is_admin(membership):
        return page(request, "requests/list.html", {"scope": scope, "no_team": True, "assistant": assistant})
    team_ids = (
        teams
        if not permissions.is_admin(membership)
        else list(Team.objects.for_company(company).values_list("pk", flat=True))
    )
    form = FilterForm(
        request.GET or None,
        company=company,
        team_ids=team_ids,
        members=[] if assistant else _members_of(company, team_ids),
    )
    qs = selectors.request_list(**read(request), scope=scope, **form.filters())
    if request.GET.get("format") in ("csv", "xlsx") and not assistant:
        return table_download(
            request, selectors.export_rows(qs), name=f"requests-{scope}", title=_("業務依頼")
        )
    paged = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(paged.object_list)
    gives = selectors.gives(membership=membership, requests=rows) if assistant or scope == "team" else {}
    return page(
        request,
        "requests/list.html",
        {
            "scope": scope,
            "form": form,
            "page_obj": paged,
            "rows": [(r, gives.get(r.pk)) for r in rows],
            "assistant": assistant,
            "today": timezone.localdate(),
        },
    )


# ------------------------------------------------------------------------------ detail
@membership_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    row = selectors.get_request(**read(request), request_id=pk)
    assistant = permissions.is_assistant(membership)
    _seen(request, row, request.path)
    teams = permissions.team_ids(membership)
    works = permissions.works_on(membership, row, teams)
    is_open = row.status in OPEN_STATUSES
    members = [
        (m.user_id, m.user.display_name())
        for m in catalogue_selectors.members(team=row.team)
        if m.user_id != row.assignee_id
    ]
    other_teams = (
        []
        if assistant
        else [(t.pk, t.name) for t in catalogue_selectors.teams(company=company) if t.pk != row.team_id]
    )
    gives = selectors.gives(membership=membership, requests=[row])[row.pk]
    return page(
        request,
        "requests/detail.html",
        {
            "r": row,
            "assistant": assistant,
            "works": works,
            "is_open": is_open,
            "is_requester": permissions.is_requester(membership, row),
            "can_cancel": is_open
            and (permissions.is_requester(membership, row) or permissions.is_admin(membership)),
            "gives": gives,
            "events": selectors.history(request=row, include_views=not assistant)[:500],
            "entries": selectors.time_entries(request=row)
            if works or permissions.reads_costs(membership)
            else [],
            "total": selectors.time_total(request=row),
            "show_cost": permissions.reads_costs(membership),
            "handover_form": HandOverForm(members=members, teams=other_teams),
            "text_form": TextForm(),
            "time_form": TimeForm(),
            "files_form": FilesForm(),
            "today": timezone.localdate(),
        },
    )


def _viewer(request: HttpRequest) -> gate.Viewer:
    return gate.Viewer(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        user=request.user,  # type: ignore[arg-type]
        path=request.path,
    )


@membership_required
def request_record(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    given = gate.given_record(_viewer(request), request_id=pk, record_id=record_id)
    kind, object_id = given.kind, given.record.object_id
    staff_url = kind.staff_url(object_id) if kind and kind.staff_url and not _assistant(request) else ""
    return page(
        request,
        "requests/record.html",
        {
            "r": given.request,
            "card": given.card,
            "kind": kind,
            "staff_url": staff_url,
            "record": given.record,
        },
    )


@membership_required
def request_attachment(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    stored = gate.given_file(_viewer(request), request_id=pk, document_id=document_id).version
    return version_response(stored, inline=request.GET.get("inline") == "1")


def forbid_assistant(request: HttpRequest) -> None:
    if _assistant(request):
        raise PermissionDenied
