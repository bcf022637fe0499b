"""仕訳CSV取込: the 弥生インポート形式 layout (25 columns, 識別フラグ for multi-line vouchers)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.core.text import nfkc
from ennoshita.ledger.interchange import (
    ENNOSHITA_MARK,
    REVERSES_MARK,
    YAYOI_COLUMNS,
    YAYOI_FIRST,
    YAYOI_LAST,
    YAYOI_MIDDLE,
)

from .books import _Books, _key
from .cells import _cell, _Row, _side_line, parse_date, parse_yen
from .results import RowError, Voucher

_Y = {name: i for i, name in enumerate(YAYOI_COLUMNS)}
_YAYOI_SIDES = {
    side: {
        "account": f"{prefix}勘定科目",
        "sub": f"{prefix}補助科目",
        "dept": f"{prefix}部門",
        "tax": f"{prefix}税区分",
        "amount": f"{prefix}金額",
        "tax_amount": f"{prefix}税金額",
        "memo": "摘要",
    }
    for side, prefix in (("debit", "借方"), ("credit", "貸方"))
}


def _parse_yayoi(
    records: list[tuple[int, list[str]]], books: _Books, errors: list[RowError]
) -> list[Voucher]:
    if records and _key(records[0][1][0]) == _key(YAYOI_COLUMNS[0]):
        records = records[1:]  # a header line, as some tools write one
    vouchers: list[Voucher] = []
    open_voucher: Voucher | None = None
    for line, cells in records:
        row = _Row(line, errors)
        flag = nfkc(_cell(cells, 0))
        if len(cells) < _Y["摘要"]:
            row.fail("", _("列が足りません(弥生インポート形式は25列です)。"))
            continue
        if len(cells) > len(YAYOI_COLUMNS) and any(c.strip() for c in cells[len(YAYOI_COLUMNS) :]):
            row.fail("", _('列が多すぎます(値に , があるときは " で囲んでください)。'))
        if flag not in ("2000", "2111", YAYOI_FIRST, YAYOI_MIDDLE, YAYOI_LAST):
            row.fail(
                "識別フラグ",
                _("識別フラグ「%(v)s」は 2000・2111・2110・2100・2101 のどれかです。") % {"v": flag},
            )
            continue
        if flag in (YAYOI_MIDDLE, YAYOI_LAST):
            if open_voucher is None:
                row.fail("識別フラグ", _("複数行の伝票の途中の行ですが、1行目(2110)がありません。"))
                continue
            voucher = open_voucher
        else:
            if open_voucher is not None:
                errors.append(
                    RowError(
                        open_voucher.line, "識別フラグ", _("複数行の伝票が最終行(2101)で終わっていません。")
                    )
                )
                open_voucher = None
            day = None
            try:
                day = parse_date(_cell(cells, _Y["取引日付"]))
            except ValueError:
                row.fail(
                    "取引日付",
                    _("「%(v)s」は日付として読めません(例: 2026/04/01、20260401、R08/04/01)。")
                    % {"v": _cell(cells, _Y["取引日付"])},
                )
            voucher = Voucher(
                key=_cell(cells, _Y["伝票No."]) or str(line), line=line, date=day, date_column="取引日付"
            )
            voucher.memo = _cell(cells, _Y["摘要"])
            voucher.label, voucher.reverses = _marks(_cell(cells, _Y["仕訳メモ"]))
            vouchers.append(voucher)
            if flag == YAYOI_FIRST:
                open_voucher = voucher
        for side, labels in _YAYOI_SIDES.items():
            cols = {k: _cell(cells, _Y[v]) for k, v in labels.items()}
            if not cols["account"]:
                amount = parse_yen(cols["amount"]) if cols["amount"] else Decimal(0)
                if amount:
                    row.fail(labels["account"], _("金額があるのに勘定科目がありません。"))
                continue
            parsed = _side_line(row, books, side=side, cols=cols, labels=labels, day=voucher.date)
            if parsed is not None:
                voucher.lines.append(parsed)
        voucher.failed |= row.failed
        if flag == YAYOI_LAST:
            open_voucher = None
    if open_voucher is not None:
        errors.append(
            RowError(open_voucher.line, "識別フラグ", _("複数行の伝票が最終行(2101)で終わっていません。"))
        )
    return vouchers


_MARK_RE = re.compile(re.escape(ENNOSHITA_MARK) + r"(\S+)")
_REVERSES_RE = re.compile(re.escape(REVERSES_MARK) + r"(\S+)")


def _marks(memo: str) -> tuple[str, str]:
    own, reverses = _MARK_RE.search(memo), _REVERSES_RE.search(memo)
    return (own.group(1) if own else ""), (reverses.group(1) if reverses else "")
