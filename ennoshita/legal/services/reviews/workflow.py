"""法務's side of a リーガルチェック — assigning the reviewer, clause comments on the current round,
the answer with its verdict — and the requester's 完了 and 取下げ."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.legal import permissions_reviews as permissions
from ennoshita.legal.models import (
    CommentSeverity,
    LegalReview,
    PlaybookClause,
    ReviewComment,
    ReviewRound,
    ReviewStatus,
    ReviewVerdict,
)

from .base import CONTRACT_ON_RETURN, NOTIFY_KIND, REVIEW_FIELDS, check_move, fail, locked, move_contract

S = ReviewStatus


def _manager_only(membership: Membership, review: LegalReview, message: str) -> None:
    if not permissions.can_see(membership, review):
        raise NotFound()
    if not permissions.manages_reviews(membership):
        raise PermissionDeniedError(message)


def _current_round(review: LegalReview) -> ReviewRound:
    return ReviewRound.objects.select_for_update().get(review=review, number=review.round)


def reviewer_candidates(company: Company) -> list[User]:
    """The members who may review: 法務 and 管理者 (active)."""
    return [
        m.user
        for m in Membership.objects.for_company(company)
        .filter(is_active=True)
        .select_related("user")
        .order_by("user__username")
        if permissions.manages_reviews(m)
    ]


@transaction.atomic
def assign_reviewer(
    *, company: Company, actor: User, membership: Membership, review: LegalReview, reviewer_id: int | None
) -> LegalReview:
    """担当者を決める (or change): 受付待ち → 確認中."""
    review = locked(company, review)
    _manager_only(membership, review, _("担当者は法務が決めます。"))
    reviewer = next((u for u in reviewer_candidates(company) if u.pk == reviewer_id), None)
    if reviewer is None:
        raise fail("reviewer", _("担当者には法務または管理者のメンバーを選んでください。"))
    if review.status not in (S.SUBMITTED, S.IN_REVIEW):
        check_move(review, S.IN_REVIEW)
        raise fail("status", _("回答済み・完了・取下げのリーガルチェックの担当者は変えられません。"))
    before = snapshot(review, REVIEW_FIELDS)
    review.reviewer = reviewer
    review.status = S.IN_REVIEW
    review.assigned_at = review.assigned_at or timezone.now()
    review.save()
    record_event(
        company=company,
        actor=actor,
        action="review_assign",
        instance=review,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )
    if reviewer.pk != actor.pk:
        notify(
            company=company,
            user=reviewer,
            kind=NOTIFY_KIND,
            text=_("リーガルチェックの担当になりました: %(n)s %(t)s")
            % {"n": review.number, "t": review.title},
            url=reverse("legal:review_detail", args=[review.pk]),
            object_type="legal.legalreview",
            object_id=review.pk,
        )
    return review


@transaction.atomic
def add_comment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    review: LegalReview,
    clause: str,
    comment: str = "",
    severity: str = CommentSeverity.SHOULD,
    suggestion: str = "",
    playbook_id: int | None = None,
) -> ReviewComment:
    """A clause comment on the current round (before it is answered). A playbook clause fills an
    empty comment with its guidance and an empty suggestion with its suggested text."""
    review = locked(company, review)
    _manager_only(membership, review, _("コメントは法務が記入します。"))
    if review.status not in (S.SUBMITTED, S.IN_REVIEW):
        raise ServiceError(
            _("回答済み・完了・取下げのリーガルチェックにはコメントできません。"),
            code="bad_transition",
            field_errors={"status": [_("この状態では行えません。")]},
        )
    playbook = None
    if playbook_id:
        playbook = PlaybookClause.objects.for_company(company).filter(pk=playbook_id, is_active=True).first()
        if playbook is None:
            raise fail("playbook", _("使用中の条項メモを選んでください。"))
    clause = (clause or "").strip()
    comment = (comment or "").strip() or (playbook.guidance if playbook else "")
    suggestion = (suggestion or "").strip() or (playbook.suggested_text if playbook else "")
    errors: dict[str, list[str]] = {}
    if not clause:
        errors["clause"] = [_("条項(例: 第5条 損害賠償)を入力してください。")]
    elif len(clause) > 100:
        errors["clause"] = [_("条項は100文字以内で入力してください。")]
    if not comment:
        errors["comment"] = [_("コメントを入力してください(条項メモを選ぶと確認の観点が入ります)。")]
    elif len(comment) > 5000:
        errors["comment"] = [_("5000文字以内で入力してください。")]
    if len(suggestion) > 5000:
        errors["suggestion"] = [_("5000文字以内で入力してください。")]
    if severity not in CommentSeverity.values:
        errors["severity"] = [_("重要度を選んでください。")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="validation", field_errors=errors)
    row = ReviewComment.objects.create(
        company=company,
        review=review,
        round=_current_round(review),
        clause=clause,
        severity=severity,
        comment=comment,
        suggestion=suggestion,
        playbook=playbook,
        author=actor,
    )
    record_event(company=company, actor=actor, action="create", instance=row, after=snapshot(row))
    return row


@transaction.atomic
def return_review(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    review: LegalReview,
    verdict: str,
    summary: str = "",
) -> LegalReview:
    """回答: the verdict on the current round (修正すればOK and NG need a comment or a 総評), to the
    requester. A reviewed contract in 法務確認中 moves on to 交渉中."""
    review = locked(company, review)
    _manager_only(membership, review, _("回答は法務が行います。"))
    check_move(review, S.RETURNED)
    summary = (summary or "").strip()
    if verdict not in ReviewVerdict.values:
        raise fail("verdict", _("判定(OK・修正すればOK・NG)を選んでください。"))
    if len(summary) > 5000:
        raise fail("summary", _("5000文字以内で入力してください。"))
    current = _current_round(review)
    if verdict != ReviewVerdict.OK and not summary and not current.comments.exists():
        raise fail("summary", _("修正すればOK・NGのときは、条項コメントか総評を記入してください。"))
    now = timezone.now()
    before = snapshot(review, REVIEW_FIELDS)
    current.verdict, current.summary, current.returned_by, current.returned_at = verdict, summary, actor, now
    current.save()
    review.verdict, review.status, review.returned_at = verdict, S.RETURNED, now
    if review.reviewer_id is None:
        review.reviewer, review.assigned_at = actor, now
    review.save()
    record_event(
        company=company,
        actor=actor,
        action="review_return",
        instance=review,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
        extra={"round": current.number, "summary": summary},
    )
    move_contract(
        company=company,
        actor=actor,
        membership=membership,
        contract=review.contract,
        to=CONTRACT_ON_RETURN,
        reason=_("リーガルチェック %(n)s の回答") % {"n": review.number},
    )
    label = ReviewVerdict(verdict).label
    notify(
        company=company,
        user=review.requester,
        kind=NOTIFY_KIND,
        text=_("リーガルチェックの回答(%(v)s): %(n)s %(t)s")
        % {"v": label, "n": review.number, "t": review.title},
        url=reverse("legal:review_detail", args=[review.pk]),
        object_type="legal.legalreview",
        object_id=review.pk,
        email=True,
    )
    return review


def _finish(
    *, company: Company, actor: User, review: LegalReview, to: str, action: str, reason: str = ""
) -> LegalReview:
    before = snapshot(review, REVIEW_FIELDS)
    review.status = to
    if to == S.CLOSED:
        review.closed_at = timezone.now()
    review.save()
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=review,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
        extra={"reason": reason} if reason else None,
    )
    return review


@transaction.atomic
def close_review(
    *, company: Company, actor: User, membership: Membership, review: LegalReview
) -> LegalReview:
    """完了: after an answer, by the requester or 法務."""
    review = locked(company, review)
    if not permissions.can_see(membership, review):
        raise NotFound()
    if not (permissions.is_requester(membership, review) or permissions.manages_reviews(membership)):
        raise PermissionDeniedError(_("完了にできるのは依頼者か法務です。"))
    check_move(review, S.CLOSED)
    return _finish(company=company, actor=actor, review=review, to=S.CLOSED, action="review_close")


@transaction.atomic
def withdraw_review(
    *, company: Company, actor: User, membership: Membership, review: LegalReview, reason: str = ""
) -> LegalReview:
    """取下げ: by the requester, before 完了."""
    review = locked(company, review)
    if not permissions.can_see(membership, review):
        raise NotFound()
    if not permissions.is_requester(membership, review):
        raise PermissionDeniedError(_("取下げは依頼者が行います。"))
    check_move(review, S.WITHDRAWN)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise fail("reason", _("理由は500文字以内で入力してください。"))
    return _finish(
        company=company, actor=actor, review=review, to=S.WITHDRAWN, action="withdraw", reason=reason
    )
