"""Forms of the 仕入先・仕入先請求書・買掛金 screens: they parse; the services check and write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ennoshita.core.errors import ServiceError

from .models import AccountType, BillStatus, TaxHandling
from .services.bill_drafts import BillLineSpec
from .services.vendors import VendorInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUM = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
PAYABLE_CHOICES = [("2112", _("2112 買掛金(仕入・外注)")), ("2130", _("2130 未払金(その他の経費・資産)"))]


def put_errors(form: forms.Form, exc: ServiceError) -> None:
    """A service's field errors on the form's fields (the rest on the form)."""
    placed = False
    for key, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(key if key in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# ------------------------------------------------------------------------------ vendors
class VendorForm(forms.Form):
    code = forms.CharField(label=_("仕入先コード"), max_length=20)
    name = forms.CharField(label=_("仕入先名"), max_length=100)
    kana = forms.CharField(label=_("フリガナ"), max_length=100, required=False)
    registration_number = forms.CharField(
        label=_("インボイス登録番号"),
        max_length=20,
        required=False,
        help_text=_("T + 13桁。適格請求書発行事業者でなければ空欄(免税事業者など)。"),
        widget=forms.TextInput(attrs={"placeholder": "T1234567890123"}),
    )
    is_individual = forms.BooleanField(
        label=_("個人事業者"),
        required=False,
        help_text=_("法人の登録番号は法人番号なので検査数字を確かめます。個人事業者の番号は確かめません。"),
    )
    bank_code = forms.CharField(
        label=_("銀行コード"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "list": "bank-candidates", "autocomplete": "off"}
        ),
        help_text=_("4桁。銀行名・カナでも候補が出ます。"),
    )
    branch_code = forms.CharField(
        label=_("支店コード"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "list": "branch-candidates", "autocomplete": "off"}
        ),
        help_text=_("3桁。支店名・カナでも候補が出ます。"),
    )
    account_type = forms.ChoiceField(
        label=_("預金種目"), choices=AccountType.choices, initial=AccountType.ORDINARY
    )
    account_number = forms.CharField(label=_("口座番号"), max_length=10, required=False, widget=NUM)
    account_holder = forms.CharField(
        label=_("口座名義(カナ)"),
        max_length=60,
        required=False,
        help_text=_(
            "例: カブシキガイシャ ヤマダショウジ。全角カナ・ひらがなでも半角カナに直して保存します。"
        ),
    )
    closing_day = forms.IntegerField(label=_("締め日(31=月末)"), initial=31, min_value=1, max_value=31)
    payment_month_offset = forms.TypedChoiceField(
        label=_("支払月"),
        coerce=int,
        initial=1,
        choices=[
            (0, _("当月")),
            (1, _("翌月")),
            (2, _("翌々月")),
            (3, _("3か月後")),
            (4, _("4か月後")),
            (5, _("5か月後")),
            (6, _("6か月後")),
        ],
    )
    payment_day = forms.IntegerField(label=_("支払日(31=月末)"), initial=31, min_value=1, max_value=31)
    default_account_code = forms.CharField(
        label=_("既定の勘定科目コード"), max_length=10, required=False, help_text=_("例: 6410 地代家賃")
    )
    memo = forms.CharField(label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the bank lookup (HTMX): candidates by code, name or kana fill the fields' datalists
        common = {"hx-trigger": "input changed delay:300ms", "hx-swap": "innerHTML"}
        self.fields["bank_code"].widget.attrs.update(
            {**common, "hx-get": reverse("purchasing:vendor_bank_search"), "hx-target": "#bank-candidates"}
        )
        self.fields["branch_code"].widget.attrs.update(
            {
                **common,
                "hx-get": reverse("purchasing:vendor_branch_search"),
                "hx-target": "#branch-candidates",
                "hx-include": "[name='bank_code']",
            }
        )

    def data_input(self) -> VendorInput:
        d = self.cleaned_data
        return VendorInput(
            code=d["code"],
            name=d["name"],
            kana=d.get("kana") or "",
            registration_number=d.get("registration_number") or "",
            is_individual=bool(d.get("is_individual")),
            bank_code=d.get("bank_code") or "",
            branch_code=d.get("branch_code") or "",
            account_type=d.get("account_type") or AccountType.ORDINARY,
            account_number=d.get("account_number") or "",
            account_holder=d.get("account_holder") or "",
            closing_day=d["closing_day"],
            payment_month_offset=d["payment_month_offset"],
            payment_day=d["payment_day"],
            default_account_code=d.get("default_account_code") or "",
            memo=d.get("memo") or "",
        )


class VendorFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    active = forms.ChoiceField(
        label=_("取引"),
        required=False,
        choices=[("", _("すべて")), ("1", _("取引中")), ("0", _("取引停止"))],
    )


# ------------------------------------------------------------------------------ bills
class BillForm(forms.Form):
    vendor = forms.TypedChoiceField(label=_("仕入先"), coerce=int, choices=[])
    bill_date = forms.DateField(label=_("請求日(取引日)"), widget=DATE)
    due_date = forms.DateField(
        label=_("支払期日"),
        widget=DATE,
        required=False,
        help_text=_("空欄なら仕入先の支払条件から決めます。"),
    )
    vendor_reference = forms.CharField(label=_("先方の請求書番号"), max_length=50, required=False)
    is_qualified = forms.BooleanField(
        label=_("適格請求書(インボイス)"),
        required=False,
        initial=True,
        help_text=_(
            "登録番号のある請求書。登録番号のない仕入先(免税事業者など)は外してください(経過措置で記帳)。"
        ),
    )
    payable_account_code = forms.ChoiceField(label=_("相手勘定"), choices=PAYABLE_CHOICES, initial="2112")
    department = forms.TypedChoiceField(
        label=_("部署"), coerce=int, empty_value=None, required=False, choices=[]
    )
    memo = forms.CharField(label=_("摘要"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        vendors: Sequence[tuple[Any, str]] = (),
        departments: Sequence[tuple[Any, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        vendor, department = self.fields["vendor"], self.fields["department"]
        assert isinstance(vendor, forms.ChoiceField)
        assert isinstance(department, forms.ChoiceField)
        vendor.choices = [("", "—"), *vendors]
        department.choices = [("", "—"), *departments]


class BillLineForm(forms.Form):
    description = forms.CharField(label=_("内容"), max_length=200, required=False)
    account_code = forms.ChoiceField(label=_("勘定科目"), required=False, choices=[])
    tax_handling = forms.ChoiceField(label=_("税区分"), choices=TaxHandling.choices, initial=TaxHandling.P10)
    amount = forms.CharField(label=_("金額(税込・円)"), max_length=20, required=False, widget=NUM)
    department = forms.TypedChoiceField(
        label=_("部署"), coerce=int, empty_value=None, required=False, choices=[]
    )
    DELETE = forms.BooleanField(label=_("削除"), required=False)

    def __init__(
        self,
        *args: Any,
        accounts: Sequence[tuple[str, str]] = (),
        departments: Sequence[tuple[Any, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        account, department = self.fields["account_code"], self.fields["department"]
        assert isinstance(account, forms.ChoiceField)
        assert isinstance(department, forms.ChoiceField)
        account.choices = [("", "—"), *accounts]
        department.choices = [("", _("(請求書の部署)")), *departments]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(k) for k in ("description", "account_code", "amount"))

    def spec(self) -> BillLineSpec:
        d = self.cleaned_data
        return BillLineSpec(
            description=d.get("description") or "",
            account_code=d.get("account_code") or "",
            amount=d.get("amount") or "",
            tax_handling=d.get("tax_handling") or TaxHandling.P10,
            department_id=d.get("department"),
        )


BillLineFormSet = forms.formset_factory(
    BillLineForm, extra=3, max_num=100, absolute_max=100, validate_max=True
)


def apply_bill_error(form: BillForm, formset: Any, kept: list[int], exc: ServiceError) -> None:
    """A service's errors on the header, the formset or a line's field (``lines.<n>.<field>``: n
    counts the kept lines; ``kept`` maps it back to the form's index)."""
    placed = False
    for key, messages in exc.field_errors.items():
        parts = key.split(".")
        for message in messages:
            if key in form.fields:
                form.add_error(key, message)
            elif parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(kept):
                line_form = formset.forms[kept[int(parts[1])]]
                target = parts[2] if len(parts) > 2 and parts[2] in line_form.fields else None
                line_form.add_error(target, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class BillFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"), required=False, max_length=100, help_text=_("受付番号・仕入先・先方の番号")
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *BillStatus.choices]
    )
    vendor = forms.TypedChoiceField(
        label=_("仕入先"), coerce=int, empty_value=None, required=False, choices=[]
    )
    due_from = forms.DateField(label=_("支払期日(から)"), required=False, widget=DATE)
    due_to = forms.DateField(label=_("支払期日(まで)"), required=False, widget=DATE)
    unpaid = forms.BooleanField(label=_("承認済み・未払いのみ"), required=False)

    def __init__(self, *args: Any, vendors: Sequence[tuple[Any, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vendor = self.fields["vendor"]
        assert isinstance(vendor, forms.ChoiceField)
        vendor.choices = [("", _("すべて")), *vendors]


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("請求書のファイル(PDF・画像)"))


# ------------------------------------------------------------------------------ reports
class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("基準日"), required=False, widget=DATE)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("開始日"), required=False, widget=DATE)
    end = forms.DateField(label=_("終了日"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("終了日は開始日以後にしてください。"))
        return data
