"""/api/v1/ledger/reports/: the statements, the books and the tax summary as JSON (amounts in
integer yen), from ``ledger.selectors`` for the token's company.

Reading takes a role of ``permissions.READ_ROLES`` (403 problem otherwise). The period defaults
to the current fiscal year to date. A filter naming what the company does not have (``account``,
``sub_account_id``, ``department_id``) is a 422 on that field; a cursor (``after``) that was
changed or made for another query is a 400 problem (code ``bad_cursor``). No route takes an id
in its path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import ValidationError

from ennoshita.core.api import Problem
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

from . import selectors, services
from .permissions import READ_ROLES
from .report_schemas import (
    GeneralLedgerOut,
    JournalOut,
    MonthlyTrendOut,
    StatementOut,
    TaxSummaryOut,
    TrialBalanceOut,
)
from .selectors._sums import month_end

router = Router(tags=["ledger reports"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 422: Problem}


def _company(request: HttpRequest) -> Company:
    require_role(request.membership, *READ_ROLES)  # type: ignore[attr-defined]
    company: Company = request.company  # type: ignore[attr-defined]
    services.ensure_books(company=company)
    return company


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


def _check_dates(**days: date | None) -> None:
    for field, day in days.items():
        if day is not None and not selectors.is_report_date(day):
            raise _invalid(field, _("日付は1900年から2999年の間で入力してください。"))


def _period(company: Company, start: date | None, end: date | None) -> tuple[date, date]:
    _check_dates(start=start, end=end)
    default = selectors.current_period(company=company, today=timezone.localdate())
    start = start or default.start
    end = end or (default.end if start <= default.end else month_end(start))
    if end < start:
        raise _invalid("end", _("終了日は開始日以降の日付にしてください。"))
    return start, end


def _department(company: Company, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    try:
        return people_selectors.get_department(company=company, department_id=department_id)
    except NotFound:
        raise _invalid("department_id", _("部門が見つかりません。")) from None


@router.get("/trial-balance", response={200: TrialBalanceOut, **ERRORS}, summary="残高試算表")
def trial_balance(
    request: HttpRequest, start: date | None = None, end: date | None = None, department_id: int | None = None
) -> TrialBalanceOut:
    company = _company(request)
    s, e = _period(company, start, end)
    tb = selectors.trial_balance(
        company=company, start=s, end=e, department=_department(company, department_id)
    )
    return TrialBalanceOut.of(tb)


@router.get("/balance-sheet", response={200: StatementOut, **ERRORS}, summary="貸借対照表")
def balance_sheet(
    request: HttpRequest, as_of: date | None = None, department_id: int | None = None, compare: bool = False
) -> StatementOut:
    company = _company(request)
    _check_dates(as_of=as_of)
    st = selectors.balance_sheet(
        company=company,
        as_of=as_of or timezone.localdate(),
        department=_department(company, department_id),
        compare=compare,
    )
    return StatementOut.of(st)


@router.get("/profit-and-loss", response={200: StatementOut, **ERRORS}, summary="損益計算書")
def profit_and_loss(
    request: HttpRequest,
    start: date | None = None,
    end: date | None = None,
    department_id: int | None = None,
    compare: bool = False,
) -> StatementOut:
    company = _company(request)
    s, e = _period(company, start, end)
    dept = _department(company, department_id)
    return StatementOut.of(
        selectors.profit_and_loss(company=company, start=s, end=e, department=dept, compare=compare)
    )


@router.get("/monthly-trend", response={200: MonthlyTrendOut, **ERRORS}, summary="月次推移表")
def monthly_trend(
    request: HttpRequest, year: int | None = None, department_id: int | None = None
) -> MonthlyTrendOut:
    company = _company(request)
    year = year or selectors.current_period(company=company, today=timezone.localdate()).start.year
    if not 1900 <= year <= 9998:
        raise _invalid("year", _("年度が正しくありません。"))
    dept = _department(company, department_id)
    return MonthlyTrendOut.of(selectors.monthly_trend(company=company, year=year, department=dept))


@router.get("/general-ledger", response={200: GeneralLedgerOut, **ERRORS}, summary="総勘定元帳・補助元帳")
def general_ledger(
    request: HttpRequest,
    account: str,
    start: date | None = None,
    end: date | None = None,
    sub_account_id: int | None = None,
    department_id: int | None = None,
    after: str | None = None,
    limit: int = 100,
) -> GeneralLedgerOut:
    company = _company(request)
    try:
        acct = selectors.get_account_by_code(company=company, code=account)
    except NotFound:
        raise _invalid("account", _("勘定科目が見つかりません。")) from None
    sub = None
    if sub_account_id is not None:
        try:
            sub = selectors.get_sub_account(company=company, account=acct, sub_account_id=sub_account_id)
        except NotFound:
            raise _invalid("sub_account_id", _("補助科目が見つかりません。")) from None
    if not 1 <= limit <= 1000:
        raise _invalid("limit", _("%(a)s〜%(b)sの範囲で指定してください。") % {"a": 1, "b": 1000})
    s, e = _period(company, start, end)
    gl = selectors.general_ledger(
        company=company,
        account=acct,
        start=s,
        end=e,
        sub_account=sub,
        department=_department(company, department_id),
        after=after or None,
        limit=limit,
    )
    return GeneralLedgerOut.of(gl)


@router.get("/journal", response={200: JournalOut, **ERRORS}, summary="仕訳帳")
def journal(
    request: HttpRequest,
    start: date | None = None,
    end: date | None = None,
    after: str | None = None,
    limit: int = 100,
) -> JournalOut:
    company = _company(request)
    if not 1 <= limit <= 1000:
        raise _invalid("limit", _("%(a)s〜%(b)sの範囲で指定してください。") % {"a": 1, "b": 1000})
    s, e = _period(company, start, end)
    return JournalOut.of(selectors.journal(company=company, start=s, end=e, after=after or None, limit=limit))


@router.get("/tax-summary", response={200: TaxSummaryOut, **ERRORS}, summary="消費税集計表")
def tax_summary(request: HttpRequest, start: date | None = None, end: date | None = None) -> TaxSummaryOut:
    company = _company(request)
    s, e = _period(company, start, end)
    return TaxSummaryOut.of(selectors.tax_summary(company=company, start=s, end=e))
