"""Home-page panels of 業務依頼 (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py): my open
requests; my teams' requests nobody has taken and those past due; for an outside assistant only the
number of requests in their inbox."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from . import permissions
from .selectors import requests as selectors


def panels(membership: Membership) -> list[dict[str, Any]]:
    company = membership.company
    counts = selectors.counts(company=company, membership=membership)
    inbox = reverse("requests:inbox")
    if permissions.is_assistant(membership):
        return [
            {
                "key": "requests_inbox",
                "title": _("依頼の受信箱"),
                "empty": "",
                "items": [{"text": _("対応中・未着手の依頼 %(n)d件") % {"n": counts["inbox"]}, "url": inbox}],
            }
        ]
    out = []
    if counts["mine"]:
        out.append(
            {
                "key": "requests_mine",
                "title": _("自分の依頼"),
                "empty": "",
                "items": [
                    {
                        "text": _("完了していない依頼 %(n)d件") % {"n": counts["mine"]},
                        "url": reverse("requests:mine"),
                    }
                ],
            }
        )
    items = []
    if counts["untaken"]:
        items.append(
            {
                "text": _("未着手の依頼 %(n)d件") % {"n": counts["untaken"]},
                "url": inbox + "?status=open&assignee=-1",
            }
        )
    if counts["overdue"]:
        items.append(
            {
                "text": _("期限を過ぎた依頼 %(n)d件") % {"n": counts["overdue"]},
                "url": inbox + "?status=open&overdue=on",
            }
        )
    if items:
        out.append({"key": "requests_team", "title": _("チームへの依頼"), "empty": "", "items": items})
    return out
