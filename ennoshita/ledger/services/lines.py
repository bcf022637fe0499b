"""The lines of an entry as people enter them, checked and expanded into base and tax lines
(税抜経理), written, summed into the monthly balances, and described for the audit trail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.core.money import Rounding
from ennoshita.core.rows import insert_rows, new_instance, statement_cursor
from ennoshita.ledger import chart, rules
from ennoshita.ledger.models import (
    Account,
    JournalEntry,
    JournalLine,
    SubAccount,
    TaxCode,
)
from ennoshita.people.models import Department

from .periods import PostingContext


@dataclass(frozen=True)
class LineInput:
    """One line as a person (or another app) enters it. ``amount`` sits on ``side``; with a taxable
    税区分 it is 税込 or 税抜 by ``tax_included`` (None: the company's setting), and the tax line
    is generated from it."""

    account: Account
    side: str  # "debit" | "credit"
    amount: Decimal | int | str
    tax_code: TaxCode | None = None
    tax_included: bool | None = None
    department: Department | None = None
    sub_account: SubAccount | None = None
    memo: str = ""
    # The tax of this line as its source document computed it, instead of computing it here: an
    # invoice rounds its tax once per rate on the whole invoice (適格請求書, 施行令70条の10), so
    # the sales app posts one line per rate with that tax. It must lie between the exact tax
    # rounded down and rounded up (any rounding rule, never a different amount).
    tax_amount: Decimal | int | None = None


# Lines and monthly totals are stored in 15 digits; one line stays below 1兆円 so sums keep room.
MAX_LINE_AMOUNT = Decimal(999_999_999_999)


@dataclass
class _Built:
    lines: list[JournalLine]
    total: Decimal
    tax_for: dict[int, int]  # index of a generated tax line → index of its base line


def _yen(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return amount


def _build_lines(
    company: Company,
    day: date,
    inputs: Sequence[LineInput],
    errors: dict[str, list[str]],
    *,
    context: PostingContext,
    balanced: bool = True,
) -> _Built:
    """Check every line and expand taxed lines into base + tax line (税抜経理)."""
    rounding = Rounding(context.tax_rounding)
    built: list[JournalLine] = []
    tax_for: dict[int, int] = {}
    debit_total = credit_total = Decimal(0)
    if not inputs:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    for n, line in enumerate(inputs):
        key = f"lines.{n}"
        problems: list[str] = []
        if line.account.company_id != company.pk or (
            line.sub_account is not None and line.sub_account.company_id != company.pk
        ):
            raise NotFound()
        if line.department is not None and line.department.company_id != company.pk:
            raise NotFound()
        if line.tax_code is not None and line.tax_code.company_id != company.pk:
            raise NotFound()
        if not line.account.is_active:
            problems.append(_("勘定科目「%(name)s」は使用停止です。") % {"name": line.account.name})
        if line.sub_account is not None and line.sub_account.account_id != line.account.pk:
            problems.append(_("補助科目が勘定科目に属していません。"))
        if line.side not in ("debit", "credit"):
            problems.append(_("借方か貸方かを指定してください。"))
        amount = _yen(line.amount)
        if amount is None:
            problems.append(_("金額は円単位の整数で入力してください。"))
        elif amount <= 0:
            problems.append(_("金額は1円以上で入力してください。"))
        elif amount > MAX_LINE_AMOUNT:
            problems.append(_("金額が大きすぎます(1行あたり1兆円未満)。"))
        if problems:
            errors[key] = problems
            continue
        assert amount is not None
        base = new_instance(
            JournalLine,
            company=company,
            date=day,
            account=line.account,
            sub_account=line.sub_account,
            department=line.department,
            tax_code=line.tax_code,
            memo=line.memo.strip()[:200],
        )
        tax_line: JournalLine | None = None
        code = line.tax_code
        if code is not None and code.is_taxable:
            included = context.tax_included_entry if line.tax_included is None else line.tax_included
            split = rules.split_amount(
                amount=amount, rate_percent=code.rate, tax_included=included, rounding=rounding
            )
            if line.tax_amount is not None:
                given = _given_tax(line.tax_amount, amount, code.rate, included)
                if given is None:
                    errors[key] = [_("消費税額が金額と税率に合いません(端数処理の差は1円未満まで)。")]
                    continue
                net = amount - given if included else amount
                split = rules.TaxSplit(net=net, tax=given, gross=net + given)
            base.tax_base, base.tax_amount = split.net, split.tax
            tax_part = split.tax
            if code.kind == "taxable_purchase":
                # 経過措置: only the creditable part goes to 仮払消費税等; the rest is cost (附則52・53条)
                tax_part = rules.deductible_input_tax(
                    tax=split.tax, purchase_date=day, qualified=code.qualified, rounding=rounding
                )
                if not code.qualified:
                    note = rules.transitional_note(purchase_date=day)
                    base.memo = (
                        f"{base.memo} {note}".strip()[:200] if note and note not in base.memo else base.memo
                    )
            amount = split.gross - tax_part
            if tax_part:
                purchase = code.kind == "taxable_purchase"
                tax_account_id = context.input_tax_account_id if purchase else context.output_tax_account_id
                assert tax_account_id is not None  # system accounts: never renumbered or removed
                tax_account_code = chart.INPUT_TAX_ACCOUNT_CODE if purchase else chart.OUTPUT_TAX_ACCOUNT_CODE
                tax_line = new_instance(
                    JournalLine,
                    company=company,
                    date=day,
                    account_id=tax_account_id,
                    department=line.department,
                    memo=base.memo,
                )
                tax_line._account_code = tax_account_code  # type: ignore[attr-defined]  # for the audit
                setattr(tax_line, line.side, tax_part)
        elif code is not None:
            base.tax_base, base.tax_amount = amount, Decimal(0)
        setattr(base, line.side, amount)
        built.append(base)
        if tax_line is not None:
            tax_for[len(built)] = len(built) - 1
            built.append(tax_line)
    for row in built:
        debit_total += row.debit
        credit_total += row.credit
    if balanced and not errors and debit_total != credit_total:
        errors["lines"] = [
            _("借方合計(%(debit)s円)と貸方合計(%(credit)s円)が一致しません。")
            % {"debit": f"{debit_total:,}", "credit": f"{credit_total:,}"}
        ]
    return _Built(built, debit_total, tax_for)


def _given_tax(value: Any, amount: Decimal, rate: Decimal, included: bool) -> Decimal | None:
    """The given tax when it is the exact tax rounded by some rule (floor ≤ tax ≤ ceiling)."""
    tax = _yen(value)
    if tax is None or tax < 0:
        return None
    exact = amount * rate / (100 + rate if included else 100)
    low = exact.to_integral_value(rounding="ROUND_FLOOR")
    high = exact.to_integral_value(rounding="ROUND_CEILING")
    return tax if low <= tax <= high else None


def _write_lines(entry: JournalEntry, built: _Built, *, cursor: Any = None) -> None:
    for n, line in enumerate(built.lines, start=1):
        line.entry, line.line_no, line.date = entry, n, entry.date
    insert_rows([ln for i, ln in enumerate(built.lines) if i not in built.tax_for], cursor=cursor)
    tax_lines = []
    for i, base in built.tax_for.items():
        built.lines[i].tax_for = built.lines[base]
        tax_lines.append(built.lines[i])
    insert_rows(tax_lines, cursor=cursor)  # after their base lines: a tax line points at its base line


def _delete_draft_lines(entry: JournalEntry) -> None:
    # tax lines first: they point at their base lines (PROTECT)
    JournalLine.objects.filter(entry=entry, tax_for__isnull=False).delete()
    JournalLine.objects.filter(entry=entry).delete()


def _lines_for_audit(lines: Iterable[JournalLine]) -> list[dict[str, Any]]:
    return [
        {
            "line": ln.line_no,
            "account": getattr(ln, "_account_code", None) or ln.account.code,
            "debit": ln.debit,
            "credit": ln.credit,
            "department": ln.department_id,
            "sub_account": ln.sub_account_id,
            "tax_code": ln.tax_code.key if ln.tax_code else None,
            "memo": ln.memo,
        }
        for ln in lines
    ]


# One statement that inserts each key's month row or adds to it (SQLite ≥ 3.24, PostgreSQL ≥ 9.5);
# the keys are distinct (summed first), and sorted so that concurrent posters lock rows in the
# same order.
_BALANCE_UPSERT = (
    "INSERT INTO ledger_balance (company_id, account_id, sub_key, dept_key, month, debit, credit) "
    "VALUES {rows} "
    "ON CONFLICT (company_id, account_id, sub_key, dept_key, month) DO UPDATE SET "
    "debit = ledger_balance.debit + excluded.debit, credit = ledger_balance.credit + excluded.credit"
)
_UPSERT_CHUNK = 500  # rows per statement: 3,500 parameters, inside every supported limit


def _add_to_balances(company: Company, lines: Iterable[JournalLine], *, cursor: Any = None) -> None:
    """Add the posted lines to the monthly balances, in this transaction (one upsert per key)."""
    sums: dict[tuple[int, int, int, date], list[int]] = defaultdict(lambda: [0, 0])
    for ln in lines:
        key = (ln.account_id, ln.sub_account_id or 0, ln.department_id or 0, ln.date.replace(day=1))
        sums[key][0] += int(ln.debit)
        sums[key][1] += int(ln.credit)
    rows = [(company.pk, a, s, d, m, dr, cr) for (a, s, d, m), (dr, cr) in sorted(sums.items())]
    if cursor is None:
        with statement_cursor() as own:
            return _upsert_balances(own, rows)
    return _upsert_balances(cursor, rows)


def _upsert_balances(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    for start in range(0, len(rows), _UPSERT_CHUNK):
        chunk = rows[start : start + _UPSERT_CHUNK]
        sql = _BALANCE_UPSERT.format(rows=", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk)))
        cursor.execute(sql, [value for row in chunk for value in row])
