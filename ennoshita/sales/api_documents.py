"""/api/v1/sales/: quotes (見積書), orders (受注) and delivery notes, invoices and credit notes
(適格請求書・適格返還請求書), payments (入金・消込), and receivables (売掛金).

Handlers parse, call ``sales.services`` / ``sales.selectors`` with the token's company, membership
and user, and return. Reading takes a role of ``permissions.READ_ROLES`` (admin, sales_admin,
accounting, finance, manager); writing documents one of ``WRITE_ROLES`` (admin, sales_admin,
accounting); recording payments one of ``PAYMENT_ROLES`` (admin, accounting, finance). Anyone
else gets a 403, checked before any lookup, and nothing is written.

An unknown id in the path is a 404 (another company's id looks the same). An unknown id inside a
body or a filter (``customer_id``, ``lines.N.product_id``, ``lines.N.order_line_id``,
``allocations.N.invoice_id``, a key of ``quantities``) is a 400 on that field, like any other
wrong value there, and nothing is written. A business rule that says no (a sent quote changed, an
issued invoice changed, a credit beyond what is open, an allocation beyond an invoice's open
amount) is a 400 problem from the service, with the message on its field. A ``ServiceError``
names model fields (``customer``); the API names the id it was sent (``customer_id``), so
:func:`_api_field_names` renames them on the way out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import quote as url_quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Problem, caller_of
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.paging import rows_by_keys
from ennoshita.core.permissions import require_role

from . import pdf
from .models import Customer, Invoice, Order, OrderLine, Product, Quote
from .permissions import PAYMENT_ROLES, READ_ROLES, WRITE_ROLES
from .schemas_documents import (
    AcceptIn,
    AgingBuckets,
    AgingOut,
    AgingRowOut,
    ApplyAdvanceIn,
    AsOfQuery,
    BalanceOut,
    BalancesOut,
    CreditIn,
    CustomerLedgerOut,
    CustomerRef,
    DeliveryIn,
    DeliveryOut,
    Id,
    InvoiceDetail,
    InvoiceFilters,
    InvoiceIn,
    InvoiceLineIn,
    InvoiceOut,
    InvoicePage,
    LedgerQuery,
    LedgerRowOut,
    LineIn,
    OrderCreate,
    OrderDetail,
    OrderFilters,
    OrderOut,
    OrderPage,
    PaymentCreate,
    PaymentDetail,
    PaymentFilters,
    PaymentOut,
    PaymentPage,
    QuoteCreate,
    QuoteDetail,
    QuoteFilters,
    QuoteIn,
    QuoteOut,
    QuotePage,
    RefundIn,
    SendIn,
)
from .selectors import advances as advance_selectors
from .selectors import documents as doc_selectors
from .selectors import receivables
from .services import advances as advance_services
from .services import invoices as invoice_services
from .services import payments as payment_services
from .services import quotes as quote_services
from .services.lines import LineSpec
from .services.sending import send_invoice

router = Router(tags=["sales"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
PDF = {
    "responses": {
        200: {
            "description": "PDF(既定は inline。`?download=1` で attachment)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}

# model field in a ServiceError → the field the API client sent
API_FIELD_NAMES = {"customer": "customer_id", "order": "order_id", "invoice": "invoice_id"}


@contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ServiceError as exc:
        exc.field_errors = {API_FIELD_NAMES.get(k, k): v for k, v in exc.field_errors.items()}
        raise


def _reader(request: HttpRequest) -> Caller:
    c = caller_of(request)
    require_role(c.membership, *READ_ROLES)
    return c


def _writer(request: HttpRequest) -> Caller:
    """Checked before any lookup, so that a reader learns nothing from a write."""
    c = caller_of(request)
    require_role(c.membership, *WRITE_ROLES)
    return c


def _payer(request: HttpRequest) -> Caller:
    c = caller_of(request)
    require_role(c.membership, *PAYMENT_ROLES)
    return c


def _bad(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


# ------------------------------------------------------------------ ids sent in a body or a filter
def _customer_ref(c: Caller, customer_id: int) -> Customer:
    """A customer id sent in a body or a filter; unknown (or another company's) → 400 on ``customer_id``."""
    try:
        return doc_selectors.get_customer(company=c.company, customer_id=customer_id)
    except NotFound as exc:
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"customer_id": [_("得意先が見つかりません。")]},
        ) from exc


def _customer_filter(c: Caller, customer_id: int | None) -> Customer | None:
    return None if customer_id is None else _customer_ref(c, customer_id)


def _quote(c: Caller, quote_id: int) -> Quote:
    return doc_selectors.get_quote(**c.reader(), quote_id=quote_id)


def _order(c: Caller, order_id: int) -> Order:
    return doc_selectors.get_order(**c.reader(), order_id=order_id)


def _invoice(c: Caller, invoice_id: int) -> Invoice:
    return doc_selectors.get_invoice(**c.reader(), invoice_id=invoice_id)


def _line_specs(
    c: Caller, lines: Sequence[LineIn], *, order_lines: bool = False
) -> tuple[list[LineSpec], list[OrderLine]]:
    """The lines as the services take them: the products and order lines they name looked up in
    the company (two queries for any number of lines); what a line leaves out comes from its
    order line, then its product. Anything unknown is a 400 naming the line."""
    product_ids = {ln.product_id for ln in lines if ln.product_id is not None}
    line_ids = {
        ln.order_line_id for ln in lines if isinstance(ln, InvoiceLineIn) and ln.order_line_id is not None
    }
    products = Product.objects.for_company(c.company).in_bulk(product_ids) if product_ids else {}
    found_lines = (
        {
            ol.pk: ol
            for ol in OrderLine.objects.for_company(c.company)
            .filter(pk__in=line_ids)
            .select_related("order", "product")
            .prefetch_related("invoice_lines")
        }
        if line_ids and order_lines
        else {}
    )
    errors: dict[str, list[str]] = {}
    specs: list[LineSpec] = []
    used: list[OrderLine] = []
    for n, ln in enumerate(lines):
        at = f"lines.{n}"
        product = products.get(ln.product_id) if ln.product_id is not None else None
        if ln.product_id is not None and product is None:
            errors[f"{at}.product_id"] = [_("品目が見つかりません。")]
        order_line = None
        delivered_on = None
        if isinstance(ln, InvoiceLineIn):
            delivered_on = ln.delivered_on
            if ln.order_line_id is not None:
                order_line = found_lines.get(ln.order_line_id)
                if order_line is None:
                    errors[f"{at}.order_line_id"] = [_("受注明細が見つかりません。")]
                else:
                    used.append(order_line)
        source: Any = order_line or product
        unit_price = ln.unit_price
        if unit_price is None and source is not None:
            unit_price = str(source.unit_price)
        unknown = f"{at}.product_id" in errors or f"{at}.order_line_id" in errors
        if unit_price is None and not unknown:
            errors[f"{at}.unit_price"] = [_("単価を入力してください。")]
        if errors:
            continue
        description = ln.description
        if not description.strip() and source is not None:
            description = source.description if order_line is not None else source.name
        unit = ln.unit
        if unit is None:
            unit = source.unit if source is not None else ""
        specs.append(
            LineSpec(
                description=description,
                quantity=ln.quantity,
                unit_price=unit_price or "0",
                tax=ln.tax or (source.tax if source is not None else "S10"),
                unit=unit,
                product=product or (order_line.product if order_line is not None else None),
                order_line=order_line,
                delivered_on=delivered_on,
            )
        )
    _bad(errors)
    return specs, used


def _page(qs: Any, limit: int, offset: int) -> tuple[int, list[Any]]:
    # keys first: a deep offset of a long search sorts only the keys (core.paging)
    return qs.count(), rows_by_keys(qs, offset, offset + limit)


def _pdf(request: HttpRequest, body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    ascii_name = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_." else "_" for ch in filename)
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}.pdf\"; filename*=UTF-8''{url_quote(filename + '.pdf')}"
    )
    response["Content-Length"] = str(len(body))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ quotes
@router.get("/quotes", response={200: QuotePage, **ERRORS}, summary="見積書の一覧")
def list_quotes(request: HttpRequest, filters: Query[QuoteFilters]) -> QuotePage:
    """見積日の新しい順。`count` は条件に合う件数の合計です。明細は含みません。"""
    c = _reader(request)
    customer = _customer_filter(c, filters.customer_id)
    qs = doc_selectors.quote_list(
        **c.reader(),
        q=filters.q,
        status=filters.status or "",
        customer=customer,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    total, rows = _page(qs, filters.limit, filters.offset)
    return QuotePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[QuoteOut.of(q) for q in rows]
    )


@router.get("/quotes/{quote_id}", response={200: QuoteDetail, **READ_ERRORS}, summary="見積書の詳細")
def get_quote(request: HttpRequest, quote_id: Id) -> QuoteDetail:
    """明細、税率ごとの合計、改訂の関係、受注を返します。"""
    c = _reader(request)
    return QuoteDetail.of(_quote(c, quote_id))


@router.post("/quotes", response={201: QuoteDetail, **ERRORS}, summary="見積書の作成")
def create_quote(request: HttpRequest, payload: QuoteCreate) -> Status[QuoteDetail]:
    """作成中(`draft`)の見積書(第1版)を見積番号つきで作ります。明細の `product_id` を指定すると、
    省略した品名・単価・税区分・単位は品目から取ります。"""
    c = _writer(request)
    with _api_field_names():
        customer = _customer_ref(c, payload.customer_id)
        specs, _used = _line_specs(c, payload.lines)
        quote = quote_services.create_quote(
            **c.writer(),
            customer=customer,
            date=payload.date,
            valid_until=payload.valid_until,
            lines=specs,
            subject=payload.subject,
            notes=payload.notes,
            prices_include_tax=payload.prices_include_tax,
        )
    return Status(201, QuoteDetail.of(_quote(c, quote.pk)))


@router.put("/quotes/{quote_id}", response={200: QuoteDetail, **ERRORS}, summary="作成中の見積書の置き換え")
def update_quote(request: HttpRequest, quote_id: Id, payload: QuoteIn) -> QuoteDetail:
    """作成中の見積書の日付・件名・明細などを送った内容で置き換えます。得意先は変えられません。
    提出済みの見積書は 400 で、改訂(POST /quotes/{quote_id}/revise)を使います。"""
    c = _writer(request)
    quote = _quote(c, quote_id)
    with _api_field_names():
        specs, _used = _line_specs(c, payload.lines)
        quote_services.update_quote(
            **c.writer(),
            quote=quote,
            date=payload.date,
            valid_until=payload.valid_until,
            lines=specs,
            subject=payload.subject,
            notes=payload.notes,
            prices_include_tax=payload.prices_include_tax,
        )
    return QuoteDetail.of(_quote(c, quote.pk))


@router.post(
    "/quotes/{quote_id}/send", response={200: QuoteDetail, **ERRORS}, summary="見積書を提出済みにする"
)
def send_quote(request: HttpRequest, quote_id: Id) -> QuoteDetail:
    """作成中の見積書を提出済み(`sent`)にします。以後の変更は改訂で行います。"""
    c = _writer(request)
    quote = quote_services.mark_quote_sent(**c.writer(), quote=_quote(c, quote_id))
    return QuoteDetail.of(_quote(c, quote.pk))


@router.post("/quotes/{quote_id}/revise", response={201: QuoteDetail, **ERRORS}, summary="見積書の改訂")
def revise_quote(request: HttpRequest, quote_id: Id, payload: QuoteIn) -> Status[QuoteDetail]:
    """同じ見積番号で版を1つ上げた新しい見積書を作り、元の見積書は改訂済み(`superseded`)にします。
    返すのは新しい版です。"""
    c = _writer(request)
    quote = _quote(c, quote_id)
    with _api_field_names():
        specs, _used = _line_specs(c, payload.lines)
        revision = quote_services.revise_quote(
            **c.writer(),
            quote=quote,
            date=payload.date,
            valid_until=payload.valid_until,
            lines=specs,
            subject=payload.subject,
            notes=payload.notes,
            prices_include_tax=payload.prices_include_tax,
        )
    return Status(201, QuoteDetail.of(_quote(c, revision.pk)))


@router.post("/quotes/{quote_id}/accept", response={201: OrderDetail, **ERRORS}, summary="見積書の受注")
def accept_quote(request: HttpRequest, quote_id: Id, payload: AcceptIn) -> Status[OrderDetail]:
    """見積書を受注(`accepted`)にし、同じ明細・単価の受注を作って返します。本文は `{}` でも構いません(受注日は今日)。"""
    c = _writer(request)
    quote = _quote(c, quote_id)
    with _api_field_names():
        order = quote_services.accept_quote(
            **c.writer(),
            quote=quote,
            date=payload.date or timezone.localdate(),
            customer_reference=payload.customer_reference,
            delivery_date=payload.delivery_date,
        )
    return Status(201, _order_detail(c, order.pk))


@router.post("/quotes/{quote_id}/decline", response={200: QuoteDetail, **ERRORS}, summary="見積書の失注")
def decline_quote(request: HttpRequest, quote_id: Id) -> QuoteDetail:
    c = _writer(request)
    quote = quote_services.decline_quote(**c.writer(), quote=_quote(c, quote_id))
    return QuoteDetail.of(_quote(c, quote.pk))


@router.get("/quotes/{quote_id}/pdf", response={**READ_ERRORS}, summary="見積書のPDF", openapi_extra=PDF)
def quote_pdf(request: HttpRequest, quote_id: Id) -> HttpResponse:
    c = _reader(request)
    quote = _quote(c, quote_id)
    return _pdf(request, pdf.quote_pdf(quote), f"quote-{quote}")


# ------------------------------------------------------------------ orders
def _order_detail(c: Caller, order_id: int) -> OrderDetail:
    order = _order(c, order_id)
    return OrderDetail.of(order, doc_selectors.order_progress(order=order))


@router.get("/orders", response={200: OrderPage, **ERRORS}, summary="受注の一覧")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> OrderPage:
    """受注日の新しい順。明細は含みません。"""
    c = _reader(request)
    customer = _customer_filter(c, filters.customer_id)
    qs = doc_selectors.order_list(
        **c.reader(),
        q=filters.q,
        status=filters.status or "",
        customer=customer,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    total, rows = _page(qs, filters.limit, filters.offset)
    return OrderPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[OrderOut.of(o) for o in rows]
    )


@router.get("/orders/{order_id}", response={200: OrderDetail, **READ_ERRORS}, summary="受注の詳細")
def get_order(request: HttpRequest, order_id: Id) -> OrderDetail:
    """明細ごとに受注・納品済み・請求済みの数量と、未納品・未請求の数量を返します。請求書の明細の
    `order_line_id` には `lines.id` を使います。"""
    c = _reader(request)
    return _order_detail(c, order_id)


@router.post("/orders", response={201: OrderDetail, **ERRORS}, summary="受注の登録")
def create_order(request: HttpRequest, payload: OrderCreate) -> Status[OrderDetail]:
    """見積書を経ない受注(電話での追加注文など)。"""
    c = _writer(request)
    with _api_field_names():
        customer = _customer_ref(c, payload.customer_id)
        specs, _used = _line_specs(c, payload.lines)
        order = quote_services.create_order(
            **c.writer(),
            customer=customer,
            date=payload.date,
            lines=specs,
            subject=payload.subject,
            notes=payload.notes,
            prices_include_tax=payload.prices_include_tax,
            customer_reference=payload.customer_reference,
            delivery_date=payload.delivery_date,
        )
    return Status(201, _order_detail(c, order.pk))


@router.post("/orders/{order_id}/cancel", response={200: OrderDetail, **ERRORS}, summary="受注の取消")
def cancel_order(request: HttpRequest, order_id: Id) -> OrderDetail:
    """請求書(下書きを含む)のない受注だけを取り消せます。"""
    c = _writer(request)
    order = quote_services.cancel_order(**c.writer(), order=_order(c, order_id))
    return _order_detail(c, order.pk)


@router.post("/orders/{order_id}/deliveries", response={201: DeliveryOut, **ERRORS}, summary="納品書の作成")
def create_delivery(request: HttpRequest, order_id: Id, payload: DeliveryIn) -> Status[DeliveryOut]:
    """今回納品する数量を受注明細IDごとに送ります(未納品の数量まで)。この受注の明細でないIDは
    `quantities.<id>` に 400 です。"""
    c = _writer(request)
    order = _order(c, order_id)
    own = {ln.pk for ln in order.lines.all()}
    _bad(
        {
            f"quantities.{line_id}": [_("この受注の明細ではありません。")]
            for line_id in payload.quantities
            if line_id not in own
        }
    )
    with _api_field_names():
        note = quote_services.create_delivery_note(
            **c.writer(),
            order=order,
            date=payload.date,
            quantities=dict(payload.quantities),
            notes=payload.notes,
        )
    return Status(201, DeliveryOut.of(note))


# ------------------------------------------------------------------ invoices
def _invoice_detail(c: Caller, invoice_id: int) -> InvoiceDetail:
    invoice = _invoice(c, invoice_id)
    warning = None
    if invoice.status == Invoice.Status.DRAFT and invoice.kind == Invoice.Kind.INVOICE:
        warning = doc_selectors.credit_warning(
            company=c.company, customer=invoice.customer, extra=invoice.total
        )
    return InvoiceDetail.of(invoice, warning)


@router.get("/invoices", response={200: InvoicePage, **ERRORS}, summary="請求書・返還請求書の一覧")
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilters]) -> InvoicePage:
    """請求日の新しい順。`unpaid_only` は未回収残高のある発行済みの請求書、`overdue_only` はそのうち
    支払期日(`as_of` 省略時は今日)を過ぎたものです。明細は含みません。"""
    c = _reader(request)
    customer = _customer_filter(c, filters.customer_id)
    qs = doc_selectors.invoice_list(
        **c.reader(),
        q=filters.q,
        status=filters.status or "",
        kind=filters.kind or "",
        customer=customer,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unpaid_only=filters.unpaid_only,
        overdue_only=filters.overdue_only,
        as_of=filters.as_of,
    )
    total, rows = _page(qs, filters.limit, filters.offset)
    return InvoicePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[InvoiceOut.of(i) for i in rows]
    )


@router.get("/invoices/{invoice_id}", response={200: InvoiceDetail, **READ_ERRORS}, summary="請求書の詳細")
def get_invoice(request: HttpRequest, invoice_id: Id) -> InvoiceDetail:
    """適格請求書の記載事項をすべて返します: 発行者の名称と登録番号、取引年月日、明細(軽減税率の行は
    `is_reduced_rate`)、税率ごとの対価の額と消費税額等、宛名。加えて未回収残高、支払期日、仕訳ID、
    訂正する請求書(`credit_of`)、返還請求書、消し込まれた入金。"""
    c = _reader(request)
    return _invoice_detail(c, invoice_id)


def _invoice_args(c: Caller, payload: InvoiceIn) -> dict[str, Any]:
    customer = _customer_ref(c, payload.customer_id)
    specs, order_lines = _line_specs(c, payload.lines, order_lines=True)
    included = payload.prices_include_tax
    if included is None and order_lines:
        included = order_lines[0].order.prices_include_tax
    return {
        "customer": customer,
        "date": payload.date,
        "lines": specs,
        "subject": payload.subject,
        "notes": payload.notes,
        "prices_include_tax": included,
        "due_date": payload.due_date,
    }


@router.post("/invoices", response={201: InvoiceDetail, **ERRORS}, summary="請求書の下書きの作成")
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Status[InvoiceDetail]:
    """下書き(番号なし、まだ記帳されません)を作ります。明細に `order_line_id` を付けると受注を請求し
    (一部でも可。未請求の数量まで)、省略した品名・単価・税区分・単位は受注明細から取ります。
    発行は POST /invoices/{invoice_id}/issue です。"""
    c = _writer(request)
    with _api_field_names():
        invoice = invoice_services.save_invoice_draft(**c.writer(), **_invoice_args(c, payload))
    return Status(201, _invoice_detail(c, invoice.pk))


@router.put(
    "/invoices/{invoice_id}", response={200: InvoiceDetail, **ERRORS}, summary="下書きの請求書の置き換え"
)
def update_invoice(request: HttpRequest, invoice_id: Id, payload: InvoiceIn) -> InvoiceDetail:
    """下書きを送った内容で置き換えます。発行済みの請求書は 400 で、返還請求書で訂正します。"""
    c = _writer(request)
    draft = _invoice(c, invoice_id)
    with _api_field_names():
        invoice_services.save_invoice_draft(**c.writer(), **_invoice_args(c, payload), draft=draft)
    return _invoice_detail(c, draft.pk)


@router.delete("/invoices/{invoice_id}", response={204: None, **ERRORS}, summary="下書きの請求書の削除")
def delete_invoice(request: HttpRequest, invoice_id: Id) -> Status[None]:
    """下書きだけを削除できます。発行済みの請求書は 400 です。"""
    c = _writer(request)
    invoice_services.delete_invoice_draft(**c.writer(), invoice=_invoice(c, invoice_id))
    return Status(204, None)


@router.post("/invoices/{invoice_id}/issue", response={200: InvoiceDetail, **ERRORS}, summary="請求書の発行")
def issue_invoice(request: HttpRequest, invoice_id: Id) -> InvoiceDetail:
    """下書きに連番の請求書番号を付け、発行者の名称・登録番号と宛名を記録し、支払期日(未指定なら
    得意先の支払条件から)を決めて売上を記帳します。以後変更できません。"""
    c = _writer(request)
    with _api_field_names():
        invoice = invoice_services.issue_invoice(**c.writer(), invoice=_invoice(c, invoice_id))
    return _invoice_detail(c, invoice.pk)


@router.post(
    "/invoices/{invoice_id}/credit", response={201: InvoiceDetail, **ERRORS}, summary="返還請求書の発行"
)
def credit_invoice(request: HttpRequest, invoice_id: Id, payload: CreditIn) -> Status[InvoiceDetail]:
    """発行済みの請求書への返品・値引を、返還請求書(適格返還請求書)として番号を付けて発行し、記帳し、
    元の請求書の未回収残高から差し引きます。明細はプラスの金額で、元の請求書にある税率だけ、合計は
    未回収残高までです。返すのは新しい返還請求書です(`credit_of` が元の請求書)。"""
    c = _writer(request)
    invoice = _invoice(c, invoice_id)
    with _api_field_names():
        specs, _used = _line_specs(c, payload.lines)
        credit = invoice_services.issue_credit_note(
            **c.writer(), invoice=invoice, date=payload.date, lines=specs, reason=payload.reason
        )
    return Status(201, _invoice_detail(c, credit.pk))


@router.post(
    "/invoices/{invoice_id}/send", response={200: InvoiceDetail, **ERRORS}, summary="請求書のメール送付"
)
def send_invoice_mail(request: HttpRequest, invoice_id: Id, payload: SendIn) -> InvoiceDetail:
    """発行済みの請求書(返還請求書も)を PDF を添付してメールで送り、その PDF を電子取引の記録として
    文書に保存し、送付日時と送付先を記録します。"""
    c = _writer(request)
    invoice = _invoice(c, invoice_id)
    send_invoice(
        **c.writer(), invoice=invoice, to=payload.to, subject=payload.subject, message=payload.message
    )
    return _invoice_detail(c, invoice.pk)


@router.get("/invoices/{invoice_id}/pdf", response={**READ_ERRORS}, summary="請求書のPDF", openapi_extra=PDF)
def invoice_pdf(request: HttpRequest, invoice_id: Id) -> HttpResponse:
    """下書きは「下書き」の透かし入りです。"""
    c = _reader(request)
    invoice = _invoice(c, invoice_id)
    prefix = "credit" if invoice.is_credit else "invoice"
    return _pdf(request, pdf.invoice_pdf(invoice), f"{prefix}-{invoice.number or f'draft-{invoice.pk}'}")


# ------------------------------------------------------------------ payments
@router.get("/payments", response={200: PaymentPage, **ERRORS}, summary="入金の一覧")
def list_payments(request: HttpRequest, filters: Query[PaymentFilters]) -> PaymentPage:
    """入金日の新しい順。消込の内訳は含みません。"""
    c = _reader(request)
    customer = _customer_filter(c, filters.customer_id)
    qs = doc_selectors.payment_list(
        **c.reader(), q=filters.q, customer=customer, date_from=filters.date_from, date_to=filters.date_to
    )
    total, rows = _page(qs, filters.limit, filters.offset)
    return PaymentPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[PaymentOut.of(p) for p in rows]
    )


def _payment_detail(c: Caller, payment_id: int) -> PaymentDetail:
    payment = doc_selectors.get_payment(**c.reader(), payment_id=payment_id)
    return PaymentDetail.of(payment, advance_selectors.payment_advances(**c.reader(), payment=payment))


@router.get("/payments/{payment_id}", response={200: PaymentDetail, **READ_ERRORS}, summary="入金の詳細")
def get_payment(request: HttpRequest, payment_id: Id) -> PaymentDetail:
    """消込の内訳と、前受金の充当・返金の履歴を含みます。"""
    c = _reader(request)
    return _payment_detail(c, payment_id)


@router.post(
    "/payments", response={201: PaymentDetail, **ERRORS}, summary="入金の登録と消込(経理・財務・管理者)"
)
def create_payment(request: HttpRequest, payload: PaymentCreate) -> Status[PaymentDetail]:
    """入金を登録し、請求書に消し込みます。消込の合計は入金額 + 振込手数料(先方が差し引いた分)までで、
    残りは前受金になります。`auto_allocate: true` なら、その得意先の未回収の請求書に支払期日の古い順に
    消し込みます。"""
    c = _payer(request)
    with _api_field_names():
        customer = _customer_ref(c, payload.customer_id)
        if payload.auto_allocate and payload.allocations:
            _bad({"auto_allocate": [_("allocations と auto_allocate は同時に指定できません。")]})
        if payload.auto_allocate:
            allocations = payment_services.suggest_allocations(
                invoices=doc_selectors.invoices_open_for_customer(company=c.company, customer=customer),
                amount=payload.amount,
                fee=payload.fee,
            )
        else:
            allocations = _allocations(c, payload)
        payment = payment_services.record_payment(
            **c.writer(),
            customer=customer,
            date=payload.date,
            amount=payload.amount,
            fee=payload.fee,
            method=payload.method,
            payer_name=payload.payer_name,
            memo=payload.memo,
            allocations=allocations,
        )
    return Status(201, _payment_detail(c, payment.pk))


def _allocations(c: Caller, payload: PaymentCreate | ApplyAdvanceIn) -> list[payment_services.Allocation]:
    ids = {a.invoice_id for a in payload.allocations}
    found = Invoice.objects.for_company(c.company).in_bulk(ids) if ids else {}
    _bad(
        {
            f"allocations.{n}.invoice_id": [_("請求書が見つかりません。")]
            for n, a in enumerate(payload.allocations)
            if a.invoice_id not in found
        }
    )
    return [payment_services.Allocation(found[a.invoice_id], a.amount) for a in payload.allocations]


@router.post(
    "/payments/{payment_id}/apply-advance",
    response={201: PaymentDetail, **ERRORS},
    summary="前受金の請求書への充当(経理・財務・管理者)",
)
def apply_advance(request: HttpRequest, payment_id: Id, payload: ApplyAdvanceIn) -> Status[PaymentDetail]:
    """入金の前受金を、同じ得意先の発行済みの請求書に充当します(仕訳: 前受金 / 売掛金)。請求書ごとに
    未回収残高まで、合計は前受金の残高までです。充当日は入金日・請求日以降で、締めた月には記帳できません。
    どれか一つでも誤りがあれば何も記録しません。"""
    c = _payer(request)
    payment = doc_selectors.get_payment(**c.reader(), payment_id=payment_id)
    with _api_field_names():
        allocations = _allocations(c, payload)
        advance_services.apply_advance(
            **c.writer(), payment=payment, date=payload.date, allocations=allocations
        )
    return Status(201, _payment_detail(c, payment.pk))


@router.post(
    "/payments/{payment_id}/refund",
    response={201: PaymentDetail, **ERRORS},
    summary="前受金の返金(経理・財務・管理者)",
)
def refund_advance(request: HttpRequest, payment_id: Id, payload: RefundIn) -> Status[PaymentDetail]:
    """入金の前受金を得意先に返金した記録です(仕訳: 前受金 / 入金口座)。返金額は前受金の残高までです。"""
    c = _payer(request)
    payment = doc_selectors.get_payment(**c.reader(), payment_id=payment_id)
    advance_services.refund_advance(
        **c.writer(), payment=payment, date=payload.date, amount=payload.amount, memo=payload.memo
    )
    return Status(201, _payment_detail(c, payment.pk))


@router.get(
    "/payments/{payment_id}/receipt", response={**READ_ERRORS}, summary="領収書のPDF", openapi_extra=PDF
)
def payment_receipt(request: HttpRequest, payment_id: Id) -> HttpResponse:
    c = _reader(request)
    payment = doc_selectors.get_payment(**c.reader(), payment_id=payment_id)
    return _pdf(request, pdf.receipt_pdf(payment), f"receipt-{payment.date:%Y%m%d}-{payment.pk}")


# ------------------------------------------------------------------ receivables
@router.get(
    "/receivables/balances", response={200: BalancesOut, **READ_ERRORS}, summary="得意先別の売掛金残高"
)
def receivable_balances(request: HttpRequest, query: Query[AsOfQuery]) -> BalancesOut:
    """基準日までに発行した請求書の未回収残高と、前受金を得意先ごとに返します。"""
    c = _reader(request)
    as_of = query.as_of or timezone.localdate()
    rows = receivables.customer_balances(**c.reader(), as_of=as_of)
    return BalancesOut(
        as_of=as_of,
        items=[
            BalanceOut(
                customer=CustomerRef.of(b.customer),
                receivable=int(b.receivable),
                advances=int(b.advances),
                net=int(b.net),
            )
            for b in rows
        ],
        receivable=int(sum((b.receivable for b in rows), Decimal(0))),
        advances=int(sum((b.advances for b in rows), Decimal(0))),
    )


@router.get("/receivables/aging", response={200: AgingOut, **READ_ERRORS}, summary="売掛金の年齢表")
def receivable_aging(request: HttpRequest, query: Query[AsOfQuery]) -> AgingOut:
    """未回収残高を、基準日に支払期日前・期日後 1〜30日・31〜60日・61〜90日・91日以上に分けます。"""
    c = _reader(request)
    as_of = query.as_of or timezone.localdate()
    table = receivables.aging(**c.reader(), as_of=as_of)
    return AgingOut(
        as_of=as_of,
        rows=[
            AgingRowOut(customer=CustomerRef.of(r.customer), **AgingBuckets.of(r).model_dump())
            for r in table.rows
            if r.customer is not None
        ],
        totals=AgingBuckets.of(table.totals),
    )


@router.get(
    "/customers/{customer_id}/ledger", response={200: CustomerLedgerOut, **ERRORS}, summary="得意先元帳"
)
def customer_ledger(request: HttpRequest, customer_id: Id, query: Query[LedgerQuery]) -> CustomerLedgerOut:
    """期間の請求(+)、返還・入金・振込手数料(−)、前受金の返金(+)と、前期繰越からの残高です。"""
    c = _reader(request)
    customer = doc_selectors.get_customer(company=c.company, customer_id=customer_id)
    end = query.end or timezone.localdate()
    start = query.start or end.replace(day=1)
    if start > end:
        _bad({"start": [_("期間の初めは終わり以前の日付にしてください。")]})
    ledger = receivables.customer_ledger(**c.reader(), customer=customer, start=start, end=end)
    return CustomerLedgerOut(
        customer=CustomerRef.of(customer),
        start=start,
        end=end,
        opening=int(ledger.opening),
        debit_total=int(ledger.debit_total),
        credit_total=int(ledger.credit_total),
        closing=int(ledger.closing),
        rows=[
            LedgerRowOut(
                date=r.date,
                kind=r.kind,
                label=r.label,
                number=r.number,
                debit=int(r.debit),
                credit=int(r.credit),
                balance=int(r.balance),
                invoice_id=r.document.pk if r.kind in ("invoice", "credit") else None,
                payment_id=r.document.pk if r.kind in ("payment", "fee", "refund") else None,
            )
            for r in ledger.rows
        ],
    )
