"""Shapes of /api/v1/payroll/labour-insurance (労働保険 年度更新). Amounts are whole yen (int); rates
are per 1,000 as decimal strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from ennoshita.payroll.models import PayrollSettings

from .rules import labour_insurance as rules
from .selectors.labour_insurance import Filing, MonthRow


class FilingQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="保険年度(確定保険料の年度、省略: 前年度)")
    workers_comp_estimate: int | None = Field(
        None, ge=0, le=100_000_000_000, description="今年度の賃金総額の見込額(労災、省略: 前年度の額)"
    )
    employment_estimate: int | None = Field(
        None, ge=0, le=100_000_000_000, description="今年度の賃金総額の見込額(雇用、省略: 前年度の額)"
    )
    paid_estimate: int | None = Field(
        None, ge=0, le=100_000_000_000, description="申告済概算保険料額(省略: 差額を計算しない)"
    )
    split: bool | None = Field(None, description="延納する(省略: できるときは延納)")


class MonthOut(Schema):
    month: date = Field(description="月(1日)。給与は賃金締切日の月、賞与は支給日の月")
    workers: int = Field(description="労働者数(役員以外で給与明細のある人)")
    insured: int = Field(description="雇用保険被保険者数(雇用保険料を差し引いた人)")
    officers: int = Field(description="役員(除外)")
    gross: int = Field(description="支払総額(役員を含む全員)")
    workers_comp_salary: int
    workers_comp_bonus: int
    workers_comp_wages: int = Field(description="労災保険の賃金")
    employment_salary: int
    employment_bonus: int
    employment_wages: int = Field(description="雇用保険の賃金")

    @classmethod
    def of(cls, m: MonthRow) -> MonthOut:
        return cls(
            month=m.month,
            workers=m.workers,
            insured=m.insured,
            officers=m.officers,
            gross=m.gross,
            workers_comp_salary=m.workers_comp_salary,
            workers_comp_bonus=m.workers_comp_bonus,
            workers_comp_wages=m.workers_comp_wages,
            employment_salary=m.employment_salary,
            employment_bonus=m.employment_bonus,
            employment_wages=m.employment_wages,
        )


class PremiumsOut(Schema):
    workers_comp_base: int = Field(description="労災保険の算定基礎額(千円未満切捨て)")
    employment_base: int = Field(description="雇用保険の算定基礎額(千円未満切捨て)")
    workers_comp_rate: Decimal = Field(description="労災保険率(1000分の)")
    employment_rate: Decimal = Field(description="雇用保険率(1000分の、労働者負担+事業主負担)")
    workers_comp: int
    employment: int
    total: int

    @classmethod
    def of(cls, p: rules.LabourPremiums | None) -> PremiumsOut | None:
        if p is None:
            return None
        return cls(
            workers_comp_base=p.workers_comp_base,
            employment_base=p.employment_base,
            workers_comp_rate=p.workers_comp_rate,
            employment_rate=p.employment_rate,
            workers_comp=p.workers_comp,
            employment=p.employment,
            total=p.total,
        )


class EstimateOut(Schema):
    last_year: int
    estimate: int
    base: int
    uses_estimate: bool = Field(description="見込額が前年度の50%未満か200%超なので見込額を使う")


class InstallmentOut(Schema):
    number: int
    scheduled: date = Field(description="法定の日")
    due: date = Field(description="納期限(土日・祝日・年末年始なら翌日以降の開庁日)")
    estimate: int
    credited: int
    shortfall: int
    general_contribution: int
    contribution_credited: int
    payable: int


class SettlementOut(Schema):
    paid_estimate: int
    difference: int = Field(description="確定保険料 − 申告済概算保険料(+ 不足、− 超過)")
    surplus: int
    shortfall: int
    refund: int
    split: bool
    installments: list[InstallmentOut]
    total_payable: int


class FilingOut(Schema):
    year: int = Field(description="確定保険料の保険年度")
    next_year: int = Field(description="概算保険料の保険年度")
    business: str
    workers_comp_rate: Decimal
    association: bool
    months: list[MonthOut]
    total: MonthOut
    average_workers: int = Field(description="常時使用労働者数(月平均、小数点以下切捨て)")
    average_insured: int = Field(description="雇用保険被保険者数(月平均、小数点以下切捨て)")
    confirmed: PremiumsOut | None
    general_contribution: int
    estimate_workers_comp: EstimateOut
    estimate_employment: EstimateOut
    estimated: PremiumsOut | None
    settlement: SettlementOut | None = Field(description="申告済概算保険料額を送ったときは差額も")
    errors: list[str]
    notes: list[str]

    @classmethod
    def of(cls, f: Filing) -> FilingOut:
        s = f.settlement
        settlement = None
        if s is not None:
            settlement = SettlementOut(
                paid_estimate=s.paid_estimate,
                difference=s.difference,
                surplus=s.surplus,
                shortfall=s.shortfall,
                refund=s.refund,
                split=s.split,
                installments=[
                    InstallmentOut(
                        number=i.number,
                        scheduled=i.scheduled,
                        due=i.due,
                        estimate=i.estimate,
                        credited=i.credited,
                        shortfall=i.shortfall,
                        general_contribution=i.general_contribution,
                        contribution_credited=i.contribution_credited,
                        payable=i.payable,
                    )
                    for i in s.installments
                ],
                total_payable=s.total_payable,
            )

        def est(e: rules.EstimateBase) -> EstimateOut:
            return EstimateOut(
                last_year=e.last_year, estimate=e.estimate, base=e.base, uses_estimate=e.uses_estimate
            )

        return cls(
            year=f.year,
            next_year=f.next_year,
            business=f.business,
            workers_comp_rate=f.workers_comp_rate,
            association=f.association,
            months=[MonthOut.of(m) for m in f.wages.months],
            total=MonthOut.of(f.wages.total),
            average_workers=f.wages.average_workers,
            average_insured=f.wages.average_insured,
            confirmed=PremiumsOut.of(f.confirmed),
            general_contribution=f.general_contribution,
            estimate_workers_comp=est(f.estimate_workers_comp),
            estimate_employment=est(f.estimate_employment),
            estimated=PremiumsOut.of(f.estimated),
            settlement=settlement,
            errors=f.errors,
            notes=f.notes,
        )


class RateIn(Schema):
    workers_comp_rate: Decimal = Field(description="労災保険率(1000分の、0超200以下、小数第2位まで)")
    association: bool = Field(False, description="労働保険事務組合に委託")


class RateOut(Schema):
    workers_comp_rate: Decimal
    association: bool

    @classmethod
    def of(cls, row: PayrollSettings) -> RateOut:
        return cls(workers_comp_rate=row.workers_comp_rate, association=row.labour_insurance_association)
