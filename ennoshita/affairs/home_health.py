"""Home-page panels of the health part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py): an
employee's own checkups due within 14 days or overdue; for 人事・総務・admin the overdue checkups,
and for members with health access the doctors' opinions due (安衛則51条の2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .rules import health as rules
from .selectors import health as selectors
from .services import health as services


def panels(membership: Membership) -> list[dict[str, Any]]:
    company = membership.company
    today = timezone.localdate()
    items: list[dict[str, Any]] = []
    soon = today + timedelta(days=rules.REMIND_WITHIN_DAYS)
    for c in selectors.own_open_checkups(company=company, membership=membership):
        if c.due_on > soon:
            continue
        text = (
            _("%(k)sの受診期限(%(d)s)を過ぎています")
            if c.due_on < today
            else _("%(k)sの受診期限は %(d)s です")
        ) % {"k": c.get_kind_display(), "d": c.due_on.isoformat()}
        items.append({"text": text, "url": reverse("affairs:health_checkup_detail", args=[c.pk])})
    if services.is_health_staff(membership):
        counts = selectors.staff_counts(company=company, today=today)
        if counts.overdue:
            items.append(
                {
                    "text": _("受診期限を過ぎた健康診断が %(n)d 件あります") % {"n": counts.overdue},
                    "url": reverse("affairs:health_unexamined"),
                }
            )
        if counts.opinions_due and selectors.can_open_results(company=company, membership=membership):
            items.append(
                {
                    "text": _("医師の意見聴取が必要な健康診断が %(n)d 件あります(うち期限切れ %(o)d 件)")
                    % {"n": counts.opinions_due, "o": counts.opinions_overdue},
                    "url": reverse("affairs:health_opinions"),
                }
            )
    if not items:
        return []
    return [{"key": "health", "title": _("健康診断"), "empty": "", "items": items}]
