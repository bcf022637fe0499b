"""Screens of リーガルチェック: the list (search, filters, CSV, summary), asking for a review, a
review's page (rounds with their files, clause comments per round, verdict, lead time, the actions
this member may take), the round files, and the playbook (条項メモ) for 法務.

Views parse, call ``services.reviews`` / ``selectors.reviews`` and render; the services check
permissions again. Another company's review, and one the member may not see, are a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.downloads import version_response

from . import permissions_reviews as permissions
from .forms_reviews import (
    AssignForm,
    CommentForm,
    PlaybookForm,
    ResubmitForm,
    ReturnForm,
    ReviewFilterForm,
    ReviewForm,
    WithdrawForm,
    put_errors,
)
from .models import LegalReview, ReviewStatus, ReviewVerdict
from .selectors import contracts as contract_selectors
from .selectors import reviews as selectors
from .services import reviews as services

PAGE_SIZE = 50
S = ReviewStatus


def _request_allowed(request: HttpRequest) -> None:
    if not permissions.can_request(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied


def _manager_only(request: HttpRequest) -> None:
    if not permissions.manages_reviews(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied


# ------------------------------------------------------------------------------ list
@membership_required
def review_list(request: HttpRequest) -> HttpResponse:
    _request_allowed(request)
    company = request.company  # type: ignore[attr-defined]
    reviewers = services.reviewer_candidates(company)
    form = ReviewFilterForm(request.GET or None, company=company, reviewers=reviewers)
    qs = selectors.review_list(**read(request), **form.filters())
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.export_rows(qs), name="legal-reviews", title=_("リーガルチェック一覧")
        )
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    closed = selectors.closed_days_for(page.object_list)
    rows = [(r, selectors.lead_time(r, closed=closed)) for r in page.object_list]
    return render(
        request,
        "legal/reviews/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "summary": selectors.summary(**read(request)),
            "today": timezone.localdate(),
            "manager": permissions.manages_reviews(request.membership),  # type: ignore[attr-defined]
        },
    )


# ------------------------------------------------------------------------------ new
@membership_required
def review_new(request: HttpRequest) -> HttpResponse:
    _request_allowed(request)
    contracts = [
        c
        for c in contract_selectors.contract_list(**read(request)).order_by("-pk")[:500]
        if c.status not in ("expired", "terminated")
    ]
    post = request.method == "POST"
    form = ReviewForm(
        request.POST if post else None,
        request.FILES if post else None,
        initial={"contract": request.GET.get("contract", "")},
        contracts=contracts,
    )
    if post and form.is_valid():
        upload: Any = request.FILES["file"]
        d = form.cleaned_data
        try:
            review = services.submit_review(
                **ctx(request),
                title=d["title"],
                background=d["background"],
                desired_on=d["desired_on"],
                file_name=upload.name or "",
                data=upload.read(),
                contract_id=int(d["contract"]) if d.get("contract") else None,
                note=d.get("note") or "",
            )
        except ServiceError as exc:
            if exc.status != 400:
                raise
            put_errors(form, exc)
        else:
            messages.success(request, _("リーガルチェック「%(n)s」を依頼しました。") % {"n": review.number})
            return redirect("legal:review_detail", review.pk)
    return render(request, "legal/reviews/form.html", {"form": form}, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------ detail
def _actions(membership: Any, review: LegalReview) -> dict[str, bool]:
    manager = permissions.manages_reviews(membership)
    requester = permissions.is_requester(membership, review)
    working = review.status in (S.SUBMITTED, S.IN_REVIEW)
    return {
        "assign": manager and working,
        "comment": manager and working,
        "return": manager and working,
        "resubmit": requester and review.status == S.RETURNED and review.verdict != ReviewVerdict.OK,
        "close": (requester or manager) and review.status == S.RETURNED,
        "withdraw": requester and review.status in (S.SUBMITTED, S.IN_REVIEW, S.RETURNED),
    }


@membership_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    review = selectors.get_review(**read(request), review_id=pk)
    actions = _actions(membership, review)
    playbook = list(selectors.playbook(company=company, active_only=True)) if actions["comment"] else []
    reviewers = services.reviewer_candidates(company) if actions["assign"] else []
    return render(
        request,
        "legal/reviews/detail.html",
        {
            "review": review,
            "rounds": selectors.rounds(review=review),
            "lead": selectors.lead_time(review),
            "actions": actions,
            "assign_form": AssignForm(
                initial={"reviewer": review.reviewer_id or membership.user_id}, reviewers=reviewers
            ),
            "comment_form": CommentForm(playbook=playbook),
            "return_form": ReturnForm(),
            "resubmit_form": ResubmitForm(),
            "withdraw_form": WithdrawForm(),
            "events": selectors.history(company=company, review=review)[:200],
            "today": timezone.localdate(),
        },
    )


def _back(request: HttpRequest, review: LegalReview, exc: ServiceError | None = None) -> HttpResponse:
    if exc is not None:
        if exc.status != 400:
            raise exc
        messages.error(request, error_text(exc))
    return redirect("legal:review_detail", review.pk)


def _invalid(request: HttpRequest, review: LegalReview, form: Any) -> HttpResponse:
    texts = [str(m) for errors in form.errors.values() for m in errors]
    messages.error(request, " ".join([_("入力内容に誤りがあります。"), *texts]))
    return redirect("legal:review_detail", review.pk)


@require_POST
@membership_required
def review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(**read(request), review_id=pk)
    reviewers = services.reviewer_candidates(request.company)  # type: ignore[attr-defined]
    form = AssignForm(request.POST, reviewers=reviewers)
    if not form.is_valid():
        _manager_only(request)
        return _invalid(request, review, form)
    try:
        services.assign_reviewer(
            **ctx(request), review=review, reviewer_id=int(form.cleaned_data["reviewer"])
        )
    except ServiceError as exc:
        return _back(request, review, exc)
    messages.success(request, _("担当者を決めました。"))
    return _back(request, review)


@require_POST
@membership_required
def review_comment(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(**read(request), review_id=pk)
    playbook = list(selectors.playbook(company=request.company, active_only=True))  # type: ignore[attr-defined]
    form = CommentForm(request.POST, playbook=playbook)
    if not form.is_valid():
        _manager_only(request)
        return _invalid(request, review, form)
    d = form.cleaned_data
    try:
        services.add_comment(
            **ctx(request),
            review=review,
            clause=d["clause"],
            comment=d.get("comment") or "",
            severity=d["severity"],
            suggestion=d.get("suggestion") or "",
            playbook_id=int(d["playbook"]) if d.get("playbook") else None,
        )
    except ServiceError as exc:
        return _back(request, review, exc)
    messages.success(request, _("コメントを記入しました。"))
    return _back(request, review)


@require_POST
@membership_required
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(**read(request), review_id=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        _manager_only(request)
        return _invalid(request, review, form)
    try:
        services.return_review(
            **ctx(request),
            review=review,
            verdict=form.cleaned_data["verdict"],
            summary=form.cleaned_data["summary"],
        )
    except ServiceError as exc:
        return _back(request, review, exc)
    messages.success(request, _("回答しました。"))
    return _back(request, review)


@require_POST
@membership_required
def review_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(**read(request), review_id=pk)
    form = ResubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        if not permissions.is_requester(request.membership, review):  # type: ignore[attr-defined]
            raise PermissionDenied
        return _invalid(request, review, form)
    upload: Any = request.FILES["file"]
    try:
        new_round = services.resubmit_review(
            **ctx(request),
            review=review,
            file_name=upload.name or "",
            data=upload.read(),
            note=form.cleaned_data.get("note") or "",
        )
    except ServiceError as exc:
        return _back(request, review, exc)
    messages.success(request, _("第%(n)d回として再依頼しました。") % {"n": new_round.number})
    return _back(request, review)


@require_POST
@membership_required
def review_close(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(**read(request), review_id=pk)
    try:
        services.close_review(**ctx(request), review=review)
    except ServiceError as exc:
        return _back(request, review, exc)
    messages.success(request, _("完了にしました。"))
    return _back(request, review)


@require_POST
@membership_required
def review_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(**read(request), review_id=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.withdraw_review(**ctx(request), review=review, reason=reason)
    except ServiceError as exc:
        return _back(request, review, exc)
    messages.success(request, _("取り下げました。"))
    return _back(request, review)


@membership_required
def review_file(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    """One round's file, to those who see the review."""
    _review, stored = selectors.get_review_version(**read(request), review_id=pk, version_id=version_id)
    return version_response(stored, inline=request.GET.get("inline") == "1")


# ------------------------------------------------------------------------------ playbook
@membership_required
def playbook_list(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    q = (request.GET.get("q") or "")[:100]
    clauses = selectors.playbook(company=request.company, q=q)  # type: ignore[attr-defined]
    return render(request, "legal/reviews/playbook_list.html", {"clauses": clauses, "q": q})


def _playbook_form(request: HttpRequest, clause: Any) -> HttpResponse:
    post = request.method == "POST"
    form = PlaybookForm(
        request.POST if post else None, initial=PlaybookForm.initial_of(clause) if clause else None
    )
    if post and form.is_valid():
        try:
            if clause is None:
                services.create_playbook_clause(**ctx(request), data=form.to_input())
            else:
                services.update_playbook_clause(**ctx(request), clause=clause, data=form.to_input())
        except ServiceError as exc:
            if exc.status != 400:
                raise
            put_errors(form, exc)
        else:
            messages.success(request, _("条項メモを保存しました。"))
            return redirect("legal:playbook_list")
    return render(
        request,
        "legal/reviews/playbook_form.html",
        {"form": form, "clause": clause},
        status=400 if form.errors else 200,
    )


@membership_required
def playbook_new(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    return _playbook_form(request, None)


@membership_required
def playbook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    clause = selectors.get_playbook_clause(company=request.company, clause_id=pk)  # type: ignore[attr-defined]
    return _playbook_form(request, clause)


@require_POST
@membership_required
def playbook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    clause = selectors.get_playbook_clause(company=request.company, clause_id=pk)  # type: ignore[attr-defined]
    services.set_playbook_clause_active(**ctx(request), clause=clause, active=not clause.is_active)
    messages.success(
        request,
        _("条項メモを使用中にしました。") if not clause.is_active else _("条項メモを使用停止にしました。"),
    )
    return redirect("legal:playbook_list")
