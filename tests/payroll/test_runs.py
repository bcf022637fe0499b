"""給与計算 runs through the services, on a real database: attendance punched and closed through
attendance's own services, pay settings from tests/payroll/factories.py. Expected figures are
worked by hand in the comments (jp-rules §1–§3 and the dated rates of docs/domains/payroll.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ennoshita.attendance.models import Punch
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.attendance.services import closing as closing_services
from ennoshita.core.dates import is_holiday
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import PayProfile, PayrollRun, Payslip, PayslipLine, RunStatus
from ennoshita.payroll.services import runs as services
from ennoshita.payroll.services.runs import previous_bank_day, run_dates

from ..conftest import make_employee, make_member
from .factories import make_grade, make_group, make_profile, settings_of

pytestmark = pytest.mark.django_db

BANK = {
    "bank_code": "0005",
    "bank_branch_code": "001",
    "bank_account_type": "1",
    "bank_account_number": "1234567",
    "bank_account_holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
}


def workdays(month: date, start: date | None = None):
    day = max(month, start or month)
    while day.month == month.month:
        if day.weekday() < 5 and not is_holiday(day):
            yield day
        day += timedelta(days=1)


def punch_month(company, employee, month: date, *, out: time = time(18)) -> None:
    """Every scheduled workday of the month in service: 9:00 出勤, 12:00–13:00 休憩, ``out`` 退勤."""
    rows = []
    for d in workdays(month, employee.hire_date):
        for kind, at in (("in", time(9)), ("break_start", time(12)), ("break_end", time(13)), ("out", out)):
            rows.append(
                Punch(
                    company=company,
                    employee=employee,
                    work_date=d,
                    kind=kind,
                    at=datetime.combine(d, at, TOKYO),
                    source="import",
                )
            )
    Punch.objects.bulk_create(rows)


def close(company, hr, month: date) -> None:
    """勤怠締め of everyone for the month (attendance's bulk lock, unconfirmed included)."""
    closing_services.lock_months(
        company=company, actor=hr.user, membership=hr, month=month, include_unconfirmed=True
    )


@pytest.fixture
def accountant(company):
    return make_member(company, "acc1", ["accounting"])


@pytest.fixture
def taro(company, hr, department):
    """月給 300,000 + 通勤 12,000, 甲欄 1人, born 1991-04-10 (35), 標準報酬 300,000."""
    e = make_employee(company, hr, department, number="0001", birth_date=date(1991, 4, 10), **BANK)
    group = make_group(company)
    make_profile(e, hr.user, group, commute_allowance=12_000, dependents=1)
    make_grade(e, 300_000, effective_from=date(2025, 9, 1))
    return e


def run_for(company, member, month: date, **kw) -> PayrollRun:
    return services.create_run(
        company=company,
        actor=member.user,
        membership=member,
        pay_group=make_group(company),
        pay_month=month,
        **kw,
    )


def test_dates_of_a_run():
    # 末締め翌月25日払い: pay month 2026-04 pays March's attendance; 2026-04-25 is a Saturday → 24th
    group = type("G", (), {"pay_month_offset": 1, "closing_day": 0, "pay_day": 25})()
    d = run_dates(pay_group=group, pay_month=date(2026, 4, 17))
    assert (d.pay_month, d.attendance_month, d.closing_date) == (
        date(2026, 4, 1),
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert (d.period_start, d.scheduled_pay_date, d.pay_date) == (
        date(2026, 3, 1),
        date(2026, 4, 25),
        date(2026, 4, 24),
    )
    # 20日締め: period 2/21–3/20; pay_day 31 in April → its last day (30th, a Thursday)
    g20 = type("G", (), {"pay_month_offset": 1, "closing_day": 20, "pay_day": 31})()
    d = run_dates(pay_group=g20, pay_month=date(2026, 4, 1))
    assert (d.period_start, d.closing_date, d.pay_date) == (
        date(2026, 2, 21),
        date(2026, 3, 20),
        date(2026, 4, 30),
    )
    # banks close 12/31–1/3 (銀行法施行令5条): 2026-12-31 (Thursday) → 12/30; 2027-01-04 is a Monday
    assert previous_bank_day(date(2026, 12, 31)) == date(2026, 12, 30)
    assert previous_bank_day(date(2027, 1, 3)) == date(2026, 12, 30)
    assert previous_bank_day(date(2027, 1, 4)) == date(2027, 1, 4)


def test_march_april_may_2026_each_rate_switch(company, hr, taro):
    for month in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        punch_month(company, taro, month)
        close(company, hr, month)
    march, april, may = (run_for(company, hr, date(2026, m, 1)) for m in (3, 4, 5))
    slip = {r.pay_month.month: Payslip.objects.get(run=r) for r in (march, april, may)}
    # March pay ← 2026年2月分: 協会けんぽ R7 東京 9.91 %: 300,000 × 9.91 % = 29,730 ÷ 2 = 14,865;
    # no 支援金 yet; 厚年 27,450; 雇用 締切日 2/28 → R7 5.5 ‰: 312,000 × 5.5 ‰ = 1,716
    # tax: 300,000 − 44,031 = 255,969 → 月額表 254,000–257,000 甲1人 4,710
    m = slip[3]
    assert (m.health, m.child_support, m.pension, m.employment, m.income_tax) == (
        14_865,
        0,
        27_450,
        1_716,
        4_710,
    )
    assert m.net == 312_000 - 44_031 - 4_710
    # April pay ← 3月分: R8 9.85 % (from 2026年3月分): 29,550 ÷ 2 = 14,775; 支援金 still 0 (from 4月分);
    # 雇用 締切日 3/31 → still R7 1,716; 300,000 − 43,941 = 256,059 → 4,710
    a = slip[4]
    assert (a.health, a.child_support, a.pension, a.employment, a.income_tax) == (
        14_775,
        0,
        27_450,
        1_716,
        4_710,
    )
    assert april.pay_date == date(2026, 4, 24)  # the 25th is a Saturday
    # May pay ← 4月分: 支援金 300,000 × 0.23 % = 690 ÷ 2 = 345; 雇用 締切日 4/30 → R8 5 ‰: 1,560
    # 300,000 − 44,130 = 255,870 → 4,710; net 312,000 − 48,840 = 263,160
    y = slip[5]
    assert (y.health, y.child_support, y.pension, y.employment, y.income_tax) == (
        14_775,
        345,
        27_450,
        1_560,
        4_710,
    )
    assert (y.gross, y.deduction_total, y.net, y.transfer_amount) == (312_000, 48_840, 263_160, 263_160)
    assert y.inputs["insurance_months"] == ["2026-04"] and y.inputs["attendance_month"] == "2026-04"
    assert y.inputs["days_worked"] == 21 and y.anomalies == []
    assert y.bank["main"]["account_number"] == "1234567"
    # lines add up to the figures
    lines = PayslipLine.objects.filter(payslip=y)
    assert sum(x.amount for x in lines if x.kind == "payment") == y.gross
    assert sum(x.amount for x in lines if x.kind == "deduction") == y.deduction_total
    assert (may.headcount, may.gross_total, may.net_total) == (1, 312_000, 263_160)
    assert may.computed_at is not None and may.withholding_method == "table"


def test_one_audit_event_per_run(company, hr, taro, department):
    other = make_employee(company, hr, department, number="0002", birth_date=date(1980, 1, 1))
    make_profile(other, hr.user, make_group(company))
    make_grade(other, 300_000, effective_from=date(2025, 9, 1))
    for e in (taro, other):
        punch_month(company, e, date(2026, 4, 1))
    close(company, hr, date(2026, 4, 1))
    before = AuditEvent.objects.filter(company=company).count()
    run = run_for(company, hr, date(2026, 5, 1))
    events = AuditEvent.objects.filter(company=company)[before:]
    assert [(e.action, e.object_type) for e in events] == [("create", "payroll.payrollrun")]
    assert run.headcount == 2


def test_a_month_not_closed_is_refused_and_nothing_is_written(company, hr, taro):
    punch_month(company, taro, date(2026, 4, 1))
    before = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(ServiceError) as err:
        run_for(company, hr, date(2026, 5, 1))
    assert err.value.code == "attendance_open"
    assert "0001 山田 太郎" in err.value.message and "2026年4月" in err.value.message
    assert not PayrollRun.objects.exists() and not Payslip.objects.exists()
    assert AuditEvent.objects.filter(company=company).count() == before


def test_a_second_live_run_is_refused_until_the_first_is_discarded(company, hr, taro):
    punch_month(company, taro, date(2026, 4, 1))
    close(company, hr, date(2026, 4, 1))
    first = run_for(company, hr, date(2026, 5, 1))
    with pytest.raises(ServiceError) as err:
        run_for(company, hr, date(2026, 5, 1))
    assert err.value.code == "duplicate"
    with pytest.raises(ServiceError):
        services.discard_run(company=company, actor=hr.user, membership=hr, run=first, reason=" ")
    services.discard_run(company=company, actor=hr.user, membership=hr, run=first, reason="設定の誤り")
    first.refresh_from_db()
    assert first.status == RunStatus.DISCARDED
    assert run_for(company, hr, date(2026, 5, 1)).headcount == 1


def test_recompute_reads_the_data_again_and_a_confirmed_run_refuses_it(company, hr, taro):
    punch_month(company, taro, date(2026, 4, 1))
    close(company, hr, date(2026, 4, 1))
    run = run_for(company, hr, date(2026, 5, 1))
    taro_profile = PayProfile.objects.get(employee=taro)
    taro_profile.base_pay = 320_000
    taro_profile.save()
    run = services.recompute_run(company=company, actor=hr.user, membership=hr, run=run)
    assert Payslip.objects.get(run=run).gross == 332_000 and Payslip.objects.count() == 1
    assert AuditEvent.objects.filter(company=company, action="recompute").count() == 1
    PayrollRun.objects.filter(pk=run.pk).update(status=RunStatus.CONFIRMED)
    with pytest.raises(ServiceError) as err:
        services.recompute_run(company=company, actor=hr.user, membership=hr, run=run)
    assert err.value.code == "confirmed"
    with pytest.raises(ServiceError):
        services.discard_run(company=company, actor=hr.user, membership=hr, run=run, reason="x")
    assert Payslip.objects.get(run=run).gross == 332_000


def test_only_run_roles_compute(company, taro, employee_member, accountant, hr):
    punch_month(company, taro, date(2026, 4, 1))
    close(company, hr, date(2026, 4, 1))
    with pytest.raises(PermissionDeniedError):
        run_for(company, employee_member, date(2026, 5, 1))
    assert not PayrollRun.objects.exists()
    assert run_for(company, accountant, date(2026, 5, 1)).headcount == 1


def test_a_pay_date_without_a_tax_table_is_refused(company, hr, department):
    # an officer (no attendance close needed): January 2028 pay — the 令和10年分 table is not loaded
    boss = make_employee(company, hr, department, number="0009", birth_date=date(1970, 1, 1))
    make_profile(boss, hr.user, make_group(company), is_officer=True, employment_insured=False)
    make_grade(boss, 600_000, effective_from=date(2025, 9, 1))
    with pytest.raises(ServiceError) as err:
        run_for(company, hr, date(2028, 1, 1))
    assert err.value.code == "rules" and "0009" in err.value.message
    assert not PayrollRun.objects.exists()


def test_mid_month_joiner_by_scheduled_workdays(company, hr, department):
    # hired Monday 2026-05-18: 10 of May's 18 scheduled workdays (5/4–5/6 are holidays)
    settings_of(company, proration_rule="scheduled")
    new = make_employee(company, hr, department, number="0100", hire_date=date(2026, 5, 18),
                        birth_date=date(2000, 1, 1))  # fmt: skip
    make_profile(new, hr.user, make_group(company), effective_from=date(2026, 5, 1))
    make_grade(new, 300_000, effective_from=date(2026, 5, 1))
    punch_month(company, new, date(2026, 5, 1))
    close(company, hr, date(2026, 5, 1))
    run = run_for(company, hr, date(2026, 6, 1))
    slip = Payslip.objects.get(run=run)
    base = PayslipLine.objects.get(payslip=slip, code="base").amount
    assert base == 166_667  # 300,000 × 10 ÷ 18 = 166,666.67
    assert (slip.inputs["workdays"], slip.inputs["workdays_in_service"]) == (18, 10)
    assert slip.inputs["insurance_months"] == ["2026-05"]  # acquired 5/18: May分 from June's pay


def test_overtime_from_punches(company, hr, taro):
    # April 2026: 21 workdays to 22:00 → 4 h a day beyond 8 h (daily 時間外) = 84 h, of which 24 h
    # beyond 60 h; no night (22:00 is the boundary). hourly base 300,000 × 12 ÷ 2,080 = 1,730.77
    # → 1,731; 60 h × 1,731 × 1.25 = 129,825 + 24 h × 1,731 × 1.5 = 62,316 → 192,141
    punch_month(company, taro, date(2026, 4, 1), out=time(22))
    close(company, hr, date(2026, 4, 1))
    slip = Payslip.objects.get(run=run_for(company, hr, date(2026, 5, 1)))
    assert slip.inputs["overtime_minutes"] == 84 * 60
    assert PayslipLine.objects.get(payslip=slip, code="overtime").amount == 192_141
    assert {a["code"] for a in slip.anomalies} >= {"overtime_limit"}
