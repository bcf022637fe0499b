"""/api/v1/payroll/severance — 退職金: list, create (computed at once, a draft), one payment with
its steps, update a draft, compute again, confirm (経理・admin: final, posted, the 源泉徴収票
filed), discard, and the 退職所得の源泉徴収票 PDF. 人事, 経理 and admins (RUN_ROLES); anyone else
gets a 403. /api/v1/payroll/rules/severance is the calculation alone (any member; nothing
stored)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import ServiceError

from .pdf_severance import certificate_file_name, severance_pdf
from .rules import retirement
from .schemas import StepOut
from .schemas_severance import (
    DiscardIn,
    SeveranceDetailOut,
    SeveranceFilters,
    SeveranceIn,
    SeveranceOut,
    SeverancePage,
    SeveranceRuleIn,
    SeveranceRuleOut,
)
from .selectors import severance as selectors
from .services import severance as services

router = Router(tags=["payroll"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, Any] = {400: Problem, **READ_ERRORS}
PDF = {
    "responses": {
        200: {"description": "退職所得の源泉徴収票・特別徴収票(PDF)", "content": {"application/pdf": {}}}
    }
}


def _inputs(body: SeveranceIn) -> dict[str, Any]:
    return {
        "employee": body.employee_id,
        "paid_on": body.paid_on,
        "amount": body.amount,
        "service_from": body.service_from,
        "service_to": body.service_to,
        "officer_from": body.officer_from,
        "disability": body.disability,
        "declaration": body.declaration,
        "municipality_code": body.municipality_code,
        "municipality_name": body.municipality_name,
        "note": body.note,
    }


@router.get("/severance", response={200: SeverancePage, **READ_ERRORS}, summary="退職金の一覧")
def list_severance(request: HttpRequest, filters: Query[SeveranceFilters]) -> SeverancePage:
    """支払日の新しい順。社員番号・氏名・備考で検索し、支払年・状態で絞れます。"""
    c = caller_of(request)
    qs = selectors.severance_list(**c.reader(), q=filters.q, year=filters.year, status=filters.status)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return SeverancePage(
        count=qs.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[SeveranceOut.of(r) for r in rows],
    )


@router.post("/severance", response={201: SeveranceDetailOut, **WRITE_ERRORS}, summary="退職金を計算する")
def create_severance(request: HttpRequest, body: SeveranceIn) -> Status[SeveranceDetailOut]:
    """下書きを作り、その場で勤続年数・退職所得控除額・課税退職所得金額・源泉所得税・住民税を計算します。"""
    row = services.create_severance(**caller_of(request).writer(), **_inputs(body))
    return Status(201, SeveranceDetailOut.of(row))


@router.get("/severance/{severance_id}", response={200: SeveranceDetailOut, **READ_ERRORS}, summary="退職金")
def get_severance(request: HttpRequest, severance_id: Id) -> SeveranceDetailOut:
    """計算の過程(段階・計算・根拠)つき。"""
    return SeveranceDetailOut.of(
        selectors.get_severance(**caller_of(request).reader(), severance_id=severance_id)
    )


@router.put(
    "/severance/{severance_id}", response={200: SeveranceDetailOut, **WRITE_ERRORS}, summary="退職金を直す"
)
def update_severance(request: HttpRequest, severance_id: Id, body: SeveranceIn) -> SeveranceDetailOut:
    """下書きだけ。確定・破棄したものは400。"""
    c = caller_of(request)
    row = selectors.get_severance(**c.reader(), severance_id=severance_id)
    return SeveranceDetailOut.of(services.update_severance(**c.writer(), severance=row, **_inputs(body)))


@router.post(
    "/severance/{severance_id}/compute",
    response={200: SeveranceDetailOut, **WRITE_ERRORS},
    summary="計算し直す",
)
def compute_severance(request: HttpRequest, severance_id: Id) -> SeveranceDetailOut:
    c = caller_of(request)
    row = selectors.get_severance(**c.reader(), severance_id=severance_id)
    return SeveranceDetailOut.of(services.compute_severance(**c.writer(), severance=row))


@router.post(
    "/severance/{severance_id}/confirm",
    response={200: SeveranceDetailOut, **WRITE_ERRORS},
    summary="退職金の確定",
)
def confirm_severance(request: HttpRequest, severance_id: Id) -> SeveranceDetailOut:
    """経理・管理者。支払日の日付で仕訳を記帳し(借方 退職金 / 貸方 預り金・未払金)、源泉徴収票を文書に保存します。確定したものは変更できません。"""
    c = caller_of(request)
    row = selectors.get_severance(**c.reader(), severance_id=severance_id)
    try:
        row = services.confirm_severance(**c.writer(), severance=row)
    except ServiceError as exc:
        if exc.code in ("stale", "no_account"):
            exc.status = 422
        raise
    return SeveranceDetailOut.of(row)


@router.post(
    "/severance/{severance_id}/discard",
    response={200: SeveranceDetailOut, **WRITE_ERRORS},
    summary="退職金の破棄",
)
def discard_severance(request: HttpRequest, severance_id: Id, body: DiscardIn) -> SeveranceDetailOut:
    c = caller_of(request)
    row = selectors.get_severance(**c.reader(), severance_id=severance_id)
    return SeveranceDetailOut.of(services.discard_severance(**c.writer(), severance=row, reason=body.reason))


@router.get(
    "/severance/{severance_id}/certificate",
    response={**READ_ERRORS},
    summary="退職所得の源泉徴収票・特別徴収票",
    openapi_extra=PDF,
)
def severance_certificate(request: HttpRequest, severance_id: Id) -> HttpResponse:
    """PDF(税務署提出用・市町村提出用・受給者交付用の3ページ)。下書きのものには「下書き」と入ります。"""
    c = caller_of(request)
    row = selectors.get_severance(**c.reader(), severance_id=severance_id)
    data = severance_pdf(company=c.company, severance=row)
    name = certificate_file_name(row)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/rules/severance",
    response={200: SeveranceRuleOut, 401: Problem, 422: Problem},
    summary="退職金の源泉所得税と住民税",
)
def severance_rule(request: HttpRequest, body: SeveranceRuleIn) -> SeveranceRuleOut:
    """退職所得控除(所得税法30条)、1/2(特定役員・短期の例外)、速算表×102.1%(申告書なしは20.42%)、住民税 市町村民税6%・道府県民税4%。何も保存しません。"""
    args = body.dict()
    try:
        result = retirement.severance(**args)
        steps = [StepOut.of(s) for s in retirement.severance_steps(**args)]
    except ValueError as exc:
        field, _sep, message = str(exc).partition(": ")
        if not message:
            field, message = "", str(exc)
        error = ServiceError(message, code="validation", field_errors={field: [message]} if field else None)
        error.status = 422
        raise error from exc
    return SeveranceRuleOut.of(result, steps)
