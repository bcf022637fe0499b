"""One employee's pay (payroll.calculation), no database: hand-worked employees. Every expected
figure is worked in the comments from the published rates (jp-rules §1–§3, 協会けんぽ 令和8年度,
MHLW 雇用保険料率, NTA 月額表 令和8年分 rows as printed) — not from the code under test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from ennoshita.attendance.timesheet_selectors import MonthlyTotals
from ennoshita.payroll.calculation import compute_payslip
from ennoshita.payroll.calculation_inputs import (
    AttendanceInput,
    EmployeeInput,
    GradeInput,
    ItemInput,
    PreviousSlip,
    RunContext,
)

BANK = {
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "1234567",
    "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
}


def totals(month: date = date(2026, 5, 1), **kw) -> MonthlyTotals:
    values = {
        "employee_id": 1, "month": month, "days_worked": 18, "absences": 0, "late_count": 0, "late_minutes": 0,
        "early_leave_count": 0, "early_leave_minutes": 0, "worked": 18 * 480, "scheduled": 18 * 480,
        "legal_overtime": 0, "overtime": 0, "overtime_over_60": 0, "overtime_night": 0, "night": 0, "holiday": 0,
        "holiday_night": 0, "scheduled_holiday": 0, "overtime_rounded": 0, "holiday_rounded": 0, "night_rounded": 0,
        "open_days": 0,
    }  # fmt: skip
    values.update(kw)
    return MonthlyTotals(**values)


def attendance(workdays: int = 18, in_service: int | None = None, **kw) -> AttendanceInput:
    paid_leave = kw.pop("paid_leave_minutes", 0)
    return AttendanceInput(
        totals=totals(**kw),
        workdays=workdays,
        workdays_in_service=workdays if in_service is None else in_service,
        daily_minutes=480,
        paid_leave_minutes=paid_leave,
    )


def ctx(pay_month: date = date(2026, 6, 1), offset: int = 1, **kw) -> RunContext:
    """末締め翌月25日払い unless ``offset`` is 0 (当月払い)."""
    att = date(pay_month.year - (pay_month.month == 1 and offset), (pay_month.month - offset - 1) % 12 + 1, 1)
    end = date(att.year + att.month // 12, att.month % 12 + 1, 1)
    from datetime import timedelta

    values = {
        "pay_month": pay_month, "attendance_month": att, "period_start": att, "period_end": end - timedelta(days=1),
        "pay_date": pay_month.replace(day=25), "withholding_method": "table", "prefecture": "東京都",
        "business": "一般", "proration_rule": "calendar", "annual_scheduled_hours": Decimal(2080), "anomaly_percent": 20,
    }  # fmt: skip
    values.update(kw)
    return RunContext(**values)


def taro(**kw) -> EmployeeInput:
    """月給 300,000 + 通勤 12,000, 甲欄 1人, 35歳, 標準報酬 300,000 (健保22級・厚年19級)."""
    values = {
        "employee_id": 1, "number": "0001", "name": "山田 太郎", "department_id": None, "department_name": "",
        "birth_date": date(1991, 4, 10), "hire_date": date(2020, 4, 1), "retire_date": None,
        "pay_type": "monthly", "base_pay": 300_000, "commute_allowance": 12_000, "dependents": 1,
        "si_acquired_on": date(2020, 4, 1), "ei_acquired_on": date(2020, 4, 1), "main_account": BANK,
        "grades": (GradeInput(date(2020, 4, 1), 300_000, 300_000),), "attendance": attendance(),
    }  # fmt: skip
    values.update(kw)
    return EmployeeInput(**values)


def line(slip, code):
    return next((x.amount for x in slip.lines if x.code == code), 0)


def test_monthly_salary_tokyo_35():
    slip = compute_payslip(taro(), ctx())
    f = slip.fields
    # pay month 2026-06 deducts insurance month 2026-05 (健康保険法167条1項)
    # 健康保険 東京 R8 9.85 %: 300,000 × 9.85 % = 29,550 ÷ 2 = 14,775 (35歳: no 介護)
    # 支援金 0.23 %: 300,000 × 0.23 % = 690 ÷ 2 = 345; 厚年 18.3 %: 54,900 ÷ 2 = 27,450
    # 雇用保険 (締切日 2026-05-31, R8 一般 5/1000) on 312,000 (通勤手当 included) = 1,560
    assert (f["health"], f["care_applies"], f["child_support"], f["pension"], f["employment"]) == (
        14_775, False, 345, 27_450, 1_560,
    )  # fmt: skip
    assert f["social_insurance_total"] == 44_130
    # taxable 300,000 (通勤 12,000 is within 150,000: not taxable); − 44,130 = 255,870
    # 月額表 令和8年分 row 254,000–257,000, 甲 1人 → 4,710
    assert (f["gross"], f["taxable"], f["nontaxable"]) == (312_000, 300_000, 12_000)
    assert f["income_tax"] == 4_710
    assert f["resident_tax"] == 0
    # net 312,000 − (44,130 + 4,710) = 263,160, all to the employee's account
    assert f["deduction_total"] == 48_840 and f["net"] == 263_160
    assert f["transfer_amount"] == 263_160 and f["bank"]["main"] == BANK
    assert slip.inputs["insurance_months"] == ["2026-05"]
    assert slip.inputs["employer_child_contribution"] == 1_080  # 拠出金 300,000 × 0.36 %, employer only
    assert slip.inputs["hourly_base"] == 1731  # 300,000 × 12 ÷ 2,080 = 1,730.77 → 1,731 (50銭)
    payments = sum(x.amount for x in slip.lines if x.kind == "payment")
    deductions = sum(x.amount for x in slip.lines if x.kind == "deduction")
    assert (payments, deductions) == (f["gross"], f["deduction_total"])
    assert [x.name for x in slip.lines if x.kind == "info"] == [
        "出勤日数", "欠勤日数", "労働時間", "時間外", "休日", "深夜", "有休取得",
    ]  # fmt: skip
    assert slip.anomalies == []


def test_care_starts_with_the_month_holding_the_day_before_the_40th_birthday():
    # born 1986-05-02: 40 is reached on 2026-05-01 (the day before the birthday) → 介護 from May分
    born = taro(birth_date=date(1986, 5, 2))
    may = compute_payslip(born, ctx(date(2026, 6, 1))).fields  # insurance month May
    april = compute_payslip(born, ctx(date(2026, 5, 1))).fields  # insurance month April
    # 9.85 % + 1.62 % = 11.47 %: 300,000 × 11.47 % = 34,410 ÷ 2 = 17,205
    assert (may["health"], may["care_applies"]) == (17_205, True)
    assert (april["health"], april["care_applies"]) == (14_775, False)
    # born 1986-05-01: 40 reached 2026-04-30 → April分 already has it
    early = compute_payslip(taro(birth_date=date(1986, 5, 1)), ctx(date(2026, 5, 1))).fields
    assert early["health"] == 17_205
    slip = compute_payslip(born, ctx(date(2026, 6, 1)))
    assert [x.name for x in slip.lines if x.code == "health"] == ["健康保険料(介護含む)"]


def test_hourly_part_timer_without_social_insurance():
    # 時給 1,200: 80 h worked + 1 day of paid leave whose plan is 8 h (労基法39条9項: 通常の賃金)
    e = taro(
        pay_type="hourly", base_pay=1_200, commute_allowance=0, dependents=0, health_insured=False,
        attendance=attendance(days_worked=10, worked=4_800, scheduled=4_800, leave_paid_days=Decimal(1),
                              paid_leave_minutes=480),
    )  # fmt: skip
    slip = compute_payslip(e, ctx())
    f = slip.fields
    assert line(slip, "base") == 105_600  # 1,200 × (80 + 8) h
    assert (f["health"], f["pension"], f["child_support"]) == (0, 0, 0)
    assert slip.inputs["insurance_months"] == []
    assert f["employment"] == 528  # 105,600 × 5/1000
    # 105,600 − 528 = 105,072 → row 105,000–107,000 甲 0人 = 170
    assert f["income_tax"] == 170
    assert f["net"] == 105_600 - 528 - 170


def test_mid_month_joiner_by_calendar_and_by_scheduled_days():
    # hired Monday 2026-05-18: 14 of May's 31 days; 10 of its 18 scheduled workdays
    joiner = taro(hire_date=date(2026, 5, 18), si_acquired_on=date(2026, 5, 18),
                  attendance=attendance(workdays=18, in_service=10, days_worked=10))  # fmt: skip
    by_calendar = compute_payslip(joiner, ctx())
    assert line(by_calendar, "base") == 135_484  # 300,000 × 14 ÷ 31 = 135,483.87
    assert by_calendar.inputs["proration"] == "暦日 14/31"
    by_days = compute_payslip(joiner, ctx(proration_rule="scheduled"))
    assert line(by_days, "base") == 166_667  # 300,000 × 10 ÷ 18 = 166,666.67
    # acquired 5/18: May分 is due and deducted from June's pay
    assert by_days.inputs["insurance_months"] == ["2026-05"]


def test_leavers_last_pay_deducts_two_months():
    # 当月払い: pay month June pays June; retired 6/30, 喪失日 7/1 → June is covered too, and this
    # is the last pay: May分 (167条1項) and June分 (ただし書) are both deducted
    leaver = taro(retire_date=date(2026, 6, 30), si_lost_on=date(2026, 7, 1), ei_lost_on=date(2026, 7, 1),
                  attendance=attendance(month=date(2026, 6, 1), workdays=22))  # fmt: skip
    slip = compute_payslip(leaver, ctx(date(2026, 6, 1), offset=0))
    f = slip.fields
    assert slip.inputs["insurance_months"] == ["2026-05", "2026-06"]
    assert (f["health"], f["child_support"], f["pension"]) == (2 * 14_775, 2 * 345, 2 * 27_450)
    assert f["employment"] == 1_560  # his June wages 312,000 × 5/1000 (締切日 6/30)
    # retiring 6/15 (喪失日 6/16): June carries no premium, only May分
    early = replace(leaver, retire_date=date(2026, 6, 15), si_lost_on=date(2026, 6, 16))
    assert compute_payslip(early, ctx(date(2026, 6, 1), offset=0)).inputs["insurance_months"] == ["2026-05"]


def test_otsu_column_uses_the_table():
    # 乙欄, no insurance: 200,000 → row 199,000–201,000 乙 = 19,700 (dependents ignored)
    e = taro(base_pay=200_000, commute_allowance=0, tax_column="乙", dependents=2, health_insured=False,
             employment_insured=False)  # fmt: skip
    slip = compute_payslip(e, ctx(withholding_method="formula"))
    assert slip.fields["income_tax"] == 19_700
    assert slip.inputs["withholding_method"] == "table"


def test_overtime_beyond_60_hours():
    # 月給 340,000, 年間所定 2,040 h → 340,000 ÷ 170 = 2,000 an hour (労基則19条)
    # 70 h 時間外: 60 h × 2,000 × 1.25 = 150,000 + 10 h × 2,000 × 1.5 = 30,000 → 180,000
    # 2 h 深夜 outside 時間外: 2 × 2,000 × 0.25 = 1,000
    e = taro(base_pay=340_000, attendance=attendance(overtime=4_200, overtime_over_60=600, night=120,
                                                     worked=18 * 480 + 4_200))  # fmt: skip
    slip = compute_payslip(e, ctx(annual_scheduled_hours=Decimal(2040)))
    assert slip.inputs["hourly_base"] == 2_000
    assert (line(slip, "overtime"), line(slip, "night")) == (180_000, 1_000)
    assert slip.fields["gross"] == 340_000 + 180_000 + 1_000 + 12_000
    # 70 h is over the 45 h 限度時間: on the checklist
    assert {a["code"] for a in slip.anomalies} == {"overtime_limit"}
    # an officer keeps 深夜 but gets no 時間外
    officer = compute_payslip(replace(e, is_officer=True), ctx(annual_scheduled_hours=Decimal(2040)))
    assert (line(officer, "overtime"), line(officer, "night")) == (0, 1_000)


def test_absences_and_lateness_are_deducted():
    # 2 days absent of 18: 300,000 × 2 ÷ 18 = 33,333.33; 90 min late: 300,000 × 12 ÷ 2,080 × 1.5 h
    # = 2,596.15 → together 35,929.48 → 35,929
    e = taro(attendance=attendance(absences=2, late_minutes=90, days_worked=16))
    slip = compute_payslip(e, ctx())
    assert line(slip, "absence") == -35_929
    assert slip.fields["gross"] == 300_000 - 35_929 + 12_000


def test_negative_net_is_flagged_not_zeroed():
    rent = ItemInput(code="rent", name="社宅費", kind="deduction", source="fixed", amount=400_000)
    slip = compute_payslip(taro(items=(rent,)), ctx())
    f = slip.fields
    assert f["other_deductions"] == 400_000
    assert f["net"] == 312_000 - 44_130 - 4_710 - 400_000
    assert f["transfer_amount"] == 0
    assert [a["code"] for a in slip.anomalies] == ["negative_net"]
    assert slip.has_error


def test_items_split_and_the_checklist():
    # 住宅手当 20,000 (taxable, not in the 割増 base), 皆勤手当 by attendance: 18 days × 500
    housing = ItemInput(code="housing", name="住宅手当", kind="payment", source="fixed", amount=20_000,
                        premium_base=False)  # fmt: skip
    attend = ItemInput(code="attend", name="出勤手当", kind="payment", source="attendance",
                       attendance_key="days_worked", rate=Decimal(500))  # fmt: skip
    previous = PreviousSlip(
        date(2026, 5, 1),
        200_000,
        {"pay_type": "monthly", "base_pay": 280_000, "commute": 12_000, "items": {}},
    )
    e = taro(items=(housing, attend), previous=previous, main_account=None,
             split_account=BANK, split_amount=50_000)  # fmt: skip
    slip = compute_payslip(e, ctx())
    assert (line(slip, "item:housing"), line(slip, "item:attend")) == (20_000, 9_000)
    # 出勤手当 is in the 割増 base: (300,000 + 9,000) × 12 ÷ 2,080 = 1,782.69 → 1,783
    assert slip.inputs["hourly_base"] == 1_783
    codes = [a["code"] for a in slip.anomalies]
    assert sorted(codes) == ["fixed_pay_changed", "net_changed", "no_bank_account"]
    assert slip.fields["split_transfer_amount"] == 50_000 and slip.fields["transfer_amount"] == 0


def test_resident_tax_june_and_other_months():
    e = taro(resident_tax=(21_500, 20_800))
    assert compute_payslip(e, ctx(date(2026, 6, 1))).fields["resident_tax"] == 21_500
    assert compute_payslip(e, ctx(date(2026, 7, 1))).fields["resident_tax"] == 20_800


def test_missing_grade_is_an_error():
    slip = compute_payslip(taro(grades=()), ctx())
    assert [a["code"] for a in slip.anomalies] == ["missing_grade"]
    assert slip.fields["health"] == 0


def test_formula_items_in_dependency_order():
    family = ItemInput(
        code="family", name="家族手当", kind="payment", source="fixed", amount=10_000, premium_base=False
    )
    # 子ども手当 = 家族手当 × 0.5 = 5,000; 出勤加算 (listed first) = 子ども手当 + 18日 × 100 = 6,800
    child = ItemInput(
        code="child",
        name="子ども手当",
        kind="payment",
        source="formula",
        formula="family * 0.5",
        sort_order=5,
    )
    extra = ItemInput(
        code="extra",
        name="出勤加算",
        kind="payment",
        source="formula",
        formula="child + days_worked × 100",
        sort_order=1,
    )
    # 組合費 = 基本給 300,000 × 1 % = 3,000
    union = ItemInput(
        code="union", name="組合費", kind="deduction", source="formula", formula="round_half(base * 0.01)"
    )
    codes = ("family", "child", "extra", "union", "absent_item")
    slip = compute_payslip(taro(items=(family, child, extra, union)), ctx(item_codes=codes))
    assert (line(slip, "item:child"), line(slip, "item:extra"), line(slip, "item:union")) == (
        5_000,
        6_800,
        3_000,
    )
    assert slip.fields["other_deductions"] == 3_000
    assert slip.fields["gross"] == 312_000 + 10_000 + 5_000 + 6_800
    assert slip.anomalies == []


def test_a_formula_that_cannot_be_computed_is_an_error():
    a = ItemInput(code="a", name="手当A", kind="payment", source="formula", formula="b + 1")
    b = ItemInput(code="b", name="手当B", kind="payment", source="formula", formula="a + 1")
    c = ItemInput(code="c", name="手当C", kind="payment", source="formula", formula="base / absences")
    slip = compute_payslip(taro(items=(a, b, c)), ctx(item_codes=("a", "b", "c")))
    assert [x["code"] for x in slip.anomalies] == ["formula", "formula", "formula"]
    assert "0 で割る" in slip.anomalies[2]["message"]
    assert slip.fields["gross"] == 312_000
