"""Forms of the 年次有給休暇 screens (the services check everything again)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.Form):
    uses_reference_date = forms.BooleanField(
        label=_("基準日で一斉に付与する(前倒し付与)"),
        required=False,
        help_text=_(
            "入社6か月後(または下の月数)に初回を付与し、その後は最初に来る基準日ごとに次の日数を付与します。"
        ),
    )
    reference_month = forms.IntegerField(label=_("基準日(月)"), min_value=1, max_value=12, initial=4)
    reference_day = forms.IntegerField(label=_("基準日(日)"), min_value=1, max_value=31, initial=1)
    first_grant_months = forms.IntegerField(
        label=_("初回付与(入社の何か月後)"),
        min_value=0,
        max_value=6,
        initial=6,
        help_text=_("法定は6か月後(労基法39条1項)。早めるときは0〜5。"),
    )
    hourly_days_per_year = forms.IntegerField(
        label=_("時間単位年休(年何日分まで)"),
        min_value=0,
        max_value=5,
        initial=0,
        help_text=_("労使協定で定めた日数(5日まで、労基法39条4項)。0は時間単位で取得できません。"),
    )
    warn_five_days_before_months = forms.IntegerField(
        label=_("年5日の取得を知らせる時期(期限の何か月前から)"), min_value=1, max_value=11, initial=3
    )
    records_from = forms.DateField(
        label=_("勤怠の記録を始めた日"),
        required=False,
        widget=DATE,
        help_text=_("この日より前の自動付与はしません。前日までの出勤は記録がないため出勤とみなします。"),
    )


class GrantForm(forms.Form):
    number = forms.CharField(label=_("社員番号"), max_length=20)
    granted_on = forms.DateField(label=_("付与日(基準日)"), widget=DATE)
    days = forms.DecimalField(label=_("日数"), min_value=Decimal(0), max_value=Decimal(40), decimal_places=1)
    expires_on = forms.DateField(
        label=_("有効期限"), required=False, widget=DATE, help_text=_("空欄は付与日から2年(前日まで)。")
    )
    migrated = forms.BooleanField(label=_("移行した残日数"), required=False)
    note = forms.CharField(label=_("理由(メモ)"), max_length=200)


class AdjustForm(forms.Form):
    days = forms.DecimalField(label=_("日数"), min_value=Decimal(0), max_value=Decimal(40), decimal_places=1)
    note = forms.CharField(label=_("理由(メモ)"), max_length=200)


class RunForm(forms.Form):
    as_of = forms.DateField(label=_("この日までの付与を行う"), widget=DATE)
