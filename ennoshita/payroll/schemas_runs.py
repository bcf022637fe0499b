"""Schemas of /api/v1/payroll/runs (給与計算)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from ennoshita.core.api import Id, Input, PageParams, Str50, Str500

from .models import PayrollRun, Payslip

MONTH_PATTERN = r"^\d{4}-\d{1,2}$"


class AnomalyOut(Schema):
    level: str = Field(description="error(確定できない)/ warning(確認)")
    code: str
    message: str


class RunOut(Schema):
    id: int
    pay_group_id: int
    pay_group: str
    kind: str = Field(description="salary 給与 / bonus 賞与 / correction 訂正(明細は元の確定分との差額)")
    corrects_id: int | None = Field(None, description="訂正する給与計算のID(訂正のとき)")
    status: str = Field(description="draft 計算中 / confirmed 確定 / discarded 破棄")
    title: str
    pay_month: str = Field(description="支給月 YYYY-MM")
    attendance_month: str | None = Field(description="勤怠の対象月 YYYY-MM")
    closing_date: date = Field(description="締め日(雇用保険料率を選ぶ日)")
    pay_date: date = Field(description="支給日(源泉徴収税額表を選ぶ日)")
    withholding_method: str = Field(description="table 月額表 / formula 電算機計算の特例")
    bonus_period_months: int | None = Field(None, description="賞与の計算期間(月)。給与は null")
    headcount: int
    gross_total: int
    deduction_total: int
    net_total: int
    computed_at: datetime | None
    errors: int = Field(0, description="エラーのある明細の数(詳細のみ)")

    @staticmethod
    def of(run: PayrollRun, errors: int = 0) -> RunOut:
        return RunOut(
            id=run.pk,
            pay_group_id=run.pay_group_id,
            pay_group=run.pay_group.name,
            kind=run.kind,
            corrects_id=run.corrects_id,
            status=run.status,
            title=run.title,
            pay_month=f"{run.pay_month:%Y-%m}",
            attendance_month=f"{run.attendance_month:%Y-%m}" if run.attendance_month else None,
            closing_date=run.closing_date,
            pay_date=run.pay_date,
            withholding_method=run.withholding_method,
            bonus_period_months=run.bonus_period_months if run.kind == "bonus" else None,
            headcount=run.headcount,
            gross_total=int(run.gross_total),
            deduction_total=int(run.deduction_total),
            net_total=int(run.net_total),
            computed_at=run.computed_at,
            errors=errors,
        )


class PayslipSummaryOut(Schema):
    id: int
    employee_id: int
    employee_number: str
    employee_name: str
    gross: int
    social_insurance_total: int
    income_tax: int
    resident_tax: int
    other_deductions: int
    deduction_total: int
    net: int
    anomalies: list[AnomalyOut]

    @staticmethod
    def of(p: Payslip) -> PayslipSummaryOut:
        return PayslipSummaryOut(
            id=p.pk,
            employee_id=p.employee_id,
            employee_number=p.employee_number,
            employee_name=p.employee_name,
            gross=int(p.gross),
            social_insurance_total=int(p.social_insurance_total),
            income_tax=int(p.income_tax),
            resident_tax=int(p.resident_tax),
            other_deductions=int(p.other_deductions),
            deduction_total=int(p.deduction_total),
            net=int(p.net),
            anomalies=[AnomalyOut(**a) for a in p.anomalies or []],
        )


class RunDetailOut(RunOut):
    payslips: list[PayslipSummaryOut]


class RunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RunOut]


class RunFilters(PageParams):
    year: int | None = Field(None, ge=1900, le=2999, description="支給月の年")
    pay_group_id: int | None = Field(None, ge=1, description="支給グループID")


class RunIn(Input):
    pay_group_id: Id = Field(description="支給グループID")
    pay_month: str | None = Field(None, pattern=MONTH_PATTERN, description="支給月 YYYY-MM(給与のとき必須)")
    kind: str = Field("salary", pattern="^(salary|bonus)$", description="salary 給与 / bonus 賞与")
    title: Str50 = Field("", description="名称(任意。賞与の例: 2026年夏季賞与)")
    pay_date: date | None = Field(None, description="賞与の支給日(賞与のとき必須)")
    bonus_period_months: int = Field(
        6, ge=1, le=12, description="賞与の計算期間(月)。6を超えると月額表の方法で12で割ります"
    )


class CorrectionIn(Input):
    pay_date: date | None = Field(
        None, description="差額の支給日(銀行の営業日)。省略すると今日以降の最初の営業日"
    )
    employee_ids: list[Id] = Field(
        default_factory=list, max_length=5000, description="訂正する社員のID。空なら全員"
    )
    title: Str50 = Field("", description="名称(任意。省略すると「訂正」)")


class DiscardIn(Input):
    reason: Str500 = Field(description="破棄の理由(必須)")


class JobOut(Schema):
    job_id: int
    status: str
    detail: str = Field(description="人数が多いため裏で計算しています。")

    @staticmethod
    def of(job: Any) -> JobOut:
        return JobOut(job_id=job.pk, status=job.status, detail="人数が多いため裏で計算しています。")
