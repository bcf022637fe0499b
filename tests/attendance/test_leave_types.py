"""休暇の種類: the seeded types with the law's flags, 人事's edits (audited, the legal flags kept),
additions, deactivation, and no deletion of a used type."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.attendance.models import LeaveType
from ennoshita.attendance.services import leave as leave_services
from ennoshita.attendance.services import leave_grants
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent

from ..conftest import make_employee, make_member


def _input(t: LeaveType, **kw) -> leave_services.LeaveTypeInput:
    fields = {
        "name": t.name,
        "paid": t.paid,
        "allow_half_day": t.allow_half_day,
        "allow_hourly": t.allow_hourly,
        "counts_as_attended": t.counts_as_attended,
        "expiry_months": t.expiry_months,
        "is_active": t.is_active,
        "sort_order": t.sort_order,
        "has_balance": t.has_balance,
    }
    fields.update(kw)
    return leave_services.LeaveTypeInput(**fields)


def test_seeded_types_carry_the_laws_flags(company):
    types = {t.code: t for t in leave_services.ensure_leave_types(company=company)}
    assert list(types) == [
        "annual", "special", "menstrual", "child_sick", "care_day", "maternity", "childcare",
        "family_care", "compensatory", "substitute", "alternative", "injury",
    ]  # fmt: skip
    annual = types["annual"]
    assert (annual.paid, annual.has_balance, annual.allow_half_day, annual.counts_as_attended) == (True,) * 4
    assert annual.expiry_months == 24
    assert not annual.allow_hourly  # no 労使協定 for 時間単位年休 yet (労基法39条4項)
    assert not types["menstrual"].paid and types["menstrual"].allow_hourly
    for code in ("child_sick", "care_day"):
        assert (types[code].paid, types[code].allow_half_day, types[code].allow_hourly) == (False, True, True)
    for code in ("maternity", "childcare", "family_care", "injury"):
        assert types[code].counts_as_attended and not types[code].paid
    assert types["alternative"].paid and not types["alternative"].allow_hourly
    # a second call does not seed twice
    assert len(leave_services.ensure_leave_types(company=company)) == 12
    assert AuditEvent.objects.filter(company=company, object_type="attendance.leavetype").count() == 12


def test_seeding_completes_a_company_that_only_has_the_annual_type(company):
    leave_grants.ensure_annual_type(company=company)
    assert len(leave_services.ensure_leave_types(company=company)) == 12


def test_hr_edits_a_type_and_it_is_audited(company, hr):
    types = {t.code: t for t in leave_services.ensure_leave_types(company=company)}
    special = types["special"]
    leave_services.update_leave_type(
        company=company,
        actor=hr.user,
        membership=hr,
        leave_type_id=special.pk,
        data=_input(special, name="慶弔休暇", allow_half_day=True),
    )
    special.refresh_from_db()
    assert (special.name, special.allow_half_day) == ("慶弔休暇", True)
    event = AuditEvent.objects.filter(company=company, action="update", object_id=str(special.pk)).get()
    assert event.changes["fields"]["name"] == ["特別休暇(慶弔)", "慶弔休暇"]


@pytest.mark.parametrize(
    ("code", "changes", "field"),
    [
        ("annual", {"paid": False}, "paid"),
        ("annual", {"expiry_months": 12}, "expiry_months"),
        ("annual", {"allow_hourly": True}, "allow_hourly"),  # no 労使協定
        ("childcare", {"counts_as_attended": False}, "counts_as_attended"),
        ("alternative", {"allow_hourly": True}, "allow_hourly"),
        ("special", {"name": ""}, "name"),
        ("special", {"name": "生理休暇"}, "name"),
    ],
)
def test_edits_that_break_the_law_are_refused(company, hr, code, changes, field):
    t = {t.code: t for t in leave_services.ensure_leave_types(company=company)}[code]
    with pytest.raises(ServiceError) as exc:
        leave_services.update_leave_type(
            company=company, actor=hr.user, membership=hr, leave_type_id=t.pk, data=_input(t, **changes)
        )
    assert field in exc.value.field_errors
    fresh = LeaveType.objects.get(pk=t.pk)
    assert (fresh.name, fresh.paid, fresh.allow_hourly, fresh.counts_as_attended) == (
        t.name, t.paid, t.allow_hourly, t.counts_as_attended
    )  # fmt: skip


def test_add_deactivate_and_delete_only_unused(company, hr, department):
    leave_services.ensure_leave_types(company=company)
    added = leave_services.create_leave_type(
        company=company,
        actor=hr.user,
        membership=hr,
        data=leave_services.LeaveTypeInput(
            code="refresh",
            kind="special",
            name="リフレッシュ休暇",
            paid=True,
            allow_half_day=False,
            allow_hourly=False,
            counts_as_attended=False,
            expiry_months=None,
            sort_order=200,
        ),
    )
    assert added.kind == "special" and added.is_active
    with pytest.raises(ServiceError) as exc:
        leave_services.create_leave_type(
            company=company, actor=hr.user, membership=hr, data=_input(added, code="refresh", name="別名")
        )
    assert "code" in exc.value.field_errors
    # used by a request: cannot be deleted, may be deactivated
    member = make_member(company, "emp9", ["employee"])
    employee = make_employee(company, hr, department, number="E009", user=member.user)
    head = make_member(company, "head9", ["manager"])
    head_e = make_employee(company, hr, department, number="M009", user=head.user)
    from ennoshita.people import services as people_services

    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=department, head=head_e
    )
    leave_services.request_leave(
        company=company,
        actor=member.user,
        membership=member,
        data=leave_services.LeaveInput(leave_type_id=added.pk, unit="full", start_date=date(2027, 1, 6)),
    )
    assert employee.pk
    with pytest.raises(ServiceError) as exc:
        leave_services.delete_leave_type(
            company=company, actor=hr.user, membership=hr, leave_type_id=added.pk
        )
    assert exc.value.code == "in_use"
    leave_services.update_leave_type(
        company=company,
        actor=hr.user,
        membership=hr,
        leave_type_id=added.pk,
        data=_input(added, is_active=False),
    )
    added.refresh_from_db()
    assert not added.is_active
    unused = leave_services.create_leave_type(
        company=company,
        actor=hr.user,
        membership=hr,
        data=_input(added, code="tmp", name="臨時", is_active=True),
    )
    leave_services.delete_leave_type(company=company, actor=hr.user, membership=hr, leave_type_id=unused.pk)
    assert not LeaveType.objects.filter(pk=unused.pk).exists()
    assert AuditEvent.objects.filter(company=company, action="delete", object_id=str(unused.pk)).exists()


def test_only_hr_manages_types(company, hr, employee_member):
    t = leave_services.ensure_leave_types(company=company)[1]
    with pytest.raises(PermissionDeniedError):
        leave_services.update_leave_type(
            company=company, actor=employee_member.user, membership=employee_member, leave_type_id=t.pk,
            data=_input(t, name="x"),
        )  # fmt: skip


def test_types_screens(company, hr, employee_member, as_member, outsider):
    client = as_member(hr)
    page = client.get(reverse("attendance:leave_types"))
    assert page.status_code == 200 and "子の看護等休暇" in page.content.decode()
    special = LeaveType.objects.for_company(company).get(code="special")
    edit = reverse("attendance:leave_type_edit", args=[special.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"name": "慶弔休暇", "paid": "on", "is_active": "on", "sort_order": 20, "expiry_months": ""}
    )
    assert response.status_code == 302
    special.refresh_from_db()
    assert special.name == "慶弔休暇" and special.code == "special"
    added = client.post(
        reverse("attendance:leave_types"),
        {
            "code": "vol",
            "kind": "special",
            "name": "ボランティア休暇",
            "paid": "on",
            "is_active": "on",
            "sort_order": 300,
        },
    )
    assert added.status_code == 302
    assert LeaveType.objects.for_company(company).filter(code="vol", name="ボランティア休暇").exists()
    assert as_member(employee_member).get(reverse("attendance:leave_types")).status_code == 403
    assert as_member(outsider).get(edit).status_code == 404
    assert as_member(outsider).post(edit, {"name": "x", "sort_order": 1}).status_code == 404
    special.refresh_from_db()
    assert special.name == "慶弔休暇"
