"""総勘定元帳 / 補助元帳 and 仕訳帳: posted lines page by page (keyset pagination).

The cursor (``after``) is a string signed with django.core.signing: it carries the key of the last
row shown, the running balance after it and the opening and totals of the range, and it is bound
to the company, account, filters and dates it was made for. So the next page costs one indexed
range read of ``limit`` lines (index company, account, date, entry, line_no), never a sum over the
lines before it; a cursor that was changed or made for another query is refused (ServiceError,
code ``bad_cursor``, 400).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company
from ennoshita.ledger.chart import INPUT_TAX_ACCOUNT_CODE, OUTPUT_TAX_ACCOUNT_CODE, SECTIONS_BY_KEY
from ennoshita.ledger.models import Account, JournalEntry, JournalLine, SubAccount
from ennoshita.ledger.rules import signed_balance

from ._sums import ZERO, DeptArg, dept_key, fiscal_period, movement, posted_lines

MAX_LIMIT = 1000
_GL_SALT = "ennoshita.ledger.general_ledger"
_JOURNAL_SALT = "ennoshita.ledger.journal"
_TAX_ACCOUNTS = {INPUT_TAX_ACCOUNT_CODE, OUTPUT_TAX_ACCOUNT_CODE}


def _bad_cursor() -> ServiceError:
    message = _("ページの指定(カーソル)が正しくありません。最初のページから開き直してください。")
    return ServiceError(message, code="bad_cursor", field_errors={"after": [message]})


def _load(cursor: str, salt: str, binding: list[Any]) -> dict[str, Any]:
    try:
        data = signing.loads(cursor, salt=salt)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(data, dict) or data.get("k") != binding:
        raise _bad_cursor()
    return data


def _clamp(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _after_line(d: date, entry_id: int, line_no: int) -> Q:
    """Lines after (date, entry, line) in ledger order."""
    return (
        Q(date__gt=d) | Q(date=d, entry_id__gt=entry_id) | Q(date=d, entry_id=entry_id, line_no__gt=line_no)
    )


def _after_entry(d: date, number: int) -> Q:
    """Entries after (date, voucher number) in journal order."""
    return Q(date__gt=d) | Q(date=d, number__gt=number)


# ------------------------------------------------------------------------------ 総勘定元帳


@dataclass(frozen=True)
class LedgerRow:
    line_id: int
    date: date
    entry_id: int
    line_no: int
    voucher_number: int | None
    counter_account: str  # 相手科目: one account's name, or 「諸口」
    counter_code: str
    memo: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running, on the account's normal side
    tax_code: str
    tax_label: str
    sub_account: str
    department: str


@dataclass(frozen=True)
class GeneralLedger:
    account_id: int
    code: str
    name: str
    normal_side: str
    sub_account_id: int | None
    sub_account_name: str
    department_id: int | None
    start: date
    end: date
    opening: Decimal  # at ``start``, before the first line of the range
    debit: Decimal  # totals of the whole range
    credit: Decimal
    closing: Decimal
    rows: list[LedgerRow]
    next_cursor: str | None


def _counterparts(entry_ids: set[int]) -> dict[int, list[tuple[str, str, bool]]]:
    """(code, name, is_debit) of every line of these entries."""
    out: dict[int, list[tuple[str, str, bool]]] = {}
    rows = JournalLine.objects.filter(entry_id__in=entry_ids).values_list(
        "entry_id", "account__code", "account__name", "debit"
    )
    for entry_id, code, name, debit in rows.order_by():
        out.setdefault(entry_id, []).append((code, name, debit > 0))
    return out


def _counter_account(lines: list[tuple[str, str, bool]], own_debit: bool, own_code: str) -> tuple[str, str]:
    """The other side's account; 「諸口」 when there are several. Generated consumption-tax lines
    (仮払/仮受消費税等) are not counted when another account stands on that side."""
    other = {(c, n) for c, n, is_debit in lines if is_debit != own_debit}
    if len(other) > 1:
        without_tax = {(c, n) for c, n in other if c not in _TAX_ACCOUNTS}
        other = without_tax or other
    if len(other) == 1:
        code, name = next(iter(other))
        return name, code
    if not other:
        return "", ""
    return _("諸口"), ""


def general_ledger(
    *,
    company: Company,
    account: Account,
    start: date,
    end: date,
    sub_account: SubAccount | None = None,
    department: DeptArg = None,
    after: str | None = None,
    limit: int = 100,
) -> GeneralLedger:
    """総勘定元帳 (補助元帳 with ``sub_account``) of one account for [start, end]: the opening balance
    (B/S accounts from the beginning of the book, P/L accounts from the fiscal year start), then
    the posted lines in (date, entry, line) order with the running balance on the account's normal
    side, ``limit`` rows a page; pass the page's ``next_cursor`` as ``after`` for the next one."""
    if account.company_id != company.pk or (sub_account is not None and sub_account.company_id != company.pk):
        raise ServiceError(_("勘定科目が見つかりません。"), code="not_found")
    limit = _clamp(limit)
    side = account.normal_side
    sub_id = sub_account.pk if sub_account is not None else None
    dkey = dept_key(department)
    binding = [company.pk, account.pk, sub_id, dkey, start.isoformat(), end.isoformat()]
    qs = posted_lines(company, [(start, end)]).filter(account_id=account.pk)
    if sub_id is not None:
        qs = qs.filter(sub_account_id=sub_id)
    if dkey is not None:
        qs = qs.filter(department_id=dkey)
    if after:
        state = _load(after, _GL_SALT, binding)
        last = date.fromisoformat(state["d"])
        qs = qs.filter(date__gte=last).filter(_after_line(last, state["e"], state["n"]))
        opening, debit, credit = Decimal(state["o"]), Decimal(state["dt"]), Decimal(state["ct"])
        balance = Decimal(state["b"])
    else:
        is_pl = SECTIONS_BY_KEY[account.section].statement == "PL"
        first = fiscal_period(company, start).start if is_pl else None
        filters: dict[str, Any] = {"account_ids": [account.pk], "sub_account_id": sub_id, "department": dkey}
        before = movement(company, start=first, end=start - timedelta(days=1), **filters)
        d0, c0 = before.get(account.pk, (ZERO, ZERO))
        opening = signed_balance(debit=d0, credit=c0, normal_side=side)  # type: ignore[arg-type]
        debit, credit = movement(company, start=start, end=end, **filters).get(account.pk, (ZERO, ZERO))
        balance = opening
    page = list(
        qs.order_by("date", "entry_id", "line_no").values(
            "id",
            "date",
            "entry_id",
            "line_no",
            "debit",
            "credit",
            "memo",
            "entry__number",
            "entry__memo",
            "tax_code__key",
            "tax_code__label",
            "sub_account__name",
            "department__name",
        )[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    others = _counterparts({r["entry_id"] for r in page})
    rows: list[LedgerRow] = []
    for r in page:
        d, c = Decimal(r["debit"]), Decimal(r["credit"])
        balance += signed_balance(debit=d, credit=c, normal_side=side)  # type: ignore[arg-type]
        counter, counter_code = _counter_account(others.get(r["entry_id"], []), d > 0, account.code)
        rows.append(
            LedgerRow(
                line_id=r["id"],
                date=r["date"],
                entry_id=r["entry_id"],
                line_no=r["line_no"],
                voucher_number=r["entry__number"],
                counter_account=counter,
                counter_code=counter_code,
                memo=r["memo"] or r["entry__memo"] or "",
                debit=d,
                credit=c,
                balance=balance,
                tax_code=r["tax_code__key"] or "",
                tax_label=r["tax_code__label"] or "",
                sub_account=r["sub_account__name"] or "",
                department=r["department__name"] or "",
            )
        )
    next_cursor = None
    if more and rows:
        tail = rows[-1]
        state = {
            "k": binding,
            "d": tail.date.isoformat(),
            "e": tail.entry_id,
            "n": tail.line_no,
            "b": str(balance),
            "o": str(opening),
            "dt": str(debit),
            "ct": str(credit),
        }
        next_cursor = signing.dumps(state, salt=_GL_SALT, compress=True)
    return GeneralLedger(
        account_id=account.pk,
        code=account.code,
        name=account.name,
        normal_side=side,
        sub_account_id=sub_id,
        sub_account_name=sub_account.name if sub_account is not None else "",
        department_id=dkey,
        start=start,
        end=end,
        opening=opening,
        debit=debit,
        credit=credit,
        closing=opening + signed_balance(debit=debit, credit=credit, normal_side=side),  # type: ignore[arg-type]
        rows=rows,
        next_cursor=next_cursor,
    )


# ------------------------------------------------------------------------------ 仕訳帳


@dataclass(frozen=True)
class JournalLineRow:
    line_no: int
    account_code: str
    account_name: str
    sub_account: str
    department: str
    debit: Decimal
    credit: Decimal
    tax_code: str
    memo: str


@dataclass(frozen=True)
class JournalEntryRow:
    entry_id: int
    date: date
    number: int
    kind: str
    kind_label: str
    memo: str
    total: Decimal
    lines: list[JournalLineRow]


@dataclass(frozen=True)
class Journal:
    start: date
    end: date
    entries: list[JournalEntryRow]
    next_cursor: str | None


def journal(
    *, company: Company, start: date, end: date, after: str | None = None, limit: int = 100
) -> Journal:
    """仕訳帳: the posted entries of [start, end] in (date, voucher number) order with their lines,
    ``limit`` entries a page (keyset, signed cursor as for the general ledger). Two queries a page."""
    limit = _clamp(limit)
    binding = [company.pk, start.isoformat(), end.isoformat()]
    qs = JournalEntry.objects.for_company(company).filter(
        status=JournalEntry.Status.POSTED, date__gte=start, date__lte=end
    )
    if after:
        state = _load(after, _JOURNAL_SALT, binding)
        last = date.fromisoformat(state["d"])
        qs = qs.filter(date__gte=last).filter(_after_entry(last, state["n"]))
    kinds = dict(JournalEntry.Kind.choices)
    page = list(
        qs.order_by("date", "number").values("id", "date", "number", "kind", "memo", "total")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    lines: dict[int, list[JournalLineRow]] = {}
    line_rows = (
        JournalLine.objects.filter(entry_id__in=[e["id"] for e in page])
        .order_by("entry_id", "line_no")
        .values(
            "entry_id",
            "line_no",
            "account__code",
            "account__name",
            "sub_account__name",
            "department__name",
            "debit",
            "credit",
            "tax_code__key",
            "memo",
        )
    )
    for r in line_rows:
        lines.setdefault(r["entry_id"], []).append(
            JournalLineRow(
                line_no=r["line_no"],
                account_code=r["account__code"],
                account_name=r["account__name"],
                sub_account=r["sub_account__name"] or "",
                department=r["department__name"] or "",
                debit=Decimal(r["debit"]),
                credit=Decimal(r["credit"]),
                tax_code=r["tax_code__key"] or "",
                memo=r["memo"] or "",
            )
        )
    entries = [
        JournalEntryRow(
            entry_id=e["id"],
            date=e["date"],
            number=e["number"],
            kind=e["kind"],
            kind_label=str(kinds.get(e["kind"], e["kind"])),
            memo=e["memo"],
            total=Decimal(e["total"]),
            lines=lines.get(e["id"], []),
        )
        for e in page
    ]
    next_cursor = None
    if more and entries:
        state = {"k": binding, "d": entries[-1].date.isoformat(), "n": entries[-1].number}
        next_cursor = signing.dumps(state, salt=_JOURNAL_SALT, compress=True)
    return Journal(start, end, entries, next_cursor)
