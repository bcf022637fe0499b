"""Home-page panel of the 法律相談・紛争 part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py),
for 法務 and 管理者: the consultations not answered yet, and the deadlines of open matters within 14
days (overdue ones first). Others see nothing here (their own consultations are on 「自分の相談」)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from . import permissions_matters as permissions
from .selectors import matters as selectors

SHOWN = 5
DAYS = 14


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not permissions.manages_matters(membership):
        return []
    company = membership.company
    today = timezone.localdate()
    found: list[dict[str, Any]] = []
    waiting = list(selectors.unanswered(company=company, membership=membership)[: SHOWN + 1])
    if waiting:
        rows = [
            {
                "text": f"{m.number} {m.title}",
                "url": reverse("legal:matter_detail", args=[m.pk]),
                "note": _("%(d)s受付(%(s)s)") % {"d": m.opened_on.isoformat(), "s": m.get_status_display()},
            }
            for m in waiting[:SHOWN]
        ]
        if len(waiting) > SHOWN:
            rows.append(
                {
                    "text": _("未回答の相談をすべて見る"),
                    "url": reverse("legal:matter_list") + "?kind=consultation&open_only=on",
                }
            )
        found.append(
            {"key": "matters_unanswered", "title": _("未回答の法律相談"), "empty": "", "items": rows}
        )
    due = list(selectors.upcoming_deadlines(company=company, membership=membership, days=DAYS)[: SHOWN + 1])
    if due:
        rows = []
        for d in due[:SHOWN]:
            left = (d.due_on - today).days
            note = (
                _("%(d)s(%(n)d日超過)") % {"d": d.due_on.isoformat(), "n": -left}
                if left < 0
                else _("%(d)s(あと%(n)d日)") % {"d": d.due_on.isoformat(), "n": left}
            )
            rows.append(
                {
                    "text": f"{d.matter.number} {d.matter.title}: {d.title}",
                    "url": reverse("legal:matter_detail", args=[d.matter_id]),
                    "note": note,
                }
            )
        found.append(
            {
                "key": "matters_deadlines",
                "title": _("法律相談・紛争の期限(14日以内)"),
                "empty": "",
                "items": rows,
            }
        )
    return found
