"""File downloads: every request is checked against what the membership may read; the URLs carry
only ids (never a storage path), and served files carry headers that stop the browser from running
them."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin

from ennoshita.core.web import membership_required

from . import selectors
from .files import PREVIEWABLE
from .storage import open_blob

# No script runs in a served file; PDFs and images still render in the browser (and in our iframe).
INLINE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; "
    "plugin-types application/pdf; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
)
ATTACHMENT_CSP = "default-src 'none'; sandbox"


def _serve(request: HttpRequest, pk: int, number: int, *, inline: bool) -> HttpResponse:
    document = selectors.get_document(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        document_id=pk,
    )
    version = selectors.get_version(document=document, number=number)
    if inline and version.content_type not in PREVIEWABLE:
        raise Http404
    return version_response(version, name=document.name, inline=inline)


def version_response(version: Any, *, inline: bool = False, name: str = "") -> HttpResponse:
    """A stored file version as the answer to a request that another check already admitted (this
    app's own pages, and other apps serving the files filed for them). Shown in the browser only
    when asked and the type is safe to preview, otherwise a download; never sniffed, never cached,
    and no script in it runs."""
    inline = inline and version.content_type in PREVIEWABLE
    response = HttpResponse(open_blob(version.sha256), content_type=version.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(not inline, name or version.original_name) or ""
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP if inline else ATTACHMENT_CSP
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(version.size)
    return response


@membership_required
def download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _serve(request, pk, number, inline=False)


@xframe_options_sameorigin
@membership_required
def inline(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _serve(request, pk, number, inline=True)
