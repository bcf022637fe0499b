from __future__ import annotations

import pytest

from ennoshita.approvals.demo import build_demo_approvals
from ennoshita.approvals.models import ApprovalRoute
from ennoshita.people.management.commands.demo import build_demo
from ennoshita.people.models import Department
from ennoshita.people.selectors import department_head_user

pytestmark = pytest.mark.django_db


def test_demo_sets_heads_and_default_routes(settings):
    company = build_demo(employees=15)  # runs ENNOSHITA_DEMO_EXTRAS (with approvals) too
    sales = Department.objects.get(company=company, code="310")
    from django.utils import timezone

    assert (
        department_head_user(company=company, department=sales, as_of=timezone.localdate()).username
        == "manager"
    )
    assert ApprovalRoute.objects.filter(company=company, request_type="test").count() == 2
    build_demo_approvals(company)  # idempotent
    assert ApprovalRoute.objects.filter(company=company, request_type="test").count() == 2
