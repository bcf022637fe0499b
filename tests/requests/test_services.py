"""業務依頼 services: making a request, working on it, time and its cost, recurring, SLA alerts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.requests import services
from ennoshita.requests.models import (
    EventKind,
    Frequency,
    RequestAlert,
    RequestEvent,
    RequestStatus,
    TeamKind,
    TimeEntry,
    WorkRequest,
)
from tests.requests.fixtures import THING, make_request, me


def test_it_makes_a_numbered_request_with_sla_records_and_files(
    requester, outside_team, entry_type, assistant
):
    r = make_request(
        requester,
        outside_team,
        request_type_id=entry_type.pk,
        records=[(THING, "1"), (THING, "1")],
        files=[("請求書.txt", "請求書 1,000円".encode())],
    )
    assert r.number == f"WR-{timezone.localdate().year}-00001"
    assert r.sla_due_on == services.add_business_days(timezone.localdate(), 3)
    assert [(x.object_type, x.object_id, x.label) for x in r.records.all()] == [(THING, "1", "テスト記録1")]
    doc = r.attachments.get().document
    assert doc.folder.name == "業務依頼" and doc.name.startswith(r.number)
    assert Notification.objects.filter(user=assistant.user, kind=services.NOTIFY_KIND).count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="requests.workrequest").count() == 1
    assert RequestEvent.objects.filter(request=r, kind=EventKind.CREATED).exists()


def test_business_days_skip_weekends_and_holidays():
    # 2026-12-31 (Thu) + 2 営業日: 1/1 元日 and the weekend are skipped → 2027-01-05 (Tue)
    assert services.add_business_days(date(2026, 12, 31), 2) == date(2027, 1, 5)
    assert services.add_business_days(date(2026, 12, 5), 0) == date(2026, 12, 7)  # Sat → Mon


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": " "}, "body"),
        ({"due_on": date(2000, 1, 1)}, "due_on"),
        ({"records": [(THING, "404")]}, "records"),
        ({"records": [("nope.kind", "1")]}, "records"),
        ({"team_id": 999999}, "team"),
    ],
)
def test_bad_input_is_refused_on_its_field(requester, outside_team, kw, field):
    with pytest.raises(ServiceError) as exc:
        make_request(requester, outside_team, **kw)
    assert field in exc.value.field_errors
    assert WorkRequest.objects.count() == 0


def test_a_type_of_another_team_is_refused(requester, outside_team, acc_team, admin):
    other = services.save_request_type(**me(admin), team=acc_team, name="経費の確認")
    with pytest.raises(ServiceError) as exc:
        make_request(requester, outside_team, request_type_id=other.pk)
    assert "request_type" in exc.value.field_errors


def test_an_assistant_cannot_make_a_request(assistant, outside_team):
    with pytest.raises(PermissionDeniedError):
        make_request(assistant, outside_team)
    assert WorkRequest.objects.count() == 0


def test_take_hand_over_ask_answer_close(company, admin, requester, acc_team, accounting):
    colleague = services.add_team_member(
        **me(admin), team=acc_team, user_id=_member(company, "acc2", ["accounting"]).user_id
    )
    r = make_request(requester, acc_team)
    r = services.take_request(**me(accounting), request=r)
    assert (r.status, r.assignee_id) == (RequestStatus.IN_PROGRESS, accounting.user_id)
    with pytest.raises(ServiceError) as exc:
        services.hand_over(**me(accounting), request=r, note="", to_user_id=colleague.user_id)
    assert "note" in exc.value.field_errors
    r = services.hand_over(
        **me(accounting), request=r, note="月末まで不在のため", to_user_id=colleague.user_id
    )
    assert r.assignee_id == colleague.user_id
    assert RequestEvent.objects.filter(
        request=r, kind=EventKind.HANDED_OVER, body__contains="月末まで不在"
    ).exists()
    r = services.ask_requester(**me(accounting), request=r, question="対象月は?")
    assert r.status == RequestStatus.WAITING
    with pytest.raises(PermissionDeniedError):
        services.answer(**me(accounting), request=r, body="x")
    r = services.answer(**me(requester), request=r, body="11月分です")
    assert r.status == RequestStatus.IN_PROGRESS
    services.comment(**me(requester), request=r, body="よろしくお願いします")
    with pytest.raises(PermissionDeniedError):
        services.close_request(**me(requester), request=r, resolution="x")
    with pytest.raises(ServiceError):
        services.close_request(**me(accounting), request=r, resolution="")
    r = services.close_request(**me(accounting), request=r, resolution="入力しました")
    assert r.status == RequestStatus.DONE and r.closed_at is not None
    assert Notification.objects.filter(user=requester.user, text__contains="完了").count() == 1
    with pytest.raises(ServiceError):
        services.cancel_request(**me(requester), request=r)


def _member(company, username, roles, **kw):
    from tests.conftest import make_member

    return make_member(company, username, roles, **kw)


def test_hand_over_only_to_a_member_of_the_team(company, requester, acc_team, accounting, hr):
    r = make_request(requester, acc_team)
    with pytest.raises(ServiceError) as exc:
        services.hand_over(**me(accounting), request=r, note="x", to_user_id=hr.user_id)
    assert "to_user" in exc.value.field_errors
    assert WorkRequest.objects.get(pk=r.pk).assignee_id is None


def test_people_outside_the_team_cannot_work_on_it(company, requester, acc_team, hr, outsider):
    r = make_request(requester, acc_team)
    with pytest.raises(NotFound):
        services.take_request(**me(hr), request=r)
    with pytest.raises(NotFound):
        services.take_request(**me(outsider), request=r.pk)
    with pytest.raises(PermissionDeniedError):
        services.take_request(**me(requester), request=r)
    assert WorkRequest.objects.get(pk=r.pk).status == RequestStatus.OPEN


def test_cancel_by_the_requester_only(requester, acc_team, accounting):
    r = make_request(requester, acc_team)
    with pytest.raises(PermissionDeniedError):
        services.cancel_request(**me(accounting), request=r)
    r = services.cancel_request(**me(requester), request=r, reason="不要になった")
    assert r.status == RequestStatus.CANCELLED


# ------------------------------------------------------------------ time and cost
def test_time_cost_at_the_team_rate_rounded_half_up(requester, outside_team, assistant, admin):
    r = make_request(requester, outside_team)
    today = timezone.localdate()
    e = services.log_time(**me(assistant), request=r, minutes=25, worked_on=today, note="入力")
    # 25 × 2800 / 60 = 1166.67 → 1167 (四捨五入)
    assert (e.hourly_rate, e.cost) == (Decimal(2800), Decimal(1167))
    services.save_team(
        **me(admin), team=outside_team, name=outside_team.name, kind=TeamKind.OUTSIDE, hourly_rate=3000
    )
    e2 = services.log_time(**me(assistant), request=r, minutes=30, worked_on=today)
    assert (e2.hourly_rate, e2.cost) == (Decimal(3000), Decimal(1500))
    assert TimeEntry.objects.get(pk=e.pk).cost == Decimal(1167)  # a past entry keeps its rate


@pytest.mark.parametrize(
    ("minutes", "day", "field"),
    [(0, 0, "minutes"), (1441, 0, "minutes"), (30, 1, "worked_on")],
)
def test_time_bad_input(requester, outside_team, assistant, minutes, day, field):
    r = make_request(requester, outside_team)
    with pytest.raises(ServiceError) as exc:
        services.log_time(
            **me(assistant), request=r, minutes=minutes, worked_on=timezone.localdate() + timedelta(days=day)
        )
    assert field in exc.value.field_errors
    assert TimeEntry.objects.count() == 0


def test_time_only_by_the_team(requester, outside_team, accounting):
    r = make_request(requester, outside_team)
    with pytest.raises((PermissionDeniedError, NotFound)):
        services.log_time(**me(requester), request=r, minutes=10, worked_on=timezone.localdate())
    with pytest.raises(NotFound):
        services.log_time(**me(accounting), request=r, minutes=10, worked_on=timezone.localdate())
    assert TimeEntry.objects.count() == 0


# ------------------------------------------------------------------ recurring
def test_schedules():
    assert services.first_due(Frequency.MONTH_END, 0, date(2027, 2, 10)) == date(2027, 2, 28)
    assert services.following_due(Frequency.MONTH_END, 0, date(2027, 1, 31)) == date(2027, 2, 28)
    assert services.first_due(Frequency.MONTHLY, 25, date(2027, 2, 26)) == date(2027, 3, 25)
    assert services.following_due(Frequency.MONTHLY, 25, date(2027, 12, 25)) == date(2028, 1, 25)
    assert services.first_due(Frequency.WEEKLY, 4, date(2026, 12, 7)) == date(2026, 12, 11)  # Mon → Fri


def test_recurring_job_is_idempotent(company, requester, acc_team):
    today = date(2027, 1, 27)
    rec = services.save_recurring(
        **me(requester),
        team_id=acc_team.pk,
        request_type_id=None,
        title="月末の請求書整理",
        body="今月分",
        frequency=Frequency.MONTH_END,
        lead_days=5,
        today=today,
    )
    assert rec.next_due_on == date(2027, 1, 31)
    assert services.run_recurring(company=company, today=today) == 1
    assert services.run_recurring(company=company, today=today) == 0
    made = WorkRequest.objects.get(recurring=rec)
    assert made.due_on == date(2027, 1, 31) and made.requester_id == requester.user_id
    rec.refresh_from_db()
    assert rec.next_due_on == date(2027, 2, 28)
    # a second schedule row pointing at the same date cannot make a duplicate either
    rec.next_due_on = date(2027, 1, 31)
    rec.save()
    assert services.run_recurring(company=company, today=today) == 0
    assert WorkRequest.objects.filter(recurring=rec).count() == 1


def test_recurring_bad_input_and_stop(requester, acc_team, assistant):
    with pytest.raises(ServiceError) as exc:
        services.save_recurring(
            **me(requester),
            team_id=acc_team.pk,
            request_type_id=None,
            title="x",
            body="",
            frequency="monthly",
            day=31,
        )
    assert "day" in exc.value.field_errors
    with pytest.raises(PermissionDeniedError):
        services.save_recurring(
            **me(assistant),
            team_id=acc_team.pk,
            request_type_id=None,
            title="x",
            body="",
            frequency="weekly",
            day=1,
        )
    rec = services.save_recurring(
        **me(requester),
        team_id=acc_team.pk,
        request_type_id=None,
        title="週次",
        body="",
        frequency="weekly",
        day=0,
    )
    services.stop_recurring(**me(requester), recurring=rec)
    rec.refresh_from_db()
    assert not rec.is_active


# ------------------------------------------------------------------ SLA alerts
def test_overdue_alerts_once_per_due_date(company, requester, acc_team, accounting, admin):
    t = services.save_request_type(**me(admin), team=acc_team, name="支払確認", turnaround_days=1)
    r = make_request(
        requester, acc_team, request_type_id=t.pk, due_on=timezone.localdate() + timedelta(days=1)
    )
    later = r.sla_due_on + timedelta(days=10)
    assert services.send_overdue_alerts(company=company, today=later) == 2  # SLA and due date
    assert services.send_overdue_alerts(company=company, today=later) == 0
    assert RequestAlert.objects.filter(request=r).count() == 2
    assert Notification.objects.filter(user=accounting.user, text__contains="期限").count() == 2
    assert Notification.objects.filter(user=requester.user, text__contains="期限").count() == 2
    done = make_request(requester, acc_team, request_type_id=t.pk)
    services.close_request(**me(accounting), request=done, resolution="済")
    assert services.send_overdue_alerts(company=company, today=later) == 0


def test_a_chunk_meeting_an_alert_sent_meanwhile_goes_one_by_one(company, requester, acc_team, admin):
    from ennoshita.requests.services import alerts

    t = services.save_request_type(**me(admin), team=acc_team, name="至急", turnaround_days=0)
    a = make_request(requester, acc_team, request_type_id=t.pk)
    b = make_request(requester, acc_team, request_type_id=t.pk)
    RequestAlert.objects.create(company=company, request=a, due_on=a.sla_due_on)  # another worker's
    assert alerts._send_chunk(company, [(a, a.sla_due_on), (b, b.sla_due_on)], {}) == 1
    assert RequestAlert.objects.filter(request=b).count() == 1
