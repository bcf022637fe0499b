"""Screens of 給与の設定 (人事・経理・管理者): the company's settings, pay groups, pay items, and the
住民税 import. 社員の給与設定 is in views_employee_pay.py. Thin: parse, call a service or selector,
render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from .forms_settings import PayGroupForm, PayItemForm, PayrollSettingsForm, ResidentTaxImportForm
from .models import ItemKind
from .permissions import SETTINGS_ROLES
from .selectors import settings as selectors
from .services import resident_tax_import as tax_services
from .services import settings as services


def _writer(request: HttpRequest) -> dict[str, Any]:
    return {
        "company": request.company,  # type: ignore[attr-defined]
        "membership": request.membership,  # type: ignore[attr-defined]
        "actor": request.user,
    }


def _history(request: HttpRequest, object_type: str, pk: int) -> Any:
    return core_selectors.audit_events_for_object(
        company=request.company,  # type: ignore[attr-defined]
        object_type=object_type,
        object_id=str(pk),
    )[:50]


# ============================================================================ 給与の設定
@role_required(*SETTINGS_ROLES)
def payroll_settings(request: HttpRequest) -> HttpResponse:
    row = selectors.payroll_settings_of(company=request.company)  # type: ignore[attr-defined]
    initial = {name: getattr(row, name) for name in services.SETTINGS_FIELDS}
    form = PayrollSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_payroll_settings(
                **_writer(request),
                data=services.SettingsInput(
                    **{k: d[k] for k in services.SETTINGS_FIELDS}, union_rates_from=d.get("union_rates_from")
                ),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("給与の設定を保存しました。"))
            return redirect("payroll:settings")
    context = {
        "form": form,
        "events": _history(request, "payroll.payrollsettings", row.pk),
        "union_versions": selectors.union_rate_versions(company=request.company),  # type: ignore[attr-defined]
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "payroll/settings/settings.html", context, status=status)


# ============================================================================ 支給グループ
def _group_input(d: dict[str, Any]) -> services.PayGroupInput:
    return services.PayGroupInput(
        code=d["code"],
        name=d["name"],
        closing_day=d["closing_day"],
        pay_day=d["pay_day"],
        pay_month_offset=d["pay_month_offset"],
        is_active=d["is_active"],
        sort_order=d["sort_order"],
    )


@role_required(*SETTINGS_ROLES)
def group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.pay_groups(company=request.company)  # type: ignore[attr-defined]
    return render(request, "payroll/settings/group_list.html", {"groups": groups})


@role_required(*SETTINGS_ROLES)
def group_new(request: HttpRequest) -> HttpResponse:
    form = PayGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_pay_group(**_writer(request), data=_group_input(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("支給グループを追加しました。"))
            return redirect("payroll:group_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "payroll/settings/group_form.html", {"form": form, "group": None}, status=status)


@role_required(*SETTINGS_ROLES)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_pay_group(company=request.company, pay_group_id=pk)  # type: ignore[attr-defined]
    initial = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    form = PayGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pay_group(
                **_writer(request), pay_group_id=group.pk, data=_group_input(form.cleaned_data)
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("支給グループを保存しました。"))
            return redirect("payroll:group_list")
    context = {
        "form": form,
        "group": group,
        "members": selectors.group_member_count(company=request.company, pay_group=group),  # type: ignore[attr-defined]
        "events": _history(request, "payroll.paygroup", group.pk),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "payroll/settings/group_form.html", context, status=status)


# ============================================================================ 支給・控除項目
def _item_input(d: dict[str, Any]) -> services.PayItemInput:
    return services.PayItemInput(
        code=d.get("code") or "",
        name=d["name"],
        kind=d["kind"],
        source=d["source"],
        taxable=d["taxable"],
        social_insurance=d["social_insurance"],
        employment_insurance=d["employment_insurance"],
        premium_base=d["premium_base"],
        attendance_key=d.get("attendance_key") or "",
        rate=d.get("rate") or Decimal(0),
        formula=d.get("formula") or "",
        is_active=d["is_active"],
        sort_order=d["sort_order"],
    )


@role_required(*SETTINGS_ROLES)
def item_list(request: HttpRequest) -> HttpResponse:
    """支給・控除項目: seeded with the default set on first use."""
    items = services.ensure_default_items(request.company)  # type: ignore[attr-defined]
    context = {
        "payments": [i for i in items if i.kind == ItemKind.PAYMENT],
        "deductions": [i for i in items if i.kind == ItemKind.DEDUCTION],
        "attendance_keys": selectors.ATTENDANCE_KEYS,
    }
    return render(request, "payroll/settings/item_list.html", context)


@role_required(*SETTINGS_ROLES)
def item_new(request: HttpRequest) -> HttpResponse:
    form = PayItemForm(request.POST or None, initial={"kind": request.GET.get("kind", ItemKind.PAYMENT)})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_pay_item(**_writer(request), data=_item_input(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("項目を追加しました。"))
            return redirect("payroll:item_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "payroll/settings/item_form.html", {"form": form, "item": None}, status=status)


@role_required(*SETTINGS_ROLES)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_pay_item(company=request.company, pay_item_id=pk)  # type: ignore[attr-defined]
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = PayItemForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pay_item(
                **_writer(request), pay_item_id=item.pk, data=_item_input(form.cleaned_data)
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("項目を保存しました。"))
            return redirect("payroll:item_list")
    context = {"form": form, "item": item, "events": _history(request, "payroll.payitem", item.pk)}
    status = 400 if request.method == "POST" else 200
    return render(request, "payroll/settings/item_form.html", context, status=status)


@require_POST
@role_required(*SETTINGS_ROLES)
def item_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = selectors.get_pay_item(company=request.company, pay_item_id=pk)  # type: ignore[attr-defined]
    try:
        services.delete_pay_item(**_writer(request), pay_item_id=item.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("payroll:item_edit", pk=item.pk)
    messages.success(request, _("項目を削除しました。"))
    return redirect("payroll:item_list")


# ============================================================================ 住民税の一括取込
@role_required(*SETTINGS_ROLES)
def resident_tax_import(request: HttpRequest) -> HttpResponse:
    """特別徴収税額通知の取込: every row checked before anything is written."""
    form = ResidentTaxImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = tax_services.import_resident_taxes(
                    **_writer(request), data=form.cleaned_data["file"].read()
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)d人分の住民税を取り込みました(新規%(c)d人・置き換え%(r)d人)。")
                    % {"n": result.total, "c": result.created, "r": result.replaced},
                )
                return redirect("payroll:resident_tax_import")
        status = 400
    context = {"form": form, "header": ",".join(tax_services.IMPORT_HEADER)}
    return render(request, "payroll/settings/resident_tax_import.html", context, status=status)
