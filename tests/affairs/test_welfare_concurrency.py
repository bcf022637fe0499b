"""Two applications at the same moment cannot together pass a yearly limit: the check runs with the
benefit's row locked (PostgreSQL, and file SQLite; in-memory SQLite is one connection)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from ennoshita.affairs.models import BenefitUse
from ennoshita.affairs.services import welfare as services
from ennoshita.core.errors import ServiceError

from ..conftest import make_company, make_department, make_employee, make_member


@pytest.mark.django_db(transaction=True)
def test_two_applications_at_once_cannot_pass_the_limit_together():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL and file SQLite run this")
    company = make_company("同時申請")
    hr = make_member(company, "hr", ["hr"])
    employee = make_member(company, "emp", ["employee"])
    affairs = make_member(company, "soumu", ["affairs"])
    department = make_department(company, hr)
    record = make_employee(
        company, hr, department, number="E1", user=employee.user, hire_date=date(2020, 4, 1)
    )
    benefit = services.create_benefit(
        company=company,
        actor=affairs.user,
        membership=affairs,
        data=services.BenefitInput(
            code="QUAL", name="資格取得支援", yearly_amount_limit=Decimal(100000), requires_approval=False
        ),
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def apply(member, employee_id):
        try:
            barrier.wait()
            services.apply_benefit(
                company=company,
                actor=member.user,
                membership=member,
                benefit=benefit,
                used_on=timezone.localdate(),
                amount=60000,
                employee_id=employee_id,
            )
            outcomes.append("ok")
        except ServiceError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # a lock timeout would show here
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=apply, args=(employee, None)),
        threading.Thread(target=apply, args=(affairs, record.pk)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "over_limit"]
    assert BenefitUse.objects.filter(company=company).count() == 1
