"""Issue 7's scenario, every step through the services people use: an employee claims an expense
with its receipt, the 所属長 and then 経理 approve it and it is posted; 事務 records a vendor's bill
with the bill attached, the 所属長, the 本部長 and 経理 approve it and it is posted; one payment run
pays both in one 全銀 総合振込 file, read back field by field; the books show 未払金 and 買掛金
settled and the bank account down by the total."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.documents.models import Document
from ennoshita.expenses import services as expense_services
from ennoshita.expenses.models import ExpenseCategory
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.people import services as people_services
from ennoshita.people.models import Employee
from ennoshita.purchasing.services import bills as bill_services
from ennoshita.purchasing.services import payments

from .conftest import approve_all, bill_line, png_bytes, save_bill
from .payments_fixtures import REQUESTER, ensure_year, pay_day
from .test_zengin_file import field, records_of


def _balance(company, code: str) -> Decimal:
    lines = JournalLine.objects.filter(company=company, account__code=code, entry__status="posted")
    return sum((ln.debit - ln.credit for ln in lines), Decimal(0))


def test_a_claim_and_a_bill_from_entry_to_the_transfer_file_and_the_books(org, vendor):
    company = org.company
    # the employee's salary account, where the claim is paid (entered by 人事)
    people_services.update_employee(
        company=company,
        actor=org.hr.user,
        membership=org.hr,
        employee=Employee.objects.get(company=company, user=org.employee.user),
        bank_code="0005",
        bank_branch_code="001",
        bank_account_type="1",
        bank_account_number="7654321",
        bank_account_holder_kana="エイギョウ イチ",
    )

    # 1. the claim: a receipt photo, submitted, 所属長 → 経理, posted to 未払金
    expense_services.ensure_setup(company=company)
    supplies = ExpenseCategory.objects.for_company(company).get(code="SUPPLIES")
    me = {"company": company, "actor": org.employee.user, "membership": org.employee}
    claim = expense_services.save_claim(
        **me,
        claim=None,
        title="文具",
        lines=[
            expense_services.LineSpec(
                date=timezone.localdate() - timedelta(days=2),
                payee="文具のヤマダ",
                purpose="コピー用紙",
                category_id=supplies.pk,
                amount="4400",
                registration_number="T7000012050002",
                is_qualified=True,
                receipt=expense_services.ReceiptUpload("receipt.png", png_bytes("4,400")),
            )
        ],
    )
    expense_services.submit_claim(**me, claim=claim)
    for member in (org.manager, org.accountant):
        request = approval_selectors.request_for(
            company=company, request_type="expenses.claim", object_id=claim.pk
        )
        approval_services.approve(company=company, actor=member.user, membership=member, request=request)
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.journal_entry_ids
    assert Document.objects.filter(company=company, pk=claim.lines.get().receipt_document_id).exists()

    # 2. the bill: recorded with the vendor's PDF, submitted, 所属長 → 本部長 → 経理, posted to 買掛金
    bill = save_bill(org, vendor, [bill_line(amount="110000", description="保守")])
    bill = bill_services.attach_bill_document(
        company=company,
        actor=org.clerk.user,
        membership=org.clerk,
        bill=bill,
        name="invoice.png",
        data=png_bytes("INVOICE 110,000"),
    )
    bill_services.submit_bill(company=company, actor=org.clerk.user, membership=org.clerk, bill=bill)
    bill = approve_all(org, bill)
    assert bill.status == "approved" and bill.journal_entry_id and bill.document_id
    assert _balance(company, "2130") == Decimal(-4400)  # 未払金 (a credit balance)
    assert _balance(company, "2112") == Decimal(-110000)  # 買掛金

    # 3. one payment run pays both, its 全銀 file read back
    admin = org.accountant
    payments.update_payment_settings(company=company, actor=admin.user, membership=admin, **REQUESTER)
    day = pay_day()
    org.admin = admin
    ensure_year(org, day)
    bank_before = _balance(company, "1121")
    run = payments.create_payment_run(
        company=company, actor=admin.user, membership=admin, payment_date=day, due_by=bill.due_date
    )
    assert (run.count, run.total) == (2, Decimal(114400))
    run = payments.confirm_payment_run(company=company, actor=admin.user, membership=admin, run=run)
    _name, data = payments.transfer_file(company=company, membership=admin, run=run)
    header, *transfers, trailer, end = records_of(data)
    assert field(header, 1, 1) == "1" and field(header, 2, 2) == "21"  # 総合振込
    assert field(header, 55, 4) == f"{day:%m%d}"
    paid = {(field(r, 2, 4), field(r, 51, 30).rstrip(), int(field(r, 81, 10))) for r in transfers}
    assert paid == {("0001", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 110000), ("0005", "ｴｲｷﾞﾖｳ ｲﾁ", 4400)}
    assert (field(trailer, 1, 1), int(field(trailer, 2, 6)), int(field(trailer, 8, 12))) == ("8", 2, 114400)
    assert field(end, 1, 1) == "9"

    # 4. the books: 未払金 and 買掛金 settled, the bank account down by the total, and the payment
    # entry names both payees
    assert _balance(company, "2130") == 0 and _balance(company, "2112") == 0
    assert _balance(company, "1121") == bank_before - Decimal(114400)
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    assert entry.status == "posted" and entry.date == day and entry.total == Decimal(114400)
    memos = " ".join(JournalLine.objects.filter(entry=entry).values_list("memo", flat=True))
    assert claim.number in memos and bill.number in memos
    bill.refresh_from_db()
    claim.refresh_from_db()
    assert bill.paid_at is not None and claim.paid_at is not None
