"""Writing 知的財産 (jp-rules §16): the register of rights (register, change), their status (消滅・放棄,
登録, 回復), the payments that keep them alive (年金, 後期分割登録料, 商標の更新, ドメイン名の更新), other
costs, and the daily deadlines and alerts.

Every input is checked before anything is written; messages name the field; every write leaves an
audit event. The modules by subject: ``register``, ``payments``, ``alerts`` (``base`` holds what they
share); import them from here (``from ennoshita.legal.services import ip``).
"""

from __future__ import annotations

from .alerts import LEADS, alert_slot, refresh_ip_deadlines, send_ip_alerts
from .base import NOTIFY_KIND, RIGHT_FIELDS, TRANSITIONS, IpInput, deadlines_of, renewals_of, uses_jp_rules
from .payments import PAYMENTS, record_ip_cost, record_ip_payment, set_ip_status
from .register import INITIAL_STATUSES, register_ip_right, update_ip_right

__all__ = [
    "INITIAL_STATUSES",
    "LEADS",
    "NOTIFY_KIND",
    "PAYMENTS",
    "RIGHT_FIELDS",
    "TRANSITIONS",
    "IpInput",
    "alert_slot",
    "deadlines_of",
    "record_ip_cost",
    "record_ip_payment",
    "refresh_ip_deadlines",
    "register_ip_right",
    "renewals_of",
    "send_ip_alerts",
    "set_ip_status",
    "update_ip_right",
    "uses_jp_rules",
]
