"""Sending an issued invoice or credit note by e-mail with its PDF, and keeping that PDF as a
電子取引 record (電子帳簿保存法: an invoice sent as data is kept as data, searchable by 取引年月日,
取引金額 and 取引先; jp-rules.md §7)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.documents import services as document_services
from ennoshita.sales import pdf
from ennoshita.sales.models import Invoice, InvoiceLine, SalesSettings
from ennoshita.sales.permissions import WRITE_ROLES

from .invoices import _locked, record_invoice_sent
from .lines import settings_of

FOLDER = "発行済み請求書"  # the documents folder of issued invoices, read by these roles:
FOLDER_ROLES = (Role.SALES_ADMIN, Role.ACCOUNTING, Role.FINANCE)


def file_name(invoice: Invoice) -> str:
    title = _("返還請求書") if invoice.is_credit else _("請求書")
    safe = "".join(ch for ch in invoice.customer.name if ch not in '\\/:*?"<>|')[:60]
    return f"{invoice.number}_{title}_{safe}.pdf"


def searchable_text(invoice: Invoice, lines: Sequence[InvoiceLine] | None = None) -> str:
    """What search finds in the filed PDF: the words printed on it that people look for."""
    described = " ".join(ln.description for ln in (invoice.lines.all() if lines is None else lines))
    return " ".join(
        part
        for part in (
            invoice.number,
            invoice.customer_name,
            invoice.subject,
            invoice.issuer_name,
            invoice.issuer_registration_number,
            described,
        )
        if part
    )


def store_invoice_pdf(*, company: Company, actor: User, invoice: Invoice, data: bytes | None = None) -> int:
    """File the issued document's PDF (once) and note it on the invoice; returns the document id."""
    if invoice.status != Invoice.Status.ISSUED:
        raise ServiceError(_("発行前の請求書は保存できません。"))
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=FOLDER,
        roles=FOLDER_ROLES,
        name=file_name(invoice),
        data=data if data is not None else pdf.invoice_pdf(invoice),
        transaction_date=invoice.date,
        transaction_amount=invoice.total,
        counterparty=invoice.customer.name,
        document_type="invoice",
        text=searchable_text(invoice),
    )
    if invoice.pdf_document_id != document.pk:
        Invoice.objects.filter(pk=invoice.pk).update(pdf_document_id=document.pk)
        invoice.pdf_document_id = document.pk
    return int(document.pk)


def store_invoice_pdfs(
    *,
    company: Company,
    actor: User,
    invoices: Sequence[tuple[Invoice, Sequence[InvoiceLine]]],
    sales_settings: SalesSettings | None = None,
) -> list[int]:
    """File the PDFs of many just-issued invoices at once (the monthly run), each as
    ``store_invoice_pdf`` files one; returns the document ids in order."""
    if any(invoice.status != Invoice.Status.ISSUED for invoice, _lines in invoices):
        raise ServiceError(_("発行前の請求書は保存できません。"))
    settings_row = sales_settings or settings_of(company)
    documents = document_services.file_generated_documents(
        company=company,
        actor=actor,
        folder_name=FOLDER,
        roles=FOLDER_ROLES,
        files=[
            document_services.GeneratedFile(
                name=file_name(invoice),
                data=pdf.invoice_pdf(invoice, sales_settings=settings_row, lines=lines),
                transaction_date=invoice.date,
                transaction_amount=invoice.total,
                counterparty=invoice.customer.name,
                document_type="invoice",
                text=searchable_text(invoice, lines),
            )
            for invoice, lines in invoices
        ],
    )
    with transaction.get_connection().cursor() as cursor:
        cursor.executemany(
            "UPDATE sales_invoice SET pdf_document_id = %s WHERE id = %s",
            [(d.pk, invoice.pk) for (invoice, _lines), d in zip(invoices, documents, strict=True)],
        )
    for (invoice, _lines), document in zip(invoices, documents, strict=True):
        invoice.pdf_document_id = document.pk
    return [int(d.pk) for d in documents]


@transaction.atomic
def send_invoice(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    invoice: Invoice,
    to: str,
    subject: str = "",
    message: str = "",
) -> Invoice:
    """E-mail the issued invoice with its PDF attached; the PDF is filed as a 電子取引 record and
    the sending (when, to whom, which filed PDF) is recorded on the invoice. When the mail cannot
    be handed over, nothing is recorded."""
    require_role(membership, *WRITE_ROLES)
    invoice = _locked(company, invoice)
    if invoice.status != Invoice.Status.ISSUED:
        raise ServiceError(_("発行前の請求書は送付できません。"))
    address = to.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError(
            _("送付できません。"),
            code="validation",
            field_errors={"to": [_("メールアドレスが正しくありません。")]},
        ) from None
    data = pdf.invoice_pdf(invoice)  # one rendering: the PDF sent is the PDF kept
    document_id = store_invoice_pdf(company=company, actor=actor, invoice=invoice, data=data)
    title = _("返還請求書") if invoice.is_credit else _("請求書")
    mail = EmailMessage(
        subject=(
            subject.strip()
            or _("【%(company)s】%(title)s %(number)s のご送付")
            % {"company": company.name, "title": title, "number": invoice.number}
        )[:200],
        body=message.strip()
        or _(
            "%(customer)s\n\nいつもお世話になっております。%(title)s(%(number)s)をお送りします。\nご確認のほどよろしくお願いいたします。\n\n%(company)s"
        )
        % {
            "customer": invoice.customer_name,
            "title": title,
            "number": invoice.number,
            "company": company.name,
        },
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    mail.attach(file_name(invoice), data, "application/pdf")
    try:
        mail.send(fail_silently=False)
    except OSError as exc:
        raise ServiceError(
            _("メールを送信できませんでした(%(error)s)。時間をおいてもう一度お試しください。")
            % {"error": exc}
        ) from exc
    return record_invoice_sent(
        company=company,
        actor=actor,
        membership=membership,
        invoice=invoice,
        sent_to=address,
        pdf_document_id=document_id,
    )
