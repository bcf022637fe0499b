# ruff: noqa: F811 (the shared fixture people comes from visits_fixtures)
"""The screens of 依頼: the form, my requests, the team queue with export and a pinned query count,
the detail's moves, the types master."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.frontdesk.models import OfficeRequest, OfficeRequestType
from tests.conftest import login

from .visits_fixtures import office_request, people, request_type  # noqa: F401

pytestmark = pytest.mark.django_db


def test_types_master_for_affairs(client, company, people):
    login(client, people.host)
    assert client.get(reverse("frontdesk:office_request_types")).status_code == 403
    login(client, people.affairs)
    r = client.post(
        reverse("frontdesk:office_request_type_new"),
        {"name": "文房具", "team": "general", "sort_order": 1, "is_active": "on"},
    )
    assert r.status_code == 302
    kind = OfficeRequestType.objects.get()
    r = client.get(reverse("frontdesk:office_request_type_edit", args=[kind.pk]))
    assert "変更履歴" in r.content.decode()


def test_request_form_mine_queue_and_moves(client, company, people):
    kind = request_type(people.affairs)
    login(client, people.host)
    r = client.post(reverse("frontdesk:office_request_new"), {"request_type": kind.pk, "title": ""})
    assert r.status_code == 400 and not OfficeRequest.objects.exists()
    r = client.post(reverse("frontdesk:office_request_new"), {"request_type": kind.pk, "title": "名刺100枚"})
    req = OfficeRequest.objects.get()
    assert (
        r.status_code == 302
        and "名刺100枚" in client.get(reverse("frontdesk:office_request_mine")).content.decode()
    )
    assert client.get(reverse("frontdesk:office_request_queue")).status_code == 403
    page = client.get(reverse("frontdesk:office_request_detail", args=[req.pk])).content.decode()
    assert 'value="cancelled"' in page and 'value="in_progress"' not in page

    login(client, people.affairs)
    url = reverse("frontdesk:office_request_queue")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(5):
        office_request(people.colleague, kind, title=f"依頼 {i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('data-request="') == 6
    assert len(many) == len(few)
    assert client.get(url, {"format": "xlsx"}).content[:2] == b"PK"
    client.post(reverse("frontdesk:office_request_transition", args=[req.pk]), {"status": "in_progress"})
    req.refresh_from_db()
    assert req.status == "in_progress" and req.assignee == people.affairs.user
