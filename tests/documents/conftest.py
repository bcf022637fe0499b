from __future__ import annotations

import pytest

from ennoshita.documents import services


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test stores files in its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


def make_pdf(text: str = "請求書") -> bytes:
    """A small valid PDF without a text layer (enough for type checks)."""
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.add_metadata({"/Title": text})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.fixture
def folder(company, admin):
    return services.create_folder(
        company=company, actor=admin.user, membership=admin, name="経理", parent=None
    )
