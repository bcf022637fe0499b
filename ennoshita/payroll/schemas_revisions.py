"""Request and response shapes of /api/v1/payroll/revisions/ — 定時決定 (算定基礎届) and 随時改定
(月額変更届): each person's months, average, current and new grades. Amounts are whole yen (int)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema

from ennoshita.core.api import Input

from .selectors.revisions import RevisionRow


class AnnualQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="定時決定の年(省略: 今年)")


class InterimQuery(Schema):
    as_of: date | None = Field(None, description="この日現在で判定(省略: 今日)")


class RevisionMonthOut(Schema):
    month: date = Field(description="支給月(1日)")
    remuneration: int = Field(description="報酬月額(確定した給与の社会保険の報酬)")
    base_days: int = Field(description="支払基礎日数")
    counted: bool = Field(description="平均に入れた月")


class GradeOut(Schema):
    health_grade: int
    health_standard: int
    pension_grade: int
    pension_standard: int


class CurrentGradeOut(GradeOut):
    effective_from: date = Field(description="従前改定月")
    monthly_remuneration: int = Field(description="従前の報酬月額")


class RevisionOut(Schema):
    kind: Literal["annual", "interim"] = Field(description="annual: 定時決定、interim: 随時改定")
    employee_id: int
    employee_number: str
    employee_name: str
    insured_number: str = Field(description="被保険者整理番号")
    months: list[RevisionMonthOut]
    total: int = Field(description="総計(平均に入れた月)")
    average: int = Field(description="平均額(円未満切捨て)")
    current: CurrentGradeOut | None = Field(description="従前の標準報酬月額")
    new: GradeOut = Field(description="新しい標準報酬月額")
    applies_from: date = Field(description="適用開始月(定時決定は9月、随時改定は4か月目)")
    changed_month: date | None = Field(description="随時改定: 固定的賃金が変動した月")
    pay_change: int = Field(description="固定的賃金の変動額(+昇給、-降給)")
    special_case: bool = Field(description="上限・下限の等級の特例(1等級差)による随時改定")
    part_time: bool
    recorded: bool = Field(description="この月からの標準報酬月額が登録済み")
    excluded: str = Field(description="対象外の理由(空なら対象)")

    @classmethod
    def of(cls, r: RevisionRow) -> RevisionOut:
        c = r.current
        return cls(
            kind=r.kind,  # type: ignore[arg-type]
            employee_id=r.employee_id,
            employee_number=r.employee_number,
            employee_name=r.employee_name,
            insured_number=r.insured_number,
            months=[
                RevisionMonthOut(
                    month=m.month, remuneration=m.remuneration, base_days=m.base_days, counted=m.counted
                )
                for m in r.months
            ],
            total=r.total,
            average=r.average,
            current=CurrentGradeOut(
                health_grade=c.health_grade,
                health_standard=c.health_standard,
                pension_grade=c.pension_grade,
                pension_standard=c.pension_standard,
                effective_from=c.effective_from,
                monthly_remuneration=c.monthly_remuneration,
            )
            if c
            else None,
            new=GradeOut(
                health_grade=r.new.health_grade,
                health_standard=r.new.health_standard,
                pension_grade=r.new.pension_grade,
                pension_standard=r.new.pension_standard,
            ),
            applies_from=r.applies_from,
            changed_month=r.changed_month,
            pay_change=r.pay_change,
            special_case=r.special_case,
            part_time=r.part_time,
            recorded=r.recorded,
            excluded=r.excluded_label,
        )


class RecordIn(Input):
    kind: Literal["annual", "interim"] = Field(description="annual: 定時決定、interim: 随時改定")
    employee_ids: list[int] = Field(min_length=1, max_length=5000, description="登録する社員のID")
    year: int | None = Field(None, ge=2000, le=2100, description="定時決定の年(annual のとき必須)")
    as_of: date | None = Field(None, description="随時改定の判定日(省略: 今日)")


class RecordedRowOut(Schema):
    id: int
    employee_id: int
    effective_from: date
    monthly_remuneration: int
    health_grade: int
    health_standard: int
    pension_grade: int
    pension_standard: int
    reason: str


class RecordOut(Schema):
    created: list[RecordedRowOut] = Field(description="登録した標準報酬月額")
    skipped: list[int] = Field(description="登録済みのため何もしなかった社員のID")
