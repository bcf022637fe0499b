"""勤怠の法定計算 (pure functions, no database; jp-rules §4). The names and keyword arguments of
the four functions below are fixed: auditors and independent checks call them."""

from .flex import flex_legal_total, split_flex_month
from .overtime_limits import Violation, overtime_limit_violations
from .paid_leave import paid_leave_days
from .premiums import PremiumPay, hourly_base_wage, premium_pay
from .rounding import round_half_yen, round_monthly_minutes
from .variable import period_legal_total, split_variable_period
from .workday import DayMinutes, WorkDay, exempt_supervisor, split_week, statutory_holiday_of_week

__all__ = [
    "DayMinutes",
    "PremiumPay",
    "Violation",
    "WorkDay",
    "exempt_supervisor",
    "flex_legal_total",
    "hourly_base_wage",
    "overtime_limit_violations",
    "paid_leave_days",
    "period_legal_total",
    "premium_pay",
    "round_half_yen",
    "round_monthly_minutes",
    "split_flex_month",
    "split_variable_period",
    "split_week",
    "statutory_holiday_of_week",
]
