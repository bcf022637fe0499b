"""CSV files that Japanese offices exchange: read UTF-8 (with or without BOM) or Shift_JIS, write
UTF-8 with BOM (Excel opens it in Japanese) or Shift_JIS, and never garble either way.

- :func:`decode_upload` turns uploaded bytes into text, or raises a :class:`ServiceError` that
  says why not (a binary or Excel file, UTF-16, two encodings mixed in one file, bytes that are
  neither UTF-8 nor Shift_JIS, 外字). It never guesses silently.
- :func:`encode_csv` writes rows; for Shift_JIS it reports every cell with a character that
  Shift_JIS cannot hold (𠮷, emoji, …), unless the caller explicitly asks to replace them with 〓.
- :func:`defuse` keeps a cell from being read as a formula by spreadsheet programs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ServiceError

UTF8_BOM = b"\xef\xbb\xbf"
SJIS = "cp932"  # Windows' Shift_JIS (what Excel writes and reads in Japan), with NEC/IBM extensions
ENCODING_LABELS: dict[str, Any] = {
    "utf-8-sig": gettext_lazy("UTF-8 (BOM付き)"),
    "utf-8": "UTF-8",
    SJIS: "Shift_JIS",
}
REPLACEMENT = "〓"  # ゲタ: the customary mark for a character that could not be printed
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _error(message: str) -> ServiceError:
    return ServiceError(message, code="bad_file", field_errors={"file": [message]})


# ---------------------------------------------------------------------------- reading
def decode_upload(data: bytes) -> tuple[str, str]:
    """Decode an uploaded CSV: returns ``(text, encoding)`` with encoding ``utf-8-sig``, ``utf-8``
    or ``cp932``. Raises :class:`ServiceError` (field ``file``) with the reason in Japanese."""
    if not data or not data.strip():
        raise _error(_("ファイルが空です。"))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise _error(
            _(
                "Excel ブックなどの CSV ではないファイルです。Excel で「CSV UTF-8」か「CSV (コンマ区切り)」形式で保存してからアップロードしてください。"
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _error(
            _(
                "UTF-16 のファイルは読み込めません。「CSV UTF-8」か「CSV (コンマ区切り)」形式で保存し直してください。"
            )
        )
    if data.startswith(UTF8_BOM):
        text = _decode_utf8(data[len(UTF8_BOM) :])
        encoding = "utf-8-sig"
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text = _decode_sjis(data)
            encoding = SJIS
    _check_text(text, encoding)
    # A BOM in the middle (two files pasted together) is invisible and carries no text.
    return text.replace("\ufeff", ""), encoding


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        if _is_sjis(data.split(b"\n")[line - 1]):
            raise _error(
                _(
                    "ファイルの先頭は UTF-8 ですが、%(line)d 行目に UTF-8 ではない文字があります(Shift_JIS と混在しているようです)。一つの文字コードで保存し直してください。"
                )
                % {"line": line}
            ) from exc
        raise _error(
            _(
                "%(line)d 行目に UTF-8 として読めないバイトがあります。ファイルが壊れていないか確認してください。"
            )
            % {"line": line}
        ) from exc


def _is_sjis(data: bytes) -> bool:
    try:
        data.decode(SJIS)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_multibyte_line(line: bytes) -> bool:
    """A line that is valid UTF-8 and holds a character of 3 bytes or more (Japanese in UTF-8)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(ch) >= 0x800 for ch in text)


def _decode_sjis(data: bytes) -> str:
    """Not UTF-8: Shift_JIS, unless some lines are UTF-8 (mixed) or some are neither."""
    if _looks_binary(data):
        raise _error(_("テキストではないファイルのようです。CSV ファイルを選んでください。"))
    try:
        text = data.decode(SJIS)
    except UnicodeDecodeError:
        text = None
    utf8_lines, sjis_lines, neither = _classify_lines(data)
    if neither:
        raise _error(
            _(
                "%(lines)s 行目が UTF-8 としても Shift_JIS としても読めません。文字コードを UTF-8 か Shift_JIS にして保存し直してください。"
            )
            % {"lines": _line_list(neither)}
        )
    if utf8_lines or text is None:
        raise _error(
            _(
                "UTF-8 の行(%(utf8)s 行目)と Shift_JIS の行(%(sjis)s 行目)が混在しています。一つの文字コードで保存し直してください。"
            )
            % {"utf8": _line_list(utf8_lines), "sjis": _line_list(sjis_lines)}
        )
    return text


def _classify_lines(data: bytes) -> tuple[list[int], list[int], list[int]]:
    """Line numbers of non-ASCII lines that are Japanese in UTF-8, only Shift_JIS, or neither."""
    utf8_lines: list[int] = []
    sjis_lines: list[int] = []
    neither: list[int] = []
    for n, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        if _utf8_multibyte_line(line):
            utf8_lines.append(n)
        elif _is_sjis(line):
            sjis_lines.append(n)
        elif _is_utf8(line):
            utf8_lines.append(n)
        else:
            neither.append(n)
    return utf8_lines, sjis_lines, neither


def _line_list(lines: list[int]) -> str:
    return ", ".join(str(n) for n in lines[:5]) + (" …" if len(lines) > 5 else "")


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in head or sum(b < 0x09 or 0x0E <= b < 0x20 for b in head) > 2


_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")


def _check_text(text: str, encoding: str) -> None:
    if m := _CONTROL_RE.search(text):
        line = text.count("\n", 0, m.start()) + 1
        raise _error(
            _(
                "テキストではないファイルのようです(%(line)d 行目に制御文字があります)。CSV ファイルを選んでください。"
            )
            % {"line": line}
        )
    if encoding == SJIS and (m := _PRIVATE_USE_RE.search(text)):
        line = text.count("\n", 0, m.start()) + 1
        raise _error(
            _("%(line)d 行目に外字(機種依存の独自文字)があり、正しく読めません。通常の文字に直してください。")
            % {"line": line}
        )


def read_rows(text: str) -> Iterable[tuple[int, list[str]]]:
    """CSV records with the file line number on which each one starts (quoted newlines count)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _error(
            _("%(line)d 行目を CSV として読めません: %(reason)s") % {"line": start, "reason": exc}
        ) from exc


# ---------------------------------------------------------------------------- writing
def defuse(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def undefuse(value: str) -> str:
    """The inverse of :func:`defuse`, for files that went out and come back."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


@dataclass(frozen=True)
class Unencodable:
    line: int  # line in the CSV file (1 = header)
    column: str  # header of the column
    value: str
    chars: str  # the characters that the encoding cannot hold


class UnencodableError(ServiceError):
    """Some cells hold characters that Shift_JIS cannot represent; ``problems`` lists them all."""

    def __init__(self, problems: list[Unencodable]) -> None:
        super().__init__(
            _(
                "Shift_JIS で表せない文字が %(n)d か所あります。UTF-8 で出力するか、置き換えて出力してください。"
            )
            % {"n": len(problems)},
            code="unencodable",
        )
        self.problems = problems


def unencodable_chars(text: str, encoding: str = SJIS) -> str:
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            if ch not in out:
                out.append(ch)
    return "".join(out)


def encode_csv(rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8-sig", replace: bool = False) -> bytes:
    """Rows (the first is the header) as CSV bytes with CRLF line ends, the way Excel writes them.

    ``encoding`` is ``utf-8-sig`` (UTF-8 with BOM) or ``cp932`` (Shift_JIS). With Shift_JIS every
    cell that cannot be represented is reported in one :class:`UnencodableError`, unless
    ``replace`` is true: then each such character becomes 〓, because the caller asked for it.
    """
    if encoding not in ("utf-8-sig", "utf-8", SJIS):
        raise ValueError(f"unsupported encoding: {encoding}")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    header: Sequence[Any] = ()
    problems: list[Unencodable] = []
    for index, row in enumerate(rows):
        cells = ["" if v is None else str(v) for v in row]
        if index == 0:
            header = cells
        if encoding == SJIS:
            for col, cell in enumerate(cells):
                bad = unencodable_chars(cell, SJIS)
                if not bad:
                    continue
                if replace:
                    cells[col] = "".join(REPLACEMENT if ch in bad else ch for ch in cell)
                else:
                    label = str(header[col]) if col < len(header) else str(col + 1)
                    problems.append(Unencodable(index + 1, label, cell, bad))
        writer.writerow(cells)
    if problems:
        raise UnencodableError(problems)
    return buffer.getvalue().encode(encoding)
