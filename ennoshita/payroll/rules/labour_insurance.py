"""労働保険 年度更新 (jp-rules §18): the 確定保険料 of the past 保険年度, the 概算保険料 of the new one,
the 一般拠出金, the settlement of the two (充当 or 不足) and the 延納 installments with their due
dates. Pure functions, no database; the 雇用保険率 come from the dated files of ``insurance.py``
(``data/insurance_employment_r*.json``) and the 労災保険率表 from ``data/labour_workers_comp_r06.json``.

The rules applied, with their sources:

- 保険年度: 4月1日〜翌年3月31日 (労働保険の保険料の徴収等に関する法律 (徴収法) 2条4項).
- 賃金総額: the wages **whose payment became fixed** in the 保険年度 — wages with their 賃金締切日 in
  the year, even when paid after 31 March (昭和24年基災収第5178号; e.g. 3月31日締め・4月25日払い is
  the old year's). The 雇用保険率 of a 年度 likewise applies to wages whose 締切日 falls in it (MHLW
  「令和8年度の雇用保険料率について」, jp-rules §2.1), so a year's wages and its rate agree.
- Each 賃金総額 drops amounts under 1,000円 (徴収法15条1項1号「その額に千円未満の端数があるときは、
  その端数は、切り捨てる。以下同じ。」, applied to the 確定保険料 by 19条1項).
- 保険料 = 賃金総額 × 料率 (per 1,000), 1円未満切捨て (国等の債権債務等の金額の端数計算に関する法律2条1項).
  労災 on the wages of every 労働者 — 役員 are not workers (労働者 = 労働基準法9条; 徴収法2条2項) —
  and 雇用 on the wages of the 雇用保険被保険者 only (徴収法11条・12条1項1号). When both bases are the
  same the premium is figured once at the combined rate and any 1円 the separate figures lose is put
  on the 労災 part (厚生労働省「労働保険年度更新 申告書の書き方」; 事務組合 software does the same).
- 雇用保険料率 by 年度 (徴収法12条4項・5項; MHLW notices), from the existing dated files: 令和7年度
  一般 14.5 (5.5 + 9), 農林水産・清酒製造 16.5 (6.5 + 10), 建設 17.5 (6.5 + 11); 令和8年度 一般 13.5
  (5 + 8.5), 15.5 (6 + 9.5), 16.5 (6 + 10.5). The 年度更新 pays the total (労働者負担 and 事業主負担 together; the employer
  recovers the worker's share through payroll, 徴収法31条).
- 免除対象高年齢労働者: none since 令和2年度 (FY2020). The exemption of workers aged 64 or over on
  1 April ended on 2020-03-31 (雇用保険法等の一部を改正する法律, 平成28年法律第17号, 附則); their
  wages are in the 雇用 base like everyone's.
- 一般拠出金 (石綿による健康被害の救済に関する法律35条・37条): the 労災 賃金総額 × 0.02/1000 (from
  2014-04-01; 0.05 before), 1円未満切捨て, paid by the employer with the 確定保険料; never in
  installments (jp-rules §18, 神奈川労働局).
- 概算保険料 (徴収法15条1項1号): the new year's estimated 賃金総額 × the new year's rates; when the
  estimate is at least 50 % and at most 200 % of last year's 賃金総額, last year's is used instead
  (同号かっこ書, 徴収法施行規則24条1項). Applied to 労災 and 雇用 each.
- Settlement (徴収法19条3項・6項, 施行規則37条・38条): 確定 − 申告済概算. A shortfall is paid with the
  new 概算 (its first installment); a surplus is credited (充当) to the new 概算, first installment
  first, then to the 一般拠出金, and what still remains is refunded on request (還付請求).
- 延納 (徴収法18条, 施行規則27条): when the 概算 is 40万円 or more (20万円 where only 労災 or only 雇用
  applies), or a 労働保険事務組合 handles the company: 3 installments, each 1/3, the 1円 remainders in
  the first (国等の債権債務等の金額の端数計算に関する法律3条). Due 7月10日, 10月31日, 翌年1月31日
  (事務組合: 7月10日, 11月14日, 翌年2月14日). A business set up on or after 1 October cannot 延納
  (not modelled: the company is a 継続事業 here).
- A due date on a Saturday, Sunday, 国民の祝日 or 12月29日〜1月3日 moves to the next day that is none
  of these (徴収法30条「国税徴収の例により」→ 国税通則法10条2項; 行政機関の休日に関する法律2条).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ennoshita.core.dates import is_business_day
from ennoshita.core.money import Rounding, round_yen

from .insurance import BUSINESSES, dated_tables

DATA_DIR = Path(__file__).with_name("data")
WORKERS_COMP_FILE = "labour_workers_comp_r06.json"

WAGE_UNIT = 1000  # 徴収法15条1項1号: 千円未満切捨て
PER = Decimal(1000)  # rates are per 1,000
GENERAL_CONTRIBUTION_RATE = Decimal("0.02")  # 一般拠出金率 1000分の0.02 (2014-04-01〜)
INSTALLMENT_MIN = 400_000  # 徴収法施行規則27条1項: 40万円以上
INSTALLMENT_MIN_SINGLE = 200_000  # 労災保険 or 雇用保険 only: 20万円以上
INSTALLMENTS = 3
DUE_DAYS = ((0, 7, 10), (0, 10, 31), (1, 1, 31))  # (years after the 年度's start, month, day)
ASSOCIATION_DUE_DAYS = ((0, 7, 10), (0, 11, 14), (1, 2, 14))  # 労働保険事務組合に委託
ESTIMATE_LOW_PERCENT = 50  # 施行規則24条1項: 100分の50以上
ESTIMATE_HIGH_PERCENT = 200  # 100分の200以下
MAX_WORKERS_COMP_RATE = Decimal(200)  # the table's highest is 88; メリット制 moves it by 40 % at most


# --- 保険年度 ------------------------------------------------------------------------------------------


def insurance_year_of(day: date) -> int:
    """The 保険年度 (named by the year it starts) a day falls in: April–March (徴収法2条4項)."""
    return day.year if day.month >= 4 else day.year - 1


def insurance_year_range(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def insurance_year_months(year: int) -> list[date]:
    """The 12 months of the 保険年度, April first."""
    return [date(year + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def year_label(year: int) -> str:
    """2026 → 「令和8年度」."""
    return f"令和{year - 2018}年度" if year >= 2019 else f"{year}年度"


# --- arguments ---------------------------------------------------------------------------------------


def _yen(name: str, value: object) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: 0以上の整数(円)で入れてください。")
    return value


def _rate(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise ValueError(f"{name}: 1000分のいくつかを数で入れてください。")
    try:
        rate = Decimal(value)
    except ArithmeticError as exc:
        raise ValueError(f"{name}: 1000分のいくつかを数で入れてください。") from exc
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"{name}: 0以上の率(1000分の)で入れてください。")
    return rate


# --- rates ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmploymentRate:
    """The 雇用保険率 of a 年度 per 1,000: the worker's and the employer's parts and their total."""

    year: int
    business: str
    worker: Decimal
    employer: Decimal
    source: str

    @property
    def total(self) -> Decimal:
        return self.worker + self.employer


def employment_rate(*, year: int, business: str = "一般") -> EmploymentRate:
    """The 雇用保険率 of 保険年度 ``year`` from the dated files ``insurance_employment_r*.json`` (the
    file must cover the whole 年度). 令和7年度 一般 14.5, 令和8年度 一般 13.5 (jp-rules §2.1, §18)."""
    if business not in BUSINESSES:
        raise ValueError(
            f"business: 「{business}」ではなく {' / '.join(BUSINESSES)} のいずれかを入れてください。"
        )
    start, end = insurance_year_range(year)
    for table in dated_tables("employment_rates"):
        if table.covers(start) and table.covers(end):
            rates = table.data["rates"][business]
            return EmploymentRate(
                year=year,
                business=business,
                worker=Decimal(rates["worker"]),
                employer=Decimal(rates["employer"]),
                source=table.label,
            )
    raise ValueError(
        f"year: {year_label(year)}({year}年4月〜{year + 1}年3月)の雇用保険料率が登録されていません"
        "(ennoshita/payroll/rules/data)。厚生労働省の告示を確かめてから追加してください。"
    )


@dataclass(frozen=True)
class WorkersCompIndustry:
    """One row of the 労災保険率表 (徴収法施行規則 別表第1): 事業の種類 and its rate per 1,000."""

    category: str
    name: str
    rate: Decimal


@cache
def _workers_comp_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / WORKERS_COMP_FILE).read_text(encoding="utf-8"))
    return data


def workers_comp_industries() -> tuple[WorkersCompIndustry, ...]:
    """The 53 事業の種類 of the 労災保険率表 in force from 2024-04-01 (the same in 令和8年度)."""
    return tuple(
        WorkersCompIndustry(row["category"], row["name"], Decimal(row["rate"]))
        for row in _workers_comp_table()["rows"]
    )


def workers_comp_table_source() -> str:
    table = _workers_comp_table()
    return f"{table['title']} ({WORKERS_COMP_FILE})"


def check_workers_comp_rate(rate: object) -> Decimal:
    """A 労災保険率 a company may have: above 0, at most 200 per 1,000, at most 2 decimals (the
    table's rates, or one moved by the メリット制, 徴収法12条3項)."""
    value = _rate("workers_comp_rate", rate)
    if not (Decimal(0) < value <= MAX_WORKERS_COMP_RATE):
        raise ValueError("workers_comp_rate: 労災保険率は0より大きく1000分の200以下で入れてください。")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("workers_comp_rate: 労災保険率は小数第2位までで入れてください。")
    return value


# --- premiums ------------------------------------------------------------------------------------------


def wage_base(wages: int | Decimal) -> int:
    """賃金総額 with the amount under 1,000円 dropped (徴収法15条1項1号): 36,000,500 → 36,000,000."""
    amount = _yen("wages", wages)
    return amount // WAGE_UNIT * WAGE_UNIT


def _premium(base: int, rate: Decimal) -> int:
    # 国等の債権債務等の金額の端数計算に関する法律2条1項: 1円未満切捨て
    return int(round_yen(Decimal(base) * rate / PER, Rounding.TRUNCATE))


@dataclass(frozen=True)
class LabourPremiums:
    """The premiums of one 保険年度 (確定 or 概算). ``workers_comp_base`` / ``employment_base`` are the
    賃金総額 after 千円未満切捨て; rates per 1,000."""

    workers_comp_base: int
    employment_base: int
    workers_comp_rate: Decimal
    employment_rate: Decimal
    workers_comp: int
    employment: int
    combined: bool  # both bases equal: figured once at the combined rate

    @property
    def total(self) -> int:
        return self.workers_comp + self.employment


def labour_premiums(
    *,
    workers_comp_wages: int | Decimal,
    employment_wages: int | Decimal,
    workers_comp_rate: Decimal | int | str,
    employment_rate: Decimal | int | str,
) -> LabourPremiums:
    """労災保険料 and 雇用保険料 on their 賃金総額: 36,000,500円 at 3/1000 → base 36,000,000 → 108,000."""
    wc_base = wage_base(workers_comp_wages)
    emp_base = wage_base(employment_wages)
    wc_rate = _rate("workers_comp_rate", workers_comp_rate)
    emp_rate = _rate("employment_rate", employment_rate)
    employment = _premium(emp_base, emp_rate)
    combined = wc_base == emp_base and emp_base > 0
    if combined:
        # one 賃金総額 × (労災率 + 雇用保険率), 1円未満切捨て; the 1円 lost by figuring the parts apart
        # goes on the 労災 part (申告書の書き方)
        workers_comp = _premium(wc_base, wc_rate + emp_rate) - employment
    else:
        workers_comp = _premium(wc_base, wc_rate)
    return LabourPremiums(
        workers_comp_base=wc_base,
        employment_base=emp_base,
        workers_comp_rate=wc_rate,
        employment_rate=emp_rate,
        workers_comp=workers_comp,
        employment=employment,
        combined=combined,
    )


def general_contribution(*, workers_comp_wages: int | Decimal) -> int:
    """一般拠出金: the 労災 賃金総額 (千円未満切捨て) × 0.02/1000, 1円未満切捨て: 36,000,000 → 720."""
    return _premium(wage_base(workers_comp_wages), GENERAL_CONTRIBUTION_RATE)


# --- 概算: the estimate rule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateBase:
    """The 賃金総額 the 概算保険料 is figured on: ``base`` (千円未満切捨て), and whether it is the
    entered estimate (outside 50 %–200 % of last year's) or last year's."""

    base: int
    last_year: int
    estimate: int
    uses_estimate: bool
    entered: bool = True

    @property
    def reason(self) -> str:
        if not self.entered:
            return "見込額の入力がないので、前年度の賃金総額で計算します(徴収法15条1項1号・施行規則24条1項)。"
        if self.uses_estimate:
            return (
                "見込額が前年度の賃金総額の50%未満か200%超なので、見込額で計算します(徴収法施行規則24条1項)。"
            )
        return "見込額が前年度の賃金総額の50%以上200%以下なので、前年度の賃金総額で計算します(徴収法施行規則24条1項)。"


def estimate_base(*, last_year_wages: int | Decimal, estimate: int | Decimal | None = None) -> EstimateBase:
    """徴収法15条1項1号・施行規則24条1項: the new year's 賃金総額の見込額 is used only when it is under
    50 % or over 200 % of last year's 賃金総額; otherwise last year's is. No estimate → last year's.
    Without last year's wages (0) the estimate is used."""
    last = wage_base(last_year_wages)
    guess = last if estimate is None else wage_base(estimate)
    within = 100 * guess >= ESTIMATE_LOW_PERCENT * last and 100 * guess <= ESTIMATE_HIGH_PERCENT * last
    uses_estimate = last == 0 or not within
    return EstimateBase(
        base=guess if uses_estimate else last,
        last_year=last,
        estimate=guess,
        uses_estimate=uses_estimate,
        entered=estimate is not None,
    )


# --- 延納 and the settlement ---------------------------------------------------------------------------


def _closed(day: date) -> bool:
    # 行政機関の休日に関する法律1条1項: 土日, 国民の祝日, 12月29日〜1月3日
    return not is_business_day(day) or (day.month, day.day) in {
        (12, 29),
        (12, 30),
        (12, 31),
        (1, 1),
        (1, 2),
        (1, 3),
    }


def due_date(day: date) -> date:
    """A due date moved off a Saturday, Sunday, holiday or 12/29–1/3 to the next open day
    (国税通則法10条2項 through 徴収法30条): 2026-10-31 (土) → 2026-11-02, 2027-01-31 (日) → 2027-02-01."""
    while _closed(day):
        day += timedelta(days=1)
    return day


def installments_allowed(*, estimated_premium: int, single_insurance: bool, association: bool) -> bool:
    """延納 (徴収法18条, 施行規則27条1項): 概算 ≥ 40万円 (20万円 with only 労災 or only 雇用), or always
    when a 労働保険事務組合 handles the company."""
    amount = _yen("estimated_premium", estimated_premium)
    return association or amount >= (INSTALLMENT_MIN_SINGLE if single_insurance else INSTALLMENT_MIN)


@dataclass(frozen=True)
class Installment:
    """One payment of the 年度更新: the part of the 概算保険料 (``estimate``), minus what is credited
    from last year's surplus (``credited``), plus last year's shortfall and the 一般拠出金 (first
    installment only; 一般拠出金 minus any credit on it) = ``payable``."""

    number: int
    scheduled: date
    due: date
    estimate: int
    credited: int
    shortfall: int
    general_contribution: int
    contribution_credited: int

    @property
    def payable(self) -> int:
        return (
            self.estimate
            - self.credited
            + self.shortfall
            + self.general_contribution
            - self.contribution_credited
        )


@dataclass(frozen=True)
class Settlement:
    """The 年度更新's money: 確定 − 申告済概算 (``difference``: + 不足, − 超過), the installments, and
    any surplus left after crediting the new 概算 and the 一般拠出金 (``refund``, 還付請求)."""

    confirmed_premium: int
    paid_estimate: int
    estimated_premium: int
    general_contribution: int
    split: bool
    installments: tuple[Installment, ...]
    refund: int

    @property
    def difference(self) -> int:
        return self.confirmed_premium - self.paid_estimate

    @property
    def shortfall(self) -> int:
        return max(self.difference, 0)

    @property
    def surplus(self) -> int:
        return max(-self.difference, 0)

    @property
    def total_payable(self) -> int:
        return sum(i.payable for i in self.installments)


def split_estimate(amount: int, parts: int = INSTALLMENTS) -> list[int]:
    """1/3 each, the 1円 remainders in the first (国等の債権債務等の金額の端数計算に関する法律3条):
    1,000,000 → 333,334 / 333,333 / 333,333."""
    each = amount // parts
    return [amount - each * (parts - 1)] + [each] * (parts - 1)


def settle(
    *,
    year: int,
    confirmed_premium: int,
    paid_estimate: int,
    estimated_premium: int,
    general_contribution: int,
    single_insurance: bool = False,
    association: bool = False,
    split: bool | None = None,
) -> Settlement:
    """The payments of the 年度更新 made in 保険年度 ``year`` (the new year: its 概算, last year's 確定).
    ``split`` None = 延納 whenever allowed (a company may choose to pay at once)."""
    confirmed = _yen("confirmed_premium", confirmed_premium)
    paid = _yen("paid_estimate", paid_estimate)
    estimated = _yen("estimated_premium", estimated_premium)
    contribution = _yen("general_contribution", general_contribution)
    allowed = installments_allowed(
        estimated_premium=estimated, single_insurance=single_insurance, association=association
    )
    if split and not allowed:
        raise ValueError(
            "split: 概算保険料が40万円(労災保険か雇用保険の一方だけなら20万円)未満で、労働保険事務組合にも"
            "委託していないので延納できません(徴収法施行規則27条1項)。"
        )
    do_split = allowed if split is None else split
    parts = split_estimate(estimated) if do_split else [estimated]
    days = ASSOCIATION_DUE_DAYS if association else DUE_DAYS
    shortfall = max(confirmed - paid, 0)
    credit = max(paid - confirmed, 0)
    rows: list[Installment] = []
    for number, part in enumerate(parts, start=1):
        plus, month, day = days[number - 1]
        scheduled = date(year + plus, month, day)
        used = min(credit, part)
        credit -= used
        rows.append(
            Installment(
                number=number,
                scheduled=scheduled,
                due=due_date(scheduled),
                estimate=part,
                credited=used,
                shortfall=shortfall if number == 1 else 0,
                general_contribution=contribution if number == 1 else 0,
                contribution_credited=0,
            )
        )
    # what the 概算 could not absorb goes to the 一般拠出金, then is refunded
    on_contribution = min(credit, contribution)
    credit -= on_contribution
    rows[0] = replace(rows[0], contribution_credited=on_contribution)
    return Settlement(
        confirmed_premium=confirmed,
        paid_estimate=paid,
        estimated_premium=estimated,
        general_contribution=contribution,
        split=do_split,
        installments=tuple(rows),
        refund=credit,
    )
