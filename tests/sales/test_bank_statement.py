"""Reading bank statements: our CSV layout (UTF-8, BOM, Shift_JIS; 西暦 and 和暦 dates) and the
全銀協 入出金取引明細 fixed-length file (200-byte records of half-width kana, with CR LF or
without); every problem names its line or record; only credits become lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ennoshita.sales.bank_statement import LAYOUT_CSV, LAYOUT_ZENGIN, parse_statement

TODAY = date(2026, 8, 3)


# ---------------------------------------------------------------------------- 全銀 builders
def _c(text: str, length: int) -> bytes:
    """A character field: half-width kana / ASCII in Shift_JIS (1 byte each), left, space-filled."""
    raw = text.encode("cp932")
    assert len(raw) <= length
    return raw.ljust(length, b" ")


def _n(value: int, length: int) -> bytes:
    return str(value).rjust(length, "0").encode("ascii")


def zengin_header(kind: str = "03", code: str = "0") -> bytes:
    record = (
        b"1"
        + kind.encode()
        + code.encode()
        + b"080801"  # 作成日 令和8年8月1日
        + b"080701"
        + b"080731"
        + b"0001"
        + _c("ﾐｽﾞﾎ", 15)
        + b"001"
        + _c("ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ", 15)
        + b"000"
        + b"1"
        + _n(1234567, 10)
        + _c("ｶ)ｴﾝﾉｼﾀ", 40)
        + b"1"
        + b"1"
        + _n(1_000_000, 14)
        + b" " * 71
    )
    assert len(record) == 200
    return record


def zengin_data(
    ref: int,
    amount: int,
    payer: str,
    *,
    direction: str = "1",
    day: str = "080731",
    description: str = "ﾌﾘｺﾐ",
    kind: str = "11",
) -> bytes:
    record = (
        b"2"
        + _n(ref, 8)
        + day.encode()
        + day.encode()
        + direction.encode()
        + kind.encode()
        + _n(amount, 12)
        + _n(0, 12)
        + b"000000"
        + b"000000"
        + b"0"
        + _n(0, 7)
        + b"000"
        + _n(0, 10)
        + _c(payer, 48)
        + _c("ﾐﾂｲｽﾐﾄﾓ", 15)
        + _c("ｵｵｻｶ", 15)
        + _c(description, 20)
        + _c("", 20)
        + b" "
    )
    assert len(record) == 200
    return record


def zengin_trailer(credits: list[int], debits: list[int]) -> bytes:
    record = (
        b"8"
        + _n(len(credits), 6)
        + _n(sum(credits), 13)
        + _n(len(debits), 6)
        + _n(sum(debits), 13)
        + b"1"
        + _n(1_000_000 + sum(credits) - sum(debits), 14)
        + _n(len(credits) + len(debits), 7)
        + b" " * 139
    )
    assert len(record) == 200
    return record


def zengin_end(records: int) -> bytes:
    return b"9" + _n(records, 10) + _n(1, 5) + b" " * 184


def zengin_file(data_records: list[bytes], *, credits=None, debits=None, sep: bytes = b"\r\n") -> bytes:
    credits = credits if credits is not None else []
    debits = debits if debits is not None else []
    records = [
        zengin_header(),
        *data_records,
        zengin_trailer(credits, debits),
        zengin_end(len(data_records) + 3),
    ]
    return sep.join(records) + (sep if sep else b"")


def sample_zengin(sep: bytes = b"\r\n") -> bytes:
    return zengin_file(
        [
            zengin_data(1, 110_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"),
            zengin_data(2, 5_500, "", direction="2", description="ﾃｽｳﾘﾖｳ", kind="14"),
            zengin_data(3, 32_340, "ﾀﾅｶ ﾃﾞﾝｷ(ﾕ", day="080730"),
        ],
        credits=[110_000, 32_340],
        debits=[5_500],
        sep=sep,
    )


# ---------------------------------------------------------------------------- 全銀
def test_it_reads_zengin_records_separated_by_crlf():
    result = parse_statement(sample_zengin(), today=TODAY)
    assert result.errors == []
    assert result.layout == LAYOUT_ZENGIN
    assert result.debits == 1
    assert [(e.line, e.date, e.amount, e.payer_name, e.description) for e in result.entries] == [
        (2, date(2026, 7, 31), Decimal(110_000), "カ)ヤマダシヨウジ", "フリコミ"),
        (4, date(2026, 7, 30), Decimal(32_340), "タナカ デンキ(ユ", "フリコミ"),
    ]
    assert result.entries[0].payer_kana == "カ)ヤマダシヨウジ"
    assert result.total == Decimal(142_340)


def test_it_reads_zengin_records_without_line_breaks():
    data = sample_zengin(sep=b"")
    assert b"\n" not in data and len(data) == 6 * 200
    result = parse_statement(data, today=TODAY)
    assert result.errors == []
    assert [e.amount for e in result.entries] == [Decimal(110_000), Decimal(32_340)]
    assert result.debits == 1


def test_the_half_width_kana_are_single_shift_jis_bytes():
    record = zengin_data(1, 1, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")
    assert record[81:92] == bytes([0xB6, 0x29, 0xD4, 0xCF, 0xC0, 0xDE, 0xBC, 0xD6, 0xB3, 0xBC, 0xDE])


def test_a_trailer_that_does_not_add_up_names_its_record():
    data = zengin_file([zengin_data(1, 110_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")], credits=[100_000])
    result = parse_statement(data, today=TODAY)
    assert result.entries  # read, but the file has an error and must not be imported
    assert not result.ok
    assert [e.line for e in result.errors] == [3]
    assert "レコード 3" in result.errors[0].message and "入金額合計" in result.errors[0].message


def test_bad_fields_of_a_data_record_are_reported_with_the_record_number():
    data = zengin_file(
        [
            zengin_data(1, 1000, "ｱ", day="081345"),
            zengin_data(2, 1000, "ｲ", direction="3"),
            zengin_data(3, 0, "ｳ"),
        ]
    )
    result = parse_statement(data, today=TODAY)
    messages = {e.line: e.message for e in result.errors}
    assert set(messages) == {2, 3, 4}
    assert "勘定日「081345」" in messages[2]
    assert "入払区分「3」" in messages[3]
    assert "0円" in messages[4]


def test_a_western_year_in_the_date_is_refused():
    # 260731 read as 令和26年 is 2044: a bank that wrote 西暦; refused rather than guessed
    result = parse_statement(
        zengin_file([zengin_data(1, 1000, "ｱ", day="260731")], credits=[1000]), today=TODAY
    )
    assert [e.line for e in result.errors] == [2]
    assert "令和" in result.errors[0].message


def test_full_width_characters_in_a_record_are_refused():
    record = zengin_data(1, 1000, "")
    record = record[:81] + "山田".encode("cp932") + record[85:]
    assert len(record) == 200
    result = parse_statement(zengin_file([record], credits=[1000]), today=TODAY)
    assert [e.line for e in result.errors] == [2]
    assert "82 バイト目" in result.errors[0].message


def test_other_zengin_kinds_are_refused_with_their_name():
    data = b"\r\n".join([zengin_header(kind="01"), zengin_trailer([], []), zengin_end(2)])
    result = parse_statement(data, today=TODAY)
    assert [e.line for e in result.errors] == [1]
    assert "振込入金通知" in result.errors[0].message


def test_a_record_of_the_wrong_length_and_a_missing_end_are_reported():
    data = b"\r\n".join([zengin_header(), zengin_data(1, 1000, "ｱ")[:150], zengin_trailer([1000], [])])
    result = parse_statement(data, today=TODAY)
    assert [e.line for e in result.errors] == [2]
    assert "150 バイト" in result.errors[0].message
    truncated = b"\r\n".join([zengin_header(), zengin_data(1, 1000, "ｱ"), zengin_trailer([1000], [])])
    result = parse_statement(truncated, today=TODAY)
    assert [e.line for e in result.errors] == [3]
    assert "エンド・レコード" in result.errors[0].message


def test_a_file_without_breaks_must_be_whole_records():
    result = parse_statement(sample_zengin(sep=b"")[:-10], today=TODAY)
    assert len(result.errors) == 1 and "200バイトの倍数" in result.errors[0].message


# ---------------------------------------------------------------------------- CSV
CSV_TEXT = (
    "日付,金額,振込依頼人,摘要\r\n"
    '2026-07-31,"110,000",ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ,振込\r\n'
    "2026/7/30,-5500,,振込手数料\r\n"
    "R8.7.29,32340,株式会社田中電機,\r\n"
)


def test_it_reads_our_csv_in_utf8():
    result = parse_statement(CSV_TEXT.encode("utf-8"))
    assert result.errors == []
    assert result.layout == LAYOUT_CSV and result.encoding == "utf-8"
    assert result.debits == 1
    assert [
        (e.line, e.date, e.amount, e.payer_name, e.payer_kana, e.description) for e in result.entries
    ] == [
        (2, date(2026, 7, 31), Decimal(110_000), "カ)ヤマダシヨウジ", "カ)ヤマダシヨウジ", "振込"),
        (4, date(2026, 7, 29), Decimal(32_340), "株式会社田中電機", "", ""),
    ]


def test_it_reads_our_csv_with_bom_and_in_shift_jis():
    with_bom = parse_statement(b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"))
    sjis = parse_statement(CSV_TEXT.encode("cp932"))
    assert with_bom.errors == [] and with_bom.encoding == "utf-8-sig"
    assert sjis.errors == [] and sjis.encoding == "cp932"
    assert [e.payer_name for e in sjis.entries] == ["カ)ヤマダシヨウジ", "株式会社田中電機"]
    assert [e.amount for e in with_bom.entries] == [Decimal(110_000), Decimal(32_340)]


def test_the_columns_may_come_in_any_order_and_unknown_ones_are_ignored():
    text = '摘要,残高,振込依頼人,金額,日付\n入金,999,ｽｽﾞｷ,"1,000",2026年7月1日\n'
    result = parse_statement(text.encode("utf-8"))
    assert result.errors == []
    assert result.entries[0].amount == Decimal(1000) and result.entries[0].date == date(2026, 7, 1)


def test_bad_csv_rows_are_reported_with_their_line_numbers():
    text = (
        "日付,金額,振込依頼人,摘要\n"
        "2026-07-31,1000,ｱ,\n"
        "2026-02-30,1000,ｲ,\n"
        "2026-07-31,abc,ｳ,\n"
        "2026-07-31,1000,,\n"
        "2026-07-31,0,ｵ,\n"
        "2026-07-31,10.5,ｶ,\n"
    )
    result = parse_statement(text.encode("utf-8"))
    messages = {e.line: e.message for e in result.errors}
    assert set(messages) == {3, 4, 5, 6, 7}
    assert messages[3].startswith("3 行目") and "2026-02-30" in messages[3]
    assert "abc" in messages[4]
    assert "振込依頼人が空" in messages[5]
    assert "0円" in messages[6]
    assert "10.5" in messages[7]


def test_a_csv_without_the_header_row_is_refused():
    result = parse_statement("2026-07-31,1000,ｱ,\n".encode())
    assert len(result.errors) == 1
    assert result.errors[0].line == 1 and "日付" in result.errors[0].message
    assert result.entries == []


def test_an_empty_or_binary_file_is_refused():
    assert "空" in parse_statement(b"").errors[0].message
    assert parse_statement(b"PK\x03\x04....").errors


def test_a_file_mixing_encodings_is_refused_with_the_line():
    data = CSV_TEXT.encode("utf-8") + "2026-07-31,1,ﾔﾏﾀﾞ,振込\n".encode("cp932")
    result = parse_statement(data)
    assert not result.ok and "5 行目" in result.errors[0].message
