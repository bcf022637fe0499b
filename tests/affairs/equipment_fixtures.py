"""Fixtures and helpers of the equipment tests (imported by test_equipment_*.py; no tests here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ennoshita.affairs.models import Equipment, EquipmentCategory
from ennoshita.affairs.services import equipment as services
from ennoshita.core.models import Company, Membership
from ennoshita.people.models import Department, Employee
from tests.conftest import make_employee, make_member


@dataclass
class Org:
    company: Company
    affairs: Membership  # 総務
    hr: Membership
    department: Department
    pc: EquipmentCategory
    key: EquipmentCategory

    def w(self, who: Membership | None = None) -> dict[str, Any]:
        m = who or self.affairs
        return {"company": self.company, "actor": m.user, "membership": m}


def today() -> date:
    return timezone.localdate()


def make_item(org: Org, number: str = "PC-0001", **kw: Any) -> Equipment:
    fields: dict[str, Any] = {
        "asset_number": number,
        "name": "ノートPC ThinkPad X1",
        "category_id": org.pc.pk,
        "maker": "Lenovo",
        "serial_number": f"SN{number}",
        "purchase_date": date(2025, 4, 1),
        "purchase_price": "98000",
        "vendor_name": "株式会社オフィス商会",
        "warranty_end": date(2028, 3, 31),
    }
    fields.update(kw)
    return services.register_equipment(**org.w(), data=services.EquipmentInput(**fields))


def lend(org: Org, item: Equipment, employee: Employee, **kw: Any):
    return services.lend_equipment(
        **org.w(),
        equipment=item,
        employee=employee,
        lent_on=kw.pop("lent_on", today() - timedelta(days=10)),
        **kw,
    )


@pytest.fixture
def org(company, hr, department) -> Org:
    affairs = make_member(company, "affairs1", ["affairs"], last_name="総務", first_name="三郎")
    o = Org(company, affairs, hr, department, None, None)  # type: ignore[arg-type]
    o.pc = services.create_category(**o.w(), name="PC", sort_order=1)
    o.key = services.create_category(**o.w(), name="鍵", sort_order=2)
    return o


@pytest.fixture
def worker(org, employee_member) -> Employee:
    """The employee persona's own record (社員 次郎)."""
    return Employee.objects.get(company=org.company, user=employee_member.user)


@pytest.fixture
def colleague(org) -> Employee:
    return make_employee(
        org.company,
        org.hr,
        org.department,
        number="E002",
        family_name="鈴木",
        given_name="一郎",
        family_name_kana="スズキ",
        given_name_kana="イチロウ",
    )
