"""Response shapes of /api/v1/payroll/leavers…: the leavers of a period with the figures of the
給与所得者異動届出書, and a leaver's 給与所得の源泉徴収票. Amounts are whole yen (int)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from .selectors.leaving import Leaver, LeaverList, Payer, WithholdingSlip


class LeaversQuery(Schema):
    start: date = Field(description="退職日の範囲(から)")
    end: date = Field(description="退職日の範囲(まで)")
    q: str = Field("", max_length=100, description="社員番号・氏名(空白区切りのすべての語)")


class SlipQuery(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="年(支払日の年。退職日の年に限る。省略: 退職日の年)"
    )


class PayerOut(Schema):
    name: str = Field(description="特別徴収義務者・支払者の名称")
    corporate_number: str = Field(description="法人番号(未登録なら空)")
    postal_code: str
    address: str = Field(description="給与支払者の所在地")

    @classmethod
    def of(cls, p: Payer) -> PayerOut:
        return cls(
            name=p.name, corporate_number=p.corporate_number, postal_code=p.postal_code, address=p.address
        )


class LeaverOut(Schema):
    employee_id: int
    number: str = Field(description="社員番号")
    name: str = Field(description="受給者氏名")
    name_kana: str
    birth_date: date | None
    postal_code: str
    address: str = Field(description="受給者の住所")
    retire_date: date = Field(description="異動年月日(退職日)")
    reason_of_change: str = Field(description="異動事由")
    fiscal_year: int = Field(description="住民税の年度(6月〜翌年5月)")
    municipality_code: str
    municipality_name: str = Field(description="市区町村")
    annual: int | None = Field(description="年税額(特別徴収税額の通知がなければ null)")
    collected: int = Field(description="徴収済額(毎月の徴収分。一括徴収分を除く)")
    uncollected: int | None = Field(description="未徴収税額 = 年税額 − 徴収済額")
    method: str = Field(
        description="lump(一括徴収) / ordinary(普通徴収) / done(残りなし) / none(特別徴収なし) / pending(最終給与が未確定)"
    )
    method_text: str = Field(description="徴収方法(表示用)")
    lump_amount: int = Field(description="一括徴収した額")
    lump_month: date | None = Field(description="一括徴収した月(最後の給与の支給月)")
    lump_months: list[str] = Field(description="一括徴収が充てた月(YYYY-MM)")
    reason: str = Field(description="一括徴収の理由 / 普通徴収の理由")
    final_pay_date: date | None = Field(description="最後の給与の支給日(確定済み)")
    notes: list[str] = Field(description="確認事項")

    @classmethod
    def of(cls, r: Leaver) -> LeaverOut:
        return cls(
            employee_id=r.employee_id,
            number=r.number,
            name=r.name,
            name_kana=r.name_kana,
            birth_date=r.birth_date,
            postal_code=r.postal_code,
            address=r.address,
            retire_date=r.retire_date,
            reason_of_change=r.reason_of_change,
            fiscal_year=r.fiscal_year,
            municipality_code=r.municipality_code,
            municipality_name=r.municipality_name,
            annual=r.annual,
            collected=r.collected,
            uncollected=r.uncollected,
            method=r.method,
            method_text=r.method_text,
            lump_amount=r.lump_amount,
            lump_month=r.lump_month,
            lump_months=list(r.lump_months),
            reason=r.reason,
            final_pay_date=r.final_pay_date,
            notes=list(r.notes),
        )


class LeaversOut(Schema):
    payer: PayerOut
    start: date
    end: date
    items: list[LeaverOut]

    @classmethod
    def of(cls, data: LeaverList) -> LeaversOut:
        return cls(
            payer=PayerOut.of(data.payer),
            start=data.start,
            end=data.end,
            items=[LeaverOut.of(r) for r in data.rows],
        )


class WithholdingSlipOut(Schema):
    year: int
    payer: PayerOut
    employee_id: int
    number: str
    name: str
    address: str
    retire_date: date = Field(description="退職年月日")
    hire_date: date
    paid: int = Field(description="支払金額(給料・賞与の課税支給額の合計)")
    salary: int = Field(description="うち給料")
    bonus: int = Field(description="うち賞与")
    social_insurance: int = Field(description="社会保険料等の金額")
    income_tax: int = Field(description="源泉徴収税額(年末調整なし)")
    final_pay_confirmed: bool = Field(description="最後の給与が確定済みか")

    @classmethod
    def of(cls, s: WithholdingSlip) -> WithholdingSlipOut:
        return cls(
            year=s.year,
            payer=PayerOut.of(s.payer),
            employee_id=s.employee_id,
            number=s.number,
            name=s.name,
            address=s.address,
            retire_date=s.retire_date,
            hire_date=s.hire_date,
            paid=s.paid,
            salary=s.salary,
            bonus=s.bonus,
            social_insurance=s.social_insurance,
            income_tax=s.income_tax,
            final_pay_confirmed=s.final_pay_confirmed,
        )
