"""入金明細の読み取り: a bank statement file as plain data, with no database.

Two layouts are detected from the bytes:

- ``csv``: our documented CSV (docs/sales-bank-statement.md): a header row naming the columns
  日付, 金額, 振込依頼人 and optionally 摘要; UTF-8 (with or without BOM) or Shift_JIS/cp932.
  A negative 金額 is a debit (出金).
- ``zengin``: the 全銀協 入出金取引明細 fixed-length file (種別コード 03): 200-byte records
  (ヘッダー 1, データ 2, トレーラ 8, エンド 9), with or without CR LF between them, in JIS X 0201
  (半角カナ, read as Shift_JIS single bytes). Dates are 和暦 YYMMDD (令和).

Only credits (入金) become lines; debits are skipped and counted. Every problem is reported with
its line (CSV) or record (全銀) number; a caller imports nothing from a file with errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ennoshita.core.csvio import ENCODING_LABELS, SJIS, decode_upload, read_rows
from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.errors import ServiceError
from ennoshita.core.text import nfkc

LAYOUT_CSV = "csv"
LAYOUT_ZENGIN = "zengin"
LAYOUT_LABELS = {
    LAYOUT_CSV: "CSV",
    LAYOUT_ZENGIN: "全銀協 入出金取引明細",
}
MAX_LINES = 100_000
MAX_AMOUNT = Decimal(999_999_999_999)
MAX_ERRORS = 500
PAYER_MAX = 100
DESCRIPTION_MAX = 200
RECORD_LENGTH = 200
REIWA_START = date(2019, 5, 1)


@dataclass(frozen=True)
class StatementError:
    line: int  # CSV: line in the file; 全銀: record number (1 = first record); 0 = the whole file
    message: str


@dataclass(frozen=True)
class StatementEntry:
    """One credit (入金) of the statement."""

    line: int
    date: date
    amount: Decimal
    payer_name: str
    payer_kana: str = ""
    description: str = ""


@dataclass
class ParsedStatement:
    layout: str = LAYOUT_CSV
    encoding: str = ""
    entries: list[StatementEntry] = field(default_factory=list)
    debits: int = 0  # 出金 records/rows skipped
    errors: list[StatementError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.entries), Decimal(0))

    @property
    def layout_label(self) -> str:
        return LAYOUT_LABELS.get(self.layout, self.layout)

    @property
    def encoding_label(self) -> str:
        if self.layout == LAYOUT_ZENGIN:
            return "JIS X 0201 (Shift_JIS)"
        return str(ENCODING_LABELS.get(self.encoding, self.encoding))

    @property
    def unit_label(self) -> str:
        return _("レコード") if self.layout == LAYOUT_ZENGIN else _("行")

    def add_error(self, line: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(StatementError(line, message))


def parse_statement(data: bytes, *, today: date | None = None) -> ParsedStatement:
    """Read a statement file; never raises for bad input (problems are in ``errors``).

    ``today`` bounds the dates of the 全銀 file (a 令和 year more than a year ahead is most likely
    a 西暦 year written by a bank that does not follow the 和暦 rule)."""
    if looks_like_zengin(data):
        return _parse_zengin(data, today or date.today())
    return _parse_csv(data)


def looks_like_zengin(data: bytes) -> bool:
    """A 全銀 file starts with a header record: データ区分 1 and a two-digit 種別コード, then
    the コード区分 digit and 6-digit 作成日; a CSV file starts with its header row."""
    head = data.lstrip(b"\r\n")[:10]
    return len(head) == 10 and head[:1] == b"1" and head[1:10].isdigit()


# ---------------------------------------------------------------------------------- amounts
_NEGATIVE_MARKS = ("-", "△", "▲", "−")


def _amount(text: str) -> Decimal | None:
    """'12,345' / '¥12,345' / '12345円' / '-1,000' / '△1,000' → Decimal; None when not whole yen."""
    s = nfkc(text).strip().replace(",", "").replace("¥", "").replace("\\", "").replace("円", "")
    s = s.replace(" ", "")
    negative = False
    if s.startswith(_NEGATIVE_MARKS):
        negative, s = True, s[1:]
    elif s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if not re.fullmatch(r"\d+(\.0*)?", s):
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    value = value.to_integral_value()
    return -value if negative else value


# ---------------------------------------------------------------------------------- CSV
CSV_HEADERS: dict[str, str] = {
    "日付": "date",
    "入金日": "date",
    "取引日": "date",
    "勘定日": "date",
    "金額": "amount",
    "入金額": "amount",
    "振込依頼人": "payer",
    "振込依頼人名": "payer",
    "依頼人名": "payer",
    "摘要": "description",
    "摘要内容": "description",
}
CSV_REQUIRED = {"date": "日付", "amount": "金額", "payer": "振込依頼人"}


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text)).strip('"')


def _csv_columns(result: ParsedStatement, line: int, header: list[str]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = CSV_HEADERS.get(_header_key(name))
        if key is None:
            continue  # a column we do not read (残高, 出金, …) is left alone
        if key in mapping:
            result.add_error(
                line,
                _("%(line)d 行目: 「%(name)s」の列が2つあります。") % {"line": line, "name": name.strip()},
            )
            return None
        mapping[key] = index
    missing = [label for key, label in CSV_REQUIRED.items() if key not in mapping]
    if missing:
        result.add_error(
            line,
            _(
                "%(line)d 行目: 見出し行に必須の列がありません: %(cols)s(1行目に 日付, 金額, 振込依頼人, 摘要 の見出しを入れてください)。"
            )
            % {"line": line, "cols": "、".join(missing)},
        )
        return None
    return mapping


def _cell(row: list[str], mapping: dict[str, int], key: str) -> str:
    index = mapping.get(key)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _is_kana_name(text: str) -> bool:
    folded = nfkc(text)
    return bool(folded) and bool(re.fullmatch(r"[\u30A0-\u30FF\u3040-\u309F A-Za-z0-9().,\-/・ー]+", folded))


def _parse_csv(data: bytes) -> ParsedStatement:
    result = ParsedStatement(layout=LAYOUT_CSV)
    try:
        text, result.encoding = decode_upload(data)
    except ServiceError as exc:
        result.add_error(0, exc.message)
        return result
    mapping: dict[str, int] | None = None
    try:
        for line, row in read_rows(text):
            if not any(cell.strip() for cell in row):
                continue
            if mapping is None:
                mapping = _csv_columns(result, line, row)
                if mapping is None:
                    return result
                continue
            if len(result.entries) + result.debits >= MAX_LINES:
                result.add_error(
                    line, _("明細が多すぎます(1ファイル %(n)s 行まで)。") % {"n": f"{MAX_LINES:,}"}
                )
                return result
            _csv_row(result, line, row, mapping)
    except ServiceError as exc:
        result.add_error(0, exc.message)
        return result
    if mapping is None:
        result.add_error(
            0, _("見出し行がありません。1行目に 日付, 金額, 振込依頼人, 摘要 の見出しを入れてください。")
        )
    elif not result.errors and not result.entries and not result.debits:
        result.add_error(0, _("明細の行がありません。"))
    return result


def _csv_row(result: ParsedStatement, line: int, row: list[str], mapping: dict[str, int]) -> None:
    problems: list[str] = []
    raw_date = _cell(row, mapping, "date")
    raw_amount = _cell(row, mapping, "amount")
    payer = nfkc(_cell(row, mapping, "payer")).strip()
    description = nfkc(_cell(row, mapping, "description")).strip()
    day: date | None = None
    if not raw_date:
        problems.append(_("日付が空です。"))
    else:
        try:
            day = parse_date_flexible(raw_date)
        except ValueError:
            problems.append(
                _("日付「%(value)s」を読めません(2026-07-31、2026/7/31、R8.7.31 の形で書いてください)。")
                % {"value": raw_date}
            )
    amount = _amount(raw_amount) if raw_amount else None
    if not raw_amount:
        problems.append(_("金額が空です。"))
    elif amount is None:
        problems.append(_("金額「%(value)s」を円単位の数値として読めません。") % {"value": raw_amount})
    elif amount == 0:
        problems.append(_("金額が0円です。"))
    elif abs(amount) > MAX_AMOUNT:
        problems.append(_("金額が大きすぎます。"))
    if amount is not None and amount > 0 and not payer:
        problems.append(_("振込依頼人が空です。"))
    if len(payer) > PAYER_MAX:
        problems.append(_("振込依頼人は%(n)d文字以内にしてください。") % {"n": PAYER_MAX})
    if len(description) > DESCRIPTION_MAX:
        problems.append(_("摘要は%(n)d文字以内にしてください。") % {"n": DESCRIPTION_MAX})
    for problem in problems:
        result.add_error(line, _("%(line)d 行目: %(problem)s") % {"line": line, "problem": problem})
    if problems or day is None or amount is None:
        return
    if amount < 0:
        result.debits += 1
        return
    kana = nfkc(payer).strip() if _is_kana_name(payer) else ""
    result.entries.append(StatementEntry(line, day, amount, payer, kana, description))


# ---------------------------------------------------------------------------------- 全銀
# 入出金取引明細 (種別コード 03), 200 bytes per record; (start, length), 0-based byte offsets.
# See docs/sales-bank-statement.md for the sources of this layout.
HEADER_KIND = (1, 2)  # 種別コード: 03
HEADER_CODE = (3, 1)  # コード区分: 0 JIS, 1 EBCDIC
DATA_DATE = (9, 6)  # 勘定日 (和暦 YYMMDD)
DATA_DIRECTION = (21, 1)  # 入払区分: 1 入金, 2 出金
DATA_KIND = (22, 2)  # 取引区分: 10 現金 11 振込 12 他店券入金 13 交換 14 振替 18 その他 19 訂正
DATA_AMOUNT = (24, 12)  # 取引金額
DATA_PAYER = (81, 48)  # 振込依頼人名 (入金) / 契約者番号 (出金)
DATA_DESCRIPTION = (159, 20)  # 摘要内容
TRAILER_CREDIT_COUNT = (1, 6)  # 入金件数
TRAILER_CREDIT_TOTAL = (7, 13)  # 入金額合計
TRAILER_DEBIT_COUNT = (20, 6)  # 出金件数
TRAILER_DEBIT_TOTAL = (26, 13)  # 出金額合計
KIND_STATEMENT = "03"
KIND_NAMES = {
    "01": "振込入金通知",
    "21": "総合振込",
    "11": "給与振込",
    "12": "賞与振込",
    "91": "預金口座振替",
}
# JIS X 0201 as one byte each: ASCII graphic characters and 半角カナ (0xA1–0xDF).
_BAD_BYTE_RE = re.compile(rb"[^\x20-\x7e\xa1-\xdf]")


def _field(record: bytes, spec: tuple[int, int]) -> str:
    start, length = spec
    return record[start : start + length].decode(SJIS)


def _split_records(data: bytes, result: ParsedStatement) -> list[bytes]:
    body = data.rstrip(b"\x1a")  # an MS-DOS end-of-file mark some bank software leaves
    if b"\n" in body or b"\r" in body:
        records = [r.rstrip(b"\r") for r in body.replace(b"\r\n", b"\n").split(b"\n")]
        while records and not records[-1].strip():
            records.pop()
        for n, record in enumerate(records, start=1):
            if len(record) != RECORD_LENGTH:
                result.add_error(
                    n,
                    _("レコード %(n)d: 長さが %(len)d バイトです(全銀の入出金取引明細は1レコード200バイト)。")
                    % {"n": n, "len": len(record)},
                )
        return records
    if len(body) % RECORD_LENGTH:
        result.add_error(
            0,
            _(
                "ファイルの長さ(%(len)d バイト)が200バイトの倍数ではありません。全銀の入出金取引明細ファイルか確認してください。"
            )
            % {"len": len(body)},
        )
        return []
    return [body[i : i + RECORD_LENGTH] for i in range(0, len(body), RECORD_LENGTH)]


def _wareki_yymmdd(text: str, today: date) -> date | None:
    """令和 YYMMDD → date; None when it is not a 令和 date or lies more than a year ahead."""
    if not re.fullmatch(r"\d{6}", text):
        return None
    year, month, day = int(text[:2]), int(text[2:4]), int(text[4:])
    try:
        value = date(2018 + year, month, day)
    except ValueError:
        return None
    if value < REIWA_START or value > today + timedelta(days=366):
        return None
    return value


@dataclass
class _Account:
    record: int
    credits: int = 0
    credit_total: Decimal = Decimal(0)
    debits: int = 0
    debit_total: Decimal = Decimal(0)
    failed: bool = False  # a data record of it has an error: its totals are not compared (noise)


def _parse_zengin(data: bytes, today: date) -> ParsedStatement:
    result = ParsedStatement(layout=LAYOUT_ZENGIN, encoding=SJIS)
    records = _split_records(data, result)
    if result.errors:
        return result
    account: _Account | None = None
    ended = False
    for n, record in enumerate(records, start=1):
        prefix = _("レコード %(n)d: ") % {"n": n}
        if m := _BAD_BYTE_RE.search(record):
            result.add_error(
                n,
                prefix
                + _(
                    "%(pos)d バイト目に半角英数・半角カナ以外の文字(全角文字など)があります。全銀の入出金取引明細は JIS X 0201 の1バイト文字だけです。"
                )
                % {"pos": m.start() + 1},
            )
            if account is not None:
                account.failed = True
            continue
        kind = record[:1]
        if ended:
            result.add_error(n, prefix + _("エンド・レコード(9)の後にレコードがあります。"))
            break
        if kind == b"1":
            if account is not None:
                result.add_error(
                    n, prefix + _("前の口座のトレーラ・レコード(8)がないまま次のヘッダーがあります。")
                )
            account = _Account(n)
            _zengin_header(result, n, record, prefix)
        elif kind == b"2":
            if account is None:
                result.add_error(n, prefix + _("ヘッダー・レコード(1)より前にデータ・レコードがあります。"))
                continue
            _zengin_data(result, n, record, prefix, account, today)
        elif kind == b"8":
            if account is None:
                result.add_error(n, prefix + _("ヘッダー・レコード(1)のないトレーラ・レコードです。"))
                continue
            _zengin_trailer(result, n, record, prefix, account)
            account = None
        elif kind == b"9":
            if account is not None:
                result.add_error(n, prefix + _("トレーラ・レコード(8)がないままエンド・レコードがあります。"))
                account = None
            ended = True
        else:
            result.add_error(
                n,
                prefix
                + _("データ区分「%(kind)s」は読めません(1 ヘッダー、2 データ、8 トレーラ、9 エンド)。")
                % {"kind": kind.decode("ascii", "replace")},
            )
    if not ended and not result.errors:
        result.add_error(
            len(records),
            _("エンド・レコード(9)がありません。ファイルが途中で切れていないか確認してください。"),
        )
    return result


def _zengin_header(result: ParsedStatement, n: int, record: bytes, prefix: str) -> None:
    kind = _field(record, HEADER_KIND)
    if kind != KIND_STATEMENT:
        name = KIND_NAMES.get(kind)
        detail = _("(%(name)s のファイルです)") % {"name": name} if name else ""
        result.add_error(
            n,
            prefix
            + _("種別コードが「%(kind)s」です。入出金取引明細(03)のファイルだけを読み込めます%(detail)s。")
            % {"kind": kind, "detail": detail},
        )
    code = _field(record, HEADER_CODE)
    if code != "0":
        result.add_error(
            n,
            prefix + _("コード区分が「%(code)s」です。JIS(0)のファイルだけを読み込めます。") % {"code": code},
        )


def _zengin_data(
    result: ParsedStatement, n: int, record: bytes, prefix: str, account: _Account, today: date
) -> None:
    problems: list[str] = []
    raw_date = _field(record, DATA_DATE)
    day = _wareki_yymmdd(raw_date, today)
    if day is None:
        problems.append(
            _("勘定日「%(value)s」を令和の年月日(YYMMDD)として読めません。") % {"value": raw_date}
        )
    direction = _field(record, DATA_DIRECTION)
    if direction not in ("1", "2"):
        problems.append(_("入払区分「%(value)s」は 1(入金)か 2(出金)です。") % {"value": direction})
    raw_amount = _field(record, DATA_AMOUNT)
    amount = Decimal(raw_amount) if raw_amount.isdigit() else None
    if amount is None:
        problems.append(_("取引金額「%(value)s」が12桁の数字ではありません。") % {"value": raw_amount})
    elif amount == 0:
        problems.append(_("取引金額が0円です。"))
    for problem in problems:
        result.add_error(n, prefix + problem)
    if problems or amount is None or day is None:
        account.failed = True
        return
    if direction == "2":
        account.debits += 1
        account.debit_total += amount
        result.debits += 1
        return
    account.credits += 1
    account.credit_total += amount
    payer = nfkc(_field(record, DATA_PAYER)).strip()
    description = nfkc(_field(record, DATA_DESCRIPTION)).strip()
    if len(result.entries) >= MAX_LINES:
        result.add_error(
            n, prefix + _("明細が多すぎます(1ファイル %(n)s 件まで)。") % {"n": f"{MAX_LINES:,}"}
        )
        return
    result.entries.append(StatementEntry(n, day, amount, payer, payer, description))


def _number(record: bytes, spec: tuple[int, int]) -> int | None:
    text = _field(record, spec)
    return int(text) if text.isdigit() else None


def _zengin_trailer(result: ParsedStatement, n: int, record: bytes, prefix: str, account: _Account) -> None:
    if account.failed:
        return
    checks: Iterable[tuple[tuple[int, int], Decimal | int, str]] = (
        (TRAILER_CREDIT_COUNT, account.credits, _("入金件数")),
        (TRAILER_CREDIT_TOTAL, account.credit_total, _("入金額合計")),
        (TRAILER_DEBIT_COUNT, account.debits, _("出金件数")),
        (TRAILER_DEBIT_TOTAL, account.debit_total, _("出金額合計")),
    )
    for spec, counted, label in checks:
        written = _number(record, spec)
        if written is None:
            result.add_error(n, prefix + _("%(label)s が数字ではありません。") % {"label": label})
        elif written != counted:
            result.add_error(
                n,
                prefix
                + _("トレーラの%(label)s(%(written)s)がデータ・レコードの集計(%(counted)s)と合いません。")
                % {"label": label, "written": f"{written:,}", "counted": f"{counted:,}"},
            )
