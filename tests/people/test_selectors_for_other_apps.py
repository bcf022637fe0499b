"""The people selectors other apps read employees through (attendance, payroll)."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.people import selectors

from ..conftest import make_department, make_employee

pytestmark = pytest.mark.django_db


def test_in_service_by_department_and_number(company, hr, department, other_company, outsider):
    sales = make_department(company, hr, code="200", name="営業部")
    a = make_employee(company, hr, department, number="A1")
    make_employee(company, hr, sales, number="B1")
    make_employee(company, hr, department, number="C1", retire_date=date(2026, 3, 31))
    make_employee(company, hr, department, number="D1", hire_date=date(2026, 12, 1))
    on = date(2026, 6, 1)
    everyone = selectors.employees_in_service(company=company, as_of=on)
    assert [e.number for e in everyone] == ["A1", "B1"]
    assert everyone[0].dept_name == department.name
    only = selectors.employees_in_service(company=company, as_of=on, department_ids=[sales.pk])
    assert [e.number for e in only] == ["B1"]
    assert set(selectors.employees_by_number(company=company)) == {"A1", "B1", "C1", "D1"}
    assert selectors.employee_by_id(company=company, employee_id=a.pk) == a
    assert selectors.employee_by_id(company=other_company, employee_id=a.pk) is None
