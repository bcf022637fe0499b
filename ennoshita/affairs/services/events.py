"""Writes of 社内行事: create, change, cancel an event; sign up, cancel a sign-up; close sign-ups;
record the cost.

Sign-up takes the event's row lock (``select_for_update``) before it counts the seats, so two
people asking for the last seat at once are served one after the other: the second finds it taken.
A sign-up refused (past the deadline, closed, cancelled, full, already signed up) writes nothing.
Seats count each person and their guests (同伴者).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Event, EventSignup, EventStatus
from ennoshita.affairs.selectors.events import MANAGER_ROLES
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify_many
from ennoshita.core.permissions import require_role

FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "signup_deadline",
    "budget",
    "cost",
    "fee_per_person",
    "status",
)
MAX_GUESTS = 10
MAX_YEN = Decimal("9999999999")


@dataclass(frozen=True)
class EventInput:
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    description: str = ""
    place: str = ""
    capacity: int | None = None
    signup_deadline: datetime | None = None
    budget: Any = None
    fee_per_person: Any = None


def _fail(errors: dict[str, list[str]], message: str = "") -> ServiceError:
    return ServiceError(message or _("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _yen(errors: dict[str, list[str]], name: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors[name] = [_("金額は円単位の数字で入力してください。")]
        return None
    if not amount.is_finite() or amount != amount.to_integral_value() or amount < 0 or amount > MAX_YEN:
        errors[name] = [_("金額は0円以上の円単位の整数で入力してください。")]
        return None
    return amount.quantize(Decimal("1"))


def _clean(data: EventInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = [_("行事名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("行事名は200文字以内で入力してください。")]
    place = (data.place or "").strip()
    if len(place) > 200:
        errors["place"] = [_("場所は200文字以内で入力してください。")]
    description = (data.description or "").strip()
    if len(description) > 5000:
        errors["description"] = [_("内容は5,000文字以内で入力してください。")]
    if data.starts_at is None:
        errors["starts_at"] = [_("開始日時を入力してください。")]
    if data.ends_at is None:
        errors["ends_at"] = [_("終了日時を入力してください。")]
    elif data.starts_at is not None and data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("終了は開始より後の日時にしてください。")]
    if (
        data.signup_deadline is not None
        and data.starts_at is not None
        and data.signup_deadline > data.starts_at
    ):
        errors["signup_deadline"] = [_("申込締切は開始日時までにしてください。")]
    capacity = data.capacity
    if capacity is not None and (isinstance(capacity, bool) or not 1 <= int(capacity) <= 100000):
        errors["capacity"] = [_("定員は1人以上で入力してください(定員なしは空欄)。")]
    values = {
        "title": title,
        "description": description,
        "place": place,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "capacity": capacity,
        "signup_deadline": data.signup_deadline,
        "budget": _yen(errors, "budget", data.budget),
        "fee_per_person": _yen(errors, "fee_per_person", data.fee_per_person),
    }
    if errors:
        raise _fail(errors)
    return values


def _locked(company: Company, event: Event) -> Event:
    found = Event.objects.for_company(company).select_for_update(of=("self",)).filter(pk=event.pk).first()
    if found is None:
        raise NotFound()
    return found


def _taken(company: Company, event: Event) -> int:
    return int(
        EventSignup.objects.for_company(company)
        .filter(event=event, cancelled_at__isnull=True)
        .aggregate(n=Sum(F("guests") + 1))["n"]
        or 0
    )


@transaction.atomic
def create_event(*, company: Company, actor: User, membership: Membership, data: EventInput) -> Event:
    require_role(membership, *MANAGER_ROLES)
    event = Event(company=company, organizer=actor, **_clean(data))
    event.save()
    record_event(company=company, actor=actor, action="create", instance=event, after=snapshot(event, FIELDS))
    return event


@transaction.atomic
def update_event(
    *, company: Company, actor: User, membership: Membership, event: Event, data: EventInput
) -> Event:
    """Change an event. The capacity cannot go below the seats already taken."""
    require_role(membership, *MANAGER_ROLES)
    event = _locked(company, event)
    if event.status == EventStatus.CANCELLED:
        raise ServiceError(_("中止した行事は変更できません。"), code="cancelled")
    values = _clean(data)
    taken = _taken(company, event)
    if values["capacity"] is not None and values["capacity"] < taken:
        raise _fail(
            {
                "capacity": [
                    _("既に%(n)s人(同伴者を含む)が申し込んでいます。定員をそれ未満にはできません。")
                    % {"n": taken}
                ]
            }
        )
    before = snapshot(event, FIELDS)
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    after = snapshot(event, FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=event, before=before, after=after
        )
    return event


@transaction.atomic
def cancel_event(
    *, company: Company, actor: User, membership: Membership, event: Event, reason: str = ""
) -> Event:
    """中止: the signed-up people are notified (in the app and by e-mail); their sign-ups stay as
    the record of who was coming."""
    require_role(membership, *MANAGER_ROLES)
    event = _locked(company, event)
    if event.status == EventStatus.CANCELLED:
        raise ServiceError(_("この行事は既に中止になっています。"), code="cancelled")
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise _fail({"reason": [_("理由は300文字以内で入力してください。")]})
    before = event.status
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status"])
    users = [
        s.user
        for s in EventSignup.objects.for_company(company)
        .filter(event=event, cancelled_at__isnull=True)
        .select_related("user")
    ]
    text = _("社内行事「%(title)s」(%(when)s)は中止になりました。") % {
        "title": event.title,
        "when": date_format(timezone.localtime(event.starts_at), "SHORT_DATETIME_FORMAT"),
    }
    if reason:
        text += _("理由: %(reason)s") % {"reason": reason}
    count = notify_many(
        company=company,
        users=users,
        kind="affairs.event_cancelled",
        text=text,
        url=reverse("affairs:event_detail", args=[event.pk]),
        object_type="affairs.event",
        object_id=event.pk,
        email=True,
    )
    record_event(
        company=company,
        actor=actor,
        action="cancel",
        instance=event,
        before={"status": before},
        after={"status": event.status},
        extra={"reason": reason, "notified": count},
    )
    return event


@transaction.atomic
def set_signups_open(
    *, company: Company, actor: User, membership: Membership, event: Event, open: bool
) -> Event:
    """受付終了 (``open=False``) or 受付再開."""
    require_role(membership, *MANAGER_ROLES)
    event = _locked(company, event)
    if event.status == EventStatus.CANCELLED:
        raise ServiceError(_("中止した行事の受付は変更できません。"), code="cancelled")
    wanted = EventStatus.OPEN if open else EventStatus.CLOSED
    if event.status == wanted:
        return event
    before = event.status
    event.status = wanted
    event.save(update_fields=["status"])
    record_event(
        company=company,
        actor=actor,
        action="reopen" if open else "close_signups",
        instance=event,
        before={"status": before},
        after={"status": wanted},
    )
    return event


def close_signups(*, company: Company, actor: User, membership: Membership, event: Event) -> Event:
    return set_signups_open(company=company, actor=actor, membership=membership, event=event, open=False)


@transaction.atomic
def record_cost(*, company: Company, actor: User, membership: Membership, event: Event, cost: Any) -> Event:
    """実費 (the total the company paid); empty clears it."""
    require_role(membership, *MANAGER_ROLES)
    event = _locked(company, event)
    errors: dict[str, list[str]] = {}
    amount = _yen(errors, "cost", cost)
    if errors:
        raise _fail(errors)
    if amount == event.cost:
        return event
    before = {"cost": event.cost}
    event.cost = amount
    event.save(update_fields=["cost"])
    record_event(
        company=company, actor=actor, action="update", instance=event, before=before, after={"cost": amount}
    )
    return event


def _signup_refusal(event: Event, now: datetime) -> str:
    if event.status == EventStatus.CANCELLED:
        return _("この行事は中止になりました。申し込めません。")
    if event.status == EventStatus.CLOSED:
        return _("この行事の申込受付は終了しました。")
    deadline = event.signup_deadline or event.starts_at
    if now > deadline:
        return _("申込締切(%(when)s)を過ぎています。") % {
            "when": date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT")
        }
    return ""


@transaction.atomic
def sign_up(
    *, company: Company, actor: User, membership: Membership, event: Event, guests: int = 0, note: str = ""
) -> EventSignup:
    """The member's own sign-up (with ``guests`` 同伴者). Refused with a message and nothing written
    when the event is cancelled, closed, past its deadline or full, or when already signed up."""
    if membership.has_any_role(Role.ASSISTANT):
        raise PermissionDeniedError()
    event = _locked(company, event)  # from here on no one else counts the seats of this event
    refusal = _signup_refusal(event, timezone.now())
    if refusal:
        raise ServiceError(refusal, code="closed", field_errors={"__all__": [refusal]})
    errors: dict[str, list[str]] = {}
    if isinstance(guests, bool) or not isinstance(guests, int) or not 0 <= guests <= MAX_GUESTS:
        errors["guests"] = [_("同伴者数は0〜%(n)s人で入力してください。") % {"n": MAX_GUESTS}]
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = [_("備考は300文字以内で入力してください。")]
    if errors:
        raise _fail(errors)
    if (
        EventSignup.objects.for_company(company)
        .filter(event=event, user=actor, cancelled_at__isnull=True)
        .exists()
    ):
        raise ServiceError(_("この行事には既に申し込んでいます。"), code="duplicate")
    if event.capacity is not None:
        left = event.capacity - _taken(company, event)
        if 1 + guests > left:
            message = (
                _("定員に達しています。")
                if left <= 0
                else _("残りは%(n)s席です。同伴者を含めて%(want)s人分は取れません。")
                % {"n": left, "want": 1 + guests}
            )
            raise ServiceError(message, code="full", field_errors={"guests": [message]} if left > 0 else None)
    try:
        with transaction.atomic():
            signup = EventSignup.objects.create(
                company=company, event=event, user=actor, guests=guests, note=note
            )
    except IntegrityError as exc:  # the one-open-sign-up constraint (a double click)
        raise ServiceError(_("この行事には既に申し込んでいます。"), code="duplicate") from exc
    record_event(
        company=company,
        actor=actor,
        action="signup",
        instance=signup,
        after=snapshot(signup, ("event", "user", "guests", "note")),
    )
    return signup


@transaction.atomic
def cancel_signup(
    *, company: Company, actor: User, membership: Membership, event: Event, signup_id: int | None = None
) -> EventSignup:
    """取消: the member's own sign-up (before the event starts); a manager may cancel anyone's
    (``signup_id``) at any time. The row stays with its cancellation time."""
    event = _locked(company, event)
    qs = (
        EventSignup.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(event=event, cancelled_at__isnull=True)
    )
    if signup_id is not None:
        signup = qs.filter(pk=signup_id).first()
        if signup is None:
            raise NotFound()
        if signup.user_id != actor.pk:
            require_role(membership, *MANAGER_ROLES)
    else:
        signup = qs.filter(user=actor).first()
        if signup is None:
            raise ServiceError(_("この行事には申し込んでいません。"), code="not_signed_up")
    is_own = signup.user_id == actor.pk and not membership.has_any_role(*MANAGER_ROLES)
    if is_own and timezone.now() >= event.starts_at:
        raise ServiceError(_("開始後は取り消せません。総務に連絡してください。"), code="started")
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["cancelled_at"])
    record_event(
        company=company,
        actor=actor,
        action="cancel_signup",
        instance=signup,
        before={"cancelled_at": None},
        after={"cancelled_at": signup.cancelled_at},
    )
    return signup
