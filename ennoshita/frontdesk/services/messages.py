"""Writing 伝言メモ (phone messages): any member takes a message for a colleague, who is told in the
app (and by e-mail when it is 至急) and marks it done with a note. An open message stays on the
recipient's home page until then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models import PhoneMessage, Urgency
from ennoshita.frontdesk.permissions_visits import MEMBER_ROLES

FIELDS = (
    "recipient",
    "taken_by",
    "received_at",
    "caller_name",
    "caller_company",
    "caller_phone",
    "message",
    "urgency",
    "done_at",
    "done_note",
)


@dataclass(frozen=True)
class MessageInput:
    recipient_id: int | None
    caller_name: str
    message: str
    caller_company: str = ""
    caller_phone: str = ""
    urgency: str = Urgency.NORMAL
    received_at: datetime | None = None  # None: now


def _one_line(value: str) -> str:
    return " ".join(nfkc(value or "").split())


def _clean(company: Company, data: MessageInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    recipient = None
    if data.recipient_id is not None:
        found = (
            Membership.objects.for_company(company)
            .filter(user_id=data.recipient_id, is_active=True)
            .select_related("user")
            .first()
        )
        recipient = found.user if found is not None else None
    if recipient is None:
        errors["recipient"] = [_("宛先はこの会社の社員から選んでください。")]
    values: dict[str, Any] = {
        "recipient": recipient,
        "caller_name": _one_line(data.caller_name),
        "caller_company": _one_line(data.caller_company),
        "caller_phone": _one_line(data.caller_phone),
        "message": (data.message or "").strip(),
        "urgency": data.urgency or Urgency.NORMAL,
    }
    limits = {"caller_name": 100, "caller_company": 200, "caller_phone": 30, "message": 2000}
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]
    if not values["caller_name"]:
        errors["caller_name"] = [_("相手の氏名を入力してください。")]
    if not values["message"]:
        errors["message"] = [_("伝言を入力してください。")]
    if values["urgency"] not in Urgency.values:
        errors["urgency"] = [_("緊急度を選んでください。")]
    now = timezone.now()
    received = data.received_at or now
    if received > now + timedelta(minutes=5):
        errors["received_at"] = [_("受信日時に未来の時刻は入力できません。")]
    values["received_at"] = received
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return values


def message_url(message: PhoneMessage) -> str:
    return reverse("frontdesk:message_detail", args=[message.pk])


@transaction.atomic
def take_message(
    *, company: Company, actor: User, membership: Membership, data: MessageInput
) -> PhoneMessage:
    """伝言を受ける: any member records a call for a colleague, who is notified (by e-mail too when
    the message is 至急)."""
    require_role(membership, *MEMBER_ROLES)
    values = _clean(company, data)
    message = PhoneMessage(company=company, taken_by=actor, **values)
    message.save()
    record_event(
        company=company, actor=actor, action="create", instance=message, after=snapshot(message, FIELDS)
    )
    who = " ".join(x for x in (message.caller_company, message.caller_name + " 様") if x)
    urgent = message.urgency == Urgency.URGENT
    text = _("%(urgency)s%(who)s から電話がありました(受けた人: %(taker)s)") % {
        "urgency": _("【至急】")
        if urgent
        else (_("【折り返し希望】") if message.urgency == Urgency.CALL_BACK else ""),
        "who": who,
        "taker": actor.display_name(),
    }
    body = "\n".join(
        [
            text,
            _("電話番号: %(p)s") % {"p": message.caller_phone or "—"},
            _("受信日時: %(t)s") % {"t": f"{timezone.localtime(message.received_at):%Y-%m-%d %H:%M}"},
            "",
            message.message,
        ]
    )
    notify(
        company=company,
        user=message.recipient,
        kind="frontdesk.phone_message",
        text=text,
        url=message_url(message),
        object_type="frontdesk.phonemessage",
        object_id=message.pk,
        email=urgent,
        email_subject=_("[伝言メモ] %(t)s") % {"t": text},
        email_body=body,
    )
    return message


def _locked(company: Company, message: PhoneMessage) -> PhoneMessage:
    found = (
        PhoneMessage.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=message.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def mark_message_done(
    *, company: Company, actor: User, membership: Membership, message: PhoneMessage, note: str = ""
) -> PhoneMessage:
    """対応済み: only the recipient closes their message (折り返した, 不要だった …)."""
    require_role(membership, *MEMBER_ROLES)
    message = _locked(company, message)
    if message.recipient_id != actor.pk:
        raise PermissionDeniedError(_("伝言を対応済みにできるのは宛先の本人だけです。"))
    if message.done_at is not None:
        raise ServiceError(_("この伝言はすでに対応済みです。"), code="already_done")
    note = (note or "").strip()
    if len(note) > 300:
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"note": [_("%(n)s文字以内で入力してください。") % {"n": 300}]},
        )
    before = snapshot(message, FIELDS)
    message.done_at = timezone.now()
    message.done_note = note
    message.save(update_fields=["done_at", "done_note"])
    record_event(
        company=company,
        actor=actor,
        action="done",
        instance=message,
        before=before,
        after=snapshot(message, FIELDS),
    )
    return message
