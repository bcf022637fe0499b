"""Forms of the health screens: they parse; the services decide (their errors land on the fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.affairs.models import CheckupKind, CheckupStatus, StressCheckStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"})
TEXT = forms.Textarea(attrs={"rows": 5})


def year_choices(current: int) -> list[tuple[str, str]]:
    return [(str(y), f"{y}年度") for y in range(current + 1, current - 6, -1)]


class CheckupFilterForm(forms.Form):
    q = forms.CharField(label=_("検索(社員番号・氏名)"), required=False, max_length=100)
    year = forms.ChoiceField(label=_("年度"), required=False)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *CheckupKind.choices]
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *CheckupStatus.choices]
    )
    department = forms.ChoiceField(label=_("部署"), required=False)
    overdue = forms.BooleanField(label=_("期限切れのみ"), required=False)
    unexamined = forms.BooleanField(label=_("未受診のみ"), required=False)

    def __init__(
        self, *args: object, years: list[tuple[str, str]], departments: list[tuple[str, str]], **kw: object
    ) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["year"].choices = [("", _("すべて")), *years]  # type: ignore[attr-defined]
        self.fields["department"].choices = [("", _("すべて")), *departments]  # type: ignore[attr-defined]


class YearForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args: object, years: list[tuple[str, str]], **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["fiscal_year"].choices = years  # type: ignore[attr-defined]


class BookForm(forms.Form):
    clinic = forms.CharField(label=_("医療機関"), max_length=200)
    booked_for = forms.DateField(label=_("予約日"), widget=DATE)


class ResultForm(forms.Form):
    examined_on = forms.DateField(label=_("受診日"), widget=DATE)
    clinic = forms.CharField(label=_("医療機関"), max_length=200, required=False)
    has_findings = forms.BooleanField(label=_("有所見(異常の所見あり)"), required=False)
    doctor_instructed = forms.BooleanField(
        label=_("医師の指示あり(要再検査・要精密検査・要治療)"), required=False
    )
    result = forms.CharField(
        label=_("結果(所見・判定)"),
        max_length=5000,
        widget=TEXT,
        help_text=_("暗号化して保存します。閲覧できるのは健康情報の閲覧権限を持つ人事担当者だけです。"),
    )


class OpinionForm(forms.Form):
    opinion_on = forms.DateField(label=_("医師の意見聴取日"), widget=DATE)
    opinion = forms.CharField(label=_("医師の意見"), max_length=5000, widget=TEXT)
    measures = forms.CharField(
        label=_("就業上の措置"),
        max_length=5000,
        widget=TEXT,
        required=False,
        help_text=_("例: 就業場所の変更、作業の転換、労働時間の短縮、深夜業の回数の減少(安衛法66条の5)"),
    )


class NoticeForm(forms.Form):
    notified_on = forms.DateField(label=_("結果の通知日"), widget=DATE)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"),
        choices=[(CheckupStatus.EXEMPT, _("対象外")), (CheckupStatus.CANCELLED, _("取消"))],
    )
    note = forms.CharField(
        label=_("理由"),
        max_length=200,
        required=False,
        help_text=_("例: 3か月以内の健診結果を提出(安衛則43条ただし書)。健康情報は書かないでください。"),
    )


class ProfileForm(forms.Form):
    employee = forms.TypedChoiceField(label=_("社員"), coerce=int)
    specific_work = forms.BooleanField(label=_("特定業務従事者(深夜業など)"), required=False)
    specific_work_kind = forms.CharField(label=_("特定業務の内容"), max_length=100, required=False)
    overseas_from = forms.DateField(label=_("海外派遣の開始日"), widget=DATE, required=False)
    overseas_until = forms.DateField(label=_("海外派遣の終了日(帰国日)"), widget=DATE, required=False)

    def __init__(self, *args: object, employees: list[tuple[int, str]], **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["employee"].choices = [("", "—"), *employees]  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    grantee = forms.TypedChoiceField(label=_("メンバー(人事・管理者)"), coerce=int)
    expires_on = forms.DateField(label=_("期限(空欄は無期限)"), widget=DATE, required=False)

    def __init__(self, *args: object, members: list[tuple[int, str]], **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["grantee"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class StressFilterForm(forms.Form):
    q = forms.CharField(label=_("検索(社員番号・氏名)"), required=False, max_length=100)
    year = forms.ChoiceField(label=_("年度"), required=False)
    status = forms.ChoiceField(
        label=_("受検状況"), required=False, choices=[("", _("すべて")), *StressCheckStatus.choices]
    )

    def __init__(self, *args: object, years: list[tuple[str, str]], **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["year"].choices = years  # type: ignore[attr-defined]


class StressStepForm(forms.Form):
    """One step of a worker's stress check; ``step`` names which."""

    step = forms.ChoiceField(
        choices=[
            ("taken", _("受検済み")),
            ("declined", _("受検しない")),
            ("notice", _("結果の通知")),
            ("consent", _("同意")),
            ("requested", _("面接指導の申出")),
            ("done", _("面接指導の実施")),
        ]
    )
    day = forms.DateField(label=_("日付"), widget=DATE, required=False)


class StressResultForm(forms.Form):
    result = forms.CharField(label=_("個人の結果(本人の同意あり)"), max_length=5000, widget=TEXT)


class LongHoursBuildForm(forms.Form):
    month = forms.CharField(label=_("対象月"), max_length=7, widget=MONTH)


class LongHoursStepForm(forms.Form):
    notified_on = forms.DateField(label=_("本人への通知日"), widget=DATE, required=False)
    requested_on = forms.DateField(label=_("面接指導の申出日"), widget=DATE, required=False)
    done_on = forms.DateField(label=_("面接指導の実施日"), widget=DATE, required=False)
    opinion = forms.CharField(
        label=_("医師の意見(健康情報の閲覧権限が必要)"), max_length=5000, widget=TEXT, required=False
    )


class LongHoursFilterForm(forms.Form):
    month = forms.CharField(label=_("対象月"), max_length=7, required=False, widget=MONTH)
    open_only = forms.BooleanField(label=_("未対応のみ"), required=False)


class ReportForm(forms.Form):
    year = forms.ChoiceField(label=_("年度"))

    def __init__(self, *args: object, years: list[tuple[str, str]], **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["year"].choices = years  # type: ignore[attr-defined]
