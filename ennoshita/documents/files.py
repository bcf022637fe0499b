"""What may be uploaded, and the text inside it for search.

Bad input gets a clear message on the ``file`` field and nothing is stored: over the size limit,
forbidden types (programs, scripts, HTML, SVG), names with path separators or control characters,
empty files, PDFs that cannot be read.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError

ALLOWED: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ppt": "application/vnd.ms-powerpoint",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "txt": "text/plain",
    "md": "text/markdown",
    "json": "application/json",
    "zip": "application/zip",
}
# Shown inline in the browser (preview); everything else is a download.
PREVIEWABLE = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
_MAGIC_EXECUTABLE = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def _fail(message: str) -> ServiceError:
    return ServiceError(message, code="bad_file", field_errors={"file": [message]})


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str


def clean_name(name: str) -> str:
    """NFC, trimmed; refuses path separators and control characters instead of rewriting them."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise _fail(_("ファイル名がありません。"))
    if _BAD_NAME.search(name) or name in {".", ".."}:
        raise _fail(
            _("ファイル名に使えない文字(/ \\ や制御文字)が含まれています: %(name)s") % {"name": name[:80]}
        )
    if len(name) > 255:
        raise _fail(_("ファイル名は255文字以内にしてください。"))
    return name


def check_file(name: str, data: bytes) -> CheckedFile:
    name = clean_name(name)
    if not data:
        raise _fail(_("空のファイル(0バイト)は登録できません: %(name)s") % {"name": name})
    limit = max_upload_bytes()
    if len(data) > limit:
        raise _fail(
            _("ファイルが大きすぎます(%(size)s MB)。上限は %(limit)s MB です。")
            % {"size": f"{len(data) / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise _fail(
            _(
                "この種類のファイルは登録できません(.%(ext)s)。PDF・画像・Excel・Word・CSV・テキストなどを登録できます。"
            )
            % {"ext": ext or "?"}
        )
    if data.startswith(_MAGIC_EXECUTABLE):
        raise _fail(_("実行ファイルやスクリプトは登録できません: %(name)s") % {"name": name})
    if ext == "pdf":
        _check_pdf(name, data)
    return CheckedFile(name=name, content_type=ALLOWED[ext], extension=ext)


def _check_pdf(name: str, data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise _fail(_("PDF として読めません(壊れているか、PDF ではありません): %(name)s") % {"name": name})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) == 0:
            raise ValueError("no pages")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _fail(
            _("PDF として読めません(壊れているか、PDF ではありません): %(name)s") % {"name": name}
        ) from exc


def extract_text(extension: str, data: bytes, *, limit: int = 500_000) -> str:
    """Text for search, best effort: PDF (pypdf), text and CSV (UTF-8 or Shift_JIS), xlsx, docx.

    A file whose text cannot be read is still stored; it is then found by name, tag and metadata.
    """
    try:
        if extension == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            text = "\n".join((page.extract_text() or "") for page in reader.pages)
        elif extension in {"txt", "csv", "tsv", "md", "json"}:
            text = _decode_text(data)
        elif extension == "xlsx":
            text = _xlsx_text(data)
        elif extension in {"docx", "pptx"}:
            text = _ooxml_text(data)
        else:
            return ""
    except Exception:
        return ""
    return text[:limit]


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def _ooxml_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [
            n
            for n in z.namelist()
            if n.startswith(("word/document", "ppt/slides/slide")) and n.endswith(".xml")
        ]
        xml = " ".join(z.read(n).decode("utf-8", errors="replace") for n in names)
    return re.sub(r"<[^>]+>", " ", xml)
