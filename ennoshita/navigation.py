"""The department navigation (経理・財務・人事・総務・法務・営業事務・受付・申請・管理).

Only sections that exist are listed, and only to roles that may use them: no dead links. A new app
adds its entries here when its screens land.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ALL = ("*",)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...] = ALL


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise
    items: tuple[NavItem, ...]


HR = ("admin", "hr")

GROUPS: tuple[NavGroup, ...] = (
    NavGroup(
        "hr",
        _("人事"),
        (
            NavItem(_("社員一覧"), "people:employee_list", HR),
            NavItem(_("組織図"), "people:org_chart", HR),
            NavItem(_("部署"), "people:department_list", HR),
            NavItem(_("役職"), "people:position_list", HR),
            NavItem(_("社員CSV取込"), "people:employee_import", HR),
            NavItem(_("自分の社員情報"), "people:my_record", ALL),
        ),
    ),
    NavGroup(
        "docs",
        _("文書"),
        (
            NavItem(_("文書"), "documents:home", ALL),
            NavItem(_("文書検索"), "documents:search", ALL),
            NavItem(_("ゴミ箱"), "documents:trash", ALL),
        ),
    ),
    NavGroup(
        "admin",
        _("管理"),
        (
            NavItem(_("ユーザーとロール"), "core:member_list", ("admin",)),
            NavItem(_("監査ログ"), "core:audit_log", ("admin",)),
            NavItem(_("バックアップ"), "core:backups", ("admin",)),
        ),
    ),
)


def visible_groups(membership: Any) -> list[dict[str, Any]]:
    if membership is None:
        return []
    roles = membership.role_set()
    groups = []
    for group in GROUPS:
        items = [
            {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
            for item in group.items
            if item.roles == ALL or roles & set(item.roles)
        ]
        if items:
            groups.append({"key": group.key, "label": group.label, "items": items})
    return groups


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "nav_groups": visible_groups(membership),
        "active_membership": membership,
        "active_company": getattr(request, "company", None),
        "user_memberships": getattr(request, "memberships", []),
    }
