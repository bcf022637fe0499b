"""Asking for a リーガルチェック (submit_review) and sending the revised draft back after a non-OK
answer (resubmit_review): each is a round with its file version."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify_many
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.legal import permissions as contract_permissions
from ennoshita.legal import permissions_reviews as permissions
from ennoshita.legal.models import (
    Contract,
    ContractStatus,
    LegalReview,
    ReviewRound,
    ReviewStatus,
    ReviewVerdict,
)
from ennoshita.legal.services.contracts import legal_members
from ennoshita.people import selectors as people_selectors

from .base import (
    CONTRACT_ON_SUBMIT,
    NOTIFY_KIND,
    NUMBER_TYPE,
    REVIEW_FIELDS,
    check_move,
    fail,
    locked,
    move_contract,
)
from .files import store_draft

S = ReviewStatus
CLOSED_CONTRACTS = (ContractStatus.EXPIRED, ContractStatus.TERMINATED)


def _contract_for(company: Company, membership: Membership, contract_id: int | None) -> Contract | None:
    if not contract_id:
        return None
    contract = Contract.objects.for_company(company).filter(pk=contract_id).first()
    if contract is None or not contract_permissions.can_see(membership, contract):
        raise fail("contract", _("この契約は選べません。自分が担当する契約を選んでください。"))
    if contract.status in CLOSED_CONTRACTS:
        raise fail("contract", _("終了した契約のリーガルチェックは依頼できません。"))
    return contract


def _clean(
    title: str, background: str, desired_on: date | None, data: bytes, note: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("件名を入力してください。")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("件名は200文字以内で入力してください。")]
    if not background.strip():
        errors["background"] = [_("取引の背景・確認してほしい点を入力してください。")]
    elif len(background) > 5000:
        errors["background"] = [_("5000文字以内で入力してください。")]
    if desired_on is None:
        errors["desired_on"] = [_("回答希望日を入力してください。")]
    elif desired_on < timezone.localdate():
        errors["desired_on"] = [_("回答希望日に過去の日付は指定できません。")]
    if not data:
        errors["file"] = [_("審査する文書のファイルを選んでください。")]
    if len(note) > 2000:
        errors["note"] = [_("2000文字以内で入力してください。")]
    return errors


def _notify_legal(company: Company, review: LegalReview, text: str) -> None:
    users = [u for u in legal_members(company) if u.pk != review.requester_id]
    if review.reviewer_id is not None:
        users = [u for u in users if u.pk == review.reviewer_id] or users
    notify_many(
        company=company,
        users=users,
        kind=NOTIFY_KIND,
        text=text,
        url=reverse("legal:review_detail", args=[review.pk]),
        object_type="legal.legalreview",
        object_id=review.pk,
    )


@transaction.atomic
def submit_review(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    title: str,
    background: str,
    desired_on: date | None,
    file_name: str,
    data: bytes,
    contract_id: int | None = None,
    note: str = "",
) -> LegalReview:
    """A new review (受付待ち) with its first round: the draft becomes a version of the contract's
    document (or of the review's own). A contract in 起案中 moves to 法務確認中."""
    if not permissions.can_request(membership):
        raise PermissionDeniedError(_("リーガルチェックを依頼する権限がありません。"))
    title, note = (title or "").strip(), (note or "").strip()
    errors = _clean(title, background or "", desired_on, data, note)
    try:
        contract = _contract_for(company, membership, contract_id)
    except ServiceError as exc:
        errors.update(exc.field_errors)
        contract = None
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first, code="validation", field_errors=errors)
    assert desired_on is not None
    now = timezone.now()
    fiscal_year, n = next_number_for_date(company=company, doc_type=NUMBER_TYPE, day=timezone.localdate())
    review = LegalReview.objects.create(
        company=company,
        number=format_number("LR", fiscal_year, n, width=4),
        title=title,
        contract=contract,
        background=background.strip(),
        desired_on=desired_on,
        requester=actor,
        department=people_selectors.employee_department(company=company, user=actor, as_of=now.date()),
        status=S.SUBMITTED,
        round=1,
        submitted_at=now,
    )
    version = store_draft(
        company=company,
        actor=actor,
        membership=membership,
        review=review,
        file_name=file_name,
        data=data,
        round_number=1,
    )
    first_round = ReviewRound.objects.create(
        company=company,
        review=review,
        number=1,
        version=version,
        note=note,
        submitted_by=actor,
        submitted_at=now,
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=review,
        after=snapshot(review, REVIEW_FIELDS),
        extra={"round": 1, "version": version.pk, "file": version.original_name},
    )
    record_event(
        company=company, actor=actor, action="create", instance=first_round, after=snapshot(first_round)
    )
    move_contract(
        company=company,
        actor=actor,
        membership=membership,
        contract=contract,
        to=CONTRACT_ON_SUBMIT,
        reason=_("リーガルチェック %(n)s を依頼") % {"n": review.number},
    )
    _notify_legal(
        company, review, _("リーガルチェックの依頼: %(n)s %(t)s") % {"n": review.number, "t": title}
    )
    return review


@transaction.atomic
def resubmit_review(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    review: LegalReview,
    file_name: str,
    data: bytes,
    note: str = "",
) -> ReviewRound:
    """The revised draft after 修正すればOK or NG: the next round, back to 確認中 with the same
    reviewer (受付待ち when none)."""
    review = locked(company, review)
    if not permissions.can_see(membership, review):
        raise NotFound()
    if not permissions.is_requester(membership, review):
        raise PermissionDeniedError(_("再依頼は依頼者が行います。"))
    if review.status != S.RETURNED or review.verdict == ReviewVerdict.OK:
        raise ServiceError(
            _("修正すればOK・NGで回答されたリーガルチェックだけ再依頼できます。"),
            code="bad_transition",
            field_errors={"status": [_("この状態では行えません。")]},
        )
    note = (note or "").strip()
    if len(note) > 2000:
        raise fail("note", _("2000文字以内で入力してください。"))
    to = S.IN_REVIEW if review.reviewer_id else S.SUBMITTED
    check_move(review, to)
    before = snapshot(review, REVIEW_FIELDS)
    number = review.round + 1
    version = store_draft(
        company=company,
        actor=actor,
        membership=membership,
        review=review,
        file_name=file_name,
        data=data,
        round_number=number,
    )
    now = timezone.now()
    new_round = ReviewRound.objects.create(
        company=company,
        review=review,
        number=number,
        version=version,
        note=note,
        submitted_by=actor,
        submitted_at=now,
    )
    review.round = number
    review.status = to
    review.verdict = ""
    review.save()
    record_event(
        company=company,
        actor=actor,
        action="review_resubmit",
        instance=review,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
        extra={"round": number, "version": version.pk, "file": version.original_name},
    )
    record_event(company=company, actor=actor, action="create", instance=new_round, after=snapshot(new_round))
    move_contract(
        company=company,
        actor=actor,
        membership=membership,
        contract=review.contract,
        to=CONTRACT_ON_SUBMIT,
        reason=_("リーガルチェック %(n)s を再依頼") % {"n": review.number},
    )
    _notify_legal(
        company, review, _("リーガルチェックの再依頼(第%(r)d回): %(n)s") % {"r": number, "n": review.number}
    )
    return new_round
