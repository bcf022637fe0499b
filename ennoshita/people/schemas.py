"""Request and response shapes of the 人事 API (/api/v1/people/).

Inputs forbid unknown fields (a typo in a PATCH is an error, not a silent no-op) and bound every
string and number, so that nothing a client sends reaches the database unchecked. Normalisation
(全角→半角, ひらがな→カタカナ, 郵便番号 and phone formats) and the business rules stay in
``people.services``; the limits here are the outer fence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import (
    MAX_INT32,
    UNSET,
    Id,
    Input,
    PageParams,
    Str10,
    Str20,
    Str30,
    Str50,
    Str60,
    Str100,
    Str200,
    Str254,
    Str300,
)

from .models import Department, Employee, Placement

Int32 = Annotated[int, Field(ge=-MAX_INT32, le=MAX_INT32)]

Gender = Literal["male", "female", "other", "unanswered"]
AccountType = Literal["", "1", "2", "4"]
TransferReason = Literal["transfer", "promotion", "change"]
EmployeeStatus = Literal["active", "retired", "future", "all"]
EmployeeSort = Literal[
    "number", "-number", "kana", "-kana", "hire_date", "-hire_date", "department", "-department"
]


BANK_FIELDS = (
    "bank_code",
    "bank_branch_code",
    "bank_account_type",
    "bank_account_number",
    "bank_account_holder_kana",
)


# ------------------------------------------------------------------ shared pieces
class Ref(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="コード")
    name: str = Field(description="名称")


# ------------------------------------------------------------------ departments
class DepartmentFilters(PageParams):
    q: Str100 = Field("", description="部署コード・部署名の部分一致(空白区切りで AND)")
    active: bool | None = Field(None, description="true: 有効な部署のみ、false: 無効な部署のみ、省略: すべて")


class DepartmentOut(Schema):
    id: int = Field(description="部署ID")
    code: str = Field(description="部署コード")
    name: str = Field(description="部署名")
    parent_id: int | None = Field(description="上位部署のID(最上位なら null)")
    parent: Ref | None = Field(description="上位部署")
    sort_order: int = Field(description="表示順")
    is_active: bool = Field(description="有効")
    head_id: int | None = Field(None, description="所属長(社員ID)。承認ルートの「所属長」の段階で承認する人")

    @classmethod
    def of(cls, d: Department) -> DepartmentOut:
        parent = d.parent
        return cls(
            id=d.pk,
            code=d.code,
            name=d.name,
            parent_id=d.parent_id,
            parent=Ref(id=parent.pk, code=parent.code, name=parent.name) if parent else None,
            sort_order=d.sort_order,
            is_active=d.is_active,
            head_id=d.head_id,
        )


class DepartmentPage(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    items: list[DepartmentOut]


class DepartmentCreate(Input):
    code: Str20 = Field(description="部署コード(社内で一意)")
    name: Str100 = Field(description="部署名")
    parent_id: Id | None = Field(None, description="上位部署のID(最上位なら省略)")
    sort_order: Int32 = Field(0, description="表示順(小さいほど先)")
    head_id: Id | None = Field(None, description="所属長の社員ID(省略で未設定)")


class DepartmentUpdate(Input):
    """送った項目だけを変更します。"""

    code: Str20 = Field(UNSET, description="部署コード(社内で一意)")
    name: Str100 = Field(UNSET, description="部署名")
    parent_id: Id | None = Field(None, description="上位部署のID(null で最上位へ)")
    sort_order: Int32 = Field(UNSET, description="表示順")
    is_active: bool = Field(UNSET, description="有効。所属する社員がいる部署は無効にできません。")
    head_id: Id | None = Field(None, description="所属長の社員ID(null で未設定)")


# ------------------------------------------------------------------ employees
class EmployeeFilters(PageParams):
    q: Str100 = Field(
        "", description="社員番号・氏名・フリガナ・メールの部分一致(全角/半角・かな/カナを区別しない)"
    )
    department_id: Id | None = Field(None, description="所属部署のID(配下の部署を含む)")
    include_sub_departments: bool = Field(True, description="department_id の配下の部署も含める(既定 true)")
    employment_type_id: Id | None = Field(None, description="雇用形態のID")
    status: EmployeeStatus = Field(
        "active", description="active: 在籍中、retired: 退職済み、future: 入社予定、all: すべて(as_of 時点)"
    )
    as_of: date | None = Field(None, description="基準日(省略時は今日)。所属と在籍状況はこの日で判定します。")
    sort: EmployeeSort = Field(
        "number",
        description="並び順: number(社員番号)、kana(フリガナ)、hire_date(入社日)、department(部署コード)。先頭に - で降順",
    )


class AsOf(Schema):
    as_of: date | None = Field(None, description="所属を判定する基準日(省略時は今日)")


class EmployeeOut(Schema):
    id: int = Field(description="社員ID")
    number: str = Field(description="社員番号")
    family_name: str = Field(description="姓")
    given_name: str = Field(description="名")
    family_name_kana: str = Field(description="姓(フリガナ)")
    given_name_kana: str = Field(description="名(フリガナ)")
    full_name: str = Field(description="氏名")
    full_name_kana: str = Field(description="氏名(フリガナ)")
    birth_date: date | None = Field(description="生年月日")
    gender: str = Field(description="性別: male 男性、female 女性、other その他、unanswered 回答しない")
    hire_date: date = Field(description="入社日")
    retire_date: date | None = Field(description="退職日")
    employment_type: Ref = Field(description="雇用形態")
    department: Ref | None = Field(description="基準日時点の所属部署")
    position: Ref | None = Field(description="基準日時点の役職")
    postal_code: str = Field(description="郵便番号(例: 100-0001)")
    address: str = Field(description="住所")
    phone: str = Field(description="電話番号")
    email: str = Field(description="メールアドレス")
    emergency_contact_name: str = Field(description="緊急連絡先(氏名)")
    emergency_contact_relation: str = Field(description="緊急連絡先(続柄)")
    emergency_contact_phone: str = Field(description="緊急連絡先(電話)")
    bank_code: str | None = Field(description="銀行コード(4桁)。本人・人事・管理者以外には null")
    bank_branch_code: str | None = Field(description="支店コード(3桁)。本人・人事・管理者以外には null")
    bank_account_type: str | None = Field(
        description="預金種目: 1 普通、2 当座、4 貯蓄。本人・人事・管理者以外には null"
    )
    bank_account_number: str | None = Field(description="口座番号(7桁)。本人・人事・管理者以外には null")
    bank_account_holder_kana: str | None = Field(
        description="口座名義(カナ)。本人・人事・管理者以外には null"
    )
    user_id: int | None = Field(description="紐付くログインユーザーのID")
    created_at: datetime = Field(description="作成日時")
    updated_at: datetime = Field(description="更新日時")

    @classmethod
    def of(cls, e: Employee, *, show_bank: bool) -> EmployeeOut:
        """``e`` carries the placement annotations of ``selectors.employee_page``/``employee_as_of``."""
        # the selector's annotations: dept_id, dept_code, dept_name, pos_id, pos_code, position_name
        a = e.__dict__
        dept = Ref(id=a["dept_id"], code=a["dept_code"], name=a["dept_name"]) if a.get("dept_id") else None
        pos = Ref(id=a["pos_id"], code=a["pos_code"], name=a["position_name"]) if a.get("pos_id") else None
        et = e.employment_type
        bank = {key: (getattr(e, key) if show_bank else None) for key in BANK_FIELDS}
        return cls(
            id=e.pk,
            number=e.number,
            family_name=e.family_name,
            given_name=e.given_name,
            family_name_kana=e.family_name_kana,
            given_name_kana=e.given_name_kana,
            full_name=e.full_name,
            full_name_kana=e.full_name_kana,
            birth_date=e.birth_date,
            gender=e.gender,
            hire_date=e.hire_date,
            retire_date=e.retire_date,
            employment_type=Ref(id=et.pk, code=et.code, name=et.name),
            department=dept,
            position=pos,
            postal_code=e.postal_code,
            address=e.address,
            phone=e.phone,
            email=e.email,
            emergency_contact_name=e.emergency_contact_name,
            emergency_contact_relation=e.emergency_contact_relation,
            emergency_contact_phone=e.emergency_contact_phone,
            user_id=e.user_id,
            created_at=e.created_at,
            updated_at=e.updated_at,
            **bank,
        )


class EmployeePage(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    as_of: date = Field(description="所属と在籍状況を判定した基準日")
    items: list[EmployeeOut]


class _EmployeeFields(Input):
    """The editable fields shared by create and update. Strings that the service normalises
    (郵便番号, 電話, 口座) may arrive longer than they are stored (〒１００－０００１)."""

    birth_date: date | None = Field(None, description="生年月日")
    gender: Gender = Field("unanswered", description="性別: male, female, other, unanswered")
    retire_date: date | None = Field(None, description="退職日")
    postal_code: Str20 = Field("", description="郵便番号。〒１００－０００１ のような入力も受け付けます")
    address: Str300 = Field("", description="住所")
    phone: Str30 = Field("", description="電話番号(0から始まる10〜11桁)")
    email: Str254 = Field("", description="メールアドレス")
    emergency_contact_name: Str100 = Field("", description="緊急連絡先(氏名)")
    emergency_contact_relation: Str30 = Field("", description="緊急連絡先(続柄)")
    emergency_contact_phone: Str30 = Field("", description="緊急連絡先(電話)")
    bank_code: Str10 = Field("", description="銀行コード(4桁の数字)")
    bank_branch_code: Str10 = Field("", description="支店コード(3桁の数字)")
    bank_account_type: AccountType = Field("", description="預金種目: 1 普通、2 当座、4 貯蓄")
    bank_account_number: Str20 = Field("", description="口座番号(7桁以内の数字。7桁に0埋めされます)")
    bank_account_holder_kana: Str60 = Field("", description="口座名義(カナ)")
    user_id: Id | None = Field(None, description="紐付けるログインユーザーのID(この会社のメンバーに限る)")


class EmployeeCreate(_EmployeeFields):
    number: Str20 = Field(description="社員番号(社内で一意。全角は半角・大文字に揃えます)")
    family_name: Str50 = Field(description="姓")
    given_name: Str50 = Field(description="名")
    family_name_kana: Str50 = Field(description="姓(フリガナ、カタカナ。ひらがなはカタカナにします)")
    given_name_kana: Str50 = Field(description="名(フリガナ、カタカナ)")
    hire_date: date = Field(description="入社日。最初の配置(入社)の発令日になります")
    employment_type_id: Id = Field(description="雇用形態のID")
    department_id: Id = Field(description="入社時の所属部署のID")
    position_id: Id | None = Field(None, description="入社時の役職のID(なしなら省略)")


class EmployeeUpdate(_EmployeeFields):
    """送った項目だけを変更します。所属・役職の変更は POST /employees/{id}/transfers で行います。"""

    number: Str20 = Field(UNSET, description="社員番号")
    family_name: Str50 = Field(UNSET, description="姓")
    given_name: Str50 = Field(UNSET, description="名")
    family_name_kana: Str50 = Field(UNSET, description="姓(フリガナ)")
    given_name_kana: Str50 = Field(UNSET, description="名(フリガナ)")
    hire_date: date = Field(UNSET, description="入社日(入社時の配置の発令日も動きます)")
    employment_type_id: Id = Field(UNSET, description="雇用形態のID")


# ------------------------------------------------------------------ placements
class PlacementOut(Schema):
    id: int = Field(description="配置ID")
    department: Ref = Field(description="所属部署")
    position: Ref | None = Field(description="役職")
    effective_from: date = Field(description="発令日(この日から有効)")
    reason: str = Field(description="事由: hire 入社、transfer 異動、promotion 昇格、change 変更")
    note: str = Field(description="備考")
    created_at: datetime = Field(description="登録日時")

    @classmethod
    def of(cls, p: Placement) -> PlacementOut:
        d, pos = p.department, p.position
        return cls(
            id=p.pk,
            department=Ref(id=d.pk, code=d.code, name=d.name),
            position=Ref(id=pos.pk, code=pos.code, name=pos.name) if pos else None,
            effective_from=p.effective_from,
            reason=p.reason,
            note=p.note,
            created_at=p.created_at,
        )


class TransferIn(Input):
    department_id: Id = Field(description="異動先の部署のID")
    position_id: Id | None = Field(None, description="異動後の役職のID(なしなら null)")
    effective_from: date = Field(description="発令日(入社日より後。未来の日付なら予定として登録)")
    reason: TransferReason = Field("transfer", description="事由: transfer 異動、promotion 昇格、change 変更")
    note: Str200 = Field("", description="備考")
