"""Reads of 法律相談・紛争: the list (search and filters) and its download rows, "my consultations",
one matter with its people, notes, deadlines, costs and files, its history, and what the 法務 home
panel shows (unanswered consultations, deadlines within N days).

Who sees which matter is ``permissions_matters.visible_q``: 法務・管理者 all of them, anyone else the
matters they are named on, the outside assistant team none. Another company's matter, and one a
member may not see, are a 404 (``NotFound``) — the same answer, so a matter's existence is not
revealed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.documents.models import Document, DocumentVersion
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import (
    LegalMatter,
    MatterCost,
    MatterDeadline,
    MatterKind,
    MatterMember,
    MatterNote,
    MatterStatus,
)

ENDED = (MatterStatus.SETTLED, MatterStatus.CLOSED)


def _visible(company: Company, membership: Membership) -> QuerySet[LegalMatter]:
    return LegalMatter.objects.for_company(company).filter(permissions.visible_q(membership))


def matter_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    kind: str = "",
    status: str = "",
    category: str = "",
    handler_id: int | None = None,
    open_only: bool = False,
    mine: bool = False,
) -> QuerySet[LegalMatter]:
    """Matters newest first; ``q`` matches the number, the title, the opponent or the case number
    (each word); ``mine`` keeps the matters the member is named on (even for 法務)."""
    qs = _visible(company, membership).select_related("handler", "department").order_by("-opened_on", "-pk")
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(title__icontains=word)
            | Q(opponent__icontains=word)
            | Q(case_number__icontains=word)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if handler_id:
        qs = qs.filter(handler_id=handler_id)
    if open_only:
        qs = qs.exclude(status__in=ENDED)
    if mine:
        qs = qs.filter(
            pk__in=MatterMember.objects.filter(company=company, user_id=membership.user_id).values(
                "matter_id"
            )
        )
    return qs


def get_matter(*, company: Company, membership: Membership, matter_id: int) -> LegalMatter:
    matter = (
        _visible(company, membership)
        .select_related("handler", "department", "created_by", "document_folder")
        .filter(pk=matter_id)
        .first()
    )
    if matter is None:
        raise NotFound()
    return matter


def members(*, matter: LegalMatter) -> QuerySet[MatterMember]:
    return (
        MatterMember.objects.filter(company_id=matter.company_id, matter=matter)
        .select_related("user")
        .order_by("role", "pk")
    )


def notes(*, matter: LegalMatter) -> QuerySet[MatterNote]:
    return (
        MatterNote.objects.filter(company_id=matter.company_id, matter=matter)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def deadlines(*, matter: LegalMatter) -> QuerySet[MatterDeadline]:
    """Open deadlines first (by date), then the ones done."""
    return MatterDeadline.objects.filter(company_id=matter.company_id, matter=matter).order_by(
        "-done_on", "due_on", "pk"
    )


def costs(*, matter: LegalMatter) -> QuerySet[MatterCost]:
    return MatterCost.objects.filter(company_id=matter.company_id, matter=matter).order_by("paid_on", "pk")


def cost_total(*, matter: LegalMatter) -> Decimal:
    total = costs(matter=matter).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


@dataclass(frozen=True)
class MatterFile:
    document: Document
    versions: list[DocumentVersion]


def files(*, matter: LegalMatter) -> list[MatterFile]:
    """The matter's documents (in its folder), each with its versions newest first."""
    if matter.document_folder_id is None:
        return []
    documents = list(
        Document.objects.filter(
            company_id=matter.company_id, folder_id=matter.document_folder_id, trashed_at__isnull=True
        ).order_by("name", "pk")
    )
    by_document: dict[int, list[DocumentVersion]] = {d.pk: [] for d in documents}
    rows = (
        DocumentVersion.objects.filter(company_id=matter.company_id, document_id__in=list(by_document))
        .select_related("uploaded_by")
        .order_by("-number")
    )
    for version in rows:
        by_document[version.document_id].append(version)
    return [MatterFile(d, by_document[d.pk]) for d in documents]


def get_matter_version(
    *, company: Company, membership: Membership, matter_id: int, version_id: int
) -> tuple[LegalMatter, DocumentVersion]:
    """One file of a matter the member sees (served by this part's own file view)."""
    matter = get_matter(company=company, membership=membership, matter_id=matter_id)
    if matter.document_folder_id is None:
        raise NotFound()
    version = (
        DocumentVersion.objects.filter(
            company=company,
            pk=version_id,
            document__folder_id=matter.document_folder_id,
            document__trashed_at__isnull=True,
        )
        .select_related("document")
        .first()
    )
    if version is None:
        raise NotFound()
    return matter, version


def history(*, company: Company, matter: LegalMatter) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(company=company, object_type="legal.legalmatter", object_id=str(matter.pk))
        .select_related("actor")
        .order_by("-seq")
    )


# ------------------------------------------------------------------------------ home panel
def unanswered(*, company: Company, membership: Membership) -> QuerySet[LegalMatter]:
    """Consultations not answered yet (受付・対応中), oldest first."""
    return (
        _visible(company, membership)
        .filter(kind=MatterKind.CONSULTATION, status__in=(MatterStatus.OPEN, MatterStatus.IN_PROGRESS))
        .select_related("handler")
        .order_by("opened_on", "pk")
    )


def upcoming_deadlines(
    *, company: Company, membership: Membership, days: int, today: date | None = None
) -> QuerySet[MatterDeadline]:
    """Open deadlines of open matters up to ``days`` days ahead (overdue ones included), by date."""
    today = today or timezone.localdate()
    return (
        MatterDeadline.objects.for_company(company)
        .filter(done_on__isnull=True, due_on__lte=today + timedelta(days=max(0, days)))
        .filter(matter__in=_visible(company, membership).exclude(status__in=ENDED))
        .select_related("matter")
        .order_by("due_on", "pk")
    )


# ------------------------------------------------------------------------------ downloads
EXPORT_HEADER = [
    "管理番号",
    "区分",
    "分野",
    "件名",
    "状態",
    "部署",
    "担当者(法務)",
    "相手方",
    "裁判所・機関",
    "事件番号",
    "請求額",
    "外部弁護士・事務所",
    "受付日",
    "回答日時",
    "終結日",
    "費用合計",
]


def export_rows(matters: Iterable[LegalMatter]) -> Iterator[list[Any]]:
    """The list as rows (法務 only: the view checks). Costs are summed in one query."""
    rows = list(matters)
    totals: dict[int, Decimal] = {}
    ids = [m.pk for m in rows]
    for start in range(0, len(ids), 500):
        totals.update(
            MatterCost.objects.filter(matter_id__in=ids[start : start + 500])
            .values("matter_id")
            .annotate(total=Sum("amount"))
            .values_list("matter_id", "total")
        )
    yield list(EXPORT_HEADER)
    for m in rows:
        yield [
            m.number,
            m.get_kind_display(),
            m.get_category_display(),
            m.title,
            m.get_status_display(),
            m.department.name if m.department else "",
            m.handler.display_name() if m.handler else "",
            m.opponent,
            m.forum,
            m.case_number,
            "" if m.claim_amount is None else int(m.claim_amount),
            m.counsel,
            m.opened_on,
            timezone.localtime(m.answered_at).strftime("%Y-%m-%d %H:%M") if m.answered_at else "",
            m.closed_on or "",
            int(totals.get(m.pk) or 0),
        ]
