"""The simulator's four forms (勤怠の法定計算): figures in, nothing saved."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month
from ennoshita.core.text import nfkc


def _hours_field(
    label: Any, *, required: bool = False, maximum: int = 744, help_text: Any = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=maximum,
        max_digits=7,
        decimal_places=2,
        initial=Decimal(0),
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )


class HourlyWageForm(forms.Form):
    monthly_wage = forms.IntegerField(
        label=_("月給(円)"),
        min_value=0,
        max_value=100_000_000,
        help_text=_("家族手当・通勤手当・住宅手当などを除いた、割増賃金の基礎となる賃金(労基法37条5項)。"),
    )
    annual_scheduled_hours = forms.DecimalField(
        label=_("年間所定労働時間"), min_value=Decimal("0.01"), max_value=8784, max_digits=7, decimal_places=2
    )


class PremiumPayForm(forms.Form):
    hourly_wage = forms.IntegerField(label=_("1時間あたりの賃金(円)"), min_value=0, max_value=10_000_000)
    overtime_hours = _hours_field(
        _("時間外労働(時間)"), help_text=_("1日8時間・週40時間を超えた時間。法定休日労働は含めません。")
    )
    overtime_night_hours = _hours_field(_("うち深夜(時間)"))
    holiday_hours = _hours_field(_("法定休日労働(時間)"))
    holiday_night_hours = _hours_field(_("うち深夜(時間)"))
    night_hours = _hours_field(_("その他の深夜労働(時間)"), help_text=_("22時〜5時の所定内・法定内の労働。"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part, whole in (
            ("overtime_night_hours", "overtime_hours"),
            ("holiday_night_hours", "holiday_hours"),
        ):
            if (data.get(part) or 0) > (data.get(whole) or 0):
                self.add_error(part, _("「うち深夜」は元の時間以下で入力してください。"))
        return data


_PAIR = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:[,\s]\s*([0-9]+(?:\.[0-9]+)?))?\s*$")


class OvertimeLimitsForm(forms.Form):
    months = forms.CharField(
        label=_("各月の時間外労働と法定休日労働"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "40, 0\n50, 8\n75, 0"}),
        help_text=_(
            "協定年度の初月から1行に1か月、「時間外, 休日」の順に時間で。最後の行が判定する月です(12か月まで)。"
        ),
    )
    special_clause = forms.BooleanField(label=_("特別条項付きの36協定"), required=False, initial=True)

    def clean_months(self) -> list[tuple[Decimal, Decimal]]:
        lines = [line for line in nfkc(self.cleaned_data["months"]).splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("1か月以上入力してください。"))
        if len(lines) > 12:
            raise forms.ValidationError(_("協定年度の12か月までを入力してください。"))
        months = []
        for n, line in enumerate(lines, start=1):
            found = _PAIR.match(line)
            if not found:
                raise forms.ValidationError(
                    _("%(n)s行目: 「時間外, 休日」の形で時間を入力してください。") % {"n": n}
                )
            try:
                overtime, holiday = Decimal(found.group(1)), Decimal(found.group(2) or 0)
            except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
                raise forms.ValidationError(_("%(n)s行目の時間が読めません。") % {"n": n}) from exc
            if overtime > 744 or holiday > 744:
                raise forms.ValidationError(_("%(n)s行目: 1か月は744時間までです。") % {"n": n})
            months.append((overtime, holiday))
        return months


class PaidLeaveForm(forms.Form):
    service_months = forms.IntegerField(label=_("継続勤務(か月)"), min_value=0, max_value=1200)
    weekly_days = forms.IntegerField(label=_("週所定労働日数"), min_value=0, max_value=7, initial=5)
    weekly_hours = _hours_field(_("週所定労働時間"), required=True, maximum=168)
    weekly_hours.initial = Decimal(40)
    annual_days = forms.IntegerField(
        label=_("年間所定労働日数"),
        min_value=0,
        max_value=366,
        required=False,
        help_text=_("週ではなく年で労働日数を定めている場合だけ入力します。"),
    )


class PunchForm(forms.Form):
    """The button: the kind comes from the button pressed; the note and the position are optional."""

    kind = forms.CharField(max_length=12)
    note = forms.CharField(label=_("メモ(任意)"), max_length=200, required=False)
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)


class AttendanceSettingsForm(forms.Form):
    position_enabled = forms.BooleanField(
        label=_("スマートフォンの打刻で位置情報を記録できる"),
        required=False,
        help_text=_("記録するのは、社員がその打刻で「位置情報を記録する」を選んだときだけです。"),
    )


WEEKDAYS = [(0, _("月")), (1, _("火")), (2, _("水")), (3, _("木")), (4, _("金")), (5, _("土")), (6, _("日"))]


STATUTORY_HOLIDAY_RULES = [
    ("weekday", _("曜日で決める")),
    ("last_rest_day", _("決めない(週の休日のうち休んだ日。すべて出勤した週は最後の休日)")),
]


class WorkRuleForm(forms.Form):
    start_time = forms.TimeField(
        label=_("始業"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("終業"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    break_minutes = forms.IntegerField(label=_("休憩(分)"), min_value=0, max_value=600)
    workdays = forms.TypedMultipleChoiceField(
        label=_("所定労働日"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    statutory_holiday_rule = forms.ChoiceField(
        label=_("法定休日の決め方"),
        choices=STATUTORY_HOLIDAY_RULES,
        required=False,
        help_text=_(
            "曜日で決めない場合、週の休日のうち休んだ日が法定休日です。すべての休日に出勤した週は、"
            "最後の休日の労働が法定休日労働(35%)になります(平成21年 厚生労働省 質疑応答)。"
        ),
    )
    statutory_holiday_weekday = forms.TypedChoiceField(
        label=_("法定休日"),
        choices=WEEKDAYS,
        coerce=int,
        help_text=_("休日労働(35%)になる曜日(労基法35条)。「曜日で決める」ときに使います。"),
    )
    week_start_weekday = forms.TypedChoiceField(
        label=_("週の起算日"),
        choices=WEEKDAYS,
        coerce=int,
        help_text=_("週40時間を数える週の始まり。定めがなければ日曜日です(昭和63年1月1日基発1号)。"),
    )
    national_holidays_off = forms.BooleanField(label=_("国民の祝日は所定休日"), required=False)


class MonthForm(forms.Form):
    month = forms.CharField(label=_("月"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self) -> date | None:
        text = self.cleaned_data["month"]
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。"))
        return month


class TeamDayForm(forms.Form):
    day = forms.DateField(label=_("日付"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PunchImportForm(forms.Form):
    file = forms.FileField(label=_("CSVファイル"), help_text=_("UTF-8 または Shift_JIS。10MBまで。"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("ファイルが大きすぎます(10MBまで)。"))
        return upload


SYSTEMS = [
    ("standard", _("通常の労働時間制")),
    ("monthly_variable", _("1か月単位の変形労働時間制(労基法32条の2)")),
    ("flex", _("フレックスタイム制(労基法32条の3、清算期間1か月)")),
]
ROUNDINGS = [(0, _("丸めない")), (5, _("5分")), (10, _("10分")), (15, _("15分")), (30, _("30分"))]
_TIME = {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class WorkSystemForm(WorkRuleForm):
    """The work rule with its 労働時間制度 (人事): the base fields above and, per system, the
    フレックス core time and standard day, the 変形 period's 起算日, display rounding, 残業申請."""

    system = forms.ChoiceField(label=_("労働時間制度"), choices=SYSTEMS, required=False)
    core_start = forms.TimeField(label=_("コアタイム開始"), required=False, **_TIME)  # type: ignore[arg-type]
    core_end = forms.TimeField(label=_("コアタイム終了"), required=False, **_TIME)  # type: ignore[arg-type]
    flex_standard_minutes = forms.IntegerField(
        label=_("標準となる1日の労働時間(分)"),
        required=False,
        min_value=0,
        max_value=1440,
        initial=480,
        help_text=_("フレックスタイム制: 所定総労働時間(労働日 × この時間)と、休暇1日の時間。"),
    )
    variable_period_start_day = forms.IntegerField(
        label=_("変形期間の起算日"),
        required=False,
        min_value=1,
        max_value=28,
        initial=1,
        help_text=_("1か月単位の変形: 毎月この日から1か月。"),
    )
    display_rounding_minutes = forms.TypedChoiceField(
        label=_("打刻の表示の丸め"),
        choices=ROUNDINGS,
        coerce=int,
        required=False,
        help_text=_("画面の表示だけです。給与には分単位の正確な時間を使います(基発150号)。"),
    )
    overtime_requires_approval = forms.BooleanField(
        label=_("始業前・終業後の労働は残業申請の承認が必要"),
        required=False,
        help_text=_("承認のない時間は「未承認の時間外」として表示し、集計に含めません。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        defaults = {
            "system": "standard",
            "flex_standard_minutes": 480,
            "variable_period_start_day": 1,
            "statutory_holiday_rule": "weekday",
        }
        for name, value in defaults.items():
            if data.get(name) in (None, ""):
                data[name] = value
        data["display_rounding_minutes"] = data.get("display_rounding_minutes") or 0
        return data


class ProfileForm(forms.Form):
    is_supervisor = forms.BooleanField(
        label=_("管理監督者(労基法41条2号)"),
        required=False,
        help_text=_("時間外・休日労働の割増の対象外。深夜の割増は対象です。"),
    )
    weekly_days = forms.IntegerField(label=_("週所定労働日数"), required=False, min_value=1, max_value=7)
    weekly_minutes = forms.IntegerField(
        label=_("週所定労働時間(分)"), required=False, min_value=1, max_value=2400
    )
    annual_days = forms.IntegerField(label=_("年間所定労働日数"), required=False, min_value=1, max_value=366)


class OvertimeRequestForm(forms.Form):
    employee_number = forms.CharField(
        label=_("社員番号"),
        required=False,
        max_length=20,
        help_text=_("人事が他の社員の分を申請するときだけ。"),
    )
    work_date = forms.DateField(label=_("勤務日"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("開始"), **_TIME)  # type: ignore[arg-type]
    end_time = forms.TimeField(
        label=_("終了"),
        help_text=_("開始より前の時刻は翌日です(夜勤の残業など)。"),
        **_TIME,  # type: ignore[arg-type]
    )
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class OvertimeFilterForm(forms.Form):
    q = forms.CharField(label=_("社員"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("", _("すべて")), ("pending", _("承認待ち")), ("approved", _("承認済み")), ("rejected", _("却下")),
                 ("returned", _("差し戻し")), ("withdrawn", _("取り下げ"))],
    )  # fmt: skip
