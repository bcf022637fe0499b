"""シフト screens: the patterns (人事), a department's monthly table filled by keyboard and drag
(所属長 and 人事; saved whole, refused whole), publishing, 自分のシフト (phone-sized) and the swaps.

The table's script (static/attendance/shifts.js) talks to three endpoints of this module with the
session: ``shift_table_save`` and ``shift_table_check`` take the whole table as JSON, and
``shift_table_data`` gives a month's cells (for "copy last month's rotation")."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.dates import parse_month
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required

from . import shift_selectors as sel
from .forms_shifts import PatternForm, ShiftSettingsForm, SwapForm, TableQueryForm
from .models import RequestState, ShiftPattern
from .rules.shifts import REST_CODE, ShiftWarning
from .services import shifts as services


def _writer(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _reader(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


# ------------------------------------------------------------------------------ patterns
def _pattern_initial(p: ShiftPattern) -> dict[str, Any]:
    return {
        f: getattr(p, f)
        for f in ("code", "name", "start_time", "end_time", "break_minutes", "color", "sort_order")
    }


def _pattern_input(data: Mapping[str, Any]) -> services.PatternInput:
    return services.PatternInput(
        code=data["code"],
        name=data["name"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        break_minutes=data["break_minutes"],
        color=data["color"],
        sort_order=data["sort_order"] or 0,
    )


@membership_required
def pattern_list(request: HttpRequest) -> HttpResponse:
    """シフトパターン: the list (人事 and 所属長), a new pattern and the settings of the checks (人事)."""
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    can_write = membership.has_any_role(*sel.PATTERN_ROLES)
    if not can_write and not sel.can_use_tables(company=company, membership=membership):
        raise PermissionDenied
    current = sel.shift_settings_of(company=company)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    if posted is not None and not can_write:
        raise PermissionDenied
    form = PatternForm(posted if which == "pattern" else None)
    settings_form = ShiftSettingsForm(
        posted if which == "settings" else None,
        initial={
            "rest_rule": current.rest_rule,
            "four_week_start": current.four_week_start,
            "min_rest_hours": current.min_rest_minutes // 60,
        },
    )
    if which == "pattern" and form.is_valid():
        try:
            p = services.save_pattern(**_writer(request), data=_pattern_input(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("シフトパターン「%(code)s」を登録しました。") % {"code": p.code})
            return redirect("attendance:shift_patterns")
    if which == "settings" and settings_form.is_valid():
        d = settings_form.cleaned_data
        try:
            services.update_shift_settings(
                **_writer(request),
                rest_rule=d["rest_rule"],
                four_week_start=d["four_week_start"],
                min_rest_minutes=d["min_rest_hours"] * 60,
            )
        except ServiceError as exc:
            apply_service_error(settings_form, exc)
        else:
            messages.success(request, _("シフトの設定を保存しました。"))
            return redirect("attendance:shift_patterns")
    items = list(sel.patterns(company=company, include_inactive=True))
    if request.GET.get("format") in ("csv", "xlsx"):
        rows: list[list[Any]] = [["記号", "名称", "開始", "終了", "休憩(分)", "実働(分)", "色", "有効"]]
        rows += [
            [
                p.code,
                p.name,
                f"{p.start_time:%H:%M}",
                f"{p.end_time:%H:%M}",
                p.break_minutes,
                p.planned_minutes,
                p.color,
                "有効" if p.is_active else "無効",
            ]
            for p in items
        ]
        return table_download(request, rows, name="shift-patterns", title=str(_("シフトパターン")))
    status = 400 if (form.errors or settings_form.errors) else 200
    context = {
        "patterns": [(p, _hours(p.planned_minutes)) for p in items],
        "form": form,
        "settings_form": settings_form,
        "can_write": can_write,
    }
    return render(request, "attendance/shifts/patterns.html", context, status=status)


@role_required(*sel.PATTERN_ROLES)
def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    pattern = sel.get_pattern(company=company, pattern_id=pk)
    form = PatternForm(request.POST or None, initial=_pattern_initial(pattern))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pattern(**_writer(request), pattern=pattern, data=_pattern_input(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("シフトパターンを保存しました。"))
            return redirect("attendance:shift_patterns")
    events = core_selectors.audit_events_for_object(
        company=company, object_type="attendance.shiftpattern", object_id=str(pattern.pk)
    )[:50]
    return render(
        request,
        "attendance/shifts/pattern_form.html",
        {"form": form, "pattern": pattern, "events": events},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*sel.PATTERN_ROLES)
def pattern_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = sel.get_pattern(company=request.company, pattern_id=pk)  # type: ignore[attr-defined]
    active = request.POST.get("active") == "1"
    services.set_pattern_active(**_writer(request), pattern=pattern, active=active)
    messages.success(
        request,
        (_("「%(code)s」を有効にしました。") if active else _("「%(code)s」を無効にしました。"))
        % {"code": pattern.code},
    )
    return redirect("attendance:shift_patterns")


# ------------------------------------------------------------------------------ the table
def _table_query(request: HttpRequest) -> tuple[TableQueryForm, int | None, date]:
    form = TableQueryForm(request.GET or None)
    department_id = None
    month = _this_month()
    if form.is_valid():
        department_id = form.cleaned_data["department"]
        month = form.cleaned_data["month"] or month
    return form, department_id, month


# What static/attendance/shifts.js says, translated for the reader and given in the page
# (json_script "shift-texts"); the script fills the %(name)s placeholders.
SCRIPT_TEXTS = {
    "unknown_code": gettext_lazy("「%(code)s」というシフトパターンはありません。"),
    "bad_response": gettext_lazy("サーバーの応答を読み取れません(%(status)s)。"),
    "not_saved": gettext_lazy("保存できませんでした。"),
    "confirm_copy": gettext_lazy(
        "この月の入力を、先月の最後の4週間の繰り返しで置き換えます。よろしいですか。"
    ),
    "last_month_unreadable": gettext_lazy("先月のシフトを読めません。"),
    "choose_row": gettext_lazy("ローテーションを入れる社員の行を選んでください。"),
    "unsaved_changes": gettext_lazy("保存していない変更があります。保存してから公開してください。"),
}


def _warning_json(warnings: Mapping[int, list[ShiftWarning]]) -> dict[str, list[dict[str, str]]]:
    return {
        str(pk): [{"code": w.code, "day": w.day.isoformat(), "message": w.message} for w in ws]
        for pk, ws in warnings.items()
    }


@membership_required
def shift_table(request: HttpRequest) -> HttpResponse:
    """シフト表: ?department=&month=YYYY-MM. Without a department, the first one the member keeps."""
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    if not sel.can_use_tables(company=company, membership=membership) and not membership.has_any_role(
        "manager"
    ):
        raise PermissionDenied
    form, department_id, month = _table_query(request)
    choices = sel.table_departments(company=company, membership=membership)
    if department_id is None:
        if not choices:
            return render(
                request, "attendance/shifts/table.html", {"form": form, "view": None, "month": month}
            )
        department_id = choices[0][0]
    view = sel.shift_table(company=company, membership=membership, department_id=department_id, month=month)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request,
            _table_rows(view),
            name=f"shifts-{month:%Y%m}",
            title=str(_("シフト表")),
        )
    data = {
        "department": view.department_id,
        "month": f"{month:%Y-%m}",
        "revision": view.revision,
        "rest": REST_CODE,
        "days": [d.day.isoformat() for d in view.days],
        "patterns": [
            {
                "code": p.code,
                "name": p.name,
                "color": p.color,
                "start": f"{p.start_time:%H:%M}",
                "end": f"{p.end_time:%H:%M}",
                "break": p.break_minutes,
            }
            for p in view.patterns
        ],
        "rows": [
            {"id": r.employee_id, "cells": {c.day.isoformat(): c.code for c in r.cells}} for r in view.rows
        ],
        "urls": {
            "save": reverse("attendance:shift_table_save"),
            "check": reverse("attendance:shift_table_check"),
            "data": reverse("attendance:shift_table_data"),
        },
    }
    prev_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    events = (
        core_selectors.audit_events_for_object(
            company=company, object_type="attendance.shifttable", object_id=str(_table_pk(company, view))
        )[:20]
        if view.revision or view.published_at
        else []
    )
    return render(
        request,
        "attendance/shifts/table.html",
        {
            "form": form,
            "view": view,
            "month": month,
            "prev": f"{prev_month:%Y-%m}",
            "next": f"{next_month:%Y-%m}",
            "data": data,
            "texts": SCRIPT_TEXTS,
            "events": events,
        },
    )


def _table_pk(company: Any, view: sel.ShiftTableView) -> int:
    table = sel.table_of(company=company, department_id=view.department_id, month=view.month)
    return table.pk if table is not None else 0


def _table_rows(view: sel.ShiftTableView) -> Iterator[list[Any]]:
    yield ["社員番号", "氏名", *[f"{d.day.day}({d.weekday})" for d in view.days], "計画時間", "休日数"]
    for r in view.rows:
        yield [r.number, r.name, *[c.code for c in r.cells], _hours(r.planned_minutes), r.rest_days]


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ServiceError(_("送られた内容を読み取れません。")) from None
    if not isinstance(body, dict):
        raise ServiceError(_("送られた内容を読み取れません。"))
    return body


def _cells(body: Mapping[str, Any]) -> tuple[int, date, dict[int, dict[date, str]]]:
    """(department id, month, cells) of the script's JSON; malformed parts → ServiceError."""
    errors: dict[str, list[str]] = {}
    try:
        department_id = int(body.get("department"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        department_id = 0
        errors["department"] = [_("部署を選んでください。")]
    month = parse_month(str(body.get("month") or ""))
    if month is None:
        errors["month"] = [_("月は YYYY-MM の形で入力してください。")]
    raw = body.get("cells")
    if not isinstance(raw, dict):
        errors["cells"] = [_("シフト表の内容がありません。")]
        raw = {}
    cells: dict[int, dict[date, str]] = {}
    for emp, days in raw.items():
        if not isinstance(days, dict):
            errors[f"cells.{emp}"] = [_("シフト表の内容が正しくありません。")]
            continue
        try:
            pk = int(emp)
        except (TypeError, ValueError):
            errors[f"cells.{emp}"] = [_("社員が正しくありません。")]
            continue
        row: dict[date, str] = {}
        for day, code in days.items():
            try:
                d = date.fromisoformat(str(day))
            except ValueError:
                errors[f"cells.{emp}.{day}"] = [_("日付が正しくありません。")]
                continue
            if not isinstance(code, str) or len(code) > 8:
                errors[f"cells.{emp}.{day}"] = [_("記号が正しくありません。")]
                continue
            row[d] = code
        cells[pk] = row
    if errors:
        raise ServiceError(_("シフト表の内容が正しくありません。"), code="validation", field_errors=errors)
    assert month is not None
    return department_id, month, cells


def _json_error(exc: ServiceError) -> JsonResponse:
    return JsonResponse(
        {"ok": False, "message": exc.message, "code": exc.code, "errors": exc.field_errors}, status=exc.status
    )


@require_POST
@membership_required
def shift_table_save(request: HttpRequest) -> JsonResponse:
    """The whole table as JSON ({department, month, revision, cells}); all saved or nothing."""
    try:
        body = _json_body(request)
        department_id, month, cells = _cells(body)
        revision = body.get("revision")
        result = services.save_table(
            **_writer(request),
            department_id=department_id,
            month=month,
            cells=cells,
            revision=revision if isinstance(revision, int) else None,
        )
    except (NotFound, PermissionDeniedError):
        raise
    except ServiceError as exc:
        return _json_error(exc)
    if result.changed:
        messages.success(request, _("シフト表を保存しました(%(n)d件の変更)。") % {"n": result.changed})
    return JsonResponse(
        {
            "ok": True,
            "revision": result.table.revision,
            "changed": result.changed,
            "warnings": _warning_json(result.warnings),
        }
    )


@require_POST
@membership_required
def shift_table_check(request: HttpRequest) -> JsonResponse:
    """The warnings of a table being edited (nothing saved)."""
    try:
        department_id, month, cells = _cells(_json_body(request))
        warnings = sel.check_cells(**_reader(request), department_id=department_id, month=month, cells=cells)
    except (NotFound, PermissionDeniedError):
        raise
    except ServiceError as exc:
        return _json_error(exc)
    return JsonResponse({"ok": True, "warnings": _warning_json(warnings)})


@membership_required
def shift_table_data(request: HttpRequest) -> JsonResponse:
    """A month's cells of a department (?department=&month=): employee id → ISO date → code."""
    form, department_id, month = _table_query(request)
    if department_id is None or not form.is_valid():
        return JsonResponse({"ok": False, "message": _("部署と月を指定してください。")}, status=400)
    view = sel.shift_table(**_reader(request), department_id=department_id, month=month)
    return JsonResponse(
        {
            "ok": True,
            "month": f"{month:%Y-%m}",
            "cells": {
                str(r.employee_id): {c.day.isoformat(): c.code for c in r.cells if c.code} for r in view.rows
            },
        }
    )


@require_POST
@membership_required
def shift_table_publish(request: HttpRequest) -> HttpResponse:
    month = parse_month(request.POST.get("month", "")) or _this_month()
    try:
        department_id = int(request.POST.get("department", ""))
    except ValueError:
        raise NotFound() from None
    try:
        services.publish_table(**_writer(request), department_id=department_id, month=month)
    except (NotFound, PermissionDeniedError):
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(month)s のシフトを公開しました。") % {"month": f"{month.year}年{month.month}月"}
        )
    return redirect(f"{reverse('attendance:shift_table')}?department={department_id}&month={month:%Y-%m}")


# ------------------------------------------------------------------------------ 自分のシフト, swaps
def _month_param(request: HttpRequest) -> date:
    return parse_month(request.GET.get("month", "")) or _this_month()


@membership_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    """自分のシフト: the published month, day by day (a phone's list), and one's swaps."""
    month = _month_param(request)
    mine = sel.my_shifts(**_reader(request), month=month)
    return render(
        request,
        "attendance/shifts/my_shifts.html",
        {
            "mine": mine,
            "month": month,
            "prev": f"{(month - timedelta(days=1)).replace(day=1):%Y-%m}",
            "next": f"{(month + timedelta(days=32)).replace(day=1):%Y-%m}",
            "hours": _hours(mine.planned_minutes),
            "swaps": list(sel.swaps(**_reader(request))[:20]),
        },
    )


def _partners(request: HttpRequest, month: date) -> list[tuple[int, str]]:
    return [
        (e.pk, f"{e.number} {e.family_name} {e.given_name}")
        for e in sel.colleagues(**_reader(request), month=month)
    ]


@membership_required
def swap_new(request: HttpRequest) -> HttpResponse:
    """シフト交換の申請."""
    month = _month_param(request)
    initial = {}
    if request.GET.get("date"):
        try:
            initial = {"requester_date": date.fromisoformat(request.GET["date"])}
        except ValueError:
            initial = {}
    form = SwapForm(request.POST or None, partners=_partners(request, month), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            swap = services.request_swap(
                **_writer(request),
                partner_id=d["partner"],
                requester_date=d["requester_date"],
                partner_date=d["partner_date"],
                reason=d["reason"],
            )
        except NotFound:
            form.add_error("partner", _("選んだ社員が見つかりません。"))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("シフト交換を申請しました。所属長の承認をお待ちください。"))
            return redirect("attendance:shift_swap_detail", pk=swap.pk)
    return render(
        request, "attendance/shifts/swap_form.html", {"form": form}, status=400 if form.errors else 200
    )


@membership_required
def swap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    swap = sel.get_swap(**_reader(request), swap_id=pk)
    from ennoshita.approvals.views import panel_context

    pairs = services.swap_pairs(swap)
    cells = swap.cells or {}
    names = {swap.requester_id: swap.requester, swap.partner_id: swap.partner}
    after = services.exchanged_cells(swap, cells) if cells else {}
    rows = [
        {
            "employee": names[emp],
            "day": d,
            "before": cells.get(f"{emp}:{d.isoformat()}", ""),
            "after": after.get(f"{emp}:{d.isoformat()}", ""),
        }
        for emp, d in pairs
    ]
    events = core_selectors.audit_events_for_object(
        company=company, object_type="attendance.shiftswap", object_id=str(swap.pk)
    )[:50]
    return render(
        request,
        "attendance/shifts/swap_detail.html",
        {
            "swap": swap,
            "rows": rows,
            "events": events,
            "open": swap.state in (RequestState.PENDING, RequestState.RETURNED),
            **panel_context(request, request_type=sel.SWAP_TYPE, object_id=swap.pk),
        },
    )
