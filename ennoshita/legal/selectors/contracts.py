"""Reads of 契約書: the list (search and filters) and its download rows, one contract with its
parent, children, files and alerts, its history, what ends or reaches a notice deadline in the next
N days, and a month calendar of those dates.

Who sees which contract is ``permissions.visible_q``: 法務・管理者・経理 all of them, anyone else the
contracts they own or registered. Another company's contract, and one a member may not see, are a
404 (``NotFound``)."""

from __future__ import annotations

import calendar as calendar_module
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.documents import selectors as document_selectors
from ennoshita.documents.models import DocumentVersion
from ennoshita.legal import permissions
from ennoshita.legal.models import Contract, ContractAlert, ContractAlertKind, ContractStatus
from ennoshita.legal.services.contracts import deadline_of

IN_FORCE = (ContractStatus.SIGNED, ContractStatus.ACTIVE)
UPCOMING_DAYS = (30, 60, 90, 180)


def _visible(company: Company, membership: Membership) -> QuerySet[Contract]:
    return Contract.objects.for_company(company).filter(permissions.visible_q(membership))


def contract_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    status: str = "",
    contract_type: str = "",
    department_id: int | None = None,
    owner_id: int | None = None,
    auto_renew: bool | None = None,
    ends_from: date | None = None,
    ends_to: date | None = None,
) -> QuerySet[Contract]:
    """Contracts newest first; ``q`` matches the number, the title or the counterparty (each word);
    ``ends_from``/``ends_to`` bound the current end (満了日)."""
    qs = _visible(company, membership).select_related("owner", "owner_department").order_by("-pk")
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(number__icontains=word) | Q(title__icontains=word) | Q(counterparty_name__icontains=word)
        )
    if status:
        qs = qs.filter(status=status)
    if contract_type:
        qs = qs.filter(contract_type=contract_type)
    if department_id:
        qs = qs.filter(owner_department_id=department_id)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if auto_renew is not None:
        qs = qs.filter(auto_renew=auto_renew)
    if ends_from:
        qs = qs.filter(current_end_on__gte=ends_from)
    if ends_to:
        qs = qs.filter(current_end_on__lte=ends_to)
    return qs


def get_contract(*, company: Company, membership: Membership, contract_id: int) -> Contract:
    contract = (
        _visible(company, membership)
        .select_related("owner", "owner_department", "parent", "customer", "vendor", "document", "created_by")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        raise NotFound()
    return contract


def children(*, company: Company, membership: Membership, contract: Contract) -> QuerySet[Contract]:
    """The 個別契約・覚書・再契約 under this contract that the member sees."""
    return _visible(company, membership).filter(parent=contract).select_related("owner").order_by("number")


def parent_of(*, company: Company, membership: Membership, contract: Contract) -> Contract | None:
    """The parent contract, when the member sees it."""
    if contract.parent_id is None:
        return None
    return _visible(company, membership).filter(pk=contract.parent_id).first()


def versions(*, contract: Contract) -> list[DocumentVersion]:
    """The contract's files (every draft and the signed file), newest first."""
    if contract.document is None:
        return []
    return list(document_selectors.versions_of(document=contract.document).select_related("uploaded_by"))


def get_contract_version(
    *, company: Company, membership: Membership, contract_id: int, version_id: int
) -> tuple[Contract, DocumentVersion]:
    """One file of a contract the member sees (served by this app's own file view)."""
    contract = get_contract(company=company, membership=membership, contract_id=contract_id)
    if contract.document is None:
        raise NotFound()
    version = document_selectors.versions_of(document=contract.document).filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    return contract, version


def alerts(*, company: Company, contract: Contract) -> QuerySet[ContractAlert]:
    return ContractAlert.objects.for_company(company).filter(contract=contract).order_by("-sent_at", "-pk")


def history(*, company: Company, contract: Contract) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(company=company, object_type="legal.contract", object_id=str(contract.pk))
        .select_related("actor")
        .order_by("-seq")
    )


# ------------------------------------------------------------------------------ deadlines
@dataclass(frozen=True)
class Deadline:
    """A date in a contract's life: its notice deadline (更新拒絶の通知期限) or its expiry (満了日)."""

    contract: Contract
    kind: str  # ContractAlertKind: "notice" / "expiry"
    due_on: date
    days_left: int

    @property
    def kind_label(self) -> str:
        return str(ContractAlertKind(self.kind).label)


def _deadlines(contracts: Iterable[Contract], start: date, end: date, today: date) -> Iterator[Deadline]:
    for contract in contracts:
        if contract.current_end_on is None:
            continue
        notice = deadline_of(contract)
        if notice is not None and start <= notice <= end:
            yield Deadline(contract, ContractAlertKind.NOTICE, notice, (notice - today).days)
        if start <= contract.current_end_on <= end:
            yield Deadline(
                contract,
                ContractAlertKind.EXPIRY,
                contract.current_end_on,
                (contract.current_end_on - today).days,
            )


def _in_force_between(company: Company, membership: Membership, start: date, end: date) -> QuerySet[Contract]:
    """Contracts in force whose end or notice deadline falls between the dates (both stored, both
    indexed: the list costs the same at 50,000 contracts as at 50)."""
    return (
        _visible(company, membership)
        .filter(status__in=IN_FORCE)
        .filter(Q(current_end_on__range=(start, end)) | Q(notice_deadline_on__range=(start, end)))
        .select_related("owner", "owner_department")
        .order_by("pk")
    )


def upcoming(
    *, company: Company, membership: Membership, days: int, today: date | None = None
) -> list[Deadline]:
    """What ends or reaches its notice deadline from today to ``days`` days ahead, by date."""
    today = today or timezone.localdate()
    end = today + timedelta(days=max(0, days))
    found = _deadlines(_in_force_between(company, membership, today, end), today, end, today)
    return sorted(found, key=lambda d: (d.due_on, d.kind != ContractAlertKind.NOTICE, d.contract.number))


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    items: list[Deadline]


def month_calendar(
    *, company: Company, membership: Membership, year: int, month: int, today: date | None = None
) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days, each with the deadlines on it."""
    today = today or timezone.localdate()
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day: dict[date, list[Deadline]] = {}
    for item in _deadlines(_in_force_between(company, membership, start, end), start, end, today):
        by_day.setdefault(item.due_on, []).append(item)
    return [[CalendarDay(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


# ------------------------------------------------------------------------------ downloads
EXPORT_HEADER = [
    "契約番号",
    "契約名",
    "契約の種類",
    "相手方",
    "当社の立場",
    "状態",
    "契約金額(税抜)",
    "消費税額等",
    "契約開始日",
    "契約終了日",
    "現在の満了日",
    "自動更新",
    "通知期限",
    "書面の原本",
    "印紙税の文書区分",
    "印紙税額",
    "担当部署",
    "担当者",
    "締結日",
]


def export_rows(contracts: Iterable[Contract]) -> Iterator[list[Any]]:
    yield list(EXPORT_HEADER)
    for c in contracts:
        notice = deadline_of(c)
        yield [
            c.number,
            c.title,
            c.get_contract_type_display(),
            c.counterparty_name,
            c.get_our_side_display(),
            c.get_status_display(),
            "" if c.amount is None else int(c.amount),
            int(c.tax_amount),
            c.starts_on or "",
            c.ends_on or "",
            c.current_end_on or "",
            "○" if c.auto_renew else "",
            notice or "",
            "○" if c.paper_original else "",
            c.get_stamp_document_display(),
            int(c.stamp_duty),
            c.owner_department.name if c.owner_department else "",
            c.owner.display_name() if c.owner else "",
            c.signed_on or "",
        ]


def parent_choices(
    *, company: Company, membership: Membership, exclude: Contract | None = None
) -> QuerySet[Contract]:
    """Contracts that may be a parent (the member sees them; not 解約・終了 nor ``exclude``), for
    the form to find the one whose 契約番号 was typed."""
    qs = _visible(company, membership).exclude(status=ContractStatus.TERMINATED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs
