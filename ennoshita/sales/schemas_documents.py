"""Request and response shapes of the sales documents API (/api/v1/sales/): quotes, orders,
invoices and credit notes, payments, receivables.

Inputs forbid unknown fields and bound every string and number. Amounts (a payment, a fee, an
allocation) are whole yen, like the ledger API: a JSON integer or a decimal string ("12000",
"12,000"); a fraction of a yen is refused here (422), before any service runs. Amounts go out as
JSON integers. Unit prices and quantities travel as decimal strings ("12345.5", "1.5"; a JSON
number is read through its shortest decimal form) and are checked by the services, which say
what is wrong on ``lines.N`` (400). The business rules stay in ``sales.services``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

from ennoshita.core.api import (
    Id,
    Input,
    PageParams,
    Str10,
    Str50,
    Str100,
    Str200,
    Str254,
    Text,
    UserRef,
    whole_yen_parser,
)
from ennoshita.core.text import nfkc

from .models import (
    AdvanceApplication,
    DeliveryNote,
    Invoice,
    InvoiceLine,
    Order,
    Payment,
    PaymentAllocation,
    Quote,
    Refund,
    SalesTax,
)

Day = date  # a field called ``date`` would hide the type in its class

MAX_LINES = 300
MAX_AMOUNT = 10**12 - 1  # a payment stays below 1兆円, like a journal line


TaxKey = Literal["S10", "S8R", "S_EXPORT", "S_EXEMPT", "OUT"]
TAX_HELP = "税区分: S10 課税10%、S8R 課税8%(軽減)、S_EXPORT 輸出免税、S_EXEMPT 非課税、OUT 対象外"
QuoteStatus = Literal["draft", "sent", "accepted", "declined", "superseded"]
OrderStatus = Literal["open", "partly_invoiced", "invoiced", "cancelled"]
InvoiceStatus = Literal["draft", "issued"]
InvoiceKind = Literal["invoice", "credit"]
PaymentMethod = Literal["transfer", "cash", "other"]


def _decimal_text(value: Any) -> Any:
    """A number sent as JSON number or string stays text for the service, which refuses it with a
    message on the line (a JSON float is read through its shortest decimal form, never as binary)."""
    if isinstance(value, bool):
        raise ValueError("数値で入力してください。")
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return nfkc(value).strip()
    return value


Quantity = Annotated[
    str,
    BeforeValidator(_decimal_text),
    StringConstraints(max_length=40),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": '数量(0より大きい数、小数点以下3桁まで。例: "1.5")',
        }
    ),
]
Price = Annotated[
    str,
    BeforeValidator(_decimal_text),
    StringConstraints(max_length=40),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": '単価(小数点以下4桁まで。マイナスは値引。例: "12345.5")',
        }
    ),
]


def _yen(minimum: int) -> Any:
    return whole_yen_parser(minimum=minimum, maximum=MAX_AMOUNT)


def _yen_schema(minimum: int) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "integer", "minimum": minimum, "maximum": MAX_AMOUNT},
            {"type": "string", "pattern": r"^[0-9,]+(\.0*)?$"},
        ],
        "description": f'金額(円、{minimum}以上の整数。文字列の "12,000" も可。1円未満の端数は不可)',
    }


YenIn = Annotated[Decimal, BeforeValidator(_yen(1)), WithJsonSchema(_yen_schema(1))]
FeeIn = Annotated[Decimal, BeforeValidator(_yen(0)), WithJsonSchema(_yen_schema(0))]


def decimal_text(value: Decimal) -> str:
    """1234.5000 → "1234.5", 1000.000 → "1000" (no trailing zeros, no separators)."""
    return f"{Decimal(value).normalize():f}"


# ------------------------------------------------------------------ shared pieces
class CustomerRef(Schema):
    id: int = Field(description="得意先ID")
    code: str = Field(description="得意先コード")
    name: str = Field(description="名称")

    @classmethod
    def of(cls, c: Any) -> CustomerRef:  # a Customer, or the CustomerName of an aging row
        return cls(id=c.pk, code=c.code, name=c.name)


class DocRef(Schema):
    id: int = Field(description="ID")
    number: str = Field(description="番号(下書きの請求書は空)")


class RateTotalOut(Schema):
    rate: int = Field(description="税率(%)。0 は免税・非課税・対象外")
    reduced: bool = Field(description="軽減税率(8%)")
    base: int = Field(description="税率ごとの対価の額(税抜、円)")
    tax: int = Field(description="税率ごとの消費税額等(税率ごとに1回だけ端数処理、円)")
    total: int = Field(description="税込(円)")


def rate_totals_out(stored: dict[str, Any] | None) -> list[RateTotalOut]:
    """The stored per-rate totals, the highest rate first."""
    rows = []
    for key, value in (stored or {}).items():
        rate = int(key)
        base, tax = int(value.get("base", 0)), int(value.get("tax", 0))
        rows.append(RateTotalOut(rate=rate, reduced=rate == 8, base=base, tax=tax, total=base + tax))
    return sorted(rows, key=lambda r: -r.rate)


class LineOut(Schema):
    id: int = Field(description="明細ID")
    line_no: int = Field(description="行番号(1から)")
    product_id: int | None = Field(description="品目ID")
    description: str = Field(description="品名・内容")
    quantity: str = Field(description="数量(10進数の文字列)")
    unit: str = Field(description="単位")
    unit_price: str = Field(description="単価(10進数の文字列。税抜か税込かは prices_include_tax)")
    tax: str = Field(description=TAX_HELP)
    rate: int = Field(description="税率(%)")
    is_reduced_rate: bool = Field(description="軽減税率対象(請求書では ※ を付けます)")
    amount: int = Field(description="金額(数量 × 単価、1円未満切り捨て、円)")

    @staticmethod
    def fields_of(ln: Any) -> dict[str, Any]:
        return {
            "id": ln.pk,
            "line_no": ln.line_no,
            "product_id": ln.product_id,
            "description": ln.description,
            "quantity": decimal_text(ln.quantity),
            "unit": ln.unit,
            "unit_price": decimal_text(ln.unit_price),
            "tax": ln.tax,
            "rate": ln.rate,
            "is_reduced_rate": ln.tax == SalesTax.S8R,
            "amount": int(ln.amount),
        }

    @classmethod
    def of(cls, ln: Any) -> LineOut:
        return cls(**cls.fields_of(ln))


class _DocumentOut(Schema):
    id: int
    customer: CustomerRef = Field(description="得意先")
    date: Day
    subject: str = Field(description="件名")
    prices_include_tax: bool = Field(description="単価が税込")
    subtotal: int = Field(description="税抜金額(円)")
    tax_total: int = Field(description="消費税額(円)")
    total: int = Field(description="合計金額(税込、円)")

    @staticmethod
    def fields_of(d: Any) -> dict[str, Any]:
        return {
            "id": d.pk,
            "customer": CustomerRef.of(d.customer),
            "date": d.date,
            "subject": d.subject,
            "prices_include_tax": d.prices_include_tax,
            "subtotal": int(d.subtotal),
            "tax_total": int(d.tax_total),
            "total": int(d.total),
        }


class _DetailFields(Schema):
    tax_rounding: str = Field(description="消費税の端数処理: floor 切り捨て、ceil 切り上げ、half_up 四捨五入")
    rate_totals: list[RateTotalOut] = Field(description="税率ごとの合計(税率の高い順)")
    notes: str = Field(description="備考")
    created_by: UserRef | None = Field(description="作成者")
    created_at: datetime = Field(description="作成日時")
    updated_at: datetime = Field(description="更新日時")

    @staticmethod
    def detail_fields_of(d: Any) -> dict[str, Any]:
        user = d.created_by
        return {
            "tax_rounding": d.tax_rounding,
            "rate_totals": rate_totals_out(d.rate_totals),
            "notes": d.notes,
            "created_by": UserRef(id=user.pk, name=user.display_name()) if user else None,
            "created_at": d.created_at,
            "updated_at": d.updated_at,
        }


class Page(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")


# ------------------------------------------------------------------ line input
class LineIn(Input):
    """One line. With ``product_id``, what is left out comes from the product (品名, 単価, 税区分,
    単位)."""

    product_id: Id | None = Field(None, description="品目ID(GET /sales/products)")
    description: Str200 = Field("", description="品名・内容(省略時は品目の品名)")
    quantity: Quantity
    unit_price: Price | None = Field(None, description="単価(省略時は品目の単価)")
    tax: TaxKey | None = Field(None, description=TAX_HELP + "(省略時は品目の税区分、品目もなければ S10)")
    unit: Str10 | None = Field(None, description="単位(省略時は品目の単位)")


class InvoiceLineIn(LineIn):
    """An invoice line; with ``order_line_id`` it invoices (part of) that order line, and what is
    left out comes from the order line."""

    order_line_id: Id | None = Field(
        None, description="請求する受注明細のID(GET /sales/orders/{order_id} の lines.id)。未請求の数量まで"
    )
    delivered_on: Day | None = Field(None, description="取引年月日(納品日。合計請求書の明細)")


Lines = Annotated[list[LineIn], Field(max_length=MAX_LINES, description=f"明細({MAX_LINES}行まで)")]


# ------------------------------------------------------------------ quotes
class QuoteFilters(PageParams):
    q: Str100 = Field(
        "", description="番号・得意先コード・得意先名・フリガナ・件名の部分一致(空白区切りで AND)"
    )
    status: QuoteStatus | None = Field(
        None,
        description="draft 作成中、sent 提出済み、accepted 受注、declined 失注、superseded 改訂済み",
    )
    customer_id: Id | None = Field(None, description="得意先ID")
    date_from: date | None = Field(None, description="見積日がこの日以降")
    date_to: date | None = Field(None, description="見積日がこの日以前")


class QuoteOut(_DocumentOut):
    number: str = Field(description="見積番号")
    revision: int = Field(description="版(1から。改訂で +1)")
    label: str = Field(description="表示用の番号(第2版以降は -版)")
    valid_until: Day = Field(description="有効期限")
    status: str = Field(
        description="draft 作成中、sent 提出済み、accepted 受注、declined 失注、superseded 改訂済み"
    )

    @staticmethod
    def quote_fields(q: Quote) -> dict[str, Any]:
        return {
            **_DocumentOut.fields_of(q),
            "number": q.number,
            "revision": q.revision,
            "label": str(q),
            "valid_until": q.valid_until,
            "status": q.status,
        }

    @classmethod
    def of(cls, q: Quote) -> QuoteOut:
        return cls(**cls.quote_fields(q))


class QuoteDetail(QuoteOut, _DetailFields):
    revises_id: int | None = Field(description="改訂元の見積書ID")
    revised_by_id: int | None = Field(description="改訂版の見積書ID")
    order_ids: list[int] = Field(description="この見積書から受注した受注ID")
    lines: list[LineOut] = Field(description="明細")

    @classmethod
    def of(cls, q: Quote) -> QuoteDetail:
        revised = getattr(q, "revised_by", None)  # a reverse one-to-one: absent is an AttributeError
        return cls(
            **QuoteOut.quote_fields(q),
            **_DetailFields.detail_fields_of(q),
            revises_id=q.revises_id,
            revised_by_id=revised.pk if revised is not None else None,
            order_ids=[o.pk for o in q.orders.all()],
            lines=[LineOut.of(ln) for ln in q.lines.all()],
        )


class QuotePage(Page):
    items: list[QuoteOut]


class QuoteIn(Input):
    date: Day = Field(description="見積日")
    valid_until: Day = Field(description="有効期限(見積日以降)")
    subject: Str200 = Field("", description="件名")
    notes: Text = Field("", description="備考")
    prices_include_tax: bool | None = Field(
        None, description="単価が税込(省略時は会社の設定、変更時は今の設定)"
    )
    lines: Lines


class QuoteCreate(QuoteIn):
    customer_id: Id = Field(description="得意先ID")


class AcceptIn(Input):
    date: Day | None = Field(None, description="受注日(省略時は今日)")
    customer_reference: Str50 = Field("", description="先方の注文番号")
    delivery_date: Day | None = Field(None, description="納期")


# ------------------------------------------------------------------ orders
class OrderFilters(PageParams):
    q: Str100 = Field(
        "", description="番号・得意先コード・得意先名・フリガナ・件名の部分一致(空白区切りで AND)"
    )
    status: OrderStatus | None = Field(
        None, description="open 受注、partly_invoiced 一部請求済み、invoiced 請求済み、cancelled 取消"
    )
    customer_id: Id | None = Field(None, description="得意先ID")
    date_from: date | None = Field(None, description="受注日がこの日以降")
    date_to: date | None = Field(None, description="受注日がこの日以前")


class OrderOut(_DocumentOut):
    number: str = Field(description="受注番号")
    status: str = Field(
        description="open 受注、partly_invoiced 一部請求済み、invoiced 請求済み、cancelled 取消"
    )
    delivery_date: Day | None = Field(description="納期")
    customer_reference: str = Field(description="先方の注文番号")
    quote_id: int | None = Field(description="元の見積書ID")

    @staticmethod
    def order_fields(o: Order) -> dict[str, Any]:
        return {
            **_DocumentOut.fields_of(o),
            "number": o.number,
            "status": o.status,
            "delivery_date": o.delivery_date,
            "customer_reference": o.customer_reference,
            "quote_id": o.quote_id,
        }

    @classmethod
    def of(cls, o: Order) -> OrderOut:
        return cls(**cls.order_fields(o))


class OrderLineOut(LineOut):
    ordered: str = Field(description="受注数量")
    delivered: str = Field(description="納品済みの数量")
    invoiced: str = Field(description="請求書に載せた数量(下書きを含む)")
    invoiced_issued: str = Field(description="発行済みの請求書に載せた数量")
    to_deliver: str = Field(description="未納品の数量")
    to_invoice: str = Field(description="未請求の数量(下書きに載せた分を除く)")


class DeliveryLineOut(Schema):
    order_line_id: int = Field(description="受注明細ID")
    quantity: str = Field(description="納品数量")


class DeliveryOut(Schema):
    id: int = Field(description="納品書ID")
    number: str = Field(description="納品書番号")
    date: Day = Field(description="納品日")
    order_id: int = Field(description="受注ID")
    notes: str = Field(description="備考")
    lines: list[DeliveryLineOut] = Field(description="納品した明細")

    @classmethod
    def of(cls, d: DeliveryNote) -> DeliveryOut:
        return cls(
            id=d.pk,
            number=d.number,
            date=d.date,
            order_id=d.order_id,
            notes=d.notes,
            lines=[
                DeliveryLineOut(order_line_id=ln.order_line_id, quantity=decimal_text(ln.quantity))
                for ln in d.lines.all()
            ],
        )


class DeliveryRef(Schema):
    id: int = Field(description="納品書ID")
    number: str = Field(description="納品書番号")
    date: Day = Field(description="納品日")


class OrderDetail(OrderOut, _DetailFields):
    lines: list[OrderLineOut] = Field(description="明細と、その納品・請求の進み具合")
    deliveries: list[DeliveryRef] = Field(description="納品書(日付順)")
    invoices: list[DocRef] = Field(description="この受注を請求した請求書(下書きを含む)")

    @classmethod
    def of(cls, o: Order, progress: list[Any]) -> OrderDetail:  # type: ignore[override]
        lines = [
            OrderLineOut(
                **LineOut.fields_of(p.line),
                ordered=decimal_text(p.line.quantity),
                delivered=decimal_text(p.delivered),
                invoiced=decimal_text(p.invoiced),
                invoiced_issued=decimal_text(p.invoiced_issued),
                to_deliver=decimal_text(p.to_deliver),
                to_invoice=decimal_text(p.to_invoice),
            )
            for p in progress
        ]
        return cls(
            **OrderOut.order_fields(o),
            **_DetailFields.detail_fields_of(o),
            lines=lines,
            deliveries=[DeliveryRef(id=d.pk, number=d.number, date=d.date) for d in o.deliveries.all()],
            invoices=[DocRef(id=i.pk, number=i.number) for i in sorted(o.invoices.all(), key=lambda i: i.pk)],
        )


class OrderPage(Page):
    items: list[OrderOut]


class OrderCreate(Input):
    customer_id: Id = Field(description="得意先ID")
    date: Day = Field(description="受注日")
    subject: Str200 = Field("", description="件名")
    notes: Text = Field("", description="備考")
    prices_include_tax: bool | None = Field(None, description="単価が税込(省略時は会社の設定)")
    customer_reference: Str50 = Field("", description="先方の注文番号")
    delivery_date: Day | None = Field(None, description="納期")
    lines: Lines


class DeliveryIn(Input):
    date: Day = Field(description="納品日")
    quantities: dict[Id, Quantity] = Field(
        description='受注明細ID → 今回納品する数量(例: {"12": "3"})。未納品の数量まで。0 の行は無視します'
    )
    notes: Text = Field("", description="備考")


# ------------------------------------------------------------------ invoices
class InvoiceFilters(PageParams):
    q: Str100 = Field(
        "", description="番号・得意先コード・得意先名・フリガナ・件名の部分一致(空白区切りで AND)"
    )
    status: InvoiceStatus | None = Field(None, description="draft 下書き、issued 発行済み")
    kind: InvoiceKind | None = Field(None, description="invoice 請求書、credit 返還請求書")
    customer_id: Id | None = Field(None, description="得意先ID")
    date_from: date | None = Field(None, description="請求日がこの日以降")
    date_to: date | None = Field(None, description="請求日がこの日以前")
    unpaid_only: bool = Field(False, description="未回収残高のある発行済みの請求書だけ")
    overdue_only: bool = Field(False, description="支払期日を過ぎて未回収残高のある請求書だけ")
    as_of: date | None = Field(None, description="overdue_only の基準日(省略時は今日)")


class InvoiceOut(_DocumentOut):
    kind: str = Field(description="invoice 請求書(適格請求書)、credit 返還請求書(適格返還請求書)")
    status: str = Field(description="draft 下書き、issued 発行済み(以後変更できません)")
    number: str = Field(description="請求書番号(発行時に採番。下書きは空)")
    due_date: Day | None = Field(
        description="支払期日(省略した下書きは発行時に得意先の支払条件から決まります)"
    )
    open_amount: int = Field(description="未回収残高(円。発行済みの請求書だけ。返還請求書と下書きは 0)")
    credit_of_id: int | None = Field(description="返還請求書なら、訂正する請求書のID")
    sent_at: datetime | None = Field(description="送付日時")

    @staticmethod
    def invoice_fields(i: Invoice) -> dict[str, Any]:
        return {
            **_DocumentOut.fields_of(i),
            "kind": i.kind,
            "status": i.status,
            "number": i.number,
            "due_date": i.due_date,
            "open_amount": int(i.open_amount),
            "credit_of_id": i.credit_of_id,
            "sent_at": i.sent_at,
        }

    @classmethod
    def of(cls, i: Invoice) -> InvoiceOut:
        return cls(**cls.invoice_fields(i))


class InvoiceLineOut(LineOut):
    order_line_id: int | None = Field(description="請求した受注明細のID")
    order_id: int | None = Field(description="その受注のID")
    delivered_on: Day | None = Field(description="取引年月日(明細ごと。空なら請求書の取引年月日)")

    @classmethod
    def of(cls, ln: InvoiceLine) -> InvoiceLineOut:
        return cls(
            **LineOut.fields_of(ln),
            order_line_id=ln.order_line_id,
            order_id=ln.order_line.order_id if ln.order_line is not None else None,
            delivered_on=ln.delivered_on,
        )


class AllocationOut(Schema):
    payment_id: int = Field(description="入金ID")
    date: Day = Field(description="入金日")
    amount: int = Field(description="消込額(円)")


class CreditRef(Schema):
    id: int = Field(description="返還請求書ID")
    number: str = Field(description="番号")
    date: Day = Field(description="日付")
    total: int = Field(description="返還額(税込、円)")


class CreditWarningOut(Schema):
    credit_limit: int = Field(description="与信限度額(円)")
    open_receivable: int = Field(description="今の売掛金(未回収残高の合計、円)")
    this_invoice: int = Field(description="この請求書の金額(円)")
    excess: int = Field(description="限度額を超える額(円)")


class InvoiceDetail(InvoiceOut, _DetailFields):
    issuer_name: str = Field(description="発行者の氏名又は名称(発行時に記録。下書きは空)")
    issuer_registration_number: str = Field(description="発行者の登録番号(T + 13桁。発行時に記録)")
    customer_name: str = Field(description="宛名(発行時に記録)")
    transaction_period_start: Day | None = Field(description="取引年月日(期間の初め。空なら請求日)")
    transaction_period_end: Day | None = Field(description="取引年月日(期間の終わり)")
    reason: str = Field(description="返還の理由(返還請求書)")
    credit_of: DocRef | None = Field(description="返還請求書なら、訂正する請求書")
    credits: list[CreditRef] = Field(description="この請求書への返還請求書")
    allocations: list[AllocationOut] = Field(description="この請求書に消し込まれた入金")
    order_ids: list[int] = Field(description="請求した受注ID")
    journal_entry_id: int | None = Field(
        description="記帳した仕訳のID(GET /api/v1/ledger/entries/{entry_id})"
    )
    issued_by: UserRef | None = Field(description="発行した人")
    issued_at: datetime | None = Field(description="発行日時")
    sent_to: str = Field(description="送付先")
    lines: list[InvoiceLineOut] = Field(description="明細(軽減税率の行は is_reduced_rate)")
    credit_warning: CreditWarningOut | None = Field(
        description="下書きを発行すると与信限度額を超えるとき、その内訳(発行は止めません)"
    )

    @classmethod
    def of(cls, i: Invoice, warning: Any = None) -> InvoiceDetail:
        issuer = i.issued_by
        original = i.credit_of
        return cls(
            **InvoiceOut.invoice_fields(i),
            **_DetailFields.detail_fields_of(i),
            issuer_name=i.issuer_name,
            issuer_registration_number=i.issuer_registration_number,
            customer_name=i.customer_name,
            transaction_period_start=i.period_start,
            transaction_period_end=i.period_end,
            reason=i.reason,
            credit_of=DocRef(id=original.pk, number=original.number) if original else None,
            credits=[
                CreditRef(id=c.pk, number=c.number, date=c.date, total=int(c.total)) for c in i.credits.all()
            ],
            allocations=[
                AllocationOut(payment_id=a.payment_id, date=a.payment.date, amount=int(a.amount))
                for a in i.allocations.all()
            ],
            order_ids=sorted(o.pk for o in i.orders.all()),
            journal_entry_id=i.journal_entry_id,
            issued_by=UserRef(id=issuer.pk, name=issuer.display_name()) if issuer else None,
            issued_at=i.issued_at,
            sent_to=i.sent_to,
            lines=[InvoiceLineOut.of(ln) for ln in i.lines.all()],
            credit_warning=None
            if warning is None
            else CreditWarningOut(
                credit_limit=int(warning.credit_limit),
                open_receivable=int(warning.open_receivable),
                this_invoice=int(warning.extra),
                excess=int(warning.excess),
            ),
        )


class InvoicePage(Page):
    items: list[InvoiceOut]


class InvoiceIn(Input):
    customer_id: Id = Field(description="得意先ID")
    date: Day = Field(description="請求日")
    due_date: Day | None = Field(None, description="支払期日(省略時は発行時に得意先の支払条件から)")
    subject: Str200 = Field("", description="件名")
    notes: Text = Field("", description="備考")
    prices_include_tax: bool | None = Field(
        None, description="単価が税込(省略時は受注明細を請求するならその受注の設定、なければ会社の設定)"
    )
    lines: list[InvoiceLineIn] = Field(max_length=MAX_LINES, description=f"明細({MAX_LINES}行まで)")


class CreditIn(Input):
    date: Day = Field(description="返還請求書の日付(元の請求日以降)")
    reason: Str200 = Field(description="返品・値引などの理由(必須)")
    lines: Lines


class SendIn(Input):
    to: Str254 = Field(description="送付先メールアドレス")
    subject: Str200 = Field("", description="件名(省略時は「【会社名】請求書 番号 のご送付」)")
    message: Text = Field("", description="本文(省略時は定型文)")


# ------------------------------------------------------------------ payments
class PaymentFilters(PageParams):
    q: Str100 = Field("", description="得意先コード・得意先名・フリガナ・振込名義・メモの部分一致")
    customer_id: Id | None = Field(None, description="得意先ID")
    date_from: date | None = Field(None, description="入金日がこの日以降")
    date_to: date | None = Field(None, description="入金日がこの日以前")


class PaymentOut(Schema):
    id: int = Field(description="入金ID")
    customer: CustomerRef = Field(description="得意先")
    date: Day = Field(description="入金日")
    amount: int = Field(description="入金額(円)")
    fee: int = Field(description="振込手数料(先方が差し引いた分、円)")
    applied: int = Field(
        description="入金額 + 手数料 − 前受金の残高(円): 消込に、後の前受金の充当・返金を加えた額"
    )
    unapplied: int = Field(description="前受金の残高(消込・充当・返金のあとに残っている額、円)")
    method: str = Field(description="入金方法: transfer 振込、cash 現金、other その他")
    payer_name: str = Field(description="振込名義")
    memo: str = Field(description="メモ")

    @staticmethod
    def payment_fields(p: Payment) -> dict[str, Any]:
        return {
            "id": p.pk,
            "customer": CustomerRef.of(p.customer),
            "date": p.date,
            "amount": int(p.amount),
            "fee": int(p.fee),
            "applied": int(p.amount + p.fee - p.unapplied),
            "unapplied": int(p.unapplied),
            "method": p.method,
            "payer_name": p.payer_name,
            "memo": p.memo,
        }

    @classmethod
    def of(cls, p: Payment) -> PaymentOut:
        return cls(**cls.payment_fields(p))


class PaymentAllocationOut(Schema):
    invoice_id: int = Field(description="請求書ID")
    invoice_number: str = Field(description="請求書番号")
    amount: int = Field(description="消込額(円)")

    @classmethod
    def of(cls, a: PaymentAllocation) -> PaymentAllocationOut:
        return cls(invoice_id=a.invoice_id, invoice_number=a.invoice.number, amount=int(a.amount))


class AdvanceApplicationOut(Schema):
    id: int = Field(description="充当ID")
    date: Day = Field(description="充当日")
    invoice_id: int = Field(description="請求書ID")
    invoice_number: str = Field(description="請求書番号")
    amount: int = Field(description="充当額(円)")
    journal_entry_id: int | None = Field(description="記帳した仕訳(前受金 / 売掛金)のID")

    @classmethod
    def of(cls, a: AdvanceApplication) -> AdvanceApplicationOut:
        return cls(
            id=a.pk,
            date=a.date,
            invoice_id=a.invoice_id,
            invoice_number=a.invoice.number,
            amount=int(a.amount),
            journal_entry_id=a.journal_entry_id,
        )


class RefundOut(Schema):
    id: int = Field(description="返金ID")
    date: Day = Field(description="返金日")
    amount: int = Field(description="返金額(円)")
    memo: str = Field(description="メモ")
    journal_entry_id: int | None = Field(description="記帳した仕訳(前受金 / 入金口座)のID")

    @classmethod
    def of(cls, r: Refund) -> RefundOut:
        return cls(
            id=r.pk, date=r.date, amount=int(r.amount), memo=r.memo, journal_entry_id=r.journal_entry_id
        )


class PaymentDetail(PaymentOut):
    allocations: list[PaymentAllocationOut] = Field(description="消込(支払期日順)")
    applications: list[AdvanceApplicationOut] = Field(description="前受金の充当(日付順)")
    refunds: list[RefundOut] = Field(description="前受金の返金(日付順)")
    journal_entry_id: int | None = Field(description="記帳した仕訳のID")
    created_by: UserRef | None = Field(description="登録した人")
    created_at: datetime = Field(description="登録日時")

    @classmethod
    def of(cls, p: Payment, advances: Any = None) -> PaymentDetail:
        """``advances``: the payment's ``selectors.advances.PaymentAdvances`` (read from the
        payment's relations when not given)."""
        user = p.created_by
        if advances is None:
            applications = list(p.advance_applications.select_related("invoice").order_by("date", "pk"))
            refunds = list(p.refunds.order_by("date", "pk"))
        else:
            applications, refunds = advances.applications, advances.refunds
        return cls(
            **PaymentOut.payment_fields(p),
            allocations=[PaymentAllocationOut.of(a) for a in p.allocations.all()],
            applications=[AdvanceApplicationOut.of(a) for a in applications],
            refunds=[RefundOut.of(r) for r in refunds],
            journal_entry_id=p.journal_entry_id,
            created_by=UserRef(id=user.pk, name=user.display_name()) if user else None,
            created_at=p.created_at,
        )


class PaymentPage(Page):
    items: list[PaymentOut]


class AllocationIn(Input):
    invoice_id: Id = Field(description="消し込む請求書のID(その得意先の発行済みの請求書)")
    amount: YenIn = Field(description="消込額(円。その請求書の未回収残高まで)")


class PaymentCreate(Input):
    customer_id: Id = Field(description="得意先ID")
    date: Day = Field(description="入金日")
    amount: YenIn = Field(description="入金額(円)")
    fee: FeeIn = Field(Decimal(0), description="振込手数料(先方が差し引いた分、円)")
    method: PaymentMethod = Field("transfer", description="入金方法: transfer 振込、cash 現金、other その他")
    payer_name: Str100 = Field("", description="振込名義")
    memo: Str200 = Field("", description="メモ")
    allocations: list[AllocationIn] = Field(
        [], max_length=MAX_LINES, description="消込(請求書ごとの額)。合計は入金額 + 手数料まで、残りは前受金"
    )
    auto_allocate: bool = Field(
        False,
        description="true: 支払期日の古い請求書から順に、入金額 + 手数料の範囲で消し込む(allocations と同時には使えません)",
    )


class ApplyAdvanceIn(Input):
    date: Day = Field(description="充当日(入金日・請求日以降、締めていない月)")
    allocations: list[AllocationIn] = Field(
        min_length=1,
        max_length=MAX_LINES,
        description="充当(請求書ごとの額)。同じ得意先の発行済みの請求書に、未回収残高まで。合計は前受金の残高まで",
    )


class RefundIn(Input):
    date: Day = Field(description="返金日(入金日以降、締めていない月)")
    amount: YenIn = Field(description="返金額(円。前受金の残高まで)")
    memo: Str200 = Field("", description="メモ(振込先、理由など)")


# ------------------------------------------------------------------ receivables
class AsOfQuery(Schema):
    as_of: date | None = Field(None, description="基準日(省略時は今日)")


class BalanceOut(Schema):
    customer: CustomerRef = Field(description="得意先")
    receivable: int = Field(description="売掛金(基準日までの発行済み請求書の未回収残高、円)")
    advances: int = Field(description="前受金(円)")
    net: int = Field(description="差引(売掛金 − 前受金、円)")


class BalancesOut(Schema):
    as_of: Day = Field(description="基準日")
    items: list[BalanceOut] = Field(description="得意先ごと(得意先コード順。どちらも 0 の得意先は除く)")
    receivable: int = Field(description="売掛金の合計(円)")
    advances: int = Field(description="前受金の合計(円)")


class AgingBuckets(Schema):
    current: int = Field(description="期日前(円)")
    days_1_30: int = Field(description="期日後 1〜30日(円)")
    days_31_60: int = Field(description="期日後 31〜60日(円)")
    days_61_90: int = Field(description="期日後 61〜90日(円)")
    over_90: int = Field(description="期日後 91日以上(円)")
    total: int = Field(description="合計(円)")

    @classmethod
    def of(cls, row: Any) -> AgingBuckets:
        b = row.buckets
        return cls(
            current=int(b["current"]),
            days_1_30=int(b["1_30"]),
            days_31_60=int(b["31_60"]),
            days_61_90=int(b["61_90"]),
            over_90=int(b["over_90"]),
            total=int(row.total),
        )


class AgingRowOut(AgingBuckets):
    customer: CustomerRef = Field(description="得意先")


class AgingOut(Schema):
    as_of: Day = Field(description="基準日")
    rows: list[AgingRowOut] = Field(description="得意先ごと(得意先コード順)")
    totals: AgingBuckets = Field(description="合計")


class LedgerQuery(Schema):
    start: date | None = Field(None, description="期間の初め(省略時は end の月の1日)")
    end: date | None = Field(None, description="期間の終わり(省略時は今日)")


class LedgerRowOut(Schema):
    date: Day = Field(description="日付")
    kind: str = Field(
        description="invoice 請求、credit 返還、payment 入金、fee 振込手数料、refund 前受金の返金"
    )
    label: str = Field(description="摘要")
    number: str = Field(description="請求書・返還請求書の番号")
    debit: int = Field(description="増加(請求・前受金の返金、円)")
    credit: int = Field(description="減少(返還・入金・手数料、円)")
    balance: int = Field(description="残高(円)")
    invoice_id: int | None = Field(description="請求書・返還請求書のID")
    payment_id: int | None = Field(description="入金のID(返金はその前受金の入金)")


class CustomerLedgerOut(Schema):
    customer: CustomerRef = Field(description="得意先")
    start: Day = Field(description="期間の初め")
    end: Day = Field(description="期間の終わり")
    opening: int = Field(description="前期繰越(円)")
    debit_total: int = Field(description="増加の合計(円)")
    credit_total: int = Field(description="減少の合計(円)")
    closing: int = Field(description="残高(円)")
    rows: list[LedgerRowOut] = Field(description="日付順")
