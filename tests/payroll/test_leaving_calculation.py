"""Leaving in the monthly pay (payroll.calculation, no database): 住民税 一括徴収 at the last pay
(地方税法321条の5第2項, jp-rules §3) and the premiums of the loss month (健康保険法167条1項・
厚生年金保険法84条1項 and their ただし書, jp-rules §2.3). Figures worked by hand in the comments:
the 住民税 notice 250,300円 → June 21,500, July–May 20,800 each (jp-rules §3's example);
premiums on 標準報酬 300,000 東京 令和8年度 as in test_calculation (健保 14,775, 支援金 345,
厚年 27,450 a month)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest

from ennoshita.payroll import posting
from ennoshita.payroll.calculation import compute_payslip
from ennoshita.payroll.calculation_inputs import ItemInput
from ennoshita.payroll.rules.resident_tax_leaving import lump_sum_rule, remaining_installments

from .test_calculation import attendance, ctx, taro

NOTICE = (21_500, 20_800)  # 年税額 250,300円


def resident_lines(slip):
    return [(x.name, x.amount, x.quantity) for x in slip.lines if x.code == "resident_tax"]


def anomaly_codes(slip):
    return [a["code"] for a in slip.anomalies]


def books_accept(slip) -> None:
    """What confirming checks (posting.figures_of): the payslip's figures add up."""
    fields = {
        **slip.fields,
        "inputs": slip.inputs,
        "department_id": None,
        "department_name": "",
        "is_officer": False,
    }
    lines = [SimpleNamespace(kind=x.kind, code=x.code, name=x.name, amount=x.amount) for x in slip.lines]
    posting.figures_of(SimpleNamespace(**fields), lines)


def leaver(retire: date, month: date, **kw):
    """Retiring on ``retire`` (喪失日 the next day), paid for ``month``'s attendance."""
    from datetime import timedelta

    values = {
        "retire_date": retire,
        "si_lost_on": retire + timedelta(days=1),
        "ei_lost_on": retire + timedelta(days=1),
        "resident_tax": NOTICE,
        "attendance": attendance(month=month, workdays=21),
    }
    values.update(kw)
    return taro(**values)


# ------------------------------------------------------------------------------ the rules


def test_which_case_a_retire_date_falls_in():
    assert [lump_sum_rule(retire_date=date(2026, m, 15)) for m in (1, 4, 5, 6, 12)] == [
        "required", "required", "none", "request", "request",
    ]  # fmt: skip
    assert lump_sum_rule(retire_date=date(2026, 4, 30)) == "required"
    assert lump_sum_rule(retire_date=date(2026, 6, 1)) == "request"


def test_remaining_installments_of_the_year():
    assert remaining_installments(pay_month=date(2026, 3, 1), june=21_500, monthly=20_800) == (
        [date(2026, 4, 1), date(2026, 5, 1)], 41_600,
    )  # fmt: skip
    months, total = remaining_installments(pay_month=date(2026, 6, 1), june=21_500, monthly=20_800)
    assert (months[0], months[-1], len(months), total) == (date(2026, 7, 1), date(2027, 5, 1), 11, 228_800)
    assert remaining_installments(pay_month=date(2026, 5, 1), june=21_500, monthly=20_800) == ([], 0)


# ------------------------------------------------------------------------------ 住民税 at the last pay


def test_leaving_in_march_collects_april_and_may_in_a_lump_when_paid_the_same_month():
    # 当月払い: retiring 3/31, the March pay is the last: March's installment 20,800 as usual, and
    # April + May (2 × 20,800 = 41,600) in a lump — required (321条の5第2項2号)
    slip = compute_payslip(leaver(date(2026, 3, 31), date(2026, 3, 1)), ctx(date(2026, 3, 1), offset=0))
    assert resident_lines(slip) == [
        ("住民税", 20_800, ""),
        ("住民税(一括徴収)", 41_600, "2026年4月〜2026年5月"),
    ]
    assert slip.fields["resident_tax"] == 62_400
    assert slip.inputs["resident_tax_lump"] == {
        "amount": 41_600, "months": ["2026-04", "2026-05"], "fiscal_year": 2025, "rule": "required",
    }  # fmt: skip
    assert "resident_tax_ordinary" not in anomaly_codes(slip)
    deductions = sum(x.amount for x in slip.lines if x.kind == "deduction")
    assert deductions == slip.fields["deduction_total"]
    assert slip.fields["net"] == slip.fields["gross"] - deductions
    books_accept(slip)
    # the February pay of the same person is not the last: only February's installment
    feb = compute_payslip(leaver(date(2026, 3, 31), date(2026, 2, 1)), ctx(date(2026, 2, 1), offset=0))
    assert resident_lines(feb) == [("住民税", 20_800, "")] and "resident_tax_lump" not in feb.inputs


def test_leaving_in_march_paid_the_next_month_collects_may_in_a_lump():
    # 末締め翌月払い: the April pay (March's work) is the last: April 20,800 + May 20,800 in a lump
    slip = compute_payslip(leaver(date(2026, 3, 31), date(2026, 3, 1)), ctx(date(2026, 4, 1), offset=1))
    assert resident_lines(slip) == [("住民税", 20_800, ""), ("住民税(一括徴収)", 20_800, "2026年5月")]
    assert slip.fields["resident_tax"] == 41_600
    books_accept(slip)


def test_leaving_in_september_lump_only_on_request():
    # 当月払い, retiring 9/30 (喪失 10/1): September's installment, and October–May (8 × 20,800 =
    # 166,400) only if the employee asked (321条の5第2項1号)
    base = leaver(date(2026, 9, 30), date(2026, 9, 1))
    without = compute_payslip(base, ctx(date(2026, 9, 1), offset=0))
    assert resident_lines(without) == [("住民税", 20_800, "")]
    assert without.inputs["resident_tax_ordinary"]["reason"] == "no_request"
    assert without.inputs["resident_tax_ordinary"]["amount"] == 166_400
    message = next(a for a in without.anomalies if a["code"] == "resident_tax_ordinary")
    assert message["level"] == "warning"
    assert "166,400円(2026年10月〜2027年5月分)は普通徴収" in message["message"]
    asked = compute_payslip(replace(base, resident_tax_lump_sum=True), ctx(date(2026, 9, 1), offset=0))
    assert resident_lines(asked) == [
        ("住民税", 20_800, ""),
        ("住民税(一括徴収)", 166_400, "2026年10月〜2027年5月"),
    ]
    assert asked.inputs["resident_tax_lump"]["rule"] == "request"
    assert "resident_tax_ordinary" not in anomaly_codes(asked)
    # the last pay also deducts the premiums of August分 and September分 (喪失 10/1):
    # 健保 2 × 14,775, 支援金 2 × 345, 厚年 2 × 27,450; 雇用 312,000 × 5/1000 = 1,560
    f = asked.fields
    assert asked.inputs["insurance_months"] == ["2026-08", "2026-09"]
    assert (f["health"], f["child_support"], f["pension"], f["employment"]) == (29_550, 690, 54_900, 1_560)
    assert f["net"] == without.fields["net"] - 166_400
    books_accept(asked)


def test_a_lump_the_pay_does_not_exceed_goes_to_ordinary_collection():
    # 年税額 1,200,000 → 100,000 a month; retiring 1/31 (required), the January pay would have to
    # take February–May = 400,000 — more than is left of it: only January's 100,000 is taken
    big = leaver(date(2026, 1, 31), date(2026, 1, 1), resident_tax=(100_000, 100_000))
    slip = compute_payslip(big, ctx(date(2026, 1, 1), offset=0))
    assert resident_lines(slip) == [("住民税", 100_000, "")]
    assert slip.fields["resident_tax"] == 100_000
    assert slip.inputs["resident_tax_ordinary"] == {
        "amount": 400_000, "months": ["2026-02", "2026-03", "2026-04", "2026-05"], "fiscal_year": 2025,
        "rule": "required", "reason": "short",
    }  # fmt: skip
    message = next(a for a in slip.anomalies if a["code"] == "resident_tax_ordinary")
    assert message["level"] == "warning" and "超えないため一括徴収できません" in message["message"]
    assert "普通徴収として" in message["message"] and slip.fields["net"] > 0


@pytest.mark.parametrize(("spare", "collected"), [(0, False), (1, True)])
def test_the_pay_must_exceed_the_lump(spare, collected):
    # 「…の額が未徴収税額を超える場合」: 40,000 a month, retiring 3/31 (当月払い) leaves April + May
    # = 80,000 to collect. A company deduction is set so that the pay left after every other
    # deduction (March's 40,000 included) is exactly 80,000 (not collected) or 80,001 (collected).
    base = leaver(date(2026, 3, 31), date(2026, 3, 1), resident_tax=None)
    free = compute_payslip(base, ctx(date(2026, 3, 1), offset=0)).fields["net"]
    union = ItemInput(code="union", name="組合費", kind="deduction", source="fixed",
                      amount=free - 40_000 - 80_000 - spare)  # fmt: skip
    e = replace(base, resident_tax=(40_000, 40_000), items=(union,))
    slip = compute_payslip(e, ctx(date(2026, 3, 1), offset=0))
    assert ("resident_tax_lump" in slip.inputs) is collected
    assert slip.fields["resident_tax"] == (120_000 if collected else 40_000)
    assert slip.fields["net"] == (spare if collected else 80_000 + spare)


def test_leaving_in_may_has_no_lump():
    # 末締め翌月払い, retiring 5/31: the June pay is the last and takes June's installment of the
    # new 年度 (21,500); July–May (11 × 20,800 = 228,800) go to 普通徴収: no 一括徴収 for May leavers
    slip = compute_payslip(leaver(date(2026, 5, 31), date(2026, 5, 1)), ctx(date(2026, 6, 1), offset=1))
    assert resident_lines(slip) == [("住民税", 21_500, "")]
    assert slip.inputs["resident_tax_ordinary"]["reason"] == "may"
    assert slip.inputs["resident_tax_ordinary"]["amount"] == 228_800


def test_no_notice_no_resident_tax():
    slip = compute_payslip(
        leaver(date(2026, 3, 31), date(2026, 3, 1), resident_tax=None), ctx(date(2026, 3, 1), offset=0)
    )
    assert resident_lines(slip) == [] and "resident_tax_ordinary" not in anomaly_codes(slip)


# ------------------------------------------------------------------------------ the loss month

# (退職日, 当月払い's last pay months, 末締め翌月払い's last pay months): the loss month (喪失日 =
# 退職日 + 1) carries no premium; a premium still due when the last pay comes is deducted then
CLASSIC = [
    # leave 7/31 → 喪失 8/1: July分 is due. 当月払い: the July pay deducts June分 and July分
    # (167条1項ただし書); 翌月払い: the August pay deducts July分 (June分 was in the July pay)
    (date(2026, 7, 31), ["2026-06", "2026-07"], ["2026-07"]),
    # leave 7/15 → 喪失 7/16: July is the loss month, nothing for it
    (date(2026, 7, 15), ["2026-06"], []),
    # leave 7/30 (a 31-day month) → 喪失 7/31: still the loss month July, nothing for it
    (date(2026, 7, 30), ["2026-06"], []),
]


@pytest.mark.parametrize(("retire", "same_month", "next_month"), CLASSIC)
def test_loss_month_classic_cases(retire, same_month, next_month):
    e = leaver(retire, date(2026, 7, 1), resident_tax=None)
    now = compute_payslip(e, ctx(date(2026, 7, 1), offset=0))
    later = compute_payslip(e, ctx(date(2026, 8, 1), offset=1))
    assert now.inputs["insurance_months"] == same_month
    assert later.inputs["insurance_months"] == next_month
    # each month 健保 14,775 + 支援金 345 + 厚年 27,450
    assert (now.fields["health"], now.fields["pension"]) == (
        14_775 * len(same_month),
        27_450 * len(same_month),
    )
    assert (later.fields["health"], later.fields["child_support"]) == (
        14_775 * len(next_month),
        345 * len(next_month),
    )
    # 翌月払い: the July pay (June's work) came before and deducted June分; together with the last
    # pay every month up to the one before the loss month is collected exactly once
    july = compute_payslip(
        replace(e, attendance=attendance(month=date(2026, 6, 1))), ctx(date(2026, 7, 1), offset=1)
    )
    assert july.inputs["insurance_months"] == ["2026-06"]


def test_a_leaver_without_a_recorded_loss_date_is_computed_from_the_retire_date_and_flagged():
    e = leaver(date(2026, 7, 31), date(2026, 7, 1), si_lost_on=None, resident_tax=None)
    slip = compute_payslip(e, ctx(date(2026, 7, 1), offset=0))
    assert slip.inputs["insurance_months"] == ["2026-06", "2026-07"]
    warning = next(a for a in slip.anomalies if a["code"] == "si_lost_missing")
    assert "2026-08-01" in warning["message"]


def test_acquired_and_lost_in_the_same_month_pays_that_month():
    # 同月得喪: 取得 7/1, 退職 7/20 (喪失 7/21): July counts as a month (厚生年金保険法19条2項)
    e = leaver(date(2026, 7, 20), date(2026, 7, 1), resident_tax=None, hire_date=date(2026, 7, 1),
               si_acquired_on=date(2026, 7, 1), ei_acquired_on=date(2026, 7, 1))  # fmt: skip
    assert compute_payslip(e, ctx(date(2026, 8, 1), offset=1)).inputs["insurance_months"] == ["2026-07"]
    assert compute_payslip(e, ctx(date(2026, 7, 1), offset=0)).inputs["insurance_months"] == ["2026-07"]
