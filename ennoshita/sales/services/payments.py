"""入金: money received, applied to a customer's invoices (消込) — in part, several invoices with
one payment, the bank fee the customer deducted (振込手数料 → 支払手数料), and what was paid beyond
the invoices kept as 前受金."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.sales import rules
from ennoshita.sales.models import (
    BankStatementLine,
    Customer,
    FeeTreatment,
    Invoice,
    Payment,
    PaymentAllocation,
)
from ennoshita.sales.permissions import PAYMENT_ROLES

from .invoices import _reduce_open
from .lines import MAX_LINE, settings_of
from .posting import post_payment


@dataclass(frozen=True)
class Allocation:
    invoice: Invoice
    amount: Decimal | int | str


def _yen(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return amount


@transaction.atomic
def record_payment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    date: date,
    amount: Decimal | int | str,
    allocations: Sequence[Allocation] = (),
    fee: Decimal | int | str = 0,
    method: str = Payment.Method.TRANSFER,
    payer_name: str = "",
    memo: str = "",
    statement_line: BankStatementLine | None = None,
) -> Payment:
    """Record a payment and apply it. The allocations may settle up to ``amount + fee`` (the fee
    is what the customer kept back for the transfer); what is left of the amount becomes 前受金.
    Each invoice is settled at most up to what is still open on it; nothing is written when any
    of it is wrong."""
    require_role(membership, *PAYMENT_ROLES)
    if customer.company_id != company.pk:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    received = _yen(amount)
    deducted = _yen(fee)
    if received is None or received <= 0 or received > MAX_LINE:
        errors["amount"] = [_("入金額は1円以上の円単位の金額で入力してください。")]
    if deducted is None or deducted < 0 or deducted > MAX_LINE:
        errors["fee"] = [_("振込手数料は0円以上の円単位の金額で入力してください。")]
    if method not in Payment.Method.values:
        errors["method"] = [_("入金方法を選んでください。")]
    if statement_line is not None:
        if statement_line.company_id != company.pk:
            raise NotFound()
        if Payment.objects.filter(statement_line=statement_line).exists():
            errors["statement_line"] = [_("この入金明細はすでに消込済みです。")]
    # lock the invoices in id order: two people applying payments to the same invoices queue
    ids = [a.invoice.pk for a in allocations]
    locked = {
        i.pk: i
        for i in Invoice.objects.for_company(company).select_for_update().filter(pk__in=ids).order_by("pk")
    }
    applied = Decimal(0)
    seen: set[int] = set()
    rows: list[tuple[Invoice, Decimal]] = []
    for n, item in enumerate(allocations):
        invoice = locked.get(item.invoice.pk)
        if invoice is None:
            raise NotFound()
        value = _yen(item.amount)
        key = f"allocations.{n}"
        if invoice.pk in seen:
            errors[key] = [_("同じ請求書が2回指定されています。")]
        elif invoice.customer_id != customer.pk:
            errors[key] = [_("別の得意先の請求書です。")]
        elif invoice.status != Invoice.Status.ISSUED or invoice.kind != Invoice.Kind.INVOICE:
            errors[key] = [_("発行済みの請求書にだけ消し込めます。")]
        elif value is None or value <= 0:
            errors[key] = [_("消込額は1円以上の円単位の金額で入力してください。")]
        elif value > invoice.open_amount:
            errors[key] = [
                _("請求書 %(number)s の未回収残高(%(open)s円)を超えています。")
                % {"number": invoice.number, "open": f"{invoice.open_amount:,}"}
            ]
        else:
            applied += value
            rows.append((invoice, value))
        seen.add(invoice.pk)
    if not errors and received is not None and deducted is not None:
        if applied > received + deducted:
            errors["allocations"] = [
                _("消込額の合計(%(applied)s円)が入金額と手数料の合計(%(paid)s円)を超えています。")
                % {"applied": f"{applied:,}", "paid": f"{received + deducted:,}"}
            ]
        elif deducted > applied:
            errors["fee"] = [_("振込手数料は消し込む請求書の金額までです(先方が請求額から差し引いた分)。")]
        elif (
            settings_of(company).fee_treatment == FeeTreatment.DISCOUNT
            and deducted
            and rules.return_invoice_required(amount_including_tax=deducted)
        ):
            errors["fee"] = [
                _(
                    "差し引かれた額が税込1万円以上の値引きには返還インボイスが必要です"
                    "(消費税法57条の4第3項)。返還請求書を発行してから入金を登録してください。"
                )
            ]
    if errors:
        raise ServiceError(_("入金を登録できません。"), code="validation", field_errors=errors)
    assert received is not None
    assert deducted is not None
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                company=company,
                customer=customer,
                date=date,
                amount=received,
                fee=deducted,
                method=method,
                payer_name=payer_name.strip()[:100],
                memo=memo.strip()[:200],
                unapplied=received + deducted - applied,
                statement_line=statement_line,
                created_by=actor,
            )
    except IntegrityError:
        # a concurrent clerk matched the same bank line a moment earlier
        raise ServiceError(
            _("入金を登録できません。"),
            code="validation",
            field_errors={"statement_line": [_("この入金明細はすでに消込済みです。")]},
        ) from None
    PaymentAllocation.objects.bulk_create(
        [
            PaymentAllocation(company=company, payment=payment, invoice=inv, amount=value)
            for inv, value in rows
        ]
    )
    for invoice, value in rows:
        _reduce_open(invoice, value)
    payment.journal_entry_id = post_payment(
        company=company, actor=actor, payment=payment, applied=applied, settings=settings_of(company)
    )
    payment.save(update_fields=["journal_entry_id"])
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=payment,
        after=snapshot(
            payment,
            fields=(
                "customer",
                "date",
                "amount",
                "fee",
                "method",
                "payer_name",
                "unapplied",
                "journal_entry_id",
            ),
        ),
        extra={"allocations": [{"invoice": inv.number, "amount": value} for inv, value in rows]},
    )
    return payment


def suggest_allocations(
    *, invoices: Sequence[Invoice], amount: Decimal | int, fee: Decimal | int = 0
) -> list[Allocation]:
    """The usual 消込 order: the oldest due invoice first, each settled in full while the money
    (amount + fee) lasts, the last one in part."""
    left = Decimal(amount) + Decimal(fee)
    result: list[Allocation] = []
    for invoice in sorted(invoices, key=lambda i: (i.due_date or i.date, i.pk)):
        if left <= 0:
            break
        take = min(invoice.open_amount, left)
        if take > 0:
            result.append(Allocation(invoice, take))
            left -= take
    return result
