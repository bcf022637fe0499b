"""/api/v1/legal/registry: 登記・機関 — officers (appoint, 重任, 退任), the registered items' changes
(record, filed, registered), meetings (record) and the 定款 settings.

Reads: 法務・管理者・経理. Writes: 法務・管理者. A refusal of the rules (a term longer than the 定款,
a meeting more than 3 months after its 基準日, a filing before the change) is a 422 problem with the
message on its field; another company's id is a 404; nothing is written on either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError

from .permissions_registry import manages_registry
from .schemas_registry import (
    ChangeFilters,
    ChangeIn,
    ChangeOut,
    ChangePage,
    CharterIn,
    CharterOut,
    FiledIn,
    LeaveIn,
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    MeetingPage,
    OfficerFilters,
    OfficerIn,
    OfficerOut,
    OfficerPage,
    ReelectIn,
    RegisteredIn,
)
from .selectors import registry as selectors
from .services import registry as services

router = Router(tags=["法務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def writer(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not manages_registry(c.membership):
        raise PermissionDeniedError()
    return c


def as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code in ("validation", "invalid", "invalid_transition", "no_charter"):
            exc.status = 422
        raise


def _page(qs: Any, limit: int, offset: int) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[offset : offset + limit])


# ------------------------------------------------------------------------------ 定款
@router.get(
    "/registry/charter",
    response={200: CharterOut, **READ_ERRORS},
    summary="定款の設定",
    url_name="registry_charter_get",
)
def charter_get(request: HttpRequest) -> CharterOut:
    c = caller_of(request)
    found = selectors.charter(**c.reader())
    if found is None:
        raise NotFound()
    return CharterOut.of(found)


@router.put(
    "/registry/charter",
    response={200: CharterOut, **ERRORS},
    summary="定款の設定の保存",
    url_name="registry_charter_put",
)
def charter_put(request: HttpRequest, payload: CharterIn) -> CharterOut:
    """公開会社は取締役2年・監査役4年まで、非公開会社は10年まで(会社法332条・336条)。"""
    c = writer(request)
    return CharterOut.of(as_422(lambda: services.save_charter_settings(**c.writer(), **payload.model_dump())))


# ------------------------------------------------------------------------------ 役員
@router.get(
    "/registry/officers",
    response={200: OfficerPage, **READ_ERRORS},
    summary="役員の一覧",
    url_name="registry_officers",
)
def officer_list(request: HttpRequest, filters: Query[OfficerFilters]) -> OfficerPage:
    c = caller_of(request)
    count, rows = _page(selectors.officers(**c.reader(), state=filters.state), filters.limit, filters.offset)
    return OfficerPage(
        count=count, limit=filters.limit, offset=filters.offset, items=[OfficerOut.of(o) for o in rows]
    )


@router.post(
    "/registry/officers",
    response={201: OfficerOut, **ERRORS},
    summary="役員の選任・就任",
    url_name="registry_officer_appoint",
)
def officer_appoint(request: HttpRequest, payload: OfficerIn) -> Status[OfficerOut]:
    """任期満了予定日は定款と事業年度から計算し、就任日から2週間の登記期限で変更登記を記録します。"""
    c = writer(request)
    officer = as_422(
        lambda: services.appoint_officer(**c.writer(), data=services.OfficerInput(**payload.model_dump()))
    )
    return Status(201, OfficerOut.of(officer))


@router.get(
    "/registry/officers/{officer_id}",
    response={200: OfficerOut, **READ_ERRORS},
    summary="役員",
    url_name="registry_officer_get",
)
def officer_get(request: HttpRequest, officer_id: Id) -> OfficerOut:
    return OfficerOut.of(selectors.get_officer(**caller_of(request).reader(), officer_id=officer_id))


@router.post(
    "/registry/officers/{officer_id}/reelect",
    response={201: OfficerOut, **ERRORS},
    summary="役員の重任",
    url_name="registry_officer_reelect",
)
def officer_reelect(request: HttpRequest, officer_id: Id, payload: ReelectIn) -> Status[OfficerOut]:
    """今の任期を任期満了で閉じ、新しい任期を返します。重任の変更登記も記録します。"""
    c = writer(request)
    officer = selectors.get_officer(**c.reader(), officer_id=officer_id)
    new = as_422(lambda: services.reelect_officer(**c.writer(), officer=officer, **payload.model_dump()))
    return Status(201, OfficerOut.of(new))


@router.post(
    "/registry/officers/{officer_id}/leave",
    response={200: OfficerOut, **ERRORS},
    summary="役員の退任",
    url_name="registry_officer_leave",
)
def officer_leave(request: HttpRequest, officer_id: Id, payload: LeaveIn) -> OfficerOut:
    c = writer(request)
    officer = selectors.get_officer(**c.reader(), officer_id=officer_id)
    done = as_422(lambda: services.officer_leaves(**c.writer(), officer=officer, **payload.model_dump()))
    return OfficerOut.of(done)


# ------------------------------------------------------------------------------ 登記事項
@router.get(
    "/registry/changes",
    response={200: ChangePage, **READ_ERRORS},
    summary="登記事項の変更の一覧",
    url_name="registry_changes",
)
def change_list(request: HttpRequest, filters: Query[ChangeFilters]) -> ChangePage:
    c = caller_of(request)
    qs = selectors.changes(**c.reader(), item=filters.item, state=filters.state)
    count, rows = _page(qs, filters.limit, filters.offset)
    return ChangePage(
        count=count, limit=filters.limit, offset=filters.offset, items=[ChangeOut.of(x) for x in rows]
    )


@router.post(
    "/registry/changes",
    response={201: ChangeOut, **ERRORS},
    summary="登記事項の変更の記録",
    url_name="registry_change_record",
)
def change_record(request: HttpRequest, payload: ChangeIn) -> Status[ChangeOut]:
    c = writer(request)
    change = as_422(
        lambda: services.record_registry_change(
            **c.writer(), data=services.ChangeInput(**payload.model_dump())
        )
    )
    return Status(201, ChangeOut.of(change))


@router.get(
    "/registry/changes/{change_id}",
    response={200: ChangeOut, **READ_ERRORS},
    summary="登記事項の変更",
    url_name="registry_change_get",
)
def change_get(request: HttpRequest, change_id: Id) -> ChangeOut:
    return ChangeOut.of(selectors.get_change(**caller_of(request).reader(), change_id=change_id))


@router.post(
    "/registry/changes/{change_id}/filed",
    response={200: ChangeOut, **ERRORS},
    summary="登記の申請日",
    url_name="registry_change_filed",
)
def change_filed(request: HttpRequest, change_id: Id, payload: FiledIn) -> ChangeOut:
    c = writer(request)
    change = selectors.get_change(**c.reader(), change_id=change_id)
    return ChangeOut.of(
        as_422(lambda: services.mark_filed(**c.writer(), change=change, filed_on=payload.filed_on))
    )


@router.post(
    "/registry/changes/{change_id}/registered",
    response={200: ChangeOut, **ERRORS},
    summary="登記の完了日",
    url_name="registry_change_registered",
)
def change_registered(request: HttpRequest, change_id: Id, payload: RegisteredIn) -> ChangeOut:
    c = writer(request)
    change = selectors.get_change(**c.reader(), change_id=change_id)
    return ChangeOut.of(
        as_422(
            lambda: services.mark_registered(**c.writer(), change=change, registered_on=payload.registered_on)
        )
    )


# ------------------------------------------------------------------------------ 会議
@router.get(
    "/registry/meetings",
    response={200: MeetingPage, **READ_ERRORS},
    summary="株主総会・取締役会の一覧",
    url_name="registry_meetings",
)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> MeetingPage:
    c = caller_of(request)
    count, rows = _page(selectors.meetings(**c.reader(), kind=filters.kind), filters.limit, filters.offset)
    return MeetingPage(
        count=count, limit=filters.limit, offset=filters.offset, items=[MeetingOut.of(m) for m in rows]
    )


@router.post(
    "/registry/meetings",
    response={201: MeetingOut, **ERRORS},
    summary="株主総会・取締役会の記録",
    url_name="registry_meeting_record",
)
def meeting_record(request: HttpRequest, payload: MeetingIn) -> Status[MeetingOut]:
    """基準日から3か月を超える株主総会は 422 で断ります(会社法124条2項)。議事録の保存期限は10年です。"""
    c = writer(request)
    meeting = as_422(
        lambda: services.record_meeting(**c.writer(), data=services.MeetingInput(**payload.model_dump()))
    )
    return Status(201, MeetingOut.of(meeting))


@router.get(
    "/registry/meetings/{meeting_id}",
    response={200: MeetingOut, **READ_ERRORS},
    summary="株主総会・取締役会",
    url_name="registry_meeting_get",
)
def meeting_get(request: HttpRequest, meeting_id: Id) -> MeetingOut:
    return MeetingOut.of(selectors.get_meeting(**caller_of(request).reader(), meeting_id=meeting_id))
