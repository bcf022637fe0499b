"""/api/v1/payroll/ — confirm (issue 9): confirm a run (経理・管理者; final: the entry posted, the
全銀 給与振込 file filed, the payslips published), the transfer preview (人事・経理), the filed
file (経理・管理者), and the payments of what was withheld (源泉所得税・住民税 with 納期限).

A run that is not a draft is a 400; anomalies that block, figures that do not add up or missing
transfer settings are a 422 with the reasons on their field; another company's run is a 404;
nothing is written on any of them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import ServiceError

from .schemas_confirm import ConfirmedRunOut, TransferPreviewOut, WithheldOut, YearQuery
from .selectors import confirm as selectors
from .services import confirm as services

router = Router(tags=["payroll"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
FILE = {
    "responses": {
        200: {
            "description": "全銀 給与・賞与振込ファイル(CP932、120バイト+CRLF)",
            "content": {"text/plain": {}},
        }
    }
}
UNPROCESSABLE = frozenset({"validation", "anomalies", "bad_bank_data", "no_account"})


@router.post("/runs/{run_id}/confirm", response={200: ConfirmedRunOut, **ERRORS}, summary="給与計算の確定")
def confirm_payroll_run(request: HttpRequest, run_id: Id) -> ConfirmedRunOut:
    """支給日の日付で仕訳を1件記帳し、全銀の給与振込ファイルを文書に保存し、給与明細を公開します。確定した給与計算は変更できません。"""
    c = caller_of(request)
    run = selectors.get_run(**c.reader(), run_id=run_id)
    try:
        run = services.confirm_run(**c.writer(), run=run)
    except ServiceError as exc:
        if exc.code in UNPROCESSABLE:
            exc.status = 422
        raise
    return ConfirmedRunOut.of(run)


@router.get(
    "/runs/{run_id}/transfer",
    response={200: TransferPreviewOut, **READ_ERRORS},
    summary="給与振込のプレビュー",
)
def transfer_preview(request: HttpRequest, run_id: Id) -> TransferPreviewOut:
    """振込ごとの銀行・支店・口座・名義・金額と合計。下書きでも見られます。"""
    c = caller_of(request)
    run = selectors.get_run(**c.reader(), run_id=run_id)
    return TransferPreviewOut.of(selectors.transfer_preview(**c.reader(), run=run))


@router.get(
    "/runs/{run_id}/transfer-file", response={**ERRORS}, summary="全銀 給与振込ファイル", openapi_extra=FILE
)
def transfer_file(request: HttpRequest, run_id: Id) -> HttpResponse:
    """確定した給与計算の、文書に保存したファイルそのもの。"""
    c = caller_of(request)
    run = selectors.get_run(**c.reader(), run_id=run_id)
    name, data = selectors.transfer_file(**c.reader(), run=run)
    response = HttpResponse(data, content_type="text/plain; charset=Shift_JIS")
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/withheld-taxes", response={200: WithheldOut, **READ_ERRORS}, summary="源泉所得税・住民税の納付")
def withheld_taxes(request: HttpRequest, query: Query[YearQuery]) -> WithheldOut:
    """確定した給与計算の、支給日の月ごとの源泉所得税(納期の特例なら半年ごと)と市区町村ごとの住民税、それぞれの納期限。"""
    c = caller_of(request)
    return WithheldOut.of(selectors.withheld_taxes(**c.reader(), year=query.year))
