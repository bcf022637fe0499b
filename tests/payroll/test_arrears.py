"""遡及差額: a raise (or a cut) recorded late and dated back is settled in the next salary run, month
by month, as lines of its own; a month already settled is not paid twice. Attendance punched and
closed through attendance's services (tests/payroll/test_runs.py helpers); figures worked by hand."""

from __future__ import annotations

from datetime import date, time

import pytest

from ennoshita.payroll import rules
from ennoshita.payroll.calculation_arrears import PaidMonth, arrears_due
from ennoshita.payroll.calculation_inputs import LineOut
from ennoshita.payroll.models import PayrollRun, Payslip, RunStatus
from ennoshita.payroll.services import runs as services

from ..conftest import make_employee
from .factories import make_grade, make_group, make_profile
from .test_runs import BANK, close, punch_month

pytestmark = pytest.mark.django_db


def run_for(company, member, month: date) -> PayrollRun:
    return services.create_run(
        company=company, actor=member.user, membership=member, pay_group=make_group(company), pay_month=month
    )


def confirmed(run: PayrollRun) -> PayrollRun:
    """Marked confirmed as the confirm flow leaves it (the flow has its own tests)."""
    run.status = RunStatus.CONFIRMED
    run.save(update_fields=["status"])
    return run


def lines(slip: Payslip) -> dict[str, tuple[str, int]]:
    return {line.code: (line.name, int(line.amount)) for line in slip.lines.all()}


@pytest.fixture
def taro(company, hr, department):
    """月給 300,000 + 通勤 12,000 (非課税), 甲欄 1人, 標準報酬 300,000."""
    e = make_employee(company, hr, department, number="0001", birth_date=date(1991, 4, 10), **BANK)
    make_profile(e, hr.user, make_group(company), commute_allowance=12_000, dependents=1)
    make_grade(e, 300_000, effective_from=date(2025, 9, 1))
    return e


@pytest.fixture
def paid_april_may(company, hr, taro):
    """April pay (March attendance, 1 hour over every day: 21 workdays → 21:00 時間外) and May pay
    (April attendance, no overtime), both confirmed; May attendance closed for June."""
    punch_month(company, taro, date(2026, 3, 1), out=time(19))
    punch_month(company, taro, date(2026, 4, 1))
    punch_month(company, taro, date(2026, 5, 1))
    for m in (3, 4, 5):
        close(company, hr, date(2026, m, 1))
    april = confirmed(run_for(company, hr, date(2026, 4, 1)))
    may = confirmed(run_for(company, hr, date(2026, 5, 1)))
    return april, may


def test_a_raise_recorded_in_june_dated_back_to_april_pays_april_and_may(company, hr, taro, paid_april_may):
    april, _may = paid_april_may
    a = Payslip.objects.get(run=april)
    # 時間外 21:00 at 300,000 × 12 ÷ 2,080 = 1,730.77 → 1,731円: 1,731 × 1.25 × 21 = 45,438.75 → 45,439
    assert lines(a)["overtime"] == ("時間外手当", 45_439)
    # recorded in June: 基本給 320,000 from April
    make_profile(
        taro, hr.user, make_group(company), effective_from=date(2026, 4, 1), base_pay=320_000,
        commute_allowance=12_000, dependents=1,
    )  # fmt: skip
    june = run_for(company, hr, date(2026, 6, 1))
    slip = Payslip.objects.get(run=june)
    got = lines(slip)
    # April: 基本給 +20,000; 時間外 on 320,000 × 12 ÷ 2,080 = 1,846.15 → 1,846円:
    # 1,846 × 1.25 × 21 = 48,457.5 → 48,458 (50銭以上は切上げ, 基発150号) − 45,439 = +3,019. May: 基本給 +20,000
    assert got["arr:202604:base"] == ("遡及差額(基本給 2026年4月分)", 20_000)
    assert got["arr:202604:overtime"] == ("遡及差額(時間外手当 2026年4月分)", 3_019)
    assert got["arr:202605:base"] == ("遡及差額(基本給 2026年5月分)", 20_000)
    assert got["base"] == ("基本給", 320_000)
    arrears = 43_019
    # wages of the month paid: taxable, in the 報酬 and the 雇用保険 wage
    assert slip.gross == 320_000 + 12_000 + arrears
    assert slip.taxable == 320_000 + arrears
    assert slip.social_insurance_wage == slip.employment_insurance_wage == 332_000 + arrears
    si = slip.health + slip.child_support + slip.pension + slip.employment
    assert slip.income_tax == rules.monthly_withholding(
        amount=int(slip.taxable) - int(si), dependents=1, column="甲", method="table", pay_date=june.pay_date
    )
    assert [
        (r["month"], r["code"], r["paid"], r["due"], r["difference"]) for r in slip.inputs["arrears"]
    ] == [
        ("2026-04", "base", 300_000, 320_000, 20_000),
        ("2026-04", "overtime", 45_439, 48_458, 3_019),
        ("2026-05", "base", 300_000, 320_000, 20_000),
    ]
    notes = [x for x in slip.anomalies if x["code"] == "arrears"]
    assert len(notes) == 1 and "+43,019円" in notes[0]["message"]
    # once June is confirmed, July pays no arrears again
    confirmed(june)
    punch_month(company, taro, date(2026, 6, 1))
    close(company, hr, date(2026, 6, 1))
    july = Payslip.objects.get(run=run_for(company, hr, date(2026, 7, 1)))
    assert not any(code.startswith("arr:") for code in lines(july))
    assert "arrears" not in july.inputs


def test_a_cut_dated_back_is_taken_as_a_deduction(company, hr, taro, paid_april_may):
    make_profile(
        taro, hr.user, make_group(company), effective_from=date(2026, 5, 1), base_pay=290_000,
        commute_allowance=12_000, dependents=1,
    )  # fmt: skip
    slip = Payslip.objects.get(run=run_for(company, hr, date(2026, 6, 1)))
    got = lines(slip)
    assert got["item:arr:202605:base"] == ("遡及差額(基本給 2026年5月分)", 10_000)
    assert not any(code.startswith("arr:") for code in got)  # April was not cut
    assert slip.gross == 290_000 + 12_000  # the deduction does not lower this month's wages
    assert slip.other_deductions == 10_000
    assert slip.net == slip.gross - slip.deduction_total
    assert slip.inputs["arrears"][0]["difference"] == -10_000


def test_no_arrears_without_a_back_dated_change(company, hr, taro, paid_april_may):
    slip = Payslip.objects.get(run=run_for(company, hr, date(2026, 6, 1)))
    assert "arrears" not in slip.inputs
    assert not any(a["code"] == "arrears" for a in slip.anomalies)


def test_arrears_due_is_pure_and_counts_what_was_already_paid():
    month = date(2026, 4, 1)
    now = [
        LineOut("payment", "base", "基本給", 320_000, "", True, 10, True, True),
        LineOut("payment", "absence", "欠勤控除", -16_000, "", True, 20, True, True),
        LineOut("payment", "item:duty", "役職手当", 15_000, "", True, 100, True, True),
    ]
    paid = PaidMonth(month, lines={"base": 285_000, "item:duty": 10_000}, arrears={"base": 10_000})
    got = arrears_due(paid=paid, recomputed=now, item_codes=["duty"])
    # 基本給 (欠勤控除 included): 304,000 − (285,000 + 10,000 already paid) = 9,000; 役職手当 +5,000
    assert [(a.code, a.difference, a.label) for a in got] == [
        ("base", 9_000, "遡及差額(基本給 2026年4月分)"),
        ("item:duty", 5_000, "遡及差額(役職手当 2026年4月分)"),
    ]
