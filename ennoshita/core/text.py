"""Normalisation of what people type: 郵便番号, phone numbers, 全角/半角 and kana for search."""

from __future__ import annotations

import re
import unicodedata

import jaconv
from django.utils.translation import gettext as _

_DASHES = "‐‑‒–—―−ｰーｰ-"


def nfkc(text: str) -> str:
    """ｶﾅ → カナ, ＡＢＣ１２３ → ABC123, full-width space → space (unicodedata NFKC)."""
    return unicodedata.normalize("NFKC", text or "")


def search_key(text: str) -> str:
    """Key for matching: NFKC, case-folded, hiragana folded to katakana, spaces removed.

    A search for カナ finds ｶﾅ and かな; for ＡＢＣ finds abc.
    """
    s = nfkc(text).casefold()
    s = jaconv.hira2kata(s)
    return re.sub(r"\s+", "", s)


def name_key(text: str) -> str:
    """Key under which names that differ only in width, case or spaces are one name
    (ＡＢＣ商事 = ABC 商事 = abc商事): NFKC, spaces removed, case-folded. Kana stay as written."""
    return "".join(nfkc(text).split()).casefold()


def normalize_postal_code(text: str) -> str:
    """ "〒１００－０００１" / "1000001" → "100-0001". Raises ValueError unless 7 digits."""
    s = nfkc(text).replace("〒", "").strip()
    digits = re.sub(f"[{re.escape(_DASHES)}\\s]", "", s)
    if not re.fullmatch(r"\d{7}", digits):
        raise ValueError(_("郵便番号は7桁の数字で入力してください(例: 100-0001)"))
    return f"{digits[:3]}-{digits[3:]}"


def normalize_phone(text: str) -> str:
    """Half-width digits and ASCII hyphens; 10–11 digits starting with 0 (or +81 converted).

    Hyphen positions typed by the user are kept (area codes vary in length); a number typed
    without hyphens is kept as digits only, which is unambiguous.
    """
    s = nfkc(text).strip()
    s = re.sub(f"[{re.escape(_DASHES)}]", "-", s)
    s = re.sub(r"[()\s]", "-", s).strip("-")
    s = re.sub(r"-{2,}", "-", s)
    if s.startswith("+81"):
        s = "0" + s[3:].lstrip("-")
    digits = s.replace("-", "")
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValueError(_("電話番号は0から始まる10桁または11桁で入力してください(例: 03-1234-5678)"))
    return s


def to_katakana(text: str) -> str:
    """フリガナ: hiragana and half-width kana become full-width katakana."""
    return jaconv.hira2kata(nfkc(text)).strip()


_KATAKANA_RE = re.compile(r"^[\u30A0-\u30FF\s・ー]+$")


def is_katakana(text: str) -> bool:
    return bool(_KATAKANA_RE.match(text))
