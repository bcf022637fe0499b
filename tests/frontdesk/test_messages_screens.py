# ruff: noqa: F811 (the shared fixture people comes from visits_fixtures)
"""The screens of 伝言メモ: the form, the lists with export and a pinned query count, the detail
with the recipient's 対応済み button."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.frontdesk.models import PhoneMessage
from tests.conftest import login

from .visits_fixtures import message, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_take_a_message_from_the_form(client, company, people):
    login(client, people.colleague)
    r = client.post(
        reverse("frontdesk:message_new"),
        {"recipient": people.host.user.pk, "caller_name": "", "message": "x", "urgency": "normal"},
    )
    assert r.status_code == 400 and not PhoneMessage.objects.exists()
    r = client.post(
        reverse("frontdesk:message_new"),
        {
            "recipient": people.host.user.pk,
            "caller_name": "鈴木",
            "message": "折り返しを",
            "urgency": "call_back",
        },
    )
    assert r.status_code == 302
    assert PhoneMessage.objects.get().taken_by == people.colleague.user


def test_lists_detail_done_and_export(client, company, people):
    m = message(people.desk, people.host)
    login(client, people.host)
    url = reverse("frontdesk:message_list")
    with CaptureQueriesContext(connection) as few:
        assert "鈴木 一郎" in client.get(url).content.decode()
    for i in range(5):
        message(people.desk, people.host, caller=f"相手 {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("番号,受信日時,宛先") and len(csv.splitlines()) == 7
    assert client.get(url, {"box": "all"}).status_code == 200  # falls back to 自分あて
    login(client, people.colleague)
    assert client.get(reverse("frontdesk:message_detail", args=[m.pk])).status_code == 403
    login(client, people.host)
    page = client.get(reverse("frontdesk:message_detail", args=[m.pk])).content.decode()
    assert "対応済みにする" in page and "変更履歴" in page
    client.post(reverse("frontdesk:message_done", args=[m.pk]), {"note": "折り返し済み"})
    m.refresh_from_db()
    assert m.done_at is not None and m.done_note == "折り返し済み"
