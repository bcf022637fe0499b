"""訂正 (correction runs): a confirmed run stays as it was; the correction run pays (or takes back)
the difference, its income tax recomputed on the corrected total by the original pay date's table,
posted, transferred (positive nets only) and counted in the month it corrects."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.attendance.models import Punch
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.attendance.services import closing as closing_services
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.ledger.models import JournalEntry
from ennoshita.payroll import posting, rules, transfer
from ennoshita.payroll.models import PayrollRun, Payslip, RunKind, RunStatus
from ennoshita.payroll.selectors import ledgers
from ennoshita.payroll.services import corrections
from ennoshita.payroll.services.confirm import confirm_run

from ..apiclient import ApiClient
from ..conftest import make_employee
from .confirm_builders import TRANSFER_SETTINGS
from .factories import make_grade, make_group, make_profile, make_resident_tax, settings_of
from .test_arrears import run_for
from .test_runs import BANK, close, punch_month

pytestmark = pytest.mark.django_db

FIELDS = ("gross", "taxable", "health", "pension", "employment", "income_tax", "resident_tax", "net")


@pytest.fixture
def accountant(company):
    from ..conftest import make_member

    return make_member(company, "keiri-c", ["accounting"])


@pytest.fixture
def april(company, hr, accountant, department):
    """Two people paid in April 2026 for March (9:00–18:00, no overtime), confirmed through the
    confirm flow: 太郎 (月給 300,000 + 通勤 12,000) and 花子 (月給 250,000, no 住民税 entered yet)."""
    settings_of(company, **TRANSFER_SETTINGS)
    group = make_group(company)
    taro = make_employee(company, hr, department, number="0001", birth_date=date(1991, 4, 10), **BANK)
    make_profile(taro, hr.user, group, commute_allowance=12_000, dependents=1)
    make_grade(taro, 300_000, effective_from=date(2025, 9, 1))
    hanako = make_employee(
        company, hr, department, number="0002", given_name="花子", birth_date=date(1995, 5, 5), **BANK
    )
    make_profile(hanako, hr.user, group, base_pay=250_000)
    make_grade(hanako, 250_000, effective_from=date(2025, 9, 1))
    for e in (taro, hanako):
        punch_month(company, e, date(2026, 3, 1))
    close(company, hr, date(2026, 3, 1))
    run = run_for(company, hr, date(2026, 4, 1))
    run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=run)
    return run, taro, hanako


def fix_march_overtime(company, hr, employee) -> None:
    """人事 reopens March, 退勤 moved to 19:00 every day (1 hour over), and closes it again."""
    closing_services.reopen_month(
        company=company, actor=hr.user, membership=hr, employee_id=employee.pk, month=date(2026, 3, 1),
        reason="残業の打刻漏れ",
    )  # fmt: skip
    for p in Punch.objects.filter(employee=employee, work_date__month=3, kind="out"):
        p.at = datetime.combine(p.work_date, time(19), TOKYO)
        p.save(update_fields=["at"])
    close(company, hr, date(2026, 3, 1))


def figures(slip: Payslip) -> tuple[int, ...]:
    return tuple(int(getattr(slip, f)) for f in FIELDS)


def test_a_correction_pays_the_overtime_difference_and_takes_back_a_missed_resident_tax(
    company, hr, accountant, april
):
    original, taro, hanako = april
    before = {s.employee_id: figures(s) for s in Payslip.objects.filter(run=original)}
    t0 = Payslip.objects.get(run=original, employee=taro)
    fix_march_overtime(company, hr, taro)
    make_resident_tax(hanako, 2025, 120_000)  # 年度 2025 (June 2025–May 2026): 10,000 a month
    run = corrections.start_correction(
        company=company, actor=accountant.user, membership=accountant, run=original
    )
    assert (run.kind, run.corrects_id, run.status, run.pay_month) == (
        RunKind.CORRECTION, original.pk, RunStatus.DRAFT, original.pay_month,
    )  # fmt: skip
    # the first bank business day from today (銀行法施行令5条: not a Saturday, Sunday or holiday)
    assert run.pay_date == corrections.next_bank_day(timezone.localdate())
    assert run.pay_date.weekday() < 5
    assert (run.closing_date, run.withholding_method) == (original.closing_date, original.withholding_method)
    t = Payslip.objects.get(run=run, employee=taro)
    lines = {line.code: int(line.amount) for line in t.lines.all() if line.kind != "info"}
    # 時間外 21:00 × 1,731円 × 1.25 = 45,438.75 → 45,439
    assert lines["overtime"] == 45_439
    assert t.gross == 45_439 and t.taxable == 45_439
    # 雇用保険 on the corrected wage (締切日 3/31: R7 5.5‰) less what was deducted
    employment = rules.employment_insurance(
        wages=312_000 + 45_439, business="一般", closing_date=date(2026, 3, 31)
    )
    assert t.employment == employment - t0.employment
    assert (t.health, t.pension, t.resident_tax) == (0, 0, 0)
    # 所得税: the corrected total by the April pay date's 月額表 (甲 1人), less what was withheld
    si = int(t0.health + t0.child_support + t0.pension) + employment
    corrected_tax = rules.monthly_withholding(
        amount=300_000 + 45_439 - si, dependents=1, column="甲", method="table", pay_date=original.pay_date
    )
    assert t.income_tax == corrected_tax - t0.income_tax > 0
    assert t.net == t.gross - t.deduction_total > 0
    assert t.transfer_amount == t.net
    # 花子: no pay difference, 住民税 10,000 now owed for April → net −10,000 (a refund to the company)
    h = Payslip.objects.get(run=run, employee=hanako)
    assert (h.gross, h.resident_tax, h.net, h.transfer_amount) == (0, 10_000, -10_000, 0)
    flagged = [a for a in h.anomalies if a["code"] == "negative_net"]
    assert flagged and flagged[0]["level"] == "warning" and "住民税 +10,000円" in flagged[0]["message"]
    assert run.headcount == 2 and run.net_total == t.net - 10_000
    assert AuditEvent.objects.filter(action="create_correction", object_id=str(run.pk)).count() == 1
    # confirmed by the ordinary confirm flow
    run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=run)
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    debit = sum(int(x.debit or 0) for x in entry.lines.all())
    credit = sum(int(x.credit or 0) for x in entry.lines.all())
    assert debit == credit
    by_account = {(x.account.code, bool(x.debit)): int(x.debit or x.credit) for x in entry.lines.all()}
    assert by_account[(posting.RECEIVABLE_ACCOUNT, True)] == 10_000  # 未収入金 from 花子
    assert by_account[(posting.BANK_ACCOUNT, False)] == t.net  # only 太郎 is transferred
    transfers = transfer.transfers_of(Payslip.objects.filter(run=run).order_by("employee_number"))
    assert [(x.employee_number, x.amount) for x in transfers] == [("0001", int(t.net))]
    assert Payslip.objects.filter(run=run, published_at__isnull=False).count() == 2
    # the original run is unchanged
    original.refresh_from_db()
    assert original.status == RunStatus.CONFIRMED
    assert {s.employee_id: figures(s) for s in Payslip.objects.filter(run=original)} == before
    # 賃金台帳 and 源泉徴収簿 of 2026: the correction follows April's column; totals = original + correction
    ledger = ledgers.wage_ledger(company=company, membership=accountant, employee_id=taro.pk, year=2026)
    assert [c.label for c in ledger.columns] == [
        "2026年4月分 給与",
        f"2026年4月分 訂正({run.pay_date:%Y-%m-%d}支給)",
    ]
    assert ledger.row("gross").total == t0.gross + t.gross
    assert ledger.row("income_tax").total == corrected_tax
    assert ledger.row("overtime_minutes").values == [0, 21 * 60]
    book = ledgers.withholding_book(company=company, membership=accountant, employee_id=taro.pk, year=2026)
    assert [x.month for x in book.salary] == [4, 4]
    assert book.salary_total.income_tax == corrected_tax
    # a second correction now finds no difference left: refused, nothing written
    with pytest.raises(ServiceError) as err:
        corrections.start_correction(
            company=company, actor=accountant.user, membership=accountant, run=original
        )
    assert err.value.code == "no_difference"
    assert PayrollRun.objects.filter(corrects=original).count() == 1


def test_only_accounting_starts_a_correction_and_only_of_a_confirmed_salary_run(
    company, hr, accountant, april
):
    original, _taro, _hanako = april
    with pytest.raises(PermissionDeniedError):
        corrections.start_correction(company=company, actor=hr.user, membership=hr, run=original)
    assert not PayrollRun.objects.filter(kind=RunKind.CORRECTION).exists()
    punch_month(company, _taro, date(2026, 4, 1))
    punch_month(company, _hanako, date(2026, 4, 1))
    close(company, hr, date(2026, 4, 1))
    draft = run_for(company, hr, date(2026, 5, 1))
    with pytest.raises(ServiceError) as err:
        corrections.start_correction(company=company, actor=accountant.user, membership=accountant, run=draft)
    assert err.value.code == "bad_state"
    with pytest.raises(ServiceError) as err:  # a pay date on a Sunday: the bank refuses the file
        corrections.start_correction(
            company=company,
            actor=accountant.user,
            membership=accountant,
            run=original,
            pay_date=date(2026, 12, 6),
        )
    assert "pay_date" in err.value.field_errors
    assert not PayrollRun.objects.filter(kind=RunKind.CORRECTION).exists()


def test_the_correction_screen_and_api(client, company, hr, accountant, april):
    original, _taro, hanako = april
    make_resident_tax(hanako, 2025, 120_000)
    client.force_login(hr.user)
    assert client.get(reverse("payroll:run_correction_new", args=[original.pk])).status_code == 403
    client.force_login(accountant.user)
    page = client.get(reverse("payroll:run_correction_new", args=[original.pk]))
    assert page.status_code == 200 and "遡及差額" in page.content.decode()
    detail = client.get(reverse("payroll:run_detail", args=[original.pk])).content.decode()
    assert 'id="to-correction"' in detail
    refused = ApiClient(client, hr).post(f"/payroll/runs/{original.pk}/corrections", {})
    assert refused.status_code == 403
    response = ApiClient(client, accountant).post(
        f"/payroll/runs/{original.pk}/corrections", {"employee_ids": [hanako.pk], "pay_date": "2026-12-07"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["corrects_id"], body["pay_date"], body["headcount"]) == (
        "correction", original.pk, "2026-12-07", 1,
    )  # fmt: skip
    assert body["payslips"][0]["net"] == -10_000
    page = client.get(reverse("payroll:run_detail", args=[body["id"]])).content.decode()
    assert 'id="corrects"' in page and "negative_net" in page
    original_page = client.get(reverse("payroll:run_detail", args=[original.pk])).content.decode()
    assert 'id="corrections"' in original_page


def test_a_correction_that_lowers_pay_and_tax_is_stored_and_posted_as_negative_differences(
    company, hr, accountant, department
):
    """太郎 was paid for an hour of 時間外 a day in March that he did not work: the correction holds
    negative 総支給額 and 所得税 (the tax by the original pay date's table on the corrected total, less
    what was withheld) and is booked with the sides turned (a debit to 預り金, 未収入金 from him)."""
    settings_of(company, **TRANSFER_SETTINGS)
    group = make_group(company)
    taro = make_employee(company, hr, department, number="0001", birth_date=date(1991, 4, 10), **BANK)
    make_profile(taro, hr.user, group, commute_allowance=12_000, dependents=1)
    make_grade(taro, 300_000, effective_from=date(2025, 9, 1))
    punch_month(company, taro, date(2026, 3, 1))
    for p in Punch.objects.filter(employee=taro, work_date__month=3, kind="out"):
        p.at = datetime.combine(p.work_date, time(19), TOKYO)
        p.save(update_fields=["at"])
    close(company, hr, date(2026, 3, 1))
    original = confirm_run(
        company=company,
        actor=accountant.user,
        membership=accountant,
        run=run_for(company, hr, date(2026, 4, 1)),
    )
    t0 = Payslip.objects.get(run=original, employee=taro)
    assert t0.gross == 300_000 + 12_000 + 45_439  # 時間外 21:00 × 1,731円 × 1.25
    closing_services.reopen_month(
        company=company, actor=hr.user, membership=hr, employee_id=taro.pk, month=date(2026, 3, 1),
        reason="退勤の打刻誤り",
    )  # fmt: skip
    for p in Punch.objects.filter(employee=taro, work_date__month=3, kind="out"):
        p.at = datetime.combine(p.work_date, time(18), TOKYO)
        p.save(update_fields=["at"])
    close(company, hr, date(2026, 3, 1))
    run = corrections.start_correction(
        company=company, actor=accountant.user, membership=accountant, run=original
    )
    t = Payslip.objects.get(run=run, employee=taro)
    assert t.is_correction and t.gross == -45_439 and t.taxable == -45_439
    employment = rules.employment_insurance(wages=312_000, business="一般", closing_date=date(2026, 3, 31))
    assert t.employment == employment - t0.employment < 0
    si = int(t0.health + t0.child_support + t0.pension) + employment
    corrected_tax = rules.monthly_withholding(
        amount=300_000 - si, dependents=1, column="甲", method="table", pay_date=original.pay_date
    )
    assert t.income_tax == corrected_tax - t0.income_tax < 0
    assert t.net == t.gross - t.deduction_total < 0 and t.transfer_amount == 0
    run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=run)
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    debit = sum(int(x.debit or 0) for x in entry.lines.all())
    credit = sum(int(x.credit or 0) for x in entry.lines.all())
    assert debit == credit
    by_account: dict[tuple[str, bool], int] = {}
    for x in entry.lines.all():
        key = (x.account.code, bool(x.debit))
        by_account[key] = by_account.get(key, 0) + int(x.debit or x.credit)
    assert by_account[(posting.SALARY_ACCOUNT, False)] == 45_439  # 給料手当 reduced: a credit
    assert by_account[(posting.RECEIVABLE_ACCOUNT, True)] == -int(t.net)  # 未収入金 from 太郎
    assert (posting.BANK_ACCOUNT, False) not in by_account  # nothing transferred
    # the year's 源泉徴収簿 ends at the corrected tax
    book = ledgers.withholding_book(company=company, membership=accountant, employee_id=taro.pk, year=2026)
    assert book.salary_total.income_tax == corrected_tax
