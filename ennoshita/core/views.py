"""Core screens: sign-in, home, company switch, profile and API tokens, members, audit log, company
settings, background-job progress."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .audit import verify_company_chain
from .csvio import defuse
from .errors import NotFound, ServiceError
from .forms import (
    ApiTokenForm,
    AuditExportForm,
    ClosedDaysForm,
    CompanySettingsForm,
    MemberForm,
    PasswordChangeForm,
    SignInForm,
    apply_service_error,
)
from .history import history_rows
from .member_picker import label_of
from .models import Role
from .tenancy import SESSION_KEY
from .web import membership_required, role_required

NEW_TOKEN_KEY = "new_api_token"


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    return redirect("core:login")


@login_required
def no_company(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_company.html", status=403)


@require_POST
@login_required
def switch_company(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("company", "")
    memberships = getattr(request, "memberships", [])
    chosen = next((m for m in memberships if str(m.company_id) == wanted), None)
    if chosen is None:
        raise Http404
    request.session[SESSION_KEY] = chosen.company_id
    messages.success(request, _("%(name)s に切り替えました。") % {"name": chosen.company.name})
    return redirect("home")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                company=getattr(request, "company", None),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("パスワードを変更しました。"))
            return redirect("core:profile")
    return render(request, "core/password_change.html", {"form": form}, status=400 if form.errors else 200)


@membership_required
def profile(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.create_api_token(membership=membership, name=form.cleaned_data["name"])
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            # Post/redirect/get: a reload must not create a second token. The raw value rides in
            # the session to the next page, where it is shown once and removed.
            request.session[NEW_TOKEN_KEY] = raw
            return redirect(reverse("core:profile") + "#api-tokens")
    new_token = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    return render(
        request,
        "core/profile.html",
        {"form": form, "tokens": selectors.api_tokens_of(membership=membership), "new_token": new_token},
        status=400 if form.errors else 200,
    )


@require_POST
@membership_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    services.revoke_api_token(membership=request.membership, token_id=token_id)  # type: ignore[attr-defined]
    messages.success(request, _("トークンを失効させました。"))
    return redirect("core:profile")


@role_required(Role.ADMIN)
def member_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_member(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                actor_membership=request.membership,  # type: ignore[attr-defined]
                username=d["username"],
                roles=d["roles"],
                password=d["password"] or None,
                first_name=d["first_name"],
                last_name=d["last_name"],
                email=d["email"],
                expires_on=d["expires_on"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(u)s のロールを保存しました。") % {"u": d["username"]})
            return redirect("core:member_list")
    members = selectors.memberships_of_company(company=company)
    return render(
        request,
        "core/member_list.html",
        {"members": members, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(Role.ADMIN)
def audit_log(request: HttpRequest) -> HttpResponseBase:
    company = request.company  # type: ignore[attr-defined]
    form = AuditExportForm(request.GET or None)
    start = end = None
    q = action = ""
    if form.is_valid():
        start, end = _range(form.cleaned_data)
        q, action = form.cleaned_data["q"], form.cleaned_data["action"]
    events = selectors.audit_events_between(company=company, start=start, end=end, q=q, action=action)
    if request.GET.get("format") == "csv" and form.is_valid():
        return _audit_csv(events, company.pk)
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    broken = verify_company_chain(company.pk) if request.GET.get("verify") else None
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page_obj": page, "verified": bool(request.GET.get("verify")), "broken": broken},
    )


def _range(data: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(data["start"], time.min, tz) if data.get("start") else None
    end = datetime.combine(data["end"] + timedelta(days=1), time.min, tz) if data.get("end") else None
    return start, end


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv(events: Any, company_id: int) -> StreamingHttpResponse:
    """The trail as CSV (UTF-8 with BOM so that Excel opens it in Japanese), streamed."""
    writer = csv.writer(_Echo())
    header = [
        "seq",
        "occurred_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object",
        "field",
        "before",
        "after",
        "prev_hash",
        "hash",
    ]

    def rows() -> Any:
        yield "\ufeff" + writer.writerow(header)
        cache: dict = {}
        for ev in events.iterator(chunk_size=2000):
            when = timezone.localtime(ev.occurred_at).isoformat()
            base = [
                ev.seq,
                when,
                ev.actor_label,
                ev.action,
                ev.object_type,
                ev.object_id,
                defuse(ev.object_repr),
            ]
            for row in history_rows(ev, cache):
                cells = [defuse(row.label), defuse(row.before), defuse(row.after)]
                yield writer.writerow([*base, *cells, ev.prev_hash, ev.hash])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{company_id}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def company_settings(request: HttpRequest) -> HttpResponse:
    """会社の設定: name, 法人番号, 期首月 and the filing extension."""
    company = request.company  # type: ignore[attr-defined]
    fields = (
        "name",
        "name_kana",
        "corporate_number",
        "fiscal_year_start_month",
        "filing_extension_months",
        "postal_code",
        "address",
        "address2",
        "phone",
    )
    form = CompanySettingsForm(request.POST or None, initial={f: getattr(company, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_company_settings(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("会社の設定を保存しました。"))
            return redirect("core:company_settings")
    events = selectors.audit_events_for_object(
        company=company, object_type="core.company", object_id=str(company.pk)
    )
    return render(request, "core/company_settings.html", {"form": form, "events": list(events[:20])})


@membership_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One background job's progress; the HTMX request of its own panel gets just the panel."""
    try:
        job = selectors.get_job(company=request.company, membership=request.membership, job_id=pk)  # type: ignore[attr-defined]
    except NotFound as exc:
        raise Http404 from exc
    template = "core/components/job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


# Anyone in the company may look colleagues up, except an outside assistant, who sees only what
# they are given.
MEMBER_SEARCHERS = tuple(r for r in Role.values if r != Role.ASSISTANT)


@require_GET
@role_required(*MEMBER_SEARCHERS)
def member_search(request: HttpRequest) -> JsonResponse:
    """The 担当者・宛先 picker's suggestions: ``?q=`` → ``{"results": [{"id", "label"}]}``."""
    users = selectors.search_members(company=request.company, q=request.GET.get("q", "")[:100])  # type: ignore[attr-defined]
    return JsonResponse({"results": [{"id": u.pk, "label": label_of(u)} for u in users]})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def closed_days(request: HttpRequest) -> HttpResponse:
    """会社の休業日 of a year, and a form to add a day or a range (年末年始 …)."""
    company = request.company  # type: ignore[attr-defined]
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    form = ClosedDaysForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = services.add_closed_days(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                start=d["start"],
                end=d.get("end"),
                name=d["name"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("休業日を%(n)d日登録しました。") % {"n": len(made)})
            return redirect(f"{reverse('core:closed_days')}?year={d['start'].year}")
    return render(
        request,
        "core/closed_days.html",
        {
            "form": form,
            "year": year,
            "years": [year - 1, year, year + 1],
            "days": list(selectors.closed_day_list(company=company, year=year)),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(Role.ADMIN)
def closed_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.remove_closed_day(
            company=request.company,  # type: ignore[attr-defined]
            actor=request.user,  # type: ignore[arg-type]
            membership=request.membership,  # type: ignore[attr-defined]
            closed_day_id=pk,
        )
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("休業日を削除しました。"))
    return redirect(f"{reverse('core:closed_days')}?year={request.POST.get('year', '')}")
