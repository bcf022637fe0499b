"""people's hook for documents attached to an employee record (settings.ENNOSHITA_ATTACHMENT_TARGETS):
the same rules as the employee screens."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.people.models import Employee
from ennoshita.people.selectors import employee_attachment_target

from ..conftest import make_employee, make_member


def target(m, object_id, *, for_edit=False, company=None):
    return employee_attachment_target(
        company=company or m.company, membership=m, object_id=str(object_id), for_edit=for_edit
    )


def test_hr_and_admin_read_and_edit_every_record(company, admin, hr, department):
    e = make_employee(company, hr, department, number="0200", family_name="田中", given_name="一")
    for m in (admin, hr):
        assert target(m, e.pk) == target(m, e.pk, for_edit=True) == e.full_name == "田中 一"


def test_an_employee_reads_only_his_own_record_and_edits_none(company, hr, department, employee_member):
    own = Employee.objects.get(user=employee_member.user)
    colleague = make_employee(company, hr, department, number="0201")
    assert target(employee_member, own.pk) == own.full_name
    with pytest.raises(PermissionDeniedError):
        target(employee_member, own.pk, for_edit=True)
    with pytest.raises(NotFound):
        target(employee_member, colleague.pk)


def test_a_manager_sees_no_one_elses_record(company, hr, department):
    manager = make_member(company, "mgr", ["manager"])
    e = make_employee(company, hr, department, number="0202")
    with pytest.raises(NotFound):
        target(manager, e.pk)


def test_another_companys_id_and_malformed_ids_are_not_found(company, hr, department, outsider):
    e = make_employee(company, hr, department, number="0203")
    with pytest.raises(NotFound):
        target(outsider, e.pk, for_edit=True)
    for bad in ("", "x", "0", "01", "-3", "３", f"{e.pk} ", "9" * 19):
        with pytest.raises(NotFound):
            target(hr, bad)
