"""The demo company's 給与: pay settings for everyone but the 派遣 staff, a year of runs confirmed
(posted, filed, published) and this month's 月給者 run left as a draft; the demo employee opens
their own payslip and not a colleague's."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.models import Membership
from ennoshita.ledger.models import JournalEntry
from ennoshita.payroll.demo import RUN_MONTHS, build_demo_payroll
from ennoshita.payroll.models import PayProfile, PayrollRun, Payslip, RunStatus
from ennoshita.people.management.commands.demo import build_demo
from ennoshita.people.models import Employee

from ..conftest import login


def test_the_demo_pays_a_year_and_books_it(db, client):
    company = build_demo(employees=12)
    today = date.today()
    runs = PayrollRun.objects.filter(company=company)
    confirmed = runs.filter(status=RunStatus.CONFIRMED)
    this_month = today.replace(day=1)
    year_start = fiscal_year_of(today, start_month=company.fiscal_year_start_month).start
    months = (this_month.year - year_start.year) * 12 + this_month.month - year_start.month + 1
    assert runs.filter(pay_group__code="monthly").count() == min(months, RUN_MONTHS)
    # every run paid by today is confirmed, but this month's 月給者 run, left as a draft for 経理
    draft = runs.get(pay_group__code="monthly", pay_month=this_month)
    assert draft.status == RunStatus.DRAFT and draft.headcount > 0
    for run in runs.exclude(pk=draft.pk):
        assert run.status == (RunStatus.CONFIRMED if run.pay_date <= today else RunStatus.DRAFT), run
    for run in confirmed:
        entry = JournalEntry.objects.get(pk=run.journal_entry_id)
        assert (entry.source_type, entry.source_id) == ("payroll.run", str(run.pk))
        assert entry.total == max(run.gross_total, entry.total)  # the entry carries at least the gross
        assert run.transfer_document_id is not None
    employees = Employee.objects.for_company(company)
    dispatched = employees.filter(employment_type__code="dispatched").values_list("pk", flat=True)
    assert not PayProfile.objects.filter(employee_id__in=list(dispatched)).exists()
    officer = Payslip.objects.filter(run__company=company, is_officer=True)
    assert officer.exists() and not officer.exclude(employment=0).exists()  # 役員: no 雇用保険
    mine = Payslip.objects.filter(
        run__company=company, run__status=RunStatus.CONFIRMED, employee__user__username="employee"
    ).latest("run__pay_date")
    assert mine.net > 0 and mine.income_tax >= 0 and mine.health > 0
    member = Membership.objects.get(company=company, user__username="employee")
    login(client, member)
    assert client.get(reverse("payroll:payslip_detail", args=[mine.pk])).status_code == 200
    other = Payslip.objects.filter(run__company=company).exclude(employee=mine.employee).first()
    assert client.get(reverse("payroll:payslip_detail", args=[other.pk])).status_code == 404
    count = runs.count()
    build_demo_payroll(company)  # a second run adds nothing
    assert PayrollRun.objects.filter(company=company).count() == count
    assert verify_company_chain(company.pk) is None
