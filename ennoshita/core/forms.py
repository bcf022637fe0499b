from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError
from .history import ACTION_LABELS
from .models import Role


def apply_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Show a service's field errors on the form's fields (others as non-field errors)."""
    placed = False
    for name, messages in exc.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("現在のパスワード"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新しいパスワード"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("10文字以上。よくあるパスワードや数字だけのものは使えません。"),
    )
    new_password2 = forms.CharField(
        label=_("新しいパスワード(確認)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("確認用のパスワードが一致しません。"))
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("トークン名"), max_length=100, help_text=_("用途がわかる名前(例: 給与ソフト連携)")
    )


class MemberForm(forms.Form):
    username = forms.CharField(label=_("ユーザー名"), max_length=150)
    last_name = forms.CharField(label=_("姓"), max_length=150, required=False)
    first_name = forms.CharField(label=_("名"), max_length=150, required=False)
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    password = forms.CharField(
        label=_("初期パスワード"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("新しいユーザーのときだけ使われます。"),
    )
    roles = forms.MultipleChoiceField(
        label=_("ロール"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("有効期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("外部アシスタントは必須です。"),
    )


class AuditExportForm(forms.Form):
    start = forms.DateField(label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("対象・実行者"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("操作"),
        required=False,
        choices=[("", _("すべて")), *[(k, v) for k, v in ACTION_LABELS.items()]],
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("終了日は開始日以降にしてください。"))
        return data
