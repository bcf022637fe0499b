"""Tenancy URL walk: 業務依頼's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _time_body(own: World) -> dict[str, Any]:
    return {"minutes": 30, "worked_on": timezone.localdate().isoformat()}


def _text_body(own: World) -> dict[str, Any]:
    return {"body": "プローブ"}


def _hand_over_body(own: World) -> dict[str, Any]:
    return {"note": "プローブ", "to_team_id": own.objects["request_team"].pk}


def _edit_body(own: World) -> dict[str, Any]:
    return {"title": "プローブ", "body": "プローブ"}


def _files_body(own: World) -> dict[str, Any]:
    return {"files": [{"name": "p.txt", "content_base64": "cA=="}]}


R = {"pk": "work_request"}
T = {"pk": "request_team"}

ROUTES: dict[str, Probe] = {
    "requests:detail": Probe(R),
    "requests:edit": Probe(R),
    "requests:take": Probe(R),
    "requests:hand_over": Probe(R),
    "requests:comment": Probe(R),
    "requests:ask": Probe(R),
    "requests:answer": Probe(R),
    "requests:close": Probe(R),
    "requests:cancel": Probe(R),
    "requests:time": Probe(R),
    "requests:files": Probe(R),
    "requests:attachment": Probe({"pk": "work_request", "document_id": "work_request_document"}),
    "requests:record": Probe({"pk": "work_request", "record_id": "work_request_record"}),
    "requests:team_detail": Probe(T),
    "requests:team_member_add": Probe(T),
    "requests:team_member_remove": Probe({"pk": "request_team", "user_id": "request_team_user"}),
    "requests:team_revoke": Probe(T),
    "requests:type_new": Probe(T),
    "requests:type_edit": Probe({"pk": "request_type"}),
    "requests:recurring_edit": Probe({"pk": "recurring_request"}),
    "requests:recurring_stop": Probe({"pk": "recurring_request"}),
    "api:workrequest_get": Probe({"request_id": "work_request"}),
    "api:workrequest_take": Probe({"request_id": "work_request"}),
    "api:workrequest_hand_over": Probe({"request_id": "work_request"}, body=_hand_over_body),
    "api:workrequest_comment": Probe({"request_id": "work_request"}, body=_text_body),
    "api:workrequest_close": Probe({"request_id": "work_request"}, body=_text_body),
    "api:workrequest_cancel": Probe({"request_id": "work_request"}, body=_text_body),
    "api:workrequest_time": Probe({"request_id": "work_request"}, body=_time_body),
    "api:workrequest_edit": Probe({"request_id": "work_request"}, body=_edit_body),
    "api:workrequest_ask": Probe({"request_id": "work_request"}, body=_text_body),
    "api:workrequest_answer": Probe({"request_id": "work_request"}, body=_text_body),
    "api:workrequest_files": Probe({"request_id": "work_request"}, body=_files_body),
    "api:workrequest_record": Probe({"request_id": "work_request", "record_id": "work_request_record"}),
    "api:workrequest_file": Probe({"request_id": "work_request", "document_id": "work_request_document"}),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """A team (staff, an admin, is its member) with a catalogue entry, a request naming a document
    of an earlier request as its record and carrying a file, and a recurring request."""
    from ennoshita.requests import services

    w = {"company": company, "actor": staff.user, "membership": staff}
    team = services.save_team(**w, name="総務", kind="affairs", hourly_rate=3500)
    services.add_team_member(**w, team=team, user_id=staff.user_id)
    rtype = services.save_request_type(**w, team=team, name="備品の手配", turnaround_days=2)
    first = services.create_request(
        **w,
        team_id=team.pk,
        request_type_id=rtype.pk,
        title="最初の依頼",
        body="本文",
        files=[("a.txt", b"a")],
    )
    named = first.attachments.get().document_id
    request = services.create_request(
        **w,
        team_id=team.pk,
        request_type_id=rtype.pk,
        title="テナンシー依頼",
        body="本文",
        records=[("documents.document", str(named))],
        files=[("b.txt", b"b")],
    )
    recurring = services.save_recurring(
        **w, team_id=team.pk, request_type_id=None, title="月末整理", body="", frequency="month_end"
    )
    return {
        "request_team": team,
        "request_team_user": staff.user,
        "request_type": rtype,
        "work_request": request,
        "work_request_document": request.attachments.get().document,
        "work_request_record": request.records.get(),
        "recurring_request": recurring,
    }
