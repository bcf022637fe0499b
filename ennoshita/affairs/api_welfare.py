"""/api/v1/affairs/welfare/…: the 福利厚生 catalogue (with what the caller may use and what is left
this 年度), keeping it (admin, 総務, 人事), applying, the caller's uses, one use with its approval,
withdrawal, resubmission after 差し戻し, and the report of use per employee and 年度.

Input the rules refuse (not eligible, over a limit, no approver) is a 422 problem with the message
on its field and nothing written; another company's id is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .schemas_welfare import (
    ApplyIn,
    ApprovalOut,
    BenefitIn,
    BenefitOut,
    CatalogueFilters,
    CatalogueItemOut,
    CataloguePage,
    ReportFilters,
    ReportPage,
    ReportRowOut,
    ResubmitIn,
    StepOut,
    UseDetailOut,
    UseFilters,
    UseOut,
    UsePage,
)
from .selectors import welfare as selectors
from .services import welfare as services

router = Router(tags=["総務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")
INPUT_CODES = (
    "validation",
    "not_eligible",
    "over_limit",
    "inactive",
    "no_employee",
    "no_approver",
    "no_route",
    "duplicate",
)


def as_422(call: Callable[[], T]) -> T:
    """Input the rules refuse answers 422 like the schema's own, with the same field names."""
    try:
        return call()
    except ServiceError as exc:
        if exc.code in INPUT_CODES:
            exc.status = 422
        raise


def member_caller(request: HttpRequest) -> Caller:
    """Any member but the outside assistant team."""
    c = caller_of(request)
    if not c.membership.has_any_role(*selectors.MEMBER_ROLES):
        raise PermissionDeniedError()
    return c


def manager_caller(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not selectors.can_manage(c.membership):
        raise PermissionDeniedError()
    return c


def _use_detail(c: Caller, use: Any) -> UseDetailOut:
    state = selectors.approval_state(company=c.company, use=use)
    approval = (
        None
        if state is None
        else ApprovalOut(
            status=state.status,
            status_label=state.status_label,
            steps=[
                StepOut(
                    order=s.order, label=s.label, state=s.state, approvers=s.approvers, decisions=s.decisions
                )
                for s in state.steps
            ],
        )
    )
    return UseDetailOut(
        **UseOut.of(use).model_dump(),
        approval=approval,
        can_withdraw=selectors.can_withdraw(membership=c.membership, use=use),
    )


# ---------------------------------------------------------------------------- the catalogue
@router.get("/welfare/benefits", response={200: CataloguePage, **READ_ERRORS}, summary="福利厚生制度の一覧")
def benefit_list(request: HttpRequest, filters: Query[CatalogueFilters]) -> CataloguePage:
    """受付中の制度。自分が利用できるか(雇用形態・勤続月数)と、今年度の利用・残り(承認待ちを含む)を添えます。"""
    c = member_caller(request)
    year = selectors.current_fiscal_year(company=c.company)
    qs = selectors.catalogue(company=c.company, q=filters.q, category=filters.category)
    total = qs.count()
    benefits = list(qs[filters.offset : filters.offset + filters.limit])
    rows = selectors.catalogue_rows(
        company=c.company, membership=c.membership, benefits=benefits, fiscal_year=year
    )
    names = selectors.employment_type_names(company=c.company)
    return CataloguePage(
        fiscal_year=year,
        count=total,
        limit=filters.limit,
        offset=filters.offset,
        items=[CatalogueItemOut.of_row(r, names) for r in rows],
    )


def _benefit_input(payload: BenefitIn) -> services.BenefitInput:
    return services.BenefitInput(**payload.model_dump())


@router.post("/welfare/benefits", response={201: BenefitOut, **ERRORS}, summary="福利厚生制度の登録")
def benefit_create(request: HttpRequest, payload: BenefitIn) -> Status[BenefitOut]:
    c = manager_caller(request)
    benefit = as_422(lambda: services.create_benefit(**c.writer(), data=_benefit_input(payload)))
    return Status(201, BenefitOut.of(benefit, selectors.employment_type_names(company=c.company)))


@router.put(
    "/welfare/benefits/{benefit_id}", response={200: BenefitOut, **ERRORS}, summary="福利厚生制度の変更"
)
def benefit_update(request: HttpRequest, benefit_id: Id, payload: BenefitIn) -> BenefitOut:
    """すべての項目を置き換えます(受付中・受付停止は変わりません)。"""
    c = manager_caller(request)
    benefit = selectors.get_benefit(company=c.company, benefit_id=benefit_id)
    benefit = as_422(
        lambda: services.update_benefit(**c.writer(), benefit=benefit, data=_benefit_input(payload))
    )
    return BenefitOut.of(benefit, selectors.employment_type_names(company=c.company))


# ---------------------------------------------------------------------------- uses
@router.post("/welfare/uses", response={201: UseDetailOut, **ERRORS}, summary="福利厚生の利用申請")
def benefit_apply(request: HttpRequest, payload: ApplyIn) -> Status[UseDetailOut]:
    """本人、または総務が代理で(employee_id)。承認が必要な制度は所属長 → 総務の承認へ、不要な制度はすぐ承認済み。"""
    c = member_caller(request)
    benefit = selectors.get_benefit(company=c.company, benefit_id=payload.benefit_id)
    use = as_422(
        lambda: services.apply_benefit(
            **c.writer(),
            benefit=benefit,
            used_on=payload.used_on,
            amount=payload.amount,
            detail=payload.detail,
            employee_id=payload.employee_id,
        )
    )
    use = selectors.get_use(company=c.company, membership=c.membership, use_id=use.pk)
    return Status(201, _use_detail(c, use))


@router.get("/welfare/uses", response={200: UsePage, **READ_ERRORS}, summary="福利厚生の利用申請の一覧")
def benefit_uses(request: HttpRequest, filters: Query[UseFilters]) -> UsePage:
    c = member_caller(request)
    qs = selectors.use_list(
        **c.reader(),
        scope=filters.scope,
        q=filters.q,
        status=filters.status,
        benefit_id=filters.benefit_id,
        fiscal_year=filters.fiscal_year,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return UsePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[UseOut.of(u) for u in rows]
    )


@router.get(
    "/welfare/uses/{use_id}", response={200: UseDetailOut, **READ_ERRORS}, summary="福利厚生の利用申請の詳細"
)
def benefit_use_get(request: HttpRequest, use_id: Id) -> UseDetailOut:
    c = member_caller(request)
    return _use_detail(c, selectors.get_use(**c.reader(), use_id=use_id))


@router.post(
    "/welfare/uses/{use_id}/withdraw",
    response={200: UseDetailOut, **ERRORS},
    summary="福利厚生の利用申請の取り下げ",
)
def benefit_use_withdraw(request: HttpRequest, use_id: Id) -> UseDetailOut:
    c = member_caller(request)
    use = selectors.get_use(**c.reader(), use_id=use_id)
    services.withdraw_benefit_use(**c.writer(), use=use)
    return _use_detail(c, selectors.get_use(**c.reader(), use_id=use_id))


@router.post(
    "/welfare/uses/{use_id}/resubmit",
    response={200: UseDetailOut, **ERRORS},
    summary="差し戻された利用申請の再申請",
)
def benefit_use_resubmit(request: HttpRequest, use_id: Id, payload: ResubmitIn) -> UseDetailOut:
    c = member_caller(request)
    use = selectors.get_use(**c.reader(), use_id=use_id)
    as_422(
        lambda: services.resubmit_benefit_use(
            **c.writer(), use=use, used_on=payload.used_on, amount=payload.amount, detail=payload.detail
        )
    )
    return _use_detail(c, selectors.get_use(**c.reader(), use_id=use_id))


# ---------------------------------------------------------------------------- the report
@router.get(
    "/welfare/report", response={200: ReportPage, **READ_ERRORS}, summary="福利厚生の利用状況(社員・年度別)"
)
def benefit_report(request: HttpRequest, filters: Query[ReportFilters]) -> ReportPage:
    """社員ごと・制度ごとの利用(承認済み・承認待ち)と上限に対する残り(総務・人事・管理者)。"""
    c = manager_caller(request)
    year = filters.fiscal_year or selectors.current_fiscal_year(company=c.company)
    rows = selectors.report(
        **c.reader(),
        fiscal_year=year,
        department_id=filters.department_id,
        benefit_id=filters.benefit_id,
        q=filters.q,
    )
    return ReportPage(
        fiscal_year=year,
        count=len(rows),
        limit=filters.limit,
        offset=filters.offset,
        items=[ReportRowOut.of(r) for r in rows[filters.offset : filters.offset + filters.limit]],
    )
