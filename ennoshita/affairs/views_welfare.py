"""福利厚生 screens: the catalogue for everyone (what I may use, what is left this 年度), a benefit's
page, the application form, my uses (総務 / 人事 / admin: everyone's), a use's page with its
approval steps and the withdraw button, keeping the catalogue, and the report of use per employee
and 年度 (CSV / Excel on every list).

Views parse, call ``affairs.services.welfare`` / ``affairs.selectors.welfare`` and render; the
services check the permissions again. Another company's id is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from .forms_welfare import (
    ApplyForm,
    BenefitFilterForm,
    BenefitForm,
    BenefitManageFilterForm,
    ReportFilterForm,
    UseFilterForm,
)
from .models import Benefit, BenefitUse
from .selectors import welfare as selectors
from .services import welfare as services

PAGE_SIZE = 50
manager_only = role_required(*selectors.MANAGE_ROLES)
member_only = role_required(*selectors.MEMBER_ROLES)  # not the outside assistant team


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _company(request: HttpRequest) -> Any:
    return request.company  # type: ignore[attr-defined]


def _membership(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


def _wants_download(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


def _cleaned(form: Any) -> dict[str, Any]:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _yen(value: Any) -> Any:
    return "" if value is None else int(value)


def _benefit_choices(company: Any) -> list[tuple[int, str]]:
    return [(b.pk, f"{b.code} {b.name}") for b in selectors.catalogue(company=company, active=None)]


# ---------------------------------------------------------------------------- the catalogue
def _catalogue_rows(rows: Iterable[selectors.CatalogueRow], year: int) -> Iterable[list[Any]]:
    yield ["制度コード", "制度名", "区分", "対象", "上限", "承認", "利用できるか", f"{year}年度の利用(回)",
           f"{year}年度の利用(円)", "残り(円)", "残り(回)"]  # fmt: skip
    for r in rows:
        b = r.benefit
        yield [
            b.code,
            b.name,
            b.get_category_display(),
            r.who,
            r.limits,
            "要" if b.requires_approval else "不要",
            "" if r.eligible is None else ("○" if r.eligible else "×"),
            r.usage.counted_count,
            int(r.usage.counted_amount),
            _yen(r.remaining.amount),
            "" if r.remaining.count is None else r.remaining.count,
        ]


@member_only
def benefit_catalogue(request: HttpRequest) -> HttpResponseBase:
    company = _company(request)
    form = BenefitFilterForm(request.GET or None)
    f = _cleaned(form)
    year = selectors.current_fiscal_year(company=company)
    qs = selectors.catalogue(company=company, q=f.get("q", ""), category=f.get("category", ""))
    if _wants_download(request):
        rows = selectors.catalogue_rows(
            company=company, membership=_membership(request), benefits=list(qs), fiscal_year=year
        )
        return table_download(request, _catalogue_rows(rows, year), name="benefits", title=_("福利厚生"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.catalogue_rows(
        company=company, membership=_membership(request), benefits=list(page.object_list), fiscal_year=year
    )
    return render(
        request,
        "affairs/welfare/catalogue.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "year": year,
            "can_manage": selectors.can_manage(_membership(request)),
        },
    )


@member_only
def benefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = _company(request), _membership(request)
    benefit = selectors.get_benefit(company=company, benefit_id=pk)
    year = selectors.current_fiscal_year(company=company)
    row = selectors.catalogue_rows(
        company=company, membership=membership, benefits=[benefit], fiscal_year=year
    )[0]
    manager = selectors.can_manage(membership)
    return render(
        request,
        "affairs/welfare/benefit_detail.html",
        {
            "benefit": benefit,
            "row": row,
            "year": year,
            "can_manage": manager,
            "events": selectors.benefit_history(company=company, benefit=benefit) if manager else None,
        },
    )


# ---------------------------------------------------------------------------- applying
@member_only
def benefit_apply(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = _company(request), _membership(request)
    benefit = selectors.get_benefit(company=company, benefit_id=pk)
    employees = (
        selectors.employee_choices(company=company) if selectors.can_apply_for_others(membership) else None
    )
    post = request.method == "POST"
    form = ApplyForm(
        request.POST if post else None, employees=employees, initial={"used_on": timezone.localdate()}
    )
    if post and form.is_valid():
        d = form.cleaned_data
        try:
            use = services.apply_benefit(
                **_ctx(request),
                benefit=benefit,
                used_on=d["used_on"],
                amount=d["amount"],
                detail=d.get("detail") or "",
                employee_id=d.get("employee"),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("申請しました。承認をお待ちください。") if use.status == "pending" else _("登録しました。"),
            )
            return redirect("affairs:benefit_use_detail", pk=use.pk)
    year = selectors.current_fiscal_year(company=company)
    row = selectors.catalogue_rows(
        company=company, membership=membership, benefits=[benefit], fiscal_year=year
    )[0]
    return render(
        request,
        "affairs/welfare/apply.html",
        {"form": form, "benefit": benefit, "row": row, "year": year},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------- uses
def _use_rows(uses: Iterable[BenefitUse]) -> Iterable[list[Any]]:
    yield ["ID", "年度", "利用日", "社員番号", "氏名", "制度コード", "制度名", "金額", "状態", "内容", "申請者", "申請日時", "決定日時"]  # fmt: skip
    for u in uses:
        yield [
            u.pk,
            u.fiscal_year,
            u.used_on,
            u.employee.number,
            u.employee.full_name,
            u.benefit.code,
            u.benefit.name,
            int(u.amount),
            u.get_status_display(),
            u.detail,
            u.applicant.display_name(),
            timezone.localtime(u.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(u.decided_at).strftime("%Y-%m-%d %H:%M") if u.decided_at else "",
        ]


@member_only
def benefit_use_list(request: HttpRequest) -> HttpResponseBase:
    company, membership = _company(request), _membership(request)
    manager = selectors.can_manage(membership)
    form = UseFilterForm(request.GET or None, benefits=_benefit_choices(company), manager=manager)
    f = _cleaned(form)
    qs = selectors.use_list(
        company=company,
        membership=membership,
        scope=f.get("scope") or "mine",
        q=f.get("q", ""),
        status=f.get("status", ""),
        benefit_id=f.get("benefit"),
        fiscal_year=f.get("year"),
    )
    if _wants_download(request):
        return table_download(request, _use_rows(qs), name="benefit-uses", title=_("福利厚生の利用"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "affairs/welfare/use_list.html", {"form": form, "page_obj": page, "can_manage": manager}
    )


@member_only
def benefit_use_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from ennoshita.approvals.views import panel_context

    company, membership = _company(request), _membership(request)
    use = selectors.get_use(company=company, membership=membership, use_id=pk)
    return render(
        request,
        "affairs/welfare/use_detail.html",
        {
            "use": use,
            "can_withdraw": selectors.can_withdraw(membership=membership, use=use),
            "can_resubmit": selectors.can_resubmit(membership=membership, use=use),
            "events": selectors.use_history(company=company, use=use),
            **panel_context(request, request_type=selectors.REQUEST_TYPE, object_id=use.pk),
        },
    )


@require_POST
@member_only
def benefit_use_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    use = selectors.get_use(company=_company(request), membership=_membership(request), use_id=pk)
    try:
        services.withdraw_benefit_use(**_ctx(request), use=use)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申請を取り下げました。"))
    return redirect("affairs:benefit_use_detail", pk=use.pk)


@member_only
def benefit_use_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request)
    use = selectors.get_use(company=company, membership=_membership(request), use_id=pk)
    post = request.method == "POST"
    form = ApplyForm(
        request.POST if post else None,
        initial={"used_on": use.used_on, "amount": int(use.amount), "detail": use.detail},
    )
    if post and form.is_valid():
        d = form.cleaned_data
        try:
            services.resubmit_benefit_use(
                **_ctx(request),
                use=use,
                used_on=d["used_on"],
                amount=d["amount"],
                detail=d.get("detail") or "",
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("再申請しました。"))
            return redirect("affairs:benefit_use_detail", pk=use.pk)
    return render(
        request,
        "affairs/welfare/resubmit.html",
        {"form": form, "use": use},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------- keeping the catalogue
def _manage_rows(benefits: Iterable[Benefit], names: dict[str, str]) -> Iterable[list[Any]]:
    yield ["制度コード", "制度名", "区分", "対象の雇用形態", "必要な勤続月数", "年間の上限額", "年間の上限回数", "承認", "受付", "内容"]  # fmt: skip
    for b in benefits:
        yield [
            b.code,
            b.name,
            b.get_category_display(),
            "・".join(names.get(c, c) for c in b.eligible_employment_types or []) or "全社員",
            b.min_service_months,
            _yen(b.yearly_amount_limit),
            "" if b.yearly_count_limit is None else b.yearly_count_limit,
            "要" if b.requires_approval else "不要",
            "受付中" if b.is_active else "受付停止",
            b.description,
        ]


@manager_only
def benefit_manage(request: HttpRequest) -> HttpResponseBase:
    company = _company(request)
    form = BenefitManageFilterForm(request.GET or None)
    f = _cleaned(form)
    active = {"1": True, "0": False}.get(f.get("active", ""))
    qs = selectors.catalogue(company=company, q=f.get("q", ""), category=f.get("category", ""), active=active)
    names = selectors.employment_type_names(company=company)
    if _wants_download(request):
        return table_download(
            request, _manage_rows(qs, names), name="benefit-catalogue", title=_("福利厚生制度")
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(b, selectors.who_may_use(b, names), selectors.limits_text(b)) for b in page.object_list]
    return render(request, "affairs/welfare/manage.html", {"form": form, "page_obj": page, "rows": rows})


def _benefit_form(request: HttpRequest, benefit: Benefit | None) -> HttpResponse:
    company = _company(request)
    post = request.method == "POST"
    form = BenefitForm(
        request.POST if post else None,
        initial=BenefitForm.initial_of(benefit) if benefit else None,
        employment_types=selectors.employment_type_choices(company=company),
    )
    if post and form.is_valid():
        try:
            if benefit is None:
                saved = services.create_benefit(**_ctx(request), data=form.data_input())
            else:
                saved = services.update_benefit(**_ctx(request), benefit=benefit, data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("福利厚生制度を保存しました。"))
            return redirect("affairs:benefit_detail", pk=saved.pk)
    return render(
        request,
        "affairs/welfare/benefit_form.html",
        {"form": form, "benefit": benefit},
        status=400 if form.errors else 200,
    )


@manager_only
def benefit_new(request: HttpRequest) -> HttpResponse:
    return _benefit_form(request, None)


@manager_only
def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _benefit_form(request, selectors.get_benefit(company=_company(request), benefit_id=pk))


@require_POST
@manager_only
def benefit_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    benefit = selectors.get_benefit(company=_company(request), benefit_id=pk)
    active = request.POST.get("active") == "1"
    services.set_benefit_active(**_ctx(request), benefit=benefit, active=active)
    messages.success(request, _("受付を再開しました。") if active else _("受付を停止しました。"))
    return redirect("affairs:benefit_detail", pk=benefit.pk)


# ---------------------------------------------------------------------------- the report
def _report_rows(rows: Iterable[selectors.ReportRow], year: int) -> Iterable[list[Any]]:
    yield ["年度", "社員番号", "氏名", "部署", "制度コード", "制度名", "承認済み(回)", "承認済み(円)", "承認待ち(回)",
           "承認待ち(円)", "上限額", "残り(円)", "上限回数", "残り(回)"]  # fmt: skip
    for r in rows:
        yield [
            year,
            r.employee_number,
            r.employee_name,
            r.department,
            r.benefit_code,
            r.benefit_name,
            r.usage.approved_count,
            int(r.usage.approved_amount),
            r.usage.pending_count,
            int(r.usage.pending_amount),
            _yen(r.amount_limit),
            _yen(r.remaining.amount),
            "" if r.count_limit is None else r.count_limit,
            "" if r.remaining.count is None else r.remaining.count,
        ]


@manager_only
def benefit_report(request: HttpRequest) -> HttpResponseBase:
    company = _company(request)
    form = ReportFilterForm(
        request.GET or None,
        departments=selectors.department_choices(company=company),
        benefits=_benefit_choices(company),
    )
    f = _cleaned(form)
    year = f.get("year") or selectors.current_fiscal_year(company=company)
    rows = selectors.report(
        company=company,
        membership=_membership(request),
        fiscal_year=year,
        department_id=f.get("department"),
        benefit_id=f.get("benefit"),
        q=f.get("q", ""),
    )
    if _wants_download(request):
        return table_download(
            request, _report_rows(rows, year), name="benefit-report", title=_("福利厚生の利用状況")
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/welfare/report.html", {"form": form, "page_obj": page, "year": year})
