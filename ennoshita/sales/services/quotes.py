"""見積書 → 受注 → 納品書: quotes with revisions, accepting a quote into an order, orders entered
directly, delivery notes for what was delivered of an order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.core.permissions import require_role
from ennoshita.sales.models import (
    Customer,
    DeliveryLine,
    DeliveryNote,
    Opportunity,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
)
from ennoshita.sales.permissions import WRITE_ROLES

from .lines import LineSpec, check_lines, settings_of, totals_of
from .opportunities import win_by_accepted_quote

QUOTE_NUMBERS, ORDER_NUMBERS, DELIVERY_NUMBERS = "sales.quote", "sales.order", "sales.delivery"
DOC_FIELDS = (
    "number",
    "date",
    "customer",
    "subject",
    "prices_include_tax",
    "subtotal",
    "tax_total",
    "total",
    "notes",
)


def lines_for_audit(lines: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "line": n,
            "description": ln.description,
            "quantity": ln.quantity,
            "unit_price": ln.unit_price,
            "tax": ln.tax,
            "amount": ln.amount,
        }
        for n, ln in enumerate(lines, start=1)
    ]


def _customer_of(company: Company, customer: Customer, errors: dict[str, list[str]]) -> None:
    if customer.company_id != company.pk:
        raise NotFound()
    if not customer.is_active:
        errors["customer"] = [_("取引を停止した得意先です。")]


def _raise(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ServiceError(message, code="validation", field_errors=errors)


def _write_lines(model: Any, parent_field: str, parent: Any, checked: Sequence[Any]) -> list[Any]:
    rows = [
        model(company=parent.company, line_no=n, **{parent_field: parent}, **line.fields())
        for n, line in enumerate(checked, start=1)
    ]
    model.objects.bulk_create(rows)
    return rows


# ------------------------------------------------------------------------------------- quotes
@transaction.atomic
def create_quote(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    date: date,
    valid_until: date,
    lines: Sequence[LineSpec],
    subject: str = "",
    notes: str = "",
    prices_include_tax: bool | None = None,
    opportunity: Opportunity | None = None,
) -> Quote:
    """A new quote (第1版) with its number."""
    require_role(membership, *WRITE_ROLES)
    return _save_quote(
        company,
        actor,
        customer,
        date,
        valid_until,
        lines,
        subject,
        notes,
        prices_include_tax,
        opportunity,
        None,
    )


def _save_quote(
    company: Company,
    actor: User,
    customer: Customer,
    day: date,
    valid_until: date,
    specs: Sequence[LineSpec],
    subject: str,
    notes: str,
    prices_include_tax: bool | None,
    opportunity: Opportunity | None,
    revises: Quote | None,
) -> Quote:
    errors: dict[str, list[str]] = {}
    _customer_of(company, customer, errors)
    if opportunity is not None and opportunity.company_id != company.pk:
        raise NotFound()
    if valid_until < day:
        errors["valid_until"] = [_("有効期限は見積日以降の日付にしてください。")]
    settings = settings_of(company)
    included = settings.prices_include_tax if prices_include_tax is None else prices_include_tax
    checked = check_lines(company, specs, errors)
    totals = totals_of(checked, prices_include_tax=included, rounding=settings.tax_rounding, errors=errors)
    _raise(errors, _("見積書を保存できません。"))
    if revises is None:
        fy, seq = next_number_for_date(company=company, doc_type=QUOTE_NUMBERS, day=day)
        number, revision = format_number("Q", fy, seq), 1
    else:
        number, revision = revises.number, revises.revision + 1
    quote = Quote.objects.create(
        company=company,
        customer=customer,
        number=number,
        revision=revision,
        revises=revises,
        date=day,
        valid_until=valid_until,
        subject=subject.strip()[:200],
        notes=notes.strip(),
        prices_include_tax=included,
        tax_rounding=settings.tax_rounding,
        subtotal=totals.subtotal,
        tax_total=totals.tax_total,
        total=totals.total,
        rate_totals=totals.rate_totals,
        opportunity=opportunity or (revises.opportunity if revises else None),
        created_by=actor,
    )
    rows = _write_lines(QuoteLine, "quote", quote, checked)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=quote,
        after=snapshot(quote, fields=(*DOC_FIELDS, "revision", "valid_until")),
        extra={"lines": lines_for_audit(rows)},
    )
    return quote


def _locked_quote(company: Company, quote: Quote) -> Quote:
    found = Quote.objects.for_company(company).select_for_update().filter(pk=quote.pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def update_quote(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    quote: Quote,
    date: date,
    valid_until: date,
    lines: Sequence[LineSpec],
    subject: str = "",
    notes: str = "",
    prices_include_tax: bool | None = None,
) -> Quote:
    """Change a quote still being written. A quote that was sent is changed by a revision."""
    require_role(membership, *WRITE_ROLES)
    quote = _locked_quote(company, quote)
    if quote.status != Quote.Status.DRAFT:
        raise ServiceError(_("提出済みの見積書は変更できません。改訂版を作成してください。"))
    errors: dict[str, list[str]] = {}
    if valid_until < date:
        errors["valid_until"] = [_("有効期限は見積日以降の日付にしてください。")]
    included = quote.prices_include_tax if prices_include_tax is None else prices_include_tax
    checked = check_lines(company, lines, errors)
    totals = totals_of(checked, prices_include_tax=included, rounding=quote.tax_rounding, errors=errors)
    _raise(errors, _("見積書を保存できません。"))
    fields = (*DOC_FIELDS, "valid_until")
    before = snapshot(quote, fields=fields)
    old_lines = lines_for_audit(list(quote.lines.all()))
    quote.date, quote.valid_until, quote.subject, quote.notes = (
        date,
        valid_until,
        subject.strip()[:200],
        notes.strip(),
    )
    quote.prices_include_tax = included
    quote.subtotal, quote.tax_total, quote.total = totals.subtotal, totals.tax_total, totals.total
    quote.rate_totals = totals.rate_totals
    quote.save()
    quote.lines.all().delete()
    rows = _write_lines(QuoteLine, "quote", quote, checked)
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=quote,
        before=before,
        after=snapshot(quote, fields=fields),
        extra={"lines_before": old_lines, "lines": lines_for_audit(rows)},
    )
    return quote


def _set_quote_status(
    company: Company, actor: User, quote: Quote, status: str, allowed: tuple[str, ...]
) -> Quote:
    quote = _locked_quote(company, quote)
    if quote.status not in allowed:
        raise ServiceError(
            _("この見積書は「%(status)s」のため、この操作はできません。")
            % {"status": quote.get_status_display()}
        )
    before = snapshot(quote, fields=("status",))
    quote.status = status
    quote.save(update_fields=["status", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=quote,
        before=before,
        after=snapshot(quote, fields=("status",)),
    )
    return quote


@transaction.atomic
def mark_quote_sent(*, company: Company, actor: User, membership: Membership, quote: Quote) -> Quote:
    require_role(membership, *WRITE_ROLES)
    return _set_quote_status(company, actor, quote, Quote.Status.SENT, (Quote.Status.DRAFT,))


@transaction.atomic
def decline_quote(*, company: Company, actor: User, membership: Membership, quote: Quote) -> Quote:
    require_role(membership, *WRITE_ROLES)
    return _set_quote_status(
        company, actor, quote, Quote.Status.DECLINED, (Quote.Status.DRAFT, Quote.Status.SENT)
    )


@transaction.atomic
def revise_quote(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    quote: Quote,
    date: date,
    valid_until: date,
    lines: Sequence[LineSpec],
    subject: str = "",
    notes: str = "",
    prices_include_tax: bool | None = None,
) -> Quote:
    """改訂: a new version under the same number (版 + 1); the old one is kept as superseded."""
    require_role(membership, *WRITE_ROLES)
    old = _set_quote_status(
        company, actor, quote, Quote.Status.SUPERSEDED, (Quote.Status.DRAFT, Quote.Status.SENT)
    )
    return _save_quote(
        company,
        actor,
        old.customer,
        date,
        valid_until,
        lines,
        subject,
        notes,
        old.prices_include_tax if prices_include_tax is None else prices_include_tax,
        None,
        old,
    )


@transaction.atomic
def accept_quote(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    quote: Quote,
    date: date,
    customer_reference: str = "",
    delivery_date: date | None = None,
) -> Order:
    """受注: the quote becomes an order with the same lines and prices."""
    require_role(membership, *WRITE_ROLES)
    quote = _set_quote_status(
        company, actor, quote, Quote.Status.ACCEPTED, (Quote.Status.DRAFT, Quote.Status.SENT)
    )
    specs = [
        LineSpec(
            description=ln.description,
            quantity=ln.quantity,
            unit_price=ln.unit_price,
            tax=ln.tax,
            unit=ln.unit,
            product=ln.product,
        )
        for ln in quote.lines.select_related("product")
    ]
    order = _save_order(
        company,
        actor,
        quote.customer,
        date,
        specs,
        quote.subject,
        quote.notes,
        quote.prices_include_tax,
        customer_reference,
        delivery_date,
        quote,
    )
    if quote.opportunity_id:
        win_by_accepted_quote(company=company, actor=actor, opportunity_id=quote.opportunity_id)
    return order


# ------------------------------------------------------------------------------------- orders
@transaction.atomic
def create_order(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    date: date,
    lines: Sequence[LineSpec],
    subject: str = "",
    notes: str = "",
    prices_include_tax: bool | None = None,
    customer_reference: str = "",
    delivery_date: date | None = None,
) -> Order:
    """An order taken without a quote (e.g. a repeat order by phone)."""
    require_role(membership, *WRITE_ROLES)
    errors: dict[str, list[str]] = {}
    _customer_of(company, customer, errors)
    _raise(errors, _("受注を登録できません。"))
    included = settings_of(company).prices_include_tax if prices_include_tax is None else prices_include_tax
    return _save_order(
        company,
        actor,
        customer,
        date,
        lines,
        subject,
        notes,
        included,
        customer_reference,
        delivery_date,
        None,
    )


def _save_order(
    company: Company,
    actor: User,
    customer: Customer,
    day: date,
    specs: Sequence[LineSpec],
    subject: str,
    notes: str,
    included: bool,
    customer_reference: str,
    delivery_date: date | None,
    quote: Quote | None,
) -> Order:
    errors: dict[str, list[str]] = {}
    settings = settings_of(company)
    checked = check_lines(company, specs, errors)
    totals = totals_of(checked, prices_include_tax=included, rounding=settings.tax_rounding, errors=errors)
    _raise(errors, _("受注を登録できません。"))
    fy, seq = next_number_for_date(company=company, doc_type=ORDER_NUMBERS, day=day)
    order = Order.objects.create(
        company=company,
        customer=customer,
        number=format_number("SO", fy, seq),
        date=day,
        delivery_date=delivery_date,
        customer_reference=customer_reference.strip()[:50],
        quote=quote,
        subject=subject.strip()[:200],
        notes=notes.strip(),
        prices_include_tax=included,
        tax_rounding=settings.tax_rounding,
        subtotal=totals.subtotal,
        tax_total=totals.tax_total,
        total=totals.total,
        rate_totals=totals.rate_totals,
        created_by=actor,
    )
    rows = _write_lines(OrderLine, "order", order, checked)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=order,
        after=snapshot(order, fields=(*DOC_FIELDS, "customer_reference", "delivery_date", "quote")),
        extra={"lines": lines_for_audit(rows)},
    )
    return order


@transaction.atomic
def cancel_order(*, company: Company, actor: User, membership: Membership, order: Order) -> Order:
    """取消: only an order with nothing invoiced yet."""
    require_role(membership, *WRITE_ROLES)
    order = Order.objects.for_company(company).select_for_update().filter(pk=order.pk).first() or _not_found()
    if order.status != Order.Status.OPEN or order.invoices.exists():
        raise ServiceError(_("請求済みの受注は取り消せません。返還請求書で訂正してください。"))
    before = snapshot(order, fields=("status",))
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=order,
        before=before,
        after=snapshot(order, fields=("status",)),
    )
    return order


def _not_found() -> Any:
    raise NotFound()


def remaining_to_deliver(order_line: OrderLine) -> Decimal:
    delivered = sum((d.quantity for d in order_line.deliveries.all()), Decimal(0))
    return order_line.quantity - delivered


def remaining_to_invoice(order_line: OrderLine) -> Decimal:
    """Ordered quantity not yet on an invoice (drafts included, so that two drafts cannot both
    take the same quantity)."""
    invoiced = sum((il.quantity for il in order_line.invoice_lines.all()), Decimal(0))
    return order_line.quantity - invoiced


@transaction.atomic
def create_delivery_note(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    order: Order,
    date: date,
    quantities: dict[int, Decimal | int | str],
    notes: str = "",
) -> DeliveryNote:
    """納品書 for what is delivered now: ``quantities`` maps order line ids to quantities (at most
    what is left to deliver of each line)."""
    require_role(membership, *WRITE_ROLES)
    order = Order.objects.for_company(company).select_for_update().filter(pk=order.pk).first() or _not_found()
    if order.status == Order.Status.CANCELLED:
        raise ServiceError(_("取り消した受注です。"))
    errors: dict[str, list[str]] = {}
    lines = {ln.pk: ln for ln in order.lines.prefetch_related("deliveries")}
    wanted: list[tuple[OrderLine, Decimal]] = []
    for line_id, raw in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            raise NotFound()
        try:
            quantity = Decimal(str(raw))
        except ArithmeticError:
            quantity = Decimal(-1)
        if quantity == 0:
            continue
        if quantity < 0 or quantity != quantity.quantize(Decimal("0.001")):
            errors[f"quantities.{line_id}"] = [_("数量は0以上、小数点以下3桁までで入力してください。")]
        elif quantity > remaining_to_deliver(line):
            errors[f"quantities.{line_id}"] = [
                _("未納品の数量(%(left)s)を超えています。") % {"left": remaining_to_deliver(line).normalize()}
            ]
        else:
            wanted.append((line, quantity))
    if not wanted and not errors:
        errors["quantities"] = [_("納品する数量を入力してください。")]
    _raise(errors, _("納品書を作成できません。"))
    fy, seq = next_number_for_date(company=company, doc_type=DELIVERY_NUMBERS, day=date)
    note = DeliveryNote.objects.create(
        company=company,
        order=order,
        number=format_number("DN", fy, seq),
        date=date,
        notes=notes.strip(),
        created_by=actor,
    )
    DeliveryLine.objects.bulk_create(
        [DeliveryLine(company=company, delivery=note, order_line=line, quantity=q) for line, q in wanted]
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=note,
        after=snapshot(note, fields=("number", "date", "order", "notes")),
        extra={"lines": [{"order_line": line.line_no, "quantity": q} for line, q in wanted]},
    )
    return note
