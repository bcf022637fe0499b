"""/api/v1/approvals/: the caller's inbox and requests, deciding, and routes (admin and 経理).

Handlers parse, call ``approvals.services`` / ``approvals.selectors`` with the token's company,
membership and user, and return. A request the caller may not see, or another company's id, is a
404. A missing reason is a 422 on ``reason``; a request decided meanwhile is a 409; a step that is
not the caller's is a 403; nothing is written in any of these.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, UserRef, caller_of
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from . import selectors, services
from .models import ApprovalRequest
from .permissions import ROUTE_ROLES
from .routing import StepSpec, active_member_ids
from .schemas import (
    ActionOut,
    ApproveIn,
    MyRequestFilters,
    ReasonIn,
    RequestDetail,
    RequestFilters,
    RequestOut,
    RequestPage,
    RouteIn,
    RouteOut,
    StepStateOut,
    user_ref,
)

router = Router(tags=["approvals"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _request(c: Caller, request_id: int) -> ApprovalRequest:
    return selectors.get_request(company=c.company, membership=c.membership, request_id=request_id)


def _detail(c: Caller, r: ApprovalRequest) -> RequestDetail:
    actions = selectors.history(company=c.company, request=r)
    allowed, whom = selectors.can_decide(company=c.company, user=c.user, request=r)
    steps = selectors.step_rows(company=c.company, request=r, actions=actions)
    return RequestDetail(
        **RequestOut.of(r).model_dump(),
        steps=[
            StepStateOut(
                order=s.order,
                label=s.label,
                state=s.state,
                approvers=[UserRef(id=u.pk, name=u.display_name()) for u in s.approvers],
            )
            for s in steps
        ],
        actions=[ActionOut.of(a) for a in actions],
        can_decide=allowed,
        on_behalf_of=user_ref(whom),
    )


def _page(qs: Any, limit: int, offset: int) -> RequestPage:
    return RequestPage(
        count=qs.count(),
        limit=limit,
        offset=offset,
        items=[RequestOut.of(r) for r in qs[offset : offset + limit]],
    )


@router.get("/inbox", response={200: RequestPage, **READ_ERRORS}, summary="承認待ち")
def inbox(request: HttpRequest, filters: Query[RequestFilters]) -> RequestPage:
    """呼び出したユーザー(と、代理を任されている承認者)が判断できる申請。待ちが長い順。"""
    c = caller_of(request)
    qs = selectors.inbox(company=c.company, user=c.user, q=filters.q, request_type=filters.request_type)
    return _page(qs, filters.limit, filters.offset)


@router.get("/requests", response={200: RequestPage, **READ_ERRORS}, summary="私の申請")
def my_requests(request: HttpRequest, filters: Query[MyRequestFilters]) -> RequestPage:
    c = caller_of(request)
    qs = selectors.my_requests(
        company=c.company, user=c.user, status=filters.status, q=filters.q, request_type=filters.request_type
    )
    return _page(qs, filters.limit, filters.offset)


@router.get("/requests/{request_id}", response={200: RequestDetail, **READ_ERRORS}, summary="申請の詳細")
def get_request(request: HttpRequest, request_id: Id) -> RequestDetail:
    c = caller_of(request)
    return _detail(c, _request(c, request_id))


@router.post("/requests/{request_id}/approve", response={200: RequestDetail, **ERRORS}, summary="承認")
def approve(request: HttpRequest, request_id: Id, payload: ApproveIn) -> RequestDetail:
    c = caller_of(request)
    r = services.approve(**c.writer(), request=_request(c, request_id), comment=payload.comment)
    return _detail(c, r)


@router.post("/requests/{request_id}/reject", response={200: RequestDetail, **ERRORS}, summary="却下")
def reject(request: HttpRequest, request_id: Id, payload: ReasonIn) -> RequestDetail:
    c = caller_of(request)
    r = services.reject(**c.writer(), request=_request(c, request_id), reason=payload.reason)
    return _detail(c, r)


@router.post("/requests/{request_id}/send-back", response={200: RequestDetail, **ERRORS}, summary="差し戻し")
def send_back(request: HttpRequest, request_id: Id, payload: ReasonIn) -> RequestDetail:
    c = caller_of(request)
    r = services.send_back(**c.writer(), request=_request(c, request_id), reason=payload.reason)
    return _detail(c, r)


@router.post("/requests/{request_id}/withdraw", response={200: RequestDetail, **ERRORS}, summary="取り下げ")
def withdraw(request: HttpRequest, request_id: Id) -> RequestDetail:
    c = caller_of(request)
    r = services.withdraw(**c.writer(), request=_request(c, request_id))
    return _detail(c, r)


# ------------------------------------------------------------------ routes
def _configurer(request: HttpRequest) -> Caller:
    c = caller_of(request)
    require_role(c.membership, *ROUTE_ROLES)
    return c


def _route_out(c: Caller, route: Any) -> RouteOut:
    return RouteOut.of(route, selectors.route_steps(company=c.company, route=route))


def _field_error(name: str, message: str) -> ServiceError:
    return ServiceError(message, code="validation", field_errors={name: [message]})


def _route_arguments(c: Caller, payload: RouteIn) -> dict[str, Any]:
    data = payload.model_dump(exclude={"steps", "department_id"})
    department = None
    if payload.department_id is not None:
        try:
            department = people_selectors.get_department(
                company=c.company, department_id=payload.department_id
            )
        except NotFound as exc:
            raise _field_error("department_id", "見つかりません。") from exc
    members = active_member_ids(c.company)
    steps = []
    for n, s in enumerate(payload.steps, start=1):
        missing = [pk for pk in s.user_ids if pk not in members]
        if missing:
            raise _field_error("steps", f"{n}段目: この会社のユーザーではない人が含まれています。")
        users: list[User] = [members[pk].user for pk in s.user_ids]
        steps.append(StepSpec(kind=s.kind, name=s.name, role=s.role, users=users))
    return {**data, "department": department, "steps": steps}


@router.get(
    "/routes", response={200: list[RouteOut], **READ_ERRORS}, summary="承認ルートの一覧(管理者・経理)"
)
def list_routes(request: HttpRequest) -> list[RouteOut]:
    c = _configurer(request)
    return [
        RouteOut.of(r, list(r.steps.all()))
        for r in selectors.routes(company=c.company).prefetch_related("steps__step_users")
    ]


@router.get("/routes/{route_id}", response={200: RouteOut, **READ_ERRORS}, summary="承認ルートの詳細")
def get_route(request: HttpRequest, route_id: Id) -> RouteOut:
    c = _configurer(request)
    return _route_out(c, selectors.get_route(company=c.company, route_id=route_id))


@router.post("/routes", response={201: RouteOut, **ERRORS}, summary="承認ルートの作成")
def create_route(request: HttpRequest, payload: RouteIn) -> Status[RouteOut]:
    c = _configurer(request)
    route = services.save_route(**c.writer(), **_route_arguments(c, payload))
    return Status(201, _route_out(c, route))


@router.put(
    "/routes/{route_id}", response={200: RouteOut, **ERRORS}, summary="承認ルートの変更(段階ごと置き換え)"
)
def update_route(request: HttpRequest, route_id: Id, payload: RouteIn) -> RouteOut:
    c = _configurer(request)
    route = selectors.get_route(company=c.company, route_id=route_id)
    route = services.save_route(**c.writer(), route=route, **_route_arguments(c, payload))
    return _route_out(c, route)


@router.delete(
    "/routes/{route_id}", response={204: None, **ERRORS}, summary="承認ルートの削除(未使用のもののみ)"
)
def delete_route(request: HttpRequest, route_id: Id) -> Status[None]:
    c = _configurer(request)
    services.delete_route(**c.writer(), route=selectors.get_route(company=c.company, route_id=route_id))
    return Status(204, None)
