"""Shapes of the report API (/api/v1/ledger/reports/): every amount is an integer of yen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema

from . import selectors as s


def yen(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


class TrialBalanceRowOut(Schema):
    code: str
    name: str
    section: str
    normal_side: str
    opening: int
    debit: int
    credit: int
    closing: int


class TrialBalanceOut(Schema):
    start: date
    end: date
    department_id: int | None
    rows: list[TrialBalanceRowOut]
    opening_debit: int
    opening_credit: int
    debit: int
    credit: int
    closing_debit: int
    closing_credit: int

    @classmethod
    def of(cls, tb: s.TrialBalance) -> TrialBalanceOut:
        rows = [
            TrialBalanceRowOut(
                code=r.code,
                name=r.name,
                section=r.section,
                normal_side=r.normal_side,
                opening=int(r.opening),
                debit=int(r.debit),
                credit=int(r.credit),
                closing=int(r.closing),
            )
            for r in tb.rows
        ]
        return cls(
            start=tb.start,
            end=tb.end,
            department_id=tb.department_id,
            rows=rows,
            opening_debit=int(tb.opening_debit),
            opening_credit=int(tb.opening_credit),
            debit=int(tb.debit),
            credit=int(tb.credit),
            closing_debit=int(tb.closing_debit),
            closing_credit=int(tb.closing_credit),
        )


class StatementLineOut(Schema):
    key: str
    kind: str
    label: str
    level: int
    code: str
    amount: int | None
    previous: int | None = None
    difference: int | None = None


class StatementOut(Schema):
    title: str
    start: date | None
    end: date
    previous_start: date | None
    previous_end: date | None
    lines: list[StatementLineOut]
    figures: dict[str, int]

    @classmethod
    def of(cls, st: s.Statement) -> StatementOut:
        return cls(
            title=st.title,
            start=st.start,  # type: ignore[arg-type]
            end=st.end,  # type: ignore[arg-type]
            previous_start=st.previous_start,  # type: ignore[arg-type]
            previous_end=st.previous_end,  # type: ignore[arg-type]
            lines=[
                StatementLineOut(
                    key=ln.key,
                    kind=ln.kind,
                    label=ln.label,
                    level=ln.level,
                    code=ln.code,
                    amount=yen(ln.amount),
                    previous=yen(ln.previous),
                    difference=yen(ln.difference),
                )
                for ln in st.lines
            ],
            figures={k: int(v) for k, v in st.figures.items()},
        )


class TrendRowOut(Schema):
    key: str
    kind: str
    label: str
    level: int
    code: str
    values: list[int | None]
    total: int | None


class MonthlyTrendOut(Schema):
    year: int
    start: date
    end: date
    months: list[date]
    pl_rows: list[TrendRowOut]
    bs_rows: list[TrendRowOut]

    @classmethod
    def of(cls, tr: s.MonthlyTrend) -> MonthlyTrendOut:
        def rows(items: list[s.TrendRow]) -> list[TrendRowOut]:
            return [
                TrendRowOut(
                    key=r.key,
                    kind=r.kind,
                    label=r.label,
                    level=r.level,
                    code=r.code,
                    values=[yen(v) for v in r.values],
                    total=yen(r.total),
                )
                for r in items
            ]

        return cls(
            year=tr.year,
            start=tr.start,
            end=tr.end,
            months=tr.months,
            pl_rows=rows(tr.pl_rows),
            bs_rows=rows(tr.bs_rows),
        )


class LedgerRowOut(Schema):
    date: date
    entry_id: int
    line_no: int
    voucher_number: int | None
    counter_account: str
    memo: str
    tax_code: str
    sub_account: str
    department: str
    debit: int
    credit: int
    balance: int


class GeneralLedgerOut(Schema):
    account_code: str
    account_name: str
    sub_account_id: int | None
    department_id: int | None
    start: date
    end: date
    opening: int
    debit: int
    credit: int
    closing: int
    rows: list[LedgerRowOut]
    next_cursor: str | None

    @classmethod
    def of(cls, gl: s.GeneralLedger) -> GeneralLedgerOut:
        return cls(
            account_code=gl.code,
            account_name=gl.name,
            sub_account_id=gl.sub_account_id,
            department_id=gl.department_id,
            start=gl.start,
            end=gl.end,
            opening=int(gl.opening),
            debit=int(gl.debit),
            credit=int(gl.credit),
            closing=int(gl.closing),
            rows=[
                LedgerRowOut(
                    date=r.date,
                    entry_id=r.entry_id,
                    line_no=r.line_no,
                    voucher_number=r.voucher_number,
                    counter_account=r.counter_account,
                    memo=r.memo,
                    tax_code=r.tax_code,
                    sub_account=r.sub_account,
                    department=r.department,
                    debit=int(r.debit),
                    credit=int(r.credit),
                    balance=int(r.balance),
                )
                for r in gl.rows
            ],
            next_cursor=gl.next_cursor,
        )


class JournalLineOut(Schema):
    line_no: int
    account_code: str
    account_name: str
    sub_account: str
    department: str
    debit: int
    credit: int
    tax_code: str
    memo: str


class JournalEntryOut(Schema):
    id: int
    date: date
    number: int
    kind: str
    memo: str
    total: int
    lines: list[JournalLineOut]


class JournalOut(Schema):
    start: date
    end: date
    entries: list[JournalEntryOut]
    next_cursor: str | None

    @classmethod
    def of(cls, j: s.Journal) -> JournalOut:
        entries = [
            JournalEntryOut(
                id=e.entry_id,
                date=e.date,
                number=e.number,
                kind=e.kind,
                memo=e.memo,
                total=int(e.total),
                lines=[
                    JournalLineOut(
                        line_no=ln.line_no,
                        account_code=ln.account_code,
                        account_name=ln.account_name,
                        sub_account=ln.sub_account,
                        department=ln.department,
                        debit=int(ln.debit),
                        credit=int(ln.credit),
                        tax_code=ln.tax_code,
                        memo=ln.memo,
                    )
                    for ln in e.lines
                ],
            )
            for e in j.entries
        ]
        return cls(start=j.start, end=j.end, entries=entries, next_cursor=j.next_cursor)


class TaxRowOut(Schema):
    key: str
    label: str
    kind: str
    rate: str  # percent, e.g. "10", "8"
    qualified: bool
    net: int
    tax: int
    gross: int


class TaxGroupOut(Schema):
    key: str
    label: str
    rows: list[TaxRowOut]
    net: int
    tax: int
    gross: int


class TaxReturnOut(Schema):
    taxable_base: int
    national_tax: int
    deductible_input_tax_national: int
    net_national_tax: int
    national_refund: int
    local_tax: int
    local_refund: int
    total_due: int
    total_refund: int


class TaxSummaryOut(Schema):
    start: date
    end: date
    groups: list[TaxGroupOut]
    national_input_tax: int
    tax_return: TaxReturnOut | None

    @classmethod
    def of(cls, ts: s.TaxSummary) -> TaxSummaryOut:
        f = ts.figures
        figures = None
        if f is not None:
            figures = TaxReturnOut(
                taxable_base=int(f.taxable_base),
                national_tax=int(f.national_tax),
                deductible_input_tax_national=int(f.deductible_input_tax_national),
                net_national_tax=int(f.net_national_tax),
                national_refund=int(f.national_refund),
                local_tax=int(f.local_tax),
                local_refund=int(f.local_refund),
                total_due=int(f.total_due),
                total_refund=int(f.total_refund),
            )
        groups = [
            TaxGroupOut(
                key=g.key,
                label=g.label,
                rows=[
                    TaxRowOut(
                        key=r.key,
                        label=r.label,
                        kind=r.kind,
                        rate=f"{r.rate.normalize():f}",
                        qualified=r.qualified,
                        net=int(r.net),
                        tax=int(r.tax),
                        gross=int(r.gross),
                    )
                    for r in g.rows
                ],
                net=int(g.net),
                tax=int(g.tax),
                gross=int(g.gross),
            )
            for g in ts.groups
        ]
        return cls(
            start=ts.start,
            end=ts.end,
            groups=groups,
            national_input_tax=int(ts.national_input_tax),
            tax_return=figures,
        )
