"""/api/v1/legal/: 法律相談・紛争 — list, get, ask, open a dispute, answer, note, status, deadline,
cost. The same services and selectors as the screens: 法務・管理者 see and change every matter, any
other member asks and sees the matters they are named on, the outside assistant team none. Another
company's matter, and one the caller is not named on, are a 404 (nothing is revealed, nothing
written); bad input is a 422 on the field with nothing written. Reading a matter is recorded."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from . import permissions_matters as permissions
from .models import LegalMatter
from .schemas_matters import (
    AnswerIn,
    AskIn,
    CostIn,
    CostOut,
    DeadlineIn,
    DeadlineOut,
    DisputeIn,
    FileOut,
    MatterDetail,
    MatterFilters,
    MatterOut,
    MatterPage,
    MemberOut,
    NoteIn,
    NoteOut,
    StatusIn,
)
from .selectors import matters as selectors
from .services import matters as services

router = Router(tags=["法務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _as_422(exc: ServiceError) -> ServiceError:
    if exc.code == "validation":
        exc.status = 422
    return exc


def _asker(c: Caller) -> None:
    if not permissions.can_ask(c.membership):
        raise PermissionDeniedError()


def _detail(c: Caller, matter: LegalMatter) -> MatterDetail:
    costs = list(selectors.costs(matter=matter))
    files = [
        FileOut(
            name=f.document.name,
            number=v.number,
            comment=v.comment,
            uploaded_at=v.uploaded_at,
            url=reverse("legal:matter_file", args=[matter.pk, v.pk]),
        )
        for f in selectors.files(matter=matter)
        for v in f.versions
    ]
    return MatterDetail(
        **MatterOut.of(matter).model_dump(),
        question=matter.question,
        answer=matter.answer,
        outcome=matter.outcome,
        allowed_moves=services.allowed_moves(c.membership, matter),
        members=[MemberOut.of(m) for m in selectors.members(matter=matter)],
        notes=[NoteOut.of(n) for n in selectors.notes(matter=matter)],
        deadlines=[DeadlineOut.of(d) for d in selectors.deadlines(matter=matter)],
        costs=[CostOut.of(x) for x in costs],
        cost_total=int(sum((x.amount for x in costs), start=0)),
        files=files,
    )


def _fresh(c: Caller, matter_id: int) -> MatterDetail:
    return _detail(c, selectors.get_matter(**c.reader(), matter_id=matter_id))


@router.get(
    "/matters",
    response={200: MatterPage, **READ_ERRORS},
    summary="法律相談・紛争の一覧",
    url_name="matter_list",
)
def matter_list(request: HttpRequest, filters: Query[MatterFilters]) -> MatterPage:
    """法務・管理者は全件、それ以外は自分の名前がある案件だけ。"""
    c = caller_of(request)
    _asker(c)
    qs = selectors.matter_list(
        **c.reader(),
        q=filters.q,
        kind=filters.kind,
        status=filters.status,
        category=filters.category,
        handler_id=filters.handler_id,
        open_only=filters.open_only,
        mine=filters.mine,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return MatterPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[MatterOut.of(r) for r in rows]
    )


@router.post(
    "/matters/disputes",
    response={201: MatterDetail, **ERRORS},
    summary="紛争の登録",
    url_name="matter_open_dispute",
)
def matter_open_dispute(request: HttpRequest, payload: DisputeIn) -> Status[MatterDetail]:
    """法務・管理者のみ。"""
    c = caller_of(request)
    try:
        matter = services.open_dispute(**c.writer(), data=services.DisputeInput(**payload.model_dump()))
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, _fresh(c, matter.pk))


@router.get(
    "/matters/{matter_id}",
    response={200: MatterDetail, **READ_ERRORS},
    summary="法律相談・紛争の詳細",
    url_name="matter_get",
)
def matter_get(request: HttpRequest, matter_id: Id) -> MatterDetail:
    """閲覧は記録されます(機密)。名前のない案件は 404。"""
    c = caller_of(request)
    matter = selectors.get_matter(**c.reader(), matter_id=matter_id)
    services.record_matter_view(**c.writer(), matter=matter)
    return _detail(c, matter)


@router.post(
    "/matters", response={201: MatterDetail, **ERRORS}, summary="法務に相談する", url_name="matter_ask"
)
def matter_ask(request: HttpRequest, payload: AskIn) -> Status[MatterDetail]:
    """法律相談を登録します(外部アシスタント以外の誰でも)。相談者と `member_ids` の人が見られます。"""
    c = caller_of(request)
    try:
        matter = services.ask_consultation(**c.writer(), **payload.model_dump())
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, _fresh(c, matter.pk))


def _write(request: HttpRequest, matter_id: int, call: Any) -> MatterDetail:
    c = caller_of(request)
    matter = selectors.get_matter(**c.reader(), matter_id=matter_id)
    try:
        call(c, matter)
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return _fresh(c, matter.pk)


@router.post(
    "/matters/{matter_id}/answer",
    response={200: MatterDetail, **ERRORS},
    summary="相談への回答",
    url_name="matter_answer",
)
def matter_answer(request: HttpRequest, matter_id: Id, payload: AnswerIn) -> MatterDetail:
    """法務の回答: 回答済みになり、相談者に通知します。"""
    return _write(
        request,
        matter_id,
        lambda c, m: services.answer_consultation(**c.writer(), matter=m, answer=payload.answer),
    )


@router.post(
    "/matters/{matter_id}/notes",
    response={201: MatterDetail, **ERRORS},
    summary="経過メモの追加",
    url_name="matter_note",
)
def matter_note(request: HttpRequest, matter_id: Id, payload: NoteIn) -> Status[MatterDetail]:
    """法務と、名前のある人が記入できます。"""
    return Status(
        201,
        _write(request, matter_id, lambda c, m: services.add_note(**c.writer(), matter=m, body=payload.body)),
    )


@router.post(
    "/matters/{matter_id}/status",
    response={200: MatterDetail, **ERRORS},
    summary="状態の変更",
    url_name="matter_status",
)
def matter_status(request: HttpRequest, matter_id: Id, payload: StatusIn) -> MatterDetail:
    """許されない変更は 400(`code: bad_transition`)。和解・終結は終結日(省略すると今日)を記録します。"""
    return _write(
        request,
        matter_id,
        lambda c, m: services.set_status(
            **c.writer(), matter=m, to=payload.to, closed_on=payload.closed_on, outcome=payload.outcome
        ),
    )


@router.post(
    "/matters/{matter_id}/deadlines",
    response={201: MatterDetail, **ERRORS},
    summary="期限の登録",
    url_name="matter_deadline",
)
def matter_deadline(request: HttpRequest, matter_id: Id, payload: DeadlineIn) -> Status[MatterDetail]:
    """過去の日付は 422。期限の7日前と前日に担当者と法務へ通知します。"""
    return Status(
        201,
        _write(
            request,
            matter_id,
            lambda c, m: services.add_deadline(
                **c.writer(), matter=m, due_on=payload.due_on, title=payload.title
            ),
        ),
    )


@router.post(
    "/matters/{matter_id}/costs",
    response={201: MatterDetail, **ERRORS},
    summary="費用の登録",
    url_name="matter_cost",
)
def matter_cost(request: HttpRequest, matter_id: Id, payload: CostIn) -> Status[MatterDetail]:
    return Status(
        201,
        _write(
            request,
            matter_id,
            lambda c, m: services.add_cost(
                **c.writer(),
                matter=m,
                paid_on=payload.paid_on,
                payee=payload.payee,
                description=payload.description,
                amount=payload.amount,
            ),
        ),
    )
