"""What sales posts to the books, through ``ledger.services.post_entry`` (ARCHITECTURE.md: every
domain that moves money posts there, with its source named):

- 請求書:     売掛金 / 売上高 (per 税区分, with the invoice's own tax per rate → 仮受消費税等)
- 返還請求書: 売上値引・返品 (per 税区分, tax back out of 仮受消費税等) / 売掛金
- 入金:       普通預金 (or the account in the settings) + 支払手数料 (fee the customer deducted,
              課税仕入10% 税込) / 売掛金 (what was applied) + 前受金 (what was paid beyond it)
- 前受金の充当: 前受金 / 売掛金 (per invoice)
- 返金:       前受金 / 普通預金
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.models import Company, User
from ennoshita.ledger import selectors as ledger_selectors
from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.entry_selectors import tax_codes
from ennoshita.ledger.models import Account
from ennoshita.sales.models import (
    TAX_RATES,
    FeeTreatment,
    Invoice,
    InvoiceLine,
    Payment,
    SalesSettings,
    SalesTax,
)

RECEIVABLE = "1132"  # 売掛金
SALES = "4100"  # 売上高
SALES_RETURNS = "4190"  # 売上値引・返品
ADVANCES = "2140"  # 前受金
BANK_FEES = "6370"  # 支払手数料

INVOICE_SOURCE, PAYMENT_SOURCE = "sales.invoice", "sales.payment"


def _account(company: Company, code: str) -> Account:
    return ledger_selectors.get_account_by_code(company=company, code=code)


def _invoice_entry(
    invoice: Invoice, lines: Sequence[InvoiceLine], codes: dict[str, Any], accounts: dict[str, Account]
) -> ledger_services.EntryInput:
    """The journal entry of an issued invoice or credit note: per 税区分 the lines' amounts with
    the invoice's own tax per rate (適格請求書: rounded once per rate, not per line)."""
    per_code: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        per_code[line.tax] += line.amount
    credit = invoice.kind == Invoice.Kind.CREDIT
    revenue = accounts[SALES_RETURNS if credit else SALES]
    side, other = ("debit", "credit") if credit else ("credit", "debit")
    entry_lines = []
    for key, amount in sorted(per_code.items()):
        if amount == 0:
            continue
        rate = TAX_RATES[SalesTax(key)]
        tax = Decimal(invoice.rate_totals[str(rate)]["tax"]) if rate else None
        entry_lines.append(
            ledger_services.LineInput(
                account=revenue,
                side=side if amount > 0 else other,
                amount=abs(amount),
                tax_code=codes[key],
                tax_included=invoice.prices_include_tax,
                tax_amount=tax,
                memo=invoice.customer_name[:200],
            )
        )
    entry_lines.append(
        ledger_services.LineInput(
            account=accounts[RECEIVABLE], side=other, amount=invoice.total, memo=invoice.customer_name[:200]
        )
    )
    label = _("返還請求書") if credit else _("請求書")
    return ledger_services.EntryInput(
        date=invoice.date,
        lines=entry_lines,
        memo=f"{label} {invoice.number} {invoice.customer_name}"[:200],
        kind="transfer",
        source_id=str(invoice.pk),
        source_repr=f"{label} {invoice.number}",
    )


def _invoice_books(company: Company) -> tuple[dict[str, Any], dict[str, Account]]:
    ledger_services.ensure_books(company=company)
    codes = {c.key: c for c in tax_codes(company=company, active_only=False)}
    accounts = {code: _account(company, code) for code in (SALES, SALES_RETURNS, RECEIVABLE)}
    return codes, accounts


def post_invoice(
    *, company: Company, actor: User | None, invoice: Invoice, lines: Sequence[InvoiceLine]
) -> int:
    """Post an issued invoice or credit note; returns the journal entry's id."""
    item = _invoice_entry(invoice, lines, *_invoice_books(company))
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=item.date,
        lines=item.lines,
        memo=item.memo,
        kind=item.kind,
        source_type=INVOICE_SOURCE,
        source_id=item.source_id,
        source_repr=item.source_repr,
    )
    return int(entry.pk)


def post_invoices(
    *, company: Company, actor: User | None, invoices: Sequence[tuple[Invoice, Sequence[InvoiceLine]]]
) -> list[int]:
    """Post many issued invoices at once (the monthly 合計請求書 run) through the ledger's bulk
    posting: the same entries as ``post_invoice``, in the given order; returns their ids."""
    codes, accounts = _invoice_books(company)
    entries = ledger_services.post_entries(
        company=company,
        actor=actor,
        entries=[_invoice_entry(invoice, lines, codes, accounts) for invoice, lines in invoices],
        source_type=INVOICE_SOURCE,
    )
    return [int(e.pk) for e in entries]


def post_payment(
    *, company: Company, actor: User | None, payment: Payment, applied: Decimal, settings: SalesSettings
) -> int:
    """Post a payment received; returns the journal entry's id."""
    ledger_services.ensure_books(company=company)
    name = payment.customer.name[:100]
    lines = [
        ledger_services.LineInput(
            account=_account(company, settings.deposit_account_code),
            side="debit",
            amount=payment.amount,
            memo=name,
        )
    ]
    if payment.fee:
        # 売上値引: the sale is reduced with its output tax (課税売上10% on the debit side); a
        # fee under 1万円 needs no 返還インボイス (record_payment refuses larger ones). 支払手数料:
        # a purchase, 課税仕入10%. SalesSettings.fee_treatment says which (FeeTreatment).
        as_discount = settings.fee_treatment == FeeTreatment.DISCOUNT
        key = "S10" if as_discount else "P10"
        fee_code = next(c for c in tax_codes(company=company, active_only=False) if c.key == key)
        lines.append(
            ledger_services.LineInput(
                account=_account(company, SALES_RETURNS if as_discount else BANK_FEES),
                side="debit",
                amount=payment.fee,
                tax_code=fee_code,
                tax_included=True,
                memo=(
                    _("振込手数料相当額の値引(先方差引・返還インボイス不要) %(name)s")
                    if as_discount
                    else _("振込手数料(先方差引) %(name)s")
                )
                % {"name": name},
            )
        )
    if applied:
        lines.append(
            ledger_services.LineInput(
                account=_account(company, RECEIVABLE), side="credit", amount=applied, memo=name
            )
        )
    if payment.unapplied:
        lines.append(
            ledger_services.LineInput(
                account=_account(company, ADVANCES), side="credit", amount=payment.unapplied, memo=name
            )
        )
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=payment.date,
        lines=lines,
        memo=_("入金 %(name)s") % {"name": name},
        kind="transfer",
        source_type=PAYMENT_SOURCE,
        source_id=str(payment.pk),
        source_repr=_("入金 %(date)s %(name)s") % {"date": payment.date.isoformat(), "name": name},
    )
    return int(entry.pk)


# 前受金の充当 and 返金 (services/advances.py): their entries link back to the payment they draw on.

ADVANCE_SOURCE, REFUND_SOURCE = "sales.advance", "sales.refund"


def post_advance_application(
    *,
    company: Company,
    actor: User | None,
    payment: Payment,
    day: date,
    applications: Sequence[tuple[str, Decimal]],
) -> int:
    """Post 前受金 applied to invoices: 前受金 / 売掛金, one credit line per invoice (its number in
    the memo, so that the 売掛金 ledger names what was settled); returns the journal entry's id."""
    ledger_services.ensure_books(company=company)
    name = payment.customer.name[:100]
    total = sum((amount for _number, amount in applications), Decimal(0))
    lines = [
        ledger_services.LineInput(account=_account(company, ADVANCES), side="debit", amount=total, memo=name)
    ]
    receivable = _account(company, RECEIVABLE)
    for number, amount in applications:
        lines.append(
            ledger_services.LineInput(
                account=receivable, side="credit", amount=amount, memo=f"{number} {name}"[:200]
            )
        )
    numbers = " ".join(number for number, _amount in applications)
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=day,
        lines=lines,
        memo=(_("前受金充当 %(numbers)s %(name)s") % {"numbers": numbers, "name": name})[:200],
        kind="transfer",
        source_type=ADVANCE_SOURCE,
        source_id=str(payment.pk),
        source_repr=_("前受金充当 %(date)s %(name)s") % {"date": day.isoformat(), "name": name},
    )
    return int(entry.pk)


def post_refund(
    *,
    company: Company,
    actor: User | None,
    payment: Payment,
    day: date,
    amount: Decimal,
    settings: SalesSettings,
) -> int:
    """Post 前受金 paid back: 前受金 / 普通預金 (the deposit account of the settings, as the payment
    came in there); returns the journal entry's id."""
    ledger_services.ensure_books(company=company)
    name = payment.customer.name[:100]
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=day,
        lines=[
            ledger_services.LineInput(
                account=_account(company, ADVANCES), side="debit", amount=amount, memo=name
            ),
            ledger_services.LineInput(
                account=_account(company, settings.deposit_account_code),
                side="credit",
                amount=amount,
                memo=name,
            ),
        ],
        memo=(_("前受金返金 %(name)s") % {"name": name})[:200],
        kind="transfer",
        source_type=REFUND_SOURCE,
        source_id=str(payment.pk),
        source_repr=_("前受金返金 %(date)s %(name)s") % {"date": day.isoformat(), "name": name},
    )
    return int(entry.pk)
