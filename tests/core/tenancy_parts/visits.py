"""Tenancy URL walk: the visits part's objects and id-taking routes (see test_tenancy.py):
来訪者, 伝言メモ and 総務・一般事務への依頼."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe

_VISIT = {"pk": "visits_visit"}
ROUTES: dict[str, Probe] = {
    **{
        f"frontdesk:{name}": Probe(_VISIT)
        for name in (
            "visit_detail",
            "visit_edit",
            "visit_badge",
            "visit_check_in",
            "visit_check_out",
            "visit_no_show",
            "visit_cancel",
        )
    },
    "frontdesk:message_detail": Probe({"pk": "visits_message"}),
    "frontdesk:message_done": Probe({"pk": "visits_message"}),
    "frontdesk:office_request_detail": Probe({"pk": "visits_request"}),
    "frontdesk:office_request_transition": Probe({"pk": "visits_request"}),
    "frontdesk:office_request_type_edit": Probe({"pk": "visits_request_type"}),
    "api:visit_get": Probe({"visit_id": "visits_visit"}),
    "api:visit_check_in": Probe({"visit_id": "visits_visit"}, body=lambda own: {"badge_number": ""}),
    "api:visit_check_out": Probe({"visit_id": "visits_visit"}),
    "api:visit_cancel": Probe({"visit_id": "visits_visit"}, body=lambda own: {"reason": "都合"}),
    "api:message_done": Probe({"message_id": "visits_message"}, body=lambda own: {"note": "済"}),
    "api:office_request_transition": Probe(
        {"request_id": "visits_request"}, body=lambda own: {"status": "in_progress"}
    ),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.frontdesk.services import messages as message_services
    from ennoshita.frontdesk.services import office_requests as request_services
    from ennoshita.frontdesk.services import visits as visit_services

    who = {"company": company, "actor": staff.user, "membership": staff}
    day = timezone.localdate() + timedelta(days=1)
    visit = visit_services.register_visit(
        **who,
        data=visit_services.VisitInput(
            visitor_name="山田 太郎",
            visitor_company="株式会社ABC",
            expected_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
        ),
    )
    message = message_services.take_message(
        **who,
        data=message_services.MessageInput(
            recipient_id=staff.user.pk, caller_name="鈴木", message="折り返しを"
        ),
    )
    kind = request_services.create_request_type(
        **who, data=request_services.RequestTypeInput(name="名刺の作成", team="affairs")
    )
    request = request_services.create_request(
        **who, data=request_services.OfficeRequestInput(request_type_id=kind.pk, title="名刺100枚")
    )
    return {
        "visits_visit": visit,
        "visits_message": message,
        "visits_request": request,
        "visits_request_type": kind,
    }
