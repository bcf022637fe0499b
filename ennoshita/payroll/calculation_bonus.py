"""One employee's bonus (賞与), computed from plain inputs (no database): bonus_inputs.py reads them,
services/bonus.py writes the result. The legal figures come from ``payroll.rules``:

- 標準賞与額 = the bonus 1,000円未満切捨て (健康保険法45条1項, 厚生年金保険法24条の4第1項); 健康保険
  (介護・子ども・子育て支援金 on the same amount) counts at most 573万円 in the fiscal year April–March,
  cumulative (健康保険法45条1項); 厚生年金 at most 150万円 in a calendar month, the month's bonuses
  together (厚生年金保険法24条の4第1項) — ``rules.bonus_social_insurance``;
- 健康保険 at 協会けんぽ's 都道府県 rate or at the company's 健康保険組合's own rates and split
  (``BonusContext.insurer``, 健康保険法160条・162条);
- premiums only when insured in the month of payment: the month of the 喪失日 carries no premium
  (健康保険法156条3項, 厚生年金保険法19条1項・81条2項; jp-rules §2.3); 厚生年金 ends at 70
  (厚生年金保険法9条・14条5号: the 喪失日 is the day the 70th year is reached);
- 雇用保険 on the bonus (賃金総額, 労働保険徴収法2条2項・11条) at the rate for the bonus's pay date
  as its 締切日 — ``rules.employment_insurance``;
- 源泉所得税 by the 算出率の表 on the previous month's 社会保険料等控除後の給与, or the 月額表 method
  when there was no salary last month or the bonus exceeds 10 times it (所得税法186条, 平成24年
  財務省告示第115号第3項; jp-rules §1.4) — ``rules.bonus_withholding``;
- no 住民税 (特別徴収 is 12 monthly installments from salary: 地方税法321条の5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ennoshita.payroll import rules
from ennoshita.payroll.rules.insurance import UnionRates, UnionRateSchedule, dated_tables
from ennoshita.payroll.rules.withholding import BONUS_MULTIPLE_LIMIT
from ennoshita.payroll.rules.withholding_tables import bonus_table

from .calculation_inputs import LineOut, PayslipOut, insurer_at, insurer_record

__all__ = [
    "BonusContext",
    "BonusInput",
    "bonus_caps",
    "check_dates",
    "compute_bonus",
    "fiscal_year_start",
    "pension_until",
]

PENSION_UNTIL_AGE = 70  # 厚生年金保険法9条: 70歳未満 are insured


@dataclass(frozen=True)
class BonusContext:
    pay_date: date  # chooses the 算出率の表, the insurance month and the 雇用保険 rate
    prefecture: str
    business: str
    period_months: int = 6  # the bonus's 計算期間 (告示第115号第3項: over 6 → ÷12 ×12)
    # 健康保険の保険者: None = 協会けんぽ; a 健康保険組合's own rates (on the 標準賞与額 too), dated:
    # the bonus's insurance month is the month of its pay date
    insurer: UnionRates | UnionRateSchedule | None = None

    def rates(self) -> UnionRates | None:
        return insurer_at(self.insurer, self.pay_date)


@dataclass(frozen=True)
class BonusInput:
    employee_id: int
    number: str
    name: str
    amount: int
    department_id: int | None = None
    department_name: str = ""
    birth_date: date | None = None
    hire_date: date | None = None
    pay_type: str = "monthly"
    is_officer: bool = False
    tax_column: str = "甲"
    dependents: int = 0
    health_insured: bool = True
    si_acquired_on: date | None = None
    si_lost_on: date | None = None
    employment_insured: bool = True
    ei_acquired_on: date | None = None
    ei_lost_on: date | None = None
    main_account: dict[str, str] | None = None
    note: str = ""
    # 標準賞与額 (健保, after the cap) of the confirmed bonuses paid earlier in the fiscal year
    health_so_far: int = 0
    # 標準賞与額 (厚年, after the cap) of the confirmed bonuses paid earlier in the same month
    pension_so_far: int = 0
    # 前月の社会保険料等控除後の給与等の金額: None when no salary was paid in the previous month
    prev_month_after_si: int | None = None


def fiscal_year_start(day: date) -> date:
    """The April 1 that opens the 健康保険 fiscal year (4月〜翌3月) holding ``day``."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _table(kind: str, month: date) -> dict[str, Any]:
    for table in dated_tables(kind):
        if table.covers(month):
            return table.data
    raise ValueError(
        f"{month.year}年{month.month}月分の標準報酬の表が登録されていません(ennoshita/payroll/rules/data)。"
    )


def bonus_caps(month: date) -> tuple[int, int]:
    """(健保 annual cap 5,730,000, 厚年 monthly cap 1,500,000) from the dated grade tables."""
    first = month.replace(day=1)
    return int(_table("health_grades", first)["bonus_annual_cap"]), int(
        _table("pension_grades", first)["bonus_monthly_cap"]
    )


def _age_reached(birth: date, age: int) -> date:
    """年齢計算ニ関スル法律: the age is reached on the day before the birthday."""
    try:
        birthday = birth.replace(year=birth.year + age)
    except ValueError:  # 29 February
        birthday = date(birth.year + age, 3, 1)
    return birthday - timedelta(days=1)


def pension_until(birth: date) -> date:
    """The first month without 厚生年金: the month holding the day the 70th year is reached (the
    喪失日, 厚生年金保険法14条5号; the month of loss carries no premium)."""
    return _age_reached(birth, PENSION_UNTIL_AGE).replace(day=1)


def check_dates(ctx: BonusContext) -> None:
    """ValueError naming what the rules lack for this pay date (tables not loaded), so that a run
    is refused when it is created rather than when the amounts are entered."""
    rules.bonus_withholding(bonus_after_si=0, prev_month_after_si=None, pay_date=ctx.pay_date)
    rules.bonus_social_insurance(
        bonus=0,
        prefecture=ctx.prefecture,
        birth_date=date(1990, 1, 1),
        month=ctx.pay_date,
        insurer=ctx.rates(),
    )
    rules.employment_insurance(wages=0, business=ctx.business, closing_date=ctx.pay_date)
    bonus_caps(ctx.pay_date)


def _si_state(e: BonusInput, ctx: BonusContext) -> str:
    """ "insured", "loss_month" (insured on the pay date but the 喪失日 falls later in the same
    month: no premium, the 健保 amount still counts toward the year's 573万円) or "none"."""
    if not e.health_insured or e.si_acquired_on is None or e.si_acquired_on > ctx.pay_date:
        return "none"
    if e.si_lost_on is None:
        return "insured"
    if e.si_lost_on <= ctx.pay_date:
        return "none"
    month = ctx.pay_date.replace(day=1)
    return "loss_month" if e.si_lost_on.replace(day=1) == month else "insured"


def _premiums(
    e: BonusInput,
    ctx: BonusContext,
    fields: dict[str, Any],
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
) -> None:
    month = ctx.pay_date.replace(day=1)
    standard = e.amount // 1000 * 1000  # for the record; the rules compute the same
    annual_cap, monthly_cap = bonus_caps(month)
    health_base = min(standard, max(0, annual_cap - e.health_so_far))
    pension_base = min(standard, max(0, monthly_cap - e.pension_so_far))
    state = _si_state(e, ctx)
    over_70 = e.birth_date is not None and pension_until(e.birth_date) <= month
    if over_70:
        pension_base = 0
    zero = dict.fromkeys(
        (
            "health",
            "child_support",
            "pension",
            "employer_health",
            "employer_child_support",
            "employer_pension",
        ),
        0,
    )
    fields.update(zero)
    fields["care_applies"] = False
    fields["standard_bonus"] = standard if state != "none" else 0
    fields["standard_bonus_health"] = health_base if state != "none" else 0
    fields["standard_bonus_pension"] = pension_base if state == "insured" else 0
    inputs.update(
        {
            "insurance_month": month.strftime("%Y-%m"),
            "si_state": state,
            "over_70": over_70,
            "health_so_far": e.health_so_far,
            "pension_so_far": e.pension_so_far,
            "employer_child_contribution": 0,
        }
    )
    if state != "insured":
        return
    if e.birth_date is None:
        anomalies.append(
            {
                "level": "warning",
                "code": "no_birth_date",
                "message": "生年月日が登録されていないため、介護保険料を計算していません。社員名簿を確認してください。",
            }
        )
    birth = e.birth_date or month  # no one is 40 then: 介護 not applied (flagged above)
    p = rules.bonus_social_insurance(
        bonus=e.amount,
        prefecture=ctx.prefecture,
        birth_date=birth,
        month=month,
        standard_bonus_so_far_this_fiscal_year=e.health_so_far,
        insurer=ctx.rates(),
    )
    if (rates := ctx.rates()) is not None:
        inputs["health_insurer"] = insurer_record(rates)
    fields.update(
        health=p.health,
        child_support=p.child_support,
        employer_health=p.employer_health,
        employer_child_support=p.employer_child_support,
        care_applies=p.care_applies,
    )
    if pension_base == min(standard, monthly_cap):
        fields.update(pension=p.pension, employer_pension=p.employer_pension)
        inputs["employer_child_contribution"] = p.employer_child_contribution
    elif pension_base > 0:
        # earlier bonuses this month used part of the 150万円: the premium on what is left
        # (a multiple of 1,000円, so the rule function takes it as the 標準賞与額 as it is)
        q = rules.bonus_social_insurance(
            bonus=pension_base, prefecture=ctx.prefecture, birth_date=birth, month=month, insurer=ctx.rates()
        )
        fields.update(pension=q.pension, employer_pension=q.employer_pension)
        inputs["employer_child_contribution"] = q.employer_child_contribution


def _employment(e: BonusInput, ctx: BonusContext) -> int:
    """雇用保険料 on the bonus: insured on the pay date, not an officer (雇用保険法: 役員は労働者でない)."""
    if not e.employment_insured or e.is_officer:
        return 0
    acquired = e.ei_acquired_on or e.hire_date
    if (
        acquired is None
        or acquired > ctx.pay_date
        or (e.ei_lost_on is not None and e.ei_lost_on <= ctx.pay_date)
    ):
        return 0
    return rules.employment_insurance(wages=e.amount, business=ctx.business, closing_date=ctx.pay_date)


def _income_tax(
    e: BonusInput,
    ctx: BonusContext,
    fields: dict[str, Any],
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
) -> int:
    after = max(e.amount - int(fields["social_insurance_total"]), 0)
    prev = e.prev_month_after_si if e.prev_month_after_si and e.prev_month_after_si > 0 else 0
    dependents = e.dependents if e.tax_column == "甲" else 0
    tax = rules.bonus_withholding(
        bonus_after_si=after,
        prev_month_after_si=prev,
        dependents=dependents,
        column=e.tax_column,
        pay_date=ctx.pay_date,
        calc_period_months=ctx.period_months,
    )
    # which way the rule went (所得税法186条 / 告示第115号第3項), for the 源泉徴収簿 and the payslip
    if prev and after <= BONUS_MULTIPLE_LIMIT * prev:
        rate = bonus_table(ctx.pay_date).rate_for(prev, e.tax_column, dependents)
        inputs["withholding_method"] = "bonus_rate"
        inputs["bonus_rate"] = str(rate)
    else:
        inputs["withholding_method"] = "bonus_monthly"
        inputs["bonus_rate"] = ""
        why = "前月に給与の支払がない" if not prev else "賞与が前月の給与の10倍を超える"
        anomalies.append(
            {
                "level": "warning",
                "code": "bonus_monthly_method",
                "message": f"{why}ため、源泉所得税を月額表で計算しました(計算期間{ctx.period_months}か月)。",
            }
        )
    inputs["prev_month_after_si"] = prev
    inputs["taxable_after_si"] = after
    inputs["calc_period_months"] = ctx.period_months
    return tax


def _line(kind: str, code: str, name: str, amount: int, order: int, taxable: bool = False) -> LineOut:
    return LineOut(kind, code, name, amount, "", taxable, order)


def compute_bonus(e: BonusInput, ctx: BonusContext) -> PayslipOut:
    """The payslip of one bonus: the 賞与 payment line and the legal deductions. ValueError from the
    rules when a table for the pay date is missing."""
    if e.amount <= 0:
        raise ValueError("amount: 賞与の額は1円以上です。")
    fields: dict[str, Any] = {
        "gross": e.amount,
        "taxable": e.amount,
        "nontaxable": 0,
        "social_insurance_wage": e.amount,
        "employment_insurance_wage": e.amount,
        "resident_tax": 0,  # 住民税 is never withheld from a bonus (地方税法321条の5)
        "other_deductions": 0,
    }
    inputs: dict[str, Any] = {"bonus": e.amount, "note": e.note, "pay_date": ctx.pay_date.isoformat()}
    anomalies: list[dict[str, str]] = []
    _premiums(e, ctx, fields, inputs, anomalies)
    fields["employment"] = _employment(e, ctx)
    fields["social_insurance_total"] = (
        fields["health"] + fields["child_support"] + fields["pension"] + fields["employment"]
    )
    fields["income_tax"] = _income_tax(e, ctx, fields, inputs, anomalies)
    inputs["dependents"] = e.dependents if e.tax_column == "甲" else 0
    inputs["tax_column"] = e.tax_column
    health_name = "健康保険料(介護含む)" if fields["care_applies"] else "健康保険料"
    deductions = [
        _line("deduction", "health", health_name, fields["health"], 10),
        _line("deduction", "child_support", "子ども・子育て支援金", fields["child_support"], 20),
        _line("deduction", "pension", "厚生年金保険料", fields["pension"], 30),
        _line("deduction", "employment", "雇用保険料", fields["employment"], 40),
        _line("deduction", "income_tax", "所得税", fields["income_tax"], 50),
    ]
    lines = [_line("payment", "bonus", "賞与", e.amount, 10, taxable=True)]
    lines += [line for line in deductions if line.amount]
    fields["deduction_total"] = fields["social_insurance_total"] + fields["income_tax"]
    fields["net"] = e.amount - fields["deduction_total"]
    # the whole net to the employee's own account (a second account's monthly split is for salary)
    fields["bank"] = {"main": e.main_account, "split": None}
    fields["split_transfer_amount"] = 0
    fields["transfer_amount"] = fields["net"] if e.main_account else 0
    if e.main_account is None:
        anomalies.append(
            {
                "level": "warning",
                "code": "no_bank_account",
                "message": f"振込口座が登録されていません。{fields['net']:,}円は現金などで支払ってください。",
            }
        )
    return PayslipOut(fields=fields, lines=lines, inputs=inputs, anomalies=anomalies)
