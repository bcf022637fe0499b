"""The 給与計算シミュレーター's forms: one per calculation of payroll/rules."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .rules.insurance import prefectures

MAX_YEN = 1_000_000_000
_DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def _yen(label: str | Promise, **kw: object) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_YEN, **kw)  # type: ignore[arg-type]


def _prefecture_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("都道府県(協会けんぽの支部)"), choices=[(p, p) for p in prefectures()], initial="東京都"
    )


COLUMNS = [("甲", _("甲欄(扶養控除等申告書の提出あり)")), ("乙", _("乙欄(提出なし)"))]


class MonthlyWithholdingForm(forms.Form):
    amount = _yen(
        _("社会保険料等控除後の給与の額(円)"),
        help_text=_("課税される給与から、健康保険・厚生年金・雇用保険などの本人負担を引いた額。"),
    )
    dependents = forms.IntegerField(label=_("扶養親族等の数"), min_value=0, max_value=99, initial=0)
    column = forms.ChoiceField(label=_("税額表の欄"), choices=COLUMNS, initial="甲")
    method = forms.ChoiceField(
        label=_("計算方法"),
        choices=[("table", _("月額表")), ("formula", _("電算機計算の特例(甲欄のみ)"))],
        initial="table",
    )
    pay_date = forms.DateField(label=_("支払日"), **_DATE)  # type: ignore[arg-type]
    secondary_dependents = forms.IntegerField(
        label=_("乙欄: 従たる給与の申告書の人数"), min_value=0, max_value=99, initial=0, required=False
    )

    def clean_secondary_dependents(self) -> int:
        return self.cleaned_data.get("secondary_dependents") or 0


class BonusWithholdingForm(forms.Form):
    bonus_after_si = _yen(_("社会保険料等控除後の賞与の額(円)"))
    prev_month_after_si = _yen(
        _("前月の社会保険料等控除後の給与の額(円)"), initial=0, help_text=_("前月に給与がなければ0。")
    )
    dependents = forms.IntegerField(label=_("扶養親族等の数"), min_value=0, max_value=99, initial=0)
    column = forms.ChoiceField(label=_("税額表の欄"), choices=COLUMNS, initial="甲")
    pay_date = forms.DateField(label=_("支払日"), **_DATE)  # type: ignore[arg-type]
    calc_period_months = forms.IntegerField(
        label=_("賞与の計算期間(月)"), min_value=1, max_value=12, initial=6
    )


class StandardRemunerationForm(forms.Form):
    monthly_remuneration = _yen(_("報酬月額(円)"), help_text=_("通勤手当・残業手当を含む月の報酬。"))
    on = forms.DateField(label=_("適用する日"), **_DATE)  # type: ignore[arg-type]


class SocialInsuranceForm(forms.Form):
    standard_monthly = _yen(_("標準報酬月額(円)"), help_text=_("健康保険の等級の金額(例: 300000)。"))
    prefecture = _prefecture_field()
    birth_date = forms.DateField(label=_("生年月日"), **_DATE)  # type: ignore[arg-type]
    month = forms.DateField(label=_("保険料の対象月(その月の任意の日)"), **_DATE)  # type: ignore[arg-type]


class BonusSocialInsuranceForm(forms.Form):
    bonus = _yen(_("賞与の額(円)"))
    prefecture = _prefecture_field()
    birth_date = forms.DateField(label=_("生年月日"), **_DATE)  # type: ignore[arg-type]
    month = forms.DateField(label=_("支払った月(その月の任意の日)"), **_DATE)  # type: ignore[arg-type]
    standard_bonus_so_far_this_fiscal_year = _yen(
        _("今年度(4月〜)の標準賞与額の累計(円)"), initial=0, required=False
    )

    def clean_standard_bonus_so_far_this_fiscal_year(self) -> int:
        return self.cleaned_data.get("standard_bonus_so_far_this_fiscal_year") or 0


class EmploymentInsuranceForm(forms.Form):
    wages = _yen(_("賃金の総額(円)"), help_text=_("通勤手当・残業手当を含む、その月に支払う賃金。"))
    business = forms.ChoiceField(
        label=_("事業の種類"),
        choices=[
            ("一般", _("一般の事業")),
            ("農林水産・清酒製造", _("農林水産・清酒製造の事業")),
            ("建設", _("建設の事業")),
        ],
    )
    closing_date = forms.DateField(label=_("賃金の締切日"), **_DATE)  # type: ignore[arg-type]


class ResidentTaxForm(forms.Form):
    annual = _yen(_("特別徴収税額の年額(円)"))
