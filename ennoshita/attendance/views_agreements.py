"""36協定 screens: the agreements (人事 and admins), 「36協定の状況」 (人事: everyone; a 所属長: the
departments they head) and 「自分の時間外労働」 (every employee)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required

from . import agreement_selectors as selectors
from .forms_agreements import AgreementForm, DashboardForm
from .models import OvertimeAgreement
from .rules.agreement_limits import CODE_LABELS
from .services import agreements as services
from .services.figures import read_and_keep

LEVEL_LABELS = {"breach": _lazy("超過"), "warning": _lazy("注意"), "ok": _lazy("範囲内")}


def _writer(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _h(hours: Any) -> str:
    return selectors.hours_label(hours)


# ------------------------------------------------------------------------------ agreements


@role_required(*selectors.AGREEMENT_ROLES)
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The company's 36協定, newest first; CSV/Excel of the same rows."""
    rows = list(selectors.agreements(company=request.company))  # type: ignore[attr-defined]
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _agreement_rows(rows), name="overtime-agreements", title=str(_("36協定")))
    today = timezone.localdate()
    return render(request, "attendance/agreements/list.html", {"agreements": rows, "today": today})


def _agreement_rows(rows: list[OvertimeAgreement]) -> Iterator[list[Any]]:
    yield [
        "名称", "対象部署", "起算日", "終了日", "1か月の限度時間", "1年の限度時間", "特別条項",
        "特別条項の1か月", "特別条項の1年", "超えられる月数", "警告する割合(%)", "メモ",
    ]  # fmt: skip
    for a in rows:
        yield [
            a.name,
            a.department.name if a.department else "全社",
            a.start_date,
            a.end_date,
            _h(a.monthly_limit_hours),
            _h(a.yearly_limit_hours),
            "あり" if a.special_clause else "なし",
            _h(a.special_monthly_hours),
            _h(a.special_yearly_hours),
            a.special_months_allowed if a.special_months_allowed is not None else "",
            a.warning_percent,
            a.note,
        ]


def _initial(a: OvertimeAgreement) -> dict[str, Any]:
    return {
        "name": a.name,
        "department": a.department_id,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "monthly_limit_hours": a.monthly_limit_hours,
        "yearly_limit_hours": a.yearly_limit_hours,
        "special_clause": a.special_clause,
        "special_monthly_hours": a.special_monthly_hours,
        "special_yearly_hours": a.special_yearly_hours,
        "special_months_allowed": a.special_months_allowed,
        "warning_percent": a.warning_percent,
        "note": a.note,
    }


def _agreement_screen(request: HttpRequest, agreement: OvertimeAgreement | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    initial = _initial(agreement) if agreement is not None else {}
    form = AgreementForm(request.POST if request.method == "POST" else None, initial=initial, company=company)
    if request.method == "POST" and form.is_valid():
        data = services.AgreementInput(
            **{k: v for k, v in form.cleaned_data.items() if k != "department"},
            department_id=form.cleaned_data["department"],
        )
        try:
            if agreement is None:
                saved = services.create_agreement(**_writer(request), data=data)
            else:
                saved = services.update_agreement(**_writer(request), agreement=agreement, data=data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("36協定「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect("attendance:agreement_list")
    context: dict[str, Any] = {"form": form, "agreement": agreement, "events": []}
    if agreement is not None:
        context["events"] = selectors.agreement_history(company=company, agreement=agreement)
        context["alert_count"] = selectors.alert_count(company=company, agreement=agreement)
    return render(request, "attendance/agreements/form.html", context, status=400 if form.errors else 200)


@role_required(*selectors.AGREEMENT_ROLES)
def agreement_new(request: HttpRequest) -> HttpResponse:
    return _agreement_screen(request, None)


@role_required(*selectors.AGREEMENT_ROLES)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_screen(request, selectors.get_agreement(company=request.company, agreement_id=pk))  # type: ignore[attr-defined]


@require_POST
@role_required(*selectors.AGREEMENT_ROLES)
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.get_agreement(company=request.company, agreement_id=pk)  # type: ignore[attr-defined]
    try:
        services.delete_agreement(**_writer(request), agreement=agreement)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("attendance:agreement_edit", pk=agreement.pk)
    messages.success(request, _("36協定「%(name)s」を削除しました。") % {"name": agreement.name})
    return redirect("attendance:agreement_list")


# ------------------------------------------------------------------------------ the dashboard


def _as_of(month: date | None) -> date:
    return selectors.as_of_for(month, timezone.localdate())


@membership_required
def overtime_dashboard(request: HttpRequest) -> HttpResponse:
    """36協定の状況: who is close to or over which limit, worst first; CSV/Excel of the same rows."""
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    today = timezone.localdate()
    departments = selectors.scope_departments(company=company, membership=membership, as_of=today)
    form = DashboardForm(request.GET or None, departments=departments)
    if form.is_bound and not form.is_valid() and "department" in form.errors:
        raise Http404  # a department outside the reader's scope, as another company's would be
    data = form.cleaned_data if form.is_bound else {}
    month, department_id, level = data.get("month"), data.get("department"), data.get("level")
    board = read_and_keep(
        company=company,
        read=lambda hours: selectors.overtime_dashboard(
            company=company,
            membership=membership,
            as_of=_as_of(month),
            department_id=department_id,
            level=level or "",
            hours=hours,
        ),
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(
            request, _dashboard_rows(board), name=f"overtime-{board.month:%Y%m}", title=str(_("36協定の状況"))
        )
    context = {
        "form": form,
        "board": board,
        "levels": LEVEL_LABELS,
        "query": request.GET.urlencode(),
        "prev": (board.month - timedelta(days=1)).replace(day=1),
        "next": (board.month + timedelta(days=32)).replace(day=1),
        "is_current": board.month == today.replace(day=1),
    }
    return render(request, "attendance/agreements/dashboard.html", context)


def _dashboard_rows(board: selectors.Dashboard) -> Iterator[list[Any]]:
    yield [
        "社員番号", "氏名", "部署", "36協定", "状況", "今月の時間外", "今月の時間外+休日", "協定年度の時間外",
        "最も高い2〜6か月平均", "平均の月数", "限度時間を超えた月数", "注意・超過の上限", "上限の決まり",
    ]  # fmt: skip
    for r in board.rows:
        yield [
            r.number,
            r.name,
            r.department,
            r.agreement_name,
            str(LEVEL_LABELS[r.level]),
            _h(r.overtime),
            _h(r.overtime_and_holiday),
            _h(r.year_overtime),
            _h(r.worst_average),
            r.worst_span or "",
            r.months_over,
            " / ".join(f"{CODE_LABELS[s.code]}: {s.message}" for s in r.findings),
            " / ".join(s.rule for s in r.findings),
        ]


# ------------------------------------------------------------------------------ one's own


@membership_required
def my_overtime(request: HttpRequest) -> HttpResponse:
    """自分の時間外労働: this month's figures against the limits of the agreement that applies."""
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    form = DashboardForm(request.GET or None, departments=[])
    month = form.cleaned_data["month"] if form.is_valid() else None
    employee_id = selectors.own_employee_id(company=company, membership=membership)
    status = alerts = None
    if employee_id is not None:
        status = read_and_keep(
            company=company,
            read=lambda hours: selectors.my_overtime_status(
                company=company, employee_id=employee_id, as_of=_as_of(month), hours=hours
            ),
        )
        alerts = selectors.recent_alerts(company=company, employee_id=employee_id)
    month_shown = (month or timezone.localdate()).replace(day=1)
    context = {
        "status": status,
        "alerts": alerts,
        "has_record": employee_id is not None,
        "month": month_shown,
        "prev": (month_shown - timedelta(days=1)).replace(day=1),
        "next": (month_shown + timedelta(days=32)).replace(day=1),
        "levels": LEVEL_LABELS,
    }
    return render(request, "attendance/agreements/my_overtime.html", context)
