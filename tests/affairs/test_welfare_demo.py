"""The welfare demo on a small company shaped like the demo one (its logins and 所属長): every state
is there, one use waits for the demo manager, and a second run adds nothing."""

from __future__ import annotations

import pytest

from ennoshita.affairs.demo_welfare import build_demo_welfare
from ennoshita.affairs.models import Benefit, BenefitUse
from ennoshita.approvals import selectors as approval_selectors
from ennoshita.people.models import Department

from ..conftest import make_department, make_employee, make_member

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_runs_once(company):
    admin = make_member(company, "admin", ["admin"])
    affairs = make_member(company, "affairs", ["affairs"])
    manager = make_member(company, "manager", ["manager", "employee"])
    employee = make_member(company, "employee", ["employee"])
    top = make_department(company, admin, code="300", name="営業本部")
    sales = make_department(company, admin, code="310", name="営業一課", parent=top)
    boss = make_employee(company, admin, top, number="0001", family_name="管理", user=admin.user)
    head = make_employee(company, admin, sales, number="0002", family_name="課長", user=manager.user)
    make_employee(company, admin, sales, number="0003", family_name="社員", user=employee.user)
    Department.objects.filter(pk=top.pk).update(head=boss)
    Department.objects.filter(pk=sales.pk).update(head=head)

    build_demo_welfare(company)

    assert set(Benefit.objects.for_company(company).values_list("code", flat=True)) == {
        "HOUSE",
        "QUAL",
        "RESORT",
        "CONDO",
    }
    uses = BenefitUse.objects.for_company(company)
    assert set(uses.values_list("status", flat=True)) == {"approved", "pending", "rejected", "withdrawn"}
    assert uses.filter(benefit__code="HOUSE", status="approved").count() == 3
    waiting = approval_selectors.inbox(company=company, user=manager.user)
    assert [r.request_type for r in waiting] == ["affairs.benefit"]
    count = uses.count()
    build_demo_welfare(company)
    assert BenefitUse.objects.for_company(company).count() == count
    # 住宅手当 is registered by 総務 for the employee
    assert set(
        BenefitUse.objects.for_company(company)
        .filter(benefit__code="HOUSE")
        .values_list("applicant_id", "employee__user__username")
    ) == {(affairs.user_id, "employee")}
