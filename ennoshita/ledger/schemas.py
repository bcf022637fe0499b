"""Request and response shapes of the 会計 API (/api/v1/ledger/).

Inputs forbid unknown fields and bound every string and number. Amounts are whole yen: a JSON
integer or a decimal string ("12000", "12,000"); a fraction of a yen is refused here, before any
service runs. Amounts go out as JSON integers. The business rules (balance, 税区分, periods) stay
in ``ledger.services``; the limits here are the outer fence.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from ennoshita.core.api import (  # noqa: F401  (re-exported)
    MAX_INT32,
    UNSET,
    Id,
    Input,
    PageParams,
    Str10,
    Str20,
    Str50,
    Str100,
    Str200,
    Str300,
    UserRef,
    whole_yen_parser,
)

from .chart import SECTIONS, SECTIONS_BY_KEY
from .models import Account, FiscalYear, JournalEntry, JournalLine, PeriodLock, SubAccount, TaxCode

Day = date  # a field called ``date`` would hide the type in its class

# One line at most 1兆円 − 1 and at most MAX_LINES lines, so that an entry's total (税抜 amounts
# grow by their tax) stays inside the 15 digits the book stores.
MAX_LINE_AMOUNT = 10**12 - 1
MAX_LINES = 300


def _section(value: str) -> str:
    if value not in SECTIONS_BY_KEY:
        raise ValueError("区分は次のいずれかを指定してください: " + ", ".join(SECTIONS_BY_KEY))
    return value


SECTION_HELP = "区分: " + "、".join(f"{s.key} {s.label}" for s in SECTIONS)
SectionKey = Annotated[
    str,
    StringConstraints(max_length=40),
    AfterValidator(_section),
    WithJsonSchema({"type": "string", "enum": list(SECTIONS_BY_KEY)}),
]


_whole_yen = whole_yen_parser(minimum=1, maximum=MAX_LINE_AMOUNT)


YenIn = Annotated[
    Decimal,
    BeforeValidator(_whole_yen),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_LINE_AMOUNT},
                {"type": "string", "pattern": r"^[0-9,]+(\.0*)?$"},
            ],
            "description": '金額(円、1以上の整数。文字列の "12,000" も可。1円未満の端数は不可)',
        }
    ),
]


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


# ------------------------------------------------------------------ accounts
class AccountFilters(Schema):
    q: Str100 = Field(
        "",
        description="科目コード・科目名・フリガナの部分一致(空白区切りで AND。全角/半角・ひらがな/カタカナを区別しません)",
    )
    section: SectionKey | None = Field(None, description=SECTION_HELP)
    active: bool | None = Field(
        None, description="true: 使用中の科目のみ、false: 使用停止の科目のみ、省略: すべて"
    )


class AccountOut(Schema):
    id: int = Field(description="勘定科目ID")
    code: str = Field(description="科目コード(仕訳の明細の account に使います)")
    name: str = Field(description="科目名")
    kana: str = Field(description="フリガナ")
    section: str = Field(description=SECTION_HELP)
    section_label: str = Field(description="区分の名称")
    normal_side: str = Field(description="残高の側: debit 借方、credit 貸方")
    is_contra: bool = Field(description="評価勘定(控除科目)")
    default_tax_code: str | None = Field(description="既定の税区分のコード(明細で省略したときに使います)")
    is_active: bool = Field(description="使用中")

    @classmethod
    def of(cls, a: Account) -> AccountOut:
        tax = a.default_tax_code
        return cls(
            id=a.pk,
            code=a.code,
            name=a.name,
            kana=a.kana,
            section=a.section,
            section_label=gettext(SECTIONS_BY_KEY[a.section].label) if a.section in SECTIONS_BY_KEY else "",
            normal_side=a.normal_side,
            is_contra=a.is_contra,
            default_tax_code=tax.key if tax else None,
            is_active=a.is_active,
        )


class AccountCreate(Input):
    code: Str10 = Field(description="科目コード(半角英数字、社内で一意)")
    name: Str100 = Field(description="科目名(社内で一意)")
    kana: Str100 = Field("", description="フリガナ")
    section: SectionKey = Field(description=SECTION_HELP)
    default_tax_code: Str20 | None = Field(None, description="既定の税区分のコード(GET /tax-codes の key)")


class AccountUpdate(Input):
    """送った項目だけを変更します。科目コードは変えられません(API の仕訳は科目コードで科目を指すため)。"""

    name: Str100 = Field(UNSET, description="科目名")
    kana: Str100 = Field(UNSET, description="フリガナ")
    section: SectionKey = Field(
        UNSET, description=SECTION_HELP + "。仕訳で使われた科目の区分は変えられません"
    )
    default_tax_code: Str20 | None = Field(None, description="既定の税区分のコード(null で既定なし)")
    is_active: bool = Field(UNSET, description="使用中(false で使用停止。科目は削除できません)")


class SubAccountOut(Schema):
    id: int = Field(description="補助科目ID")
    code: str = Field(description="補助コード(仕訳の明細の sub_account_code に使います)")
    name: str = Field(description="補助科目名")
    kana: str = Field(description="フリガナ")
    is_active: bool = Field(description="使用中")

    @classmethod
    def of(cls, s: SubAccount) -> SubAccountOut:
        return cls(id=s.pk, code=s.code, name=s.name, kana=s.kana, is_active=s.is_active)


# ------------------------------------------------------------------ tax codes
class TaxCodeOut(Schema):
    key: str = Field(description="税区分のコード(仕訳の明細の tax_code に使います)")
    label: str = Field(description="名称")
    kind: str = Field(
        description="種類: out_of_scope 不課税、taxable_sales 課税売上、export_sales 輸出免税売上、"
        "exempt_sales 非課税売上、taxable_purchase 課税仕入、exempt_purchase 非課税仕入"
    )
    rate: Decimal = Field(description="税率(%)")
    qualified: bool = Field(description="適格請求書あり(false は経過措置の控除割合で仮払消費税等を計上)")
    valid_from: date | None = Field(description="適用開始日")
    valid_to: date | None = Field(description="適用終了日")
    is_active: bool = Field(description="使用中")

    @classmethod
    def of(cls, t: TaxCode) -> TaxCodeOut:
        return cls(
            key=t.key,
            label=t.label,
            kind=t.kind,
            rate=t.rate,
            qualified=t.qualified,
            valid_from=t.valid_from,
            valid_to=t.valid_to,
            is_active=t.is_active,
        )


# ------------------------------------------------------------------ fiscal years, month locks
class FiscalYearOut(Schema):
    id: int = Field(description="会計年度ID")
    year: int = Field(description="年度(期首の年)")
    start: date = Field(description="期首")
    end: date = Field(description="期末")
    status: str = Field(description="状態: open 記帳中、closed 締め済み")

    @classmethod
    def of(cls, y: FiscalYear) -> FiscalYearOut:
        return cls(id=y.pk, year=y.year, start=y.start, end=y.end, status=y.status)


class ReasonIn(Input):
    reason: Str300 = Field(description="解除の理由(必須。監査ログに残ります)")


class LockIn(Input):
    month: date = Field(description="締める月(その月の任意の日。例: 2026-10-01)")
    reason: Str300 = Field("", description="メモ")


class UnlockIn(Input):
    month: date = Field(description="締めを解除する月(その月の任意の日)")
    reason: Str300 = Field(description="解除の理由(必須。監査ログに残ります)")


class PeriodLockOut(Schema):
    month: date = Field(description="月(1日)")
    locked: bool = Field(description="締め済み")
    reason: str = Field(description="最後に締めた・解除したときの理由")
    changed_by: UserRef | None = Field(description="最後に変更した人")
    changed_at: datetime = Field(description="最後の変更日時")

    @classmethod
    def of(cls, p: PeriodLock) -> PeriodLockOut:
        user = p.changed_by
        return cls(
            month=p.month,
            locked=p.locked,
            reason=p.reason,
            changed_by=UserRef(id=user.pk, name=user.display_name()) if user else None,
            changed_at=p.changed_at,
        )


# ------------------------------------------------------------------ entries
EntryKindIn = Literal["transfer", "receipt", "payment", "opening"]
KIND_HELP = "伝票の種類: transfer 振替伝票、receipt 入金伝票、payment 出金伝票、opening 開始仕訳"


class LineIn(Input):
    account: Str10 = Field(description="勘定科目の科目コード(GET /accounts の code)")
    side: Literal["debit", "credit"] = Field(description="debit 借方、credit 貸方")
    amount: YenIn
    tax_code: Str20 | None = Field(
        None,
        description="税区分のコード。省略すると科目の既定の税区分、null なら税区分なし。"
        "課税の税区分なら仮払消費税等・仮受消費税等の行が自動で作られます",
    )
    tax_included: bool | None = Field(
        None, description="金額が税込か(省略時は会社の設定。課税の税区分のときだけ意味があります)"
    )
    department_id: Id | None = Field(None, description="部門(部署)のID")
    sub_account_code: Str10 | None = Field(None, description="補助科目の補助コード(その勘定科目の補助科目)")
    memo: Str200 = Field("", description="摘要")


class EntryIn(Input):
    date: Day = Field(description="日付(締められていない月、記帳中の会計年度の中)")
    memo: Str200 = Field("", description="摘要")
    kind: EntryKindIn = Field("transfer", description=KIND_HELP)
    lines: list[LineIn] = Field(max_length=MAX_LINES, description=f"明細({MAX_LINES}行まで)")


class EntryCreate(EntryIn):
    post: bool = Field(
        False, description="true: 記帳する(伝票番号が付き、以後変更できません)、false: 下書きとして保存"
    )


class ReverseIn(Input):
    date: Day = Field(description="反対仕訳の日付")
    memo: Str200 = Field("", description="摘要(省略時は「取消: 元の仕訳 摘要」)")


class EntryFilters(PageParams):
    status: Literal["draft", "posted"] | None = Field(
        None, description="draft 下書き、posted 記帳済み、省略: すべて"
    )
    date_from: date | None = Field(None, description="日付がこの日以降")
    date_to: date | None = Field(None, description="日付がこの日以前")
    account: Str10 = Field("", description="この科目コードの明細を含む仕訳だけ")
    q: Str100 = Field("", description="摘要の部分一致(空白区切りで AND)")
    source_type: Str50 = Field("", description="元の記録の種類(例: sales.invoice)")
    source_id: Str50 = Field("", description="元の記録のID")
    sort: Literal["date", "-date"] = Field("date", description="date: 日付の古い順(既定)、-date: 新しい順")


class CodeName(Schema):
    code: str = Field(description="コード")
    name: str = Field(description="名称")


class LineOut(Schema):
    line_no: int = Field(description="行番号(1から)")
    account: CodeName = Field(description="勘定科目")
    sub_account: CodeName | None = Field(description="補助科目")
    department_id: int | None = Field(description="部門(部署)のID")
    debit: int = Field(description="借方金額(円)")
    credit: int = Field(description="貸方金額(円)")
    tax_code: str | None = Field(description="税区分のコード")
    tax_base: int | None = Field(description="税抜金額(課税標準、円)")
    tax_amount: int | None = Field(description="消費税額(円)")
    tax_for: int | None = Field(description="自動で作られた税額の行なら、その元の行の行番号")
    memo: str = Field(description="摘要")

    @classmethod
    def of(cls, ln: JournalLine, line_nos: dict[int, int]) -> LineOut:
        sub = ln.sub_account
        return cls(
            line_no=ln.line_no,
            account=CodeName(code=ln.account.code, name=ln.account.name),
            sub_account=CodeName(code=sub.code, name=sub.name) if sub else None,
            department_id=ln.department_id,
            debit=int(ln.debit),
            credit=int(ln.credit),
            tax_code=ln.tax_code.key if ln.tax_code else None,
            tax_base=_int(ln.tax_base),
            tax_amount=_int(ln.tax_amount),
            tax_for=line_nos.get(ln.tax_for_id) if ln.tax_for_id else None,
            memo=ln.memo,
        )


class EntryOut(Schema):
    id: int = Field(description="仕訳ID")
    number: int | None = Field(description="伝票番号(年度ごとの連番。下書きは null)")
    fiscal_year: int = Field(description="会計年度(期首の年)")
    date: Day = Field(description="日付")
    kind: str = Field(description=KIND_HELP + "、reversal 反対仕訳")
    status: str = Field(description="状態: draft 下書き、posted 記帳済み")
    memo: str = Field(description="摘要")
    total: int = Field(description="金額(借方合計、円)")
    source_type: str = Field(description="元の記録の種類(他の機能が記帳した仕訳。手入力なら空)")
    source_id: str = Field(description="元の記録のID")
    source_repr: str = Field(description="元の記録の表示名")
    reversal_of_id: int | None = Field(description="反対仕訳なら、取り消した仕訳のID")
    reversed_by_id: int | None = Field(description="取り消されていれば、その反対仕訳のID")
    created_at: datetime = Field(description="作成日時")
    posted_at: datetime | None = Field(description="記帳日時")

    @classmethod
    def fields_of(cls, e: JournalEntry) -> dict[str, Any]:
        """``e`` comes from ``api_selectors`` (fiscal year joined, ``reversed_by_pk`` annotated)."""
        return {
            "id": e.pk,
            "number": e.number,
            "fiscal_year": e.fiscal_year.year,
            "date": e.date,
            "kind": e.kind,
            "status": e.status,
            "memo": e.memo,
            "total": int(e.total),
            "source_type": e.source_type,
            "source_id": e.source_id,
            "source_repr": e.source_repr,
            "reversal_of_id": e.reversal_of_id,
            "reversed_by_id": e.__dict__.get("reversed_by_pk"),
            "created_at": e.created_at,
            "posted_at": e.posted_at,
        }

    @classmethod
    def of(cls, e: JournalEntry) -> EntryOut:
        return cls(**cls.fields_of(e))


class EntryDetail(EntryOut):
    lines: list[LineOut] = Field(description="明細(行番号順。課税の行の次にその税額の行)")

    @classmethod
    def of(cls, e: JournalEntry) -> EntryDetail:
        lines: list[JournalLine] = e.__dict__["api_lines"]
        line_nos = {ln.pk: ln.line_no for ln in lines}
        return cls(**EntryOut.fields_of(e), lines=[LineOut.of(ln, line_nos) for ln in lines])


class EntryPage(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    items: list[EntryOut]
