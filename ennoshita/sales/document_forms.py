"""Forms of the quote, order, invoice, payment and receivables screens. They parse what was typed
(full-width digits, commas, 円); the services decide what is valid and compute every amount.

A document is one ``DocumentForm`` (customer, dates, subject) and a formset of ``LineForm`` rows
(prefix ``lines``). A row left empty is ignored. Without JavaScript the formset is a plain table;
with it, ``static/sales/document_lines.js`` adds rows, fills a row from the product chosen and shows
the totals per tax rate as one types (the server's figures are the truth).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.errors import ServiceError
from ennoshita.core.text import nfkc

from .models import Customer, Invoice, Order, OrderLine, Payment, Product, Quote, SalesTax
from .services.lines import LineSpec

EMPTY_ROWS = 5  # rows of a new document without JavaScript


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FlexibleDateField(forms.DateField):
    """2026-11-10, 2026/11/10, 2026年11月10日 or 令和8年11月10日."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("日付を正しく入力してください(例: 2026-11-10)。"),
        "required": _("日付を入力してください。"),
    }

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value in self.empty_values:
            return super().to_python(value)
        try:
            return parse_date_flexible(str(value))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def clean_number(text: Any) -> str:
    """ "１，０００" → "1000", "¥1,000円" → "1000" (what the services parse)."""
    return nfkc(str(text or "")).strip().replace(",", "").replace("¥", "").replace("円", "").strip()


def parse_yen(text: Any, *, allow_zero: bool = False) -> Decimal | None:
    """Whole yen; None when empty. Anything else is a ValidationError in Japanese."""
    s = clean_number(text)
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValidationError(_("金額は数字で入力してください。")) from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise ValidationError(_("金額は円単位の整数で入力してください。"))
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError(
            _("金額は1円以上で入力してください。")
            if not allow_zero
            else _("金額は0円以上で入力してください。")
        )
    if value > Decimal(999_999_999_999):
        raise ValidationError(_("金額が大きすぎます。"))
    return value.quantize(Decimal(1))


def parse_quantity(text: Any) -> Decimal | None:
    s = clean_number(text)
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValidationError(_("数量は数値で入力してください。")) from exc
    if not value.is_finite() or value < 0:
        raise ValidationError(_("数量は0以上の数で入力してください。"))
    if value != value.quantize(Decimal("0.001")) or value > Decimal("999999999999"):
        raise ValidationError(_("数量は小数点以下3桁までで入力してください。"))
    return value


# ------------------------------------------------------------------------------------- filters
class DocumentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("番号・得意先名・フリガナ・件名")}),
    )
    status = forms.ChoiceField(label=_("状態"), required=False)
    customer = forms.ChoiceField(label=_("得意先"), required=False)
    date_from = FlexibleDateField(label=_("日付(から)"), required=False)
    date_to = FlexibleDateField(label=_("日付(まで)"), required=False)

    status_choices: Sequence[tuple[str, Any]] = ()

    def __init__(self, *args: Any, customers: Sequence[Customer] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("すべて")), *self.status_choices]
        customer = self.fields["customer"]
        assert isinstance(customer, forms.ChoiceField)
        customer.choices = [("", _("すべて")), *[(str(c.pk), f"{c.code} {c.name}") for c in customers]]

    def filters(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "customer": int(data["customer"]) if data.get("customer") else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class QuoteFilterForm(DocumentFilterForm):
    status_choices = Quote.Status.choices


class OrderFilterForm(DocumentFilterForm):
    status_choices = Order.Status.choices


class InvoiceFilterForm(DocumentFilterForm):
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *Invoice.Kind.choices]
    )
    unpaid = forms.BooleanField(label=_("未入金のみ"), required=False)
    overdue = forms.BooleanField(label=_("期日超過のみ"), required=False)
    status_choices = Invoice.Status.choices

    def filters(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {
            **super().filters(),
            "kind": data.get("kind") or "",
            "unpaid_only": bool(data.get("unpaid")),
            "overdue_only": bool(data.get("overdue")),
        }


class PaymentFilterForm(DocumentFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        self.fields["q"].widget.attrs["placeholder"] = _("得意先名・フリガナ・振込名義・メモ")

    def filters(self) -> dict[str, Any]:
        result = super().filters()
        result.pop("status")
        return result


# ------------------------------------------------------------------------------------- documents
PRICING_CHOICES = [("0", _("税抜")), ("1", _("税込"))]


class DocumentForm(forms.Form):
    """The head of a quote (``kind="quote"``), order or invoice draft."""

    customer = forms.ChoiceField(label=_("得意先"))
    date = FlexibleDateField(label=_("日付"))
    valid_until = FlexibleDateField(label=_("有効期限"))
    delivery_date = FlexibleDateField(label=_("納期"), required=False)
    customer_reference = forms.CharField(label=_("先方注文番号"), max_length=50, required=False)
    due_date = FlexibleDateField(
        label=_("支払期日"), required=False, help_text=_("空欄のときは発行時に得意先の支払条件から決まります")
    )
    subject = forms.CharField(label=_("件名"), max_length=200, required=False)
    prices_include_tax = forms.TypedChoiceField(
        label=_("単価の入力"), choices=PRICING_CHOICES, coerce=lambda v: v == "1"
    )
    notes = forms.CharField(label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS_BY_KIND = {
        "quote": ("customer", "date", "valid_until", "subject", "prices_include_tax", "notes"),
        "revise": ("date", "valid_until", "subject", "prices_include_tax", "notes"),
        "order": (
            "customer",
            "date",
            "delivery_date",
            "customer_reference",
            "subject",
            "prices_include_tax",
            "notes",
        ),
        "invoice": ("customer", "date", "due_date", "subject", "prices_include_tax", "notes"),
    }
    DATE_LABELS = {"quote": _("見積日"), "revise": _("見積日"), "order": _("受注日"), "invoice": _("請求日")}

    def __init__(self, *args: Any, kind: str, customers: Sequence[Customer] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FIELDS_BY_KIND[kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].label = self.DATE_LABELS[kind]
        self._customers = {str(c.pk): c for c in customers}
        if "customer" in self.fields:
            field = self.fields["customer"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("選んでください"))] + [
                (str(c.pk), f"{c.code} {c.name}") for c in customers
            ]
            field.error_messages["required"] = _("得意先を選んでください。")
            field.error_messages["invalid_choice"] = _("得意先を選んでください。")

    def clean_customer(self) -> Customer:
        return self._customers[self.cleaned_data["customer"]]


class LineForm(forms.Form):
    """One row; every field optional: an empty row is skipped."""

    product = forms.ChoiceField(label=_("品目"), required=False)
    description = forms.CharField(
        label=_("品名・内容"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    quantity = forms.CharField(
        label=_("数量"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "in-qty", "autocomplete": "off"}),
    )
    unit = forms.CharField(
        label=_("単位"), max_length=10, required=False, widget=forms.TextInput(attrs={"size": 4})
    )
    unit_price = forms.CharField(
        label=_("単価"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "in-price", "autocomplete": "off"}),
    )
    tax = forms.ChoiceField(label=_("税区分"), choices=SalesTax.choices, initial=SalesTax.S10)
    order_line = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, products: Sequence[Product] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(str(p.pk), f"{p.code} {p.name}") for p in products]
        self._products = {str(p.pk): p for p in products}
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("aria-label", str(f.label or name))
            f.widget.attrs["data-field"] = name

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not (
            data.get("description") or data.get("quantity") or data.get("unit_price") or data.get("product")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["product"] = self._products.get(data.get("product") or "")
        for name in ("quantity", "unit_price"):
            data[name] = clean_number(data.get(name))
        if data["product"] is not None and not (data.get("description") or "").strip():
            data["description"] = data["product"].name
        return data


LineFormSet = formset_factory(LineForm, extra=0, max_num=200, absolute_max=200, validate_max=True)


def line_formset(
    *,
    products: Sequence[Product],
    data: Any = None,
    initial: list[dict[str, Any]] | None = None,
    rows: int = EMPTY_ROWS,
) -> Any:
    start = list(initial or [])
    if data is None and len(start) < rows:
        start += [{"tax": SalesTax.S10} for _ in range(rows - len(start))]
    return LineFormSet(
        data, initial=start if data is None else None, prefix="lines", form_kwargs={"products": products}
    )


def initial_rows(lines: Sequence[Any]) -> list[dict[str, Any]]:
    """The form rows of saved lines."""
    return [
        {
            "product": str(ln.product_id or ""),
            "description": ln.description,
            "quantity": f"{ln.quantity.normalize():f}",
            "unit": ln.unit,
            "unit_price": f"{ln.unit_price.normalize():f}",
            "tax": ln.tax,
            "order_line": getattr(ln, "order_line_id", None),
        }
        for ln in lines
    ]


@dataclass
class ParsedLines:
    specs: list[LineSpec]
    rows: list[int]  # the form row of each spec


def parse_lines(formset: Any, *, order_lines: dict[int, OrderLine] | None = None) -> ParsedLines | None:
    """The LineSpecs of a valid formset, or None (the errors are then on the rows)."""
    if not formset.is_valid():
        return None
    specs, rows = [], []
    for n, form in enumerate(formset.forms):
        if form.is_blank():
            continue
        data = form.cleaned_data
        order_line = None
        if data.get("order_line") and order_lines is not None:
            order_line = order_lines.get(data["order_line"])
        specs.append(
            LineSpec(
                description=data.get("description") or "",
                quantity=data.get("quantity") or "",
                unit_price=data.get("unit_price") or "",
                tax=data.get("tax") or SalesTax.S10,
                unit=data.get("unit") or "",
                product=data.get("product"),
                order_line=order_line,
            )
        )
        rows.append(n)
    return ParsedLines(specs, rows)


def apply_document_error(
    head: forms.Form, formset: Any, parsed: ParsedLines | None, exc: ServiceError, *, line_key: str = "lines"
) -> list[str]:
    """Put a service's field errors on the fields: head fields by name, ``lines.N`` on the row of
    the N-th line. What has no field is returned, to be shown above the lines."""
    general: list[str] = []
    prefix = f"{line_key}."
    for key, messages in exc.field_errors.items():
        if key in head.fields:
            for m in messages:
                head.add_error(key, m)
        elif key.startswith(prefix) and parsed is not None:
            index = key[len(prefix) :]
            row = parsed.rows[int(index)] if index.isdigit() and int(index) < len(parsed.rows) else None
            if row is None:
                general.extend(messages)
            else:
                for m in messages:
                    formset.forms[row].add_error(None, m)
        else:
            general.extend(messages)
    if not exc.field_errors or (general and exc.message not in general and not head.errors):
        general.insert(0, exc.message)
    return general


# ------------------------------------------------------------------------------------- actions
class AcceptQuoteForm(forms.Form):
    date = FlexibleDateField(label=_("受注日"))
    customer_reference = forms.CharField(label=_("先方注文番号"), max_length=50, required=False)
    delivery_date = FlexibleDateField(label=_("納期"), required=False)


class QuantitiesForm(forms.Form):
    """A date and a quantity per order line (納品書 / 請求書を作成): ``q_<line id>``."""

    date = FlexibleDateField(label=_("日付"))

    def __init__(self, *args: Any, lines: Sequence[Any], date_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if date_label:
            self.fields["date"].label = date_label
        self.lines = list(lines)
        for progress in self.lines:
            self.fields[f"q_{progress.line.pk}"] = forms.CharField(
                label=progress.line.description,
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )

    def bound_rows(self) -> list[tuple[Any, Any]]:
        return [(p, self[f"q_{p.line.pk}"]) for p in self.lines]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for progress in self.lines:
            name = f"q_{progress.line.pk}"
            try:
                data[name] = parse_quantity(data.get(name)) or Decimal(0)
            except ValidationError as exc:
                self.add_error(name, exc)
        return data

    def quantities(self) -> dict[int, Decimal | int | str]:
        return {p.line.pk: self.cleaned_data[f"q_{p.line.pk}"] for p in self.lines}


class CreditNoteForm(forms.Form):
    date = FlexibleDateField(label=_("返還請求書の日付"))
    reason = forms.CharField(label=_("返還の理由"), max_length=200, help_text=_("例: 返品、値引、単価の訂正"))


class SendForm(forms.Form):
    sent_to = forms.CharField(label=_("送付先"), max_length=254, help_text=_("メールアドレスや郵送先"))


# ------------------------------------------------------------------------------------- payments
class PaymentForm(forms.Form):
    customer = forms.ChoiceField(label=_("得意先"))
    date = FlexibleDateField(label=_("入金日"))
    amount = forms.CharField(
        label=_("入金額"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    fee = forms.CharField(
        label=_("振込手数料(先方負担で差し引かれた額)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    method = forms.ChoiceField(label=_("入金方法"), choices=Payment.Method.choices)
    payer_name = forms.CharField(label=_("振込名義"), max_length=100, required=False)
    memo = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(
        self, *args: Any, customers: Sequence[Customer] = (), invoices: Sequence[Invoice] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("選んでください"))] + [(str(c.pk), f"{c.code} {c.name}") for c in customers]
        field.error_messages["required"] = _("得意先を選んでください。")
        field.error_messages["invalid_choice"] = _("得意先を選んでください。")
        self.fields["amount"].error_messages["required"] = _("入金額を入力してください。")
        self._customers = {str(c.pk): c for c in customers}
        self.invoices = list(invoices)
        for inv in self.invoices:
            self.fields[f"apply_{inv.pk}"] = forms.BooleanField(label=inv.number, required=False)
            self.fields[f"alloc_{inv.pk}"] = forms.CharField(
                label=_("消込額"),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10, "autocomplete": "off"}),
            )

    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("date", "amount", "fee", "method", "payer_name", "memo")]

    def invoice_rows(self) -> list[tuple[Invoice, Any, Any]]:
        return [(inv, self[f"apply_{inv.pk}"], self[f"alloc_{inv.pk}"]) for inv in self.invoices]

    def clean_customer(self) -> Customer:
        return self._customers[self.cleaned_data["customer"]]

    def clean_amount(self) -> Decimal | None:
        value = parse_yen(self.cleaned_data.get("amount"))
        if value is None:
            raise ValidationError(_("入金額を入力してください。"))
        return value

    def clean_fee(self) -> Decimal:
        return parse_yen(self.cleaned_data.get("fee"), allow_zero=True) or Decimal(0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        allocations = []
        for inv in self.invoices:
            if not data.get(f"apply_{inv.pk}"):
                continue
            name = f"alloc_{inv.pk}"
            try:
                value = parse_yen(data.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            if value is None:
                self.add_error(name, _("消込額を入力してください。"))
                continue
            allocations.append((inv, value))
        data["allocations"] = allocations
        return data


class ReceivableDateForm(forms.Form):
    as_of = FlexibleDateField(label=_("基準日"), required=False)


class LedgerRangeForm(forms.Form):
    start = FlexibleDateField(label=_("期間(から)"), required=False)
    end = FlexibleDateField(label=_("期間(まで)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("終了日は開始日以降にしてください。"))
        return data


# ------------------------------------------------------------------------------------- 前受金
class AdvanceApplyForm(forms.Form):
    """充当: the date, and for each open invoice of the customer a tick and the amount."""

    date = FlexibleDateField(label=_("充当日"))

    def __init__(self, *args: Any, invoices: Sequence[Invoice] = (), **kwargs: Any) -> None:
        # its own ids: it shares the payment screen with the refund form (both have a date)
        kwargs.setdefault("auto_id", "advance_%s")
        super().__init__(*args, **kwargs)
        self.invoices = list(invoices)
        for inv in self.invoices:
            self.fields[f"apply_{inv.pk}"] = forms.BooleanField(label=inv.number, required=False)
            self.fields[f"alloc_{inv.pk}"] = forms.CharField(
                label=_("充当額"),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10, "autocomplete": "off"}),
            )

    def invoice_rows(self) -> list[tuple[Invoice, Any, Any]]:
        return [(inv, self[f"apply_{inv.pk}"], self[f"alloc_{inv.pk}"]) for inv in self.invoices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        allocations = []
        for inv in self.invoices:
            if not data.get(f"apply_{inv.pk}"):
                continue
            name = f"alloc_{inv.pk}"
            try:
                value = parse_yen(data.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            if value is None:
                self.add_error(name, _("充当額を入力してください。"))
                continue
            allocations.append((inv, value))
        if not allocations and not self.errors:
            raise ValidationError(_("充当する請求書を選んでください。"))
        data["allocations"] = allocations
        return data


class RefundForm(forms.Form):
    date = FlexibleDateField(label=_("返金日"))
    amount = forms.CharField(
        label=_("返金額"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("返金額を入力してください。")},
    )
    memo = forms.CharField(
        label=_("メモ"), max_length=200, required=False, help_text=_("例: 振込先、返金の理由")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "refund_%s")
        super().__init__(*args, **kwargs)

    def clean_amount(self) -> Decimal:
        value = parse_yen(self.cleaned_data.get("amount"))
        if value is None:
            raise ValidationError(_("返金額を入力してください。"))
        return value
