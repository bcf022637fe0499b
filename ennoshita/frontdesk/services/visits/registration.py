"""来訪予約: a host (or the desk for a host) registers an expected visit, optionally with a meeting
room booked for it, changes it while it is expected, or cancels it.

The room goes through the rooms part's services in the visit's transaction: a room that is taken
refuses the visit too, and cancelling or moving the visit cancels or moves its booking.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import snapshot
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.frontdesk.models import Room, RoomBooking, Visit, VisitStatus
from ennoshita.frontdesk.permissions_visits import MEMBER_ROLES

from ._common import (
    AUDIT_FIELDS,
    PERSONAL_FIELDS,
    locked_visit,
    record_visit_event,
    require_may_change,
    require_move,
)
from ._input import VisitInput, clean_visit, host_of


def _room(company: Company, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    room = Room.objects.for_company(company).filter(pk=room_id, is_active=True).first()
    if room is None:
        raise ServiceError(
            _("会議室が見つかりません。"),
            code="validation",
            field_errors={"room": [_("予約できる会議室から選んでください。")]},
        )
    return room


def _book(
    *, company: Company, actor: User, membership: Membership, room: Room, values: dict[str, Any]
) -> RoomBooking:
    """The room through the rooms part's service: a conflict there is a field error here and the
    caller's transaction (the visit with it) rolls back. The booking's title carries the purpose,
    never the visitor's name: bookings are not erased with the visitor's data."""
    from ennoshita.frontdesk.services import rooms as room_services

    title = (_("来客") + (f": {values['purpose']}" if values["purpose"] else ""))[:200]
    try:
        return room_services.book_room(
            company=company,
            actor=actor,
            membership=membership,
            room=room,
            title=title,
            starts_at=values["expected_at"],
            ends_at=values["expected_until"],
            attendees=values["visitor_count"] + 1,
            note=_("来訪の予約から"),
        )
    except ServiceError as exc:
        messages = [m for msgs in exc.field_errors.values() for m in msgs] or [exc.message]
        raise ServiceError(exc.message, code=exc.code, field_errors={"room": messages}) from exc


def _release(
    *, company: Company, actor: User, membership: Membership, booking: RoomBooking | None, reason: str
) -> None:
    if booking is None or booking.status != "confirmed" or booking.ends_at <= timezone.now():
        return
    from ennoshita.frontdesk.services import rooms as room_services

    if not room_services.can_change_booking(membership, booking):
        raise PermissionDeniedError(
            _(
                "この来訪の会議室予約は%(who)s さんが取ったものです。取消は予約した人か受付・総務に依頼してください。"
            )
            % {"who": booking.booked_by.display_name()}
        )
    room_services.cancel_booking(
        company=company, actor=actor, membership=membership, booking=booking, reason=reason
    )


@transaction.atomic
def register_visit(*, company: Company, actor: User, membership: Membership, data: VisitInput) -> Visit:
    """来訪予約: any member for themself as host, the desk for anyone. With ``room_id`` the room is
    booked in the same transaction; a room that is taken refuses the visit too."""
    require_role(membership, *MEMBER_ROLES)
    host = host_of(company, data.host_id, actor, membership)
    room = _room(company, data.room_id)
    values = clean_visit(data)
    visit = Visit(company=company, host=host, created_by=actor, **values)
    if room is not None:
        visit.booking = _book(company=company, actor=actor, membership=membership, room=room, values=values)
    visit.save()
    record_visit_event(
        company=company, actor=actor, action="create", visit=visit, before=None, personal=(None, "登録")
    )
    return visit


@transaction.atomic
def update_visit(
    *, company: Company, actor: User, membership: Membership, visit: Visit, data: VisitInput
) -> Visit:
    """Change an expected visit. A new time or room moves the booking (the old one is cancelled and
    the new one booked in this transaction; a conflict leaves the visit as it was)."""
    require_role(membership, *MEMBER_ROLES)
    visit = locked_visit(company, visit)
    require_may_change(visit, actor, membership)
    if visit.status != VisitStatus.EXPECTED:
        raise ServiceError(_("来訪予定の間だけ変更できます。"), code="invalid_state")
    changes_host = data.host_id is not None and data.host_id != visit.host_id
    host = host_of(company, data.host_id, actor, membership) if changes_host else visit.host
    room = _room(company, data.room_id)
    values = clean_visit(data)
    before = snapshot(visit, AUDIT_FIELDS)
    old_personal = [getattr(visit, f) for f in PERSONAL_FIELDS]
    booking = visit.booking
    same_booking = (
        booking is not None
        and room is not None
        and booking.room_id == room.pk
        and booking.starts_at == values["expected_at"]
        and booking.ends_at == values["expected_until"]
        and booking.status == "confirmed"
    )
    if not same_booking:
        if booking is not None:
            _release(
                company=company, actor=actor, membership=membership, booking=booking, reason=_("来訪の変更")
            )
        visit.booking = None
        if room is not None:
            # the old booking row keeps its OneToOne link until the visit is saved: free it first
            visit.save(update_fields=["booking"])
            visit.booking = _book(
                company=company, actor=actor, membership=membership, room=room, values=values
            )
    visit.host = host
    for name, value in values.items():
        setattr(visit, name, value)
    visit.save()
    personal_changed = old_personal != [getattr(visit, f) for f in PERSONAL_FIELDS]
    if snapshot(visit, AUDIT_FIELDS) != before or personal_changed:
        record_visit_event(
            company=company,
            actor=actor,
            action="update",
            visit=visit,
            before=before,
            personal=("変更前", "変更後") if personal_changed else None,
        )
    return visit


@transaction.atomic
def cancel_visit(
    *, company: Company, actor: User, membership: Membership, visit: Visit, reason: str = ""
) -> Visit:
    """取消: an expected visit no longer comes; its room booking is cancelled with it."""
    require_role(membership, *MEMBER_ROLES)
    visit = locked_visit(company, visit)
    require_may_change(visit, actor, membership)
    require_move(visit, VisitStatus.CANCELLED)
    before = snapshot(visit, AUDIT_FIELDS)
    _release(
        company=company,
        actor=actor,
        membership=membership,
        booking=visit.booking,
        reason=reason or _("来訪の取消"),
    )
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status"])
    record_visit_event(
        company=company,
        actor=actor,
        action="cancel",
        visit=visit,
        before=before,
        extra={"reason": reason[:300]} if reason else None,
    )
    return visit
