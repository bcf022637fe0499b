"""退職所得 (severance pay): its own withholding and 住民税 (jp-rules §17).

- :func:`service_years`: 勤続年数 — the 勤続期間 from the first day to the 退職日, a part year
  counting as a whole year (所得税法施行令69条1項・2項: 10年2か月 → 11年).
- :func:`retirement_income_deduction`: 退職所得控除額 (所得税法30条3項・5項・6項): 40万円 × A
  (at least 80万円) up to 20 years, 800万円 + 70万円 × (A − 20) beyond; +100万円 when the
  employee retires because he or she became 障害者 (added after the 80万円 minimum, NTA No.1420).
- :func:`retirement_income`: 課税退職所得金額 (所得税法30条2項・4項・5項, NTA No.2732):
  (収入 − 控除) × 1/2; no 1/2 for a 特定役員退職手当等 (役員等勤続年数 ≤ 5年, since 2013);
  for a 短期退職手当等 (not an officer, 勤続 ≤ 5年; retirements from 2022-01-01) the 1/2 only up
  to 300万円: 150万円 + {収入 − (300万円 + 控除)} above it. Amounts under 1,000円 are dropped
  (国税通則法118条1項).
- :func:`severance_income_tax`: 源泉徴収税額 with the 退職所得の受給に関する申告書: (A × 税率 −
  控除額) × 102.1% by the 速算表 (所得税法201条1項1号・89条, 復興財源確保法28条; NTA No.2732 別紙),
  1円未満切捨て; without it 20.42% of the whole payment (所得税法201条3項), 1円未満切捨て.
  From 2027 the 102.1% is 所得税 + 防衛特別所得税 1% + 復興特別所得税 1.1%: the factor is the same
  (jp-rules §17.5).
- :func:`severance_resident_tax`: 住民税 (分離課税, 現年): 市町村民税 6% and 道府県民税 4% of the
  課税退職所得金額, each dropping amounts under 100円 (地方税法50条の4・328条の3・50条の6・328条の6,
  jp-rules §17.6).
- :func:`severance` / :func:`severance_steps`: the whole payment from its dates, with each step.

Decisions (what this module does not do, and why):

- 退職手当等 received earlier in the same year or within the preceding years (施行令70条) and DC
  lump sums (令和7年度改正) change the 勤続年数 and the deduction; they are not applied here. A
  payment with such a history must be checked by hand.
- A payment that is partly 特定役員退職手当等 and partly 一般退職手当等 (施行令71条の2: officer for
  five years or less after years as an employee) is treated as 特定役員 as a whole when
  ``officer_years`` ≤ 5, with the deduction over the whole 勤続年数. That withholds more than the
  split would, never less; the difference is settled by the recipient's 確定申告. The steps say so.
- 住民税 is computed on the same 課税退職所得金額 whether or not the 申告書 was handed in: jp-rules
  states no other rule for the 住民税 without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ennoshita.core.money import Rounding, round_yen
from ennoshita.payroll.rules.steps import Step

MAN = 10_000
DEDUCTION_PER_YEAR = 40 * MAN  # 所得税法30条3項1号
DEDUCTION_PER_YEAR_OVER_20 = 70 * MAN  # 同項2号
DEDUCTION_AT_20 = 800 * MAN
STEP_YEARS = 20
DEDUCTION_MINIMUM = 80 * MAN  # 所得税法30条6項2号
DISABILITY_ADD = 100 * MAN  # 所得税法30条6項3号
SHORT_YEARS = 5  # 特定役員退職手当等 (30条5項) and 短期退職手当等 (30条4項)
SHORT_HALF_LIMIT = 300 * MAN  # 短期退職手当等: the 1/2 applies up to 300万円
INCOME_UNIT = 1_000  # 課税退職所得金額: 1,000円未満切捨て (国税通則法118条1項)
SURTAX = Decimal("1.021")  # 所得税 × 102.1% (復興特別所得税 2.1%; from 2027: 防衛 1% + 復興 1.1%)
FLAT_RATE = Decimal("0.2042")  # 所得税法201条3項: 20% × 102.1%
CITY_RATE = Decimal("0.06")  # 地方税法328条の3 (市町村民税)
PREFECTURE_RATE = Decimal("0.04")  # 地方税法50条の4 (道府県民税)
RESIDENT_UNIT = 100  # 地方税法50条の6・328条の6: 100円未満切捨て

# 速算表 (所得税法89条1項; NTA No.2732 別紙): (課税退職所得金額の上限 or None, 税率, 控除額)
BRACKETS: tuple[tuple[int | None, Decimal, int], ...] = (
    (1_950_000, Decimal("0.05"), 0),
    (3_300_000, Decimal("0.10"), 97_500),
    (6_950_000, Decimal("0.20"), 427_500),
    (9_000_000, Decimal("0.23"), 636_000),
    (18_000_000, Decimal("0.33"), 1_536_000),
    (40_000_000, Decimal("0.40"), 2_796_000),
    (None, Decimal("0.45"), 4_796_000),
)

URL_2732 = "https://www.nta.go.jp/taxes/shiraberu/taxanswer/gensen/2732.htm"
RULE_YEARS = "所得税法施行令69条1項・2項 (勤続年数: 1年未満の端数は1年に切上げ)"
RULE_DEDUCTION = "所得税法30条3項・6項 (退職所得控除額)"
RULE_DISABILITY = "所得税法30条6項3号 (障害者になったことに基因する退職: 100万円を加算)"
RULE_INCOME = "所得税法30条2項 (退職所得の金額: (収入金額 − 退職所得控除額) × 1/2)"
RULE_OFFICER = "所得税法30条2項2号・5項 (特定役員退職手当等: 役員等勤続年数5年以下、1/2なし)"
RULE_SHORT = "所得税法30条2項1号・4項 (短期退職手当等: 300万円を超える部分は1/2なし、令和4年1月1日以後の退職)"
RULE_ROUND = "国税通則法118条1項 (課税標準の1,000円未満切捨て)"
RULE_TAX = f"所得税法201条1項1号・89条1項、復興財源確保法28条 (速算表 × 102.1%、1円未満切捨て); {URL_2732}"
RULE_FLAT = "所得税法201条3項 (退職所得の受給に関する申告書の提出なし: 支払金額 × 20.42%)"
RULE_CITY = "地方税法328条の3・328条の6 (市町村民税 6%、100円未満切捨て)"
RULE_PREFECTURE = "地方税法50条の4・50条の6 (道府県民税 4%、100円未満切捨て)"


@dataclass(frozen=True)
class Severance:
    """The figures of one 退職手当等."""

    amount: int
    service_years: int
    officer_years: int | None
    kind: str  # "general" 一般 / "officer" 特定役員 / "short" 短期
    deduction: int
    taxable_income: int
    income_tax: int
    city_tax: int
    prefecture_tax: int

    @property
    def resident_tax(self) -> int:
        return self.city_tax + self.prefecture_tax

    @property
    def net(self) -> int:
        return self.amount - self.income_tax - self.resident_tax


KIND_LABELS = {"general": "一般退職手当等", "officer": "特定役員退職手当等", "short": "短期退職手当等"}


# --- arguments -------------------------------------------------------------------------------------


def _yen_arg(name: str, value: object) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: 0以上の整数(円)で入れてください。")
    return value


def _years_arg(name: str, value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}: {what}は1以上の整数(年)で入れてください。")
    return value


def _date_arg(name: str, value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name}: {what}をdatetime.dateで入れてください。")
    return value


def _yen(amount: int | Decimal) -> str:
    if isinstance(amount, Decimal) and amount != amount.to_integral_value():
        text = f"{amount:,f}".rstrip("0").rstrip(".")
        return f"{text}円"
    return f"{int(amount):,}円"


def _pct(rate: Decimal) -> str:
    text = f"{rate * 100:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _man(amount: int) -> str:
    return f"{amount // MAN:,}万円" if amount % MAN == 0 else _yen(amount)


# --- 勤続年数 --------------------------------------------------------------------------------------


def _anniversary(start: date, years: int) -> date:
    """The day after ``years`` full years counted from ``start`` (民法143条2項: a period from the
    29th of February ends on the last day of February when that year has no 29th)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 2月29日 in a year without one
        return date(start.year + years, 3, 1)


def service_years(*, service_from: date, service_to: date) -> int:
    """勤続年数 from the first day of service to the 退職日, both days included, a part year
    rounding up (施行令69条): 2016-01-01〜2026-02-28 (10年2か月) → 11."""
    start = _date_arg("service_from", service_from, "勤続の起算日")
    end = _date_arg("service_to", service_to, "退職日")
    if end < start:
        raise ValueError("service_to: 退職日が勤続の起算日より前です。")
    years = end.year - start.year
    if _anniversary(start, years) <= end:
        years += 1
    return years


# --- 退職所得控除額 --------------------------------------------------------------------------------


def _deduction(years: int, disability: bool) -> tuple[int, list[Step]]:
    if years <= STEP_YEARS:
        base = DEDUCTION_PER_YEAR * years
        how = f"40万円 × {years}年 = {_man(base)}"
        if base < DEDUCTION_MINIMUM:
            how += f" → 80万円に満たないので {_man(DEDUCTION_MINIMUM)}"
            base = DEDUCTION_MINIMUM
    else:
        base = DEDUCTION_AT_20 + DEDUCTION_PER_YEAR_OVER_20 * (years - STEP_YEARS)
        how = f"800万円 + 70万円 × ({years}年 − 20年) = {_man(base)}"
    steps = [Step("退職所得控除額", how, RULE_DEDUCTION)]
    if disability:
        total = base + DISABILITY_ADD
        steps.append(
            Step(
                "障害者になったことによる退職の加算",
                f"{_man(base)} + 100万円 = {_man(total)}",
                RULE_DISABILITY,
            )
        )
        return total, steps
    return base, steps


def retirement_income_deduction(*, years: int, disability: bool = False) -> int:
    """退職所得控除額 for ``years`` (勤続年数, already rounded up): 1 → 800,000; 20 → 8,000,000;
    21 → 8,700,000; +1,000,000 when ``disability``."""
    return _deduction(_years_arg("years", years, "勤続年数"), bool(disability))[0]


# --- 課税退職所得金額 ------------------------------------------------------------------------------


def payment_kind(*, years: int, officer_years: int | None = None) -> str:
    """ "officer" 特定役員退職手当等 (役員等勤続年数 ≤ 5), "short" 短期退職手当等 (not an officer,
    勤続年数 ≤ 5) or "general" 一般退職手当等."""
    if officer_years is not None:
        return "officer" if officer_years <= SHORT_YEARS else "general"
    return "short" if years <= SHORT_YEARS else "general"


def _income(
    amount: int, years: int, officer_years: int | None, deduction: int
) -> tuple[str, int, list[Step]]:
    kind = payment_kind(years=years, officer_years=officer_years)
    rest = max(amount - deduction, 0)
    floor = " (0円未満は0円)" if amount < deduction else ""
    steps = [
        Step(
            "収入金額 − 退職所得控除額",
            f"{_yen(amount)} − {_yen(deduction)} = {_yen(rest)}{floor}",
            RULE_INCOME,
        )
    ]
    if kind == "officer":
        exact: int | Decimal = rest
        how = f"特定役員退職手当等(役員等勤続年数{officer_years}年 ≤ 5年): 1/2なし → {_yen(rest)}"
        rule = RULE_OFFICER
    elif kind == "short" and rest > SHORT_HALF_LIMIT:
        exact = SHORT_HALF_LIMIT // 2 + (amount - (SHORT_HALF_LIMIT + deduction))
        how = (
            f"短期退職手当等(勤続{years}年 ≤ 5年)で300万円超: 150万円 + "
            f"({_yen(amount)} − (300万円 + {_yen(deduction)})) = {_yen(exact)}"
        )
        rule = RULE_SHORT
    else:
        exact = Decimal(rest) / 2
        label = "短期退職手当等(300万円以下)" if kind == "short" else "一般退職手当等"
        how = f"{label}: {_yen(rest)} × 1/2 = {_yen(exact)}"
        rule = RULE_SHORT if kind == "short" else RULE_INCOME
    income = int(exact) // INCOME_UNIT * INCOME_UNIT
    steps.append(Step("退職所得の金額", how, rule))
    steps.append(Step("課税退職所得金額", f"{_yen(exact)} → 1,000円未満切捨て {_yen(income)}", RULE_ROUND))
    return kind, income, steps


def retirement_income(
    *, amount: int | Decimal, years: int, officer_years: int | None = None, disability: bool = False
) -> int:
    """課税退職所得金額 (1,000円未満切捨て). ``officer_years`` = 役員等勤続年数 when the leaver was
    an officer (None: not an officer); ≤ 5 makes the payment a 特定役員退職手当等. Otherwise
    ``years`` ≤ 5 makes it a 短期退職手当等."""
    return _figures(amount, years, officer_years, disability)[0][2]


def _figures(
    amount: object, years: object, officer_years: object, disability: object
) -> tuple[tuple[str, int, int], list[Step]]:
    a = _yen_arg("amount", amount)
    n = _years_arg("years", years, "勤続年数")
    officer = None if officer_years is None else _years_arg("officer_years", officer_years, "役員等勤続年数")
    if officer is not None and officer > n:
        raise ValueError("officer_years: 役員等勤続年数が勤続年数を超えています。")
    deduction, steps = _deduction(n, bool(disability))
    kind, income, more = _income(a, n, officer, deduction)
    return (kind, deduction, income), [*steps, *more]


# --- taxes -----------------------------------------------------------------------------------------


def _income_tax(amount: int, income: int, declaration: bool) -> tuple[int, Step]:
    if not declaration:
        exact = amount * FLAT_RATE
        tax = int(round_yen(exact, Rounding.TRUNCATE))
        how = f"申告書の提出なし: {_yen(amount)} × 20.42% = {_yen(exact)} → 1円未満切捨て {_yen(tax)}"
        return tax, Step("源泉徴収税額(所得税及び復興特別所得税)", how, RULE_FLAT)
    _upto, rate, less = next(b for b in BRACKETS if b[0] is None or income <= b[0])
    exact = (income * rate - less) * SURTAX
    tax = int(round_yen(max(exact, Decimal(0)), Rounding.TRUNCATE))
    how = (
        f"({_yen(income)} × {_pct(rate)} − {_yen(less)}) × 102.1% = {_yen(exact)} → 1円未満切捨て {_yen(tax)}"
    )
    return tax, Step("源泉徴収税額(所得税及び復興特別所得税)", how, RULE_TAX)


def severance_income_tax(
    *, amount: int | Decimal, taxable_income: int | Decimal, declaration: bool = True
) -> int:
    """源泉徴収税額 (所得税 + 復興特別所得税): 速算表 × 102.1% on ``taxable_income`` (課税退職所得金額)
    with the 申告書; 20.42% of ``amount`` (the whole payment) without it. 1円未満切捨て."""
    a = _yen_arg("amount", amount)
    income = _yen_arg("taxable_income", taxable_income)
    return _income_tax(a, income, bool(declaration))[0]


def _resident(income: int) -> tuple[int, int, list[Step]]:
    city_exact = income * CITY_RATE
    prefecture_exact = income * PREFECTURE_RATE
    city = int(city_exact) // RESIDENT_UNIT * RESIDENT_UNIT
    prefecture = int(prefecture_exact) // RESIDENT_UNIT * RESIDENT_UNIT
    return (
        city,
        prefecture,
        [
            Step(
                "市町村民税(特別徴収)",
                f"{_yen(income)} × 6% = {_yen(city_exact)} → 100円未満切捨て {_yen(city)}",
                RULE_CITY,
            ),
            Step(
                "道府県民税(特別徴収)",
                f"{_yen(income)} × 4% = {_yen(prefecture_exact)} → 100円未満切捨て {_yen(prefecture)}",
                RULE_PREFECTURE,
            ),
        ],
    )


def severance_resident_tax(*, taxable_income: int | Decimal) -> tuple[int, int]:
    """(市町村民税, 道府県民税) on the 課税退職所得金額: 6% and 4%, each 100円未満切捨て."""
    city, prefecture, _steps = _resident(_yen_arg("taxable_income", taxable_income))
    return city, prefecture


# --- the whole payment -----------------------------------------------------------------------------


def _severance(
    amount: object,
    service_from: object,
    service_to: object,
    officer_from: object,
    disability: object,
    declaration: object,
) -> tuple[Severance, list[Step]]:
    a = _yen_arg("amount", amount)
    years = service_years(service_from=service_from, service_to=service_to)  # type: ignore[arg-type]
    start = _date_arg("service_from", service_from, "勤続の起算日")
    end = _date_arg("service_to", service_to, "退職日")
    steps = [
        Step("退職手当等の収入金額", _yen(a), "所得税法30条1項 (退職所得)"),
        Step("勤続年数", f"{start:%Y-%m-%d} 〜 {end:%Y-%m-%d} → {years}年", RULE_YEARS),
    ]
    officer_years = None
    if officer_from is not None:
        officer_start = _date_arg("officer_from", officer_from, "役員等に就任した日")
        if not start <= officer_start <= end:
            raise ValueError("officer_from: 役員等に就任した日は勤続期間の中の日を入れてください。")
        officer_years = service_years(service_from=officer_start, service_to=end)
        steps.append(
            Step(
                "役員等勤続年数",
                f"{officer_start:%Y-%m-%d} 〜 {end:%Y-%m-%d} → {officer_years}年",
                "所得税法30条5項・施行令69条の2 (役員等勤続年数)",
            )
        )
        if officer_years <= SHORT_YEARS and officer_start > start:
            steps.append(
                Step(
                    "注意",
                    "役員等になる前の勤続期間があります。全額を特定役員退職手当等として計算しています"
                    "(一般退職手当等の部分を分ける計算はしていないため、源泉徴収税額は多めになり、差は確定申告で精算されます)。",
                    "所得税法施行令71条の2",
                )
            )
    (kind, deduction, income), more = _figures(a, years, officer_years, disability)
    steps += [
        Step(
            "区分",
            KIND_LABELS[kind],
            RULE_OFFICER if kind == "officer" else RULE_SHORT if kind == "short" else RULE_INCOME,
        ),
        *more,
    ]
    tax, tax_step = _income_tax(a, income, bool(declaration))
    city, prefecture, resident_steps = _resident(income)
    result = Severance(a, years, officer_years, kind, deduction, income, tax, city, prefecture)
    steps += [
        tax_step,
        *resident_steps,
        Step(
            "差引支給額",
            f"{_yen(a)} − {_yen(tax)} − {_yen(city)} − {_yen(prefecture)} = {_yen(result.net)}",
            "所得税法199条 (退職手当等の源泉徴収)・地方税法328条の5 (特別徴収)",
        ),
    ]
    return result, steps


def severance(
    *,
    amount: int | Decimal,
    service_from: date,
    service_to: date,
    officer_from: date | None = None,
    disability: bool = False,
    declaration: bool = True,
) -> Severance:
    """Every figure of one 退職手当等 from its dates: 勤続年数 (and 役員等勤続年数 from
    ``officer_from``), 退職所得控除額, 課税退職所得金額, 源泉徴収税額, 市町村民税 and 道府県民税."""
    return _severance(amount, service_from, service_to, officer_from, disability, declaration)[0]


def severance_steps(
    *,
    amount: int | Decimal,
    service_from: date,
    service_to: date,
    officer_from: date | None = None,
    disability: bool = False,
    declaration: bool = True,
) -> list[Step]:
    """:func:`severance` step by step (same code)."""
    return _severance(amount, service_from, service_to, officer_from, disability, declaration)[1]
