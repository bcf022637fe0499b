"""所属長 (Department.head): set on the screen and through the API, audited, read by approvals."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.people import selectors, services

from ..apiclient import ApiClient, field_errors
from ..conftest import login, make_company, make_department, make_employee, make_member

pytestmark = pytest.mark.django_db


def test_head_is_audited_and_read_by_the_selectors(company, hr, department):
    boss_member = make_member(company, "boss", ["manager"])
    boss = make_employee(company, hr, department, number="B1", user=boss_member.user)
    child = make_department(company, hr, "110", "一課", parent=department)
    services.update_department(
        company=company, actor=hr.user, membership=hr, department=department, head=boss
    )
    event = AuditEvent.objects.filter(object_type="people.department", action="update").latest("seq")
    assert event.changes["fields"]["head"] == [None, boss.pk]
    today = date(2026, 4, 1)
    assert (
        selectors.department_head_user(company=company, department=department, as_of=today)
        == boss_member.user
    )
    assert selectors.department_head_user(company=company, department=child, as_of=today) is None
    assert selectors.employee_department(company=company, user=boss_member.user, as_of=today) == department
    assert selectors.employee_department(company=company, user=hr.user, as_of=today) is None
    # a retired head approves nothing
    boss.retire_date = date(2026, 3, 31)
    boss.save()
    assert selectors.department_head_user(company=company, department=department, as_of=today) is None


def test_head_of_another_company_is_refused(company, hr, department):
    other = make_company("株式会社よそ2")
    other_hr = make_member(other, "hr2", ["hr"])
    stranger = make_employee(other, other_hr, make_department(other, other_hr))
    from ennoshita.core.errors import NotFound

    with pytest.raises(NotFound):
        services.update_department(
            company=company, actor=hr.user, membership=hr, department=department, head=stranger
        )


def test_head_on_the_department_screen(client, company, hr, department):
    boss = make_employee(company, hr, department, number="B1")
    login(client, hr)
    url = reverse("people:department_edit", args=[department.pk])
    assert 'name="head"' in client.get(url).content.decode()
    data = {
        "code": department.code,
        "name": department.name,
        "parent": "",
        "sort_order": 0,
        "is_active": "on",
    }
    response = client.post(url, {**data, "head": boss.pk})
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.head_id == boss.pk


def test_head_through_the_api(client, company, hr, department):
    boss = make_employee(company, hr, department, number="B1")
    api = ApiClient(client, hr)
    response = api.patch(f"/people/departments/{department.pk}", {"head_id": boss.pk})
    assert response.status_code == 200 and response.json()["head_id"] == boss.pk
    response = api.patch(f"/people/departments/{department.pk}", {"head_id": 999999})
    assert response.status_code == 400 and "head_id" in field_errors(response)
    response = api.patch(f"/people/departments/{department.pk}", {"head_id": None})
    assert response.json()["head_id"] is None
