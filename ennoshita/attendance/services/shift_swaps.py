"""シフト交換 (swaps): a request between two employees of one department's table, decided by route.

``on_swap_decided`` is named in ``settings.ENNOSHITA_APPROVAL_TYPES["attendance.shift_swap"]``
(as ``ennoshita.attendance.services.shifts.on_swap_decided``, which re-exports every public name of
this module): the approval engine calls it inside the deciding transaction, so a swap that can no
longer be made (a shift changed since the request, a day now on leave or in a closed month) rolls
the decision back with its message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance import shift_selectors as sel
from ennoshita.attendance.models import RequestState, Shift, ShiftPattern, ShiftSwap, ShiftTable
from ennoshita.attendance.rules import shifts as shift_rules
from ennoshita.attendance.rules.shifts import REST_CODE
from ennoshita.attendance.services.closing import ensure_months_open
from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.people import selectors as people_selectors

SWAP_TYPE = sel.SWAP_TYPE


def _invalid(errors: dict[str, list[str]], message: str = "") -> ServiceError:
    if not message and list(errors) == ["__all__"]:
        message = errors["__all__"][0]
    return ServiceError(message or _("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _person(e: Any) -> str:
    return f"{e.number} {e.family_name} {e.given_name}"


def fill_shift(shift: Shift, day: date, code: str, by_code: Mapping[str, ShiftPattern]) -> None:
    """Make ``shift`` hold ``code`` on ``day``: 休, or the pattern's times (a shift over midnight
    ends the next day). Shared with the table's save (services/shifts.py imports it from here, so
    that this module needs nothing from that one)."""
    if code == REST_CODE:
        shift.pattern, shift.is_rest_day, shift.start_at, shift.end_at, shift.break_minutes = (
            None,
            True,
            None,
            None,
            0,
        )
        return
    p = by_code[code]
    start_at, end_at = shift_rules.shift_times(day, p.start_time, p.end_time)
    shift.pattern, shift.is_rest_day, shift.start_at, shift.end_at, shift.break_minutes = (
        p,
        False,
        start_at,
        end_at,
        p.break_minutes,
    )


def _cells_of(company: Company, swap_pairs: list[tuple[int, date]]) -> dict[str, str]:
    codes = {p.pk: p.code for p in sel.patterns(company=company, include_inactive=True)}
    out = {}
    for pk, d in swap_pairs:
        shift = Shift.objects.for_company(company).filter(employee_id=pk, date=d).first()
        out[f"{pk}:{d.isoformat()}"] = sel.cell_code(shift, codes) if shift is not None else ""
    return out


def swap_pairs(swap: ShiftSwap) -> list[tuple[int, date]]:
    """The cells a swap exchanges: both employees' cells on each of its dates."""
    dates = sorted({swap.requester_date, swap.partner_date})
    return [(pk, d) for d in dates for pk in (swap.requester_id, swap.partner_id)]


@transaction.atomic
def request_swap(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    partner_id: int,
    requester_date: date,
    partner_date: date,
    reason: str = "",
) -> ShiftSwap:
    """シフト交換の申請: the member and a colleague of the same department exchange their cells of
    ``requester_date`` (and of ``partner_date`` when it differs): who worked on one day is off on it
    and works the other. Goes to the department's 所属長 by route; nothing changes until approved."""
    requester = people_selectors.own_employee_record(company=company, membership=membership)
    if requester is None:
        raise PermissionDeniedError(_("ログインユーザーに社員の記録が紐付いていません。"))
    partner = people_selectors.employee_by_id(company=company, employee_id=partner_id)
    if partner is None:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if partner.pk == requester.pk:
        errors["partner_id"] = [_("自分以外の社員を選んでください。")]
    for name, d in (("requester_date", requester_date), ("partner_date", partner_date)):
        if d < today:
            errors[name] = [_("過ぎた日のシフトは交換できません。")]
    reason = (reason or "").strip()
    if len(reason) > 500:
        errors["reason"] = [_("理由は500文字以内で入力してください。")]
    if errors:
        raise _invalid(errors)
    swap = ShiftSwap(
        company=company,
        requester=requester,
        partner=partner,
        requester_date=requester_date,
        partner_date=partner_date,
        reason=reason,
        requested_by=actor,
    )
    pairs = swap_pairs(swap)
    shifts = {
        (s.employee_id, s.date): s
        for s in Shift.objects.for_company(company).filter(
            employee_id__in=[requester.pk, partner.pk], date__in=[d for _pk, d in pairs]
        )
    }
    mine = shifts.get((requester.pk, requester_date))
    if mine is None or mine.is_rest_day:
        raise _invalid({"requester_date": [_("この日に自分の勤務のシフトがありません。")]})
    department_id = mine.department_id
    colleagues = {
        e.pk
        for d in {requester_date, partner_date}
        for e in sel.table_employees(company=company, department_id=department_id, month=d.replace(day=1))
    }
    if partner.pk not in colleagues or any(s.department_id != department_id for s in shifts.values()):
        raise _invalid({"partner_id": [_("同じ部署のシフト表にいる社員とだけ交換できます。")]})
    cells = _cells_of(company, pairs)
    after = exchanged_cells(swap, cells)
    if after == cells:
        raise _invalid({"partner_date": [_("交換してもシフトが変わりません。")]})
    busy = ShiftSwap.objects.for_company(company).filter(
        state__in=[RequestState.PENDING, RequestState.RETURNED]
    )
    for other in busy.filter(requester__in=[requester, partner]) | busy.filter(
        partner__in=[requester, partner]
    ):
        if set(swap_pairs(other)) & set(pairs):
            raise _invalid({"__all__": [_("同じシフトの交換申請が既に承認待ちです。")]})
    _check_exchange(company, swap, after)
    swap.cells = cells
    swap.save()
    from ennoshita.approvals import services as approval_services

    department = people_selectors.get_department(company=company, department_id=department_id)
    approval_services.submit_request(
        company=company,
        actor=actor,
        membership=membership,
        request_type=SWAP_TYPE,
        object_id=swap.pk,
        object_repr=_("シフト交換 %(a)s %(ad)s ⇄ %(b)s %(bd)s")
        % {
            "a": requester.family_name,
            "ad": f"{requester_date.month}/{requester_date.day}",
            "b": partner.family_name,
            "bd": f"{partner_date.month}/{partner_date.day}",
        },
        amount=Decimal(0),
        department=department,
        url=reverse("attendance:shift_swap_detail", args=[swap.pk]),
    )
    record_event(
        company=company,
        actor=actor,
        action="submit",
        instance=swap,
        after={"state": swap.state, "cells": cells},
        extra={"partner": partner.pk, "requester_date": requester_date, "partner_date": partner_date},
    )
    return swap


def exchanged_cells(swap: ShiftSwap, cells: Mapping[str, str]) -> dict[str, str]:
    out = dict(cells)
    for d in {swap.requester_date, swap.partner_date}:
        a, b = f"{swap.requester_id}:{d.isoformat()}", f"{swap.partner_id}:{d.isoformat()}"
        out[a], out[b] = cells[b], cells[a]
    return out


def _check_exchange(company: Company, swap: ShiftSwap, after: Mapping[str, str]) -> None:
    """The exchange would put nobody to work on a day of approved leave or in a closed month."""
    days = {(pk, d) for pk, d in swap_pairs(swap)}
    working = {(pk, d) for pk, d in days if after[f"{pk}:{d.isoformat()}"] not in ("", REST_CODE)}
    if working:
        leave = sel.full_leave_days(
            company=company,
            employee_ids={pk for pk, _d in working},
            start=min(d for _pk, d in working),
            end=max(d for _pk, d in working),
        )
        for pk, d in sorted(working, key=lambda k: (k[1], k[0])):
            if (pk, d) in leave:
                who = swap.requester if pk == swap.requester_id else swap.partner
                message = _("%(who)s は %(day)s に承認済みの休暇(%(leave)s)があるため交換できません。") % {
                    "who": _person(who),
                    "day": f"{d.month}月{d.day}日",
                    "leave": leave[(pk, d)],
                }
                raise _invalid({"__all__": [message]}, message)
    ensure_months_open(company=company, days=days)


def _apply_swap(company: Company, actor: User | None, swap: ShiftSwap) -> dict[str, str]:
    pairs = swap_pairs(swap)
    now_cells = _cells_of(company, pairs)
    if now_cells != swap.cells:
        message = _("申請の後にどちらかのシフトが変更されたため、交換できません。申請し直してください。")
        raise ServiceError(message, code="changed", field_errors={"__all__": [message]})
    after = exchanged_cells(swap, now_cells)
    _check_exchange(company, swap, after)
    rows = {
        (s.employee_id, s.date): s
        for s in Shift.objects.for_company(company)
        .select_for_update()
        .filter(employee_id__in=[swap.requester_id, swap.partner_id], date__in=[d for _pk, d in pairs])
    }
    department_id = next(iter(rows.values())).department_id
    by_code = {p.code: p for p in sel.patterns(company=company, include_inactive=True)}
    now = timezone.now()
    for pk, d in pairs:
        code = after[f"{pk}:{d.isoformat()}"]
        shift = rows.get((pk, d))
        if not code:
            if shift is not None:
                shift.delete()
            continue
        if shift is None:
            shift = Shift(company=company, employee_id=pk, date=d, department_id=department_id)
        fill_shift(shift, d, code, by_code)
        shift.updated_by = actor or swap.requested_by
        # an approved swap is published as it is made: the tables already shown keep showing the truth
        shift.published_at = now
        shift.save()
    for d in {swap.requester_date, swap.partner_date}:
        table = (
            ShiftTable.objects.for_company(company)
            .select_for_update()
            .filter(department_id=department_id, month=d.replace(day=1), published_at__isnull=False)
            .first()
        )
        if table is None:
            continue
        published = dict(table.published_cells or {})
        for pk in (swap.requester_id, swap.partner_id):
            row = dict(published.get(str(pk), {}))
            code = after[f"{pk}:{d.isoformat()}"]
            if code:
                row[d.isoformat()] = code
            else:
                row.pop(d.isoformat(), None)
            published[str(pk)] = row
        table.published_cells = published
        table.save(update_fields=["published_cells", "updated_at"])
    return after


STATES = {
    "approved": RequestState.APPROVED,
    "rejected": RequestState.REJECTED,
    "returned": RequestState.RETURNED,
    "withdrawn": RequestState.WITHDRAWN,
}


def on_swap_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction. Approved → the cells are exchanged (or
    refused, which rolls the decision back); any other end sets the state."""
    target = STATES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        swap_id = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    swap = (
        ShiftSwap.objects.for_company(company)
        .select_for_update()
        .select_related("requester", "partner", "requested_by")
        .filter(pk=swap_id)
        .first()
    )
    if swap is None:
        raise NotFound()
    if swap.state not in (RequestState.PENDING, RequestState.RETURNED):
        raise ServiceError(
            _("この交換申請は既に「%(s)s」です。") % {"s": swap.get_state_display()}, code="bad_state"
        )
    before = {"state": swap.state}
    after_cells = None
    if target == RequestState.APPROVED:
        after_cells = _apply_swap(company, actor, swap)
    swap.state = target
    swap.decided_at = timezone.now() if target != RequestState.RETURNED else None
    swap.save(update_fields=["state", "decided_at"])
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=swap,
        before=before,
        after={"state": swap.state, **({"cells": after_cells} if after_cells else {})},
    )
