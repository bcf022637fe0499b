"""Fixtures and helpers of the consumables tests (imported by test_consumables_*.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ennoshita.affairs.models import Consumable, Location
from ennoshita.affairs.services import consumables as services
from ennoshita.core.models import Company, Membership
from ennoshita.people.models import Department, Employee
from tests.conftest import make_department, make_employee, make_member


@dataclass
class World:
    company: Company
    affairs: Membership  # 総務
    hr: Membership
    employee: Membership  # 一般社員, with an employee record in 営業部
    sales: Department
    general: Department
    staff: Employee
    store: Location  # 本社 倉庫
    floor: Location  # 3F 事務室

    def w(self, who: Membership | None = None) -> dict[str, Any]:
        m = who or self.affairs
        return {"company": self.company, "actor": m.user, "membership": m}


def today() -> date:
    return timezone.localdate()


def make_location(company: Company, name: str, membership: Membership | None = None) -> Location:
    """A place, through the 場所 master's service (settings.py of the equipment part)."""
    from ennoshita.affairs.services import settings as affairs_settings

    m = membership or make_member(company, f"loc-admin-{Location.objects.count()}", ["admin"])
    return affairs_settings.create_location(company=company, actor=m.user, membership=m, name=name)


def make_item(world: World, code: str = "P-001", **kw: Any) -> Consumable:
    fields: dict[str, Any] = {
        "code": code,
        "name": "コピー用紙 A4",
        "unit": "箱",
        "unit_cost": Decimal("2500"),
        "reorder_point": 5,
        "reorder_quantity": 10,
        "vendor_name": "アスクル",
    }
    fields.update(kw)
    return services.create_consumable(**world.w(), data=services.ConsumableInput(**fields))


def build_world(company: Company) -> World:
    hr = make_member(company, "hr-c", ["hr"])
    affairs = make_member(company, "affairs-c", ["affairs"], last_name="総務", first_name="三郎")
    sales = make_department(company, hr, code="300", name="営業部")
    general = make_department(company, hr, code="100", name="総務部")
    emp = make_member(company, "emp-c", ["employee"], last_name="営業", first_name="花子")
    staff = make_employee(
        company,
        hr,
        sales,
        number="E100",
        family_name="営業",
        given_name="花子",
        family_name_kana="エイギョウ",
        given_name_kana="ハナコ",
        user=emp.user,
    )
    store = make_location(company, "本社 倉庫", affairs)
    floor = make_location(company, "3F 事務室", affairs)
    return World(company, affairs, hr, emp, sales, general, staff, store, floor)
