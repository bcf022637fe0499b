"""シフト writes: patterns (人事), the settings of the checks, a department's monthly table saved
whole (all or nothing) and publishing (公開). Shift swaps (シフト交換, decided by route) are in
services/shift_swaps.py; their public names are re-exported here (``on_swap_decided`` is named in
``settings.ENNOSHITA_APPROVAL_TYPES["attendance.shift_swap"]`` by this module's path).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance import shift_selectors as sel
from ennoshita.attendance.models import RestDayRule, Shift, ShiftPattern, ShiftSettings, ShiftTable
from ennoshita.attendance.rules import shifts as shift_rules
from ennoshita.attendance.rules.shifts import REST_CODE, ShiftWarning
from ennoshita.attendance.services.closing import ensure_months_open
from ennoshita.attendance.services.figures import mark_days_changed
from ennoshita.attendance.services.shift_swaps import STATES as STATES
from ennoshita.attendance.services.shift_swaps import SWAP_TYPE as SWAP_TYPE
from ennoshita.attendance.services.shift_swaps import exchanged_cells as exchanged_cells
from ennoshita.attendance.services.shift_swaps import fill_shift
from ennoshita.attendance.services.shift_swaps import on_swap_decided as on_swap_decided
from ennoshita.attendance.services.shift_swaps import request_swap as request_swap
from ennoshita.attendance.services.shift_swaps import swap_pairs as swap_pairs
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

PATTERN_FIELDS = (
    "code",
    "name",
    "start_time",
    "end_time",
    "break_minutes",
    "color",
    "is_active",
    "sort_order",
)
SETTINGS_FIELDS = ("rest_rule", "four_week_start", "min_rest_minutes")


def _invalid(errors: dict[str, list[str]], message: str = "") -> ServiceError:
    if not message and list(errors) == ["__all__"]:
        message = errors["__all__"][0]
    return ServiceError(message or _("入力内容に誤りがあります。"), code="validation", field_errors=errors)


# ------------------------------------------------------------------------------ patterns
@dataclass(frozen=True)
class PatternInput:
    code: str
    name: str
    start_time: time
    end_time: time
    break_minutes: int
    color: str = "#4f7cac"
    sort_order: int = 0


def _clean_pattern(data: PatternInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = (data.code or "").strip()
    name = (data.name or "").strip()
    color = (data.color or "").strip().lower() or "#4f7cac"
    if not code:
        errors["code"] = [_("記号を入力してください。")]
    elif len(code) > 8:
        errors["code"] = [_("記号は8文字以内で入力してください。")]
    elif code == REST_CODE:
        errors["code"] = [_("「休」は休日の記号として使われています。別の記号にしてください。")]
    if not name:
        errors["name"] = [_("名称を入力してください。")]
    elif len(name) > 50:
        errors["name"] = [_("名称は50文字以内で入力してください。")]
    if len(color) != 7 or not color.startswith("#") or any(c not in "0123456789abcdef" for c in color[1:]):
        errors["color"] = [_("色は #RRGGBB の形で入力してください。")]
    if not isinstance(data.break_minutes, int) or not 0 <= data.break_minutes <= 24 * 60:
        errors["break_minutes"] = [_("休憩は0〜1440分で入力してください。")]
    else:
        refusal = shift_rules.break_refusal(
            start=data.start_time, end=data.end_time, break_minutes=data.break_minutes
        )
        if refusal:
            errors["break_minutes"] = [refusal]
    if errors:
        raise _invalid(errors)
    return {
        "code": code,
        "name": name,
        "start_time": data.start_time.replace(second=0, microsecond=0),
        "end_time": data.end_time.replace(second=0, microsecond=0),
        "break_minutes": data.break_minutes,
        "color": color,
        "sort_order": data.sort_order,
    }


@transaction.atomic
def save_pattern(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: PatternInput,
    pattern: ShiftPattern | None = None,
) -> ShiftPattern:
    """Create or change a pattern (人事, admins). The break must satisfy 労基法34条; an end at or
    before the start ends the next day (9:00–9:00 is a 24-hour 当直). Existing shifts keep the
    times they were given."""
    require_role(membership, *sel.PATTERN_ROLES)
    values = _clean_pattern(data)
    if pattern is not None:
        pattern = ShiftPattern.objects.for_company(company).select_for_update().filter(pk=pattern.pk).first()
        if pattern is None:
            raise NotFound()
    clash = ShiftPattern.objects.for_company(company).filter(code=values["code"])
    if pattern is not None:
        clash = clash.exclude(pk=pattern.pk)
    if clash.exists():
        raise _invalid({"code": [_("記号「%(code)s」は既に使われています。") % {"code": values["code"]}]})
    before = snapshot(pattern, PATTERN_FIELDS) if pattern is not None else None
    if pattern is None:
        pattern = ShiftPattern(company=company)
    for k, v in values.items():
        setattr(pattern, k, v)
    pattern.save()
    after = snapshot(pattern, PATTERN_FIELDS)
    if after != before:
        record_event(
            company=company,
            actor=actor,
            action="update" if before else "create",
            instance=pattern,
            before=before,
            after=after,
        )
    return pattern


@transaction.atomic
def set_pattern_active(
    *, company: Company, actor: User, membership: Membership, pattern: ShiftPattern, active: bool
) -> ShiftPattern:
    """無効にする / 有効に戻す: an inactive pattern cannot be put in a table again (cells that hold it stay)."""
    require_role(membership, *sel.PATTERN_ROLES)
    row = ShiftPattern.objects.for_company(company).select_for_update().filter(pk=pattern.pk).first()
    if row is None:
        raise NotFound()
    if row.is_active != bool(active):
        before = snapshot(row, ("is_active",))
        row.is_active = bool(active)
        row.save(update_fields=["is_active"])
        record_event(
            company=company,
            actor=actor,
            action="activate" if active else "deactivate",
            instance=row,
            before=before,
            after=snapshot(row, ("is_active",)),
        )
    return row


@transaction.atomic
def update_shift_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    rest_rule: str,
    four_week_start: date | None,
    min_rest_minutes: int,
) -> ShiftSettings:
    """The checks of every table: 週1日 or 4週4日 (with its 起算日, 労基則12条の2第2項) and the
    勤務間インターバル worth a warning."""
    require_role(membership, *sel.PATTERN_ROLES)
    errors: dict[str, list[str]] = {}
    if rest_rule not in RestDayRule.values:
        errors["rest_rule"] = [_("休日の基準を選んでください。")]
    elif rest_rule == RestDayRule.FOUR_WEEKS and four_week_start is None:
        errors["four_week_start"] = [
            _("4週4日とするときは、就業規則で定めた4週の起算日を入力してください(労基則12条の2第2項)。")
        ]
    if not isinstance(min_rest_minutes, int) or not 0 <= min_rest_minutes <= 24 * 60:
        errors["min_rest_minutes"] = [_("勤務間インターバルは0〜1440分で入力してください。")]
    if errors:
        raise _invalid(errors)
    row, _created = ShiftSettings.objects.get_or_create(company=company)
    row = ShiftSettings.objects.select_for_update().get(pk=row.pk)
    before = snapshot(row, SETTINGS_FIELDS)
    row.rest_rule = rest_rule
    row.four_week_start = four_week_start if rest_rule == RestDayRule.FOUR_WEEKS else None
    row.min_rest_minutes = min_rest_minutes
    row.save()
    after = snapshot(row, SETTINGS_FIELDS)
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=row, before=before, after=after)
    return row


# ------------------------------------------------------------------------------ the table
@dataclass(frozen=True)
class TableSaveResult:
    table: ShiftTable
    changed: int  # cells written (set, changed or cleared)
    warnings: dict[int, list[ShiftWarning]]  # employee id → warnings of the saved month


def _locked_table(company: Company, department_id: int, month: date) -> ShiftTable:
    ShiftTable.objects.get_or_create(company=company, department_id=department_id, month=month)
    return (
        ShiftTable.objects.for_company(company)
        .select_for_update()
        .get(department_id=department_id, month=month)
    )


def _person(e: Any) -> str:
    return f"{e.number} {e.family_name} {e.given_name}"


@transaction.atomic
def save_table(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    department_id: int,
    month: date,
    cells: Mapping[int, Mapping[date, str]],
    revision: int | None = None,
) -> TableSaveResult:
    """Save a department's whole month (人事, admins, or the department's 所属長): ``cells`` is
    employee id → date → a pattern code, 休, or "" (empty); a cell not given is empty. Every cell is
    checked before anything is written: an employee not in the table, a day outside the month or
    out of service, an unknown or inactive code, a working shift on a day of approved leave, a
    change in a closed month. Any refusal leaves the table as it was. ``revision`` (what the
    editor loaded) refuses a save over someone else's newer one. Warnings never refuse."""
    month = month.replace(day=1)
    department = people_selectors.get_department(company=company, department_id=department_id)
    if not sel.can_edit_table(company=company, membership=membership, department_id=department.pk):
        if not sel.can_use_tables(company=company, membership=membership):
            raise PermissionDeniedError()
        raise NotFound()
    table = _locked_table(company, department.pk, month)
    if revision is not None and revision != table.revision:
        error = ServiceError(
            _("このシフト表は、読み込んだ後にほかの人が保存しています。読み込み直してから入力してください。"),
            code="conflict",
        )
        error.status = 409
        raise error
    end = sel.month_end(month)
    employees = {
        e.pk: e for e in sel.table_employees(company=company, department_id=department.pk, month=month)
    }
    all_patterns = list(sel.patterns(company=company, include_inactive=True))
    by_code = {p.code: p for p in all_patterns}
    codes = {p.pk: p.code for p in all_patterns}
    stored = sel.current_cells(company=company, employee_ids=list(employees), start=month, end=end)
    errors: dict[str, list[str]] = {}
    wanted: dict[tuple[int, date], str] = {}
    for raw_id, row in cells.items():
        try:
            employee_id = int(raw_id)
        except (TypeError, ValueError):
            employee_id = -1
        if employee_id not in employees:
            errors[f"cells.{raw_id}"] = [_("この部署の社員ではありません。")]
            continue
        e = employees[employee_id]
        for day, raw in (row or {}).items():
            key = f"cells.{employee_id}.{day}"
            code = (raw or "").strip()
            if not isinstance(day, date) or not month <= day <= end:
                errors[key] = [_("%(day)s はこの月の日付ではありません。") % {"day": day}]
                continue
            if code and not sel.in_service(e, day):
                errors[key] = [_("%(who)s は %(day)s に在籍していません。") % {"who": _person(e), "day": day}]
                continue
            if code and code != REST_CODE and code not in by_code:
                errors[key] = [_("「%(code)s」というシフトパターンはありません。") % {"code": code}]
                continue
            wanted[(employee_id, day)] = code
    # every cell of the table: the ones not sent are empty
    changes: dict[tuple[int, date], str] = {}
    for employee_id in employees:
        for day in shift_rules.days_of_month(month):
            code = wanted.get((employee_id, day), "")
            shift = stored.get(employee_id, {}).get(day)
            old = sel.cell_code(shift, codes) if shift is not None else ""
            if code == old:
                continue
            if code and code != REST_CODE and not by_code[code].is_active:
                errors[f"cells.{employee_id}.{day}"] = [
                    _("「%(code)s」は無効にされたパターンです。") % {"code": code}
                ]
                continue
            changes[(employee_id, day)] = code
    working = [(pk, d) for (pk, d), code in changes.items() if code and code != REST_CODE]
    if working:
        leave = sel.full_leave_days(
            company=company, employee_ids={pk for pk, _d in working}, start=month, end=end
        )
        for pk, d in sorted(working, key=lambda k: (employees[k[0]].number, k[1])):
            if (pk, d) in leave:
                errors[f"cells.{pk}.{d}"] = [
                    _(
                        "%(who)s は %(day)s に承認済みの休暇(%(leave)s)があるため、勤務のシフトを入れられません。"
                    )
                    % {"who": _person(employees[pk]), "day": f"{d.month}月{d.day}日", "leave": leave[(pk, d)]}
                ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise _invalid(errors, _("シフト表を保存できません: %(first)s") % {"first": first})
    ensure_months_open(company=company, days=set(changes), field="cells")
    if changes:
        _write(company, actor, department.pk, changes, stored, by_code)
        table.revision += 1
        table.save(update_fields=["revision", "updated_at"])
        record_event(
            company=company,
            actor=actor,
            action="update",
            instance=table,
            object_repr=f"{department.name} {month:%Y-%m}",
            before={"revision": table.revision - 1},
            after={"revision": table.revision},
            extra={
                "cells": {
                    f"{pk}:{d.isoformat()}": [
                        sel.cell_code(stored[pk][d], codes) if d in stored.get(pk, {}) else "",
                        code,
                    ]
                    for (pk, d), code in sorted(changes.items())
                }
            },
        )
    warnings = sel.check_cells(
        company=company,
        membership=membership,
        department_id=department.pk,
        month=month,
        cells={pk: {d: c for (p, d), c in wanted.items() if p == pk} for pk in employees},
    )
    return TableSaveResult(table=table, changed=len(changes), warnings=warnings)


def _write(
    company: Company,
    actor: User,
    department_id: int,
    changes: Mapping[tuple[int, date], str],
    stored: Mapping[int, Mapping[date, Shift]],
    by_code: Mapping[str, ShiftPattern],
) -> None:
    delete_ids: list[int] = []
    updates: list[Shift] = []
    creates: list[Shift] = []
    now = timezone.now()
    for (pk, day), code in changes.items():
        shift = stored.get(pk, {}).get(day)
        if not code:
            if shift is not None:
                delete_ids.append(shift.pk)
            continue
        if shift is None:
            shift = Shift(company=company, employee_id=pk, date=day)
            creates.append(shift)
        else:
            updates.append(shift)
        fill_shift(shift, day, code, by_code)
        shift.department_id = department_id
        shift.updated_by = actor
        shift.updated_at = now
    if delete_ids:
        Shift.objects.for_company(company).filter(pk__in=delete_ids).delete()
    if updates:
        Shift.objects.bulk_update(
            updates,
            [
                "pattern",
                "is_rest_day",
                "start_at",
                "end_at",
                "break_minutes",
                "department",
                "updated_by",
                "updated_at",
            ],
            batch_size=500,
        )
    if creates:
        Shift.objects.bulk_create(creates, batch_size=500)


@transaction.atomic
def publish_table(
    *, company: Company, actor: User, membership: Membership, department_id: int, month: date
) -> ShiftTable:
    """公開: the employees see the month as it is now (自分のシフト); later changes are marked on the
    table and reach them only when it is published again."""
    month = month.replace(day=1)
    department = people_selectors.get_department(company=company, department_id=department_id)
    if not sel.can_edit_table(company=company, membership=membership, department_id=department.pk):
        if not sel.can_use_tables(company=company, membership=membership):
            raise PermissionDeniedError()
        raise NotFound()
    table = _locked_table(company, department.pk, month)
    end = sel.month_end(month)
    employees = sel.table_employees(company=company, department_id=department.pk, month=month)
    codes = {p.pk: p.code for p in sel.patterns(company=company, include_inactive=True)}
    stored = sel.current_cells(company=company, employee_ids=[e.pk for e in employees], start=month, end=end)
    cells = {
        str(pk): {d.isoformat(): sel.cell_code(s, codes) for d, s in sorted(days.items())}
        for pk, days in stored.items()
    }
    now = timezone.now()
    before = {"published_at": table.published_at, "revision": table.revision}
    table.published_at, table.published_by, table.published_cells = now, actor, cells
    table.save(update_fields=["published_at", "published_by", "published_cells", "updated_at"])
    ids = [s.pk for days in stored.values() for s in days.values()]
    for start in range(0, len(ids), 500):
        Shift.objects.filter(pk__in=ids[start : start + 500]).update(published_at=now)
    # the published plan decides each day's kind and hours on the 出勤簿
    mark_days_changed(company=company, days=[(pk, d) for pk, days in stored.items() for d in days])
    record_event(
        company=company,
        actor=actor,
        action="publish",
        instance=table,
        object_repr=f"{department.name} {month:%Y-%m}",
        before=before,
        after={"published_at": now, "revision": table.revision},
        extra={"employees": len(cells), "cells": sum(len(v) for v in cells.values())},
    )
    return table


# ------------------------------------------------------------------------------ demo
DEMO_PATTERNS = (
    ("早", "早番", time(7), time(16), 60, "#f2b134"),
    ("日", "日勤", time(9), time(18), 60, "#4f7cac"),
    ("遅", "遅番", time(13), time(22), 60, "#7a5cc2"),
    ("夜", "夜勤", time(22), time(7), 60, "#2f4858"),
)
DEMO_ROTATION = ("早", "早", "遅", "遅", "夜", REST_CODE, REST_CODE)  # the night's next day is off


def build_demo_shifts(*, company: Company, membership: Membership, department_id: int, month: date) -> None:
    """The demo: four patterns and one department's month on a 7-day rotation, each employee a day
    later than the one before (rotating days off), published. Idempotent: nothing when the company
    has patterns already. Days of approved leave are rest days."""
    if ShiftPattern.objects.for_company(company).exists():
        return
    writer: dict[str, Any] = {"company": company, "actor": membership.user, "membership": membership}
    for order, (code, name, start, end, brk, color) in enumerate(DEMO_PATTERNS):
        save_pattern(**writer, data=PatternInput(code, name, start, end, brk, color, order))
    month = month.replace(day=1)
    employees = sel.table_employees(company=company, department_id=department_id, month=month)
    days = shift_rules.days_of_month(month)
    leave = sel.full_leave_days(
        company=company, employee_ids=[e.pk for e in employees], start=days[0], end=days[-1]
    )
    cells: dict[int, dict[date, str]] = {}
    for i, e in enumerate(employees):
        rotation = shift_rules.weekly_rotation(DEMO_ROTATION, days, offset=i)
        cells[e.pk] = {
            d: (REST_CODE if (e.pk, d) in leave else code)
            for d, code in rotation.items()
            if sel.in_service(e, d)
        }
    save_table(**writer, department_id=department_id, month=month, cells=cells)
    publish_table(**writer, department_id=department_id, month=month)
