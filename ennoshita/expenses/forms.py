"""Forms of the 経費精算 screens: they parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.errors import ServiceError

from .models import CategoryKind, ClaimStatus, ExpenseCategory, TaxHandling
from .services import LineSpec, ReceiptUpload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClaimForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=100, help_text=_("例: 11月 大阪出張"))


class LineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("日付"), widget=DATE, required=False)
    category = forms.ModelChoiceField(
        label=_("区分"), queryset=ExpenseCategory.objects.none(), required=False
    )
    payee = forms.CharField(label=_("支払先"), max_length=100, required=False)
    purpose = forms.CharField(label=_("内容・目的"), max_length=200, required=False)
    amount = forms.CharField(
        label=_("金額(税込・円)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "num"}),
    )
    registration_number = forms.CharField(
        label=_("登録番号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "T1234567890123"}),
    )
    is_qualified = forms.BooleanField(label=_("適格請求書(インボイス)あり"), required=False)
    attendees = forms.CharField(
        label=_("参加者(氏名・所属)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attendee_count = forms.IntegerField(label=_("人数"), required=False, min_value=1, max_value=9999)
    route_from = forms.CharField(label=_("出発"), max_length=50, required=False)
    route_to = forms.CharField(label=_("到着"), max_length=50, required=False)
    round_trip = forms.BooleanField(label=_("往復"), required=False)
    per_diem_kind = forms.ChoiceField(
        label=_("日当の種類"),
        required=False,
        choices=[("", "—"), ("day_trip", _("日帰り")), ("overnight", _("宿泊"))],
    )
    per_diem_days = forms.IntegerField(label=_("日数"), required=False, min_value=1, max_value=366)
    receipt = forms.FileField(
        label=_("領収書(画像・PDF)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )
    DELETE = forms.BooleanField(label=_("この行を削除"), required=False)

    def __init__(self, *args: Any, company: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if company is not None:
            category = self.fields["category"]
            assert isinstance(category, forms.ModelChoiceField)
            category.queryset = ExpenseCategory.objects.for_company(company).filter(is_active=True)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        keys = ("date", "category", "payee", "purpose", "amount", "receipt", "per_diem_kind")
        return not data.get("id") and not any(data.get(k) for k in keys)

    def spec(self) -> LineSpec:
        d = self.cleaned_data
        upload = d.get("receipt")
        return LineSpec(
            id=d.get("id"),
            date=d.get("date"),
            payee=d.get("payee") or "",
            purpose=d.get("purpose") or "",
            category_id=d["category"].pk if d.get("category") else None,
            amount=d.get("amount") or "",
            registration_number=d.get("registration_number") or "",
            is_qualified=bool(d.get("is_qualified")),
            attendees=d.get("attendees") or "",
            attendee_count=d.get("attendee_count"),
            route_from=d.get("route_from") or "",
            route_to=d.get("route_to") or "",
            round_trip=bool(d.get("round_trip")),
            per_diem_kind=d.get("per_diem_kind") or "",
            per_diem_days=d.get("per_diem_days"),
            receipt=ReceiptUpload(upload.name, upload.read()) if upload else None,
        )


LineFormSet = forms.formset_factory(LineForm, extra=2, max_num=100, absolute_max=100, validate_max=True)


def apply_claim_error(form: ClaimForm, formset: Any, kept: list[int], exc: ServiceError) -> None:
    """Put a service's errors on the title, the formset or the line fields (``lines.<n>.<field>``:
    n counts the kept lines; ``kept`` maps it back to the form's index)."""
    placed = False
    for key, messages in exc.field_errors.items():
        parts = key.split(".")
        for message in messages:
            if key == "title":
                form.add_error("title", message)
            elif parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(kept):
                line_form = formset.forms[kept[int(parts[1])]]
                target = parts[2] if len(parts) > 2 and parts[2] in line_form.fields else None
                line_form.add_error(target, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *ClaimStatus.choices]
    )


class AllClaimsFilterForm(ClaimFilterForm):
    department = forms.TypedChoiceField(
        label=_("部署"), required=False, coerce=int, empty_value=None, choices=[]
    )
    month = forms.DateField(
        label=_("申請月"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    unpaid = forms.BooleanField(label=_("承認済み・未払いのみ"), required=False)

    def __init__(self, *args: Any, departments: list[tuple[Any, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        department, status = self.fields["department"], self.fields["status"]
        assert isinstance(department, forms.ChoiceField)
        assert isinstance(status, forms.ChoiceField)
        department.choices = [("", _("すべて")), *departments]
        status.choices = [("", _("すべて")), *[c for c in ClaimStatus.choices if c[0] != ClaimStatus.DRAFT]]


class SettingsForm(forms.Form):
    receipt_threshold = forms.IntegerField(
        label=_("領収書が必要になる金額(円)"), min_value=1, max_value=99_999_999
    )
    missing_receipt_blocks = forms.BooleanField(label=_("領収書がない明細は申請できない"), required=False)
    entertainment_limit_per_person = forms.IntegerField(
        label=_("1人あたり飲食費の上限(円・税抜)"),
        min_value=0,
        max_value=99_999_999,
        help_text=_("租税特別措置法61条の4・同施行令37条の5: 2024年4月1日以後 1万円以下。"),
    )
    small_amount_exception = forms.BooleanField(
        label=_("少額特例を適用する(税込1万円未満はインボイスなしでも全額控除)"),
        required=False,
        help_text=_(
            "基準期間の課税売上高が1億円以下、または特定期間が5,000万円以下の会社だけが使えます(2029年9月30日まで)。"
        ),
    )
    per_diem_enabled = forms.BooleanField(label=_("日当を支給する"), required=False)
    per_diem_day_trip = forms.IntegerField(label=_("日当・日帰り(円)"), min_value=0, max_value=99_999_999)
    per_diem_overnight = forms.IntegerField(label=_("日当・宿泊(円/日)"), min_value=0, max_value=99_999_999)


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("区分コード"), max_length=20)
    name = forms.CharField(label=_("区分名"), max_length=50)
    account_code = forms.CharField(label=_("勘定科目コード"), max_length=10, help_text=_("例: 6310 消耗品費"))
    tax_handling = forms.ChoiceField(label=_("税区分"), choices=TaxHandling.choices)
    kind = forms.ChoiceField(label=_("種類"), choices=CategoryKind.choices)
    receipt_required = forms.BooleanField(label=_("領収書が必要"), required=False)
    books_only = forms.BooleanField(
        label=_("帳簿のみで控除できる(公共交通機関特例・出張旅費等特例)"), required=False
    )
    is_active = forms.BooleanField(label=_("使用中"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("表示順"), initial=0, min_value=-9999, max_value=9999)
