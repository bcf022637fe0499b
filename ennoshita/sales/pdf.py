"""The printed sales documents as A4 PDFs: 見積書, 納品書, 請求書 (適格請求書), 返還請求書
(適格返還請求書) and 領収書.

Everything is drawn straight on a ReportLab canvas (no platypus): the layout is computed first
(which rows go on which page, so that 「1 / 3」 is known before drawing), then drawn. A one-page
invoice renders in a few milliseconds once the font is registered (``core.pdf.japanese_font``,
cached). The logo and the seal (印影) of ``SalesSettings`` are decoded once and kept, ready to embed,
in a small LRU keyed by (storage name, modified time); a file that cannot be read is skipped (and
logged once), never breaking the PDF.

What an invoice must show (消費税法57条の4第1項; jp-rules.md §5.2): the issuer's name and 登録番号,
取引年月日, 取引内容 with 軽減税率 items marked ※, 税率ごとに区分した対価の額の合計と適用税率,
税率ごとの消費税額等, and the recipient's name. A credit note (57条の4第3項) shows the 返還等 date,
the invoice it corrects (number and date), the reason, and 返還等対価の額 and its tax per rate.
"""

from __future__ import annotations

import copy
import hashlib
import io
import logging
import math
import threading
import types
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from django.utils.translation import gettext as _
from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from ennoshita.core.dates import to_wareki
from ennoshita.core.money import format_yen
from ennoshita.core.pdf import japanese_font

from . import rules
from .models import (
    TAX_RATES,
    Customer,
    DeliveryNote,
    Invoice,
    InvoiceLine,
    Payment,
    Quote,
    Reminder,
    SalesSettings,
    SalesTax,
)

logger = logging.getLogger(__name__)

# ReportLab wraps every page stream in ASCII85 (a 7-bit transport habit of the 1990s): 25% larger
# files and, without ReportLab's optional C accelerator, ~2 ms of pure-Python encoding per page.
# Binary Flate streams are what every PDF reader expects; this only affects ReportLab's output.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
MARGIN_L = 15 * mm
MARGIN_R = 15 * mm
MARGIN_T = 12 * mm
MARGIN_B = 16 * mm
CONTENT_W = PAGE_W - MARGIN_L - MARGIN_R
RIGHT = PAGE_W - MARGIN_R

GRAY_FILL = colors.HexColor("#eef1f4")
RULE = colors.HexColor("#9aa4ae")
LIGHT_RULE = colors.HexColor("#d0d6dc")
DRAFT_RED = colors.HexColor("#c0392b")

TABLE_FONT_SIZE = 8.5
MIN_CELL_FONT_SIZE = 5.5  # a one-line cell whose text is too wide shrinks to this, then wraps
TABLE_LEADING = 4.0 * mm
CELL_PAD = 1.4 * mm
HEADER_ROW_H = 6.5 * mm

LOGO_BOX = (45 * mm, 16 * mm)
SEAL_SIZE = 20 * mm
LOGO_MAX_PX = 800
SEAL_MAX_PX = 400


# --------------------------------------------------------------------------- the font
# Embedding a TrueType subset is most of the cost of a small PDF: ReportLab builds a font file of
# the glyphs used (~2 ms for 150 glyphs) and compresses it (~2 ms) for every document. Here the
# first subset of a document is given, before anything is drawn, the characters of its printed
# labels (title, headings, column names…) and then closed, so that documents of one layout share
# the same first font file, built and compressed once; the characters of the document's own data
# (names, items) go to the next subset, which is small (and cached too by its exact content).
# The PDF is what ReportLab writes with the characters in that order; no glyph is added.
_LABEL_CHARS = "年月日令和〜¥〒()、。・※%"
_FONT_FILES: OrderedDict[tuple[str, tuple[int, ...]], tuple[int, bytes]] = OrderedDict()
_FONT_FILES_SIZE = 64
_FONT_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Font:
    name: str
    cached: bool  # False: the plain font (a CID font, or ReportLab internals not as expected)


def _cached_subset_objects(face: Any, doc: Any, fontname: str, subset: Sequence[int]) -> Any:
    """``TTFontFace.addSubsetObjects`` with the compressed font file cached by the subset."""
    key = (face.filename, tuple(subset))
    with _FONT_LOCK:
        hit = _FONT_FILES.get(key)
        if hit is not None:
            _FONT_FILES.move_to_end(key)
    if hit is None:
        raw = face.makeSubset(subset)
        hit = (len(raw), zlib.compress(raw))
        with _FONT_LOCK:
            _FONT_FILES[key] = hit
            while len(_FONT_FILES) > _FONT_FILES_SIZE:
                _FONT_FILES.popitem(last=False)
    raw_length, compressed = hit
    font_file = pdfdoc.PDFStream(content=compressed, filters=())
    font_file.dictionary["Length1"] = raw_length
    font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    font_file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
    flags = (face.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": font_file_ref,
            "MissingWidth": face.defaultWidth,
        }
    )
    return doc.Reference(descriptor, "fontDescriptor:" + fontname)


@lru_cache(maxsize=1)
def _font() -> _Font:
    """The project's Japanese font (``core.pdf.japanese_font``), registered a second time under its
    own name with the subset cache above. A CID font (nothing embedded) is used as it is."""
    base_name = japanese_font()
    base = pdfmetrics.getFont(base_name)
    if not isinstance(base, ttfonts.TTFont) or getattr(base.face, "_full_font", False):
        return _Font(base_name, False)
    try:
        face = copy.copy(base.face)
        face.addSubsetObjects = types.MethodType(_cached_subset_objects, face)
        font = copy.copy(base)
        font.fontName = f"{base_name}-Sales"
        font.face = face
        font.state = WeakKeyDictionary()
        # registerFont maps a second font of the same face to the first one: register under a
        # face name of its own, then give the face its real name back (it is printed as BaseFont)
        real_name = face.name
        face.name = real_name + b"-Sales"
        try:
            pdfmetrics.registerFont(font)
        finally:
            face.name = real_name
        if pdfmetrics.getFont(font.fontName) is not font:
            raise RuntimeError("the cached font did not register")
        if not base._asciiReadable:
            raise RuntimeError("the first subset is laid out differently without asciiReadable")
        return _Font(font.fontName, True)
    except Exception:  # a ReportLab whose internals differ: the plain font, no cache
        logger.warning("sales PDFs: font subset cache unavailable", exc_info=True)
        return _Font(base_name, False)


def _new_canvas(buf: io.BytesIO, labels: Iterable[str]) -> tuple[Canvas, str]:
    """A canvas whose font's first subset holds the characters of ``labels`` (see above)."""
    font = _font()
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    if font.cached:
        try:
            ttf = pdfmetrics.getFont(font.name)
            ttf.splitString("".join(dict.fromkeys("".join(labels) + _LABEL_CHARS)), c._doc)
            state = ttf.state[c._doc]
            # what comes next starts a subset of its own
            state.nextCode = -(-state.nextCode // 256) * 256
        except Exception:
            logger.warning("sales PDFs: cannot seed the font subset", exc_info=True)
    return c, font.name


# --------------------------------------------------------------------------- formatting
def _d(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _d_wareki(day: date | None) -> str:
    """2026年11月30日(令和8年11月30日)."""
    if not day:
        return ""
    try:
        return f"{_d(day)}({to_wareki(day)})"
    except ValueError:
        return _d(day)


def _short_date(day: date | None) -> str:
    return f"{day.year}/{day.month:02d}/{day.day:02d}" if day else ""


def _num(value: Decimal | int | None) -> str:
    """1234.5000 → "1,234.5"; 10.000 → "10" (quantities and unit prices, trailing zeros dropped)."""
    if value is None:
        return ""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return format(d.normalize(), ",f")


def _amount(value: Decimal | int) -> str:
    """Line amounts without the yen sign: "12,345"."""
    return format_yen(Decimal(value), symbol=False)


def _rate_label(tax: str) -> str:
    code = SalesTax(tax) if tax in SalesTax.values else None
    if code is None:
        return ""
    if code == SalesTax.EXPORT:
        return _("免税")
    if code == SalesTax.EXEMPT:
        return _("非課税")
    if code == SalesTax.OUT:
        return _("対象外")
    return f"{TAX_RATES[code]}%"


def _addressee(name: str, honorific: str) -> str:
    name = name.strip()
    if not name or name.endswith(("御中", "様")):
        return name
    return f"{name} {honorific}"


# --------------------------------------------------------------------------- text helpers
def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (character by character, as Japanese has no
    spaces; an explicit newline starts a new line)."""
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        if _width(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        current = ""
        current_w = 0.0
        for ch in paragraph:
            w = _width(ch, font, size)
            if current and current_w + w > width:
                lines.append(current)
                current, current_w = "", 0.0
                if ch == " ":
                    continue
            current += ch
            current_w += w
        lines.append(current)
    return lines


def _fitting_size(text: str, font: str, width: float) -> float:
    """The table's size, or a smaller one at which ``text`` fits in ``width`` on one line. A date,
    a quantity or an amount is never cut short: without IPA Gothic (the CID font's figures are
    wider) 「2026/11/02」 does not fit the 日付 column at the table's size, nor 1,234,567,890 an
    amount column."""
    w = _width(text, font, TABLE_FONT_SIZE)
    if w <= width:
        return TABLE_FONT_SIZE
    return max(MIN_CELL_FONT_SIZE, math.floor(TABLE_FONT_SIZE * width / w * 10) / 10)


def _bold_string(
    c: Canvas, x: float, y: float, text: str, font: str, size: float, align: str = "l", color: Any = None
) -> None:
    """IPA Gothic has no bold face: fill and stroke the glyphs with a thin line instead."""
    if align == "r":
        x -= _width(text, font, size)
    elif align == "c":
        x -= _width(text, font, size) / 2
    c.saveState()
    color = color or colors.black
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setLineWidth(size * 0.03)
    t = c.beginText(x, y)
    t.setFont(font, size)
    t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


# --------------------------------------------------------------------------- images (logo, seal)
@dataclass(frozen=True)
class _CachedImage:
    name: str
    xobject: Any  # pdfdoc.PDFImageXObject, its stream already compressed
    smask: Any  # its alpha channel, or None
    pil: Image.Image
    width: int
    height: int


_IMAGE_CACHE: OrderedDict[tuple[Any, ...], _CachedImage | None] = OrderedDict()
_IMAGE_CACHE_SIZE = 16
_IMAGE_LOCK = threading.Lock()


def _image(file_field: Any, max_px: int) -> _CachedImage | None:
    """The decoded image of a FileField (PNG or JPEG), or None when empty or unreadable."""
    if not file_field or not getattr(file_field, "name", ""):
        return None
    storage = file_field.storage
    name = file_field.name
    try:
        modified: Any = storage.get_modified_time(name).timestamp()
    except NotImplementedError:
        modified = None
    except Exception:  # missing file, storage down: print without the image
        modified = "missing"
    key = (id(storage), getattr(storage, "location", ""), name, modified, max_px)
    with _IMAGE_LOCK:
        if key in _IMAGE_CACHE:
            _IMAGE_CACHE.move_to_end(key)
            return _IMAGE_CACHE[key]
    loaded: _CachedImage | None = None
    try:
        if modified == "missing":
            raise FileNotFoundError(name)
        loaded = _decode_image(file_field, max_px)
    except Exception:
        logger.warning("cannot use the image %s in a sales PDF; printing without it", name, exc_info=True)
    with _IMAGE_LOCK:
        _IMAGE_CACHE[key] = loaded
        _IMAGE_CACHE.move_to_end(key)
        while len(_IMAGE_CACHE) > _IMAGE_CACHE_SIZE:
            _IMAGE_CACHE.popitem(last=False)
    return loaded


def _decode_image(file_field: Any, max_px: int) -> _CachedImage:
    with file_field.open("rb") as fh:
        data = fh.read()
    im: Image.Image = Image.open(io.BytesIO(data))
    if im.format not in ("PNG", "JPEG"):
        raise ValueError(f"a logo or seal must be PNG or JPEG, not {im.format}")
    im.load()
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    im = im.convert("RGBA" if has_alpha else "RGB")
    if has_alpha and im.getchannel("A").getextrema() == (255, 255):
        im = im.convert("RGB")
    im.thumbnail((max_px, max_px))
    digest = hashlib.sha256(data).hexdigest()[:32] + f"-{max_px}"
    xobject = pdfdoc.PDFImageXObject(digest, ImageReader(im), mask="auto")
    xobject.name = digest
    smask = xobject.__dict__.pop("_smask", None)
    return _CachedImage(digest, xobject, smask, im, im.width, im.height)


def _draw_image(
    c: Canvas, img: _CachedImage, x: float, y: float, box_w: float, box_h: float, anchor: str
) -> None:
    """Draw ``img`` inside the box (aspect ratio kept), embedding the cached, already compressed
    stream (what ``Canvas.drawImage`` does, minus decoding and compressing again)."""
    scale = min(box_w / img.width, box_h / img.height)
    w, h = img.width * scale, img.height * scale
    if "e" in anchor:
        x += box_w - w
    elif "w" not in anchor:
        x += (box_w - w) / 2
    if "n" in anchor:
        y += box_h - h
    elif "s" not in anchor:
        y += (box_h - h) / 2
    try:
        doc = c._doc
        reg_name = doc.getXObjectName(img.name)
        if reg_name not in doc.idToObject:
            obj = copy.copy(img.xobject)
            c._setXObjects(obj)
            doc.Reference(obj, reg_name)
            doc.addForm(img.name, obj)
            if img.smask is not None:
                smask = copy.copy(img.smask)
                mask_name = doc.getXObjectName(smask.name)
                if mask_name in doc.idToObject:
                    obj.smask = pdfdoc.PDFObjectReference(mask_name)
                else:
                    c._setXObjects(smask)
                    obj.smask = doc.Reference(smask, mask_name)
        c._currentPageHasImages = 1
        c.saveState()
        c.translate(x, y)
        c.scale(w, h)
        c._code.append(f"/{reg_name} Do")
        c.restoreState()
        c._formsinuse.append(img.name)
    except AttributeError:  # a ReportLab without these internals: the public, slower way
        c.drawImage(ImageReader(img.pil), x, y, w, h, mask="auto")


# --------------------------------------------------------------------------- company data
@dataclass
class _Issuer:
    name: str
    address_lines: list[str]
    phone: str
    registration_number: str
    settings: SalesSettings | None


class _Unset:
    pass


UNSET: Any = _Unset()


def _sales_settings(company: Any, given: Any = UNSET) -> SalesSettings | None:
    """The company's SalesSettings (None: defaults). A caller rendering many documents of one
    company (the monthly run) may pass the row it read once as ``sales_settings=``."""
    if not isinstance(given, _Unset):
        return given
    return SalesSettings.objects.filter(company=company).first()


def _issuer(company: Any, settings_row: SalesSettings | None, *, name: str = "", reg: str = "") -> _Issuer:
    postal = getattr(company, "postal_code", "") or ""
    address = " ".join(
        part
        for part in (getattr(company, "address", "") or "", getattr(company, "address2", "") or "")
        if part
    )
    lines = []
    if postal or address:
        lines.append(f"〒{postal} {address}".strip() if postal else address)
    return _Issuer(
        name=name or company.name,
        address_lines=lines,
        phone=getattr(company, "phone", "") or "",
        registration_number=reg or (settings_row.registration_number if settings_row else ""),
        settings=settings_row,
    )


def _customer_address(customer: Customer) -> list[str]:
    lines = []
    if customer.postal_code:
        lines.append(f"〒{customer.postal_code}")
    if customer.address:
        lines.append(customer.address)
    if customer.address2:
        lines.append(customer.address2)
    return lines


# --------------------------------------------------------------------------- document model
@dataclass
class _Column:
    label: str
    width: float
    align: str = "l"  # l, r, c
    wrap: bool = False


@dataclass
class _TotalsRow:
    label: str
    middle: str = ""
    value: str = ""
    big: bool = False
    rule_above: bool = False


@dataclass
class _Doc:
    title: str
    subtitle: str
    number: str
    info: list[tuple[str, str]]  # top right: (label, value)
    addressee: str
    customer_address: list[str]
    intro: str
    fields: list[tuple[str, str]]  # under the addressee: 件名, 取引年月日, 支払期日 …
    amount_label: str
    amount: str
    issuer: _Issuer
    columns: list[_Column]
    rows: list[list[str]]
    totals_title: str
    totals: list[_TotalsRow]
    side_notes: list[tuple[str, str]]  # left of the totals: ※ note, 振込先
    remarks: list[tuple[str, str]]  # full width under it: 備考
    draft: bool = False
    author: str = ""
    keywords: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- layout
@dataclass
class _Row:
    cells: list[list[str]]  # each cell's lines
    height: float
    sizes: list[float] | None = None  # each cell's font size when one is not the table's


def _layout_rows(doc: _Doc, font: str) -> list[_Row]:
    out = []
    for row in doc.rows:
        cells = []
        sizes = []
        n = 1
        for col, text in zip(doc.columns, row, strict=True):
            inner = col.width - 2 * CELL_PAD
            size = TABLE_FONT_SIZE if col.wrap else _fitting_size(text, font, inner)
            lines = _wrap(text, font, size, inner)  # one line unless even the smallest size is too wide
            cells.append(lines)
            sizes.append(size)
            n = max(n, len(lines))
        shrunk = sizes if any(size != TABLE_FONT_SIZE for size in sizes) else None
        out.append(_Row(cells, n * TABLE_LEADING + 2 * CELL_PAD - (TABLE_LEADING - TABLE_FONT_SIZE), shrunk))
    return out


TOTALS_W = 100 * mm
TOTALS_ROW_H = 5.6 * mm
TOTALS_BIG_ROW_H = 8 * mm
NOTE_SIZE = 8.5
NOTE_LEADING = 4.2 * mm


def _note_lines(notes: Sequence[tuple[str, str]], font: str, width: float) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = []
    for heading, text in notes:
        if heading:
            lines.append((heading, True))
        lines += [(s, False) for s in _wrap(text, font, NOTE_SIZE, width)] if text else []
    return lines


def _totals_height(doc: _Doc) -> float:
    h = TOTALS_ROW_H if doc.totals_title else 0
    for row in doc.totals:
        h += TOTALS_BIG_ROW_H if row.big else TOTALS_ROW_H
    return h + 2 * mm


def _labels(doc: _Doc) -> list[str]:
    """The fixed texts of a layout, in drawing order (what the font's first subset is made of)."""
    out = [label for label, _value in doc.info]
    out += [doc.title, doc.subtitle, doc.intro]
    out += [label for label, _value in doc.fields]
    out.append(doc.amount_label)
    out.append(_("登録番号 %(number)s") % {"number": ""})
    out += [col.label for col in doc.columns]
    out.append(doc.totals_title)
    out += [f"{row.label}{row.middle}" for row in doc.totals]
    out += [heading for heading, _text in (*doc.side_notes, *doc.remarks)]
    out.append(_("%(addressee)s(続き)") % {"addressee": ""})
    if doc.draft:
        out += [_draft_banner_text(), _("下書き")]
    return out


def _draft_banner_text() -> str:
    return _("下書き ― 未発行の書類です。正式な請求書として使用できません。")


class _Layout(NamedTuple):
    """Which table rows go on which page, and where the totals and the remarks go."""

    pages: list[list[_Row]]
    tail_page: int
    tail_y: float
    remark_pages: list[tuple[int, float, str, bool]]
    total_pages: int


def _paginate(
    rows: Iterable[_Row], first_top: float, tail_h: float, remarks: Iterable[tuple[str, bool]]
) -> _Layout:
    """Rows from ``first_top`` on the first page (under the table header), on to the next page
    when one does not fit; then the totals block (``tail_h`` high) and the remark lines."""
    pages: list[list[_Row]] = [[]]
    y = first_top - HEADER_ROW_H
    bottom = MARGIN_B + 4 * mm
    for row in rows:
        if y - row.height < bottom:
            pages.append([])
            y = _continued_top() - HEADER_ROW_H
        pages[-1].append(row)
        y -= row.height
    y -= 5 * mm
    tail_page = len(pages) - 1
    if y - tail_h < bottom:
        tail_page += 1
        y = _continued_top()
    tail_y = y
    y -= tail_h
    remark_pages: list[tuple[int, float, str, bool]] = []
    page_i = tail_page
    for text, heading in remarks:
        if y - NOTE_LEADING < bottom:
            page_i += 1
            y = _continued_top()
        remark_pages.append((page_i, y, text, heading))
        y -= NOTE_LEADING
    total_pages = max(len(pages), tail_page + 1, page_i + 1)
    return _Layout(pages, tail_page, tail_y, remark_pages, total_pages)


def _render(doc: _Doc) -> bytes:
    buf = io.BytesIO()
    c, font = _new_canvas(buf, _labels(doc))
    rows = _layout_rows(doc, font)
    side_w = CONTENT_W - TOTALS_W - 6 * mm
    side = _note_lines(doc.side_notes, font, side_w)
    remarks = _note_lines(doc.remarks, font, CONTENT_W)
    tail_h = max(_totals_height(doc), len(side) * NOTE_LEADING) + 4 * mm

    c.setTitle(f"{doc.title} {doc.number}".strip())
    c.setAuthor(doc.author or doc.issuer.name)
    c.setSubject(doc.addressee)
    c.setCreator("Ennoshita")

    # 1. which rows go on which page, and where the totals and the remarks go
    first_top = _header_height(doc, font)
    pages, tail_page, tail_y, remark_pages, total_pages = _paginate(rows, first_top, tail_h, remarks)

    # 2. draw
    logo = _image(doc.issuer.settings.logo, LOGO_MAX_PX) if doc.issuer.settings else None
    seal = _image(doc.issuer.settings.seal, SEAL_MAX_PX) if doc.issuer.settings else None
    for p in range(total_pages):
        if p == 0:
            _draw_header(c, doc, font, logo, seal)
            top = first_top
        else:
            _draw_continued(c, doc, font)
            top = _continued_top()
        if p < len(pages) and (pages[p] or p == 0):
            _draw_table(c, doc, font, pages[p], top)
        if p == tail_page:
            _draw_tail(c, doc, font, tail_y, side, side_w)
        for rp, ry, text, heading in remark_pages:
            if rp == p:
                if heading:
                    _bold_string(c, MARGIN_L, ry - NOTE_SIZE, text, font, NOTE_SIZE)
                else:
                    c.setFont(font, NOTE_SIZE)
                    c.drawString(MARGIN_L, ry - NOTE_SIZE, text)
        if doc.draft:
            _draw_watermark(c, font)
        _draw_footer(c, font, p + 1, total_pages)
        c.showPage()
    c.save()
    return buf.getvalue()


def _continued_top() -> float:
    return PAGE_H - MARGIN_T - 12 * mm


def _draw_footer(c: Canvas, font: str, page: int, total: int) -> None:
    c.setFont(font, 8)
    c.setFillColor(colors.black)
    c.drawCentredString(PAGE_W / 2, 8 * mm, f"{page} / {total}")


def _draw_watermark(c: Canvas, font: str) -> None:
    c.saveState()
    c.setFillColor(DRAFT_RED)
    c.setFillAlpha(0.12)
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(40)
    c.setFont(font, 110)
    c.drawCentredString(0, -40, _("下書き"))
    c.restoreState()


def _draft_banner(c: Canvas, font: str, y: float) -> None:
    c.saveState()
    c.setFillColor(DRAFT_RED)
    c.rect(MARGIN_L, y - 7 * mm, CONTENT_W, 7 * mm, stroke=0, fill=1)
    _bold_string(
        c,
        PAGE_W / 2,
        y - 5 * mm,
        _draft_banner_text(),
        font,
        10,
        "c",
        colors.white,
    )
    c.restoreState()


def _header_height(doc: _Doc, font: str) -> float:
    """The y where the table starts on page 1 (computed by drawing nothing)."""
    return _draw_header(None, doc, font, None, None)


def _draw_header(
    c: Canvas | None, doc: _Doc, font: str, logo: _CachedImage | None, seal: _CachedImage | None
) -> float:
    """Title, number and date, addressee, amount, issuer. With ``c`` None only measures."""
    top = PAGE_H - MARGIN_T
    if doc.draft:
        if c:
            _draft_banner(c, font, top)
        top -= 9 * mm
    if c:
        if logo:
            _draw_image(c, logo, MARGIN_L, top - LOGO_BOX[1], LOGO_BOX[0], LOGO_BOX[1], "nw")
        c.setFillColor(colors.black)
        _bold_string(c, PAGE_W / 2, top - 9 * mm, doc.title, font, 22, "c")
        if doc.subtitle:
            c.setFont(font, 9)
            c.drawCentredString(PAGE_W / 2, top - 14 * mm, doc.subtitle)
        c.setFont(font, 9)
        yy = top - 3 * mm
        for label, value in doc.info:
            c.drawRightString(RIGHT, yy, f"{label} {value}".strip())
            yy -= 4.3 * mm
    info_bottom = top - 3 * mm - 4.3 * mm * len(doc.info)
    y = min(top - 20 * mm, info_bottom - 2 * mm)

    # left: addressee and what is asked
    left_w = 100 * mm
    ly = y
    if c:
        c.setFont(font, 8.5)
    for line in doc.customer_address:
        for part in _wrap(line, font, 8.5, left_w):
            if c:
                c.drawString(MARGIN_L, ly - 8.5, part)
            ly -= 4 * mm
    ly -= 1 * mm
    name_lines = _wrap(doc.addressee, font, 14, left_w)
    for part in name_lines:
        if c:
            _bold_string(c, MARGIN_L, ly - 14, part, font, 14)
        ly -= 6.5 * mm
    if c:
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.8)
        c.line(MARGIN_L, ly, MARGIN_L + left_w, ly)
    ly -= 3 * mm
    if doc.intro:
        if c:
            c.setFont(font, 9)
            c.drawString(MARGIN_L, ly - 9, doc.intro)
        ly -= 5.5 * mm
    for label, value in doc.fields:
        lines = _wrap(value, font, 9, left_w - 24 * mm)
        for i, part in enumerate(lines):
            if c:
                c.setFont(font, 9)
                if i == 0:
                    c.drawString(MARGIN_L, ly - 9, label)
                c.drawString(MARGIN_L + 24 * mm, ly - 9, part)
            ly -= 4.6 * mm
    if doc.amount_label:
        ly -= 2 * mm
        box_h = 12 * mm
        if c:
            c.setLineWidth(1)
            c.setFillColor(GRAY_FILL)
            c.rect(MARGIN_L, ly - box_h, left_w, box_h, stroke=1, fill=1)
            c.setFillColor(colors.black)
            _bold_string(c, MARGIN_L + 3 * mm, ly - box_h / 2 - 3.5, doc.amount_label, font, 11)
            _bold_string(c, MARGIN_L + left_w - 4 * mm, ly - box_h / 2 - 6, doc.amount, font, 18, "r")
        ly -= box_h

    # right: issuer block, the seal over the name
    rx = MARGIN_L + left_w + 8 * mm
    rw = RIGHT - rx
    ry = y
    name_top = ry
    for part in _wrap(doc.issuer.name, font, 11, rw):
        if c:
            _bold_string(c, rx, ry - 11, part, font, 11)
        ry -= 5.5 * mm
    name_bottom = ry
    if c:
        c.setFont(font, 8.5)
    for line in doc.issuer.address_lines:
        for part in _wrap(line, font, 8.5, rw):
            if c:
                c.drawString(rx, ry - 8.5, part)
            ry -= 4 * mm
    if doc.issuer.phone:
        if c:
            c.drawString(rx, ry - 8.5, f"TEL {doc.issuer.phone}")
        ry -= 4 * mm
    if doc.issuer.registration_number:
        if c:
            c.drawString(rx, ry - 8.5, _("登録番号 %(number)s") % {"number": doc.issuer.registration_number})
        ry -= 4 * mm
    if c and seal:
        _draw_seal(c, seal, doc.issuer.name, font, rx, rw, name_top, name_bottom)
    return min(ly, ry) - 6 * mm


def _draw_seal(
    c: Canvas, seal: _CachedImage, name: str, font: str, x: float, width: float, top: float, bottom: float
) -> None:
    """The 印影 over the end of the issuer's name, as a stamped seal sits on paper."""
    last_line = _wrap(name, font, 11, width)[-1]
    end = x + _width(last_line, font, 11)
    sx = min(end - SEAL_SIZE * 0.45, x + width - SEAL_SIZE)
    sy = (bottom + 5.5 * mm / 2) - SEAL_SIZE / 2 if bottom < top else top - SEAL_SIZE / 2
    _draw_image(c, seal, max(sx, x), sy, SEAL_SIZE, SEAL_SIZE, "c")


def _draw_continued(c: Canvas, doc: _Doc, font: str) -> None:
    top = PAGE_H - MARGIN_T
    c.setFillColor(colors.black)
    _bold_string(c, MARGIN_L, top - 5 * mm, f"{doc.title} {doc.number}".strip(), font, 11)
    c.setFont(font, 8.5)
    c.drawRightString(RIGHT, top - 5 * mm, _("%(addressee)s(続き)") % {"addressee": doc.addressee})


def _draw_table(c: Canvas, doc: _Doc, font: str, rows: Iterable[_Row], top: float) -> None:
    xs = [MARGIN_L]
    for col in doc.columns:
        xs.append(xs[-1] + col.width)
    # header row
    c.setFillColor(GRAY_FILL)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.rect(MARGIN_L, top - HEADER_ROW_H, CONTENT_W, HEADER_ROW_H, stroke=1, fill=1)
    c.setFillColor(colors.black)
    c.setFont(font, TABLE_FONT_SIZE)
    for i, col in enumerate(doc.columns):
        c.drawCentredString((xs[i] + xs[i + 1]) / 2, top - HEADER_ROW_H + 2.1 * mm, col.label)
    y = top - HEADER_ROW_H
    c.setStrokeColor(LIGHT_RULE)
    c.setLineWidth(0.4)
    # all the cells' text in one text object (much cheaper than a drawString per cell)
    t = c.beginText()
    t.setFont(font, TABLE_FONT_SIZE)
    for row in rows:
        baseline = y - CELL_PAD - TABLE_FONT_SIZE + 1
        for i, (col, lines) in enumerate(zip(doc.columns, row.cells, strict=True)):
            ly = baseline
            size = row.sizes[i] if row.sizes else TABLE_FONT_SIZE
            if size != TABLE_FONT_SIZE:
                t.setFont(font, size)
            for text in lines:
                if not text:
                    pass
                elif col.align == "r":
                    t.setTextOrigin(xs[i + 1] - CELL_PAD - _width(text, font, size), ly)
                    t.textOut(text)
                elif col.align == "c":
                    t.setTextOrigin((xs[i] + xs[i + 1] - _width(text, font, size)) / 2, ly)
                    t.textOut(text)
                else:
                    t.setTextOrigin(xs[i] + CELL_PAD, ly)
                    t.textOut(text)
                ly -= TABLE_LEADING
            if size != TABLE_FONT_SIZE:
                t.setFont(font, TABLE_FONT_SIZE)
        y -= row.height
    c.drawText(t)
    yy = top - HEADER_ROW_H
    lines_path = c.beginPath()
    for row in rows:
        yy -= row.height
        lines_path.moveTo(MARGIN_L, yy)
        lines_path.lineTo(RIGHT, yy)
    c.drawPath(lines_path, stroke=1, fill=0)
    # frame and column rules
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.rect(MARGIN_L, y, CONTENT_W, top - y, stroke=1, fill=0)
    for x in xs[1:-1]:
        c.line(x, y, x, top)


def _draw_tail(
    c: Canvas, doc: _Doc, font: str, top: float, side: list[tuple[str, bool]], side_w: float
) -> None:
    # left: notes (※, 振込先)
    y = top
    c.setFillColor(colors.black)
    for text, heading in side:
        if heading:
            _bold_string(c, MARGIN_L, y - NOTE_SIZE, text, font, NOTE_SIZE)
        else:
            c.setFont(font, NOTE_SIZE)
            c.drawString(MARGIN_L + (2 * mm if side_w else 0), y - NOTE_SIZE, text)
        y -= NOTE_LEADING
    # right: the totals box
    x0 = RIGHT - TOTALS_W
    y = top
    box_top = y
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    if doc.totals_title:
        c.setFillColor(GRAY_FILL)
        c.rect(x0, y - TOTALS_ROW_H, TOTALS_W, TOTALS_ROW_H, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(font, 8.5)
        c.drawString(x0 + 2 * mm, y - TOTALS_ROW_H + 1.8 * mm, doc.totals_title)
        y -= TOTALS_ROW_H
    for row in doc.totals:
        h = TOTALS_BIG_ROW_H if row.big else TOTALS_ROW_H
        if row.rule_above:
            c.line(x0, y, RIGHT, y)
        base = y - h + (2.4 * mm if row.big else 1.8 * mm)
        if row.big:
            _bold_string(c, x0 + 2 * mm, base, row.label, font, 11)
            _bold_string(c, RIGHT - 2 * mm, base, row.value, font, 13, "r")
        else:
            c.setFont(font, 9)
            c.drawString(x0 + 2 * mm, base, row.label)
            if row.middle:
                c.drawRightString(x0 + 58 * mm, base, row.middle)
            c.drawRightString(RIGHT - 2 * mm, base, row.value)
        y -= h
    c.rect(x0, y, TOTALS_W, box_top - y, stroke=1, fill=0)


# --------------------------------------------------------------------------- shared pieces
def _rate_totals(document: Any, lines: Sequence[Any]) -> dict[int, tuple[int, int]]:
    """{rate: (base 税抜, tax)} from the stored ``rate_totals``; computed from the lines when the
    document has none stored (a quote being drafted)."""
    stored = document.rate_totals or {}
    if stored:
        out = {}
        for key, value in stored.items():
            out[int(key)] = (int(value.get("base", 0)), int(value.get("tax", 0)))
        return dict(sorted(out.items(), key=lambda kv: -kv[0]))
    computed = rules.invoice_tax(
        lines=[(line.amount, line.rate) for line in lines],
        rounding=document.tax_rounding or "floor",
        tax_included=document.prices_include_tax,
    )
    return {rate: (t.base, t.tax) for rate, t in computed.items()}


def _totals_rows(
    per_rate: dict[int, tuple[int, int]],
    *,
    subtotal: Decimal | int,
    tax_total: Decimal | int,
    total: Decimal | int,
    tax_included: bool,
    total_label: str,
) -> list[_TotalsRow]:
    rows = []
    for rate, (base, tax) in per_rate.items():
        if rate == 0:
            rows.append(_TotalsRow(_("対象外・非課税"), format_yen(base), ""))
        elif tax_included:
            rows.append(
                _TotalsRow(
                    _("%(rate)s%%対象") % {"rate": rate},
                    _("%(amount)s(税込)") % {"amount": format_yen(base + tax)},
                    _("うち消費税 %(tax)s") % {"tax": format_yen(tax)},
                )
            )
        else:
            rows.append(
                _TotalsRow(
                    _("%(rate)s%%対象") % {"rate": rate},
                    _("%(amount)s(税抜)") % {"amount": format_yen(base)},
                    _("消費税 %(tax)s") % {"tax": format_yen(tax)},
                )
            )
    rows.append(_TotalsRow(_("小計(税抜)"), "", format_yen(Decimal(subtotal)), rule_above=True))
    rows.append(_TotalsRow(_("消費税"), "", format_yen(Decimal(tax_total))))
    rows.append(_TotalsRow(total_label, "", format_yen(Decimal(total)), big=True, rule_above=True))
    return rows


def _line_columns(*, with_date: bool, tax_included: bool) -> list[_Column]:
    price = _("単価(税込)") if tax_included else _("単価")
    amount = _("金額(税込)") if tax_included else _("金額")
    cols = []
    if with_date:
        cols.append(_Column(_("日付"), 20 * mm, "c"))
    cols += [
        _Column(_("品名・内容"), (70 if with_date else 90) * mm, "l", wrap=True),
        _Column(_("数量"), 18 * mm, "r"),
        _Column(_("単位"), 12 * mm, "c"),
        _Column(price, 24 * mm, "r"),
        _Column(amount, 24 * mm, "r"),
        _Column(_("税率"), 12 * mm, "c"),
    ]
    return cols


def _description(text: str, reduced: bool) -> str:
    return f"{text} ※" if reduced else text


def _line_row(line: Any, *, quantity: Decimal | None = None, amount: Decimal | None = None) -> list[str]:
    return [
        _description(line.description, line.is_reduced_rate),
        _num(line.quantity if quantity is None else quantity),
        line.unit,
        _num(line.unit_price),
        _amount(line.amount if amount is None else amount),
        _rate_label(line.tax),
    ]


def _reduced_note(lines: Iterable[Any]) -> list[tuple[str, str]]:
    if any(line.is_reduced_rate for line in lines):
        return [("", _("※は軽減税率(8%)対象"))]
    return []


# --------------------------------------------------------------------------- 見積書
def quote_pdf(quote: Quote, *, sales_settings: SalesSettings | None = UNSET) -> bytes:
    """見積書."""
    lines = list(quote.lines.all())
    customer = quote.customer
    company = quote.company
    settings_row = _sales_settings(company, sales_settings)
    per_rate = _rate_totals(quote, lines)
    number = quote.number + (
        _("(第%(revision)s版)") % {"revision": quote.revision} if quote.revision > 1 else ""
    )
    fields = []
    if quote.subject:
        fields.append((_("件名"), quote.subject))
    fields.append((_("有効期限"), _d(quote.valid_until)))
    doc = _Doc(
        title=_("御見積書"),
        subtitle=_("第%(revision)s版") % {"revision": quote.revision} if quote.revision > 1 else "",
        number=number,
        info=[(_("見積番号"), number), (_("見積日"), _d_wareki(quote.date))],
        addressee=customer.addressee,
        customer_address=_customer_address(customer),
        intro=_("下記のとおりお見積り申し上げます。"),
        fields=fields,
        amount_label=_("お見積金額(税込)"),
        amount=f"{format_yen(quote.total)}-",
        issuer=_issuer(company, settings_row),
        columns=_line_columns(with_date=False, tax_included=quote.prices_include_tax),
        rows=[_line_row(line) for line in lines],
        totals_title=_("税率別内訳"),
        totals=_totals_rows(
            per_rate,
            subtotal=quote.subtotal,
            tax_total=quote.tax_total,
            total=quote.total,
            tax_included=quote.prices_include_tax,
            total_label=_("合計(税込)"),
        ),
        side_notes=_reduced_note(lines),
        remarks=[(_("備考"), quote.notes)] if quote.notes else [],
    )
    return _render(doc)


# --------------------------------------------------------------------------- 納品書
def delivery_note_pdf(delivery: DeliveryNote, *, sales_settings: SalesSettings | None = UNSET) -> bytes:
    """納品書: the delivered quantities, priced at the order's unit prices (金額 = 数量 × 単価,
    1円未満切り捨て)."""
    order = delivery.order
    customer = order.customer
    company = delivery.company
    settings_row = _sales_settings(company, sales_settings)
    delivery_lines = list(delivery.lines.select_related("order_line").all())
    rows = []
    amounts: list[tuple[Decimal, int]] = []
    for dl in delivery_lines:
        ol = dl.order_line
        amount = rules.line_amount(quantity=dl.quantity, unit_price_value=ol.unit_price)
        amounts.append((amount, ol.rate))
        rows.append(_line_row(ol, quantity=dl.quantity, amount=amount))
    per_rate_full = rules.invoice_tax(
        lines=amounts, rounding=order.tax_rounding or "floor", tax_included=order.prices_include_tax
    )
    per_rate = {rate: (t.base, t.tax) for rate, t in per_rate_full.items()}
    subtotal = sum(t.base for t in per_rate_full.values())
    tax_total = sum(t.tax for t in per_rate_full.values())
    total = subtotal + tax_total
    info = [(_("納品書番号"), delivery.number), (_("納品日"), _d_wareki(delivery.date))]
    fields = [(_("受注番号"), order.number)]
    if order.customer_reference:
        fields.append((_("貴社注文番号"), order.customer_reference))
    if order.subject:
        fields.append((_("件名"), order.subject))
    fields.append((_("納品日"), _d(delivery.date)))
    doc = _Doc(
        title=_("納品書"),
        subtitle="",
        number=delivery.number,
        info=info,
        addressee=customer.addressee,
        customer_address=_customer_address(customer),
        intro=_("下記のとおり納品いたしました。"),
        fields=fields,
        amount_label=_("合計金額(税込)"),
        amount=f"{format_yen(total)}-",
        issuer=_issuer(company, settings_row),
        columns=_line_columns(with_date=False, tax_included=order.prices_include_tax),
        rows=rows,
        totals_title=_("税率別内訳"),
        totals=_totals_rows(
            per_rate,
            subtotal=subtotal,
            tax_total=tax_total,
            total=total,
            tax_included=order.prices_include_tax,
            total_label=_("合計(税込)"),
        ),
        side_notes=_reduced_note(dl.order_line for dl in delivery_lines),
        remarks=[(_("備考"), delivery.notes)] if delivery.notes else [],
    )
    return _render(doc)


# --------------------------------------------------------------------------- 請求書・返還請求書
def _transaction_date(invoice: Invoice) -> str:
    """取引年月日: the period of a 合計請求書, the delivery date(s) of one sale, else the invoice date."""
    start, end = invoice.period_start, invoice.period_end
    if start and end and start != end:
        return f"{_d(start)}〜{_d(end)}"
    return _d(start or end or invoice.date)


def invoice_pdf(
    invoice: Invoice,
    *,
    sales_settings: SalesSettings | None = UNSET,
    lines: Sequence[InvoiceLine] | None = None,
) -> bytes:
    """請求書 (適格請求書), or 返還請求書 (適格返還請求書) when ``kind`` is credit. A draft carries a
    「下書き」 banner and watermark on every page. ``lines``: the invoice's lines when the caller
    has them at hand (a monthly run)."""
    lines = list(invoice.lines.all()) if lines is None else list(lines)
    customer = invoice.customer
    company = invoice.company
    settings_row = _sales_settings(company, sales_settings)
    per_rate = _rate_totals(invoice, lines)
    credit = invoice.kind == Invoice.Kind.CREDIT
    draft = invoice.status == Invoice.Status.DRAFT
    number = invoice.number or _("(未採番)")
    issuer = _issuer(company, settings_row, name=invoice.issuer_name, reg=invoice.issuer_registration_number)
    addressee = _addressee(invoice.customer_name or customer.name, customer.honorific)
    summary = invoice.is_summary

    info = [(_("請求書番号") if not credit else _("返還請求書番号"), number)]
    info.append((_("発行日") if not credit else _("返還等の日"), _d_wareki(invoice.date)))
    if issuer.registration_number:
        info.append((_("登録番号"), issuer.registration_number))

    fields: list[tuple[str, str]] = []
    if invoice.subject:
        fields.append((_("件名"), invoice.subject))
    if credit:
        original = invoice.credit_of
        if original is not None:
            fields.append(
                (
                    _("訂正する請求書"),
                    _("%(number)s(%(date)s発行)")
                    % {"number": original.number or _("(未採番)"), "date": _d(original.date)},
                )
            )
            fields.append((_("元の取引年月日"), _transaction_date(original)))
        if invoice.reason:
            fields.append((_("返還等の理由"), invoice.reason))
    else:
        fields.append((_("取引年月日"), _transaction_date(invoice)))
        if invoice.due_date:
            fields.append((_("支払期日"), _d_wareki(invoice.due_date)))

    rows = []
    for line in lines:
        row = _line_row(line)
        if summary:
            row.insert(0, _short_date(line.delivered_on or invoice.date))
        rows.append(row)

    side = _reduced_note(lines)
    if not credit and settings_row and settings_row.bank_details:
        side.append((_("お振込先"), settings_row.bank_details))
    remarks = []
    if not credit and settings_row and settings_row.invoice_note:
        remarks.append((_("ご案内"), settings_row.invoice_note))
    if invoice.notes:
        remarks.append((_("備考"), invoice.notes))

    if credit:
        title, subtitle = _("返還請求書"), _("(適格返還請求書)")
        intro = _("下記のとおり返還等の対価の額をお知らせいたします。")
        amount_label = _("返還等対価の額(税込)")
        totals_title = _("税率ごとの返還等対価の額と消費税額等")
        total_label = _("返還額合計(税込)")
    else:
        title, subtitle = _("請求書"), _("(適格請求書)")
        intro = _("下記のとおりご請求申し上げます。")
        amount_label = _("ご請求金額(税込)")
        totals_title = _("税率ごとの対価の額と消費税額等")
        total_label = _("合計(税込)")
    if summary and not credit:
        subtitle = _("(適格請求書・合計請求書)")
    doc = _Doc(
        title=title,
        subtitle=subtitle,
        number=number,
        info=info,
        addressee=addressee,
        customer_address=_customer_address(customer),
        intro=intro,
        fields=fields,
        amount_label=amount_label,
        amount=f"{format_yen(invoice.total)}-",
        issuer=issuer,
        columns=_line_columns(with_date=summary, tax_included=invoice.prices_include_tax),
        rows=rows,
        totals_title=totals_title,
        totals=_totals_rows(
            per_rate,
            subtotal=invoice.subtotal,
            tax_total=invoice.tax_total,
            total=invoice.total,
            tax_included=invoice.prices_include_tax,
            total_label=total_label,
        ),
        side_notes=side,
        remarks=remarks,
        draft=draft,
    )
    return _render(doc)


# --------------------------------------------------------------------------- 領収書
def _receipt_breakdown(payment: Payment, allocations: Sequence[Any]) -> dict[int, tuple[int, int]] | None:
    """{rate: (gross 税込, tax)} of what the payment settled, when it can be derived exactly: every
    allocated invoice is an ordinary invoice settled in full by this payment, with no fee deducted
    and nothing left over. Otherwise None (the receipt then shows no breakdown)."""
    if not allocations or payment.fee or payment.unapplied:
        return None
    out: dict[int, tuple[int, int]] = {}
    settled = 0
    for alloc in allocations:
        inv = alloc.invoice
        if inv.kind != Invoice.Kind.INVOICE or alloc.amount != inv.total or not inv.rate_totals:
            return None
        settled += int(inv.total)
        for key, value in inv.rate_totals.items():
            base, tax = int(value.get("base", 0)), int(value.get("tax", 0))
            gross, taxes = out.get(int(key), (0, 0))
            out[int(key)] = (gross + base + tax, taxes + tax)
    if settled != int(payment.amount):
        return None
    return dict(sorted(out.items(), key=lambda kv: -kv[0]))


def receipt_pdf(payment: Payment, *, sales_settings: SalesSettings | None = UNSET) -> bytes:
    """領収書 for a payment received: the amount received, 但し書き from the invoices it settled, the
    issuer, the per-rate breakdown when it can be derived, and the 収入印紙 box (印紙税法 別表第一
    第17号の1) for a paper receipt."""
    customer = payment.customer
    company = payment.company
    settings_row = _sales_settings(company, sales_settings)
    issuer = _issuer(company, settings_row)
    allocations = list(payment.allocations.select_related("invoice").order_by("invoice__date", "invoice__pk"))
    numbers = [a.invoice.number for a in allocations if a.invoice.number]
    if len(numbers) == 1:
        purpose = _("請求書 %(number)s 代金として") % {"number": numbers[0]}
    elif numbers:
        purpose = _("請求書 %(number)s ほか代金として") % {"number": numbers[0]}
    else:
        purpose = _("お品代として")
    breakdown = _receipt_breakdown(payment, allocations)
    tax_shown = sum(tax for _gross, tax in breakdown.values()) if breakdown else 0
    duty = rules.receipt_stamp_duty(amount=payment.amount, tax_shown_separately=tax_shown)
    number = f"R-{payment.date.year}-{payment.pk:06d}"

    buf = io.BytesIO()
    c, font = _new_canvas(
        buf,
        [
            _("領収書"),
            _("発行日 %(date)s") % {"date": ""},
            _("金額"),
            _("但し %(purpose)s") % {"purpose": ""},
            _("上記正に領収いたしました。"),
            _("入金日 %(date)s(%(method)s)") % {"date": "", "method": ""},
            _("内訳"),
            _("うち消費税 %(tax)s") % {"tax": ""},
            _("収入印紙"),
            _("登録番号 %(number)s") % {"number": ""},
        ],
    )
    c.setTitle(_("領収書 %(number)s") % {"number": number})
    c.setAuthor(issuer.name)
    c.setSubject(customer.addressee)
    c.setCreator("Ennoshita")
    logo = _image(settings_row.logo, LOGO_MAX_PX) if settings_row else None
    seal = _image(settings_row.seal, SEAL_MAX_PX) if settings_row else None

    top = PAGE_H - MARGIN_T
    if logo:
        _draw_image(c, logo, MARGIN_L, top - LOGO_BOX[1], LOGO_BOX[0], LOGO_BOX[1], "nw")
    _bold_string(c, PAGE_W / 2, top - 10 * mm, _("領収書"), font, 24, "c")
    c.setFont(font, 9)
    c.drawRightString(RIGHT, top - 3 * mm, f"No. {number}")
    c.drawRightString(RIGHT, top - 7.3 * mm, _("発行日 %(date)s") % {"date": _d_wareki(payment.date)})

    # addressee
    y = top - 30 * mm
    _bold_string(c, MARGIN_L, y, _addressee(customer.name, customer.honorific), font, 15)
    c.setLineWidth(0.8)
    c.line(MARGIN_L, y - 2.5 * mm, MARGIN_L + 110 * mm, y - 2.5 * mm)

    # amount
    y -= 16 * mm
    box_w, box_h = 130 * mm, 16 * mm
    bx = (PAGE_W - box_w) / 2
    c.setFillColor(GRAY_FILL)
    c.setLineWidth(1.2)
    c.rect(bx, y - box_h, box_w, box_h, stroke=1, fill=1)
    c.setFillColor(colors.black)
    _bold_string(c, bx + 5 * mm, y - box_h / 2 - 4, _("金額"), font, 12)
    _bold_string(c, bx + box_w - 6 * mm, y - box_h / 2 - 8, f"{format_yen(payment.amount)}-", font, 24, "r")
    y -= box_h + 8 * mm
    c.setFont(font, 10.5)
    c.drawString(bx, y, _("但し %(purpose)s") % {"purpose": purpose})
    y -= 6 * mm
    c.drawString(bx, y, _("上記正に領収いたしました。"))
    y -= 6 * mm
    c.setFont(font, 9)
    c.drawString(
        bx,
        y,
        _("入金日 %(date)s(%(method)s)") % {"date": _d(payment.date), "method": payment.get_method_display()},
    )
    y -= 5 * mm
    if payment.fee and payment.fee > 0:
        c.drawString(
            bx, y, _("振込手数料 %(fee)s はご負担分として差し引き") % {"fee": format_yen(payment.fee)}
        )
        y -= 5 * mm

    # per-rate breakdown
    if breakdown:
        y -= 3 * mm
        _bold_string(c, bx, y, _("内訳"), font, 9)
        y -= 5 * mm
        c.setFont(font, 9)
        for rate, (gross, tax) in breakdown.items():
            if rate == 0:
                c.drawString(bx + 3 * mm, y, _("対象外・非課税"))
                c.drawRightString(bx + 75 * mm, y, format_yen(gross))
            else:
                c.drawString(bx + 3 * mm, y, _("%(rate)s%%対象") % {"rate": rate})
                c.drawRightString(bx + 75 * mm, y, _("%(amount)s(税込)") % {"amount": format_yen(gross)})
                c.drawRightString(bx + box_w, y, _("うち消費税 %(tax)s") % {"tax": format_yen(tax)})
            y -= 5 * mm

    # 収入印紙 box (left) and the issuer (right)
    y -= 8 * mm
    block_top = y
    if duty:
        sw, sh = 28 * mm, 32 * mm
        c.saveState()
        c.setDash(2, 2)
        c.setLineWidth(0.6)
        c.rect(MARGIN_L, block_top - sh, sw, sh, stroke=1, fill=0)
        c.restoreState()
        c.setFont(font, 9)
        c.drawCentredString(MARGIN_L + sw / 2, block_top - 12 * mm, _("収入印紙"))
        c.drawCentredString(MARGIN_L + sw / 2, block_top - 18 * mm, _("%(duty)s円") % {"duty": f"{duty:,}"})
        c.setFont(font, 7.5)
        note_y = block_top - sh - 4 * mm
        for line in _wrap(
            _(
                "印紙税額 %(duty)s円(第17号の1 売上代金の受取書)。電子メール等により電子的に交付する"
                "領収書には収入印紙は不要です。"
            )
            % {"duty": f"{duty:,}"},
            font,
            7.5,
            80 * mm,
        ):
            c.drawString(MARGIN_L, note_y, line)
            note_y -= 3.6 * mm

    rx = MARGIN_L + 100 * mm
    rw = RIGHT - rx
    ry = block_top
    name_top = ry
    for part in _wrap(issuer.name, font, 11, rw):
        _bold_string(c, rx, ry - 11, part, font, 11)
        ry -= 5.5 * mm
    name_bottom = ry
    c.setFont(font, 8.5)
    for line in issuer.address_lines:
        for part in _wrap(line, font, 8.5, rw):
            c.drawString(rx, ry - 8.5, part)
            ry -= 4 * mm
    if issuer.phone:
        c.drawString(rx, ry - 8.5, f"TEL {issuer.phone}")
        ry -= 4 * mm
    if issuer.registration_number:
        c.drawString(rx, ry - 8.5, _("登録番号 %(number)s") % {"number": issuer.registration_number})
        ry -= 4 * mm
    if seal:
        _draw_seal(c, seal, issuer.name, font, rx, rw, name_top, name_bottom)

    _draw_footer(c, font, 1, 1)
    c.showPage()
    c.save()
    return buf.getvalue()


__all__ = ["delivery_note_pdf", "invoice_pdf", "quote_pdf", "receipt_pdf"]


# --------------------------------------------------------------------------- 督促状
# A reminder letter of overdue invoices (お支払いのお願い → 督促状 → 最終督促状): title, the
# addressee and the issuer as on an invoice, a short letter (拝啓 … 敬具), then 「記」 and the table
# of the invoices as listed on the reminder (its snapshot: what was open when it was made), the total
# and the bank details. Drawn from the snapshot only, so the letter printed again later is the same.
LETTER_SIZE = 9.5
LETTER_LEADING = 5.2 * mm


def _reminder_wording(level: int) -> tuple[str, str, list[str]]:
    """(title, the line under the addressee, the letter's paragraphs) of a reminder of ``level``."""
    greeting = _(
        "拝啓 時下ますますご清栄のこととお慶び申し上げます。平素は格別のお引き立てを賜り、厚く御礼申し上げます。"
    )
    crossing = _(
        "なお、本状と行き違いにお支払いいただいている場合は、悪しからずご容赦くださいますようお願い申し上げます。"
    )
    if level >= Reminder.Level.FINAL:
        return (
            _("最終督促状"),
            _("下記の金額を至急お支払いくださいますようお願い申し上げます。"),
            [
                greeting,
                _(
                    "さて、下記の請求書につきましては、これまで再三にわたりお支払いをお願いしてまいりましたが、"
                    "本日現在、いまだご入金の確認ができておりません。"
                ),
                _(
                    "つきましては、本状到着後7日以内に下記の金額をお支払いくださいますよう、重ねてお願い申し上げます。"
                    "期限までにお支払いまたはご連絡をいただけない場合は、誠に不本意ながら、"
                    "法的手続きを含めた措置を検討させていただくことになりますので、あらかじめご承知おきください。"
                ),
                crossing,
            ],
        )
    if level == Reminder.Level.REMINDER:
        return (
            _("督促状"),
            _("下記の金額のお支払いをお願い申し上げます。"),
            [
                greeting,
                _(
                    "さて、先日お支払いのお願いをお送りいたしました下記の請求書につきまして、"
                    "本日現在、まだご入金の確認ができておりません。"
                ),
                _(
                    "ご多忙のところ誠に恐縮ですが、至急ご確認のうえ、お支払いくださいますようお願い申し上げます。"
                    "ご事情がおありの場合は、お手数ですが担当までご連絡くださいますようお願いいたします。"
                ),
                crossing,
            ],
        )
    return (
        _("お支払いのお願い"),
        _("下記の金額のお支払いをお願い申し上げます。"),
        [
            greeting,
            _(
                "さて、下記の請求書につきまして、お支払期日を過ぎておりますが、"
                "本日現在、ご入金の確認ができておりません。"
            ),
            _(
                "お手数をおかけいたしますが、ご確認のうえ、お支払いくださいますようお願い申し上げます。"
                "何かの手違いがございましたら、ご連絡くださいますようお願いいたします。"
            ),
            crossing,
        ],
    )


def _snapshot_date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _reminder_columns() -> list[_Column]:
    return [
        _Column(_("請求書番号"), 38 * mm, "l"),
        _Column(_("請求日"), 28 * mm, "c"),
        _Column(_("支払期日"), 28 * mm, "c"),
        _Column(_("経過日数"), 20 * mm, "r"),
        _Column(_("請求金額"), 33 * mm, "r"),
        _Column(_("未払額"), 33 * mm, "r"),
    ]


def _reminder_row(item: dict[str, Any], as_of: date) -> list[str]:
    due = _snapshot_date(item.get("due_date"))
    days = (as_of - due).days if due else None
    total = item.get("total")
    return [
        str(item.get("number") or ""),
        _short_date(_snapshot_date(item.get("date"))),
        _short_date(due),
        _("%(days)s日") % {"days": days} if days is not None else "",
        _amount(Decimal(str(total))) if total is not None else "",
        _amount(Decimal(str(item.get("open_amount") or 0))),
    ]


def reminder_pdf(reminder: Reminder, *, sales_settings: SalesSettings | None = UNSET) -> bytes:
    """督促状 (level 1 お支払いのお願い, 2 督促状, 3 最終督促状): the overdue invoices as listed on
    the reminder, their total, and a polite letter whose firmness follows the level."""
    customer = reminder.customer
    company = reminder.company
    settings_row = _sales_settings(company, sales_settings)
    title, intro, paragraphs = _reminder_wording(int(reminder.level))
    number = f"DR-{reminder.as_of.year}-{reminder.pk or 0:06d}"
    items = list(reminder.invoices or [])
    fields = [
        (_("基準日"), _d(reminder.as_of)),
        (_("対象の請求書"), _("%(count)s件") % {"count": len(items)}),
    ]
    if reminder.level >= Reminder.Level.FINAL:
        fields.append((_("お支払期限"), _("本状到着後7日以内")))
    side = []
    if settings_row and settings_row.bank_details:
        side.append((_("お振込先"), settings_row.bank_details))
    doc = _Doc(
        title=title,
        subtitle="",
        number=number,
        info=[(_("文書番号"), number), (_("発行日"), _d_wareki(reminder.as_of))],
        addressee=customer.addressee,
        customer_address=_customer_address(customer),
        intro=intro,
        fields=fields,
        amount_label=_("未払いの合計"),
        amount=f"{format_yen(reminder.total)}-",
        issuer=_issuer(company, settings_row),
        columns=_reminder_columns(),
        rows=[_reminder_row(item, reminder.as_of) for item in items],
        totals_title="",
        totals=[
            _TotalsRow(_("件数"), "", _("%(count)s件") % {"count": len(items)}),
            _TotalsRow(_("未払いの合計"), "", format_yen(reminder.total), big=True, rule_above=True),
        ],
        side_notes=side,
        remarks=[("", _("以上"))],
    )
    return _render_letter(doc, paragraphs)


def _letter_lines(paragraphs: Sequence[str], font: str) -> list[str]:
    lines: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        text = paragraph if i == 0 else "\u3000" + paragraph  # 字下げ as letters are written
        lines += _wrap(text, font, LETTER_SIZE, CONTENT_W)
    return lines


def _render_letter(doc: _Doc, paragraphs: Sequence[str]) -> bytes:
    """``_render`` with a letter between the header and the table: the paragraphs, 「敬具」 and
    「記」. The rows are laid out over pages the same way."""
    buf = io.BytesIO()
    c, font = _new_canvas(buf, [*_labels(doc), *paragraphs, _("敬具"), _("記"), _("以上")])
    rows = _layout_rows(doc, font)
    side_w = CONTENT_W - TOTALS_W - 6 * mm
    side = _note_lines(doc.side_notes, font, side_w)
    remarks = _note_lines(doc.remarks, font, CONTENT_W)
    tail_h = max(_totals_height(doc), len(side) * NOTE_LEADING) + 4 * mm
    letter = _letter_lines(paragraphs, font)

    c.setTitle(f"{doc.title} {doc.number}".strip())
    c.setAuthor(doc.author or doc.issuer.name)
    c.setSubject(doc.addressee)
    c.setCreator("Ennoshita")

    header_bottom = _header_height(doc, font)
    letter_h = (len(letter) + 2) * LETTER_LEADING + 2 * mm  # the lines, 敬具, 記
    first_top = header_bottom - letter_h
    pages, tail_page, tail_y, remark_pages, total_pages = _paginate(rows, first_top, tail_h, remarks)

    logo = _image(doc.issuer.settings.logo, LOGO_MAX_PX) if doc.issuer.settings else None
    seal = _image(doc.issuer.settings.seal, SEAL_MAX_PX) if doc.issuer.settings else None
    for p in range(total_pages):
        if p == 0:
            _draw_header(c, doc, font, logo, seal)
            _draw_letter(c, font, letter, header_bottom)
            top = first_top
        else:
            _draw_continued(c, doc, font)
            top = _continued_top()
        if p < len(pages) and (pages[p] or p == 0):
            _draw_table(c, doc, font, pages[p], top)
        if p == tail_page:
            _draw_tail(c, doc, font, tail_y, side, side_w)
        for rp, ry, text, _heading in remark_pages:
            if rp == p:
                c.setFont(font, LETTER_SIZE)
                c.drawRightString(RIGHT, ry - LETTER_SIZE, text)
        _draw_footer(c, font, p + 1, total_pages)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_letter(c: Canvas, font: str, lines: Sequence[str], top: float) -> None:
    c.setFillColor(colors.black)
    c.setFont(font, LETTER_SIZE)
    y = top
    for line in lines:
        c.drawString(MARGIN_L, y - LETTER_SIZE, line)
        y -= LETTER_LEADING
    c.drawRightString(RIGHT, y - LETTER_SIZE, _("敬具"))
    y -= LETTER_LEADING
    c.drawCentredString(PAGE_W / 2, y - LETTER_SIZE, _("記"))


__all__ += ["reminder_pdf"]
