"""/api/v1/payroll/runs — 給与計算: list, create (computes every payslip; a group of more than
300 people is computed in the background: 202 with the job), one run with its payslips' summary,
recompute, discard. 人事, 経理 and admins (payroll.permissions.RUN_ROLES); a correction run (訂正)
of a confirmed run: 経理 and admins (CONFIRM_ROLES)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.dates import parse_month
from ennoshita.core.errors import ServiceError

from .models import PayGroup, PayrollRun
from .schemas_runs import (
    CorrectionIn,
    DiscardIn,
    JobOut,
    PayslipSummaryOut,
    RunDetailOut,
    RunFilters,
    RunIn,
    RunOut,
    RunPage,
)
from .selectors import runs as selectors
from .services import corrections as correction_services
from .services import runs as services

router = Router(tags=["payroll"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, Any] = {400: Problem, **READ_ERRORS}


def _detail(run: PayrollRun) -> RunDetailOut:
    slips = [PayslipSummaryOut.of(p) for p in selectors.payslip_rows(run=run)]
    errors = sum(1 for p in slips if any(a.level == "error" for a in p.anomalies))
    return RunDetailOut(**RunOut.of(run, errors).dict(), payslips=slips)


def _group(request: HttpRequest, group_id: int) -> PayGroup:
    group = selectors.pay_groups(company=caller_of(request).company).filter(pk=group_id).first()
    if group is None:
        raise ServiceError(
            "支給グループが見つかりません。",
            code="validation",
            field_errors={"pay_group_id": ["支給グループが見つかりません。"]},
        )
    return group


@router.get("/runs", response={200: RunPage, **READ_ERRORS}, summary="給与計算の一覧")
def list_payroll_runs(request: HttpRequest, filters: Query[RunFilters]) -> RunPage:
    """新しい支給月から。年・支給グループで絞れます。"""
    c = caller_of(request)
    qs = selectors.run_list(**c.reader(), year=filters.year, group_id=filters.pay_group_id)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return RunPage(
        count=qs.count(), limit=filters.limit, offset=filters.offset, items=[RunOut.of(r) for r in rows]
    )


@router.post("/runs", response={201: RunDetailOut, 202: JobOut, **WRITE_ERRORS}, summary="給与を計算する")
def create_payroll_run(request: HttpRequest, body: RunIn) -> Status[Any]:
    """支給グループと支給月で、全員の給与明細を計算します(下書き)。kind が bonus なら支給日
    (pay_date)・名称・計算期間で賞与の計算を作ります(明細は …/bonus-amounts で金額を入れると計算)。同じ月の計算が既にある、勤怠締めが
    済んでいない人がいる、税額表のない支給日などは400で、何も作りません。300人を超えるグループは
    裏で計算し、202 でジョブを返します。"""
    c = caller_of(request)
    if body.kind == "bonus":  # a bonus run starts empty; its amounts go to …/bonus-amounts
        group = _group(request, body.pay_group_id)
        run = services.create_run(
            **c.writer(),
            pay_group=group,
            pay_month=body.pay_date or timezone.localdate(),
            kind="bonus",
            title=body.title,
            pay_date=body.pay_date,
            bonus_period_months=body.bonus_period_months,
        )
        return Status(201, _detail(run))
    month = parse_month(body.pay_month or "")
    if month is None:
        raise ServiceError(
            "支給月が正しくありません。",
            code="validation",
            field_errors={"pay_month": ["支給月が正しくありません。"]},
        )
    group = _group(request, body.pay_group_id)
    if selectors.group_size(company=c.company, pay_group=group, pay_month=month) > services.BACKGROUND_OVER:
        job = services.start_create_job(
            **c.writer(), pay_group=group, pay_month=month, kind=body.kind, title=body.title
        )
        return Status(202, JobOut.of(job))
    run = services.create_run(
        **c.writer(), pay_group=group, pay_month=month, kind=body.kind, title=body.title
    )
    return Status(201, _detail(run))


@router.get("/runs/{run_id}", response={200: RunDetailOut, **READ_ERRORS}, summary="給与計算(明細の一覧つき)")
def get_payroll_run(request: HttpRequest, run_id: int) -> RunDetailOut:
    c = caller_of(request)
    return _detail(selectors.get_run(**c.reader(), run_id=run_id))


@router.post(
    "/runs/{run_id}/recompute", response={200: RunDetailOut, 202: JobOut, **WRITE_ERRORS}, summary="再計算"
)
def recompute_run(request: HttpRequest, run_id: int) -> Status[Any]:
    """下書きの明細を消して、今のデータで計算し直します。確定・破棄したものは400。"""
    c = caller_of(request)
    run = selectors.get_run(**c.reader(), run_id=run_id)
    if run.headcount > services.BACKGROUND_OVER:
        return Status(202, JobOut.of(services.start_recompute_job(**c.writer(), run=run)))
    return Status(200, _detail(services.recompute_run(**c.writer(), run=run)))


@router.post("/runs/{run_id}/discard", response={200: RunOut, **WRITE_ERRORS}, summary="破棄")
def discard_run(request: HttpRequest, run_id: int, body: DiscardIn) -> RunOut:
    """理由をつけて下書きを破棄します(記録は残ります)。確定したものは400。"""
    c = caller_of(request)
    run = selectors.get_run(**c.reader(), run_id=run_id)
    return RunOut.of(services.discard_run(**c.writer(), run=run, reason=body.reason))


@router.post(
    "/runs/{run_id}/corrections", response={201: RunDetailOut, **WRITE_ERRORS}, summary="訂正の計算を作る"
)
def create_correction_run(request: HttpRequest, run_id: int, body: CorrectionIn) -> Status[Any]:
    """確定した給与計算の月を、選んだ社員(省略すると全員)について今の設定と勤怠で計算し直し、確定分との
    差額だけの明細を持つ訂正の計算(下書き, kind=correction)を作ります。所得税は訂正後の合計に元の支給日の
    税額表を当てた額との差額。差額のない人は入りません。確定していない・給与でない計算、訂正の下書きが
    既にある、支給日が休業日・元の支給日より前、差額のある人がいない、などは400で何も作りません。
    経理・管理者のみ。確定は …/confirm(通常の確定と同じ)。"""
    c = caller_of(request)
    run = selectors.get_run(**c.reader(), run_id=run_id)
    correction = correction_services.start_correction(
        **c.writer(),
        run=run,
        pay_date=body.pay_date,
        employee_ids=list(body.employee_ids) or None,
        title=body.title,
    )
    return Status(201, _detail(correction))
