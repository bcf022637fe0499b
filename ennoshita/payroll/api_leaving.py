"""/api/v1/payroll/leavers… — leavers: the leavers of a period with the 給与所得者異動届出書 figures
(人事・経理・admin; 403 for anyone else), and a leaver's 給与所得の源泉徴収票 as figures or a PDF
(人事・経理・admin any leaver, the employee their own; 404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.errors import ServiceError

from .pdf_leaving import withholding_slip_pdf
from .schemas_leaving import LeaversOut, LeaversQuery, SlipQuery, WithholdingSlipOut
from .selectors import leaving as selectors

router = Router(tags=["payroll"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
PDF_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "給与所得の源泉徴収票(受給者交付用、A4 PDF)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/leavers", response={200: LeaversOut, **READ_ERRORS}, summary="退職者と給与所得者異動届出書")
def list_leavers(request: HttpRequest, query: Query[LeaversQuery]) -> LeaversOut:
    """退職日が範囲内の社員と、住民税の年税額・徴収済額・未徴収税額・徴収方法(一括徴収/普通徴収)とその理由。"""
    data = selectors.leavers(**caller_of(request).reader(), start=query.start, end=query.end, q=query.q)
    return LeaversOut.of(data)


def _slip_year(request: HttpRequest, employee_id: int, year: int | None) -> int:
    found = selectors.slip_year(**caller_of(request).reader(), employee_id=employee_id, year=year)
    if found is None:
        raise ServiceError(
            _("この社員には退職日がないため、退職時の源泉徴収票はありません。"),
            code="not_leaver",
            field_errors={"year": [_("退職日の年を指定してください。")]},
        )
    return found


@router.get(
    "/leavers/{int:employee_id}/withholding-slip",
    response={200: WithholdingSlipOut, **READ_ERRORS},
    summary="退職者の源泉徴収票(数字)",
)
def withholding_slip(request: HttpRequest, employee_id: int, query: Query[SlipQuery]) -> WithholdingSlipOut:
    """支払金額(給料・賞与)・社会保険料等の金額・源泉徴収税額。年の中途の退職者は年末調整をしません。"""
    slip = selectors.withholding_slip(
        **caller_of(request).reader(),
        employee_id=employee_id,
        year=_slip_year(request, employee_id, query.year),
    )
    return WithholdingSlipOut.of(slip)


@router.get(
    "/leavers/{int:employee_id}/withholding-slip/pdf",
    response={**READ_ERRORS},
    summary="退職者の源泉徴収票(PDF)",
    openapi_extra=PDF_RESPONSE,
)
def withholding_slip_pdf_file(
    request: HttpRequest, employee_id: int, query: Query[SlipQuery]
) -> HttpResponse:
    """受給者交付用の PDF。本人は自分のものだけ、人事・経理はすべての退職者。"""
    slip = selectors.withholding_slip(
        **caller_of(request).reader(),
        employee_id=employee_id,
        year=_slip_year(request, employee_id, query.year),
    )
    response = HttpResponse(withholding_slip_pdf(slip=slip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gensen-{slip.number}-{slip.year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
