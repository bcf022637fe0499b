"""The actions on a request's page (POST only): take, hand over, comment, ask the requester and
answer, close, cancel, log time, add files. Each calls one service; a refusal is a message on the
request's page and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.web import error_text, membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import services
from .forms import FilesForm, TimeForm
from .selectors import requests as selectors


def _run(request: HttpRequest, pk: int, call: Callable[..., Any], done: str, **kw: Any) -> HttpResponse:
    row = selectors.get_request(**read(request), request_id=pk)  # a request not seen is a 404
    try:
        call(**ctx(request), request=row, **kw)
    except (NotFound, PermissionDeniedError):
        raise
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("requests:detail", pk)


def _text(request: HttpRequest, name: str = "body") -> str:
    return request.POST.get(name, "")[:5000]


@require_POST
@membership_required
def request_take(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.take_request, _("担当しました。"))


@require_POST
@membership_required
def request_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    to_user = request.POST.get("to_user", "")
    to_team = request.POST.get("to_team", "")
    return _run(
        request,
        pk,
        services.hand_over,
        _("引き継ぎました。"),
        note=_text(request, "note"),
        to_user_id=int(to_user) if to_user.isdigit() else None,
        to_team_id=int(to_team) if to_team.isdigit() else None,
    )


@require_POST
@membership_required
def request_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.comment, _("コメントしました。"), body=_text(request))


@require_POST
@membership_required
def request_ask(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.ask_requester, _("依頼者に確認しました。"), question=_text(request))


@require_POST
@membership_required
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.answer, _("回答しました。"), body=_text(request))


@require_POST
@membership_required
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.close_request, _("完了にしました。"), resolution=_text(request))


@require_POST
@membership_required
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.cancel_request, _("依頼を取り消しました。"), reason=_text(request))


@require_POST
@membership_required
def request_time(request: HttpRequest, pk: int) -> HttpResponse:
    form = TimeForm(request.POST)
    if not form.is_valid():
        selectors.get_request(**read(request), request_id=pk)
        text = " ".join(
            f"{form.fields[k].label}: {' '.join(str(m) for m in v)}"
            for k, v in form.errors.items()
            if k in form.fields
        )
        messages.error(request, text or _("入力内容に誤りがあります。"))
        return redirect("requests:detail", pk)
    d = form.cleaned_data
    return _run(
        request,
        pk,
        services.log_time,
        _("作業時間を記録しました。"),
        minutes=d["minutes"],
        worked_on=d["worked_on"],
        note=d.get("note") or "",
    )


@require_POST
@membership_required
def request_files(request: HttpRequest, pk: int) -> HttpResponse:
    form = FilesForm(request.POST, request.FILES)
    if not form.is_valid():
        selectors.get_request(**read(request), request_id=pk)
        messages.error(request, " ".join(str(m) for v in form.errors.values() for m in v))
        return redirect("requests:detail", pk)
    files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
    return _run(request, pk, services.attach_files, _("ファイルを追加しました。"), files=files)
