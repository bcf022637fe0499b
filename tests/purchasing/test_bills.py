"""仕入先請求書: drafts (all or nothing), the vendor's file, submission with its gapless number, the
approval flow end to end, and what refuses (nothing written)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.approvals.models import ApprovalRequest
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents.models import Document
from ennoshita.ledger.models import JournalEntry
from ennoshita.purchasing.models import BillStatus, VendorBill, VendorBillLine
from ennoshita.purchasing.services import bills as services

from .conftest import (
    bill_line,
    decide,
    make_vendor,
    pdf_bytes,
    png_bytes,
    recent_day,
    request_of,
    save_bill,
    submit,
)


def _nothing_written():
    assert not VendorBill.objects.exists()
    assert not VendorBillLine.objects.exists()


def _refused(org, vendor, field, **kw):
    with pytest.raises(ServiceError) as info:
        save_bill(org, vendor, **kw)
    assert field in info.value.field_errors, info.value.field_errors
    _nothing_written()
    return info.value.field_errors[field][0]


# ------------------------------------------------------------------------------ drafts
def test_draft_gets_totals_and_due_date_from_the_terms(org, vendor):
    day = timezone.localdate().replace(day=1)
    bill = save_bill(
        org,
        vendor,
        [bill_line(amount="11,000"), bill_line(amount="５５００", tax_handling="P8R")],
        bill_date=day,
    )
    assert bill.status == BillStatus.DRAFT and bill.number == ""
    assert bill.total == Decimal(16500)
    assert bill.tax_total == Decimal(1000 + 407)  # 5,500 × 8/108 = 407.4 → 407
    # 月末締め翌月末払い
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    assert bill.due_date == (nxt.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert [ln.line_no for ln in bill.lines.order_by("line_no")] == [1, 2]
    event = AuditEvent.objects.get(company=org.company, object_type="purchasing.vendorbill", action="create")
    assert event.changes["fields"]["total"] == [None, "16500"]


def test_given_due_date_is_kept(org, vendor):
    due = recent_day() + timedelta(days=10)
    assert save_bill(org, vendor, due_date=due).due_date == due


def test_no_lines_refused(org, vendor):
    _refused(org, vendor, "lines", lines=[])


def test_future_bill_date_refused(org, vendor):
    _refused(org, vendor, "bill_date", bill_date=timezone.localdate() + timedelta(days=1))


@pytest.mark.parametrize("amount", ["0", "-1100", "10.5", "abc", ""])
def test_bad_amounts_refused(org, vendor, amount):
    _refused(org, vendor, "lines.0.amount", lines=[bill_line(amount=amount)])


def test_unknown_or_payable_account_refused(org, vendor):
    _refused(org, vendor, "lines.0.account_code", lines=[bill_line(account_code="9999")])
    _refused(org, vendor, "lines.0.account_code", lines=[bill_line(account_code="2112")])


def test_due_date_before_bill_date_refused(org, vendor):
    _refused(org, vendor, "due_date", due_date=recent_day(10))


def test_qualified_bill_needs_a_registered_vendor(org):
    exempt = make_vendor(org, code="V009", registration_number="")
    _refused(org, exempt, "is_qualified", is_qualified=True)


def test_bad_payable_account_refused(org, vendor):
    _refused(org, vendor, "payable_account_code", payable_account_code="6310")


def test_vendor_of_another_company_refused(org, other_company, outsider):
    from ennoshita.purchasing.services import vendors as vendor_services

    from .conftest import vendor_input

    foreign = vendor_services.create_vendor(
        company=other_company, actor=outsider.user, membership=outsider, data=vendor_input()
    )
    with pytest.raises(NotFound):
        save_bill(org, foreign)
    _nothing_written()


def test_employee_may_not_record_bills(org, vendor):
    with pytest.raises(PermissionDeniedError):
        save_bill(org, vendor, member=org.employee)
    _nothing_written()


def test_edit_replaces_lines_and_is_audited(org, vendor):
    bill = save_bill(org, vendor)
    bill = save_bill(org, vendor, [bill_line(amount="2200"), bill_line(amount="3300")], bill=bill)
    assert bill.total == Decimal(5500)
    assert VendorBillLine.objects.filter(bill=bill).count() == 2
    event = AuditEvent.objects.get(company=org.company, object_type="purchasing.vendorbill", action="update")
    assert event.changes["fields"]["total"] == ["11000", "5500"]


def test_submitted_bill_cannot_be_edited(org, vendor):
    bill = submit(org, save_bill(org, vendor))
    with pytest.raises(ServiceError) as info:
        save_bill(org, vendor, [bill_line(amount="1")], bill=bill)
    assert info.value.code == "not_editable"
    bill.refresh_from_db()
    assert bill.total == Decimal(11000)


def test_delete_draft_but_not_a_numbered_bill(org, vendor):
    draft = save_bill(org, vendor)
    services.delete_draft_bill(company=org.company, actor=org.clerk.user, membership=org.clerk, bill=draft)
    _nothing_written()
    bill = submit(org, save_bill(org, vendor))
    with pytest.raises(ServiceError):
        services.delete_draft_bill(company=org.company, actor=org.clerk.user, membership=org.clerk, bill=bill)
    assert VendorBill.objects.filter(pk=bill.pk).exists()


# ------------------------------------------------------------------------------ the file
def test_attach_pdf_files_it_with_its_transaction_record(org, vendor):
    bill = save_bill(org, vendor)
    data = pdf_bytes("INVOICE 11000")
    bill = services.attach_bill_document(
        company=org.company,
        actor=org.clerk.user,
        membership=org.clerk,
        bill=bill,
        name="請求書.pdf",
        data=data,
    )
    document = Document.objects.get(pk=bill.document_id)
    assert document.transaction_date == bill.bill_date
    assert document.transaction_amount == Decimal(11000)
    assert document.counterparty == "株式会社山田商事"
    assert document.document_type == "invoice"
    assert document.folder.name == "仕入先請求書"
    assert bill.document_content_type == "application/pdf"
    from ennoshita.documents.storage import open_blob

    stored = open_blob(bill.document_sha256)
    assert stored == data
    import io

    from pypdf import PdfReader

    assert "INVOICE 11000" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()


def test_attach_image_and_follow_later_changes(org, vendor):
    bill = save_bill(org, vendor)
    services.attach_bill_document(
        company=org.company,
        actor=org.clerk.user,
        membership=org.clerk,
        bill=bill,
        name="scan.png",
        data=png_bytes(),
    )
    bill = save_bill(org, vendor, [bill_line(amount="22000")], bill=VendorBill.objects.get(pk=bill.pk))
    assert Document.objects.get(pk=bill.document_id).transaction_amount == Decimal(22000)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.png", b"not an image at all"),
        ("bill.pdf", b"%PDF-1.4 broken"),
        ("bill.exe", b"MZ\x90\x00"),
        ("bill.csv", b"a,b\n1,2\n"),
        ("empty.pdf", b""),
    ],
)
def test_unreadable_files_refused(org, vendor, name, data):
    bill = save_bill(org, vendor)
    with pytest.raises(ServiceError) as info:
        services.attach_bill_document(
            company=org.company, actor=org.clerk.user, membership=org.clerk, bill=bill, name=name, data=data
        )
    assert "file" in info.value.field_errors
    bill.refresh_from_db()
    assert bill.document_id is None and not Document.objects.exists()


def test_oversized_file_refused(org, vendor, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1000
    bill = save_bill(org, vendor)
    with pytest.raises(ServiceError) as info:
        services.attach_bill_document(
            company=org.company,
            actor=org.clerk.user,
            membership=org.clerk,
            bill=bill,
            name="big.png",
            data=png_bytes(size=(400, 400)) + b"\0" * 2000,
        )
    assert "大きすぎます" in info.value.field_errors["file"][0]


# ------------------------------------------------------------------------------ the approval flow
def test_submit_numbers_without_gaps_and_opens_a_request(org, vendor):
    first = submit(
        org, save_bill(org, vendor, [bill_line(account_code="6310"), bill_line(account_code="6270")])
    )
    second = submit(org, save_bill(org, vendor))
    fy = first.fiscal_year
    assert (first.number, second.number) == (f"PB-{fy}-000001", f"PB-{fy}-000002")
    request = request_of(org, first)
    assert request.amount == Decimal(22000)
    assert request.account_codes == ["6270", "6310"]
    assert request.department_id == org.sales.pk
    assert request.url == f"/purchasing/bills/{first.pk}/"
    assert first.status == BillStatus.SUBMITTED


def test_a_failed_submission_takes_no_number(org, vendor):
    bill = save_bill(org, vendor, department=org.back)  # 経理部 has no 所属長: no route can start
    with pytest.raises(ServiceError):
        submit(org, bill)
    bill.refresh_from_db()
    assert bill.number == "" and bill.status == BillStatus.DRAFT
    assert not ApprovalRequest.objects.exists()
    ok = submit(org, save_bill(org, vendor))
    assert ok.number.endswith("-000001")


def test_end_to_end_submit_manager_accounting_posted(org, vendor):
    bill = submit(org, save_bill(org, vendor, [bill_line(amount="11000")]))
    decide(org, bill, org.manager)
    bill.refresh_from_db()
    assert bill.status == BillStatus.SUBMITTED and bill.journal_entry_id is None
    decide(org, bill, org.accountant)
    bill.refresh_from_db()
    assert bill.status == BillStatus.APPROVED
    assert bill.approved_at is not None
    entry = JournalEntry.objects.get(pk=bill.journal_entry_id)
    assert entry.status == JournalEntry.Status.POSTED
    assert (entry.source_type, entry.source_id) == ("purchasing.bill", str(bill.pk))
    assert entry.source_repr == f"{bill.number} 株式会社山田商事"
    assert entry.date == bill.bill_date
    assert AuditEvent.objects.filter(
        company=org.company, object_type="purchasing.vendorbill", object_id=str(bill.pk), action="approve"
    ).exists()


def test_the_registrar_cannot_approve_their_own_bill(org, vendor):
    bill = submit(org, save_bill(org, vendor))
    decide(org, bill, org.manager)
    with pytest.raises(PermissionDeniedError):
        decide(org, bill, org.clerk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.SUBMITTED and bill.journal_entry_id is None
    assert not JournalEntry.objects.filter(source_type="purchasing.bill").exists()


def test_send_back_edit_and_resubmit(org, vendor):
    bill = submit(org, save_bill(org, vendor))
    number = bill.number
    decide(org, bill, org.manager, fn="send_back", reason="金額を確認してください")
    bill.refresh_from_db()
    assert bill.status == BillStatus.RETURNED and bill.is_editable
    bill = save_bill(org, vendor, [bill_line(amount="9900")], bill=bill)
    bill = submit(org, bill)
    assert bill.number == number and bill.status == BillStatus.SUBMITTED
    request = request_of(org, bill)
    assert request.round == 2 and request.amount == Decimal(9900)
    decide(org, bill, org.manager)
    decide(org, bill, org.accountant)
    bill.refresh_from_db()
    assert bill.status == BillStatus.APPROVED and bill.total == Decimal(9900)


def test_reject_posts_nothing(org, vendor):
    bill = submit(org, save_bill(org, vendor))
    decide(org, bill, org.manager, fn="reject", reason="重複した請求書です")
    bill.refresh_from_db()
    assert bill.status == BillStatus.REJECTED and bill.journal_entry_id is None
    assert not JournalEntry.objects.filter(source_type="purchasing.bill").exists()


def test_withdraw_keeps_the_number(org, vendor):
    bill = submit(org, save_bill(org, vendor))
    bill = services.withdraw_bill(company=org.company, actor=org.clerk.user, membership=org.clerk, bill=bill)
    assert bill.status == BillStatus.WITHDRAWN and bill.number
    with pytest.raises(ServiceError):
        submit(org, bill)


def test_withdraw_only_while_waiting(org, vendor):
    bill = save_bill(org, vendor)
    with pytest.raises(ServiceError):
        services.withdraw_bill(company=org.company, actor=org.clerk.user, membership=org.clerk, bill=bill)


def test_approved_bill_cannot_be_submitted_again(org, vendor):
    from .conftest import approved_bill

    bill = approved_bill(org, vendor)
    with pytest.raises(ServiceError) as info:
        submit(org, bill)
    assert info.value.code == "bad_state"
