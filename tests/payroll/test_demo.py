"""The demo company's 給与: 18 months of runs (not before the books' first year) confirmed, posted
and paid, this month's 月給者 run left as a draft; the 夏季・冬季賞与; the demo 所属長 turning 40 this
year (介護 from the month they reach it); the 定時決定 recorded after July; a 月給者 who left the month
before last with their last pay and a confirmed 退職金; the books' previous year closed after the
runs. Every demo login opens their own latest payslip and not a colleague's."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.models import Membership
from ennoshita.ledger.models import FiscalYear, JournalEntry, JournalLine
from ennoshita.payroll.calculation_dates import previous_bank_day
from ennoshita.payroll.demo import RUN_MONTHS, build_demo_payroll
from ennoshita.payroll.models import (
    GradeReason,
    PayProfile,
    PayrollRun,
    Payslip,
    RunKind,
    RunStatus,
    SeverancePay,
    StandardRemuneration,
)
from ennoshita.people.management.commands.demo import build_demo
from ennoshita.people.management.demo_data import DEMO_USERS
from ennoshita.people.models import Employee

from ..conftest import login


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _month_end(month: date) -> date:
    return _add_months(month, 1) - timedelta(days=1)


def test_the_demo_pays_18_months_and_books_them(db, client):
    company = build_demo(employees=12)
    today = date.today()
    this_month = today.replace(day=1)
    current = fiscal_year_of(today, start_month=company.fiscal_year_start_month)
    previous = fiscal_year_of(current.start - timedelta(days=1), start_month=company.fiscal_year_start_month)
    first = max(previous.start, _add_months(this_month, -(RUN_MONTHS - 1)))
    months = (this_month.year - first.year) * 12 + this_month.month - first.month + 1
    assert RUN_MONTHS == 18 and (months == 18 or first == previous.start)
    runs = PayrollRun.objects.filter(company=company)
    salary = runs.filter(kind=RunKind.SALARY)
    _check_runs(company, salary, months, first, this_month, today)
    _check_books(company, runs, first, previous)
    _check_bonuses(company, runs, first, today)
    _check_care(company, today)
    _check_annual_revision(company, first, this_month)
    _check_leaver(company, client, this_month)
    _check_logins(company, client)
    count = runs.count()
    build_demo_payroll(company)  # a second run adds nothing
    assert PayrollRun.objects.filter(company=company).count() == count
    assert verify_company_chain(company.pk) is None


def _check_runs(company, salary, months, first, this_month, today):
    monthly = salary.filter(pay_group__code="monthly")
    assert monthly.count() == months and monthly.order_by("pay_month").first().pay_month == first
    assert monthly.filter(status=RunStatus.CONFIRMED).count() == months - 1
    # every run paid by today is confirmed, but this month's 月給者 run, left as a draft for 経理
    draft = monthly.get(pay_month=this_month)
    assert draft.status == RunStatus.DRAFT and draft.headcount > 0
    for run in salary.exclude(pk=draft.pk):
        assert run.status == (RunStatus.CONFIRMED if run.pay_date <= today else RunStatus.DRAFT), run
    employees = Employee.objects.for_company(company)
    dispatched = employees.filter(employment_type__code="dispatched").values_list("pk", flat=True)
    assert not PayProfile.objects.filter(employee_id__in=list(dispatched)).exists()
    officer = Payslip.objects.filter(run__company=company, is_officer=True)
    assert officer.exists() and not officer.exclude(employment=0).exists()  # 役員: no 雇用保険


def _check_books(company, runs, first, previous):
    """Every confirmed run has its entry; what it withheld is paid at the month's end; the books'
    stand-in pay stops where the runs begin; the previous year is closed (after the runs)."""
    confirmed = runs.filter(status=RunStatus.CONFIRMED)
    for run in confirmed:
        entry = JournalEntry.objects.get(pk=run.journal_entry_id)
        assert (entry.source_type, entry.source_id) == ("payroll.run", str(run.pk))
        assert entry.status == JournalEntry.Status.POSTED and entry.date == run.pay_date
        assert entry.total >= run.gross_total  # the entry carries at least the gross
        assert run.transfer_document_id is not None
    entries = JournalEntry.objects.for_company(company).filter(status=JournalEntry.Status.POSTED)
    paid = entries.filter(memo__startswith="源泉所得税・住民税・社会保険料 納付")
    assert paid.count() == confirmed.filter(pay_month__lt=date.today().replace(day=1)).count()
    stand_ins = entries.filter(memo__endswith="月分 給与", source_type="")
    assert stand_ins.exists() == (first > previous.start)
    assert not stand_ins.filter(date__gte=first).exists()
    years = {y.start: y.status for y in FiscalYear.objects.for_company(company)}
    assert years[previous.start] == FiscalYear.Status.CLOSED
    year_end = entries.filter(date=previous.end, memo__startswith="決算整理")
    last_pay = confirmed.filter(pay_date__lte=previous.end).order_by("-pay_date").first()
    assert year_end.exists() and last_pay is not None
    # the 決算整理 was posted after the previous year's last pay run (the close waited for it)
    assert year_end.earliest("pk").pk > last_pay.journal_entry_id


def _check_bonuses(company, runs, first, today):
    year = today.year if today >= date(today.year, 7, 10) else today.year - 1
    days = [previous_bank_day(date(year, 7, 10)), previous_bank_day(date(year, 12, 10))]
    bonuses = runs.filter(kind=RunKind.BONUS)
    expected = [d for d in days if d.replace(day=1) >= first]
    assert sorted({r.pay_date for r in bonuses}) == expected and len(expected) == 2
    for run in bonuses:
        assert run.pay_group.code in ("monthly", "officer")  # none for 時給者
        if run.pay_date > today:
            assert run.status == RunStatus.DRAFT and run.journal_entry_id is None
            continue
        assert run.status == RunStatus.CONFIRMED
        lines = JournalLine.objects.filter(entry_id=run.journal_entry_id)
        bonus_lines = lines.filter(account__code="6130").aggregate(s=Sum("debit"))["s"]  # 賞与
        assert bonus_lines == run.gross_total > 0
        for slip in Payslip.objects.filter(run=run).select_related("employee"):
            profile = (
                PayProfile.objects.filter(employee=slip.employee, effective_from__lte=run.pay_month)
                .order_by("-effective_from")
                .first()
            )
            months = Decimal("1.5") if run.pay_date.month == 7 else Decimal(2)
            want = 1_000_000 if slip.is_officer else int(profile.base_pay * months) // 1000 * 1000
            assert slip.gross == want and slip.resident_tax == 0 and slip.net > 0
            assert slip.standard_bonus == want // 1000 * 1000
        if run.pay_month < today.replace(day=1):
            assert JournalEntry.objects.filter(company=company, memo__contains=run.title).exists()
    summer = bonuses.get(pay_date=expected[0], pay_group__code="monthly")
    assert summer.status == RunStatus.CONFIRMED and summer.headcount > 0


def _check_care(company, today):
    """The demo 所属長 turns 40 this year: 介護 from the month of the day before the birthday
    (介護保険法9条2号, 年齢計算ニ関スル法律), on the premium of that month (deducted the month after)."""
    manager = Employee.objects.for_company(company).get(user__username="manager")
    assert manager.birth_date.year == today.year - 40
    reached = manager.birth_date.replace(year=today.year) - timedelta(days=1)
    starts = reached.replace(day=1)
    slips = Payslip.objects.filter(
        run__company=company, employee=manager, run__kind=RunKind.SALARY, run__status=RunStatus.CONFIRMED
    )
    seen = set()
    for slip in slips:
        (month,) = slip.inputs["insurance_months"]
        applies = date.fromisoformat(month + "-01") >= starts
        assert slip.care_applies == applies, (month, slip.care_applies)
        seen.add(applies)
    assert False in seen
    if _add_months(today.replace(day=1), -2) >= starts:
        assert True in seen


def _check_annual_revision(company, first, this_month):
    year = this_month.year if this_month.month >= 7 else this_month.year - 1
    if date(year, 4, 1) < first:
        return
    rows = StandardRemuneration.objects.for_company(company).filter(
        effective_from=date(year, 9, 1), reason=GradeReason.ANNUAL
    )
    assert rows.count() >= 5
    for row in rows.select_related("employee"):
        slips = Payslip.objects.filter(
            run__company=company,
            employee=row.employee,
            run__kind=RunKind.SALARY,
            run__status=RunStatus.CONFIRMED,
            run__pay_month__in=[date(year, m, 1) for m in (4, 5, 6)],
        )
        total = slips.aggregate(s=Sum("social_insurance_wage"))["s"]
        assert slips.count() == 3 and row.monthly_remuneration == int(total) // 3  # 円未満切捨て


def _check_leaver(company, client, this_month):
    leaving = _month_end(_add_months(this_month, -2))
    leaver = Employee.objects.for_company(company).get(retire_date=leaving)
    assert leaver.user_id is None and leaver.employment_type.code == "regular"
    profile = PayProfile.objects.filter(employee=leaver).order_by("-effective_from").first()
    lost = leaving + timedelta(days=1)
    assert (profile.si_lost_on, profile.ei_lost_on, profile.resident_tax_lump_sum) == (lost, lost, True)
    final = Payslip.objects.get(
        run__company=company,
        employee=leaver,
        run__kind=RunKind.SALARY,
        run__pay_month=_add_months(this_month, -1),
        run__pay_group__code="monthly",
    )
    assert final.run.status == RunStatus.CONFIRMED and final.net > 0
    # 末締め翌月払い, 退職日 the month's last day: the last pay deducts that month's premium
    assert final.inputs["insurance_months"] == [f"{leaving:%Y-%m}"]
    # 住民税: the month's installment, and the rest of the 年度 in one lump on the employee's 申出
    # (地方税法321条の5第2項1号) — or, when the pay does not cover it, 普通徴収 with a warning
    assert "resident_tax_lump" in final.inputs or "resident_tax_ordinary" in final.inputs
    if "resident_tax_lump" in final.inputs:
        assert final.lines.filter(name="住民税(一括徴収)").exists()
    assert not Payslip.objects.filter(
        employee=leaver, run__pay_month=this_month, run__kind=RunKind.SALARY
    ).exists()
    severance = SeverancePay.objects.for_company(company).get(employee=leaver)
    assert severance.status == RunStatus.CONFIRMED and severance.paid_on == final.run.pay_date
    assert (
        severance.net
        == severance.amount - severance.income_tax - severance.city_tax - severance.prefecture_tax
    )
    entry = JournalEntry.objects.get(pk=severance.journal_entry_id)
    assert (entry.source_type, entry.source_id) == ("payroll.severance", str(severance.pk))
    assert JournalLine.objects.filter(entry=entry, account__code="6140", debit=severance.amount).exists()
    assert severance.document_id is not None
    # no login of their own; 人事 opens their last payslip
    hr = Membership.objects.get(company=company, user__username="hr")
    login(client, hr)
    assert client.get(reverse("payroll:payslip_detail", args=[final.pk])).status_code == 200


def _check_logins(company, client):
    """Each demo login with an employee record opens their own latest payslip, and the demo
    employee gets a colleague's as a 404."""
    for username, _roles, dept, *_rest in DEMO_USERS:
        if dept is None:
            continue
        mine = Payslip.objects.filter(
            run__company=company, run__status=RunStatus.CONFIRMED, employee__user__username=username
        ).latest("run__pay_date")
        assert mine.net > 0 and mine.income_tax >= 0, username
        member = Membership.objects.get(company=company, user__username=username)
        login(client, member)
        assert client.get(reverse("payroll:payslip_detail", args=[mine.pk])).status_code == 200, username
    other = Payslip.objects.filter(run__company=company).exclude(employee=mine.employee).first()
    assert client.get(reverse("payroll:payslip_detail", args=[other.pk])).status_code == 404
