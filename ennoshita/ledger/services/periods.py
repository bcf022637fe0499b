"""会計年度 and 月次締め: the period checks every posting makes, month locks, year-end close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.rows import statement_cursor
from ennoshita.ledger import chart
from ennoshita.ledger.models import (
    FiscalYear,
    JournalEntry,
    PeriodLock,
)
from ennoshita.ledger.permissions import WRITE_ROLES

from .books import ensure_books


def _fiscal_year_for(company: Company, day: date) -> FiscalYear | None:
    return FiscalYear.objects.for_company(company).filter(start__lte=day, end__gte=day).first()


@dataclass(frozen=True)
class PostingContext:
    """What a posting needs to know of its company and date, read in one query: the ledger
    settings, the fiscal year containing the date and whether its month is locked, and the two
    tax accounts."""

    tax_rounding: str
    tax_included_entry: bool
    year_id: int | None
    year_number: int | None  # the year the fiscal year starts in (2026年度)
    year_open: bool
    month_locked: bool
    input_tax_account_id: int | None
    output_tax_account_id: int | None


_CONTEXT_SQL = """
SELECT s.tax_rounding, s.tax_included_entry, fy.id, fy.start, fy.status,
       EXISTS (SELECT 1 FROM ledger_periodlock pl
                WHERE pl.company_id = s.company_id AND pl.month = %s AND pl.locked),
       (SELECT a.id FROM ledger_account a WHERE a.company_id = s.company_id AND a.code = %s),
       (SELECT a.id FROM ledger_account a WHERE a.company_id = s.company_id AND a.code = %s)
  FROM ledger_ledgersettings s
  LEFT JOIN ledger_fiscalyear fy ON fy.company_id = s.company_id AND fy.start <= %s AND fy."end" >= %s
 WHERE s.company_id = %s
"""


def posting_context(company: Company, day: date, *, cursor: Any = None) -> PostingContext:
    """One round trip instead of four ORM queries on the posting path (it runs for every entry)."""
    if cursor is None:
        with statement_cursor() as own:
            return posting_context(company, day, cursor=own)
    params: list[str | int] = [
        day.replace(day=1).isoformat(),
        chart.INPUT_TAX_ACCOUNT_CODE,
        chart.OUTPUT_TAX_ACCOUNT_CODE,
        day.isoformat(),
        day.isoformat(),
        company.pk,
    ]
    cursor.execute(_CONTEXT_SQL, params)
    row = cursor.fetchone()
    if row is None:  # a company from before the ledger: give it its books, then ask again
        ensure_books(company=company)
        cursor.execute(_CONTEXT_SQL, params)
        row = cursor.fetchone()
    rounding, included, year_id, start, status, locked, input_id, output_id = row
    if isinstance(start, str):  # SQLite answers dates of raw queries as text
        start = date.fromisoformat(start)
    return PostingContext(
        tax_rounding=rounding,
        tax_included_entry=bool(included),
        year_id=year_id,
        year_number=start.year if start else None,
        year_open=status == FiscalYear.Status.OPEN,
        month_locked=bool(locked),
        input_tax_account_id=input_id,
        output_tax_account_id=output_id,
    )


def check_period(context: PostingContext, day: date, errors: dict[str, list[str]]) -> None:
    """The date lies in an open fiscal year and its month is not locked (the database checks the
    same when the entry is posted: ledger/triggers.py)."""
    if context.year_id is None:
        errors["date"] = [_("%(date)s を含む会計年度がありません。") % {"date": day}]
    elif not context.year_open:
        errors["date"] = [_("%(year)s年度は締め済みです。") % {"year": context.year_number}]
    elif context.month_locked:
        errors["date"] = [
            _("%(month)s は月次締め済みです。") % {"month": date_format(day, "YEAR_MONTH_FORMAT")}
        ]


def _check_period(company: Company, day: date, errors: dict[str, list[str]]) -> FiscalYear | None:
    context = posting_context(company, day)
    check_period(context, day, errors)
    if context.year_id is None:
        return None
    return FiscalYear.objects.get(pk=context.year_id)


def _locked_year(company: Company, year: FiscalYear) -> FiscalYear:
    found = FiscalYear.objects.for_company(company).select_for_update().filter(pk=year.pk).first()
    if found is None:
        raise NotFound()
    return found


# ------------------------------------------------------------------------------ periods


def _month(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def lock_month(
    *, company: Company, actor: User, membership: Membership, month: date, reason: str = ""
) -> PeriodLock:
    """月次締め: no posting into the month after this."""
    require_role(membership, *WRITE_ROLES)
    row, _created = PeriodLock.objects.select_for_update().get_or_create(
        company=company, month=_month(month), defaults={"locked": False}
    )
    if row.locked:
        raise ServiceError(
            _("%(month)s はすでに締め済みです。") % {"month": date_format(row.month, "YEAR_MONTH_FORMAT")}
        )
    row.locked, row.reason, row.changed_by = True, reason.strip()[:300], actor
    row.save()
    record_event(company=company, actor=actor, action="lock", instance=row, extra={"reason": row.reason})
    return row


@transaction.atomic
def unlock_month(
    *, company: Company, actor: User, membership: Membership, month: date, reason: str
) -> PeriodLock:
    """Reopen a month; the reason is required and kept in the audit trail."""
    require_role(membership, *WRITE_ROLES)
    if not reason.strip():
        raise ServiceError(
            _("締めを解除する理由を入力してください。"), field_errors={"reason": [_("理由は必須です。")]}
        )
    row = (
        PeriodLock.objects.for_company(company)
        .select_for_update()
        .filter(month=_month(month), locked=True)
        .first()
    )
    if row is None:
        raise ServiceError(_("この月は締められていません。"))
    year = _fiscal_year_for(company, row.month)
    if year is not None and year.status == FiscalYear.Status.CLOSED:
        raise ServiceError(_("年度が締め済みです。先に年度の締めを解除してください。"))
    row.locked, row.reason, row.changed_by = False, reason.strip()[:300], actor
    row.save()
    record_event(company=company, actor=actor, action="unlock", instance=row, extra={"reason": row.reason})
    return row


def _months_of(year: FiscalYear) -> list[date]:
    months, day = [], year.start
    while day <= year.end:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


@transaction.atomic
def close_fiscal_year(
    *, company: Company, actor: User, membership: Membership, year: FiscalYear
) -> FiscalYear:
    """決算締め: lock every month of the year and close it. Balances carry forward by
    construction (B/S accounts accumulate; the year's profit reaches 繰越利益剰余金 in the
    statements of the following years, selectors.retained_earnings), so nothing is posted."""
    require_role(membership, *WRITE_ROLES)
    year = _locked_year(company, year)
    if year.status == FiscalYear.Status.CLOSED:
        raise ServiceError(_("%(year)sはすでに締め済みです。") % {"year": year})
    earlier = FiscalYear.objects.for_company(company).filter(
        start__lt=year.start, status=FiscalYear.Status.OPEN
    )
    if earlier.exists():
        raise ServiceError(_("前の年度を先に締めてください。"))
    drafts = (
        JournalEntry.objects.for_company(company)
        .filter(fiscal_year=year, status=JournalEntry.Status.DRAFT)
        .count()
    )
    if drafts:
        raise ServiceError(
            _("この年度に下書きの仕訳が%(count)s件あります。記帳するか削除してから締めてください。")
            % {"count": drafts}
        )
    for month in _months_of(year):
        PeriodLock.objects.update_or_create(
            company=company,
            month=month,
            defaults={"locked": True, "changed_by": actor, "reason": _("決算締め")},
        )
    year.status = FiscalYear.Status.CLOSED
    year.save(update_fields=["status"])
    if not FiscalYear.objects.for_company(company).filter(start__gt=year.start).exists():
        start = date.fromordinal(year.end.toordinal() + 1)
        fy = fiscal_year_of(start, start_month=start.month)
        FiscalYear.objects.create(company=company, start=fy.start, end=fy.end)
    record_event(company=company, actor=actor, action="close", instance=year)
    return year


@transaction.atomic
def reopen_fiscal_year(
    *, company: Company, actor: User, membership: Membership, year: FiscalYear, reason: str
) -> FiscalYear:
    """Reopen a closed year (its months stay locked until unlocked one by one, with a reason)."""
    require_role(membership, *WRITE_ROLES)
    if not reason.strip():
        raise ServiceError(
            _("締めを解除する理由を入力してください。"), field_errors={"reason": [_("理由は必須です。")]}
        )
    year = _locked_year(company, year)
    if year.status != FiscalYear.Status.CLOSED:
        raise ServiceError(_("%(year)sは締められていません。") % {"year": year})
    later = FiscalYear.objects.for_company(company).filter(
        start__gt=year.start, status=FiscalYear.Status.CLOSED
    )
    if later.exists():
        raise ServiceError(_("後の年度が締め済みです。後の年度から順に解除してください。"))
    year.status = FiscalYear.Status.OPEN
    year.save(update_fields=["status"])
    record_event(
        company=company, actor=actor, action="reopen", instance=year, extra={"reason": reason.strip()}
    )
    return year
