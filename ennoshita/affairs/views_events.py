"""Screens of 社内行事: the list (upcoming / past, search, export), the detail with the sign-up or
cancel button and the seats left, and for 総務・人事・管理者 the form, the attendee list (export),
closing sign-ups, cancelling the event and the cost."""

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

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required

from .forms_announcements import (
    AttendeeFilterForm,
    CostForm,
    EventFilterForm,
    EventForm,
    SignupForm,
    WithdrawForm,
)
from .models import Event, EventSignup
from .selectors import events as selectors
from .services import events as services

PAGE_SIZE = 50
manager_required = role_required(*selectors.MANAGER_ROLES)


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _message(exc: ServiceError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    return " ".join([exc.message, *details])


def _event_rows(rows: Iterable[Event]) -> Iterable[list[Any]]:
    yield ["ID", "行事名", "開始", "終了", "場所", "定員", "申込人数", "状態", "申込締切", "予算", "実費"]
    for e in rows:
        yield [
            e.pk,
            e.title,
            _local(e.starts_at),
            _local(e.ends_at),
            e.place,
            e.capacity if e.capacity is not None else "",
            getattr(e, "taken", 0),
            e.get_status_display(),
            _local(e.signup_deadline),
            e.budget if e.budget is not None else "",
            e.cost if e.cost is not None else "",
        ]


@membership_required
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    when = f.get("when") or "upcoming"
    qs = selectors.event_list(
        **_read(request),
        when="" if when == "all" else when,
        q=f.get("q", ""),
        status=f.get("status", ""),
        mine=f.get("mine") == "1",
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(request, _event_rows(qs), name="events", title=_("社内行事"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, selectors.remaining(e)) for e in page]
    return render(
        request,
        "affairs/events/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "is_manager": selectors.is_manager(request.membership),  # type: ignore[attr-defined]
        },
    )


@membership_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    manager = selectors.is_manager(request.membership)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "event": event,
        "remaining": selectors.remaining(event),
        "signup": selectors.own_signup(**_read(request), event=event),
        "signup_form": SignupForm(),
        "attendees": list(selectors.attendees(**_read(request), event=event)[:100]),
        "is_manager": manager,
        "now": timezone.now(),
    }
    if manager:
        context["cost"] = selectors.cost_summary(company=request.company, event=event)  # type: ignore[attr-defined]
        context["cost_form"] = CostForm(initial={"cost": event.cost})
        context["cancel_form"] = WithdrawForm()
        context["events"] = core_selectors.audit_events_for_object(
            company=request.company,  # type: ignore[attr-defined]
            object_type="affairs.event",
            object_id=str(event.pk),
        )[:200]
    return render(request, "affairs/events/detail.html", context)


def _initial(e: Event) -> dict[str, Any]:
    data = {name: getattr(e, name) for name in EventForm.base_fields}
    for name in ("starts_at", "ends_at", "signup_deadline"):
        if data[name] is not None:
            data[name] = timezone.localtime(data[name])
    return data


def _form(request: HttpRequest, event: Event | None) -> HttpResponse:
    post = request.method == "POST"
    form = EventForm(request.POST if post else None, initial=_initial(event) if event else None)
    if post and form.is_valid():
        try:
            if event is None:
                saved = services.create_event(**_ctx(request), data=form.data_input())
            else:
                saved = services.update_event(**_ctx(request), event=event, data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("社内行事を保存しました。"))
            return redirect("affairs:event_detail", saved.pk)
    return render(
        request,
        "affairs/events/form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@manager_required
def event_new(request: HttpRequest) -> HttpResponse:
    return _form(request, None)


@manager_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form(request, selectors.get_event(**_read(request), event_id=pk))


@require_POST
@membership_required
def event_signup(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    form = SignupForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("affairs:event_detail", event.pk)
    try:
        services.sign_up(
            **_ctx(request),
            event=event,
            guests=form.cleaned_data.get("guests") or 0,
            note=form.cleaned_data.get("note", ""),
        )
    except ServiceError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("参加を申し込みました。"))
    return redirect("affairs:event_detail", event.pk)


@require_POST
@membership_required
def event_cancel_signup(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    raw = request.POST.get("signup_id", "")
    signup_id = int(raw) if raw.isdigit() and len(raw) < 18 else None
    try:
        services.cancel_signup(**_ctx(request), event=event, signup_id=signup_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("申込を取り消しました。"))
    if signup_id is not None:
        return redirect("affairs:event_attendees", event.pk)
    return redirect("affairs:event_detail", event.pk)


@require_POST
@manager_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.cancel_event(**_ctx(request), event=event, reason=reason)
    except ServiceError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("行事を中止にしました。申込者に通知しました。"))
    return redirect("affairs:event_detail", event.pk)


@require_POST
@manager_required
def event_close(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    open_ = request.POST.get("open") == "1"
    try:
        services.set_signups_open(**_ctx(request), event=event, open=open_)
    except ServiceError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request, _("申込の受付を再開しました。") if open_ else _("申込の受付を終了しました。")
        )
    return redirect("affairs:event_detail", event.pk)


@require_POST
@manager_required
def event_cost(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    form = CostForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("affairs:event_detail", event.pk)
    try:
        services.record_cost(**_ctx(request), event=event, cost=form.cleaned_data.get("cost"))
    except ServiceError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("実費を記録しました。"))
    return redirect("affairs:event_detail", event.pk)


def _attendee_rows(event: Event, rows: Iterable[EventSignup]) -> Iterable[list[Any]]:
    yield ["行事名", "氏名", "ユーザー名", "同伴者数", "人数", "備考", "申込日時"]
    for s in rows:
        yield [
            event.title,
            s.user.display_name(),
            s.user.username,
            s.guests,
            s.guests + 1,
            s.note,
            _local(s.signed_up_at),
        ]


@manager_required
def event_attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event(**_read(request), event_id=pk)
    form = AttendeeFilterForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    qs = selectors.attendees(**_read(request), event=event, q=q)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, _attendee_rows(event, qs), name=f"event-{event.pk}-attendees", title=_("参加者")
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/events/attendees.html",
        {
            "event": event,
            "form": form,
            "page_obj": page,
            "remaining": selectors.remaining(event),
            "cancelled": list(selectors.cancelled_signups(**_read(request), event=event)[:100]),
            "cost": selectors.cost_summary(company=request.company, event=event),  # type: ignore[attr-defined]
        },
    )
