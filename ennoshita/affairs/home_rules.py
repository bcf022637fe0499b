"""Home-page panels of the rules part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py): the
versions waiting for my acknowledgement, and for the rule managers how many have not yet
acknowledged each version in force."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .selectors import rules as selectors
from .services.rules import manages_rules

SHOWN = 5


def panels(membership: Membership) -> list[dict[str, Any]]:
    company = membership.company
    found: list[dict[str, Any]] = []
    pending = list(selectors.pending_for(company=company, membership=membership)[: SHOWN + 1])
    items = [
        {
            "text": _("「%(t)s」第%(n)d版を読んで確認してください")
            % {"t": a.version.rule.title, "n": a.version.number},
            "url": reverse("affairs:rule_version_read", args=[a.version_id]),
            "note": _("期限 %(d)s") % {"d": a.version.acknowledge_by.isoformat()}
            if a.version.acknowledge_by
            else "",
        }
        for a in pending[:SHOWN]
    ]
    if len(pending) > SHOWN:
        items.append({"text": _("未確認の規程をすべて見る"), "url": reverse("affairs:rule_pending")})
    found.append({"key": "rules_pending", "title": _("規程の既読確認"), "empty": "", "items": items})
    if manages_rules(membership):
        counts = selectors.open_counts(company=company, membership=membership)
        found.append(
            {
                "key": "rules_open",
                "title": _("規程の未確認者"),
                "empty": "",
                "items": [
                    {
                        "text": _("「%(t)s」第%(n)d版: 未確認 %(w)d 人 / %(a)d 人")
                        % {"t": c.rule_title, "n": c.number, "w": c.not_yet, "a": c.asked},
                        "url": reverse("affairs:rule_not_yet", args=[c.version_id]),
                        "note": _("期限 %(d)s") % {"d": c.acknowledge_by.isoformat()}
                        if c.acknowledge_by
                        else "",
                    }
                    for c in counts[:SHOWN]
                ],
            }
        )
    return found
