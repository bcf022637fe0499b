from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from ennoshita.core.models import NumberSequence
from ennoshita.core.numbering import format_number, next_number, next_number_for_date

from ..conftest import make_company


def test_numbers_count_up_per_type_and_year(company):
    with transaction.atomic():
        got = [next_number(company=company, doc_type="invoice", fiscal_year=2026) for _ in range(3)]
        other = next_number(company=company, doc_type="invoice", fiscal_year=2027)
        receipt = next_number(company=company, doc_type="receipt", fiscal_year=2026)
    assert got == [1, 2, 3] and other == 1 and receipt == 1


def test_numbers_are_per_company(company, other_company):
    with transaction.atomic():
        assert next_number(company=company, doc_type="v", fiscal_year=2026) == 1
        assert next_number(company=other_company, doc_type="v", fiscal_year=2026) == 1


def test_a_rollback_leaves_no_gap(company):
    with transaction.atomic():
        assert next_number(company=company, doc_type="v", fiscal_year=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(company=company, doc_type="v", fiscal_year=2026) == 2
        raise RuntimeError("document failed to save")
    with transaction.atomic():
        assert next_number(company=company, doc_type="v", fiscal_year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_must_run_inside_a_transaction(company):
    with pytest.raises(RuntimeError):
        next_number(company=company, doc_type="v", fiscal_year=2026)


def test_numbers_follow_the_companys_fiscal_year(company):
    from datetime import date

    assert company.fiscal_year_start_month == 4
    with transaction.atomic():
        assert next_number_for_date(company=company, doc_type="v", day=date(2027, 3, 31)) == (2026, 1)
        assert next_number_for_date(company=company, doc_type="v", day=date(2026, 4, 1)) == (2026, 2)
        assert next_number_for_date(company=company, doc_type="v", day=date(2027, 4, 1)) == (2027, 1)


def test_format_number():
    assert format_number("INV", 2026, 12) == "INV-2026-000012"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_never_share_a_number():
    """Four threads take 15 numbers each at once: 60 distinct numbers, 1..60, no gap."""
    company = make_company("並行採番")
    taken: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def issuer():
        try:
            barrier.wait()
            for _ in range(15):
                with transaction.atomic():
                    n = next_number(company=company, doc_type="invoice", fiscal_year=2026)
                with lock:
                    taken.append(n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL and file SQLite run this")
    threads = [threading.Thread(target=issuer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(taken) == list(range(1, 61))
    assert NumberSequence.objects.get(company=company).last_number == 60
