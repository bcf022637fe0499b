"""/api/v1/payroll/labour-insurance — 労働保険 年度更新 (人事・経理・管理者; anyone else 403): the
保険年度's 賃金総額 by month, the 確定・概算 figures, 一般拠出金, 差額 and installments; and the
company's 労災保険率 with the 事務組合 flag (PUT, audited; a refused rate is 422, nothing written)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.permissions import require_role

from .permissions import SETTINGS_ROLES
from .schemas_labour_insurance import FilingOut, FilingQuery, RateIn, RateOut
from .selectors import labour_insurance as selectors
from .services import labour_insurance as services

router = Router(tags=["payroll"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 422: Problem}
ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 422: Problem}


@router.get("/labour-insurance", response={200: FilingOut, **READ_ERRORS}, summary="労働保険の年度更新")
def get_filing(request: HttpRequest, query: Query[FilingQuery]) -> FilingOut:
    """確定(保険年度 year)と概算(year + 1)の数字。賃金総額は確定した給与(賃金締切日の月)と賞与(支給日の月)から、
    役員を除いて集計します。概算は見込額が前年度の50%以上200%以下なら前年度の賃金総額で計算します。"""
    c = caller_of(request)
    year = query.year if query.year is not None else selectors.default_year(timezone.localdate())
    filing = selectors.filing(
        **c.reader(),
        year=year,
        workers_comp_estimate=query.workers_comp_estimate,
        employment_estimate=query.employment_estimate,
        paid_estimate=query.paid_estimate,
        split=query.split,
    )
    return FilingOut.of(filing)


@router.put("/labour-insurance/rate", response={200: RateOut, **ERRORS}, summary="労災保険率を保存")
def put_rate(request: HttpRequest, payload: RateIn) -> RateOut:
    """労災保険率(1000分の、0超200以下)と労働保険事務組合への委託。変更は監査ログに残ります。"""
    c = caller_of(request)
    require_role(c.membership, *SETTINGS_ROLES)
    try:
        row = services.set_labour_insurance_settings(
            **c.writer(), workers_comp_rate=payload.workers_comp_rate, association=payload.association
        )
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise
    return RateOut.of(row)
