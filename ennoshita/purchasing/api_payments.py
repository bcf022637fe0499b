"""/api/v1/purchasing/payment-runs: 支払処理 (経理・管理者). List, create (a draft from the
candidates or from ids), detail with items, confirm (the 全銀 file filed, the entry posted, the
bills and claims paid), cancel a draft, reverse a confirmed run, remove an item, the file itself
(binary, CP932), the candidates, and the payment settings.

Input that is wrong (a weekend 振込指定日, a bill that is not payable, incomplete settings) is a
422 problem with the message on its field; a state that does not allow the act is a 400; another
company's run is a 404; nothing is written on any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .models import PaymentRun
from .payment_permissions import can_pay
from .schemas_payments import (
    CandidateFilters,
    CandidateOut,
    ItemOut,
    ReverseIn,
    RunDetail,
    RunFilters,
    RunIn,
    RunOut,
    RunPage,
    SettingsIn,
    SettingsOut,
)
from .selectors import payments as selectors
from .services import payments as services

router = Router(tags=["purchasing"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
FILE = {
    "responses": {
        200: {"description": "全銀 総合振込ファイル(CP932、120バイト+CRLF)", "content": {"text/plain": {}}}
    }
}
T = TypeVar("T")


def _caller(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not can_pay(c.membership):
        raise PermissionDeniedError()
    return c


def _as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code in ("validation", "conflict"):
            exc.status = 422
        raise


def _run(c: Caller, run_id: int) -> PaymentRun:
    return selectors.get_run(**c.reader(), run_id=run_id)


def _detail(c: Caller, run: PaymentRun) -> RunDetail:
    run = _run(c, run.pk)
    return RunDetail(
        **RunOut.of(run).model_dump(), items=[ItemOut.of(i) for i in selectors.run_items(run=run)]
    )


@router.get("/payment-runs", response={200: RunPage, **READ_ERRORS}, summary="支払処理の一覧")
def list_runs(request: HttpRequest, filters: Query[RunFilters]) -> RunPage:
    """振込指定日の新しい順。"""
    c = _caller(request)
    qs = selectors.runs(**c.reader(), status=filters.status)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return RunPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[RunOut.of(r) for r in rows]
    )


@router.post("/payment-runs", response={201: RunDetail, **ERRORS}, summary="支払処理(下書き)の作成")
def create_run(request: HttpRequest, payload: RunIn) -> Status[RunDetail]:
    """`bill_ids` と `claim_ids` を両方省略すると、期日までの支払える候補すべてを含めます。"""
    c = _caller(request)
    run = _as_422(
        lambda: services.create_payment_run(
            **c.writer(),
            payment_date=payload.payment_date,
            due_by=payload.due_by,
            bill_ids=payload.bill_ids,
            claim_ids=payload.claim_ids,
        )
    )
    return Status(201, _detail(c, run))


@router.get("/payment-runs/{run_id}", response={200: RunDetail, **READ_ERRORS}, summary="支払処理の詳細")
def get_run(request: HttpRequest, run_id: Id) -> RunDetail:
    c = _caller(request)
    return _detail(c, _run(c, run_id))


@router.post("/payment-runs/{run_id}/confirm", response={200: RunDetail, **ERRORS}, summary="確定")
def confirm_run(request: HttpRequest, run_id: Id) -> RunDetail:
    """全銀ファイルを作って文書に保存し、振込指定日の日付で仕訳を記帳し、請求書と経費精算を支払済みにします。"""
    c = _caller(request)
    run = _as_422(lambda: services.confirm_payment_run(**c.writer(), run=_run(c, run_id)))
    return _detail(c, run)


@router.post("/payment-runs/{run_id}/cancel", response={200: RunDetail, **ERRORS}, summary="取消(下書き)")
def cancel_run(request: HttpRequest, run_id: Id) -> RunDetail:
    c = _caller(request)
    run = services.cancel_payment_run(**c.writer(), run=_run(c, run_id))
    return _detail(c, run)


@router.post(
    "/payment-runs/{run_id}/reverse", response={200: RunDetail, **ERRORS}, summary="確定の取消(反対仕訳)"
)
def reverse_run(request: HttpRequest, run_id: Id, payload: ReverseIn) -> RunDetail:
    c = _caller(request)
    run = _as_422(
        lambda: services.reverse_payment_run(
            **c.writer(), run=_run(c, run_id), reversal_date=payload.reversal_date
        )
    )
    return _detail(c, run)


@router.post(
    "/payment-runs/{run_id}/items/{item_id}/remove",
    response={200: RunDetail, **ERRORS},
    summary="明細を外す(下書き)",
)
def remove_item(request: HttpRequest, run_id: Id, item_id: Id) -> RunDetail:
    c = _caller(request)
    run = services.remove_item(**c.writer(), run=_run(c, run_id), item_id=item_id)
    return _detail(c, run)


@router.get(
    "/payment-runs/{run_id}/file", response={**ERRORS}, summary="全銀 総合振込ファイル", openapi_extra=FILE
)
def run_file(request: HttpRequest, run_id: Id) -> HttpResponse:
    """確定済みは保存したファイルそのもの、下書きはプレビュー。"""
    c = _caller(request)
    name, data = services.transfer_file(**c.reader(), run=_run(c, run_id))
    response = HttpResponse(data, content_type="text/plain; charset=Shift_JIS")
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/payment-candidates", response={200: list[CandidateOut], **READ_ERRORS}, summary="支払の候補")
def list_candidates(request: HttpRequest, filters: Query[CandidateFilters]) -> list[CandidateOut]:
    """振込できない候補は `payable: false` と理由(`reason`)付きで返します。"""
    c = _caller(request)
    return [CandidateOut.of(x) for x in services.candidates(company=c.company, due_by=filters.due_by)]


@router.get("/payment-settings", response={200: SettingsOut, **READ_ERRORS}, summary="支払の設定")
def get_settings(request: HttpRequest) -> SettingsOut:
    c = _caller(request)
    row = selectors.settings_of(company=c.company)
    return SettingsOut.of(row, complete=not selectors.settings_problems(row))


@router.put("/payment-settings", response={200: SettingsOut, **ERRORS}, summary="支払の設定の更新")
def put_settings(request: HttpRequest, payload: SettingsIn) -> SettingsOut:
    c = _caller(request)
    row = _as_422(lambda: services.update_payment_settings(**c.writer(), **payload.model_dump()))
    return SettingsOut.of(row, complete=True)
