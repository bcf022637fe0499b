"""What a single booking and a 定例 both pass before anything is written: the text, the number of
attendees against the room's capacity, the room locked and open, and the database's own refusal of
an overlap turned into the same ``ServiceError`` as the service's check.

Attendees over the room's capacity are refused, not warned about: the capacity is the number of
seats (and the fire-safety limit of the room); a warning on a form is read once and then ignored,
and the front desk is the one left with the overfull room. A bigger room is the answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company
from ennoshita.frontdesk.models.rooms import Room


def local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y/%m/%d %H:%M")


def check_text(title: str, note: str) -> tuple[str, str]:
    title = (title or "").strip()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("件名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("件名は200文字以内で入力してください。")]
    if len(note) > 300:
        errors["note"] = [_("備考は300文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return title, note


def check_attendees(room: Room, attendees: Any) -> int | None:
    if attendees in (None, ""):
        return None
    try:
        count = int(attendees)
    except (TypeError, ValueError):
        count = -1
    if count < 1:
        message = _("人数は1以上の数で入力してください。")
        raise ServiceError(message, code="validation", field_errors={"attendees": [message]})
    if count > room.capacity:
        message = _(
            "%(room)sの定員は%(cap)s名です(%(n)s名は入れません)。より大きな会議室を選んでください。"
        ) % {
            "room": room.name,
            "cap": room.capacity,
            "n": count,
        }
        raise ServiceError(message, code="over_capacity", field_errors={"attendees": [message]})
    return count


def locked_room(company: Company, room: Room) -> Room:
    """The room row, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite: the
    IMMEDIATE transaction already holds the write lock). Another company's room is a 404."""
    locked = Room.objects.for_company(company).select_for_update(of=("self",)).filter(pk=room.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def check_room_open(room: Room) -> None:
    if not room.is_active:
        message = _("%(room)sは現在予約を受け付けていません。") % {"room": room.name}
        raise ServiceError(message, code="room_inactive", field_errors={"room": [message]})


def db_refused(room: Room, starts: datetime) -> ServiceError:
    """The database refused an overlap (a race the lock did not see, or a writer that bypassed the
    service): the same ``overlap`` error as the service's own check."""
    message = _("%(room)sは%(s)sの時間にすでに予約が入りました。時間か会議室を変えてください。") % {
        "room": room.name,
        "s": local(starts),
    }
    return ServiceError(message, code="overlap", field_errors={"starts_at": [message]})
