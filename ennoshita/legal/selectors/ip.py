"""Reads of 知的財産: the register (search, filters), one right with its deadlines, costs, alerts and
history, the deadlines coming up, the costs by year and kind, and the rows of the downloads.

Who reads what is ``permissions_ip``: 法務・管理者・経理 every right, any other member the rights they
are 担当者 of. Another company's right, or a right the member may not see, is NotFound (404).
Lists are one query for the rows (department and owner joined), whatever their length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Sum
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.legal.models import IpAlert, IpCost, IpCostKind, IpKind, IpRight, IpStatus
from ennoshita.legal.permissions_ip import can_see, manages_ip, reads_all_ip, visible_q
from ennoshita.legal.rules import ip as rules
from ennoshita.legal.services.ip import deadlines_of

UPCOMING_CHOICES = (30, 90, 180)


def _base(company: Company) -> QuerySet[IpRight]:
    return IpRight.objects.for_company(company).select_related("owner", "owner_department")


def ip_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    kind: str = "",
    status: str = "",
    country: str = "",
    department_id: int | None = None,
    within_days: int | None = None,
    as_of: date | None = None,
) -> QuerySet[IpRight]:
    """The rights this member sees, the nearest deadline first (none last), then by 管理番号.
    ``q``: every word must match the 管理番号, name, 出願番号, 登録番号 or 代理人. ``within_days``: rights
    in force whose next deadline is at most that many days away (or already in its late period)."""
    qs = _base(company).filter(visible_q(membership))
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(reference__icontains=word)
            | Q(title__icontains=word)
            | Q(application_number__icontains=word)
            | Q(registration_number__icontains=word)
            | Q(agent__icontains=word)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if country:
        qs = qs.filter(country=nfkc(country).strip().upper())
    if department_id:
        qs = qs.filter(owner_department_id=department_id)
    if within_days is not None:
        today = as_of or timezone.localdate()
        qs = qs.filter(status=IpStatus.REGISTERED, next_deadline_on__lte=today + timedelta(days=within_days))
    return qs.order_by(F("next_deadline_on").asc(nulls_last=True), "reference", "pk")


def upcoming(
    *, company: Company, membership: Membership, days: int = 30, as_of: date | None = None
) -> QuerySet[IpRight]:
    """期限が近い権利: rights in force with their next deadline within ``days`` (late periods too)."""
    return ip_list(company=company, membership=membership, within_days=days, as_of=as_of)


def get_ip_right(*, company: Company, membership: Membership, right_id: int) -> IpRight:
    right = _base(company).filter(pk=right_id).first()
    if right is None or not can_see(membership, right):
        raise NotFound()
    return right


@dataclass(frozen=True)
class DeadlineRow:
    deadline: rules.Deadline
    state: str  # upcoming / open / grace / passed
    days_left: int  # to the due day (negative inside the late period)

    @property
    def surcharge(self) -> bool:
        return self.state == "grace"


def deadline_rows(right: IpRight, today: date | None = None) -> list[DeadlineRow]:
    """The right's deadlines (§16) with their windows, for its page."""
    today = today or timezone.localdate()
    return [DeadlineRow(d, d.state(today), (d.due_on - today).days) for d in deadlines_of(right, today)]


def right_costs(*, company: Company, right: IpRight) -> QuerySet[IpCost]:
    return (
        IpCost.objects.for_company(company)
        .filter(right=right)
        .select_related("created_by")
        .order_by("-paid_on", "-pk")
    )


def right_alerts(*, company: Company, right: IpRight) -> QuerySet[IpAlert]:
    return IpAlert.objects.for_company(company).filter(right=right).order_by("-sent_at", "-pk")


def labelled_alerts(alerts: Iterable[IpAlert]) -> list[IpAlert]:
    """The alerts with ``kind_label`` (the deadline in words) for the page."""
    found = list(alerts)
    for a in found:
        a.kind_label = rules.label_of(a.kind)  # type: ignore[attr-defined]
    return found


def right_history(*, company: Company, right: IpRight) -> QuerySet[AuditEvent]:
    """変更履歴 of a right: events on the right and on its costs, newest first."""
    cost_ids = (
        IpCost.objects.for_company(company)
        .filter(right=right)
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    return (
        AuditEvent.objects.filter(company=company)
        .filter(
            Q(object_type="legal.ipright", object_id=str(right.pk))
            | Q(object_type="legal.ipcost", object_id__in=cost_ids)
        )
        .select_related("actor")
        .order_by("-seq")
    )


@dataclass
class CostYear:
    year: int
    by_kind: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_kind.values(), Decimal(0))


@dataclass
class CostSummary:
    kinds: list[tuple[str, Any]]  # (right kind, label) as columns
    years: list[CostYear]

    @property
    def totals(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for y in self.years:
            for k, v in y.by_kind.items():
                out[k] = out.get(k, Decimal(0)) + v
        return out

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), Decimal(0))


def cost_summary(
    *, company: Company, membership: Membership, year_from: int | None = None, year_to: int | None = None
) -> CostSummary:
    """費用の集計: the costs paid, by calendar year (of 支払日) × kind of right. One query."""
    if not reads_all_ip(membership):
        raise PermissionDeniedError()
    qs = IpCost.objects.for_company(company)
    if year_from:
        qs = qs.filter(paid_on__gte=date(year_from, 1, 1))
    if year_to:
        qs = qs.filter(paid_on__lte=date(year_to, 12, 31))
    rows = (
        qs.annotate(y=ExtractYear("paid_on"))
        .values("y", "right__kind")
        .annotate(total=Sum("amount"))
        .order_by("-y", "right__kind")
    )
    years: dict[int, CostYear] = {}
    for r in rows:
        years.setdefault(r["y"], CostYear(r["y"])).by_kind[r["right__kind"]] = r["total"]
    return CostSummary(kinds=list(IpKind.choices), years=sorted(years.values(), key=lambda y: -y.year))


def summary_rows(summary: CostSummary) -> Iterator[list[Any]]:
    yield ["年", *[str(label) for _k, label in summary.kinds], "合計"]
    for y in summary.years:
        yield [y.year, *[int(y.by_kind.get(k, 0)) for k, _label in summary.kinds], int(y.total)]
    totals = summary.totals
    yield ["合計", *[int(totals.get(k, 0)) for k, _label in summary.kinds], int(summary.total)]


def export_rows(rights: Iterable[IpRight]) -> Iterator[list[Any]]:
    """The register as a download (CSV / Excel)."""
    yield [
        "管理番号",
        "種類",
        "名称・標章",
        "国・地域",
        "出願番号",
        "登録番号",
        "区分",
        "区分数",
        "出願日",
        "設定登録日",
        "分割納付",
        "納付済みの年分",
        "存続期間の満了日",
        "次の期限",
        "次の期限の内容",
        "状態",
        "担当部署",
        "担当者",
        "代理人",
    ]
    for r in rights:
        yield [
            r.reference,
            r.get_kind_display(),
            r.title,
            r.country,
            r.application_number,
            r.registration_number,
            r.classes,
            r.class_count or "",
            r.filed_on or "",
            r.registered_on or "",
            "○" if r.installment else "",
            r.paid_through_year or "",
            r.expires_on or "",
            r.next_deadline_on or "",
            rules.label_of(r.next_deadline_kind) if r.next_deadline_kind else "",
            r.get_status_display(),
            r.owner_department.name if r.owner_department else "",
            r.owner.display_name() if r.owner else "",
            r.agent,
        ]


def cost_rows(costs: Iterable[IpCost]) -> Iterator[list[Any]]:
    yield ["支払日", "費用の種類", "金額", "摘要"]
    for c in costs:
        yield [c.paid_on, c.get_kind_display(), int(c.amount), c.memo]


def can_manage(membership: Membership | None) -> bool:
    return manages_ip(membership)


def can_read_costs(membership: Membership | None) -> bool:
    return reads_all_ip(membership)


def cost_kind_choices() -> list[tuple[str, Any]]:
    return list(IpCostKind.choices)
