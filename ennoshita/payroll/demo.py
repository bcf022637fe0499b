"""The demo company's 給与: settings, three pay groups (役員 当月25日払い, 月給者 and 時給者 末締め
翌月25日払い), pay settings for everyone in service during the span but the 派遣 staff (a 派遣 worker
is paid by the agency), and ``RUN_MONTHS`` (18) months of runs from the demo's punches — every
month confirmed (posted to the books, the 全銀 file filed, payslips published) and what was
withheld paid at the month's end, except this month's 月給者 run, left as a draft for 経理 to look
at and confirm. Along the way (demo_events.py): the 夏季・冬季賞与 (月給者 and 役員), the 定時決定
recorded after July, a 月給者 who left the month before last with their last pay and 退職金, and
the demo 所属長 turning 40 this year (介護保険料 from the month they reach 40: the people demo's
birth date). The span starts at ``ledger.demo.payroll_from`` (never before the books' first year):
the books' stand-in pay stops there, and the previous year's 決算, which waits for these runs when
they reach into it, is closed at the end (``ledger.demo.close_demo_year``).

The runs go through the product's services (勤怠締め, create_run, confirm_run); the settings rows too,
as 人事 would enter them. A pay date the withholding tables do not cover (a year not loaded yet)
leaves that month out rather than failing the whole demo."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ennoshita.attendance.services import closing as attendance_closing
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.ledger import demo as ledger_demo
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from . import demo_events as events
from .demo_events import add_months
from .models import GradeReason, PayGroup, PayItem, PayProfile, PayrollRun, PayType, TaxColumn
from .services import employee_pay, pay_items, resident_tax_import
from .services import runs as run_services
from .services import settings as settings_services

logger = logging.getLogger(__name__)

RUN_MONTHS = ledger_demo.PAYROLL_MONTHS  # 18: the months of runs up to this one (the books agree)

__all__ = ["RUN_MONTHS", "add_months", "build_demo_payroll"]


def _member(company: Company, username: str) -> Membership:
    return Membership.objects.for_company(company).select_related("user").get(user__username=username)


def build_demo_payroll(company: Company, *, today: date | None = None) -> None:
    if PayProfile.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(20261205)
    admin = _member(company, "admin")
    keiri = _member(company, "accounting")
    hr = Membership.objects.for_company(company).filter(user__username="hr").first() or admin
    this_month = today.replace(day=1)
    first_pay_month = ledger_demo.payroll_from(company, today=today)
    history_from = add_months(first_pay_month, -2)
    _settings(company, admin)
    items = {i.code: i for i in pay_items.ensure_default_items(company)}
    groups = _groups(company, admin)
    leaver = events.retire_one(company, hr, this_month=this_month, history_from=history_from)
    # everyone in service during the span: today's staff and those who have left since
    employees = {
        e.pk: e
        for as_of in (history_from, today)
        for e in people_selectors.employees_in_service(company=company, as_of=as_of)
    }
    for employee in sorted(employees.values(), key=lambda e: e.number):
        last = _pay_settings(company, admin, employee, groups, items, rng, history_from, this_month)
        if last is not None and employee.retire_date is not None and employee.retire_date < today:
            lump = leaver is not None and employee.pk == leaver.employee.pk  # asked for 一括徴収
            events.record_leaving(company, admin, employee, last, lump=lump)
    # 勤怠締め of every month the runs read (the demo's punches), as 人事 would
    month = add_months(first_pay_month, -1)
    while month < this_month:
        attendance_closing.lock_months(
            company=company,
            actor=admin.user,
            membership=admin,
            month=month,
            include_unconfirmed=True,
            today=today,
        )
        month = add_months(month, 1)
    paid = [
        g for g in groups.values() if PayProfile.objects.for_company(company).filter(pay_group=g).exists()
    ]
    bonuses = events.bonus_dates(today=today, first_pay_month=first_pay_month)
    pay_month = first_pay_month
    while pay_month <= this_month:
        for pay_date, title, months in bonuses:  # the 10th: before the month's salaries
            if pay_date.replace(day=1) == pay_month:
                events.pay_bonuses(company, keiri, groups, pay_date, title, months, today=today)
        for group in paid:
            draft_only = pay_month == this_month and group.code == "monthly"
            run = _run(company, keiri, group, pay_month, confirm=not draft_only, today=today)
            if leaver is not None and group.code == "monthly" and pay_month == leaver.final_pay_month:
                events.pay_severance(company, keiri, leaver, run, today)  # with the last pay
        if pay_month.month == 7 and date(pay_month.year, 4, 1) >= first_pay_month:
            # the 算定基礎届 is filed by 10 July; the grades apply from September
            events.record_annual_revision(company, admin, pay_month.year)
        pay_month = add_months(pay_month, 1)
    # the books' previous year, left open for the runs above, is closed now (決算)
    ledger_demo.close_demo_year(company, today=today)


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
) -> employee_pay.ProfileInput | None:
    """The employee's pay settings, 標準報酬月額 and 住民税 as 人事 enters them; returns the
    profile in force at the end (None for a 派遣 worker, who is not paid here)."""
    kind = employee.employment_type.code if employee.employment_type_id else "regular"
    if kind == "dispatched":
        return None
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
    last = data
    if not hourly and not officer:
        april = date(start.year if start.month < 4 else start.year + 1, 4, 1)
        leaving = employee.retire_date.replace(day=1) if employee.retire_date else this_month
        while april <= min(this_month, leaving):  # 昇給 every April (5,000円)
            if april > start:
                last = replace(last, effective_from=april, base_pay=last.base_pay + 5_000)
                employee_pay.set_pay_profile(
                    company=company, actor=admin.user, membership=admin, employee_id=employee.pk, data=last
                )
            april = april.replace(year=april.year + 1)
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
            # the April–June pay it was decided from had overtime (March's peak paid in April):
            # about 20 % over the fixed pay (an officer's is the fixed pay)
            monthly_remuneration=Decimal(
                int((base + allowances) * (1 if officer else Decimal("1.2")) + commute)
            ),
            reason=reason,
        )
        # 住民税 (特別徴収) of each 年度 (June–May) the runs cross, about 4.5 % of the year's pay
        for fiscal_year in range(
            history_from.year - (history_from.month < 6), this_month.year - (this_month.month < 6) + 1
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
    return last


def _run(
    company: Company, keiri: Membership, group: PayGroup, pay_month: date, *, confirm: bool, today: date
) -> PayrollRun | None:
    """One salary run, confirmed (and its withholdings paid) when asked and its pay date has come."""
    try:
        run = run_services.create_run(
            company=company, actor=keiri.user, membership=keiri, pay_group=group, pay_month=pay_month
        )
    except ServiceError as exc:
        logger.warning("demo payroll: %s %s not run: %s", group, pay_month, exc)
        return None
    if confirm and run.pay_date <= today:
        events.confirm(company, keiri, run, today)
    return run
