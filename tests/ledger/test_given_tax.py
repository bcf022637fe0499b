"""LineInput.tax_amount: a source document's own tax (an invoice rounds once per rate) is posted
as given, within the rounding of the exact tax and never beyond it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import ServiceError
from ennoshita.ledger.models import JournalLine

from .conftest import line, post

DAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("included", "amount", "tax", "net"),
    [(False, 7911, 792, 7911), (True, 999, 91, 908), (True, 999, 90, 909)],
)
def test_given_tax_inside_the_rounding_is_posted(books, accountant, included, amount, tax, net):
    entry = post(
        books,
        accountant,
        DAY,
        line(books, "売上高", "credit", amount, "S10", tax_included=included, tax_amount=tax),
        line(books, "売掛金", "debit", net + tax),
    )
    rows = {ln.account.code: ln for ln in JournalLine.objects.filter(entry=entry).select_related("account")}
    assert rows["4100"].credit == Decimal(net) and rows["2171"].credit == Decimal(tax)
    assert rows["4100"].tax_amount == Decimal(tax)


@pytest.mark.parametrize("tax", [790, 793, -1, "7.5"])
def test_given_tax_outside_the_rounding_is_refused(books, accountant, tax):
    with pytest.raises(ServiceError) as caught:
        post(
            books,
            accountant,
            DAY,
            line(books, "売上高", "credit", 7911, "S10", tax_included=False, tax_amount=tax),
            line(books, "売掛金", "debit", 8702),
        )
    assert "lines.0" in caught.value.field_errors
    assert not JournalLine.objects.filter(company=books).exists()
