"""前受金: what a payment left over beyond its invoices, applied later to the customer's invoices
(充当: 前受金 / 売掛金) or paid back (返金: 前受金 / 普通預金).

Both lock the payment first (then the invoices, in id order), so that two clerks drawing on the
same 前受金 queue and the second sees what the first left. Nothing is written when any part is
wrong, including a date the books refuse (a closed year or a locked month).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.sales.models import AdvanceApplication, Invoice, Payment, Refund
from ennoshita.sales.permissions import PAYMENT_ROLES

from .invoices import _reduce_open
from .lines import MAX_LINE, settings_of
from .payments import Allocation, _yen
from .posting import post_advance_application, post_refund

__all__ = ["Allocation", "apply_advance", "refund_advance"]


def _locked_payment(company: Company, payment: Payment) -> Payment:
    if payment.company_id != company.pk:
        raise NotFound()
    found = (
        Payment.objects.for_company(company)
        .select_for_update()
        .select_related("customer")
        .filter(pk=payment.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _check_date(payment: Payment, day: date, errors: dict[str, list[str]], label: str) -> None:
    if day < payment.date:
        errors["date"] = [
            _("%(label)sは入金日(%(date)s)以降の日付にしてください。")
            % {"label": label, "date": payment.date.isoformat()}
        ]


def _yen_text(value: Decimal) -> str:
    return f"{value:,}"


def _take_from(payment: Payment, amount: Decimal) -> Decimal:
    """Lower the payment's 前受金 by ``amount``; returns what it was."""
    before = payment.unapplied
    updated = Payment.objects.filter(pk=payment.pk, unapplied__gte=amount).update(unapplied=before - amount)
    if updated != 1:  # pragma: no cover - the row is locked and the amount was checked
        raise ServiceError(_("前受金の残高を超えています。"))
    payment.unapplied = before - amount
    return before


def _refused_by_books(exc: ServiceError, message: str) -> ServiceError:
    """The ledger refused the entry (a closed year, a locked month …): said on the date field when
    that is what it names, with the reason beside the message otherwise."""
    errors = {"date": exc.field_errors["date"]} if "date" in exc.field_errors else {}
    others = [m for key, msgs in exc.field_errors.items() if key != "date" for m in msgs]
    if not exc.field_errors:
        others = [exc.message]
    text = " ".join([message, *others]) if others else message
    return ServiceError(text, code="validation", field_errors=errors)


@transaction.atomic
def apply_advance(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    payment: Payment,
    date: date,
    allocations: Sequence[Allocation],
) -> list[AdvanceApplication]:
    """充当: apply the 前受金 left on ``payment`` to issued invoices of the same customer, each up
    to what is still open on it, in all up to the 前受金. One journal entry (前受金 / 売掛金 per
    invoice) on ``date``, which may not be before the payment nor before an invoice's date."""
    require_role(membership, *PAYMENT_ROLES)
    payment = _locked_payment(company, payment)
    errors: dict[str, list[str]] = {}
    _check_date(payment, date, errors, _("充当日"))
    if not allocations:
        errors["allocations"] = [_("充当する請求書を選んでください。")]
    ids = sorted({a.invoice.pk for a in allocations})
    locked = {
        i.pk: i
        for i in Invoice.objects.for_company(company).select_for_update().filter(pk__in=ids).order_by("pk")
    }
    total = Decimal(0)
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
        elif invoice.customer_id != payment.customer_id:
            errors[key] = [_("別の得意先の請求書です。")]
        elif invoice.status != Invoice.Status.ISSUED or invoice.kind != Invoice.Kind.INVOICE:
            errors[key] = [_("発行済みの請求書にだけ充当できます。")]
        elif value is None or value <= 0 or value > MAX_LINE:
            errors[key] = [_("充当額は1円以上の円単位の金額で入力してください。")]
        elif value > invoice.open_amount:
            errors[key] = [
                _("請求書 %(number)s の未回収残高(%(open)s円)を超えています。")
                % {"number": invoice.number, "open": _yen_text(invoice.open_amount)}
            ]
        elif date < invoice.date:
            errors[key] = [
                _("請求書 %(number)s の請求日(%(date)s)より前には充当できません。")
                % {"number": invoice.number, "date": invoice.date.isoformat()}
            ]
        else:
            total += value
            rows.append((invoice, value))
        seen.add(invoice.pk)
    if not errors and total > payment.unapplied:
        errors["allocations"] = [
            _("充当額の合計(%(total)s円)が前受金の残高(%(left)s円)を超えています。")
            % {"total": _yen_text(total), "left": _yen_text(payment.unapplied)}
        ]
    if errors:
        raise ServiceError(_("前受金を充当できません。"), code="validation", field_errors=errors)
    before = _take_from(payment, total)
    for invoice, value in rows:
        _reduce_open(invoice, value)
    try:
        entry_id = post_advance_application(
            company=company,
            actor=actor,
            payment=payment,
            day=date,
            applications=[(inv.number, value) for inv, value in rows],
        )
    except ServiceError as exc:
        raise _refused_by_books(exc, _("前受金を充当できません。")) from exc
    applications = AdvanceApplication.objects.bulk_create(
        [
            AdvanceApplication(
                company=company,
                payment=payment,
                invoice=inv,
                date=date,
                amount=value,
                journal_entry_id=entry_id,
                created_by=actor,
            )
            for inv, value in rows
        ]
    )
    listed = [(inv.number, value) for inv, value in rows]
    record_event(
        company=company,
        actor=actor,
        action="apply_advance",
        instance=payment,
        before={"unapplied": before},
        after={"unapplied": payment.unapplied},
        extra={
            # "reason" is what the 変更履歴 shows beside the change
            "reason": _("%(date)s 前受金を充当: %(list)s")
            % {
                "date": date.isoformat(),
                "list": " / ".join(f"{number} {_yen_text(value)}円" for number, value in listed),
            },
            "date": date,
            "applications": [{"invoice": number, "amount": value} for number, value in listed],
            "journal_entry_id": entry_id,
        },
    )
    return applications


@transaction.atomic
def refund_advance(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    payment: Payment,
    date: date,
    amount: Decimal | int | str,
    memo: str = "",
) -> Refund:
    """返金: pay back up to the 前受金 left on ``payment``, from the deposit account of the sales
    settings (前受金 / 普通預金), on ``date`` (not before the payment)."""
    require_role(membership, *PAYMENT_ROLES)
    payment = _locked_payment(company, payment)
    errors: dict[str, list[str]] = {}
    _check_date(payment, date, errors, _("返金日"))
    value = _yen(amount)
    if value is None or value <= 0 or value > MAX_LINE:
        errors["amount"] = [_("返金額は1円以上の円単位の金額で入力してください。")]
    elif payment.unapplied == 0:
        errors["amount"] = [_("この入金に前受金は残っていません。")]
    elif value > payment.unapplied:
        errors["amount"] = [
            _("返金額が前受金の残高(%(left)s円)を超えています。") % {"left": _yen_text(payment.unapplied)}
        ]
    text = memo.strip()
    if len(text) > 200:
        errors["memo"] = [_("メモは200文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("返金を登録できません。"), code="validation", field_errors=errors)
    assert value is not None
    before = _take_from(payment, value)
    try:
        entry_id = post_refund(
            company=company,
            actor=actor,
            payment=payment,
            day=date,
            amount=value,
            settings=settings_of(company),
        )
    except ServiceError as exc:
        raise _refused_by_books(exc, _("返金を登録できません。")) from exc
    refund = Refund.objects.create(
        company=company,
        payment=payment,
        date=date,
        amount=value,
        memo=text,
        journal_entry_id=entry_id,
        created_by=actor,
    )
    extra: dict[str, Any] = {
        "reason": _("%(date)s 前受金を返金: %(amount)s円")
        % {"date": date.isoformat(), "amount": _yen_text(value)}
        + (f"({text})" if text else ""),
        "date": date,
        "amount": value,
        "refund": refund.pk,
        "journal_entry_id": entry_id,
    }
    record_event(
        company=company,
        actor=actor,
        action="refund",
        instance=payment,
        before={"unapplied": before},
        after={"unapplied": payment.unapplied},
        extra=extra,
    )
    return refund
