"""Request and response shapes of /api/v1/payroll/rules/: the legal calculations of payroll/rules
(jp-rules §1–§3) with the steps that reached each figure."""

from __future__ import annotations

from datetime import date as Day
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Input

from .rules import Grade, Premiums
from .rules.steps import Step

Yen = int
MAX_YEN = 1_000_000_000


def _yen(description: str, default: int | None = None) -> Yen:
    if default is None:
        return Field(ge=0, le=MAX_YEN, description=description)
    return Field(default, ge=0, le=MAX_YEN, description=description)


class StepOut(Schema):
    label: str
    value: str
    rule: str = Field(description="根拠(法令・告示・税額表)")

    @staticmethod
    def of(step: Step) -> StepOut:
        return StepOut(label=step.label, value=step.value, rule=step.rule)


class MonthlyWithholdingIn(Input):
    amount: Yen = _yen("その月の社会保険料等控除後の給与等の金額(円)")
    dependents: int = Field(0, ge=0, le=99, description="扶養親族等の数(甲欄)")
    column: Literal["甲", "乙"] = Field("甲", description="甲(扶養控除等申告書あり)または乙")
    method: Literal["table", "formula"] = Field(
        "table", description="table: 月額表、formula: 電算機計算の特例(甲欄のみ)"
    )
    pay_date: Day = Field(description="支払日(税額表を選ぶ日)")
    secondary_dependents: int = Field(
        0, ge=0, le=99, description="乙欄: 従たる給与についての扶養控除等申告書の人数"
    )


class BonusWithholdingIn(Input):
    bonus_after_si: Yen = _yen("賞与の金額から社会保険料等を控除した金額(円)")
    prev_month_after_si: Yen = _yen("前月の社会保険料等控除後の給与等の金額(円)。前月の給与がなければ0", 0)
    dependents: int = Field(0, ge=0, le=99, description="扶養親族等の数(甲欄)")
    column: Literal["甲", "乙"] = "甲"
    pay_date: Day = Field(description="支払日")
    calc_period_months: int = Field(
        6, ge=1, le=12, description="賞与の計算期間(月)。6か月を超えると月額表の方法で×12"
    )


class TaxOut(Schema):
    tax: Yen = Field(description="源泉徴収税額(円)")
    steps: list[StepOut]


class StandardRemunerationIn(Input):
    monthly_remuneration: Yen = _yen("報酬月額(円)")
    on: Day = Field(description="適用する日(等級表を選ぶ日)")


class GradeOut(Schema):
    health_grade: int
    health_standard: Yen
    pension_grade: int
    pension_standard: Yen
    steps: list[StepOut]

    @staticmethod
    def of(grade: Grade, steps: list[Step]) -> GradeOut:
        return GradeOut(
            health_grade=grade.health_grade,
            health_standard=grade.health_standard,
            pension_grade=grade.pension_grade,
            pension_standard=grade.pension_standard,
            steps=[StepOut.of(s) for s in steps],
        )


class SocialInsuranceIn(Input):
    standard_monthly: Yen = _yen("健康保険の標準報酬月額(円)")
    prefecture: str = Field(max_length=10, description="協会けんぽの都道府県支部(例: 東京都)")
    birth_date: Day = Field(description="生年月日(介護保険の判定)")
    month: Day = Field(description="保険料の対象月(その月の任意の日)")


class BonusSocialInsuranceIn(Input):
    bonus: Yen = _yen("賞与の額(円)")
    prefecture: str = Field(max_length=10, description="協会けんぽの都道府県支部(例: 東京都)")
    birth_date: Day
    month: Day = Field(description="賞与を支払った月(その月の任意の日)")
    standard_bonus_so_far_this_fiscal_year: Yen = _yen("その年度(4月〜)にすでに支払った標準賞与額の累計", 0)


class PremiumsOut(Schema):
    health: Yen = Field(description="健康保険料(介護保険料を含む、本人負担)")
    care_applies: bool = Field(description="介護保険第2号被保険者に当たる月か")
    child_support: Yen = Field(description="子ども・子育て支援金(本人負担)")
    pension: Yen = Field(description="厚生年金保険料(本人負担)")
    employer_health: Yen
    employer_child_support: Yen
    employer_pension: Yen
    employer_child_contribution: Yen = Field(description="子ども・子育て拠出金(事業主のみ)")
    standard_bonus: Yen = Field(description="標準賞与額(賞与のみ、上限適用前)")
    steps: list[StepOut]

    @staticmethod
    def of(p: Premiums, steps: list[Step]) -> PremiumsOut:
        return PremiumsOut(
            health=p.health,
            care_applies=p.care_applies,
            child_support=p.child_support,
            pension=p.pension,
            employer_health=p.employer_health,
            employer_child_support=p.employer_child_support,
            employer_pension=p.employer_pension,
            employer_child_contribution=p.employer_child_contribution,
            standard_bonus=p.standard_bonus,
            steps=[StepOut.of(s) for s in steps],
        )


class EmploymentInsuranceIn(Input):
    wages: Yen = _yen("賃金の総額(円、通勤手当を含む)")
    business: Literal["一般", "農林水産・清酒製造", "建設"] = "一般"
    closing_date: Day = Field(description="賃金の締切日(料率を選ぶ日)")


class ResidentTaxIn(Input):
    annual: Yen = _yen("特別徴収税額の年額(円)")


class ResidentTaxOut(Schema):
    june: Yen = Field(description="6月分")
    monthly: Yen = Field(description="7月〜翌5月の各月")
    steps: list[StepOut]
