"""core.csvio: read UTF-8 (BOM or not) and Shift_JIS without guessing wrong; write without garbling."""

from __future__ import annotations

import pytest

from ennoshita.core.csvio import (
    UnencodableError,
    decode_upload,
    defuse,
    encode_csv,
    read_rows,
    undefuse,
)
from ennoshita.core.errors import ServiceError

TEXT = "社員番号,氏名,フリガナ\r\nE001,髙橋 一郎,ﾀｶﾊｼ\r\nE002,渡邉 ①子,ワタナベ\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("cp932"), "cp932"),
        (b"number,name\r\nE001,Yamada\r\n", "utf-8"),
    ],
)
def test_decodes_each_encoding_exactly(data, encoding):
    text, found = decode_upload(data)
    assert found == encoding
    assert text == (TEXT if "E002" in text else "number,name\r\nE001,Yamada\r\n")


def _message(data: bytes) -> str:
    with pytest.raises(ServiceError) as err:
        decode_upload(data)
    assert err.value.code == "bad_file" and list(err.value.field_errors) == ["file"]
    return err.value.message


def test_refuses_an_empty_file():
    assert _message(b"  \r\n") == "ファイルが空です。"


@pytest.mark.parametrize("head", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_refuses_excel_books_with_a_hint(head):
    assert _message(head + bytes(range(256))).startswith("Excel ブックなどの CSV ではないファイルです。")


def test_refuses_binary_data():
    assert (
        _message(bytes(range(256)) * 8)
        == "テキストではないファイルのようです。CSV ファイルを選んでください。"
    )
    assert (
        _message(b"a,b\r\n\x00\x01,c\r\n")
        == "テキストではないファイルのようです(2 行目に制御文字があります)。CSV ファイルを選んでください。"
    )


def test_refuses_utf16():
    assert _message("a,b\r\n".encode("utf-16")).startswith("UTF-16 のファイルは読み込めません。")


def test_refuses_utf8_and_shift_jis_mixed_in_one_file():
    data = "見出し,名前\r\n".encode() + "E001,山田\r\n".encode("cp932") + "E002,佐藤\r\n".encode()
    assert (
        _message(data)
        == "UTF-8 の行(1, 3 行目)と Shift_JIS の行(2 行目)が混在しています。一つの文字コードで保存し直してください。"
    )


def test_refuses_shift_jis_lines_after_a_utf8_bom():
    data = b"\xef\xbb\xbf" + "見出し\r\n".encode() + "山田\r\n".encode("cp932")
    assert _message(data) == (
        "ファイルの先頭は UTF-8 ですが、2 行目に UTF-8 ではない文字があります(Shift_JIS と混在しているようです)。"
        "一つの文字コードで保存し直してください。"
    )


def test_refuses_bytes_that_are_neither_and_names_the_line():
    data = b"a,b\r\nc,d\r\n\x81\x20\xff\r\n"
    assert (
        _message(data)
        == "3 行目が UTF-8 としても Shift_JIS としても読めません。文字コードを UTF-8 か Shift_JIS にして保存し直してください。"
    )


def test_refuses_shift_jis_user_defined_characters():
    assert (
        _message("山田\r\n".encode("cp932") + b"\xf0\x40\r\n")
        == "2 行目に外字(機種依存の独自文字)があり、正しく読めません。通常の文字に直してください。"
    )


def test_a_stray_bom_in_the_middle_is_dropped():
    text, _enc = decode_upload(b"\xef\xbb\xbfa,b\r\n\xef\xbb\xbfc,d\r\n")
    assert text == "a,b\r\nc,d\r\n"


def test_read_rows_gives_the_line_each_record_starts_on():
    rows = list(read_rows('a,b\r\n"x\r\ny",z\r\nc,d\r\n'))
    assert rows == [(1, ["a", "b"]), (2, ["x\r\ny", "z"]), (4, ["c", "d"])]


def test_encode_utf8_with_bom_and_crlf():
    assert encode_csv([["番号", "氏名"], ["1", "𠮷田"]]) == "\ufeff番号,氏名\r\n1,𠮷田\r\n".encode()


def test_encode_shift_jis_reports_every_cell_it_cannot_hold():
    with pytest.raises(UnencodableError) as err:
        encode_csv([["番号", "氏名", "メモ"], ["1", "𠮷田", "ok"], ["2", "髙橋", "🍣と🍣"]], encoding="cp932")
    assert [(p.line, p.column, p.value, p.chars) for p in err.value.problems] == [
        (2, "氏名", "𠮷田", "𠮷"),
        (3, "メモ", "🍣と🍣", "🍣"),
    ]
    assert (
        err.value.message
        == "Shift_JIS で表せない文字が 2 か所あります。UTF-8 で出力するか、置き換えて出力してください。"
    )


def test_encode_shift_jis_replaces_only_when_asked():
    data = encode_csv([["氏名"], ["𠮷田"], ["髙橋"]], encoding="cp932", replace=True)
    assert data.decode("cp932") == "氏名\r\n〓田\r\n髙橋\r\n"


def test_round_trip_through_shift_jis():
    data = encode_csv([["氏名", "カナ"], ["渡邉 ①子", "ﾜﾀﾅﾍﾞ"]], encoding="cp932")
    text, enc = decode_upload(data)
    assert enc == "cp932" and list(read_rows(text)) == [(1, ["氏名", "カナ"]), (2, ["渡邉 ①子", "ﾜﾀﾅﾍﾞ"])]


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+81", "'+81"), ("-5", "'-5"), ("@a", "'@a"), ("山田", "山田"), (5, 5)],
)
def test_defuse_keeps_formulas_from_running(value, safe):
    assert defuse(value) == safe
    if isinstance(value, str):
        assert undefuse(defuse(value)) == value
