"""Bank and branch codes from the zengin-code data."""

from __future__ import annotations

import pytest

from ennoshita.purchasing import banks
from ennoshita.purchasing.rules import BANK_CHARACTERS


@pytest.mark.parametrize(
    ("code", "name", "kana"),
    [
        ("0001", "みずほ", "ﾐｽﾞﾎ"),
        ("0005", "三菱ＵＦＪ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"),  # full-width ミツビシユ－エフジエイ in the data
        ("0009", "三井住友", "ﾐﾂｲｽﾐﾄﾓ"),
        ("9900", "ゆうちょ", "ﾕｳﾁﾖ"),
    ],
)
def test_real_banks(code, name, kana):
    assert banks.bank(code) == banks.Bank(code=code, name=name, kana=kana)


@pytest.mark.parametrize(
    ("bank_code", "branch_code", "name", "kana"),
    [
        ("0001", "001", "東京営業部", "ﾄｳｷﾖｳ"),
        ("0001", "004", "丸の内中央", "ﾏﾙﾉｳﾁﾁﾕｳｵｳ"),
        ("9900", "018", "〇一八", "ｾﾞﾛｲﾁﾊﾁ"),
    ],
)
def test_real_branches(bank_code, branch_code, name, kana):
    assert banks.branch(bank_code, branch_code) == banks.Branch(
        bank_code=bank_code, code=branch_code, name=name, kana=kana
    )


def test_branches_of_the_big_banks_are_there():
    for bank_code in ("0005", "0009"):
        found = banks.branch(bank_code, "001")
        assert found is not None and found.kana and set(found.kana) <= BANK_CHARACTERS


def test_unknown_codes():
    assert banks.bank("0003") is None
    assert banks.bank("abcd") is None
    assert banks.branch("0001", "999") is None
    assert banks.branch("0003", "001") is None
    assert banks.branch("../x", "001") is None
    assert banks.branches("0003") == []


def test_the_data_is_loaded_once():
    assert banks.bank("0001") is banks.bank("0001")
    assert banks.branch("0001", "001") is banks.branch("0001", "001")


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("0005", "0005"),
        ("みずほ", "0001"),
        ("ミズホ", "0001"),
        ("ﾐｽﾞﾎ", "0001"),
        ("三井住友", "0009"),
        ("ｍｉｔｓｕ", None),  # no romaji search: name or kana only
        ("ufj", "0005"),
        ("ＵＦＪ", "0005"),
        ("ゆうちょ", "9900"),
        ("ﾕｳﾁﾖ", "9900"),
        ("ユウチョ", "9900"),  # small ョ typed, ﾖ in the data
    ],
)
def test_search_banks(q, first):
    found = banks.search_banks(q)
    if first is None:
        assert found == []
    else:
        assert found[0].code == first


def test_search_by_code_prefix_and_limit():
    found = banks.search_banks("00", limit=5)
    assert [b.code for b in found] == ["0001", "0005", "0009", "0010", "0017"]
    assert [b.code for b in banks.search_banks("0001")][:1] == ["0001"]
    assert banks.search_banks("") == []
    assert banks.search_banks("みずほ", limit=0) == []
    assert len(banks.search_banks("ｼﾝｷﾝ")) == 20


def test_search_finds_names_containing_the_words():
    codes = [b.code for b in banks.search_banks("みずほ")]
    assert codes[0] == "0001"
    assert "0289" in codes  # みずほ信託


def test_search_branches():
    found = banks.search_branches("0001", "ﾏﾙﾉｳﾁ")
    assert {b.code for b in found} >= {"004", "005"}
    assert banks.search_branches("0001", "001")[0].code == "001"
    assert banks.search_branches("0003", "001") == []


def test_every_name_in_the_data_converts_to_bank_characters():
    count = 0
    for bank in banks.all_banks():
        assert bank.kana and set(bank.kana) <= BANK_CHARACTERS, bank
        for branch in banks.branches(bank.code):
            assert set(branch.kana) <= BANK_CHARACTERS, branch
            count += 1
    assert count > 28_000
