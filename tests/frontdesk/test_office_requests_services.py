# ruff: noqa: F811 -- the shared fixtures are imported from visits_fixtures
"""総務・一般事務への依頼: types (admin / 総務), requests routed to the team, moves only as the
table allows, the requester told of each change and able to cancel."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.frontdesk.models import OfficeRequest, OfficeRequestType
from ennoshita.frontdesk.selectors import office_requests as selectors
from ennoshita.frontdesk.services import office_requests as svc

from .visits_fixtures import ctx, office_request, people, request_type  # noqa: F401

pytestmark = pytest.mark.django_db


def test_types_are_for_admin_and_affairs(company, people):
    with pytest.raises(PermissionDeniedError):
        request_type(people.host)
    with pytest.raises(PermissionDeniedError):
        request_type(people.desk)
    kind = request_type(people.affairs)
    with pytest.raises(ServiceError) as exc:
        request_type(people.admin, name="名刺の作成")
    assert "name" in exc.value.field_errors
    assert OfficeRequestType.objects.count() == 1 and kind.team == "affairs"


def test_a_request_goes_to_its_team_and_the_requester_follows_it(company, people):
    general = request_type(people.admin, name="データ入力", team="general")
    req = office_request(people.host, general, title="アンケート300件の入力")
    told = set(
        Notification.objects.filter(kind="frontdesk.office_request").values_list("user__username", flat=True)
    )
    assert told == {"desk1", "admin1"}  # 一般事務 = frontdesk, and admin; not 総務
    # 総務 does not work the 一般事務 queue
    with pytest.raises(PermissionDeniedError):
        svc.transition_request(**ctx(people.affairs), request=req, status="in_progress")
    req = svc.transition_request(**ctx(people.desk), request=req, status="in_progress")
    assert req.assignee == people.desk.user
    with pytest.raises(ServiceError) as exc:
        svc.transition_request(**ctx(people.desk), request=req, status="done")
    assert "resolution" in exc.value.field_errors
    req = svc.transition_request(
        **ctx(people.desk), request=req, status="done", resolution="入力完了、共有フォルダに保存"
    )
    assert req.status == "done" and req.closed_at is not None
    notes = list(Notification.objects.filter(user=people.host.user).values_list("text", flat=True))
    assert any("対応中" in n for n in notes) and any("完了" in n and "共有フォルダ" in n for n in notes)
    with pytest.raises(ServiceError):
        svc.transition_request(**ctx(people.desk), request=req, status="in_progress")
    actions = list(
        AuditEvent.objects.filter(object_type="frontdesk.officerequest").values_list("action", flat=True)
    )
    assert actions == ["create", "request_in_progress", "request_done"]


def test_assign_to_a_team_member_only(company, people):
    kind = request_type(people.affairs)
    req = office_request(people.host, kind)
    with pytest.raises(ServiceError) as exc:
        svc.transition_request(
            **ctx(people.affairs), request=req, status="in_progress", assignee_id=people.desk.user.pk
        )
    assert "assignee" in exc.value.field_errors
    req.refresh_from_db()
    assert req.status == "open"
    req = svc.transition_request(
        **ctx(people.admin), request=req, status="in_progress", assignee_id=people.affairs.user.pk
    )
    assert req.assignee == people.affairs.user
    assert Notification.objects.filter(
        user=people.affairs.user, kind="frontdesk.office_request_assigned"
    ).exists()


def test_the_requester_cancels_but_a_colleague_cannot(company, people):
    req = office_request(people.host, request_type(people.affairs))
    with pytest.raises(PermissionDeniedError):
        svc.cancel_request(**ctx(people.colleague), request=req)
    with pytest.raises(PermissionDeniedError):
        svc.transition_request(**ctx(people.host), request=req, status="in_progress")
    req = svc.cancel_request(**ctx(people.host), request=req, reason="不要になった")
    assert req.status == "cancelled" and req.resolution == "不要になった"


def test_bad_requests_write_nothing(company, people):
    inactive = svc.create_request_type(
        **ctx(people.affairs), data=svc.RequestTypeInput(name="停止中", is_active=False)
    )
    for data in (
        svc.OfficeRequestInput(request_type_id=inactive.pk, title="x"),
        svc.OfficeRequestInput(request_type_id=None, title="x"),
        svc.OfficeRequestInput(request_type_id=request_type(people.affairs).pk, title=" "),
    ):
        with pytest.raises(ServiceError):
            svc.create_request(**ctx(people.host), data=data)
    assert not OfficeRequest.objects.exists()


def test_queues_and_counts(company, people):
    affairs_kind = request_type(people.affairs)
    general_kind = request_type(people.admin, name="文房具", team="general")
    office_request(people.host, affairs_kind)
    office_request(people.host, general_kind)
    assert selectors.team_queue(company=company, membership=people.affairs).count() == 1
    assert selectors.team_queue(company=company, membership=people.admin).count() == 2
    with pytest.raises(PermissionDeniedError):
        selectors.team_queue(company=company, membership=people.host)
    with pytest.raises(PermissionDeniedError):
        selectors.team_queue(company=company, membership=people.desk, team="affairs")
    counts = selectors.queue_counts(company=company, teams=["affairs", "general"])
    assert counts == {"affairs": {"open": 1, "in_progress": 0}, "general": {"open": 1, "in_progress": 0}}
    assert selectors.my_requests(company=company, user=people.host.user, open_only=True).count() == 2
