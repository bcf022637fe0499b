"""お知らせ: audience rules (company, department and below, role), dates, withdrawal, read marks,
notifications of important announcements (at once, or by the scheduled job, once only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.affairs.models import Announcement, AnnouncementRead, AudienceKind
from ennoshita.affairs.selectors import announcements as selectors
from ennoshita.affairs.services import announcements as services
from ennoshita.affairs.tasks_announcements import every_quarter_hour, notify_published
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from tests.affairs.announcements_fixtures import announce, ctx, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def visible_titles(m):
    return {a.title for a in selectors.visible_announcements(company=m.company, membership=m)}


def test_company_audience_reaches_every_member_but_the_assistant(world):
    announce(world["affairs"], title="全社")
    for key in ("seller", "seller1", "clerk", "accountant", "hr"):
        assert visible_titles(world[key]) == {"全社"}
    assert visible_titles(world["assistant"]) == set()
    users = selectors.audience_users(company=world["company"], announcement=Announcement.objects.get())
    assert world["assistant"].user not in users and world["seller1"].user in users


def test_department_audience_includes_sub_departments_only(world):
    a = announce(
        world["affairs"],
        title="営業部のみ",
        audience=AudienceKind.DEPARTMENTS,
        department_ids=[world["sales"].pk],
    )
    assert visible_titles(world["seller"]) == {"営業部のみ"}
    assert visible_titles(world["seller1"]) == {"営業部のみ"}  # 第一営業課 is below 営業部
    assert visible_titles(world["clerk"]) == set()
    users = selectors.audience_users(company=world["company"], announcement=a)
    assert {u.username for u in users} == {"seller", "seller1"}


def test_role_audience(world):
    a = announce(world["affairs"], title="経理向け", audience=AudienceKind.ROLES, roles=["accounting"])
    assert visible_titles(world["accountant"]) == {"経理向け"}
    assert visible_titles(world["clerk"]) == set()
    assert [u.username for u in selectors.audience_users(company=world["company"], announcement=a)] == [
        "acct"
    ]


def test_scheduled_expired_and_withdrawn_are_not_shown(world):
    now = timezone.now()
    announce(world["affairs"], title="予定", publish_at=now + timedelta(days=1))
    announce(
        world["affairs"], title="終了", publish_at=now - timedelta(days=10), expire_at=now - timedelta(days=1)
    )
    w = announce(world["affairs"], title="取り下げ")
    services.withdraw_announcement(**ctx(world["affairs"]), announcement=w, reason="誤り")
    announce(world["affairs"], title="掲載中")
    assert visible_titles(world["clerk"]) == {"掲載中"}
    statuses = {
        a.title: selectors.status_of(a)
        for a in selectors.manage_list(company=world["company"], membership=world["affairs"])
    }
    assert statuses == {
        "予定": "scheduled",
        "終了": "expired",
        "取り下げ": "withdrawn",
        "掲載中": "published",
    }
    for status, title in (
        ("scheduled", "予定"),
        ("expired", "終了"),
        ("withdrawn", "取り下げ"),
        ("published", "掲載中"),
    ):
        rows = selectors.manage_list(company=world["company"], membership=world["affairs"], status=status)
        assert [a.title for a in rows] == [title]
    with pytest.raises(NotFound):
        selectors.get_announcement(company=world["company"], membership=world["clerk"], announcement_id=w.pk)


def test_mark_read_is_idempotent_and_only_for_the_audience(world):
    a = announce(world["affairs"], audience=AudienceKind.DEPARTMENTS, department_ids=[world["sales"].pk])
    seller = world["seller"]
    first = services.mark_read(company=seller.company, membership=seller, announcement_id=a.pk)
    again = services.mark_read(company=seller.company, membership=seller, announcement_id=a.pk)
    assert first.pk == again.pk and first.read_at == again.read_at
    assert AnnouncementRead.objects.count() == 1
    with pytest.raises(NotFound):
        services.mark_read(company=world["company"], membership=world["clerk"], announcement_id=a.pk)
    assert selectors.unread_count(company=seller.company, membership=seller) == 0
    assert selectors.unread_count(company=seller.company, membership=world["seller1"]) == 1
    status = selectors.read_status(company=world["company"], membership=world["affairs"], announcement=a)
    assert (status.read, status.unread) == (1, 1)
    assert [
        r.user.username
        for r in selectors.read_status(
            company=world["company"], membership=world["affairs"], announcement=a, state="unread"
        ).rows
    ] == ["seller1"]


def test_only_managers_write_and_nothing_is_written(world):
    with pytest.raises(PermissionDeniedError):
        announce(world["clerk"])
    assert Announcement.objects.count() == 0
    with pytest.raises(PermissionDeniedError):
        selectors.manage_list(company=world["company"], membership=world["clerk"])


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": " "}, "title"),
        ({"body": ""}, "body"),
        ({"publish_at": None}, "publish_at"),
        ({"expire_at": "past"}, "expire_at"),
        ({"audience": AudienceKind.DEPARTMENTS}, "department_ids"),
        ({"audience": AudienceKind.ROLES, "roles": ["assistant"]}, "roles"),
        ({"audience": AudienceKind.ROLES}, "roles"),
        ({"kind": "memo"}, "kind"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, kw, field):
    if kw.get("expire_at") == "past":
        kw = {"expire_at": timezone.now() - timedelta(days=2)}
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        announce(world["affairs"], **kw)
    assert field in exc.value.field_errors
    assert Announcement.objects.count() == 0 and AuditEvent.objects.count() == events


def test_another_companys_department_is_refused(world, other_company, outsider):
    from tests.conftest import make_department

    theirs = make_department(other_company, outsider, code="900", name="よその部")
    with pytest.raises(ServiceError) as exc:
        announce(world["affairs"], audience=AudienceKind.DEPARTMENTS, department_ids=[theirs.pk])
    assert "department_ids" in exc.value.field_errors


def test_edit_after_publication_is_audited_as_such(world):
    a = announce(world["affairs"])
    services.mark_read(company=world["company"], membership=world["clerk"], announcement_id=a.pk)
    data = services.AnnouncementInput(
        title="年末年始の休業について(訂正)", body=a.body, publish_at=a.publish_at
    )
    services.update_announcement(**ctx(world["affairs"]), announcement=a, data=data)
    event = AuditEvent.objects.filter(object_type="affairs.announcement", action="update").get()
    assert event.changes["extra"] == {"after_publication": True}
    assert event.changes["fields"]["title"] == ["年末年始の休業について", "年末年始の休業について(訂正)"]
    assert AnnouncementRead.objects.count() == 1  # reads stay


def test_withdrawn_cannot_be_edited_or_withdrawn_again(world):
    a = announce(world["affairs"])
    services.withdraw_announcement(**ctx(world["affairs"]), announcement=a)
    with pytest.raises(ServiceError):
        services.withdraw_announcement(**ctx(world["affairs"]), announcement=a)
    with pytest.raises(ServiceError):
        services.update_announcement(
            **ctx(world["affairs"]),
            announcement=a,
            data=services.AnnouncementInput(title="x", body="y", publish_at=a.publish_at),
        )


def test_important_announcement_notifies_its_audience_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = announce(
            world["affairs"],
            title="健康診断のご案内",
            is_important=True,
            audience=AudienceKind.DEPARTMENTS,
            department_ids=[world["sales"].pk],
        )
    notices = Notification.objects.filter(object_type="affairs.announcement", object_id=str(a.pk))
    assert sorted(n.user.username for n in notices) == ["seller", "seller1"]
    assert notices[0].url == f"/affairs/announcements/{a.pk}/"
    a.refresh_from_db()
    assert a.notified_at is not None
    assert notify_published() == "0 announcement(s) published, 0 notice(s) sent"
    assert notices.count() == 2


def test_future_important_announcement_is_notified_by_the_job_once(world):
    a = announce(world["affairs"], is_important=True, publish_at=timezone.now() + timedelta(hours=2))
    announce(world["affairs"], title="普通", publish_at=timezone.now() + timedelta(hours=2))
    assert Notification.objects.count() == 0
    assert notify_published() == "0 announcement(s) published, 0 notice(s) sent"
    later = timezone.now() + timedelta(hours=3)
    Announcement.objects.filter(pk=a.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    summary = notify_published(later)
    assert summary.startswith("1 announcement(s) published")
    count = Notification.objects.filter(object_id=str(a.pk)).count()
    assert count == 6  # everyone but the assistant: hr, soumu, seller, seller1, clerk, acct
    notify_published(later)
    assert Notification.objects.filter(object_id=str(a.pk)).count() == count
    assert (
        AuditEvent.objects.filter(action="notify", object_id=str(a.pk)).get().actor_label
        == "tasks_announcements"
    )


def test_quarter_hour_slot():
    from datetime import datetime

    assert every_quarter_hour(datetime(2025, 12, 1, 9, 44)) == "2025-12-01T09:30"
    assert every_quarter_hour(datetime(2025, 12, 1, 9, 0)) == "2025-12-01T09:00"
