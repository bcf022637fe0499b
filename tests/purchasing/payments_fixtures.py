"""Personas and records of 支払処理 (imported by the payment test modules; conftest.py belongs to
the bills tests): 経理 (who makes and confirms runs), an employee with a bank account who claims
expenses, vendors, approved bills and claims whose payables are in the books, the company's
payment settings (振込依頼人 and account).

Bills and claims are made here with the ORM in their approved state, each with its posted entry
(Dr expense / Cr 買掛金 or 未払金), so that paying them must bring those accounts to zero.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.expenses import services as expense_services
from ennoshita.expenses.models import ClaimStatus, ExpenseCategory, ExpenseClaim
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.people import services as people_services
from ennoshita.purchasing.models import BillStatus, Vendor, VendorBill
from ennoshita.purchasing.selectors.payments import next_bank_business_day
from ennoshita.purchasing.services import payments

from ..conftest import make_department, make_employee, make_member

YEN = Decimal
REQUESTER = {
    "requester_code": "1234567890",
    "requester_name": "カブシキガイシャ テスト",
    "bank_code": "0001",  # みずほ
    "branch_code": "001",  # 東京営業部
    "account_type": "1",
    "account_number": "1234567",
}
_numbers = itertools.count(1)


class Pay:
    """The company, its people and helpers of the payment tests."""


def pay_day(offset: int = 3) -> date:
    """A bank business day a few days ahead."""
    return next_bank_business_day(timezone.localdate() + timedelta(days=offset))


def next_weekend_day() -> date:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def ensure_year(p: Pay, day: date) -> None:
    """Open the next fiscal year when ``day`` falls after the books' last one (late March)."""
    while ledger_entry_selectors.fiscal_year_of_day(company=p.company, day=day) is None:
        ledger_services.open_next_fiscal_year(company=p.company, actor=p.admin.user, membership=p.admin)


@pytest.fixture(name="pay")
def pay_fixture(company, admin, hr) -> Pay:
    ledger_services.ensure_books(company=company)
    p = Pay()
    p.company, p.admin, p.hr = company, admin, hr
    p.accountant = make_member(company, "pay_keiri", ["accounting"], last_name="経理", first_name="支払")
    p.staff = make_member(company, "pay_staff", ["employee"], last_name="山田", first_name="花子")
    p.dept = make_department(company, hr, "310", "営業部")
    p.employee = make_employee(
        company,
        hr,
        p.dept,
        number="P001",
        family_name="山田",
        given_name="花子",
        family_name_kana="ヤマダ",
        given_name_kana="ハナコ",
        user=p.staff.user,
        bank_code="0005",
        bank_branch_code="001",
        bank_account_type="1",
        bank_account_number="7654321",
        bank_account_holder_kana="ヤマダ ハナコ",
    )
    payments.update_payment_settings(company=company, actor=admin.user, membership=admin, **REQUESTER)
    p.vendor = make_vendor(p)
    p.day = pay_day()
    ensure_year(p, p.day)
    return p


def make_vendor(p: Pay, code: str = "V001", name: str = "株式会社山田商事", **kw) -> Vendor:
    fields = {
        "code": code,
        "name": name,
        "kana": "ヤマダショウジ",
        "bank_code": "0009",  # 三井住友
        "branch_code": "001",  # 神保町
        "account_type": "1",
        "account_number": "1112223",
        "account_holder": "カブシキガイシャ　ヤマダショウジ",
    }
    fields.update(kw)
    return Vendor.objects.create(company=p.company, **fields)


def _post_payable(
    p: Pay, day: date, amount: Decimal, payable: str, department, memo: str, source: str
) -> int:
    account = {
        c: ledger_entry_selectors.account_by_code(company=p.company, code=c) for c in ("6310", payable)
    }
    entry = ledger_services.post_entry(
        company=p.company,
        actor=p.admin.user,
        date=day,
        lines=[
            ledger_services.LineInput(
                account=account["6310"], side="debit", amount=amount, department=department
            ),
            ledger_services.LineInput(
                account=account[payable], side="credit", amount=amount, department=department
            ),
        ],
        memo=memo,
        source_type=source,
        source_id="0",
    )
    return entry.pk


def make_bill(
    p: Pay,
    total: int | str = 110000,
    *,
    vendor: Vendor | None = None,
    due_date: date | None = None,
    payable: str = "2112",
    department=None,
) -> VendorBill:
    """An approved, unpaid bill with its payable in the books (Dr 消耗品費 / Cr 買掛金 or 未払金)."""
    vendor = vendor or p.vendor
    n = next(_numbers)
    bill_date = timezone.localdate() - timedelta(days=10)
    amount = YEN(total)
    bill = VendorBill.objects.create(
        company=p.company,
        vendor=vendor,
        number=f"AP-T-{n:06d}",
        bill_date=bill_date,
        due_date=due_date or timezone.localdate(),
        department=department,
        payable_account_code=payable,
        status=BillStatus.APPROVED,
        total=amount,
        created_by=p.admin.user,
        approved_at=timezone.now(),
    )
    bill.journal_entry_id = _post_payable(
        p, bill_date, amount, payable, department, f"仕入 {bill.number}", "purchasing.bill"
    )
    bill.save(update_fields=["journal_entry_id"])
    return bill


def make_claim(
    p: Pay, total: int | str = 5500, *, member=None, employee=None, department=None
) -> ExpenseClaim:
    """An approved, unpaid claim with its 未払金 in the books."""
    member = member or p.staff
    n = next(_numbers)
    amount = YEN(total)
    department = department or p.dept
    claim = ExpenseClaim.objects.create(
        company=p.company,
        number=f"EXP-T-{n:06d}",
        applicant=member.user,
        employee=employee if employee is not None else None,
        department=department,
        title=f"経費 {n}",
        status=ClaimStatus.APPROVED,
        total=amount,
        submitted_at=timezone.now(),
        approved_at=timezone.now(),
    )
    day = timezone.localdate() - timedelta(days=5)
    claim.journal_entry_id = _post_payable(
        p, day, amount, "2130", department, f"経費精算 {claim.number}", "expenses.claim"
    )
    claim.journal_entry_ids = [claim.journal_entry_id]
    claim.save(update_fields=["journal_entry_id", "journal_entry_ids"])
    return claim


def balance(p: Pay, code: str, department=None) -> Decimal:
    """Debit − credit of an account over posted lines (optionally one department)."""
    qs = JournalLine.objects.filter(
        company=p.company, account__code=code, entry__status=JournalEntry.Status.POSTED
    )
    if department is not None:
        qs = qs.filter(department=department)
    sums = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or YEN(0)) - (sums["c"] or YEN(0))


def writer(p: Pay, member=None) -> dict:
    member = member or p.accountant
    return {"company": p.company, "actor": member.user, "membership": member}


def create_run(p: Pay, member=None, **kw):
    args = {"payment_date": p.day, "due_by": timezone.localdate() + timedelta(days=30)}
    args.update(kw)
    return payments.create_payment_run(**writer(p, member), **args)


def confirm(p: Pay, run, member=None):
    return payments.confirm_payment_run(**writer(p, member), run=run)


def counts() -> dict[str, int]:
    """Rows that a refused payment must not have written."""
    from ennoshita.core.models import AuditEvent
    from ennoshita.documents.models import Document
    from ennoshita.purchasing.models import PaymentItem, PaymentRun

    return {
        "runs": PaymentRun.objects.count(),
        "items": PaymentItem.objects.count(),
        "entries": JournalEntry.objects.count(),
        "documents": Document.objects.count(),
        "audit": AuditEvent.objects.count(),
        "paid_bills": VendorBill.objects.filter(paid_at__isnull=False).count(),
        "paid_claims": ExpenseClaim.objects.filter(paid_at__isnull=False).count(),
    }


def approved_claim_through_expenses(p, amount: str = "4400"):
    """A claim made, submitted and approved (所属長 → 経理) through the expenses services."""
    manager = make_member(p.company, "pay_bucho", ["manager"], last_name="部長", first_name="一")
    head = make_employee(
        p.company,
        p.hr,
        p.dept,
        number="P900",
        family_name="部長",
        given_name="一",
        family_name_kana="ブチョウ",
        given_name_kana="イチ",
        user=manager.user,
    )
    people_services.update_department(
        company=p.company, actor=p.hr.user, membership=p.hr, department=p.dept, head=head
    )
    expense_services.ensure_setup(company=p.company)
    category = ExpenseCategory.objects.for_company(p.company).get(code="SUPPLIES")
    claim = expense_services.save_claim(
        **writer(p, p.staff),
        claim=None,
        title="文房具",
        lines=[
            expense_services.LineSpec(
                date=timezone.localdate() - timedelta(days=2),
                payee="文具店",
                purpose="コピー用紙",
                category_id=category.pk,
                amount=amount,
                receipt=expense_services.ReceiptUpload("r.png", png()),
            )
        ],
    )
    expense_services.submit_claim(**writer(p, p.staff), claim=claim)
    for member in (manager, p.accountant):
        request = approval_selectors.request_for(
            company=p.company, request_type="expenses.claim", object_id=claim.pk
        )
        approval_services.approve(company=p.company, actor=member.user, membership=member, request=request)
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.paid_at is None
    return claim


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()
