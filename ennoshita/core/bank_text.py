"""Names as banks accept them in a 全銀 file (jp-rules §8: half-width kana, no small kana, 法人格 abbreviations)."""

from __future__ import annotations

import re
import unicodedata

import jaconv

# ============================================================================ §8 characters

# §8 (全銀協「使用文字一覧」, as jp-rules narrows it for names): half-width katakana without ｦ and
# without small kana, ﾞ ﾟ, A–Z, 0–9, space and ( ) - . only.
BANK_CHARACTERS = frozenset(
    "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ()-."
)

# Full-width stage: small kana → large (ｯ → ﾂ, ｬ → ﾔ …, §8), and kana banks do not have.
_LARGE_KANA = str.maketrans("ァィゥェォッャュョヮヵヶヰヱヲ", "アイウエオツヤユヨワカケイエオ")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Half-width stage: §8 長音 ｰ → "-", ・ → "."; dashes typed for ー; kana jaconv leaves full-width.
_HALF_WIDTH_FIXES = str.maketrans(
    {
        "ｰ": "-",
        "ー": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "･": ".",
        "・": ".",
        "ヷ": "ﾜﾞ",
        "ヸ": "ｲﾞ",
        "ヹ": "ｴﾞ",
        "ヺ": "ｵﾞ",
        "\u3099": "ﾞ",
        "\u309a": "ﾟ",
    }
)

# 法人格 → its 全銀 abbreviation. §8 names 株式会社 ｶ, 有限会社 ﾕ, 合同会社 ﾄﾞ, 医療法人 ｲ "etc."; the
# others are the 全銀協 略語 in general use (banks publish the same list; check yours).
# Kana forms are written with large kana: matching happens after ｬ → ﾔ.
LEGAL_ENTITY_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ｶ", ("株式会社", "カブシキガイシヤ", "カブシキカイシヤ", "(株)")),
    ("ﾕ", ("有限会社", "ユウゲンガイシヤ", "ユウゲンカイシヤ", "(有)")),
    ("ﾄﾞ", ("合同会社", "ゴウドウガイシヤ", "ゴウドウカイシヤ", "(同)")),
    ("ﾒ", ("合名会社", "ゴウメイガイシヤ", "ゴウメイカイシヤ", "(名)")),
    ("ｼ", ("合資会社", "ゴウシガイシヤ", "ゴウシカイシヤ", "(資)")),
    ("ｿ", ("相互会社", "ソウゴガイシヤ", "ソウゴカイシヤ")),
    (
        "ｲ",
        ("医療法人社団", "医療法人財団", "医療法人", "イリヨウホウジンシヤダン", "イリヨウホウジンザイダン"),
    ),
    ("ｲ", ("イリヨウホウジン", "(医)")),
    (
        "ｻﾞｲ",
        ("一般財団法人", "公益財団法人", "財団法人", "イツパンザイダンホウジン", "コウエキザイダンホウジン"),
    ),
    ("ｻﾞｲ", ("ザイダンホウジン", "(財)")),
    (
        "ｼﾔ",
        ("一般社団法人", "公益社団法人", "社団法人", "イツパンシヤダンホウジン", "コウエキシヤダンホウジン"),
    ),
    ("ｼﾔ", ("シヤダンホウジン", "(社)")),
    ("ｶﾞｸ", ("学校法人", "ガツコウホウジン", "(学)")),
    ("ﾌｸ", ("社会福祉法人", "シヤカイフクシホウジン", "(福)")),
    ("ｼﾕｳ", ("宗教法人", "シユウキヨウホウジン", "(宗)")),
    ("ﾄｸﾋ", ("特定非営利活動法人", "トクテイヒエイリカツドウホウジン")),
    ("ﾄﾞｸ", ("独立行政法人", "ドクリツギヨウセイホウジン")),
    ("ﾎｺﾞ", ("更生保護法人", "コウセイホゴホウジン")),
    ("ﾍﾞﾝ", ("弁護士法人", "ベンゴシホウジン")),
    ("ｾﾞｲ", ("税理士法人", "ゼイリシホウジン")),
    ("ｼﾎｳ", ("司法書士法人", "シホウシヨシホウジン")),
    ("ｷﾞﾖ", ("行政書士法人", "ギヨウセイシヨシホウジン")),
    ("ﾛｳﾑ", ("社会保険労務士法人", "シヤカイホケンロウムシホウジン")),
    ("ﾉｳ", ("農事組合法人", "ノウジクミアイホウジン")),
    ("ｶﾝﾘ", ("管理組合法人", "カンリクミアイホウジン")),
    ("ﾀﾞｲ", ("国立大学法人", "公立大学法人", "コクリツダイガクホウジン", "コウリツダイガクホウジン")),
)
_ABBREVIATION_OF = {word: abbr for abbr, words in LEGAL_ENTITY_ABBREVIATIONS for word in words}
_LEGAL_ENTITY_RE = re.compile(
    " ?(" + "|".join(re.escape(w) for w in sorted(_ABBREVIATION_OF, key=len, reverse=True)) + ") ?"
)


def _abbreviate_legal_entities(text: str) -> str:
    """§8: 株式会社 → ｶ) at the start, (ｶ at the end, (ｶ) in the middle; the same for the others."""

    def replace(match: re.Match[str]) -> str:
        abbr = _ABBREVIATION_OF[match.group(1)]
        if match.start() == 0:
            return f"{abbr})"
        if match.end() == len(text):
            return f"({abbr}"
        return f"({abbr})"

    return _LEGAL_ENTITY_RE.sub(replace, text)


def _convert(text: str, *, abbreviate: bool) -> str:
    s = text.replace("゛", "\u3099").replace("゜", "\u309a")  # so that NFKC joins them to the kana
    s = unicodedata.normalize("NFKC", s)  # ｶﾞ → ガ, ＡＢ１ → AB1, （）→ (), ㈱ → (株), full-width space
    s = jaconv.hira2kata(s)
    s = s.translate(_ASCII_UPPER).translate(_LARGE_KANA)
    s = " ".join(s.split())
    if abbreviate:
        s = _abbreviate_legal_entities(s)
    s = jaconv.z2h(s, kana=True, ascii=True, digit=True)  # ガ → ｶﾞ (濁点 as its own character)
    return s.translate(_HALF_WIDTH_FIXES)


def _to_bank_characters(text: str, *, abbreviate: bool) -> str:
    converted = _convert(text, abbreviate=abbreviate)
    left = {ch for ch in converted if ch not in BANK_CHARACTERS}
    if left:
        # Name the characters as typed (「、」, not the ｢､｣ it became).
        typed = dict.fromkeys(ch for ch in text if left & set(_convert(ch, abbreviate=False)))
        shown = "".join(f"「{ch}」" for ch in typed or left)
        raise ValueError(
            f"「{text}」には全銀ファイルで使えない文字があります: {shown}"
            "（使えるのは半角カナ・英大文字・数字・スペース・( ) - . だけです。漢字や記号はカナで入力してください）"
        )
    return converted


def bank_kana(text: str) -> str:
    """A name as banks accept it in a 全銀 file (§8); raises ValueError naming what cannot be.

    「カブシキガイシャ　えんのした」 → 「ｶ)ｴﾝﾉｼﾀ」: full-width → half-width, hiragana → katakana,
    small kana → large, 濁点 as a separate ﾞ, ｰ → -, ・ → ., a 法人格 → its abbreviation.
    Lengths are not checked here (受取人名 30, 依頼人名 40: see ``zengin_transfer_records``).
    """
    return _to_bank_characters(text, abbreviate=True)


def bank_characters(text: str) -> str:
    """The same conversion without the 法人格 abbreviations: for bank and branch names, EDI text."""
    return _to_bank_characters(text, abbreviate=False)
