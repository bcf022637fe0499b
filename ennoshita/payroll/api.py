"""/api/v1/payroll/: under rules/ the legal calculations of 給与 (payroll/rules, jp-rules §1–§3)
with each step and the rule or table it applies. No figure is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Router

from ennoshita.core.api import Problem
from ennoshita.core.errors import ServiceError

from . import rules
from .rules import insurance, resident_tax, withholding
from .schemas import (
    BonusSocialInsuranceIn,
    BonusWithholdingIn,
    EmploymentInsuranceIn,
    GradeOut,
    MonthlyWithholdingIn,
    PremiumsOut,
    ResidentTaxIn,
    ResidentTaxOut,
    SocialInsuranceIn,
    StandardRemunerationIn,
    StepOut,
    TaxOut,
)

router = Router(tags=["payroll"])

ERRORS: dict[int, Any] = {401: Problem, 422: Problem}
T = TypeVar("T")


def _checked(fn: Callable[[], T]) -> T:
    """The rules' ValueError ("field: 説明") as a 422 with the message on its field."""
    try:
        return fn()
    except ValueError as exc:
        text = str(exc)
        field, _sep, message = text.partition(": ")
        if not message:
            field, message = "", text
        error = ServiceError(message, code="validation", field_errors={field: [message]} if field else None)
        error.status = 422
        raise error from exc


@router.post("/rules/monthly-withholding", response={200: TaxOut, **ERRORS}, summary="給与の源泉徴収税額")
def monthly_withholding(request: HttpRequest, body: MonthlyWithholdingIn) -> TaxOut:
    """月額表(甲・乙)または電算機計算の特例(甲)。支払日で税額表を選びます(所得税法185条、平成24年財務省告示第116号)。"""
    args = body.dict()
    return _checked(
        lambda: TaxOut(
            tax=rules.monthly_withholding(**args),
            steps=[StepOut.of(s) for s in withholding.monthly_withholding_steps(**args)],
        )
    )


@router.post("/rules/bonus-withholding", response={200: TaxOut, **ERRORS}, summary="賞与の源泉徴収税額")
def bonus_withholding(request: HttpRequest, body: BonusWithholdingIn) -> TaxOut:
    """算出率の表。前月の給与がない場合と、賞与が前月の給与の10倍を超える場合は月額表の方法(所得税法186条)。"""
    args = body.dict()
    return _checked(
        lambda: TaxOut(
            tax=rules.bonus_withholding(**args),
            steps=[StepOut.of(s) for s in withholding.bonus_withholding_steps(**args)],
        )
    )


@router.post("/rules/standard-remuneration", response={200: GradeOut, **ERRORS}, summary="標準報酬月額の等級")
def standard_remuneration(request: HttpRequest, body: StandardRemunerationIn) -> GradeOut:
    """健康保険50等級・厚生年金32等級(健康保険法40条、厚生年金保険法20条)。"""
    args = body.dict()
    return _checked(
        lambda: GradeOut.of(
            rules.standard_remuneration(**args), insurance.standard_remuneration_steps(**args)
        )
    )


@router.post("/rules/social-insurance", response={200: PremiumsOut, **ERRORS}, summary="社会保険料(月額)")
def social_insurance(request: HttpRequest, body: SocialInsuranceIn) -> PremiumsOut:
    """健康保険(介護保険を含む)・子ども・子育て支援金・厚生年金の本人負担と事業主負担。50銭以下切捨て。"""
    args = body.dict()
    return _checked(
        lambda: PremiumsOut.of(rules.social_insurance(**args), insurance.social_insurance_steps(**args))
    )


@router.post(
    "/rules/bonus-social-insurance", response={200: PremiumsOut, **ERRORS}, summary="社会保険料(賞与)"
)
def bonus_social_insurance(request: HttpRequest, body: BonusSocialInsuranceIn) -> PremiumsOut:
    """標準賞与額(1,000円未満切捨て)、健保は年度573万円・厚年は月150万円の上限。"""
    args = body.dict()
    return _checked(
        lambda: PremiumsOut.of(
            rules.bonus_social_insurance(**args), insurance.bonus_social_insurance_steps(**args)
        )
    )


@router.post("/rules/employment-insurance", response={200: TaxOut, **ERRORS}, summary="雇用保険料(本人負担)")
def employment_insurance(request: HttpRequest, body: EmploymentInsuranceIn) -> TaxOut:
    """賃金の総額 × 労働者負担の料率。料率は賃金の締切日で選びます。"""
    args = body.dict()
    return _checked(
        lambda: TaxOut(
            tax=rules.employment_insurance(**args),
            steps=[StepOut.of(s) for s in insurance.employment_insurance_steps(**args)],
        )
    )


@router.post(
    "/rules/resident-tax-installments", response={200: ResidentTaxOut, **ERRORS}, summary="住民税の月割額"
)
def resident_tax_installments(request: HttpRequest, body: ResidentTaxIn) -> ResidentTaxOut:
    """年額 ÷ 12、100円未満の端数は6月分に(地方税法321条の5)。実際には通知書の金額をそのまま使います。"""
    args = body.dict()

    def run() -> ResidentTaxOut:
        june, monthly = rules.resident_tax_installments(**args)
        steps = resident_tax.resident_tax_installments_steps(**args)
        return ResidentTaxOut(june=june, monthly=monthly, steps=[StepOut.of(s) for s in steps])

    return _checked(run)


# each part keeps its own endpoints (docs/domains/payroll.md)
from . import (  # noqa: E402  (the parts import this module's helpers)
    api_bonus,
    api_confirm,
    api_labour_insurance,
    api_leaving,
    api_payslips,
    api_revisions,
    api_runs,
    api_settings,
    api_severance,
)

for _part in (
    api_settings,
    api_runs,
    api_confirm,
    api_payslips,
    api_revisions,
    api_bonus,
    api_leaving,
    api_severance,
    api_labour_insurance,
):
    router.add_router("", _part.router)
