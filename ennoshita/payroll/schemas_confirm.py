"""Response shapes of the confirm part of /api/v1/payroll/ (confirm, transfer preview, withheld
taxes). Amounts are whole yen (int)."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime

from ninja import Schema
from pydantic import Field

from .models import PayrollRun
from .selectors.confirm import IncomeTaxRow, ResidentTaxRow, TransferPreview, TransferRow, WithheldTaxes


class ConfirmedRunOut(Schema):
    id: int
    status: str = Field(description="draft / confirmed / discarded")
    kind: str = Field(description="salary / bonus")
    pay_date: Day
    headcount: int
    gross_total: int
    deduction_total: int
    net_total: int
    confirmed_at: datetime | None
    journal_entry_id: int | None = Field(description="記帳した仕訳のID")
    transfer_document_id: int | None = Field(description="振込データ(文書)のID。振込がなければ null")

    @staticmethod
    def of(run: PayrollRun) -> ConfirmedRunOut:
        return ConfirmedRunOut(
            id=run.pk,
            status=run.status,
            kind=run.kind,
            pay_date=run.pay_date,
            headcount=run.headcount,
            gross_total=int(run.gross_total),
            deduction_total=int(run.deduction_total),
            net_total=int(run.net_total),
            confirmed_at=run.confirmed_at,
            journal_entry_id=run.journal_entry_id,
            transfer_document_id=run.transfer_document_id,
        )


class TransferOut(Schema):
    employee_number: str
    employee_name: str
    account: str = Field(description="main(本人口座) / split(第2口座)")
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str = Field(description="1 普通 / 2 当座 / 4 貯蓄")
    account_number: str
    holder_kana: str = Field(description="ファイルに入る口座名義(半角カナ)")
    amount: int
    problem: str = Field(description="銀行が受け付けない理由。なければ空")

    @staticmethod
    def of(row: TransferRow) -> TransferOut:
        t = row.transfer
        return TransferOut(
            employee_number=t.employee_number,
            employee_name=t.employee_name,
            account=t.which,
            bank_code=t.bank_code,
            bank_name=row.bank_name,
            branch_code=t.branch_code,
            branch_name=row.branch_name,
            account_type=t.account_type,
            account_number=t.account_number,
            holder_kana=row.holder_kana,
            amount=t.amount,
            problem=row.problem,
        )


class TransferPreviewOut(Schema):
    run_id: int
    status: str
    pay_date: Day
    kind_code: str = Field(description="全銀の種別コード: 11 給与振込 / 12 賞与振込")
    count: int
    total: int = Field(description="振込の合計(トレーラの合計金額)")
    net_total: int = Field(description="差引支給額の合計")
    by_hand: int = Field(description="振込以外で支給する額")
    file_name: str
    downloadable: bool = Field(description="確定済みでファイルがあり、ダウンロードできる")
    problems: list[str]
    notes: list[str]
    transfers: list[TransferOut]

    @staticmethod
    def of(p: TransferPreview) -> TransferPreviewOut:
        return TransferPreviewOut(
            run_id=p.run.pk,
            status=p.run.status,
            pay_date=p.run.pay_date,
            kind_code="12" if p.run.kind == "bonus" else "11",
            count=len(p.rows),
            total=p.total,
            net_total=p.net_total,
            by_hand=p.by_hand,
            file_name=p.file_name,
            downloadable=p.can_download,
            problems=p.problems,
            notes=p.notes,
            transfers=[TransferOut.of(r) for r in p.rows],
        )


class IncomeTaxOut(Schema):
    period: str
    months: list[str] = Field(description="支給日の月 (YYYY-MM)")
    salary_people: int
    salary_paid: int = Field(description="給与の支給額(課税支給額)")
    salary_tax: int
    bonus_people: int
    bonus_paid: int
    bonus_tax: int
    tax: int
    due: Day = Field(description="納期限(休日は翌営業日)")

    @staticmethod
    def of(r: IncomeTaxRow) -> IncomeTaxOut:
        return IncomeTaxOut(
            period=r.period,
            months=[f"{m:%Y-%m}" for m in r.months],
            salary_people=r.salary_people,
            salary_paid=r.salary_paid,
            salary_tax=r.salary_tax,
            bonus_people=r.bonus_people,
            bonus_paid=r.bonus_paid,
            bonus_tax=r.bonus_tax,
            tax=r.tax,
            due=r.due,
        )


class ResidentTaxOut(Schema):
    month: str = Field(description="差し引いた月 (YYYY-MM)")
    fiscal_year: int = Field(description="年度")
    municipality_code: str
    municipality_name: str
    people: int
    amount: int
    due: Day

    @staticmethod
    def of(r: ResidentTaxRow) -> ResidentTaxOut:
        return ResidentTaxOut(
            month=f"{r.month:%Y-%m}",
            fiscal_year=r.fiscal_year,
            municipality_code=r.municipality_code,
            municipality_name=r.municipality_name,
            people=r.people,
            amount=r.amount,
            due=r.due,
        )


class WithheldOut(Schema):
    year: int
    special_payment_schedule: bool = Field(description="源泉所得税の納期の特例")
    income_tax_total: int
    resident_tax_total: int
    income_tax: list[IncomeTaxOut]
    resident_tax: list[ResidentTaxOut]

    @staticmethod
    def of(d: WithheldTaxes) -> WithheldOut:
        return WithheldOut(
            year=d.year,
            special_payment_schedule=d.special,
            income_tax_total=d.income_tax_total,
            resident_tax_total=d.resident_tax_total,
            income_tax=[IncomeTaxOut.of(r) for r in d.income_tax],
            resident_tax=[ResidentTaxOut.of(r) for r in d.resident_tax],
        )


class YearQuery(Schema):
    year: int = Field(ge=2000, le=2100, description="支給日の年")
