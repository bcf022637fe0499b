"""/api/v1/payroll/ — payslips: one's own payslips, one payslip (the screen's rule: its employee
once published, 人事・経理 any; 404 otherwise), and for 人事・経理 the 賃金台帳 and the 源泉徴収簿's
figures of an employee and year (403 for anyone else)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ennoshita.core.api import Problem, caller_of

from .schemas_payslips import (
    LedgerQuery,
    MyPayslipsOut,
    PayslipOut,
    PayslipSummaryOut,
    WageLedgerOut,
    WithholdingBookOut,
)
from .selectors import ledgers
from .selectors import payslips as selectors

router = Router(tags=["payroll"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class MineQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="支給日の年(省略: 最新の年)")


@router.get("/payslips/mine", response={200: MyPayslipsOut, **READ_ERRORS}, summary="自分の給与明細")
def my_payslips(request: HttpRequest, query: Query[MineQuery]) -> MyPayslipsOut:
    """公開された(確定した)自分の給与明細・賞与明細を、1年分、新しい順に。"""
    mine = selectors.my_payslips(**caller_of(request).reader(), year=query.year)
    return MyPayslipsOut(
        years=mine.years, year=mine.year, items=[PayslipSummaryOut.of(p) for p in mine.payslips]
    )


@router.get("/payslips/{int:payslip_id}", response={200: PayslipOut, **READ_ERRORS}, summary="給与明細")
def payslip_detail(request: HttpRequest, payslip_id: int) -> PayslipOut:
    """本人は確定・公開後の自分の明細だけ、人事・経理は会社のすべての明細(下書きを含む)。それ以外は404。"""
    payslip = selectors.get_payslip(**caller_of(request).reader(), payslip_id=payslip_id)
    return PayslipOut.of(selectors.payslip_sheet(payslip))


@router.get("/wage-ledger", response={200: WageLedgerOut, **READ_ERRORS}, summary="賃金台帳")
def wage_ledger(request: HttpRequest, query: Query[LedgerQuery]) -> WageLedgerOut:
    """労働基準法108条・同施行規則54条1項の賃金台帳: 確定した給与・賞与を列に、項目を行に、年計つき。"""
    ledger = ledgers.wage_ledger(**caller_of(request).reader(), employee_id=query.employee, year=query.year)
    return WageLedgerOut.of(ledger)


@router.get("/withholding-book", response={200: WithholdingBookOut, **READ_ERRORS}, summary="源泉徴収簿")
def withholding_book(request: HttpRequest, query: Query[LedgerQuery]) -> WithholdingBookOut:
    """月ごとの総支給額・社会保険料等・社会保険料等控除後の金額・扶養親族等の数・税額(給与と賞与を別に、年計つき)。"""
    book = ledgers.withholding_book(
        **caller_of(request).reader(), employee_id=query.employee, year=query.year
    )
    return WithholdingBookOut.of(book)
