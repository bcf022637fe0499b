"""通知: the signed-in user's notices in the active company, and marking them read."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import notifications
from .errors import NotFound
from .web import membership_required


@membership_required
def notification_list(request: HttpRequest) -> HttpResponse:
    membership: Any = request.membership  # type: ignore[attr-defined]
    qs = notifications.recent(company=membership.company, user=request.user)  # type: ignore[arg-type]
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page_obj": page, "unread_only": request.GET.get("unread") == "1"},
    )


@require_POST
@membership_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the notice read and goes where it points (the visit, the message …)."""
    membership: Any = request.membership  # type: ignore[attr-defined]
    try:
        notifications.mark_read(company=membership.company, user=request.user, notification_id=pk)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


@require_POST
@membership_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    membership: Any = request.membership  # type: ignore[attr-defined]
    notifications.mark_read(company=membership.company, user=request.user)  # type: ignore[arg-type]
    return redirect("core:notifications")
