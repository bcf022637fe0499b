"""Who may do what in 給与 (issue 9: pay settings are for 人事 and 経理 only)."""

from __future__ import annotations

# pay settings per employee, pay groups and items, 住民税 notices: 人事, 経理 and the admin
SETTINGS_ROLES = ("admin", "hr", "accounting")
# computing a run (draft), seeing everyone's payslips and the 賃金台帳: the same people
RUN_ROLES = SETTINGS_ROLES
# confirming a run (final: posts to the books, makes the transfer file, publishes the payslips):
# 経理 and the admin
CONFIRM_ROLES = ("admin", "accounting")
