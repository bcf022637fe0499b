"""割増賃金 (労基法37条, 割増賃金令 平成6年政令第5号, 労基則19条・20条; jp-rules §4.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .rounding import Number, round_half_yen, to_decimal

# 労基法37条1項 and 割増賃金令: 時間外 25%, 60時間超 50% (中小企業も 2023-04-01 から), 法定休日 35%;
# 労基法37条4項: 深夜 (22:00–5:00) 25%, added on top of the others.
OVERTIME_RATE = Decimal("1.25")
OVERTIME_OVER_60_RATE = Decimal("1.50")
OVERTIME_60_HOURS = Decimal(60)
HOLIDAY_RATE = Decimal("1.35")
NIGHT_PREMIUM = Decimal("0.25")


@dataclass(frozen=True)
class PremiumPay:
    """A month's 割増賃金 in yen. ``overtime`` and ``holiday`` are the whole pay for those hours
    (125/150% and 135%); ``night`` is the 25% premium alone, on every night hour."""

    overtime: int
    holiday: int
    night: int
    total: int


def hourly_base_wage(*, monthly_wage: Number, annual_scheduled_hours: Number) -> int:
    """月給 ÷ 1年間の1月平均所定労働時間 (労基則19条1項4号), rounded by the 50銭 rule (基発150号).

    340,000 ÷ (2,040 ÷ 12 = 170) = 2,000. Computed as 月給 × 12 ÷ 年間所定 so that a monthly
    average such as 162.5 h is never rounded first."""
    wage = to_decimal(monthly_wage, "monthly_wage")
    hours = to_decimal(annual_scheduled_hours, "annual_scheduled_hours")
    if wage < 0:
        raise ValueError("monthly_wage: 月給は0円以上で入れてください。")
    if hours <= 0:
        raise ValueError("annual_scheduled_hours: 年間所定労働時間は0より大きく入れてください。")
    return round_half_yen(wage * 12 / hours)


def premium_pay(
    *,
    hourly_wage: Number,
    overtime_hours: Number = 0,
    overtime_night_hours: Number = 0,
    holiday_hours: Number = 0,
    holiday_night_hours: Number = 0,
    night_hours: Number = 0,
) -> PremiumPay:
    """A month's 割増賃金 (労基法37条):

    - ``overtime_hours``: the month's 時間外 (over 8h a day / 40h a week, 法定休日 excluded), paid at
      125% up to 60 hours and 150% beyond (37条1項ただし書);
    - ``holiday_hours``: 法定休日 work at 135% (never 時間外, never counted toward the 60 hours);
    - every night hour (``overtime_night_hours`` ⊂ overtime, ``holiday_night_hours`` ⊂ holiday,
      ``night_hours`` the others) earns the 25% night premium on top (37条4項), which makes
      時間外+深夜 150%, 60h超+深夜 175%, 休日+深夜 160%.

    Each month's amount is computed exactly and rounded once by the 50銭 rule (基発150号);
    ``total`` is the sum of the three rounded amounts."""
    wage = to_decimal(hourly_wage, "hourly_wage")
    overtime = to_decimal(overtime_hours, "overtime_hours")
    overtime_night = to_decimal(overtime_night_hours, "overtime_night_hours")
    holiday = to_decimal(holiday_hours, "holiday_hours")
    holiday_night = to_decimal(holiday_night_hours, "holiday_night_hours")
    night = to_decimal(night_hours, "night_hours")
    if wage < 0:
        raise ValueError("hourly_wage: 1時間あたりの賃金は0円以上で入れてください。")
    for name, value in (
        ("overtime_hours", overtime),
        ("overtime_night_hours", overtime_night),
        ("holiday_hours", holiday),
        ("holiday_night_hours", holiday_night),
        ("night_hours", night),
    ):
        if value < 0:
            raise ValueError(f"{name}: 時間は0以上で入れてください。")
    if overtime_night > overtime:
        raise ValueError(
            "overtime_night_hours: 時間外のうち深夜の時間は、時間外労働の時間以下で入れてください。"
        )
    if holiday_night > holiday:
        raise ValueError(
            "holiday_night_hours: 休日のうち深夜の時間は、法定休日労働の時間以下で入れてください。"
        )
    within, beyond = overtime_split(overtime)
    overtime_amount = round_half_yen(wage * (within * OVERTIME_RATE + beyond * OVERTIME_OVER_60_RATE))
    holiday_amount = round_half_yen(wage * holiday * HOLIDAY_RATE)
    night_amount = round_half_yen(wage * (overtime_night + holiday_night + night) * NIGHT_PREMIUM)
    return PremiumPay(
        overtime=overtime_amount,
        holiday=holiday_amount,
        night=night_amount,
        total=overtime_amount + holiday_amount + night_amount,
    )


def overtime_split(overtime_hours: Decimal) -> tuple[Decimal, Decimal]:
    """The month's 時間外 as (hours up to 60, hours beyond 60) (労基法37条1項ただし書)."""
    within = min(overtime_hours, OVERTIME_60_HOURS)
    return within, overtime_hours - within
