"""Screens of 督促: the customers with overdue invoices (each with their last reminder and a button
to make the next one), a reminder with its invoices, its PDF, and sending it by e-mail.

Reading takes a role of ``permissions.READ_ROLES``; making and sending one of ``WRITE_ROLES``
(the services check it again).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.audit import object_type_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import error_text
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import pdf
from .document_forms import ReceivableDateForm
from .document_views import page_of, pdf_response, perms, reader, status_of, writer
from .models import Reminder
from .reminder_forms import ReminderCreateForm, ReminderSendForm
from .selectors import documents as doc_selectors
from .selectors import reminders as selectors
from .services import reminders as services


def _as_of(request: HttpRequest) -> tuple[ReceivableDateForm, date]:
    form = ReceivableDateForm(request.GET or None, initial={"as_of": timezone.localdate()})
    day = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("as_of")
    return form, day or timezone.localdate()


def _list_url(as_of: Any = None) -> str:
    url = reverse("sales:reminder_list")
    return f"{url}?{urlencode({'as_of': as_of.isoformat()})}" if isinstance(as_of, date) else url


@reader
def reminder_list(request: HttpRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    rows = selectors.overdue_customers(**read(request), as_of=as_of)
    recent = page_of(request, selectors.company_reminders(**read(request)))
    context = {
        "form": form,
        "as_of": as_of,
        "rows": rows,
        "levels": Reminder.Level.choices,
        "page_obj": recent,
        **perms(request),
    }
    return render(request, "sales/reminders/reminder_list.html", context, status=status_of(form))


@require_POST
@writer
def reminder_new(request: HttpRequest) -> HttpResponse:
    form = ReminderCreateForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join([_("督促状を作成できません。"), *errors]))
        return redirect(_list_url())
    data = form.cleaned_data
    customer = doc_selectors.get_customer(company=request.company, customer_id=data["customer"])  # type: ignore[attr-defined]
    try:
        reminder = services.create_reminder(
            **ctx(request), customer=customer, as_of=data["as_of"], level=data.get("level")
        )
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect(_list_url(data["as_of"]))
    messages.success(
        request,
        _("%(customer)s 宛ての%(level)sを作成しました(%(count)s件、%(total)s円)。")
        % {
            "customer": customer.name,
            "level": reminder.get_level_display(),
            "count": len(reminder.invoices),
            "total": f"{reminder.total:,}",
        },
    )
    return redirect("sales:reminder_detail", pk=reminder.pk)


def _items(reminder: Reminder) -> list[dict[str, Any]]:
    """The invoices listed on the reminder, with their dates as dates and the days late."""
    rows = []
    for item in reminder.invoices:
        due = date.fromisoformat(item["due_date"]) if item.get("due_date") else None
        rows.append(
            {
                **item,
                "date": date.fromisoformat(item["date"]) if item.get("date") else None,
                "due_date": due,
                "days_late": (reminder.as_of - due).days if due else None,
            }
        )
    return rows


@reader
def reminder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = selectors.get_reminder(**read(request), reminder_id=pk)
    company = request.company  # type: ignore[attr-defined]
    context = {
        "reminder": reminder,
        "items": _items(reminder),
        "document_url": (
            reverse("documents:document", args=[reminder.pdf_document_id])
            if reminder.pdf_document_id
            else None
        ),
        "others": list(
            selectors.customer_reminders(company=company, customer=reminder.customer).exclude(pk=reminder.pk)[
                :20
            ]
        ),
        "events": list(
            core_selectors.audit_events_for_object(
                company=company, object_type=object_type_of(Reminder), object_id=str(reminder.pk)
            )
        ),
        **perms(request),
    }
    return render(request, "sales/reminders/reminder_detail.html", context)


@reader
def reminder_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = selectors.get_reminder(**read(request), reminder_id=pk)
    return pdf_response(
        request, pdf.reminder_pdf(reminder), f"reminder-{reminder.as_of:%Y%m%d}-{reminder.pk}"
    )


@writer
def reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = selectors.get_reminder(**read(request), reminder_id=pk)
    company = request.company  # type: ignore[attr-defined]
    if request.method == "POST":
        form = ReminderSendForm(request.POST)
        if form.is_valid():
            try:
                services.send_reminder(**ctx(request), reminder=reminder, **form.cleaned_data)
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request, _("%(to)s に督促状を送信しました。") % {"to": form.cleaned_data["to"]}
                )
                return redirect("sales:reminder_detail", pk=reminder.pk)
    else:
        form = ReminderSendForm(
            initial={
                "to": reminder.sent_to or reminder.customer.email,
                "subject": services.default_subject(company=company, reminder=reminder),
                "message": services.default_message(company=company, reminder=reminder),
            }
        )
    context = {"reminder": reminder, "form": form}
    return render(request, "sales/reminders/reminder_send.html", context, status=status_of(form))
