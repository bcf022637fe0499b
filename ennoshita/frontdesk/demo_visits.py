"""The demo company's 来訪者, 伝言メモ and 依頼: today's visitors for several hosts (one already
arrived, one with a room when rooms exist), a past month's visitor log, open phone messages for the
demo ``employee`` and ``manager``, the request types and a few requests. Idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.frontdesk.models import Room, Visit

from .services import messages as message_services
from .services import office_requests as request_services
from .services import visits as visit_services

TYPES = [
    ("名刺の作成", "affairs", "名刺の新規作成・追加発注(100枚単位)"),
    ("文房具", "general", "文房具・事務用品の補充"),
    ("修理・営繕", "affairs", "机・椅子・照明・空調などの修理"),
    ("データ入力", "general", "アンケート・名簿などの入力代行"),
]
VISITORS = [
    ("株式会社ミナト商事", "青山 健", "新製品のご説明"),
    ("東都システム株式会社", "石田 由美", "保守契約の更新"),
    ("合同会社さくらデザイン", "上野 翔", "パンフレットの打合せ"),
    ("大和物流株式会社", "遠藤 誠", "配送条件のご相談"),
    ("北斗銀行 日本橋支店", "岡本 玲子", "定期訪問"),
    ("株式会社ひまわり不動産", "加藤 大輔", "事務所移転のご提案"),
]


def _at(day: Any, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _member(company: Company, username: str) -> Membership | None:
    return (
        Membership.objects.for_company(company).filter(user__username=username).select_related("user").first()
    )


def build_demo_visits(company: Company) -> None:
    if Visit.objects.for_company(company).exists():
        return
    desk = _member(company, "frontdesk") or _member(company, "admin")
    if desk is None:
        return
    hosts = [m for m in (_member(company, n) for n in ("employee", "manager", "sales_admin", "legal")) if m]
    hosts = hosts or [desk]
    with transaction.atomic():
        _visits(company, desk, hosts)
        _messages(company, desk, hosts)
        _requests(company, desk, hosts)


def _who(m: Membership) -> dict[str, Any]:
    return {"company": m.company, "actor": m.user, "membership": m}


def _visits(company: Company, desk: Membership, hosts: list[Membership]) -> None:
    today = timezone.localdate()
    room = Room.objects.for_company(company).filter(is_active=True).order_by("sort_order", "code").first()
    for i, (firm, name, purpose) in enumerate(VISITORS[:4]):
        host = hosts[i % len(hosts)]
        start = _at(today, 10 + i * 2)
        data = visit_services.VisitInput(
            visitor_company=firm,
            visitor_name=name,
            purpose=purpose,
            expected_at=start,
            expected_until=start + timedelta(hours=1),
            host_id=host.user_id,
            room_id=room.pk if room is not None and i == 1 else None,
        )
        try:
            visit = visit_services.register_visit(**_who(desk), data=data)
        except ServiceError:  # a demo room already taken at that hour: the visit without the room
            visit = visit_services.register_visit(**_who(desk), data=_no_room(data))
        if i == 0:
            visit_services.check_in(**_who(desk), visit=visit)
    # a month of past visits, written as they happened (the services refuse past dates for new
    # visits), each with an import event that names the demo as its actor
    past: list[Visit] = []
    for day_back in range(1, 31):
        day = today - timedelta(days=day_back)
        if day.weekday() >= 5:
            continue
        for j in range(2):
            firm, name, purpose = VISITORS[(day_back + j) % len(VISITORS)]
            host = hosts[(day_back + j) % len(hosts)]
            arrived = _at(day, 10 + j * 4, 5)
            visit = Visit.objects.create(
                company=company,
                host=host.user,
                visitor_company=firm,
                visitor_name=name,
                purpose=purpose,
                expected_at=_at(day, 10 + j * 4),
                status="left",
                badge_number=f"{day:%m%d}-{j + 1:03d}",
                checked_in_at=arrived,
                checked_in_by=desk.user,
                checked_out_at=arrived + timedelta(minutes=50),
                search_key=visit_services.make_search_key(firm, name),
                created_by=host.user,
            )
            past.append(visit)
    events = [
        EventInput(
            action="import",
            instance=v,
            object_repr=f"来訪 #{v.pk}",
            after=snapshot(v, visit_services.AUDIT_FIELDS),
        )
        for v in past
    ]
    record_events(company=company, actor=None, events=events, actor_label="demo_visits")


def _no_room(data: visit_services.VisitInput) -> visit_services.VisitInput:
    return visit_services.VisitInput(**{**data.__dict__, "room_id": None})


def _messages(company: Company, desk: Membership, hosts: list[Membership]) -> None:
    now = timezone.now()
    samples = [
        ("株式会社ミナト商事", "青山 健", "03-5555-0101", "見積書の件で折り返しお願いします。", "call_back"),
        (
            "東都システム株式会社",
            "石田 由美",
            "03-5555-0202",
            "本日中に契約書の控えを送ってほしいとのこと。",
            "urgent",
        ),
        (
            "大和物流株式会社",
            "遠藤 誠",
            "045-555-0303",
            "来週の打合せは予定どおりで問題ないそうです。",
            "normal",
        ),
    ]
    targets = [m for m in (_member(company, "employee"), _member(company, "manager")) if m] or hosts[:1]
    for i, (firm, name, phone, text, urgency) in enumerate(samples):
        message_services.take_message(
            **_who(desk),
            data=message_services.MessageInput(
                recipient_id=targets[i % len(targets)].user_id,
                caller_company=firm,
                caller_name=name,
                caller_phone=phone,
                message=text,
                urgency=urgency,
                received_at=now - timedelta(minutes=30 * (i + 1)),
            ),
        )


def _requests(company: Company, desk: Membership, hosts: list[Membership]) -> None:
    manager = _member(company, "affairs") or _member(company, "admin")
    if manager is None:
        return
    kinds = {}
    for order, (name, team, description) in enumerate(TYPES):
        kinds[name] = request_services.create_request_type(
            **_who(manager),
            data=request_services.RequestTypeInput(
                name=name, team=team, description=description, sort_order=order
            ),
        )
    requester = hosts[0]
    first = request_services.create_request(
        **_who(requester),
        data=request_services.OfficeRequestInput(
            request_type_id=kinds["名刺の作成"].pk,
            title="名刺100枚(肩書き変更)",
            detail="新しい肩書き: 営業課長",
        ),
    )
    request_services.transition_request(**_who(manager), request=first, status="in_progress")
    request_services.create_request(
        **_who(requester),
        data=request_services.OfficeRequestInput(
            request_type_id=kinds["文房具"].pk,
            title="ボールペン(黒)10本",
            due_on=timezone.localdate() + timedelta(days=7),
        ),
    )
    other = hosts[-1]
    done = request_services.create_request(
        **_who(other),
        data=request_services.OfficeRequestInput(
            request_type_id=kinds["修理・営繕"].pk, title="3階会議室の照明が点かない"
        ),
    )
    request_services.transition_request(
        **_who(manager), request=done, status="done", resolution="蛍光灯を交換しました。"
    )
