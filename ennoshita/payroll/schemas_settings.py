"""Request and response shapes of /api/v1/payroll/ — settings: 給与の設定, 支給グループ, 支給・控除項目,
社員の給与設定 (基本設定, 固定項目, 標準報酬月額, 住民税). Amounts are whole yen (integers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Input, Str10, Str20, Str50, Str60, Str100, Str200, Str300

from .models import (
    EmployeePayItem,
    PayGroup,
    PayItem,
    PayProfile,
    PayrollSettings,
    ResidentTax,
    StandardRemuneration,
)

MAX_YEN = 1_000_000_000
Yen = int


def _yen(description: str, default: int | None = None) -> int:
    if default is None:
        return Field(ge=0, le=MAX_YEN, description=description)
    return Field(default, ge=0, le=MAX_YEN, description=description)


# ============================================================================ 給与の設定
class SettingsIn(Input):
    withholding_method: Literal["table", "formula"] = Field(
        "table", description="table: 月額表、formula: 電算機計算の特例"
    )
    proration_rule: Literal["calendar", "scheduled"] = Field(
        "calendar", description="日割: calendar 暦日数、scheduled 所定労働日数"
    )
    prefecture: Str10 = Field("東京都", description="事業所の都道府県(協会けんぽの料率)。例: 東京都")
    business: Literal["一般", "農林水産・清酒製造", "建設"] = Field(
        "一般", description="雇用保険の事業の種類"
    )
    annual_scheduled_hours: Decimal = Field(
        Decimal(2080), max_digits=7, decimal_places=2, description="年間所定労働時間(0超 2,085.7以下)"
    )
    anomaly_percent: int = Field(20, ge=0, le=1000, description="前月比の確認ライン(%)")
    special_payment_schedule: bool = Field(False, description="源泉所得税の納期の特例")
    resident_tax_special_schedule: bool = Field(
        False, description="住民税の納期の特例(6〜11月分は12月10日、12〜5月分は6月10日に納付)"
    )
    health_insurer: Literal["kyoukai", "union"] = Field(
        "kyoukai", description="健康保険の保険者: kyoukai 協会けんぽ(都道府県の料率)、union 健康保険組合"
    )
    union_name: Str60 = Field("", description="健康保険組合の名称(union のとき必須)")
    union_health_rate: Decimal = Field(
        Decimal(0),
        max_digits=6,
        decimal_places=3,
        description="健康保険料率(1000分の、合計)。union: 0超200以下",
    )
    union_health_employee_rate: Decimal = Field(
        Decimal(0),
        max_digits=6,
        decimal_places=3,
        description="健康保険料率(1000分の、被保険者負担)。union: 0超、合計以下",
    )
    union_care_rate: Decimal = Field(
        Decimal(0),
        max_digits=6,
        decimal_places=3,
        description="介護保険料率(1000分の、合計)。union: 0超200以下",
    )
    union_care_employee_rate: Decimal = Field(
        Decimal(0),
        max_digits=6,
        decimal_places=3,
        description="介護保険料率(1000分の、被保険者負担)。union: 0超、合計以下",
    )
    transfer_requester_code: Str10 = Field("", description="振込依頼人コード(10桁)")
    transfer_requester_name: Str100 = Field("", description="振込依頼人名(カナ。半角に直して保存)")
    transfer_bank_code: Str10 = Field("", description="振込元 銀行コード(4桁)")
    transfer_branch_code: Str10 = Field("", description="振込元 支店コード(3桁)")
    transfer_account_type: Literal["", "1", "2", "4"] = Field("", description="1 普通、2 当座、4 貯蓄")
    transfer_account_number: Str10 = Field("", description="振込元 口座番号(7桁以内、0埋め)")
    union_rates_from: date | None = Field(
        None,
        description="union: 上の料率を適用する保険料の月(その月の1日、例 2027-03-01)。料率を変えるときは必須。"
        "初めて登録するときは省略でき、すべての月に適用されます",
    )


class UnionRateOut(Schema):
    effective_from: date = Field(description="適用開始月(保険料の月の1日。2000-01-01 は当初から)")
    name: str
    health_rate: Decimal
    health_employee_rate: Decimal
    care_rate: Decimal
    care_employee_rate: Decimal


class SettingsOut(SettingsIn):
    union_rates: list[UnionRateOut] = Field(
        default_factory=list, description="健康保険組合の料率の履歴(古い順)"
    )

    @staticmethod
    def of(row: PayrollSettings, union_rates: list[Any] | None = None) -> SettingsOut:
        return SettingsOut(
            union_rates_from=None,
            union_rates=[
                UnionRateOut(
                    effective_from=v.effective_from,
                    name=v.name,
                    health_rate=v.health_rate,
                    health_employee_rate=v.health_employee_rate,
                    care_rate=v.care_rate,
                    care_employee_rate=v.care_employee_rate,
                )
                for v in union_rates or []
            ],
            withholding_method=row.withholding_method,  # type: ignore[arg-type]
            proration_rule=row.proration_rule,  # type: ignore[arg-type]
            prefecture=row.prefecture,
            business=row.business,  # type: ignore[arg-type]
            annual_scheduled_hours=row.annual_scheduled_hours,
            anomaly_percent=row.anomaly_percent,
            special_payment_schedule=row.special_payment_schedule,
            resident_tax_special_schedule=row.resident_tax_special_schedule,
            health_insurer=row.health_insurer,  # type: ignore[arg-type]
            union_name=row.union_name,
            union_health_rate=row.union_health_rate,
            union_health_employee_rate=row.union_health_employee_rate,
            union_care_rate=row.union_care_rate,
            union_care_employee_rate=row.union_care_employee_rate,
            transfer_requester_code=row.transfer_requester_code,
            transfer_requester_name=row.transfer_requester_name,
            transfer_bank_code=row.transfer_bank_code,
            transfer_branch_code=row.transfer_branch_code,
            transfer_account_type=row.transfer_account_type,  # type: ignore[arg-type]
            transfer_account_number=row.transfer_account_number,
        )


# ============================================================================ 支給グループ
class PayGroupIn(Input):
    code: Str20 = Field(description="コード(半角英数字)")
    name: Str50
    closing_day: int = Field(0, ge=0, le=31, description="締め日(0 = 月末)")
    pay_day: int = Field(25, ge=0, le=31, description="支給日(0 = 月末)")
    pay_month_offset: int = Field(1, ge=0, le=1, description="0 当月払い、1 翌月払い")
    is_active: bool = True
    sort_order: int = Field(0, ge=-9999, le=9999)


class PayGroupOut(PayGroupIn):
    id: int
    members: int | None = Field(None, description="所属している人数(詳細のみ)")

    @staticmethod
    def of(g: PayGroup, members: int | None = None) -> PayGroupOut:
        return PayGroupOut(
            id=g.pk,
            code=g.code,
            name=g.name,
            closing_day=g.closing_day,
            pay_day=g.pay_day,
            pay_month_offset=g.pay_month_offset,
            is_active=g.is_active,
            sort_order=g.sort_order,
            members=members,
        )


# ============================================================================ 支給・控除項目
class PayItemIn(Input):
    code: Str20 = Field("", description="コード(追加時のみ。英字で始まる英数字と _ 。変更不可)")
    name: Str50
    kind: Literal["payment", "deduction"]
    source: Literal["fixed", "attendance", "formula"] = "fixed"
    taxable: bool = Field(True, description="課税")
    social_insurance: bool = Field(True, description="社会保険の報酬に含む")
    employment_insurance: bool = Field(True, description="雇用保険の賃金に含む")
    premium_base: bool = Field(True, description="割増賃金の基礎に含む(労基則21条の手当は外せる)")
    attendance_key: Str60 = Field("", description="source=attendance: 勤怠の項目(days_worked, overtime …)")
    rate: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2, description="単価(円)")
    formula: Str300 = Field("", description="source=formula: 計算式")
    is_active: bool = True
    sort_order: int = Field(0, ge=-9999, le=9999)


class PayItemOut(PayItemIn):
    id: int

    @staticmethod
    def of(i: PayItem) -> PayItemOut:
        return PayItemOut(
            id=i.pk,
            code=i.code,
            name=i.name,
            kind=i.kind,  # type: ignore[arg-type]
            source=i.source,  # type: ignore[arg-type]
            taxable=i.taxable,
            social_insurance=i.social_insurance,
            employment_insurance=i.employment_insurance,
            premium_base=i.premium_base,
            attendance_key=i.attendance_key,
            rate=i.rate,
            formula=i.formula,
            is_active=i.is_active,
            sort_order=i.sort_order,
        )


# ============================================================================ 社員の給与設定
class EmployeePayRow(Schema):
    id: int
    number: str
    name: str
    effective_from: date | None = Field(description="適用中の基本設定の開始月(未設定なら null)")
    pay_group_id: int | None
    pay_group: str | None
    pay_type: str | None
    base_pay: Yen | None
    tax_column: str | None
    dependents: int | None
    is_officer: bool | None
    health_grade: int | None
    health_standard: Yen | None


class EmployeePayPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EmployeePayRow]


class ProfileIn(Input):
    effective_from: date = Field(description="適用開始月(月の初日)")
    pay_group_id: int = Field(ge=1, le=2**31 - 1)
    pay_type: Literal["monthly", "daily", "hourly"] = "monthly"
    base_pay: Yen = _yen("基本給(月額・日額・時間額)")
    is_officer: bool = False
    commute_allowance: Yen = _yen("通勤手当(月額)", 0)
    commute_exempt_limit: Yen = _yen("通勤手当の非課税限度額(150,000以下)", 150_000)
    tax_column: Literal["甲", "乙"] = "甲"
    dependents: int = Field(0, ge=0, le=30, description="扶養親族等の数(乙欄では0にされます)")
    health_insured: bool = True
    si_acquired_on: date | None = None
    si_lost_on: date | None = None
    employment_insured: bool = True
    ei_acquired_on: date | None = None
    ei_lost_on: date | None = None
    split_bank_code: Str10 = ""
    split_branch_code: Str10 = ""
    split_account_type: Literal["", "1", "2", "4"] = ""
    split_account_number: Str10 = ""
    split_account_holder_kana: Str60 = ""
    split_amount: Yen = _yen("第2口座への振込額", 0)
    insured_number: Str10 = Field(
        "", description="健康保険・厚生年金の被保険者整理番号(半角英数字10文字以内)"
    )
    resident_tax_lump_sum: bool = Field(
        False, description="退職時に住民税の残りを一括徴収(本人の申出、地方税法321条の5第2項)"
    )
    note: Str200 = ""


class ProfileOut(ProfileIn):
    id: int
    replaced: bool = Field(False, description="同じ月の行を置き換えた(登録時のみ)")
    notices: list[str] = Field(default_factory=list, description="調整した内容(登録時のみ)")

    @staticmethod
    def of(p: PayProfile, replaced: bool = False, notices: list[str] | None = None) -> ProfileOut:
        return ProfileOut(
            id=p.pk,
            effective_from=p.effective_from,
            pay_group_id=p.pay_group_id,
            pay_type=p.pay_type,  # type: ignore[arg-type]
            base_pay=int(p.base_pay),
            is_officer=p.is_officer,
            commute_allowance=int(p.commute_allowance),
            commute_exempt_limit=int(p.commute_exempt_limit),
            tax_column=p.tax_column,  # type: ignore[arg-type]
            dependents=p.dependents,
            health_insured=p.health_insured,
            si_acquired_on=p.si_acquired_on,
            si_lost_on=p.si_lost_on,
            employment_insured=p.employment_insured,
            ei_acquired_on=p.ei_acquired_on,
            ei_lost_on=p.ei_lost_on,
            split_bank_code=p.split_bank_code,
            split_branch_code=p.split_branch_code,
            split_account_type=p.split_account_type,  # type: ignore[arg-type]
            split_account_number=p.split_account_number,
            split_account_holder_kana=p.split_account_holder_kana,
            split_amount=int(p.split_amount),
            insured_number=p.insured_number,
            resident_tax_lump_sum=p.resident_tax_lump_sum,
            note=p.note,
            replaced=replaced,
            notices=notices or [],
        )


class EmployeeItemIn(Input):
    item_id: int = Field(ge=1, le=2**31 - 1, description="支給・控除項目のID(固定額の項目)")
    effective_from: date = Field(description="適用開始月(月の初日)")
    amount: Yen = _yen("金額(0でその月から終了)")


class EmployeeItemOut(EmployeeItemIn):
    id: int
    item_code: str
    item_name: str

    @staticmethod
    def of(r: EmployeePayItem) -> EmployeeItemOut:
        return EmployeeItemOut(
            id=r.pk,
            item_id=r.item_id,
            item_code=r.item.code,
            item_name=r.item.name,
            effective_from=r.effective_from,
            amount=int(r.amount),
        )


class GradeIn(Input):
    effective_from: date = Field(description="適用開始月(月の初日)")
    monthly_remuneration: Yen = _yen("報酬月額")
    reason: Literal["acquisition", "annual", "revision", "manual"] = "acquisition"
    note: Str200 = ""


class GradeOut(GradeIn):
    id: int
    health_grade: int
    health_standard: Yen
    pension_grade: int
    pension_standard: Yen

    @staticmethod
    def of(g: StandardRemuneration) -> GradeOut:
        return GradeOut(
            id=g.pk,
            effective_from=g.effective_from,
            monthly_remuneration=int(g.monthly_remuneration),
            reason=g.reason,  # type: ignore[arg-type]
            note=g.note,
            health_grade=g.health_grade,
            health_standard=int(g.health_standard),
            pension_grade=g.pension_grade,
            pension_standard=int(g.pension_standard),
        )


class ResidentTaxNoticeIn(Input):
    fiscal_year: int = Field(ge=2000, le=2100, description="年度(6月〜翌年5月)")
    municipality_code: Str10 = Field("", description="市区町村コード(6桁)")
    municipality_name: Str50
    annual: Yen = _yen("年税額")
    june: Yen = _yen("6月分")
    monthly: Yen = _yen("7月〜翌年5月分(各月)")


class ResidentTaxNoticeOut(ResidentTaxNoticeIn):
    id: int

    @staticmethod
    def of(t: ResidentTax) -> ResidentTaxNoticeOut:
        return ResidentTaxNoticeOut(
            id=t.pk,
            fiscal_year=t.fiscal_year,
            municipality_code=t.municipality_code,
            municipality_name=t.municipality_name,
            annual=int(t.annual),
            june=int(t.june),
            monthly=int(t.monthly),
        )


class ImportOut(Schema):
    created: int = Field(description="新しく登録した人数")
    replaced: int = Field(description="同じ年度の行を置き換えた人数")
