"""契約書's daily work: automatic renewal (自動更新) and expiry (期間満了), and the alerts before a
notice deadline (更新拒絶の通知期限) or an expiry, to the owner and 法務.

Both are idempotent: a renewal moves the current end only once it has passed, and each alert
(contract, kind, deadline, days before) is a ``ContractAlert`` row inserted before anyone is
notified — the unique constraint makes a second run (or a second worker) send nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify
from ennoshita.legal.models import Contract, ContractAlert, ContractAlertKind, ContractStatus
from ennoshita.legal.rules.terms import renewed_end, term_months

from .base import NOTIFY_KIND, deadline_of

JOB_NAME = "legal.contract_alerts"
LEAD_DAYS = (90, 30, 7, 0)  # alerts this many days before the deadline (0: on the day)
IN_FORCE = (ContractStatus.SIGNED, ContractStatus.ACTIVE)


@dataclass(frozen=True)
class RollResult:
    renewed: int
    expired: int


def renewal_months_of(contract: Contract) -> int:
    """The length of the next term: as written, else the same as the first term, else 1 year."""
    if contract.renewal_months:
        return contract.renewal_months
    if contract.starts_on and contract.ends_on:
        months = term_months(starts_on=contract.starts_on, ends_on=contract.ends_on)
        if months:
            return months
    return 12


@transaction.atomic
def roll_contracts(*, company: Company, today: date) -> RollResult:
    """An active auto-renewing contract whose current end has passed runs another term (as many as
    it takes to reach today); any other signed or active contract past its end has expired."""
    renewed = expired = 0
    passed = (
        Contract.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(status__in=IN_FORCE, current_end_on__lt=today)
        .order_by("pk")
    )
    for contract in passed:
        assert contract.current_end_on is not None
        if contract.auto_renew and contract.status == ContractStatus.ACTIVE:
            before = contract.current_end_on
            months = renewal_months_of(contract)
            end = before
            while end < today:
                end = renewed_end(end_on=end, months=months)
            contract.current_end_on = end
            contract.notice_deadline_on = deadline_of(contract)
            contract.save(update_fields=["current_end_on", "notice_deadline_on", "updated_at"])
            record_event(
                company=company,
                actor=None,
                actor_label=JOB_NAME,
                action="renew",
                instance=contract,
                before={"current_end_on": before},
                after={"current_end_on": end},
            )
            renewed += 1
        else:
            before_status = contract.status
            contract.status = ContractStatus.EXPIRED
            contract.save(update_fields=["status", "updated_at"])
            record_event(
                company=company,
                actor=None,
                actor_label=JOB_NAME,
                action="contract_status",
                instance=contract,
                before={"status": before_status},
                after={"status": contract.status},
            )
            expired += 1
    return RollResult(renewed=renewed, expired=expired)


def _lead(days_left: int) -> int | None:
    """The alert due now for a deadline ``days_left`` away: the nearest lead time reached (a job that
    missed the 30-day alert sends the 7-day one, not both)."""
    due = [lead for lead in LEAD_DAYS if days_left <= lead]
    return min(due) if due and days_left >= 0 else None


def legal_members(company: Company) -> list[User]:
    return [
        m.user
        for m in Membership.objects.for_company(company).filter(is_active=True).select_related("user")
        if m.has_any_role(Role.LEGAL)
    ]


def _recipients(company: Company, contract: Contract, legal: list[User]) -> list[User]:
    users = {u.pk: u for u in legal}
    owner_active = (
        contract.owner_id is not None
        and Membership.objects.for_company(company).filter(user_id=contract.owner_id, is_active=True).exists()
    )
    if owner_active and contract.owner is not None:
        users.setdefault(contract.owner.pk, contract.owner)
    return list(users.values())


def _text(contract: Contract, kind: str, due: date, days_left: int) -> str:
    name = f"{contract.number} {contract.title}"
    if kind == ContractAlertKind.NOTICE:
        if days_left == 0:
            return _(
                "契約「%(c)s」の更新拒絶の通知期限は今日(%(d)s)です。更新しないなら今日中に相手方へ通知してください。"
            ) % {
                "c": name,
                "d": due.isoformat(),
            }
        return _("契約「%(c)s」の更新拒絶の通知期限(%(d)s)まであと%(n)d日です。") % {
            "c": name,
            "d": due.isoformat(),
            "n": days_left,
        }
    if days_left == 0:
        return _("契約「%(c)s」は今日(%(d)s)満了します。") % {"c": name, "d": due.isoformat()}
    return _("契約「%(c)s」の満了日(%(d)s)まであと%(n)d日です。") % {
        "c": name,
        "d": due.isoformat(),
        "n": days_left,
    }


def _insert_alert(company: Company, contract: Contract, kind: str, due: date, lead: int) -> bool:
    try:
        with transaction.atomic():
            ContractAlert.objects.create(
                company=company, contract=contract, kind=kind, due_on=due, days_before=lead
            )
    except IntegrityError:  # sent already (by an earlier run or another worker)
        return False
    return True


@transaction.atomic
def send_contract_alerts(*, company: Company, today: date) -> int:
    """Alerts 90, 30 and 7 days before (and on the day of) each signed or active contract's notice
    deadline (auto-renewing ones) and expiry, once each; returns how many notices were sent."""
    horizon = today + timedelta(days=max(LEAD_DAYS))
    candidates = (
        Contract.objects.for_company(company)
        .filter(status__in=IN_FORCE, current_end_on__gte=today)
        .filter(
            Q(current_end_on__lte=horizon) | Q(notice_deadline_on__gte=today, notice_deadline_on__lte=horizon)
        )
        .select_related("owner")
        .order_by("pk")
    )
    legal: list[User] | None = None
    sent = 0
    for contract in candidates:
        assert contract.current_end_on is not None
        dues = [(ContractAlertKind.EXPIRY.value, contract.current_end_on)]
        notice = deadline_of(contract)
        if notice is not None:
            dues.insert(0, (ContractAlertKind.NOTICE.value, notice))
        for kind, due in dues:
            days_left = (due - today).days
            lead = _lead(days_left)
            if lead is None or not _insert_alert(company, contract, kind, due, lead):
                continue
            if legal is None:
                legal = legal_members(company)
            users = _recipients(company, contract, legal)
            text = _text(contract, kind, due, days_left)
            url = reverse("legal:contract_detail", args=[contract.pk])
            for user in users:
                notify(
                    company=company,
                    user=user,
                    kind=NOTIFY_KIND,
                    text=text,
                    url=url,
                    object_type="legal.contract",
                    object_id=contract.pk,
                )
            record_event(
                company=company,
                actor=None,
                actor_label=JOB_NAME,
                action="notify",
                instance=contract,
                extra={
                    "kind": kind,
                    "due_on": due.isoformat(),
                    "days_before": lead,
                    "to": sorted(u.pk for u in users),
                },
            )
            sent += len(users)
    return sent
