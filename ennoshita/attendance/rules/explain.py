"""The calculations of this package step by step, for the simulator page and the API: each step
names the figure, shows it and cites the rule that produced it. Same constants and functions as
the calculations themselves, so the steps cannot drift from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import overtime_limits as limits
from . import paid_leave as leave
from . import premiums
from .rounding import Number, round_half_yen, to_decimal


@dataclass(frozen=True)
class Step:
    label: str
    value: str
    rule: str


def _yen(amount: Decimal | int) -> str:
    if isinstance(amount, int):
        return f"{amount:,}円"
    text = f"{amount.quantize(Decimal('0.0001')):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}円"


def _hours(hours: Decimal) -> str:
    return f"{limits._h(hours)}時間"


def explain_hourly_base_wage(*, monthly_wage: Number, annual_scheduled_hours: Number) -> list[Step]:
    result = premiums.hourly_base_wage(
        monthly_wage=monthly_wage, annual_scheduled_hours=annual_scheduled_hours
    )
    wage = to_decimal(monthly_wage, "monthly_wage")
    hours = to_decimal(annual_scheduled_hours, "annual_scheduled_hours")
    exact = wage * 12 / hours
    return [
        Step("1か月平均所定労働時間", f"{_hours(hours)} ÷ 12 = {_hours(hours / 12)}", "労基則19条1項4号"),
        Step(
            "月給 ÷ 1か月平均所定労働時間",
            f"{_yen(wage)} × 12 ÷ {_hours(hours)} = {_yen(exact)}",
            "労基則19条1項4号",
        ),
        Step("1時間あたりの賃金(50銭未満切捨て・50銭以上切上げ)", _yen(result), "昭和63年3月14日基発150号"),
    ]


def explain_premium_pay(
    *,
    hourly_wage: Number,
    overtime_hours: Number = 0,
    overtime_night_hours: Number = 0,
    holiday_hours: Number = 0,
    holiday_night_hours: Number = 0,
    night_hours: Number = 0,
) -> list[Step]:
    pay = premiums.premium_pay(
        hourly_wage=hourly_wage,
        overtime_hours=overtime_hours,
        overtime_night_hours=overtime_night_hours,
        holiday_hours=holiday_hours,
        holiday_night_hours=holiday_night_hours,
        night_hours=night_hours,
    )
    wage = to_decimal(hourly_wage, "hourly_wage")
    within, beyond = premiums.overtime_split(to_decimal(overtime_hours, "overtime_hours"))
    holiday = to_decimal(holiday_hours, "holiday_hours")
    nights = (
        to_decimal(overtime_night_hours, "overtime_night_hours")
        + to_decimal(holiday_night_hours, "holiday_night_hours")
        + to_decimal(night_hours, "night_hours")
    )
    overtime_exact = wage * (within * premiums.OVERTIME_RATE + beyond * premiums.OVERTIME_OVER_60_RATE)
    holiday_exact = wage * holiday * premiums.HOLIDAY_RATE
    night_exact = wage * nights * premiums.NIGHT_PREMIUM
    return [
        Step(
            "時間外労働を60時間で分ける",
            f"60時間まで {_hours(within)}、60時間超 {_hours(beyond)}",
            "労基法37条1項ただし書",
        ),
        Step(
            "時間外労働の賃金(125%、60時間超は150%)",
            f"{_yen(wage)} × ({_hours(within)} × 1.25 + {_hours(beyond)} × 1.5) = {_yen(overtime_exact)}"
            f" → {_yen(pay.overtime)}",
            "労基法37条1項、割増賃金令、基発150号(月の合計で50銭の端数処理)",
        ),
        Step(
            "法定休日労働の賃金(135%)",
            f"{_yen(wage)} × {_hours(holiday)} × 1.35 = {_yen(holiday_exact)} → {_yen(pay.holiday)}",
            "労基法37条1項、割増賃金令(法定休日は時間外に数えない)",
        ),
        Step(
            "深夜労働の割増(25%、時間外・休日の深夜を含む)",
            f"{_yen(wage)} × {_hours(nights)} × 0.25 = {_yen(night_exact)} → {_yen(pay.night)}",
            "労基法37条4項(22時〜5時)",
        ),
        Step("割増賃金の合計", _yen(pay.total), "端数処理した各項目の合計"),
    ]


def explain_overtime_limits(
    *, months: Sequence[tuple[Number, Number]], special_clause: bool = True
) -> list[Step]:
    found = limits.overtime_limit_violations(months=months, special_clause=special_clause)
    rows = [(to_decimal(o, "overtime"), to_decimal(h, "holiday")) for o, h in months]
    overtime, holiday = rows[-1]
    year = sum((o for o, _ in rows), Decimal(0))
    steps = [
        Step("対象月の時間外労働", _hours(overtime), "労基法36条4項(法定休日労働を含まない)"),
        Step("対象月の時間外+休日労働", f"{_hours(overtime + holiday)}(100時間未満)", "労基法36条6項2号"),
        Step(
            "協定年度の時間外労働の累計",
            f"{_hours(year)}(上限 {'720' if special_clause else '360'}時間)",
            "労基法36条5項" if special_clause else "労基法36条4項",
        ),
    ]
    if special_clause:
        over = sum(1 for o, _ in rows if o > limits.MONTH_LIMIT)
        steps.append(Step("月45時間を超えた月数", f"{over}回(年6回まで)", "労基法36条5項"))
    for span, average in limits.averages(rows):
        steps.append(
            Step(f"直近{span}か月の平均(時間外+休日)", f"{_hours(average)}(80時間以内)", "労基法36条6項3号")
        )
    steps.append(
        Step(
            "判定",
            f"上限を超えています({len(found)}件)" if found else "上限の範囲内です",
            "",
        )
    )
    return steps


def explain_paid_leave(
    *, service_months: int, weekly_days: int, weekly_hours: Number, annual_days: int | None = None
) -> list[Step]:
    days = leave.paid_leave_days(
        service_months=service_months,
        weekly_days=weekly_days,
        weekly_hours=weekly_hours,
        annual_days=annual_days,
    )
    column = leave.service_column(service_months)
    labels = ("0.5年", "1.5年", "2.5年", "3.5年", "4.5年", "5.5年", "6.5年以上")
    steps = [
        Step(
            "継続勤務期間",
            f"{service_months}か月 → " + (labels[column] if column is not None else "6か月未満(付与なし)"),
            "労基法39条1項・2項",
        )
    ]
    if column is None:
        return steps
    full = leave.is_full_time(weekly_days=weekly_days, weekly_hours=weekly_hours, annual_days=annual_days)
    basis = f"年{annual_days}日" if annual_days is not None else f"週{weekly_days}日"
    steps.append(
        Step(
            "通常の労働者か(週30時間以上、または週5日以上・年217日以上)",
            f"週{limits._h(to_decimal(weekly_hours, 'weekly_hours'))}時間、{basis} → {'通常' if full else '比例付与'}",
            "労基法39条3項、労基則24条の3",
        )
    )
    if not full:
        row = leave.weekly_row(weekly_days=weekly_days, annual_days=annual_days)
        steps.append(
            Step(
                "比例付与の区分",
                f"週{row}日の区分" if row else "対象外(年48日未満・週1日未満)",
                "労基則24条の3第3項・第4項",
            )
        )
    steps.append(Step("付与日数(出勤率8割以上の場合)", f"{days}日", "労基法39条"))
    return steps


__all__ = [
    "Step",
    "explain_hourly_base_wage",
    "explain_overtime_limits",
    "explain_paid_leave",
    "explain_premium_pay",
    "round_half_yen",
]
