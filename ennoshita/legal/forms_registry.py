"""Forms of the 登記・機関 screens: they parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.member_picker import MemberField, bind_member_fields
from ennoshita.core.models import Company

from .models import MeetingKind, OfficerLeaveReason, OfficerPosition, RegistryItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUM = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})


class CharterForm(forms.Form):
    is_public_company = forms.BooleanField(
        label=_("公開会社(株式の譲渡制限がない株式がある)"), required=False
    )
    has_board = forms.BooleanField(label=_("取締役会設置会社"), required=False)
    director_term_years = forms.IntegerField(
        label=_("取締役の任期(年)"),
        min_value=1,
        max_value=10,
        widget=NUM,
        help_text=_("原則2年。公開会社でない会社は定款で10年まで伸長できます(会社法332条)"),
    )
    auditor_term_years = forms.IntegerField(
        label=_("監査役の任期(年)"),
        min_value=1,
        max_value=10,
        widget=NUM,
        help_text=_("4年(短縮不可)。公開会社でない会社は10年まで伸長できます(会社法336条)"),
    )
    agm_months_after_year_end = forms.IntegerField(
        label=_("定時株主総会の時期(期末から何か月以内)"),
        min_value=1,
        max_value=6,
        widget=NUM,
        help_text=_("任期満了日の見込みは、この月の末日として計算します"),
    )


class OfficerForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    name_kana = forms.CharField(label=_("フリガナ"), max_length=100, required=False)
    position = forms.ChoiceField(label=_("役職"), choices=OfficerPosition.choices)
    elected_on = forms.DateField(label=_("選任日"), widget=DATE)
    took_office_on = forms.DateField(
        label=_("就任日(就任承諾日)"), widget=DATE, help_text=_("登記期限(2週間)はこの日から数えます")
    )
    term_years = forms.IntegerField(
        label=_("任期(年)"),
        required=False,
        min_value=1,
        max_value=10,
        widget=NUM,
        help_text=_("空欄なら定款の任期。取締役は決議で短縮できます"),
    )
    user = MemberField(label=_("社内のユーザー"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)


class ReelectForm(forms.Form):
    elected_on = forms.DateField(label=_("選任日(定時株主総会の日)"), widget=DATE)
    took_office_on = forms.DateField(label=_("就任日(就任承諾日)"), widget=DATE)
    term_years = forms.IntegerField(
        label=_("任期(年)"),
        required=False,
        min_value=1,
        max_value=10,
        widget=NUM,
        help_text=_("空欄なら定款の任期"),
    )


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("退任事由"), choices=OfficerLeaveReason.choices)
    left_on = forms.DateField(label=_("退任日"), widget=DATE)


class ChangeForm(forms.Form):
    item = forms.ChoiceField(label=_("登記事項"), choices=RegistryItem.choices)
    content = forms.CharField(
        label=_("変更後の内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    effective_on = forms.DateField(
        label=_("変更の効力発生日"), widget=DATE, help_text=_("登記期限はこの日から2週間(会社法915条1項)")
    )
    note = forms.CharField(
        label=_("メモ"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    filed_on = forms.DateField(label=_("申請日(申請済みなら)"), required=False, widget=DATE)
    registered_on = forms.DateField(label=_("登記完了日(完了していれば)"), required=False, widget=DATE)


class FiledForm(forms.Form):
    filed_on = forms.DateField(label=_("申請日"), widget=DATE)


class RegisteredForm(forms.Form):
    registered_on = forms.DateField(label=_("登記完了日"), widget=DATE)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=MeetingKind.choices)
    title = forms.CharField(
        label=_("名称"), max_length=200, required=False, help_text=_("例: 第12期定時株主総会")
    )
    held_on = forms.DateField(label=_("開催日(書面決議は決議があったとみなされた日)"), widget=DATE)
    record_date = forms.DateField(
        label=_("基準日(株主総会)"),
        required=False,
        widget=DATE,
        help_text=_("株主総会は基準日から3か月以内に開きます(会社法124条2項)"),
    )
    resolutions = forms.CharField(
        label=_("決議事項"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MinutesForm(forms.Form):
    file = forms.FileField(label=_("議事録のファイル"))
    comment = forms.CharField(label=_("コメント"), required=False, max_length=500)
