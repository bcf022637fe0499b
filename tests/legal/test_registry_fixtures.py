"""Fixtures of the 登記・機関 tests (imported by test_registry_*.py; no tests here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ennoshita.core.models import Company, Membership
from ennoshita.legal.models import CharterSettings, Officer
from ennoshita.legal.services import registry as services
from tests.conftest import make_member


@dataclass
class Org:
    company: Company
    legal: Membership
    admin: Membership
    accounting: Membership
    employee: Membership
    assistant: Membership

    def w(self, who: Membership | None = None) -> dict[str, Any]:
        m = who or self.legal
        return {"company": self.company, "actor": m.user, "membership": m}


def today() -> date:
    return timezone.localdate()


def charter(org: Org, **kw: Any) -> CharterSettings:
    values = {
        "is_public_company": False,
        "has_board": True,
        "director_term_years": 2,
        "auditor_term_years": 4,
        "agm_months_after_year_end": 3,
    }
    values.update(kw)
    return services.save_charter_settings(**org.w(), **values)


def appoint(org: Org, name: str = "山田 太郎", position: str = "director", **kw: Any) -> Officer:
    elected = kw.pop("elected_on", today() - timedelta(days=100))
    data = services.OfficerInput(
        name=name,
        position=position,
        elected_on=elected,
        took_office_on=kw.pop("took_office_on", elected),
        **kw,
    )
    return services.appoint_officer(**org.w(), data=data)


@pytest.fixture
def org(company) -> Org:
    return Org(
        company,
        make_member(company, "legal1", ["legal"], last_name="法務", first_name="一子"),
        make_member(company, "admin1", ["admin"], last_name="管理", first_name="一郎"),
        make_member(company, "acct1", ["accounting"], last_name="経理", first_name="二郎"),
        make_member(company, "emp1", ["employee"], last_name="社員", first_name="三郎"),
        make_member(company, "asst1", ["assistant"], expires_on=date(2099, 1, 1)),
    )
