"""勤怠締め writes (the employee's confirmation, 人事's lock, the reopen with a reason) and the
check every other attendance write makes before touching a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance import closing_selectors
from ennoshita.attendance.closing_selectors import locked_months, month_is_locked
from ennoshita.attendance.models import CloseAction, MonthClose, MonthCloseEvent
from ennoshita.attendance.services.figures import mark_days_changed
from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee


def ensure_month_open(*, company: Company, employee_id: int, day: date, field: str = "__all__") -> None:
    """Refuse (nothing written) a write into a closed month: it changes only after a reopen.
    Where the write may go on, the stored 36協定 figures of the months around the day are marked
    for recomputation (in the caller's transaction: a write that fails later takes the mark back)."""
    if month_is_locked(company=company, employee_id=employee_id, day=day):
        message = _(
            "%(month)s は勤怠が締められています。変更するには人事に締めの解除を依頼してください。"
        ) % {"month": f"{day.year}年{day.month}月"}
        raise ServiceError(message, code="month_closed", field_errors={field: [message]})
    mark_days_changed(company=company, days=[(employee_id, day)])


def ensure_months_open(*, company: Company, days: set[tuple[int, date]], field: str = "__all__") -> None:
    """The same for many (employee id, day) pairs in one query (imports, shift tables), and the
    same marking."""
    if not days:
        return
    closed = locked_months(
        company=company,
        employee_ids={pk for pk, _d in days},
        start=min(d for _pk, d in days),
        end=max(d for _pk, d in days),
    )
    hit = sorted({(pk, d.replace(day=1)) for pk, d in days} & closed)
    if hit:
        month = hit[0][1]
        message = _(
            "%(month)s は勤怠が締められています。変更するには人事に締めの解除を依頼してください。"
        ) % {"month": f"{month.year}年{month.month}月"}
        raise ServiceError(message, code="month_closed", field_errors={field: [message]})
    mark_days_changed(company=company, days=days)


# ------------------------------------------------------------------------------ the steps
@dataclass(frozen=True)
class BulkLockResult:
    locked: int
    without_confirmation: int
    already_locked: int


def _month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def _fail(message: str, field: str = "__all__", code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _employee(company: Company, employee_id: int, month: date) -> Employee:
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    if not closing_selectors.in_service_during(employee, month):
        raise _fail(_("%(month)s は在籍していない月です。") % {"month": _month_label(month)}, "month")
    return employee


def _locked_close(company: Company, employee: Employee, month: date) -> MonthClose:
    """The employee's month row, created when missing, locked for this transaction."""
    if not MonthClose.objects.for_company(company).filter(employee=employee, month=month).exists():
        try:
            with transaction.atomic():
                MonthClose.objects.create(company=company, employee=employee, month=month)
        except IntegrityError:  # another request made it first
            pass
    return MonthClose.objects.select_for_update().get(company=company, employee=employee, month=month)


def _state(close: MonthClose) -> dict[str, Any]:
    return snapshot(close, ("confirmed_at", "confirmed_by", "locked_at", "locked_by"))


def _step(
    company: Company,
    actor: User,
    close: MonthClose,
    employee: Employee,
    action: str,
    before: dict[str, Any],
    *,
    reason: str = "",
    without_confirmation: bool = False,
) -> EventInput:
    """The MonthCloseEvent row of a step, and its audit event (returned for the caller to record)."""
    close.save()
    MonthCloseEvent.objects.create(
        company=company,
        close=close,
        action=action,
        reason=reason,
        without_confirmation=without_confirmation,
        actor=actor,
    )
    extra: dict[str, Any] = {"month": close.month.strftime("%Y-%m")}
    if reason:
        extra["reason"] = reason
    if without_confirmation:
        extra["without_confirmation"] = True
    return EventInput(
        action,
        instance=close,
        object_repr=f"{employee.number} {employee.family_name} {employee.given_name} {_month_label(close.month)}",
        before=before,
        after=_state(close),
        extra=extra,
    )


def _month(month: date, today: date | None = None, *, must_have_ended: bool = True) -> date:
    month = month.replace(day=1)
    if must_have_ended and not closing_selectors.month_has_ended(month, today):
        raise _fail(
            _("%(month)s はまだ終わっていません。月が終わってから操作してください。")
            % {"month": _month_label(month)},
            "month",
        )
    return month


@transaction.atomic
def confirm_month(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int,
    month: date,
    today: date | None = None,
) -> MonthClose:
    """本人確認: the employee confirms their own month once it has ended (not when it is locked)."""
    month = month.replace(day=1)
    employee = _employee(company, employee_id, month)
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if own is None or own.pk != employee.pk:
        raise PermissionDeniedError(_("本人確認は社員本人だけができます。"))
    _month(month, today)
    close = _locked_close(company, employee, month)
    if close.locked_at is not None:
        raise _fail(_("%(month)s は締められています。") % {"month": _month_label(month)}, code="month_closed")
    if close.confirmed_at is not None:
        raise _fail(_("%(month)s は確認済みです。") % {"month": _month_label(month)}, code="already")
    before = _state(close)
    close.confirmed_at, close.confirmed_by = timezone.now(), actor
    record_events(
        company=company,
        actor=actor,
        events=[_step(company, actor, close, employee, CloseAction.CONFIRM, before)],
    )
    return close


@transaction.atomic
def unconfirm_month(
    *, company: Company, actor: User, membership: Membership, employee_id: int, month: date
) -> MonthClose:
    """本人確認の取り消し, by the employee, while the month is not locked."""
    month = month.replace(day=1)
    employee = _employee(company, employee_id, month)
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if own is None or own.pk != employee.pk:
        raise PermissionDeniedError(_("本人確認を取り消せるのは社員本人だけです。"))
    close = _locked_close(company, employee, month)
    if close.locked_at is not None:
        raise _fail(
            _("%(month)s は締められているため、確認を取り消せません。人事に締めの解除を依頼してください。")
            % {"month": _month_label(month)},
            code="month_closed",
        )
    if close.confirmed_at is None:
        raise _fail(_("%(month)s はまだ確認していません。") % {"month": _month_label(month)}, code="already")
    before = _state(close)
    close.confirmed_at, close.confirmed_by = None, None
    record_events(
        company=company,
        actor=actor,
        events=[_step(company, actor, close, employee, CloseAction.UNCONFIRM, before)],
    )
    return close


def _clean_reason(reason: str, *, required: bool) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise _fail(_("締めの解除の理由を入力してください。"), "reason")
    if len(text) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    return text


@transaction.atomic
def lock_month(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int,
    month: date,
    reason: str = "",
    today: date | None = None,
) -> MonthClose:
    """締め by 人事 or an admin, once the month has ended. Allowed without the employee's
    confirmation: the step then records ``without_confirmation`` and the screens show it."""
    require_role(membership, *closing_selectors.CLOSE_ROLES)
    month = month.replace(day=1)
    employee = _employee(company, employee_id, month)
    _month(month, today)
    reason = _clean_reason(reason, required=False)
    close = _locked_close(company, employee, month)
    if close.locked_at is not None:
        raise _fail(_("%(month)s は既に締められています。") % {"month": _month_label(month)}, code="already")
    before = _state(close)
    close.locked_at, close.locked_by = timezone.now(), actor
    event = _step(
        company, actor, close, employee, CloseAction.LOCK, before, reason=reason,
        without_confirmation=close.confirmed_at is None,
    )  # fmt: skip
    record_events(company=company, actor=actor, events=[event])
    return close


@transaction.atomic
def lock_months(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    month: date,
    include_unconfirmed: bool,
    today: date | None = None,
) -> BulkLockResult:
    """締め of every employee in service that month and not yet locked: only those who confirmed,
    or (``include_unconfirmed``) everyone, each lock without confirmation recorded as such."""
    require_role(membership, *closing_selectors.CLOSE_ROLES)
    month = _month(month, today)
    employees = list(closing_selectors.month_employees(company=company, membership=membership, month=month))
    events: list[EventInput] = []
    locked = without = already = 0
    now = timezone.now()
    for employee in employees:
        close = _locked_close(company, employee, month)
        if close.locked_at is not None:
            already += 1
            continue
        if close.confirmed_at is None and not include_unconfirmed:
            continue
        before = _state(close)
        close.locked_at, close.locked_by = now, actor
        unconfirmed = close.confirmed_at is None
        events.append(
            _step(company, actor, close, employee, CloseAction.LOCK, before, without_confirmation=unconfirmed)
        )
        locked += 1
        without += int(unconfirmed)
    record_events(company=company, actor=actor, events=events)
    return BulkLockResult(locked=locked, without_confirmation=without, already_locked=already)


@transaction.atomic
def reopen_month(
    *, company: Company, actor: User, membership: Membership, employee_id: int, month: date, reason: str
) -> MonthClose:
    """締めの解除 by 人事 or an admin, with a reason (required). The employee's confirmation is
    taken back too: what changes after the reopen is confirmed again before the next lock."""
    require_role(membership, *closing_selectors.CLOSE_ROLES)
    month = month.replace(day=1)
    reason = _clean_reason(reason, required=True)
    employee = _employee(company, employee_id, month)
    close = _locked_close(company, employee, month)
    if close.locked_at is None:
        raise _fail(_("%(month)s は締められていません。") % {"month": _month_label(month)}, code="already")
    before = _state(close)
    close.locked_at = close.locked_by = None
    close.confirmed_at = close.confirmed_by = None
    event = _step(company, actor, close, employee, CloseAction.REOPEN, before, reason=reason)
    record_events(company=company, actor=actor, events=[event])
    return close
