import pytest

from ennoshita.core.text import name_key, normalize_phone, normalize_postal_code, search_key, to_katakana


@pytest.mark.parametrize("raw", ["100-0001", "1000001", "〒１００－０００１", " 100ー0001 "])
def test_postal_code_is_normalised(raw):
    assert normalize_postal_code(raw) == "100-0001"


@pytest.mark.parametrize("raw", ["100-001", "abcdefg", "1000-0001", ""])
def test_bad_postal_code_is_refused(raw):
    with pytest.raises(ValueError):
        normalize_postal_code(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03-1234-5678", "03-1234-5678"),
        ("０３－１２３４－５６７８", "03-1234-5678"),
        ("09012345678", "09012345678"),
        ("+81 90 1234 5678", "090-1234-5678"),
        ("(03)1234-5678", "03-1234-5678"),
    ],
)
def test_phone_is_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["123", "1234567890", "03-1234-56789-0", "電話"])
def test_bad_phone_is_refused(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


def test_search_key_folds_width_and_kana():
    assert search_key("ｶﾅ") == search_key("カナ") == search_key("かな")
    assert search_key("ＡＢＣ　商事") == "abc商事"


def test_to_katakana():
    assert to_katakana("やまだ") == "ヤマダ"
    assert to_katakana("ﾔﾏﾀﾞ") == "ヤマダ"


def test_name_key_folds_width_case_and_spaces_but_not_kana():
    assert name_key("ＡＢＣ　商事") == name_key("ABC 商事") == name_key("abc商事") == "abc商事"
    assert name_key("ｶﾌﾞｼｷｶﾞｲｼｬ") == "カブシキガイシャ"  # half-width kana → full-width (NFKC)
    assert name_key("やまだ") != name_key("ヤマダ")  # hiragana and katakana stay apart
    assert name_key("㈱山田") == "(株)山田"
