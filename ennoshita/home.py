"""The home page: what waits for this user, gathered from each app's selectors.

It lives in the project package (like navigation.py) because it composes several apps; core itself
imports no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.core import notifications
from ennoshita.core import selectors as core_selectors
from ennoshita.core.models import Membership, Role
from ennoshita.core.web import membership_required
from ennoshita.ledger import entry_selectors as ledger_selectors
from ennoshita.ledger.permissions import WRITE_ROLES as LEDGER_WRITE_ROLES
from ennoshita.people import selectors as people_selectors


@dataclass
class Item:
    text: str
    url: str = ""
    note: str = ""


@dataclass
class Panel:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)


def home_panels(membership: Membership) -> list[Panel]:
    company = membership.company
    today = timezone.localdate()
    approvals = Panel("approvals", _("承認待ち"), _("承認待ちの申請はありません。"))
    tasks = Panel("tasks", _("やること"), _("今やることはありません。"))
    alerts = Panel("alerts", _("お知らせ"), _("お知らせはありません。"))

    waiting = approval_selectors.inbox(company=company, user=membership.user)
    count = waiting.count()
    if count:
        approvals.items.append(
            Item(_("承認待ちの申請が %(n)d 件あります") % {"n": count}, reverse("approvals:inbox"))
        )
        now = timezone.now()
        for r in waiting[:5]:
            approvals.items.append(
                Item(
                    _("%(title)s(%(name)s さん、%(days)d日待ち)")
                    % {
                        "title": r.object_repr,
                        "name": r.applicant.display_name(),
                        "days": (now - r.step_started_at).days,
                    },
                    reverse("approvals:request_detail", args=[r.pk]),
                )
            )
    if membership.has_any_role(Role.ADMIN, Role.HR):
        for p in people_selectors.upcoming_placements(company=company, start=today, days=31):
            alerts.items.append(
                Item(
                    _("%(date)s 付で %(name)s さんが %(dept)s へ異動")
                    % {"date": p.effective_from, "name": p.employee.full_name, "dept": p.department.name},
                    reverse("people:employee_detail", args=[p.employee_id]),
                )
            )
        for e in people_selectors.joining_or_leaving(company=company, start=today, days=31):
            text = (
                _("%(date)s 入社予定: %(name)s") if e.hire_date >= today else _("%(date)s 退職予定: %(name)s")
            ) % {"date": e.hire_date if e.hire_date >= today else e.retire_date, "name": e.full_name}
            alerts.items.append(Item(text, reverse("people:employee_detail", args=[e.pk])))
        missing = people_selectors.incomplete_records(company=company, as_of=today)
        if missing:
            tasks.items.append(
                Item(
                    _("給与振込口座または緊急連絡先が未登録の社員が %(n)d 名います") % {"n": len(missing)},
                    reverse("people:employee_list") + "?incomplete=1",
                )
            )
    if membership.has_any_role(Role.ADMIN):
        soon = today + timedelta(days=14)
        for m in core_selectors.memberships_of_company(company=company).filter(
            expires_on__isnull=False, expires_on__gte=today, expires_on__lte=soon, is_active=True
        ):
            alerts.items.append(
                Item(
                    _("%(user)s さんのアクセス期限: %(date)s")
                    % {"user": m.user.display_name(), "date": m.expires_on},
                    reverse("core:member_list"),
                )
            )
    if membership.has_any_role(*LEDGER_WRITE_ROLES):
        drafts = ledger_selectors.draft_count(company=company)
        if drafts:
            tasks.items.append(
                Item(
                    _("下書きの仕訳が %(n)d 件あります") % {"n": drafts},
                    reverse("ledger:entry_list") + "?status=draft",
                )
            )
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if own is not None and not own.emergency_contact_phone:
        tasks.items.append(
            Item(_("緊急連絡先が未登録です。人事に登録を依頼してください。"), reverse("people:my_record"))
        )
    panels = [approvals, tasks, alerts]
    notices = Panel("notifications", _("通知"), _("未読の通知はありません。"))
    unread = notifications.unread(company=company, user=membership.user)
    for n in unread[:8]:
        notices.items.append(Item(n.text, reverse("core:notifications") + "?unread=1", note=n.url))
    more = unread.count() - len(notices.items)
    if more > 0:
        notices.items.append(
            Item(_("ほか %(n)d 件") % {"n": more}, reverse("core:notifications") + "?unread=1")
        )
    if notices.items:  # shown while something is unread, like the apps' panels
        panels.append(notices)
    panels.extend(app_panels(membership))
    return panels


def app_panels(membership: Membership) -> list[Panel]:
    """Panels of the apps listed in settings.ENNOSHITA_HOME_PANELS: each a function
    ``panels(membership) -> list[dict]`` with key, title, empty and items ({text, url, note}); a
    panel without items is left out unless it says ``always``."""
    found: list[Panel] = []
    for path in getattr(settings, "ENNOSHITA_HOME_PANELS", []):
        for raw in import_string(path)(membership):
            items = [Item(str(i["text"]), i.get("url", ""), i.get("note", "")) for i in raw.get("items", [])]
            if items or raw.get("always"):
                found.append(Panel(raw["key"], str(raw["title"]), str(raw.get("empty", "")), items))
    return found


@membership_required
def home(request: HttpRequest) -> HttpResponse:
    membership: Any = request.membership  # type: ignore[attr-defined]
    return render(request, "core/home.html", {"panels": home_panels(membership)})
