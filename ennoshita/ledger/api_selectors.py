"""Reads of the ledger API (/api/v1/ledger/): every lookup goes through the company's rows, so an id
or a code of another company is the same as none (NotFound, or a missing key in a lookup table).

The list reads cost a fixed number of queries whatever the number of rows (related rows are
joined or prefetched here, never fetched per row by the API).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.core.text import nfkc, search_key
from ennoshita.people.models import Department

from .models import Account, FiscalYear, JournalEntry, JournalLine, PeriodLock, SubAccount, TaxCode

# ------------------------------------------------------------------------------ accounts


def accounts(
    *, company: Company, q: str = "", section: str | None = None, active: bool | None = None
) -> QuerySet[Account]:
    """The chart in code order. Every word of ``q`` must appear in the code, name or フリガナ,
    compared by ``core.text.search_key`` (全角/半角, ひらがな/カタカナ, case are not told apart)."""
    qs = Account.objects.for_company(company).select_related("default_tax_code")
    if section:
        qs = qs.filter(section=section)
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in nfkc(q).split():
        qs = qs.filter(search_key__contains=search_key(word))
    return qs.order_by("code", "pk")


def get_account(*, company: Company, account_id: int) -> Account:
    account = (
        Account.objects.for_company(company).select_related("default_tax_code").filter(pk=account_id).first()
    )
    if account is None:
        raise NotFound()
    return account


def sub_accounts(*, company: Company, account: Account) -> QuerySet[SubAccount]:
    return SubAccount.objects.for_company(company).filter(account=account).order_by("code", "pk")


# ------------------------------------------------------------------------------ tax codes, periods


def tax_codes(*, company: Company) -> QuerySet[TaxCode]:
    return TaxCode.objects.for_company(company).order_by("order", "key")


def get_tax_code(*, company: Company, key: str) -> TaxCode | None:
    return TaxCode.objects.for_company(company).filter(key=key).first()


def fiscal_years(*, company: Company) -> QuerySet[FiscalYear]:
    return FiscalYear.objects.for_company(company).order_by("start")


def get_fiscal_year(*, company: Company, year_id: int) -> FiscalYear:
    year = FiscalYear.objects.for_company(company).filter(pk=year_id).first()
    if year is None:
        raise NotFound()
    return year


def period_locks(*, company: Company) -> QuerySet[PeriodLock]:
    """Every month that was ever locked (a row stays when it is unlocked, with the reason)."""
    return PeriodLock.objects.for_company(company).select_related("changed_by").order_by("month")


def get_period_lock(*, company: Company, month: date) -> PeriodLock:
    row = (
        PeriodLock.objects.for_company(company)
        .select_related("changed_by")
        .filter(month=month.replace(day=1))
        .first()
    )
    if row is None:
        raise NotFound()
    return row


# ------------------------------------------------------------------------------ entries


def _with_reversal_id(qs: QuerySet[JournalEntry]) -> QuerySet[JournalEntry]:
    reversal = JournalEntry.objects.filter(reversal_of=OuterRef("pk")).values("pk")[:1]
    return qs.select_related("fiscal_year").annotate(reversed_by_pk=Subquery(reversal))


@dataclass(frozen=True)
class EntryQuery:
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    account_code: str = ""
    q: str = ""
    source_type: str = ""
    source_id: str = ""
    newest_first: bool = False


def entries(*, company: Company, query: EntryQuery) -> QuerySet[JournalEntry]:
    """Entries matching every condition of ``query``, by date (then the order they were made)."""
    qs = JournalEntry.objects.for_company(company)
    if query.status:
        qs = qs.filter(status=query.status)
    if query.date_from:
        qs = qs.filter(date__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(date__lte=query.date_to)
    if query.account_code:
        lines = JournalLine.objects.filter(
            company=company, entry=OuterRef("pk"), account__code=query.account_code
        )
        qs = qs.filter(Exists(lines))
    for word in nfkc(query.q).split():
        qs = qs.filter(memo__icontains=word)
    if query.source_type:
        qs = qs.filter(source_type=query.source_type)
    if query.source_id:
        qs = qs.filter(source_id=query.source_id)
    order = ("-date", "-pk") if query.newest_first else ("date", "pk")
    return _with_reversal_id(qs).order_by(*order)


def entry_page(
    *, company: Company, query: EntryQuery, limit: int, offset: int
) -> tuple[int, list[JournalEntry]]:
    """(total, rows) in two queries whatever the page size."""
    qs = entries(company=company, query=query)
    return qs.count(), list(qs[offset : offset + limit])


def account_exists(*, company: Company, code: str) -> bool:
    return Account.objects.for_company(company).filter(code=code).exists()


def get_entry(*, company: Company, entry_id: int) -> JournalEntry:
    """One entry of the company (no lines), or NotFound."""
    entry = JournalEntry.objects.for_company(company).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    return entry


def entry_with_lines(*, company: Company, entry_id: int) -> JournalEntry:
    """One entry with its lines in ``api_lines`` (accounts, sub-accounts and tax codes joined)."""
    lines = (
        JournalLine.objects.filter(company=company)
        .select_related("account", "sub_account", "tax_code")
        .order_by("line_no")
    )
    entry = (
        _with_reversal_id(JournalEntry.objects.for_company(company))
        .prefetch_related(Prefetch("lines", queryset=lines, to_attr="api_lines"))
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


# ------------------------------------------------------------------------------ what a line names


@dataclass(frozen=True)
class LineReferences:
    """The rows that the codes and ids of posted lines name, keyed by what was sent; a code or id
    that is not the company's is simply absent."""

    accounts: dict[str, Account]
    tax_codes: dict[str, TaxCode]
    departments: dict[int, Department]
    sub_accounts: dict[tuple[str, str], SubAccount]  # (account code, sub-account code)


def line_references(
    *,
    company: Company,
    account_codes: Iterable[str],
    tax_keys: Iterable[str],
    department_ids: Iterable[int],
    sub_account_codes: Iterable[tuple[str, str]],
) -> LineReferences:
    """At most four queries for any number of lines."""
    codes, keys, dept_ids, subs = (
        set(account_codes),
        set(tax_keys),
        set(department_ids),
        set(sub_account_codes),
    )
    account_rows = (
        Account.objects.for_company(company).select_related("default_tax_code").filter(code__in=codes)
        if codes
        else []
    )
    tax_rows = TaxCode.objects.for_company(company).filter(key__in=keys) if keys else []
    dept_rows = Department.objects.for_company(company).filter(pk__in=dept_ids) if dept_ids else []
    sub_rows: Iterable[SubAccount] = []
    if subs:
        wanted = Q()
        for account_code, code in subs:
            wanted |= Q(account__code=account_code, code=code)
        sub_rows = SubAccount.objects.for_company(company).select_related("account").filter(wanted)
    return LineReferences(
        accounts={a.code: a for a in account_rows},
        tax_codes={t.key: t for t in tax_rows},
        departments={d.pk: d for d in dept_rows},
        sub_accounts={(s.account.code, s.code): s for s in sub_rows},
    )
