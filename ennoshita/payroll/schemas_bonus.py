"""Schemas of /api/v1/payroll/runs/{id}/bonus-amounts and …/bonus-report (賞与)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from ennoshita.core.api import Input, Str50, Str200

from .bonus_inputs import AmountRow, ReportRow
from .services.bonus import MAX_AMOUNT


class BonusAmountOut(Schema):
    employee_id: int
    employee_number: str
    employee_name: str
    department: str
    amount: int | None = Field(description="入力した賞与の額(未入力は null)")
    note: str
    payee: bool = Field(description="支給の対象か(支給日に在籍し、この支給グループの人)")
    payslip_id: int | None = Field(description="計算した明細のID(金額が0・未入力なら null)")
    net: int | None = Field(description="差引支給額")

    @staticmethod
    def of(r: AmountRow) -> BonusAmountOut:
        return BonusAmountOut(
            employee_id=r.employee_id,
            employee_number=r.number,
            employee_name=r.name,
            department=r.department,
            amount=r.amount,
            note=r.note,
            payee=r.payee,
            payslip_id=r.payslip_id,
            net=r.net,
        )


class BonusAmountsOut(Schema):
    run_id: int
    status: str
    headcount: int = Field(description="明細の数(金額が1円以上の人)")
    gross_total: int
    net_total: int
    items: list[BonusAmountOut]


class BonusAmountIn(Input):
    employee_number: Str50 = Field(description="社員番号")
    amount: int | None = Field(
        description="賞与の額(円)。null でその人の金額を消します。", ge=-MAX_AMOUNT, le=MAX_AMOUNT
    )
    note: Str200 = Field("", description="備考")


class BonusAmountsIn(Input):
    items: list[BonusAmountIn] = Field(
        description="この一覧の人の金額を置き換えます(ほかの人はそのまま)。保存すると明細を計算し直します。",
        max_length=50_000,
    )


class BonusReportOut(Schema):
    """被保険者賞与支払届 (日本年金機構) の1人分。"""

    employee_number: str
    employee_name: str
    employee_name_kana: str
    birth_date: date | None
    pay_date: date = Field(description="賞与支払年月日")
    amount: int = Field(description="賞与額(通貨)")
    standard_bonus: int = Field(description="標準賞与額(1,000円未満切捨て)")
    standard_bonus_health: int = Field(description="標準賞与額(健康保険: 年度573万円まで)")
    standard_bonus_pension: int = Field(description="標準賞与額(厚生年金: 月150万円まで)")
    over_70: bool = Field(description="70歳以上被用者")

    @staticmethod
    def of(r: ReportRow) -> BonusReportOut:
        return BonusReportOut(
            employee_number=r.number,
            employee_name=r.name,
            employee_name_kana=r.name_kana,
            birth_date=r.birth_date,
            pay_date=r.pay_date,
            amount=r.amount,
            standard_bonus=r.standard_bonus,
            standard_bonus_health=r.standard_bonus_health,
            standard_bonus_pension=r.standard_bonus_pension,
            over_70=r.over_70,
        )
