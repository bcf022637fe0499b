"""Request and response shapes of /api/v1/affairs/consumables…

Inputs forbid unknown fields and bound every string and number; the business rules (stock never
below zero, status transitions, roles) stay in the services.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Id, Input, PageParams, Str10, Str30, Str100, Str200, Str300

from .models import Consumable, ConsumableRequest, ConsumableStock, StockMove
from .selectors.consumables import Consumption

Quantity = Field(ge=1, le=1_000_000, description="数量(1以上の整数)")


class ConsumableIn(Input):
    code: Str30 = Field(description="品番(会社の中で一意)")
    name: Str200 = Field(description="品名")
    unit: Str10 = Field("個", description="単位")
    unit_cost: Decimal = Field(
        Decimal(0), ge=0, max_digits=13, decimal_places=4, description="単価(円、小数4桁まで)"
    )
    reorder_point: int = Field(0, ge=0, le=1_000_000, description="発注点")
    reorder_quantity: int = Field(0, ge=0, le=1_000_000, description="発注数")
    vendor_name: Str200 = Field("", description="購入先")
    is_active: bool = Field(True, description="使用中")


class ConsumableOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    unit_cost: Decimal = Field(description="単価(移動平均)")
    reorder_point: int
    reorder_quantity: int
    vendor_name: str
    is_active: bool
    on_hand: int | None = Field(None, description="在庫数(一覧では全場所または指定場所の合計)")

    @classmethod
    def of(cls, c: Consumable) -> ConsumableOut:
        return cls(
            id=c.pk,
            code=c.code,
            name=c.name,
            unit=c.unit,
            unit_cost=c.unit_cost,
            reorder_point=c.reorder_point,
            reorder_quantity=c.reorder_quantity,
            vendor_name=c.vendor_name,
            is_active=c.is_active,
            on_hand=getattr(c, "on_hand", None),
        )


class ConsumableFilters(PageParams):
    q: Str100 = Field("", description="品番・品名・購入先")
    location_id: int | None = Field(None, ge=1, description="場所(その場所の在庫数)")
    below_reorder: bool = Field(False, description="発注点以下だけ")
    active: bool | None = Field(True, description="true: 使用中、false: 使用停止、null: すべて")


class ConsumablePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ConsumableOut]


class StockOut(Schema):
    consumable_id: int
    code: str
    name: str
    location_id: int
    location: str
    quantity: int

    @classmethod
    def of(cls, s: ConsumableStock) -> StockOut:
        return cls(
            consumable_id=s.consumable_id,
            code=s.consumable.code,
            name=s.consumable.name,
            location_id=s.location_id,
            location=s.location.name,
            quantity=s.quantity,
        )


class StockFilters(PageParams):
    q: Str100 = Field("", description="品番・品名")
    location_id: int | None = Field(None, ge=1, description="場所")


class StockPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StockOut]


MoveKindKey = Literal["", "receipt", "issue", "count", "transfer_out", "transfer_in"]


class MoveOut(Schema):
    id: int
    consumable_id: int
    location_id: int
    kind: str
    moved_on: Day
    quantity: int = Field(description="数量(出庫・移動(出)は負)")
    counted_quantity: int | None
    unit_cost: Decimal
    amount: Decimal = Field(description="金額(円、数量と同じ符号)")
    department_id: int | None
    employee_id: int | None
    request_id: int | None
    note: str

    @classmethod
    def of(cls, m: StockMove) -> MoveOut:
        return cls(
            id=m.pk,
            consumable_id=m.consumable_id,
            location_id=m.location_id,
            kind=m.kind,
            moved_on=m.moved_on,
            quantity=m.quantity,
            counted_quantity=m.counted_quantity,
            unit_cost=m.unit_cost,
            amount=m.amount,
            department_id=m.department_id,
            employee_id=m.employee_id,
            request_id=m.request_id,
            note=m.note,
        )


class MoveFilters(PageParams):
    consumable_id: int | None = Field(None, ge=1)
    kind: MoveKindKey = Field("", description="区分")
    start: Day | None = Field(None, description="この日から")
    end: Day | None = Field(None, description="この日まで")
    department_id: int | None = Field(None, ge=1)
    location_id: int | None = Field(None, ge=1)


class MovePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MoveOut]


class MoveIn(Input):
    kind: Literal["receipt", "issue", "count", "transfer"] = Field(description="入庫・出庫・棚卸・移動")
    location_id: Id = Field(description="場所(移動では移動元)")
    to_location_id: Id | None = Field(None, description="移動先(移動のとき)")
    quantity: int | None = Field(None, ge=1, le=1_000_000, description="数量(入庫・出庫・移動)")
    counted_quantity: int | None = Field(None, ge=0, le=1_000_000, description="実地棚卸数(棚卸)")
    unit_cost: Decimal | None = Field(
        None, ge=0, max_digits=13, decimal_places=4, description="仕入単価(入庫)"
    )
    department_id: Id | None = Field(None, description="出庫先の部門")
    employee_id: Id | None = Field(None, description="受取者の社員")
    moved_on: Day | None = Field(None, description="日付(既定: 今日)")
    note: Str300 = ""


class RequestOut(Schema):
    id: int
    consumable_id: int
    consumable: str
    quantity: int
    status: str
    requested_by_id: int
    employee_id: int | None
    department_id: int | None
    note: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, r: ConsumableRequest) -> RequestOut:
        return cls(
            id=r.pk,
            consumable_id=r.consumable_id,
            consumable=r.consumable.name,
            quantity=r.quantity,
            status=r.status,
            requested_by_id=r.requested_by_id,
            employee_id=r.employee_id,
            department_id=r.department_id,
            note=r.note,
            decision_note=r.decision_note,
            created_at=r.created_at,
            decided_at=r.decided_at,
        )


class RequestFilters(PageParams):
    status: Literal["", "requested", "issued", "rejected", "cancelled"] = Field(
        "requested", description="状態(空: すべて)"
    )
    mine: bool = Field(False, description="true: 自分の依頼だけ(総務以外は常に自分の依頼)")


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class RequestIn(Input):
    consumable_id: Id
    quantity: int = Quantity
    note: Str300 = Field("", description="用途・備考")


class IssueRequestIn(Input):
    location_id: Id = Field(description="出庫元の場所")
    moved_on: Day | None = None
    note: Str300 = ""


class RejectRequestIn(Input):
    note: Str300 = Field(description="却下の理由")


class ConsumptionParams(Schema):
    start: Day = Field(description="開始月(その月の1日から)")
    months: int = Field(6, ge=1, le=12, description="月数(1〜12)")
    department_id: int | None = Field(None, ge=1)
    consumable_id: int | None = Field(None, ge=1)


class ConsumptionRowOut(Schema):
    department_id: int | None = Field(description="部門(null: 部門なし)")
    name: str
    quantities: list[int]
    amounts: list[Decimal]
    quantity: int
    amount: Decimal


class ConsumptionOut(Schema):
    months: list[Day]
    rows: list[ConsumptionRowOut]
    month_amounts: list[Decimal]
    total_quantity: int
    total_amount: Decimal

    @classmethod
    def of(cls, c: Consumption) -> ConsumptionOut:
        return cls(
            months=c.months,
            rows=[
                ConsumptionRowOut(
                    department_id=r.department_id,
                    name=r.name,
                    quantities=[x.quantity for x in r.cells],
                    amounts=[x.amount for x in r.cells],
                    quantity=r.quantity,
                    amount=r.amount,
                )
                for r in c.rows
            ],
            month_amounts=c.month_amounts,
            total_quantity=c.total_quantity,
            total_amount=c.total_amount,
        )
