from __future__ import annotations

from datetime import date

import pytest

from ennoshita.ledger import services
from ennoshita.ledger.models import Account, TaxCode
from ennoshita.ledger.services import LineInput

from ..conftest import make_member


@pytest.fixture
def accountant(company):
    return make_member(company, "keiri", ["accounting"])


@pytest.fixture
def books(company):
    """The company's books: chart, tax codes and the fiscal years around 2026-11 (期首 April)."""
    services.ensure_books(company=company)
    return company


def acct(company, name: str) -> Account:
    return Account.objects.for_company(company).get(name=name)


def tax(company, key: str) -> TaxCode:
    return TaxCode.objects.for_company(company).get(key=key)


def line(company, name: str, side: str, amount, tax_key: str | None = None, **kw) -> LineInput:
    return LineInput(
        account=acct(company, name),
        side=side,
        amount=amount,
        tax_code=tax(company, tax_key) if tax_key else None,
        **kw,
    )


def post(company, member, day: date, *lines: LineInput, **kw):
    return services.post_entry(
        company=company, actor=member.user, membership=member, date=day, lines=list(lines), **kw
    )
