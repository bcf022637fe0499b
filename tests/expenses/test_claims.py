"""Claims through the services: bad input refused with nothing written, the flags, the own-claim
rule, 差し戻し → edit → 再申請, 取り下げ, rejection, per-diem and the 少額特例."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents.models import Document
from ennoshita.expenses import selectors, services
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim, ExpenseLine
from ennoshita.ledger.models import JournalEntry

from .conftest import approve_all, decide, line, png_bytes, receipt, request_of, save, submit

pytestmark = pytest.mark.django_db


def _nothing_written(org, before_events):
    assert not ExpenseClaim.objects.filter(company=org.company).exists()
    assert not ExpenseLine.objects.filter(company=org.company).exists()
    assert not Document.objects.filter(company=org.company).exists()
    assert AuditEvent.objects.filter(company=org.company).count() == before_events


def _errors(exc_info):
    return exc_info.value.field_errors


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"amount": "0"}, "lines.0.amount", "金額は1円以上で入力してください。"),
        ({"amount": "-500"}, "lines.0.amount", "金額は1円以上で入力してください。"),
        ({"amount": "100.5"}, "lines.0.amount", "1円未満の端数は入力できません。"),
        ({"amount": "abc"}, "lines.0.amount", "金額は円単位の整数で入力してください。"),
        ({"amount": ""}, "lines.0.amount", "金額を入力してください。"),
        (
            {"registration_number": "T123"},
            "lines.0.registration_number",
            "登録番号は「T」と13桁の数字で入力してください。",
        ),
        (
            {"registration_number": "1234567890123"},
            "lines.0.registration_number",
            "登録番号は「T」と13桁の数字で入力してください。",
        ),
        ({"payee": " "}, "lines.0.payee", "支払先を入力してください。"),
        ({"category_id": None}, "lines.0.category", "区分を選んでください。"),
    ],
)
def test_bad_lines_are_refused_with_nothing_written(org, kw, field, message):
    events = AuditEvent.objects.filter(company=org.company).count()
    spec = line(org, receipt=receipt())
    spec = services.LineSpec(**{**spec.__dict__, **kw})
    with pytest.raises(ServiceError) as exc:
        save(org, [spec])
    assert _errors(exc)[field] == [message]
    _nothing_written(org, events)


def test_a_future_date_is_refused(org):
    events = AuditEvent.objects.filter(company=org.company).count()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError) as exc:
        save(org, [line(org, day=tomorrow, receipt=receipt())])
    assert _errors(exc)["lines.0.date"] == ["未来の日付は入力できません。"]
    _nothing_written(org, events)


def test_no_lines_is_refused(org):
    with pytest.raises(ServiceError) as exc:
        save(org, [])
    assert _errors(exc)["lines"] == ["明細を1行以上入力してください。"]


def test_an_unreadable_or_oversized_receipt_is_refused_with_nothing_written(org, settings):
    events = AuditEvent.objects.filter(company=org.company).count()
    with pytest.raises(ServiceError) as exc:
        save(org, [line(org, receipt=services.ReceiptUpload("scan.jpg", b"\xff\xd8garbage"))])
    assert "画像として読めません" in _errors(exc)["lines.0.receipt"][0]
    with pytest.raises(ServiceError) as exc:
        save(org, [line(org, receipt=services.ReceiptUpload("scan.pdf", b"%PDF-1.4 broken"))])
    assert "PDF として読めません" in _errors(exc)["lines.0.receipt"][0]
    with pytest.raises(ServiceError) as exc:
        save(org, [line(org, receipt=services.ReceiptUpload("memo.txt", b"hello"))])
    assert "領収書はPDFか画像" in _errors(exc)["lines.0.receipt"][0]
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ServiceError) as exc:
        save(org, [line(org, receipt=services.ReceiptUpload("big.png", png_bytes("big", size=(400, 400))))])
    assert "ファイルが大きすぎます" in _errors(exc)["lines.0.receipt"][0]
    _nothing_written(org, events)


def test_an_unreadable_receipt_on_an_existing_line_changes_nothing(org):
    claim = save(org, [line(org, receipt=receipt("ok"))])
    ln = claim.lines.get()
    sha = ln.receipt_sha256
    with pytest.raises(ServiceError) as exc:
        services.attach_receipt(
            company=org.company,
            actor=org.applicant.user,
            membership=org.applicant,
            claim=claim,
            line=ln,
            name="x.png",
            data=b"nope",
        )
    assert "画像として読めません" in exc.value.field_errors["file"][0]
    ln.refresh_from_db()
    assert ln.receipt_sha256 == sha
    assert Document.objects.filter(company=org.company).count() == 1


# ------------------------------------------------------------------------------------ flags
def _flags(org, claim):
    return {(f.code, f.line_no, f.blocking) for f in selectors.claim_flags(company=org.company, claim=claim)}


def test_missing_receipt_blocks_but_not_for_train_fares_or_under_the_threshold(org):
    claim = save(
        org,
        [
            line(org, "SUPPLIES", "500"),
            line(org, "TRANSIT", "480", payee="JR", purpose="客先訪問", route_from="東京", route_to="品川"),
        ],
    )
    assert ("missing_receipt", 1, True) in _flags(org, claim)
    assert not any(code == "missing_receipt" and n == 2 for code, n, _b in _flags(org, claim))
    with pytest.raises(ServiceError) as exc:
        submit(org, claim)
    assert "領収書が添付されていません" in exc.value.field_errors["lines.0"][0]
    services.update_settings(
        company=org.company, actor=org.accountant.user, membership=org.accountant, receipt_threshold=1000
    )
    assert not any(code == "missing_receipt" for code, _n, _b in _flags(org, claim))
    submit(org, claim)


def test_meeting_over_10000_per_person_suggests_entertainment_and_only_warns(org):
    # 3 people, 税込 33,000 → 税抜 30,000 = 10,000 each: at the limit (以下), no flag
    at_limit = save(
        org,
        [
            line(
                org,
                "MEETING",
                "33000",
                payee="料亭",
                purpose="会食",
                attendees="A社2名・当社1名",
                attendee_count=3,
                receipt=receipt("a"),
            )
        ],
    )
    assert not any(code.endswith("over_limit") for code, _n, _b in _flags(org, at_limit))
    over = save(
        org,
        [
            line(
                org,
                "MEETING",
                "33011",
                payee="料亭",
                purpose="会食",
                attendees="A社2名・当社1名",
                attendee_count=3,
                receipt=receipt("b"),
            )
        ],
    )
    assert ("meeting_over_limit", 1, False) in _flags(org, over)
    message = next(f.message for f in selectors.claim_flags(company=org.company, claim=over))
    assert "会議費ではなく交際費で精算してください" in message
    ent = save(
        org,
        [
            line(
                org,
                "ENTERTAIN",
                "50000",
                payee="料亭",
                purpose="接待",
                attendees="A社 佐藤様",
                attendee_count=2,
                receipt=receipt("c"),
            )
        ],
    )
    assert ("entertainment_over_limit", 1, False) in _flags(org, ent)
    no_people = save(org, [line(org, "ENTERTAIN", "5000", payee="店", purpose="接待", receipt=receipt("d"))])
    assert ("attendees_missing", 1, True) in _flags(org, no_people)


def test_duplicates_by_file_and_by_date_amount_payee(org):
    first = save(org, [line(org, amount="1500", payee="文具店", receipt=receipt("same"))], title="最初")
    submit(org, first)
    first.refresh_from_db()
    again = save(
        org,
        [
            line(org, amount="999", payee="別の店", receipt=receipt("same")),  # same file
            line(org, amount="1500", payee="文 具 店", receipt=receipt("other")),  # same date, amount, payee
        ],
        title="二回目",
    )
    flags = selectors.claim_flags(company=org.company, claim=again)
    by_code = {(f.code, f.line_no): f for f in flags}
    assert first.number in by_code[("duplicate_receipt", 1)].message
    assert first.number in by_code[("duplicate_entry", 2)].message
    assert not by_code[("duplicate_receipt", 1)].blocking
    # the first claim sees the second one too (a draft is named by its title)
    assert "二回目(下書き)" in " ".join(
        f.message for f in selectors.claim_flags(company=org.company, claim=first)
    )
    submit(org, again)  # warnings do not block


def test_registration_number_check_digit_only_warns(org):
    claim = save(org, [line(org, registration_number="T8000012050002", is_qualified=True, receipt=receipt())])
    assert ("registration_check_digit", 1, False) in _flags(org, claim)
    assert claim.lines.get().registration_number == "T8000012050002"
    ok = save(
        org, [line(org, registration_number="ｔ7000-0120-50002", is_qualified=True, receipt=receipt("x"))]
    )
    assert ok.lines.get().registration_number == "T7000012050002"
    assert not any(code == "registration_check_digit" for code, _n, _b in _flags(org, ok))


# ------------------------------------------------------------------------------------ approval
def test_the_applicant_cannot_approve_their_own_claim(org):
    claim = save(org, [line(org, receipt=receipt())], member=org.manager)
    # the manager's own claim: the 所属長 step cannot be the applicant → refused, nothing written
    with pytest.raises(ServiceError):
        submit(org, claim, member=org.manager)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT and claim.number == ""
    mine = save(org, [line(org, payee="店2", receipt=receipt("2"))])
    submit(org, mine)
    with pytest.raises(PermissionDeniedError):
        decide(org, mine, org.applicant)
    mine.refresh_from_db()
    assert mine.status == ClaimStatus.SUBMITTED


def test_returned_claim_is_edited_and_resubmitted(org):
    claim = save(org, [line(org, amount="2200", receipt=receipt())])
    submit(org, claim)
    decide(org, claim, org.manager, "send_back", reason="目的を具体的に")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED and claim.is_editable
    number = claim.number
    ln = claim.lines.get()
    save(
        org,
        [
            services.LineSpec(
                id=ln.pk,
                date=ln.date,
                payee=ln.payee,
                purpose="A社提案書の印刷用紙",
                category_id=ln.category_id,
                amount="2200",
            ),
            line(org, "BOOKS", "1650", payee="書店", purpose="技術書", receipt=receipt("book")),
        ],
        claim=claim,
    )
    submit(org, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.number == number and claim.total == Decimal(3850)
    request = request_of(org, claim)
    assert request.round == 2 and request.amount == Decimal(3850)
    assert sorted(request.account_codes) == ["6310", "6350"]
    approve_all(org, claim)
    assert claim.status == ClaimStatus.APPROVED
    actions = list(
        AuditEvent.objects.filter(
            company=org.company, object_type="expenses.expenseclaim", object_id=str(claim.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "send_back", "update", "resubmit", "approve"]


def test_submitted_claim_cannot_be_edited(org):
    claim = save(org, [line(org, receipt=receipt())])
    submit(org, claim)
    with pytest.raises(ServiceError) as exc:
        save(org, [line(org, receipt=receipt())], claim=claim)
    assert exc.value.code == "not_editable"


def test_withdraw_keeps_the_number_and_ends_the_claim(org):
    claim = save(org, [line(org, receipt=receipt())])
    submit(org, claim)
    services.withdraw_claim(
        company=org.company, actor=org.applicant.user, membership=org.applicant, claim=claim
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN and claim.number
    assert request_of(org, claim).status == "withdrawn"
    with pytest.raises(ServiceError):
        submit(org, claim)
    with pytest.raises(NotFound):  # someone else cannot withdraw it
        services.withdraw_claim(
            company=org.company, actor=org.colleague.user, membership=org.colleague, claim=claim
        )


def test_rejected_claim_posts_nothing(org):
    claim = save(org, [line(org, receipt=receipt())])
    submit(org, claim)
    decide(org, claim, org.manager)
    decide(org, claim, org.accountant, "reject", reason="私費です")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.journal_entry_id is None
    assert not JournalEntry.objects.filter(company=org.company, source_type="expenses.claim").exists()


def test_a_closed_month_refuses_the_approval_and_nothing_changes(org):
    from ennoshita.ledger import services as ledger_services

    claim = save(org, [line(org, receipt=receipt())])
    submit(org, claim)
    decide(org, claim, org.manager)
    ledger_services.lock_month(
        company=org.company, actor=org.accountant.user, membership=org.accountant, month=date(2026, 11, 1)
    )
    with pytest.raises(ServiceError):
        decide(org, claim, org.accountant)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and request_of(org, claim).status == "pending"


def test_delete_draft_and_not_a_submitted_one(org):
    draft = save(org, [line(org, receipt=receipt())])
    services.delete_draft(
        company=org.company, actor=org.applicant.user, membership=org.applicant, claim=draft
    )
    assert not ExpenseClaim.objects.filter(pk=draft.pk).exists()
    sent = save(org, [line(org, receipt=receipt("b"))])
    submit(org, sent)
    with pytest.raises(ServiceError):
        services.delete_draft(
            company=org.company, actor=org.applicant.user, membership=org.applicant, claim=sent
        )


def test_per_diem_amount_comes_from_the_company_rule(org):
    with pytest.raises(ServiceError) as exc:
        save(
            org,
            [
                line(
                    org,
                    "PERDIEM",
                    None,
                    payee="出張日当",
                    purpose="大阪出張",
                    per_diem_kind="overnight",
                    per_diem_days=2,
                )
            ],
        )
    assert exc.value.field_errors["lines.0.category"] == ["この会社では日当を支給していません。"]
    services.update_settings(
        company=org.company, actor=org.accountant.user, membership=org.accountant, per_diem_enabled=True
    )
    claim = save(
        org,
        [
            line(
                org,
                "PERDIEM",
                "1",
                payee="出張日当",
                purpose="大阪出張",
                per_diem_kind="overnight",
                per_diem_days=2,
            )
        ],
    )
    assert claim.lines.get().amount == Decimal(6000) and claim.total == Decimal(6000)
    submit(org, claim)  # no receipt needed for 日当
    approve_all(org, claim)
    entry = JournalEntry.objects.get(pk=claim.journal_entry_id)
    codes = sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.select_related("account"))
    # 課税仕入れ (基通11-2-1), credited in full with the books only (出張旅費等特例)
    assert codes == [("1171", Decimal(545), 0), ("2130", 0, Decimal(6000)), ("6260", Decimal(5455), 0)]


def test_small_amount_exception_gives_full_credit_under_10000_when_the_company_uses_it(org):
    services.update_settings(
        company=org.company, actor=org.accountant.user, membership=org.accountant, small_amount_exception=True
    )
    claim = save(
        org,
        [
            line(org, "SUPPLIES", "9999", payee="露店A", receipt=receipt("a")),  # < 1万円: full credit
            line(org, "SUPPLIES", "10000", payee="露店B", receipt=receipt("b")),  # 1万円: 経過措置 70%
        ],
    )
    totals = {
        t.key: t for t in selectors.tax_totals(company=org.company, lines=selectors.lines_of(claim=claim))
    }
    assert totals["P10"].gross == Decimal(9999) and totals["P10"].deductible == Decimal(909)
    assert totals["P10_NQ"].tax == Decimal(909) and totals["P10_NQ"].deductible == Decimal(636)
    assert totals["P10_NQ"].note == "70%控除対象"


def test_the_outside_team_cannot_claim(org):
    from ..conftest import make_member

    assistant = make_member(org.company, "gaibu", ["assistant"], expires_on=date(2030, 1, 1))
    with pytest.raises(PermissionDeniedError):
        save(org, [line(org, receipt=receipt())], member=assistant)
