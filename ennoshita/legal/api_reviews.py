"""/api/v1/legal/: リーガルチェック — list, get, submit (the draft as base64 in JSON), assign, comment,
return, resubmit, close, withdraw; and the playbook (条項メモ) list and create. The same services and
selectors as the screens: 法務・管理者 see and answer every review, a requester their own (and a
contract's owner the reviews of their contract). Another company's review is a 404; bad input is a
422 on the field with nothing written."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from . import permissions_reviews as permissions
from .schemas_reviews import (
    AssignIn,
    CommentIn,
    PlaybookIn,
    PlaybookOut,
    ResubmitIn,
    ReturnIn,
    ReviewDetail,
    ReviewFilters,
    ReviewIn,
    ReviewOut,
    ReviewPage,
    RoundOut,
    WithdrawIn,
)
from .selectors import reviews as selectors
from .services import reviews as services

router = Router(tags=["法務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _as_422(exc: ServiceError) -> ServiceError:
    if exc.code in ("validation", "bad_file"):
        exc.status = 422
    return exc


def _requester_only(request: HttpRequest) -> None:
    if not permissions.can_request(caller_of(request).membership):
        raise PermissionDeniedError()


@router.get(
    "/reviews",
    response={200: ReviewPage, **READ_ERRORS},
    summary="リーガルチェックの一覧",
    url_name="review_list",
)
def review_list(request: HttpRequest, filters: Query[ReviewFilters]) -> ReviewPage:
    _requester_only(request)
    c = caller_of(request)
    qs = selectors.review_list(
        **c.reader(),
        q=filters.q,
        status=filters.status,
        reviewer_id=filters.reviewer_id,
        department_id=filters.department_id,
        overdue=filters.overdue,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    closed = selectors.closed_days_for(rows)
    return ReviewPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[ReviewOut.of(r, closed) for r in rows]
    )


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewDetail, **READ_ERRORS},
    summary="リーガルチェックの詳細",
    url_name="review_get",
)
def review_get(request: HttpRequest, review_id: Id) -> ReviewDetail:
    c = caller_of(request)
    review = selectors.get_review(**c.reader(), review_id=review_id)
    rounds = [
        RoundOut.of(r, reverse("legal:review_file", args=[review.pk, r.version_id]) if r.version_id else "")
        for r in selectors.rounds(review=review)
    ]
    return ReviewDetail(**ReviewOut.of(review).model_dump(), background=review.background, rounds=rounds)


@router.post(
    "/reviews",
    response={201: ReviewDetail, **ERRORS},
    summary="リーガルチェックの依頼",
    url_name="review_submit",
)
def review_submit(request: HttpRequest, payload: ReviewIn) -> Status[ReviewDetail]:
    """文書はファイル名と base64 の中身で送ります。契約を指定すると、その契約の文書の版として保存します。"""
    c = caller_of(request)
    try:
        review = services.submit_review(
            **c.writer(),
            title=payload.title,
            background=payload.background,
            desired_on=payload.desired_on,
            file_name=payload.file.name,
            data=payload.file.data(),
            contract_id=payload.contract_id,
            note=payload.note,
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, review_get(request, review.pk))


def _act(request: HttpRequest, review_id: int, action: Any, **kw: Any) -> ReviewDetail:
    c = caller_of(request)
    review = selectors.get_review(**c.reader(), review_id=review_id)
    try:
        action(**c.writer(), review=review, **kw)
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return review_get(request, review.pk)


@router.post(
    "/reviews/{review_id}/assign",
    response={200: ReviewDetail, **ERRORS},
    summary="担当者を決める",
    url_name="review_assign",
)
def review_assign(request: HttpRequest, review_id: Id, payload: AssignIn) -> ReviewDetail:
    return _act(request, review_id, services.assign_reviewer, reviewer_id=payload.reviewer_id)


@router.post(
    "/reviews/{review_id}/comments",
    response={200: ReviewDetail, **ERRORS},
    summary="条項コメント",
    url_name="review_comment",
)
def review_comment(request: HttpRequest, review_id: Id, payload: CommentIn) -> ReviewDetail:
    return _act(request, review_id, services.add_comment, **payload.model_dump())


@router.post(
    "/reviews/{review_id}/return",
    response={200: ReviewDetail, **ERRORS},
    summary="回答",
    url_name="review_return",
)
def review_return(request: HttpRequest, review_id: Id, payload: ReturnIn) -> ReviewDetail:
    return _act(request, review_id, services.return_review, verdict=payload.verdict, summary=payload.summary)


@router.post(
    "/reviews/{review_id}/resubmit",
    response={200: ReviewDetail, **ERRORS},
    summary="再依頼",
    url_name="review_resubmit",
)
def review_resubmit(request: HttpRequest, review_id: Id, payload: ResubmitIn) -> ReviewDetail:
    return _act(
        request,
        review_id,
        services.resubmit_review,
        file_name=payload.file.name,
        data=payload.file.data(),
        note=payload.note,
    )


@router.post(
    "/reviews/{review_id}/close",
    response={200: ReviewDetail, **ERRORS},
    summary="完了",
    url_name="review_close",
)
def review_close(request: HttpRequest, review_id: Id) -> ReviewDetail:
    return _act(request, review_id, services.close_review)


@router.post(
    "/reviews/{review_id}/withdraw",
    response={200: ReviewDetail, **ERRORS},
    summary="取下げ",
    url_name="review_withdraw",
)
def review_withdraw(request: HttpRequest, review_id: Id, payload: WithdrawIn) -> ReviewDetail:
    return _act(request, review_id, services.withdraw_review, reason=payload.reason)


@router.get(
    "/playbook",
    response={200: list[PlaybookOut], **READ_ERRORS},
    summary="条項メモの一覧",
    url_name="playbook_list",
)
def playbook_list(request: HttpRequest, active_only: bool = False) -> list[PlaybookOut]:
    c = caller_of(request)
    if not permissions.manages_reviews(c.membership):
        raise PermissionDeniedError()
    return [PlaybookOut.of(p) for p in selectors.playbook(company=c.company, active_only=active_only)]


@router.post(
    "/playbook", response={201: PlaybookOut, **ERRORS}, summary="条項メモの登録", url_name="playbook_create"
)
def playbook_create(request: HttpRequest, payload: PlaybookIn) -> Status[PlaybookOut]:
    c = caller_of(request)
    try:
        clause = services.create_playbook_clause(
            **c.writer(), data=services.ClauseInput(**payload.model_dump())
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, PlaybookOut.of(clause))
