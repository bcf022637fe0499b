"""督促: a reminder lists the customer's overdue invoices as they stood (a snapshot), escalates its
level, is printed as a polite letter, filed in 文書 and e-mailed; nothing is written when it is
refused, and another company's objects are not found."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents.models import Document
from ennoshita.sales import pdf
from ennoshita.sales.models import Customer, Invoice, Reminder
from ennoshita.sales.selectors import reminders as selectors
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation, record_payment
from ennoshita.sales.services.reminders import create_reminder, send_reminder

from ..conftest import make_member

AS_OF = date(2026, 9, 15)


def make_customer(company, code="C1", name="株式会社遅払", email="shiharai@example.jp") -> Customer:
    return Customer.objects.create(company=company, code=code, name=name, name_key=name, email=email)


def issue(company, member, customer, day, due, amount, description="作業") -> Invoice:
    draft = save_invoice_draft(
        company=company,
        actor=member.user,
        membership=member,
        customer=customer,
        date=day,
        due_date=due,
        lines=[LineSpec(description, quantity=1, unit_price=amount, tax="S10")],
    )
    return issue_invoice(company=company, actor=member.user, membership=member, invoice=draft)


@pytest.fixture
def customer(books, company):
    return make_customer(company)


def make_overdue_invoices(company, sales_admin, accountant, customer) -> tuple[Invoice, Invoice, Invoice]:
    """A: 11,000 due 6/30, open. B: 33,000 due 7/31, 10,000 paid. C: due 9/30, not yet overdue."""
    a = issue(company, sales_admin, customer, date(2026, 6, 10), date(2026, 6, 30), 10_000)
    b = issue(company, sales_admin, customer, date(2026, 7, 10), date(2026, 7, 31), 30_000)
    c = issue(company, sales_admin, customer, date(2026, 9, 1), date(2026, 9, 30), 50_000)
    record_payment(
        company=company,
        actor=accountant.user,
        membership=accountant,
        customer=customer,
        date=date(2026, 8, 5),
        amount=10_000,
        allocations=[Allocation(b, 10_000)],
    )
    b.refresh_from_db()
    return a, b, c


@pytest.fixture
def invoices(books, company, sales_admin, accountant, customer):
    return make_overdue_invoices(company, sales_admin, accountant, customer)


def remind(company, member, customer, as_of=AS_OF, level=None) -> Reminder:
    return create_reminder(
        company=company, actor=member.user, membership=member, customer=customer, as_of=as_of, level=level
    )


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


# ------------------------------------------------------------------------------------- create
def test_the_reminder_lists_the_overdue_invoices_as_they_stand(
    company, sales_admin, accountant, customer, invoices
):
    a, b, _c = invoices
    reminder = remind(company, sales_admin, customer)
    assert reminder.level == Reminder.Level.NOTICE and reminder.as_of == AS_OF
    assert reminder.invoices == [
        {
            "id": a.pk,
            "number": a.number,
            "date": "2026-06-10",
            "due_date": "2026-06-30",
            "total": 11000,
            "open_amount": 11000,
        },
        {
            "id": b.pk,
            "number": b.number,
            "date": "2026-07-10",
            "due_date": "2026-07-31",
            "total": 33000,
            "open_amount": 23000,
        },
    ]
    assert reminder.total == 34000 and reminder.created_by == sales_admin.user and reminder.sent_to == ""
    # audited
    event = AuditEvent.objects.get(company=company, object_type="sales.reminder", object_id=str(reminder.pk))
    assert event.action == "create"
    # the snapshot stays as it was when the invoice is paid afterwards
    record_payment(
        company=company,
        actor=accountant.user,
        membership=accountant,
        customer=customer,
        date=date(2026, 9, 20),
        amount=11_000,
        allocations=[Allocation(a, 11_000)],
    )
    again = Reminder.objects.get(pk=reminder.pk)
    assert again.invoices[0]["open_amount"] == 11000 and again.total == 34000
    # and the next reminder lists what is still open
    later = remind(company, sales_admin, customer, as_of=date(2026, 10, 5))
    assert [item["number"] for item in later.invoices] == [b.number, _c.number]
    assert later.total == 23000 + 55000


def test_the_pdf_is_filed_in_the_reminders_folder(company, sales_admin, customer, invoices):
    reminder = remind(company, sales_admin, customer)
    document = Document.objects.get(pk=reminder.pdf_document_id)
    assert Reminder.objects.get(pk=reminder.pk).pdf_document_id == document.pk
    assert document.folder.name == "督促状" and document.name.endswith(f"_{reminder.pk}.pdf")
    assert document.is_transaction_record and document.document_type == "invoice"
    assert document.transaction_amount == 34000 and document.transaction_date == AS_OF
    assert document.counterparty == "株式会社遅払"
    from ennoshita.documents.access import access_for

    for roles in (["accounting"], ["finance"], ["sales_admin"]):
        member = make_member(company, f"reader-{roles[0]}", roles)
        assert access_for(member).can_read_document(document.pk, document.folder_id)
    hr = make_member(company, "jinji", ["hr"])
    assert not access_for(hr).can_read_document(document.pk, document.folder_id)
    # a second reminder is a second document in the same folder
    second = remind(company, sales_admin, customer, as_of=date(2026, 9, 30))
    assert second.pdf_document_id != reminder.pdf_document_id
    assert Document.objects.filter(company=company, folder=document.folder).count() == 2


def test_the_level_escalates_within_60_days_and_stops_at_the_final_one(
    company, sales_admin, customer, invoices
):
    levels = [
        remind(company, sales_admin, customer, as_of=day).level
        for day in (date(2026, 9, 15), date(2026, 10, 1), date(2026, 10, 20), date(2026, 11, 10))
    ]
    assert levels == [1, 2, 3, 3]
    # more than 60 days after the last one: start again
    assert remind(company, sales_admin, customer, as_of=date(2027, 1, 10)).level == 1
    # 60 days exactly still escalates
    assert remind(company, sales_admin, customer, as_of=date(2027, 3, 11)).level == 2
    # a level chosen by hand is kept
    assert remind(company, sales_admin, customer, as_of=date(2027, 3, 12), level=1).level == 1


def test_an_unknown_level_is_refused(company, sales_admin, customer, invoices):
    with pytest.raises(ServiceError) as caught:
        remind(company, sales_admin, customer, level=4)
    assert "level" in caught.value.field_errors
    assert not Reminder.objects.filter(company=company).exists()


def test_nothing_overdue_is_refused_and_nothing_written(company, sales_admin, customer, invoices):
    # on the due date itself the invoice is not overdue yet
    with pytest.raises(ServiceError) as caught:
        remind(company, sales_admin, customer, as_of=date(2026, 6, 30))
    assert caught.value.code == "nothing_overdue"
    assert "期日を過ぎた未回収の請求書がない" in caught.value.message
    assert "株式会社遅払" in caught.value.message
    quiet = make_customer(company, code="C2", name="株式会社期日内")
    with pytest.raises(ServiceError):
        remind(company, sales_admin, quiet)
    assert not Reminder.objects.filter(company=company).exists()
    assert not Document.objects.filter(company=company).exists()
    assert not AuditEvent.objects.filter(company=company, object_type="sales.reminder").exists()


# ------------------------------------------------------------------------------------- PDF
def test_the_letter_lists_numbers_amounts_total_and_asks_politely(company, sales_admin, customer, invoices):
    a, b, c = invoices
    reminder = remind(company, sales_admin, customer)
    text = pdf_text(pdf.reminder_pdf(reminder))
    compact = text.replace(" ", "")
    assert a.number in text and b.number in text and c.number not in text
    assert "11,000" in text and "23,000" in text and "33,000" in text
    assert "¥34,000" in text
    assert "お支払いのお願い" in compact and "株式会社遅払御中" in compact
    assert "拝啓" in compact and "敬具" in compact
    assert "ご入金の確認ができておりません" in compact
    assert "お支払いくださいますようお願い申し上げます" in compact
    assert "本状到着後7日以内" not in compact
    # the filed PDF is the reminder's letter too
    assert company.name.replace(" ", "") in compact


def test_the_final_reminder_is_firmer(company, sales_admin, customer, invoices):
    reminder = remind(company, sales_admin, customer, level=3)
    compact = pdf_text(pdf.reminder_pdf(reminder)).replace(" ", "")
    assert "最終督促状" in compact and "本状到着後7日以内" in compact and "法的手続き" in compact
    second = remind(company, sales_admin, customer, as_of=date(2026, 9, 16), level=2)
    compact = pdf_text(pdf.reminder_pdf(second)).replace(" ", "")
    assert "督促状" in compact and "最終督促状" not in compact and "至急ご確認" in compact


# ------------------------------------------------------------------------------------- e-mail
def test_sending_mails_the_pdf_and_records_the_address(company, sales_admin, customer, invoices):
    a, b, _c = invoices
    reminder = remind(company, sales_admin, customer)
    sent = send_reminder(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        reminder=reminder,
        to=" shiharai@example.jp ",
    )
    assert sent.sent_to == "shiharai@example.jp"
    assert Reminder.objects.get(pk=reminder.pk).sent_to == "shiharai@example.jp"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["shiharai@example.jp"]
    assert message.subject == f"【{company.name}】お支払いのお願い"
    assert a.number in message.body and b.number in message.body and "¥34,000" in message.body
    assert (
        "株式会社遅払 御中" in message.body and "お支払いくださいますようお願い申し上げます" in message.body
    )
    name, data, mime = message.attachments[0]
    assert mime == "application/pdf" and name.endswith(".pdf") and data.startswith(b"%PDF")
    assert a.number in pdf_text(data)
    event = AuditEvent.objects.get(company=company, object_type="sales.reminder", action="send")
    assert event.object_id == str(reminder.pk)


def test_the_default_text_follows_the_level_and_can_be_replaced(company, sales_admin, customer, invoices):
    first = remind(company, sales_admin, customer)
    second = remind(company, sales_admin, customer, as_of=date(2026, 10, 1))
    final = remind(company, sales_admin, customer, as_of=date(2026, 10, 15))
    for reminder in (first, second, final):
        send_reminder(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            reminder=reminder,
            to="a@example.jp",
        )
    subjects = [m.subject for m in mail.outbox]
    bodies = [m.body for m in mail.outbox]
    assert len(set(subjects)) == 3 and len(set(bodies)) == 3
    assert "再度のお願い" in subjects[1] and "至急ご確認" in bodies[1]
    assert "最終" in subjects[2] and "7日以内" in bodies[2] and "7日以内" not in bodies[0]
    send_reminder(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        reminder=first,
        to="b@example.jp",
        subject="お支払いの件",
        message="ご確認ください。",
    )
    assert mail.outbox[-1].subject == "お支払いの件" and mail.outbox[-1].body == "ご確認ください。"


def test_a_bad_address_sends_and_records_nothing(company, sales_admin, customer, invoices):
    reminder = remind(company, sales_admin, customer)
    with pytest.raises(ServiceError) as caught:
        send_reminder(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            reminder=reminder,
            to="not-an-address",
        )
    assert "to" in caught.value.field_errors
    assert mail.outbox == [] and Reminder.objects.get(pk=reminder.pk).sent_to == ""


def test_when_the_mail_cannot_go_nothing_is_recorded(settings, company, sales_admin, customer, invoices):
    reminder = remind(company, sales_admin, customer)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with pytest.raises(ServiceError) as caught:
        send_reminder(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            reminder=reminder,
            to="a@example.jp",
        )
    assert "メールを送信できませんでした" in caught.value.message
    assert Reminder.objects.get(pk=reminder.pk).sent_to == ""
    assert not AuditEvent.objects.filter(
        company=company, object_type="sales.reminder", action="send"
    ).exists()


# ------------------------------------------------------------------------------------- permissions
def test_only_writers_make_and_send_reminders(company, sales_admin, customer, invoices):
    finance = make_member(company, "zaimu", ["finance"])
    manager = make_member(company, "bucho", ["manager"])
    for member in (finance, manager):
        with pytest.raises(PermissionDeniedError):
            remind(company, member, customer)
    assert not Reminder.objects.filter(company=company).exists()
    reminder = remind(company, sales_admin, customer)
    with pytest.raises(PermissionDeniedError):
        send_reminder(
            company=company, actor=finance.user, membership=finance, reminder=reminder, to="a@example.jp"
        )
    assert mail.outbox == [] and Reminder.objects.get(pk=reminder.pk).sent_to == ""
    # readers see them; other roles do not
    assert list(selectors.company_reminders(company=company, membership=finance)) == [reminder]
    assert selectors.get_reminder(company=company, membership=manager, reminder_id=reminder.pk) == reminder
    employee = make_member(company, "shain", ["employee"])
    with pytest.raises(PermissionDeniedError):
        selectors.company_reminders(company=company, membership=employee)
    with pytest.raises(PermissionDeniedError):
        selectors.overdue_customers(company=company, as_of=AS_OF, membership=employee)


def test_another_companys_objects_are_not_found(
    company, sales_admin, customer, invoices, other_company, outsider
):
    reminder = remind(company, sales_admin, customer)
    there = make_member(other_company, "yoso-eigyo", ["sales_admin"])
    with pytest.raises(NotFound):
        selectors.get_reminder(company=other_company, membership=there, reminder_id=reminder.pk)
    with pytest.raises(NotFound):
        selectors.get_reminder(company=company, membership=sales_admin, reminder_id="x")
    with pytest.raises(NotFound):
        create_reminder(
            company=other_company, actor=there.user, membership=there, customer=customer, as_of=AS_OF
        )
    with pytest.raises(NotFound):
        send_reminder(
            company=other_company, actor=there.user, membership=there, reminder=reminder, to="a@example.jp"
        )
    with pytest.raises(NotFound):
        selectors.customer_reminders(company=other_company, customer=customer)
    assert list(selectors.company_reminders(company=other_company)) == []
    assert selectors.overdue_customers(company=other_company, as_of=AS_OF) == []
    assert Reminder.objects.count() == 1 and mail.outbox == []


# ------------------------------------------------------------------------------------- selectors
def test_customers_with_overdue_invoices_and_their_last_reminder(company, sales_admin, customer, invoices):
    other = make_customer(company, code="C0", name="株式会社先頭")
    issue(company, sales_admin, other, date(2026, 8, 1), date(2026, 8, 31), 1_000)
    make_customer(company, code="C9", name="株式会社期日内")
    first = remind(company, sales_admin, customer, as_of=date(2026, 9, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.overdue_customers(company=company, as_of=AS_OF, membership=sales_admin)
    assert len(queries) == 3
    assert [r.customer.code for r in rows] == ["C0", "C1"]
    head, ours = rows
    assert (head.count, head.total, head.oldest_due, head.last, head.next_level) == (
        1,
        1100,
        date(2026, 8, 31),
        None,
        1,
    )
    assert (ours.count, ours.total, ours.oldest_due, ours.last, ours.next_level) == (
        2,
        34000,
        date(2026, 6, 30),
        first,
        2,
    )
    second = remind(company, sales_admin, customer, as_of=AS_OF)
    assert selectors.overdue_customers(company=company, as_of=AS_OF)[1].last == second
    assert list(selectors.customer_reminders(company=company, customer=customer)) == [second, first]
    assert list(selectors.company_reminders(company=company)) == [second, first]
