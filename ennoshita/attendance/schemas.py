"""Request and response shapes of /api/v1/attendance/rules/: the legal calculations of
attendance/rules (jp-rules §4) with the steps that reached each figure."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Input, PageParams

from .rules.explain import Step

Hours = Decimal  # hours with up to two decimals, e.g. 7.5 or 0.25


def _hours(*, maximum: int = 744, description: str = "") -> Any:
    return Field(Decimal(0), ge=0, le=maximum, max_digits=7, decimal_places=2, description=description)


class StepOut(Schema):
    label: str
    value: str
    rule: str = Field(description="根拠(条文・通達)")

    @staticmethod
    def of(step: Step) -> StepOut:
        return StepOut(label=step.label, value=step.value, rule=step.rule)


class HourlyWageIn(Input):
    monthly_wage: int = Field(ge=0, le=100_000_000, description="月給(割増賃金の基礎となる賃金、円)")
    annual_scheduled_hours: Hours = Field(
        gt=0, le=8784, max_digits=7, decimal_places=2, description="年間所定労働時間"
    )


class HourlyWageOut(Schema):
    hourly_wage: int = Field(description="1時間あたりの賃金(円、50銭の端数処理後)")
    steps: list[StepOut]


class PremiumPayIn(Input):
    hourly_wage: int = Field(ge=0, le=10_000_000, description="1時間あたりの賃金(円)")
    overtime_hours: Hours = _hours(description="月の時間外労働(法定休日労働を除く)")
    overtime_night_hours: Hours = _hours(description="うち深夜(22時〜5時)")
    holiday_hours: Hours = _hours(description="法定休日労働")
    holiday_night_hours: Hours = _hours(description="うち深夜")
    night_hours: Hours = _hours(description="時間外・休日以外の深夜労働")


class PremiumPayOut(Schema):
    overtime: int = Field(description="時間外労働の賃金(125%、60時間超150%)")
    holiday: int = Field(description="法定休日労働の賃金(135%)")
    night: int = Field(description="深夜の割増(25%)")
    total: int
    steps: list[StepOut]


class OvertimeLimitsIn(Input):
    months: list[tuple[Hours, Hours]] = Field(
        min_length=1,
        max_length=12,
        description="協定年度の各月の[時間外労働, 法定休日労働](古い月から。最後が判定する月)",
    )
    special_clause: bool = Field(True, description="特別条項付きの36協定か")


class ViolationOut(Schema):
    code: str = Field(description="month_45, year_360, month_100, average_80, months_over_45, year_720")
    message: str
    hours: Decimal
    limit: Decimal


class OvertimeLimitsOut(Schema):
    violations: list[ViolationOut]
    steps: list[StepOut]


class PaidLeaveIn(Input):
    service_months: int = Field(ge=0, le=1200, description="継続勤務の月数")
    weekly_days: int = Field(ge=0, le=7, description="週所定労働日数")
    weekly_hours: Hours = _hours(maximum=168, description="週所定労働時間")
    annual_days: int | None = Field(
        None, ge=0, le=366, description="年間所定労働日数(週ではなく年で日数を定める場合)"
    )


class PaidLeaveOut(Schema):
    days: int = Field(description="付与日数(出勤率8割以上の場合)")
    steps: list[StepOut]


class PunchIn(Input):
    kind: str = Field(
        pattern="^(in|break_start|break_end|out)$", description="in 出勤, break_start, break_end, out 退勤"
    )
    note: str = Field("", max_length=200, description="メモ")
    latitude: Decimal | None = Field(
        None, ge=-90, le=90, max_digits=9, decimal_places=6, description="緯度(会社が許す場合)"
    )
    longitude: Decimal | None = Field(
        None, ge=-180, le=180, max_digits=9, decimal_places=6, description="経度"
    )


class PunchOut(Schema):
    id: int
    work_date: Day
    kind: str
    at: datetime
    source: str
    note: str


class DayOut(Schema):
    work_date: Day
    first_in: datetime | None
    last_out: datetime | None
    worked_minutes: int = Field(
        description="実労働(分)。休憩を除き、打刻の分未満を労働者の不利に切り捨てない"
    )
    break_minutes: int
    open: bool = Field(description="退勤の打刻がない")
    problems: list[str]
    punches: list[PunchOut]


class BoardOut(Schema):
    employee_id: int
    status: str = Field(description="off 勤務外, working 勤務中, on_break 休憩中, done 退勤済")
    since: datetime | None
    allowed: list[str] = Field(description="いま打刻できる種類")
    forgotten_clock_in: datetime | None = Field(description="退勤の打刻がない古い出勤")
    days: list[DayOut]


class MonthQuery(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{1,2})?$", description="月(YYYY-MM、既定: 今月)")


class MinutesOut(Schema):
    worked: int
    scheduled: int
    legal_overtime: int
    overtime_daily: int
    overtime_weekly: int
    overtime: int
    night: int
    overtime_night: int
    holiday: int
    holiday_night: int
    scheduled_holiday: int
    overtime_period: int = Field(0, description="変形期間・清算期間の総枠を超えた時間外(overtime に含む)")
    exempt: int = Field(0, description="管理監督者: 時間外・法定休日労働として数えない時間(労基法41条2号)")


class LeaveMarkOut(Schema):
    code: str = Field(description="休暇の区分(annual 年次有給休暇 など)")
    name: str
    paid: bool
    unit: str = Field(description="full 全日, am 午前半休, pm 午後半休, hours 時間単位")
    days: Decimal
    hours: int


class LeaveByTypeOut(Schema):
    code: str
    days: Decimal
    hours: int


class TimesheetDayOut(Schema):
    work_date: Day
    kind: str = Field(description="workday 出勤日, scheduled_holiday 所定休日, statutory_holiday 法定休日")
    holiday_name: str
    first_in: datetime | None
    last_out: datetime | None
    break_minutes: int
    minutes: MinutesOut
    late_minutes: int
    early_leave_minutes: int
    absent: bool
    open: bool
    problems: list[str]
    planned_minutes: int = Field(0, description="その日の所定(シフトまたは規則。フレックスは標準時間)")
    expected_minutes: int = Field(0, description="休暇を除いて残る所定")
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    from_shift: bool = Field(False, description="公開されたシフトによる予定")
    leave: list[LeaveMarkOut] = Field(default_factory=list, description="承認済みの休暇")
    unapproved_minutes: int = Field(0, description="未承認の時間外(集計に含めない)")
    core_missing_minutes: int = Field(0, description="フレックス: コアタイムに勤務していない分")


class MonthlyTotalsOut(Schema):
    days_worked: int
    absences: int
    late_count: int
    late_minutes: int
    early_leave_count: int
    early_leave_minutes: int
    worked: int
    scheduled: int
    legal_overtime: int
    overtime: int
    overtime_over_60: int
    overtime_night: int
    night: int
    holiday: int
    holiday_night: int
    scheduled_holiday: int
    overtime_rounded: int = Field(description="月の合計を30分未満切捨て・30分以上切上げ(基発150号)")
    holiday_rounded: int
    night_rounded: int
    open_days: int
    system: str = Field(
        "standard", description="standard 通常, monthly_variable 1か月単位の変形, flex フレックス"
    )
    supervisor: bool = Field(False, description="管理監督者(時間外・休日は0、深夜は数える)")
    exempt: int = 0
    overtime_daily: int = 0
    overtime_weekly: int = 0
    overtime_period: int = 0
    unapproved: int = Field(0, description="未承認の時間外(どの集計にも含めない)")
    legal_total: int = Field(0, description="変形・フレックス: 40時間 × 暦日数 ÷ 7(分)")
    required_minutes: int = Field(0, description="フレックス: 所定総労働時間")
    shortfall: int = Field(0, description="フレックス: 不足")
    core_missing_days: int = 0
    leave_paid_days: Decimal = Decimal(0)
    leave_unpaid_days: Decimal = Decimal(0)
    leave_hours: int = 0
    leave_days: int = Field(0, description="全日の休暇の労働日(欠勤に数えない)")
    leave_by_type: list[LeaveByTypeOut] = Field(default_factory=list)


class TimesheetOut(Schema):
    employee_id: int
    month: str = Field(description="YYYY-MM")
    days: list[TimesheetDayOut]
    totals: MonthlyTotalsOut = Field(description="分。給与計算が読む月の合計")


class OvertimeRequestIn(Input):
    work_date: Day
    start_at: datetime = Field(description="開始(タイムゾーン付き)")
    end_at: datetime = Field(description="終了")
    reason: str = Field(max_length=500)
    employee_id: int | None = Field(None, description="人事が他の社員の分を申請するとき")


class OvertimeRequestOut(Schema):
    id: int
    employee_id: int
    work_date: Day
    start_at: datetime
    end_at: datetime
    reason: str
    after_the_fact: bool
    state: str = Field(description="pending, returned, approved, rejected, withdrawn")
    created_at: datetime
    decided_at: datetime | None


class OvertimeListQuery(PageParams):
    scope: str = Field(
        "mine", pattern="^(mine|team)$", description="mine 自分, team 所属長のチーム(人事は全員)"
    )
    state: str = Field(
        "", pattern="^(pending|returned|approved|rejected|withdrawn)?$", description="状態で絞り込み"
    )


class OvertimeRequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OvertimeRequestOut]
