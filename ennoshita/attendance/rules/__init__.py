"""勤怠の法定計算 (pure functions, no database; jp-rules §4). The names and keyword arguments of
the four functions below are fixed: auditors and independent checks call them."""

from .overtime_limits import Violation, overtime_limit_violations
from .paid_leave import paid_leave_days
from .premiums import PremiumPay, hourly_base_wage, premium_pay
from .rounding import round_half_yen, round_monthly_minutes
from .workday import DayMinutes, WorkDay, split_week

__all__ = [
    "DayMinutes",
    "PremiumPay",
    "Violation",
    "WorkDay",
    "hourly_base_wage",
    "overtime_limit_violations",
    "paid_leave_days",
    "premium_pay",
    "round_half_yen",
    "round_monthly_minutes",
    "split_week",
]
