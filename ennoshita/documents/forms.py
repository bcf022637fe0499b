"""Forms of the 文書 screens: they parse; the services validate and write."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Role

from .models import DocumentType, GranteeKind, Permission


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FolderForm(forms.Form):
    name = forms.CharField(label=_("フォルダ名"), max_length=200)


class UploadForm(forms.Form):
    file = MultipleFileField(label=_("ファイル"))
    comment = forms.CharField(label=_("コメント"), max_length=500, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("新しい版のファイル"))
    comment = forms.CharField(label=_("コメント"), max_length=500, required=False)


class RenameForm(forms.Form):
    name = forms.CharField(label=_("ファイル名"), max_length=255)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("タグ"), max_length=1000, required=False, help_text=_("カンマ(,)で区切って入力します。")
    )

    def names(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in raw.replace("、", ",").replace("，", ",").split(",") if t.strip()]


class TransactionForm(forms.Form):
    """電子取引データ: the service checks the required keys and puts its messages on these fields."""

    transaction_date = forms.DateField(label=_("取引年月日"), required=False, widget=_date_input())
    transaction_amount = forms.DecimalField(
        label=_("取引金額(円)"), required=False, max_digits=15, decimal_places=0
    )
    counterparty = forms.CharField(label=_("取引先"), max_length=200, required=False)
    document_type = forms.ChoiceField(
        label=_("書類の種類"), required=False, choices=[("", "—"), *DocumentType.choices]
    )
    retention_years = forms.TypedChoiceField(
        label=_("保存年数"), coerce=int, choices=[(7, _("7年")), (10, _("10年"))], initial=7
    )


class ShareForm(forms.Form):
    grantee_kind = forms.ChoiceField(label=_("共有先の種類"), choices=GranteeKind.choices)
    role = forms.ChoiceField(label=_("ロール"), required=False, choices=[("", "—"), *Role.choices])
    user = forms.ChoiceField(label=_("個人"), required=False)
    department = forms.ChoiceField(label=_("部署"), required=False)
    permission = forms.ChoiceField(label=_("権限"), choices=Permission.choices, initial=Permission.READ)
    expires_on = forms.DateField(
        label=_("有効期限"),
        required=False,
        widget=_date_input(),
        help_text=_("外部アシスタントには必須です。"),
    )

    def __init__(
        self,
        *args: Any,
        members: list[tuple[str, str]] | None = None,
        departments: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *(members or [])]  # type: ignore[attr-defined]
        self.fields["department"].choices = [("", "—"), *(departments or [])]  # type: ignore[attr-defined]

    def grantee(self) -> str:
        kind = str(self.cleaned_data["grantee_kind"])
        values: dict[str, str] = {
            GranteeKind.ROLE.value: self.cleaned_data.get("role") or "",
            GranteeKind.USER.value: self.cleaned_data.get("user") or "",
            GranteeKind.DEPARTMENT.value: (self.cleaned_data.get("department") or "").strip(),
        }
        return values.get(kind, "")

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59))) if day else None

    def clean(self) -> dict:
        data = super().clean() or {}
        fields: dict[str, str] = {
            GranteeKind.ROLE.value: "role",
            GranteeKind.USER.value: "user",
            GranteeKind.DEPARTMENT.value: "department",
        }
        field = fields.get(str(data.get("grantee_kind") or ""))
        if field and not data.get(field):
            self.add_error(field, _("共有先を選んでください。"))
        return data


class CheckedByDefault(forms.CheckboxInput):
    """A checkbox that is on unless the submitted form turned it off.

    It renders a hidden ``0`` before the box: a submitted form sends ``0`` alone when the box is
    cleared and ``0`` then ``1`` when it is ticked; a query string without the field at all (a link,
    a bookmark from before the box existed) keeps the default, on."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=lambda v: v is not False and v not in ("0", "false", ""))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = [v for v in values if v is not None]
        if not values:
            return True
        return str(values[-1]).lower() not in ("0", "false", "")

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        box = super().render(name, True if value is None else value, attrs, renderer)
        return format_html('<input type="hidden" name="{}" value="0">{}', name, box)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=200)
    folder = forms.TypedChoiceField(label=_("フォルダ"), required=False, coerce=int, empty_value=None)
    include_subfolders = forms.BooleanField(
        label=_("下位フォルダを含む"),
        required=False,
        initial=True,
        widget=CheckedByDefault(attrs={"value": "1"}),
    )
    tag = forms.CharField(
        label=_("タグ"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"list": "tag-choices", "autocomplete": "off"}),
    )
    uploader = forms.TypedChoiceField(label=_("登録者"), required=False, coerce=int, empty_value=None)
    uploaded_from = forms.DateField(label=_("登録日(から)"), required=False, widget=_date_input())
    uploaded_to = forms.DateField(label=_("登録日(まで)"), required=False, widget=_date_input())
    transaction_only = forms.BooleanField(label=_("電子取引データのみ"), required=False)
    transaction_date_from = forms.DateField(label=_("取引年月日(から)"), required=False, widget=_date_input())
    transaction_date_to = forms.DateField(label=_("取引年月日(まで)"), required=False, widget=_date_input())
    amount_min = forms.DecimalField(label=_("金額(以上)"), required=False, max_digits=15, decimal_places=0)
    amount_max = forms.DecimalField(label=_("金額(以下)"), required=False, max_digits=15, decimal_places=0)
    counterparty = forms.CharField(label=_("取引先"), required=False, max_length=200)
    document_type = forms.ChoiceField(
        label=_("書類の種類"), required=False, choices=[("", "—"), *DocumentType.choices]
    )

    TRANSACTION_FIELDS = (
        "transaction_only",
        "transaction_date_from",
        "transaction_date_to",
        "amount_min",
        "amount_max",
        "counterparty",
        "document_type",
    )

    def __init__(
        self,
        *args: Any,
        folders: list[tuple[int, str]] | None = None,
        uploaders: list[tuple[int, str]] | None = None,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tag_choices = tags or []  # the company's tags, offered as a datalist under the tag field
        self.fields["folder"].choices = [("", _("すべて")), *(folders or [])]  # type: ignore[attr-defined]
        self.fields["uploader"].choices = [("", _("すべて")), *(uploaders or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        for low, high in (
            ("uploaded_from", "uploaded_to"),
            ("transaction_date_from", "transaction_date_to"),
            ("amount_min", "amount_max"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("範囲の終わりは始まり以降にしてください。"))
        return data

    def general_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n not in self.TRANSACTION_FIELDS]

    def transaction_fields(self) -> list[Any]:
        return [self[n] for n in self.TRANSACTION_FIELDS]


class AttachForm(forms.Form):
    document = forms.IntegerField(label=_("文書"), min_value=1)
