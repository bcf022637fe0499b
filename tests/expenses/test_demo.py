"""The demo company's expense claims: one posted, one waiting, one sent back, one draft; idempotent."""

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
    }
    posted = next(c for c in claims.values() if c.status == ClaimStatus.APPROVED)
    assert posted.journal_entry_ids
    assert JournalEntry.objects.filter(
        company=company, source_type="expenses.claim", status="posted"
    ).count() == len(posted.journal_entry_ids)
    assert ExpenseLine.objects.filter(company=company).exclude(receipt_sha256="").count() >= 5
    build_demo_expenses(company)  # a second run adds nothing
    assert ExpenseClaim.objects.for_company(company).count() == len(claims)
    assert verify_company_chain(company.pk) is None
