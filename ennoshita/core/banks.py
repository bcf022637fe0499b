"""Bank and branch codes (統一金融機関コード・店番) from the ``zengin-code`` package.

The package's own API (``zengin_code.Bank.all``) reads every bank and all ~29,000 branches when
it is imported (about 0.3 s and 18 MiB). We read the JSON files it ships instead: the bank list on
first use, and one bank's branches when that bank is first asked for. Both are cached for the
life of the process. Its kana is full-width (ミツビシユ－エフジエイ); ours is what banks expect
in a 全銀 file (ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ), made by ``core.bank_text.bank_characters``.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Bank:
    code: str  # 4 digits
    name: str  # as the data has it: 三菱ＵＦＪ, みずほ
    kana: str  # half-width, as in a 全銀 file: ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ


@dataclass(frozen=True)
class Branch:
    bank_code: str
    code: str  # 3 digits
    name: str
    kana: str


def _data_dir() -> Path:
    # find_spec locates the package without importing it (importing it loads everything).
    spec = importlib.util.find_spec("zengin_code")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the zengin-code package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "source-data" / "data"


def _read(*parts: str) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(_data_dir().joinpath(*parts).read_text("utf-8"))
    return data


@cache
def _banks() -> dict[str, Bank]:
    from ennoshita.core.bank_text import bank_characters

    return {
        code: Bank(code=code, name=item["name"], kana=bank_characters(item["kana"]))
        for code, item in sorted(_read("banks.json").items())
    }


@cache
def _branches(bank_code: str) -> dict[str, Branch]:
    from ennoshita.core.bank_text import bank_characters

    path = _data_dir() / "branches" / f"{bank_code}.json"
    if not path.exists():
        return {}
    return {
        code: Branch(bank_code=bank_code, code=code, name=item["name"], kana=bank_characters(item["kana"]))
        for code, item in sorted(_read("branches", f"{bank_code}.json").items())
    }


def bank(code: str) -> Bank | None:
    return _banks().get(code)


def all_banks() -> list[Bank]:
    return list(_banks().values())


def branch(bank_code: str, branch_code: str) -> Branch | None:
    if bank_code not in _banks():  # only known codes reach the per-bank cache
        return None
    return _branches(bank_code).get(branch_code)


def branches(bank_code: str) -> list[Branch]:
    if bank_code not in _banks():
        return []
    return list(_branches(bank_code).values())


def _kana_key(q: str) -> str | None:
    from ennoshita.core.bank_text import bank_characters

    try:
        return bank_characters(q) or None
    except ValueError:  # kanji etc.: not a kana query
        return None


def _search(items: list[Bank] | list[Branch], q: str, limit: int) -> list:
    """Codes by prefix, names and kana by substring; exact code, then prefix matches, first."""
    text = unicodedata.normalize("NFKC", q or "").strip()
    if not text or limit <= 0:
        return []
    folded = text.casefold()
    kana = _kana_key(text)
    ranked = []
    for item in items:
        name = unicodedata.normalize("NFKC", item.name).casefold()
        if item.code == text:
            rank = 0
        elif item.code.startswith(text):
            rank = 1
        elif name.startswith(folded) or (kana and item.kana.startswith(kana)):
            rank = 2
        elif folded in name or (kana and kana in item.kana):
            rank = 3
        else:
            continue
        ranked.append((rank, item.code, item))
    ranked.sort(key=lambda row: row[:2])
    return [item for _, _, item in ranked[:limit]]


def search_banks(q: str, limit: int = 20) -> list[Bank]:
    """Banks whose code starts with ``q`` or whose name or kana contains it (みずほ, ﾐｽﾞﾎ, 0001)."""
    return _search(list(_banks().values()), q, limit)


def search_branches(bank_code: str, q: str, limit: int = 20) -> list[Branch]:
    """The same within one bank's branches."""
    return _search(branches(bank_code), q, limit)
