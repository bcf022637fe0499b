"""What sales posts to the books, through ``ledger.services.post_entry`` (ARCHITECTURE.md: every
domain that moves money posts there, with its source named):

- 請求書:     売掛金 / 売上高 (per 税区分, with the invoice's own tax per rate → 仮受消費税等)
- 返還請求書: 売上値引・返品 (per 税区分, tax back out of 仮受消費税等) / 売掛金
- 入金:       普通預金 (or the account in the settings) + 支払手数料 (fee the customer deducted,
              課税仕入10% 税込) / 売掛金 (what was applied) + 前受金 (what was paid beyond it)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.core.models import Company, User
from ennoshita.ledger import selectors as ledger_selectors
from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.entry_selectors import tax_codes
from ennoshita.ledger.models import Account
from ennoshita.sales.models import TAX_RATES, Invoice, InvoiceLine, Payment, SalesSettings, SalesTax

RECEIVABLE = "1132"  # 売掛金
SALES = "4100"  # 売上高
SALES_RETURNS = "4190"  # 売上値引・返品
ADVANCES = "2140"  # 前受金
BANK_FEES = "6370"  # 支払手数料

INVOICE_SOURCE, PAYMENT_SOURCE = "sales.invoice", "sales.payment"


def _account(company: Company, code: str) -> Account:
    return ledger_selectors.get_account_by_code(company=company, code=code)


def post_invoice(
    *, company: Company, actor: User | None, invoice: Invoice, lines: Sequence[InvoiceLine]
) -> int:
    """Post an issued invoice or credit note; returns the journal entry's id."""
    ledger_services.ensure_books(company=company)
    codes = {c.key: c for c in tax_codes(company=company, active_only=False)}
    per_code: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        per_code[line.tax] += line.amount
    credit = invoice.kind == Invoice.Kind.CREDIT
    revenue = _account(company, SALES_RETURNS if credit else SALES)
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
            account=_account(company, RECEIVABLE),
            side=other,
            amount=invoice.total,
            memo=invoice.customer_name[:200],
        )
    )
    label = _("返還請求書") if credit else _("請求書")
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=invoice.date,
        lines=entry_lines,
        memo=f"{label} {invoice.number} {invoice.customer_name}"[:200],
        kind="transfer",
        source_type=INVOICE_SOURCE,
        source_id=str(invoice.pk),
        source_repr=f"{label} {invoice.number}",
    )
    return int(entry.pk)


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
        fee_code = next(c for c in tax_codes(company=company, active_only=False) if c.key == "P10")
        lines.append(
            ledger_services.LineInput(
                account=_account(company, BANK_FEES),
                side="debit",
                amount=payment.fee,
                tax_code=fee_code,
                tax_included=True,
                memo=_("振込手数料(先方差引) %(name)s") % {"name": name},
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
