"""Writing 来訪 (visits): pre-registration by a host (optionally with a meeting room), the desk's
check-in / check-out / walk-in / no-show, cancellation, the company's 受付の設定, and the daily
erasure of visitor personal data after the retention period.

Personal data and the audit trail: the trail is append-only and kept for years, so it never holds
the visitor's name, company, phone or e-mail (nor a record label made of them). Events of a visit
name it 「来訪 #id」 and say only that the visitor's details were recorded, changed or erased; the
details themselves live in the visit row alone, and the erase job blanks them there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Notification, User
from ennoshita.core.notifications import notify
from ennoshita.core.numbering import next_number
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, search_key
from ennoshita.frontdesk.models import FrontdeskSettings, Room, RoomBooking, Visit, VisitStatus
from ennoshita.frontdesk.permissions_visits import DESK_ROLES, MEMBER_ROLES, SETTINGS_ROLES, is_desk
from ennoshita.frontdesk.rules import visits as rules

ERASE_JOB_LABEL = "frontdesk.erase_visitor_data"
PERSONAL_FIELDS = ("visitor_name", "visitor_company", "visitor_phone", "visitor_email", "note")
AUDIT_FIELDS = (
    "host",
    "visitor_count",
    "purpose",
    "expected_at",
    "expected_until",
    "booking",
    "status",
    "is_walk_in",
    "badge_number",
    "checked_in_at",
    "checked_in_by",
    "checked_out_at",
    "personal_data_erased_at",
)
PERSONAL_KEY = "来訪者の個人情報"  # the one audit entry about the visitor's details (never their values)
SETTINGS_FIELDS = ("visitor_retention_days", "notify_host_by_email")
MAX_VISITORS = 50


@dataclass(frozen=True)
class VisitInput:
    """A visit as typed in the form or sent to the API."""

    visitor_name: str
    expected_at: datetime
    visitor_company: str = ""
    visitor_count: Any = 1
    visitor_phone: str = ""
    visitor_email: str = ""
    purpose: str = ""
    expected_until: datetime | None = None
    host_id: int | None = None  # None: the actor is the host
    room_id: int | None = None  # reserve this room for expected_at–expected_until
    note: str = ""


# ------------------------------------------------------------------------------ helpers


def _repr(visit: Visit) -> str:
    return f"来訪 #{visit.pk}"


def _event(
    *,
    company: Company,
    actor: User | None,
    action: str,
    visit: Visit,
    before: dict[str, Any] | None,
    personal: tuple[str | None, str | None] | None = None,
    extra: dict[str, Any] | None = None,
    actor_label: str = "",
) -> None:
    after = snapshot(visit, AUDIT_FIELDS)
    if personal is not None:
        before = {**(before or {}), PERSONAL_KEY: personal[0]}
        after[PERSONAL_KEY] = personal[1]
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=visit,
        object_repr=_repr(visit),
        before=before,
        after=after,
        extra=extra,
        actor_label=actor_label,
    )


def make_search_key(visitor_company: str, visitor_name: str) -> str:
    """The 会社名 and 氏名 folded for search (width, case, kana), each one word."""
    return " ".join(k for k in (search_key(visitor_company), search_key(visitor_name)) if k)[:400]


def settings_of(company: Company) -> FrontdeskSettings:
    """The company's 受付の設定 (the defaults until someone saves them)."""
    found = FrontdeskSettings.objects.for_company(company).first()
    return found or FrontdeskSettings(company=company)


def _host(company: Company, host_id: int | None, actor: User, membership: Membership) -> User:
    if host_id is None or host_id == actor.pk:
        return actor
    if not is_desk(membership):
        raise PermissionDeniedError(
            _("自分以外を担当者にして来訪を登録できるのは受付・総務・管理者だけです。")
        )
    found = (
        Membership.objects.for_company(company)
        .filter(user_id=host_id, is_active=True)
        .select_related("user")
        .first()
    )
    if found is None:
        raise ServiceError(
            _("担当者はこの会社の社員から選んでください。"),
            code="validation",
            field_errors={"host": [_("担当者はこの会社の社員から選んでください。")]},
        )
    return found.user


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


def _text(errors: dict[str, list[str]], name: str, value: str, limit: int, required: str = "") -> str:
    text = " ".join(nfkc(value or "").split()) if name != "note" else (value or "").strip()
    if required and not text:
        errors[name] = [required]
    elif len(text) > limit:
        errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]
    return text


def _clean(data: VisitInput, *, walk_in: bool = False) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "visitor_name": _text(
            errors, "visitor_name", data.visitor_name, 100, _("来訪者の氏名を入力してください。")
        ),
        "visitor_company": _text(errors, "visitor_company", data.visitor_company, 200),
        "visitor_phone": _text(errors, "visitor_phone", data.visitor_phone, 30),
        "visitor_email": _text(errors, "visitor_email", data.visitor_email, 254),
        "purpose": _text(errors, "purpose", data.purpose, 300),
        "note": _text(errors, "note", data.note, 300),
    }
    if values["visitor_email"]:
        try:
            validate_email(values["visitor_email"])
        except ValidationError:
            errors["visitor_email"] = [_("メールアドレスの形式が正しくありません。")]
    try:
        count = int(nfkc(str(data.visitor_count)).strip() or "1")
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_VISITORS:
        errors["visitor_count"] = [_("人数は1〜%(n)s人で入力してください。") % {"n": MAX_VISITORS}]
    values["visitor_count"] = count
    start, end = data.expected_at, data.expected_until
    if start is None:
        errors["expected_at"] = [_("来訪予定時刻を入力してください。")]
    elif not walk_in and timezone.localdate(start) < timezone.localdate():
        errors["expected_at"] = [_("過去の日付には来訪を予約できません。")]
    if start is not None and end is not None and end <= start:
        errors["expected_until"] = [_("退館予定時刻は来訪予定時刻より後にしてください。")]
    if data.room_id is not None and end is None:
        errors["expected_until"] = [
            _("会議室を予約するときは退館予定時刻(会議の終了時刻)を入力してください。")
        ]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    values["expected_at"] = start
    values["expected_until"] = end
    values["search_key"] = make_search_key(values["visitor_company"], values["visitor_name"])
    return values


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


def _locked(company: Company, visit: Visit) -> Visit:
    found = Visit.objects.for_company(company).select_for_update(of=("self",)).filter(pk=visit.pk).first()
    if found is None:
        raise NotFound()
    return found


def _may_change(visit: Visit, actor: User, membership: Membership) -> None:
    """The host, whoever registered it, or the desk."""
    if not (is_desk(membership) or actor.pk in (visit.host_id, visit.created_by_id)):
        raise PermissionDeniedError()


def _move(visit: Visit, target: str) -> None:
    if not rules.may_move(rules.VISIT_TRANSITIONS, visit.status, target):
        raise ServiceError(
            _("「%(status)s」の来訪は「%(target)s」にできません。")
            % {"status": visit.get_status_display(), "target": VisitStatus(target).label},
            code="invalid_state",
        )


def _badge(company: Company, day: Any, given: str) -> str:
    given = nfkc(given or "").strip()
    if given:
        if len(given) > 20:
            raise ServiceError(
                _("入館証番号は20文字以内で入力してください。"),
                code="validation",
                field_errors={"badge_number": [_("入館証番号は20文字以内で入力してください。")]},
            )
        return given
    number = next_number(company=company, doc_type=f"frontdesk.badge.{day:%m%d}", fiscal_year=day.year)
    return rules.badge_label(day, number)


def visit_url(visit: Visit) -> str:
    return reverse("frontdesk:visit_detail", args=[visit.pk])


def _notify_arrival(company: Company, visit: Visit) -> None:
    who = " ".join(x for x in (visit.visitor_company, visit.visitor_name + " 様") if x)
    local = timezone.localtime(visit.checked_in_at)
    text = _("%(who)s が受付に到着しました(%(time)s、入館証 %(badge)s)") % {
        "who": who,
        "time": f"{local:%H:%M}",
        "badge": visit.badge_number,
    }
    notify(
        company=company,
        user=visit.host,
        kind="frontdesk.visit_arrived",
        text=text,
        url=visit_url(visit),
        object_type="frontdesk.visit",
        object_id=visit.pk,
        email=settings_of(company).notify_host_by_email,
        email_subject=_("[来客] %(who)s が到着しました") % {"who": who},
        email_body=text + ("\n" + _("用件: %(p)s") % {"p": visit.purpose} if visit.purpose else ""),
    )


def _check_in(company: Company, actor: User, visit: Visit, badge_number: str) -> None:
    now = timezone.now()
    visit.status = VisitStatus.ARRIVED
    visit.checked_in_at = now
    visit.checked_in_by = actor
    visit.badge_number = _badge(company, timezone.localdate(now), badge_number)


# ------------------------------------------------------------------------------ visits


@transaction.atomic
def register_visit(*, company: Company, actor: User, membership: Membership, data: VisitInput) -> Visit:
    """来訪予約: any member for themself as host, the desk for anyone. With ``room_id`` the room is
    booked in the same transaction; a room that is taken refuses the visit too."""
    require_role(membership, *MEMBER_ROLES)
    host = _host(company, data.host_id, actor, membership)
    room = _room(company, data.room_id)
    values = _clean(data)
    visit = Visit(company=company, host=host, created_by=actor, **values)
    if room is not None:
        visit.booking = _book(company=company, actor=actor, membership=membership, room=room, values=values)
    visit.save()
    _event(company=company, actor=actor, action="create", visit=visit, before=None, personal=(None, "登録"))
    return visit


@transaction.atomic
def update_visit(
    *, company: Company, actor: User, membership: Membership, visit: Visit, data: VisitInput
) -> Visit:
    """Change an expected visit. A new time or room moves the booking (the old one is cancelled and
    the new one booked in this transaction; a conflict leaves the visit as it was)."""
    require_role(membership, *MEMBER_ROLES)
    visit = _locked(company, visit)
    _may_change(visit, actor, membership)
    if visit.status != VisitStatus.EXPECTED:
        raise ServiceError(_("来訪予定の間だけ変更できます。"), code="invalid_state")
    changes_host = data.host_id is not None and data.host_id != visit.host_id
    host = _host(company, data.host_id, actor, membership) if changes_host else visit.host
    room = _room(company, data.room_id)
    values = _clean(data)
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
        _event(
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
    visit = _locked(company, visit)
    _may_change(visit, actor, membership)
    _move(visit, VisitStatus.CANCELLED)
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
    _event(
        company=company,
        actor=actor,
        action="cancel",
        visit=visit,
        before=before,
        extra={"reason": reason[:300]} if reason else None,
    )
    return visit


@transaction.atomic
def check_in(
    *, company: Company, actor: User, membership: Membership, visit: Visit, badge_number: str = ""
) -> Visit:
    """受付 (desk): the visitor has arrived. Takes the day's next badge number unless one is given,
    and tells the host in the app (and by e-mail when 受付の設定 says so, after the commit)."""
    require_role(membership, *DESK_ROLES)
    visit = _locked(company, visit)
    _move(visit, VisitStatus.ARRIVED)
    before = snapshot(visit, AUDIT_FIELDS)
    _check_in(company, actor, visit, badge_number)
    visit.save(update_fields=["status", "checked_in_at", "checked_in_by", "badge_number"])
    _event(company=company, actor=actor, action="check_in", visit=visit, before=before)
    _notify_arrival(company, visit)
    return visit


@transaction.atomic
def register_walk_in(
    *, company: Company, actor: User, membership: Membership, data: VisitInput, badge_number: str = ""
) -> Visit:
    """飛び込み: a visitor with no appointment, registered at the desk already checked in; the host
    is told as for any arrival."""
    require_role(membership, *DESK_ROLES)
    if data.host_id is None:
        raise ServiceError(
            _("担当者を選んでください。"),
            code="validation",
            field_errors={"host": [_("担当者を選んでください。")]},
        )
    host = _host(company, data.host_id, actor, membership)
    values = _clean(VisitInput(**{**data.__dict__, "room_id": None}), walk_in=True)
    visit = Visit(company=company, host=host, created_by=actor, is_walk_in=True, **values)
    _check_in(company, actor, visit, badge_number)
    visit.save()
    _event(company=company, actor=actor, action="walk_in", visit=visit, before=None, personal=(None, "登録"))
    _notify_arrival(company, visit)
    return visit


@transaction.atomic
def check_out(*, company: Company, actor: User, membership: Membership, visit: Visit) -> Visit:
    """退館 (desk): the visitor has left and returned the badge."""
    require_role(membership, *DESK_ROLES)
    visit = _locked(company, visit)
    _move(visit, VisitStatus.LEFT)
    before = snapshot(visit, AUDIT_FIELDS)
    visit.status = VisitStatus.LEFT
    visit.checked_out_at = timezone.now()
    visit.save(update_fields=["status", "checked_out_at"])
    _event(company=company, actor=actor, action="check_out", visit=visit, before=before)
    return visit


@transaction.atomic
def mark_no_show(*, company: Company, actor: User, membership: Membership, visit: Visit) -> Visit:
    """来訪なし: the desk or the host records that the visitor did not come."""
    require_role(membership, *MEMBER_ROLES)
    visit = _locked(company, visit)
    _may_change(visit, actor, membership)
    _move(visit, VisitStatus.NO_SHOW)
    before = snapshot(visit, AUDIT_FIELDS)
    visit.status = VisitStatus.NO_SHOW
    visit.save(update_fields=["status"])
    _event(company=company, actor=actor, action="no_show", visit=visit, before=before)
    return visit


# ------------------------------------------------------------------------------ settings


@transaction.atomic
def update_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    visitor_retention_days: Any,
    notify_host_by_email: bool,
) -> FrontdeskSettings:
    """受付の設定 (admin / 受付): how long visitors' personal data is kept, and e-mail on arrival."""
    require_role(membership, *SETTINGS_ROLES)
    try:
        days = int(nfkc(str(visitor_retention_days)).strip())
    except ValueError:
        days = 0
    if not rules.MIN_RETENTION_DAYS <= days <= rules.MAX_RETENTION_DAYS:
        message = _("保存日数は%(a)s〜%(b)s日で入力してください。") % {
            "a": rules.MIN_RETENTION_DAYS,
            "b": rules.MAX_RETENTION_DAYS,
        }
        raise ServiceError(message, code="validation", field_errors={"visitor_retention_days": [message]})
    current = FrontdeskSettings.objects.for_company(company).select_for_update(of=("self",)).first()
    before = snapshot(current, SETTINGS_FIELDS) if current is not None else None
    obj = current or FrontdeskSettings(company=company)
    obj.visitor_retention_days = days
    obj.notify_host_by_email = bool(notify_host_by_email)
    obj.save()
    after = snapshot(obj, SETTINGS_FIELDS)
    if after != before:
        record_event(
            company=company,
            actor=actor,
            action="update" if current is not None else "create",
            instance=obj,
            before=before,
            after=after,
        )
    return obj


# ------------------------------------------------------------------------------ erasure


def _expired(company: Company, today: Any) -> Any:
    days = settings_of(company).visitor_retention_days
    cutoff = timezone.make_aware(datetime.combine(rules.erase_before(today, days), time.min))
    return (
        Visit.objects.for_company(company)
        .filter(personal_data_erased_at__isnull=True, expected_at__lt=cutoff)
        .order_by("pk")
    )


def erase_expired_visitor_data(*, company: Company, today: Any = None, batch: int = 500) -> int:
    """Blank the visitor's name, company, phone, e-mail, note and search key of every visit expected
    before the retention period (個人情報保護法22条); the visit stays, anonymous, for counts. The
    arrival notices about those visits lose the name too. Idempotent: erased visits are skipped.
    Runs in batches, one transaction each; the job names itself as the actor of the events."""
    today = today or timezone.localdate()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                _expired(company, today).select_for_update(of=("self",)).values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return total
            total += _erase(company, ids)


def _erase(company: Company, ids: Iterable[int]) -> int:
    now = timezone.now()
    visits = list(Visit.objects.for_company(company).filter(pk__in=list(ids)).order_by("pk"))
    befores = [snapshot(v, AUDIT_FIELDS) for v in visits]
    Visit.objects.for_company(company).filter(pk__in=[v.pk for v in visits]).update(
        visitor_name="",
        visitor_company="",
        visitor_phone="",
        visitor_email="",
        note="",
        search_key="",
        personal_data_erased_at=now,
    )
    Notification.objects.for_company(company).filter(
        object_type="frontdesk.visit", object_id__in=[str(v.pk) for v in visits]
    ).update(text=_("来訪者が到着しました(来訪者の個人情報は保存期間を過ぎたため削除しました)"))
    events = []
    for visit, before in zip(visits, befores, strict=True):
        after = {**before, "personal_data_erased_at": now}
        events.append(
            EventInput(
                action="erase_personal_data",
                instance=visit,
                object_repr=_repr(visit),
                before={**before, PERSONAL_KEY: "記録あり"},
                after={**after, PERSONAL_KEY: "削除済み"},
            )
        )
    record_events(company=company, actor=None, events=events, actor_label=ERASE_JOB_LABEL)
    return len(visits)


def erase_all_companies(today: Any = None) -> str:
    """The daily job over every company (tasks_visits.py)."""
    total = 0
    for company in Company.objects.order_by("pk"):
        total += erase_expired_visitor_data(company=company, today=today)
    return f"{total} visit(s) anonymised"
