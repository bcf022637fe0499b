"""承認 screens: 承認待ち (inbox, with CSV), 私の申請, a request's page with its steps and the
decision buttons, 承認ルート (admin and 経理), 代理承認.

Embedding the panel in an owning app's page (経費精算 …)::

    from ennoshita.approvals.views import panel_context

    def claim_detail(request, pk):
        claim = ...
        context = {"claim": claim, **panel_context(request, request_type="expense", object_id=claim.pk)}
        return render(request, "expenses/claim_detail.html", context)

and in the template ``{% include "approvals/_panel.html" %}``. The panel's buttons post to
``approvals:request_decide`` with ``next`` set to the owner's page, which is where the user comes
back to, with the outcome (or the error) as a message. The owner resubmits after 差し戻し itself
(``services.resubmit``), from its own edit screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ennoshita.core.csvio import SJIS, UnencodableError, defuse, encode_csv
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required

from . import selectors, services
from .forms import DecisionForm, DelegationForm, RequestFilterForm, RouteForm, SettingsForm, StepFormSet
from .models import ApprovalRequest, ApprovalRoute, RequestStatus
from .permissions import ROUTE_ROLES, can_configure, sees_all
from .routing import StepSpec, settings_of, type_label

PAGE_SIZE = 50
configurer = role_required(*ROUTE_ROLES)


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _company(request: HttpRequest) -> Any:
    return request.company  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> Any:
    return request.user


def _status(*forms: Any) -> int:
    return 400 if any(f is not None and f.errors for f in forms) else 200


def _error_text(exc: ServiceError) -> str:
    details = [m for ms in exc.field_errors.values() for m in ms if m != exc.message]
    return " ".join([exc.message, *details])


# ---------------------------------------------------------------------------- lists
def _filters(request: HttpRequest, *, with_status: bool = False) -> tuple[RequestFilterForm, dict[str, Any]]:
    form = RequestFilterForm(request.GET or None, with_status=with_status)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = {"q": data.get("q") or "", "request_type": data.get("request_type") or ""}
    if with_status:
        filters["status"] = data.get("status") or ""
    return form, filters


def _with_age(rows: Iterable[ApprovalRequest]) -> list[ApprovalRequest]:
    now = timezone.now()
    out = list(rows)
    for r in out:
        r.age_days = (now - r.step_started_at).days  # type: ignore[attr-defined]
        r.type_label = type_label(r.request_type)  # type: ignore[attr-defined]
    return out


@membership_required
def inbox(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.inbox(company=_company(request), user=_user(request), **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_age(page.object_list)
    return render(request, "approvals/inbox.html", {"form": form, "page_obj": page}, status=_status(form))


@membership_required
def inbox_export(request: HttpRequest) -> HttpResponse:
    """The filtered inbox as CSV (UTF-8 with BOM, or Shift_JIS with ?encoding=sjis)."""
    _form, filters = _filters(request)
    qs = selectors.inbox(company=_company(request), user=_user(request), **filters)
    header = [
        _("申請日時"),
        _("種類"),
        _("件名"),
        _("申請者"),
        _("部署"),
        _("金額"),
        _("段階"),
        _("待ち日数"),
    ]
    rows: list[list[Any]] = [header]
    for r in _with_age(qs.iterator(chunk_size=1000)):
        rows.append(
            [
                timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
                r.type_label,  # type: ignore[attr-defined]
                r.object_repr,
                r.applicant.display_name(),
                r.department.name if r.department else "",
                r.amount,
                r.current_step_name,
                r.age_days,  # type: ignore[attr-defined]
            ]
        )
    sjis = request.GET.get("encoding") == "sjis"
    try:
        body = encode_csv(
            ([defuse(v) for v in row] for row in rows),
            encoding=SJIS if sjis else "utf-8-sig",
            replace=request.GET.get("replace") == "1" or sjis,
        )
    except UnencodableError as exc:  # pragma: no cover - replace=True for Shift_JIS
        return HttpResponse(str(exc), status=400)
    response = HttpResponse(body, content_type=f"text/csv; charset={'shift_jis' if sjis else 'utf-8'}")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="approvals-inbox-{stamp}.csv"'
    return response


@membership_required
def my_requests(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, with_status=True)
    qs = selectors.my_requests(company=_company(request), user=_user(request), **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_age(page.object_list)
    return render(
        request, "approvals/my_requests.html", {"form": form, "page_obj": page}, status=_status(form)
    )


# ---------------------------------------------------------------------------- one request
def panel_for(
    request: HttpRequest, approval: ApprovalRequest, *, next_url: str = "", form: Any = None
) -> dict[str, Any]:
    """What ``approvals/_panel.html`` shows for one request to the signed-in member."""
    company = request.company  # type: ignore[attr-defined]
    user = request.user
    actions = selectors.history(company=company, request=approval)
    allowed, on_behalf_of = selectors.can_decide(company=company, user=user, request=approval)  # type: ignore[arg-type]
    is_applicant = approval.applicant_id == user.pk
    return {
        "approval": approval,
        "type_label": type_label(approval.request_type),
        "steps": selectors.step_rows(company=company, request=approval, actions=actions),
        "actions": actions,
        "can_decide": allowed,
        "on_behalf_of": on_behalf_of,
        "can_withdraw": is_applicant and approval.status in (RequestStatus.PENDING, RequestStatus.RETURNED),
        "decision_form": form
        or DecisionForm(initial={"step": approval.current_step, "round": approval.round, "next": next_url}),
        "next_url": next_url,
    }


def panel_context(
    request: HttpRequest, *, request_type: str, object_id: str | int, next_url: str = ""
) -> dict[str, Any]:
    """``{"approval_panel": …}`` for an owning app's page: the record's latest request (or None)."""
    approval = selectors.request_for(company=request.company, request_type=request_type, object_id=object_id)  # type: ignore[attr-defined]
    if approval is None:
        return {"approval_panel": None}
    return {"approval_panel": panel_for(request, approval, next_url=next_url or request.get_full_path())}


@membership_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    approval = selectors.get_request(company=request.company, membership=request.membership, request_id=pk)  # type: ignore[attr-defined]
    return render(request, "approvals/request_detail.html", {"approval_panel": panel_for(request, approval)})


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


DONE_MESSAGES = {
    "approve": gettext_lazy("承認しました。"),
    "reject": gettext_lazy("却下しました。"),
    "send_back": gettext_lazy("差し戻しました。"),
    "withdraw": gettext_lazy("取り下げました。"),
}


@require_POST
@membership_required
def request_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    approval = selectors.get_request(company=request.company, membership=request.membership, request_id=pk)  # type: ignore[attr-defined]
    form = DecisionForm(request.POST)
    next_url = _safe_next(request, request.POST.get("next", ""))
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        seen = (d.get("step"), d.get("round"))
        try:
            if seen != (None, None) and seen != (approval.current_step, approval.round):
                raise services.AlreadyDecided()
            _decide(request, approval, d["action"], d.get("comment") or "")
        except ServiceError as exc:
            apply_service_error(form, exc)
            if "reason" in exc.field_errors:
                form.add_error("comment", exc.field_errors["reason"][0])
            error = _error_text(exc)
        else:
            messages.success(request, str(DONE_MESSAGES[d["action"]]))
            if next_url:
                return redirect(next_url)
            return redirect("approvals:request_detail", pk=approval.pk)
    else:
        error = _("入力内容に誤りがあります。")
    if next_url:
        messages.error(request, error)
        return redirect(next_url)
    approval = selectors.get_request(company=request.company, membership=request.membership, request_id=pk)  # type: ignore[attr-defined]
    panel = panel_for(request, approval, form=form)
    return render(
        request, "approvals/request_detail.html", {"approval_panel": panel, "error": error}, status=400
    )


def _decide(request: HttpRequest, approval: ApprovalRequest, action: str, comment: str) -> None:
    if action == "approve":
        services.approve(**_ctx(request), request=approval, comment=comment)
    elif action == "reject":
        services.reject(**_ctx(request), request=approval, reason=comment)
    elif action == "send_back":
        services.send_back(**_ctx(request), request=approval, reason=comment)
    else:
        services.withdraw(**_ctx(request), request=approval)


# ---------------------------------------------------------------------------- routes
@configurer
def route_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    routes = list(selectors.routes(company=company))
    for r in routes:
        r.type_label = type_label(r.request_type)  # type: ignore[attr-defined]
    form = SettingsForm(initial={"reminder_days": settings_of(company).reminder_days})
    return render(request, "approvals/route_list.html", {"routes": routes, "settings_form": form})


@require_POST
@configurer
def settings_update(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_approval_settings(
                **_ctx(request), reminder_days=form.cleaned_data["reminder_days"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("承認の設定を保存しました。"))
            return redirect("approvals:route_list")
    routes = list(selectors.routes(company=request.company))  # type: ignore[attr-defined]
    return render(request, "approvals/route_list.html", {"routes": routes, "settings_form": form}, status=400)


def _route_initial(route: ApprovalRoute) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    initial = {
        "name": route.name,
        "request_type": route.request_type,
        "priority": route.priority,
        "min_amount": route.min_amount,
        "max_amount": route.max_amount,
        "department": route.department_id,
        "account_code": route.account_code,
        "allow_same_approver": route.allow_same_approver,
        "is_active": route.is_active,
    }
    steps = [
        {
            "name": s.name,
            "kind": s.kind,
            "role": s.role,
            "users": [su.user_id for su in s.step_users.all()],
        }
        for s in selectors.route_steps(company=route.company, route=route)
    ]
    return initial, steps


def _route_screen(request: HttpRequest, route: ApprovalRoute | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    initial, step_initial = _route_initial(route) if route is not None else ({"is_active": True}, [])
    data = request.POST if request.method == "POST" else None
    form = RouteForm(data, initial=initial, company=company)
    steps = StepFormSet(data, initial=step_initial, prefix="steps", form_kwargs={"company": company})
    steps_error = ""
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        specs = [
            StepSpec(
                kind=f.cleaned_data.get("kind") or "",
                name=f.cleaned_data.get("name") or "",
                role=f.cleaned_data.get("role") or "",
                users=list(f.cleaned_data.get("users") or []),
            )
            for f in steps.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("kind")
        ]
        try:
            saved = services.save_route(**_ctx(request), route=route, steps=specs, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
            steps_error = " ".join(exc.field_errors.get("steps", []))
        else:
            messages.success(request, _("承認ルート「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect("approvals:route_list")
    context = {"form": form, "steps": steps, "route": route, "steps_error": steps_error}
    status = 400 if steps_error or form.errors or (steps.is_bound and not steps.is_valid()) else 200
    return render(request, "approvals/route_form.html", context, status=status)


@configurer
def route_new(request: HttpRequest) -> HttpResponse:
    return _route_screen(request, None)


@configurer
def route_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _route_screen(request, selectors.get_route(company=request.company, route_id=pk))  # type: ignore[attr-defined]


@require_POST
@configurer
def route_delete(request: HttpRequest, pk: int) -> HttpResponse:
    route = selectors.get_route(company=request.company, route_id=pk)  # type: ignore[attr-defined]
    try:
        services.delete_route(**_ctx(request), route=route)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
        return redirect("approvals:route_edit", pk=route.pk)
    messages.success(request, _("承認ルート「%(name)s」を削除しました。") % {"name": route.name})
    return redirect("approvals:route_list")


# ---------------------------------------------------------------------------- delegations
@membership_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    any_approver = sees_all(membership)
    form = DelegationForm(
        request.POST if request.method == "POST" else None,
        company=company,
        user=request.user,  # type: ignore[arg-type]
        any_approver=any_approver,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_delegation(**_ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("代理承認を設定しました。"))
            return redirect("approvals:delegation_list")
    show_all = any_approver and request.GET.get("all") == "1"
    rows = selectors.delegations(company=company, membership=membership, show_all=show_all)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "can_see_all": any_approver,
        "show_all": show_all,
        "today": timezone.localdate(),
        "can_configure": can_configure(membership),
    }
    return render(request, "approvals/delegation_list.html", context, status=_status(form))


@require_POST
@membership_required
def delegation_end(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = selectors.get_delegation(
        company=_company(request),
        membership=request.membership,  # type: ignore[attr-defined]
        delegation_id=pk,
    )
    try:
        services.end_delegation(**_ctx(request), delegation=delegation)
    except NotFound:
        raise
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("代理承認を終了しました。"))
    return redirect("approvals:delegation_list")
