"""The daily alerts of 登記・機関 (``tasks_registry``): officers' terms ending in 90 and 30 days (and
once when the expected end has passed with neither 重任 nor 退任 recorded), and 登記 deadlines of
unfiled changes in 7, 3 and 1 days (and once when overdue), the 定時株主総会 of the latest business
year when none is recorded 30 and 7 days before the 基準日's 3 months end (会社法124条2項; and once in
the month after), and 12 years since the last 登記 (休眠会社のみなし解散, 472条) in 365, 90 and 30 days
(and once when reached). To every active 法務 and 管理者 member; the 基準日 and 休眠 alerts only
where the 定款 settings exist (the company keeps its registry here).

Each alert is one ``RegistryAlert`` row (kind, object, due day, lead) inserted *before* anyone is
notified: a second run (or a second worker) finds it and sends nothing. A run that missed a day
sends the nearest lead only (a first run 20 days before a term end sends the 30-day alert alone).
``days_before`` 0 is the "passed / overdue" alert.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events
from ennoshita.core.models import Company, Role, User
from ennoshita.core.notifications import notify
from ennoshita.core.selectors import memberships_of_company
from ennoshita.legal.models import CharterSettings, Officer, RegistryAlert, RegistryAlertKind, RegistryChange
from ennoshita.legal.rules import registry as rules
from ennoshita.legal.selectors import registry as selectors

from .base import JOB_LABEL, NOTIFY_KIND

TERM_LEADS = (90, 30)
FILING_LEADS = (7, 3, 1)
AGM_LEADS = (30, 7)
AGM_LATE_DAYS = 30  # the "passed" alert only in the month after: a company starting mid-year is not nagged
DORMANT_LEADS = (365, 90, 30)


def lead_for(days_left: int, leads: tuple[int, ...]) -> int | None:
    """The alert due for a date ``days_left`` away: the nearest lead reached; 0 once it has passed."""
    if days_left < 0:
        return 0
    reached = [lead for lead in leads if days_left <= lead]
    return min(reached) if reached else None


def recipients(company: Company, today: date) -> list[User]:
    found: dict[int, User] = {}
    members = memberships_of_company(company=company).filter(is_active=True, user__is_active=True)
    for m in members:
        if m.expires_on is not None and m.expires_on < today:
            continue
        if m.has_any_role(Role.LEGAL, Role.ADMIN) and not m.has_any_role(Role.ASSISTANT):
            found[m.user_id] = m.user
    return list(found.values())


def _claim(company: Company, kind: str, object_id: int, due: date, lead: int) -> bool:
    try:
        with transaction.atomic():
            RegistryAlert.objects.create(
                company=company, kind=kind, object_id=object_id, due_on=due, days_before=lead
            )
    except IntegrityError:  # sent already
        return False
    return True


def _term_text(o: Officer, days_left: int) -> str:
    label = f"{o.get_position_display()} {o.name}"
    if days_left < 0:
        return _(
            "【登記・機関】%(o)s の任期は定時株主総会(予定 %(d)s)で満了しています。重任または退任を記録し、"
            "2週間以内に変更登記を申請してください。"
        ) % {"o": label, "d": o.term_ends_on.isoformat()}
    return _(
        "【登記・機関】%(o)s の任期は %(d)s ごろの定時株主総会で満了します(あと%(n)s日)。改選の準備をしてください。"
    ) % {
        "o": label,
        "d": o.term_ends_on.isoformat(),
        "n": days_left,
    }


def _filing_text(c: RegistryChange, days_left: int) -> str:
    what = f"{c.get_item_display()}「{c.content[:40]}」"
    if days_left < 0:
        return _(
            "【登記・機関】%(w)s の登記期限 %(d)s を過ぎています。至急申請してください(登記懈怠は100万円以下の過料、"
            "会社法976条1号)。"
        ) % {"w": what, "d": c.deadline_on.isoformat()}
    return _("【登記・機関】%(w)s の登記期限は %(d)s です(あと%(n)s日)。") % {
        "w": what,
        "d": c.deadline_on.isoformat(),
        "n": days_left,
    }


def _agm_text(status: selectors.AgmStatus) -> str:
    if status.days_left < 0:
        return _(
            "【登記・機関】%(y)s に終わった事業年度の定時株主総会が記録されていません。期末を基準日とする場合の"
            "開催期限 %(d)s を過ぎています。これから開催するなら新たな基準日を定め、その2週間前までに公告してください"
            "(会社法124条2項・3項)。開催済みなら会議を登録してください。"
        ) % {"y": status.year_end.isoformat(), "d": status.limit.isoformat()}
    return _(
        "【登記・機関】%(y)s に終わった事業年度の定時株主総会がまだ記録されていません。期末を基準日とするなら"
        " %(d)s までに開催してください(あと%(n)s日、会社法124条2項)。"
    ) % {"y": status.year_end.isoformat(), "d": status.limit.isoformat(), "n": status.days_left}


def _dormant_text(last: date, risk: rules.DormantRisk) -> str:
    if risk.at_risk:
        return _(
            "【登記・機関】最後の登記(%(l)s)から12年が経ちました。官報公告と登記所からの通知の後2か月以内に"
            "「まだ事業を廃止していない旨の届出」か登記をしないと、解散したものとみなされます(会社法472条)。"
        ) % {"l": last.isoformat()}
    return _(
        "【登記・機関】最後の登記(%(l)s)から12年の期間が %(d)s で満了します(あと%(n)s日)。役員の重任登記などを"
        "忘れていないか確認してください(休眠会社のみなし解散、会社法472条)。"
    ) % {"l": last.isoformat(), "d": risk.reaches_on.isoformat(), "n": risk.days_left}


@transaction.atomic
def send_registry_alerts(*, company: Company, today: date | None = None) -> int:
    """Send the alerts due today; returns how many notices went out."""
    today = today or timezone.localdate()
    users: list[User] | None = None
    events: list[EventInput] = []
    sent = 0
    due: list[tuple[str, object, date, int, str, str]] = []
    officers = Officer.objects.for_company(company).filter(
        left_on__isnull=True, term_ends_on__lte=today + timedelta(days=max(TERM_LEADS))
    )
    for o in officers.order_by("term_ends_on", "pk"):
        days_left = (o.term_ends_on - today).days
        lead = lead_for(days_left, TERM_LEADS)
        if lead is not None:
            url = reverse("legal:officer_detail", args=[o.pk])
            due.append((RegistryAlertKind.TERM_END, o, o.term_ends_on, lead, _term_text(o, days_left), url))
    changes = RegistryChange.objects.for_company(company).filter(
        filed_on__isnull=True, deadline_on__lte=today + timedelta(days=max(FILING_LEADS))
    )
    for c in changes.order_by("deadline_on", "pk"):
        days_left = (c.deadline_on - today).days
        lead = lead_for(days_left, FILING_LEADS)
        if lead is not None:
            url = reverse("legal:change_detail", args=[c.pk])
            due.append((RegistryAlertKind.FILING, c, c.deadline_on, lead, _filing_text(c, days_left), url))
    charter = CharterSettings.objects.for_company(company).first()
    if charter is not None:
        agm = selectors.agm_status(company=company, today=today)
        lead = lead_for(agm.days_left, AGM_LEADS)
        if agm.meeting is None and lead is not None and agm.days_left >= -AGM_LATE_DAYS:
            url = reverse("legal:meeting_new")
            due.append((RegistryAlertKind.RECORD_DATE, charter, agm.limit, lead, _agm_text(agm), url))
        found = selectors.dormant_risk(company=company, today=today)
        if found is not None:
            last, risk = found
            lead = lead_for(risk.days_left, DORMANT_LEADS)
            if lead is not None:
                url = reverse("legal:registry_home")
                due.append(
                    (
                        RegistryAlertKind.DORMANT,
                        charter,
                        risk.reaches_on,
                        lead,
                        _dormant_text(last, risk),
                        url,
                    )
                )
    for kind, obj, day, lead, message, url in due:
        pk = obj.pk  # type: ignore[attr-defined]
        if not _claim(company, kind, pk, day, lead):
            continue
        users = users if users is not None else recipients(company, today)
        for user in users:
            notify(
                company=company,
                user=user,
                kind=NOTIFY_KIND,
                text=message,
                url=url,
                object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
                object_id=pk,
                email=True,
            )
        sent += len(users)
        events.append(
            EventInput(
                "notify",
                instance=obj,  # type: ignore[arg-type]
                extra={"kind": kind, "due_on": day, "days_before": lead, "to": len(users)},
            )
        )
    record_events(company=company, actor=None, events=events, actor_label=JOB_LABEL)
    return sent
