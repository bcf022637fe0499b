"""Screens of 伝言メモ: the form (any member, for a colleague), my messages (received / taken), the
desk's list of all, one message with its history and the 対応済み button for the recipient."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .forms_visits import MessageDoneForm, MessageFilterForm, MessageForm
from .permissions_visits import MEMBER_ROLES, is_desk
from .selectors import messages as selectors
from .services import messages as services
from .views_visits import PAGE_SIZE

members = role_required(*MEMBER_ROLES)


@members
def message_new(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    initial = {"recipient": request.GET.get("to", "")}
    form = MessageForm(request.POST if post else None, initial=initial, company=company)
    if post and form.is_valid():
        try:
            message = services.take_message(**ctx(request), data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            flash.success(
                request, _("%(who)s さんに伝言を送りました。") % {"who": message.recipient.display_name()}
            )
            return redirect(reverse("frontdesk:message_list") + "?box=taken")
    return render(request, "frontdesk/messages/form.html", {"form": form}, status=400 if form.errors else 200)


@members
def message_list(request: HttpRequest) -> HttpResponse:
    """受け取った伝言 / 受けた伝言 / すべて (desk), with search, filters, pages and CSV / Excel."""
    membership = request.membership  # type: ignore[attr-defined]
    box = request.GET.get("box", "received")
    if box not in selectors.BOXES or (box == "all" and not is_desk(membership)):
        box = "received"
    form = MessageFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.message_list(
        **read(request),
        box=box,
        q=f.get("q", ""),
        open_only=f.get("open") == "1",
        urgency=f.get("urgency", ""),
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.message_rows(qs.iterator()), name="phone-messages", title=_("伝言メモ")
        )
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontdesk/messages/list.html",
        {"form": form, "page_obj": page, "box": box, "is_desk": is_desk(membership)},
    )


@members
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    message = selectors.get_message(**read(request), message_id=pk)
    return render(
        request,
        "frontdesk/messages/detail.html",
        {
            "message": message,
            "events": selectors.message_history(company=company, message=message),
            "done_form": MessageDoneForm(),
            "is_recipient": message.recipient_id == request.user.pk,
        },
    )


@require_POST
@members
def message_done(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.get_message(**read(request), message_id=pk)
    form = MessageDoneForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        services.mark_message_done(**ctx(request), message=message, note=note)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        flash.error(request, error_text(exc))
    else:
        flash.success(request, _("伝言を対応済みにしました。"))
    return redirect("frontdesk:message_detail", message.pk)
