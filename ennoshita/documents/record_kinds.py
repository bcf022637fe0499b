"""A document of the documents app that a work request names (core.records): the file to enter,
file or check. Its card carries the document itself, so opening it is granted with the request."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company
from ennoshita.core.records import RecordCard, RecordKind, register_kind

SEARCH_LIMIT = 20


def _document(company: Company, object_id: str) -> RecordCard | None:
    from .models import Document

    d = (
        Document.objects.for_company(company)
        .filter(pk=int(object_id), trashed_at__isnull=True)
        .select_related("folder", "current_version")
        .first()
        if object_id.isdigit()
        else None
    )
    if d is None:
        return None
    version = d.current_version
    return RecordCard(
        object_type="documents.document",
        object_id=str(d.pk),
        title=d.name,
        fields=[
            (str(_("ファイル名")), d.name),
            (str(_("フォルダ")), d.folder.name),
            (str(_("版")), str(version.number) if version else ""),
            (
                str(_("更新日時")),
                date_format(version.uploaded_at, "SHORT_DATETIME_FORMAT") if version else "",
            ),
        ],
        documents=[(d.pk, d.name)],
    )


def _search_documents(company: Company, text: str) -> list[tuple[str, str]]:
    from .models import Document

    rows = Document.objects.for_company(company).filter(name__icontains=text, trashed_at__isnull=True)
    return [(str(pk), name) for pk, name in rows.order_by("-pk").values_list("pk", "name")[:SEARCH_LIMIT]]


def register() -> None:
    register_kind(
        RecordKind(
            "documents.document",
            _("文書"),
            _document,
            _search_documents,
            lambda pk: reverse("documents:document", args=[int(pk)]),
        )
    )
