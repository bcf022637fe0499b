"""/api/v1/payroll/runs/{id}/bonus-amounts — 賞与の金額: the list (everyone the bonus run may pay,
with what was entered), PUT to set amounts (recomputes the payslips), POST …/import for a CSV
(社員番号,金額[,備考]); GET …/bonus-report: the 賞与支払届 figures of a confirmed run. 人事, 経理 and
admins (RUN_ROLES). A bonus run is created with POST /runs and kind "bonus"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.errors import NotFound, ServiceError

from . import bonus_inputs
from .models import PayrollRun, RunKind, RunStatus
from .schemas_bonus import BonusAmountOut, BonusAmountsIn, BonusAmountsOut, BonusReportOut
from .selectors import runs as run_selectors
from .services import bonus as services

router = Router(tags=["payroll"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, Any] = {400: Problem, **READ_ERRORS}


def _run(request: HttpRequest, run_id: int) -> PayrollRun:
    run = run_selectors.get_run(**caller_of(request).reader(), run_id=run_id)
    if run.kind != RunKind.BONUS:
        raise NotFound()
    return run


def _out(request: HttpRequest, run: PayrollRun) -> BonusAmountsOut:
    run.refresh_from_db()
    rows = bonus_inputs.amount_rows(company=caller_of(request).company, run=run)
    return BonusAmountsOut(
        run_id=run.pk,
        status=run.status,
        headcount=run.headcount,
        gross_total=int(run.gross_total),
        net_total=int(run.net_total),
        items=[BonusAmountOut.of(r) for r in rows],
    )


@router.get(
    "/runs/{run_id}/bonus-amounts", response={200: BonusAmountsOut, **READ_ERRORS}, summary="賞与の金額"
)
def list_bonus_amounts(request: HttpRequest, run_id: int) -> BonusAmountsOut:
    """支給の対象になる人と、入力した金額・計算した差引支給額。賞与でない計算は404。"""
    return _out(request, _run(request, run_id))


@router.put(
    "/runs/{run_id}/bonus-amounts",
    response={200: BonusAmountsOut, **WRITE_ERRORS},
    summary="賞与の金額を保存",
)
def put_bonus_amounts(request: HttpRequest, run_id: int, body: BonusAmountsIn) -> BonusAmountsOut:
    """一覧にある人の金額を置き換え(null で消す)、明細を計算し直します。マイナス・対象外の社員番号・
    同じ人が2回・確定済みの計算は400で、何も変えません。"""
    run = _run(request, run_id)
    rows = [services.AmountIn(i.employee_number, i.amount, i.note) for i in body.items]
    services.set_bonus_amounts(**caller_of(request).writer(), run=run, rows=rows, source="api")
    return _out(request, run)


@router.post(
    "/runs/{run_id}/bonus-amounts/import",
    response={200: BonusAmountsOut, **WRITE_ERRORS},
    summary="賞与の金額をCSVで取り込む",
)
def import_bonus_amounts(
    request: HttpRequest, run_id: int, file: File[UploadedFile | None] = None
) -> BonusAmountsOut:
    """`multipart/form-data` の `file`: 「社員番号,金額[,備考]」のCSV(UTF-8 または Shift_JIS、見出し行は
    任意)。すべての行を確かめ、1行でも誤りがあれば何も登録せず400で行ごとの理由を返します。"""
    run = _run(request, run_id)
    if file is None:
        raise ValidationError([{"type": "missing", "loc": ["file"], "msg": "missing"}])
    services.import_bonus_amounts(**caller_of(request).writer(), run=run, data=file.read())
    return _out(request, run)


@router.get(
    "/runs/{run_id}/bonus-report",
    response={200: list[BonusReportOut], **WRITE_ERRORS},
    summary="賞与支払届のデータ",
)
def bonus_report(request: HttpRequest, run_id: int) -> list[BonusReportOut]:
    """確定した賞与の、被保険者賞与支払届の数字(社会保険に加入している人)。確定前は400。"""
    run = _run(request, run_id)
    if run.status != RunStatus.CONFIRMED:
        raise ServiceError(
            "賞与支払届のデータは確定した賞与だけです。",
            code="bad_state",
            field_errors={"run": ["確定していません。"]},
        )
    return [
        BonusReportOut.of(r) for r in bonus_inputs.report_rows(company=caller_of(request).company, run=run)
    ]
