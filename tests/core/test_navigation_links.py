"""No dead links in the department navigation: every item a role is shown opens for that role (200),
for a member with an employee record and — for the roles that may have none — without one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ennoshita.core.models import Role
from ennoshita.navigation import visible_groups
from ennoshita.people.models import Department
from tests.conftest import login, make_department, make_employee, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ASSISTANT])
def test_every_menu_item_a_role_sees_opens_for_it(client, company, hr, role):
    department = make_department(company, hr, code="900", name="本社")
    member = make_member(company, f"nav-{role}", [role])
    employee = make_employee(
        company, hr, department, number=f"N{Role.values.index(role):03d}", user=member.user
    )
    if role == Role.MANAGER:  # a 管理職 heads a department (所属長): the team pages are theirs
        Department.objects.filter(pk=department.pk).update(head=employee)
    login(client, member)
    failures = []
    for group in visible_groups(member):
        for item in group["items"]:
            response = client.get(item["url"], follow=True)  # a redirect must land on a page
            if response.status_code != 200:
                failures.append((item["url_name"], response.status_code))
    assert not failures, failures


def test_an_assistant_sees_only_what_opens_for_it(client, company):
    member = make_member(
        company, "nav-assistant", [Role.ASSISTANT], expires_on=date.today() + timedelta(days=30)
    )
    login(client, member)
    shown = [item for group in visible_groups(member) for item in group["items"]]
    for item in shown:
        assert client.get(item["url"], follow=True).status_code == 200, item["url_name"]
    assert reverse("affairs:announcement_list") not in {item["url"] for item in shown}
