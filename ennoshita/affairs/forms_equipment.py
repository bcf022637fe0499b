"""Forms of the 備品 screens and 総務の設定: they parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EquipmentCategory, EquipmentStatus, Location
from .services.equipment import EquipmentInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUM = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
YES_NO = [("", _("すべて")), ("1", _("はい")), ("0", _("いいえ"))]


def _choices(rows: Any, empty: Any) -> list[tuple[Any, Any]]:
    return [("", empty), *[(r.pk, str(r)) for r in rows]]


class EquipmentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"), required=False, max_length=100, help_text=_("資産番号・品名・製造番号・使用者名")
    )
    category = forms.TypedChoiceField(label=_("分類"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("廃棄済み以外")), *EquipmentStatus.choices]
    )
    location = forms.TypedChoiceField(label=_("場所"), required=False, coerce=int, empty_value=None)
    holder = forms.IntegerField(
        label=_("使用者(社員ID)"), required=False, min_value=1, widget=forms.HiddenInput
    )
    fixed_asset = forms.ChoiceField(label=_("固定資産候補"), required=False, choices=YES_NO)
    warranty_within = forms.IntegerField(
        label=_("保証期限まで(日)"), required=False, min_value=0, max_value=3650, widget=NUM
    )

    def __init__(self, *args: Any, categories: Any = (), locations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(categories, _("すべて"))  # type: ignore[attr-defined]
        self.fields["location"].choices = _choices(locations, _("すべて"))  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        f = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": f.get("q", ""),
            "category_id": f.get("category"),
            "status": f.get("status", ""),
            "location_id": f.get("location"),
            "holder_id": f.get("holder"),
            "fixed_asset": {"1": True, "0": False}.get(f.get("fixed_asset", "")),
            "warranty_within": f.get("warranty_within"),
        }


class EquipmentForm(forms.Form):
    asset_number = forms.CharField(label=_("資産番号"), max_length=40, help_text=_("例: PC-0001"))
    name = forms.CharField(label=_("品名"), max_length=200)
    category = forms.TypedChoiceField(label=_("分類"), coerce=int)
    location = forms.TypedChoiceField(label=_("場所"), required=False, coerce=int, empty_value=None)
    maker = forms.CharField(label=_("メーカー・型番"), max_length=200, required=False)
    serial_number = forms.CharField(label=_("製造番号"), max_length=100, required=False)
    purchase_date = forms.DateField(label=_("購入日"), required=False, widget=DATE)
    purchase_price = forms.CharField(
        label=_("購入価額(円)"), max_length=20, required=False, widget=NUM, help_text=_("税込・円単位")
    )
    vendor_name = forms.CharField(label=_("購入先"), max_length=200, required=False)
    warranty_end = forms.DateField(label=_("保証期限"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("備考"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        categories: Any = (),
        locations: Any = (),
        current_location: Location | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["category"].choices = _choices(categories, _("選んでください"))  # type: ignore[attr-defined]
        places = [p for p in locations if p.is_active or (current_location and p.pk == current_location.pk)]
        self.fields["location"].choices = _choices(places, _("(なし)"))  # type: ignore[attr-defined]

    def data_input(self) -> EquipmentInput:
        c = self.cleaned_data
        return EquipmentInput(
            asset_number=c["asset_number"],
            name=c["name"],
            category_id=c.get("category"),
            location_id=c.get("location"),
            maker=c.get("maker", ""),
            serial_number=c.get("serial_number", ""),
            purchase_date=c.get("purchase_date"),
            purchase_price=c.get("purchase_price", ""),
            vendor_name=c.get("vendor_name", ""),
            warranty_end=c.get("warranty_end"),
            note=c.get("note", ""),
        )


class LendForm(forms.Form):
    employee = forms.TypedChoiceField(label=_("貸与先"), coerce=int)
    lent_on = forms.DateField(label=_("貸出日"), widget=DATE)
    due_on = forms.DateField(label=_("返却予定日"), required=False, widget=DATE)
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args: Any, employees: Any = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["employee"].choices = [  # type: ignore[attr-defined]
            ("", _("選んでください")),
            *[(e.pk, f"{e.number} {e.full_name}") for e in employees],
        ]


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("返却日"), widget=DATE)
    needs_repair = forms.BooleanField(label=_("修理が必要(修理中にする)"), required=False)
    return_note = forms.CharField(label=_("返却時の備考"), max_length=300, required=False)


class DisposeForm(forms.Form):
    disposed_on = forms.DateField(label=_("廃棄日"), widget=DATE)
    note = forms.CharField(label=_("廃棄の理由"), max_length=300, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"),
        choices=[
            (s.value, s.label)
            for s in (EquipmentStatus.IN_STOCK, EquipmentStatus.REPAIR, EquipmentStatus.LOST)
        ],
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("分類名"), max_length=50)
    is_lendable = forms.BooleanField(label=_("貸与する"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("表示順"), min_value=0, max_value=32767, initial=0, widget=NUM)

    @classmethod
    def of(cls, category: EquipmentCategory) -> dict[str, Any]:
        return {"name": category.name, "is_lendable": category.is_lendable, "sort_order": category.sort_order}


class LocationForm(forms.Form):
    name = forms.CharField(label=_("場所"), max_length=100)


class AffairsSettingsForm(forms.Form):
    fixed_asset_threshold = forms.CharField(
        label=_("固定資産として経理に知らせる取得価額(円)"),
        max_length=20,
        widget=NUM,
        help_text=_(
            "この金額以上の備品を「固定資産候補」として経理に示します。"
            "取得価額10万円未満は少額減価償却資産(法人税法施行令133条)。"
        ),
    )
    checkup_month = forms.TypedChoiceField(
        label=_("定期健康診断の実施月"),
        coerce=int,
        choices=[(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)],
    )
