"""ストレスチェック, 長時間労働 and the daily health reminders, by their old address.

The code now lives in the ``health`` package (``health.stress``, ``health.long_hours``,
``health.reminders``): this module was the second half of 健康診断 when it was split by size. It
re-exports what it named then, so that ``services.health_more`` keeps working; new code imports
from ``services.health``.
"""

from __future__ import annotations

from .health import (
    HEALTH_STAFF_ROLES,
    JOB_LABEL,
    LONG_FIELDS,
    MAX_TEXT,
    STRESS_FIELDS,
    LongHoursBuild,
    MonthExcess,
    build_long_hours_cases,
    has_health_access,
    invite_stress_checks,
    is_health_staff,
    month_excess,
    record_long_hours_step,
    record_stress_consent,
    record_stress_interview,
    record_stress_notice,
    record_stress_participation,
    require_health_access,
    rules,
    send_health_reminders,
    store_stress_result,
    view_stress_result,
)

__all__ = [
    "HEALTH_STAFF_ROLES",
    "JOB_LABEL",
    "LONG_FIELDS",
    "MAX_TEXT",
    "STRESS_FIELDS",
    "LongHoursBuild",
    "MonthExcess",
    "build_long_hours_cases",
    "has_health_access",
    "invite_stress_checks",
    "is_health_staff",
    "month_excess",
    "record_long_hours_step",
    "record_stress_consent",
    "record_stress_interview",
    "record_stress_notice",
    "record_stress_participation",
    "require_health_access",
    "rules",
    "send_health_reminders",
    "store_stress_result",
    "view_stress_result",
]
