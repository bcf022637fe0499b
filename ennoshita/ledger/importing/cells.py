"""仕訳CSV取込: reading cells (dates, yen) and one side of a row into a :class:`ParsedLine`."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ennoshita.core.csvio import read_rows, undefuse
from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.text import nfkc
from ennoshita.ledger import rules
from ennoshita.ledger.interchange import TAX_METHOD_INCLUDED, TAX_METHOD_SEPARATE, parse_yayoi_tax

from .books import _Books, _key
from .results import ParsedLine, RowError

_YAYOI_ERA_RE = re.compile(r"^(?P<era>[RH])\.?(?P<y>\d{1,2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$")


def parse_date(text: str) -> date:
    """20190701, 2019/07/01, 2019/7/1, 2019-07-01, R.01/07/01, R01/7/1, 令和元年7月1日."""
    s = nfkc(text).strip()
    if re.fullmatch(r"\d{8}", s):
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    m = _YAYOI_ERA_RE.match(s.upper())
    if m:
        s = f"{m['era']}{int(m['y'])}.{m['m']}.{m['d']}"
    return parse_date_flexible(s)


def parse_yen(text: str) -> Decimal | None:
    """Whole yen, ≥ 0; commas and full-width digits accepted. None when it is not that."""
    s = nfkc(text).replace(",", "").replace("¥", "").replace("円", "").strip()
    try:
        value = Decimal(s)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value != value.to_integral_value() or value < 0:
        return None
    return value.quantize(Decimal(1))


class _Row:
    """Collects the errors of one line of the file."""

    def __init__(self, line: int, errors: list[RowError]) -> None:
        self.line = line
        self.errors = errors
        self.failed = False

    def fail(self, column: str, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.line, column, message))


def _side_line(
    row: _Row,
    books: _Books,
    *,
    side: str,
    cols: dict[str, str],
    labels: dict[str, str],
    day: date | None,
    method_override: str | None = None,
) -> ParsedLine | None:
    """One side of a row → a ParsedLine (or errors). ``cols``: account, sub, dept, tax, amount,
    tax_amount, memo (raw text); ``labels``: the same keys → column headers for the messages."""
    account = books.accounts.get(_key(cols["account"]))
    amount = parse_yen(cols["amount"]) if cols["amount"].strip() else None
    if account is None:
        row.fail(labels["account"], _("勘定科目「%(v)s」が見つかりません。") % {"v": cols["account"]})
    elif not account.is_active:
        row.fail(labels["account"], _("勘定科目「%(v)s」は使用停止です。") % {"v": account.name})
    if amount is None:
        row.fail(
            labels["amount"], _("金額「%(v)s」は円単位の0以上の整数ではありません。") % {"v": cols["amount"]}
        )
    elif amount == 0:
        row.fail(labels["amount"], _("金額は1円以上で入力してください。"))
    sub = dept = None
    if cols.get("sub", "").strip() and account is not None:
        sub = books.subs.get((account.pk, _key(cols["sub"])))
        if sub is None:
            row.fail(
                labels["sub"],
                _("補助科目「%(v)s」が「%(a)s」にありません。") % {"v": cols["sub"], "a": account.name},
            )
        elif not sub.is_active:
            row.fail(labels["sub"], _("補助科目「%(v)s」は使用停止です。") % {"v": sub.name})
    if cols.get("dept", "").strip():
        dept = books.departments.get(_key(cols["dept"]))
        if dept is None:
            row.fail(
                labels["dept"], _("部門「%(v)s」が見つかりません(部署コードか部署名)。") % {"v": cols["dept"]}
            )
    try:
        parsed_tax = parse_yayoi_tax(cols.get("tax", ""))
    except ValueError as exc:
        row.fail(labels["tax"], str(exc) + "。")
        return None
    code = books.tax_codes.get(parsed_tax.key) if parsed_tax.key else None
    if parsed_tax.key and (code is None or not code.is_active):
        row.fail(labels["tax"], _("税区分「%(v)s」はこの会社で使えません。") % {"v": cols["tax"]})
    method = method_override or parsed_tax.method
    if row.failed or account is None or amount is None:
        return None
    line = ParsedLine(row.line, side, account, amount, amount, code, None, sub, dept, cols.get("memo", ""))
    _apply_tax(row, books, line, method, cols.get("tax_amount", ""), labels["tax_amount"], day)
    return line


def _apply_tax(
    row: _Row, books: _Books, line: ParsedLine, method: str, given: str, column: str, day: date | None
) -> None:
    """Decide 税込/税抜 and the gross the voucher balances on. A 税金額 in the file must be the tax
    the service will compute with the company's rounding (or, for a purchase without a 適格請求書,
    its creditable part): the service computes the tax itself and could not store a different one."""
    code = line.tax_code
    if code is None or not code.is_taxable:
        line.tax_included = None
        return
    given_tax = parse_yen(given) if given.strip() else None
    if given.strip() and given_tax is None:
        row.fail(column, _("税金額「%(v)s」は円単位の0以上の整数ではありません。") % {"v": given})
        return
    included = method == TAX_METHOD_INCLUDED
    split = rules.split_amount(
        amount=line.amount, rate_percent=code.rate, tax_included=included, rounding=books.rounding
    )
    if given_tax is not None and given_tax != split.tax and day is not None:
        credited = rules.deductible_input_tax(
            tax=split.tax, purchase_date=day, qualified=code.qualified, rounding=books.rounding
        )
        if given_tax != credited:
            row.fail(
                column,
                _("税金額 %(given)s 円が、この会社の端数処理(%(rule)s)で計算した %(tax)s 円と一致しません。")
                % {"given": f"{given_tax:,}", "tax": f"{split.tax:,}", "rule": books.rounding.label},
            )
            return
    line.tax_included = included
    line.gross = split.gross
    if method == TAX_METHOD_SEPARATE and day is not None:
        line.separate_tax = (
            rules.deductible_input_tax(
                tax=split.tax, purchase_date=day, qualified=code.qualified, rounding=books.rounding
            )
            if code.kind == "taxable_purchase"
            else split.tax
        )


def _cell(cells: list[str], index: int) -> str:
    return undefuse(cells[index].strip()) if index < len(cells) else ""


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty CSV records with their line numbers; 弥生's comment lines (# first) are skipped."""
    return [
        (line, cells)
        for line, cells in read_rows(text)
        if any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#")
    ]
