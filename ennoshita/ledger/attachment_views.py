"""証憑: documents attached to a journal entry (through documents' one attachment mechanism, which
checks the rights: edit on the entry through ``entry_selectors.entry_attachment_target``, read on
the document)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.errors import ServiceError
from ennoshita.core.web import error_text
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents import selectors as documents_selectors
from ennoshita.documents import services as documents_services

from . import entry_selectors
from .forms import AttachDocumentForm
from .views import writer


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("ledger:entry_detail", args=[pk]) + "#attachments")


@require_POST
@writer
def entry_attach(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    entry = entry_selectors.get_entry(company=company, entry_id=pk)
    form = AttachDocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("添付する文書を選んでください。"))
        return _back(entry.pk)
    try:
        document = documents_selectors.get_document(
            company=company, membership=membership, document_id=form.cleaned_data["document"]
        )
        documents_services.attach(
            **ctx(request),
            document=document,
            object_type=entry_selectors.ATTACHMENT_TYPE,
            object_id=str(entry.pk),
        )
    except ServiceError as exc:  # an id typed by hand that names no readable document
        messages.error(request, error_text(exc))
        return _back(entry.pk)
    messages.success(request, _("「%(name)s」を添付しました。") % {"name": document.name})
    return _back(entry.pk)


@require_POST
@writer
def entry_detach(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    entry = entry_selectors.get_entry(company=company, entry_id=pk)
    attachment = documents_selectors.get_attachment(company=company, attachment_id=attachment_id)
    if attachment.object_type != entry_selectors.ATTACHMENT_TYPE or attachment.object_id != str(entry.pk):
        raise Http404
    documents_services.detach(**ctx(request), attachment_id=attachment.pk)
    messages.success(request, _("添付を外しました。"))
    return _back(entry.pk)
