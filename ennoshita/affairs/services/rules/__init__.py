"""Writes of 就業規則・社内規程: a rule with its first file, new draft versions, publishing a version to
an audience (既読確認), the employee's acknowledgement, reminders, and stopping a rule.

The file and every version of it live in the documents app: each rule is one document in the
company's rules folder, and each rule version names the document version that holds its text. The
folder is shared for editing with 総務 and 人事 only (admins reach everything): drafts are
document versions too, so the folder is never shared with every member. Employees read the
versions published to them through this app's own file view, after the audience check
(``selectors.rules.can_read_version``).

Every write is one transaction with its audit events; a refusal writes nothing. Notifications go
through ``core.notifications.notify`` in the same transaction (mail, if any, after commit).

The writes live in the modules of this package, by subject (``drafts``: rules and their versions;
``publishing``: the audience and 公開; ``acknowledging``: 既読確認 and 催促; ``base``: the checks
they share); import them from here (``from ennoshita.affairs.services import rules``).
"""

from __future__ import annotations

from .acknowledging import acknowledge, remind
from .base import NOTIFY_KIND, RULE_MANAGER_ROLES, VERSION_FIELDS, manages_rules
from .drafts import (
    FOLDER_FALLBACK,
    FOLDER_NAME,
    RULE_FIELDS,
    add_draft_version,
    create_rule,
    deactivate_rule,
    set_rule_active,
    update_rule,
)
from .publishing import Audience, AudienceKind, add_audience, publish_version

__all__ = [
    "FOLDER_FALLBACK",
    "FOLDER_NAME",
    "NOTIFY_KIND",
    "RULE_FIELDS",
    "RULE_MANAGER_ROLES",
    "VERSION_FIELDS",
    "Audience",
    "AudienceKind",
    "acknowledge",
    "add_audience",
    "add_draft_version",
    "create_rule",
    "deactivate_rule",
    "manages_rules",
    "publish_version",
    "remind",
    "set_rule_active",
    "update_rule",
]
