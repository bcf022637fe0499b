from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import format_lazy
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


class BackupScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_("毎日、定期バックアップを行う"), required=False)
    hour = forms.TypedChoiceField(
        label=_("実行時刻"), coerce=int, choices=[(h, f"{h}:00") for h in range(24)], initial=2
    )
    keep = forms.IntegerField(
        label=_("残す世代数"),
        min_value=1,
        max_value=365,
        initial=14,
        help_text=_("古いものから自動で削除されます。"),
    )


class CompanySettingsForm(forms.Form):
    name = forms.CharField(label=_("会社名"), max_length=200)
    name_kana = forms.CharField(label=_("会社名カナ"), max_length=200, required=False)
    corporate_number = forms.CharField(
        label=_("法人番号"),
        max_length=13,
        required=False,
        help_text=_("13桁の数字(国税庁の法人番号公表サイトで確認できます)"),
    )
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("期首月"),
        coerce=int,
        choices=[(m, format_lazy(_("{month}月"), month=m)) for m in range(1, 13)],
    )
    filing_extension_months = forms.TypedChoiceField(
        label=_("法人税の申告期限の延長"),
        coerce=int,
        choices=[
            (0, _("延長なし(事業年度終了後2か月)")),
            *[(m, format_lazy(_("{months}か月延長"), months=m)) for m in range(1, 5)],
        ],
        help_text=_(
            "申告期限の延長の特例(法人税法75条の2)を受けている場合に選びます。電子取引データの保存期限の起算日が変わります。"
        ),
    )
    postal_code = forms.CharField(label=_("郵便番号"), max_length=10, required=False)
    address = forms.CharField(label=_("住所"), max_length=300, required=False)
    address2 = forms.CharField(label=_("建物名など"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=30,
        required=False,
        help_text=_("請求書などに発行者の連絡先として印字します。"),
    )


class SignInForm(AuthenticationForm):
    """Sign-in that refuses, with the reason, a person whose every membership has lapsed: an outside
    assistant past the expiry the company gave them, or a member the company switched off. Someone
    without any membership yet (a new installation's superuser) signs in and is told so on the next
    page."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        from . import selectors

        if selectors.active_memberships(user=user):
            return
        lapsed = selectors.lapsed_memberships(user=user)
        if not lapsed:
            return
        expired = [m.expires_on for m in lapsed if m.expires_on is not None and m.is_active]
        if expired:
            raise forms.ValidationError(
                _(
                    "このアカウントのアクセス期限(%(date)s)が過ぎています。必要な場合は会社の管理者に延長を依頼してください。"
                ),
                code="expired",
                params={"date": max(expired).isoformat()},
            )
        raise forms.ValidationError(
            _("このアカウントは会社の管理者によって無効にされています。"), code="inactive_membership"
        )


class ClosedDaysForm(forms.Form):
    """会社の休業日: one day, or a range such as 年末年始."""

    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("例: 年末年始休業、夏季休業、創立記念日")
    )
    start = forms.DateField(label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("終了日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("1日だけなら空欄"),
    )
