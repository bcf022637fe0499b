"""Request and response shapes of /api/v1/affairs/equipment.

Inputs forbid unknown fields and bound every string and number; prices are whole yen (a fraction or a
negative amount is a 422 on its field). The business rules stay in the services.
"""

from __future__ import annotations

from datetime import date as Day
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

from ennoshita.core.api import Id, Input, PageParams, Str30, Str100, Str200, Str300, Text, whole_yen_parser

from .models import Equipment, EquipmentLoan

Price = Annotated[
    Decimal,
    BeforeValidator(whole_yen_parser(minimum=0, maximum=10**13)),
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string"}], "description": "購入価額(円単位の整数、0円以上)"}
    ),
]
StatusKey = Literal["", "in_stock", "lent", "repair", "lost", "disposed"]


class EquipmentIn(Input):
    asset_number: Str30 = Field(description="資産番号(会社の中で一意。英字は大文字にして保存)")
    name: Str200 = Field(description="品名")
    category_id: Id = Field(description="分類のID")
    location_id: Id | None = Field(None, description="場所のID(使用中の場所)")
    maker: Str200 = Field("", description="メーカー・型番")
    serial_number: Str100 = Field("", description="製造番号")
    purchase_date: Day | None = Field(None, description="購入日")
    purchase_price: Price | None = Field(None, description="購入価額(円)")
    vendor_name: Str200 = Field("", description="購入先")
    warranty_end: Day | None = Field(None, description="保証期限")
    note: Text = Field("", description="備考")


class LendIn(Input):
    employee_id: Id = Field(description="貸与先の社員ID")
    lent_on: Day = Field(description="貸出日(今日以前)")
    due_on: Day | None = Field(None, description="返却予定日")
    note: Str300 = Field("", description="備考")


class ReturnIn(Input):
    returned_on: Day = Field(description="返却日(貸出日以降、今日以前)")
    needs_repair: bool = Field(False, description="true: 修理中にする(既定は保管中)")
    return_note: Str300 = Field("", description="返却時の備考")


class HolderOut(Schema):
    id: int
    number: str = Field(description="社員番号")
    name: str = Field(description="氏名")


class EquipmentOut(Schema):
    id: int
    asset_number: str
    name: str
    category_id: int
    category: str = Field(description="分類名")
    location_id: int | None
    location: str = Field(description="場所(なければ空)")
    maker: str
    serial_number: str
    purchase_date: Day | None
    purchase_price: int | None = Field(description="購入価額(円)")
    vendor_name: str
    warranty_end: Day | None
    status: str = Field(
        description="in_stock 保管中 / lent 貸出中 / repair 修理中 / lost 紛失 / disposed 廃棄済み"
    )
    holder: HolderOut | None = Field(description="使用者(貸出中のとき)")
    disposed_on: Day | None
    note: str

    @classmethod
    def of(cls, e: Equipment) -> EquipmentOut:
        return cls(
            id=e.pk,
            asset_number=e.asset_number,
            name=e.name,
            category_id=e.category_id,
            category=e.category.name,
            location_id=e.location_id,
            location=e.location.name if e.location else "",
            maker=e.maker,
            serial_number=e.serial_number,
            purchase_date=e.purchase_date,
            purchase_price=None if e.purchase_price is None else int(e.purchase_price),
            vendor_name=e.vendor_name,
            warranty_end=e.warranty_end,
            status=e.status,
            holder=HolderOut(id=e.holder.pk, number=e.holder.number, name=e.holder.full_name)
            if e.holder
            else None,
            disposed_on=e.disposed_on,
            note=e.note,
        )


class EquipmentFilters(PageParams):
    q: Str100 = Field("", description="資産番号・品名・製造番号・使用者名")
    category_id: Id | None = Field(None, description="分類のID")
    status: StatusKey = Field("", description="状態(空なら廃棄済み以外)")
    location_id: Id | None = Field(None, description="場所のID")
    holder_id: Id | None = Field(None, description="使用者の社員ID")
    fixed_asset: bool | None = Field(None, description="true: 固定資産候補(購入価額がしきい値以上)だけ")
    warranty_within: int | None = Field(None, ge=0, le=3650, description="保証期限が今日から何日以内か")


class EquipmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EquipmentOut]


class LoanOut(Schema):
    id: int
    equipment_id: int
    employee: HolderOut
    lent_on: Day
    due_on: Day | None
    returned_on: Day | None
    note: str
    return_note: str

    @classmethod
    def of(cls, loan: EquipmentLoan) -> LoanOut:
        e = loan.employee
        return cls(
            id=loan.pk,
            equipment_id=loan.equipment_id,
            employee=HolderOut(id=e.pk, number=e.number, name=e.full_name),
            lent_on=loan.lent_on,
            due_on=loan.due_on,
            returned_on=loan.returned_on,
            note=loan.note,
            return_note=loan.return_note,
        )
