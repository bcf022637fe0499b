"""社会保険料 and 雇用保険料 (jp-rules §2): 標準報酬月額の等級, the month's premiums and the bonus
premiums of 健康保険 (介護保険 included) — 協会けんぽ by 都道府県, or a 健康保険組合 at its own rates
(``insurer=UnionRates(...)``) — 子ども・子育て支援金 and 厚生年金, and the worker's 雇用保険料.

Rates and grade tables are the dated files ``data/insurance_*.json``; each calculation picks the
file that covers its anchor date (the insurance month, the date a grade applies from, the wage
closing date) and refuses a date no file covers. Every amount is exact Decimal arithmetic until
the one rounding the law names.

Rounding decisions (jp-rules §2.3):

- Employee share: the exact premium ÷ 2, 50銭以下切捨て・50銭超切上げ (``Rounding.HALF_DOWN``),
  the rule for a share deducted from pay.
- Employer share: the exact premium, 円未満切捨て, minus the employee share. The company really
  pays the 納入告知書 amount, which is the company-wide total with its own 円未満切捨て, so the
  employer figure here is a per-head estimate to reconcile against the notice, not a rule of law.
- 健康保険 and 介護保険 are one combined rate (the 額表's 介護込み column, e.g. 東京 11.47%).
- 子ども・子育て支援金 is rounded on its own, apart from 健康保険. jp-rules marks "separately or
  with 健保" Unverified; the 協会けんぽ 額表 prints it as its own column with its own half, and
  the difference is at most 1円 either way.

健康保険組合 (``insurer``, :class:`UnionRates`): the union fixes its 一般保険料率 within 1000分の30〜130
(健康保険法160条13項) and its 介護保険料率 (同条, from its 介護納付金), and its 規約 may put less
than half on the insured (健康保険法162条: 負担割合の特例). So for a union:

- 健康保険 (with 介護 when it applies, at the union's combined rate, as for 協会けんぽ): the
  employee share is 標準報酬 × the union's employee rate, 50銭以下切捨て・50銭超切上げ; the
  employer share keeps this module's convention — the exact premium at the union's total rate,
  円未満切捨て, less the employee share. That is 標準報酬 × (total − employee rate) but for the
  two roundings (less than 1.5円 under, 0.5円 over), and employee + employer is the premium 円未満切捨て
  (the share is clipped at 0 in the one case it could go below: the employee bearing all or nearly
  all of it, less than 50銭 left to the employer, and the 50銭 rule rounding the employee's up).
- 厚生年金 and 子ども・子育て拠出金 are national (厚生年金保険法81条4項, 子ども・子育て支援法69条),
  whoever the 健康保険 insurer.
- 子ども・子育て支援金: each insurer levies it with its 健康保険料 (子ども・子育て支援法, 令和6年
  改正), but jp-rules gives only the national 0.23% (令和8年度) and no union rates; we keep the
  national rate and its 折半 for unions as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ennoshita.core.money import Rounding, round_yen

DATA_DIR = Path(__file__).with_name("data")

# 子ども・子育て支援金 is collected from the premium for 2026年4月分 (子ども・子育て支援法, 令和6年法律
# 第47号による改正; こども家庭庁). Before that month there is none: 0, not a missing table.
CHILD_SUPPORT_FIRST_MONTH = date(2026, 4, 1)
# 健康保険法45条1項・厚生年金保険法24条の4第1項: 標準賞与額 = 賞与額の1,000円未満切捨て.
STANDARD_BONUS_UNIT = 1000
# 介護保険法9条2号: 第2号被保険者 = 40歳以上65歳未満の医療保険加入者.
CARE_FROM_AGE = 40
CARE_UNTIL_AGE = 65
# 雇用保険率の事業の区分 (労働保険徴収法12条4項・5項).
BUSINESSES = ("一般", "農林水産・清酒製造", "建設")

_WHAT = {
    "health_grades": "健康保険の標準報酬月額等級表",
    "pension_grades": "厚生年金保険の標準報酬月額等級表",
    "kyoukai_rates": "協会けんぽの健康保険料率・介護保険料率",
    "child_support_rates": "子ども・子育て支援金率",
    "pension_rate": "厚生年金保険料率",
    "child_contribution_rate": "子ども・子育て拠出金率",
    "employment_rates": "雇用保険料率",
}


@dataclass(frozen=True)
class Grade:
    health_grade: int
    health_standard: int
    pension_grade: int
    pension_standard: int


@dataclass(frozen=True)
class UnionRates:
    """A 健康保険組合's own rates, per 1,000 of the 標準報酬 (e.g. ``Decimal("90")`` = 9.0%): the total
    and the insured's part of the 一般保険料率 (健康保険法160条13項・162条) and of the 介護保険料率 for
    第2号被保険者 (同条). The employer bears the rest. ``name`` only labels the steps."""

    health_rate: Decimal
    health_employee_rate: Decimal
    care_rate: Decimal
    care_employee_rate: Decimal
    name: str = ""


@dataclass(frozen=True)
class UnionRateSchedule:
    """A 健康保険組合's rates over time: (first insurance month, rates), oldest first. A premium takes
    the rates of the month it belongs to (the 保険料の対象月, not the pay date)."""

    versions: tuple[tuple[date, UnionRates], ...]

    def at(self, month: date) -> UnionRates:
        found: UnionRates | None = None
        for start, rates in self.versions:
            if start <= month:
                found = rates
        if found is None:
            raise ValueError(f"健康保険組合の{month.year}年{month.month}月分の料率が登録されていません")
        return found


@dataclass(frozen=True)
class Premiums:
    """A month's (or a bonus's) premiums in yen. ``health`` is 健康保険 with 介護保険 included when
    ``care_applies``; the employee fields are what is deducted from pay, the ``employer_*`` fields
    the company's estimated share. ``employer_child_contribution`` (子ども・子育て拠出金) is the
    employer's alone. ``standard_bonus`` is the 標準賞与額 before the caps (bonus only)."""

    health: int
    care_applies: bool
    child_support: int
    pension: int
    employer_health: int
    employer_child_support: int
    employer_pension: int
    employer_child_contribution: int = 0
    standard_bonus: int = 0


# --- dated data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedTable:
    file: str
    kind: str
    effective_from: date
    effective_to: date | None
    data: dict[str, Any]

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def label(self) -> str:
        return f"{self.data['title']} ({self.file})"


@cache
def _all_tables() -> dict[str, tuple[DatedTable, ...]]:
    groups: dict[str, list[DatedTable]] = {}
    for path in sorted(DATA_DIR.glob("insurance_*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        table = DatedTable(
            file=path.name,
            kind=raw["kind"],
            effective_from=date.fromisoformat(raw["effective_from"]),
            effective_to=date.fromisoformat(raw["effective_to"]) if raw["effective_to"] else None,
            data=raw,
        )
        groups.setdefault(table.kind, []).append(table)
    return {kind: tuple(sorted(tables, key=lambda t: t.effective_from)) for kind, tables in groups.items()}


def dated_tables(kind: str) -> tuple[DatedTable, ...]:
    """Every loaded table of one kind, oldest first (for tests and the data page)."""
    return _all_tables().get(kind, ())


def _pick(kind: str, on: date, when: str) -> DatedTable:
    found = [t for t in dated_tables(kind) if t.covers(on)]
    if not found:
        raise ValueError(f"{when}に適用する{_WHAT[kind]}が登録されていません(ennoshita/payroll/rules/data)。")
    if len(found) > 1:
        raise RuntimeError(f"{when}に{_WHAT[kind]}が2つ以上あります: {[t.file for t in found]}")
    return found[0]


# --- arguments -----------------------------------------------------------------------------------


def _yen_arg(name: str, value: object) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: 0以上の整数(円)で入れてください。")
    return value


def _date_arg(name: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(f"{name}: 日付(datetime.date)で入れてください。")
    return value


def _month_arg(name: str, value: object) -> date:
    return _date_arg(name, value).replace(day=1)


def _month_label(month: date) -> str:
    return f"{month.year}年{month.month}月分"


def _day_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _prefecture(value: object, rates: dict[str, str]) -> str:
    """ "東京都" (or "東京"); 協会けんぽ's rate is per 都道府県支部 (健康保険法160条)."""
    text = value.strip() if isinstance(value, str) else ""
    for name in rates:
        if text in (name, name if name == "北海道" else name[:-1]):
            return name
    raise ValueError(f"prefecture: 「{value}」は都道府県名ではありません。「東京都」のように入れてください。")


def _rate_arg(name: str, value: object) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1000:
        raise ValueError(f"insurer.{name}: 0以上1000以下の1000分率(Decimal)で入れてください。")
    return value


def _insurer_arg(value: object) -> UnionRates | None:
    """None (協会けんぽ) or a checked :class:`UnionRates`: each rate a per-1,000 Decimal, the insured's
    part at most the total (健康保険法162条 lets the 規約 lower the insured's part, never raise it
    above the whole)."""
    if value is None:
        return None
    if not isinstance(value, UnionRates):
        raise ValueError("insurer: 協会けんぽなら None、健康保険組合なら UnionRates を入れてください。")
    rates = {
        name: _rate_arg(name, getattr(value, name))
        for name in ("health_rate", "health_employee_rate", "care_rate", "care_employee_rate")
    }
    if rates["health_employee_rate"] > rates["health_rate"]:
        raise ValueError("insurer: 健康保険料率の被保険者負担分が合計の率を超えています。")
    if rates["care_employee_rate"] > rates["care_rate"]:
        raise ValueError("insurer: 介護保険料率の被保険者負担分が合計の率を超えています。")
    return UnionRates(**rates, name=value.name)


def _row(rows: list[dict[str, Any]], amount: int) -> dict[str, Any]:
    for row in rows:
        if row["from"] <= amount and (row["below"] is None or amount < row["below"]):
            return row
    raise RuntimeError(f"等級表に{amount}円の行がありません")  # the rows are contiguous from 0


# --- 標準報酬月額 ------------------------------------------------------------------------------------


def standard_remuneration(*, monthly_remuneration: int | Decimal, on: date) -> Grade:
    """The 標準報酬月額 grades for a 報酬月額 (健康保険法40条1項 50等級, 厚生年金保険法20条1項 32等級;
    33等級 from 2027-09-01), by the tables in force on ``on`` (the first day the grade applies)."""
    amount = _yen_arg("monthly_remuneration", monthly_remuneration)
    day = _date_arg("on", on)
    health = _row(_pick("health_grades", day, _day_label(day)).data["rows"], amount)
    # 厚年: 第1級 covers every 報酬月額 below 93,000, the top grade every amount above its lower bound.
    pension = _row(_pick("pension_grades", day, _day_label(day)).data["rows"], amount)
    return Grade(
        health_grade=health["grade"],
        health_standard=health["standard"],
        pension_grade=pension["grade"],
        pension_standard=pension["standard"],
    )


# --- premiums ----------------------------------------------------------------------------------------


def _shares(total: Decimal, employee_exact: Decimal | None = None) -> tuple[int, int]:
    # 健康保険法161条1項・167条1項, 厚生年金保険法82条1項・84条1項: the employee's half is deducted
    # from pay, its 1円未満 50銭以下切捨て・50銭超切上げ (日本年金機構・協会けんぽ 保険料額表の注記,
    # jp-rules §2.3; paid in cash it would be 50銭未満切捨て under 通貨の単位及び貨幣の発行等に関する
    # 法律3条, and a 特約 may override). Exact Decimal: 5,065.5 stays 5,065.5. A 健康保険組合 with a
    # 負担割合の特例 (健康保険法162条) passes the insured's exact part instead of the half.
    exact = total / 2 if employee_exact is None else employee_exact
    employee = int(round_yen(exact, Rounding.HALF_DOWN))
    # Employer: the exact premium (円未満切捨て) less the employee share. The real employer share is
    # what reconciles to the 納入告知書 (company total, 円未満切捨て), not a per-head rule. Never
    # below 0 (only an insured bearing the whole premium, rounded up by the 50銭 rule, could get there).
    return employee, max(int(round_yen(total, Rounding.TRUNCATE)) - employee, 0)


def _age_reached(birth: date, age: int) -> date:
    """The day one reaches ``age``: the day before the birthday (年齢計算ニ関スル法律, 民法143条).
    A 29 February birthday falls on 1 March in a common year, so the age is reached on 28 February."""
    try:
        birthday = birth.replace(year=birth.year + age)
    except ValueError:
        birthday = date(birth.year + age, 3, 1)
    return birthday - timedelta(days=1)


def care_months(birth_date: date) -> tuple[date, date]:
    """(first month with 介護保険料, first month without it again). 介護保険法9条・10条: 第2号被保険者
    (40歳以上65歳未満) from the day the 40th year is reached; 健康保険法156条1項・2項: 介護保険料 from
    the month containing that day, none from the month in which the 65th year is reached."""
    start = _age_reached(birth_date, CARE_FROM_AGE)
    end = _age_reached(birth_date, CARE_UNTIL_AGE)
    return start.replace(day=1), end.replace(day=1)


@dataclass(frozen=True)
class _Calc:
    month: date
    prefecture: str
    kyoukai: DatedTable | None  # None for a 健康保険組合
    union: UnionRates | None
    health_rate: Decimal  # %, as the 協会けんぽ tables give it (a union's per-1,000 ÷ 10)
    care_rate: Decimal
    care_from: date
    care_until: date
    care_applies: bool
    combined_rate: Decimal
    employee_rate: Decimal  # % of the 標準報酬 the insured bears (協会けんぽ: half the combined rate)
    child_table: DatedTable | None
    child_rate: Decimal
    pension_table: DatedTable
    pension_rate: Decimal
    contribution_table: DatedTable
    contribution_rate: Decimal
    health_base: int
    pension_base: int
    health_total: Decimal
    health_employee_total: Decimal  # the insured's exact part of health_total
    child_total: Decimal
    pension_total: Decimal
    contribution_total: Decimal
    premiums: Premiums


def _calculate(
    *,
    health_base: int,
    pension_base: int,
    prefecture: object,
    birth: date,
    month: date,
    standard_bonus: int,
    union: UnionRates | None,
) -> _Calc:
    when = _month_label(month)
    if birth.replace(day=1) > month:
        raise ValueError("birth_date: 保険料の月より後の生年月日です。")
    care_from, care_until = care_months(birth)
    care_applies = care_from <= month < care_until
    kyoukai: DatedTable | None = None
    if union is None:
        kyoukai = _pick("kyoukai_rates", month, when)
        pref = _prefecture(prefecture, kyoukai.data["health_rates"])
        health_rate = Decimal(kyoukai.data["health_rates"][pref])
        care_rate = Decimal(kyoukai.data["care_rate"])
    else:
        # 健康保険法160条: the union's own rates (per 1,000 → %); the 都道府県 plays no part
        pref = prefecture.strip() if isinstance(prefecture, str) else ""
        health_rate = union.health_rate / 10
        care_rate = union.care_rate / 10
    # 健康保険法156条1項1号: 介護保険第2号被保険者 pay 一般保険料 + 介護保険料 at one combined rate.
    combined = health_rate + care_rate if care_applies else health_rate
    if union is None:
        employee_rate = combined / 2  # 健康保険法161条1項: 折半
    else:
        # 健康保険法162条: the union's 規約 sets the insured's part of each rate
        employee_rate = (union.health_employee_rate + (union.care_employee_rate if care_applies else 0)) / 10
    child_table = None if month < CHILD_SUPPORT_FIRST_MONTH else _pick("child_support_rates", month, when)
    child_rate = Decimal(child_table.data["rate"]) if child_table else Decimal(0)
    pension_table = _pick("pension_rate", month, when)
    pension_rate = Decimal(pension_table.data["rate"])  # 厚生年金保険法81条4項: 18.3%
    contribution_table = _pick("child_contribution_rate", month, when)
    contribution_rate = Decimal(contribution_table.data["rate"])  # 子ども・子育て支援法69条・70条

    health_total = health_base * combined / 100
    health_employee_total = health_base * employee_rate / 100
    child_total = health_base * child_rate / 100  # 支援金 is levied on the 健康保険 standard amount
    pension_total = pension_base * pension_rate / 100
    contribution_total = pension_base * contribution_rate / 100  # 拠出金 on the 厚年 standard amount
    health, employer_health = _shares(health_total, health_employee_total)
    child, employer_child = _shares(child_total)  # rounded on its own (module docstring)
    pension, employer_pension = _shares(pension_total)
    premiums = Premiums(
        health=health,
        care_applies=care_applies,
        child_support=child,
        pension=pension,
        employer_health=employer_health,
        employer_child_support=employer_child,
        employer_pension=employer_pension,
        # Employer only, never deducted; 円未満切捨て per head (the 納入告知書 total decides).
        employer_child_contribution=int(round_yen(contribution_total, Rounding.TRUNCATE)),
        standard_bonus=standard_bonus,
    )
    return _Calc(
        month=month,
        prefecture=pref,
        kyoukai=kyoukai,
        union=union,
        health_rate=health_rate,
        care_rate=care_rate,
        care_from=care_from,
        care_until=care_until,
        care_applies=care_applies,
        combined_rate=combined,
        employee_rate=employee_rate,
        child_table=child_table,
        child_rate=child_rate,
        pension_table=pension_table,
        pension_rate=pension_rate,
        contribution_table=contribution_table,
        contribution_rate=contribution_rate,
        health_base=health_base,
        pension_base=pension_base,
        health_total=health_total,
        health_employee_total=health_employee_total,
        child_total=child_total,
        pension_total=pension_total,
        contribution_total=contribution_total,
        premiums=premiums,
    )


def _monthly(
    *, standard_monthly: object, prefecture: object, birth_date: object, month: object, insurer: object = None
) -> _Calc:
    standard = _yen_arg("standard_monthly", standard_monthly)
    union = _insurer_arg(insurer)
    first = _month_arg("month", month)
    birth = _date_arg("birth_date", birth_date)
    rows = _pick("health_grades", first, _month_label(first)).data["rows"]
    if standard not in {row["standard"] for row in rows}:
        raise ValueError(
            f"standard_monthly: {standard:,}円は健康保険の標準報酬月額(等級表の額)ではありません。"
            "報酬月額から standard_remuneration で等級を求めてください。"
        )
    # Each 標準報酬月額 lies inside its own 報酬月額 row, so the 厚年 grade of the 健保 standard
    # amount is the 厚年 standard: 58,000 → 88,000 (第1級), 1,390,000 → 650,000 (第32級).
    pension_rows = _pick("pension_grades", first, _month_label(first)).data["rows"]
    pension_standard = _row(pension_rows, standard)["standard"]
    return _calculate(
        health_base=standard,
        pension_base=pension_standard,
        prefecture=prefecture,
        birth=birth,
        month=first,
        standard_bonus=0,
        union=union,
    )


def social_insurance(
    *,
    standard_monthly: int | Decimal,
    prefecture: str,
    birth_date: date,
    month: date,
    insurer: UnionRates | None = None,
) -> Premiums:
    """The premiums for one insurance month (``month``: any day in it) on a 健康保険 標準報酬月額;
    the 厚生年金 standard follows from it (capped at 厚年's grades). Rates by the insurance month:
    健保/介護 switch with 3月分, 子ども・子育て支援金 starts with 2026年4月分. ``insurer``: None for
    協会けんぽ (the 都道府県's rate), or a 健康保険組合's :class:`UnionRates` (``prefecture`` unused)."""
    return _monthly(
        standard_monthly=standard_monthly,
        prefecture=prefecture,
        birth_date=birth_date,
        month=month,
        insurer=insurer,
    ).premiums


def _fiscal_year(month: date) -> int:
    return month.year if month.month >= 4 else month.year - 1


def _bonus(
    *,
    bonus: object,
    prefecture: object,
    birth_date: object,
    month: object,
    so_far: object,
    insurer: object = None,
) -> tuple[_Calc, int, int, int]:
    amount = _yen_arg("bonus", bonus)
    union = _insurer_arg(insurer)
    previous = _yen_arg("standard_bonus_so_far_this_fiscal_year", so_far)
    first = _month_arg("month", month)
    birth = _date_arg("birth_date", birth_date)
    # 健康保険法45条1項・厚生年金保険法24条の4第1項: 1,000円未満切捨て.
    standard_bonus = amount // STANDARD_BONUS_UNIT * STANDARD_BONUS_UNIT
    # 健康保険法45条1項: the fiscal year's (4月〜翌3月) cumulative 標準賞与額 stops at 573万円; 介護保険料
    # and 支援金 use the same capped amount.
    annual_cap = _pick("health_grades", first, _month_label(first)).data["bonus_annual_cap"]
    remaining = max(0, annual_cap - previous)
    # 厚生年金保険法24条の4第1項: 150万円 per month (pass the month's bonuses together).
    monthly_cap = _pick("pension_grades", first, _month_label(first)).data["bonus_monthly_cap"]
    calc = _calculate(
        health_base=min(standard_bonus, remaining),
        pension_base=min(standard_bonus, monthly_cap),
        prefecture=prefecture,
        birth=birth,
        month=first,
        standard_bonus=standard_bonus,
        union=union,
    )
    return calc, remaining, annual_cap, monthly_cap


def bonus_social_insurance(
    *,
    bonus: int | Decimal,
    prefecture: str,
    birth_date: date,
    month: date,
    standard_bonus_so_far_this_fiscal_year: int | Decimal = 0,
    insurer: UnionRates | None = None,
) -> Premiums:
    """The premiums on a bonus paid in ``month``, at that month's rates. ``standard_bonus_so_far_this
    _fiscal_year`` is the 標準賞与額 already counted since April (its ``standard_bonus`` values
    summed); 健康保険・介護・支援金 use what is left of the 573万円, 厚生年金 at most 150万円.
    ``insurer`` as for :func:`social_insurance` (a union's rates apply to the 標準賞与額 too)."""
    calc, *_ = _bonus(
        bonus=bonus,
        prefecture=prefecture,
        birth_date=birth_date,
        month=month,
        so_far=standard_bonus_so_far_this_fiscal_year,
        insurer=insurer,
    )
    return calc.premiums


# --- 雇用保険 --------------------------------------------------------------------------------------------


def _employment(*, wages: object, business: object, closing_date: object) -> tuple[int, DatedTable, Decimal]:
    amount = _yen_arg("wages", wages)
    closing = _date_arg("closing_date", closing_date)
    if business not in BUSINESSES:
        raise ValueError(
            f"business: 「{business}」ではなく {' / '.join(BUSINESSES)} のいずれかを入れてください。"
        )
    # The 年度's rate applies to wages whose 賃金締切日 falls in it (MHLW 令和8年度の雇用保険料率).
    table = _pick("employment_rates", closing, f"賃金締切日 {_day_label(closing)}")
    return amount, table, Decimal(table.data["rates"][business]["worker"])


def employment_insurance(*, wages: int | Decimal, business: str = "一般", closing_date: date) -> int:
    """The worker's 雇用保険料 on the wages actually paid (賃金総額: commuting allowance, overtime and
    bonuses included; 労働保険徴収法2条2項・11条2項・31条1項), at the rate for the wage closing date."""
    amount, _, rate = _employment(wages=wages, business=business, closing_date=closing_date)
    # 50銭以下切捨て・50銭超切上げ when deducted from pay (jp-rules §2.3, as for 社会保険).
    return int(round_yen(amount * rate / 1000, Rounding.HALF_DOWN))


def prefectures() -> tuple[str, ...]:
    """The 47 都道府県 as the latest 協会けんぽ table lists them (北海道 … 沖縄県), for forms."""
    return tuple(dated_tables("kyoukai_rates")[-1].data["health_rates"])


# --- steps: in insurance_steps, which builds on the calculations above; still importable from here.
# Imported last, once this module's names exist, as insurance_steps imports them (the package
# __init__ always loads this module first).
from ennoshita.payroll.rules.insurance_steps import (  # noqa: E402, F401
    _pct,
    _premium_steps,
    _yen,
    bonus_social_insurance_steps,
    employment_insurance_steps,
    social_insurance_steps,
    standard_remuneration_steps,
)
