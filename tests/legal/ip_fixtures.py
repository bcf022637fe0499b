"""Fixtures and helpers of the 知的財産 tests (imported by test_ip_*.py; no tests here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ennoshita.core.models import Company, Membership
from ennoshita.legal.models import IpRight
from ennoshita.legal.rules.ip import add_months
from ennoshita.legal.services import ip as services
from tests.conftest import make_member


@dataclass
class Org:
    company: Company
    legal: Membership  # 法務
    accounting: Membership  # 経理
    employee: Membership  # an employee who owns a right
    other: Membership  # an employee who owns none

    def w(self, who: Membership | None = None) -> dict[str, Any]:
        m = who or self.legal
        return {"company": self.company, "actor": m.user, "membership": m}


def today() -> date:
    return timezone.localdate()


def years_ago(years: int, plus_days: int = 0) -> date:
    return add_months(today(), -12 * years) + timedelta(days=plus_days)


def make_right(org: Org, **kw: Any) -> IpRight:
    fields: dict[str, Any] = {
        "kind": "trademark",
        "title": "エンノシタ",
        "classes": "9, 42",
        "filed_on": years_ago(2, -200),
        "registered_on": years_ago(2),
        "status": "registered",
        "application_number": "商願2024-000001",
        "registration_number": "第6900001号",
        "agent": "テスト特許事務所",
    }
    fields.update(kw)
    return services.register_ip_right(**org.w(), data=services.IpInput(**fields))


def patent(org: Org, *, due_in: int = 40, paid: int = 3, **kw: Any) -> IpRight:
    """A patent whose fee for year ``paid + 1`` is due in ``due_in`` days."""
    registered = years_ago(paid, due_in)
    return make_right(
        org,
        kind="patent",
        title="配送ルートの最適化方法",
        classes="",
        filed_on=registered - timedelta(days=700),
        registered_on=registered,
        paid_through_year=paid,
        application_number="特願2021-000001",
        registration_number="特許第7000001号",
        **kw,
    )


@pytest.fixture
def org(company) -> Org:
    return Org(
        company,
        make_member(company, "legal1", ["legal"], last_name="法務", first_name="一子"),
        make_member(company, "acct1", ["accounting"], last_name="経理", first_name="二郎"),
        make_member(company, "owner1", ["employee"], last_name="担当", first_name="三郎"),
        make_member(company, "other1", ["employee"], last_name="他人", first_name="四郎"),
    )
