"""リーガルチェック screens: the list (summary, filters, CSV, pinned query count), asking for a review
(errors on their fields, nothing written), the detail with its rounds and actions, 法務's assign /
comment / return, the requester's resubmit / close / withdraw, the round file download, the playbook
pages, the contract page's reviews and button; refusals write nothing; someone else's is a 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.legal import home_reviews
from ennoshita.legal.models import LegalReview, PlaybookClause, ReviewComment, ReviewRound
from ennoshita.legal.services import reviews as services
from tests.conftest import login
from tests.legal.contracts_fixtures import make_contract, me
from tests.legal.test_reviews_fixtures import DOCX_1, contract_review, later, returned, submit

pytest_plugins = ["tests.legal.contracts_fixtures", "tests.legal.test_reviews_fixtures"]

pytestmark = pytest.mark.django_db


def upload(name: str = "案.txt", data: bytes = DOCX_1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_a_department_asks_for_a_review_from_the_contract_page(client, legal, employee_member):
    contract = make_contract(employee_member)
    login(client, employee_member)
    r = client.get(reverse("legal:contract_detail", args=[contract.pk]))
    assert r.status_code == 200 and "リーガルチェックを依頼" in r.text
    r = client.get(reverse("legal:review_new"), {"contract": contract.pk})
    assert r.status_code == 200 and f'value="{contract.pk}" selected' in r.text
    r = client.post(
        reverse("legal:review_new"),
        {
            "title": "委託契約の確認",
            "contract": str(contract.pk),
            "background": "新規取引",
            "desired_on": later().isoformat(),
            "file": upload(),
        },
    )
    review = LegalReview.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("legal:review_detail", args=[review.pk])
    r = client.get(reverse("legal:contract_detail", args=[contract.pk]))
    assert review.number in r.text


def test_bad_input_is_shown_on_the_field_and_nothing_is_written(client, legal, employee_member):
    login(client, employee_member)
    r = client.post(
        reverse("legal:review_new"),
        {"title": "x", "background": "y", "desired_on": "2020-01-01", "file": upload()},
    )
    assert r.status_code == 400 and "過去の日付" in r.text
    r = client.post(reverse("legal:review_new"), {"title": "x", "background": "y", "desired_on": later()})
    assert r.status_code == 400
    assert LegalReview.objects.count() == 0


def test_the_outside_assistant_is_refused(client, legal, assistant):
    login(client, assistant)
    # the outside team's pages are only what it is given (the shell answers 404 or 403)
    assert client.get(reverse("legal:review_list")).status_code in (403, 404)
    r = client.post(
        reverse("legal:review_new"),
        {"title": "x", "background": "y", "desired_on": later().isoformat(), "file": upload()},
    )
    assert r.status_code in (403, 404) and LegalReview.objects.count() == 0


def test_list_summary_filters_csv_and_query_count(
    client, legal, employee_member, django_assert_max_num_queries
):
    review = submit(employee_member, title="利用規約の確認")
    LegalReview.objects.filter(pk=review.pk).update(desired_on=date(2026, 1, 5))
    submit(employee_member, title="NDAの確認")
    login(client, legal)
    r = client.get(reverse("legal:review_list"))
    assert r.status_code == 200 and "利用規約の確認" in r.text and "NDAの確認" in r.text
    assert 'id="overdue-count">1<' in r.text and 'id="open-count">2<' in r.text
    r = client.get(reverse("legal:review_list"), {"overdue": "1"})
    assert "利用規約の確認" in r.text and "NDAの確認" not in r.text
    r = client.get(reverse("legal:review_list"), {"q": "NDA"})
    assert "利用規約の確認" not in r.text and "NDAの確認" in r.text
    r = client.get(reverse("legal:review_list"), {"status": "closed"})
    assert "NDAの確認" not in r.text
    r = client.get(reverse("legal:review_list"), {"format": "csv"})
    assert r.status_code == 200 and "依頼番号" in r.content.decode("utf-8-sig")
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("legal:review_list"))
    for i in range(8):
        submit(employee_member, title=f"確認{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("legal:review_list"))


def test_a_requester_sees_only_their_own(client, legal, employee_member, sales_member):
    mine = submit(employee_member, title="自分の依頼")
    theirs = submit(sales_member, title="営業の依頼")
    login(client, employee_member)
    r = client.get(reverse("legal:review_list"))
    assert "自分の依頼" in r.text and "営業の依頼" not in r.text
    assert client.get(reverse("legal:review_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("legal:review_detail", args=[mine.pk])).status_code == 200


def test_legal_assigns_comments_and_returns_from_the_page(client, legal, employee_member):
    review = contract_review(employee_member)
    PlaybookClause.objects.create(
        company=legal.company, title="損害賠償の上限", guidance="上限を契約金額に", created_by=legal.user
    )
    login(client, legal)
    r = client.get(reverse("legal:review_detail", args=[review.pk]))
    assert r.status_code == 200 and 'id="assign"' in r.text and "損害賠償の上限" in r.text
    client.post(reverse("legal:review_assign", args=[review.pk]), {"reviewer": legal.user_id})
    note = PlaybookClause.objects.get()
    client.post(
        reverse("legal:review_comment", args=[review.pk]),
        {"clause": "第5条", "severity": "must", "playbook": note.pk, "comment": ""},
    )
    assert ReviewComment.objects.get().comment == "上限を契約金額に"
    r = client.post(reverse("legal:review_return", args=[review.pk]), {"verdict": "ok_with_changes"})
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.status == "returned" and review.reviewer_id == legal.user_id
    r = client.get(reverse("legal:review_detail", args=[review.pk]))
    assert "修正すればOK" in r.text and "第5条" in r.text


def test_return_without_a_verdict_shows_the_message_and_writes_nothing(client, legal, employee_member):
    review = submit(employee_member)
    login(client, legal)
    r = client.post(reverse("legal:review_return", args=[review.pk]), {"verdict": "ng"}, follow=True)
    assert "条項コメントか総評" in r.text
    assert LegalReview.objects.get().status == "submitted"


def test_a_requester_cannot_do_legals_work(client, legal, employee_member):
    review = submit(employee_member)
    login(client, employee_member)
    assert (
        client.post(reverse("legal:review_assign", args=[review.pk]), {"reviewer": legal.user_id}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("legal:review_comment", args=[review.pk]),
            {"clause": "a", "severity": "must", "comment": "x"},
        ).status_code
        == 403
    )
    assert client.post(reverse("legal:review_return", args=[review.pk]), {"verdict": "ok"}).status_code == 403
    assert ReviewComment.objects.count() == 0 and LegalReview.objects.get().status == "submitted"


def test_the_requester_resubmits_downloads_and_closes(client, legal, employee_member):
    review = submit(employee_member)
    returned(legal, review)
    login(client, employee_member)
    r = client.get(reverse("legal:review_detail", args=[review.pk]))
    assert 'id="resubmit"' in r.text
    client.post(
        reverse("legal:review_resubmit", args=[review.pk]), {"file": upload("案2.txt", b"v2"), "note": "修正"}
    )
    assert ReviewRound.objects.filter(review=review).count() == 2
    r2 = ReviewRound.objects.get(review=review, number=2)
    r = client.get(reverse("legal:review_file", args=[review.pk, r2.version_id]))
    assert r.status_code == 200 and r.content == b"v2"
    services.return_review(**me(legal), review=review, verdict="ok")
    client.post(reverse("legal:review_close", args=[review.pk]))
    assert LegalReview.objects.get().status == "closed"


def test_withdraw_and_a_file_of_someone_elses_review_is_not_found(
    client, legal, employee_member, sales_member
):
    review = submit(employee_member)
    version_id = ReviewRound.objects.get(review=review).version_id
    login(client, sales_member)
    assert client.get(reverse("legal:review_file", args=[review.pk, version_id])).status_code == 404
    assert client.post(reverse("legal:review_withdraw", args=[review.pk])).status_code == 404
    login(client, employee_member)
    client.post(reverse("legal:review_withdraw", args=[review.pk]), {"reason": "取引中止"})
    assert LegalReview.objects.get().status == "withdrawn"


def test_playbook_pages(client, legal, employee_member):
    login(client, employee_member)
    assert client.get(reverse("legal:playbook_list")).status_code == 403
    assert client.post(reverse("legal:playbook_new"), {"title": "a", "guidance": "b"}).status_code == 403
    login(client, legal)
    r = client.post(
        reverse("legal:playbook_new"), {"title": "再委託", "category": "委託", "guidance": "書面承諾"}
    )
    assert r.status_code == 302
    r = client.post(reverse("legal:playbook_new"), {"title": "再委託", "guidance": "重複"})
    assert r.status_code == 400 and "同じ見出し" in r.text
    clause = PlaybookClause.objects.get()
    r = client.post(
        reverse("legal:playbook_edit", args=[clause.pk]), {"title": "再委託", "guidance": "承諾制"}
    )
    assert r.status_code == 302
    client.post(reverse("legal:playbook_toggle", args=[clause.pk]))
    clause.refresh_from_db()
    assert clause.guidance == "承諾制" and not clause.is_active
    r = client.get(reverse("legal:playbook_list"))
    assert "再委託" in r.text and "使用停止" in r.text


def test_home_panels(legal, employee_member):
    review = submit(employee_member)
    titles = [p["key"] for p in home_reviews.panels(legal)]
    assert "reviews_waiting" in titles
    assert home_reviews.panels(employee_member) == []
    returned(legal, review)
    panels = home_reviews.panels(employee_member)
    assert panels and review.number in panels[0]["items"][0]["text"]
