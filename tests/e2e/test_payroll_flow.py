"""給与 in a real browser: 経理 computes last month's attendance into this month's pay, confirms
it and downloads the 全銀 給与振込 file; the employee opens their own payslip, and a colleague's
payslip answers 404."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.attendance import services as attendance_services
from ennoshita.attendance.services import closing as closing_services
from ennoshita.core.dates import is_holiday
from ennoshita.ledger import services as ledger_services
from ennoshita.payroll.models import PayrollRun, Payslip, RunStatus
from tests.conftest import make_employee, make_member
from tests.payroll.factories import make_grade, make_group, make_profile, settings_of


def _person(company, hr, department, username, number, family):
    member = make_member(company, username, ["employee"], last_name=family, first_name="次郎")
    employee = make_employee(
        company,
        hr,
        department,
        number=number,
        family_name=family,
        given_name="次郎",
        family_name_kana="テスト",
        given_name_kana="ジロウ",
        birth_date=date(1990, 5, 1),
        user=member.user,
        hire_date=date(2020, 4, 1),
        bank_code="0005",
        bank_branch_code="001",
        bank_account_type="1",
        bank_account_number="1234567",
        bank_account_holder_kana="テスト ジロウ",
    )
    return member, employee


def test_keiri_runs_and_confirms_a_month_and_the_employee_opens_only_their_payslip(
    page: Page, live_server, login_as, company, hr, department
):
    keiri = make_member(company, "keiri", ["accounting"], last_name="経理", first_name="花子")
    member, employee = _person(company, hr, department, "jiro", "E001", "社員")
    _colleague_member, colleague = _person(company, hr, department, "saburo", "E002", "同僚")
    ledger_services.ensure_books(company=company)
    settings_of(
        company,
        transfer_requester_code="1234567890",
        transfer_requester_name="ｶ)ﾃｽﾄ",
        transfer_bank_code="0009",
        transfer_branch_code="001",
        transfer_account_type="1",
        transfer_account_number="0012345",
    )
    group = make_group(company)
    for e in (employee, colleague):
        make_profile(e, hr.user, group, base_pay=Decimal(280_000), commute_allowance=Decimal(10_000))
        make_grade(e, 290_000, effective_from=date(2025, 9, 1))
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    # last month worked: every workday 9:00–18:00 (imported as 人事 would), then closed
    rows = ["社員番号,勤務日,種類,時刻,メモ"]
    day = last_month
    while day < this_month:
        if day.weekday() < 5 and not is_holiday(day):
            for number in ("E001", "E002"):
                rows += [f"{number},{day},出勤,9:00,", f"{number},{day},退勤,18:00,"]
        day += timedelta(days=1)
    attendance_services.import_punches(
        company=company, actor=hr.user, membership=hr, data=("\n".join(rows) + "\n").encode()
    )
    closing_services.lock_months(
        company=company, actor=hr.user, membership=hr, month=last_month, include_unconfirmed=True
    )

    # 経理: a new run for this month, previewed, computed
    login_as(keiri, reverse("payroll:run_new"))
    page.get_by_label("支給グループ").select_option(label="月給者")
    page.get_by_label("支給月").fill(f"{this_month:%Y-%m}")
    page.get_by_role("button", name="確認").click()
    page.get_by_role("button", name="計算する").click()
    expect(page.locator("#payslip-table tbody tr")).to_have_count(2)
    expect(page.locator("#checklist")).to_contain_text("確認が必要な人はいません")

    # confirm: the journal entry, the transfer file, the payslips published
    page.locator("#to-confirm").click()
    page.locator("#confirm-button").click()
    run = PayrollRun.objects.get(company=company, pay_month=this_month)
    assert run.status == RunStatus.CONFIRMED and run.journal_entry_id and run.transfer_document_id
    expect(page.locator("#download")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#download").click()
    with open(download.value.path(), "rb") as f:
        data = f.read()
    records = data.split(b"\r\n")[:-1]
    assert [r[:1] for r in records] == [b"1", b"2", b"2", b"8", b"9"]  # header, two transfers, trailer, end
    assert all(len(r) == 120 for r in records) and records[0][1:3] == b"11"  # 給与振込
    net = sum(int(p.net) for p in Payslip.objects.filter(run=run))
    assert int(records[3][7:19]) == net  # the trailer's total is the net pay of both

    # the employee: their own payslip, not the colleague's
    page.context.clear_cookies()
    login_as(member, reverse("payroll:my_payslips"))
    mine = Payslip.objects.get(run=run, employee=employee)
    page.locator(f"a[href='{reverse('payroll:payslip_detail', args=[mine.pk])}']").first.click()
    expect(page.locator("h1")).to_contain_text("給与明細")
    expect(page.get_by_text(f"¥{int(mine.net):,}").first).to_be_visible()
    theirs = Payslip.objects.get(run=run, employee=colleague)
    response = page.goto(live_server.url + reverse("payroll:payslip_detail", args=[theirs.pk]))
    assert response is not None and response.status == 404
