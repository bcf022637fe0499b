"""The rooms master (受付・総務・管理者): add a room, change it, close it to new bookings.

Closing a room (``is_active`` off) keeps its bookings; only new ones are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.frontdesk.models.rooms import Room

from ._checks import locked_room
from .feeds import new_token
from .permissions import ROOM_MANAGERS

ROOM_FIELDS = ("code", "name", "capacity", "floor", "equipment", "is_active", "sort_order")


@dataclass(frozen=True)
class RoomInput:
    code: str
    name: str
    capacity: Any
    floor: str = ""
    equipment: str = ""
    is_active: bool = True
    sort_order: Any = 0


def _room_values(company: Company, data: RoomInput, *, exclude_id: int | None = None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = (data.code or "").strip()
    name = (data.name or "").strip()
    if not code:
        errors["code"] = [_("会議室コードを入力してください。")]
    elif len(code) > 20:
        errors["code"] = [_("会議室コードは20文字以内で入力してください。")]
    elif Room.objects.for_company(company).filter(code=code).exclude(pk=exclude_id).exists():
        errors["code"] = [_("会議室コード「%(c)s」はすでに使われています。") % {"c": code}]
    if not name:
        errors["name"] = [_("会議室名を入力してください。")]
    elif len(name) > 100:
        errors["name"] = [_("会議室名は100文字以内で入力してください。")]
    try:
        capacity = int(data.capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 1000:
        errors["capacity"] = [_("定員は1〜1000の数で入力してください。")]
    try:
        sort_order = int(data.sort_order or 0)
    except (TypeError, ValueError):
        sort_order = -1
    if not 0 <= sort_order <= 32767:
        errors["sort_order"] = [_("表示順は0以上の数で入力してください。")]
    floor = (data.floor or "").strip()
    equipment = (data.equipment or "").strip()
    if len(floor) > 100:
        errors["floor"] = [_("100文字以内で入力してください。")]
    if len(equipment) > 300:
        errors["equipment"] = [_("300文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return {
        "code": code,
        "name": name,
        "capacity": capacity,
        "floor": floor,
        "equipment": equipment,
        "is_active": bool(data.is_active),
        "sort_order": sort_order,
    }


@transaction.atomic
def create_room(*, company: Company, actor: User, membership: Membership, data: RoomInput) -> Room:
    require_role(membership, *ROOM_MANAGERS)
    room = Room(company=company, feed_token=new_token(), **_room_values(company, data))
    room.save()
    record_event(
        company=company, actor=actor, action="create", instance=room, after=snapshot(room, ROOM_FIELDS)
    )
    return room


@transaction.atomic
def update_room(
    *, company: Company, actor: User, membership: Membership, room: Room, data: RoomInput
) -> Room:
    """Change a room. Closing it (``is_active`` off) keeps its bookings; new ones are refused."""
    require_role(membership, *ROOM_MANAGERS)
    room = locked_room(company, room)
    values = _room_values(company, data, exclude_id=room.pk)
    before = snapshot(room, ROOM_FIELDS)
    for key, value in values.items():
        setattr(room, key, value)
    room.save()
    after = snapshot(room, ROOM_FIELDS)
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=room, before=before, after=after)
    return room
