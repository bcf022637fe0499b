"""勤怠締め screens (人事's board of a month, one employee's month with its steps, the buttons of
the month panel) and 打刻修正申請 screens (the form for one work day, the request, the lists)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required
from ennoshita.people import selectors as people_selectors

from . import closing_selectors, correction_selectors
from .forms_closing import (
    BoardFilterForm,
    BulkLockForm,
    CloseStepForm,
    CorrectionFilterForm,
    CorrectionForm,
    ReopenForm,
    RowFormSet,
    rows_of,
)
from .models import PunchCorrection, RequestState
from .services import closing as closing_services
from .services import corrections as correction_services

BOARD_PAGE = 100
LIST_PAGE = 50


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _last_month() -> date:
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def _error_text(exc: ServiceError) -> str:
    texts = [m for ms in exc.field_errors.values() for m in ms]
    return " ".join(dict.fromkeys(texts)) or exc.message


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


# ------------------------------------------------------------------------------ 勤怠締め
def _may_see_month(request: HttpRequest, employee_id: int) -> None:
    """The employee themself or 人事: others 403 (an id of no employee here was already a 404)."""
    membership = request.membership  # type: ignore[attr-defined]
    if membership.has_any_role(*closing_selectors.CLOSE_ROLES):
        return
    own = people_selectors.own_employee_record(company=request.company, membership=membership)  # type: ignore[attr-defined]
    if own is None or own.pk != employee_id:
        raise PermissionDeniedError()


def _employee_or_404(request: HttpRequest, employee_id: int) -> Any:
    employee = people_selectors.employee_by_id(company=request.company, employee_id=employee_id)  # type: ignore[attr-defined]
    if employee is None:
        raise NotFound()
    return employee


@membership_required
def close_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    """One employee's month: the panel (state and buttons) and every step with its reason."""
    employee = _employee_or_404(request, employee_id)
    _may_see_month(request, employee.pk)
    month = closing_selectors.parse_month_param(request.GET.get("month", "")) or _last_month()
    state = closing_selectors.month_close_state(
        company=request.company,  # type: ignore[attr-defined]
        employee_id=employee.pk,
        month=month,
        membership=request.membership,  # type: ignore[attr-defined]
    )
    return render(
        request,
        "attendance/closing/detail.html",
        {
            "employee": employee,
            "close_state": state,
            "prev": (month - timedelta(days=1)).replace(day=1),
            "next": (month + timedelta(days=32)).replace(day=1),
            "is_hr": request.membership.has_any_role(*closing_selectors.CLOSE_ROLES),  # type: ignore[attr-defined]
        },
    )


STEPS: dict[str, tuple[Callable[..., Any], type[CloseStepForm], Any]] = {
    "confirm": (closing_services.confirm_month, CloseStepForm, _lazy("%(month)s の勤怠を確認しました。")),
    "unconfirm": (
        closing_services.unconfirm_month,
        CloseStepForm,
        _lazy("%(month)s の本人確認を取り消しました。"),
    ),
    "lock": (closing_services.lock_month, CloseStepForm, _lazy("%(month)s の勤怠を締めました。")),
    "reopen": (closing_services.reopen_month, ReopenForm, _lazy("%(month)s の締めを解除しました。")),
}


def _close_step(request: HttpRequest, employee_id: int, step: str) -> HttpResponseBase:
    employee = _employee_or_404(request, employee_id)  # another company's id: 404 before anything else
    service, form_class, done = STEPS[step]
    form = form_class(request.POST)
    error = ""
    month = None
    if form.is_valid():
        month = form.cleaned_data["month"]
        kwargs: dict[str, Any] = {**_ctx(request), "employee_id": employee.pk, "month": month}
        if step in ("lock", "reopen"):
            kwargs["reason"] = form.cleaned_data.get("reason") or ""
        try:
            service(**kwargs)
        except (NotFound, PermissionDeniedError):
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
            error = _error_text(exc)
        else:
            messages.success(request, str(done) % {"month": f"{month.year}年{month.month}月"})
    else:
        error = _error_text(
            ServiceError("", field_errors={k: [str(m) for m in v] for k, v in form.errors.items()})
        )
        month = closing_selectors.parse_month_param(request.POST.get("month", ""))
    if request.htmx and month is not None:  # type: ignore[attr-defined]
        state = closing_selectors.month_close_state(
            company=request.company,  # type: ignore[attr-defined]
            employee_id=employee.pk,
            month=month,
            membership=request.membership,  # type: ignore[attr-defined]
        )
        return render(
            request,
            "attendance/closing/_month_panel.html",
            {"close_state": state, "close_error": error, "close_next": form.data.get("next", "")},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    target = _safe_next(request, request.POST.get("next", ""))
    if target:
        return redirect(target)
    url = reverse("attendance:close_detail", args=[employee.pk])
    return redirect(f"{url}?month={month:%Y-%m}" if month else url)


@require_POST
@membership_required
def close_confirm(request: HttpRequest, employee_id: int) -> HttpResponseBase:
    return _close_step(request, employee_id, "confirm")


@require_POST
@membership_required
def close_unconfirm(request: HttpRequest, employee_id: int) -> HttpResponseBase:
    return _close_step(request, employee_id, "unconfirm")


@require_POST
@membership_required
def close_lock(request: HttpRequest, employee_id: int) -> HttpResponseBase:
    return _close_step(request, employee_id, "lock")


@require_POST
@membership_required
def close_reopen(request: HttpRequest, employee_id: int) -> HttpResponseBase:
    return _close_step(request, employee_id, "reopen")


@role_required(*closing_selectors.CLOSE_ROLES)
def close_board(request: HttpRequest) -> HttpResponse:
    """勤怠締め (人事): every employee in service that month, confirmed or not, locked or not, and the
    month's open problems (days without 退勤, punches out of order, open 打刻修正申請)."""
    form = BoardFilterForm(request.GET or None)
    month, q, status = _last_month(), "", ""
    if form.is_valid():
        month = form.cleaned_data["month"] or month
        q, status = form.cleaned_data["q"], form.cleaned_data["status"]
    qs = closing_selectors.close_board_queryset(**_read(request), month=month, q=q, status=status)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = closing_selectors.close_rows(company=request.company, month=month, employees=list(qs))  # type: ignore[attr-defined]
        return table_download(
            request, _board_rows(rows), name=f"attendance-close-{month:%Y%m}", title=_("勤怠締め")
        )
    page = Paginator(qs, BOARD_PAGE).get_page(request.GET.get("page"))
    company = request.company  # type: ignore[attr-defined]
    rows = closing_selectors.close_rows(company=company, month=month, employees=list(page.object_list))
    return render(
        request,
        "attendance/closing/board.html",
        {
            "form": form,
            "month": month,
            "page_obj": page,
            "rows": rows,
            "counts": closing_selectors.board_counts(**_read(request), month=month),
            "ended": closing_selectors.month_has_ended(month),
            "prev": (month - timedelta(days=1)).replace(day=1),
            "next": (month + timedelta(days=32)).replace(day=1),
        },
        status=200 if not form.errors else 400,
    )


def _board_rows(rows: list[closing_selectors.CloseRow]) -> Iterator[list[Any]]:
    yield [
        "社員番号",
        "氏名",
        "部署",
        "本人確認",
        "締め",
        "本人確認なしで締め",
        "退勤なしの日",
        "打刻の順序の誤り",
        "承認待ちの打刻修正",
    ]
    for r in rows:
        yield [
            r.employee.number,
            f"{r.employee.family_name} {r.employee.given_name}",
            r.department,
            timezone.localtime(r.confirmed_at).strftime("%Y-%m-%d %H:%M") if r.confirmed_at else "",
            timezone.localtime(r.locked_at).strftime("%Y-%m-%d %H:%M") if r.locked_at else "",
            "○" if r.without_confirmation else "",
            r.open_days,
            r.problem_days,
            r.pending_corrections,
        ]


@role_required(*closing_selectors.CLOSE_ROLES)
def close_lock_all(request: HttpRequest) -> HttpResponse:
    """締め of a whole month: a confirmation page (how many, who has not confirmed, who has open
    problems), then the lock."""
    data = request.POST if request.method == "POST" else None
    initial_month = closing_selectors.parse_month_param(request.GET.get("month", "")) or _last_month()
    form = BulkLockForm(data, initial={"month": initial_month.strftime("%Y-%m"), "scope": "confirmed"})
    month = initial_month
    if data is not None and form.is_valid():
        month = form.cleaned_data["month"]
        try:
            result = closing_services.lock_months(
                **_ctx(request), month=month, include_unconfirmed=form.cleaned_data["scope"] == "all"
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(month)s の勤怠を%(n)d人分締めました(うち本人確認なし%(u)d人)。")
                % {
                    "month": f"{month.year}年{month.month}月",
                    "n": result.locked,
                    "u": result.without_confirmation,
                },
            )
            return redirect(f"{reverse('attendance:close_board')}?month={month:%Y-%m}")
    elif data is not None:
        parsed = closing_selectors.parse_month_param(data.get("month", ""))
        month = parsed or month
    employees = list(closing_selectors.close_board_queryset(**_read(request), month=month, status="open"))
    rows = closing_selectors.close_rows(company=request.company, month=month, employees=employees)  # type: ignore[attr-defined]
    return render(
        request,
        "attendance/closing/lock_all.html",
        {
            "form": form,
            "month": month,
            "ended": closing_selectors.month_has_ended(month),
            "open_count": len(rows),
            "confirmed_count": sum(1 for r in rows if r.confirmed_at),
            "unconfirmed": [r for r in rows if not r.confirmed_at],
            "with_problems": [r for r in rows if r.has_problems],
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ 打刻修正申請
def _day_param(request: HttpRequest) -> date | None:
    text = request.GET.get("date", "") or request.POST.get("work_date", "")
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _int_param(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def _initial_rows(punches: list[Any], work_date: date) -> list[dict[str, str]]:
    return [{"kind": p.kind, "time": correction_selectors.day_time_label(work_date, p.at)} for p in punches]


def _apply_rows_error(form: Any, formset: Any, kept: list[int], exc: ServiceError) -> None:
    placed = False
    for key, msgs in exc.field_errors.items():
        parts = key.split(".")
        for message in msgs:
            if parts[0] == "rows" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(kept):
                row_form = formset.forms[kept[int(parts[1])]]
                row_form.add_error(parts[2] if parts[2] in row_form.fields else None, message)
            elif key in form.fields:
                form.add_error(key, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@membership_required
def correction_new(request: HttpRequest) -> HttpResponseBase:
    """打刻修正申請 for one work day (``?employee=<id>&date=YYYY-MM-DD``; without ``employee`` one's
    own day): the day's punches as they are, to be set as they should be, and the reason."""
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    employee_id = _int_param(request.GET.get("employee", "") or request.POST.get("employee", ""))
    work_date = _day_param(request)
    if work_date is None:
        work_date = timezone.localdate() - timedelta(days=1)
    if (
        employee_id is None
        and people_selectors.own_employee_record(company=company, membership=membership) is None
    ):
        messages.error(request, _("社員の記録が紐付いていないため、自分の打刻修正は申請できません。"))
        return redirect("attendance:correction_list")
    employee = correction_selectors.employee_for_correction(
        company=company, membership=membership, employee_id=employee_id, work_date=work_date
    )
    current = correction_selectors.day_punches(company=company, employee_id=employee.pk, work_date=work_date)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        formset = RowFormSet(request.POST, prefix="rows")
        if form.is_valid() and formset.is_valid():
            rows, kept = rows_of(formset)
            try:
                correction = correction_services.submit_correction(
                    **_ctx(request),
                    employee_id=employee.pk,
                    work_date=form.cleaned_data["work_date"],
                    rows=rows,
                    reason=form.cleaned_data["reason"],
                )
            except (NotFound, PermissionDeniedError):
                raise
            except ServiceError as exc:
                _apply_rows_error(form, formset, kept, exc)
            else:
                messages.success(request, _("打刻修正を申請しました。承認をお待ちください。"))
                return redirect("attendance:correction_detail", correction.pk)
    else:
        form = CorrectionForm(initial={"work_date": work_date})
        formset = RowFormSet(prefix="rows", initial=_initial_rows(current, work_date))
    return _form_page(request, form, formset, employee, work_date, current, None)


def _form_page(
    request: HttpRequest,
    form: Any,
    formset: Any,
    employee: Any,
    work_date: date,
    current: list[Any],
    correction: PunchCorrection | None,
) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    return render(
        request,
        "attendance/closing/correction_form.html",
        {
            "form": form,
            "formset": formset,
            "employee": employee,
            "work_date": work_date,
            "current": current,
            "history": correction_selectors.day_punch_history(
                company=company, employee_id=employee.pk, work_date=work_date
            ),
            "open_one": correction_selectors.open_correction(
                company=company, employee_id=employee.pk, work_date=work_date
            )
            if correction is None
            else None,
            "locked": closing_selectors.month_is_locked(
                company=company, employee_id=employee.pk, day=work_date
            ),
            "correction": correction,
        },
        status=400 if (form.errors or formset.total_error_count()) else 200,
    )


@membership_required
def correction_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A returned (差し戻し) request: the requester sets the day again and resubmits."""
    correction = correction_selectors.get_correction(**_read(request), correction_id=pk)
    if correction.state != RequestState.RETURNED or correction.requested_by_id != request.user.pk:
        messages.error(request, _("差し戻された自分の申請だけを直して再申請できます。"))
        return redirect("attendance:correction_detail", correction.pk)
    company = request.company  # type: ignore[attr-defined]
    employee = correction.employee
    work_date = correction.work_date
    current = correction_selectors.day_punches(company=company, employee_id=employee.pk, work_date=work_date)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        formset = RowFormSet(request.POST, prefix="rows")
        if form.is_valid() and formset.is_valid():
            rows, kept = rows_of(formset)
            try:
                correction_services.resubmit_correction(
                    **_ctx(request), correction=correction, rows=rows, reason=form.cleaned_data["reason"]
                )
            except (NotFound, PermissionDeniedError):
                raise
            except ServiceError as exc:
                _apply_rows_error(form, formset, kept, exc)
            else:
                messages.success(request, _("打刻修正を再申請しました。"))
                return redirect("attendance:correction_detail", correction.pk)
    else:
        form = CorrectionForm(initial={"work_date": work_date, "reason": correction.reason})
        proposed = correction_selectors.rows_of(work_date, correction.proposed)
        formset = RowFormSet(prefix="rows", initial=[{"kind": r.kind, "time": r.label} for r in proposed])
    return _form_page(request, form, formset, employee, work_date, current, correction)


def _timesheet_link(request: HttpRequest, correction: PunchCorrection) -> str:
    membership = request.membership  # type: ignore[attr-defined]
    own = people_selectors.own_employee_record(company=request.company, membership=membership)  # type: ignore[attr-defined]
    month = correction.work_date.strftime("%Y-%m")
    if own is not None and own.pk == correction.employee_id:
        return f"{reverse('attendance:timesheet')}?month={month}"
    if membership.has_any_role(*closing_selectors.CLOSE_ROLES):
        return f"{reverse('attendance:employee_timesheet', args=[correction.employee_id])}?month={month}"
    return ""


@membership_required
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request: before and after side by side, the reason, the state, the approval and the
    day's punch history (voided punches included)."""
    from ennoshita.approvals.views import panel_context

    correction = correction_selectors.get_correction(**_read(request), correction_id=pk)
    work_date = correction.work_date
    return render(
        request,
        "attendance/closing/correction_detail.html",
        {
            "correction": correction,
            "before": correction_selectors.rows_of(work_date, correction.before),
            "after": correction_selectors.rows_of(work_date, correction.proposed),
            "history": correction_selectors.day_punch_history(
                company=request.company,  # type: ignore[attr-defined]
                employee_id=correction.employee_id,
                work_date=work_date,
            ),
            "timesheet_url": _timesheet_link(request, correction),
            "can_edit": correction.state == RequestState.RETURNED
            and correction.requested_by_id == request.user.pk,
            **panel_context(request, request_type=correction_selectors.REQUEST_TYPE, object_id=correction.pk),
        },
    )


@membership_required
def correction_list(request: HttpRequest) -> HttpResponse:
    """打刻修正申請: mine (asked by me or for my days); 人事 and 所属長 ``?scope=all`` (人事 the whole
    company, a 所属長 their teams), with filters and CSV."""
    membership = request.membership  # type: ignore[attr-defined]
    form = CorrectionFilterForm(request.GET or None)
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "q": form.cleaned_data["q"],
            "state": form.cleaned_data["state"],
            "month": form.cleaned_data["month"],
        }
    qs = correction_selectors.correction_list(**_read(request), scope=scope, **filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, _correction_rows(qs), name="punch-corrections", title=_("打刻修正申請")
        )
    page = Paginator(qs, LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/closing/correction_list.html",
        {
            "form": form,
            "page_obj": page,
            "scope": scope,
            "sees_all": membership.has_any_role(*correction_selectors.READ_ALL_ROLES, "manager"),
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _correction_rows(qs: Any) -> Iterator[list[Any]]:
    yield [
        "番号",
        "勤務日",
        "社員番号",
        "氏名",
        "状態",
        "理由",
        "修正前",
        "修正後",
        "申請者",
        "申請日時",
        "決定日時",
    ]
    for c in qs.iterator(chunk_size=500):
        before = " ".join(
            f"{r.kind_label}{r.label}" for r in correction_selectors.rows_of(c.work_date, c.before)
        )
        after = " ".join(
            f"{r.kind_label}{r.label}" for r in correction_selectors.rows_of(c.work_date, c.proposed)
        )
        yield [
            c.pk,
            c.work_date,
            c.employee.number,
            f"{c.employee.family_name} {c.employee.given_name}",
            c.get_state_display(),
            c.reason,
            before,
            after,
            c.requested_by.display_name(),
            timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(c.decided_at).strftime("%Y-%m-%d %H:%M") if c.decided_at else "",
        ]
