"""督促: reminding a customer of their overdue invoices, by a letter (PDF) or an e-mail with it.

A reminder lists, as they stood on its date (``as_of``), the customer's issued invoices still open
after their due date; that list is kept on the reminder (a snapshot) and printed from it, so the
letter reads the same later whatever was paid since. Its level escalates (お支払いのお願い → 督促 →
最終督促: ``selectors.reminders.suggested_level``). The PDF is filed in 文書 (folder 「督促状」, read
by 営業事務・経理・財務). Sending e-mails the PDF and records the address; when the mail cannot be
handed over, nothing is recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.money import format_yen
from ennoshita.core.permissions import require_role
from ennoshita.documents import services as document_services
from ennoshita.sales import pdf
from ennoshita.sales.models import Customer, Reminder
from ennoshita.sales.permissions import WRITE_ROLES
from ennoshita.sales.selectors import reminders as selectors

FOLDER = "督促状"  # the documents folder of reminders, read by these roles:
FOLDER_ROLES = (Role.SALES_ADMIN, Role.ACCOUNTING, Role.FINANCE)
# 電子帳簿保存法's kinds of document have no 督促状; a reminder asks for the payment of invoices,
# so it is filed as the closest kind, 請求書.
DOCUMENT_TYPE = "invoice"
FIELDS = ("customer", "level", "as_of", "invoices", "total", "sent_to", "pdf_document_id")


def file_name(reminder: Reminder) -> str:
    safe = "".join(ch for ch in reminder.customer.name if ch not in '\\/:*?"<>|')[:60]
    label = reminder.get_level_display()
    return f"{reminder.as_of:%Y%m%d}_{label}_{safe}_{reminder.pk}.pdf"


def _searchable_text(reminder: Reminder) -> str:
    numbers = " ".join(str(item.get("number", "")) for item in reminder.invoices)
    return " ".join(
        part for part in (str(reminder.get_level_display()), reminder.customer.name, numbers) if part
    )


@transaction.atomic
def create_reminder(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    as_of: date,
    level: int | None = None,
) -> Reminder:
    """Make a reminder of the customer's invoices overdue on ``as_of`` (issued, still open, due
    before ``as_of``), file its PDF and return it. ``level`` defaults to one more than the
    customer's recent last reminder (``selectors.reminders.suggested_level``)."""
    require_role(membership, *WRITE_ROLES)
    if customer.company_id != company.pk:
        raise NotFound()
    if not isinstance(as_of, date):
        raise ServiceError(
            _("基準日を入力してください。"),
            code="validation",
            field_errors={"as_of": [_("基準日を入力してください。")]},
        )
    if level is None:
        level = selectors.suggested_level(
            selectors.last_reminder(company=company, customer=customer, as_of=as_of), as_of
        )
    if level not in Reminder.Level.values:
        raise ServiceError(
            _("段階が正しくありません。"),
            code="validation",
            field_errors={
                "level": [_("1(お支払いのお願い)・2(督促)・3(最終督促)のいずれかを選んでください。")]
            },
        )
    invoices = selectors.overdue_of_customer(company=company, customer=customer, as_of=as_of)
    if not invoices:
        raise ServiceError(
            _(
                "%(customer)s には %(date)s 時点で支払期日を過ぎた未回収の請求書がないため、督促状は作成できません。"
            )
            % {"customer": customer.name, "date": as_of.isoformat()},
            code="nothing_overdue",
        )
    items = [
        {
            "id": inv.pk,
            "number": inv.number,
            "date": inv.date.isoformat(),
            "due_date": inv.due_date.isoformat() if inv.due_date else None,
            "total": int(inv.total),
            "open_amount": int(inv.open_amount),
        }
        for inv in invoices
    ]
    reminder = Reminder(
        company=company,
        customer=customer,
        level=level,
        as_of=as_of,
        invoices=items,
        total=sum((inv.open_amount for inv in invoices), Decimal(0)),
        created_by=actor,
    )
    reminder.full_clean()
    reminder.save()
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=FOLDER,
        roles=FOLDER_ROLES,
        name=file_name(reminder),
        data=pdf.reminder_pdf(reminder),
        transaction_date=as_of,
        transaction_amount=reminder.total,
        counterparty=customer.name,
        document_type=DOCUMENT_TYPE,
        text=_searchable_text(reminder),
    )
    reminder.pdf_document_id = document.pk
    Reminder.objects.filter(pk=reminder.pk).update(pdf_document_id=document.pk)
    record_event(
        company=company, actor=actor, action="create", instance=reminder, after=snapshot(reminder, FIELDS)
    )
    return reminder


# ------------------------------------------------------------------------------------- e-mail
def default_subject(*, company: Company, reminder: Reminder) -> str:
    if reminder.level >= Reminder.Level.FINAL:
        text = _("【重要】【%(company)s】お支払いについての最終のご案内")
    elif reminder.level == Reminder.Level.REMINDER:
        text = _("【%(company)s】お支払いについての再度のお願い")
    else:
        text = _("【%(company)s】お支払いのお願い")
    return text % {"company": company.name}


def default_message(*, company: Company, reminder: Reminder) -> str:
    """The polite body of the mail, firmer as the level rises, with the invoices listed."""
    listing = "\n".join(
        _("・請求書番号 %(number)s(支払期日 %(due)s) 未払額 %(amount)s")
        % {
            "number": item.get("number", ""),
            "due": item.get("due_date") or "—",
            "amount": format_yen(item.get("open_amount") or 0),
        }
        for item in reminder.invoices
    )
    if reminder.level >= Reminder.Level.FINAL:
        body = _(
            "これまで再三にわたりご案内を差し上げておりますが、下記の請求書につきまして、"
            "本日現在、いまだご入金の確認ができておりません。\n"
            "つきましては、本メール到着後7日以内にお支払いくださいますよう、重ねてお願い申し上げます。\n"
            "期限までにお支払いまたはご連絡をいただけない場合は、誠に不本意ながら、"
            "法的手続きを含めた措置を検討させていただくことになりますので、あらかじめご承知おきください。"
        )
    elif reminder.level == Reminder.Level.REMINDER:
        body = _(
            "先日お支払いのお願いをお送りいたしました下記の請求書につきまして、"
            "本日現在、まだご入金の確認ができておりません。\n"
            "ご多忙のところ誠に恐縮ですが、至急ご確認のうえ、お支払いくださいますようお願い申し上げます。\n"
            "ご事情がおありの場合は、お手数ですがご連絡くださいますようお願いいたします。"
        )
    else:
        body = _(
            "下記の請求書につきまして、お支払期日を過ぎておりますが、本日現在、ご入金の確認ができておりません。\n"
            "お手数をおかけいたしますが、ご確認のうえ、お支払いくださいますようお願い申し上げます。"
        )
    return _(
        "%(customer)s\n\n"
        "いつも大変お世話になっております。%(company)sでございます。\n\n"
        "%(body)s\n\n"
        "%(listing)s\n"
        "未払いの合計 %(total)s\n\n"
        "詳しくは添付の書面をご覧ください。\n"
        "なお、本メールと行き違いにお支払いいただいている場合は、悪しからずご容赦ください。\n\n"
        "%(company)s"
    ) % {
        "customer": reminder.customer.addressee,
        "company": company.name,
        "body": body,
        "listing": listing,
        "total": format_yen(reminder.total),
    }


def _locked(company: Company, reminder: Reminder) -> Reminder:
    found = Reminder.objects.for_company(company).select_for_update().filter(pk=reminder.pk).first()
    if found is None:
        raise NotFound()
    return Reminder.objects.select_related("customer", "company").get(pk=found.pk)


@transaction.atomic
def send_reminder(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    reminder: Reminder,
    to: str,
    subject: str = "",
    message: str = "",
) -> Reminder:
    """E-mail the reminder with its PDF attached and record the address it went to. When the mail
    cannot be handed over, nothing is recorded."""
    require_role(membership, *WRITE_ROLES)
    reminder = _locked(company, reminder)
    address = (to or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError(
            _("送付できません。"),
            code="validation",
            field_errors={"to": [_("メールアドレスが正しくありません。")]},
        ) from None
    data = pdf.reminder_pdf(reminder)  # printed from the reminder's snapshot, as the filed one
    mail = EmailMessage(
        subject=(subject.strip() or default_subject(company=company, reminder=reminder))[:200],
        body=message.strip() or default_message(company=company, reminder=reminder),
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    mail.attach(file_name(reminder), data, "application/pdf")
    try:
        mail.send(fail_silently=False)
    except OSError as exc:
        raise ServiceError(
            _("メールを送信できませんでした(%(error)s)。時間をおいてもう一度お試しください。")
            % {"error": exc}
        ) from exc
    before = snapshot(reminder, ("sent_to",))
    reminder.sent_to = address[:254]
    Reminder.objects.filter(pk=reminder.pk).update(sent_to=reminder.sent_to)
    record_event(
        company=company,
        actor=actor,
        action="send",
        instance=reminder,
        before=before,
        after=snapshot(reminder, ("sent_to",)),
    )
    return reminder
