"""請求書 (適格請求書) and 返還請求書 (credit notes): drafts, from orders (partial delivery),
issuing with a gapless number and the posting, credit notes linked to what they correct."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.core.permissions import require_role
from ennoshita.sales import rules
from ennoshita.sales.models import TAX_RATES, Customer, Invoice, InvoiceLine, Order, OrderLine, SalesTax
from ennoshita.sales.permissions import WRITE_ROLES

from .lines import LineSpec, check_lines, settings_of, totals_of
from .posting import post_invoice
from .quotes import lines_for_audit, remaining_to_invoice

INVOICE_NUMBERS, CREDIT_NUMBERS = "sales.invoice", "sales.credit"
INVOICE_FIELDS = (
    "kind",
    "number",
    "date",
    "customer",
    "subject",
    "prices_include_tax",
    "tax_rounding",
    "subtotal",
    "tax_total",
    "total",
    "rate_totals",
    "due_date",
    "period_start",
    "period_end",
    "notes",
)


def _raise(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ServiceError(message, code="validation", field_errors=errors)


def _locked(company: Company, invoice: Invoice) -> Invoice:
    found = Invoice.objects.for_company(company).select_for_update().filter(pk=invoice.pk).first()
    if found is None:
        raise NotFound()
    return found


def _check_customer(company: Company, customer: Customer, errors: dict[str, list[str]]) -> None:
    if customer.company_id != company.pk:
        raise NotFound()
    if not customer.is_active:
        errors["customer"] = [_("取引を停止した得意先です。")]


def _check_order_lines(
    specs: Sequence[LineSpec], customer: Customer, errors: dict[str, list[str]], *, exclude: Invoice | None
) -> None:
    """Invoicing from an order: at most what is left to invoice of each order line, and only the
    customer's own orders."""
    for n, spec in enumerate(specs):
        line = spec.order_line
        if line is None:
            continue
        if line.order.customer_id != customer.pk:
            errors[f"lines.{n}"] = [_("別の得意先の受注です。")]
            continue
        if line.order.status == Order.Status.CANCELLED:
            errors[f"lines.{n}"] = [_("取り消した受注です。")]
            continue
        left = remaining_to_invoice(line)
        if exclude is not None:
            left += sum(
                (il.quantity for il in line.invoice_lines.all() if il.invoice_id == exclude.pk), Decimal(0)
            )
        try:
            wanted = Decimal(str(spec.quantity))
        except ArithmeticError:
            continue  # check_lines reports it
        if wanted > left:
            errors[f"lines.{n}"] = [_("未請求の数量(%(left)s)を超えています。") % {"left": left.normalize()}]


@transaction.atomic
def save_invoice_draft(
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
    due_date: date | None = None,
    draft: Invoice | None = None,
) -> Invoice:
    """Create or change a draft invoice (no number, not in the books yet). Lines may come from
    orders (``LineSpec.order_line``): an order is then invoiced in part or in full."""
    require_role(membership, *WRITE_ROLES)
    errors: dict[str, list[str]] = {}
    if draft is not None:
        draft = _locked(company, draft)
        if draft.status != Invoice.Status.DRAFT:
            raise ServiceError(_("発行済みの請求書は変更できません。返還請求書で訂正してください。"))
        if draft.kind != Invoice.Kind.INVOICE:
            raise ServiceError(_("返還請求書は下書きにできません。"))
    _check_customer(company, customer, errors)
    settings = settings_of(company)
    included = settings.prices_include_tax if prices_include_tax is None else prices_include_tax
    checked = check_lines(company, lines, errors)
    _check_order_lines(lines, customer, errors, exclude=draft)
    totals = totals_of(checked, prices_include_tax=included, rounding=settings.tax_rounding, errors=errors)
    if due_date is not None and due_date < date:
        errors["due_date"] = [_("支払期日は請求日以降の日付にしてください。")]
    _raise(errors, _("請求書を保存できません。"))
    before = snapshot(draft, fields=INVOICE_FIELDS) if draft else None
    old_lines = lines_for_audit(list(draft.lines.all())) if draft else None
    invoice = draft or Invoice(company=company, kind=Invoice.Kind.INVOICE, created_by=actor)
    invoice.customer, invoice.date, invoice.subject, invoice.notes = (
        customer,
        date,
        subject.strip()[:200],
        notes.strip(),
    )
    invoice.prices_include_tax, invoice.tax_rounding = included, settings.tax_rounding
    invoice.subtotal, invoice.tax_total, invoice.total = totals.subtotal, totals.tax_total, totals.total
    invoice.rate_totals, invoice.due_date = totals.rate_totals, due_date
    dates = [s.delivered_on for s in lines if s.delivered_on]
    invoice.period_start, invoice.period_end = (min(dates), max(dates)) if dates else (None, None)
    invoice.save()
    if draft is not None:
        invoice.lines.all().delete()
    rows = [
        InvoiceLine(
            company=company,
            invoice=invoice,
            line_no=n,
            order_line=line.spec.order_line,
            delivered_on=line.spec.delivered_on,
            **line.fields(),
        )
        for n, line in enumerate(checked, start=1)
    ]
    InvoiceLine.objects.bulk_create(rows)
    order_ids = {s.order_line.order_id for s in lines if s.order_line is not None}
    invoice.orders.set(order_ids, through_defaults={"company": company})
    record_event(
        company=company,
        actor=actor,
        action="update" if draft else "create",
        instance=invoice,
        before=before,
        after=snapshot(invoice, fields=INVOICE_FIELDS),
        extra={
            "lines": lines_for_audit(rows),
            **({"lines_before": old_lines} if old_lines is not None else {}),
        },
    )
    return invoice


@transaction.atomic
def delete_invoice_draft(*, company: Company, actor: User, membership: Membership, invoice: Invoice) -> None:
    require_role(membership, *WRITE_ROLES)
    invoice = _locked(company, invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise ServiceError(_("発行済みの請求書は削除できません。返還請求書で訂正してください。"))
    record_event(
        company=company,
        actor=actor,
        action="delete",
        instance=invoice,
        before=snapshot(invoice, fields=INVOICE_FIELDS),
        extra={"lines": lines_for_audit(list(invoice.lines.all()))},
    )
    invoice.orders.clear()
    invoice.lines.all().delete()
    invoice.delete()


def _due_date(company: Company, invoice: Invoice) -> date:
    customer = invoice.customer
    return rules.due_date(
        invoice_date=invoice.date,
        closing_day=customer.closing_day,
        months_after=customer.payment_months_after,
        pay_day=customer.payment_day,
        holiday_rule=customer.holiday_rule or settings_of(company).holiday_rule,
    )


def _stamp_issue(company: Company, actor: User | None, invoice: Invoice, doc_type: str, prefix: str) -> None:
    settings = settings_of(company)
    fy, seq = next_number_for_date(company=company, doc_type=doc_type, day=invoice.date)
    invoice.number = format_number(prefix, fy, seq)
    invoice.status = Invoice.Status.ISSUED
    invoice.issuer_name = company.name
    invoice.issuer_registration_number = settings.registration_number
    invoice.customer_name = invoice.customer.addressee[:220]
    invoice.issued_by = actor
    invoice.issued_at = timezone.now()


def _refresh_order_status(order_ids: set[int]) -> None:
    """An order is 請求済み when every line is on issued invoices in full, 一部請求済み when some
    of it is (one grouped query for all the orders, one update per status)."""
    if not order_ids:
        return
    issued_on_invoices = Coalesce(
        Sum("invoice_lines__quantity", filter=Q(invoice_lines__invoice__status=Invoice.Status.ISSUED)),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=15, decimal_places=3),
    )
    rows = (
        OrderLine.objects.filter(order_id__in=order_ids)
        .values("pk", "order_id", "quantity")
        .annotate(issued=issued_on_invoices)
    )
    lines: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for row in rows:
        lines[row["order_id"]].append((row["quantity"], row["issued"]))
    wanted: dict[str, list[int]] = defaultdict(list)
    for order_id, pairs in lines.items():
        if all(issued >= quantity for quantity, issued in pairs):
            wanted[Order.Status.INVOICED].append(order_id)
        elif any(issued for _quantity, issued in pairs):
            wanted[Order.Status.PARTLY_INVOICED].append(order_id)
        else:
            wanted[Order.Status.OPEN].append(order_id)
    now = timezone.now()
    for status, ids in wanted.items():
        Order.objects.filter(pk__in=ids).exclude(status__in=(status, Order.Status.CANCELLED)).update(
            status=status, updated_at=now
        )


@transaction.atomic
def issue_invoice(*, company: Company, actor: User, membership: Membership, invoice: Invoice) -> Invoice:
    """発行: the draft gets its gapless number (per company and fiscal year), the issuer's name and
    登録番号 and the addressee are fixed, the due date follows the customer's terms, and the
    invoice is posted to the books — all in this transaction. From now on it never changes."""
    require_role(membership, *WRITE_ROLES)
    invoice = _locked(company, invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise ServiceError(_("この請求書はすでに発行されています。"))
    errors: dict[str, list[str]] = {}
    _check_customer(company, invoice.customer, errors)
    lines = list(
        invoice.lines.select_related("order_line__order").prefetch_related("order_line__invoice_lines")
    )
    if not lines:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    # the totals are computed again from the lines: what is issued is what the lines say
    totals = totals_of(
        lines, prices_include_tax=invoice.prices_include_tax, rounding=invoice.tax_rounding, errors=errors
    )
    specs = [
        LineSpec(
            description=ln.description,
            quantity=ln.quantity,
            unit_price=ln.unit_price,
            tax=ln.tax,
            order_line=ln.order_line,
        )
        for ln in lines
    ]
    _check_order_lines(specs, invoice.customer, errors, exclude=invoice)
    _raise(errors, _("請求書を発行できません。"))
    invoice.subtotal, invoice.tax_total, invoice.total = totals.subtotal, totals.tax_total, totals.total
    invoice.rate_totals = totals.rate_totals
    invoice.open_amount = totals.total
    if invoice.due_date is None:
        invoice.due_date = _due_date(company, invoice)
    _stamp_issue(company, actor, invoice, INVOICE_NUMBERS, "INV")
    invoice.journal_entry_id = post_invoice(company=company, actor=actor, invoice=invoice, lines=lines)
    invoice.save()
    _refresh_order_status({ln.order_line.order_id for ln in lines if ln.order_line is not None})
    record_event(
        company=company,
        actor=actor,
        action="issue",
        instance=invoice,
        after=snapshot(
            invoice, fields=(*INVOICE_FIELDS, "issuer_name", "issuer_registration_number", "journal_entry_id")
        ),
        extra={"lines": lines_for_audit(lines)},
    )
    return invoice


@transaction.atomic
def issue_credit_note(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    invoice: Invoice,
    date: date,
    lines: Sequence[LineSpec],
    reason: str,
) -> Invoice:
    """返還請求書 (適格返還請求書, 消費税法57条の4第3項): returns or discounts on an issued invoice,
    issued at once with its own gapless number, posted (売上値引・返品 / 売掛金) and deducted from
    what the customer still owes on that invoice. It cannot exceed what is still open on it."""
    require_role(membership, *WRITE_ROLES)
    original = _locked(company, invoice)
    if original.status != Invoice.Status.ISSUED or original.kind != Invoice.Kind.INVOICE:
        raise ServiceError(_("発行済みの請求書に対してだけ返還請求書を発行できます。"))
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("返品・値引などの理由を入力してください。")]
    if date < original.date:
        errors["date"] = [_("返還請求書の日付は元の請求日以降にしてください。")]
    checked = check_lines(company, lines, errors)
    if any(line.amount < 0 for line in checked):
        errors["lines"] = [_("返還請求書の明細はプラスの金額で入力してください。")]
    totals = totals_of(
        checked, prices_include_tax=original.prices_include_tax, rounding=original.tax_rounding, errors=errors
    )
    if not errors:
        rates_on_invoice = {TAX_RATES[SalesTax(ln.tax)] for ln in original.lines.all()}
        for n, line in enumerate(checked):
            if TAX_RATES[SalesTax(line.spec.tax)] not in rates_on_invoice:
                errors[f"lines.{n}"] = [_("元の請求書にない税率です。")]
        if totals.total > original.open_amount:
            errors["lines"] = [
                _(
                    "返還額(%(credit)s円)が請求書の未回収残高(%(open)s円)を超えています。入金済みの分は返金として処理してください。"
                )
                % {"credit": f"{totals.total:,}", "open": f"{original.open_amount:,}"}
            ]
    _raise(errors, _("返還請求書を発行できません。"))
    credit = Invoice(
        company=company,
        kind=Invoice.Kind.CREDIT,
        customer=original.customer,
        date=date,
        credit_of=original,
        reason=reason.strip()[:200],
        subject=original.subject,
        prices_include_tax=original.prices_include_tax,
        tax_rounding=original.tax_rounding,
        subtotal=totals.subtotal,
        tax_total=totals.tax_total,
        total=totals.total,
        rate_totals=totals.rate_totals,
        open_amount=Decimal(0),
        period_start=original.date,
        period_end=original.date,
        created_by=actor,
    )
    _stamp_issue(company, actor, credit, CREDIT_NUMBERS, "CN")
    credit.status = Invoice.Status.DRAFT  # lines first: the database refuses lines on an issued one
    credit.save()
    rows = [
        InvoiceLine(company=company, invoice=credit, line_no=n, **line.fields())
        for n, line in enumerate(checked, start=1)
    ]
    InvoiceLine.objects.bulk_create(rows)
    credit.journal_entry_id = post_invoice(company=company, actor=actor, invoice=credit, lines=rows)
    credit.status = Invoice.Status.ISSUED
    credit.save()
    _reduce_open(original, totals.total)
    record_event(
        company=company,
        actor=actor,
        action="issue",
        instance=credit,
        after=snapshot(credit, fields=(*INVOICE_FIELDS, "credit_of", "reason", "journal_entry_id")),
        extra={"lines": lines_for_audit(rows)},
    )
    return credit


def _reduce_open(invoice: Invoice, amount: Decimal) -> None:
    """Lower an issued invoice's 未回収残高 (the only column of an issued invoice that moves)."""
    updated = Invoice.objects.filter(pk=invoice.pk, open_amount__gte=amount).update(
        open_amount=invoice.open_amount - amount, updated_at=timezone.now()
    )
    if updated != 1:  # pragma: no cover - the caller locked the row and checked the amount
        raise ServiceError(_("未回収残高を超えています。"))
    invoice.open_amount -= amount


@transaction.atomic
def record_invoice_sent(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    invoice: Invoice,
    sent_to: str,
    pdf_document_id: int | None = None,
) -> Invoice:
    """送付の記録: when and to whom the issued invoice was sent (and the stored PDF)."""
    require_role(membership, *WRITE_ROLES)
    invoice = _locked(company, invoice)
    if invoice.status != Invoice.Status.ISSUED:
        raise ServiceError(_("発行前の請求書は送付できません。"))
    before = snapshot(invoice, fields=("sent_at", "sent_to", "pdf_document_id"))
    invoice.sent_at, invoice.sent_to = timezone.now(), sent_to[:254]
    if pdf_document_id is not None:
        invoice.pdf_document_id = pdf_document_id
    Invoice.objects.filter(pk=invoice.pk).update(
        sent_at=invoice.sent_at,
        sent_to=invoice.sent_to,
        pdf_document_id=invoice.pdf_document_id,
        updated_at=timezone.now(),
    )
    record_event(
        company=company,
        actor=actor,
        action="send",
        instance=invoice,
        before=before,
        after=snapshot(invoice, fields=("sent_at", "sent_to", "pdf_document_id")),
    )
    return invoice
