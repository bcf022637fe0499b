"""Request and response shapes of the customers and products API (/api/v1/sales/).

Inputs forbid unknown fields and bound every string and number. Normalisation (フリガナ to
katakana, 法人番号 and 登録番号 width-folded, 郵便番号, phone) and the business rules (check
digits, duplicates) stay in ``sales.services``; the limits here are the outer fence.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

from ennoshita.core.api import (
    UNSET,
    Input,
    PageParams,
    Str10,
    Str20,
    Str30,
    Str40,
    Str100,
    Str200,
    Str254,
    Str300,
    Text,
)

from .models import Contact, Customer, Product, SalesTax
from .services import format_unit_price

Day = Annotated[int, Field(ge=1, le=99, description="1〜31、末日は 99(31 も末日として 99 で保存)")]
Months = Annotated[int, Field(ge=0, le=12)]

Honorific = Literal["御中", "様"]
RegistrationStatus = Literal["unknown", "registered", "not_registered"]
HolidayRuleKey = Literal["", "next_business_day", "previous_business_day", "none"]
TaxKey = Literal["S10", "S8R", "S_EXPORT", "S_EXEMPT", "OUT"]
Status = Literal["active", "inactive", "all"]
CustomerSort = Literal["code", "-code", "kana", "-kana", "name", "-name"]
ProductSort = Literal["code", "-code", "name", "-name", "price", "-price"]


def _decimal_text(value: Any) -> Any:
    """A number sent as JSON number or string stays text for the service, which refuses with a
    message on the field (a JSON float is read through its shortest decimal form, never as binary)."""
    if isinstance(value, bool):
        raise ValueError("数値で入力してください。")
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


Amount = Annotated[
    str,
    BeforeValidator(_decimal_text),
    StringConstraints(max_length=40),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string"}], "description": "円単位の整数"}),
]
Price = Annotated[
    str,
    BeforeValidator(_decimal_text),
    StringConstraints(max_length=40),
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string"}], "description": "単価(小数点以下4桁まで)"}
    ),
]


# ------------------------------------------------------------------ contacts
class ContactOut(Schema):
    id: int = Field(description="担当者ID")
    name: str = Field(description="氏名")
    department: str = Field(description="部署")
    email: str = Field(description="メール")
    phone: str = Field(description="電話番号")

    @classmethod
    def of(cls, c: Contact) -> ContactOut:
        return cls(id=c.pk, name=c.name, department=c.department, email=c.email, phone=c.phone)


class ContactIn(Input):
    name: Str100 = Field(description="氏名")
    department: Str100 = Field("", description="部署")
    email: Str254 = Field("", description="メール")
    phone: Str30 = Field("", description="電話番号(0から始まる10〜11桁)")


# ------------------------------------------------------------------ customers
class CustomerFilters(PageParams):
    q: Str100 = Field(
        "",
        description="コード・名称・フリガナ・法人番号・登録番号の部分一致(空白区切りで AND。全角/半角、"
        "ひらがな/カタカナ、株式会社・(株) の有無を区別しない)",
    )
    status: Status = Field("active", description="active: 取引中、inactive: 取引停止、all: すべて")
    registration: RegistrationStatus | None = Field(
        None, description="インボイス登録: unknown 未確認、registered 登録あり、not_registered 登録なし"
    )
    sort: CustomerSort = Field("code", description="並び順: code、kana(フリガナ)、name。先頭に - で降順")


class TermsOut(Schema):
    label: str = Field(description="支払条件(例: 月末締め翌月末払い)")
    example_invoice_date: date = Field(description="例の請求日(今日)")
    example_due_date: date = Field(description="その日に請求したときの支払期日(休日の扱いを適用)")
    holiday_rule: str = Field(description="適用した休日の扱い")


class CustomerOut(Schema):
    id: int = Field(description="得意先ID")
    code: str = Field(description="得意先コード")
    name: str = Field(description="名称")
    name_kana: str = Field(description="フリガナ")
    honorific: str = Field(description="敬称: 御中 / 様")
    corporate_number: str = Field(description="法人番号(13桁)")
    registration_number: str = Field(description="インボイス登録番号(T + 13桁)")
    registration_status: str = Field(description="インボイス登録: unknown / registered / not_registered")
    registration_date: date | None = Field(description="登録日")
    postal_code: str = Field(description="郵便番号(123-4567)")
    address: str = Field(description="住所")
    address2: str = Field(description="建物名など")
    phone: str = Field(description="電話番号")
    email: str = Field(description="請求書送付先メール")
    closing_day: int = Field(description="締め日(99 = 末日)")
    payment_months_after: int = Field(description="支払月(0 = 当月、1 = 翌月 …)")
    payment_day: int = Field(description="支払日(99 = 末日)")
    holiday_rule: str = Field(description="支払期日が休日のとき(空 = 会社の設定)")
    terms_label: str = Field(description="支払条件(例: 月末締め翌月末払い)")
    credit_limit: int | None = Field(description="与信限度額(円)。null は設定なし")
    is_active: bool = Field(description="取引中")
    notes: str = Field(description="メモ")
    contacts: list[ContactOut] = Field(description="担当者")
    created_at: datetime = Field(description="登録日時")
    updated_at: datetime = Field(description="更新日時")

    @classmethod
    def of(cls, c: Customer, contacts: list[Contact]) -> CustomerOut:
        from .rules import terms_label

        return cls(
            id=c.pk,
            code=c.code,
            name=c.name,
            name_kana=c.name_kana,
            honorific=c.honorific,
            corporate_number=c.corporate_number,
            registration_number=c.registration_number,
            registration_status=c.registration_status,
            registration_date=c.registration_date,
            postal_code=c.postal_code,
            address=c.address,
            address2=c.address2,
            phone=c.phone,
            email=c.email,
            closing_day=c.closing_day,
            payment_months_after=c.payment_months_after,
            payment_day=c.payment_day,
            holiday_rule=c.holiday_rule,
            terms_label=terms_label(
                closing_day=c.closing_day, months_after=c.payment_months_after, pay_day=c.payment_day
            ),
            credit_limit=None if c.credit_limit is None else int(c.credit_limit),
            is_active=c.is_active,
            notes=c.notes,
            contacts=[ContactOut.of(p) for p in contacts],
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class CustomerDetail(CustomerOut):
    terms: TermsOut | None = Field(description="支払条件と、今日請求したときの支払期日の例")


class CustomerPage(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    items: list[CustomerOut]


class _CustomerFields(Input):
    allow_similar_name: bool = Field(
        False,
        description="同じ名称(株式会社・(株)・空白・全角半角の違いを除いて同じ)の得意先があっても登録する。"
        "false のとき、そのような得意先があれば 400(code: similar_name)",
    )


class CustomerCreate(_CustomerFields):
    code: Str40 = Field(description="得意先コード(社内で一意。半角英数字と - _ . /)")
    name: Str200 = Field(description="名称")
    name_kana: Str200 = Field("", description="フリガナ(ひらがな・半角カナはカタカナにします)")
    honorific: Honorific = Field("御中", description="敬称")
    corporate_number: Str30 = Field("", description="法人番号(13桁。全角・ハイフン入りも可)")
    registration_number: Str30 = Field(
        "", description="インボイス登録番号(T + 13桁)。法人番号があるときは T + 法人番号であること"
    )
    registration_status: RegistrationStatus = Field(
        "unknown", description="インボイス登録。登録番号があり unknown のときは registered になります"
    )
    registration_date: date | None = Field(None, description="登録日(2023-10-01 以降)")
    postal_code: Str20 = Field("", description="郵便番号(〒１００－０００１ のような入力も可)")
    address: Str300 = Field("", description="住所")
    address2: Str200 = Field("", description="建物名など")
    phone: Str30 = Field("", description="電話番号")
    email: Str254 = Field("", description="請求書送付先メール")
    closing_day: Day = Field(99, description="締め日(1〜31、末日は 99)")
    payment_months_after: Months = Field(1, description="支払月(0 = 当月、1 = 翌月 … 12)")
    payment_day: Day = Field(99, description="支払日(1〜31、末日は 99)")
    holiday_rule: HolidayRuleKey = Field("", description="支払期日が休日のとき(空 = 会社の設定)")
    credit_limit: Amount | None = Field(None, description="与信限度額(円、0 以上)。null は設定なし")
    notes: Text = Field("", description="メモ")


class CustomerUpdate(_CustomerFields):
    """送った項目だけを変更します。"""

    code: Str40 = Field(UNSET, description="得意先コード")
    name: Str200 = Field(UNSET, description="名称")
    name_kana: Str200 = Field(UNSET, description="フリガナ")
    honorific: Honorific = Field(UNSET, description="敬称")
    corporate_number: Str30 = Field(UNSET, description="法人番号(空文字で削除)")
    registration_number: Str30 = Field(UNSET, description="インボイス登録番号(空文字で削除)")
    registration_status: RegistrationStatus = Field(UNSET, description="インボイス登録")
    registration_date: date | None = Field(None, description="登録日(null で削除)")
    postal_code: Str20 = Field(UNSET, description="郵便番号")
    address: Str300 = Field(UNSET, description="住所")
    address2: Str200 = Field(UNSET, description="建物名など")
    phone: Str30 = Field(UNSET, description="電話番号")
    email: Str254 = Field(UNSET, description="請求書送付先メール")
    closing_day: Day = Field(UNSET, description="締め日")
    payment_months_after: Months = Field(UNSET, description="支払月")
    payment_day: Day = Field(UNSET, description="支払日")
    holiday_rule: HolidayRuleKey = Field(UNSET, description="支払期日が休日のとき")
    credit_limit: Amount | None = Field(None, description="与信限度額(null で設定なし)")
    notes: Text = Field(UNSET, description="メモ")


# ------------------------------------------------------------------ products
class ProductFilters(PageParams):
    q: Str100 = Field("", description="品目コード・品名の部分一致(空白区切りで AND。全角/半角を区別しない)")
    status: Status = Field("active", description="active: 使用中、inactive: 使用停止、all: すべて")
    tax: TaxKey | None = Field(None, description="税区分")
    sort: ProductSort = Field("code", description="並び順: code、name、price。先頭に - で降順")


class ProductOut(Schema):
    id: int = Field(description="品目ID")
    code: str = Field(description="品目コード")
    name: str = Field(description="品名")
    unit: str = Field(description="単位")
    unit_price: str = Field(description='単価(10進数の文字列、末尾の 0 なし。例: "1234.5")')
    tax: str = Field(description="税区分: S10、S8R(軽減)、S_EXPORT、S_EXEMPT、OUT")
    is_reduced_rate: bool = Field(description="軽減税率対象(請求書に ※ を付ける)")
    is_active: bool = Field(description="使用中")
    created_at: datetime = Field(description="登録日時")
    updated_at: datetime = Field(description="更新日時")

    @classmethod
    def of(cls, p: Product) -> ProductOut:
        return cls(
            id=p.pk,
            code=p.code,
            name=p.name,
            unit=p.unit,
            unit_price=format_unit_price(p.unit_price).replace(",", ""),
            tax=p.tax,
            is_reduced_rate=p.tax == SalesTax.S8R,
            is_active=p.is_active,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class ProductPage(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    items: list[ProductOut]


class ProductCreate(Input):
    code: Str40 = Field(description="品目コード(社内で一意。半角英数字と - _ . /)")
    name: Str200 = Field(description="品名")
    unit: Str10 = Field("個", description="単位")
    unit_price: Price = Field("0", description="単価(0 以上、小数点以下4桁まで)")
    tax: TaxKey = Field("S10", description="税区分")


class ProductUpdate(Input):
    """送った項目だけを変更します。"""

    code: Str40 = Field(UNSET, description="品目コード")
    name: Str200 = Field(UNSET, description="品名")
    unit: Str10 = Field(UNSET, description="単位")
    unit_price: Price = Field(UNSET, description="単価")
    tax: TaxKey = Field(UNSET, description="税区分")
