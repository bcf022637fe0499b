"""Response shapes of /api/v1/payroll/ — payslips (給与明細), 賃金台帳 and 源泉徴収簿. Amounts are
whole yen (int); days may hold halves (Decimal)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from ennoshita.payroll.models import Payslip

from .selectors.ledgers import BookLine, BookTotals, WageLedger, WithholdingBook
from .selectors.payslips import PayslipSheet


class PayslipSummaryOut(Schema):
    id: int
    run_id: int
    kind: str = Field(description="salary(給与) / bonus(賞与)")
    pay_month: date = Field(description="支給月(1日)")
    pay_date: date = Field(description="支給日")
    title: str
    gross: int = Field(description="総支給額")
    deduction_total: int = Field(description="控除合計")
    net: int = Field(description="差引支給額")

    @classmethod
    def of(cls, p: Payslip) -> PayslipSummaryOut:
        run = p.run
        return cls(
            id=p.pk,
            run_id=run.pk,
            kind=run.kind,
            pay_month=run.pay_month,
            pay_date=run.pay_date,
            title=run.title,
            gross=int(p.gross),
            deduction_total=int(p.deduction_total),
            net=int(p.net),
        )


class MyPayslipsOut(Schema):
    years: list[int] = Field(description="公開された明細がある年(支給日の年、新しい順)")
    year: int | None = Field(description="表示している年")
    items: list[PayslipSummaryOut]


class FigureOut(Schema):
    code: str
    label: str
    value: str = Field(description="勤怠: 表示のとおり(例: 20日, 168:30)")


class AmountOut(Schema):
    code: str = Field(description="行のコード(base, overtime, health, item:<コード> …)")
    label: str
    amount: int


class TransferOut(Schema):
    label: str = Field(description="本人口座 / 第2口座")
    bank: str = Field(description="金融機関・支店・預金種目")
    account: str = Field(description="口座番号(下3桁のみ: ****567)")
    amount: int


class PayslipOut(Schema):
    id: int
    run_id: int
    kind: str = Field(description="salary(給与) / bonus(賞与)")
    status: str = Field(description="給与計算の状態: draft / confirmed / discarded")
    draft: bool = Field(description="確定前(下書き): 人事・経理だけが見られます")
    title: str = Field(description="給与明細書 / 賞与明細書")
    employee_id: int
    employee_number: str
    employee_name: str
    department_name: str
    pay_date: date
    period_start: date | None = Field(description="賃金計算期間の初日")
    period_end: date | None = Field(description="賃金計算期間の末日")
    attendance: list[FigureOut] = Field(description="勤怠")
    payments: list[AmountOut] = Field(description="支給(欠勤控除はマイナス)")
    deductions: list[AmountOut] = Field(description="控除(法定の控除は0円でも表示)")
    gross: int = Field(description="総支給額")
    taxable: int = Field(description="課税支給額")
    nontaxable: int = Field(description="非課税支給額")
    care_applies: bool = Field(description="健康保険料に介護保険料を含む")
    social_insurance_total: int = Field(description="社会保険料等(健保+支援金+厚年+雇用)")
    income_tax: int = Field(description="所得税")
    resident_tax: int = Field(description="住民税")
    deduction_total: int = Field(description="控除合計")
    net: int = Field(description="差引支給額")
    transfers: list[TransferOut]
    cash: int = Field(description="振込以外で支払う額")

    @classmethod
    def of(cls, sheet: PayslipSheet) -> PayslipOut:
        p = sheet.payslip
        return cls(
            id=p.pk,
            run_id=p.run_id,
            kind=p.run.kind,
            status=p.run.status,
            draft=sheet.draft,
            title=sheet.title,
            employee_id=p.employee_id,
            employee_number=p.employee_number,
            employee_name=p.employee_name,
            department_name=p.department_name,
            pay_date=sheet.pay_date,
            period_start=sheet.period_start,
            period_end=sheet.period_end,
            attendance=[FigureOut(code=c.code, label=c.label, value=c.value) for c in sheet.attendance],
            payments=[
                AmountOut(code=c.code, label=c.label, amount=int(c.amount or 0)) for c in sheet.payments
            ],
            deductions=[
                AmountOut(code=c.code, label=c.label, amount=int(c.amount or 0)) for c in sheet.deductions
            ],
            gross=int(p.gross),
            taxable=int(p.taxable),
            nontaxable=int(p.nontaxable),
            care_applies=p.care_applies,
            social_insurance_total=int(p.social_insurance_total),
            income_tax=int(p.income_tax),
            resident_tax=int(p.resident_tax),
            deduction_total=int(p.deduction_total),
            net=int(p.net),
            transfers=[
                TransferOut(label=t.label, bank=t.bank, account=t.account, amount=int(t.amount))
                for t in sheet.transfers
            ],
            cash=int(sheet.cash),
        )


class LedgerQuery(Schema):
    employee: int = Field(ge=1, le=2**63 - 1, description="社員ID")
    year: int = Field(ge=2000, le=2100, description="年(支給日の年)")


class EmployeeRefOut(Schema):
    id: int
    number: str
    name: str


class LedgerColumnOut(Schema):
    payslip_id: int
    run_id: int
    kind: str
    label: str
    pay_date: date
    period_start: str = Field(description="賃金計算期間(ISO日付、賞与で無ければ空)")
    period_end: str


class LedgerRowOut(Schema):
    section: str = Field(description="勤怠 / 支給 / 控除 / 合計")
    code: str
    label: str
    unit: str = Field(description="yen(円) / minutes(分) / days(日)")
    values: list[Decimal] = Field(description="列ごとの値(列の順)")
    total: Decimal = Field(description="年計")


class WageLedgerOut(Schema):
    employee: EmployeeRefOut
    gender: str = Field(description="性別")
    year: int
    columns: list[LedgerColumnOut]
    rows: list[LedgerRowOut]

    @classmethod
    def of(cls, ledger: WageLedger) -> WageLedgerOut:
        e = ledger.employee
        return cls(
            employee=EmployeeRefOut(id=e.pk, number=e.number, name=f"{e.family_name} {e.given_name}"),
            gender=ledger.gender_label,
            year=ledger.year,
            columns=[LedgerColumnOut(**c.__dict__) for c in ledger.columns],
            rows=[
                LedgerRowOut(
                    section=r.section, code=r.code, label=r.label, unit=r.unit, values=r.values, total=r.total
                )
                for r in ledger.rows
            ],
        )


class BookLineOut(Schema):
    payslip_id: int
    month: int = Field(description="月区分(支給日の月)")
    pay_date: date
    gross: int = Field(description="総支給額")
    taxable: int = Field(description="課税支給額(源泉徴収簿の総支給金額)")
    social_insurance: int = Field(description="社会保険料等の控除額")
    after_insurance: int = Field(description="社会保険料等控除後の給与等の金額(課税対象額)")
    dependents: int = Field(description="扶養親族等の数")
    tax_column: str = Field(description="税額表の欄(甲/乙)")
    income_tax: int = Field(description="算出税額(徴収した所得税)")

    @classmethod
    def of(cls, x: BookLine) -> BookLineOut:
        return cls(
            payslip_id=x.payslip_id,
            month=x.month,
            pay_date=x.pay_date,
            gross=int(x.gross),
            taxable=int(x.taxable),
            social_insurance=int(x.social_insurance),
            after_insurance=int(x.after_insurance),
            dependents=x.dependents,
            tax_column=x.tax_column,
            income_tax=int(x.income_tax),
        )


class BookTotalsOut(Schema):
    gross: int
    taxable: int
    social_insurance: int
    after_insurance: int
    income_tax: int

    @classmethod
    def of(cls, t: BookTotals) -> BookTotalsOut:
        return cls(
            gross=int(t.gross),
            taxable=int(t.taxable),
            social_insurance=int(t.social_insurance),
            after_insurance=int(t.after_insurance),
            income_tax=int(t.income_tax),
        )


class WithholdingBookOut(Schema):
    employee: EmployeeRefOut
    year: int
    salary: list[BookLineOut]
    bonus: list[BookLineOut]
    salary_total: BookTotalsOut
    bonus_total: BookTotalsOut
    total: BookTotalsOut

    @classmethod
    def of(cls, book: WithholdingBook) -> WithholdingBookOut:
        e = book.employee
        return cls(
            employee=EmployeeRefOut(id=e.pk, number=e.number, name=f"{e.family_name} {e.given_name}"),
            year=book.year,
            salary=[BookLineOut.of(x) for x in book.salary],
            bonus=[BookLineOut.of(x) for x in book.bonus],
            salary_total=BookTotalsOut.of(book.salary_total),
            bonus_total=BookTotalsOut.of(book.bonus_total),
            total=BookTotalsOut.of(book.total),
        )
