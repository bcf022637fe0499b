"""賞与 runs through the services, on a real database. Every expected figure is worked by hand in the
comments from jp-rules §1.3–§1.4 (月額表 ≥740,000円 segments, 算出率の表 令和8年分) and §2.1–§2.3
(東京 令和8年度: 健保 9.85 %, +介護 1.62 % = 11.47 %, 支援金 0.23 % from 2026年4月分, 厚年 18.3 %;
雇用保険 一般 令和8年度 worker 5/1000; employee shares 50銭以下切捨て・50銭超切上げ)."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import BonusPayment, PayrollRun, Payslip, PayslipLine, RunStatus
from ennoshita.payroll.services import bonus as bonus_services
from ennoshita.payroll.services import runs as run_services

from ..conftest import make_member
from .bonus_builders import bonus_run, mark_confirmed, pay, person, salary_paid, slip_of
from .factories import make_group

pytestmark = pytest.mark.django_db

JULY = date(2026, 7, 10)  # a Friday


@pytest.fixture
def ichiro(company, hr, department):
    """35 in July 2026 (born 1991-04-10): no 介護. 甲欄 扶養1人."""
    return person(company, hr, department, "0001", birth_date=date(1991, 4, 10), profile={"dependents": 1})


@pytest.fixture
def jiro(company, hr, department):
    """45 in July 2026 (born 1981-05-20): 介護保険第2号. 甲欄 扶養0人."""
    return person(company, hr, department, "0002", birth_date=date(1981, 5, 20))


def test_a_bonus_for_a_35_and_a_45_year_old_in_tokyo(company, hr, ichiro, jiro):
    # June's salary (paid 2026-06-25) after 社会保険料等: 0001 300,000 − 43,000 = 257,000;
    # 0002 400,000 − 50,000 = 350,000
    salary_paid(company, hr, ichiro, date(2026, 6, 25), taxable=300_000, si_total=43_000)
    salary_paid(company, hr, jiro, date(2026, 6, 25), taxable=400_000, si_total=50_000)
    run = bonus_run(company, hr, JULY, title="2026年夏季賞与")
    assert (run.kind, run.pay_date, run.closing_date, run.headcount) == ("bonus", JULY, JULY, 0)
    pay(company, hr, run, {"0001": 500_500, "0002": 800_000})
    run.refresh_from_db()

    a = slip_of(run, ichiro)
    # 標準賞与額 500,500 → 1,000円未満切捨て 500,000
    # 健保 500,000 × 9.85 % = 49,250 ÷ 2 = 24,625; 支援金 500,000 × 0.23 % = 1,150 ÷ 2 = 575;
    # 厚年 500,000 × 18.3 % = 91,500 ÷ 2 = 45,750; 雇用 500,500 × 5 ‰ = 2,502.5 → 2,502
    # 社会保険料等 73,452; 課税対象 500,500 − 73,452 = 427,048
    # 算出率: 前月 257千円, 甲1人 → 250–289千円 4.084 %: 427,048 × 4.084 % = 17,440.64 → 17,440
    assert (a.standard_bonus, a.standard_bonus_health, a.standard_bonus_pension) == (
        500_000,
        500_000,
        500_000,
    )
    assert (a.health, a.care_applies, a.child_support, a.pension, a.employment) == (
        24_625, False, 575, 45_750, 2_502,
    )  # fmt: skip
    assert (a.social_insurance_total, a.income_tax, a.resident_tax) == (73_452, 17_440, 0)
    assert a.net == 500_500 - 73_452 - 17_440 == 409_608
    assert a.inputs["withholding_method"] == "bonus_rate" and a.inputs["bonus_rate"] == "4.084"
    assert a.inputs["prev_month_after_si"] == 257_000

    b = slip_of(run, jiro)
    # 標準賞与額 800,000; 健保+介護 800,000 × 11.47 % = 91,760 ÷ 2 = 45,880; 支援金 1,840 ÷ 2 = 920;
    # 厚年 146,400 ÷ 2 = 73,200; 雇用 800,000 × 5 ‰ = 4,000 → 社会保険料等 124,000; 課税対象 676,000
    # 算出率: 前月 350千円, 甲0人 → 342–372千円 10.210 %: 676,000 × 10.21 % = 69,019.6 → 69,019
    assert (b.health, b.care_applies, b.child_support, b.pension, b.employment) == (
        45_880, True, 920, 73_200, 4_000,
    )  # fmt: skip
    assert (b.income_tax, b.net) == (69_019, 800_000 - 124_000 - 69_019)
    # lines: the 賞与 payment and the legal deductions — no 住民税 on a bonus
    codes = list(
        PayslipLine.objects.filter(payslip=b).order_by("kind", "sort_order").values_list("code", "amount")
    )
    assert codes == [
        ("health", 45_880), ("child_support", 920), ("pension", 73_200), ("employment", 4_000),
        ("income_tax", 69_019), ("bonus", 800_000),
    ]  # fmt: skip
    assert PayslipLine.objects.get(payslip=b, code="health").name == "健康保険料(介護含む)"
    # the employer's share: exact total 円未満切捨て − the employee's (91,760 − 45,880 …)
    assert (b.employer_health, b.employer_child_support, b.employer_pension) == (45_880, 920, 73_200)
    assert b.inputs["employer_child_contribution"] == 2_880  # 800,000 × 0.36 % 拠出金
    assert (run.headcount, run.gross_total, run.net_total) == (2, 1_300_500, a.net + b.net)
    assert AuditEvent.objects.filter(action="bonus_amounts", object_id=str(run.pk)).count() == 1


def test_the_573_man_cap_runs_over_the_fiscal_year_and_starts_again_in_april(company, hr, department):
    # 35-year-old; R7 rates until 2026年2月分 (東京 9.91 %), R8 from 3月分 (9.85 %)
    e = person(company, hr, department, "0003", birth_date=date(1991, 4, 10))
    december = bonus_run(company, hr, date(2025, 12, 10))
    pay(company, hr, december, {"0003": 4_000_000})
    first = slip_of(december, e)
    assert (first.standard_bonus_health, first.standard_bonus_pension) == (4_000_000, 1_500_000)
    # 健保 4,000,000 × 9.91 % = 396,400 ÷ 2 = 198,200 (支援金 0: it starts with 2026年4月分)
    assert (first.health, first.child_support, first.pension) == (198_200, 0, 137_250)
    mark_confirmed(december)

    march = bonus_run(company, hr, date(2026, 3, 10))
    pay(company, hr, march, {"0003": 2_500_000})
    second = slip_of(march, e)
    # same fiscal year (2025-04 … 2026-03): 5,730,000 − 4,000,000 = 1,730,000 left for 健保
    # 1,730,000 × 9.85 % = 170,405 ÷ 2 = 85,202.5 → 85,202; 厚年 still 150万 a month → 137,250
    assert (second.standard_bonus, second.standard_bonus_health, second.standard_bonus_pension) == (
        2_500_000, 1_730_000, 1_500_000,
    )  # fmt: skip
    assert (second.health, second.pension) == (85_202, 137_250)
    mark_confirmed(march)

    april = bonus_run(company, hr, date(2026, 4, 10))
    pay(company, hr, april, {"0003": 2_000_000})
    third = slip_of(april, e)
    # a new fiscal year: the whole 2,000,000; 2,000,000 × 9.85 % = 197,000 ÷ 2 = 98,500;
    # 支援金 2,000,000 × 0.23 % = 4,600 ÷ 2 = 2,300
    assert (third.standard_bonus_health, third.health, third.child_support) == (2_000_000, 98_500, 2_300)


def test_the_pension_cap_is_150_man_a_month_across_bonuses(company, hr, department):
    e = person(company, hr, department, "0004", birth_date=date(1991, 4, 10))
    early = bonus_run(company, hr, date(2026, 7, 3))
    pay(company, hr, early, {"0004": 1_000_000})
    mark_confirmed(early)
    late = bonus_run(company, hr, date(2026, 7, 24))
    pay(company, hr, late, {"0004": 800_000})
    slip = slip_of(late, e)
    # 1,500,000 − 1,000,000 = 500,000 left this month: 500,000 × 18.3 % = 91,500 ÷ 2 = 45,750;
    # 健保 is capped by the year only: 800,000 × 9.85 % = 78,800 ÷ 2 = 39,400
    assert (slip.standard_bonus_pension, slip.pension, slip.health) == (500_000, 45_750, 39_400)
    # a bonus of the next month is not touched by July's
    august = bonus_run(company, hr, date(2026, 8, 7))
    pay(company, hr, august, {"0004": 2_000_000})
    assert slip_of(august, e).standard_bonus_pension == 1_500_000
    assert slip_of(august, e).pension == 137_250  # 1,500,000 × 18.3 % ÷ 2


def test_no_salary_last_month_uses_the_monthly_table(company, hr, department):
    e = person(company, hr, department, "0005", birth_date=date(1991, 4, 10))
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0005": 6_000_000})
    s = slip_of(run, e)
    # 健保 on min(6,000,000, 573万) = 5,730,000 × 9.85 % = 564,405 ÷ 2 = 282,202.5 → 282,202
    # 支援金 5,730,000 × 0.23 % = 13,179 ÷ 2 = 6,589.5 → 6,589; 厚年 1,500,000 → 137,250
    # 雇用 6,000,000 × 5 ‰ = 30,000 → 社会保険料等 456,041; 課税対象 5,543,959
    # 告示第115号第3項: no pay last month → 5,543,959 ÷ 6 = 923,993 (切捨て);
    # 月額表 甲0人 790,000–960,000: 81,890 + 133,993 × 23.483 % = 113,355.58 → 113,355; × 6 = 680,130
    assert s.social_insurance_total == 456_041
    assert s.income_tax == 680_130
    assert s.inputs["withholding_method"] == "bonus_monthly"
    assert any(a["code"] == "bonus_monthly_method" for a in s.anomalies)


def test_a_bonus_over_ten_times_last_months_pay_uses_the_monthly_table(company, hr, department):
    e = person(company, hr, department, "0006", birth_date=date(1991, 4, 10))
    salary_paid(company, hr, e, date(2026, 6, 25), taxable=800_000, si_total=50_000)  # P = 750,000
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0006": 9_000_000})
    s = slip_of(run, e)
    # 社会保険料等 282,202 + 6,589 + 137,250 + 雇用 45,000 = 471,041; 課税対象 8,528,959 > 10 × 750,000
    # ÷ 6 = 1,421,493; 月額表(1,421,493 + 750,000 = 2,171,493) 甲0人 2,170,000–2,210,000:
    # 571,220 + 1,493 × 40.84 % = 571,829.74 → 571,829; 月額表(750,000): 71,680 + 10,000 × 20.42 %
    # = 73,722; (571,829 − 73,722) × 6 = 2,988,642
    assert s.social_insurance_total == 471_041
    assert s.income_tax == 2_988_642
    assert s.inputs["prev_month_after_si"] == 750_000


def test_exactly_ten_times_keeps_the_rate_table(company, hr, department):
    # no 社会保険 and no 雇用保険: the whole bonus is taxed; P = 100,000 → 10 × P = 1,000,000
    e = person(
        company, hr, department, "0007", birth_date=date(1991, 4, 10),
        profile={"health_insured": False, "employment_insured": False},
    )  # fmt: skip
    salary_paid(company, hr, e, date(2026, 6, 25), taxable=100_000, si_total=0)
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0007": 1_000_000})
    s = slip_of(run, e)
    # 算出率 甲0人 前月100千円: 94–260千円 4.084 %: 1,000,000 × 4.084 % = 40,840
    assert (s.social_insurance_total, s.standard_bonus) == (0, 0)
    assert (s.income_tax, s.inputs["withholding_method"]) == (40_840, "bonus_rate")


def test_no_premium_in_the_month_of_loss_and_none_after_it(company, hr, department):
    # 喪失日 2026-07-21 (left on 7-20): a bonus on 7-10 is in the month of loss — no premium, but
    # 健保's 標準賞与額 still counts toward the year; 雇用保険 is still charged (insured on the day)
    leaving = person(
        company, hr, department, "0008", birth_date=date(1991, 4, 10),
        profile={"si_lost_on": date(2026, 7, 21), "ei_lost_on": date(2026, 7, 21)},
    )  # fmt: skip
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0008": 300_000})
    s = slip_of(run, leaving)
    assert (s.health, s.child_support, s.pension) == (0, 0, 0)
    assert (s.standard_bonus_health, s.standard_bonus_pension) == (300_000, 0)
    assert s.employment == 1_500  # 300,000 × 5 ‰
    assert s.inputs["si_state"] == "loss_month"


def test_a_bonus_paid_with_the_salary_of_the_month_has_its_own_payslip(company, hr, ichiro):
    salary = salary_paid(company, hr, ichiro, JULY, taxable=300_000, si_total=43_000)
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0001": 200_000})
    slips = Payslip.objects.filter(employee=ichiro, run__pay_date=JULY).order_by("run__kind")
    assert [(p.run.kind, int(p.gross)) for p in slips] == [("bonus", 200_000), ("salary", 300_000)]
    assert slip_of(run, ichiro).pk != salary.pk
    # July's salary is not "last month's": June had none → the 月額表 method
    assert slip_of(run, ichiro).inputs["withholding_method"] == "bonus_monthly"


def test_entering_again_replaces_and_removing_leaves_no_payslip(company, hr, ichiro, jiro):
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0001": 300_000, "0002": 400_000})
    pay(company, hr, run, {"0001": None, "0002": 450_000})
    assert list(Payslip.objects.filter(run=run).values_list("employee_number", "gross")) == [
        ("0002", 450_000)
    ]
    assert list(BonusPayment.objects.filter(run=run).values_list("amount", flat=True)) == [450_000]
    # 0 is kept as entered but pays nothing
    pay(company, hr, run, {"0001": 0})
    assert Payslip.objects.filter(run=run).count() == 1
    run.refresh_from_db()
    assert (run.headcount, run.gross_total) == (1, 450_000)


def test_refusals_write_nothing(company, hr, ichiro):
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0001": 300_000})
    events = AuditEvent.objects.count()
    for amounts in ({"0001": -1}, {"9999": 100_000}, {"0001": 100_000, "9999": 1}):
        with pytest.raises(ServiceError) as err:
            pay(company, hr, run, amounts)
        assert err.value.field_errors["amounts"]
    with pytest.raises(ServiceError):
        bonus_services.set_bonus_amounts(
            company=company, actor=hr.user, membership=hr, run=run,
            rows=[bonus_services.AmountIn("0001", 1), bonus_services.AmountIn("0001", 2)],
        )  # fmt: skip
    assert list(BonusPayment.objects.filter(run=run).values_list("amount", flat=True)) == [300_000]
    assert Payslip.objects.get(run=run).gross == 300_000
    assert AuditEvent.objects.count() == events


def test_a_confirmed_bonus_cannot_be_edited_or_recomputed(company, hr, ichiro):
    run = mark_confirmed(pay(company, hr, bonus_run(company, hr, JULY), {"0001": 300_000}))
    with pytest.raises(ServiceError) as err:
        pay(company, hr, run, {"0001": 1})
    assert err.value.code == "confirmed"
    with pytest.raises(ServiceError):
        run_services.recompute_run(company=company, actor=hr.user, membership=hr, run=run)
    assert Payslip.objects.get(run=run).gross == 300_000


def test_creating_refuses_a_bank_holiday_a_2028_date_and_a_bad_period(company, hr):
    make_group(company)
    for day, months, field in (
        (date(2026, 7, 11), 6, "pay_date"),  # a Saturday
        (date(2028, 1, 7), 6, "pay_date"),  # no 令和10年分 table yet
        (date(2026, 7, 10), 0, "bonus_period_months"),
        (None, 6, "pay_date"),
    ):
        with pytest.raises(ServiceError) as err:
            bonus_run(company, hr, day, months=months)  # type: ignore[arg-type]
        assert field in err.value.field_errors
    assert not PayrollRun.objects.exists()


def test_only_hr_accounting_and_admin(company, hr, employee_member, ichiro):
    with pytest.raises(PermissionDeniedError):
        bonus_run(company, employee_member, JULY)
    run = bonus_run(company, hr, JULY)
    with pytest.raises(PermissionDeniedError):
        pay(company, employee_member, run, {"0001": 1})
    accountant = make_member(company, "keiri", ["accounting"])
    assert pay(company, accountant, run, {"0001": 100_000}).headcount == 1


def test_recompute_reads_todays_data(company, hr, ichiro):
    run = bonus_run(company, hr, JULY)
    pay(company, hr, run, {"0001": 500_000})
    assert slip_of(run, ichiro).inputs["withholding_method"] == "bonus_monthly"
    salary_paid(company, hr, ichiro, date(2026, 6, 25), taxable=300_000, si_total=43_000)
    run_services.recompute_run(company=company, actor=hr.user, membership=hr, run=run)
    assert slip_of(run, ichiro).inputs["withholding_method"] == "bonus_rate"
    assert run.status == RunStatus.DRAFT
