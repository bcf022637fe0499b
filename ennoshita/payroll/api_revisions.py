"""/api/v1/payroll/ — revisions (人事・経理・管理者; 403 for anyone else): who needs a 定時決定
(算定基礎届) for a year and who a 随時改定 (月額変更届) as of a day, and recording the decision as
標準報酬月額 (all or nothing: someone not on the list or excluded by law is a 422 and nothing is
written; rows already recorded are skipped and listed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.errors import ServiceError

from .schemas_revisions import AnnualQuery, InterimQuery, RecordedRowOut, RecordIn, RecordOut, RevisionOut
from .selectors import revisions as selectors
from .services import revisions as services

router = Router(tags=["payroll"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 422: Problem}


@router.get(
    "/revisions/annual", response={200: list[RevisionOut], **READ_ERRORS}, summary="定時決定(算定基礎届)"
)
def annual_revisions(request: HttpRequest, query: Query[AnnualQuery]) -> list[RevisionOut]:
    """4月・5月・6月に支給した確定済みの給与で、支払基礎日数17日以上(パートは15日以上)の月の平均から9月からの等級。
    6月1日〜7月1日の資格取得、7〜9月の随時改定、7月1日に被保険者でない人は `excluded` に理由(健康保険法41条)。"""
    c = caller_of(request)
    year = query.year or timezone.localdate().year
    return [RevisionOut.of(r) for r in selectors.annual_list(**c.reader(), year=year)]


@router.get(
    "/revisions/interim", response={200: list[RevisionOut], **READ_ERRORS}, summary="随時改定(月額変更届)"
)
def interim_revisions(request: HttpRequest, query: Query[InterimQuery]) -> list[RevisionOut]:
    """固定的賃金が変動した月から3か月とも17日以上で、その平均による健康保険の等級が2等級以上(上限・下限では
    特例で1等級)、固定的賃金と同じ向きに変わる人。4か月目から改定(健康保険法43条、厚生年金保険法23条)。"""
    c = caller_of(request)
    as_of = query.as_of or timezone.localdate()
    return [RevisionOut.of(r) for r in selectors.interim_list(**c.reader(), as_of=as_of)]


@router.post("/revisions/record", response={200: RecordOut, **ERRORS}, summary="標準報酬月額に登録")
def record_revisions(request: HttpRequest, payload: RecordIn) -> RecordOut:
    """一覧を読み直して、選んだ人の平均額から標準報酬月額を登録します(定時決定は9月から、随時改定は4か月目から)。
    一覧にいない人・対象外の人が含まれると422で何も登録しません。登録済みの人は `skipped` に。"""
    c = caller_of(request)
    try:
        result = services.record_revisions(
            **c.writer(),
            kind=payload.kind,
            employee_ids=payload.employee_ids,
            year=payload.year,
            as_of=payload.as_of,
        )
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise
    return RecordOut(
        created=[
            RecordedRowOut(
                id=r.pk,
                employee_id=r.employee_id,
                effective_from=r.effective_from,
                monthly_remuneration=int(r.monthly_remuneration),
                health_grade=r.health_grade,
                health_standard=int(r.health_standard),
                pension_grade=r.pension_grade,
                pension_standard=int(r.pension_standard),
                reason=r.reason,
            )
            for r in result.created
        ],
        skipped=[r.employee_id for r in result.skipped],
    )
