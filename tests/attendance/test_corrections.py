"""打刻修正申請: a day as it should be, with a reason, through 所属長 → 人事; approval voids the day's
punches (kept for the history) and writes the proposed ones, so that the 出勤簿 recomputes.

Personas: 営業部 (headed by 部長 "boss"), 社員 "emp" and 同僚 "peer" in 営業部, 総務部 with 別部署 "other"
(headed by nobody here but 人事), 人事 "hr". Dates: November 2026 (Tue 10, Wed 11 are workdays;
所定 9:00–18:00 with 60 minutes' break, the default work rule).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.approvals.models import ApprovalRequest
from ennoshita.attendance import correction_selectors, services
from ennoshita.attendance.models import Punch, PunchCorrection, PunchState
from ennoshita.attendance.services import corrections as correction_services
from ennoshita.attendance.timesheet_selectors import build_timesheet
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import services as people_services
from ennoshita.people.models import Employee

from ..conftest import make_department, make_employee, make_member

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
TUE = date(2026, 11, 10)
WED = date(2026, 11, 11)
AFTER = date(2027, 1, 15)
Row = correction_services.CorrectionRow


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, JST)


def press(member, kind: str, moment: datetime) -> None:
    services.record_punch(
        company=member.company,
        actor=member.user,
        membership=member,
        data=services.PunchInput(kind=kind),
        now=moment,
    )


def work(member, day: date, start=time(9), end: time | None = time(18), lunch=True) -> None:
    press(member, "in", at(day, start))
    if lunch:
        press(member, "break_start", at(day, time(12)))
        press(member, "break_end", at(day, time(13)))
    if end is not None:
        press(member, "out", at(day, end))


class Org:
    pass


def _person(company, hr, dept, username, number, roles, family):
    m = make_member(company, username, roles, last_name=family, first_name="一")
    e = make_employee(
        company, hr, dept, number=number, family_name=family, given_name="一", family_name_kana="テスト",
        given_name_kana="イチ", user=m.user,
    )  # fmt: skip
    return m, e


@pytest.fixture
def org(company, hr):
    o = Org()
    o.company, o.hr = company, hr
    o.hq = make_department(company, hr, "001", "本社")
    o.sales = make_department(company, hr, "310", "営業部", parent=o.hq)
    o.general = make_department(company, hr, "100", "総務部", parent=o.hq)
    o.ceo, o.ceo_e = _person(company, hr, o.hq, "ceo", "C001", ["manager"], "社長")
    o.boss, o.boss_e = _person(company, hr, o.sales, "boss", "M001", ["manager"], "部長")
    o.emp, o.emp_e = _person(company, hr, o.sales, "emp", "E001", ["employee"], "社員")
    o.peer, o.peer_e = _person(company, hr, o.sales, "peer", "E002", ["employee"], "同僚")
    o.other, o.other_e = _person(company, hr, o.general, "other", "G001", ["employee"], "総務")
    o.gm, o.gm_e = _person(company, hr, o.general, "gm", "G000", ["manager"], "総務長")
    o.hr2 = make_member(company, "hr2", ["hr"], last_name="人事", first_name="二郎")
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=o.hq, head=o.ceo_e
    )
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=o.sales, head=o.boss_e
    )
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=o.general, head=o.gm_e
    )
    return o


def submit(member, rows, *, day=TUE, employee=None, reason="退勤の打刻を忘れたため"):
    return correction_services.submit_correction(
        company=member.company,
        actor=member.user,
        membership=member,
        employee_id=employee.pk if employee is not None else None,
        work_date=day,
        rows=[Row(k, t) for k, t in rows],
        reason=reason,
    )


def approval_of(correction):
    return approval_selectors.request_for(
        company=correction.company, request_type="attendance.correction", object_id=correction.pk
    )


def approve(member, correction):
    return approval_services.approve(
        company=member.company, actor=member.user, membership=member, request=approval_of(correction)
    )


def approve_all(org, correction):
    approve(org.boss, correction)
    approve(org.hr, correction)
    correction.refresh_from_db()
    return correction


def current(employee, day=TUE):
    return [
        (p.kind, p.at.astimezone(JST).strftime("%d %H:%M"), p.source)
        for p in Punch.objects.filter(employee=employee, work_date=day, voided_at__isnull=True).order_by("at")
    ]


def written():
    return (
        PunchCorrection.objects.count(),
        ApprovalRequest.objects.count(),
        AuditEvent.objects.count(),
        Punch.objects.count(),
    )


FIXED = [("in", "9:00"), ("break_start", "12:00"), ("break_end", "13:00"), ("out", "20:00")]


# --- the whole way -------------------------------------------------------------------------------


def test_approval_changes_the_times_and_the_timesheet_recomputes(org):
    work(org.emp, TUE, start=time(9, 30), end=time(18))  # 遅刻 30 minutes, no overtime
    day = build_timesheet(company=org.company, employee=org.emp_e, month=TUE, today=AFTER).days[9]
    assert (day.late_minutes, day.minutes.worked, day.minutes.overtime) == (30, 450, 0)

    correction = submit(org.emp, FIXED, reason="電車の遅延証明あり。実際は9:00出勤、20:00退勤")
    assert correction.state == "pending" and [p["kind"] for p in correction.before] == [
        "in",
        "break_start",
        "break_end",
        "out",
    ]
    assert (
        approval_of(correction).steps[0]["kind"] == "manager"
        and approval_of(correction).steps[1]["role"] == "hr"
    )
    approve(org.boss, correction)
    correction.refresh_from_db()
    assert correction.state == "pending"  # 人事 decides next; nothing applied yet
    assert current(org.emp_e)[0] == ("in", "10 09:30", "web")

    approve(org.hr, correction)
    correction.refresh_from_db()
    assert correction.state == "approved" and correction.applied_at is not None
    assert current(org.emp_e) == [
        ("in", "10 09:00", "correction"),
        ("break_start", "10 12:00", "correction"),
        ("break_end", "10 13:00", "correction"),
        ("out", "10 20:00", "correction"),
    ]
    day = build_timesheet(company=org.company, employee=org.emp_e, month=TUE, today=AFTER).days[9]
    # 9:00–12:00 + 13:00–20:00 = 600 minutes: 480 所定内, 120 時間外 (over 8 hours, 労基法32条)
    assert (day.late_minutes, day.minutes.worked, day.minutes.scheduled, day.minutes.overtime) == (
        0,
        600,
        480,
        120,
    )

    voided = Punch.objects.filter(employee=org.emp_e, work_date=TUE, voided_at__isnull=False).order_by("at")
    assert [(p.kind, p.voided_by_id, p.source) for p in voided] == [
        ("in", correction.pk, "web"), ("break_start", correction.pk, "web"),
        ("break_end", correction.pk, "web"), ("out", correction.pk, "web"),
    ]  # fmt: skip
    assert set(Punch.objects.filter(correction=correction).values_list("source", flat=True)) == {"correction"}
    event = AuditEvent.objects.filter(object_type="attendance.punchcorrection", action="approve").get()
    assert event.changes["fields"]["state"] == ["pending", "approved"]
    assert [p["kind"] for p in event.changes["fields"]["punches"][1]] == [
        "in",
        "break_start",
        "break_end",
        "out",
    ]


def test_a_forgotten_clock_out_on_the_latest_day_keeps_the_button_honest(org):
    work(org.emp, TUE, end=None)  # 出勤 and lunch, 退勤 forgotten
    state = PunchState.objects.get(employee=org.emp_e)
    assert state.last_kind == "break_end" and state.clock_in_at == at(TUE, time(9))
    correction = submit(
        org.emp, [("in", "9:00"), ("break_start", "12:00"), ("break_end", "13:00"), ("out", "18:30")]
    )
    approve_all(org, correction)
    state.refresh_from_db()
    assert (state.last_kind, state.last_at, state.work_date, state.clock_in_at) == (
        "out",
        at(TUE, time(18, 30)),
        TUE,
        None,
    )
    press(org.emp, "in", at(WED, time(9)))  # the next day starts normally
    assert PunchState.objects.get(employee=org.emp_e).work_date == WED


def test_an_untouched_row_keeps_its_seconds(org):
    press(org.emp, "in", at(TUE, time(9, 0, 40)))
    press(org.emp, "out", at(TUE, time(17, 0, 20)))
    correction = submit(org.emp, [("in", "9:00"), ("out", "18:00")])
    assert correction.proposed[0]["at"] == at(TUE, time(9, 0, 40)).isoformat()
    with pytest.raises(ServiceError) as info:
        submit(org.peer, [("in", "9:00")], day=WED)  # the peer has no punches: open day in the past
    assert info.value.field_errors["rows"]


def test_a_night_shift_past_midnight(org):
    correction = submit(org.emp, [("in", "22:00"), ("out", "29:00")])
    approve_all(org, correction)
    punches = Punch.objects.filter(employee=org.emp_e, work_date=TUE, voided_at__isnull=True).order_by("at")
    assert [p.at for p in punches] == [at(TUE, time(22)), at(WED, time(5))]
    day = build_timesheet(company=org.company, employee=org.emp_e, month=TUE, today=AFTER).days[9]
    assert (day.minutes.worked, day.minutes.night) == (420, 420)  # 22:00–5:00 all 深夜 (労基法37条4項)


def test_an_empty_day_removes_a_mistaken_punch(org):
    press(org.emp, "in", at(TUE, time(9)))
    press(org.emp, "out", at(TUE, time(9, 1)))
    correction = submit(org.emp, [], reason="休日に誤って打刻したため")
    approve_all(org, correction)
    assert current(org.emp_e) == []
    assert Punch.objects.filter(employee=org.emp_e, voided_by=correction).count() == 2
    assert PunchState.objects.get(employee=org.emp_e).last_kind == ""


# --- refusals: nothing written -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "field", "words"),
    [
        ([("in", "18:00"), ("out", "9:00")], "rows", "退勤(9:00)が出勤(18:00)より前"),
        ([("in", "9:00"), ("break_start", "9:00"), ("out", "18:00")], "rows", "重なっています"),
        ([("in", "9:00"), ("break_end", "12:00"), ("out", "18:00")], "rows", "順になっていません"),
        ([("in", "9:00"), ("in", "10:00"), ("out", "18:00")], "rows", "順になっていません"),
        (
            [("in", "9:30"), ("break_start", "12:00"), ("break_end", "13:00"), ("out", "18:00")],
            "rows",
            "今と同じ",
        ),
        ([("in", "9:7x"), ("out", "18:00")], "rows.0.time", "9:05 や 25:30"),
        ([("lunch", "9:00"), ("out", "18:00")], "rows.0.kind", "種類"),
        ([("in", "9:00"), ("out", "48:00")], "rows.1.time", "9:05 や 25:30"),
        ([("in", "9:00"), ("out", "34:00")], "rows", "次の勤務日"),
    ],
)
def test_bad_days_are_refused_and_nothing_is_written(org, rows, field, words):
    work(org.emp, TUE, start=time(9, 30))
    work(org.emp, WED, start=time(9))
    before = written()
    with pytest.raises(ServiceError) as info:
        submit(org.emp, rows)
    assert any(words in m for m in info.value.field_errors[field]), info.value.field_errors
    assert written() == before


def test_overlapping_the_previous_day_is_refused(org):
    press(org.emp, "in", at(TUE, time(22)))
    press(org.emp, "out", at(WED, time(2)))  # the shift belongs to Tuesday
    before = written()
    with pytest.raises(ServiceError) as info:
        submit(org.emp, [("in", "1:00"), ("out", "9:00")], day=WED)
    assert (
        "前の勤務日(2026-11-10)の最後の打刻(11/11 02:00)と重なっています"
        in info.value.field_errors["rows"][0]
    )
    assert written() == before
    assert submit(org.emp, [("in", "9:00"), ("out", "18:00")], day=WED).state == "pending"


def test_other_refusals(org):
    work(org.emp, TUE, start=time(9, 30))
    before = written()
    cases = [
        ({"rows": FIXED, "reason": "  "}, "reason", "理由"),
        ({"rows": FIXED, "day": date(2099, 1, 5)}, "work_date", "まだ来ていない日"),
        ({"rows": FIXED, "day": date(2019, 4, 1)}, "work_date", "在籍していない日"),
    ]
    for kwargs, field, words in cases:
        with pytest.raises(ServiceError) as info:
            submit(org.emp, **kwargs)
        assert any(words in m for m in info.value.field_errors[field]), info.value.field_errors
    assert written() == before


def test_one_open_request_per_day(org):
    work(org.emp, TUE, start=time(9, 30))
    first = submit(org.emp, FIXED)
    before = written()
    with pytest.raises(ServiceError) as info:
        submit(org.hr, FIXED, employee=org.emp_e)
    assert info.value.code == "duplicate" and "既にあります" in info.value.field_errors["work_date"][0]
    assert written() == before
    approval_services.withdraw(
        company=org.company, actor=org.emp.user, membership=org.emp, request=approval_of(first)
    )
    first.refresh_from_db()
    assert first.state == "withdrawn"
    assert submit(org.hr, FIXED, employee=org.emp_e).state == "pending"  # a withdrawn one is not open


def test_a_day_changed_since_the_request_cannot_be_approved(org):
    correction = submit(org.hr, [("in", "9:00"), ("out", "18:00")], employee=org.emp_e, reason="打刻漏れ")
    services.import_punches(
        company=org.company, actor=org.hr.user, membership=org.hr,
        data="社員番号,勤務日,種類,時刻,メモ\nE001,2026-11-10,出勤,8:00,\nE001,2026-11-10,退勤,17:00,\n".encode(),
    )  # fmt: skip
    approve(org.boss, correction)
    request = approval_of(correction)
    with pytest.raises(ServiceError) as info:
        approve(org.hr2, correction)
    assert info.value.code == "stale"
    request.refresh_from_db()
    correction.refresh_from_db()
    assert request.status == "pending" and correction.state == "pending"  # the decision rolled back
    assert [k for k, _t, _s in current(org.emp_e)] == ["in", "out"] and current(org.emp_e)[0][1] == "10 08:00"


# --- return, resubmit, reject ----------------------------------------------------------------------


def test_returned_request_is_edited_and_resubmitted(org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.emp, FIXED)
    approval_services.send_back(
        company=org.company,
        actor=org.boss.user,
        membership=org.boss,
        request=approval_of(correction),
        reason="退勤は19時では?",
    )
    correction.refresh_from_db()
    assert correction.state == "returned"
    rows = [("in", "9:00"), ("break_start", "12:00"), ("break_end", "13:00"), ("out", "19:00")]
    with pytest.raises(PermissionDeniedError):
        correction_services.resubmit_correction(
            company=org.company, actor=org.boss.user, membership=org.boss, correction=correction,
            rows=[Row(*r) for r in rows], reason="x",
        )  # fmt: skip
    correction_services.resubmit_correction(
        company=org.company, actor=org.emp.user, membership=org.emp, correction=correction,
        rows=[Row(*r) for r in rows], reason="19時退勤でした",
    )  # fmt: skip
    correction.refresh_from_db()
    assert (correction.state, correction.reason, approval_of(correction).round) == (
        "pending",
        "19時退勤でした",
        2,
    )
    approve_all(org, correction)
    assert current(org.emp_e)[-1] == ("out", "10 19:00", "correction")


def test_rejected_request_changes_nothing(org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.emp, FIXED)
    approval_services.reject(
        company=org.company,
        actor=org.boss.user,
        membership=org.boss,
        request=approval_of(correction),
        reason="証明がない",
    )
    correction.refresh_from_db()
    assert correction.state == "rejected" and current(org.emp_e)[0] == ("in", "10 09:30", "web")


# --- who may ask -------------------------------------------------------------------------------------


def test_manager_corrects_the_team_not_others(org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.boss, FIXED, employee=org.emp_e)
    # the 所属長 asked: the 所属長 step goes to the head of the department above (本社)
    assert correction.state == "pending" and correction.requested_by == org.boss.user
    assert approval_selectors.open_approver_ids(approval_of(correction)) == {org.ceo.user.pk}
    before = written()
    with pytest.raises(PermissionDeniedError):
        submit(org.boss, [("in", "9:00"), ("out", "18:00")], employee=org.other_e)
    with pytest.raises(PermissionDeniedError):
        submit(org.peer, FIXED, employee=org.emp_e)  # a colleague
    assert written() == before


def test_another_companys_employee_is_not_found(org, other_company):
    from ..conftest import make_member as member

    stranger_hr = member(other_company, "hr-x", ["hr"])
    dept = make_department(other_company, stranger_hr, "900", "よそ")
    stranger = make_employee(other_company, stranger_hr, dept, number="X001")
    before = written()
    with pytest.raises(NotFound):
        submit(org.hr, FIXED, employee=stranger)
    assert written() == before
    assert Employee.objects.filter(pk=stranger.pk).exists()


@given(
    minutes=st.integers(min_value=0, max_value=47 * 60 + 59),
    day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_a_time_on_the_work_day_reads_back_as_written(minutes, day):
    """The form shows each punch as the CSV import writes it (25:30 = 1:30 of the next day) and reads
    it back to the same moment, across midnight and the month's end."""
    label = f"{minutes // 60}:{minutes % 60:02d}"
    moment = services.punches.day_time(day, label)
    assert moment is not None and correction_selectors.day_time_label(day, moment) == label
    assert services.punches.day_time(day, correction_selectors.day_time_label(day, moment)) == moment


def test_open_requests_by_day_for_the_timesheet(org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.emp, FIXED)
    found = correction_selectors.open_corrections_by_day(
        company=org.company, employee_id=org.emp_e.pk, month=TUE
    )
    assert found == {TUE: correction}
    approve_all(org, correction)
    assert (
        correction_selectors.open_corrections_by_day(company=org.company, employee_id=org.emp_e.pk, month=TUE)
        == {}
    )
