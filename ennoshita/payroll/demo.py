"""The demo company's 給与: settings, three pay groups (役員 当月25日払い, 月給者 and 時給者 末締め
翌月25日払い), pay settings for everyone in service but the 派遣 staff (a 派遣 worker is paid by
the agency), and the runs of the current fiscal year (the ledger demo's previous year is closed and
carries its own stand-in pay entries) from the demo's punches — every month confirmed (posted to
the books, the 全銀 file filed, payslips published) and what was withheld paid at the month's end,
except this month's 月給者 run, left as a draft for 経理 to look at and confirm.

The runs go through the product's services (勤怠締め, create_run, confirm_run); the settings rows too,
as 人事 would enter them. A pay date the withholding tables do not cover (a year not loaded yet)
leaves that month out rather than failing the whole demo."""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ennoshita.attendance.services import closing as attendance_closing
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.ledger import services as ledger_services
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from . import posting
from .models import GradeReason, PayGroup, PayItem, PayProfile, PayrollRun, Payslip, PayType, TaxColumn
from .services import confirm as confirm_services
from .services import employee_pay, pay_items, resident_tax_import
from .services import runs as run_services
from .services import settings as settings_services

logger = logging.getLogger(__name__)

RUN_MONTHS = 12  # the demo's punches cover the last twelve months


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _member(company: Company, username: str) -> Membership:
    return Membership.objects.for_company(company).select_related("user").get(user__username=username)


def build_demo_payroll(company: Company, *, today: date | None = None) -> None:
    if PayProfile.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(20261205)
    admin = _member(company, "admin")
    keiri = _member(company, "accounting")
    this_month = today.replace(day=1)
    year_start = fiscal_year_of(today, start_month=company.fiscal_year_start_month).start
    first_pay_month = max(add_months(this_month, -(RUN_MONTHS - 1)), year_start)
    _settings(company, admin)
    items = {i.code: i for i in pay_items.ensure_default_items(company)}
    groups = _groups(company, admin)
    employees = people_selectors.employees_in_service(company=company, as_of=today)
    history_from = add_months(first_pay_month, -2)
    for employee in employees:
        _pay_settings(company, admin, employee, groups, items, rng, history_from, this_month)
    # 勤怠締め of every month the runs read (the demo's punches), as 人事 would
    for n in range(RUN_MONTHS, 0, -1):
        month = add_months(this_month, -n)
        attendance_closing.lock_months(
            company=company,
            actor=admin.user,
            membership=admin,
            month=month,
            include_unconfirmed=True,
            today=today,
        )
    paid = [
        g for g in groups.values() if PayProfile.objects.for_company(company).filter(pay_group=g).exists()
    ]
    pay_month = first_pay_month
    while pay_month <= this_month:
        for group in paid:
            draft_only = pay_month == this_month and group.code == "monthly"
            _run(company, keiri, group, pay_month, confirm=not draft_only, today=today)
        pay_month = add_months(pay_month, 1)


def _settings(company: Company, admin: Membership) -> None:
    settings_services.update_payroll_settings(
        company=company,
        actor=admin.user,
        membership=admin,
        data=settings_services.SettingsInput(
            transfer_requester_code="0000012345",
            transfer_requester_name="ｻﾝﾌﾟﾙｼﾖｳｼﾞ(ｶ",
            transfer_bank_code="0001",
            transfer_branch_code="001",
            transfer_account_type="1",
            transfer_account_number="1234567",
        ),
    )


def _groups(company: Company, admin: Membership) -> dict[str, PayGroup]:
    specs = (
        ("officer", "役員", 0, 25, 0, 10),
        ("monthly", "月給者", 0, 25, 1, 20),
        ("hourly", "時給者", 0, 25, 1, 30),
    )
    return {
        code: settings_services.create_pay_group(
            company=company,
            actor=admin.user,
            membership=admin,
            data=settings_services.PayGroupInput(
                code=code,
                name=name,
                closing_day=closing,
                pay_day=pay_day,
                pay_month_offset=offset,
                sort_order=order,
            ),
        )
        for code, name, closing, pay_day, offset, order in specs
    }


def _pay_settings(
    company: Company,
    admin: Membership,
    employee: Employee,
    groups: dict[str, PayGroup],
    items: dict[str, PayItem],
    rng: random.Random,
    history_from: date,
    this_month: date,
) -> None:
    kind = employee.employment_type.code if employee.employment_type_id else "regular"
    if kind == "dispatched":
        return
    username = employee.user.username if employee.user is not None else ""
    hired = employee.hire_date.replace(day=1)
    start = max(history_from, hired)
    commute = Decimal(rng.choice((0, 6_400, 9_800, 12_600, 15_200, 21_000)))
    officer = username == "admin"
    hourly = kind in ("part_time", "arbeit")
    dependents = 0 if hourly else rng.choice((0, 0, 1, 2, 3))
    if officer:
        group, pay_type, base = groups["officer"], PayType.MONTHLY, Decimal(650_000)
    elif hourly:
        group, pay_type, base = (
            groups["hourly"],
            PayType.HOURLY,
            Decimal(1_150 if kind == "arbeit" else 1_300),
        )
    else:
        group, pay_type = groups["monthly"], PayType.MONTHLY
        base = Decimal(480_000 if username == "manager" else (210_000 + rng.randrange(0, 19) * 10_000))
    data = employee_pay.ProfileInput(
        effective_from=start,
        pay_group_id=group.pk,
        pay_type=pay_type,
        base_pay=base,
        is_officer=officer,
        commute_allowance=commute,
        # 乙欄: one 学生アルバイト with a main job elsewhere has filed no 扶養控除等申告書 with us
        tax_column=TaxColumn.OTSU if kind == "arbeit" and employee.number.endswith("9") else TaxColumn.KOU,
        dependents=dependents,
        health_insured=not hourly,  # the part-timers work under the 4分の3 line (健保法3条1項9号)
        si_acquired_on=None if hourly else employee.hire_date,
        employment_insured=not officer and kind != "arbeit",
        ei_acquired_on=None if officer or kind == "arbeit" else employee.hire_date,
    )
    employee_pay.set_pay_profile(
        company=company, actor=admin.user, membership=admin, employee_id=employee.pk, data=data
    )
    allowances = Decimal(0)
    if not hourly and not officer:
        april = date(this_month.year if this_month.month >= 4 else this_month.year - 1, 4, 1)
        if april > start:  # 昇給 in April
            raise_to = employee_pay.ProfileInput(
                **{**data.__dict__, "effective_from": april, "base_pay": base + 5_000}
            )
            employee_pay.set_pay_profile(
                company=company, actor=admin.user, membership=admin, employee_id=employee.pk, data=raise_to
            )
        if username == "manager" or rng.random() < 0.25:
            amount = Decimal(50_000 if username == "manager" else 15_000)
            allowances += amount
            employee_pay.set_employee_item(
                company=company,
                actor=admin.user,
                membership=admin,
                employee_id=employee.pk,
                item_id=items["position"].pk,
                effective_from=start,
                amount=amount,
            )
        if dependents:
            amount = Decimal(10_000 * dependents)
            allowances += amount
            employee_pay.set_employee_item(
                company=company,
                actor=admin.user,
                membership=admin,
                employee_id=employee.pk,
                item_id=items["family"].pk,
                effective_from=start,
                amount=amount,
            )
    if not hourly:
        # 標準報酬月額: the 定時決定 of last September (or the 資格取得時決定 of a later hire)
        september = date(history_from.year if history_from.month >= 9 else history_from.year - 1, 9, 1)
        when, reason = (
            (september, GradeReason.ANNUAL) if hired <= september else (hired, GradeReason.ACQUISITION)
        )
        employee_pay.set_standard_remuneration(
            company=company,
            actor=admin.user,
            membership=admin,
            employee_id=employee.pk,
            effective_from=when,
            monthly_remuneration=base + commute + allowances,
            reason=reason,
        )
        # 住民税 (特別徴収) of the 年度 the runs cross, about 6 % of last year's pay after deductions
        for fiscal_year in sorted(
            {history_from.year - (history_from.month < 6), this_month.year - (this_month.month < 6)}
        ):
            annual = int((base + allowances) * 12 * Decimal("0.045")) // 100 * 100
            june = annual - annual // 12 // 100 * 100 * 11
            monthly = annual // 12 // 100 * 100
            resident_tax_import.set_resident_tax(
                company=company,
                actor=admin.user,
                membership=admin,
                employee_id=employee.pk,
                data=resident_tax_import.ResidentTaxInput(
                    fiscal_year=fiscal_year,
                    municipality_code="131016",
                    municipality_name="千代田区",
                    annual=Decimal(annual),
                    june=Decimal(june),
                    monthly=Decimal(monthly),
                ),
            )


def _run(
    company: Company, keiri: Membership, group: PayGroup, pay_month: date, *, confirm: bool, today: date
) -> None:
    try:
        run = run_services.create_run(
            company=company, actor=keiri.user, membership=keiri, pay_group=group, pay_month=pay_month
        )
    except ServiceError as exc:
        logger.warning("demo payroll: %s %s not run: %s", group, pay_month, exc)
        return
    if confirm and run.pay_date <= today:
        try:
            confirm_services.confirm_run(company=company, actor=keiri.user, membership=keiri, run=run)
        except ServiceError as exc:
            logger.warning(
                "demo payroll: %s not confirmed: %s %s", run, exc, getattr(exc, "field_errors", "")
            )
            return
        _pay_withholdings(company, keiri, run, today)


def _pay_withholdings(company: Company, keiri: Membership, run: PayrollRun, today: date) -> None:
    """What the run withheld (預り金) and the company's share of the premiums (未払費用), paid from
    the bank at the end of the pay month, as 経理 would post it (the 納付書 and 納入告知書)."""
    day = add_months(run.pay_month, 1) - timedelta(days=1)
    if day > today:
        return
    withheld = employer = 0
    for payslip in Payslip.objects.filter(run=run).prefetch_related("lines"):
        figures = posting.figures_of(payslip, payslip.lines.all())
        withheld += figures.income_tax + figures.resident_tax + figures.social_insurance + figures.employment
        withheld += sum(figures.items.values())
        employer += figures.employer
    lines = [
        posting.Posting(posting.WITHHELD_ACCOUNT, "debit", withheld, memo=f"{run.pay_month:%Y年%m月}支給分"),
        posting.Posting(posting.ACCRUED_ACCOUNT, "debit", employer, memo="社会保険料 会社負担"),
        posting.Posting(posting.BANK_ACCOUNT, "credit", withheld + employer),
    ]
    ledger_services.post_entry(
        company=company,
        actor=keiri.user,
        membership=keiri,
        date=day,
        lines=posting.ledger_lines(company=company, lines=[p for p in lines if p.amount]),
        memo=f"源泉所得税・住民税・社会保険料 納付({run.pay_month:%Y年%m月}支給分)",
    )
