"""core.rows.new_instance: the posting path's constructor gives what ``Model(**values)`` gives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.models import Membership
from ennoshita.core.rows import new_instance
from ennoshita.ledger.models import JournalEntry, JournalLine

from .conftest import acct, tax


def _columns(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


def test_a_line_is_built_as_the_keyword_constructor_builds_it(books, django_assert_num_queries):
    company = books
    account, code = acct(company, "消耗品費"), tax(company, "P10")
    values = {
        "company": company,
        "date": date(2026, 11, 2),
        "account": account,
        "sub_account": None,
        "department": None,
        "tax_code": code,
        "memo": "コピー用紙",
        "debit": Decimal(1000),
    }
    fast, usual = new_instance(JournalLine, **values), JournalLine(**values)
    assert _columns(fast) == _columns(usual)
    assert fast._state.adding and fast.pk is None
    with django_assert_num_queries(0):  # the related objects given are kept, as the descriptor keeps them
        assert fast.account is account and fast.tax_code is code and fast.company is company
        assert fast.sub_account is None and fast.department is None
    # an id given by its column name, and a field left out takes its default
    by_id = new_instance(JournalLine, company_id=company.pk, account_id=account.pk, date=date(2026, 11, 2))
    assert (
        by_id.account_id == account.pk and by_id.credit == JournalLine._meta.get_field("credit").get_default()
    )
    assert by_id.account == account  # not cached: read from the database as usual


def test_a_one_to_one_keeps_the_way_back_and_callable_defaults_are_called_per_instance(books):
    company = books
    draft = new_instance(JournalEntry, company=company, date=date(2026, 11, 2), memo="x")
    reversal = new_instance(JournalEntry, company=company, date=date(2026, 11, 3), reversal_of=draft)
    assert reversal.reversal_of is draft and draft.reversed_by is reversal
    first, second = new_instance(Membership, company=company), new_instance(Membership, company=company)
    assert first.roles == [] and first.roles is not second.roles


def test_a_name_that_is_not_a_field_is_refused(company):
    with pytest.raises(TypeError, match="no field 'colour'"):
        new_instance(JournalLine, colour="red")
