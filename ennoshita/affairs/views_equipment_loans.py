"""Screens of the 備品 loans (総務): lend and return one item, 私の貸与品 for every employee, one
employee's loans for 人事・総務, and 返却が必要な備品 (leavers who still hold items).

The register and the item page are in ``views_equipment``. Views parse, call
``affairs.services.equipment`` / ``affairs.selectors.equipment`` and render; the services check the
roles again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .forms_equipment import LendForm, ReturnForm
from .selectors import equipment as selectors
from .services import equipment as services
from .views_equipment import _item, readers, writers

leaver_readers = role_required(*selectors.LEAVER_ROLES)


# ------------------------------------------------------------------------------ lend and return
@writers
def equipment_lend(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    item = _item(request, pk)
    post = request.method == "POST"
    form = LendForm(
        request.POST if post else None,
        initial={"lent_on": timezone.localdate()},
        employees=selectors.lendable_employees(company=company),
    )
    if post and form.is_valid():
        c = form.cleaned_data
        try:
            employee = selectors.get_loan_employee(**read(request), employee_id=c["employee"])
            services.lend_equipment(
                **ctx(request),
                equipment=item,
                employee=employee,
                lent_on=c["lent_on"],
                due_on=c.get("due_on"),
                note=c.get("note", ""),
            )
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("貸与を記録しました。"))
            return redirect("affairs:equipment_detail", item.pk)
    return render(
        request,
        "affairs/equipment/lend.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@writers
def equipment_return(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    post = request.method == "POST"
    form = ReturnForm(request.POST if post else None, initial={"returned_on": timezone.localdate()})
    if post and form.is_valid():
        c = form.cleaned_data
        try:
            services.return_equipment(
                **ctx(request),
                equipment=item,
                returned_on=c["returned_on"],
                return_note=c.get("return_note", ""),
                needs_repair=bool(c.get("needs_repair")),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("返却を記録しました。"))
            return redirect("affairs:equipment_detail", item.pk)
    return render(
        request,
        "affairs/equipment/return.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ who holds what
@membership_required
def equipment_mine(request: HttpRequest) -> HttpResponse:
    """私の貸与品: what the signed-in employee holds now, and what they held before."""
    company = request.company  # type: ignore[attr-defined]
    employee = selectors.own_employee(**read(request))
    loans = list(selectors.employee_loans(company=company, employee=employee)[:200]) if employee else []
    return render(
        request,
        "affairs/equipment/mine.html",
        {
            "employee": employee,
            "held": [loan for loan in loans if loan.returned_on is None],
            "past": [loan for loan in loans if loan.returned_on is not None],
        },
    )


@readers
def equipment_employee_loans(request: HttpRequest, employee_id: int) -> HttpResponse:
    """One employee's loans (held and returned), for 人事・総務 (linked from the employee's record)."""
    company = request.company  # type: ignore[attr-defined]
    employee = selectors.get_loan_employee(**read(request), employee_id=employee_id)
    loans = list(selectors.employee_loans(company=company, employee=employee)[:500])
    return render(
        request,
        "affairs/equipment/employee_loans.html",
        {
            "employee": employee,
            "held": [loan for loan in loans if loan.returned_on is None],
            "past": [loan for loan in loans if loan.returned_on is not None],
        },
    )


@leaver_readers
def equipment_leavers(request: HttpRequest) -> HttpResponse:
    """返却が必要な備品: leavers (退職日 passed or within 60 days) who still hold items."""
    groups = selectors.leavers_holding(**read(request))
    if request.GET.get("format") in ("csv", "xlsx"):
        rows: list[list[Any]] = [["社員番号", "氏名", "退職日", "資産番号", "品名", "分類"]]
        for g in groups:
            for item in g.items:
                rows.append(
                    [
                        g.employee.number,
                        g.employee.full_name,
                        g.employee.retire_date,
                        item.asset_number,
                        item.name,
                        item.category.name,
                    ]
                )
        return table_download(request, rows, name="equipment-to-return", title=_("返却が必要な備品"))
    return render(
        request,
        "affairs/equipment/leavers.html",
        {
            "groups": groups,
            "days": selectors.LEAVER_DAYS,
            "today": timezone.localdate(),
            "can_write": selectors.can_write(request.membership),  # type: ignore[attr-defined]
        },
    )
