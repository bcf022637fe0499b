"""源泉所得税 on salary and bonus (所得税法183条・185条・186条; jp-rules §1).

- :func:`monthly_withholding`: the month's tax on pay after 社会保険料等 (A), by the 月額表
  (所得税法185条1項, 別表第二, printed with 復興特別所得税 by 平成24年財務省告示第115号) or, for
  甲欄, by the 電算機計算の特例 (平成24年財務省告示第116号).
- :func:`bonus_withholding`: the tax on a bonus, by the 賞与に対する源泉徴収税額の算出率の表
  (所得税法186条, 別表第四), or by the 月額表 when the previous month had no pay or the bonus
  exceeds 10 times it (所得税法186条1項2号; NTA タックスアンサー No.2523).

The tables are the dated files ``data/withholding_{monthly,bonus,formula}_*.json``, chosen by the
pay date (支払日: a table applies to pay paid on or after its first day); they are loaded in
:mod:`ennoshita.payroll.rules.withholding_tables`. A pay date that no file covers is refused. Each
``*_steps`` function runs the same code as its calculation and returns what it did, step by step.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ennoshita.core.money import Rounding, quantize, round_yen
from ennoshita.payroll.rules.steps import Step

# The tables live in withholding_tables; every name moved there stays importable from here
# (tests and callers import them from this module), hence the noqa.
from ennoshita.payroll.rules.withholding_tables import (  # noqa: F401
    _WHAT,
    DATA_DIR,
    KO_PRINTED_DEPENDENTS,
    Band,
    BonusRow,
    BonusTable,
    DatedWithholdingTable,
    Formula,
    MonthlyTable,
    Segment,
    Span,
    _all_tables,
    _bonus_table,
    _dated,
    _formula_table,
    _in_thousands,
    _monthly_table,
    _pick,
    _row_mins,
    bonus_table,
    formula_table,
    monthly_table,
    withholding_tables,
)

COLUMNS = ("甲", "乙")
METHODS = ("table", "formula")
# 所得税法186条1項2号: the 月額表 method spreads the bonus over 6 months, or over 12 when the
# bonus's 計算期間 exceeds 6 months.
HALF_YEAR = 6
FULL_YEAR = 12
# 所得税法186条1項2号: a bonus of more than 10 times the previous month's pay (both after
# 社会保険料等) leaves the rate table for the 月額表 method; exactly 10 times stays on the table.
BONUS_MULTIPLE_LIMIT = 10

URL_2523 = "https://www.nta.go.jp/taxes/shiraberu/taxanswer/gensen/2523.htm"
RULE = {
    "甲": "所得税法185条1項1号・別表第二 月額表 甲欄; 平成24年財務省告示第115号",
    "乙": "所得税法185条1項2号・別表第二 月額表 乙欄; 平成24年財務省告示第115号",
}
RULE_EXTRA = "月額表 甲欄: 扶養親族等が7人を超えるときは7人の税額から1人ごとに1,610円を控除"
RULE_SECONDARY = "所得税法185条1項2号・195条 (従たる給与についての扶養控除等申告書): 1人ごとに1,610円を控除"
RULE_FORMULA = "平成24年財務省告示第116号 (月額表の甲欄を適用する給与等に対する税額の電算機計算の特例)"
RULE_BONUS_RATE = "所得税法186条1項1号・2項1号, 別表第四 (賞与に対する源泉徴収税額の算出率の表)"
RULE_BONUS_MONTHLY = f"所得税法186条1項2号・2項2号 (月額表で求める賞与の税額); {URL_2523}"


# --- arguments and display -----------------------------------------------------------------------


def _yen_arg(name: str, value: object) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: 0以上の整数(円)で入れてください。")
    return value


def _count_arg(name: str, value: object, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name}: {what}は{minimum}以上の整数で入れてください。")
    return value


def _date_arg(value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError("pay_date: 支払日をdatetime.dateで入れてください。")
    return value


def _column_arg(column: object, dependents: int, secondary_dependents: int) -> str:
    if column not in COLUMNS:
        raise ValueError("column: 「甲」(扶養控除等申告書の提出あり)か「乙」(提出なし)を入れてください。")
    if column == "乙" and dependents:
        raise ValueError(
            "dependents: 乙欄では扶養親族等の数を使いません"
            "(従たる給与についての扶養控除等申告書の人数はsecondary_dependentsに入れてください)。"
        )
    if column == "甲" and secondary_dependents:
        raise ValueError(
            "secondary_dependents: 従たる給与についての扶養控除等申告書の人数は乙欄だけに使います。"
        )
    return str(column)


def _plain(number: Decimal) -> str:
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _yen(amount: int | Decimal) -> str:
    return f"{amount:,}円" if isinstance(amount, int) else f"{_plain(amount)}円"


def _pct(rate: Decimal) -> str:
    """A rate stored as a fraction (0.2042) shown as a percent (20.42%)."""
    return f"{_plain(rate * 100)}%"


# --- 月額表 --------------------------------------------------------------------------------------


def _segment_tax(segments: tuple[Segment, ...], amount: int, index: int) -> tuple[int, str]:
    # 月額表 740,000円以上の欄: the segment's tax + (A − its start) × rate, 1円未満切捨て.
    segment = [s for s in segments if s.start <= amount][-1]
    base = segment.base[index]
    exact = base + (amount - segment.start) * segment.rate
    tax = int(round_yen(exact, Rounding.TRUNCATE))
    how = f"{_yen(base)} + ({_yen(amount)} − {_yen(segment.start)}) × {_pct(segment.rate)} = {_yen(exact)}"
    return tax, f"{how} → 1円未満切捨て {_yen(tax)}"


def _less_per_person(tax: int, people: int, per_person: int) -> tuple[int, str]:
    reduced = max(tax - people * per_person, 0)
    floor = " (0円未満は0円)" if tax < people * per_person else ""
    return reduced, f"{_yen(tax)} − {people}人 × {_yen(per_person)} = {_yen(reduced)}{floor}"


def _table_tax(
    table: MonthlyTable, amount: int, column: str, dependents: int, secondary: int
) -> tuple[int, list[Step]]:
    """The 月額表 tax on ``amount`` (A) in ``column``, with the steps taken."""
    rule = RULE[column]
    if column == "甲":
        printed = min(dependents, KO_PRINTED_DEPENDENTS)
        if amount < table.ko_zero_below:
            # 月額表 甲欄: the first row starts at 105,000円 (令和2〜7年分 88,000円); below it, 0円.
            tax, how = 0, f"{_yen(amount)} < {_yen(table.ko_zero_below)} → 0円"
        elif amount < table.table_top:
            row = table.row_for(amount)
            tax = row[2 + printed]
            how = f"{_yen(row[0])}以上{_yen(row[1])}未満・扶養{printed}人の欄 → {_yen(tax)}"
        else:
            tax, how = _segment_tax(table.ko_segments, amount, printed)
            rule += " (740,000円以上)"
        steps = [Step(f"甲欄の税額(扶養{printed}人)", how, rule)]
        extra = dependents - KO_PRINTED_DEPENDENTS
        if extra > 0:
            tax, how = _less_per_person(tax, extra, table.per_person)
            steps.append(Step("7人を超える扶養親族等の控除", how, RULE_EXTRA))
        return tax, steps

    if amount < table.otsu_flat_below:
        # 月額表 乙欄: A < 105,000円 (令和2〜7年分 88,000円) → A × 3.063%, 1円未満切捨て.
        exact = amount * table.otsu_flat_rate
        tax = int(round_yen(exact, Rounding.TRUNCATE))
        how = f"{_yen(amount)} × {_pct(table.otsu_flat_rate)} = {_yen(exact)} → 1円未満切捨て {_yen(tax)}"
    elif amount < table.table_top:
        row = table.row_for(amount)
        tax = row[10]
        how = f"{_yen(row[0])}以上{_yen(row[1])}未満の乙欄 → {_yen(tax)}"
    else:
        tax, how = _segment_tax(table.otsu_segments, amount, 0)
        rule += " (740,000円以上)"
    steps = [Step("乙欄の税額", how, rule)]
    if secondary:
        tax, how = _less_per_person(tax, secondary, table.per_person)
        steps.append(Step("従たる給与の扶養親族等の控除", how, RULE_SECONDARY))
    return tax, steps


# --- 電算機計算の特例 ----------------------------------------------------------------------------


def _deduction(bands: tuple[Band, ...], amount: int) -> tuple[int, str]:
    # 別表第一・第三: 1円未満の端数は切上げ.
    band = next(b for b in bands if b.upto is None or amount <= b.upto)
    value = int(round_yen(amount * band.rate + band.add, Rounding.ROUND_UP))
    if not band.rate:
        return value, _yen(value)
    add = f"+ {_yen(band.add)}" if band.add >= 0 else f"− {_yen(-band.add)}"
    return value, f"{_yen(amount)} × {_pct(band.rate)} {add} (1円未満切上げ) = {_yen(value)}"


def _formula_tax(formula: Formula, amount: int, dependents: int) -> tuple[int, list[Step]]:
    """B = A − 別表第一 − 別表第二 − 別表第三; tax = 別表第四(B), 10円未満四捨五入."""
    rule = f"{RULE_FORMULA} {formula.url}"
    employment, employment_how = _deduction(formula.employment_income_deduction, amount)
    dependent = formula.dependent_deduction * dependents
    basic, basic_how = _deduction(formula.basic_deduction, amount)
    taxable = amount - employment - dependent - basic
    steps = [
        Step("給与所得控除の額(別表第一)", employment_how, rule),
        Step(
            "配偶者(特別)控除・扶養控除の額(別表第二)",
            f"{_yen(formula.dependent_deduction)} × {dependents}人 = {_yen(dependent)}",
            rule,
        ),
        Step("基礎控除の額(別表第三)", basic_how, rule),
        Step(
            "課税給与所得金額 B",
            f"{_yen(amount)} − {_yen(employment)} − {_yen(dependent)} − {_yen(basic)} = {_yen(taxable)}",
            rule,
        ),
    ]
    if taxable <= 0:
        return 0, [*steps, Step("税額(別表第四)", "B ≤ 0 → 0円", rule)]
    band = next(b for b in formula.tax_rates if b.upto is None or taxable <= b.upto)
    exact = taxable * band.rate - band.add
    # 別表第四: 10円未満の端数は四捨五入 (the rates include 復興特別所得税, ×102.1%).
    tax = max(int(quantize(exact, Rounding.HALF_UP, -1)), 0)
    how = f"{_yen(taxable)} × {_pct(band.rate)} − {_yen(band.add)} = {_yen(exact)} → 10円未満四捨五入 {_yen(tax)}"
    return tax, [*steps, Step("税額(別表第四)", how, rule)]


# --- the month's tax -----------------------------------------------------------------------------


def _monthly(
    amount: object,
    dependents: object,
    column: object,
    method: object,
    pay_date: object,
    secondary_dependents: object,
) -> tuple[int, list[Step]]:
    a = _yen_arg("amount", amount)
    n = _count_arg("dependents", dependents, "扶養親族等の数")
    secondary = _count_arg("secondary_dependents", secondary_dependents, "従たる給与の扶養親族等の数")
    col = _column_arg(column, n, secondary)
    if method not in METHODS:
        raise ValueError("method: 「table」(月額表)か「formula」(電算機計算の特例)を入れてください。")
    if method == "formula" and col == "乙":
        raise ValueError(
            "method: 電算機計算の特例(formula)は甲欄だけに使えます。乙欄は月額表(table)で求めます。"
        )
    paid = _date_arg(pay_date)
    steps = [
        Step(
            "社会保険料等控除後の給与等の金額 A",
            _yen(a),
            "所得税法185条1項 (その月の社会保険料等控除後の給与等の金額)",
        )
    ]
    if method == "formula":
        formula = formula_table(paid)
        steps.append(Step("使う特例", f"{formula.title} ({formula.file})", f"{RULE_FORMULA} {formula.url}"))
        tax, more = _formula_tax(formula, a, n)
    else:
        table = monthly_table(paid)
        steps.append(Step("使う税額表", f"{table.title} ({table.file})", f"{RULE[col]} {table.url}"))
        tax, more = _table_tax(table, a, col, n, secondary)
    return tax, [*steps, *more, Step("源泉徴収税額", _yen(tax), "所得税法183条1項 (給与等の源泉徴収義務)")]


def monthly_withholding(
    *,
    amount: int | Decimal,
    dependents: int = 0,
    column: str = "甲",
    method: str = "table",
    pay_date: date,
    secondary_dependents: int = 0,
) -> int:
    """The month's 源泉所得税 (所得税 + 復興特別所得税) on ``amount`` = その月の社会保険料等控除後の
    給与等の金額, by the 月額表 of the pay date (``method="table"``) or, 甲欄 only, by the
    電算機計算の特例 (``method="formula"``). ``dependents`` = 扶養親族等の数 (甲欄);
    ``secondary_dependents`` = the people on a 従たる給与についての扶養控除等申告書 (乙欄)."""
    return _monthly(amount, dependents, column, method, pay_date, secondary_dependents)[0]


def monthly_withholding_steps(
    *,
    amount: int | Decimal,
    dependents: int = 0,
    column: str = "甲",
    method: str = "table",
    pay_date: date,
    secondary_dependents: int = 0,
) -> list[Step]:
    """:func:`monthly_withholding` step by step (same code, same tables)."""
    return _monthly(amount, dependents, column, method, pay_date, secondary_dependents)[1]


# --- the bonus's tax -----------------------------------------------------------------------------


def _bonus(
    bonus_after_si: object,
    prev_month_after_si: object,
    dependents: object,
    column: object,
    pay_date: object,
    calc_period_months: object,
) -> tuple[int, list[Step]]:
    bonus = _yen_arg("bonus_after_si", bonus_after_si)
    prev = 0 if prev_month_after_si is None else _yen_arg("prev_month_after_si", prev_month_after_si)
    n = _count_arg("dependents", dependents, "扶養親族等の数")
    col = _column_arg(column, n, 0)
    paid = _date_arg(pay_date)
    # The 算出率の表 of the pay date's year must be registered even when this bonus is taxed by the
    # 月額表 (no previous-month pay, or more than 10 times it): a year whose bonus table is missing
    # (令和9年分 today) is refused as a whole, so that a bonus run is refused when it is created
    # rather than part-way through, for the employees who had pay in the previous month.
    rates = bonus_table(paid)
    period = _count_arg("calc_period_months", calc_period_months, "賞与の計算期間の月数", minimum=1)
    steps = [
        Step("賞与の金額(社会保険料等控除後)", _yen(bonus), "所得税法186条1項"),
        Step(
            "前月の社会保険料等控除後の給与等の金額",
            _yen(prev) + (" (前月の給与の支払なし)" if prev == 0 else ""),
            "所得税法186条1項1号",
        ),
    ]
    no_prev = prev == 0
    if not no_prev and bonus <= BONUS_MULTIPLE_LIMIT * prev:
        rate = rates.rate_for(prev, col, n)
        exact = bonus * rate / 100
        # 所得税法186条1項1号: (賞与 − 社会保険料等) × 算出率, 1円未満切捨て.
        tax = int(round_yen(exact, Rounding.TRUNCATE))
        which = f"甲欄 扶養{min(n, KO_PRINTED_DEPENDENTS)}人" if col == "甲" else "乙欄"
        return tax, [
            *steps,
            Step("使う表", f"{rates.title} ({rates.file})", f"平成24年財務省告示第115号 {rates.url}"),
            Step("算出率", f"前月{_yen(prev)}・{which} → {rate}%", RULE_BONUS_RATE),
            Step(
                "源泉徴収税額",
                f"{_yen(bonus)} × {rate}% = {_yen(exact)} → 1円未満切捨て {_yen(tax)}",
                RULE_BONUS_RATE,
            ),
        ]

    months = FULL_YEAR if period > HALF_YEAR else HALF_YEAR
    why = (
        "前月に給与の支払がない"
        if no_prev
        else f"賞与が前月の給与の10倍({_yen(BONUS_MULTIPLE_LIMIT * prev)})を超える"
    )
    table = monthly_table(paid)
    share = bonus // months  # 賞与の6分の1 (12分の1), 1円未満切捨て (jp-rules §1.4)
    longer = "、6か月を超えるので12" if months == FULL_YEAR else ""
    steps += [
        Step("月額表で求める理由", why, RULE_BONUS_MONTHLY),
        Step(
            f"賞与の{months}分の1",
            f"{_yen(bonus)} ÷ {months} = {_yen(share)} (計算期間{period}か月{longer})",
            RULE_BONUS_MONTHLY,
        ),
    ]
    with_bonus, inner = _table_tax(table, share + prev, col, n, 0)
    detail = "; ".join(s.value for s in inner)
    label = "前月の給与 + 賞与の按分額" if prev else "賞与の按分額"
    steps.append(
        Step(
            f"{label}の月額表の税額",
            f"{_yen(share + prev)} → {_yen(with_bonus)} [{detail}]",
            f"{RULE[col]} ({table.file})",
        )
    )
    without = 0
    if prev:
        without, inner = _table_tax(table, prev, col, n, 0)
        detail = "; ".join(s.value for s in inner)
        steps.append(
            Step(
                "前月の給与の月額表の税額",
                f"{_yen(prev)} → {_yen(without)} [{detail}]",
                f"{RULE[col]} ({table.file})",
            )
        )
    tax = (with_bonus - without) * months
    how = f"({_yen(with_bonus)} − {_yen(without)}) × {months} = {_yen(tax)}"
    return tax, [*steps, Step("源泉徴収税額", how, RULE_BONUS_MONTHLY)]


def bonus_withholding(
    *,
    bonus_after_si: int | Decimal,
    prev_month_after_si: int | Decimal | None,
    dependents: int = 0,
    column: str = "甲",
    pay_date: date,
    calc_period_months: int = 6,
) -> int:
    """The 源泉所得税 on a bonus. ``bonus_after_si`` = 賞与 − 賞与から控除する社会保険料等;
    ``prev_month_after_si`` = 前月の社会保険料等控除後の給与等の金額 (0 or None: no pay in the
    previous month); ``calc_period_months`` = the bonus's 計算期間 in months (over 6 → ×12)."""
    return _bonus(bonus_after_si, prev_month_after_si, dependents, column, pay_date, calc_period_months)[0]


def bonus_withholding_steps(
    *,
    bonus_after_si: int | Decimal,
    prev_month_after_si: int | Decimal | None,
    dependents: int = 0,
    column: str = "甲",
    pay_date: date,
    calc_period_months: int = 6,
) -> list[Step]:
    """:func:`bonus_withholding` step by step (same code, same tables)."""
    return _bonus(bonus_after_si, prev_month_after_si, dependents, column, pay_date, calc_period_months)[1]
