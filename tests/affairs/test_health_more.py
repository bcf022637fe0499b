"""ストレスチェック (consent only after notice), 長時間労働 (from attendance), reminders, selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ennoshita.affairs.models import Checkup, LongHoursCase, StressCheck
from ennoshita.affairs.selectors import health as selectors
from ennoshita.affairs.services import health as services
from ennoshita.affairs.services import health_more as more
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from tests.conftest import make_employee

TODAY = timezone.localdate()


@pytest.fixture
def granted(company, admin, hr):
    services.grant_health_access(company=company, actor=admin.user, membership=admin, grantee=hr)
    return hr


@pytest.fixture
def check(company, hr, employee_member):
    more.invite_stress_checks(company=company, actor=hr.user, membership=hr, fiscal_year=2026, as_of=TODAY)
    return StressCheck.objects.get()


def taken_and_notified(company, hr, check):
    more.record_stress_participation(
        company=company,
        actor=hr.user,
        membership=hr,
        check=check,
        status="taken",
        taken_on=TODAY - timedelta(days=10),
    )
    more.record_stress_notice(
        company=company, actor=hr.user, membership=hr, check=check, notified_on=TODAY - timedelta(days=5)
    )
    check.refresh_from_db()
    return check


# ------------------------------------------------------------------------------ stress check


def test_invitation_is_idempotent(company, hr, employee_member, check):
    assert (
        more.invite_stress_checks(
            company=company, actor=hr.user, membership=hr, fiscal_year=2026, as_of=TODAY
        )
        == 0
    )
    assert StressCheck.objects.count() == 1


def test_consent_before_the_notice_is_refused_and_nothing_written(company, hr, employee_member, check):
    more.record_stress_participation(
        company=company, actor=hr.user, membership=hr, check=check, status="taken", taken_on=TODAY
    )
    before = (AuditEvent.objects.count(), list(StressCheck.objects.values()))
    with pytest.raises(ServiceError) as err:
        more.record_stress_consent(
            company=company,
            actor=employee_member.user,
            membership=employee_member,
            check=check,
            consent_on=TODAY,
        )
    assert "通知前の同意は無効" in err.value.field_errors["consent_on"][0]
    assert (AuditEvent.objects.count(), list(StressCheck.objects.values())) == before


def test_consent_dated_before_the_notice_is_refused(company, hr, employee_member, check):
    check = taken_and_notified(company, hr, check)
    with pytest.raises(ServiceError) as err:
        more.record_stress_consent(
            company=company,
            actor=employee_member.user,
            membership=employee_member,
            check=check,
            consent_on=TODAY - timedelta(days=6),
        )
    assert "consent_on" in err.value.field_errors


def test_the_database_refuses_consent_before_notice_and_a_result_without_consent(
    company, hr, employee_member, check
):
    with pytest.raises(IntegrityError), transaction.atomic():
        StressCheck.objects.filter(pk=check.pk).update(consent_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        StressCheck.objects.filter(pk=check.pk).update(result_encrypted="token")


def test_the_worker_consents_after_the_notice_then_a_granted_member_stores_and_reads_the_result(
    company, hr, granted, employee_member, check
):
    check = taken_and_notified(company, hr, check)
    with pytest.raises(ServiceError) as err:
        more.store_stress_result(
            company=company, actor=hr.user, membership=hr, check=check, result="高ストレス"
        )
    assert err.value.code == "no_consent"
    more.record_stress_consent(
        company=company, actor=employee_member.user, membership=employee_member, check=check, consent_on=TODAY
    )
    check.refresh_from_db()
    more.store_stress_result(
        company=company, actor=hr.user, membership=hr, check=check, result="高ストレス者に該当"
    )
    check.refresh_from_db()
    assert "高ストレス" not in check.result_encrypted
    assert (
        more.view_stress_result(company=company, actor=hr.user, membership=hr, check=check)
        == "高ストレス者に該当"
    )
    assert AuditEvent.objects.filter(action="health.viewed", object_type="affairs.stresscheck").count() == 1


def test_another_employee_cannot_consent_for_a_colleague(company, hr, department, employee_member, check):
    from tests.conftest import make_member

    check = taken_and_notified(company, hr, check)
    other = make_member(company, "emp9", ["employee"])
    with pytest.raises(PermissionDeniedError):
        more.record_stress_consent(
            company=company, actor=other.user, membership=other, check=check, consent_on=TODAY
        )


def test_the_stress_list_and_counts_show_participation_only(
    company, hr, employee_member, check, django_assert_num_queries
):
    taken_and_notified(company, hr, check)
    counts = selectors.stress_counts(company=company, membership=hr, year=2026)
    assert (counts.invited, counts.taken, counts.notified, counts.consented) == (1, 1, 1, 0)
    with django_assert_num_queries(1):
        rows = list(selectors.stress_list(company=company, membership=hr, year=2026))
    assert rows[0].employee.number == "E001"
    assert "result_encrypted" in rows[0].get_deferred_fields()


# ------------------------------------------------------------------------------ long hours


def test_long_hours_cases_from_the_80_hour_test_and_idempotent(company, hr, department, employee_member):
    a = make_employee(company, hr, department, number="L1")
    b = make_employee(company, hr, department, number="L2")
    month = date(2026, 10, 1)
    figures = [more.MonthExcess(a.pk, 80 * 60 + 1), more.MonthExcess(b.pk, 80 * 60)]
    result = more.build_long_hours_cases(
        company=company, actor=hr.user, membership=hr, month=month, excess=figures
    )
    assert (result.created, result.updated, result.removed) == (1, 0, 0)
    assert list(LongHoursCase.objects.values_list("employee_id", "excess_minutes")) == [(a.pk, 4801)]
    again = more.build_long_hours_cases(
        company=company, actor=hr.user, membership=hr, month=month, excess=figures
    )
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    corrected = [more.MonthExcess(a.pk, 70 * 60)]
    assert (
        more.build_long_hours_cases(
            company=company, actor=hr.user, membership=hr, month=month, excess=corrected
        ).removed
        == 1
    )


def test_long_hours_steps(company, hr, granted, department, employee_member):
    a = make_employee(company, hr, department, number="L1")
    more.build_long_hours_cases(
        company=company,
        actor=hr.user,
        membership=hr,
        month=date(2026, 10, 1),
        excess=[more.MonthExcess(a.pk, 100 * 60)],
    )
    case = LongHoursCase.objects.get()
    with pytest.raises(ServiceError) as err:
        more.record_long_hours_step(
            company=company, actor=hr.user, membership=hr, case=case, notified_on=date(2026, 10, 31)
        )
    assert "notified_on" in err.value.field_errors
    with pytest.raises(ServiceError):
        more.record_long_hours_step(
            company=company, actor=hr.user, membership=hr, case=case, done_on=date(2026, 11, 20)
        )
    more.record_long_hours_step(
        company=company,
        actor=hr.user,
        membership=hr,
        case=case,
        notified_on=date(2026, 11, 5),
        requested_on=date(2026, 11, 10),
        done_on=date(2026, 11, 20),
        opinion="疲労の蓄積あり。時間外を減らすこと。",
    )
    case.refresh_from_db()
    assert case.interview_done_on == date(2026, 11, 20) and "疲労" not in case.opinion_encrypted


def test_the_month_from_real_punches(company, hr, employee_member):
    """13 hours a day on every weekday of November 2026 (no break): far beyond 40 a week."""
    from ennoshita.attendance import services as attendance_services

    lines = ["社員番号,勤務日,種類,時刻,メモ"]
    day = date(2026, 11, 1)
    worked = 0
    while day.month == 11:
        if day.weekday() < 5:
            lines += [f"E001,{day.isoformat()},出勤,8:00,", f"E001,{day.isoformat()},退勤,21:00,"]
            worked += 13 * 60
        day += timedelta(days=1)
    attendance_services.import_punches(
        company=company, actor=hr.user, membership=hr, data="\n".join(lines).encode()
    )
    found = more.month_excess(company=company, month=date(2026, 11, 1))
    employee = employee_member.user.employee_records.get()
    assert found == [more.MonthExcess(employee.pk, worked - 10285)]
    more.build_long_hours_cases(company=company, actor=hr.user, membership=hr, month=date(2026, 11, 1))
    assert LongHoursCase.objects.get().excess_minutes == worked - 10285


# ------------------------------------------------------------------------------ reminders


def test_reminders_once_a_week_per_checkup_and_to_granted_members(
    company, admin, hr, granted, employee_member
):
    employee = employee_member.user.employee_records.get()
    due = Checkup.objects.create(
        company=company,
        employee=employee,
        kind="periodic",
        fiscal_year=2026,
        due_on=TODAY + timedelta(days=10),
    )
    Checkup.objects.create(
        company=company,
        employee=employee,
        kind="specific",
        fiscal_year=2026,
        due_on=TODAY + timedelta(days=40),
    )
    found = Checkup.objects.create(
        company=company,
        employee=employee,
        kind="hiring",
        fiscal_year=2026,
        due_on=TODAY - timedelta(days=30),
        status="done",
        examined_on=TODAY - timedelta(days=80),
        has_findings=True,
        opinion_due_on=TODAY + timedelta(days=10),
    )
    assert more.send_health_reminders(company=company, today=TODAY) == 2
    assert (
        Notification.objects.filter(user=employee_member.user, kind="affairs.health.checkup_due").count() == 1
    )
    assert Notification.objects.filter(user=hr.user, kind="affairs.health.opinion_due").count() == 1
    due.refresh_from_db()
    assert due.last_reminded_on == TODAY
    assert more.send_health_reminders(company=company, today=TODAY) == 0  # the same day: nothing again
    assert (
        more.send_health_reminders(company=company, today=TODAY + timedelta(days=6)) == 1
    )  # only the opinion notice
    assert more.send_health_reminders(company=company, today=TODAY + timedelta(days=7)) == 2
    assert found.pk


def test_the_scheduled_job_is_declared(db):
    from ennoshita.affairs import tasks_health

    assert tasks_health.DAILY_HEALTH_REMINDERS.name == "affairs.health_reminders"
    assert tasks_health.remind_all_companies() == "0 health reminder(s) sent"


# ------------------------------------------------------------------------------ selectors


def test_lists_filters_and_query_counts(company, hr, department, employee_member, django_assert_num_queries):
    for n in range(5):
        make_employee(company, hr, department, number=f"Q{n}", hire_date=date(2019, 4, 1))
    services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=2026)
    qs = selectors.checkup_list(company=company, membership=hr, year=2026)
    with django_assert_num_queries(1):
        rows = [(c.employee.number, c.kind) for c in qs]
    assert len(rows) == 6
    assert selectors.checkup_list(company=company, membership=hr, year=2026, q="Q3").count() == 1
    assert selectors.checkup_list(company=company, membership=hr, year=2025).count() == 0
    overdue = selectors.checkup_list(company=company, membership=hr, overdue=True, today=date(2026, 7, 1))
    assert overdue.count() == 6
    assert (
        selectors.checkup_list(company=company, membership=hr, overdue=True, today=date(2026, 6, 1)).count()
        == 0
    )
    assert selectors.checkup_list(company=company, membership=hr, department_id=department.pk).count() == 6
    with pytest.raises(PermissionDeniedError):
        selectors.checkup_list(company=company, membership=employee_member)


def test_report_figures_and_the_50_worker_note(company, hr, granted, department, employee_member):
    services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=2026)
    c = Checkup.objects.get()
    services.record_checkup_result(
        company=company,
        actor=hr.user,
        membership=hr,
        checkup=c,
        examined_on=min(TODAY, date(2026, 6, 10)),
        has_findings=True,
        doctor_instructed=True,
        result="要精密検査",
    )
    start, end = selectors.fiscal_year_bounds(company, 2026)
    f = selectors.report_figures(company=company, membership=hr, start=start, end=end)
    assert (f.examined, f.with_findings, f.instructed, f.opinions_heard) == (1, 1, 1, 0)
    assert f.workers >= 1 and not f.required
