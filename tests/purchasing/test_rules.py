"""The purchasing rules: 経過措置 rates (jp-rules §5.4), bank names and 全銀 files (§8)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.purchasing.rules import (
    bank_kana,
    encode_zengin,
    small_purchase_exception_applies,
    transitional_book_note,
    transitional_cap_per_supplier,
    transitional_deduction_rate,
    zengin_transfer_records,
)

# ---------------------------------------------------------------------------- §5.4

# Each change of the rate: (first day, rate from that day, rate the day before), jp-rules §5.4.
RATE_CHANGES = [
    (date(2023, 10, 1), Decimal("0.8"), Decimal("1")),  # before: no invoice system, full credit
    (date(2026, 10, 1), Decimal("0.7"), Decimal("0.8")),
    (date(2028, 10, 1), Decimal("0.5"), Decimal("0.7")),
    (date(2030, 10, 1), Decimal("0.3"), Decimal("0.5")),
    (date(2031, 10, 1), Decimal("0"), Decimal("0.3")),
]


@pytest.mark.parametrize(("first_day", "rate", "rate_before"), RATE_CHANGES)
def test_the_rate_changes_exactly_on_the_first_day(first_day, rate, rate_before):
    day_before = first_day - timedelta(days=1)
    assert transitional_deduction_rate(purchase_date=day_before) == rate_before
    assert transitional_deduction_rate(purchase_date=first_day) == rate
    assert transitional_deduction_rate(purchase_date=first_day + timedelta(days=1)) == rate


def test_the_rate_inside_each_period_and_far_outside():
    assert transitional_deduction_rate(purchase_date=date(2025, 4, 1)) == Decimal("0.8")
    assert transitional_deduction_rate(purchase_date=date(2027, 12, 31)) == Decimal("0.7")
    assert transitional_deduction_rate(purchase_date=date(2029, 9, 30)) == Decimal("0.5")
    assert transitional_deduction_rate(purchase_date=date(2031, 9, 30)) == Decimal("0.3")
    assert transitional_deduction_rate(purchase_date=date(2019, 10, 1)) == Decimal("1")
    assert transitional_deduction_rate(purchase_date=date(2040, 1, 1)) == Decimal("0")


def test_the_rate_is_an_exact_decimal():
    rate = transitional_deduction_rate(purchase_date=date(2026, 10, 1))
    assert isinstance(rate, Decimal)
    assert Decimal("1000") * rate == Decimal("700")


def test_the_book_note_follows_the_rate():
    assert transitional_book_note(purchase_date=date(2026, 9, 30)) == "80%控除対象"
    assert transitional_book_note(purchase_date=date(2026, 10, 1)) == "70%控除対象"
    assert transitional_book_note(purchase_date=date(2031, 10, 1)) is None
    assert transitional_book_note(purchase_date=date(2023, 9, 30)) is None


def test_the_cap_per_supplier_by_start_of_the_taxable_period():
    assert transitional_cap_per_supplier(period_start=date(2024, 9, 30)) is None
    assert transitional_cap_per_supplier(period_start=date(2024, 10, 1)) == Decimal("1000000000")
    assert transitional_cap_per_supplier(period_start=date(2026, 9, 30)) == Decimal("1000000000")
    assert transitional_cap_per_supplier(period_start=date(2026, 10, 1)) == Decimal("100000000")


def _small(**kw):
    args = {
        "purchase_date": date(2026, 11, 1),
        "amount_including_tax": 9_999,
        "base_period_taxable_sales": 100_000_000,
    }
    return small_purchase_exception_applies(**(args | kw))


def test_the_small_purchase_exception():
    assert _small()
    assert not _small(amount_including_tax=10_000)  # 1万円「未満」
    assert _small(amount_including_tax=Decimal("9999.99"))
    assert not _small(base_period_taxable_sales=100_000_001)
    assert _small(base_period_taxable_sales=100_000_001, specific_period_taxable_sales=50_000_000)
    assert not _small(base_period_taxable_sales=100_000_001, specific_period_taxable_sales=50_000_001)
    assert _small(base_period_taxable_sales=None, specific_period_taxable_sales=1)
    assert not _small(base_period_taxable_sales=None)


def test_the_small_purchase_exception_is_dated():
    assert not _small(purchase_date=date(2023, 9, 30))
    assert _small(purchase_date=date(2023, 10, 1))
    assert _small(purchase_date=date(2029, 9, 30))
    assert not _small(purchase_date=date(2029, 10, 1))


# ---------------------------------------------------------------------------- §8 characters


@pytest.mark.parametrize(
    ("typed", "for_the_bank"),
    [
        # 法人格 at the start, the end and in the middle (§8)
        ("カブシキガイシャエンノシタ", "ｶ)ｴﾝﾉｼﾀ"),
        ("カブシキガイシャ　エンノシタ", "ｶ)ｴﾝﾉｼﾀ"),
        ("エンノシタ カブシキガイシャ", "ｴﾝﾉｼﾀ(ｶ"),
        ("エンノシタカブシキガイシャトウキョウシテン", "ｴﾝﾉｼﾀ(ｶ)ﾄｳｷﾖｳｼﾃﾝ"),
        ("エンノシタ カブシキカイシャ トウキョウ", "ｴﾝﾉｼﾀ(ｶ)ﾄｳｷﾖｳ"),
        ("ｶﾌﾞｼｷｶﾞｲｼｬ ｴﾝﾉｼﾀ", "ｶ)ｴﾝﾉｼﾀ"),
        ("かぶしきがいしゃえんのした", "ｶ)ｴﾝﾉｼﾀ"),
        ("株式会社エンノシタ", "ｶ)ｴﾝﾉｼﾀ"),
        ("㈱エンノシタ", "ｶ)ｴﾝﾉｼﾀ"),
        ("（株）エンノシタ", "ｶ)ｴﾝﾉｼﾀ"),
        ("ユウゲンガイシャ ヤマダショウテン", "ﾕ)ﾔﾏﾀﾞｼﾖｳﾃﾝ"),
        ("ヤマダショウテン ゴウドウガイシャ", "ﾔﾏﾀﾞｼﾖｳﾃﾝ(ﾄﾞ"),
        ("イリョウホウジン ヤマダカイ", "ｲ)ﾔﾏﾀﾞｶｲ"),
        ("イリョウホウジンシャダン ヤマダカイ", "ｲ)ﾔﾏﾀﾞｶｲ"),
        ("ゴウメイガイシャ ヤマダ", "ﾒ)ﾔﾏﾀﾞ"),
        ("ゴウシガイシャ ヤマダ", "ｼ)ﾔﾏﾀﾞ"),
        ("イッパンシャダンホウジン ヤマダカイ", "ｼﾔ)ﾔﾏﾀﾞｶｲ"),
        ("ガッコウホウジン ヤマダガクエン", "ｶﾞｸ)ﾔﾏﾀﾞｶﾞｸｴﾝ"),
        # already abbreviated: unchanged
        ("ｶ)ｴﾝﾉｼﾀ", "ｶ)ｴﾝﾉｼﾀ"),
        ("ｴﾝﾉｼﾀ(ｶ)ﾄｳｷﾖｳ", "ｴﾝﾉｼﾀ(ｶ)ﾄｳｷﾖｳ"),
        # small kana → large
        ("キャッシュ", "ｷﾔﾂｼﾕ"),
        ("ｷｬｯｼｭ", "ｷﾔﾂｼﾕ"),
        ("ァィゥェォ", "ｱｲｳｴｵ"),
        ("ヮヵヶ", "ﾜｶｹ"),
        ("ジョン", "ｼﾞﾖﾝ"),
        # 濁点 and 半濁点 as their own characters
        ("ガギグゲゴ", "ｶﾞｷﾞｸﾞｹﾞｺﾞ"),
        ("パピプペポ", "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"),
        ("ヴァイオリン", "ｳﾞｱｲｵﾘﾝ"),
        ("ゔ", "ｳﾞ"),
        # width, case, spaces, hiragana
        ("ＡＢＣ　１２３", "ABC 123"),
        ("abc-def", "ABC-DEF"),
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("  ヤマダ    タロウ  ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        # §8: 長音 → "-", ・ → ".", no ｦ
        ("ミツビシユーエフジエイ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"),
        ("ミツビシユ－エフジエイ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"),
        ("ﾐﾂﾋﾞｼﾕｰｴﾌｼﾞｴｲ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"),
        ("ジョン・スミス", "ｼﾞﾖﾝ.ｽﾐｽ"),
        ("ｼﾞｮﾝ･ｽﾐｽ", "ｼﾞﾖﾝ.ｽﾐｽ"),
        ("ヲ", "ｵ"),
        ("(ヤマダ).-", "(ﾔﾏﾀﾞ).-"),
        ("", ""),
    ],
)
def test_bank_kana(typed, for_the_bank):
    assert bank_kana(typed) == for_the_bank


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("山田太郎", "「山」「田」「太」「郎」"),
        ("ヤマダ😀", "「😀」"),
        ("A&B", "「&」"),
        ("ヤマダ/タロウ", "「/」"),
        ("ヤマダ、タロウ", "「、」"),
        ("医療法人社団ヤマダ会", "「会」"),
        ("ヤマダ＠", "「＠」"),
        ("タロウ商店", "「商」「店」"),
    ],
)
def test_bank_kana_refuses_what_banks_do_not_accept_and_names_it(typed, refused):
    with pytest.raises(ValueError, match=f"使えない文字があります: {refused}（") as caught:
        bank_kana(typed)
    assert f"「{typed}」" in str(caught.value)


def test_bank_kana_names_a_character_once():
    with pytest.raises(ValueError) as caught:
        bank_kana("山山山")
    assert "「山」（" in str(caught.value)
    assert "「山」「山」" not in str(caught.value)


BANK_LETTERS = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ()-."


@given(
    st.text(
        alphabet="あいうえおかがきぎくけこさざしじすせそたちつってとなにぬのはばぱひふへほまみむめもやゃゆゅよょらりるれろわをんアァイィウヴエカガキャシュッーＡａ１　・ｰｯｬ(). ",
        max_size=40,
    )
)
def test_bank_kana_gives_only_bank_characters_and_is_stable(text):
    once = bank_kana(text)
    assert set(once) <= set(BANK_LETTERS)
    assert bank_kana(once) == once


# ---------------------------------------------------------------------------- §8 records


def _fields(record: str, table: list[tuple[str, int, int]]) -> dict[str, str]:
    """Cut a record by §8's table (1-based position, length), independently of the code."""
    assert sum(length for _, _, length in table) == 120
    return {name: record[pos - 1 : pos - 1 + length] for name, pos, length in table}


HEADER = [
    ("データ区分", 1, 1),
    ("種別コード", 2, 2),
    ("コード区分", 4, 1),
    ("振込依頼人コード", 5, 10),
    ("振込依頼人名", 15, 40),
    ("振込指定日", 55, 4),
    ("仕向銀行番号", 59, 4),
    ("仕向銀行名", 63, 15),
    ("仕向支店番号", 78, 3),
    ("仕向支店名", 81, 15),
    ("預金種目", 96, 1),
    ("口座番号", 97, 7),
    ("ダミー", 104, 17),
]
DATA = [
    ("データ区分", 1, 1),
    ("被仕向銀行番号", 2, 4),
    ("被仕向銀行名", 6, 15),
    ("被仕向支店番号", 21, 3),
    ("被仕向支店名", 24, 15),
    ("手形交換所番号", 39, 4),
    ("預金種目", 43, 1),
    ("口座番号", 44, 7),
    ("受取人名", 51, 30),
    ("振込金額", 81, 10),
    ("新規コード", 91, 1),
    ("顧客コード1", 92, 10),
    ("顧客コード2", 102, 10),
    ("振込指定区分", 112, 1),
    ("識別表示", 113, 1),
    ("ダミー", 114, 7),
]
TRAILER = [("データ区分", 1, 1), ("合計件数", 2, 6), ("合計金額", 8, 12), ("ダミー", 20, 101)]
END = [("データ区分", 1, 1), ("ダミー", 2, 119)]

REQUESTER = {
    "requester_code": "1234567890",
    "requester_name": "カブシキガイシャ エンノシタ",
    "date": "1225",
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "1234567",
}
TRANSFERS = [
    {
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "7654321",
        "name": "やまだ たろう",
        "amount": 253_500,
    },
    {
        "bank_code": "0009",
        "branch_code": "001",
        "account_type": "2",
        "account_number": "12345",
        "name": "サトウ ハナコ",
        "amount": Decimal("198765"),
        "customer_code": "C0001",
        "customer_code_2": "INV42",
    },
    {
        "bank_code": "9900",
        "branch_code": "018",
        "account_type": 1,
        "account_number": "0000001",
        "name": "ユウゲンガイシャ スズキショウテン",
        "amount": 9_999_999_999,
        "edi_info": "INV-2026-0001",
        "transfer_method": "8",
    },
]


def test_a_file_of_three_transfers_reads_back_field_by_field():
    records = zengin_transfer_records(kind="21", header=REQUESTER, transfers=TRANSFERS)

    assert len(records) == 6
    assert all(len(r) == 120 for r in records)
    assert _fields(records[0], HEADER) == {
        "データ区分": "1",
        "種別コード": "21",
        "コード区分": "0",
        "振込依頼人コード": "1234567890",
        "振込依頼人名": "ｶ)ｴﾝﾉｼﾀ".ljust(40),
        "振込指定日": "1225",
        "仕向銀行番号": "0001",
        "仕向銀行名": "ﾐｽﾞﾎ".ljust(15),
        "仕向支店番号": "001",
        "仕向支店名": "ﾄｳｷﾖｳ".ljust(15),
        "預金種目": "1",
        "口座番号": "1234567",
        "ダミー": " " * 17,
    }
    first, second, third = (_fields(r, DATA) for r in records[1:4])
    assert first == {
        "データ区分": "2",
        "被仕向銀行番号": "0005",
        "被仕向銀行名": "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ  ",
        "被仕向支店番号": "001",
        "被仕向支店名": first["被仕向支店名"],  # from the bank data: test_branch_names_come_from_…
        "手形交換所番号": "0000",
        "預金種目": "1",
        "口座番号": "7654321",
        "受取人名": "ﾔﾏﾀﾞ ﾀﾛｳ".ljust(30),
        "振込金額": "0000253500",
        "新規コード": "0",
        "顧客コード1": " " * 10,
        "顧客コード2": " " * 10,
        "振込指定区分": "7",
        "識別表示": " ",
        "ダミー": " " * 7,
    }
    assert second == {
        "データ区分": "2",
        "被仕向銀行番号": "0009",
        "被仕向銀行名": "ﾐﾂｲｽﾐﾄﾓ".ljust(15),
        "被仕向支店番号": "001",
        "被仕向支店名": second["被仕向支店名"],
        "手形交換所番号": "0000",
        "預金種目": "2",
        "口座番号": "0012345",
        "受取人名": "ｻﾄｳ ﾊﾅｺ".ljust(30),
        "振込金額": "0000198765",
        "新規コード": "0",
        "顧客コード1": "C0001     ",
        "顧客コード2": "INV42     ",
        "振込指定区分": "7",
        "識別表示": " ",
        "ダミー": " " * 7,
    }
    assert third == {
        "データ区分": "2",
        "被仕向銀行番号": "9900",
        "被仕向銀行名": "ﾕｳﾁﾖ".ljust(15),
        "被仕向支店番号": "018",
        "被仕向支店名": "ｾﾞﾛｲﾁﾊﾁ".ljust(15),
        "手形交換所番号": "0000",
        "預金種目": "1",
        "口座番号": "0000001",
        "受取人名": "ﾕ)ｽｽﾞｷｼﾖｳﾃﾝ".ljust(30),
        "振込金額": "9999999999",
        "新規コード": "0",
        "顧客コード1": "INV-2026-0",  # with 識別表示 Y, 92–111 is the EDI情報
        "顧客コード2": "001       ",
        "振込指定区分": "8",
        "識別表示": "Y",
        "ダミー": " " * 7,
    }
    assert _fields(records[4], TRAILER) == {
        "データ区分": "8",
        "合計件数": "000003",
        "合計金額": f"{253_500 + 198_765 + 9_999_999_999:012d}",
        "ダミー": " " * 101,
    }
    assert _fields(records[5], END) == {"データ区分": "9", "ダミー": " " * 119}


def test_branch_names_come_from_the_bank_code_data():
    records = zengin_transfer_records(kind="21", header=REQUESTER, transfers=TRANSFERS[:2])
    # 0005/001 and 0009/001 in the zengin-code data (full-width there, half-width here)
    from ennoshita.purchasing.banks import branch

    assert records[1][23:38] == branch("0005", "001").kana[:15].ljust(15)
    assert records[2][23:38] == branch("0009", "001").kana[:15].ljust(15)


def test_the_file_encodes_to_120_bytes_a_record_in_cp932():
    records = zengin_transfer_records(kind="21", header=REQUESTER, transfers=TRANSFERS)

    with_crlf = encode_zengin(records)
    assert len(with_crlf) == 6 * 122
    lines = with_crlf.split(b"\r\n")
    assert lines[-1] == b""
    assert [len(line) for line in lines[:-1]] == [120] * 6
    assert lines[0][14:21] == "ｶ)ｴﾝﾉｼﾀ".encode("cp932") == b"\xb6)\xb4\xdd\xc9\xbc\xc0"
    assert [line.decode("cp932") for line in lines[:-1]] == records

    bare = encode_zengin(records, line_separator="")
    assert len(bare) == 6 * 120
    assert b"\r" not in bare and b"\n" not in bare
    assert bare == b"".join(lines)


def test_encoding_refuses_a_record_that_is_not_120_bytes():
    records = zengin_transfer_records(kind="21", header=REQUESTER, transfers=TRANSFERS[:1])
    with pytest.raises(ValueError, match=r"2行目.*120バイトではありません（121バイト）"):
        encode_zengin([records[0], records[1] + " ", *records[2:]])
    with pytest.raises(ValueError, match=r"2行目.*119バイト"):
        encode_zengin([records[0], records[1][:-1]])
    with pytest.raises(ValueError, match="1行目"):
        encode_zengin(["ア" * 120])  # full-width: 240 bytes
    with pytest.raises(ValueError, match="Shift_JIS"):
        encode_zengin(["😀" * 120])
    with pytest.raises(ValueError, match="line_separator"):
        encode_zengin(records, line_separator="\n")


def test_the_worked_example_of_jp_rules_section_8():
    example = [
        "12101234567890ｶ)ｴﾝﾉｼﾀ                                 12250001ﾐｽﾞﾎ           001ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ  11234567                 ",
        "20005ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ  123ｼﾝｼﾞﾕｸ         000017654321ﾔﾏﾀﾞ ﾀﾛｳ                      00002535000                    7        ",
        "20009ﾐﾂｲｽﾐﾄﾓ        456ｵｵｻｶ           000020012345ｻﾄｳ ﾊﾅｺ                       00001987650                    7        ",
        "8000002000000452265                                                                                                     ",
        "9                                                                                                                       ",
    ]
    header = REQUESTER | {"branch_name": "トウキョウエイギョウブ"}
    transfers = [
        {
            "bank_code": "0005",
            "branch_code": "123",
            "branch_name": "シンジュク",
            "account_type": "1",
            "account_number": "7654321",
            "name": "ヤマダ タロウ",
            "amount": 253500,
        },
        {
            "bank_code": "0009",
            "branch_code": "456",
            "branch_name": "おおさか",
            "account_type": "2",
            "account_number": "12345",
            "name": "サトウ　ハナコ",
            "amount": 198765,
        },
    ]
    assert zengin_transfer_records(kind="21", header=header, transfers=transfers) == example


def test_a_payroll_file():
    payroll = [
        {
            "bank_code": "0001",
            "branch_code": "001",
            "account_type": "1",
            "account_number": "1111111",
            "name": "ヤマダ タロウ",
            "amount": 300_000,
            "employee_number": "42",
        },
        {
            "bank_code": "9900",
            "branch_code": "018",
            "account_type": "1",
            "account_number": "2222222",
            "name": "スズキ イチロー",
            "amount": 250_001,
        },
    ]
    records = zengin_transfer_records(
        kind="11", header=REQUESTER | {"date": date(2026, 12, 25)}, transfers=payroll
    )

    assert all(len(r) == 120 for r in records)
    header = _fields(records[0], HEADER)
    assert (header["データ区分"], header["種別コード"], header["振込指定日"]) == ("1", "11", "1225")
    first = _fields(records[1], DATA)
    assert (first["受取人名"], first["振込金額"]) == ("ﾔﾏﾀﾞ ﾀﾛｳ".ljust(30), "0000300000")
    assert records[1][91:101] == "0000000042"  # 社員番号
    assert records[1][101:111] == "0" * 10  # 所属コード
    assert records[1][111:] == " " * 9  # no 振込指定区分 / 識別表示 in a 給与振込 file
    assert _fields(records[2], DATA)["受取人名"] == "ｽｽﾞｷ ｲﾁﾛ-".ljust(30)
    trailer = _fields(records[3], TRAILER)
    assert (trailer["合計件数"], trailer["合計金額"]) == ("000002", "000000550001")
    assert zengin_transfer_records(kind="12", header=REQUESTER, transfers=payroll)[0][1:3] == "12"
    with pytest.raises(ValueError, match="edi_info"):
        zengin_transfer_records(kind="11", header=REQUESTER, transfers=[payroll[0] | {"edi_info": "X"}])


def _transfer(**kw):
    return TRANSFERS[0] | kw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bank_code": "12a4"}, r"transfers\[1\]（2件目）の bank_code（被仕向銀行番号）: 4桁の半角数字"),
        ({"bank_code": "005"}, r"transfers\[1\]（2件目）の bank_code（被仕向銀行番号）: 4桁の数字"),
        ({"bank_code": 5}, r"transfers\[1\]（2件目）の bank_code"),
        ({"bank_code": "０００５"}, r"transfers\[1\]（2件目）の bank_code"),
        (
            {"bank_code": "0003"},
            r"transfers\[1\]（2件目）の bank_code（被仕向銀行番号）: 銀行コードのデータにない",
        ),
        ({"branch_code": "1"}, r"transfers\[1\]（2件目）の branch_code（被仕向支店番号）: 3桁"),
        (
            {"branch_code": "999"},
            r"transfers\[1\]（2件目）の branch_code（被仕向支店番号）: 銀行 0005 にない支店番号",
        ),
        ({"account_number": "12345678"}, r"transfers\[1\]（2件目）の account_number（口座番号）: 7桁以内"),
        ({"account_number": "123-456"}, r"transfers\[1\]（2件目）の account_number（口座番号）"),
        ({"account_number": ""}, r"transfers\[1\]（2件目）の account_number（口座番号）がありません"),
        ({"account_type": "3"}, r"transfers\[1\]（2件目）の account_type（預金種目）"),
        ({"amount": 0}, r"transfers\[1\]（2件目）の amount（振込金額）: 1円から9,999,999,999円まで"),
        ({"amount": -1}, r"transfers\[1\]（2件目）の amount（振込金額）"),
        ({"amount": 10_000_000_000}, r"transfers\[1\]（2件目）の amount（振込金額）: 1円から"),
        ({"amount": Decimal("100.5")}, r"transfers\[1\]（2件目）の amount（振込金額）: 円未満"),
        ({"amount": 100.0}, r"transfers\[1\]（2件目）の amount（振込金額）: 円の整数"),
        ({"amount": True}, r"transfers\[1\]（2件目）の amount"),
        ({"name": "山田太郎"}, r"transfers\[1\]（2件目）の name（受取人名）: .*「山」「田」「太」「郎」"),
        ({"name": "ヤマダ＆タロウ"}, r"transfers\[1\]（2件目）の name（受取人名）: .*「＆」"),
        ({"name": "ア" * 31}, r"transfers\[1\]（2件目）の name（受取人名）: 半角30文字まで"),
        ({"name": "　"}, r"transfers\[1\]（2件目）の name（受取人名）が空"),
        ({"customer_code": "顧客"}, r"transfers\[1\]（2件目）の customer_code（顧客コード1）"),
        ({"edi_info": "X", "customer_code": "1"}, r"transfers\[1\]（2件目）: edi_info と customer_code"),
        ({"edi_info": "A" * 21}, r"transfers\[1\]（2件目）の edi_info（EDI情報）: 半角20文字まで"),
        ({"transfer_method": "9"}, r"transfers\[1\]（2件目）の transfer_method（振込指定区分）"),
        ({"acount_number": "1"}, r"transfers\[1\]（2件目）: 知らない項目があります: acount_number"),
    ],
)
def test_a_bad_transfer_is_named_with_its_field(change, message):
    with pytest.raises(ValueError, match=message):
        zengin_transfer_records(kind="21", header=REQUESTER, transfers=[_transfer(), _transfer(**change)])


def test_a_name_of_exactly_30_characters_fits():
    records = zengin_transfer_records(kind="21", header=REQUESTER, transfers=[_transfer(name="ガ" * 15)])
    assert records[1][50:80] == "ｶﾞ" * 15


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"requester_code": "12345678901"}, r"headerの requester_code（振込依頼人コード）: 10桁以内"),
        ({"requester_name": "縁の下"}, r"headerの requester_name（振込依頼人名）: .*「縁」「下」"),
        ({"date": "1332"}, r"headerの date（振込指定日）"),
        ({"date": "0230"}, r"headerの date（振込指定日）"),
        ({"bank_code": "1"}, r"headerの bank_code（仕向銀行番号）"),
        ({"account_type": "4"}, r"headerの account_type（預金種目）: 1\(普通\)・2\(当座\)・9\(その他\)"),
        ({"code_class": "1"}, r"headerの code_class（コード区分）"),
    ],
)
def test_a_bad_header_is_named_with_its_field(change, message):
    with pytest.raises(ValueError, match=message):
        zengin_transfer_records(kind="21", header=REQUESTER | change, transfers=TRANSFERS[:1])


def test_the_kind_and_the_list_of_transfers_are_checked():
    with pytest.raises(ValueError, match="kind"):
        zengin_transfer_records(kind="22", header=REQUESTER, transfers=TRANSFERS)
    with pytest.raises(ValueError, match="1件もありません"):
        zengin_transfer_records(kind="21", header=REQUESTER, transfers=[])
    with pytest.raises(ValueError, match="合計金額"):
        zengin_transfer_records(
            kind="21", header=REQUESTER, transfers=[_transfer(amount=9_999_999_999)] * 101
        )


def test_a_leap_day_and_a_date_object_are_accepted():
    for value in ("0229", date(2028, 2, 29)):
        records = zengin_transfer_records(
            kind="21", header=REQUESTER | {"date": value}, transfers=TRANSFERS[:1]
        )
        assert records[0][54:58] == "0229"


# ---------------------------------------------------------------------------- property

transfer_strategy = st.fixed_dictionaries(
    {
        "bank_code": st.text(alphabet="0123456789", min_size=4, max_size=4),
        "bank_name": st.text(alphabet="アイウエオカガパABC1-", min_size=1, max_size=20),
        "branch_code": st.text(alphabet="0123456789", min_size=3, max_size=3),
        "branch_name": st.text(alphabet="サシスセソザジ", min_size=1, max_size=20),
        "account_type": st.sampled_from(["1", "2", "4", "9"]),
        "account_number": st.text(alphabet="0123456789", min_size=1, max_size=7),
        "name": st.text(
            alphabet="あいうえおがぱゃっアイウエオABCxyz019 ー・().", min_size=1, max_size=15
        ).filter(str.strip),
        "amount": st.integers(min_value=1, max_value=9_999_999_999),
    }
)


@given(st.lists(transfer_strategy, min_size=1, max_size=30))
def test_every_record_is_120_characters_and_the_trailer_adds_up(transfers):
    records = zengin_transfer_records(kind="21", header=REQUESTER, transfers=transfers)

    assert [len(r) for r in records] == [120] * (len(transfers) + 3)
    assert [r[0] for r in records] == ["1", *["2"] * len(transfers), "8", "9"]
    trailer = _fields(records[-2], TRAILER)
    assert int(trailer["合計件数"]) == len(transfers)
    assert int(trailer["合計金額"]) == sum(t["amount"] for t in transfers)
    assert sum(int(_fields(r, DATA)["振込金額"]) for r in records[1:-2]) == sum(
        t["amount"] for t in transfers
    )
    assert len(encode_zengin(records, line_separator="")) == 120 * len(records)
