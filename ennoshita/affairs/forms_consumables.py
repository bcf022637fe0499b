"""Forms of the 消耗品 screens: they parse; ``services/consumables.py`` checks and writes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ennoshita.affairs.models import MoveKind, RequestStatus
from ennoshita.affairs.selectors import consumables as selectors
from ennoshita.affairs.services.consumables import ConsumableInput
from ennoshita.core.models import Company
from ennoshita.people import selectors as people_selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUM = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def _location_choices(company: Company, blank: str = "") -> list[tuple[str, str]]:
    rows = [(str(loc.pk), loc.name) for loc in selectors.locations(company=company)]
    return [("", blank), *rows] if blank else rows


def _department_choices(company: Company, blank: str) -> list[tuple[str, str]]:
    return [
        ("", blank),
        *((str(d.pk), f"{d.code} {d.name}") for d in people_selectors.departments(company=company)),
    ]


class ConsumableForm(forms.Form):
    code = forms.CharField(label=_("品番"), max_length=30)
    name = forms.CharField(label=_("品名"), max_length=200)
    unit = forms.CharField(
        label=_("単位"), max_length=10, initial="個", help_text=_("個、箱、本、パックなど")
    )
    unit_cost = forms.CharField(
        label=_("単価(円)"),
        max_length=20,
        initial="0",
        widget=NUM,
        help_text=_("小数点以下4桁まで。入庫のたびに移動平均で更新されます。"),
    )
    reorder_point = forms.IntegerField(
        label=_("発注点"),
        min_value=0,
        initial=0,
        help_text=_("全場所の在庫がこの数以下で発注リストに載ります(0: 管理しない)。"),
    )
    reorder_quantity = forms.IntegerField(label=_("発注数"), min_value=0, initial=0)
    vendor_name = forms.CharField(label=_("購入先"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("使用中"), required=False, initial=True)

    def data_input(self) -> ConsumableInput:
        return ConsumableInput(**self.cleaned_data)


class ConsumableFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    location = forms.ChoiceField(label=_("場所"), required=False)
    below = forms.BooleanField(label=_("発注点以下のみ"), required=False)
    active = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("1", _("使用中")), ("0", _("使用停止")), ("all", _("すべて"))],
    )

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "location", _location_choices(company, str(_("すべての場所"))))


class _MoveForm(forms.Form):
    moved_on = forms.DateField(label=_("日付"), widget=DATE)
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        kw.setdefault("initial", {}).setdefault("moved_on", timezone.localdate())
        super().__init__(*args, **kw)
        self.company = company
        for name in ("location", "from_location", "to_location"):
            if name in self.fields:
                _choices(self, name, _location_choices(company, "---------"))

    def location_obj(self, name: str = "location") -> Any:
        pk = self.cleaned_data.get(name)
        return selectors.get_location(company=self.company, location_id=int(pk)) if pk else None


class ReceiveForm(_MoveForm):
    location = forms.ChoiceField(label=_("入庫先"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, widget=NUM)
    unit_cost = forms.CharField(
        label=_("仕入単価(円)"), max_length=20, required=False, widget=NUM, help_text=_("空欄なら現在の単価")
    )
    field_order = ["location", "quantity", "unit_cost", "moved_on", "note"]


class IssueForm(_MoveForm):
    location = forms.ChoiceField(label=_("出庫元"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, widget=NUM)
    department = forms.ChoiceField(label=_("部門"), required=False)
    field_order = ["location", "quantity", "department", "moved_on", "note"]

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        super().__init__(*args, company=company, **kw)
        _choices(self, "department", _department_choices(company, str(_("(部門なし・共通)"))))

    def department_obj(self) -> Any:
        pk = self.cleaned_data.get("department")
        return people_selectors.get_department(company=self.company, department_id=int(pk)) if pk else None


class CountForm(_MoveForm):
    location = forms.ChoiceField(label=_("場所"))
    counted_quantity = forms.IntegerField(label=_("実地棚卸数"), min_value=0, widget=NUM)
    field_order = ["location", "counted_quantity", "moved_on", "note"]


class TransferForm(_MoveForm):
    from_location = forms.ChoiceField(label=_("移動元"))
    to_location = forms.ChoiceField(label=_("移動先"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, widget=NUM)
    field_order = ["from_location", "to_location", "quantity", "moved_on", "note"]


class MoveFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("区分"), required=False, choices=[("", _("すべて")), *MoveKind.choices])
    start = forms.DateField(label=_("から"), required=False, widget=DATE)
    end = forms.DateField(label=_("まで"), required=False, widget=DATE)
    department = forms.ChoiceField(label=_("部門"), required=False)
    location = forms.ChoiceField(label=_("場所"), required=False)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "department", _department_choices(company, str(_("すべて"))))
        _choices(self, "location", _location_choices(company, str(_("すべて"))))


class RequestForm(forms.Form):
    consumable = forms.ChoiceField(label=_("品名"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1, widget=NUM)
    note = forms.CharField(label=_("用途・備考"), max_length=300, required=False)

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(
            self,
            "consumable",
            [("", "---------")]
            + [(str(c.pk), f"{c.name}({c.unit})") for c in selectors.active_items(company=company)],
        )


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("requested", _("依頼中")), ("", _("すべて")), *RequestStatus.choices[1:]],
    )
    department = forms.ChoiceField(label=_("部門"), required=False)

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "department", _department_choices(company, str(_("すべて"))))


class ConsumptionForm(forms.Form):
    start = forms.DateField(
        label=_("開始月"), required=False, widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"]
    )
    months = forms.IntegerField(label=_("月数"), required=False, min_value=1, max_value=12, initial=6)
    department = forms.ChoiceField(label=_("部門"), required=False)

    def __init__(self, *args: Any, company: Company, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "department", _department_choices(company, str(_("すべて"))))
