"""打刻修正申請: a work day as it should have been, with a reason, decided by the approval route
(所属長 → 人事). An approved request voids the day's punches (they stay, for the history) and
writes the proposed ones with source 「打刻修正」, in the deciding transaction, so that the 出勤簿
recomputes lateness and overtime from the corrected times.

``on_correction_decided`` is named in ``settings.ENNOSHITA_APPROVAL_TYPES["attendance.correction"]``:
the approval engine calls it inside the decision's transaction, and a refusal here (a month closed
since the request, punches changed since the request) raises ServiceError and rolls the decision
back: the approver sees the message and may send the request back or reject it instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.attendance import correction_selectors
from ennoshita.attendance.closing_selectors import month_is_locked
from ennoshita.attendance.correction_selectors import REQUEST_TYPE, day_time_label
from ennoshita.attendance.models import (
    Punch,
    PunchCorrection,
    PunchKind,
    PunchSource,
    PunchState,
    RequestState,
)
from ennoshita.attendance.rules import punches as punch_rules
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from .closing import ensure_month_open
from .figures import mark_days_changed
from .punches import day_time

MAX_ROWS = 20
# a past day must end with 退勤; an open shift may be corrected only while it can still be running
OPEN_DAY_GRACE = timedelta(days=1)

# outcome of the approval → the request's state, and the states each may come from
OUTCOMES = {
    "approved": RequestState.APPROVED,
    "rejected": RequestState.REJECTED,
    "returned": RequestState.RETURNED,
    "withdrawn": RequestState.WITHDRAWN,
}
ALLOWED_FROM = {
    RequestState.PENDING: {
        RequestState.APPROVED,
        RequestState.REJECTED,
        RequestState.RETURNED,
        RequestState.WITHDRAWN,
    },
    RequestState.RETURNED: {RequestState.PENDING, RequestState.WITHDRAWN},
}


@dataclass(frozen=True)
class CorrectionRow:
    """One punch of the day as it should be: ``kind`` (in, break_start, break_end, out) and
    ``time`` on the work day as "9:05", "25:30" for 1:30 of the next day."""

    kind: str
    time: str


def _fail(message: str, field: str = "__all__", code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _stored(punches: Sequence[tuple[str, datetime]]) -> list[dict[str, str]]:
    return [{"kind": kind, "at": at.astimezone(TOKYO).isoformat()} for kind, at in punches]


def _loaded(stored: Sequence[dict[str, Any]]) -> list[tuple[str, datetime]]:
    out = []
    for item in stored:
        at = parse_datetime(str(item.get("at", "")))
        if at is not None:
            out.append((str(item.get("kind", "")), at))
    return out


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise _fail(_("修正の理由を入力してください。"), "reason")
    if len(text) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    return text


def _proposed(
    work_date: date, rows: Sequence[CorrectionRow], current: list[Punch]
) -> list[tuple[str, datetime]]:
    """The rows read and put in time order; a row that names a current punch's kind and minute
    keeps that punch's exact time (its seconds), so that an untouched row changes nothing."""
    errors: dict[str, list[str]] = {}
    read: list[tuple[str, datetime]] = []
    if len(rows) > MAX_ROWS:
        raise _fail(_("打刻は1日%(n)d件までです。") % {"n": MAX_ROWS}, "rows")
    for i, row in enumerate(rows):
        kind = (row.kind or "").strip()
        text = (row.time or "").strip()
        at = day_time(work_date, text)
        if kind not in PunchKind.values:
            errors.setdefault(f"rows.{i}.kind", []).append(_("種類を選んでください。"))
        if at is None:
            errors.setdefault(f"rows.{i}.time", []).append(
                _("時刻は 9:05 や 25:30(翌日の1:30)の形で入力してください。")
            )
        if kind in PunchKind.values and at is not None:
            read.append((kind, at))
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    unused = list(current)
    exact: list[tuple[str, datetime]] = []
    for kind, at in read:
        same = next((p for p in unused if p.kind == kind and punch_rules.floor_minute(p.at) == at), None)
        if same is not None:
            unused.remove(same)
            exact.append((kind, same.at))
        else:
            exact.append((kind, at))
    exact.sort(key=lambda item: item[1])
    seen: set[datetime] = set()
    for _kind, at in exact:
        if at in seen:
            raise _fail(
                _("%(time)s の打刻が重なっています。同じ時刻に2つの打刻はできません。")
                % {"time": day_time_label(work_date, at)},
                "rows",
            )
        seen.add(at)
    return exact


def _check_day(
    company: Company, employee: Employee, work_date: date, proposed: list[tuple[str, datetime]], now: datetime
) -> None:
    """The punch rules on the proposed day, and its place between the neighbouring work days."""
    if not proposed:
        return
    ins = [at for kind, at in proposed if kind == punch_rules.IN]
    outs = [at for kind, at in proposed if kind == punch_rules.OUT]
    if ins and outs and min(outs) < min(ins):
        raise _fail(
            _("退勤(%(out)s)が出勤(%(in)s)より前になっています。")
            % {"out": day_time_label(work_date, min(outs)), "in": day_time_label(work_date, min(ins))},
            "rows",
        )
    found = punch_rules.day_intervals(proposed)
    if found.problems:
        raise ServiceError(
            _("出勤 → 休憩開始 → 休憩終了 → 退勤 の順になっていません。"),
            code="validation",
            field_errors={
                "rows": [_("出勤 → 休憩開始 → 休憩終了 → 退勤 の順になっていません。"), *found.problems]
            },
        )
    if proposed[-1][1] > now:
        raise _fail(
            _("まだ来ていない時刻(%(t)s)は入力できません。")
            % {"t": day_time_label(work_date, proposed[-1][1])},
            "rows",
        )
    if found.open_since is not None:
        later = (
            Punch.objects.for_company(company)
            .filter(employee=employee, work_date__gt=work_date, voided_at__isnull=True)
            .exists()
        )
        if later or work_date < timezone.localdate(now) - OPEN_DAY_GRACE:
            raise _fail(_("退勤の打刻を入れてください(過ぎた勤務日は退勤までそろえて申請します)。"), "rows")
    before = (
        Punch.objects.for_company(company)
        .filter(employee=employee, work_date__lt=work_date, voided_at__isnull=True)
        .order_by("-at", "-pk")
        .first()
    )
    if before is not None and proposed[0][1] <= before.at:
        raise _fail(
            _("前の勤務日(%(d)s)の最後の打刻(%(t)s)と重なっています。それより後の時刻にしてください。")
            % {
                "d": before.work_date.strftime("%Y-%m-%d"),
                "t": timezone.localtime(before.at).strftime("%m/%d %H:%M"),
            },
            "rows",
        )
    after = (
        Punch.objects.for_company(company)
        .filter(employee=employee, work_date__gt=work_date, voided_at__isnull=True)
        .order_by("at", "pk")
        .first()
    )
    if after is not None and proposed[-1][1] >= after.at:
        raise _fail(
            _("次の勤務日(%(d)s)の最初の打刻(%(t)s)と重なっています。それより前の時刻にしてください。")
            % {
                "d": after.work_date.strftime("%Y-%m-%d"),
                "t": timezone.localtime(after.at).strftime("%m/%d %H:%M"),
            },
            "rows",
        )


def _validated(
    *,
    company: Company,
    employee: Employee,
    work_date: date,
    rows: Sequence[CorrectionRow],
    reason: str,
    now: datetime,
    exclude_id: int | None = None,
) -> tuple[str, list[tuple[str, datetime]], list[tuple[str, datetime]]]:
    """(reason, before, proposed), or a ServiceError that names what is wrong."""
    reason = _reason(reason)
    today = timezone.localdate(now)
    if work_date > today:
        raise _fail(_("まだ来ていない日の打刻は修正できません。"), "work_date")
    if work_date < employee.hire_date or (
        employee.retire_date is not None and work_date > employee.retire_date
    ):
        raise _fail(_("在籍していない日の打刻は修正できません。"), "work_date")
    ensure_month_open(company=company, employee_id=employee.pk, day=work_date, field="work_date")
    open_one = correction_selectors.open_correction(
        company=company, employee_id=employee.pk, work_date=work_date
    )
    if open_one is not None and open_one.pk != exclude_id:
        raise _fail(
            _("この日の打刻修正申請(%(state)s)が既にあります。1日に出せる申請は1件です。")
            % {"state": open_one.get_state_display()},
            "work_date",
            code="duplicate",
        )
    current = correction_selectors.day_punches(company=company, employee_id=employee.pk, work_date=work_date)
    proposed = _proposed(work_date, rows, current)
    before = [(p.kind, p.at) for p in current]
    if proposed == before:
        raise _fail(_("打刻が今と同じです。変更する行を入力してください。"), "rows", code="no_change")
    _check_day(company, employee, work_date, proposed, now)
    return reason, before, proposed


def _repr(employee: Employee, work_date: date) -> str:
    return f"{employee.number} {employee.family_name} {employee.given_name} {work_date:%Y-%m-%d}"


def _department(company: Company, employee: Employee, work_date: date) -> Any:
    """The route runs from the employee's department (their 所属長 decides first)."""
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=work_date)
    if placement is None:
        placement = people_selectors.placement_as_of(
            company=company, employee=employee, as_of=timezone.localdate()
        )
    return placement.department if placement is not None else None


@transaction.atomic
def submit_correction(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int | None,
    work_date: date,
    rows: Sequence[CorrectionRow],
    reason: str,
    now: datetime | None = None,
) -> PunchCorrection:
    """申請: the day as it should be (``rows``; none at all removes the day's punches) and why. The
    employee for their own day (``employee_id`` None or their own), a 所属長 for their team, 人事
    for anyone. Refused, nothing written: the day in a closed month or the future, the punch
    order broken, a time overlapping the neighbouring days, no change, a request already open."""
    now = now or timezone.now()
    employee = correction_selectors.employee_for_correction(
        company=company, membership=membership, employee_id=employee_id, work_date=work_date
    )
    reason, before, proposed = _validated(
        company=company, employee=employee, work_date=work_date, rows=rows, reason=reason, now=now
    )
    correction = PunchCorrection(
        company=company,
        employee=employee,
        work_date=work_date,
        reason=reason,
        before=_stored(before),
        proposed=_stored(proposed),
        state=RequestState.PENDING,
        requested_by=actor,
    )
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as exc:  # another request for the day won the race
        raise _fail(
            _("この日の打刻修正申請が既にあります。1日に出せる申請は1件です。"), "work_date", "duplicate"
        ) from exc
    approval_services.submit_request(
        company=company,
        actor=actor,
        membership=membership,
        request_type=REQUEST_TYPE,
        object_id=correction.pk,
        object_repr=_("打刻修正 %(who)s") % {"who": _repr(employee, work_date)},
        amount=Decimal(0),
        department=_department(company, employee, work_date),
        url=reverse("attendance:correction_detail", args=[correction.pk]),
    )
    record_event(
        company=company,
        actor=actor,
        action="submit",
        instance=correction,
        object_repr=_repr(employee, work_date),
        after={
            "state": correction.state,
            "reason": reason,
            "before": correction.before,
            "proposed": correction.proposed,
        },
    )
    return correction


def _locked(company: Company, correction: PunchCorrection) -> PunchCorrection:
    found = (
        PunchCorrection.objects.for_company(company)
        .select_for_update()
        .filter(pk=correction.pk)
        .select_related("employee")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def resubmit_correction(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    correction: PunchCorrection,
    rows: Sequence[CorrectionRow],
    reason: str,
    now: datetime | None = None,
) -> PunchCorrection:
    """After 差し戻し the requester sets the day again and resubmits: checked as a new request (the
    day's punches as they are now become ``before``), then the route starts again."""
    now = now or timezone.now()
    correction = _locked(company, correction)
    if correction.requested_by_id != actor.pk:
        raise PermissionDeniedError(_("再申請できるのは申請者本人だけです。"))
    if correction.state != RequestState.RETURNED:
        raise _fail(_("差し戻された申請だけを直して再申請できます。"), code="bad_state")
    employee = correction.employee
    reason, before, proposed = _validated(
        company=company,
        employee=employee,
        work_date=correction.work_date,
        rows=rows,
        reason=reason,
        now=now,
        exclude_id=correction.pk,
    )
    request = approval_selectors.request_for(
        company=company, request_type=REQUEST_TYPE, object_id=correction.pk
    )
    if request is None:
        raise NotFound()
    old = {
        "state": correction.state,
        "reason": correction.reason,
        "before": correction.before,
        "proposed": correction.proposed,
    }
    correction.reason, correction.before, correction.proposed = reason, _stored(before), _stored(proposed)
    correction.state = RequestState.PENDING
    correction.decided_at = None
    correction.save()
    approval_services.resubmit(company=company, actor=actor, membership=membership, request=request)
    record_event(
        company=company,
        actor=actor,
        action="resubmit",
        instance=correction,
        object_repr=_repr(employee, correction.work_date),
        before=old,
        after={
            "state": correction.state,
            "reason": reason,
            "before": correction.before,
            "proposed": correction.proposed,
        },
    )
    return correction


# ------------------------------------------------------------------------------ the decision
def _refresh_state(company: Company, state: PunchState) -> None:
    """Keep the button's state machine honest: the state is the employee's latest punch again."""
    latest = (
        Punch.objects.for_company(company)
        .filter(employee_id=state.employee_id, voided_at__isnull=True)
        .order_by("-at", "-pk")
        .first()
    )
    if latest is None:
        state.last_kind, state.last_at, state.work_date, state.clock_in_at = "", None, None, None
    else:
        state.last_kind, state.last_at, state.work_date = latest.kind, latest.at, latest.work_date
        state.clock_in_at = None
        if latest.kind != punch_rules.OUT:
            opened = (
                Punch.objects.for_company(company)
                .filter(
                    employee_id=state.employee_id,
                    work_date=latest.work_date,
                    kind=punch_rules.IN,
                    voided_at__isnull=True,
                )
                .order_by("-at", "-pk")
                .first()
            )
            state.clock_in_at = opened.at if opened is not None else None
    state.save()


def _apply(company: Company, actor: User | None, correction: PunchCorrection) -> dict[str, Any]:
    """Void the day's punches and write the proposed ones; the state follows when the day is the
    employee's latest. Refused when the month was closed or the day changed since the request."""
    employee = correction.employee
    work_date = correction.work_date
    PunchState.objects.get_or_create(company=company, employee=employee)
    state = PunchState.objects.select_for_update().get(company=company, employee=employee)
    if month_is_locked(company=company, employee_id=employee.pk, day=work_date):
        message = _(
            "%(month)s は勤怠が締められているため、この打刻修正申請は承認できません。"
            "人事に締めの解除を依頼するか、差し戻し・却下してください。"
        ) % {"month": f"{work_date.year}年{work_date.month}月"}
        raise ServiceError(message, code="month_closed", field_errors={"__all__": [message]})
    current = correction_selectors.day_punches(company=company, employee_id=employee.pk, work_date=work_date)
    if [(p.kind, p.at) for p in current] != _loaded(correction.before):
        message = _(
            "申請の後でこの日の打刻が変わったため、承認できません。差し戻して、申請者に内容を確かめてもらってください。"
        )
        raise ServiceError(message, code="stale", field_errors={"__all__": [message]})
    now = timezone.now()
    Punch.objects.filter(pk__in=[p.pk for p in current]).update(voided_at=now, voided_by=correction)
    created = [
        Punch(
            company=company,
            employee=employee,
            work_date=work_date,
            kind=kind,
            at=at,
            source=PunchSource.CORRECTION,
            note=_("打刻修正申請 #%(id)d") % {"id": correction.pk},
            recorded_by=correction.requested_by,
            correction=correction,
        )
        for kind, at in _loaded(correction.proposed)
    ]
    Punch.objects.bulk_create(created)
    mark_days_changed(company=company, days=[(employee.pk, work_date)])
    _refresh_state(company, state)
    return {"voided": [p.pk for p in current], "created": [p.pk for p in created]}


def on_correction_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction: approved → applied (or refused, the
    decision rolling back with it); 却下・差し戻し・取り下げ → the request's state."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        correction_id = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    correction = (
        PunchCorrection.objects.for_company(company)
        .select_for_update()
        .select_related("employee", "requested_by")
        .filter(pk=correction_id)
        .first()
    )
    if correction is None:
        raise NotFound()
    if target not in ALLOWED_FROM.get(RequestState(correction.state), set()):
        raise _fail(
            _("「%(state)s」の打刻修正申請はこの操作ができません。")
            % {"state": correction.get_state_display()},
            code="bad_state",
        )
    before_state = correction.state
    extra: dict[str, Any] = {}
    if target == RequestState.APPROVED:
        extra = _apply(company, actor, correction)
        correction.applied_at = timezone.now()
    correction.state = target
    correction.decided_at = timezone.now()
    correction.save()
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=correction,
        object_repr=_repr(correction.employee, correction.work_date),
        before={"state": before_state, **({"punches": correction.before} if extra else {})},
        after={"state": correction.state, **({"punches": correction.proposed} if extra else {})},
        extra=extra or None,
    )
