"""Who may do what in 勤怠. Every member with an employee record punches for himself or herself."""

from __future__ import annotations

# 勤怠の設定 (position recording): 人事 and the admin
SETTINGS_ROLES = ("admin", "hr")
