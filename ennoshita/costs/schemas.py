"""Response shapes of /api/v1/costs/. Amounts are integers of yen; percentages are strings with one
decimal place ("12.5"), null when there is no base to compare with."""

from __future__ import annotations

from datetime import date as Day

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import MAX_ID, Str10

from . import rules
from .selectors import CategoryRow, Dashboard, DepartmentRow, Drilldown, DrillLine, Flag, PayeeRow

MONTH_PATTERN = r"^(\d{4}-\d{1,2})?$"


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


class DashboardQuery(Schema):
    month: str = Field(
        "", pattern=MONTH_PATTERN, description="月(YYYY-MM、既定: 今月。今月の記帳がまだなければ前月)"
    )
    department_id: int | None = Field(None, ge=0, le=MAX_ID, description="部門ID(0: 部門なし)。省略: すべて")
    months: int = Field(12, ge=1, le=36, description="期間の月数(選んだ月まで、既定 12)")
    payee_months: int = Field(
        1, ge=1, le=36, description="支払先の上位10件を集計する月数(選んだ月まで、既定 1 = 選んだ月だけ)"
    )


class DrilldownQuery(Schema):
    month: str = Field("", pattern=MONTH_PATTERN, description="月(YYYY-MM、既定: 今月)")
    account: Str10 = Field("", description="勘定科目コード(間接経費の科目)。省略: 間接経費のすべての科目")
    department_id: int | None = Field(None, ge=0, le=MAX_ID, description="部門ID(0: 部門なし)。省略: すべて")
    limit: int = Field(500, ge=1, le=5000, description="返す行数の上限(既定 500)")


class ChangeOut(Schema):
    base: int = Field(description="比べる月の金額")
    amount: int = Field(description="増減額(当月 − 比べる月)")
    percent: str | None = Field(description="増減率(%、比べる月の金額の絶対値に対して)。比べる月が0なら null")

    @classmethod
    def of(cls, c: rules.Change) -> ChangeOut:
        return cls(
            base=int(c.base), amount=int(c.amount), percent=None if c.percent is None else str(c.percent)
        )


class CategoryOut(Schema):
    code: str
    name: str
    amounts: list[int] = Field(description="月ごとの金額(税抜、months の順)")
    period_total: int
    current: int = Field(description="選んだ月の金額")
    mom: ChangeOut = Field(description="前月比")
    yoy: ChangeOut = Field(description="前年同月比")
    flagged: bool = Field(description="直近3か月平均から設定の上昇率を超えて増えた")

    @classmethod
    def of(cls, c: CategoryRow) -> CategoryOut:
        return cls(
            code=c.code,
            name=c.name,
            amounts=[int(a) for a in c.amounts],
            period_total=int(c.period_total),
            current=int(c.current),
            mom=ChangeOut.of(c.mom),
            yoy=ChangeOut.of(c.yoy),
            flagged=c.flagged,
        )


class DepartmentOut(Schema):
    department_id: int = Field(description="部門ID(0: 部門なし)")
    code: str
    name: str
    month_amount: int
    period_amount: int
    headcount: int = Field(description="月末に在籍する人数")
    month_per_head: int | None = Field(description="1人あたり(当月)。人数0なら null")
    period_per_head: int | None = Field(description="1人あたり(期間)。人数0なら null")

    @classmethod
    def of(cls, d: DepartmentRow) -> DepartmentOut:
        return cls(
            department_id=d.department_id,
            code=d.code,
            name=d.name,
            month_amount=int(d.month_amount),
            period_amount=int(d.period_amount),
            headcount=d.headcount,
            month_per_head=_int(d.month_per_head),
            period_per_head=_int(d.period_per_head),
        )


class PayeeOut(Schema):
    name: str
    amount: int = Field(description="合計(税込、書類上の金額)")
    bills: int = Field(description="承認済みの仕入先請求書(税込)")
    claims: int = Field(description="承認済みの経費精算の明細(税込)")
    count: int = Field(description="明細の数")

    @classmethod
    def of(cls, p: PayeeRow) -> PayeeOut:
        return cls(name=p.name, amount=int(p.amount), bills=int(p.bills), claims=int(p.claims), count=p.count)


class FlagOut(Schema):
    code: str
    name: str
    current: int
    average: int = Field(description="直近3か月の平均(円、四捨五入)")
    percent: int = Field(description="平均からの上昇率(%、切り捨て)")
    message: str

    @classmethod
    def of(cls, f: Flag) -> FlagOut:
        return cls(
            code=f.code,
            name=f.name,
            current=int(f.current),
            average=int(f.average),
            percent=f.percent,
            message=f.message,
        )


class DashboardOut(Schema):
    month: str = Field(description="選んだ月(YYYY-MM)")
    months: list[str] = Field(description="期間の月(古い順、YYYY-MM)")
    department_id: int | None
    amounts_basis: str = Field("税抜", description="科目・部門の金額は帳簿の税抜金額(借方 − 貸方)")
    payees_basis: str = Field("税込", description="支払先の金額は書類上の税込金額")
    threshold_percent: int
    categories: list[CategoryOut]
    month_totals: list[int]
    month_total: int
    period_total: int
    departments: list[DepartmentOut]
    headcount: int | None = Field(description="月末に在籍する人数(部門なしを選んだときは null)")
    month_per_head: int | None
    period_per_head: int | None
    top_payees: list[PayeeOut]
    payee_months: int = Field(description="top_payees を集計した月数(選んだ月まで)")
    flags: list[FlagOut]

    @classmethod
    def of(cls, b: Dashboard) -> DashboardOut:
        return cls(
            month=b.month.strftime("%Y-%m"),
            amounts_basis="税抜",
            payees_basis="税込",
            months=[m.strftime("%Y-%m") for m in b.months],
            department_id=b.department_id,
            threshold_percent=b.threshold_percent,
            categories=[CategoryOut.of(c) for c in b.categories],
            month_totals=[int(t) for t in b.month_totals],
            month_total=int(b.month_total),
            period_total=int(b.period_total),
            departments=[DepartmentOut.of(d) for d in b.departments],
            headcount=b.headcount,
            month_per_head=_int(b.month_per_head),
            period_per_head=_int(b.period_per_head),
            top_payees=[PayeeOut.of(p) for p in b.top_payees],
            payee_months=b.payee_months,
            flags=[FlagOut.of(f) for f in b.flags],
        )


class DrillLineOut(Schema):
    line_id: int
    entry_id: int
    entry_number: int | None
    date: Day
    account_code: str
    account_name: str
    department_id: int | None
    department_name: str
    memo: str
    debit: int
    credit: int
    amount: int = Field(description="借方 − 貸方")
    source_type: str = Field(description="元の記録の種類(expenses.claim、purchasing.bill など)")
    source_id: str
    source_url: str = Field(description="元の記録(なければ仕訳)の画面。見る権限がなければ空")

    @classmethod
    def of(cls, d: DrillLine) -> DrillLineOut:
        ln = d.line
        return cls(
            line_id=ln.line_id,
            entry_id=ln.entry_id,
            entry_number=ln.entry_number,
            date=ln.date,
            account_code=ln.account_code,
            account_name=ln.account_name,
            department_id=ln.department_id,
            department_name=ln.department_name,
            memo=ln.memo or ln.entry_memo,
            debit=int(ln.debit),
            credit=int(ln.credit),
            amount=int(ln.amount),
            source_type=ln.source_type,
            source_id=ln.source_id,
            source_url=d.source_url,
        )


class DrilldownOut(Schema):
    month: str
    account_code: str | None
    department_id: int | None
    count: int = Field(description="行の数(lines は limit 行まで)")
    debit: int
    credit: int
    total: int = Field(description="借方 − 貸方(ダッシュボードの金額と一致)")
    lines: list[DrillLineOut]

    @classmethod
    def of(cls, d: Drilldown) -> DrilldownOut:
        return cls(
            month=d.month.strftime("%Y-%m"),
            account_code=d.account_code,
            department_id=d.department_id,
            count=d.count,
            debit=int(d.debit),
            credit=int(d.credit),
            total=int(d.total),
            lines=[DrillLineOut.of(x) for x in d.lines],
        )
