from __future__ import annotations

import pytest

from ennoshita.ledger import services as ledger_services

from ..conftest import make_member


@pytest.fixture
def books(company):
    """The company's books (chart, tax codes, fiscal years around today, 期首 April)."""
    ledger_services.ensure_books(company=company)
    return company


@pytest.fixture
def sales_admin(company):
    return make_member(company, "eigyo", ["sales_admin"])


@pytest.fixture
def accountant(company):
    return make_member(company, "keiri", ["accounting"])
