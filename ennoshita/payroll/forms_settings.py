"""Forms of 給与の設定 and 社員の給与設定. They only parse what people type; the services check the
rules and their messages are put on these fields (core.forms.apply_service_error)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month

from .models import (
    Business,
    GradeReason,
    HealthInsurer,
    ItemKind,
    ItemSource,
    PayGroup,
    PayItem,
    PayType,
    ProrationRule,
    TaxColumn,
    WithholdingMethod,
)
from .rules.insurance import prefectures
from .selectors.settings import GROUP_NONE, attendance_key_choices

MAX_YEN = 1_000_000_000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCOUNT_TYPES = [("", "—"), ("1", _("普通")), ("2", _("当座")), ("4", _("貯蓄"))]
UNION_FIELDS = (
    "union_name",
    "union_health_rate",
    "union_health_employee_rate",
    "union_care_rate",
    "union_care_employee_rate",
)


def _yen(label: Any, **kw: Any) -> forms.DecimalField:
    kw.setdefault("initial", 0)
    return forms.DecimalField(
        label=label, min_value=0, max_value=MAX_YEN, decimal_places=0, max_digits=10, **kw
    )


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker) → its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-04"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        if isinstance(value, date):
            return value.replace(day=1)
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形で入力してください(例: 2026-04)。"))
        return month

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, date) else value


# ============================================================================ 給与の設定
class PayrollSettingsForm(forms.Form):
    withholding_method = forms.ChoiceField(
        label=_("源泉所得税の計算方法"),
        choices=WithholdingMethod.choices,
        help_text=_(
            "月額表か電算機計算の特例か。どちらも適法で、差は年末調整で精算されます。会社で1つ選びます。"
        ),
    )
    proration_rule = forms.ChoiceField(
        label=_("日割の方法"),
        choices=ProrationRule.choices,
        help_text=_("月の途中で入社・退社した人の月給を日割りする方法(賃金規程の定めに合わせます)。"),
    )
    prefecture = forms.ChoiceField(
        label=_("事業所の都道府県"), help_text=_("協会けんぽの健康保険料率を選ぶ都道府県です。")
    )
    business = forms.ChoiceField(label=_("雇用保険の事業の種類"), choices=Business.choices)
    annual_scheduled_hours = forms.DecimalField(
        label=_("年間所定労働時間"),
        max_digits=7,
        decimal_places=2,
        help_text=_(
            "残業代の時間単価(月給 ÷ 1か月平均所定労働時間、労基則19条)に使います。上限は週40時間 × 365日 ÷ 7 = 2,085.7時間です。"
        ),
    )
    anomaly_percent = forms.IntegerField(
        label=_("前月比の確認ライン(%)"),
        min_value=0,
        max_value=1000,
        help_text=_("差引支給額が前月からこの割合以上増減した人を、給与計算の確認事項に出します。"),
    )
    special_payment_schedule = forms.BooleanField(
        label=_("源泉所得税の納期の特例を受けている(年2回納付、所得税法216条)"), required=False
    )
    resident_tax_special_schedule = forms.BooleanField(
        label=_("住民税の納期の特例を受けている(年2回納付、地方税法321条の5の2)"),
        required=False,
        help_text=_(
            "市区町村の承認を受けた場合(給与の支払を受ける者が常時10人未満)。6〜11月分は12月10日、12〜5月分は6月10日までに納付します。"
        ),
    )
    health_insurer = forms.ChoiceField(
        label=_("健康保険の保険者"),
        choices=HealthInsurer.choices,
        required=False,  # not sent (an older client): 協会けんぽ
        help_text=_("協会けんぽなら都道府県の料率、健康保険組合なら組合が定めた料率と負担割合で計算します。"),
    )
    union_name = forms.CharField(label=_("健康保険組合の名称"), max_length=60, required=False)
    union_health_rate = forms.DecimalField(
        label=_("健康保険料率(1000分の、合計)"),
        max_digits=6,
        decimal_places=3,
        required=False,
        help_text=_("組合の一般保険料率(例: 90)。健康保険法で1000分の30〜130の範囲です。"),
    )
    union_health_employee_rate = forms.DecimalField(
        label=_("健康保険料率(1000分の、被保険者負担)"),
        max_digits=6,
        decimal_places=3,
        required=False,
        help_text=_("給与から差し引く分(例: 40)。残りが会社負担です。折半なら合計の半分。"),
    )
    union_care_rate = forms.DecimalField(
        label=_("介護保険料率(1000分の、合計)"),
        max_digits=6,
        decimal_places=3,
        required=False,
        help_text=_("40歳以上65歳未満の人に健康保険料と合わせてかかる率(例: 18)。"),
    )
    union_care_employee_rate = forms.DecimalField(
        label=_("介護保険料率(1000分の、被保険者負担)"), max_digits=6, decimal_places=3, required=False
    )
    union_rates_from = forms.DateField(
        label=_("この料率の適用開始月"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_(
            "組合が料率を改定したら、新しい料率と、それが適用される保険料の月(例: 2027年3月分から)を入力します。"
            "それより前の月は前の料率のまま計算します。初めて登録するときは空欄でかまいません(すべての月に適用)。"
        ),
    )
    transfer_requester_code = forms.CharField(
        label=_("振込依頼人コード(委託者コード)"),
        max_length=10,
        required=False,
        help_text=_("銀行から通知された10桁の数字。"),
    )
    transfer_requester_name = forms.CharField(
        label=_("振込依頼人名"),
        max_length=80,
        required=False,
        help_text=_("カナで。全角でも入力できます(株式会社は ｶ) のように自動で略します)。"),
    )
    transfer_bank_code = forms.CharField(label=_("振込元 銀行コード"), max_length=4, required=False)
    transfer_branch_code = forms.CharField(label=_("振込元 支店コード"), max_length=3, required=False)
    transfer_account_type = forms.ChoiceField(
        label=_("振込元 預金種目"), choices=ACCOUNT_TYPES, required=False
    )
    transfer_account_number = forms.CharField(label=_("振込元 口座番号"), max_length=7, required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["prefecture"].choices = [(p, p) for p in prefectures()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("health_insurer"):
            data["health_insurer"] = HealthInsurer.KYOUKAI
        for name in UNION_FIELDS[1:]:
            if data.get(name) is None and name not in self.errors:
                data[name] = Decimal(0)  # empty: the service says what a 健康保険組合 needs
        return data

    def is_union(self) -> bool:
        """The 健康保険組合 fields are shown (the value typed, or the saved one)."""
        value = self["health_insurer"].value()
        return value == HealthInsurer.UNION

    def calculation_fields(self) -> list[forms.BoundField]:
        names = (
            "withholding_method",
            "proration_rule",
            "prefecture",
            "business",
            "annual_scheduled_hours",
            "anomaly_percent",
            "special_payment_schedule",
            "resident_tax_special_schedule",
        )
        return [self[n] for n in names]

    def union_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in (*UNION_FIELDS, "union_rates_from")]

    def transfer_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith("transfer_")]


# ============================================================================ 支給グループ
class PayGroupForm(forms.Form):
    code = forms.CharField(label=_("コード"), max_length=20, help_text=_("半角英数字。例: monthly, hourly"))
    name = forms.CharField(label=_("支給グループ名"), max_length=50, help_text=_("例: 月給者、時給者、役員"))
    closing_day = forms.IntegerField(
        label=_("締め日"), min_value=0, max_value=31, initial=0, help_text=_("1〜31日。月末締めは 0。")
    )
    pay_day = forms.IntegerField(
        label=_("支給日"), min_value=0, max_value=31, initial=25, help_text=_("1〜31日。月末払いは 0。")
    )
    pay_month_offset = forms.TypedChoiceField(
        label=_("支給月"),
        coerce=int,
        choices=[(0, _("当月払い(締めた月のうちに支給)")), (1, _("翌月払い(締めた月の翌月に支給)"))],
        initial=1,
    )
    is_active = forms.BooleanField(label=_("有効"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("表示順"), initial=0, min_value=-9999, max_value=9999)


# ============================================================================ 支給・控除項目
class PayItemForm(forms.Form):
    code = forms.CharField(
        label=_("コード"),
        max_length=20,
        required=False,
        help_text=_(
            "半角英字で始まる英数字と _ 。計算式ではこの名前で使います。追加したあとは変えられません。"
        ),
    )
    name = forms.CharField(label=_("項目名"), max_length=50)
    kind = forms.ChoiceField(label=_("支給/控除"), choices=ItemKind.choices)
    source = forms.ChoiceField(
        label=_("金額の決め方"),
        choices=ItemSource.choices,
        help_text=_(
            "固定額: 社員ごとに金額を決めます。勤怠から: 勤怠の数字 × 単価。計算式: ほかの項目や基本給から計算します。"
        ),
    )
    taxable = forms.BooleanField(
        label=_("課税(所得税がかかる)"),
        required=False,
        initial=True,
        help_text=_("ほとんどの手当は課税です。非課税は通勤手当(別に設定)や一部の出張旅費などに限られます。"),
    )
    social_insurance = forms.BooleanField(
        label=_("社会保険の報酬に含む"),
        required=False,
        initial=True,
        help_text=_(
            "労働の対価として毎月払うものは含みます。結婚祝金など臨時の見舞金は含みません(健康保険法3条5項)。"
        ),
    )
    employment_insurance = forms.BooleanField(
        label=_("雇用保険の賃金に含む"),
        required=False,
        initial=True,
        help_text=_("労働の対価として払うものは含みます(労働保険徴収法2条2項)。"),
    )
    premium_base = forms.BooleanField(
        label=_("割増賃金(残業代)の基礎に含む"),
        required=False,
        initial=True,
        help_text=_(
            "残業代の計算から外してよいのは、家族手当・通勤手当・別居手当・子女教育手当・住宅手当・臨時の賃金・1か月を超える期間ごとの賃金だけです(労基法37条5項、労基則21条)。家族の人数や家賃に応じて払うものに限り、全員に同じ額なら含めます。役職手当・資格手当・皆勤手当は含めます。"
        ),
    )
    attendance_key = forms.ChoiceField(label=_("勤怠の項目"), required=False)
    rate = forms.DecimalField(
        label=_("単価(円)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("時間の項目は1時間あたり、日数は1日あたり、回数は1回あたりの金額。"),
    )
    formula = forms.CharField(
        label=_("計算式"),
        max_length=300,
        required=False,
        help_text=_(
            "例: base / 30 * 2 、 min(position * 0.5, 20000) 、 round_half(hourly_base * 10)。使える名前: ほかの項目のコード、base(基本給)、hourly_base(時間単価)、days_worked(出勤日数)、worked_hours(労働時間)、overtime_hours(時間外の時間)、absences(欠勤日数)。関数は min・max・floor(切捨て)・round_half(50銭未満切捨て・50銭以上切上げ)。1円未満は最後に50銭の決まりで丸めます。"
        ),
    )
    is_active = forms.BooleanField(label=_("有効"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("表示順"), initial=100, min_value=-9999, max_value=9999)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["attendance_key"].choices = [("", "—"), *attendance_key_choices()]  # type: ignore[attr-defined]


# ============================================================================ 社員の給与設定
class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("社員番号・氏名"), required=False, max_length=100)
    group = forms.ChoiceField(label=_("支給グループ"), required=False)
    status = forms.ChoiceField(
        label=_("在籍"),
        required=False,
        choices=[("active", _("在籍中")), ("retired", _("退職者")), ("all", _("すべて"))],
    )

    def __init__(self, *args: Any, groups: list[PayGroup], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("すべて")),
            *[(str(g.pk), g.name) for g in groups],
            (GROUP_NONE, _("未設定")),
        ]


class ProfileForm(forms.Form):
    effective_from = MonthField(
        label=_("適用開始月"), help_text=_("この月の給与から適用。先の月も入れられます(昇給など)。")
    )
    pay_group = forms.TypedChoiceField(label=_("支給グループ"), coerce=int)
    pay_type = forms.ChoiceField(label=_("給与形態"), choices=PayType.choices)
    base_pay = _yen(_("基本給(円)"), help_text=_("月給は月額、日給は1日、時給は1時間の金額。"))
    is_officer = forms.BooleanField(label=_("役員"), required=False)
    commute_allowance = _yen(_("通勤手当(月額、円)"))
    commute_exempt_limit = _yen(
        _("通勤手当の非課税限度額(円)"),
        initial=150_000,
        help_text=_("電車・バスは月15万円まで。車・自転車は片道の距離で決まります(所得税法施行令20条の2)。"),
    )
    tax_column = forms.ChoiceField(label=_("税額表の欄"), choices=TaxColumn.choices)
    dependents = forms.IntegerField(
        label=_("扶養親族等の数"),
        min_value=0,
        max_value=30,
        initial=0,
        help_text=_("扶養控除等申告書の人数(甲欄)。乙欄では数えません。"),
    )
    health_insured = forms.BooleanField(label=_("健康保険・厚生年金に加入"), required=False, initial=True)
    si_acquired_on = forms.DateField(label=_("社会保険の資格取得日"), required=False, widget=DATE)
    si_lost_on = forms.DateField(
        label=_("社会保険の資格喪失日"), required=False, widget=DATE, help_text=_("退職日の翌日。")
    )
    employment_insured = forms.BooleanField(label=_("雇用保険に加入"), required=False, initial=True)
    ei_acquired_on = forms.DateField(label=_("雇用保険の資格取得日"), required=False, widget=DATE)
    ei_lost_on = forms.DateField(label=_("雇用保険の資格喪失日"), required=False, widget=DATE)
    split_bank_code = forms.CharField(label=_("第2口座 銀行コード"), max_length=4, required=False)
    split_branch_code = forms.CharField(label=_("第2口座 支店コード"), max_length=3, required=False)
    split_account_type = forms.ChoiceField(label=_("第2口座 預金種目"), choices=ACCOUNT_TYPES, required=False)
    split_account_number = forms.CharField(label=_("第2口座 口座番号"), max_length=7, required=False)
    split_account_holder_kana = forms.CharField(
        label=_("第2口座 口座名義(カナ)"), max_length=60, required=False
    )
    split_amount = _yen(
        _("第2口座への振込額(円)"),
        required=False,
        help_text=_("毎月この額を第2口座へ、残りを本人の口座へ振り込みます。"),
    )
    insured_number = forms.CharField(
        label=_("健康保険・厚生年金の被保険者整理番号"),
        max_length=10,
        required=False,
        help_text=_("資格取得確認通知書に書かれた番号。算定基礎届・月額変更届の最初の欄に出ます。"),
    )
    resident_tax_lump_sum = forms.BooleanField(
        label=_("退職時に住民税の残りを一括徴収(本人の申出)"),
        required=False,
        help_text=_(
            "6月1日〜12月31日に退職する人が申し出たとき、残りの住民税を最後の給与からまとめて差し引きます。1月1日〜4月30日の退職は申出がなくても一括徴収です(地方税法321条の5第2項)。"
        ),
    )
    note = forms.CharField(label=_("備考"), max_length=200, required=False)

    def __init__(self, *args: Any, groups: list[PayGroup], **kw: Any) -> None:
        kw.setdefault("prefix", "profile")
        super().__init__(*args, **kw)
        self.fields["pay_group"].choices = [("", "—"), *[(g.pk, g.name) for g in groups]]  # type: ignore[attr-defined]


class EmployeeItemForm(forms.Form):
    item = forms.TypedChoiceField(label=_("項目"), coerce=int)
    effective_from = MonthField(label=_("適用開始月"))
    amount = _yen(_("金額(円)"), help_text=_("0円にするとその月から支給・控除をやめます。"))

    def __init__(self, *args: Any, items: list[PayItem], **kw: Any) -> None:
        kw.setdefault("prefix", "item")
        super().__init__(*args, **kw)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(i.pk, f"{i.get_kind_display()}: {i.name}") for i in items],
        ]


class GradeForm(forms.Form):
    effective_from = MonthField(label=_("適用開始月"), help_text=_("保険料の対象になる月(定時決定なら9月)。"))
    monthly_remuneration = _yen(
        _("報酬月額(円)"),
        help_text=_("通勤手当・残業代を含む月の報酬。等級は法令の等級表から自動で決まります。"),
    )
    reason = forms.ChoiceField(label=_("決定の種類"), choices=GradeReason.choices)
    note = forms.CharField(label=_("備考"), max_length=200, required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("prefix", "grade")
        super().__init__(*args, **kw)


class ResidentTaxForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, help_text=_("6月から翌年5月まで。例: 2026")
    )
    municipality_code = forms.CharField(
        label=_("市区町村コード"), max_length=6, required=False, help_text=_("6桁(例: 131016 千代田区)。")
    )
    municipality_name = forms.CharField(label=_("市区町村"), max_length=50)
    annual = _yen(_("年税額(円)"))
    june = _yen(_("6月分(円)"))
    monthly = _yen(_("7月〜翌年5月分(各月、円)"), help_text=_("通知書に印字された金額をそのまま入れます。"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("prefix", "tax")
        super().__init__(*args, **kw)


class ResidentTaxImportForm(forms.Form):
    file = forms.FileField(label=_("CSVファイル"), help_text=_("UTF-8 または Shift_JIS。10MBまで。"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("ファイルが大きすぎます(10MBまで)。"))
        return upload
