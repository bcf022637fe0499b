"""Screens of 登記・機関 (法務): the registry home (officers and their term ends, pending 登記,
upcoming meetings and 基準日 limits), officers with their terms (appoint, 重任, 退任), the registered
items with their history (record a change, filed, registered), the meetings with their minutes, and
the 定款 settings. 法務・管理者 write; 経理 reads; anyone else is refused (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.downloads import version_response

from .forms_registry import (
    ChangeForm,
    CharterForm,
    FiledForm,
    LeaveForm,
    MeetingForm,
    MinutesForm,
    OfficerForm,
    ReelectForm,
    RegisteredForm,
)
from .models import CorporateMeeting, MeetingKind, Officer, RegistryChange
from .permissions_registry import MANAGER_ROLES, READ_ROLES
from .selectors import registry as selectors
from .services import registry as services

PAGE_SIZE = 50
readers = role_required(*READ_ROLES)
managers = role_required(*MANAGER_ROLES)


def _officer(request: HttpRequest, pk: int) -> Officer:
    return selectors.get_officer(**read(request), officer_id=pk)


def _change(request: HttpRequest, pk: int) -> RegistryChange:
    return selectors.get_change(**read(request), change_id=pk)


def _meeting(request: HttpRequest, pk: int) -> CorporateMeeting:
    return selectors.get_meeting(**read(request), meeting_id=pk)


def _base(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "today": timezone.localdate(),
        "can_manage": selectors.can_manage(request.membership),  # type: ignore[attr-defined]
        "soon_days": selectors.SOON_DAYS,
        **extra,
    }


@readers
def registry_home(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    today = timezone.localdate()
    charter = selectors.charter(**read(request))
    pending = list(selectors.pending_changes(**read(request))[:100])
    for c in pending:
        c.days_left = (c.deadline_on - today).days  # type: ignore[attr-defined]
        c.overdue_days = -c.days_left  # type: ignore[attr-defined]
    officers = list(selectors.officers(**read(request))[:200])
    for o in officers:
        o.days_left = (o.term_ends_on - today).days  # type: ignore[attr-defined]
    upcoming = list(selectors.meetings(**read(request), upcoming=True)[:20])
    for m in upcoming:
        m.record_limit = selectors.record_limit(m)  # type: ignore[attr-defined]
    return render(
        request,
        "legal/registry/home.html",
        _base(
            request,
            charter=charter,
            officers=officers,
            pending=pending,
            upcoming=upcoming,
            next_agm=selectors.next_agm(company=company, charter=charter, today=today),
            agm=selectors.agm_status(company=company, today=today) if charter else None,
            dormant=selectors.dormant_risk(company=company, today=today),
        ),
    )


@readers
def charter_settings(request: HttpRequest) -> HttpResponse:
    charter = selectors.charter(**read(request))
    post = request.method == "POST"
    if post and not selectors.can_manage(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied
    initial = (
        {f: getattr(charter, f) for f in CharterForm.base_fields}
        if charter
        else {
            "director_term_years": 2,
            "auditor_term_years": 4,
            "agm_months_after_year_end": 3,
            "has_board": True,
        }
    )
    form = CharterForm(request.POST if post else None, initial=initial)
    if post and form.is_valid():
        try:
            services.save_charter_settings(**ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("定款の設定を保存しました。"))
            return redirect("legal:registry_home")
    return render(
        request,
        "legal/registry/charter.html",
        _base(request, form=form, charter=charter),
        status=400 if form.errors else 200,
    )


@readers
def officer_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "current")
    state = state if state in ("current", "past", "all") else "current"
    qs = selectors.officers(**read(request), state=state)
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for o in page.object_list:
        o.days_left = (o.term_ends_on - today).days
    return render(request, "legal/registry/officer_list.html", _base(request, page_obj=page, state=state))


@managers
def officer_new(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = OfficerForm(request.POST if post else None, company=company)
    if post and form.is_valid():
        c = form.cleaned_data
        data = services.OfficerInput(
            name=c["name"],
            name_kana=c.get("name_kana", ""),
            position=c["position"],
            elected_on=c["elected_on"],
            took_office_on=c["took_office_on"],
            term_years=c.get("term_years"),
            user_id=c.get("user"),
        )
        try:
            officer = services.appoint_officer(**ctx(request), data=data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request, _("%(n)s を登録しました。登記期限は就任日から2週間です。") % {"n": officer.name}
            )
            return redirect("legal:officer_detail", officer.pk)
    return render(
        request,
        "legal/registry/officer_form.html",
        _base(request, form=form),
        status=400 if form.errors else 200,
    )


@readers
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    officer = _officer(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "legal/registry/officer_detail.html",
        _base(
            request,
            officer=officer,
            days_left=(officer.term_ends_on - today).days,
            terms=selectors.terms_of(company=company, officer=officer),
            changes=list(selectors.officer_changes(company=company, officer=officer)),
            events=list(
                selectors.history(company=company, object_type="legal.officer", object_id=officer.pk)[:200]
            ),
        ),
    )


def _officer_action(
    request: HttpRequest, pk: int, form_class: type, template: str, call: Any, done: str
) -> HttpResponse:
    officer = _officer(request, pk)
    post = request.method == "POST"
    form = form_class(request.POST if post else None)
    if post and form.is_valid():
        try:
            result = call(officer, form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("legal:officer_detail", result.pk)
    return render(
        request, template, _base(request, form=form, officer=officer), status=400 if form.errors else 200
    )


@managers
def officer_reelect(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(
        request,
        pk,
        ReelectForm,
        "legal/registry/officer_reelect.html",
        lambda o, c: services.reelect_officer(
            **ctx(request),
            officer=o,
            elected_on=c["elected_on"],
            took_office_on=c["took_office_on"],
            term_years=c.get("term_years"),
        ),
        _("重任を記録しました。重任の変更登記も2週間以内に申請してください。"),
    )


@managers
def officer_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(
        request,
        pk,
        LeaveForm,
        "legal/registry/officer_leave.html",
        lambda o, c: services.officer_leaves(
            **ctx(request), officer=o, reason=c["reason"], left_on=c["left_on"]
        ),
        _("退任を記録しました。退任の登記は2週間以内に申請してください。"),
    )


@readers
def change_list(request: HttpRequest) -> HttpResponse:
    """登記事項: each item with its history."""
    items = selectors.items_with_history(**read(request))
    return render(request, "legal/registry/change_list.html", _base(request, items=items))


@managers
def change_new(request: HttpRequest) -> HttpResponse:
    post = request.method == "POST"
    form = ChangeForm(request.POST if post else None, initial={"item": request.GET.get("item", "")})
    if post and form.is_valid():
        c = form.cleaned_data
        try:
            change = services.record_registry_change(
                **ctx(request),
                data=services.ChangeInput(
                    item=c["item"],
                    content=c["content"],
                    effective_on=c["effective_on"],
                    note=c.get("note", ""),
                    filed_on=c.get("filed_on"),
                    registered_on=c.get("registered_on"),
                ),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("登記事項の変更を記録しました。登記期限は %(d)s です。") % {"d": change.deadline_on},
            )
            return redirect("legal:change_detail", change.pk)
    return render(
        request,
        "legal/registry/change_form.html",
        _base(request, form=form),
        status=400 if form.errors else 200,
    )


@readers
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    change = _change(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "legal/registry/change_detail.html",
        _base(
            request,
            change=change,
            state=services.change_state(change),
            days_left=(change.deadline_on - today).days,
            filed_form=FiledForm(initial={"filed_on": today}),
            registered_form=RegisteredForm(initial={"registered_on": today}),
            events=list(
                selectors.history(company=company, object_type="legal.registrychange", object_id=change.pk)[
                    :200
                ]
            ),
        ),
    )


def _change_step(request: HttpRequest, pk: int, form_class: type, call: Any, done: str) -> HttpResponse:
    change = _change(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("日付を入力してください。"))
        return redirect("legal:change_detail", change.pk)
    try:
        call(change, form.cleaned_data)
    except ServiceError as exc:
        if exc.status != 400:
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("legal:change_detail", change.pk)


@require_POST
@managers
def change_filed(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_step(
        request,
        pk,
        FiledForm,
        lambda ch, c: services.mark_filed(**ctx(request), change=ch, filed_on=c["filed_on"]),
        _("申請日を記録しました。"),
    )


@require_POST
@managers
def change_registered(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_step(
        request,
        pk,
        RegisteredForm,
        lambda ch, c: services.mark_registered(**ctx(request), change=ch, registered_on=c["registered_on"]),
        _("登記完了日を記録しました。"),
    )


@readers
def meeting_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    qs = selectors.meetings(**read(request), kind=kind)
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for m in page.object_list:
        m.record_limit = selectors.record_limit(m)
    return render(
        request,
        "legal/registry/meeting_list.html",
        _base(request, page_obj=page, kind=kind, kinds=MeetingKind.choices),
    )


@managers
def meeting_new(request: HttpRequest) -> HttpResponse:
    post = request.method == "POST"
    form = MeetingForm(request.POST if post else None)
    if post and form.is_valid():
        c = form.cleaned_data
        try:
            meeting = services.record_meeting(
                **ctx(request),
                data=services.MeetingInput(
                    kind=c["kind"],
                    title=c.get("title", ""),
                    held_on=c["held_on"],
                    record_date=c.get("record_date"),
                    resolutions=c.get("resolutions", ""),
                ),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(t)s を登録しました。") % {"t": meeting.title})
            return redirect("legal:meeting_detail", meeting.pk)
    return render(
        request,
        "legal/registry/meeting_form.html",
        _base(request, form=form),
        status=400 if form.errors else 200,
    )


@readers
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    meeting = _meeting(request, pk)
    return render(
        request,
        "legal/registry/meeting_detail.html",
        _base(
            request,
            meeting=meeting,
            record_limit=selectors.record_limit(meeting),
            versions=selectors.minutes_versions(meeting),
            minutes_form=MinutesForm(),
            events=list(
                selectors.history(
                    company=company, object_type="legal.corporatemeeting", object_id=meeting.pk
                )[:200]
            ),
        ),
    )


@require_POST
@managers
def meeting_minutes_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("ファイルを選んでください。"))
        return redirect("legal:meeting_detail", meeting.pk)
    upload: Any = request.FILES["file"]
    try:
        version = services.attach_minutes(
            **ctx(request),
            meeting=meeting,
            file_name=upload.name or "",
            data=upload.read(),
            comment=form.cleaned_data.get("comment") or "",
        )
    except ServiceError as exc:
        if exc.status != 400:
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("議事録を第%(n)d版として登録しました。") % {"n": version.number})
    return redirect("legal:meeting_detail", meeting.pk)


@readers
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The current minutes, to those who read the registry."""
    stored = selectors.minutes_file(**read(request), meeting_id=pk)
    return version_response(stored, inline=request.GET.get("inline") == "1")
