"""Schemas of /api/v1/payroll/severance (退職金) and /api/v1/payroll/rules/severance."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from ennoshita.core.api import Id, Input, PageParams, Str50, Str200, Str500

from .models import SeverancePay
from .rules.retirement import KIND_LABELS, Severance
from .schemas import StepOut

MAX_YEN = 10_000_000_000
Yen = int


class SeveranceFilters(PageParams):
    q: Str50 = Field("", description="社員番号・氏名・備考で検索")
    year: int | None = Field(None, ge=1900, le=2999, description="支払日の年")
    status: str = Field(
        "", pattern="^(|draft|confirmed|discarded)$", description="draft / confirmed / discarded"
    )


class SeveranceIn(Input):
    employee_id: Id = Field(description="社員ID")
    paid_on: date = Field(description="支払日")
    amount: Yen = Field(ge=0, le=MAX_YEN, description="退職手当等の額(円)")
    service_from: date | None = Field(None, description="勤続の起算日(省略: 入社日)")
    service_to: date | None = Field(None, description="退職日(省略: 社員情報の退職日)")
    officer_from: date | None = Field(None, description="役員等に就任した日(役員等だった人のみ)")
    disability: bool = Field(False, description="障害者になったことによる退職")
    declaration: bool = Field(True, description="退職所得の受給に関する申告書の提出あり(なし: 20.42%)")
    municipality_code: str = Field(
        "", pattern=r"^(\d{6})?$", description="1月1日の住所地の市区町村コード(6桁)"
    )
    municipality_name: Str50 = Field(
        "", description="1月1日の住所地の市区町村(省略: その年度の住民税の通知から)"
    )
    note: Str200 = ""


class DiscardIn(Input):
    reason: Str500 = Field(description="破棄の理由(必須)")


class SeveranceOut(Schema):
    id: int
    employee_id: int
    employee_number: str
    employee_name: str
    status: str = Field(description="draft 計算中 / confirmed 確定 / discarded 破棄")
    paid_on: date
    amount: Yen
    service_from: date
    service_to: date
    officer_from: date | None
    disability: bool
    declaration: bool
    municipality_code: str
    municipality_name: str
    service_years: int = Field(description="勤続年数(1年未満切上げ)")
    deduction: Yen = Field(description="退職所得控除額")
    taxable_income: Yen = Field(description="課税退職所得金額")
    income_tax: Yen = Field(description="源泉徴収税額(所得税及び復興特別所得税)")
    city_tax: Yen = Field(description="市町村民税")
    prefecture_tax: Yen = Field(description="道府県民税")
    net: Yen = Field(description="差引支給額")
    note: str
    journal_entry_id: int | None
    document_id: int | None = Field(description="源泉徴収票を保存した文書のID(確定後)")
    created_at: datetime
    confirmed_at: datetime | None

    @staticmethod
    def of(r: SeverancePay) -> SeveranceOut:
        e = r.employee
        return SeveranceOut(
            id=r.pk,
            employee_id=r.employee_id,
            employee_number=e.number,
            employee_name=f"{e.family_name} {e.given_name}",
            status=r.status,
            paid_on=r.paid_on,
            amount=int(r.amount),
            service_from=r.service_from,
            service_to=r.service_to,
            officer_from=r.officer_from,
            disability=r.disability,
            declaration=r.declaration_submitted,
            municipality_code=r.municipality_code,
            municipality_name=r.municipality_name,
            service_years=r.service_years,
            deduction=int(r.deduction),
            taxable_income=int(r.taxable_income),
            income_tax=int(r.income_tax),
            city_tax=int(r.city_tax),
            prefecture_tax=int(r.prefecture_tax),
            net=int(r.net),
            note=r.note,
            journal_entry_id=r.journal_entry_id,
            document_id=r.document_id,
            created_at=r.created_at,
            confirmed_at=r.confirmed_at,
        )


class SeveranceDetailOut(SeveranceOut):
    steps: list[StepOut]

    @staticmethod
    def of(r: SeverancePay) -> SeveranceDetailOut:
        steps = [StepOut(label=s["label"], value=s["value"], rule=s["rule"]) for s in r.steps or []]
        return SeveranceDetailOut(**SeveranceOut.of(r).dict(), steps=steps)


class SeverancePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SeveranceOut]


class SeveranceRuleIn(Input):
    amount: Yen = Field(ge=0, le=MAX_YEN, description="退職手当等の額(円)")
    service_from: date = Field(description="勤続の起算日")
    service_to: date = Field(description="退職日")
    officer_from: date | None = Field(None, description="役員等に就任した日(役員等だった人のみ)")
    disability: bool = Field(False, description="障害者になったことによる退職")
    declaration: bool = Field(True, description="退職所得の受給に関する申告書の提出あり")


class SeveranceRuleOut(Schema):
    service_years: int
    officer_years: int | None
    kind: str = Field(description="general 一般 / officer 特定役員 / short 短期")
    kind_label: str
    deduction: Yen
    taxable_income: Yen
    income_tax: Yen
    city_tax: Yen
    prefecture_tax: Yen
    net: Yen
    steps: list[StepOut]

    @staticmethod
    def of(s: Severance, steps: list[StepOut]) -> SeveranceRuleOut:
        return SeveranceRuleOut(
            service_years=s.service_years,
            officer_years=s.officer_years,
            kind=s.kind,
            kind_label=KIND_LABELS[s.kind],
            deduction=s.deduction,
            taxable_income=s.taxable_income,
            income_tax=s.income_tax,
            city_tax=s.city_tax,
            prefecture_tax=s.prefecture_tax,
            net=s.net,
            steps=steps,
        )
