"""The demo company's 給与, the events of its 18 months (called by ``demo.build_demo_payroll`` in
time order): the 夏季・冬季賞与, the 定時決定 recorded after July, a 月給者 who leaves (退職日 entered
by 人事, 資格喪失日, 住民税の一括徴収 on their 申出, the last pay, a confirmed 退職金), and the
payments of what each confirmed run withheld. Everything goes through the product's services, as
人事 and 経理 would do it on the screens; a date the rules have no table for (a year not loaded yet)
leaves that event out with a log line rather than failing the whole demo."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.ledger import services as ledger_services
from ennoshita.people import selectors as people_selectors
from ennoshita.people import services as people_services
from ennoshita.people.models import Employee

from . import posting
from .calculation_dates import previous_bank_day
from .models import PayGroup, PayProfile, PayrollRun, Payslip, SeverancePay
from .selectors import revisions as revision_selectors
from .services import bonus as bonus_services
from .services import confirm as confirm_services
from .services import employee_pay, revisions
from .services import severance as severance_services

logger = logging.getLogger(__name__)

SUMMER = (7, 10, "夏季賞与", Decimal("1.5"))  # month, day, title, months of 基本給 for a 月給者
WINTER = (12, 10, "冬季賞与", Decimal("2.0"))
# 役員賞与: a fixed amount on the dates of the 事前確定届出給与に関する届出 (法人税法34条1項2号; filed
# with the 税務署 in advance, paid exactly as notified — otherwise not deductible)
OFFICER_BONUS = Decimal(1_000_000)
SEVERANCE_RATE = Decimal("0.8")  # 退職金規程 of the demo: 基本給 × 勤続年数 × 0.8 (10,000円未満切捨て)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


# ------------------------------------------------------------------------------ 賞与
def bonus_dates(*, today: date, first_pay_month: date) -> list[tuple[date, str, Decimal]]:
    """The last 夏季賞与 on or before today and the 冬季賞与 after it (which may still be ahead),
    each on the previous bank business day if the 10th is not one; only those inside the span."""
    year = today.year if today >= date(today.year, SUMMER[0], SUMMER[1]) else today.year - 1
    found = []
    for month, day, title, months in (SUMMER, WINTER):
        pay_date = previous_bank_day(date(year, month, day))
        if pay_date.replace(day=1) >= first_pay_month:
            found.append((pay_date, f"{year}年{title}", months))
    return found


def pay_bonuses(
    company: Company,
    keiri: Membership,
    groups: dict[str, PayGroup],
    pay_date: date,
    title: str,
    months: Decimal,
    *,
    today: date,
) -> None:
    """One season's bonus runs: 月給者 (``months`` × 基本給, 1,000円未満切捨て) and 役員 (the fixed
    amount); none for 時給者. Confirmed and posted when the pay date has come, else left a draft."""
    pay_month = pay_date.replace(day=1)
    profiles = {
        p.employee_id: p
        for p in PayProfile.objects.for_company(company)
        .filter(effective_from__lte=pay_month)
        .order_by("employee_id", "effective_from")
    }  # the latest row of each employee wins
    payees = people_selectors.employees_in_service(company=company, as_of=pay_date)
    for code in ("monthly", "officer"):
        group = groups[code]
        rows = [
            bonus_services.AmountIn(
                e.number,
                int(OFFICER_BONUS if code == "officer" else profiles[e.pk].base_pay * months // 1000 * 1000),
                "事前確定届出給与" if code == "officer" else "",
            )
            for e in payees
            if e.pk in profiles and profiles[e.pk].pay_group_id == group.pk
        ]
        if not rows:
            continue
        try:
            run = bonus_services.create_bonus_run(
                company=company,
                actor=keiri.user,
                membership=keiri,
                pay_group=group,
                pay_date=pay_date,
                title=title if code == "monthly" else f"{title}(役員)",
                bonus_period_months=6,
            )
            run = bonus_services.set_bonus_amounts(
                company=company, actor=keiri.user, membership=keiri, run=run, rows=rows, source="import"
            )
        except ServiceError as exc:
            logger.warning("demo payroll: %s %s not made: %s", group, title, exc)
            continue
        if pay_date <= today:
            confirm(company, keiri, run, today)


def confirm(company: Company, keiri: Membership, run: PayrollRun, today: date) -> bool:
    """確定 and the month-end payment of what was withheld; False (logged) when refused."""
    try:
        confirm_services.confirm_run(company=company, actor=keiri.user, membership=keiri, run=run)
    except ServiceError as exc:
        logger.warning("demo payroll: %s not confirmed: %s %s", run, exc, getattr(exc, "field_errors", ""))
        return False
    pay_withholdings(company, keiri, run, today)
    return True


def pay_withholdings(company: Company, keiri: Membership, run: PayrollRun, today: date) -> None:
    """What the run withheld (預り金) and the company's share of the premiums (未払費用), paid from
    the bank at the end of the pay month, as 経理 would post it (the 納付書 and 納入告知書)."""
    day = month_end(run.pay_month)
    if day > today:
        return
    withheld = employer = 0
    for payslip in Payslip.objects.filter(run=run).prefetch_related("lines"):
        figures = posting.figures_of(payslip, payslip.lines.all())
        withheld += figures.income_tax + figures.resident_tax + figures.social_insurance + figures.employment
        withheld += sum(figures.items.values())
        employer += figures.employer
    what = f"{run.pay_month:%Y年%m月}支給分" + (f" {run.title}" if run.title else "")
    lines = [
        posting.Posting(posting.WITHHELD_ACCOUNT, "debit", withheld, memo=what),
        posting.Posting(posting.ACCRUED_ACCOUNT, "debit", employer, memo="社会保険料 会社負担"),
        posting.Posting(posting.BANK_ACCOUNT, "credit", withheld + employer),
    ]
    if not withheld + employer:
        return
    ledger_services.post_entry(
        company=company,
        actor=keiri.user,
        membership=keiri,
        date=day,
        lines=posting.ledger_lines(company=company, lines=[p for p in lines if p.amount]),
        memo=f"源泉所得税・住民税・社会保険料 納付({what})",
    )


# ------------------------------------------------------------------------------ 定時決定
def record_annual_revision(company: Company, admin: Membership, year: int) -> int:
    """The 定時決定 of ``year`` (April–June pay, from September) for every row the list gives
    that the law does not exclude, as 人事 records it after filing the 算定基礎届 in July."""
    rows = revision_selectors.annual_list(company=company, membership=admin, year=year)
    wanted = [r.employee_id for r in rows if not r.excluded and not r.recorded]
    if not wanted:
        return 0
    done = revisions.record_revisions(
        company=company,
        actor=admin.user,
        membership=admin,
        kind=revisions.ANNUAL,
        employee_ids=wanted,
        year=year,
    )
    return len(done.created)


# ------------------------------------------------------------------------------ 退職
@dataclass(frozen=True)
class Leaver:
    employee: Employee
    final_pay_month: date  # the 月給者 run (末締め翌月払い) that pays the month of leaving


def retire_one(company: Company, hr: Membership, *, this_month: date, history_from: date) -> Leaver | None:
    """人事 enters the 退職日 of one 月給者 (正社員 without a login, in service through the whole
    span so far): the last day of the month before last, so that the last pay (last month's run)
    is confirmed. Someone with a transfer scheduled after that day is skipped (people refuses)."""
    leaving = month_end(add_months(this_month, -2))
    candidates = [
        e
        for e in people_selectors.employees_in_service(company=company, as_of=this_month)
        if e.user_id is None
        and e.employment_type_id
        and e.employment_type.code == "regular"
        and e.hire_date <= history_from
    ]
    for employee in reversed(candidates):
        try:
            people_services.retire_employee(
                company=company, actor=hr.user, membership=hr, employee=employee, retire_date=leaving
            )
        except ServiceError:
            continue
        return Leaver(employee=employee, final_pay_month=add_months(this_month, -1))
    return None


def record_leaving(
    company: Company, admin: Membership, employee: Employee, data: employee_pay.ProfileInput, *, lump: bool
) -> None:
    """The pay settings from the month of leaving: 資格喪失日 (健保・厚年) and 雇用保険の喪失日 the day
    after the 退職日 (健康保険法36条, 厚生年金保険法14条, 雇用保険法5条), and whether the employee asked
    for the rest of the 住民税 to be taken from the last pay (地方税法321条の5第2項1号; required for
    a 退職日 in January–April)."""
    assert employee.retire_date is not None
    lost = employee.retire_date + timedelta(days=1)
    employee_pay.set_pay_profile(
        company=company,
        actor=admin.user,
        membership=admin,
        employee_id=employee.pk,
        data=replace(
            data,
            effective_from=employee.retire_date.replace(day=1),
            si_lost_on=lost if data.si_acquired_on else None,
            ei_lost_on=lost if data.ei_acquired_on else None,
            resident_tax_lump_sum=lump,
            note="退職(資格喪失)",
        ),
    )


def pay_severance(
    company: Company, keiri: Membership, leaver: Leaver, run: PayrollRun | None, today: date
) -> SeverancePay | None:
    """The 退職金 (退職金規程: 基本給 × 勤続年数 × 0.8), paid with the last pay: created, confirmed
    (posted, its 源泉徴収票 filed), the net paid from the bank that day and the taxes withheld paid
    by the 10th of the next month (所得税法199条, 地方税法328条の5)."""
    employee = leaver.employee
    assert employee.retire_date is not None
    profile = (
        PayProfile.objects.for_company(company)
        .filter(employee=employee, effective_from__lte=employee.retire_date)
        .order_by("-effective_from")
        .first()
    )
    if profile is None or run is None:
        return None
    years = max(1, (employee.retire_date - employee.hire_date).days // 365)
    amount = int(profile.base_pay * years * SEVERANCE_RATE) // 10_000 * 10_000
    try:
        row = severance_services.create_severance(
            company=company,
            actor=keiri.user,
            membership=keiri,
            employee=employee,
            paid_on=run.pay_date,
            amount=amount,
            note="退職金規程による",
        )
        row = severance_services.confirm_severance(
            company=company, actor=keiri.user, membership=keiri, severance=row
        )
    except ServiceError as exc:
        logger.warning("demo payroll: 退職金 of %s not paid: %s", employee.number, exc)
        return None
    who = f"{employee.number} {employee.family_name} {employee.given_name}"
    _post(
        company,
        keiri,
        row.paid_on,
        f"退職金 振込 {who}",
        [
            posting.Posting(posting.UNPAID_ACCOUNT, "debit", int(row.net), memo=f"退職金 {who}"),
            posting.Posting(posting.BANK_ACCOUNT, "credit", int(row.net)),
        ],
    )
    taxes = int(row.income_tax) + int(row.city_tax) + int(row.prefecture_tax)
    due = add_months(row.paid_on.replace(day=1), 1).replace(day=10)
    if taxes and due <= today:
        _post(
            company,
            keiri,
            due,
            f"退職所得の源泉所得税・住民税 納付 {who}",
            [
                posting.Posting(posting.WITHHELD_ACCOUNT, "debit", taxes, memo=f"退職所得 {who}"),
                posting.Posting(posting.BANK_ACCOUNT, "credit", taxes),
            ],
        )
    return row


def _post(company: Company, keiri: Membership, day: date, memo: str, lines: list[posting.Posting]) -> None:
    lines = [p for p in lines if p.amount]
    if not lines:
        return
    ledger_services.post_entry(
        company=company,
        actor=keiri.user,
        membership=keiri,
        date=day,
        lines=posting.ledger_lines(company=company, lines=lines),
        memo=memo,
    )
