"""Reads of the general ledger: the statements, the books and the tax summary, plus the small
look-ups the report screens need. Every function is keyword-only, takes the company first and
returns plain dataclasses with Decimal whole yen (see each module for the decided semantics)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.ledger.models import Account, FiscalYear, SubAccount

from ._layout import Statement, StatementLine
from ._sums import Period, fiscal_period
from .books import GeneralLedger, Journal, JournalEntryRow, JournalLineRow, LedgerRow, general_ledger, journal
from .statements import (
    MonthlyTrend,
    TrendRow,
    TrialBalance,
    TrialBalanceRow,
    balance_sheet,
    monthly_trend,
    profit_and_loss,
    trial_balance,
)
from .tax import TaxGroup, TaxRow, TaxSummary, tax_summary

__all__ = [
    "GeneralLedger",
    "Journal",
    "JournalEntryRow",
    "JournalLineRow",
    "LedgerRow",
    "MonthlyTrend",
    "Period",
    "Statement",
    "StatementLine",
    "TaxGroup",
    "TaxRow",
    "TaxSummary",
    "TrendRow",
    "TrialBalance",
    "TrialBalanceRow",
    "accounts",
    "balance_sheet",
    "current_period",
    "fiscal_years",
    "general_ledger",
    "get_account_by_code",
    "get_sub_account",
    "journal",
    "monthly_trend",
    "profit_and_loss",
    "tax_summary",
    "trial_balance",
]


def fiscal_years(*, company: Company) -> QuerySet[FiscalYear]:
    return FiscalYear.objects.for_company(company).order_by("-start")


def current_period(*, company: Company, today: date) -> Period:
    """The default period of the reports: the fiscal year of ``today``, from its start to today."""
    fy = fiscal_period(company, today)
    return Period(fy.start, min(today, fy.end))


def accounts(*, company: Company) -> QuerySet[Account]:
    return Account.objects.for_company(company).order_by("code")


def get_account_by_code(*, company: Company, code: str) -> Account:
    account = Account.objects.for_company(company).filter(code=code).first()
    if account is None:
        raise NotFound()
    return account


def get_sub_account(*, company: Company, account: Account, sub_account_id: int) -> SubAccount:
    sub = SubAccount.objects.for_company(company).filter(account=account, pk=sub_account_id).first()
    if sub is None:
        raise NotFound()
    return sub


# Dates a report accepts: a fiscal year around them must be representable (year 1 has no year
# before it for the comparison), and nothing a company books lies outside.
REPORT_DATE_MIN = date(1900, 1, 1)
REPORT_DATE_MAX = date(2999, 12, 31)


def is_report_date(day: date) -> bool:
    return REPORT_DATE_MIN <= day <= REPORT_DATE_MAX
