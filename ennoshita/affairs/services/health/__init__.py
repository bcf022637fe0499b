"""Writing 健康診断 (安衛法66条〜66条の10, 安衛則43〜52条の2; jp-rules §13.1–§13.4).

- Health access (健康情報の閲覧権限): an admin grants it to a member with the 人事 or 管理者 role; only
  such a member, while the grant is active, records or opens results, doctors' opinions and
  measures. Every opening is an audit event (``health.viewed``); a refused one writes nothing.
- Results, opinions and measures are 要配慮個人情報 (個人情報保護法2条3項): stored as tokens of
  ``core.crypto``, never in an audit event (the events name what changed, not the contents).
- Plans: ``plan_checkups`` makes each employee's checkups of a fiscal year from the rules
  (``rules.health.planned_checkups``); running it again adds only what is missing.
- States: 未予約 → 予約済み → 受診済み; 未予約/予約済み → 対象外 (e.g. a certificate of an exam within
  3 months, 安衛則43条ただし書) or 取消.
- ストレスチェック (66条の10): the company receives an individual result only with the worker's
  consent given after the result was told to them.
- 長時間労働 (66条の8): each month's workers over 80 hours beyond 40 a week, from attendance.
- Reminders: daily, of checkups and of doctors' opinions due.

The writes live in the modules of this package, by subject: ``access`` (who may see results),
``plans`` (health profiles and the year's plan), ``checkups`` (booking, results, closing),
``opinions`` (医師の意見・就業上の措置 and opening the 個人票), ``stress`` (ストレスチェック),
``long_hours`` (長時間労働), ``reminders`` (the daily job); ``base`` holds what the checkup writes
share. Import them from here (``from ennoshita.affairs.services import health``);
``services.health_more`` still names the ストレスチェック, 長時間労働 and reminder writes.
"""

from __future__ import annotations

from ennoshita.affairs.rules import health as rules

from .access import (
    HEALTH_ACCESS_ROLES,
    HEALTH_STAFF_ROLES,
    active_grant,
    grant_health_access,
    has_health_access,
    is_health_staff,
    no_access_message,
    require_health_access,
    revoke_health_access,
)
from .base import CHECKUP_FIELDS, MAX_TEXT, OPEN_STATUSES
from .checkups import book_checkup, close_checkup, mark_result_notified, record_checkup_result
from .long_hours import (
    LONG_FIELDS,
    LongHoursBuild,
    MonthExcess,
    build_long_hours_cases,
    month_excess,
    record_long_hours_step,
)
from .opinions import CheckupRecord, record_doctor_opinion, view_checkup_record
from .plans import PlanResult, plan_checkups, set_health_profile, settings_of
from .reminders import JOB_LABEL, send_health_reminders
from .stress import (
    STRESS_FIELDS,
    invite_stress_checks,
    record_stress_consent,
    record_stress_interview,
    record_stress_notice,
    record_stress_participation,
    store_stress_result,
    view_stress_result,
)

__all__ = [
    "CHECKUP_FIELDS",
    "HEALTH_ACCESS_ROLES",
    "HEALTH_STAFF_ROLES",
    "JOB_LABEL",
    "LONG_FIELDS",
    "MAX_TEXT",
    "OPEN_STATUSES",
    "STRESS_FIELDS",
    "CheckupRecord",
    "LongHoursBuild",
    "MonthExcess",
    "PlanResult",
    "active_grant",
    "book_checkup",
    "build_long_hours_cases",
    "close_checkup",
    "grant_health_access",
    "has_health_access",
    "invite_stress_checks",
    "is_health_staff",
    "mark_result_notified",
    "month_excess",
    "no_access_message",
    "plan_checkups",
    "record_checkup_result",
    "record_doctor_opinion",
    "record_long_hours_step",
    "record_stress_consent",
    "record_stress_interview",
    "record_stress_notice",
    "record_stress_participation",
    "require_health_access",
    "revoke_health_access",
    "rules",
    "send_health_reminders",
    "set_health_profile",
    "settings_of",
    "store_stress_result",
    "view_checkup_record",
    "view_stress_result",
]
