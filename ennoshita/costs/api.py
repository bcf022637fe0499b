"""/api/v1/costs/: the indirect-cost dashboard and its drill-down, as JSON.

The same figures as the screens, for the same readers: 経理 and admins (the whole company), a
department's 所属長 (his or her departments); anyone else 403. A department outside the reader's
scope, or an account that is not an indirect one, is 404. A month that is not YYYY-MM is 422.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.errors import ServiceError

from . import selectors
from .forms import parse_month
from .schemas import DashboardOut, DashboardQuery, DrilldownOut, DrilldownQuery

router = Router(tags=["costs"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _month(text: str) -> date:
    if not text:
        return timezone.localdate().replace(day=1)
    month = parse_month(text)
    if month is None:
        message = _("月は YYYY-MM の形式で入力してください。")
        exc = ServiceError(message, code="validation", field_errors={"month": [message]})
        exc.status = 422
        raise exc
    return month


@router.get("/dashboard", response={200: DashboardOut, **READ_ERRORS}, summary="間接経費ダッシュボード")
def get_dashboard(request: HttpRequest, filters: Query[DashboardQuery]) -> DashboardOut:
    """科目別・月別(帳簿の税抜金額)、部門別と1人あたり、支払先の上位10件(書類の税込金額)、前月比・前年同月比、上昇の注意。"""
    c = caller_of(request)
    month = (
        _month(filters.month)
        if filters.month
        else selectors.default_month(company=c.company, today=timezone.localdate())
    )
    try:
        board = selectors.dashboard(
            **c.reader(),
            month=month,
            months=filters.months,
            department_id=filters.department_id,
            payee_months=filters.payee_months,
        )
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise
    return DashboardOut.of(board)


@router.get("/drilldown", response={200: DrilldownOut, **READ_ERRORS}, summary="間接経費の仕訳明細")
def get_drilldown(request: HttpRequest, filters: Query[DrilldownQuery]) -> DrilldownOut:
    """科目 × 月(× 部門)の金額の元になった記帳済みの仕訳明細と、その元の記録(経費精算・請求書)へのリンク。"""
    c = caller_of(request)
    drill = selectors.drilldown(
        **c.reader(),
        month=_month(filters.month),
        account_code=filters.account or None,
        department_id=filters.department_id,
        limit=filters.limit,
    )
    return DrilldownOut.of(drill)
