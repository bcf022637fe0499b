"""/api/v1/expenses/: the applicant's claims (list, detail, create, replace, submit, withdraw, a
receipt per line as ``multipart/form-data``), every claim for 経理 (``scope=all``), the categories.

Handlers parse, call ``expenses.services`` / ``expenses.selectors`` with the token's company,
membership and user, and return. Input that is wrong (a fraction of a yen, a future date, a bad
登録番号, an unreadable receipt) is a 422 problem with the message on its field; a state that does not
allow the act (editing a submitted claim, a blocking flag on submission) is a 400; a claim of another
company, or one the caller may not see, is a 404; and nothing is written on any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from . import selectors, services
from .models import ExpenseClaim
from .permissions import can_claim
from .schemas import CategoryOut, ClaimDetail, ClaimFilters, ClaimIn, ClaimOut, ClaimPage, FlagOut, LineOut

router = Router(tags=["expenses"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def _caller(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not can_claim(c.membership):
        raise PermissionDeniedError()
    return c


def _as_422(call: Callable[[], T]) -> T:
    """Input errors of the services answer 422 like the schema's own, with the same field names."""
    try:
        return call()
    except ServiceError as exc:
        if exc.code in ("validation", "bad_file"):
            exc.status = 422
        raise


def _detail(c: Caller, claim: ExpenseClaim) -> ClaimDetail:
    lines = selectors.lines_of(claim=claim)
    flags = selectors.claim_flags(company=c.company, claim=claim, lines=lines)
    return ClaimDetail(
        **ClaimOut.of(claim).model_dump(),
        lines=[LineOut.of(ln) for ln in lines],
        flags=[
            FlagOut(code=f.code, message=f.message, line_no=f.line_no, blocking=f.blocking) for f in flags
        ],
    )


def _claim(c: Caller, claim_id: int) -> ExpenseClaim:
    return selectors.get_claim(**c.reader(), claim_id=claim_id)


def _specs(payload: ClaimIn) -> list[services.LineSpec]:
    return [
        services.LineSpec(
            id=ln.id,
            date=ln.date,
            payee=ln.payee,
            purpose=ln.purpose,
            category_id=ln.category_id,
            amount=ln.amount,
            registration_number=ln.registration_number,
            is_qualified=ln.is_qualified,
            attendees=ln.attendees,
            attendee_count=ln.attendee_count,
            route_from=ln.route_from,
            route_to=ln.route_to,
            round_trip=ln.round_trip,
            per_diem_kind=ln.per_diem_kind,
            per_diem_days=ln.per_diem_days,
        )
        for ln in payload.lines
    ]


@router.get("/categories", response={200: list[CategoryOut], **READ_ERRORS}, summary="経費の区分")
def list_categories(request: HttpRequest) -> list[CategoryOut]:
    c = _caller(request)
    return [CategoryOut.of(cat) for cat in selectors.categories(company=c.company)]


@router.get("/claims", response={200: ClaimPage, **READ_ERRORS}, summary="経費精算の一覧")
def list_claims(request: HttpRequest, filters: Query[ClaimFilters]) -> ClaimPage:
    """新しい順。`scope=all` は全社の申請済みの精算(経理・管理者のみ、ほかは 403)。"""
    c = _caller(request)
    if filters.scope == "all":
        qs = selectors.all_claims(**c.reader(), q=filters.q, status=filters.status)
    else:
        qs = selectors.my_claims(**c.reader(), q=filters.q, status=filters.status)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return ClaimPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[ClaimOut.of(r) for r in rows]
    )


@router.get("/claims/{claim_id}", response={200: ClaimDetail, **READ_ERRORS}, summary="経費精算の詳細")
def get_claim(request: HttpRequest, claim_id: Id) -> ClaimDetail:
    """明細と、申請前の確認事項(`flags`、`blocking: true` は直さないと申請できない)を含みます。"""
    c = _caller(request)
    return _detail(c, _claim(c, claim_id))


@router.post("/claims", response={201: ClaimDetail, **ERRORS}, summary="経費精算(下書き)の作成")
def create_claim(request: HttpRequest, payload: ClaimIn) -> Status[ClaimDetail]:
    c = _caller(request)
    claim = _as_422(
        lambda: services.save_claim(**c.writer(), claim=None, title=payload.title, lines=_specs(payload))
    )
    return Status(201, _detail(c, claim))


@router.put(
    "/claims/{claim_id}", response={200: ClaimDetail, **ERRORS}, summary="経費精算の変更(下書き・差し戻し)"
)
def replace_claim(request: HttpRequest, claim_id: Id, payload: ClaimIn) -> ClaimDetail:
    """件名と明細をすべて置き換えます。既存の明細は `id` を送ると領収書を引き継ぎます。"""
    c = _caller(request)
    claim = _claim(c, claim_id)
    claim = _as_422(
        lambda: services.save_claim(**c.writer(), claim=claim, title=payload.title, lines=_specs(payload))
    )
    return _detail(c, claim)


@router.post(
    "/claims/{claim_id}/submit", response={200: ClaimDetail, **ERRORS}, summary="申請(差し戻し後は再申請)"
)
def submit_claim(request: HttpRequest, claim_id: Id) -> ClaimDetail:
    """確認で止まる点(`flags` の `blocking`)があれば 400 で、その行に理由を返します。"""
    c = _caller(request)
    claim = services.submit_claim(**c.writer(), claim=_claim(c, claim_id))
    return _detail(c, claim)


@router.post("/claims/{claim_id}/withdraw", response={200: ClaimDetail, **ERRORS}, summary="取り下げ")
def withdraw_claim(request: HttpRequest, claim_id: Id) -> ClaimDetail:
    c = _caller(request)
    claim = services.withdraw_claim(**c.writer(), claim=_claim(c, claim_id))
    return _detail(c, claim)


@router.post(
    "/claims/{claim_id}/lines/{line_id}/receipt",
    response={200: LineOut, **ERRORS},
    summary="明細に領収書を添付(multipart/form-data)",
)
def upload_receipt(
    request: HttpRequest, claim_id: Id, line_id: Id, file: File[UploadedFile | None] = None
) -> LineOut:
    """`file` に画像(JPEG・PNG・WebP)かPDFを送ります。読めない・大きすぎるファイルは 422。"""
    c = _caller(request)
    claim = _claim(c, claim_id)
    line = selectors.get_line(claim=claim, line_id=line_id)
    if file is None:
        raise ValidationError([{"type": "missing", "loc": ["file"], "msg": "missing"}])
    data = file.read()
    updated = _as_422(
        lambda: services.attach_receipt(**c.writer(), claim=claim, line=line, name=file.name or "", data=data)
    )
    return LineOut.of(updated)
