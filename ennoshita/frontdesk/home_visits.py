"""Home-page panels of the visits part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py):
the host's visitors today (those in the building first), unanswered phone messages (until done),
the requester's open requests, and for the teams their queue counts and the desk's day."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .models import OfficeRequestStatus, Urgency, VisitStatus
from .permissions_visits import is_desk, is_member, teams_of
from .selectors import messages as message_selectors
from .selectors import office_requests as request_selectors
from .selectors import visits as visit_selectors

SHOWN = 8


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not is_member(membership):
        return []
    company, user = membership.company, membership.user
    found = [_visitors(company, user), _messages(company, user), _requests(company, user)]
    teams = teams_of(membership)
    if teams or is_desk(membership):
        found.append(_desk(company, membership, teams))
    return found


def _visitors(company: Any, user: Any) -> dict[str, Any]:
    items = []
    for v in visit_selectors.host_today(company=company, user=user):
        who = " ".join(x for x in (v.visitor_company, v.visitor_name + " 様") if x)
        if v.status == VisitStatus.ARRIVED:
            text = _("【到着】%(who)s %(time)s 受付(入館証 %(badge)s)") % {
                "who": who,
                "time": f"{timezone.localtime(v.checked_in_at):%H:%M}",
                "badge": v.badge_number,
            }
        else:
            text = f"{timezone.localtime(v.expected_at):%H:%M} {who}({v.get_status_display()})"
        if v.booking_id and v.booking and v.booking.status == "confirmed":
            text += f" · {v.booking.room.name}"
        items.append({"text": text, "url": reverse("frontdesk:visit_detail", args=[v.pk])})
    return {
        "key": "frontdesk_visitors",
        "title": _("今日の来訪者"),
        "empty": _("今日の来訪予定はありません。"),
        "items": items[:SHOWN],
    }


def _messages(company: Any, user: Any) -> dict[str, Any]:
    rows = message_selectors.urgent_first(message_selectors.open_messages(company=company, user=user)[:50])
    items = []
    for m in rows[:SHOWN]:
        mark = {Urgency.URGENT: _("【至急】"), Urgency.CALL_BACK: _("【折り返し】")}.get(
            Urgency(m.urgency), ""
        )
        items.append(
            {
                "text": _("%(mark)s%(who)s 様から(%(time)s)")
                % {
                    "mark": mark,
                    "who": " ".join(x for x in (m.caller_company, m.caller_name) if x),
                    "time": f"{timezone.localtime(m.received_at):%m/%d %H:%M}",
                },
                "url": reverse("frontdesk:message_detail", args=[m.pk]),
            }
        )
    if len(rows) > SHOWN:
        items.append(
            {
                "text": _("ほか %(n)d 件") % {"n": len(rows) - SHOWN},
                "url": reverse("frontdesk:message_list") + "?open=1",
            }
        )
    return {
        "key": "frontdesk_messages",
        "title": _("未対応の伝言"),
        "empty": _("未対応の伝言はありません。"),
        "items": items,
    }


def _requests(company: Any, user: Any) -> dict[str, Any]:
    rows = list(request_selectors.my_requests(company=company, user=user, open_only=True)[: SHOWN + 1])
    items = [
        {
            "text": f"{r.title}({r.request_type.name}・{r.get_status_display()})",
            "url": reverse("frontdesk:office_request_detail", args=[r.pk]),
        }
        for r in rows[:SHOWN]
    ]
    if len(rows) > SHOWN:
        items.append({"text": _("ほかにもあります"), "url": reverse("frontdesk:office_request_mine")})
    return {
        "key": "frontdesk_my_requests",
        "title": _("自分の依頼"),
        "empty": _("未完了の依頼はありません。"),
        "items": items,
    }


def _desk(company: Any, membership: Membership, teams: list[str]) -> dict[str, Any]:
    items = []
    counts = request_selectors.queue_counts(company=company, teams=teams)
    for team in teams:
        c = counts[team]
        if c[OfficeRequestStatus.OPEN] or c[OfficeRequestStatus.IN_PROGRESS]:
            items.append(
                {
                    "text": _("%(team)sへの依頼: 受付待ち %(open)d 件・対応中 %(busy)d 件")
                    % {
                        "team": request_selectors.team_label(team),
                        "open": c[OfficeRequestStatus.OPEN],
                        "busy": c[OfficeRequestStatus.IN_PROGRESS],
                    },
                    "url": reverse("frontdesk:office_request_queue") + f"?team={team}",
                }
            )
    if is_desk(membership):
        board = visit_selectors.today_board(company=company, membership=membership)
        if board.expected or board.arrived:
            items.append(
                {
                    "text": _("本日の来訪: 予定 %(e)d 件・来訪中 %(a)d 件")
                    % {"e": len(board.expected), "a": len(board.arrived)},
                    "url": reverse("frontdesk:visit_board"),
                }
            )
    return {"key": "frontdesk_queue", "title": _("受付・依頼の状況"), "empty": "", "items": items}
