"""Screens of 社員の給与設定 (人事・経理・管理者): everyone with the pay settings in force (search,
filter, CSV/Excel), and one employee's history with the forms that add a row from a month."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import rules
from .forms_settings import EmployeeFilterForm, EmployeeItemForm, GradeForm, ProfileForm, ResidentTaxForm
from .models import ItemSource, PayType, TaxColumn
from .permissions import SETTINGS_ROLES
from .selectors import settings as selectors
from .services import employee_pay as services
from .services import resident_tax_import as tax_services
from .views_settings import _writer

PAGE = 50
PAY_TYPES = dict(PayType.choices)


@role_required(*SETTINGS_ROLES)
def employee_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    groups = list(selectors.pay_groups(company=company))
    form = EmployeeFilterForm(request.GET or None, groups=groups)
    filters: dict[str, Any] = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"q": d["q"] or "", "group": d["group"] or "", "status": d["status"] or "active"}
    rows = selectors.employee_pay_list(company=company, **filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, _export_rows(rows), name="payroll-employees", title=_("社員の給与設定")
        )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "query": query.urlencode(),
        "pay_types": PAY_TYPES,
        "has_groups": bool(groups),
    }
    return render(
        request,
        "payroll/settings/employee_list.html",
        context,
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


def _export_rows(rows: Any) -> Iterator[list[Any]]:
    yield [
        "社員番号", "氏名", "適用開始月", "支給グループ", "給与形態", "基本給", "通勤手当", "税額表の欄",
        "扶養親族等の数", "役員", "健康保険の等級", "健康保険の標準報酬月額", "厚生年金の等級",
    ]  # fmt: skip
    for e in rows.iterator(chunk_size=500):
        yield [
            e.number,
            e.full_name,
            e.p_from.strftime("%Y-%m") if e.p_from else "",
            e.p_group or "",
            str(PAY_TYPES.get(e.p_type, "")) if e.p_type else "",
            e.p_base if e.p_base is not None else "",
            e.p_commute if e.p_commute is not None else "",
            e.p_column or "",
            e.p_dependents if e.p_dependents is not None else "",
            "○" if e.p_officer else "",
            e.g_health_grade or "",
            e.g_health_standard if e.g_health_standard is not None else "",
            e.g_pension_grade or "",
        ]


FORMS = ("profile", "item", "grade", "tax")


def _profile_input(d: dict[str, Any]) -> services.ProfileInput:
    values = {k: v for k, v in d.items() if k != "pay_group"}
    values["pay_group_id"] = d["pay_group"]
    values["split_amount"] = d.get("split_amount") or Decimal(0)
    for key in ("split_bank_code", "split_branch_code", "split_account_type", "split_account_number"):
        values[key] = values.get(key) or ""
    return services.ProfileInput(**values)


def _profile_initial(pay: selectors.EmployeePay) -> dict[str, Any]:
    current = pay.current_profile or (pay.profiles[0] if pay.profiles else None)
    if current is None:
        hire = pay.employee.hire_date
        return {
            "effective_from": hire.replace(day=1),
            "si_acquired_on": hire,
            "ei_acquired_on": hire,
            "commute_exempt_limit": 150_000,
            "tax_column": TaxColumn.KOU,
        }
    initial = {name: getattr(current, name) for name in services.PROFILE_FIELDS if name != "employee"}
    initial["pay_group"] = current.pay_group_id
    initial["effective_from"] = timezone.localdate().replace(day=1)
    return initial


def _save(request: HttpRequest, which: str, form: forms.Form, employee_id: int) -> bool:
    """Run the service the posted form stands for; False (errors on the form) when refused."""
    d = form.cleaned_data
    try:
        if which == "profile":
            saved = services.set_pay_profile(
                **_writer(request), employee_id=employee_id, data=_profile_input(d)
            )
            for notice in saved.notices:
                messages.info(request, notice)
            messages.success(
                request,
                _("%(m)s からの給与の基本設定を置き換えました。") % {"m": f"{d['effective_from']:%Y-%m}"}
                if saved.replaced
                else _("%(m)s からの給与の基本設定を登録しました。") % {"m": f"{d['effective_from']:%Y-%m}"},
            )
        elif which == "item":
            services.set_employee_item(
                **_writer(request),
                employee_id=employee_id,
                item_id=d["item"],
                effective_from=d["effective_from"],
                amount=d["amount"],
            )
            messages.success(request, _("固定の項目を登録しました。"))
        elif which == "grade":
            row = services.set_standard_remuneration(
                **_writer(request),
                employee_id=employee_id,
                effective_from=d["effective_from"],
                monthly_remuneration=d["monthly_remuneration"],
                reason=d["reason"],
                note=d["note"],
            )
            messages.success(
                request,
                _("標準報酬月額を登録しました: 健康保険 %(hg)d級 %(hs)s円・厚生年金 %(pg)d級 %(ps)s円")
                % {
                    "hg": row.health_grade,
                    "hs": f"{row.health_standard:,}",
                    "pg": row.pension_grade,
                    "ps": f"{row.pension_standard:,}",
                },
            )
        else:
            tax_services.set_resident_tax(
                **_writer(request),
                employee_id=employee_id,
                data=tax_services.ResidentTaxInput(
                    fiscal_year=d["fiscal_year"],
                    municipality_code=d["municipality_code"] or "",
                    municipality_name=d["municipality_name"],
                    annual=d["annual"],
                    june=d["june"],
                    monthly=d["monthly"],
                ),
            )
            messages.success(request, _("住民税を登録しました。"))
    except ServiceError as exc:
        if which == "profile" and "pay_group_id" in exc.field_errors:
            exc.field_errors["pay_group"] = exc.field_errors.pop("pay_group_id")
        if which == "item" and "item_id" in exc.field_errors:
            exc.field_errors["item"] = exc.field_errors.pop("item_id")
        apply_service_error(form, exc)
        return False
    return True


@role_required(*SETTINGS_ROLES)
def employee_pay(request: HttpRequest, employee_id: int) -> HttpResponse:
    """One employee: the rows in force, their history, and a form for each kind of row."""
    company = request.company  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, employee_id=employee_id)
    pay = selectors.employee_pay(company=company, employee=employee)
    groups = list(selectors.pay_groups(company=company, active_only=True))
    fixed_items = list(selectors.pay_items(company=company, active_only=True).filter(source=ItemSource.FIXED))
    which = request.POST.get("form", "") if request.method == "POST" else ""
    data = request.POST if which else None
    this_month = timezone.localdate().replace(day=1)
    all_forms: dict[str, forms.Form] = {
        "profile": ProfileForm(
            data if which == "profile" else None, groups=groups, initial=_profile_initial(pay)
        ),
        "item": EmployeeItemForm(
            data if which == "item" else None, items=fixed_items, initial={"effective_from": this_month}
        ),
        "grade": GradeForm(
            data if which == "grade" else None,
            initial={"effective_from": this_month, "reason": "acquisition"},
        ),
        "tax": ResidentTaxForm(data if which == "tax" else None, initial={"fiscal_year": _fiscal_year()}),
    }
    status = 200
    if which in FORMS:
        form = all_forms[which]
        if form.is_valid() and _save(request, which, form, employee.pk):
            return redirect(reverse("payroll:employee_pay", args=[employee.pk]) + f"#{which}")
        status = 400
    context = {
        "employee": employee,
        "pay": pay,
        "forms": all_forms,
        "posted": which,
        "pay_types": PAY_TYPES,
        "grade_preview": _grade_preview(request),
    }
    return render(request, "payroll/settings/employee_pay.html", context, status=status)


def _fiscal_year() -> int:
    """住民税の年度 now running: June to May (so January–May belong to last year's)."""
    today = timezone.localdate()
    return today.year if today.month >= 6 else today.year - 1


def _grade_preview(request: HttpRequest) -> rules.Grade | None:
    """?remuneration=…&month=YYYY-MM: the grade the rules give, shown before it is saved."""
    from ennoshita.core.dates import parse_month

    text = request.GET.get("remuneration", "").replace(",", "").strip()
    month = parse_month(request.GET.get("month", "")) or timezone.localdate().replace(day=1)
    if not text.isdigit() or len(text) > 10:
        return None
    try:
        return rules.standard_remuneration(monthly_remuneration=int(text), on=month)
    except ValueError:
        return None
