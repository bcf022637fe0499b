"""The contracts demo: every status, 印紙税 on the paper ones only, a 基本契約 with its 個別契約 and 覚書,
notice deadlines within 60 days; running it again changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ennoshita.legal.demo_contracts import build_demo_contracts
from ennoshita.legal.models import Contract
from ennoshita.legal.selectors import contracts as selectors
from tests.conftest import make_member

pytest_plugins = ["tests.legal.contracts_fixtures"]

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_status_and_is_idempotent(company, legal):
    employee = make_member(company, "employee", ["employee"])
    build_demo_contracts(company)
    contracts = list(Contract.objects.for_company(company))
    assert {c.status for c in contracts} == {
        "draft",
        "in_review",
        "negotiating",
        "signed",
        "active",
        "expired",
        "terminated",
    }
    basic = next(c for c in contracts if c.contract_type == "basic")
    assert basic.stamp_duty == 4000 and basic.document is not None
    assert sorted(c.relation for c in contracts if c.parent_id == basic.pk) == [
        "amendment",
        "individual",
        "individual",
    ]
    work = next(c for c in contracts if c.contract_type == "work")
    assert work.paper_original and work.stamp_duty == 1000
    electronic = next(c for c in contracts if c.title.endswith("(電子契約)"))
    assert not electronic.paper_original and electronic.stamp_duty == 0
    soon = selectors.upcoming(company=company, membership=legal, days=60)
    assert [i.kind for i in soon].count("notice") >= 2
    assert any(c.created_by_id == employee.user_id for c in contracts)
    build_demo_contracts(company)
    assert Contract.objects.for_company(company).count() == len(contracts)
    assert timezone.localdate()


def test_the_demo_runs_with_only_an_admin(company):
    make_member(company, "admin", ["admin"])
    build_demo_contracts(company)
    assert Contract.objects.for_company(company).count() >= 9
