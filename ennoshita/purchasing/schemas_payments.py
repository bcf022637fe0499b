"""Request and response shapes of /api/v1/purchasing/payment-runs and the payment candidates.

Inputs forbid unknown fields; the business rules (bank days, payable bills and claims, the
settings) stay in ``services.payments``.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

from ennoshita.core.api import Id, Input, PageParams, Str10, printable

from .models import AccountType, PaymentItem, PaymentRun, PurchasingSettings, RunStatus
from .selectors.payments import Candidate

Str80 = Annotated[str, StringConstraints(max_length=80), AfterValidator(printable)]
RunStatusKey = Literal["", "draft", "confirmed", "cancelled"]


class RunFilters(PageParams):
    status: RunStatusKey = Field("", description="状態")


class RunIn(Input):
    payment_date: Day = Field(description="振込指定日(今日以降の銀行の営業日)")
    due_by: Day = Field(description="対象の支払期日(この日までに期日が来る請求書)")
    bill_ids: list[Id] | None = Field(
        None,
        max_length=100_000,
        description="支払う請求書のID。bill_ids も claim_ids も省略すると支払える候補すべて",
    )
    claim_ids: list[Id] | None = Field(None, max_length=100_000, description="支払う経費精算のID")


class ReverseIn(Input):
    reversal_date: Day | None = Field(
        None, description="反対仕訳の日付(省略: 今日、振込指定日が先ならその日)"
    )


class CandidateFilters(Schema):
    due_by: Day = Field(description="この日までに支払期日が来る承認済みの請求書(経費精算は承認済みすべて)")


class BankAccountOut(Schema):
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str = Field(description=" / ".join(f"{v}: {label}" for v, label in AccountType.choices))
    account_number: str
    holder: str = Field(description="口座名義(全銀ファイルの半角カナ)")


class CandidateOut(Schema):
    kind: str = Field(description="vendor_bill: 仕入先請求書 / expense_claim: 経費精算")
    id: int = Field(description="請求書または経費精算のID")
    number: str
    payee: str
    due_date: Day | None
    amount: int
    payable_account_code: str = Field(description="2112 買掛金 / 2130 未払金")
    payable: bool = Field(description="false: 振込できない(reason に理由)")
    reason: str
    account: BankAccountOut | None

    @classmethod
    def of(cls, c: Candidate) -> CandidateOut:
        a = c.account
        return cls(
            kind=c.kind,
            id=c.source_id,
            number=c.number,
            payee=c.payee_name,
            due_date=c.due_date,
            amount=int(c.amount),
            payable_account_code=c.payable_account_code,
            payable=c.payable,
            reason=c.reason,
            account=BankAccountOut(
                bank_code=a.bank_code,
                bank_name=a.bank_name,
                branch_code=a.branch_code,
                branch_name=a.branch_name,
                account_type=a.account_type,
                account_number=a.account_number,
                holder=a.holder,
            )
            if a is not None
            else None,
        )


class ItemOut(Schema):
    id: int
    kind: str
    vendor_bill_id: int | None
    expense_claim_id: int | None
    source_number: str
    payee: str
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    account_holder: str
    amount: int
    payable_account_code: str

    @classmethod
    def of(cls, i: PaymentItem) -> ItemOut:
        return cls(
            id=i.pk,
            kind=i.kind,
            vendor_bill_id=i.vendor_bill_id,
            expense_claim_id=i.expense_claim_id,
            source_number=getattr(i, "source_number", ""),
            payee=i.payee_name,
            bank_code=i.bank_code,
            bank_name=getattr(i, "bank_name", ""),
            branch_code=i.branch_code,
            branch_name=getattr(i, "branch_name", ""),
            account_type=i.account_type,
            account_number=i.account_number,
            account_holder=i.account_holder,
            amount=int(i.amount),
            payable_account_code=i.payable_account_code,
        )


class RunOut(Schema):
    id: int
    number: str = Field(description="支払番号 PAY-<年度>-0001")
    payment_date: Day
    due_by: Day
    status: str = Field(description=" / ".join(f"{v}: {label}" for v, label in RunStatus.choices))
    count: int
    total: int
    file_document_id: int | None = Field(description="保存した振込データの文書ID(確定後)")
    file_sha256: str
    journal_entry_id: int | None
    created_at: datetime
    confirmed_at: datetime | None

    @classmethod
    def of(cls, r: PaymentRun) -> RunOut:
        return cls(
            id=r.pk,
            number=r.number,
            payment_date=r.payment_date,
            due_by=r.due_by,
            status=r.status,
            count=r.count,
            total=int(r.total),
            file_document_id=r.file_document_id,
            file_sha256=r.file_sha256,
            journal_entry_id=r.journal_entry_id,
            created_at=r.created_at,
            confirmed_at=r.confirmed_at,
        )


class RunDetail(RunOut):
    items: list[ItemOut]


class RunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RunOut]


class SettingsIn(Input):
    requester_code: Str10 = Field(description="振込依頼人コード(10桁)")
    requester_name: Str80 = Field(description="振込依頼人名(カナ。全角でも可)")
    bank_code: Str10 = Field(description="仕向銀行コード(4桁)")
    branch_code: Str10 = Field(description="仕向支店コード(3桁)")
    account_type: Literal["1", "2", "9"] = Field(description="1: 普通 / 2: 当座 / 9: その他")
    account_number: Str10 = Field(description="口座番号(7桁以内)")
    bank_account_code: Str10 = Field("1121", description="支払に使う預金の勘定科目コード")


class SettingsOut(Schema):
    requester_code: str
    requester_name: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    bank_account_code: str
    complete: bool = Field(description="振込データを作れるだけそろっているか")

    @classmethod
    def of(cls, row: PurchasingSettings, complete: bool) -> SettingsOut:
        return cls(
            requester_code=row.requester_code,
            requester_name=row.requester_name,
            bank_code=row.bank_code,
            branch_code=row.branch_code,
            account_type=row.account_type,
            account_number=row.account_number,
            bank_account_code=row.bank_account_code,
            complete=complete,
        )
