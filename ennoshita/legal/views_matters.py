"""Screens of 法律相談・紛争: the list (search, filters, CSV / Excel for 法務), "my consultations",
「相談する」 for any member, opening and editing a dispute (法務), and a matter's page (the question,
the answer, the notes log, the people named, deadlines with the overdue ones in red, costs with
their total, files, history), with the forms 法務 uses on it.

Views parse, call ``services.matters`` / ``selectors.matters`` and render; the services check
permissions again. Another company's matter, and one the member is not named on, are a 404 (a
matter's existence is not revealed); reading a matter's page is recorded (it is confidential)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.downloads import version_response

from . import permissions_matters as permissions
from .forms_matters import (
    AnswerForm,
    AskForm,
    CompleteForm,
    CostForm,
    DeadlineForm,
    DisputeForm,
    FileForm,
    HandlerForm,
    MatterFilterForm,
    MemberForm,
    NoteForm,
    RemoveMemberForm,
    StatusForm,
    put_errors,
)
from .models import LegalMatter, MatterKind, MatterStatus
from .selectors import matters as selectors
from .services import matters as services

PAGE_SIZE = 50


def _asker(request: HttpRequest) -> None:
    if not permissions.can_ask(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied


def _manager(request: HttpRequest) -> None:
    if not permissions.manages_matters(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied


# ------------------------------------------------------------------------------ lists
def _list_page(request: HttpRequest, *, mine: bool) -> HttpResponse:
    _asker(request)
    manager = permissions.manages_matters(request.membership)  # type: ignore[attr-defined]
    form = MatterFilterForm(request.GET or None, company=request.company)  # type: ignore[attr-defined]
    qs = selectors.matter_list(**read(request), **form.filters(), mine=mine)
    if request.GET.get("format") in ("csv", "xlsx"):
        if not manager:
            raise PermissionDenied
        return table_download(
            request, selectors.export_rows(qs), name="legal-matters", title=_("法律相談・紛争")
        )
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "legal/matters/list.html",
        {"form": form, "page_obj": page, "manager": manager, "mine": mine, "tab": "mine" if mine else "list"},
    )


@membership_required
def matter_list(request: HttpRequest) -> HttpResponse:
    """法務: every matter. Anyone else: the matters they are named on."""
    return _list_page(request, mine=False)


@membership_required
def matter_mine(request: HttpRequest) -> HttpResponse:
    """The consultations and disputes the member is named on (相談者・関係者)."""
    return _list_page(request, mine=True)


# ------------------------------------------------------------------------------ new
@membership_required
def matter_new(request: HttpRequest) -> HttpResponse:
    """「相談する」: any member (not the outside assistant team)."""
    _asker(request)
    form = AskForm(request.POST or None, company=request.company)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.ask_consultation(**ctx(request), **form.to_kwargs())
        except ServiceError as exc:
            if exc.status != 400:
                raise
            put_errors(form, exc)
        else:
            messages.success(request, _("相談「%(n)s」を法務に送りました。") % {"n": matter.number})
            return redirect("legal:matter_detail", matter.pk)
    return render(
        request,
        "legal/matters/form.html",
        {
            "form": form,
            "title": _("法務に相談する"),
            "tab": "new",
            "submit": _("相談する"),
            "manager": permissions.manages_matters(request.membership),  # type: ignore[attr-defined]
        },
        status=400 if form.errors else 200,
    )


@membership_required
def matter_dispute_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = DisputeForm(request.POST or None, company=request.company)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.open_dispute(**ctx(request), data=form.to_input())
        except ServiceError as exc:
            if exc.status != 400:
                raise
            put_errors(form, exc)
        else:
            messages.success(request, _("紛争「%(n)s」を登録しました。") % {"n": matter.number})
            return redirect("legal:matter_detail", matter.pk)
    return render(
        request,
        "legal/matters/form.html",
        {"form": form, "title": _("紛争の登録"), "tab": "dispute", "submit": _("登録する"), "manager": True},
        status=400 if form.errors else 200,
    )


@membership_required
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.get_matter(**read(request), matter_id=pk)
    _manager(request)
    if matter.kind != MatterKind.DISPUTE:
        raise PermissionDenied
    form = DisputeForm(
        request.POST or None,
        initial=DisputeForm.initial_of(matter),
        company=request.company,  # type: ignore[attr-defined]
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_dispute(**ctx(request), matter=matter, data=form.to_input())
        except ServiceError as exc:
            if exc.status != 400:
                raise
            put_errors(form, exc)
        else:
            messages.success(request, _("保存しました。"))
            return redirect("legal:matter_detail", matter.pk)
    return render(
        request,
        "legal/matters/form.html",
        {"form": form, "title": _("紛争の編集"), "matter": matter, "tab": "", "submit": _("保存する")},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ detail
@membership_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    matter = selectors.get_matter(**read(request), matter_id=pk)
    services.record_matter_view(**ctx(request), matter=matter)
    manager = permissions.manages_matters(membership)
    costs = list(selectors.costs(matter=matter))
    return render(
        request,
        "legal/matters/detail.html",
        {
            "matter": matter,
            "manager": manager,
            "can_note": permissions.can_note(membership, matter),
            "moves": [(to, MatterStatus(to).label) for to in services.allowed_moves(membership, matter)],
            "can_answer": manager
            and matter.kind == MatterKind.CONSULTATION
            and matter.status in (MatterStatus.OPEN, MatterStatus.IN_PROGRESS),
            "members": selectors.members(matter=matter),
            "notes": selectors.notes(matter=matter),
            "deadlines": selectors.deadlines(matter=matter),
            "costs": costs,
            "cost_total": sum((c.amount for c in costs), start=0),
            "files": selectors.files(matter=matter),
            "events": selectors.history(company=company, matter=matter)[:200] if manager else [],
            "today": timezone.localdate(),
            "answer_form": AnswerForm(initial={"answer": matter.answer}),
            "note_form": NoteForm(),
            "status_form": StatusForm(),
            "handler_form": HandlerForm(initial={"handler": matter.handler_id}, company=company),
            "member_form": MemberForm(company=company),
            "deadline_form": DeadlineForm(),
            "cost_form": CostForm(initial={"paid_on": timezone.localdate()}),
            "file_form": FileForm(),
        },
    )


def _act(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    call: Callable[[LegalMatter, dict[str, Any]], Any],
    done: str,
    *,
    files: bool = False,
    company_form: bool = False,
) -> HttpResponse:
    """A form posted from a matter's page: parse, call the service, come back with a message."""
    matter = selectors.get_matter(**read(request), matter_id=pk)
    kwargs: dict[str, Any] = {"company": request.company} if company_form else {}  # type: ignore[attr-defined]
    form = form_class(request.POST, request.FILES if files else None, **kwargs)
    if not form.is_valid():
        errors = [str(m) for msgs in form.errors.values() for m in msgs]
        messages.error(request, " ".join([_("入力内容に誤りがあります。"), *errors]))
        return redirect("legal:matter_detail", matter.pk)
    try:
        call(matter, form.cleaned_data)
    except ServiceError as exc:
        if exc.status != 400:
            raise
        messages.error(request, error_text(exc))
        return redirect("legal:matter_detail", matter.pk)
    messages.success(request, done)
    return redirect("legal:matter_detail", matter.pk)


@require_POST
@membership_required
def matter_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AnswerForm,
        lambda m, d: services.answer_consultation(**ctx(request), matter=m, answer=d["answer"]),
        _("回答しました。相談者に通知しました。"),
    )


@require_POST
@membership_required
def matter_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        NoteForm,
        lambda m, d: services.add_note(**ctx(request), matter=m, body=d["body"]),
        _("経過メモを追加しました。"),
    )


@require_POST
@membership_required
def matter_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        StatusForm,
        lambda m, d: services.set_status(
            **ctx(request), matter=m, to=d["to"], closed_on=d.get("closed_on"), outcome=d.get("outcome") or ""
        ),
        _("状態を変更しました。"),
    )


@require_POST
@membership_required
def matter_handler(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        HandlerForm,
        lambda m, d: services.assign_handler(**ctx(request), matter=m, handler_id=d.get("handler") or None),
        _("担当者を変更しました。"),
        company_form=True,
    )


@require_POST
@membership_required
def matter_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        MemberForm,
        lambda m, d: services.add_member(**ctx(request), matter=m, user_id=d["user"], role=d["role"]),
        _("関係者を追加しました。"),
        company_form=True,
    )


@require_POST
@membership_required
def matter_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        RemoveMemberForm,
        lambda m, d: services.remove_member(**ctx(request), matter=m, user_id=d["user"]),
        _("関係者から外しました。"),
    )


@require_POST
@membership_required
def matter_deadline_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DeadlineForm,
        lambda m, d: services.add_deadline(**ctx(request), matter=m, due_on=d["due_on"], title=d["title"]),
        _("期限を登録しました。"),
    )


@require_POST
@membership_required
def matter_deadline_done(request: HttpRequest, pk: int, deadline_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CompleteForm,
        lambda m, d: services.complete_deadline(
            **ctx(request), matter=m, deadline_id=deadline_id, done_on=d.get("done_on")
        ),
        _("期限を完了にしました。"),
    )


@require_POST
@membership_required
def matter_cost_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CostForm,
        lambda m, d: services.add_cost(
            **ctx(request),
            matter=m,
            paid_on=d["paid_on"],
            payee=d["payee"],
            description=d["description"],
            amount=d["amount"],
        ),
        _("費用を登録しました。"),
    )


@require_POST
@membership_required
def matter_file_new(request: HttpRequest, pk: int) -> HttpResponse:
    def attach(m: LegalMatter, d: dict[str, Any]) -> Any:
        upload: Any = request.FILES["file"]
        return services.attach_matter_file(
            **ctx(request),
            matter=m,
            file_name=upload.name or "",
            data=upload.read(),
            comment=d.get("comment") or "",
        )

    return _act(request, pk, FileForm, attach, _("ファイルを登録しました。"), files=True)


@membership_required
def matter_file(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    """One file of the matter, to those who see the matter (法務 and the people named)."""
    matter, stored = selectors.get_matter_version(**read(request), matter_id=pk, version_id=version_id)
    services.record_matter_view(**ctx(request), matter=matter, file=stored.original_name)
    return version_response(stored, inline=request.GET.get("inline") == "1")
