"""リーガルチェック services: submit (numbering, round 1, file as a version of the contract's document
or of the review's own, the contract to 法務確認中), assign, comment (playbook pre-fill), return (verdict
rules, notice, the contract to 交渉中), resubmit (round 2 with its own version), close, withdraw; the
playbook; refusals write nothing; lead time in 営業日."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.documents.access import access_for
from ennoshita.documents.models import Document, DocumentVersion, Folder
from ennoshita.legal.models import Contract, LegalReview, PlaybookClause, ReviewComment, ReviewRound
from ennoshita.legal.selectors import reviews as selectors
from ennoshita.legal.services import contracts as contract_services
from ennoshita.legal.services import reviews as services
from tests.legal.contracts_fixtures import make_contract, me
from tests.legal.test_reviews_fixtures import DOCX_2, contract_review, later, returned, submit

pytest_plugins = ["tests.legal.contracts_fixtures", "tests.legal.test_reviews_fixtures"]

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------ submit
def test_a_department_submits_a_contract_draft(legal, employee_member):
    review = contract_review(employee_member)
    contract = Contract.objects.get()
    assert review.number.startswith("LR-") and review.number.endswith("-0001")
    assert review.status == "submitted" and review.round == 1 and review.department is not None
    first = ReviewRound.objects.get(review=review)
    assert first.number == 1 and first.version is not None
    assert contract.document_id == first.version.document_id
    assert contract.status == "in_review"
    folder = contract.document.folder
    # the folder is 法務's: the department member does not edit other contracts' drafts
    assert folder.created_by_id == legal.user_id
    assert not access_for(employee_member).can_edit_folder(folder.pk)
    assert Notification.objects.filter(user=legal.user, kind="legal.review").count() == 1
    assert AuditEvent.objects.filter(object_type="legal.legalreview", action="create").count() == 1


def test_a_review_without_a_contract_keeps_its_own_document(legal, employee_member):
    review = submit(employee_member, file_name="規約.docx")
    assert review.contract is None and review.document is not None
    assert review.document.folder.name == "リーガルチェック"
    assert review.document.folder.created_by_id == legal.user_id


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("title", {"title": " "}),
        ("background", {"background": ""}),
        ("desired_on", {"desired_on": date(2020, 1, 1)}),
        ("desired_on", {"desired_on": None}),
        ("file", {"data": b""}),
    ],
)
def test_bad_input_is_refused_on_its_field(legal, employee_member, field, kw):
    with pytest.raises(ServiceError) as err:
        submit(employee_member, **kw)
    assert field in err.value.field_errors
    assert LegalReview.objects.count() == 0 and Document.objects.count() == 0


def test_someone_elses_contract_cannot_be_named(legal, employee_member, sales_member):
    contract = make_contract(sales_member)
    with pytest.raises(ServiceError) as err:
        submit(employee_member, contract_id=contract.pk)
    assert "contract" in err.value.field_errors
    assert LegalReview.objects.count() == 0 and DocumentVersion.objects.count() == 0


def test_the_outside_assistant_cannot_submit(legal, assistant):
    with pytest.raises(PermissionDeniedError):
        submit(assistant)
    assert LegalReview.objects.count() == 0


# ------------------------------------------------------------------------------ 法務's work
def test_assign_comment_and_return_with_changes(legal, legal2, employee_member):
    review = contract_review(employee_member)
    services.assign_reviewer(**me(legal), review=review, reviewer_id=legal2.user_id)
    review.refresh_from_db()
    assert review.status == "in_review" and review.reviewer_id == legal2.user_id and review.assigned_at
    note = services.create_playbook_clause(
        **me(legal),
        data=services.ClauseInput(
            title="損害賠償の上限", guidance="上限額を契約金額までにする", suggested_text="…を上限とする。"
        ),
    )
    c = services.add_comment(
        **me(legal2), review=review, clause="第5条", playbook_id=note.pk, severity="must"
    )
    assert (
        c.comment == "上限額を契約金額までにする"
        and c.suggestion == "…を上限とする。"
        and c.round.number == 1
    )
    services.return_review(**me(legal2), review=review, verdict="ok_with_changes", summary="修正を")
    review.refresh_from_db()
    assert review.status == "returned" and review.verdict == "ok_with_changes" and review.returned_at
    r1 = ReviewRound.objects.get(review=review)
    assert r1.verdict == "ok_with_changes" and r1.returned_by_id == legal2.user_id
    assert Contract.objects.get().status == "negotiating"
    assert Notification.objects.filter(user=employee_member.user, kind="legal.review").count() == 1


def test_a_non_ok_verdict_needs_a_comment_or_a_summary(legal, employee_member):
    review = submit(employee_member)
    with pytest.raises(ServiceError) as err:
        services.return_review(**me(legal), review=review, verdict="ng")
    assert "summary" in err.value.field_errors
    with pytest.raises(ServiceError) as err:
        services.return_review(**me(legal), review=review, verdict="")
    assert "verdict" in err.value.field_errors
    assert LegalReview.objects.get().status == "submitted"
    services.return_review(**me(legal), review=review, verdict="ok")  # OK needs nothing more
    review.refresh_from_db()
    assert review.reviewer_id == legal.user_id and review.status == "returned"


def test_only_legal_assigns_comments_and_returns(legal, employee_member, sales_member):
    review = submit(employee_member)
    with pytest.raises(PermissionDeniedError):
        services.assign_reviewer(**me(employee_member), review=review, reviewer_id=legal.user_id)
    with pytest.raises(PermissionDeniedError):
        services.add_comment(**me(employee_member), review=review, clause="第1条", comment="x")
    with pytest.raises(PermissionDeniedError):
        services.return_review(**me(employee_member), review=review, verdict="ok")
    with pytest.raises(NotFound):  # a colleague does not see it
        services.return_review(**me(sales_member), review=review, verdict="ok")
    with pytest.raises(ServiceError) as err:  # the reviewer must be 法務 or 管理者
        services.assign_reviewer(**me(legal), review=review, reviewer_id=employee_member.user_id)
    assert "reviewer" in err.value.field_errors
    assert ReviewComment.objects.count() == 0
    assert LegalReview.objects.get().status == "submitted"


def test_another_companys_review_is_not_found(legal, employee_member, outsider):
    review = submit(employee_member)
    with pytest.raises(NotFound):
        services.return_review(**me(outsider), review=review, verdict="ok")


# ------------------------------------------------------------------------------ rounds
def test_resubmit_after_changes_makes_round_two_with_its_own_version(legal, employee_member):
    review = contract_review(employee_member)
    returned(legal, review)
    r2 = services.resubmit_review(
        **me(employee_member), review=review, file_name="draft2.txt", data=DOCX_2, note="第5条を修正"
    )
    review.refresh_from_db()
    assert r2.number == 2 and review.round == 2 and review.status == "in_review" and review.verdict == ""
    versions = [r.version.number for r in ReviewRound.objects.filter(review=review).order_by("number")]
    assert versions == [1, 2]
    assert Contract.objects.get().status == "in_review"
    services.add_comment(**me(legal), review=review, clause="第7条", comment="OK")
    assert ReviewComment.objects.filter(round=r2).count() == 1
    services.return_review(**me(legal), review=review, verdict="ok")
    with pytest.raises(ServiceError):  # after OK there is nothing to resubmit
        services.resubmit_review(**me(employee_member), review=review, file_name="x.txt", data=DOCX_2)
    assert ReviewRound.objects.filter(review=review).count() == 2


def test_resubmit_without_a_reviewer_goes_back_to_the_queue(legal, employee_member):
    review = submit(employee_member)
    services.add_comment(**me(legal), review=review, clause="第1条", comment="目的を明確に")
    LegalReview.objects.filter(pk=review.pk).update(reviewer=None)
    services.return_review(**me(legal), review=review, verdict="ng")
    LegalReview.objects.filter(pk=review.pk).update(reviewer=None)
    services.resubmit_review(**me(employee_member), review=review, file_name="v2.txt", data=DOCX_2)
    assert LegalReview.objects.get().status == "submitted"


def test_only_the_requester_resubmits_and_withdraws(legal, employee_member):
    review = submit(employee_member)
    returned(legal, review)
    with pytest.raises(PermissionDeniedError):
        services.resubmit_review(**me(legal), review=review, file_name="x.txt", data=DOCX_2)
    with pytest.raises(PermissionDeniedError):
        services.withdraw_review(**me(legal), review=review)
    assert ReviewRound.objects.count() == 1 and LegalReview.objects.get().status == "returned"


def test_close_after_the_answer_and_withdraw_before(legal, employee_member):
    review = submit(employee_member)
    with pytest.raises(ServiceError) as err:
        services.close_review(**me(employee_member), review=review)
    assert err.value.code == "bad_transition"
    returned(legal, review, verdict="ok")
    services.close_review(**me(employee_member), review=review)
    review.refresh_from_db()
    assert review.status == "closed" and review.closed_at
    with pytest.raises(ServiceError):
        services.withdraw_review(**me(employee_member), review=review)
    other = submit(employee_member)
    services.withdraw_review(**me(employee_member), review=other, reason="取引中止")
    assert LegalReview.objects.get(pk=other.pk).status == "withdrawn"


# ------------------------------------------------------------------------------ playbook
def test_playbook_is_kept_by_legal(legal, employee_member):
    data = services.ClauseInput(title="再委託", guidance="事前の書面承諾を要する")
    with pytest.raises(PermissionDeniedError):
        services.create_playbook_clause(**me(employee_member), data=data)
    clause = services.create_playbook_clause(**me(legal), data=data)
    with pytest.raises(ServiceError) as err:
        services.create_playbook_clause(**me(legal), data=data)
    assert "title" in err.value.field_errors
    services.update_playbook_clause(
        **me(legal),
        clause=clause,
        data=services.ClauseInput(title="再委託", guidance="承諾制", category="委託"),
    )
    services.set_playbook_clause_active(**me(legal), clause=clause, active=False)
    clause.refresh_from_db()
    assert clause.guidance == "承諾制" and not clause.is_active and PlaybookClause.objects.count() == 1
    review = submit(employee_member)
    with pytest.raises(ServiceError) as err:  # an inactive note is not offered
        services.add_comment(**me(legal), review=review, clause="第3条", playbook_id=clause.pk)
    assert "playbook" in err.value.field_errors


# ------------------------------------------------------------------------------ lead time
def test_lead_time_counts_business_days():
    assert selectors.business_days_between(date(2026, 12, 4), date(2026, 12, 4)) == 0
    assert selectors.business_days_between(date(2026, 12, 4), date(2026, 12, 7)) == 1  # Fri → Mon
    # 2026-11-23 is 勤労感謝の日 (Monday)
    assert selectors.business_days_between(date(2026, 11, 20), date(2026, 11, 24)) == 1


def test_lead_time_of_a_review_and_the_summary(legal, employee_member, admin):
    tokyo = ZoneInfo("Asia/Tokyo")
    review = submit(employee_member)
    returned(legal, review, verdict="ok")
    services.close_review(**me(legal), review=review)
    LegalReview.objects.filter(pk=review.pk).update(
        submitted_at=datetime(2026, 12, 1, 10, tzinfo=tokyo),
        closed_at=datetime(2026, 12, 8, 10, tzinfo=tokyo),
    )
    ReviewRound.objects.filter(review=review).update(returned_at=datetime(2026, 12, 3, 10, tzinfo=tokyo))
    row = selectors.review_list(company=legal.company, membership=legal).get()
    lt = selectors.lead_time(row)
    assert (lt.to_first_return, lt.to_close) == (2, 5)
    # a 会社の休業日 on 12/2 and 12/7 is not counted either (the list and the page read it alike)
    from ennoshita.core import services as core_services

    for day in (date(2026, 12, 2), date(2026, 12, 7)):
        core_services.add_closed_days(
            company=admin.company, actor=admin.user, membership=admin, start=day, name="臨時休業"
        )
    lt = selectors.lead_time(row)
    assert (lt.to_first_return, lt.to_close) == (1, 3)
    closed = selectors.closed_days_for([row])
    assert selectors.lead_time(row, closed=closed) == lt and date(2026, 12, 7) in closed
    late = submit(employee_member)
    LegalReview.objects.filter(pk=late.pk).update(desired_on=date(2026, 1, 5))
    s = selectors.summary(company=legal.company, membership=legal)
    assert s.open_count == 1 and s.overdue_count == 1
    assert s.answered in (0, 1)  # the fixed return date may be outside the last 90 days of today


def test_contract_status_is_moved_only_when_its_table_allows(legal, employee_member):
    contract = make_contract(employee_member)
    contract_services.change_contract_status(**me(employee_member), contract=contract, to="in_review")
    contract_services.change_contract_status(**me(legal), contract=contract, to="negotiating")
    contract_services.change_contract_status(
        **me(legal), contract=contract, to="signed", signed_on=timezone.localdate()
    )
    review = submit(employee_member, contract_id=contract.pk)  # a signed contract stays signed
    returned(legal, review)
    assert Contract.objects.get().status == "signed"
    assert Folder.objects.count() == 1
    assert later(1) > timezone.localdate()


# ------------------------------------------------------------------------------ demo
def test_the_demo_has_each_stage_and_is_idempotent(company, legal):
    from ennoshita.legal.demo_reviews import build_demo_reviews
    from tests.conftest import make_member

    make_member(company, "employee", ["employee"])
    build_demo_reviews(company)
    reviews = {r.title: r for r in LegalReview.objects.all()}
    assert len(reviews) == 3 and PlaybookClause.objects.count() == 4
    assert {r.status for r in reviews.values()} == {"in_review", "closed"}
    second = reviews["システム開発業務委託契約のチェック"]
    assert second.round == 2 and second.status == "in_review"
    assert ReviewRound.objects.get(review=second, number=1).verdict == "ok_with_changes"
    assert ReviewComment.objects.filter(review=reviews["新サービス利用規約の確認"]).count() == 2
    build_demo_reviews(company)
    assert LegalReview.objects.count() == 3
