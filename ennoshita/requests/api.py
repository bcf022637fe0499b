"""/api/v1/requests/: 業務依頼 — the catalogue, my requests and the team inbox, one request, making
one, and working on it (take, hand over, comment, close, cancel, log time), and the time report.
The same services and selectors as the screens: an outside assistant reaches only the open
requests of their team (anything else is a 404); bad input is a 422 on the field with nothing
written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.documents.downloads import version_response

from . import gate, permissions, services
from .schemas import (
    CardDocumentOut,
    CardFieldOut,
    EventOut,
    FilesIn,
    HandOverIn,
    ItemOut,
    MonthOut,
    RecordCardOut,
    RequestCreateIn,
    RequestDetail,
    RequestEditIn,
    RequestFilters,
    RequestOut,
    RequestPage,
    TeamOut,
    TextIn,
    TimeIn,
    TimeOut,
)
from .selectors import catalogue as catalogue_selectors
from .selectors import costs as cost_selectors
from .selectors import requests as selectors

router = Router(tags=["業務依頼"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _as_422(exc: ServiceError) -> ServiceError:
    if exc.code == "validation":
        exc.status = 422
    return exc


@router.get(
    "/catalogue",
    response={200: list[TeamOut], **READ_ERRORS},
    summary="サービスカタログ",
    url_name="workrequest_catalogue",
)
def workrequest_catalogue(request: HttpRequest) -> list[TeamOut]:
    """有効なチームと受付中の依頼の種類(用意してほしいもの、標準の所要日数)。外部アシスタントには 404。"""
    c = caller_of(request)
    if permissions.is_assistant(c.membership):
        raise NotFound()
    return [TeamOut.of(t) for t in catalogue_selectors.catalogue(company=c.company)]


@router.get(
    "/requests", response={200: RequestPage, **READ_ERRORS}, summary="依頼の一覧", url_name="workrequest_list"
)
def workrequest_list(request: HttpRequest, filters: Query[RequestFilters]) -> RequestPage:
    c = caller_of(request)
    qs = selectors.request_list(
        **c.reader(),
        scope=filters.scope,
        status=filters.status,
        type_id=filters.type_id,
        assignee_id=filters.assignee_id,
        overdue=filters.overdue,
        q=filters.q,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return RequestPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[RequestOut.of(r) for r in rows]
    )


@router.get(
    "/requests/{request_id}",
    response={200: RequestDetail, **READ_ERRORS},
    summary="依頼の詳細",
    url_name="workrequest_get",
)
def workrequest_get(request: HttpRequest, request_id: Id) -> RequestDetail:
    c = caller_of(request)
    row = selectors.get_request(**c.reader(), request_id=request_id)
    assistant = permissions.is_assistant(c.membership)
    gives = selectors.gives(membership=c.membership, requests=[row])[row.pk]
    records = [
        ItemOut(
            object_type=i.object_type,
            object_id=i.object_id,
            label=i.label,
            allowed=i.allowed,
            url=reverse("requests:record", args=[row.pk, i.pk]),
            api_url=reverse("api:workrequest_record", args=[row.pk, i.pk]),
        )
        for i in gives.records
    ]
    files = [
        ItemOut(
            object_type=i.object_type,
            object_id=i.object_id,
            label=i.label,
            allowed=i.allowed,
            url=reverse("requests:attachment", args=[row.pk, i.document_id]),
            api_url=reverse("api:workrequest_file", args=[row.pk, i.document_id]),
        )
        for i in gives.files
    ]
    events = [
        EventOut(kind=e.kind, actor_id=e.actor_id, body=e.body, created_at=e.created_at)
        for e in selectors.history(request=row, include_views=not assistant)[:500]
    ]
    if assistant:
        services.record_view(company=c.company, actor=c.user, request=row, page=request.path)
    return RequestDetail(
        **RequestOut.of(row).model_dump(),
        body=row.body,
        resolution=row.resolution,
        records=records,
        files=files,
        events=events,
        minutes=selectors.time_total(request=row)["minutes"],
    )


@router.post(
    "/requests", response={201: RequestDetail, **ERRORS}, summary="依頼する", url_name="workrequest_create"
)
def workrequest_create(request: HttpRequest, payload: RequestCreateIn) -> Status[RequestDetail]:
    """対象の記録は種類と ID で指定します(その会社にない記録は 422)。ファイルは Base64 で送ります。"""
    c = caller_of(request)
    try:
        row = services.create_request(
            **c.writer(),
            team_id=payload.team_id,
            request_type_id=payload.request_type_id,
            title=payload.title,
            body=payload.body,
            due_on=payload.due_on,
            records=[(r.object_type, r.object_id) for r in payload.records],
            files=[(f.name, f.data()) for f in payload.files],
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, workrequest_get(request, row.pk))


def _viewer(request: HttpRequest) -> gate.Viewer:
    c = caller_of(request)
    return gate.Viewer(company=c.company, membership=c.membership, user=c.user, path=request.path)


def _act(request: HttpRequest, request_id: int, call: Any, **kw: Any) -> RequestDetail:
    c = caller_of(request)
    row = selectors.get_request(**c.reader(), request_id=request_id)
    try:
        call(**c.writer(), request=row, **kw)
    except ServiceError as exc:
        raise _as_422(exc) from exc
    # what was just closed (for an assistant) or handed to another team may be out of the caller's
    # sight now: answer with the row as left, without its contents
    fresh = selectors.find_request(company=c.company, request_id=request_id)
    if fresh is not None and not permissions.can_see(c.membership, fresh):
        return RequestDetail(
            **RequestOut.of(fresh).model_dump(),
            body="",
            resolution="",
            records=[],
            files=[],
            events=[],
            minutes=0,
        )
    return workrequest_get(request, request_id)


@router.put(
    "/requests/{request_id}",
    response={200: RequestDetail, **ERRORS},
    summary="依頼内容を変更する",
    url_name="workrequest_edit",
)
def workrequest_edit(request: HttpRequest, request_id: Id, payload: RequestEditIn) -> RequestDetail:
    """依頼者(または管理者)が、完了・取消の前に件名・依頼内容・期限・対象の記録を直します。変更は履歴に
    残り、担当者に通知されます。"""
    records = None if payload.records is None else [(r.object_type, r.object_id) for r in payload.records]
    return _act(
        request,
        request_id,
        services.edit_request,
        title=payload.title,
        body=payload.body,
        due_on=payload.due_on,
        records=records,
    )


@router.post(
    "/requests/{request_id}/take",
    response={200: RequestDetail, **ERRORS},
    summary="担当する",
    url_name="workrequest_take",
)
def workrequest_take(request: HttpRequest, request_id: Id) -> RequestDetail:
    return _act(request, request_id, services.take_request)


@router.post(
    "/requests/{request_id}/hand-over",
    response={200: RequestDetail, **ERRORS},
    summary="引き継ぐ",
    url_name="workrequest_hand_over",
)
def workrequest_hand_over(request: HttpRequest, request_id: Id, payload: HandOverIn) -> RequestDetail:
    """同じチームのメンバー(`to_user_id`)か、別のチーム(`to_team_id`)のどちらか一方に、メモ付きで。"""
    return _act(
        request,
        request_id,
        services.hand_over,
        note=payload.note,
        to_user_id=payload.to_user_id,
        to_team_id=payload.to_team_id,
    )


@router.post(
    "/requests/{request_id}/comment",
    response={200: RequestDetail, **ERRORS},
    summary="コメント",
    url_name="workrequest_comment",
)
def workrequest_comment(request: HttpRequest, request_id: Id, payload: TextIn) -> RequestDetail:
    return _act(request, request_id, services.comment, body=payload.body)


@router.post(
    "/requests/{request_id}/ask",
    response={200: RequestDetail, **ERRORS},
    summary="依頼者に確認する",
    url_name="workrequest_ask",
)
def workrequest_ask(request: HttpRequest, request_id: Id, payload: TextIn) -> RequestDetail:
    """チームから依頼者への質問。依頼者に通知されます。"""
    return _act(request, request_id, services.ask_requester, question=payload.body)


@router.post(
    "/requests/{request_id}/answer",
    response={200: RequestDetail, **ERRORS},
    summary="質問に回答する",
    url_name="workrequest_answer",
)
def workrequest_answer(request: HttpRequest, request_id: Id, payload: TextIn) -> RequestDetail:
    """依頼者からチームへの回答。"""
    return _act(request, request_id, services.answer, body=payload.body)


@router.post(
    "/requests/{request_id}/files",
    response={200: RequestDetail, **ERRORS},
    summary="ファイルを追加する",
    url_name="workrequest_files",
)
def workrequest_files(request: HttpRequest, request_id: Id, payload: FilesIn) -> RequestDetail:
    """依頼者またはチームが、開いている依頼にファイルを追加します(Base64)。"""
    return _act(request, request_id, services.attach_files, files=[(f.name, f.data()) for f in payload.files])


@router.get(
    "/requests/{request_id}/records/{record_id}",
    response={200: RecordCardOut, **READ_ERRORS},
    summary="依頼が示す記録のカード",
    url_name="workrequest_record",
)
def workrequest_record(request: HttpRequest, request_id: Id, record_id: Id) -> RecordCardOut:
    """`record_id` は依頼の詳細の `records` の行(`api_url`)のもの。外部アシスタントは、開いている依頼が
    示し、付与の生きている記録だけ。それ以外は 404 で、その試みは記録されます。"""
    given = gate.given_record(_viewer(request), request_id=request_id, record_id=record_id)
    card = given.card
    return RecordCardOut(
        request_id=given.request.pk,
        object_type=card.object_type,
        object_id=card.object_id,
        kind=str(given.kind.label) if given.kind else card.object_type,
        title=card.title,
        fields=[CardFieldOut(label=str(label), value=str(value)) for label, value in card.fields],
        documents=[
            CardDocumentOut(
                id=doc_id,
                name=name,
                api_url=reverse("api:workrequest_file", args=[given.request.pk, doc_id]),
            )
            for doc_id, name in card.documents
        ],
    )


@router.get(
    "/requests/{request_id}/files/{document_id}",
    response={200: None, **READ_ERRORS},
    summary="依頼のファイルの内容",
    url_name="workrequest_file",
)
def workrequest_file(request: HttpRequest, request_id: Id, document_id: Id) -> HttpResponse:
    """依頼の添付ファイル、または依頼が示す記録に付いている文書の最新版をそのまま返します。
    外部アシスタントは、開いている依頼が示すものだけ(それ以外は 404、試みは記録)。"""
    given = gate.given_file(_viewer(request), request_id=request_id, document_id=document_id)
    return version_response(given.version, inline=False)


@router.post(
    "/requests/{request_id}/close",
    response={200: RequestDetail, **ERRORS},
    summary="完了にする",
    url_name="workrequest_close",
)
def workrequest_close(request: HttpRequest, request_id: Id, payload: TextIn) -> RequestDetail:
    """`body` は完了報告(必須)。"""
    return _act(request, request_id, services.close_request, resolution=payload.body)


@router.post(
    "/requests/{request_id}/cancel",
    response={200: RequestDetail, **ERRORS},
    summary="取り消す",
    url_name="workrequest_cancel",
)
def workrequest_cancel(request: HttpRequest, request_id: Id, payload: TextIn) -> RequestDetail:
    return _act(request, request_id, services.cancel_request, reason=payload.body)


@router.post(
    "/requests/{request_id}/time",
    response={201: TimeOut, **ERRORS},
    summary="作業時間の記録",
    url_name="workrequest_time",
)
def workrequest_time(request: HttpRequest, request_id: Id, payload: TimeIn) -> Status[TimeOut]:
    c = caller_of(request)
    row = selectors.get_request(**c.reader(), request_id=request_id)
    try:
        e = services.log_time(
            **c.writer(), request=row, minutes=payload.minutes, worked_on=payload.worked_on, note=payload.note
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(
        201,
        TimeOut(
            id=e.pk,
            minutes=e.minutes,
            worked_on=e.worked_on,
            hourly_rate=int(e.hourly_rate),
            cost=int(e.cost),
        ),
    )


@router.get(
    "/time-report",
    response={200: list[MonthOut], **READ_ERRORS},
    summary="工数と費用(月別)",
    url_name="workrequest_time_report",
)
def workrequest_time_report(
    request: HttpRequest,
    start: date | None = None,
    end: date | None = None,
    team_id: int | None = Query(None, ge=1),
) -> list[MonthOut]:
    """管理者・経理のみ。既定は今月。外部チームは社内で行った場合の費用と差額つき。"""
    c = caller_of(request)
    if not permissions.reads_costs(c.membership):
        raise NotFound()
    today = timezone.localdate()
    start = start or today.replace(day=1)
    end = end or today
    if end < start:
        message = "終了日は開始日以降にしてください。"
        exc = ServiceError(message, code="validation", field_errors={"end": [message]})
        raise _as_422(exc)
    rows = cost_selectors.by_month(**c.reader(), start=start, end=end, team_id=team_id)
    return [
        MonthOut(
            month=r.month.strftime("%Y-%m"),
            team_id=r.team_id,
            team_name=r.team_name,
            outside=r.outside,
            requests=r.requests,
            minutes=r.minutes,
            cost=int(r.cost),
            inhouse_cost=int(r.inhouse_cost) if r.inhouse_cost is not None else None,
            saving=int(r.saving) if r.saving is not None else None,
        )
        for r in rows
    ]
