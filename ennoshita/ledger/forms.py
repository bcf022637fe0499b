"""Forms of the ledger's entry, account and period screens. They parse what people type; the
services decide what is valid (and compute every amount that is stored).

The entry screen is one ``EntryForm`` (date, memo, kind) and a formset of ``LineForm`` rows. A row
left empty is ignored. Without JavaScript the formset is a plain table of rows; with it,
``static/ledger/entry.js`` adds rows, suggests accounts and shows the totals as one types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company
from ennoshita.core.money import Rounding
from ennoshita.core.text import nfkc
from ennoshita.people.models import Department

from . import chart, entry_selectors, rules
from .models import (
    TAX_ROUNDING_CHOICES,
    Account,
    JournalEntry,
    JournalLine,
    LedgerSettings,
    SubAccount,
    TaxCode,
)
from .services import LineInput

ENTRY_KINDS = (JournalEntry.Kind.TRANSFER, JournalEntry.Kind.RECEIPT, JournalEntry.Kind.PAYMENT)
EMPTY_ROWS = 10  # rows of a new entry without JavaScript


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FlexibleDateField(forms.DateField):
    """2026-11-10, 2026/11/10, 2026年11月10日 or 令和8年11月10日."""

    widget = DateInput
    default_error_messages = {"invalid": _("日付を正しく入力してください(例: 2026-11-10)。")}

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value in self.empty_values:
            return super().to_python(value)
        try:
            return parse_date_flexible(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def parse_yen(text: str) -> Decimal | None:
    """ "10,000", "１００００", "¥10,000", "10000円" → Decimal; None when empty. Fractions and
    anything else are a ValidationError (the amount is whole yen)."""
    s = nfkc(text or "").strip().replace(",", "").replace("¥", "").replace("円", "").strip()
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValidationError(_("金額は数字で入力してください。")) from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise ValidationError(_("金額は円単位の整数で入力してください。"))
    if value <= 0:
        raise ValidationError(_("金額は1円以上で入力してください。"))
    return value.quantize(Decimal(1))


# ------------------------------------------------------------------------------ the entry screen


@dataclass
class EntryChoices:
    """The company's masters for the entry screen, read once per request."""

    settings: LedgerSettings
    tax_codes: dict[str, TaxCode]
    sub_accounts: dict[str, SubAccount]
    departments: dict[str, Department]
    cash: Account | None
    sub_account_rows: list[SubAccount] = field(default_factory=list)

    @classmethod
    def load(cls, company: Company) -> EntryChoices:
        subs = list(entry_selectors.active_sub_accounts(company=company))
        return cls(
            settings=entry_selectors.ledger_settings(company=company),
            tax_codes={t.key: t for t in entry_selectors.tax_codes(company=company)},
            sub_accounts={str(s.pk): s for s in subs},
            departments={str(d.pk): d for d in entry_selectors.departments(company=company)},
            cash=entry_selectors.account_by_code(company=company, code=chart.CASH_ACCOUNT_CODE),
            sub_account_rows=subs,
        )

    def tax_data(self) -> dict[str, Any]:
        """What entry.js needs to show the tax of a line (the server recomputes it)."""
        return {
            "rounding": self.settings.tax_rounding,
            "subs": {pk: s.account.code for pk, s in self.sub_accounts.items()},
            "codes": {
                key: {"rate": str(code.rate), "taxable": code.is_taxable, "label": code.label}
                for key, code in self.tax_codes.items()
            },
        }


class EntryForm(forms.Form):
    date = FlexibleDateField(label=_("日付"))
    memo = forms.CharField(label=_("摘要"), max_length=200, required=False)
    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in ENTRY_KINDS], widget=forms.HiddenInput, initial="transfer"
    )


class LineForm(forms.Form):
    """One row. Every field is optional: an empty row is skipped; a row with anything in it needs
    an account and one amount."""

    account = forms.CharField(
        label=_("勘定科目"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "class": "in-account", "placeholder": _("コード・科目名・カナ")}
        ),
    )
    sub_account = forms.ChoiceField(label=_("補助科目"), required=False)
    department = forms.ChoiceField(label=_("部門"), required=False)
    debit = forms.CharField(
        label=_("借方金額"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "in-amount", "autocomplete": "off"}),
    )
    credit = forms.CharField(
        label=_("貸方金額"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "in-amount", "autocomplete": "off"}),
    )
    tax_code = forms.ChoiceField(label=_("税区分"), required=False)
    tax_included = forms.BooleanField(label=_("税込"), required=False)
    memo = forms.CharField(
        label=_("摘要"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args: Any, choices: EntryChoices, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices, self.company = choices, company
        self.fields["tax_included"].initial = choices.settings.tax_included_entry
        choice_fields: dict[str, list[tuple[str, Any]]] = {
            "sub_account": [("", "")]
            + [(str(s.pk), f"{s.account.code}-{s.code} {s.name}") for s in choices.sub_account_rows],
            "department": [("", "")] + [(pk, f"{d.code} {d.name}") for pk, d in choices.departments.items()],
            "tax_code": [("", _("(科目の既定)"))]
            + [(key, code.label) for key, code in choices.tax_codes.items()],
        }
        for name, options in choice_fields.items():
            field_ = self.fields[name]
            assert isinstance(field_, forms.ChoiceField)
            field_.choices = options
        self.account_obj: Account | None = None
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("aria-label", str(f.label))
            f.widget.attrs["data-field"] = name

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not (data.get("account") or data.get("debit") or data.get("credit"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("account") or data.get("debit") or data.get("credit")):
            return data
        for side in ("debit", "credit"):
            try:
                data[side] = parse_yen(data.get(side) or "")
            except ValidationError as exc:
                self.add_error(side, exc)
        account = entry_selectors.resolve_account(company=self.company, text=data.get("account") or "")
        if account is None:
            self.add_error("account", _("勘定科目が見つかりません。科目コードか科目名を入力してください。"))
        self.account_obj = account
        data["sub_account"] = self.choices.sub_accounts.get(data.get("sub_account") or "")
        data["department"] = self.choices.departments.get(data.get("department") or "")
        key = data.get("tax_code") or ""
        data["tax_code"] = self.choices.tax_codes.get(key) if key else None
        return data


LineFormSet = formset_factory(LineForm, extra=0, max_num=200, absolute_max=200, validate_max=True)


def line_formset(
    *, company: Company, choices: EntryChoices, data: Any = None, initial: list[dict[str, Any]] | None = None
) -> Any:
    rows = initial or []
    if data is None and len(rows) < EMPTY_ROWS:
        default = {"tax_included": choices.settings.tax_included_entry}
        rows = rows + [dict(default) for _ in range(EMPTY_ROWS - len(rows))]
    return LineFormSet(
        data,
        initial=rows if data is None else None,
        prefix="lines",
        form_kwargs={"choices": choices, "company": company},
    )


@dataclass
class ParsedEntry:
    inputs: list[LineInput]
    rows: list[int | None]  # the form row of each input (None: the 現金 line of a receipt/payment)


def _gross(line: LineInput, settings: LedgerSettings) -> Decimal:
    amount = Decimal(str(line.amount))
    code = line.tax_code
    if code is None or not code.is_taxable:
        return amount
    included = settings.tax_included_entry if line.tax_included is None else line.tax_included
    split = rules.split_amount(
        amount=amount, rate_percent=code.rate, tax_included=included, rounding=Rounding(settings.tax_rounding)
    )
    return split.gross


def parse_lines(*, kind: str, formset: Any, choices: EntryChoices) -> ParsedEntry | None:
    """The LineInputs of a valid formset, or None (errors are then on the row forms). A 入金伝票
    takes credit lines and gets one 現金 debit line for their 税込 total; a 出金伝票 the reverse."""
    inputs: list[LineInput] = []
    rows: list[int | None] = []
    ok = True
    for n, form in enumerate(formset.forms):
        if form.errors:
            ok = False
            continue
        if form.is_blank():
            continue
        data = form.cleaned_data
        debit, credit = data.get("debit"), data.get("credit")
        if kind == JournalEntry.Kind.RECEIPT:
            side, amount = "credit", credit or debit
        elif kind == JournalEntry.Kind.PAYMENT:
            side, amount = "debit", debit or credit
        elif debit and credit:
            form.add_error("credit", _("借方か貸方のどちらか一方に入力してください。"))
            ok = False
            continue
        else:
            side, amount = ("debit", debit) if debit else ("credit", credit)
        if not amount:
            form.add_error("debit" if side == "debit" else "credit", _("金額を入力してください。"))
            ok = False
            continue
        account = form.account_obj
        assert account is not None
        tax_code = data.get("tax_code") or account.default_tax_code
        inputs.append(
            LineInput(
                account=account,
                side=side,
                amount=amount,
                tax_code=tax_code,
                tax_included=bool(data.get("tax_included")),
                department=data.get("department"),
                sub_account=data.get("sub_account"),
                memo=data.get("memo") or "",
            )
        )
        rows.append(n)
    if not ok:
        return None
    if kind in (JournalEntry.Kind.RECEIPT, JournalEntry.Kind.PAYMENT) and inputs and choices.cash is not None:
        total = sum((_gross(i, choices.settings) for i in inputs), Decimal(0))
        inputs.append(
            LineInput(
                account=choices.cash,
                side="debit" if kind == JournalEntry.Kind.RECEIPT else "credit",
                amount=total,
            )
        )
        rows.append(None)
    return ParsedEntry(inputs, rows)


def apply_entry_error(
    entry_form: EntryForm, formset: Any, parsed: ParsedEntry, exc: ServiceError
) -> list[str]:
    """Put a service's field errors next to the fields: "date" on the date, "lines.N" on the row
    of the N-th line; the rest is returned to be shown above the lines."""
    general: list[str] = []
    for key, messages in exc.field_errors.items():
        if key in entry_form.fields:
            for m in messages:
                entry_form.add_error(key, m)
        elif key.startswith("lines."):
            index = int(key.split(".", 1)[1]) if key.split(".", 1)[1].isdigit() else -1
            row = parsed.rows[index] if 0 <= index < len(parsed.rows) else None
            if row is None:
                general.extend(messages)
            else:
                for m in messages:
                    formset.forms[row].add_error(None, m)
        else:
            general.extend(messages)
    if not exc.field_errors:
        general.append(exc.message)
    return general


def draft_initial(
    *, entry: JournalEntry, lines: list[JournalLine], settings: LedgerSettings
) -> list[dict[str, Any]]:
    """The form rows of a saved draft: generated tax lines folded back into their base line (as
    税込 when that reproduces the tax, else as 税抜), and the 現金 line of a receipt/payment left out."""
    tax_of: dict[int, Decimal] = {}
    for ln in lines:
        if ln.tax_for_id:
            tax_of[ln.tax_for_id] = tax_of.get(ln.tax_for_id, Decimal(0)) + ln.debit + ln.credit
    base_lines = [ln for ln in lines if not ln.tax_for_id]
    if entry.kind in (JournalEntry.Kind.RECEIPT, JournalEntry.Kind.PAYMENT):
        cash_side = "debit" if entry.kind == JournalEntry.Kind.RECEIPT else "credit"
        for ln in reversed(base_lines):
            if ln.account.code == chart.CASH_ACCOUNT_CODE and getattr(ln, cash_side) > 0:
                base_lines.remove(ln)
                break
    rows = []
    for ln in base_lines:
        side = "debit" if ln.debit else "credit"
        amount = ln.debit or ln.credit
        included = True
        code = ln.tax_code
        if code is not None and code.is_taxable and ln.tax_base is not None and ln.tax_amount is not None:
            gross = ln.tax_base + ln.tax_amount
            rounding = Rounding(settings.tax_rounding)
            split = rules.split_amount(
                amount=gross, rate_percent=code.rate, tax_included=True, rounding=rounding
            )
            if split.tax == ln.tax_amount:
                amount = gross
            else:
                amount, included = ln.tax_base, False
        rows.append(
            {
                "account": f"{ln.account.code} {ln.account.name}",
                "sub_account": str(ln.sub_account_id or ""),
                "department": str(ln.department_id or ""),
                side: f"{amount:,}",
                "tax_code": code.key if code else "",
                "tax_included": included,
                "memo": ln.memo,
            }
        )
    return rows


class ReverseForm(forms.Form):
    date = FlexibleDateField(label=_("取消の日付"))
    memo = forms.CharField(label=_("摘要"), max_length=200, required=False)


class EntryFilterForm(forms.Form):
    q = forms.CharField(label=_("摘要・伝票番号"), max_length=100, required=False)
    date_from = FlexibleDateField(label=_("日付(から)"), required=False)
    date_to = FlexibleDateField(label=_("日付(まで)"), required=False)
    account = forms.CharField(label=_("勘定科目"), max_length=120, required=False)
    amount_min = forms.CharField(label=_("金額(以上)"), max_length=30, required=False)
    amount_max = forms.CharField(label=_("金額(以下)"), max_length=30, required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *JournalEntry.Status.choices]
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_account(self) -> Account | None:
        text = self.cleaned_data.get("account") or ""
        if not text.strip():
            return None
        account = entry_selectors.resolve_account(company=self.company, text=text)
        if account is None:
            raise ValidationError(_("勘定科目が見つかりません。"))
        return account

    def _amount(self, name: str) -> Decimal | None:
        try:
            return parse_yen(self.cleaned_data.get(name) or "")
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def clean_amount_min(self) -> Decimal | None:
        return self._amount("amount_min")

    def clean_amount_max(self) -> Decimal | None:
        return self._amount("amount_max")

    def filters(self) -> entry_selectors.EntryFilters:
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return entry_selectors.EntryFilters(
            q=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            account=data.get("account"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            status=data.get("status") or "",
        )


# ------------------------------------------------------------------------------ accounts


class AccountForm(forms.Form):
    code = forms.CharField(label=_("科目コード"), max_length=10)
    name = forms.CharField(label=_("科目名"), max_length=100)
    kana = forms.CharField(label=_("フリガナ"), max_length=100, required=False)
    section = forms.ChoiceField(label=_("区分"), choices=[(s.key, s.label) for s in chart.SECTIONS])
    default_tax_code = forms.ModelChoiceField(
        label=_("既定の税区分"), queryset=TaxCode.objects.none(), required=False, empty_label=_("(なし)")
    )
    is_active = forms.BooleanField(label=_("使用中"), required=False, initial=True)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_tax_code"].queryset = entry_selectors.tax_codes(company=company)  # type: ignore[attr-defined]

    def clean_kana(self) -> str:
        from ennoshita.core.text import to_katakana

        return to_katakana(self.cleaned_data.get("kana") or "")


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("検索"), max_length=100, required=False)
    inactive = forms.BooleanField(label=_("使用停止の科目も表示"), required=False)


class SubAccountForm(forms.Form):
    code = forms.CharField(label=_("補助コード"), max_length=10)
    name = forms.CharField(label=_("補助科目名"), max_length=100)
    kana = forms.CharField(label=_("フリガナ"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("使用中"), required=False, initial=True)


# ------------------------------------------------------------------------------ periods, settings


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class MonthForm(forms.Form):
    month = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d", "%Y-%m"])
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class LedgerSettingsForm(forms.Form):
    tax_rounding = forms.ChoiceField(label=_("消費税の端数処理"), choices=TAX_ROUNDING_CHOICES)
    tax_included_entry = forms.BooleanField(
        label=_("仕訳の金額を税込で入力する(既定)"),
        required=False,
        help_text=_("仕訳入力の各行で変えられます。"),
    )


class AttachDocumentForm(forms.Form):
    """証憑: the id of a document (chosen from a list of the ones the user may read)."""

    document = forms.IntegerField(label=_("文書"), min_value=1)
