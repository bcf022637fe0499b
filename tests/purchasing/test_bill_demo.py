"""The demo company's vendors and bills: posted, waiting, sent back and draft; idempotent."""

from __future__ import annotations

from ennoshita.core.audit import verify_company_chain
from ennoshita.expenses.rules import registration_check_digit_ok
from ennoshita.ledger.models import JournalEntry
from ennoshita.people.management.commands.demo import build_demo
from ennoshita.purchasing.demo import build_demo_purchasing
from ennoshita.purchasing.models import BillStatus, Vendor, VendorBill


def test_the_demo_company_has_vendors_and_bills(db, settings):
    # the payment runs' demo (another slice) is left out: this tests the bills as they are made
    settings.ENNOSHITA_DEMO_EXTRAS = [p for p in settings.ENNOSHITA_DEMO_EXTRAS if "demo_payments" not in p]
    company = build_demo(employees=5)
    vendors = list(Vendor.objects.for_company(company))
    assert 6 <= len(vendors) <= 8
    numbers = [v.registration_number for v in vendors if v.registration_number]
    assert len(numbers) == len(vendors) - 1 and all(registration_check_digit_ok(n) for n in numbers)
    assert all(v.bank_code and v.account_holder for v in vendors)
    bills = list(VendorBill.objects.for_company(company))
    statuses = {b.status for b in bills}
    assert {BillStatus.APPROVED, BillStatus.SUBMITTED, BillStatus.RETURNED, BillStatus.DRAFT} <= statuses
    approved = [b for b in bills if b.status == BillStatus.APPROVED]
    assert approved and all(b.journal_entry_id for b in approved)
    assert JournalEntry.objects.filter(
        company=company, source_type="purchasing.bill", status="posted"
    ).count() == len(approved)
    assert any(not b.is_qualified for b in approved)
    build_demo_purchasing(company)  # a second run adds nothing
    assert VendorBill.objects.for_company(company).count() == len(bills)
    assert verify_company_chain(company.pk) is None
