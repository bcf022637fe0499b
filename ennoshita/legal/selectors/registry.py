"""Reads of 登記・機関: the 定款 settings, the officers (current, past, one with its terms), the changes
of the registered items (pending 登記 with days left; each item with its history), the meetings and
the 基準日 limits. 法務・管理者・経理 read; anyone else is refused (403); another company's id is
NotFound (404). Lists are one query for their rows, whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.documents import selectors as document_selectors
from ennoshita.documents.models import DocumentVersion
from ennoshita.legal.models import (
    CharterSettings,
    CorporateMeeting,
    MeetingKind,
    Officer,
    OfficerPosition,
    RegistryChange,
    RegistryItem,
)
from ennoshita.legal.permissions_registry import manages_registry, require_reader
from ennoshita.legal.rules import registry as rules

SOON_DAYS = 90  # a term ending within this many days is shown red
POSITION_ORDER = Case(
    *[When(position=p, then=Value(i)) for i, p in enumerate(OfficerPosition.values)],
    output_field=IntegerField(),
)


def can_manage(membership: Membership | None) -> bool:
    return manages_registry(membership)


def charter(*, company: Company, membership: Membership) -> CharterSettings | None:
    require_reader(membership)
    return CharterSettings.objects.for_company(company).first()


def officers(*, company: Company, membership: Membership, state: str = "current") -> QuerySet[Officer]:
    """``state``: current (in office), past (left), all. Position order, then the term's end."""
    require_reader(membership)
    qs = Officer.objects.for_company(company).select_related("user")
    if state == "current":
        qs = qs.filter(left_on__isnull=True)
    elif state == "past":
        qs = qs.filter(left_on__isnull=False)
    ordered: QuerySet[Officer] = qs.annotate(position_order=POSITION_ORDER).order_by(  # type: ignore[assignment]
        "position_order", "term_ends_on", "name", "pk"
    )
    return ordered


def get_officer(*, company: Company, membership: Membership, officer_id: int) -> Officer:
    require_reader(membership)
    found = (
        Officer.objects.for_company(company).select_related("user", "previous").filter(pk=officer_id).first()
    )
    if found is None:
        raise NotFound()
    return found


def terms_of(*, company: Company, officer: Officer) -> list[Officer]:
    """Every term of the person's chain of 重任, newest first (this one included)."""
    chain = [officer]
    newer = Officer.objects.for_company(company).filter(previous=chain[0]).first()
    while newer is not None:
        chain.insert(0, newer)
        newer = Officer.objects.for_company(company).filter(previous=newer).first()
    older = officer.previous
    while older is not None:
        chain.append(older)
        older = (
            Officer.objects.for_company(company).filter(pk=older.previous_id).first()
            if older.previous_id
            else None
        )
    return chain


def officer_changes(*, company: Company, officer: Officer) -> QuerySet[RegistryChange]:
    return (
        RegistryChange.objects.for_company(company).filter(officer=officer).order_by("-effective_on", "-pk")
    )


def history(*, company: Company, object_type: str, object_id: int) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(company=company, object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("-seq")
    )


def changes(
    *, company: Company, membership: Membership, item: str = "", state: str = ""
) -> QuerySet[RegistryChange]:
    """The changes, newest effect first. ``state``: pending (not filed), filed (not registered),
    registered; ``item`` one of RegistryItem."""
    require_reader(membership)
    qs = RegistryChange.objects.for_company(company).select_related("officer")
    if item:
        qs = qs.filter(item=item)
    if state == "pending":
        qs = qs.filter(filed_on__isnull=True)
    elif state == "filed":
        qs = qs.filter(filed_on__isnull=False, registered_on__isnull=True)
    elif state == "registered":
        qs = qs.filter(registered_on__isnull=False)
    return qs.order_by("-effective_on", "-pk")


def pending_changes(*, company: Company, membership: Membership) -> QuerySet[RegistryChange]:
    """Changes not yet registered (未申請 and 申請済み), the nearest deadline first."""
    require_reader(membership)
    return (
        RegistryChange.objects.for_company(company)
        .filter(Q(filed_on__isnull=True) | Q(registered_on__isnull=True))
        .select_related("officer")
        .order_by("deadline_on", "pk")
    )


def get_change(*, company: Company, membership: Membership, change_id: int) -> RegistryChange:
    require_reader(membership)
    found = RegistryChange.objects.for_company(company).select_related("officer").filter(pk=change_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class ItemHistory:
    item: str
    label: str
    changes: list[RegistryChange]

    @property
    def latest(self) -> RegistryChange | None:
        return self.changes[0] if self.changes else None


def items_with_history(*, company: Company, membership: Membership) -> list[ItemHistory]:
    """Each registered item with its changes, newest first (one query)."""
    found: dict[str, list[RegistryChange]] = {k: [] for k in RegistryItem.values}
    for c in changes(company=company, membership=membership):
        found[c.item].append(c)
    return [ItemHistory(k, str(RegistryItem(k).label), v) for k, v in found.items()]


def meetings(
    *,
    company: Company,
    membership: Membership,
    kind: str = "",
    upcoming: bool = False,
    as_of: date | None = None,
) -> QuerySet[CorporateMeeting]:
    require_reader(membership)
    qs = CorporateMeeting.objects.for_company(company).select_related("minutes")
    if kind:
        qs = qs.filter(kind=kind)
    if upcoming:
        return qs.filter(held_on__gte=as_of or timezone.localdate()).order_by("held_on", "pk")
    return qs.order_by("-held_on", "-pk")


def get_meeting(*, company: Company, membership: Membership, meeting_id: int) -> CorporateMeeting:
    require_reader(membership)
    found = (
        CorporateMeeting.objects.for_company(company).select_related("minutes").filter(pk=meeting_id).first()
    )
    if found is None:
        raise NotFound()
    return found


def minutes_versions(meeting: CorporateMeeting) -> list[DocumentVersion]:
    if meeting.minutes is None:
        return []
    return list(document_selectors.versions_of(document=meeting.minutes))


def minutes_file(*, company: Company, membership: Membership, meeting_id: int) -> DocumentVersion:
    """The current minutes of a meeting, to those who read the registry (served by this app)."""
    meeting = get_meeting(company=company, membership=membership, meeting_id=meeting_id)
    if meeting.minutes is None or meeting.minutes.current_version_id is None:
        raise NotFound()
    version = DocumentVersion.objects.filter(pk=meeting.minutes.current_version_id).first()
    if version is None:
        raise NotFound()
    return version


def record_limit(meeting: CorporateMeeting) -> date | None:
    return rules.record_date_limit(record_date=meeting.record_date) if meeting.record_date else None


def next_agm(
    *, company: Company, charter: CharterSettings | None, today: date | None = None
) -> dict[str, date] | None:
    """The next expected 定時株主総会 and its year-end 基準日's limit (when the 基準日 is the year end)."""
    if charter is None:
        return None
    today = today or timezone.localdate()
    agm = rules.next_agm_on(
        today=today,
        fiscal_year_start_month=company.fiscal_year_start_month,
        agm_months_after_year_end=charter.agm_months_after_year_end,
    )
    year_end = rules.last_year_end_on_or_before(agm, fiscal_year_start_month=company.fiscal_year_start_month)
    return {
        "agm_on": agm,
        "year_end": year_end,
        "record_limit": rules.record_date_limit(record_date=year_end),
    }


@dataclass(frozen=True)
class AgmStatus:
    """The 定時株主総会 of the latest business year: the 基準日 (the year end, as most 定款 fix it),
    the last day the meeting may be held on it (会社法124条2項: 3 months), and the meeting recorded
    for it (held or planned), if any."""

    year_end: date
    limit: date
    meeting: CorporateMeeting | None
    days_left: int  # to ``limit``; negative once passed


def agm_status(*, company: Company, today: date | None = None) -> AgmStatus:
    today = today or timezone.localdate()
    year_end = rules.last_year_end_on_or_before(
        today, fiscal_year_start_month=company.fiscal_year_start_month
    )
    limit = rules.record_date_limit(record_date=year_end)
    meeting = (
        CorporateMeeting.objects.for_company(company)
        .filter(
            kind__in=[MeetingKind.AGM, MeetingKind.WRITTEN_SHAREHOLDERS],
            held_on__gt=year_end,
            held_on__lte=limit,
        )
        .order_by("held_on", "pk")
        .first()
    )
    return AgmStatus(year_end=year_end, limit=limit, meeting=meeting, days_left=(limit - today).days)


def last_registered_on(*, company: Company) -> date | None:
    """The day of the company's last 登記 recorded here (the latest 登記完了日)."""
    return (
        RegistryChange.objects.for_company(company)
        .filter(registered_on__isnull=False)
        .order_by("-registered_on")
        .values_list("registered_on", flat=True)
        .first()
    )


def dormant_risk(*, company: Company, today: date | None = None) -> tuple[date, rules.DormantRisk] | None:
    """休眠会社のみなし解散 (会社法472条1項): 12 years after the last 登記. None until a 登記 is recorded."""
    last = last_registered_on(company=company)
    if last is None:
        return None
    return last, rules.dormant_company_risk(last_registered_on=last, today=today or timezone.localdate())
