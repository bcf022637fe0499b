"""The flow end to end: an employee claims with receipts → submits → 部長 approves → 経理 approves
→ the claim is posted: expense accounts with the department, 仮払消費税等 per line (a receipt
without 適格請求書 credited 80% before 2026-10-01 and 70% from then), 未払金 for the total; the
trial balance shows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.models import AuditEvent, NumberSequence
from ennoshita.documents.models import Document
from ennoshita.expenses import services
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim
from ennoshita.ledger import selectors as ledger_selectors
from ennoshita.ledger.models import JournalEntry, JournalLine

from .conftest import decide, line, receipt, request_of, save, submit

pytestmark = pytest.mark.django_db

T_NTA = "T7000012050002"  # 国税庁の法人番号 (jp-rules §5.3): a valid check digit


def _claim(org):
    meal8 = services.save_category(
        company=org.company,
        actor=org.accountant.user,
        membership=org.accountant,
        category=None,
        code="MEAL8",
        name="会議用の弁当(軽減税率)",
        account_code="6250",
        tax_handling="P8R",
        kind="meeting",
        receipt_required=True,
        books_only=False,
    )
    org.cat["MEAL8"] = meal8
    return save(
        org,
        [
            line(
                org,
                "SUPPLIES",
                "1100",
                date(2026, 11, 5),
                registration_number=T_NTA,
                is_qualified=True,
                receipt=receipt("1"),
            ),
            line(
                org,
                "MEETING",
                "5500",
                date(2026, 11, 5),
                payee="喫茶室",
                purpose="打合せ",
                registration_number=T_NTA,
                is_qualified=True,
                attendees="得意先 A社 佐藤様、当社 申請",
                attendee_count=2,
                receipt=receipt("2"),
            ),
            line(
                org,
                "MEAL8",
                "1080",
                date(2026, 11, 5),
                payee="弁当屋",
                purpose="会議の昼食",
                registration_number=T_NTA,
                is_qualified=True,
                attendees="社内3名",
                attendee_count=3,
                receipt=receipt("3"),
            ),
            # no 適格請求書: 経過措置 by the date of the purchase
            line(
                org,
                "TAXI",
                "11000",
                date(2026, 9, 20),
                payee="個人タクシー",
                purpose="顧客訪問",
                receipt=receipt("4"),
            ),
            line(
                org,
                "SUPPLIES",
                "3300",
                date(2026, 11, 10),
                payee="露店",
                purpose="備品",
                receipt=receipt("5"),
            ),
        ],
    )


def test_claim_is_approved_twice_and_posted_with_tax_by_rate_and_transitional_credit(org):
    claim = _claim(org)
    assert claim.status == ClaimStatus.DRAFT and claim.number == "" and claim.total == Decimal(21980)
    assert claim.department_id == org.sales.pk and claim.employee is not None

    submit(org, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.number == "EXP-2026-000001" and claim.fiscal_year == 2026
    request = request_of(org, claim)
    assert request.amount == Decimal(21980) and request.department_id == org.sales.pk
    assert sorted(request.account_codes) == ["6250", "6260", "6310"]

    decide(org, claim, org.manager)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and not claim.journal_entry_ids
    decide(org, claim, org.accountant)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.approved_at and claim.paid_at is None

    entries = list(
        JournalEntry.objects.filter(company=org.company, source_type="expenses.claim").order_by("date")
    )
    assert [e.date for e in entries] == [date(2026, 9, 20), date(2026, 11, 5), date(2026, 11, 10)]
    assert claim.journal_entry_ids == [e.pk for e in entries] and claim.journal_entry_id == entries[0].pk
    assert all(e.status == "posted" and e.source_id == str(claim.pk) for e in entries)

    def rows(entry):
        return [
            (ln.account.code, ln.debit, ln.credit, ln.department_id, ln.tax_code.key if ln.tax_code else None)
            for ln in JournalLine.objects.filter(entry=entry)
            .select_related("account", "tax_code")
            .order_by("line_no")
        ]

    dept = org.sales.pk
    assert rows(entries[0]) == [
        ("6260", Decimal(10200), 0, dept, "P10_NQ"),  # 11,000 − 80% of 1,000
        ("1171", Decimal(800), 0, dept, None),
        ("2130", 0, Decimal(11000), dept, None),
    ]
    assert rows(entries[1]) == [
        ("6310", Decimal(1000), 0, dept, "P10"),
        ("1171", Decimal(100), 0, dept, None),
        ("6250", Decimal(5000), 0, dept, "P10"),
        ("1171", Decimal(500), 0, dept, None),
        ("6250", Decimal(1000), 0, dept, "P8R"),
        ("1171", Decimal(80), 0, dept, None),
        ("2130", 0, Decimal(7680), dept, None),
    ]
    assert rows(entries[2]) == [
        ("6310", Decimal(3090), 0, dept, "P10_NQ"),  # 3,300 − 70% of 300
        ("1171", Decimal(210), 0, dept, None),
        ("2130", 0, Decimal(3300), dept, None),
    ]
    memo = JournalLine.objects.get(entry=entries[0], line_no=1).memo
    assert "80%控除対象" in memo
    assert "70%控除対象" in JournalLine.objects.get(entry=entries[2], line_no=1).memo

    tb = ledger_selectors.trial_balance(company=org.company, start=date(2026, 4, 1), end=date(2026, 11, 30))
    by_code = {r.code: r for r in tb.rows}
    assert by_code["1171"].debit == Decimal(1690)
    assert by_code["2130"].credit == Decimal(21980) and by_code["2130"].closing == Decimal(21980)
    assert by_code["6250"].closing == Decimal(6000)
    assert by_code["6260"].closing == Decimal(10200)
    assert by_code["6310"].closing == Decimal(4090)
    assert tb.debit == tb.credit
    dept_tb = ledger_selectors.trial_balance(
        company=org.company, start=date(2026, 4, 1), end=date(2026, 11, 30), department=org.sales.pk
    )
    assert {r.code: r.closing for r in dept_tb.rows}["6310"] == Decimal(4090)

    # every step left its audit event on the claim
    actions = list(
        AuditEvent.objects.filter(
            company=org.company, object_type="expenses.expenseclaim", object_id=str(claim.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "approve"]


def test_receipts_are_filed_in_documents_with_their_transaction_metadata(org):
    claim = _claim(org)
    lines = {ln.line_no: ln for ln in claim.lines.all()}
    taxi = lines[4]
    document = Document.objects.get(company=org.company, pk=taxi.receipt_document_id)
    assert document.is_transaction_record and document.document_type == "receipt"
    assert (document.transaction_date, document.transaction_amount, document.counterparty) == (
        date(2026, 9, 20),
        Decimal(11000),
        "個人タクシー",
    )
    assert document.name.startswith("20260920_個人タクシー_11000_")
    assert document.folder.name == "経費精算の領収書"
    assert len(taxi.receipt_sha256) == 64 and document.current_version.sha256 == taxi.receipt_sha256

    # the line changes on a draft: the receipt's record follows
    specs = [
        services.LineSpec(
            id=ln.pk,
            date=ln.date,
            payee=ln.payee if ln.line_no != 4 else "日本交通",
            purpose=ln.purpose,
            category_id=ln.category_id,
            amount=ln.amount if ln.line_no != 4 else "12000",
            registration_number=ln.registration_number,
            is_qualified=ln.is_qualified,
            attendees=ln.attendees,
            attendee_count=ln.attendee_count,
        )
        for ln in sorted(lines.values(), key=lambda x: x.line_no)
    ]
    save(org, specs, claim=claim)
    document.refresh_from_db()
    assert (document.transaction_amount, document.counterparty) == (Decimal(12000), "日本交通")
    taxi.refresh_from_db()
    assert taxi.receipt_document_id == document.pk


def test_numbers_are_gapless_and_a_failed_submission_takes_none(org):
    first = save(org, [line(org, receipt=receipt("a"))], title="A")
    broken = save(org, [line(org, payee="別の店", amount="500")], title="B (no receipt)")
    with pytest.raises(services.ServiceError if hasattr(services, "ServiceError") else Exception):
        submit(org, broken)
    submit(org, first)
    first.refresh_from_db()
    assert first.number == "EXP-2026-000001"
    broken.refresh_from_db()
    assert broken.number == "" and broken.status == ClaimStatus.DRAFT
    assert NumberSequence.objects.get(company=org.company, doc_type="expenses.claim").last_number == 1
    assert ExpenseClaim.objects.filter(company=org.company).count() == 2
