"""Screens of 就業規則・社内規程.

For the rule managers (admin, 総務, 人事): the rule list (search, filters, CSV / Excel), a new rule
with its first file, the rule with every version and its history, a new draft version, the publish
form with the audience, a version's page (file, 施行日, summary, who acknowledged when), the
not-yet list with a reminder and its export, and the company-wide unacknowledged list.

For every member: 「社内規程」 (the versions in force published to them), a version's reading page
with the file and 「読みました」, and their pending list. The version's file is served here, after
the audience check, never through the documents app's folder (see services/rules.py).

Views parse, call ``services.rules`` / ``selectors.rules`` and render; the services check the
roles again. Another company's id, and a version one was not asked to read, are a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, membership_required, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.downloads import version_response
from ennoshita.documents.files import PREVIEWABLE

from .forms_rules import (
    AudienceForm,
    LibraryFilterForm,
    NewRuleForm,
    NotYetFilterForm,
    PublishForm,
    RuleFilterForm,
    RuleForm,
    UnacknowledgedFilterForm,
    VersionForm,
    put_errors,
)
from .models import Rule, RuleAcknowledgement, RuleVersion, RuleVersionStatus
from .selectors import rules as selectors
from .services import rules as services

PAGE_SIZE = 50
managers = role_required(*services.RULE_MANAGER_ROLES)


def wants_download(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


def _filters(form: Any) -> dict[str, Any]:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


# ------------------------------------------------------------------------------ rules
def _rule_rows(rules: Iterable[Rule]) -> Iterable[list[Any]]:
    yield ["規程番号", "規程名", "区分", "所管部門", "現在の版", "施行日", "未確認", "有効"]
    for r in rules:
        yield [
            r.code,
            r.title,
            r.get_category_display(),
            r.owner_department.name if r.owner_department else "",
            r.current_number or "",  # type: ignore[attr-defined]
            r.current_effective_from or "",  # type: ignore[attr-defined]
            r.not_yet or 0,  # type: ignore[attr-defined]
            "○" if r.is_active else "",
        ]


@managers
def rule_list(request: HttpRequest) -> HttpResponse:
    form = RuleFilterForm(request.GET or None)
    f = _filters(form)
    active = {"1": True, "0": False}.get(f.get("active", ""))
    qs = selectors.rule_list(**read(request), q=f.get("q", ""), category=f.get("category", ""), active=active)
    if wants_download(request):
        return table_download(request, _rule_rows(qs), name="rules", title=_("社内規程"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/rules/list.html", {"form": form, "page_obj": page})


def _upload(request: HttpRequest) -> tuple[str, bytes]:
    upload: Any = request.FILES["file"]
    return upload.name or "", upload.read()


@managers
def rule_new(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = NewRuleForm(request.POST if post else None, request.FILES if post else None, company=company)
    if post and form.is_valid():
        name, data = _upload(request)
        try:
            rule = services.create_rule(
                **ctx(request),
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
                owner_department_id=form.owner_department_id(),
                file_name=name,
                data=data,
                effective_from=form.cleaned_data["effective_from"],
                summary=form.cleaned_data["summary"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(
                request, _("規程を登録しました(第1版は下書きです。公開すると対象者に既読確認を依頼します)。")
            )
            return redirect("affairs:rule_detail", rule.pk)
    return render(
        request,
        "affairs/rules/form.html",
        {"form": form, "title": _("新しい規程"), "multipart": True, "submit": _("登録する")},
        status=400 if form.errors else 200,
    )


@managers
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    rule = selectors.get_rule(**read(request), rule_id=pk)
    post = request.method == "POST"
    initial = {
        "code": rule.code,
        "title": rule.title,
        "category": rule.category,
        "owner_department": str(rule.owner_department_id or ""),
    }
    form = RuleForm(request.POST if post else None, initial=initial, company=company)
    if post and form.is_valid():
        try:
            services.update_rule(
                **ctx(request),
                rule=rule,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
                owner_department_id=form.owner_department_id(),
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("規程を保存しました。"))
            return redirect("affairs:rule_detail", rule.pk)
    return render(
        request,
        "affairs/rules/form.html",
        {"form": form, "title": _("規程の編集"), "rule": rule, "submit": _("保存する")},
        status=400 if form.errors else 200,
    )


@managers
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    rule = selectors.get_rule(**read(request), rule_id=pk)
    return render(
        request,
        "affairs/rules/detail.html",
        {
            "rule": rule,
            "versions": selectors.rule_versions(company=company, rule=rule),
            "events": selectors.rule_history(company=company, rule=rule)[:200],
        },
    )


@require_POST
@managers
def rule_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.get_rule(**read(request), rule_id=pk)
    active = request.POST.get("active") == "1"
    services.set_rule_active(**ctx(request), rule=rule, active=active)
    messages.success(request, _("規程を再開しました。") if active else _("規程を廃止しました。"))
    return redirect("affairs:rule_detail", rule.pk)


@managers
def rule_version_new(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.get_rule(**read(request), rule_id=pk)
    post = request.method == "POST"
    form = VersionForm(request.POST if post else None, request.FILES if post else None)
    if post and form.is_valid():
        name, data = _upload(request)
        try:
            version = services.add_draft_version(
                **ctx(request),
                rule=rule,
                file_name=name,
                data=data,
                effective_from=form.cleaned_data["effective_from"],
                summary=form.cleaned_data["summary"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("第%(n)d版を下書きとして登録しました。") % {"n": version.number})
            return redirect("affairs:rule_version_detail", version.pk)
    return render(
        request,
        "affairs/rules/form.html",
        {
            "form": form,
            "title": _("新しい版(改定案)"),
            "rule": rule,
            "multipart": True,
            "submit": _("登録する"),
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ versions
@managers
def rule_version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    version = selectors.get_version(**read(request), version_id=pk)
    state = request.GET.get("state", "done")
    rows = selectors.version_acknowledgements(**read(request), version=version, state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/rules/version_detail.html",
        {
            "rule": version.rule,
            "version": version,
            "counts": selectors.version_counts(company=company, version=version),
            "page_obj": page,
            "state": state,
            "audience_form": AudienceForm(company=company),
            "events": selectors.version_history(company=company, version=version)[:100],
            "previewable": version.document_version.content_type in PREVIEWABLE,
        },
    )


@managers
def rule_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    version = selectors.get_version(**read(request), version_id=pk)
    post = request.method == "POST"
    initial = {
        "effective_from": version.effective_from,
        "summary": version.summary,
        "requires_acknowledgement": True,
    }
    form = PublishForm(request.POST if post else None, initial=initial, company=company)
    if post and form.is_valid():
        try:
            services.publish_version(
                **ctx(request),
                version=version,
                audience=form.audience_input(),
                effective_from=form.cleaned_data["effective_from"],
                summary=form.cleaned_data["summary"],
                acknowledge_by=form.cleaned_data["acknowledge_by"],
                requires_acknowledgement=form.cleaned_data["requires_acknowledgement"],
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(
                request, _("第%(n)d版を公開し、対象者に既読確認を依頼しました。") % {"n": version.number}
            )
            return redirect("affairs:rule_version_detail", version.pk)
    return render(
        request,
        "affairs/rules/form.html",
        {
            "form": form,
            "title": _("第%(n)d版の公開") % {"n": version.number},
            "rule": version.rule,
            "version": version,
            "submit": _("公開する"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@managers
def rule_version_audience(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    version = selectors.get_version(**read(request), version_id=pk)
    form = AudienceForm(request.POST, company=company)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for msgs in form.errors.values() for m in msgs))
        return redirect("affairs:rule_version_detail", version.pk)
    try:
        added = services.add_audience(**ctx(request), version=version, audience=form.audience_input())
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("対象者を %(n)d 人追加しました。") % {"n": added})
    return redirect("affairs:rule_version_detail", version.pk)


def _stamp(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _ack_rows(rows: Iterable[RuleAcknowledgement], *, with_rule: bool = False) -> Iterable[list[Any]]:
    head = ["社員番号", "氏名", "部署", "依頼日時", "最終催促日時"]
    yield (["規程", "版", "確認期限", *head] if with_rule else head)
    for r in rows:
        cells = [
            r.employee.number,
            r.employee.full_name,
            getattr(r, "dept_name", "") or "",
            _stamp(r.requested_at),
            _stamp(r.last_reminded_at),
        ]
        if with_rule:
            cells = [r.version.rule.title, r.version.number, r.version.acknowledge_by or "", *cells]
        yield cells


@managers
def rule_not_yet(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    version = selectors.get_version(**read(request), version_id=pk)
    form = NotYetFilterForm(request.GET or None, company=company)
    f = _filters(form)
    rows = selectors.not_yet(
        **read(request), version=version, department_id=form.department_id(), q=f.get("q", "")
    )
    if wants_download(request):
        name = f"rule-{version.rule.code}-v{version.number}-not-yet"
        return table_download(request, _ack_rows(rows), name=name, title=_("未確認者"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/rules/not_yet.html",
        {"rule": version.rule, "version": version, "form": form, "page_obj": page},
    )


@require_POST
@managers
def rule_remind(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(**read(request), version_id=pk)
    ids = [int(v) for v in request.POST.getlist("employee") if v.isdigit()] or None
    try:
        count = services.remind(**ctx(request), version=version, employee_ids=ids)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)d 人に催促の通知を送りました。") % {"n": count})
    return redirect("affairs:rule_not_yet", version.pk)


@managers
def rule_unacknowledged(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    choices = [
        (str(v.rule_id), f"{v.rule.code} {v.rule.title}") for v in selectors.published_rules(company=company)
    ]
    form = UnacknowledgedFilterForm(request.GET or None, company=company, rules=choices)
    f = _filters(form)
    rule_id = int(f["rule"]) if f.get("rule") else None
    rows = selectors.unacknowledged(
        **read(request),
        q=f.get("q", ""),
        rule_id=rule_id,
        department_id=form.department_id(),
        overdue=bool(f.get("overdue")),
    )
    if wants_download(request):
        return table_download(
            request, _ack_rows(rows, with_rule=True), name="rules-not-yet", title=_("未確認者")
        )
    page = KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/rules/unacknowledged.html", {"form": form, "page_obj": page})


# ------------------------------------------------------------------------------ every member
@xframe_options_sameorigin
@membership_required
def rule_version_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's file, to those who may read it (managers, and the version's audience)."""
    version = selectors.readable_version(**read(request), version_id=pk)
    stored = version.document_version
    return version_response(stored, inline=request.GET.get("inline") == "1")


@membership_required
def rule_version_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Reading one version: its file, 施行日 and summary, and 「読みました」 when it waits for me."""
    company = request.company  # type: ignore[attr-defined]
    version = selectors.readable_version(**read(request), version_id=pk)
    mine = selectors.own_acknowledgement(**read(request), version=version)
    current = (
        selectors.current_version_of(company=company, rule_id=version.rule_id)
        if version.status == RuleVersionStatus.REPLACED
        else None
    )
    stored = version.document_version
    return render(
        request,
        "affairs/rules/read.html",
        {
            "rule": version.rule,
            "version": version,
            "mine": mine,
            "current": current,
            "can_acknowledge": bool(
                mine
                and mine.acknowledged_at is None
                and version.status == RuleVersionStatus.PUBLISHED
                and version.requires_acknowledgement
                and version.rule.is_active
            ),
            "is_pdf": stored.content_type == "application/pdf",
            "is_image": stored.content_type in PREVIEWABLE and stored.content_type != "application/pdf",
            "text": stored.extracted_text if stored.content_type.startswith("text/") else "",
        },
    )


@require_POST
@membership_required
def rule_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.readable_version(**read(request), version_id=pk)
    try:
        services.acknowledge(**ctx(request), version=version)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("「%(t)s」第%(n)d版を確認しました。") % {"t": version.rule.title, "n": version.number}
        )
    return redirect("affairs:rule_version_read", version.pk)


@membership_required
def rule_library(request: HttpRequest) -> HttpResponse:
    """「社内規程」: the versions in force published to me (all of them for the rule managers)."""
    company = request.company  # type: ignore[attr-defined]
    form = LibraryFilterForm(request.GET or None)
    f = _filters(form)
    mine = selectors.my_rules(**read(request), q=f.get("q", ""), category=f.get("category", ""))
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    others: list[RuleVersion] = []
    if services.manages_rules(request.membership):  # type: ignore[attr-defined]
        seen = {row.version_id for row in page}
        others = [
            v
            for v in selectors.published_rules(
                company=company, q=f.get("q", ""), category=f.get("category", "")
            )
            if v.pk not in seen
        ]
    return render(request, "affairs/rules/library.html", {"form": form, "page_obj": page, "others": others})


@membership_required
def rule_pending(request: HttpRequest) -> HttpResponse:
    rows = selectors.pending_for(**read(request))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/rules/pending.html", {"page_obj": page})
