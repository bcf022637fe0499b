"""The demo company's payment runs, made through the services: the payment settings (みずほ銀行
東京営業部), then two past runs, confirmed, that paid the older approved bills (from the bills demo)
and the approved expense claims; whatever is still payable waits in a draft run for the next bank
day. Loaded by ``manage.py demo`` through ``ENNOSHITA_DEMO_EXTRAS`` (after the expenses and the
bills demos). With nothing to pay it pays nothing, and it never fails the demo for that.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.expenses.models import ExpenseClaim
from ennoshita.people import services as people_services
from ennoshita.people.models import Employee

from .models import PaymentItem, PaymentRun
from .selectors import payments as selectors
from .services import payments as services

log = logging.getLogger(__name__)

DEMO_SETTINGS = {
    "requester_code": "0012345678",
    "bank_code": "0001",  # みずほ
    "branch_code": "001",  # 東京営業部
    "account_type": "1",
    "account_number": "1234567",
}
DEMO_EMPLOYEE_BANK = {
    "bank_code": "0005",
    "bank_branch_code": "001",
    "bank_account_type": "1",
}  # 三菱ＵＦＪ 本店


def _member(company: Company, *usernames: str) -> Membership | None:
    for username in usernames:
        found = (
            Membership.objects.for_company(company)
            .select_related("user")
            .filter(user__username=username)
            .first()
        )
        if found is not None:
            return found
    return None


def _previous_bank_day(day: date) -> date:
    while not selectors.is_bank_business_day(day):
        day -= timedelta(days=1)
    return day


def _settings(company: Company, member: Membership) -> None:
    name = company.name_kana or company.name
    try:
        services.update_payment_settings(
            company=company, actor=member.user, membership=member, requester_name=name, **DEMO_SETTINGS
        )
    except ServiceError:
        services.update_payment_settings(
            company=company, actor=member.user, membership=member, requester_name="ｴﾝﾉｼﾀ", **DEMO_SETTINGS
        )


def _give_claimants_accounts(company: Company, hr: Membership | None) -> None:
    """Employees with an approved, unpaid claim get an account a transfer can reach, if theirs
    cannot be paid (the people demo gives random branch numbers)."""
    if hr is None:
        return
    for candidate in selectors.candidates(company=company, due_by=timezone.localdate()):
        if (
            candidate.kind != PaymentItem.Kind.EXPENSE_CLAIM
            or candidate.payable
            or "支払処理" in candidate.reason
        ):
            continue
        claim = (
            ExpenseClaim.objects.for_company(company).select_related("employee").get(pk=candidate.source_id)
        )
        employee = (
            claim.employee or Employee.objects.for_company(company).filter(user_id=claim.applicant_id).first()
        )
        if employee is None:
            continue
        try:
            people_services.update_employee(
                company=company,
                actor=hr.user,
                membership=hr,
                employee=employee,
                bank_account_number=f"{employee.pk % 10_000_000:07d}",
                bank_account_holder_kana=f"{employee.family_name_kana} {employee.given_name_kana}",
                **DEMO_EMPLOYEE_BANK,
            )
        except ServiceError:
            log.warning("demo: could not give %s a bank account", employee)


def _pay(
    company: Company,
    member: Membership,
    payment_date: date,
    picked: list[selectors.Candidate],
    *,
    confirm: bool,
) -> PaymentRun | None:
    if not picked:
        return None
    bills = [c.source_id for c in picked if c.kind == PaymentItem.Kind.VENDOR_BILL]
    claims = [c.source_id for c in picked if c.kind == PaymentItem.Kind.EXPENSE_CLAIM]
    writer: dict[str, Any] = {"company": company, "actor": member.user, "membership": member}
    try:
        run = services.create_payment_run(
            **writer,
            payment_date=payment_date,
            due_by=payment_date,
            bill_ids=bills,
            claim_ids=claims,
            today=min(payment_date, timezone.localdate()),
        )
        if confirm:
            run = services.confirm_payment_run(**writer, run=run, today=payment_date)
    except ServiceError as exc:
        log.warning("demo: payment run of %s not made: %s", payment_date, exc.message)
        return None
    return run


def build_demo_payment_runs(company: Company, *, today: date | None = None) -> None:
    if PaymentRun.objects.for_company(company).exists():
        return
    member = _member(company, "accounting", "admin")
    if member is None:
        return
    today = today or timezone.localdate()
    _settings(company, member)
    _give_claimants_accounts(company, _member(company, "hr", "admin"))
    payable = [
        c for c in selectors.candidates(company=company, due_by=today + timedelta(days=60)) if c.payable
    ]
    bills = sorted(
        (c for c in payable if c.kind == PaymentItem.Kind.VENDOR_BILL), key=lambda c: c.due_date or today
    )
    claims = [c for c in payable if c.kind == PaymentItem.Kind.EXPENSE_CLAIM]
    first_day = _previous_bank_day(today - timedelta(days=30))
    second_day = _previous_bank_day(today - timedelta(days=2))
    # the older half of the bills last month (at least one when there is one), the rest of what is
    # due by now and the claims a few days ago; what falls due later waits in a draft
    older = [c for c in bills if (c.due_date or today) <= first_day] or bills[: (len(bills) + 1) // 2]
    _pay(company, member, first_day, older, confirm=True)
    rest = [c for c in bills if c not in older and (c.due_date or today) <= today]
    _pay(company, member, second_day, rest + claims, confirm=True)
    later = [c for c in bills if c not in older and c not in rest]
    _pay(company, member, selectors.next_bank_business_day(today + timedelta(days=1)), later, confirm=False)
