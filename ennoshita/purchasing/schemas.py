"""Request and response shapes of /api/v1/purchasing/vendors and /bills.

Inputs forbid unknown fields and bound every string and number; amounts are whole yen (a fraction,
zero or a negative amount is a 422 on its field). The business rules stay in the services.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

from ennoshita.core.api import (
    Id,
    Input,
    PageParams,
    Str10,
    Str20,
    Str50,
    Str60,
    Str100,
    Str200,
    Text,
    whole_yen_parser,
)

from .models import BillStatus, Vendor, VendorBill, VendorBillLine
from .services.bill_drafts import MAX_LINE_AMOUNT

LineAmount = Annotated[
    Decimal,
    BeforeValidator(whole_yen_parser(minimum=1, maximum=int(MAX_LINE_AMOUNT))),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer"}, {"type": "string"}],
            "description": "税込の金額(円単位の整数、1円以上)",
        }
    ),
]
BillStatusKey = Literal["", "draft", "submitted", "returned", "approved", "rejected", "withdrawn"]


# ------------------------------------------------------------------------------ vendors
class VendorIn(Input):
    code: Str20 = Field(description="仕入先コード(会社の中で一意)")
    name: Str100 = Field(description="仕入先名")
    kana: Str100 = Field("", description="フリガナ")
    registration_number: Str20 = Field("", description="インボイス登録番号(T + 13桁)。なければ空")
    is_individual: bool = Field(False, description="個人事業者(登録番号の検査数字を確かめない)")
    bank_code: Str10 = Field("", description="銀行コード(4桁)。振込先は4項目すべてか、すべて空")
    branch_code: Str10 = Field("", description="支店コード(3桁)")
    account_type: Literal["1", "2", "4", "9"] = Field(
        "1", description="預金種目 1: 普通 2: 当座 4: 貯蓄 9: その他"
    )
    account_number: Str10 = Field("", description="口座番号(7桁まで。7桁に0埋めして保存)")
    account_holder: Str60 = Field("", description="口座名義(カナ。半角カナに直して保存)")
    closing_day: int = Field(31, ge=1, le=31, description="締め日(31 = 月末)")
    payment_month_offset: int = Field(1, ge=0, le=6, description="支払月(0 当月、1 翌月、2 翌々月 …)")
    payment_day: int = Field(31, ge=1, le=31, description="支払日(31 = 月末)")
    default_account_code: Str10 = Field("", description="既定の勘定科目コード")
    memo: Text = Field("", description="メモ")


class VendorOut(Schema):
    id: int
    code: str
    name: str
    kana: str
    registration_number: str
    is_individual: bool
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    account_holder: str = Field(description="口座名義(全銀ファイルの半角カナ)")
    closing_day: int
    payment_month_offset: int
    payment_day: int
    default_account_code: str
    is_active: bool
    memo: str

    @classmethod
    def of(cls, v: Vendor) -> VendorOut:
        return cls(
            id=v.pk,
            code=v.code,
            name=v.name,
            kana=v.kana,
            registration_number=v.registration_number,
            is_individual=v.is_individual,
            bank_code=v.bank_code,
            branch_code=v.branch_code,
            account_type=v.account_type,
            account_number=v.account_number,
            account_holder=v.account_holder,
            closing_day=v.closing_day,
            payment_month_offset=v.payment_month_offset,
            payment_day=v.payment_day,
            default_account_code=v.default_account_code,
            is_active=v.is_active,
            memo=v.memo,
        )


class VendorFilters(PageParams):
    q: Str100 = Field("", description="コード・名前・フリガナ・登録番号")
    active: bool | None = Field(None, description="true: 取引中だけ、false: 取引停止だけ")


class VendorPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[VendorOut]


# ------------------------------------------------------------------------------ bills
class BillLineIn(Input):
    description: Str200 = Field(description="内容")
    account_code: Str10 = Field(description="勘定科目コード(使用中の科目)")
    tax_handling: Literal["P10", "P8R", "P_EXEMPT", "OUT"] = Field("P10", description="税区分")
    amount: LineAmount = Field(description="金額(税込、円)")
    department_id: Id | None = Field(None, description="部署ID(省略: 請求書の部署)")


class BillIn(Input):
    vendor_id: Id = Field(description="仕入先ID")
    bill_date: Day = Field(description="請求日(取引日、未来日は不可)")
    due_date: Day | None = Field(None, description="支払期日(省略: 仕入先の支払条件から)")
    vendor_reference: Str50 = Field("", description="先方の請求書番号")
    is_qualified: bool = Field(True, description="適格請求書(登録番号のない仕入先は false)")
    payable_account_code: Literal["2112", "2130"] = Field(
        "2112", description="相手勘定 2112 買掛金 / 2130 未払金"
    )
    department_id: Id | None = Field(None, description="部署ID")
    memo: Str200 = Field("", description="摘要")
    lines: list[BillLineIn] = Field(max_length=100, description="明細(すべて)")


class BillFiltersIn(PageParams):
    q: Str100 = Field("", description="受付番号・仕入先・先方の請求書番号")
    status: BillStatusKey = Field("", description="状態")
    vendor_id: Id | None = Field(None, description="仕入先ID")
    due_from: Day | None = Field(None, description="支払期日(から)")
    due_to: Day | None = Field(None, description="支払期日(まで)")
    unpaid: bool = Field(False, description="承認済み・未払いだけ")


class BillLineOut(Schema):
    line_no: int
    description: str
    account_code: str
    tax_handling: str
    amount: int = Field(description="税込(円)")
    department_id: int | None

    @classmethod
    def of(cls, ln: VendorBillLine) -> BillLineOut:
        return cls(
            line_no=ln.line_no,
            description=ln.description,
            account_code=ln.account_code,
            tax_handling=ln.tax_handling,
            amount=int(ln.amount),
            department_id=ln.department_id,
        )


class BillOut(Schema):
    id: int
    number: str = Field(description="受付番号(初めて申請したときに採番)")
    vendor_id: int
    vendor: str
    vendor_reference: str
    bill_date: Day
    due_date: Day
    status: str = Field(description=" / ".join(f"{v}: {label}" for v, label in BillStatus.choices))
    is_qualified: bool
    payable_account_code: str
    department_id: int | None
    total: int = Field(description="合計(税込、円)")
    tax_total: int = Field(description="消費税等(税率ごとに請求書1枚で1回端数処理)")
    memo: str
    has_document: bool
    submitted_at: datetime | None
    approved_at: datetime | None
    paid_at: datetime | None
    journal_entry_id: int | None

    @classmethod
    def of(cls, b: VendorBill) -> BillOut:
        return cls(
            id=b.pk,
            number=b.number,
            vendor_id=b.vendor_id,
            vendor=b.vendor.name,
            vendor_reference=b.vendor_reference,
            bill_date=b.bill_date,
            due_date=b.due_date,
            status=b.status,
            is_qualified=b.is_qualified,
            payable_account_code=b.payable_account_code,
            department_id=b.department_id,
            total=int(b.total),
            tax_total=int(b.tax_total),
            memo=b.memo,
            has_document=bool(b.document_sha256),
            submitted_at=b.submitted_at,
            approved_at=b.approved_at,
            paid_at=b.paid_at,
            journal_entry_id=b.journal_entry_id,
        )


class BillDetail(BillOut):
    lines: list[BillLineOut]


class BillPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BillOut]
