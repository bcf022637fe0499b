"""The demo company's 備品: categories, ~40 items, most PCs / phones / cards lent, fixed-asset
candidates, a leaver still holding a PC; idempotent, the audit chain intact."""

from __future__ import annotations

from ennoshita.affairs.demo_equipment import build_demo_equipment
from ennoshita.affairs.models import Equipment, EquipmentCategory, EquipmentLoan, EquipmentStatus
from ennoshita.affairs.selectors import equipment as selectors
from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import Membership
from ennoshita.people.management.commands.demo import build_demo


def test_the_demo_company_has_equipment(db, settings):
    settings.ENNOSHITA_DEMO_EXTRAS = []  # only the people demo, then this part
    company = build_demo(employees=30)
    build_demo_equipment(company)
    assert set(EquipmentCategory.objects.for_company(company).values_list("name", flat=True)) == {
        "PC",
        "スマートフォン",
        "鍵",
        "入館カード",
        "モニター",
        "家具",
    }
    items = list(Equipment.objects.for_company(company).select_related("category"))
    assert 38 <= len(items) <= 42
    lent = [i for i in items if i.status == EquipmentStatus.LENT]
    pcs = [i for i in items if i.category.name == "PC"]
    assert sum(1 for i in pcs if i.status == EquipmentStatus.LENT) >= len(pcs) // 2
    hr = Membership.objects.get(company=company, user__username="hr")
    accounting = Membership.objects.get(company=company, user__username="accounting")
    candidates = [
        i.asset_number for i in selectors.fixed_asset_candidates(company=company, membership=accounting)
    ]
    assert {"PC-0012", "FN-0001"} <= set(candidates)
    leavers = selectors.leavers_holding(company=company, membership=hr)
    assert leavers and any(i.category.name == "PC" for g in leavers for i in g.items)
    employee = Membership.objects.get(company=company, user__username="employee")
    own = selectors.own_employee(company=company, membership=employee)
    assert own is not None and selectors.held_items(company=company, employee=own).exists()
    assert EquipmentLoan.objects.filter(company=company, returned_on__isnull=False).exists()
    loans = EquipmentLoan.objects.count()
    build_demo_equipment(company)  # a second run adds nothing
    assert (
        Equipment.objects.for_company(company).count() == len(items)
        and EquipmentLoan.objects.count() == loans
    )
    assert len(lent) == EquipmentLoan.objects.filter(company=company, returned_on__isnull=True).count()
    assert verify_company_chain(company.pk) is None
