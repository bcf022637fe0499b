"""健康診断 services: access grants, plans, bookings, encrypted results, audited views, refusals that
write nothing, the doctor's opinion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ennoshita.affairs.models import AffairsSettings, Checkup, CheckupKind, CheckupStatus, HealthAccessGrant
from ennoshita.affairs.services import health as services
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from tests.conftest import make_employee, make_member

SECRET = "LDLコレステロール 182 要精密検査"


def state():
    """Everything a refused call must leave as it was."""
    return (
        AuditEvent.objects.count(),
        list(Checkup.objects.order_by("pk").values()),
        HealthAccessGrant.objects.count(),
    )


@pytest.fixture
def granted(company, admin, hr):
    services.grant_health_access(company=company, actor=admin.user, membership=admin, grantee=hr)
    return hr


@pytest.fixture
def hr2(company):
    return make_member(company, "hr2", ["hr"], last_name="人事", first_name="次郎")


@pytest.fixture
def checkup(company, hr, employee_member):
    year = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=year)
    return Checkup.objects.get(kind=CheckupKind.PERIODIC)


# ------------------------------------------------------------------------------ grants


def test_only_an_admin_grants_and_only_to_hr_or_admin(company, admin, hr, employee_member):
    with pytest.raises(PermissionDeniedError):
        services.grant_health_access(company=company, actor=hr.user, membership=hr, grantee=hr)
    with pytest.raises(ServiceError) as err:
        services.grant_health_access(
            company=company, actor=admin.user, membership=admin, grantee=employee_member
        )
    assert "grantee" in err.value.field_errors
    assert HealthAccessGrant.objects.count() == 0
    grant = services.grant_health_access(company=company, actor=admin.user, membership=admin, grantee=hr)
    assert services.has_health_access(company=company, membership=hr)
    with pytest.raises(ServiceError):
        services.grant_health_access(company=company, actor=admin.user, membership=admin, grantee=hr)
    services.revoke_health_access(company=company, actor=admin.user, membership=admin, grant=grant)
    assert not services.has_health_access(company=company, membership=hr)
    assert list(
        AuditEvent.objects.filter(object_type="affairs.healthaccessgrant").values_list("action", flat=True)
    ) == [
        "health.grant",
        "health.revoke",
    ]


def test_an_expired_grant_or_a_lost_role_gives_no_access(company, admin, hr):
    grant = services.grant_health_access(company=company, actor=admin.user, membership=admin, grantee=hr)
    today = timezone.localdate()
    assert services.has_health_access(company=company, membership=hr)
    HealthAccessGrant.objects.filter(pk=grant.pk).update(expires_on=today - timedelta(days=1))
    assert not services.has_health_access(company=company, membership=hr)
    HealthAccessGrant.objects.filter(pk=grant.pk).update(expires_on=None)
    hr.roles = ["affairs"]
    hr.save()
    assert not services.has_health_access(company=company, membership=hr)


# ------------------------------------------------------------------------------ plans


def test_plan_makes_the_checkups_by_employee_type_and_is_idempotent(company, hr, department):
    AffairsSettings.objects.create(company=company, checkup_month=7)
    regular = make_employee(company, hr, department, number="R1", hire_date=date(2020, 4, 1))
    night = make_employee(company, hr, department, number="N1", hire_date=date(2019, 4, 1))
    new = make_employee(company, hr, department, number="H1", hire_date=date(2026, 5, 11))
    abroad = make_employee(company, hr, department, number="A1", hire_date=date(2018, 4, 1))
    services.set_health_profile(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=night.pk,
        specific_work=True,
        specific_work_kind="深夜業",
    )
    services.set_health_profile(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=abroad.pk,
        specific_work=False,
        overseas_from=date(2026, 9, 1),
        overseas_until=date(2027, 3, 1),
    )
    result = services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=2026)
    got = {(c.employee_id, c.kind, c.due_on) for c in Checkup.objects.all()}
    assert got == {
        (regular.pk, "periodic", date(2026, 7, 31)),
        (night.pk, "specific", date(2026, 7, 31)),
        (night.pk, "specific", date(2027, 1, 31)),
        (new.pk, "hiring", date(2026, 5, 11)),
        (abroad.pk, "periodic", date(2026, 7, 31)),
        (abroad.pk, "overseas_before", date(2026, 9, 1)),
        (abroad.pk, "overseas_after", date(2027, 3, 1)),
    }
    assert result.created == 7
    assert AuditEvent.objects.filter(object_type="affairs.checkup", action="create").count() == 7
    again = services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=2026)
    assert (again.created, again.existing) == (0, 7)
    assert Checkup.objects.count() == 7


def test_an_employee_cannot_plan(company, employee_member):
    with pytest.raises(PermissionDeniedError):
        services.plan_checkups(
            company=company, actor=employee_member.user, membership=employee_member, fiscal_year=2026
        )


def test_profile_needs_both_overseas_dates(company, hr, employee_member):
    employee = employee_member.user.employee_records.get()
    with pytest.raises(ServiceError) as err:
        services.set_health_profile(
            company=company,
            actor=hr.user,
            membership=hr,
            employee_id=employee.pk,
            specific_work=False,
            overseas_from=date(2026, 9, 1),
        )
    assert "overseas_until" in err.value.field_errors


# ------------------------------------------------------------------------------ booking


def test_the_employee_books_their_own_checkup_and_not_a_colleagues(
    company, hr, department, employee_member, checkup
):
    services.book_checkup(
        company=company,
        actor=employee_member.user,
        membership=employee_member,
        checkup=checkup,
        clinic="丸の内クリニック",
        booked_for=date(2026, 6, 20),
    )
    checkup.refresh_from_db()
    assert (checkup.status, checkup.clinic) == ("booked", "丸の内クリニック")
    other_member = make_member(company, "emp2", ["employee"])
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.book_checkup(
            company=company,
            actor=other_member.user,
            membership=other_member,
            checkup=checkup,
            clinic="x",
            booked_for=date(2026, 6, 21),
        )
    assert state() == before


def test_booking_needs_a_clinic_and_a_date(company, hr, checkup):
    with pytest.raises(ServiceError) as err:
        services.book_checkup(
            company=company, actor=hr.user, membership=hr, checkup=checkup, clinic="", booked_for=None
        )
    assert set(err.value.field_errors) == {"clinic", "booked_for"}


# ------------------------------------------------------------------------------ results


def record(company, member, checkup, **kw):
    args = {
        "examined_on": timezone.localdate() - timedelta(days=2),
        "has_findings": True,
        "result": SECRET,
        "doctor_instructed": True,
    }
    args.update(kw)
    return services.record_checkup_result(
        company=company, actor=member.user, membership=member, checkup=checkup, **args
    )


def test_the_result_is_encrypted_at_rest_and_never_in_the_audit_trail(company, granted, checkup):
    done = record(company, granted, checkup)
    examined = done.examined_on
    assert done.status == CheckupStatus.DONE
    assert done.opinion_due_on == services.rules.opinion_due(examined)
    assert done.keep_until == services.rules.keep_until(examined)
    with connection.cursor() as cur:
        cur.execute("SELECT result_encrypted FROM affairs_checkup WHERE id = %s", [done.pk])
        raw = cur.fetchone()[0]
    assert raw and "LDL" not in raw and "要精密" not in raw
    for ev in AuditEvent.objects.filter(object_type="affairs.checkup"):
        assert "LDL" not in str(ev.changes) and raw not in str(ev.changes)


def test_a_result_recorded_by_hr_without_health_access_is_refused_and_nothing_written(company, hr, checkup):
    before = state()
    with pytest.raises(PermissionDeniedError) as err:
        record(company, hr, checkup)
    assert "健康情報の閲覧権限" in err.value.message
    assert state() == before


def test_a_health_result_opened_without_health_access_is_refused_and_nothing_written(
    company, admin, granted, hr2, checkup
):
    record(company, granted, checkup)
    checkup.refresh_from_db()
    for member in (hr2, admin):  # 人事 without a grant; even the admin needs one
        before = state()
        with pytest.raises(PermissionDeniedError) as err:
            services.view_checkup_record(
                company=company, actor=member.user, membership=member, checkup=checkup
            )
        assert "権限がありません" in err.value.message
        assert state() == before


def test_every_view_of_a_result_is_recorded(company, granted, checkup):
    record(company, granted, checkup)
    checkup.refresh_from_db()
    seen = services.view_checkup_record(
        company=company, actor=granted.user, membership=granted, checkup=checkup
    )
    services.view_checkup_record(company=company, actor=granted.user, membership=granted, checkup=checkup)
    assert seen.result == SECRET
    views = AuditEvent.objects.filter(action="health.viewed", object_id=str(checkup.pk))
    assert views.count() == 2
    assert {v.actor_id for v in views} == {granted.user_id}


def test_an_examination_date_in_the_future_is_refused(company, granted, checkup):
    before = state()
    with pytest.raises(ServiceError) as err:
        record(company, granted, checkup, examined_on=timezone.localdate() + timedelta(days=1))
    assert "examined_on" in err.value.field_errors
    assert state() == before


def test_without_findings_no_opinion_is_due_and_none_can_be_recorded(company, granted, checkup):
    done = record(company, granted, checkup, has_findings=False, doctor_instructed=False)
    assert done.opinion_due_on is None
    with pytest.raises(ServiceError):
        services.record_doctor_opinion(
            company=company,
            actor=granted.user,
            membership=granted,
            checkup=done,
            opinion_on=timezone.localdate(),
            opinion="就業可",
        )


def test_the_doctors_opinion_and_measures_are_encrypted(company, granted, checkup):
    done = record(company, granted, checkup)
    with pytest.raises(ServiceError) as err:
        services.record_doctor_opinion(
            company=company,
            actor=granted.user,
            membership=granted,
            checkup=done,
            opinion_on=done.examined_on - timedelta(days=1),
            opinion="x",
        )
    assert "opinion_on" in err.value.field_errors
    services.record_doctor_opinion(
        company=company,
        actor=granted.user,
        membership=granted,
        checkup=done,
        opinion_on=timezone.localdate(),
        opinion="通常勤務可。3か月後に再検査",
        measures="深夜業の回数を減らす",
    )
    done.refresh_from_db()
    assert "深夜業" not in done.measures_encrypted and done.opinion_on == timezone.localdate()
    seen = services.view_checkup_record(company=company, actor=granted.user, membership=granted, checkup=done)
    assert (seen.opinion, seen.measures) == ("通常勤務可。3か月後に再検査", "深夜業の回数を減らす")


def test_exempt_needs_a_reason_and_closed_checkups_cannot_be_booked(company, hr, checkup):
    with pytest.raises(ServiceError) as err:
        services.close_checkup(
            company=company, actor=hr.user, membership=hr, checkup=checkup, status="exempt"
        )
    assert "note" in err.value.field_errors
    services.close_checkup(
        company=company,
        actor=hr.user,
        membership=hr,
        checkup=checkup,
        status="exempt",
        note="3か月以内の健診結果を提出",
    )
    with pytest.raises(ServiceError):
        services.book_checkup(
            company=company,
            actor=hr.user,
            membership=hr,
            checkup=checkup,
            clinic="A",
            booked_for=date(2026, 7, 1),
        )


def test_result_notice_date_after_the_exam(company, granted, hr, checkup):
    done = record(company, granted, checkup)
    with pytest.raises(ServiceError):
        services.mark_result_notified(
            company=company,
            actor=hr.user,
            membership=hr,
            checkup=done,
            notified_on=done.examined_on - timedelta(days=1),
        )
    services.mark_result_notified(
        company=company, actor=hr.user, membership=hr, checkup=done, notified_on=done.examined_on
    )
    done.refresh_from_db()
    assert done.result_notified_on == done.examined_on
