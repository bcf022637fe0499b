"""Many people issuing invoices at once: every invoice gets its own number, 1..n with no gap,
and every one is posted (PostgreSQL, and file SQLite; in-memory SQLite is one connection)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.models import JournalEntry
from ennoshita.sales.models import Customer, Invoice
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec

from ..conftest import make_company, make_member


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_gapless_unique_numbers():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL and file SQLite run this")
    company = make_company("同時発行")
    ledger_services.ensure_books(company=company)
    clerks = [make_member(company, f"clerk{n}", ["sales_admin"]) for n in range(6)]
    customer = Customer.objects.create(company=company, code="X", name="株式会社同時", name_key="同時")
    drafts = [
        save_invoice_draft(
            company=company,
            actor=clerks[0].user,
            membership=clerks[0],
            customer=customer,
            date=date(2026, 6, 10),
            lines=[LineSpec("作業", quantity=1, unit_price=1000 + n, tax="S10")],
        )
        for n in range(30)
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(clerks))

    def clerk(member, mine):
        try:
            barrier.wait()
            for draft in mine:
                issue_invoice(company=company, actor=member.user, membership=member, invoice=draft)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=clerk, args=(m, drafts[i :: len(clerks)])) for i, m in enumerate(clerks)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in Invoice.objects.filter(company=company).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 31))
    assert (
        JournalEntry.objects.filter(company=company, source_type="sales.invoice", status="posted").count()
        == 30
    )
