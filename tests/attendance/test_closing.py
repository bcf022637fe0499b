# ruff: noqa: F811 (the shared ``org`` fixture is imported from test_corrections)
"""勤怠締め: the employee confirms the month, 人事 locks it (also without the confirmation, which is
recorded), a locked month refuses punches, imports, correction requests and their approval, and
only 人事 reopens it, with a reason. Every step is a MonthCloseEvent and an audit event."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ennoshita.attendance import closing_selectors, services
from ennoshita.attendance.models import MonthClose, MonthCloseEvent, Punch, PunchCorrection
from ennoshita.attendance.services import closing as closing_services
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent

from ..conftest import make_department, make_employee, make_member
from .test_corrections import FIXED, TUE, approval_of, approve, org, press, submit, work  # noqa: F401

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
NOV = date(2026, 11, 1)
DEC_TODAY = date(2026, 12, 4)


def step(name, member, employee, month=NOV, **kw):
    fn = getattr(closing_services, name)
    kwargs = {"today": DEC_TODAY} if name in ("confirm_month", "lock_month", "lock_months") else {}
    kwargs.update(kw)
    if name != "lock_months":
        kwargs["employee_id"] = employee.pk
    return fn(company=member.company, actor=member.user, membership=member, month=month, **kwargs)


def written():
    return (MonthClose.objects.count(), MonthCloseEvent.objects.count(), AuditEvent.objects.count())


def state(org, employee, member=None, month=NOV):
    return closing_selectors.month_close_state(
        company=org.company, employee_id=employee.pk, month=month, membership=member, today=DEC_TODAY
    )


def test_confirm_lock_reopen_with_history(org):
    s = state(org, org.emp_e, org.emp)
    assert (s.can_confirm, s.can_unconfirm, s.can_lock, s.can_reopen, s.locked, s.confirmed) == (
        True, False, False, False, False, False,
    )  # fmt: skip
    assert state(org, org.emp_e, org.hr).can_lock and not state(org, org.emp_e, org.hr).can_confirm

    step("confirm_month", org.emp, org.emp_e)
    s = state(org, org.emp_e, org.emp)
    assert s.confirmed and s.confirmed_by == org.emp.user and s.can_unconfirm and not s.can_confirm
    step("unconfirm_month", org.emp, org.emp_e)
    step("confirm_month", org.emp, org.emp_e)
    step("lock_month", org.hr, org.emp_e)
    s = state(org, org.emp_e, org.hr)
    assert s.locked and s.locked_by == org.hr.user and not s.locked_without_confirmation and s.can_reopen
    assert not state(org, org.emp_e, org.emp).can_unconfirm  # locked: the employee cannot take it back
    assert closing_selectors.month_is_locked(
        company=org.company, employee_id=org.emp_e.pk, day=date(2026, 11, 30)
    )
    assert not closing_selectors.month_is_locked(
        company=org.company, employee_id=org.emp_e.pk, day=date(2026, 12, 1)
    )

    step("reopen_month", org.hr, org.emp_e, reason="打刻修正申請を承認するため")
    s = state(org, org.emp_e, org.hr)
    assert not s.locked and not s.confirmed  # the confirmation is asked again after a reopen
    assert [(e.action, e.reason) for e in s.history] == [
        ("confirm", ""), ("unconfirm", ""), ("confirm", ""), ("lock", ""), ("reopen", "打刻修正申請を承認するため"),
    ]  # fmt: skip
    events = AuditEvent.objects.filter(object_type="attendance.monthclose").order_by("seq")
    assert [e.action for e in events] == ["confirm", "unconfirm", "confirm", "lock", "reopen"]
    assert events.last().changes["extra"]["reason"] == "打刻修正申請を承認するため"
    assert events.last().changes["fields"]["locked_at"][1] is None


def test_refusals_write_nothing(org):
    current_month = timezone.localdate().replace(day=1)
    before = written()
    cases = [
        (lambda: step("lock_month", org.emp, org.emp_e), PermissionDeniedError),  # an employee cannot lock
        (lambda: step("lock_month", org.boss, org.emp_e), PermissionDeniedError),  # nor a manager
        (
            lambda: step("confirm_month", org.boss, org.emp_e),
            PermissionDeniedError,
        ),  # only the employee confirms
        (lambda: step("confirm_month", org.emp, org.emp_e, month=current_month, today=None), ServiceError),
        (lambda: step("reopen_month", org.hr, org.emp_e, reason="x"), ServiceError),  # not locked
        (lambda: step("unconfirm_month", org.emp, org.emp_e), ServiceError),  # not confirmed
        (
            lambda: step("confirm_month", org.emp, org.emp_e, month=date(2019, 4, 1)),
            ServiceError,
        ),  # not hired yet
    ]
    for call, error in cases:
        with pytest.raises(error):
            call()
    assert written() == before
    step("lock_month", org.hr, org.emp_e)
    before = written()
    for reason in ("", "   "):
        with pytest.raises(ServiceError) as info:
            step("reopen_month", org.hr, org.emp_e, reason=reason)
        assert "理由" in info.value.field_errors["reason"][0]
    with pytest.raises(PermissionDeniedError):
        step("reopen_month", org.boss, org.emp_e, reason="お願い")
    with pytest.raises(ServiceError) as info:
        step("confirm_month", org.emp, org.emp_e)  # locked: too late
    assert info.value.code == "month_closed"
    with pytest.raises(ServiceError):
        step("lock_month", org.hr, org.emp_e)  # already locked
    assert written() == before


def test_lock_without_confirmation_is_recorded(org):
    step("lock_month", org.hr, org.emp_e, reason="退職者のため")
    s = state(org, org.emp_e, org.hr)
    assert s.locked and s.locked_without_confirmation
    event = MonthCloseEvent.objects.get(action="lock")
    assert event.without_confirmation and event.reason == "退職者のため"
    assert AuditEvent.objects.get(action="lock").changes["extra"]["without_confirmation"] is True


def test_bulk_lock_confirmed_only_then_everyone(org):
    step("confirm_month", org.emp, org.emp_e)
    result = step("lock_months", org.hr, None, include_unconfirmed=False)
    assert (result.locked, result.without_confirmation, result.already_locked) == (1, 0, 0)
    locked = set(MonthClose.objects.filter(locked_at__isnull=False).values_list("employee_id", flat=True))
    assert locked == {org.emp_e.pk}
    result = step("lock_months", org.hr, None, include_unconfirmed=True)
    everyone = {org.emp_e.pk, org.peer_e.pk, org.other_e.pk, org.boss_e.pk, org.gm_e.pk, org.ceo_e.pk}
    assert (result.locked, result.without_confirmation, result.already_locked) == (5, 5, 1)
    assert (
        set(MonthClose.objects.filter(locked_at__isnull=False).values_list("employee_id", flat=True))
        == everyone
    )
    with pytest.raises(PermissionDeniedError):
        step("lock_months", org.emp, None, include_unconfirmed=True)


# --- a locked month refuses every write ------------------------------------------------------------


def test_locked_month_refuses_punches_by_work_date(org):
    press(org.emp, "in", datetime(2026, 11, 30, 22, 0, tzinfo=JST))  # a night shift of 11/30
    step("lock_month", org.hr, org.emp_e)
    count = Punch.objects.count()
    with pytest.raises(ServiceError) as info:
        press(org.emp, "out", datetime(2026, 12, 1, 5, 0, tzinfo=JST))  # its 退勤 belongs to 11/30
    assert info.value.code == "month_closed" and "2026年11月" in info.value.message
    assert Punch.objects.count() == count
    step("reopen_month", org.hr, org.emp_e, reason="夜勤の退勤を入れるため")
    press(org.emp, "out", datetime(2026, 12, 1, 5, 0, tzinfo=JST))
    assert Punch.objects.count() == count + 1


def test_locked_month_refuses_the_whole_import(org):
    step("lock_month", org.hr, org.peer_e)
    text = (
        "社員番号,勤務日,種類,時刻,メモ\n"
        "E001,2026-12-01,出勤,9:00,\nE001,2026-12-01,退勤,18:00,\n"
        "E002,2026-11-30,出勤,9:00,\nE002,2026-11-30,退勤,18:00,\n"
    )
    before = (Punch.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as info:
        services.import_punches(company=org.company, actor=org.hr.user, membership=org.hr, data=text.encode())
    assert info.value.field_errors["file"] == [
        "E002 2026-11-30: 2026年11月 は勤怠が締められています。人事が締めを解除するまで取り込めません。"
    ]
    assert (Punch.objects.count(), AuditEvent.objects.count()) == before


def test_locked_month_refuses_a_correction_request(org):
    work(org.emp, TUE, start=time(9, 30))
    step("lock_month", org.hr, org.emp_e)
    before = (PunchCorrection.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as info:
        submit(org.emp, FIXED)
    assert info.value.code == "month_closed" and "2026年11月" in info.value.field_errors["work_date"][0]
    assert (PunchCorrection.objects.count(), AuditEvent.objects.count()) == before


def test_a_month_locked_after_the_request_refuses_its_approval(org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.emp, FIXED)
    approve(org.boss, correction)
    step("lock_month", org.hr, org.emp_e)
    punches = list(Punch.objects.order_by("pk").values_list("pk", "voided_at"))
    with pytest.raises(ServiceError) as info:
        approve(org.hr2, correction)
    assert info.value.code == "month_closed"
    assert "2026年11月 は勤怠が締められているため、この打刻修正申請は承認できません" in info.value.message
    correction.refresh_from_db()
    request = approval_of(correction)
    assert (correction.state, request.status, request.current_step) == ("pending", "pending", 2)
    assert list(Punch.objects.order_by("pk").values_list("pk", "voided_at")) == punches
    step("reopen_month", org.hr, org.emp_e, reason="打刻修正のため")
    approve(org.hr2, correction)
    correction.refresh_from_db()
    assert correction.state == "approved"


def test_another_companys_employee_is_not_found(org, other_company):
    stranger_hr = make_member(other_company, "hr-x", ["hr"])
    stranger = make_employee(
        other_company, stranger_hr, make_department(other_company, stranger_hr), number="X1"
    )
    before = written()
    for name in ("lock_month", "confirm_month"):
        with pytest.raises(NotFound):
            step(name, org.hr, stranger)
    with pytest.raises(NotFound):
        step("reopen_month", org.hr, stranger, reason="x")
    assert written() == before
