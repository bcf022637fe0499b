"""休暇申請: day counting on the work rule, half days and hours, every refusal writing nothing,
approval by route (所属長 → 人事) confirming the held days, rejection / withdrawal / 差し戻し /
取り消し releasing them, 計画的付与 (all or nothing, only the days beyond 5 of a grant), and the
marks for the team-day and 出勤簿 screens."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.approvals.models import ApprovalRequest
from ennoshita.attendance import leave_selectors, paid_leave_selectors
from ennoshita.attendance.models import LeaveRequest, LeaveTaking, LeaveType, MonthClose
from ennoshita.attendance.services import leave as leave_services
from ennoshita.attendance.services import leave_grants
from ennoshita.core.audit import verify_company_chain
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import services as people_services

from ..conftest import make_department, make_employee, make_member

LeaveInput = leave_services.LeaveInput
GRANTED = date(2026, 4, 1)
TODAY = date(2026, 12, 4)


class World:
    pass


def _person(company, hr, dept, username, number, roles, family, given):
    m = make_member(company, username, roles, last_name=family, first_name=given)
    e = make_employee(
        company,
        hr,
        dept,
        number=number,
        family_name=family,
        given_name=given,
        family_name_kana="テスト",
        given_name_kana="テスト",
        user=m.user,
    )
    return m, e


def grant(w, employee, days, granted_on=GRANTED):
    return leave_grants.add_grant(
        company=w.company,
        actor=w.hr.user,
        membership=w.hr,
        employee_id=employee.pk,
        granted_on=granted_on,
        days=Decimal(days),
        note="テストの付与",
    )


def set_hourly(w, days=5):
    leave_grants.update_policy(
        company=w.company,
        actor=w.hr.user,
        membership=w.hr,
        data=leave_grants.PolicyInput(
            uses_reference_date=False,
            reference_month=4,
            reference_day=1,
            first_grant_months=6,
            hourly_days_per_year=days,
            warn_five_days_before_months=3,
        ),
    )


@pytest.fixture
def w(company, hr, department):
    """総務部 (head: 部長) with 社員 次郎 and 同僚 三郎; 営業部 with 営業 四郎; 人事 花子 (no record)."""
    o = World()
    o.company, o.hr, o.dept = company, hr, department
    o.manager, o.manager_e = _person(company, hr, department, "bucho", "M001", ["manager"], "部長", "一郎")
    o.emp, o.emp_e = _person(company, hr, department, "jiro", "E001", ["employee"], "社員", "次郎")
    o.peer, o.peer_e = _person(company, hr, department, "saburo", "E002", ["employee"], "同僚", "三郎")
    o.sales = make_department(company, hr, code="200", name="営業部")
    o.other, o.other_e = _person(company, hr, o.sales, "shiro", "E003", ["employee"], "営業", "四郎")
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=department, head=o.manager_e
    )
    o.types = {t.code: t for t in leave_services.ensure_leave_types(company=company)}
    o.annual = o.types["annual"]
    grant(o, o.emp_e, 10)
    return o


def ask(w, who=None, **kw):
    """A request by ``who`` (the employee by default) of 年休 unless ``leave_type_id`` is given."""
    who = who or w.emp
    employee_id = kw.pop("employee_id", None)
    data = LeaveInput(**{"leave_type_id": w.annual.pk, "unit": "full", **kw})
    return leave_services.request_leave(
        company=w.company, actor=who.user, membership=who, data=data, employee_id=employee_id
    )


def balance(w, employee=None):
    b = paid_leave_selectors.leave_balance(
        company=w.company, employee_id=(employee or w.emp_e).pk, as_of=date(2027, 1, 4)
    )
    return b.remaining_days, b.remaining_hours


def counts(company):
    return (
        LeaveRequest.objects.for_company(company).count(),
        LeaveTaking.objects.for_company(company).count(),
        ApprovalRequest.objects.for_company(company).count(),
    )


def approval_of(w, leave):
    return approval_selectors.request_for(
        company=w.company, request_type="attendance.leave", object_id=leave.pk
    )


def decide(w, who, leave, action="approve", **kw):
    fn = getattr(approval_services, action)
    return fn(company=w.company, actor=who.user, membership=who, request=approval_of(w, leave), **kw)


# ------------------------------------------------------------------------------ counting days
def test_full_days_count_only_scheduled_workdays(w):
    # 2027-01-08 Fri, 09 Sat, 10 Sun, 11 Mon 成人の日, 12 Tue: two workdays
    leave = ask(w, start_date=date(2027, 1, 8), end_date=date(2027, 1, 12), reason="帰省")
    assert leave.days == Decimal(2)
    assert leave.state == "pending"
    takings = LeaveTaking.objects.for_company(w.company).filter(request=leave).order_by("date")
    assert [(t.date, t.days, t.approved) for t in takings] == [
        (date(2027, 1, 8), Decimal(1), False),
        (date(2027, 1, 12), Decimal(1), False),
    ]
    assert balance(w) == (Decimal(8), Decimal(0))  # held from submission
    approval = approval_of(w, leave)
    assert approval.status == "pending" and approval.applicant_id == w.emp.user.pk
    assert leave_services.describe(leave) == "年次有給休暇 2027-01-08〜2027-01-12(2日)"


def test_half_days_morning_and_afternoon_of_one_day_coexist(w):
    am = ask(w, unit="am", start_date=date(2027, 1, 6))
    pm = ask(w, unit="pm", start_date=date(2027, 1, 6))
    assert (am.days, pm.days) == (Decimal("0.5"), Decimal("0.5"))
    assert am.end_date == am.start_date
    assert balance(w) == (Decimal(9), Decimal(0))
    before = counts(w.company)
    with pytest.raises(ServiceError) as exc:
        ask(w, unit="am", start_date=date(2027, 1, 6))
    assert exc.value.code == "overlap"
    assert "2027-01-06" in exc.value.message
    with pytest.raises(ServiceError):
        ask(w, start_date=date(2027, 1, 5), end_date=date(2027, 1, 7))  # a full day over them
    assert counts(w.company) == before


def test_hours_inside_the_day_in_whole_hours(w):
    set_hourly(w)
    w.annual.allow_hourly = True
    w.annual.save()
    leave = ask(w, unit="hours", start_date=date(2027, 1, 6), start_time=time(10), end_time=time(12))
    assert (leave.days, leave.hours) == (Decimal(0), 2)
    taking = LeaveTaking.objects.for_company(w.company).get(request=leave)
    assert (taking.days, taking.hours) == (Decimal(0), 2)
    assert balance(w) == (Decimal(9), Decimal(6))  # 8 hours a day (9:00–18:00, 60 minutes' break)
    later = ask(w, unit="hours", start_date=date(2027, 1, 6), start_time=time(13), end_time=time(15))
    assert later.hours == 2
    before = counts(w.company)
    for start, end, field in (
        (time(11), time(14), "start_date"),  # overlaps both
        (time(10, 30), time(12), "end_time"),  # not whole hours
        (time(8), time(10), "start_time"),  # before 始業
        (time(9), time(18), "end_time"),  # a whole day: ask for a full day
        (time(15), time(14), "end_time"),  # end before start
    ):
        with pytest.raises(ServiceError) as exc:
            ask(w, unit="hours", start_date=date(2027, 1, 6), start_time=start, end_time=end)
        assert field in exc.value.field_errors, (start, end, exc.value.field_errors)
    with pytest.raises(ServiceError) as exc:
        ask(w, unit="am", start_date=date(2027, 1, 6))  # a half day on a day with hours
    assert exc.value.code == "overlap"
    assert counts(w.company) == before


def test_hourly_leave_over_the_agreed_days_is_refused(w):
    set_hourly(w, days=1)  # 8 hours a year
    w.annual.allow_hourly = True
    w.annual.save()
    ask(w, unit="hours", start_date=date(2027, 1, 6), start_time=time(9), end_time=time(15))
    before = counts(w.company)
    with pytest.raises(ServiceError) as exc:
        ask(w, unit="hours", start_date=date(2027, 1, 7), start_time=time(9), end_time=time(12))
    assert exc.value.code == "hourly_cap"
    assert counts(w.company) == before


# ------------------------------------------------------------------------------ refusals
def _close_november(w, employee):
    MonthClose.objects.create(
        company=w.company,
        employee=employee,
        month=date(2026, 11, 1),
        locked_at=timezone.now(),
        locked_by=w.hr.user,
    )


REFUSALS = {
    "end_before_start": ({"start_date": date(2027, 1, 8), "end_date": date(2027, 1, 7)}, "end_date"),
    "no_workday": ({"start_date": date(2027, 1, 9), "end_date": date(2027, 1, 11)}, "end_date"),
    "holiday_alone": ({"start_date": date(2027, 1, 1)}, "start_date"),
    "beyond_balance": ({"start_date": date(2027, 1, 6), "end_date": date(2027, 1, 20)}, "days"),
    "half_not_allowed": ({"type": "special", "unit": "am", "start_date": date(2027, 1, 6)}, "unit"),
    "hours_not_allowed": (
        {
            "type": "special",
            "unit": "hours",
            "start_date": date(2027, 1, 6),
            "start_time": time(9),
            "end_time": time(11),
        },
        "unit",
    ),
    "hours_without_agreement": (
        {"unit": "hours", "start_date": date(2027, 1, 6), "start_time": time(9), "end_time": time(11)},
        "unit",
    ),
    "inactive_type": ({"type": "inactive", "start_date": date(2027, 1, 6)}, "leave_type"),
    "closed_month": ({"start_date": date(2026, 11, 30), "end_date": date(2026, 12, 1)}, "start_date"),
    "overlap": ({"start_date": date(2027, 1, 5)}, "start_date"),
    "before_hire": ({"start_date": date(2019, 4, 1)}, "start_date"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_writes_nothing(w, case):
    ask(w, start_date=date(2027, 1, 5))  # the one the overlap case meets
    w.types["compensatory"].is_active = False
    w.types["compensatory"].save()
    w.types["inactive"] = w.types["compensatory"]
    _close_november(w, w.emp_e)
    kwargs, field = REFUSALS[case]
    kwargs = dict(kwargs)
    code = kwargs.pop("type", None)
    if code:
        kwargs["leave_type_id"] = w.types[code].pk
    before = counts(w.company)
    events = AuditEvent.objects.filter(company=w.company).count()
    with pytest.raises(ServiceError) as exc:
        ask(w, **kwargs)
    assert field in exc.value.field_errors, exc.value.field_errors
    assert exc.value.message  # a Japanese sentence, not a code
    assert counts(w.company) == before
    assert AuditEvent.objects.filter(company=w.company).count() == events
    assert balance(w) == (Decimal(9), Decimal(0))


def test_no_approver_on_the_route_refuses_and_writes_nothing(w):
    # 営業部 has no head: the 所属長 step finds nobody
    grant(w, w.other_e, 10)
    before = counts(w.company)
    with pytest.raises(ServiceError) as exc:
        ask(w, who=w.other, start_date=date(2027, 1, 6))
    assert exc.value.code == "no_approver"
    assert counts(w.company) == before


def test_a_colleague_cannot_request_for_someone_else(w):
    before = counts(w.company)
    with pytest.raises(PermissionDeniedError):
        ask(w, who=w.peer, employee_id=w.emp_e.pk, start_date=date(2027, 1, 6))
    assert counts(w.company) == before


def test_hr_requests_on_behalf_and_another_company_is_not_found(w, outsider):
    leave = ask(w, who=w.hr, employee_id=w.emp_e.pk, start_date=date(2027, 1, 6), reason="代理")
    assert leave.employee_id == w.emp_e.pk and leave.requested_by_id == w.hr.user.pk
    with pytest.raises(NotFound):
        leave_services.request_leave(
            company=outsider.company,
            actor=outsider.user,
            membership=outsider,
            data=LeaveInput(leave_type_id=w.annual.pk, unit="full", start_date=date(2027, 1, 6)),
            employee_id=w.emp_e.pk,
        )
    with pytest.raises(NotFound):
        leave_selectors.get_leave_request(company=outsider.company, membership=outsider, request_id=leave.pk)
    with pytest.raises(NotFound):
        leave_services.cancel_leave_request(
            company=outsider.company,
            actor=outsider.user,
            membership=outsider,
            request_id=leave.pk,
            reason="x",
        )


# ------------------------------------------------------------------------------ approval
def test_manager_then_hr_approve_and_the_days_are_taken(w):
    leave = ask(w, start_date=date(2027, 1, 6), end_date=date(2027, 1, 7))
    with pytest.raises(PermissionDeniedError):
        decide(w, w.peer, leave)  # not an approver
    with pytest.raises(PermissionDeniedError):
        decide(w, w.hr, leave)  # 人事 is the second step
    decide(w, w.manager, leave)
    leave.refresh_from_db()
    assert leave.state == "pending"
    decide(w, w.hr, leave)
    leave.refresh_from_db()
    assert leave.state == "approved" and leave.decided_at is not None
    assert list(
        LeaveTaking.objects.for_company(w.company).filter(request=leave).values_list("approved", flat=True)
    ) == [True, True]
    assert balance(w) == (Decimal(8), Decimal(0))
    b = paid_leave_selectors.leave_balance(company=w.company, employee_id=w.emp_e.pk, as_of=date(2027, 1, 4))
    assert b.pending_days == 0
    actions = AuditEvent.objects.filter(
        company=w.company, object_type="attendance.leaverequest", object_id=str(leave.pk)
    ).values_list("action", flat=True)
    assert list(actions.order_by("seq")) == ["create", "approve"]
    assert verify_company_chain(w.company.pk) is None


def test_rejection_releases_the_days(w):
    leave = ask(w, start_date=date(2027, 1, 6), end_date=date(2027, 1, 8))
    assert balance(w) == (Decimal(7), Decimal(0))
    decide(w, w.manager, leave, action="reject", reason="繁忙期のため")
    leave.refresh_from_db()
    assert leave.state == "rejected"
    assert not LeaveTaking.objects.for_company(w.company).filter(request=leave).exists()
    assert balance(w) == (Decimal(10), Decimal(0))
    # the days are free again: the same dates may be asked anew
    assert ask(w, start_date=date(2027, 1, 6)).state == "pending"


def test_withdrawal_by_the_applicant_releases_the_days(w):
    leave = ask(w, start_date=date(2027, 1, 6))
    decide(w, w.emp, leave, action="withdraw")
    leave.refresh_from_db()
    assert leave.state == "withdrawn"
    assert balance(w) == (Decimal(10), Decimal(0))


def test_returned_keeps_the_days_and_resubmission_may_change_them(w):
    leave = ask(w, start_date=date(2027, 1, 6))
    decide(w, w.manager, leave, action="send_back", reason="日付を確認してください")
    leave.refresh_from_db()
    assert leave.state == "returned"
    assert balance(w) == (Decimal(9), Decimal(0))  # still held
    with pytest.raises(ServiceError):
        ask(w, start_date=date(2027, 1, 6))  # still blocks the day
    with pytest.raises(PermissionDeniedError):
        leave_services.resubmit_leave_request(
            company=w.company, actor=w.peer.user, membership=w.peer, request_id=leave.pk
        )
    leave_services.resubmit_leave_request(
        company=w.company,
        actor=w.emp.user,
        membership=w.emp,
        request_id=leave.pk,
        data=LeaveInput(
            leave_type_id=w.annual.pk, unit="full", start_date=date(2027, 1, 7), end_date=date(2027, 1, 8)
        ),
    )
    leave.refresh_from_db()
    assert (leave.state, leave.start_date, leave.days) == ("pending", date(2027, 1, 7), Decimal(2))
    dates = set(
        LeaveTaking.objects.for_company(w.company).filter(request=leave).values_list("date", flat=True)
    )
    assert dates == {date(2027, 1, 7), date(2027, 1, 8)}
    assert balance(w) == (Decimal(8), Decimal(0))
    assert approval_of(w, leave).round == 2
    decide(w, w.manager, leave)
    decide(w, w.hr, leave)
    leave.refresh_from_db()
    assert leave.state == "approved"


def test_approval_into_a_month_closed_meanwhile_is_refused(w):
    leave = ask(w, start_date=date(2026, 11, 30))
    decide(w, w.manager, leave)
    _close_november(w, w.emp_e)
    with pytest.raises(ServiceError) as exc:
        decide(w, w.hr, leave)
    assert exc.value.code == "month_closed"
    leave.refresh_from_db()
    assert leave.state == "pending"
    assert approval_of(w, leave).status == "pending"


# ------------------------------------------------------------------------------ cancellation
def cancel(w, who, leave, reason="予定が変わったため", today=TODAY):
    return leave_services.cancel_leave_request(
        company=w.company, actor=who.user, membership=who, request_id=leave.pk, reason=reason, today=today
    )


def test_employee_cancels_a_pending_request_before_its_first_day(w):
    leave = ask(w, start_date=date(2027, 1, 6), end_date=date(2027, 1, 7))
    with pytest.raises(ServiceError) as exc:
        cancel(w, w.emp, leave, reason="  ")
    assert "reason" in exc.value.field_errors
    cancel(w, w.emp, leave)
    leave.refresh_from_db()
    assert (leave.state, leave.cancel_reason) == ("cancelled", "予定が変わったため")
    assert leave.cancelled_at is not None
    assert balance(w) == (Decimal(10), Decimal(0))
    assert approval_of(w, leave).status == "withdrawn"  # out of the approvers' list
    assert AuditEvent.objects.filter(company=w.company, action="cancel", object_id=str(leave.pk)).exists()
    with pytest.raises(ServiceError):
        cancel(w, w.emp, leave)  # already cancelled


def test_employee_cannot_cancel_from_the_first_day_but_hr_can(w):
    leave = ask(w, start_date=date(2027, 1, 6))
    decide(w, w.manager, leave)
    decide(w, w.hr, leave)
    with pytest.raises(PermissionDeniedError):
        cancel(w, w.emp, leave, today=date(2027, 1, 6))
    with pytest.raises(NotFound):
        cancel(w, w.peer, leave)  # a colleague does not even see it
    assert balance(w) == (Decimal(9), Decimal(0))
    cancel(w, w.hr, leave, today=date(2027, 1, 7))
    leave.refresh_from_db()
    assert leave.state == "cancelled"
    assert balance(w) == (Decimal(10), Decimal(0))


def test_hr_cancelling_someone_elses_pending_request_closes_its_approval(w):
    leave = ask(w, start_date=date(2027, 1, 6))
    cancel(w, w.hr, leave)
    assert balance(w) == (Decimal(10), Decimal(0))
    approval = approval_of(w, leave)
    assert approval.status == "withdrawn"  # out of the approvers' lists
    action = approval.actions.get(action="withdraw")
    assert action.actor == w.hr.user and "予定が変わったため" in action.comment
    with pytest.raises((approval_services.AlreadyDecided, PermissionDeniedError)):
        decide(w, w.manager, leave)
    leave.refresh_from_db()
    assert leave.state == "cancelled"
    assert not LeaveTaking.objects.for_company(w.company).filter(request=leave).exists()


def test_no_cancellation_in_a_closed_month(w):
    leave = ask(w, start_date=date(2026, 11, 30))
    decide(w, w.manager, leave)
    decide(w, w.hr, leave)
    _close_november(w, w.emp_e)
    with pytest.raises(ServiceError) as exc:
        cancel(w, w.hr, leave)
    assert exc.value.code == "month_closed"
    leave.refresh_from_db()
    assert leave.state == "approved"
    assert LeaveTaking.objects.for_company(w.company).filter(request=leave, approved=True).count() == 1


# ------------------------------------------------------------------------------ 計画的付与
def plan(w, day, **kw):
    return leave_services.plan_annual_leave(
        company=w.company, actor=w.hr.user, membership=w.hr, day=day, **kw
    )


def test_planned_leave_is_approved_at_once_without_a_route(w):
    grant(w, w.peer_e, 12)
    created = plan(w, date(2027, 1, 6), employee_ids=[w.emp_e.pk, w.peer_e.pk], reason="年末年始の一斉休暇")
    assert [(r.employee_id, r.state, r.planned, r.days) for r in created] == [
        (w.emp_e.pk, "approved", True, Decimal(1)),
        (w.peer_e.pk, "approved", True, Decimal(1)),
    ]
    assert not ApprovalRequest.objects.for_company(w.company).exists()
    assert LeaveTaking.objects.for_company(w.company).filter(request__in=created, approved=True).count() == 2
    assert balance(w) == (Decimal(9), Decimal(0))
    assert AuditEvent.objects.filter(company=w.company, action="plan").count() == 2


def test_planned_leave_for_a_department_is_all_or_nothing(w):
    # 総務部: 部長 (no grant), 社員 (10 days), 同僚 (no grant) — two cannot take it
    before = counts(w.company)
    with pytest.raises(ServiceError) as exc:
        plan(w, date(2027, 1, 6), department_id=w.dept.pk)
    assert exc.value.code == "plan_refused"
    assert "部長 一郎" in exc.value.message and "同僚 三郎" in exc.value.message
    assert "社員 次郎" not in exc.value.message
    assert counts(w.company) == before
    assert balance(w) == (Decimal(10), Decimal(0))


def test_only_the_days_beyond_five_of_a_grant_may_be_planned(w):
    for day in (4, 5, 6, 7, 8):  # 10 − 5 = 5 planned days at most
        plan(w, date(2027, 1, day), employee_ids=[w.emp_e.pk])
    before = counts(w.company)
    with pytest.raises(ServiceError) as exc:
        plan(w, date(2027, 1, 12), employee_ids=[w.emp_e.pk])
    assert "5日を超える部分" in exc.value.message
    assert counts(w.company) == before
    # the employee's own request still may use the rest
    assert ask(w, start_date=date(2027, 1, 12)).state == "pending"


def test_only_hr_plans(w):
    with pytest.raises(PermissionDeniedError):
        leave_services.plan_annual_leave(
            company=w.company,
            actor=w.manager.user,
            membership=w.manager,
            day=date(2027, 1, 6),
            employee_ids=[w.emp_e.pk],
        )


# ------------------------------------------------------------------------------ marks and lists
def test_marks_for_the_team_day_and_the_timesheet(w):
    set_hourly(w)
    w.annual.allow_hourly = True
    w.annual.save()
    full = ask(w, start_date=date(2027, 1, 8), end_date=date(2027, 1, 12))
    decide(w, w.manager, full)
    decide(w, w.hr, full)
    ask(w, unit="am", start_date=date(2027, 1, 13))
    ask(w, unit="hours", start_date=date(2027, 1, 14), start_time=time(16), end_time=time(18))
    on_day = leave_selectors.leave_on_day(
        company=w.company, day=date(2027, 1, 8), employee_ids=[w.emp_e.pk, w.peer_e.pk]
    )
    assert list(on_day) == [w.emp_e.pk]
    mark = on_day[w.emp_e.pk]
    assert (mark.type_name, mark.unit, mark.approved, mark.paid, mark.days) == (
        "年次有給休暇",
        "full",
        True,
        True,
        1,
    )
    assert mark.label == "年次有給休暇"
    days = leave_selectors.leave_days(
        company=w.company, employee_id=w.emp_e.pk, start=date(2027, 1, 1), end=date(2027, 1, 31)
    )
    assert sorted(days) == [date(2027, 1, 8), date(2027, 1, 12), date(2027, 1, 13), date(2027, 1, 14)]
    assert days[date(2027, 1, 13)][0].label == "年次有給休暇(午前半休)(申請中)"
    assert days[date(2027, 1, 14)][0].label == "年次有給休暇 16:00〜18:00(申請中)"
    assert days[date(2027, 1, 14)][0].hours == 2


def test_who_sees_which_requests(w):
    mine = ask(w, start_date=date(2027, 1, 6))
    grant(w, w.other_e, 10)
    people_services.update_department(
        company=w.company, actor=w.hr.user, membership=w.hr, department=w.sales, head=w.manager_e
    )
    theirs = ask(w, who=w.other, start_date=date(2027, 1, 6))

    def visible(m):
        return set(
            leave_selectors.leave_request_list(company=w.company, membership=m).values_list("pk", flat=True)
        )

    assert visible(w.hr) == {mine.pk, theirs.pk}
    assert visible(w.manager) == {mine.pk, theirs.pk}  # heads both departments now
    assert visible(w.emp) == {mine.pk}
    assert visible(w.peer) == set()
    with pytest.raises(NotFound):
        leave_selectors.get_leave_request(company=w.company, membership=w.peer, request_id=mine.pk)
    f = leave_selectors.ListFilters(q="四郎")
    assert [
        r.pk for r in leave_selectors.leave_request_list(company=w.company, membership=w.hr, filters=f)
    ] == [theirs.pk]
    f = leave_selectors.ListFilters(department_id=w.sales.pk, month=date(2027, 1, 1), state="pending")
    assert [
        r.pk for r in leave_selectors.leave_request_list(company=w.company, membership=w.hr, filters=f)
    ] == [theirs.pk]
    f = leave_selectors.ListFilters(month=date(2027, 2, 1))
    assert not leave_selectors.leave_request_list(company=w.company, membership=w.hr, filters=f).exists()


def test_two_requests_cannot_spend_the_same_balance(w):
    leave = ask(w, start_date=date(2027, 1, 4), end_date=date(2027, 1, 18))  # 11 成人の日: 10 workdays
    assert leave.days == 10
    assert balance(w) == (Decimal(0), Decimal(0))
    with pytest.raises(ServiceError) as exc:
        ask(w, start_date=date(2027, 1, 19))
    assert exc.value.code == "insufficient_balance"
    # types without a balance still go through
    special = ask(w, leave_type_id=w.types["special"].pk, start_date=date(2027, 1, 19))
    taking = LeaveTaking.objects.for_company(w.company).get(request=special)
    assert taking.grant_id is None and taking.days == 1
    assert LeaveType.objects.for_company(w.company).get(pk=special.leave_type_id).paid


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), length=st.integers(0, 40))
def test_a_ranges_days_are_exactly_its_workdays(w, start, length):
    """Property: a 全日 range holds one day for each Monday–Friday that is not a 祝日, nothing else."""
    from ennoshita.core.dates import is_holiday

    end = start + timedelta(days=length)
    expected = [
        start + timedelta(days=i)
        for i in range(length + 1)
        if (start + timedelta(days=i)).weekday() < 5 and not is_holiday(start + timedelta(days=i))
    ]
    data = LeaveInput(leave_type_id=w.annual.pk, unit="full", start_date=start, end_date=end)
    if not expected:
        with pytest.raises(ServiceError):
            leave_services._check_input(w.company, w.emp_e, data)
        return
    checked = leave_services._check_input(w.company, w.emp_e, data)
    assert [p.date for p in checked.parts] == expected
    assert checked.days == len(expected) == sum(p.days for p in checked.parts)
