"""The screens: the list (search, filter, CSV), the form with lines and receipts, the detail with
flags, totals and the approval panel, 経理's list and settings; who may see what; 404 elsewhere."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim, ExpenseLine, ExpenseSettings

from ..conftest import login, make_company, make_member
from .conftest import line, png_bytes, receipt, save, submit

pytestmark = pytest.mark.django_db


def _post_data(org, **overrides):
    data = {
        "title": "出張精算",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-date": "2026-11-05",
        "lines-0-category": str(org.cat["MEETING"].pk),
        "lines-0-payee": "喫茶室",
        "lines-0-purpose": "打合せ",
        "lines-0-amount": "3,300",
        "lines-0-attendees": "A社 佐藤様",
        "lines-0-attendee_count": "2",
        "lines-0-registration_number": "T7000012050002",
        "lines-0-is_qualified": "on",
        "lines-0-receipt": SimpleUploadedFile("r.png", png_bytes("x"), content_type="image/png"),
    }
    data.update(overrides)
    return data


def test_employee_creates_a_claim_with_a_receipt_on_the_form(client, org):
    login(client, org.applicant)
    assert client.get(reverse("expenses:claim_new")).status_code == 200
    response = client.post(reverse("expenses:claim_new"), _post_data(org))
    assert response.status_code == 302, response.content.decode()[:2000]
    claim = ExpenseClaim.objects.get(company=org.company)
    ln = ExpenseLine.objects.get(claim=claim)
    assert (ln.amount, ln.attendee_count, ln.is_qualified) == (3300, 2, True)
    assert ln.receipt_document_id and ln.receipt_sha256
    page = client.get(reverse("expenses:claim_detail", args=[claim.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "出張精算" in body and 'data-tax="P10"' in body
    assert 'capture="environment"' in body  # the per-line receipt upload is phone-friendly
    # the receipt can be looked at
    shown = client.get(reverse("expenses:receipt_view", args=[claim.pk, ln.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"


def test_form_errors_are_on_the_line_and_nothing_is_written(client, org):
    login(client, org.applicant)
    response = client.post(
        reverse("expenses:claim_new"),
        _post_data(
            org,
            **{
                "lines-0-amount": "100.5",
                "lines-0-date": "2099-01-01",
                "lines-0-receipt": SimpleUploadedFile("r.png", b"not an image", content_type="image/png"),
            },
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "1円未満の端数は入力できません。" in body
    assert "未来の日付は入力できません。" in body
    assert "画像として読めません" in body
    assert not ExpenseClaim.objects.filter(company=org.company).exists()


def test_a_form_without_lines_is_refused(client, org):
    login(client, org.applicant)
    data = _post_data(org)
    for key in [k for k in data if k.startswith("lines-0-")]:
        del data[key]
    response = client.post(reverse("expenses:claim_new"), data)
    assert response.status_code == 400
    assert "明細を1行以上入力してください。" in response.content.decode()
    assert not ExpenseClaim.objects.filter(company=org.company).exists()


def test_detail_shows_flags_and_blocks_submission_of_a_missing_receipt(client, org):
    claim = save(org, [line(org, amount="2000")])
    login(client, org.applicant)
    body = client.get(reverse("expenses:claim_detail", args=[claim.pk])).content.decode()
    assert 'data-flag="missing_receipt"' in body
    response = client.post(reverse("expenses:claim_submit", args=[claim.pk]), follow=True)
    assert "領収書が添付されていません" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT and claim.number == ""
    # attach on the detail page, then submit
    client.post(
        reverse("expenses:receipt_upload", args=[claim.pk, claim.lines.get().pk]),
        {"file": SimpleUploadedFile("scan.png", png_bytes("s"), content_type="image/png")},
    )
    client.post(reverse("expenses:claim_submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.number.startswith("EXP-")


def test_the_approval_panel_lets_the_manager_and_accounting_approve_from_the_claim(client, org):
    claim = save(org, [line(org, receipt=receipt())])
    submit(org, claim)
    url = reverse("expenses:claim_detail", args=[claim.pk])
    login(client, org.manager)
    body = client.get(url).content.decode()
    assert 'id="approval"' in body and 'value="approve"' in body
    request_id = body.split('data-approval="')[1].split('"')[0]
    decide = reverse("approvals:request_decide", args=[int(request_id)])
    client.post(decide, {"action": "approve", "comment": "", "next": url})
    login(client, org.accountant)
    body = client.get(url).content.decode()
    client.post(
        decide,
        {
            "action": "approve",
            "comment": "",
            "next": url,
            "step": body.split('name="step" value="')[1].split('"')[0],
            "round": "1",
        },
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.journal_entry_ids
    body = client.get(url).content.decode()
    entry_url = reverse("ledger:entry_detail", args=[claim.journal_entry_ids[0]])
    assert entry_url in body
    # and the journal entry links back to the claim (ENNOSHITA_ENTRY_SOURCES)
    assert url in client.get(entry_url).content.decode()


def test_a_colleague_and_another_company_get_404(client, org):
    claim = save(org, [line(org, receipt=receipt())])
    login(client, org.colleague)
    for name in ("expenses:claim_detail", "expenses:claim_edit"):
        assert client.get(reverse(name, args=[claim.pk])).status_code == 404
    ln = claim.lines.get()
    assert client.get(reverse("expenses:receipt_view", args=[claim.pk, ln.pk])).status_code == 404
    before = AuditEvent.objects.filter(company=org.company).count()
    assert client.post(reverse("expenses:claim_delete", args=[claim.pk])).status_code == 404
    assert client.post(reverse("expenses:claim_submit", args=[claim.pk])).status_code == 404
    assert AuditEvent.objects.filter(company=org.company).count() == before
    other = make_company("株式会社よそ")
    outsider = make_member(other, "yoso", ["admin", "accounting"])
    login(client, outsider)
    assert client.get(reverse("expenses:claim_detail", args=[claim.pk])).status_code == 404
    assert ExpenseClaim.objects.filter(pk=claim.pk, status=ClaimStatus.DRAFT).exists()


def test_accounting_list_filters_and_exports_and_is_closed_to_employees(client, org):
    a = save(org, [line(org, receipt=receipt("a"))], title="交通費A")
    submit(org, a)
    save(org, [line(org, payee="別", receipt=receipt("b"))], title="下書きB")
    login(client, org.applicant)
    assert client.get(reverse("expenses:all_claims")).status_code == 403
    assert client.get(reverse("expenses:settings")).status_code == 403
    mine = client.get(reverse("expenses:claim_list"), {"q": "交通費"}).content.decode()
    assert "交通費A" in mine and "下書きB" not in mine
    login(client, org.accountant)
    body = client.get(
        reverse("expenses:all_claims"), {"status": "submitted", "department": org.sales.pk}
    ).content.decode()
    assert "交通費A" in body and "下書きB" not in body  # drafts are the applicant's own
    month = date.today().strftime("%Y-%m")
    assert "交通費A" in client.get(reverse("expenses:all_claims"), {"month": month}).content.decode()
    csv = client.get(reverse("expenses:all_claims"), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "精算番号" in text and a.number in text


def test_settings_screen_changes_the_threshold_and_adds_a_category(client, org):
    login(client, org.accountant)
    assert client.get(reverse("expenses:settings")).status_code == 200
    response = client.post(
        reverse("expenses:settings"),
        {
            "receipt_threshold": "3000",
            "missing_receipt_blocks": "on",
            "entertainment_limit_per_person": "10000",
            "per_diem_enabled": "on",
            "per_diem_day_trip": "1000",
            "per_diem_overnight": "3000",
        },
    )
    assert response.status_code == 302
    assert ExpenseSettings.objects.get(company=org.company).receipt_threshold == 3000
    bad = client.post(
        reverse("expenses:category_new"),
        {
            "code": "X",
            "name": "謎",
            "account_code": "9999",
            "tax_handling": "P10",
            "kind": "normal",
            "sort_order": "0",
        },
    )
    assert bad.status_code == 400 and "勘定科目コードが見つからない" in bad.content.decode()
    ok = client.post(
        reverse("expenses:category_new"),
        {
            "code": "PARK",
            "name": "駐車場代",
            "account_code": "6260",
            "tax_handling": "P10",
            "kind": "normal",
            "receipt_required": "on",
            "is_active": "on",
            "sort_order": "5",
        },
    )
    assert ok.status_code == 302
    assert "PARK" in client.get(reverse("expenses:settings")).content.decode()


def test_per_person_amount_is_computed_on_the_server(client, org):
    login(client, org.applicant)
    response = client.get(
        reverse("expenses:per_person"), {"lines-0-amount": "25000", "lines-0-attendee_count": "3"}
    )
    assert response.content.decode() == "1人あたり ¥8,333(税込)"
    assert client.get(reverse("expenses:per_person"), {"lines-0-amount": "x"}).content == b""


def test_navigation_shows_expenses_to_employees_and_the_list_to_accounting(client, org):
    login(client, org.applicant)
    body = client.get(reverse("expenses:claim_list")).content.decode()
    assert reverse("expenses:claim_list") in body and reverse("expenses:all_claims") not in body
    login(client, org.accountant)
    body = client.get(reverse("expenses:claim_list")).content.decode()
    assert reverse("expenses:all_claims") in body and reverse("expenses:settings") in body


def _queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx)


def test_list_pages_cost_the_same_queries_for_1_and_8_claims(client, org):
    first = save(org, [line(org, receipt=receipt("0"))], title="0")
    submit(org, first)
    login(client, org.accountant)
    one_all = _queries(client, reverse("expenses:all_claims"), {"status": "submitted"})
    login(client, org.applicant)
    one_mine = _queries(client, reverse("expenses:claim_list"))
    for n in range(1, 8):
        claim = save(org, [line(org, payee=f"店{n}", receipt=receipt(str(n)))], title=str(n))
        submit(org, claim)
    assert _queries(client, reverse("expenses:claim_list")) == one_mine
    login(client, org.accountant)
    assert _queries(client, reverse("expenses:all_claims"), {"status": "submitted"}) == one_all
