"""Reads of the entry, account and period screens (the reports' reads live in ``selectors``).

Every read is scoped by the company; a lookup by id of another company's row raises NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import search_key
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

from . import chart
from .models import (
    Account,
    FiscalYear,
    JournalEntry,
    JournalLine,
    LedgerSettings,
    PeriodLock,
    SubAccount,
    TaxCode,
)

SEARCH_LIMIT = 20


# ------------------------------------------------------------------------------ masters


def ledger_settings(*, company: Company) -> LedgerSettings:
    row = LedgerSettings.objects.for_company(company).first()
    if row is None:
        raise NotFound()
    return row


def tax_codes(*, company: Company, active_only: bool = True) -> QuerySet[TaxCode]:
    qs = TaxCode.objects.for_company(company).order_by("order", "key")
    return qs.filter(is_active=True) if active_only else qs


def departments(*, company: Company) -> QuerySet[Department]:
    return people_selectors.departments(company=company).order_by("code")


def active_sub_accounts(*, company: Company) -> QuerySet[SubAccount]:
    return (
        SubAccount.objects.for_company(company)
        .filter(is_active=True)
        .select_related("account")
        .order_by("account__code", "code")
    )


def accounts(*, company: Company, active_only: bool = False) -> QuerySet[Account]:
    qs = Account.objects.for_company(company).select_related("default_tax_code").order_by("code")
    return qs.filter(is_active=True) if active_only else qs


def get_account(*, company: Company, account_id: int) -> Account:
    account = accounts(company=company).filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


def account_by_code(*, company: Company, code: str) -> Account | None:
    return Account.objects.for_company(company).select_related("default_tax_code").filter(code=code).first()


def resolve_account(*, company: Company, text: str) -> Account | None:
    """What a person typed in an account cell: "1121", "1121 普通預金", "普通預金" or a unique
    fragment (kana, hiragana, half-width kana). None when nothing or more than one account fits."""
    text = (text or "").strip()
    if not text:
        return None
    qs = Account.objects.for_company(company).select_related("default_tax_code")
    first = text.split()[0]
    found = qs.filter(code=first).first() or qs.filter(name=text).first()
    if found is not None:
        return found
    key = search_key(text)
    matches = list(qs.filter(is_active=True, search_key__contains=key)[:2]) if key else []
    return matches[0] if len(matches) == 1 else None


def account_search(*, company: Company, q: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Suggestions for the account cell: active accounts whose code, name or reading contains the
    query (folded by ``core.text.search_key``); code and reading prefixes first."""
    key = search_key(q)
    qs = Account.objects.for_company(company).filter(is_active=True).select_related("default_tax_code")
    if key:
        qs = qs.filter(search_key__contains=key).annotate(
            rank=Case(
                When(code__startswith=key, then=Value(0)),
                When(Q(kana__startswith=key) | Q(name__startswith=key), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        qs = qs.order_by("rank", "code")
    else:
        qs = qs.order_by("code")
    return [
        {
            "id": a.pk,
            "code": a.code,
            "name": a.name,
            "kana": a.kana,
            "label": f"{a.code} {a.name}",
            "section": a.get_section_display(),
            "tax_code": a.default_tax_code.key if a.default_tax_code else "",
        }
        for a in qs[:limit]
    ]


@dataclass(frozen=True)
class SectionGroup:
    key: str
    label: str
    accounts: list[Account]


def accounts_by_section(
    *, company: Company, q: str = "", include_inactive: bool = True
) -> list[SectionGroup]:
    """The chart for the account list: sections in statement order, each with its accounts and
    their sub-accounts (two queries whatever the size of the chart)."""
    qs = accounts(company=company).prefetch_related(
        Prefetch("sub_accounts", queryset=SubAccount.objects.order_by("code"))
    )
    key = search_key(q)
    if key:
        qs = qs.filter(search_key__contains=key)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    by_section: dict[str, list[Account]] = {}
    for account in qs:
        by_section.setdefault(account.section, []).append(account)
    return [SectionGroup(s.key, _(s.label), by_section[s.key]) for s in chart.SECTIONS if s.key in by_section]


def account_history(*, company: Company, account: Account) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="ledger.account", object_id=str(account.pk)
    )


# ------------------------------------------------------------------------------ entries


@dataclass(frozen=True)
class EntryFilters:
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    account: Account | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    status: str = ""


def entry_list(*, company: Company, filters: EntryFilters) -> QuerySet[JournalEntry]:
    """Drafts and posted entries, newest first. The number search matches the voucher number
    exactly; the memo search is a contains match."""
    qs = JournalEntry.objects.for_company(company).select_related("fiscal_year", "created_by", "posted_by")
    q = filters.q.strip()
    if q:
        cond = Q(memo__icontains=q) | Q(source_repr__icontains=q)
        digits = q.lstrip("No.").lstrip("#").strip()
        if digits.isdigit():
            cond |= Q(number=int(digits))
        qs = qs.filter(cond)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.account is not None:
        lines = JournalLine.objects.filter(company=company, account=filters.account)
        qs = qs.filter(pk__in=lines.values("entry_id"))
    if filters.amount_min is not None:
        qs = qs.filter(total__gte=filters.amount_min)
    if filters.amount_max is not None:
        qs = qs.filter(total__lte=filters.amount_max)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-date", "-id")


def entry_export_rows(*, company: Company, filters: EntryFilters) -> QuerySet[JournalLine]:
    """The lines of the listed entries, for the CSV export (one row per line)."""
    entries = entry_list(company=company, filters=filters)
    return (
        JournalLine.objects.filter(company=company, entry__in=entries.values("pk"))
        .select_related("entry", "entry__fiscal_year", "account", "sub_account", "department", "tax_code")
        .order_by("entry__date", "entry_id", "line_no")
    )


def get_entry(*, company: Company, entry_id: int) -> JournalEntry:
    entry = (
        JournalEntry.objects.for_company(company)
        .select_related("fiscal_year", "created_by", "posted_by", "reversal_of", "reversal_of__fiscal_year")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


def entry_lines(*, entry: JournalEntry) -> list[JournalLine]:
    return list(
        JournalLine.objects.filter(company_id=entry.company_id, entry=entry)
        .select_related("account", "sub_account", "department", "tax_code")
        .order_by("line_no")
    )


def reversed_by(*, entry: JournalEntry) -> JournalEntry | None:
    return (
        JournalEntry.objects.filter(company_id=entry.company_id, reversal_of=entry)
        .select_related("fiscal_year")
        .first()
    )


def _lines_summary(lines: Any) -> Any:
    if not isinstance(lines, list):
        return lines
    parts = []
    for ln in lines:
        if not isinstance(ln, dict):
            return lines
        debit, credit = ln.get("debit") or "0", ln.get("credit") or "0"
        side, amount = ("借", debit) if str(debit) not in ("0", "") else ("貸", credit)
        parts.append(f"{ln.get('account')} {side} {amount}")
    return " / ".join(parts)


def entry_history(*, company: Company, entry: JournalEntry) -> list[AuditEvent]:
    """The entry's audit events for core/components/history.html. The services record the lines
    with each event as details ("lines", and "lines_before" when a draft was changed); here they
    become one readable before/after text under 「明細」 (in memory only)."""
    events = list(
        core_selectors.audit_events_for_object(
            company=company, object_type="ledger.journalentry", object_id=str(entry.pk)
        )
    )
    label = str(_("明細"))
    for event in events:
        changes = dict(event.changes or {})
        fields = dict(changes.get("fields") or {})
        if "lines" in fields:
            before, after = fields.pop("lines")
            fields[label] = [_lines_summary(before), _lines_summary(after)]
        extra = dict(changes.get("extra") or {})
        if "lines" in extra:
            before_lines = extra.pop("lines_before", None)
            fields[label] = [
                _lines_summary(before_lines) if before_lines else None,
                _lines_summary(extra.pop("lines")),
            ]
        changes["fields"], changes["extra"] = fields, extra
        event.changes = changes
    return events


def drafts(*, company: Company, limit: int = 10) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.for_company(company)
        .filter(status=JournalEntry.Status.DRAFT)
        .select_related("fiscal_year", "created_by")
        .order_by("-date", "-id")[:limit]
    )


def draft_count(*, company: Company) -> int:
    return JournalEntry.objects.for_company(company).filter(status=JournalEntry.Status.DRAFT).count()


# ------------------------------------------------------------------------------ periods


@dataclass(frozen=True)
class MonthRow:
    month: date
    locked: bool
    reason: str
    changed_by: str
    changed_at: Any


@dataclass(frozen=True)
class YearRow:
    year: FiscalYear
    months: list[MonthRow]
    drafts: int

    @property
    def locked_count(self) -> int:
        return sum(1 for m in self.months if m.locked)


def _months(year: FiscalYear) -> list[date]:
    months, day = [], year.start.replace(day=1)
    while day <= year.end:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def fiscal_years(*, company: Company) -> list[YearRow]:
    """Every fiscal year, newest first, with its months' locks (three queries)."""
    years = list(FiscalYear.objects.for_company(company).order_by("-start"))
    locks = {p.month: p for p in PeriodLock.objects.for_company(company).select_related("changed_by")}
    draft_years: dict[int, int] = {}
    for fy_id in (
        JournalEntry.objects.for_company(company)
        .filter(status=JournalEntry.Status.DRAFT)
        .values_list("fiscal_year_id", flat=True)
    ):
        draft_years[fy_id] = draft_years.get(fy_id, 0) + 1
    rows = []
    for year in years:
        months = []
        for month in _months(year):
            lock = locks.get(month)
            months.append(
                MonthRow(
                    month=month,
                    locked=bool(lock and lock.locked),
                    reason=lock.reason if lock else "",
                    changed_by=lock.changed_by.display_name if lock and lock.changed_by else "",
                    changed_at=lock.changed_at if lock else None,
                )
            )
        rows.append(YearRow(year=year, months=months, drafts=draft_years.get(year.pk, 0)))
    return rows


def get_fiscal_year(*, company: Company, year_id: int) -> FiscalYear:
    year = FiscalYear.objects.for_company(company).filter(pk=year_id).first()
    if year is None:
        raise NotFound()
    return year


def fiscal_year_of_day(*, company: Company, day: date) -> FiscalYear | None:
    return FiscalYear.objects.for_company(company).filter(start__lte=day, end__gte=day).first()


def period_history(*, company: Company, limit: int = 20) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(company=company, object_type__in=("ledger.periodlock", "ledger.fiscalyear"))
        .select_related("actor")
        .order_by("-seq")[:limit]
    )


def settings_history(*, company: Company, row: LedgerSettings) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="ledger.ledgersettings", object_id=str(row.pk)
    )


ATTACHMENT_TYPE = "ledger.journalentry"  # how documents names a journal entry (its 証憑)


def entry_attachment_target(
    *, company: Company, membership: Membership, object_id: str, for_edit: bool
) -> str:
    """documents' hook for journal-entry attachments (settings.ENNOSHITA_ATTACHMENT_TARGETS).

    Receipts and invoices (証憑) are attached to drafts and posted entries alike: the link is not a
    change of the entry. The reading roles see them; the writing roles attach and detach. Another
    company's id, an id that is not a number and a member without a reading role are all NotFound.
    """
    from ennoshita.core.errors import PermissionDeniedError

    from .permissions import can_read, can_write

    if not object_id.isascii() or not object_id.isdigit() or len(object_id) > 18 or not can_read(membership):
        raise NotFound()
    entry = JournalEntry.objects.for_company(company).filter(pk=int(object_id)).first()
    if entry is None:
        raise NotFound()
    if for_edit and not can_write(membership):
        raise PermissionDeniedError()
    return str(entry)


def source_url(*, entry: JournalEntry) -> str | None:
    """Where the entry came from, as a link: the screen of its source document (an invoice, a
    payment …) named in ``ENNOSHITA_ENTRY_SOURCES`` by the app that posted it. The ledger does not
    import those apps; that screen checks the viewer's own access."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    url_name = getattr(settings, "ENNOSHITA_ENTRY_SOURCES", {}).get(entry.source_type)
    if not url_name or not entry.source_id.isdigit():
        return None
    try:
        return reverse(url_name, args=[int(entry.source_id)])
    except NoReverseMatch:
        return None
