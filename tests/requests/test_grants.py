"""The outside team's grants: given on assignment, taken back on close, cancel, hand-over to another
team, a member's removal and the team's revocation; an expired membership holds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.core import grants
from ennoshita.core.models import AccessGrant, Membership
from ennoshita.requests import services
from ennoshita.requests.models import EventKind, RequestEvent, RequestStatus, TeamKind, WorkRequest
from tests.requests.fixtures import THING, make_request, me


def _granted(m: Membership, object_type: str, object_id) -> bool:
    return grants.is_granted(membership=m, object_type=object_type, object_id=object_id)


@pytest.fixture
def outside_request(requester, outside_team):
    return make_request(requester, outside_team, records=[(THING, "1")], files=[("a.txt", b"hello")])


def test_granted_on_assignment_until_the_membership_expires(outside_request, assistant):
    doc_id = outside_request.attachments.get().document_id
    assert _granted(assistant, THING, "1")
    assert _granted(assistant, "documents.document", doc_id)
    assert not _granted(assistant, THING, "2")
    row = AccessGrant.objects.get(membership=assistant, object_type=THING)
    assert row.source == f"requests.workrequest:{outside_request.pk}"
    assert timezone.localtime(row.expires_at).date() == assistant.expires_on + timedelta(days=1)


def test_no_grants_for_an_in_house_team(requester, acc_team):
    make_request(requester, acc_team, records=[(THING, "1")])
    assert AccessGrant.objects.count() == 0


def test_close_takes_them_back(outside_request, assistant):
    services.take_request(**me(assistant), request=outside_request)
    services.close_request(**me(assistant), request=outside_request, resolution="入力済み")
    assert not _granted(assistant, THING, "1")
    assert AccessGrant.objects.count() == 0


def test_cancel_takes_them_back(outside_request, requester, assistant):
    services.cancel_request(**me(requester), request=outside_request)
    assert AccessGrant.objects.count() == 0


def test_hand_over_to_another_team_moves_them(outside_request, assistant, acc_team, admin, assistant2):
    services.hand_over(**me(assistant), request=outside_request, note="社内で対応を", to_team_id=acc_team.pk)
    assert AccessGrant.objects.count() == 0
    r = WorkRequest.objects.get(pk=outside_request.pk)
    assert (r.team_id, r.status, r.assignee_id) == (acc_team.pk, RequestStatus.OPEN, None)
    # and back to an outside team: its members get them
    other = services.save_team(**me(admin), name="外部B", kind=TeamKind.OUTSIDE, hourly_rate=2000)
    services.add_team_member(**me(admin), team=other, user_id=assistant2.user_id)
    services.hand_over(**me(admin), request=r, note="外部Bへ", to_team_id=other.pk)
    assert _granted(assistant2, THING, "1") and not _granted(assistant, THING, "1")


def test_adding_a_member_grants_the_open_requests(outside_request, admin, outside_team, assistant2):
    assert not _granted(assistant2, THING, "1")
    services.add_team_member(**me(admin), team=outside_team, user_id=assistant2.user_id)
    assert _granted(assistant2, THING, "1")


def test_removing_a_member_takes_theirs_back(outside_request, admin, outside_team, assistant, assistant2):
    services.add_team_member(**me(admin), team=outside_team, user_id=assistant2.user_id)
    services.take_request(**me(assistant), request=outside_request)
    services.remove_team_member(**me(admin), team=outside_team, user_id=assistant.user_id)
    assert not _granted(assistant, THING, "1") and _granted(assistant2, THING, "1")
    r = WorkRequest.objects.get(pk=outside_request.pk)
    assert (r.status, r.assignee_id) == (RequestStatus.OPEN, None)


def test_revoking_the_team_is_at_once(outside_request, admin, outside_team, assistant):
    services.take_request(**me(assistant), request=outside_request)
    services.revoke_team(**me(admin), team=outside_team)
    assert AccessGrant.objects.count() == 0
    assistant.refresh_from_db()
    assert not assistant.is_active
    r = WorkRequest.objects.get(pk=outside_request.pk)
    assert (r.status, r.assignee_id) == (RequestStatus.OPEN, None)
    assert RequestEvent.objects.filter(request=r, kind=EventKind.STATUS, body__contains="契約が解除").exists()
    outside_team.refresh_from_db()
    assert not outside_team.is_active and outside_team.revoked_at is not None


def test_revoke_is_for_admins_only(outside_request, requester, outside_team):
    from ennoshita.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.revoke_team(**me(requester), team=outside_team)
    assert AccessGrant.objects.count() == 2


def test_an_expired_membership_sees_nothing(outside_request, assistant):
    Membership.objects.filter(pk=assistant.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assistant.refresh_from_db()
    assert not _granted(assistant, THING, "1")
    from ennoshita.requests import permissions

    assert permissions.team_ids(assistant) == []


def test_outside_members_must_be_assistants_and_in_house_must_not(
    admin, outside_team, acc_team, accounting, assistant2
):
    from ennoshita.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        services.add_team_member(**me(admin), team=outside_team, user_id=accounting.user_id)
    assert "user" in exc.value.field_errors
    with pytest.raises(ServiceError):
        services.add_team_member(**me(admin), team=acc_team, user_id=assistant2.user_id)


def test_documents_under_a_named_records_card_are_granted_and_served(
    client, as_member, requester, acc_team, outside_team, assistant
):
    from django.urls import reverse

    from ennoshita.core import records as core_records

    earlier = make_request(requester, acc_team, files=[("控え.txt", b"copy")])
    doc = earlier.attachments.get().document
    core_records.register_kind(
        core_records.RecordKind(
            "tests.withdoc",
            "文書つき",
            lambda company, oid: (
                core_records.RecordCard("tests.withdoc", oid, "文書つき記録", [], [(doc.pk, doc.name)])
                if oid == "7"
                else None
            ),
            lambda company, text: [],
        )
    )
    try:
        r = make_request(requester, outside_team, records=[("tests.withdoc", "7")])
        assert _granted(assistant, "documents.document", doc.pk)
        as_member(assistant)
        got = client.get(reverse("requests:attachment", args=[r.pk, doc.pk]))
        assert got.status_code == 200 and got.content == b"copy"
        services.cancel_request(**me(requester), request=r)
        assert not _granted(assistant, "documents.document", doc.pk)
    finally:
        core_records._KINDS.pop("tests.withdoc", None)


def test_the_daily_job_runs_every_company(company, requester, acc_team):
    from ennoshita.requests import tasks

    assert tasks.run_all_companies() == "0 recurring request(s) made, 0 overdue alert(s) sent"
