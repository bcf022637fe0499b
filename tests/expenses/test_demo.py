"""The demo company's expense claims in every state, the approved ones posted, one a month of the
open fiscal year; idempotent."""

from __future__ import annotations

from ennoshita.core.audit import verify_company_chain
from ennoshita.expenses.demo import build_demo_expenses
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim, ExpenseLine
from ennoshita.ledger.models import JournalEntry
from ennoshita.people.management.commands.demo import build_demo


def test_the_demo_company_has_claims_in_several_states(db):
    company = build_demo(employees=5)
    claims = {c.title: c for c in ExpenseClaim.objects.for_company(company)}
    assert {c.status for c in claims.values()} == {
        ClaimStatus.APPROVED,
        ClaimStatus.SUBMITTED,
        ClaimStatus.RETURNED,
        ClaimStatus.DRAFT,
        ClaimStatus.REJECTED,
        ClaimStatus.WITHDRAWN,
    }
    approved = [c for c in claims.values() if c.status == ClaimStatus.APPROVED]
    assert all(c.journal_entry_ids for c in approved)
    assert JournalEntry.objects.filter(
        company=company, source_type="expenses.claim", status="posted"
    ).count() == sum(len(c.journal_entry_ids) for c in approved)
    assert ExpenseLine.objects.filter(company=company).exclude(receipt_sha256="").count() >= 5
    build_demo_expenses(company)  # a second run adds nothing
    assert ExpenseClaim.objects.for_company(company).count() == len(claims)
    assert verify_company_chain(company.pk) is None
