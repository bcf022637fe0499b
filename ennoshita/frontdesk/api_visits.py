"""/api/v1/frontdesk/: 来訪者 (visits), 伝言メモ (messages) and 総務・一般事務への依頼 (office-requests).

Input the services refuse is a 422 problem with the message on its field; a role that may not act
is a 403; another company's id is a 404; nothing is written on any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import rows_by_keys

from .schemas_visits import (
    CheckInIn,
    MessageDoneIn,
    MessageFilters,
    MessageIn,
    MessageOut,
    MessagePage,
    OfficeRequestFilters,
    OfficeRequestIn,
    OfficeRequestOut,
    OfficeRequestPage,
    ReasonIn,
    RequestTypeOut,
    TransitionIn,
    VisitFilters,
    VisitIn,
    VisitOut,
    VisitPage,
    local,
)
from .selectors import messages as message_selectors
from .selectors import office_requests as request_selectors
from .selectors import visits as visit_selectors
from .services import messages as message_services
from .services import office_requests as request_services
from .services import visits as visit_services

router = Router(tags=["受付"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code == "validation" or (exc.status == 400 and exc.field_errors):
            exc.status = 422
        raise


# ------------------------------------------------------------------------------ visits
@router.get("/visits", response={200: VisitPage, **READ_ERRORS}, summary="来訪の一覧(来訪記録・自分の来訪)")
def visit_list(request: HttpRequest, filters: Query[VisitFilters]) -> VisitPage:
    c = caller_of(request)
    if filters.mine:
        qs = visit_selectors.my_visits(
            company=c.company, user=c.user, days_back=3650, days_ahead=3650
        ).order_by("-expected_at", "-pk")
    else:
        qs = visit_selectors.visitor_log(
            **c.reader(),
            q=filters.q,
            date_from=filters.date_from,
            date_to=filters.date_to,
            host_id=filters.host_id,
            status=filters.status,
        )
    total = qs.count()
    rows = rows_by_keys(qs, filters.offset, filters.offset + filters.limit)
    return VisitPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[VisitOut.of(v) for v in rows]
    )


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="来訪予約(会議室も予約できます)")
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[VisitOut]:
    c = caller_of(request)
    data = visit_services.VisitInput(
        **{
            **payload.model_dump(),
            "expected_at": local(payload.expected_at),
            "expected_until": local(payload.expected_until),
        }
    )
    visit = as_422(lambda: visit_services.register_visit(**c.writer(), data=data))
    return Status(201, VisitOut.of(visit))


@router.get("/visits/{visit_id}", response={200: VisitOut, **READ_ERRORS}, summary="来訪の詳細")
def visit_get(request: HttpRequest, visit_id: Id) -> VisitOut:
    c = caller_of(request)
    return VisitOut.of(visit_selectors.get_visit(**c.reader(), visit_id=visit_id))


@router.post(
    "/visits/{visit_id}/check-in",
    response={200: VisitOut, **ERRORS},
    summary="受付(到着を記録し担当者に通知)",
)
def visit_check_in(request: HttpRequest, visit_id: Id, payload: CheckInIn) -> VisitOut:
    c = caller_of(request)
    visit = visit_selectors.get_visit(**c.reader(), visit_id=visit_id)
    return VisitOut.of(
        as_422(lambda: visit_services.check_in(**c.writer(), visit=visit, badge_number=payload.badge_number))
    )


@router.post("/visits/{visit_id}/check-out", response={200: VisitOut, **ERRORS}, summary="退館")
def visit_check_out(request: HttpRequest, visit_id: Id) -> VisitOut:
    c = caller_of(request)
    visit = visit_selectors.get_visit(**c.reader(), visit_id=visit_id)
    return VisitOut.of(as_422(lambda: visit_services.check_out(**c.writer(), visit=visit)))


@router.post(
    "/visits/{visit_id}/cancel", response={200: VisitOut, **ERRORS}, summary="来訪の取消(会議室予約も取消)"
)
def visit_cancel(request: HttpRequest, visit_id: Id, payload: ReasonIn) -> VisitOut:
    c = caller_of(request)
    visit = visit_selectors.get_visit(**c.reader(), visit_id=visit_id)
    return VisitOut.of(
        as_422(lambda: visit_services.cancel_visit(**c.writer(), visit=visit, reason=payload.reason))
    )


# ------------------------------------------------------------------------------ messages
@router.get("/messages", response={200: MessagePage, **READ_ERRORS}, summary="伝言メモの一覧")
def message_list(request: HttpRequest, filters: Query[MessageFilters]) -> MessagePage:
    c = caller_of(request)
    qs = message_selectors.message_list(**c.reader(), box=filters.box, q=filters.q, open_only=filters.open)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return MessagePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[MessageOut.of(m) for m in rows]
    )


@router.post("/messages", response={201: MessageOut, **ERRORS}, summary="伝言メモを残す(宛先に通知)")
def message_create(request: HttpRequest, payload: MessageIn) -> Status[MessageOut]:
    c = caller_of(request)
    data = message_services.MessageInput(
        **{**payload.model_dump(), "received_at": local(payload.received_at)}
    )
    message = as_422(lambda: message_services.take_message(**c.writer(), data=data))
    return Status(201, MessageOut.of(message))


@router.post(
    "/messages/{message_id}/done",
    response={200: MessageOut, **ERRORS},
    summary="伝言を対応済みにする(宛先本人)",
)
def message_done(request: HttpRequest, message_id: Id, payload: MessageDoneIn) -> MessageOut:
    c = caller_of(request)
    message = message_selectors.get_message(**c.reader(), message_id=message_id)
    return MessageOut.of(
        as_422(lambda: message_services.mark_message_done(**c.writer(), message=message, note=payload.note))
    )


# ------------------------------------------------------------------------------ office requests
@router.get(
    "/office-request-types", response={200: list[RequestTypeOut], **READ_ERRORS}, summary="依頼の種類(受付中)"
)
def office_request_type_list(request: HttpRequest) -> list[RequestTypeOut]:
    c = caller_of(request)
    return [
        RequestTypeOut(id=t.pk, name=t.name, team=t.team, description=t.description)
        for t in request_selectors.request_types(company=c.company)
    ]


@router.get(
    "/office-requests",
    response={200: OfficeRequestPage, **READ_ERRORS},
    summary="依頼の一覧(自分の依頼・チームの受付)",
)
def office_request_list(request: HttpRequest, filters: Query[OfficeRequestFilters]) -> OfficeRequestPage:
    c = caller_of(request)
    if filters.scope == "queue":
        qs = request_selectors.team_queue(**c.reader(), status=filters.status, q=filters.q)
    else:
        status = "" if filters.status == "all" else filters.status
        qs = request_selectors.my_requests(company=c.company, user=c.user, status=status)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return OfficeRequestPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[OfficeRequestOut.of(r) for r in rows]
    )


@router.post("/office-requests", response={201: OfficeRequestOut, **ERRORS}, summary="総務・一般事務への依頼")
def office_request_create(request: HttpRequest, payload: OfficeRequestIn) -> Status[OfficeRequestOut]:
    c = caller_of(request)
    data = request_services.OfficeRequestInput(**payload.model_dump())
    req = as_422(lambda: request_services.create_request(**c.writer(), data=data))
    return Status(201, OfficeRequestOut.of(req))


@router.post(
    "/office-requests/{request_id}/transition",
    response={200: OfficeRequestOut, **ERRORS},
    summary="依頼の状態を変える(担当チーム・依頼者の取消)",
)
def office_request_transition(
    request: HttpRequest, request_id: Id, payload: TransitionIn
) -> OfficeRequestOut:
    c = caller_of(request)
    req = request_selectors.get_request(**c.reader(), request_id=request_id)
    req = as_422(
        lambda: request_services.transition_request(
            **c.writer(),
            request=req,
            status=payload.status,
            assignee_id=payload.assignee_id,
            resolution=payload.resolution,
        )
    )
    return OfficeRequestOut.of(req)
