"""The drill-down of a dashboard figure: the posted journal lines behind an indirect account (or all
of them) in one month (and one department), each linked to the record it came from.

A line's link is its entry's source (``source_type``/``source_id``): the screen named by
``settings.ENNOSHITA_APPROVAL_TYPES[source_type]["url_name"]`` (a claim, a vendor bill), else by
``settings.ENNOSHITA_ENTRY_SOURCES``; without one, the ledger's entry screen (for readers of the
books). The linked screen checks the reader's own access.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.ledger.permissions import can_read as can_read_books
from ennoshita.ledger.selectors.monthly import LineRow, month_line_summary, month_lines
from ennoshita.people.models import Department

from .scope import NO_DEPARTMENT, Scope, indirect_accounts, scope_of, settings_of

SCREEN_LIMIT = 500


@dataclass(frozen=True)
class DrillLine:
    line: LineRow
    source_url: str  # "" when the reader gets no link
    source_label: str


@dataclass(frozen=True)
class Drilldown:
    month: date
    account_code: str | None  # None: every indirect account
    account_name: str
    department_id: int | None
    department_name: str
    scope: Scope
    lines: Iterable[DrillLine]  # a list on screen; a stream for downloads (limit=None)
    count: int
    debit: Decimal
    credit: Decimal

    @property
    def total(self) -> Decimal:
        return self.debit - self.credit

    @property
    def truncated(self) -> bool:
        return isinstance(self.lines, list) and len(self.lines) < self.count


def _source_url_name(source_type: str) -> str:
    types = getattr(settings, "ENNOSHITA_APPROVAL_TYPES", {}) or {}
    name = (types.get(source_type) or {}).get("url_name", "")
    if not name:
        name = (getattr(settings, "ENNOSHITA_ENTRY_SOURCES", {}) or {}).get(source_type, "")
    return str(name)


def source_link(line: LineRow, *, books: bool, cache: dict[str, str] | None = None) -> tuple[str, str]:
    """(url, label) of the record a line came from; the entry itself for readers of the books."""
    cache = cache if cache is not None else {}
    if line.source_type and line.source_id.isdigit():
        url_name = cache.get(line.source_type)
        if url_name is None:
            url_name = cache[line.source_type] = _source_url_name(line.source_type)
        if url_name:
            try:
                return reverse(url_name, args=[int(line.source_id)]), line.source_repr or line.source_type
            except NoReverseMatch:
                pass
    if books:
        label = f"No.{line.entry_number}" if line.entry_number else str(line.entry_id)
        return reverse("ledger:entry_detail", args=[line.entry_id]), label
    return "", line.source_repr


def drilldown(
    *,
    company: Company,
    membership: Membership,
    month: date,
    account_code: str | None = None,
    department_id: int | None = None,
    limit: int | None = SCREEN_LIMIT,
) -> Drilldown:
    """The lines behind the dashboard's figure of ``account_code`` (None: every indirect account)
    in ``month`` for ``department_id`` (None: the reader's whole scope; 0: no department).
    An account that is not an indirect one, or a department outside the scope, is NotFound."""
    month = month.replace(day=1)
    scope = scope_of(company=company, membership=membership, as_of=timezone.localdate())
    keys = scope.keys(company, department_id)
    accounts = indirect_accounts(company=company, codes=list(settings_of(company=company).account_codes))
    if account_code:
        accounts = [a for a in accounts if a.code == account_code]
        if not accounts:
            raise NotFound()
    ids = [a.pk for a in accounts]
    summary = month_line_summary(company=company, account_ids=ids, month=month, department_ids=keys)
    books = can_read_books(membership)
    cache: dict[str, str] = {}

    def linked(rows: Iterable[LineRow]) -> Iterator[DrillLine]:
        for row in rows:
            url, label = source_link(row, books=books, cache=cache)
            yield DrillLine(row, url, label)

    rows = month_lines(company=company, account_ids=ids, month=month, department_ids=keys, limit=limit)
    lines: Iterable[DrillLine] = list(linked(rows)) if limit is not None else linked(rows)
    return Drilldown(
        month=month,
        account_code=account_code or None,
        account_name=accounts[0].name if account_code else "",
        department_id=department_id,
        department_name=_department_name(company, department_id),
        scope=scope,
        lines=lines,
        count=summary.count,
        debit=summary.debit,
        credit=summary.credit,
    )


def _department_name(company: Company, department_id: int | None) -> str:
    if department_id is None:
        return ""
    if department_id == NO_DEPARTMENT:
        return _("部門なし(共通)")
    found = Department.objects.for_company(company).filter(pk=department_id).only("name").first()
    if found is None:
        raise NotFound()
    return found.name
