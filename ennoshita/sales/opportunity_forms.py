"""Forms of the 商談 screens. They parse what was typed (full-width digits, commas, 円, 和暦);
``services.opportunities`` decides what is valid. The quote made from an opportunity uses the
quote form of ``document_forms`` (``DocumentForm(kind="revise")`` and the lines formset)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .document_forms import FlexibleDateField, parse_yen
from .models import Customer, Opportunity
from .services.opportunities import OPEN_STAGES

Stage = Opportunity.Stage


def _user_label(user: Any) -> str:
    return user.display_name() if hasattr(user, "display_name") else str(user)


class OpportunityForm(forms.Form):
    """Register (``creating=True``: with the starting stage) or edit an opportunity."""

    customer = forms.ChoiceField(label=_("得意先"))
    title = forms.CharField(label=_("商談名"), max_length=200)
    stage = forms.ChoiceField(label=_("段階"))
    expected_amount = forms.CharField(
        label=_("見込金額(円)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    expected_date = FlexibleDateField(label=_("受注予定日"), required=False)
    owner = forms.ChoiceField(label=_("担当"), required=False)
    notes = forms.CharField(label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        customers: Sequence[Customer] = (),
        owners: Sequence[Any] = (),
        creating: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._customers = {str(c.pk): c for c in customers}
        self._owners = {str(u.pk): u for u in owners}
        customer = self.fields["customer"]
        assert isinstance(customer, forms.ChoiceField)
        customer.choices = [("", _("選んでください"))] + [
            (str(c.pk), f"{c.code} {c.name}") for c in customers
        ]
        customer.error_messages["required"] = _("得意先を選んでください。")
        customer.error_messages["invalid_choice"] = _("得意先を選んでください。")
        self.fields["title"].error_messages["required"] = _("商談名を入力してください。")
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", _("未割当"))] + [(str(u.pk), _user_label(u)) for u in owners]
        owner.error_messages["invalid_choice"] = _("担当者を選び直してください。")
        if creating:
            stage = self.fields["stage"]
            assert isinstance(stage, forms.ChoiceField)
            stage.choices = [(s, Stage(s).label) for s in OPEN_STAGES]
        else:
            del self.fields["stage"]

    def clean_customer(self) -> Customer:
        return self._customers[self.cleaned_data["customer"]]

    def clean_owner(self) -> Any:
        return self._owners.get(self.cleaned_data.get("owner") or "")

    def clean_expected_amount(self) -> Decimal:
        value = parse_yen(self.cleaned_data.get("expected_amount"), allow_zero=True)
        return value if value is not None else Decimal(0)


STAGE_FILTER_CHOICES = [
    ("", _("すべて")),
    ("open", _("進行中(見込み・提案・交渉)")),
    ("closed", _("終了(受注・失注)")),
    *Stage.choices,
]


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("商談名・得意先名・フリガナ")}),
    )
    stage = forms.ChoiceField(label=_("段階"), required=False, choices=STAGE_FILTER_CHOICES)
    owner = forms.ChoiceField(label=_("担当"), required=False)
    mine = forms.BooleanField(label=_("自分の商談"), required=False)
    date_from = FlexibleDateField(label=_("受注予定日(から)"), required=False)
    date_to = FlexibleDateField(label=_("受注予定日(まで)"), required=False)

    def __init__(self, *args: Any, owners: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", _("すべて"))] + [(str(u.pk), _user_label(u)) for u in owners]

    def filters(self, user: Any) -> dict[str, Any]:
        """The selector's arguments; 「自分の商談」 wins over a chosen owner."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        owner = user.pk if data.get("mine") else (int(data["owner"]) if data.get("owner") else None)
        return {
            "q": data.get("q") or "",
            "stage": data.get("stage") or "",
            "owner": owner,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class BoardFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("自分の商談"), required=False)


class MoveForm(forms.Form):
    """段階を変更: the new stage, and the reason when it is 失注. ``mine`` and ``back`` say which
    board (or page) to show afterwards."""

    stage = forms.ChoiceField(label=_("移動先の段階"), choices=Stage.choices)
    reason = forms.CharField(label=_("失注理由"), max_length=500, required=False)
    mine = forms.BooleanField(required=False, widget=forms.HiddenInput)
    back = forms.ChoiceField(
        required=False, choices=[("board", "board"), ("detail", "detail")], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, allowed: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.error_messages["required"] = _("段階を選んでください。")
        stage.error_messages["invalid_choice"] = _("段階を選んでください。")
        if allowed is not None and not self.is_bound:
            stage.choices = [(s, Stage(s).label) for s in allowed]
