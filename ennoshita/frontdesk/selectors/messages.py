"""Reads of 伝言メモ: one message (recipient, taker or the desk), my open messages (they stay on the
home page until done), messages I received or took, and the desk's list of all."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership, User
from ennoshita.core.selectors import audit_events_for_object
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models import PhoneMessage, Urgency
from ennoshita.frontdesk.permissions_visits import is_desk

BOXES = ("received", "taken", "all")


def _base(company: Company) -> QuerySet[PhoneMessage]:
    return PhoneMessage.objects.for_company(company).select_related("recipient", "taken_by")


def get_message(*, company: Company, membership: Membership, message_id: int) -> PhoneMessage:
    message = _base(company).filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    if not (is_desk(membership) or membership.user_id in (message.recipient_id, message.taken_by_id)):
        raise PermissionDeniedError()
    return message


def message_history(*, company: Company, message: PhoneMessage) -> QuerySet[AuditEvent]:
    return audit_events_for_object(
        company=company, object_type="frontdesk.phonemessage", object_id=str(message.pk)
    )


def open_messages(*, company: Company, user: User) -> QuerySet[PhoneMessage]:
    """未対応の伝言 to ``user``: 至急 first, then the newest."""
    return _base(company).filter(recipient=user, done_at__isnull=True).order_by("-received_at", "-pk")


def urgent_first(messages: Iterable[PhoneMessage]) -> list[PhoneMessage]:
    rank = {Urgency.URGENT: 0, Urgency.CALL_BACK: 1, Urgency.NORMAL: 2}
    return sorted(messages, key=lambda m: rank.get(Urgency(m.urgency), 3))


def message_list(
    *,
    company: Company,
    membership: Membership,
    box: str = "received",
    q: str = "",
    open_only: bool = False,
    urgency: str = "",
) -> QuerySet[PhoneMessage]:
    """``received`` (to me), ``taken`` (by me) or ``all`` (the desk only), newest first; ``q`` matches
    the caller's name, company, number and the message."""
    user_id = membership.user_id
    qs = _base(company).order_by("-received_at", "-pk")
    if box == "all":
        if not is_desk(membership):
            raise PermissionDeniedError()
    elif box == "taken":
        qs = qs.filter(taken_by_id=user_id)
    else:
        qs = qs.filter(recipient_id=user_id)
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    if urgency in Urgency.values:
        qs = qs.filter(urgency=urgency)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(caller_name__icontains=word)
            | Q(caller_company__icontains=word)
            | Q(caller_phone__icontains=word)
            | Q(message__icontains=word)
        )
    return qs


def message_rows(messages: Iterable[PhoneMessage]) -> Iterator[list[Any]]:
    yield [
        "番号",
        "受信日時",
        "宛先",
        "受けた人",
        "相手の会社名",
        "相手の氏名",
        "電話番号",
        "緊急度",
        "伝言",
        "対応済み日時",
        "対応メモ",
    ]
    for m in messages:
        yield [
            m.pk,
            timezone.localtime(m.received_at).strftime("%Y-%m-%d %H:%M"),
            m.recipient.display_name(),
            m.taken_by.display_name(),
            m.caller_company,
            m.caller_name,
            m.caller_phone,
            m.get_urgency_display(),
            m.message,
            timezone.localtime(m.done_at).strftime("%Y-%m-%d %H:%M") if m.done_at else "",
            m.done_note,
        ]
