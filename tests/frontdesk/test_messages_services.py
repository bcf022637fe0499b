# ruff: noqa: F811 -- the shared fixtures are imported from visits_fixtures
"""伝言メモ: any member takes a message for a colleague, who is told (by mail too when 至急) and
alone marks it done; unanswered ones stay listed until then."""

from __future__ import annotations

import pytest
from django.core import mail

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.frontdesk.models import PhoneMessage
from ennoshita.frontdesk.selectors import messages as selectors
from ennoshita.frontdesk.services import messages as svc

from .visits_fixtures import ctx, message, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_message_notifies_the_recipient_in_the_app_only(
    company, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        m = message(people.desk, people.host)
    assert m.taken_by == people.desk.user and m.done_at is None
    notice = Notification.objects.get(user=people.host.user)
    assert "株式会社ミナト 鈴木 一郎 様" in notice.text and notice.url == f"/frontdesk/messages/{m.pk}/"
    assert mail.outbox == []
    assert AuditEvent.objects.filter(object_type="frontdesk.phonemessage", action="create").count() == 1


def test_an_urgent_message_is_mailed_after_commit(company, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message(people.colleague, people.host, urgency="urgent")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["host@example.jp"] and "【至急】" in mail.outbox[0].subject
    assert "03-1234-5678" in mail.outbox[0].body


def test_bad_input_writes_nothing(company, people, other_company):
    from tests.conftest import make_member

    stranger = make_member(other_company, "stranger", ["employee"])
    bad = [
        svc.MessageInput(recipient_id=stranger.user.pk, caller_name="甲", message="x"),
        svc.MessageInput(recipient_id=people.host.user.pk, caller_name=" ", message="x"),
        svc.MessageInput(recipient_id=people.host.user.pk, caller_name="甲", message=""),
        svc.MessageInput(recipient_id=people.host.user.pk, caller_name="甲", message="x", urgency="panic"),
    ]
    for data in bad:
        with pytest.raises(ServiceError):
            svc.take_message(**ctx(people.desk), data=data)
    assert not PhoneMessage.objects.exists() and not Notification.objects.exists()


def test_only_the_recipient_marks_it_done_and_it_leaves_the_open_list(company, people):
    m = message(people.desk, people.host)
    assert list(selectors.open_messages(company=company, user=people.host.user)) == [m]
    with pytest.raises(PermissionDeniedError):
        svc.mark_message_done(**ctx(people.desk), message=m, note="代わりに")
    m.refresh_from_db()
    assert m.done_at is None
    done = svc.mark_message_done(**ctx(people.host), message=m, note="折り返し済み")
    assert done.done_at is not None and done.done_note == "折り返し済み"
    assert list(selectors.open_messages(company=company, user=people.host.user)) == []
    with pytest.raises(ServiceError):
        svc.mark_message_done(**ctx(people.host), message=m)


def test_lists_by_box(company, people):
    to_host = message(people.desk, people.host)
    by_host = message(people.host, people.colleague)
    assert list(selectors.message_list(company=company, membership=people.host, box="received")) == [to_host]
    assert list(selectors.message_list(company=company, membership=people.host, box="taken")) == [by_host]
    with pytest.raises(PermissionDeniedError):
        selectors.message_list(company=company, membership=people.host, box="all")
    assert selectors.message_list(company=company, membership=people.desk, box="all").count() == 2
    assert list(
        selectors.message_list(company=company, membership=people.desk, box="all", q="ミナト 鈴木")
    ) == [
        by_host,
        to_host,
    ]
    with pytest.raises(PermissionDeniedError):
        selectors.get_message(company=company, membership=people.colleague, message_id=to_host.pk)
