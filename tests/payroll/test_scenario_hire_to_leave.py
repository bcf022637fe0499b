"""Scenario (issue 9, "Done means"): one employee walked from hire to leaving through the real
services — people (hire, 退職日), payroll settings and pay settings, attendance (punches imported
as a time clock's CSV, 勤怠締め), salary runs, confirmation (the books), 定時決定, 随時改定, a bonus,
the last pay with its 住民税 lump, the leaver's 源泉徴収票 and 異動届 figures, and the severance pay.
Nothing is mocked; every figure asserted is worked by hand in the comments from jp-rules §1–§3,
§17 and the rows of the 月額表 (rules/data/withholding_monthly_r08.json / _r09.json).

Storyline — 縁下 力, 東京都 (協会けんぽ 東京), 末締め翌月25日払い, 月額表 甲欄 扶養0人:
  - born 1986-07-15: 39 at hire, 40 on 2026-07-15 → 介護 from 2026年7月分 (the month holding the
    day before the 40th birthday), first deducted from the August pay;
  - hired 2026-02-16 (mid-month): 月給 300,000 + 通勤 10,000; 資格取得時決定 on 310,000 → 健保23級
    (320,000) / 厚年20級; the first pay (March) cut by 暦日数 13/28;
  - 30 minutes of 時間外 a day in March–May (the April–June pays) → 定時決定 2026: average
    331,637 → 24級 (340,000) from September (a grade change, so the October pay proves it);
  - promoted from the October pay: 基本給 340,000 + 役職手当 30,000 (固定的賃金 +70,000) → October–
    December pays 380,000 each → 随時改定 to 26級 (2 grades) from January 2027;
  - 冬季賞与 600,000 paid 2026-12-10 (the 令和8年分 算出率の表; no 2027 bonus: its table is not loaded);
  - retires 2027-01-31 (喪失日 2027-02-01); the last pay is 2027-02-25 and severance 1,000,000 is
    paid the same day.
Why this storyline: every date is covered by a loaded table — pays up to 2026-12-31 use the
令和8年分 月額表, the January and February 2027 pays the 令和9年分 月額表 (loaded); 協会けんぽ 令和8年度
rates cover insurance months up to 2027年2月分 and 雇用保険 令和8年度 締切日 up to 2027-03-31, so
the last insurance month (2027年1月分) is priced; the bonus stays in 2026. Leaving on 31 January also
makes the 住民税 lump compulsory (地方税法321条の5第2項2号: 1月1日〜4月30日) and lets the 随時改定
from January take effect before the loss of status. With 末締め翌月払い and a month-end 退職日 the
last pay deducts one insurance month only (January's; December's was in the January pay) — the
"both months" case (当月払い) does not arise here; test_leaving_calculation.py covers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ennoshita.attendance.services import closing as closing_services
from ennoshita.attendance.services import punches as punch_services
from ennoshita.core.dates import fiscal_year_of, is_holiday
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.ledger import entry_selectors
from ennoshita.ledger.models import FiscalYear, JournalEntry
from ennoshita.payroll.models import (
    Business,
    GradeReason,
    PayGroup,
    PayrollRun,
    Payslip,
    PayslipLine,
    ProrationRule,
    RunStatus,
    StandardRemuneration,
    WithholdingMethod,
)
from ennoshita.payroll.selectors import leaving as leaving_selectors
from ennoshita.payroll.selectors import ledgers as ledger_selectors
from ennoshita.payroll.selectors import revisions as revision_selectors
from ennoshita.payroll.services import bonus as bonus_services
from ennoshita.payroll.services import employee_pay as pay_services
from ennoshita.payroll.services import pay_items as item_services
from ennoshita.payroll.services import resident_tax_import as resident_tax_services
from ennoshita.payroll.services import revisions as revision_services
from ennoshita.payroll.services import runs as run_services
from ennoshita.payroll.services import settings as settings_services
from ennoshita.payroll.services import severance as severance_services
from ennoshita.payroll.services.confirm import confirm_run
from ennoshita.people.models import Department, Employee
from ennoshita.people.services import lifecycle as people_lifecycle

from ..conftest import make_employee, make_member

pytestmark = pytest.mark.django_db

NUMBER = "26001"
HIRED = date(2026, 2, 16)
BORN = date(1986, 7, 15)
RETIRED = date(2027, 1, 31)
LOST = date(2027, 2, 1)  # 喪失日 = 退職日の翌日 (健康保険法36条, 厚生年金保険法14条)


# ------------------------------------------------------------------------------ the world
@dataclass
class World:
    company: Company
    hr: Membership
    accountant: Membership
    department: Department
    group: PayGroup
    employee: Employee


def _month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _books_cover(company: Company, first: date, last: date) -> None:
    """The ledger gives a new company the fiscal years around *today*; the scenario posts on fixed
    dates (2026-03 … 2027-02), so make sure a fiscal year holds each of them whatever today is."""
    day = first
    while day <= last:
        fy = fiscal_year_of(day, start_month=company.fiscal_year_start_month)
        if not FiscalYear.objects.filter(company=company, start=fy.start).exists():
            FiscalYear.objects.create(company=company, start=fy.start, end=fy.end)
        day = _month_after(day)


def _import_punches(w: World, month: date, *, out: str = "18:00") -> int:
    """A time clock's CSV of every scheduled workday in service (9:00 出勤, 12:00–13:00 休憩,
    ``out`` 退勤), imported through attendance's service. Returns the number of workdays."""
    lines = ["社員番号,勤務日,種類,時刻,メモ"]
    day, days = max(month, w.employee.hire_date), 0
    last = min(_month_after(month) - timedelta(days=1), w.employee.retire_date or date.max)
    while day <= last:
        if day.weekday() < 5 and not is_holiday(day):
            days += 1
            for kind, at in (("出勤", "9:00"), ("休憩開始", "12:00"), ("休憩終了", "13:00"), ("退勤", out)):
                lines.append(f"{NUMBER},{day.isoformat()},{kind},{at},")
        day += timedelta(days=1)
    punch_services.import_punches(
        company=w.company, actor=w.hr.user, membership=w.hr, data="\n".join(lines).encode()
    )
    return days


def _close(w: World, month: date) -> None:
    """勤怠締め, done on the first day of the next month (the service refuses a month not over)."""
    closing_services.lock_months(
        company=w.company,
        actor=w.hr.user,
        membership=w.hr,
        month=month,
        include_unconfirmed=True,
        today=_month_after(month),
    )


def _salary(w: World, attendance_month: date, *, out: str = "18:00") -> tuple[PayrollRun, Payslip]:
    """Punch and close the month, compute its pay (paid the next month) and have 経理 confirm it."""
    _import_punches(w, attendance_month, out=out)
    _close(w, attendance_month)
    run = run_services.create_run(
        company=w.company,
        actor=w.hr.user,
        membership=w.hr,
        pay_group=w.group,
        pay_month=_month_after(attendance_month),
    )
    run = confirm_run(company=w.company, actor=w.accountant.user, membership=w.accountant, run=run)
    return run, Payslip.objects.get(run=run, employee=w.employee)


# ------------------------------------------------------------------------------ hand figures
@dataclass(frozen=True)
class Hand:
    """A payslip worked by hand: employee shares and the employer's (for 法定福利費)."""

    gross: int
    taxable: int
    health: int
    child_support: int
    pension: int
    employment: int
    income_tax: int
    resident_tax: int
    employer: int  # 健保(+介護) + 支援金 + 厚年 of the company + 子ども・子育て拠出金

    @property
    def social_insurance(self) -> int:
        return self.health + self.child_support + self.pension + self.employment

    @property
    def net(self) -> int:
        return self.gross - self.social_insurance - self.income_tax - self.resident_tax


def _check_slip(slip: Payslip, hand: Hand) -> None:
    got = (
        int(slip.gross),
        int(slip.taxable),
        int(slip.health),
        int(slip.child_support),
        int(slip.pension),
        int(slip.employment),
        int(slip.income_tax),
        int(slip.resident_tax),
        int(slip.net),
    )
    want = (
        hand.gross,
        hand.taxable,
        hand.health,
        hand.child_support,
        hand.pension,
        hand.employment,
        hand.income_tax,
        hand.resident_tax,
        hand.net,
    )
    assert got == want
    assert int(slip.social_insurance_total) == hand.social_insurance
    assert int(slip.deduction_total) == hand.gross - hand.net
    employer = int(slip.employer_health) + int(slip.employer_child_support) + int(slip.employer_pension)
    assert employer + int((slip.inputs or {}).get("employer_child_contribution", 0)) == hand.employer
    assert int(slip.transfer_amount) == hand.net  # all of it to the employee's own account
    assert slip.published_at is not None
    assert [a for a in slip.anomalies if a.get("level") == "error"] == []


def _books(run: PayrollRun) -> dict[tuple[str, str], int]:
    """The confirmation's journal entry read through the ledger's selectors: amounts by (account,
    side) after checking it is posted, dated the pay date, drills to the run and balances."""
    entry = entry_selectors.get_entry(company=run.company, entry_id=run.journal_entry_id)
    assert entry.status == "posted" and entry.date == run.pay_date
    assert (entry.source_type, entry.source_id) == ("payroll.run", str(run.pk))
    lines = entry_selectors.entry_lines(entry=entry)
    debit = sum(int(x.debit or 0) for x in lines)
    credit = sum(int(x.credit or 0) for x in lines)
    assert debit == credit == int(entry.total)
    out: dict[tuple[str, str], int] = {}
    for x in lines:
        side = "Dr" if x.debit else "Cr"
        key = (x.account.code, side)
        out[key] = out.get(key, 0) + int(x.debit or x.credit)
    return out


def _expected_books(hand: Hand, *, pay_account: str = "6120") -> dict[tuple[str, str], int]:
    """docs/domains/payroll.md 「仕訳」: Dr 給料手当 (or 賞与) gross, Dr 法定福利費 the employer's
    premiums; Cr 預り金 源泉・住民税・社会保険料・雇用保険料, Cr 未払費用 the employer's premiums, Cr
    普通預金 the transferred net. Zero amounts are left out."""
    withheld = hand.income_tax + hand.resident_tax + hand.social_insurance
    want = {
        (pay_account, "Dr"): hand.gross,
        ("6150", "Dr"): hand.employer,
        ("2150", "Cr"): withheld,
        ("2131", "Cr"): hand.employer,
        ("1121", "Cr"): hand.net,
    }
    return {k: v for k, v in want.items() if v}


def _withheld_lines(run: PayrollRun) -> dict[str, int]:
    """The 預り金 lines by kind (memo's first word): 源泉所得税, 住民税, 社会保険料(…), 雇用保険料."""
    entry = entry_selectors.get_entry(company=run.company, entry_id=run.journal_entry_id)
    out: dict[str, int] = {}
    for x in entry_selectors.entry_lines(entry=entry):
        if x.account.code == "2150":
            kind = x.memo.split(" ")[0].split("(")[0]
            out[kind] = out.get(kind, 0) + int(x.credit or 0) - int(x.debit or 0)
    return out


def _line(slip: Payslip, code: str) -> int:
    return int(sum(x.amount for x in PayslipLine.objects.filter(payslip=slip, code=code)))


# ------------------------------------------------------------------------------ the scenario
def test_hire_to_leave(company, hr, department):
    accountant = make_member(company, "keiri_s", ["accounting"], last_name="経理", first_name="一")
    _books_cover(company, date(2026, 1, 1), date(2027, 3, 31))

    # ---------------------------------------------------------------- 1. settings and the hire
    settings_services.update_payroll_settings(
        company=company,
        actor=hr.user,
        membership=hr,
        data=settings_services.SettingsInput(
            withholding_method=WithholdingMethod.TABLE,
            proration_rule=ProrationRule.CALENDAR_DAYS,  # 日割 by 暦日数 (the company's 賃金規程)
            prefecture="東京都",
            business=Business.GENERAL,
            annual_scheduled_hours=Decimal(2080),
            transfer_requester_code="1234567890",
            transfer_requester_name="カブシキガイシャ テスト",
            transfer_bank_code="0009",
            transfer_branch_code="001",
            transfer_account_type="1",
            transfer_account_number="0012345",
        ),
    )
    group = settings_services.create_pay_group(
        company=company,
        actor=hr.user,
        membership=hr,
        data=settings_services.PayGroupInput(
            code="monthly", name="月給者", closing_day=0, pay_day=25, pay_month_offset=1
        ),
    )
    employee = make_employee(
        company,
        hr,
        department,
        number=NUMBER,
        family_name="縁下",
        given_name="力",
        family_name_kana="エンノシタ",
        given_name_kana="チカラ",
        hire_date=HIRED,
        birth_date=BORN,
        bank_code="0005",
        bank_branch_code="001",
        bank_account_type="1",
        bank_account_number="1234567",
        bank_account_holder_kana="ｴﾝﾉｼﾀ ﾁｶﾗ",
    )
    w = World(company, hr, accountant, department, group, employee)
    profile = pay_services.ProfileInput(
        effective_from=date(2026, 2, 1),
        pay_group_id=group.pk,
        base_pay=Decimal(300_000),
        commute_allowance=Decimal(10_000),
        si_acquired_on=HIRED,
        ei_acquired_on=HIRED,
        insured_number="123",
    )
    pay_services.set_pay_profile(
        company=company, actor=hr.user, membership=hr, employee_id=employee.pk, data=profile
    )
    # 資格取得時決定 on the expected 報酬月額 300,000 + 10,000 = 310,000 → 健保23級 (310,000–330,000)
    # 320,000; 厚年20級 320,000
    acquisition = pay_services.set_standard_remuneration(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=employee.pk,
        effective_from=date(2026, 2, 1),
        monthly_remuneration=Decimal(310_000),
        reason=GradeReason.ACQUISITION,
    )
    assert (acquisition.health_grade, acquisition.health_standard) == (23, 320_000)
    assert (acquisition.pension_grade, acquisition.pension_standard) == (20, 320_000)

    # ---------------------------------------------------------------- 2. the first pay (2026-03-25)
    # A run before February's 勤怠締め is refused and writes nothing.
    _import_punches(w, date(2026, 2, 1))
    with pytest.raises(ServiceError) as refused:
        run_services.create_run(
            company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=date(2026, 3, 1)
        )
    assert refused.value.code == "attendance_open"
    assert not PayrollRun.objects.filter(company=company).exists()
    _close(w, date(2026, 2, 1))
    run = run_services.create_run(
        company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=date(2026, 3, 1)
    )
    run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=run)
    march = Payslip.objects.get(run=run)
    assert run.pay_date == date(2026, 3, 25)  # a Wednesday
    # 日割 (暦日数): in service 2/16–2/28 = 13 of 28 days: 300,000 × 13 ÷ 28 = 139,285.71 → 139,286
    assert _line(march, "base") == 139_286
    assert _line(march, "commute") == 10_000  # not prorated (docs: a 賃金規程 choice)
    # insurance month 2026年2月分 (the month before the pay month; 取得 2/16 ≤ 2/28):
    #   健保 R7 東京 9.91 %: 320,000 × 9.91 % = 31,712 ÷ 2 = 15,856 (no 介護: 39; no 支援金 before 4月分)
    #   厚年 320,000 × 18.3 % = 58,560 ÷ 2 = 29,280
    #   雇用 締切日 2/28 → 令和7年度 5.5 ‰: 149,286 × 5.5 ‰ = 821.07 → 821
    #   源泉: 139,286 − 45,957 = 93,329 < 105,000 → 0 (月額表 令和8年分 甲欄)
    #   employer: 15,856 + 29,280 + 拠出金 320,000 × 0.36 % = 1,152 → 46,288
    h_mar = Hand(149_286, 139_286, 15_856, 0, 29_280, 821, 0, 0, 46_288)
    _check_slip(march, h_mar)
    assert march.net == 103_329
    assert march.inputs["insurance_months"] == ["2026-02"]
    # books: Dr 6120 149,286 + 6150 46,288 = 195,574 = Cr 2150 (45,136 + 821) + 2131 46,288 + 1121 103,329
    assert _books(run) == _expected_books(h_mar)
    assert _withheld_lines(run) == {"社会保険料": 45_136, "雇用保険料": 821}

    # ---------------------------------------------------------------- 3. April–July pays
    # 30 minutes of 時間外 a day in March–May (9:00–18:30, 1 h 休憩 → 8.5 h; 0.5 h over 8 h).
    # 時間単価 300,000 × 12 ÷ 2,080 = 1,730.77 → 1,731 (労基則19条, 50銭); × 1.25.
    # April pay ← March: 21 workdays (3/20 春分の日) → 10.5 h × 1,731 × 1.25 = 22,719.38 → 22,719
    run, april = _salary(w, date(2026, 3, 1), out="18:30")
    assert run.pay_date == date(2026, 4, 24)  # the 25th is a Saturday → the bank day before
    assert _line(april, "overtime") == 22_719
    # 3月分: R8 9.85 %: 320,000 × 9.85 % = 31,520 ÷ 2 = 15,760; 支援金 not yet (4月分 on); 厚年 29,280;
    # 雇用 締切日 3/31 → still 5.5 ‰: 332,719 × 5.5 ‰ = 1,829.95 → 1,830; 社会保険料等 46,870;
    # 322,719 − 46,870 = 275,849 → 月額表 275,000–278,000 甲0人 7,080
    h_apr = Hand(332_719, 322_719, 15_760, 0, 29_280, 1_830, 7_080, 0, 15_760 + 29_280 + 1_152)
    _check_slip(april, h_apr)
    assert _books(run) == _expected_books(h_apr)

    # May pay ← April: 21 workdays (4/29 昭和の日) → the same 22,719 of 時間外.
    # 4月分: 支援金 320,000 × 0.23 % = 736 ÷ 2 = 368; 雇用 締切日 4/30 → 令和8年度 5 ‰:
    # 332,719 × 5 ‰ = 1,663.60 → 1,664; 社会保険料等 15,760 + 368 + 29,280 + 1,664 = 47,072;
    # 322,719 − 47,072 = 275,647 → 275,000–278,000 甲0人 7,080
    run, may = _salary(w, date(2026, 4, 1), out="18:30")
    h_may = Hand(332_719, 322_719, 15_760, 368, 29_280, 1_664, 7_080, 0, 15_760 + 368 + 29_280 + 1_152)
    _check_slip(may, h_may)
    assert _books(run) == _expected_books(h_may)

    # 住民税 特別徴収 from June: the notice for 2026年度, 年税額 180,300 → 6月 15,300, 7月〜5月 15,000
    # (the 100円未満 remainder in June: 地方税法321条の5, 20条の4の2)
    resident_tax_services.set_resident_tax(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=employee.pk,
        data=resident_tax_services.ResidentTaxInput(
            fiscal_year=2026,
            municipality_code="131016",
            municipality_name="千代田区",
            annual=Decimal(180_300),
            june=Decimal(15_300),
            monthly=Decimal(15_000),
        ),
    )
    # June pay ← May: 18 workdays (5/4–5/6) → 9 h × 1,731 × 1.25 = 19,473.75 → 19,474;
    # gross 329,474; 雇用 329,474 × 5 ‰ = 1,647.37 → 1,647; 社会保険料等 47,055;
    # 319,474 − 47,055 = 272,419 → 272,000–275,000 甲0人 6,960; 住民税 6月分 15,300
    run, june = _salary(w, date(2026, 5, 1), out="18:30")
    assert _line(june, "overtime") == 19_474
    h_jun = Hand(329_474, 319_474, 15_760, 368, 29_280, 1_647, 6_960, 15_300, 46_560)
    _check_slip(june, h_jun)
    assert _books(run) == _expected_books(h_jun)
    assert _withheld_lines(run) == {
        "源泉所得税": 6_960,
        "住民税": 15_300,
        "社会保険料": 15_760 + 368 + 29_280,
        "雇用保険料": 1_647,
    }

    # July pay ← June (no overtime): 310,000; 雇用 1,550; 社会保険料等 46,958;
    # 300,000 − 46,958 = 253,042 → 251,000–254,000 甲0人 6,220; 住民税 15,000
    run, july = _salary(w, date(2026, 6, 1))
    h_jul = Hand(310_000, 300_000, 15_760, 368, 29_280, 1_550, 6_220, 15_000, 46_560)
    _check_slip(july, h_jul)
    assert july.care_applies is False
    assert _books(run) == _expected_books(h_jul)

    # ---------------------------------------------------------------- 4. 定時決定 (算定基礎届, July)
    # April, May, June pays: 332,719 + 332,719 + 329,474 = 994,912; 支払基礎日数 31, 30, 31 (≥ 17);
    # ÷ 3 = 331,637.33 → 331,637 (円未満切捨て) → 健保24級 (330,000–350,000) 340,000, 厚年21級,
    # from September (健康保険法41条)
    annual = revision_selectors.annual_list(company=company, membership=hr, year=2026)
    assert len(annual) == 1
    row = annual[0]
    assert row.employee_id == employee.pk and row.excluded == "" and not row.recorded
    assert [(c.month, c.remuneration, c.base_days, c.counted) for c in row.months] == [
        (date(2026, 4, 1), 332_719, 31, True),
        (date(2026, 5, 1), 332_719, 30, True),
        (date(2026, 6, 1), 329_474, 31, True),
    ]
    assert (row.total, row.average) == (994_912, 331_637)
    assert row.current is not None and row.current.health_grade == 23
    assert (row.new.health_grade, row.new.health_standard) == (24, 340_000)
    assert (row.new.pension_grade, row.new.pension_standard) == (21, 340_000)
    assert row.applies_from == date(2026, 9, 1)
    recorded = revision_services.record_revisions(
        company=company, actor=hr.user, membership=hr, kind="annual", employee_ids=[employee.pk], year=2026
    )
    assert len(recorded.created) == 1
    grade = StandardRemuneration.objects.get(employee=employee, effective_from=date(2026, 9, 1))
    assert (grade.reason, grade.health_grade, grade.pension_grade, int(grade.monthly_remuneration)) == (
        GradeReason.ANNUAL,
        24,
        21,
        331_637,
    )
    # pressing again records nothing
    again = revision_services.record_revisions(
        company=company, actor=hr.user, membership=hr, kind="annual", employee_ids=[employee.pk], year=2026
    )
    assert again.created == [] and len(again.skipped) == 1

    # ---------------------------------------------------------------- 5. 介護 from 7月分 (August pay)
    # 40 on 2026-07-15: the day before (7/14) is in July → 7月分 on: 健保+介護 11.47 %:
    # 320,000 × 11.47 % = 36,704 ÷ 2 = 18,352; 社会保険料等 18,352 + 368 + 29,280 + 1,550 = 49,550;
    # 300,000 − 49,550 = 250,450 → 248,000–251,000 甲0人 6,110; employer 18,352 + 368 + 29,280 + 1,152
    run, august = _salary(w, date(2026, 7, 1))
    h_aug = Hand(310_000, 300_000, 18_352, 368, 29_280, 1_550, 6_110, 15_000, 49_152)
    _check_slip(august, h_aug)
    assert august.care_applies is True
    assert _books(run) == _expected_books(h_aug)
    # September pay ← August: 8月分 still 23級 (the 定時決定 starts with 9月分)
    run, september = _salary(w, date(2026, 8, 1))
    _check_slip(september, h_aug)
    assert september.inputs["health_standard"] == 320_000

    # ---------------------------------------------------------------- 6. the promotion (October pay)
    items = {i.code: i for i in item_services.ensure_default_items(company)}
    raised = pay_services.ProfileInput(**{**profile.__dict__, "effective_from": date(2026, 10, 1)})
    raised = pay_services.ProfileInput(**{**raised.__dict__, "base_pay": Decimal(340_000)})
    pay_services.set_pay_profile(
        company=company, actor=hr.user, membership=hr, employee_id=employee.pk, data=raised
    )
    pay_services.set_employee_item(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=employee.pk,
        item_id=items["position"].pk,
        effective_from=date(2026, 10, 1),
        amount=Decimal(30_000),
    )
    # October pay ← September, 9月分 at the 定時決定's 24級 340,000:
    #   健保+介護 340,000 × 11.47 % = 38,998 ÷ 2 = 19,499; 支援金 340,000 × 0.23 % = 782 ÷ 2 = 391;
    #   厚年 340,000 × 18.3 % = 62,220 ÷ 2 = 31,110; 雇用 380,000 × 5 ‰ = 1,900 → 52,900;
    #   課税 340,000 + 30,000 = 370,000 − 52,900 = 317,100 → 317,000–320,000 甲0人 9,040
    #   employer 19,499 + 391 + 31,110 + 拠出金 340,000 × 0.36 % = 1,224 → 52,224
    promoted = Hand(380_000, 370_000, 19_499, 391, 31_110, 1_900, 9_040, 15_000, 52_224)
    run, october = _salary(w, date(2026, 9, 1))
    assert run.pay_date == date(2026, 10, 23)  # 10/25 is a Sunday
    assert (_line(october, "base"), _line(october, "item:position")) == (340_000, 30_000)
    _check_slip(october, promoted)
    assert october.inputs["health_standard"] == 340_000
    assert _books(run) == _expected_books(promoted)
    run, november = _salary(w, date(2026, 10, 1))
    _check_slip(november, promoted)

    # ---------------------------------------------------------------- 7. 冬季賞与 (2026-12-10)
    bonus_run = run_services.create_run(
        company=company,
        actor=hr.user,
        membership=hr,
        pay_group=group,
        pay_month=date(2026, 12, 10),
        kind="bonus",
        pay_date=date(2026, 12, 10),
        title="2026年冬季賞与",
        bonus_period_months=6,
    )
    bonus_services.set_bonus_amounts(
        company=company,
        actor=hr.user,
        membership=hr,
        run=bonus_run,
        rows=[bonus_services.AmountIn(NUMBER, 600_000)],
        source="screen",
    )
    bonus_run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=bonus_run)
    bonus = Payslip.objects.get(run=bonus_run)
    # 標準賞与額 600,000 (1,000円未満切捨て; far below 573万円 a year and 150万円 a month);
    # December: 介護 applies. 健保+介護 600,000 × 11.47 % = 68,820 ÷ 2 = 34,410; 支援金 1,380 ÷ 2 = 690;
    # 厚年 109,800 ÷ 2 = 54,900; 雇用 締切日 = 支払日 12/10: 600,000 × 5 ‰ = 3,000 → 93,000.
    # 前月 (the November pay) 社会保険料等控除後 317,100 → 317千円: 甲0人 309千–342千 → 8.168 %
    # (算出率の表 令和8年分); 507,000 ≤ 10 × 317,100, so the table applies:
    # 507,000 × 8.168 % = 41,411.76 → 41,411 (1円未満切捨て)
    # employer 34,410 + 690 + 54,900 + 拠出金 600,000 × 0.36 % = 2,160 → 92,160
    h_bonus = Hand(600_000, 600_000, 34_410, 690, 54_900, 3_000, 41_411, 0, 92_160)
    _check_slip(bonus, h_bonus)
    assert bonus.net == 465_589
    assert (
        int(bonus.standard_bonus),
        int(bonus.standard_bonus_health),
        int(bonus.standard_bonus_pension),
    ) == (
        600_000,
        600_000,
        600_000,
    )
    assert int(bonus.inputs["prev_month_after_si"]) == 317_100
    assert bonus.inputs["bonus_rate"] == "8.168"
    assert _books(bonus_run) == _expected_books(h_bonus, pay_account="6130")

    # December pay ← November: 11月分 still 24級
    run, december = _salary(w, date(2026, 11, 1))
    _check_slip(december, promoted)
    assert _books(run) == _expected_books(promoted)

    # 源泉徴収簿 2026 (selectors.ledgers, by pay date): the March–December salaries and the bonus
    # add up to the hand figures — 源泉 0 + 7,080 × 2 + 6,960 + 6,220 + 6,110 × 2 + 9,040 × 3 =
    # 66,680 on salary, 41,411 on the bonus
    salaries_2026 = [h_mar, h_apr, h_may, h_jun, h_jul, h_aug, h_aug, promoted, promoted, promoted]
    book = ledger_selectors.withholding_book(
        company=company, membership=hr, employee_id=employee.pk, year=2026
    )
    assert (len(book.salary), len(book.bonus)) == (10, 1)
    assert int(book.salary_total.income_tax) == sum(h.income_tax for h in salaries_2026) == 66_680
    assert int(book.salary_total.taxable) == sum(h.taxable for h in salaries_2026)
    assert int(book.salary_total.social_insurance) == sum(h.social_insurance for h in salaries_2026)
    assert (int(book.bonus_total.taxable), int(book.bonus_total.income_tax)) == (600_000, 41_411)

    # ---------------------------------------------------------------- 8. 随時改定 (月額変更届)
    # 固定的賃金 310,000 → 380,000 from the October pay; October–December pays 380,000 each,
    # 31/30/31 days → average 380,000 → 健保26級 (370,000–395,000) 380,000, 2 grades above 24級
    # → from the 4th month: 2027年1月 (健康保険法43条); 厚年23級 380,000
    interim = revision_selectors.interim_list(company=company, membership=hr, as_of=date(2026, 12, 28))
    assert len(interim) == 1
    row = interim[0]
    assert row.employee_id == employee.pk and row.excluded == "" and not row.recorded
    assert row.changed_month == date(2026, 10, 1) and row.pay_change == 70_000
    assert [(c.month, c.remuneration) for c in row.months] == [
        (date(2026, 10, 1), 380_000),
        (date(2026, 11, 1), 380_000),
        (date(2026, 12, 1), 380_000),
    ]
    assert row.average == 380_000
    assert row.current is not None and row.current.health_grade == 24
    assert (row.new.health_grade, row.new.health_standard, row.new.pension_grade) == (26, 380_000, 23)
    assert row.applies_from == date(2027, 1, 1) and not row.special_case
    revision_services.record_revisions(
        company=company,
        actor=hr.user,
        membership=hr,
        kind="interim",
        employee_ids=[employee.pk],
        as_of=date(2026, 12, 28),
    )
    grade = StandardRemuneration.objects.get(employee=employee, effective_from=date(2027, 1, 1))
    assert (grade.reason, grade.health_grade, int(grade.health_standard)) == (
        GradeReason.REVISION,
        26,
        380_000,
    )

    # ---------------------------------------------------------------- 9. January 2027 pay (令和9年分)
    # 12月分 still 24級 (the 随時改定 starts with 1月分): 社会保険料等 52,900 as in October;
    # 317,100 → 月額表 令和9年分 317,000–320,000 甲0人 8,700 (令和8年分: 9,040)
    run, january = _salary(w, date(2026, 12, 1))
    assert run.pay_date == date(2027, 1, 25)
    january_hand = Hand(380_000, 370_000, 19_499, 391, 31_110, 1_900, 8_700, 15_000, 52_224)
    _check_slip(january, january_hand)
    assert _books(run) == _expected_books(january_hand)

    # ---------------------------------------------------------------- 10. leaving (退職日 2027-01-31)
    employee = people_lifecycle.retire_employee(
        company=company, actor=hr.user, membership=hr, employee=employee, retire_date=RETIRED
    )
    w.employee = employee
    leaving = pay_services.ProfileInput(
        **{**raised.__dict__, "effective_from": date(2027, 1, 1), "si_lost_on": LOST, "ei_lost_on": LOST}
    )
    pay_services.set_pay_profile(
        company=company, actor=hr.user, membership=hr, employee_id=employee.pk, data=leaving
    )
    _import_punches(w, date(2027, 1, 1))
    _close(w, date(2027, 1, 1))
    final_run = run_services.create_run(
        company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=date(2027, 2, 1)
    )
    # 人事 may compute but not confirm: refused, nothing written
    with pytest.raises(PermissionDeniedError):
        confirm_run(company=company, actor=hr.user, membership=hr, run=final_run)
    final_run.refresh_from_db()
    assert final_run.status == RunStatus.DRAFT and final_run.journal_entry_id is None
    assert not JournalEntry.objects.filter(source_type="payroll.run", source_id=str(final_run.pk)).exists()
    final_run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=final_run)
    final = Payslip.objects.get(run=final_run)
    assert final_run.pay_date == date(2027, 2, 25)
    # The last pay (退職日 1/31 = the end of its period; a full month: no 日割).
    # 社会保険: 喪失日 2/1 → 2月 is the loss month (no premium); 1月分 at the 随時改定's 26級 380,000:
    #   健保+介護 380,000 × 11.47 % = 43,586 ÷ 2 = 21,793; 支援金 874 ÷ 2 = 437;
    #   厚年 69,540 ÷ 2 = 34,770; 雇用 締切日 1/31 (令和8年度) 380,000 × 5 ‰ = 1,900 → 58,900
    # 源泉: 370,000 − 58,900 = 311,100 → 月額表 令和9年分 311,000–314,000 甲0人 8,250
    # 住民税: 2月分 15,000 + 一括徴収 (退職 1月1日〜4月30日: 321条の5第2項2号) of 3月〜5月
    #   3 × 15,000 = 45,000 (the pay left, 297,850, exceeds it) → 60,000
    # employer 21,793 + 437 + 34,770 + 拠出金 380,000 × 0.36 % = 1,368 → 58,368
    final_hand = Hand(380_000, 370_000, 21_793, 437, 34_770, 1_900, 8_250, 60_000, 58_368)
    _check_slip(final, final_hand)
    assert final.net == 252_850
    assert final.inputs["insurance_months"] == ["2027-01"]  # December's was in the January pay
    assert final.inputs["health_standard"] == 380_000
    lump = final.inputs["resident_tax_lump"]
    assert (int(lump["amount"]), lump["months"]) == (45_000, ["2027-03", "2027-04", "2027-05"])
    assert _line(final, "resident_tax") == 60_000
    assert _books(final_run) == _expected_books(final_hand)
    assert _withheld_lines(final_run)["住民税"] == 60_000

    # 異動届 figures: 年税額 180,300; 徴収済 6月 15,300 + 7月〜2月 8 × 15,000 = 135,300 (the lump not
    # counted); 未徴収 45,000, collected in one lump from the February 2027 pay
    leavers = leaving_selectors.leavers(
        company=company, membership=hr, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).rows
    assert len(leavers) == 1
    leaver = leavers[0]
    assert (leaver.fiscal_year, leaver.annual, leaver.collected, leaver.uncollected) == (
        2026,
        180_300,
        135_300,
        45_000,
    )
    assert (leaver.lump_amount, leaver.lump_month) == (45_000, date(2027, 2, 1))
    assert leaver.lump_months == ("2027-03", "2027-04", "2027-05")

    # 源泉徴収票 2027 (退職): the pays of 2027 — January and February — and nothing else:
    # 支払金額 370,000 × 2 = 740,000 (非課税の通勤手当 left out); 社会保険料等 52,900 + 58,900 = 111,800;
    # 源泉徴収税額 8,700 + 8,250 = 16,950
    slip = leaving_selectors.withholding_slip(
        company=company, membership=hr, employee_id=employee.pk, year=2027
    )
    year_slips = Payslip.objects.filter(employee=employee, run__status="confirmed", run__pay_date__year=2027)
    assert (slip.salary, slip.bonus, slip.paid, slip.social_insurance, slip.income_tax) == (
        740_000,
        0,
        740_000,
        111_800,
        16_950,
    )
    assert slip.paid == sum(int(p.taxable) for p in year_slips)
    assert slip.social_insurance == sum(int(p.social_insurance_total) for p in year_slips)
    assert slip.income_tax == sum(int(p.income_tax) for p in year_slips)
    assert (slip.payments, slip.final_pay_confirmed, slip.retire_date) == (2, True, RETIRED)

    # the whole employment: 10 salaries in 2026 + the bonus, 2 salaries in 2027, each with its entry
    runs = PayrollRun.objects.filter(company=company, status=RunStatus.CONFIRMED)
    assert runs.count() == 13 and all(r.journal_entry_id for r in runs)

    # ---------------------------------------------------------------- 11. 退職金 (paid 2027-02-25)
    # 勤続 2026-02-16 – 2027-01-31: 11か月16日 → 1年 (端数切上げ); 控除 40万 × 1 → minimum 80万;
    # 短期退職手当等 (勤続5年以下): 1,000,000 − 800,000 = 200,000 ≤ 300万 → × 1/2 = 100,000;
    # 所得税 100,000 × 5 % × 102.1 % = 5,105; 住民税 市 6 % 6,000, 県 4 % 4,000; 差引 984,895
    severance = severance_services.create_severance(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=employee,
        paid_on=date(2027, 2, 25),
        amount=1_000_000,
        # 住民税 goes to where the leaver lived on 1 January 2027; the 2027年度 notice (which would
        # say so) comes in May, so nothing defaults yet (selectors.severance.municipality_of): 人事
        # types it.
        municipality_code="131016",
        municipality_name="千代田区",
    )
    assert (severance.service_from, severance.service_to) == (HIRED, RETIRED)
    assert (
        severance.service_years,
        int(severance.deduction),
        int(severance.taxable_income),
        int(severance.income_tax),
        int(severance.city_tax),
        int(severance.prefecture_tax),
        int(severance.net),
    ) == (1, 800_000, 100_000, 5_105, 6_000, 4_000, 984_895)
    severance = severance_services.confirm_severance(
        company=company, actor=accountant.user, membership=accountant, severance=severance
    )
    entry = entry_selectors.get_entry(company=company, entry_id=severance.journal_entry_id)
    assert entry.date == date(2027, 2, 25) and entry.source_type == "payroll.severance"
    lines = [
        (x.account.code, "Dr" if x.debit else "Cr", int(x.debit or x.credit), x.department_id, x.memo)
        for x in entry_selectors.entry_lines(entry=entry)
    ]
    who = f"{NUMBER} 縁下 力"
    assert lines == [
        ("6140", "Dr", 1_000_000, department.pk, f"退職金 {who}"),
        ("2150", "Cr", 5_105, None, f"源泉所得税(退職所得) {who}"),
        ("2150", "Cr", 10_000, None, f"住民税(退職所得 千代田区) {who}"),
        ("2130", "Cr", 984_895, None, f"退職金 差引支給額 {who}"),
    ]
    assert int(entry.total) == 1_000_000
