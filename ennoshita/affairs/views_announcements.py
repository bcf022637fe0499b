"""Screens of お知らせ・社内報: the list every member reads (unread marked), the detail (which marks
it read), and for 総務・人事・管理者 the manage list, the form with audience and attachments, and
the read-status page. Views parse, call the services and selectors, and render."""

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
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required
from ennoshita.documents import selectors as document_selectors
from ennoshita.people import selectors as people_selectors

from .forms_announcements import (
    AnnouncementFilterForm,
    AnnouncementForm,
    AnnouncementManageFilterForm,
    AttachForm,
    ReadFilterForm,
    WithdrawForm,
)
from .models import Announcement, AudienceKind
from .selectors import announcements as selectors
from .services import announcements as services

PAGE_SIZE = 50
manager_required = role_required(*selectors.MANAGER_ROLES)


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _wants_download(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


def _filters(form: Any) -> dict[str, Any]:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# ------------------------------------------------------------------------------------ everyone
def _list_rows(rows: Iterable[Announcement]) -> Iterable[list[Any]]:
    yield ["種類", "件名", "重要", "掲載開始", "掲載終了", "既読"]
    for a in rows:
        yield [
            a.get_kind_display(),
            a.title,
            "○" if a.is_important else "",
            _local(a.publish_at),
            _local(a.expire_at),
            _local(getattr(a, "read_at", None)) or "未読",
        ]


@membership_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    form = AnnouncementFilterForm(request.GET or None)
    f = _filters(form)
    qs = selectors.visible_announcements(
        **_read(request), q=f.get("q", ""), kind=f.get("kind", ""), unread=f.get("unread") == "1"
    )
    if _wants_download(request):
        return table_download(request, _list_rows(qs), name="announcements", title=_("お知らせ"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/announcements/list.html",
        {
            "form": form,
            "page_obj": page,
            "unread": selectors.unread_count(**_read(request)),
            "is_manager": selectors.is_manager(request.membership),  # type: ignore[attr-defined]
        },
    )


def _attachments(request: HttpRequest, announcement: Announcement) -> list[Any]:
    try:
        return document_selectors.attachments_for(
            **_read(request), object_type=selectors.OBJECT_TYPE, object_id=str(announcement.pk)
        )
    except NotFound:  # attachments not configured for announcements
        return []


@membership_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.get_announcement(**_read(request), announcement_id=pk)
    manager = selectors.is_manager(request.membership)  # type: ignore[attr-defined]
    if selectors.status_of(announcement) == selectors.Status.PUBLISHED and not getattr(
        announcement, "is_read", False
    ):
        services.mark_read(**_read(request), announcement_id=announcement.pk)
    context: dict[str, Any] = {
        "a": announcement,
        "status": selectors.status_of(announcement),
        "status_label": selectors.status_label(announcement),
        "audience": selectors.audience_label(announcement),
        "attachments": _attachments(request, announcement),
        "is_manager": manager,
    }
    if manager:
        context["events"] = core_selectors.audit_events_for_object(
            company=request.company,  # type: ignore[attr-defined]
            object_type=selectors.OBJECT_TYPE,
            object_id=str(announcement.pk),
        )[:200]
        context["attach_form"] = AttachForm(documents=_documents(request))
        context["withdraw_form"] = WithdrawForm()
    return render(request, "affairs/announcements/detail.html", context)


# ------------------------------------------------------------------------------------ managers
def _manage_rows(rows: Iterable[Announcement]) -> Iterable[list[Any]]:
    yield ["ID", "種類", "件名", "対象", "重要", "状態", "掲載開始", "掲載終了", "既読数", "登録者"]
    for a in rows:
        yield [
            a.pk,
            a.get_kind_display(),
            a.title,
            a.get_audience_display(),
            "○" if a.is_important else "",
            selectors.status_label(a),
            _local(a.publish_at),
            _local(a.expire_at),
            getattr(a, "read_count", 0),
            a.created_by.display_name(),
        ]


@manager_required
def announcement_manage(request: HttpRequest) -> HttpResponse:
    form = AnnouncementManageFilterForm(request.GET or None)
    f = _filters(form)
    qs = selectors.manage_list(
        **_read(request), q=f.get("q", ""), kind=f.get("kind", ""), status=f.get("status", "")
    )
    if _wants_download(request):
        return table_download(
            request, _manage_rows(qs), name="announcements-manage", title=_("お知らせの管理")
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, selectors.status_of(a), selectors.status_label(a)) for a in page]
    return render(
        request, "affairs/announcements/manage.html", {"form": form, "page_obj": page, "rows": rows}
    )


def _departments(request: HttpRequest) -> list[tuple[str, str]]:
    return people_selectors.department_choices(company=request.company)  # type: ignore[attr-defined]


def _documents(request: HttpRequest) -> list[tuple[str, str]]:
    return [(str(d.pk), d.name) for d in document_selectors.attachable_documents(**_read(request), limit=200)]


def _initial(a: Announcement) -> dict[str, Any]:
    targets = selectors.targets_of(a)
    return {
        "kind": a.kind,
        "title": a.title,
        "body": a.body,
        "audience": a.audience,
        "department_ids": [str(t.department_id) for t in targets if t.department_id],
        "roles": [t.role for t in targets if t.role],
        "is_important": a.is_important,
        "publish_at": timezone.localtime(a.publish_at),
        "expire_at": timezone.localtime(a.expire_at) if a.expire_at else None,
    }


def _form(request: HttpRequest, announcement: Announcement | None) -> HttpResponse:
    post = request.method == "POST"
    initial = (
        _initial(announcement)
        if announcement
        else {
            "audience": AudienceKind.COMPANY,
            "publish_at": timezone.localtime().replace(second=0, microsecond=0),
        }
    )
    form = AnnouncementForm(
        request.POST if post else None, initial=initial, departments=_departments(request)
    )
    if post and form.is_valid():
        try:
            if announcement is None:
                saved = services.create_announcement(**_ctx(request), data=form.data_input())
            else:
                saved = services.update_announcement(
                    **_ctx(request), announcement=announcement, data=form.data_input()
                )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("お知らせを保存しました。"))
            return redirect("affairs:announcement_detail", saved.pk)
    published = announcement is not None and selectors.status_of(announcement) != selectors.Status.SCHEDULED
    return render(
        request,
        "affairs/announcements/form.html",
        {"form": form, "a": announcement, "published": published},
        status=400 if form.errors else 200,
    )


@manager_required
def announcement_new(request: HttpRequest) -> HttpResponse:
    return _form(request, None)


@manager_required
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form(request, selectors.get_announcement(**_read(request), announcement_id=pk))


def _message(exc: ServiceError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    return " ".join([exc.message, *details])


@require_POST
@manager_required
def announcement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.get_announcement(**_read(request), announcement_id=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.withdraw_announcement(**_ctx(request), announcement=announcement, reason=reason)
    except ServiceError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("お知らせを取り下げました。"))
    return redirect("affairs:announcement_detail", announcement.pk)


@require_POST
@manager_required
def announcement_attach(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.get_announcement(**_read(request), announcement_id=pk)
    form = AttachForm(request.POST, request.FILES, documents=_documents(request))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("affairs:announcement_detail", announcement.pk)
    try:
        upload = form.cleaned_data.get("file")
        if upload:
            services.upload_attachment(
                **_ctx(request), announcement=announcement, name=upload.name, data=upload.read()
            )
        else:
            services.attach_document(
                **_ctx(request), announcement=announcement, document_id=form.cleaned_data["document_id"]
            )
    except ServiceError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("添付しました。対象者は文書を開けます。"))
    return redirect("affairs:announcement_detail", announcement.pk)


def _read_rows(a: Announcement, status: selectors.ReadStatus) -> Iterable[list[Any]]:
    yield ["件名", "氏名", "ユーザー名", "既読", "既読日時"]
    for row in status.rows:
        yield [
            a.title,
            row.user.display_name(),
            row.user.username,
            "既読" if row.read_at else "未読",
            _local(row.read_at),
        ]


@manager_required
def announcement_reads(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.get_announcement(**_read(request), announcement_id=pk)
    form = ReadFilterForm(request.GET or None)
    state = _filters(form).get("state", "")
    status = selectors.read_status(**_read(request), announcement=announcement, state=state)
    if _wants_download(request):
        return table_download(
            request,
            _read_rows(announcement, status),
            name=f"announcement-{announcement.pk}-reads",
            title=_("既読状況"),
        )
    page = Paginator(status.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/announcements/reads.html",
        {
            "a": announcement,
            "form": form,
            "status": status,
            "page_obj": page,
            "audience": selectors.audience_label(announcement),
        },
    )
