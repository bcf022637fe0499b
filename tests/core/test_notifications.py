"""通知: a notice reaches one user in one company, mails only after the change commits, shows on the
home page until read, and another user's notice cannot be touched."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from ennoshita.core.models import Notification
from ennoshita.core.notifications import mark_read, notify, notify_many, unread
from tests.conftest import login, make_member


@pytest.fixture
def colleague(company):
    m = make_member(company, "colleague1", ["employee"], last_name="同僚", first_name="三郎")
    m.user.email = "colleague@example.jp"
    m.user.save(update_fields=["email"])
    return m


def test_notify_writes_one_unread_notice(company, colleague):
    n = notify(
        company=company, user=colleague.user, kind="tests.visit", text="山田様が到着しました", url="/x/"
    )
    assert list(unread(company=company, user=colleague.user)) == [n]
    assert n.read_at is None and n.emailed_at is None


def test_email_is_sent_after_commit_and_recorded(company, colleague, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            company=company,
            user=colleague.user,
            kind="tests.visit",
            text="来客です",
            url="/visits/1/",
            email=True,
        )
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.jp"]
    assert mail.outbox[0].subject == "来客です"
    assert "/visits/1/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_a_rolled_back_change_neither_notifies_nor_mails(
    company, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(company=company, user=colleague.user, kind="tests.visit", text="来客です", email=True)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_notify_many_sends_once_per_user(company, colleague, admin):
    count = notify_many(
        company=company,
        users=[colleague.user, admin.user, colleague.user],
        kind="tests.rule",
        text="規程改定",
    )
    assert count == 2
    assert Notification.objects.for_company(company).count() == 2


def test_mark_read_one_and_all(company, colleague):
    a = notify(company=company, user=colleague.user, kind="k", text="一")
    notify(company=company, user=colleague.user, kind="k", text="二")
    assert mark_read(company=company, user=colleague.user, notification_id=a.pk) == 1
    assert unread(company=company, user=colleague.user).count() == 1
    assert mark_read(company=company, user=colleague.user) == 1
    assert unread(company=company, user=colleague.user).count() == 0


def test_home_shows_unread_notices_until_read(client, company, colleague):
    n = notify(company=company, user=colleague.user, kind="k", text="伝言があります", url="/somewhere/")
    login(client, colleague)
    page = client.get(reverse("home")).content.decode()
    assert "伝言があります" in page
    resp = client.post(reverse("core:notification_read", args=[n.pk]), {"next": "/somewhere/"})
    assert resp.status_code == 302 and resp["Location"] == "/somewhere/"
    assert "伝言があります" not in client.get(reverse("home")).content.decode()
    listing = client.get(reverse("core:notifications")).content.decode()
    assert "伝言があります" in listing  # read notices stay on the 通知 page


def test_another_users_notice_is_404_and_stays_unread(client, company, colleague, admin):
    n = notify(company=company, user=colleague.user, kind="k", text="私信")
    login(client, admin)
    assert client.post(reverse("core:notification_read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_read_redirect_refuses_other_hosts(client, company, colleague):
    n = notify(company=company, user=colleague.user, kind="k", text="外部")
    login(client, colleague)
    resp = client.post(reverse("core:notification_read", args=[n.pk]), {"next": "https://evil.example/"})
    assert resp["Location"] == reverse("core:notifications")
