"""仕訳CSV取込: our generic layout (a header line, one row per journal line, 伝票キー groups them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.text import nfkc
from ennoshita.ledger.interchange import (
    GENERIC_KINDS,
    TAX_METHOD_EXCLUDED,
    TAX_METHOD_INCLUDED,
    TAX_METHOD_SEPARATE,
)
from ennoshita.ledger.models import JournalEntry

from .books import _Books, _key
from .cells import _cell, _Row, _side_line, parse_date, parse_yen
from .results import RowError, Voucher

GENERIC_HEADERS: dict[str, str] = {
    "伝票キー": "key",
    "日付": "date",
    "伝票種類": "kind",
    "貸借": "side",
    "勘定科目": "account",
    "補助科目": "sub",
    "部門": "dept",
    "税区分": "tax",
    "税計算": "method",
    "金額": "amount",
    "借方金額": "debit",
    "貸方金額": "credit",
    "税額": "tax_amount",
    "摘要": "memo",
    "取消元": "reverses",
}
GENERIC_IGNORED = ("勘定科目名",)
_SIDES = {
    "借方": "debit",
    "借": "debit",
    "debit": "debit",
    "貸方": "credit",
    "貸": "credit",
    "credit": "credit",
}
_KINDS = {_key(v): k for k, v in GENERIC_KINDS.items()} | {k: k for k in GENERIC_KINDS}
_METHODS = {
    "": TAX_METHOD_INCLUDED,
    "税込": TAX_METHOD_INCLUDED,
    "内税": TAX_METHOD_INCLUDED,
    "税抜": TAX_METHOD_EXCLUDED,
    "外税": TAX_METHOD_EXCLUDED,
    "別記": TAX_METHOD_SEPARATE,
}


def _generic_header(header: list[str]) -> dict[str, int]:
    names = {_key(k): v for k, v in GENERIC_HEADERS.items()}
    ignored = {_key(k) for k in GENERIC_IGNORED}
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        key = _key(name)
        if not key or key in ignored:
            continue
        if key not in names or names[key] in mapping:
            unknown.append(name.strip())
        else:
            mapping[names[key]] = index
    problems = []
    missing = [
        label for label, k in GENERIC_HEADERS.items() if k in ("key", "date", "account") and k not in mapping
    ]
    if "amount" in mapping and "side" not in mapping:
        missing.append("貸借")
    if "amount" not in mapping and not {"debit", "credit"} <= set(mapping):
        missing.append("金額(または 借方金額・貸方金額)")
    if missing:
        problems.append(_("必須の列がありません: %(cols)s") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(_("知らない列か、同じ列が2回あります: %(cols)s") % {"cols": "、".join(unknown)})
    if problems:
        message = (
            _("1行目(見出し行): ")
            + " / ".join(problems)
            + _("。docs/ledger-csv.md の見出しを使ってください。")
        )
        raise ServiceError(message, code="bad_header", field_errors={"file": [message]})
    return mapping


def _parse_generic(
    records: list[tuple[int, list[str]]], books: _Books, errors: list[RowError]
) -> list[Voucher]:
    (_first, header), body = records[0], records[1:]
    cols_at = _generic_header(header)
    labels = {v: k for k, v in GENERIC_HEADERS.items()}
    vouchers: dict[str, Voucher] = {}
    for line, cells in body:
        row = _Row(line, errors)
        get = {k: _cell(cells, i) for k, i in cols_at.items()}
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            row.fail("", _('見出しより列が多い行です(値に , があるときは " で囲んでください)。'))
        key = get.get("key", "")
        if not key:
            row.fail(labels["key"], _("必須です。"))
            continue
        day = None
        try:
            day = parse_date(get.get("date", ""))
        except ValueError:
            row.fail(
                labels["date"],
                _("「%(v)s」は日付として読めません(例: 2026-04-01、2026/4/1、令和8年4月1日)。")
                % {"v": get.get("date", "")},
            )
        voucher = vouchers.get(key)
        if voucher is None:
            voucher = vouchers[key] = Voucher(
                key=key,
                line=line,
                date=day,
                memo=get.get("memo", ""),
                label=key,
                reverses=get.get("reverses", ""),
            )
            kind = (
                _KINDS.get(_key(get.get("kind", "")), None) if get.get("kind") else JournalEntry.Kind.TRANSFER
            )
            if kind is None:
                row.fail(
                    labels["kind"],
                    _("伝票種類「%(v)s」は 振替伝票・入金伝票・出金伝票・開始仕訳 のどれかです。")
                    % {"v": get["kind"]},
                )
            # a reversal comes in as an ordinary entry: the link to its original stays in the other book
            voucher.kind = JournalEntry.Kind.TRANSFER if kind in (None, JournalEntry.Kind.REVERSAL) else kind
        elif day is not None and voucher.date is not None and day != voucher.date:
            row.fail(
                labels["date"],
                _("同じ伝票キー(%(k)s、%(line)d 行目)の日付と違います。") % {"k": key, "line": voucher.line},
            )
        side, amount_text, amount_label = _generic_side(row, get, labels)
        method = _METHODS.get(nfkc(get.get("method", "")).strip())
        if method is None:
            row.fail(
                labels["method"],
                _("税計算「%(v)s」は 税込・税抜・別記 のどれかです。") % {"v": get["method"]},
            )
        if side is None or method is None:
            voucher.failed = True
            continue
        cols = {**get, "amount": amount_text}
        side_labels = {**labels, "amount": amount_label}
        parsed = _side_line(
            row,
            books,
            side=side,
            cols=cols,
            labels=side_labels,
            day=voucher.date,
            method_override=method if get.get("method") else None,
        )
        if parsed is not None:
            voucher.lines.append(parsed)
        voucher.failed |= row.failed
    return list(vouchers.values())


def _generic_side(row: _Row, get: dict[str, str], labels: dict[str, str]) -> tuple[str | None, str, str]:
    if "amount" in get:
        side = _SIDES.get(_key(get.get("side", "")))
        if side is None:
            row.fail(labels["side"], _("貸借「%(v)s」は 借方 か 貸方 です。") % {"v": get.get("side", "")})
        return side, get["amount"], labels["amount"]
    debit, credit = get.get("debit", ""), get.get("credit", "")
    has_debit = bool(debit) and parse_yen(debit) != 0
    has_credit = bool(credit) and parse_yen(credit) != 0
    if has_debit == has_credit:
        row.fail("", _("借方金額か貸方金額のどちらか一方だけに金額を入れてください。"))
        return None, "", ""
    return ("debit", debit, labels["debit"]) if has_debit else ("credit", credit, labels["credit"])
