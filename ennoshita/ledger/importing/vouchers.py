"""仕訳CSV取込: checks over whole vouchers (balance, 別記 tax rows, reversals) and the preview."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from .books import _Books
from .results import PREVIEW_ROWS, PreviewRow, RowError, Voucher


def _check_voucher(voucher: Voucher, books: _Books, errors: list[RowError]) -> None:
    if voucher.date is not None and (problem := books.period_error(voucher.date)):
        errors.append(RowError(voucher.line, voucher.date_column, problem))
    if voucher.failed:
        return
    _match_separate_tax(voucher, books, errors)
    lines = [ln for ln in voucher.lines if not ln.drop]
    if not lines:
        return
    debit = sum((ln.gross for ln in lines if ln.side == "debit"), Decimal(0))
    credit = sum((ln.gross for ln in lines if ln.side == "credit"), Decimal(0))
    if debit != credit:
        errors.append(
            RowError(
                voucher.line,
                "",
                _(
                    "伝票「%(k)s」の借方合計(%(debit)s円)と貸方合計(%(credit)s円)が一致しません(税込で比べています)。"
                )
                % {"k": voucher.key, "debit": f"{debit:,}", "credit": f"{credit:,}"},
            )
        )


def _shape(voucher: Voucher, *, flip: bool = False) -> list[tuple[int, str, Decimal, str]]:
    other = {"debit": "credit", "credit": "debit"}
    return sorted(
        (ln.account.pk, other[ln.side] if flip else ln.side, ln.gross, ln.tax_code.key if ln.tax_code else "")
        for ln in voucher.lines
        if not ln.drop
    )


def _link_reversals(vouchers: list[Voucher], errors: list[RowError]) -> None:
    """A voucher that names the one it reverses (取消元), when that one is earlier in the same
    file, is posted as its 反対仕訳 (services.reverse_entry): it must mirror it exactly. When the
    original is not in the file, the voucher is posted as an ordinary entry."""
    seen: dict[str, Voucher] = {}
    reversed_labels: set[str] = set()
    for voucher in vouchers:
        original = seen.get(voucher.reverses) if voucher.reverses else None
        if original is not None and not voucher.failed and not original.failed:
            if original.reverses or voucher.reverses in reversed_labels:
                errors.append(
                    RowError(
                        voucher.line,
                        "",
                        _("取消元「%(k)s」は取り消せません(反対仕訳か、取消済み)。")
                        % {"k": voucher.reverses},
                    )
                )
            elif _shape(voucher) != _shape(original, flip=True):
                errors.append(
                    RowError(
                        voucher.line,
                        "",
                        _("取消元「%(k)s」の貸借を逆にした内容になっていません。") % {"k": voucher.reverses},
                    )
                )
            else:
                voucher.original = original
                reversed_labels.add(voucher.reverses)
        if voucher.label:
            seen[voucher.label] = voucher


def _match_separate_tax(voucher: Voucher, books: _Books, errors: list[RowError]) -> None:
    """別記: the file carries the tax on its own 仮払/仮受消費税等 rows; the service generates that
    line itself, so those rows are dropped — when their total is exactly the tax of the 別記 lines."""
    expected: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for ln in voucher.lines:
        if ln.separate_tax and ln.tax_code is not None:
            tax_account = books.input_tax if ln.tax_code.kind == "taxable_purchase" else books.output_tax
            if tax_account is not None:
                expected[(ln.side, tax_account.pk)] += ln.separate_tax
    for (side, account_id), amount in expected.items():
        rows = [
            ln
            for ln in voucher.lines
            if ln.side == side
            and ln.account.pk == account_id
            and (ln.tax_code is None or not ln.tax_code.is_taxable)
        ]
        found = sum((ln.amount for ln in rows), Decimal(0))
        if found != amount:
            errors.append(
                RowError(
                    voucher.line,
                    "",
                    _(
                        "伝票「%(k)s」: 別記の消費税の行の合計(%(found)s円)が、別記の行の税額(%(tax)s円)と一致しません。"
                    )
                    % {"k": voucher.key, "found": f"{found:,}", "tax": f"{amount:,}"},
                )
            )
            continue
        for ln in rows:
            ln.drop = True


def _preview(vouchers: list[Voucher]) -> list[PreviewRow]:
    rows: list[PreviewRow] = []
    for v in vouchers:
        for ln in v.lines:
            rows.append(
                PreviewRow(
                    line=ln.line,
                    voucher=v.key,
                    date=v.date,
                    side=ln.side,
                    account=str(ln.account),
                    tax=ln.tax_code.label if ln.tax_code else "",
                    amount=ln.amount,
                    memo=ln.memo,
                )
            )
            if len(rows) >= PREVIEW_ROWS:
                return rows
    return rows
