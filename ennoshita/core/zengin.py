"""jp-rules §8: the 120-character records of a 全銀 総合振込 / 給与・賞与振込 file, and their encoding.

Pure (no database). Lives in core because purchasing (総合振込, 種別 21) and payroll (給与・賞与振込,
種別 11/12) both write these files and may not import each other; ``purchasing.rules.zengin``
re-exports the same names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ennoshita.core import banks
from ennoshita.core.bank_text import bank_characters, bank_kana

# ============================================================================ §8 records


@dataclass(frozen=True)
class ZenginField:
    name: str  # as §8 names it
    start: int  # 1-based position
    length: int
    numeric: bool  # N: right-aligned, zero-filled; C: left-aligned, space-filled


def _n(name: str, start: int, length: int) -> ZenginField:
    return ZenginField(name, start, length, numeric=True)


def _c(name: str, start: int, length: int) -> ZenginField:
    return ZenginField(name, start, length, numeric=False)


RECORD_LENGTH = 120
HEADER_LAYOUT = (
    _n("データ区分", 1, 1),
    _n("種別コード", 2, 2),
    _n("コード区分", 4, 1),
    _n("振込依頼人コード", 5, 10),
    _c("振込依頼人名", 15, 40),
    _n("振込指定日", 55, 4),
    _n("仕向銀行番号", 59, 4),
    _c("仕向銀行名", 63, 15),
    _n("仕向支店番号", 78, 3),
    _c("仕向支店名", 81, 15),
    _n("預金種目", 96, 1),
    _n("口座番号", 97, 7),
    _c("ダミー", 104, 17),
)
DATA_LAYOUT = (
    _n("データ区分", 1, 1),
    _n("被仕向銀行番号", 2, 4),
    _c("被仕向銀行名", 6, 15),
    _n("被仕向支店番号", 21, 3),
    _c("被仕向支店名", 24, 15),
    _n("手形交換所番号", 39, 4),
    _n("預金種目", 43, 1),
    _n("口座番号", 44, 7),
    _c("受取人名", 51, 30),
    _n("振込金額", 81, 10),
    _n("新規コード", 91, 1),
    _c("顧客コード1", 92, 10),  # with 識別表示 Y, 92–111 is the 20-character EDI情報
    _c("顧客コード2", 102, 10),
    _n("振込指定区分", 112, 1),
    _c("識別表示", 113, 1),
    _c("ダミー", 114, 7),
)
# 給与・賞与振込: the same layout up to 新規コード; then 社員番号 and 所属コード and a 9-character
# ダミー (general knowledge, not in §8: check the bank's 給与振込 spec).
PAYROLL_DATA_LAYOUT = (
    *DATA_LAYOUT[:11],
    _n("社員番号", 92, 10),
    _n("所属コード", 102, 10),
    _c("ダミー", 112, 9),
)
TRAILER_LAYOUT = (_n("データ区分", 1, 1), _n("合計件数", 2, 6), _n("合計金額", 8, 12), _c("ダミー", 20, 101))
END_LAYOUT = (_n("データ区分", 1, 1), _c("ダミー", 2, 119))

KINDS = {"21": "総合振込", "11": "給与振込", "12": "賞与振込"}
MAX_AMOUNT = 9_999_999_999  # 振込金額 N(10)
MAX_TOTAL = 999_999_999_999  # 合計金額 N(12)
MAX_COUNT = 999_999  # 合計件数 N(6)
HEADER_ACCOUNT_TYPES = {"1": "普通", "2": "当座", "9": "その他"}
ACCOUNT_TYPES = {"1": "普通", "2": "当座", "4": "貯蓄", "9": "その他"}

_HEADER_KEYS = frozenset(
    {"requester_code", "requester_name", "date", "bank_code", "bank_name", "branch_code"}
    | {"branch_name", "account_type", "account_number", "code_class"}
)
_TRANSFER_KEYS = frozenset(
    {"bank_code", "bank_name", "branch_code", "branch_name", "account_type", "account_number"}
    | {"name", "amount", "new_code"}
)
_TRANSFER_KEYS_21 = _TRANSFER_KEYS | {"customer_code", "customer_code_2", "edi_info", "transfer_method"}
_TRANSFER_KEYS_PAYROLL = _TRANSFER_KEYS | {"employee_number", "department_code"}
_DIGITS = re.compile(r"[0-9]+")


def _render(layout: Sequence[ZenginField], values: Mapping[str, str]) -> str:
    parts = []
    position = 1
    for field in layout:
        assert field.start == position, f"{field.name} starts at {field.start}, not {position}"
        value = values.get(field.name, "")
        assert len(value) <= field.length, f"{field.name}: {value!r} longer than {field.length}"
        parts.append(value.rjust(field.length, "0") if field.numeric else value.ljust(field.length))
        position += field.length
    record = "".join(parts)
    assert len(record) == RECORD_LENGTH
    return record


class _Check:
    """Validation of one dict (the header or one transfer); errors name it and the field."""

    def __init__(self, where: str, values: Mapping[str, Any], allowed: frozenset[str]) -> None:
        if not isinstance(values, Mapping):
            raise ValueError(f"{where}: 辞書で渡してください（{type(values).__name__}）")
        unknown = sorted(map(str, set(values) - allowed))
        if unknown:
            raise ValueError(f"{where}: 知らない項目があります: {', '.join(unknown)}")
        self.where = where
        self.values = values

    def fail(self, key: str, label: str, message: str) -> ValueError:
        return ValueError(f"{self.where}の {key}（{label}）: {message}: {self.values.get(key)!r}")

    def get(self, key: str, label: str, default: Any = None) -> Any:
        """The value, else ``default``; with no default the field is required."""
        value = self.values.get(key)
        if value is None or value == "":
            if default is None:
                raise ValueError(f"{self.where}の {key}（{label}）がありません")
            return default
        return value

    def digits(self, key: str, label: str, length: int, *, exact: bool, default: str | None = None) -> str:
        value = self.get(key, label, default)
        digits = f"{length}桁" if exact else f"{length}桁以内"
        if not (isinstance(value, str) and _DIGITS.fullmatch(value)):
            raise self.fail(key, label, f"{digits}の半角数字の文字列で指定してください")
        if (len(value) != length) if exact else (len(value) > length):
            raise self.fail(key, label, f"{digits}の数字で指定してください")
        return value

    def choice(self, key: str, label: str, choices: Mapping[str, str], default: str | None = None) -> str:
        value = self.get(key, label, default)
        text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
        if text not in choices:
            allowed = "・".join(f"{k}({v})" for k, v in choices.items())
            raise self.fail(key, label, f"{allowed} のどれかで指定してください")
        return text

    def kana(self, key: str, label: str, width: int | None, *, required: bool, abbreviate: bool) -> str:
        value = self.get(key, label, None if required else "")
        if value == "":
            return ""
        if not isinstance(value, str):
            raise self.fail(key, label, "文字列で指定してください")
        try:
            text = bank_kana(value) if abbreviate else bank_characters(value)
        except ValueError as error:
            raise ValueError(f"{self.where}の {key}（{label}）: {error}") from None
        if required and not text:
            raise ValueError(f"{self.where}の {key}（{label}）が空です")
        if width is not None and len(text) > width:
            raise self.fail(key, label, f"半角{width}文字までです（変換後 {len(text)} 文字「{text}」）")
        return text


def _mmdd(check: _Check) -> str:
    value = check.get("date", "振込指定日")
    if isinstance(value, dt.date):
        return value.strftime("%m%d")
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value):
        try:
            dt.date(2000, int(value[:2]), int(value[2:]))  # a leap year, so that 0229 is a date
        except ValueError:
            pass
        else:
            return value
    raise check.fail("date", "振込指定日", "月日を MMDD（例 1225）か日付で指定してください")


def _bank_names(check: _Check, bank_code: str, branch_code: str, prefix: str) -> tuple[str, str]:
    """Bank and branch names (kana, 15 characters) as given, else from the bank-code data.

    The names only inform: banks route on the codes. So a long name is cut at 15 characters.
    """
    bank_name = check.kana("bank_name", f"{prefix}銀行名", None, required=False, abbreviate=False)
    if not bank_name:
        found = banks.bank(bank_code)
        if found is None:
            raise check.fail("bank_code", f"{prefix}銀行番号", "銀行コードのデータにない銀行番号です")
        bank_name = found.kana
    branch_name = check.kana("branch_name", f"{prefix}支店名", None, required=False, abbreviate=False)
    if not branch_name:
        found_branch = banks.branch(bank_code, branch_code)
        if found_branch is None:
            raise check.fail("branch_code", f"{prefix}支店番号", f"銀行 {bank_code} にない支店番号です")
        branch_name = found_branch.kana
    return bank_name[:15], branch_name[:15]


def _header_record(kind: str, header: Mapping[str, Any]) -> str:
    check = _Check("header", header, _HEADER_KEYS)
    code_class = check.choice("code_class", "コード区分", {"0": "JIS"}, default="0")
    requester_code = check.digits("requester_code", "振込依頼人コード", 10, exact=False)
    requester_name = check.kana("requester_name", "振込依頼人名", 40, required=True, abbreviate=True)
    mmdd = _mmdd(check)
    bank_code = check.digits("bank_code", "仕向銀行番号", 4, exact=True)
    branch_code = check.digits("branch_code", "仕向支店番号", 3, exact=True)
    account_type = check.choice("account_type", "預金種目", HEADER_ACCOUNT_TYPES)
    account_number = check.digits("account_number", "口座番号", 7, exact=False)
    bank_name, branch_name = _bank_names(check, bank_code, branch_code, "仕向")
    values = {
        "データ区分": "1",
        "種別コード": kind,
        "コード区分": code_class,
        "振込依頼人コード": requester_code,
        "振込依頼人名": requester_name,
        "振込指定日": mmdd,
        "仕向銀行番号": bank_code,
        "仕向銀行名": bank_name,
        "仕向支店番号": branch_code,
        "仕向支店名": branch_name,
        "預金種目": account_type,
        "口座番号": account_number,
    }
    return _render(HEADER_LAYOUT, values)


def _amount(check: _Check) -> int:
    value = check.get("amount", "振込金額")
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise check.fail("amount", "振込金額", "円の整数（int か Decimal）で指定してください")
    if isinstance(value, Decimal) and (not value.is_finite() or value != value.to_integral_value()):
        raise check.fail("amount", "振込金額", "円未満のない金額で指定してください")
    if not 1 <= value <= MAX_AMOUNT:
        raise check.fail("amount", "振込金額", f"1円から{MAX_AMOUNT:,}円までです")
    return int(value)


def _data_record(kind: str, index: int, transfer: Mapping[str, Any]) -> tuple[str, int]:
    payroll = kind != "21"
    where = f"transfers[{index}]（{index + 1}件目）"
    check = _Check(where, transfer, _TRANSFER_KEYS_PAYROLL if payroll else _TRANSFER_KEYS_21)
    bank_code = check.digits("bank_code", "被仕向銀行番号", 4, exact=True)
    branch_code = check.digits("branch_code", "被仕向支店番号", 3, exact=True)
    account_type = check.choice("account_type", "預金種目", ACCOUNT_TYPES)
    account_number = check.digits("account_number", "口座番号", 7, exact=False)
    name = check.kana("name", "受取人名", 30, required=True, abbreviate=True)
    amount = _amount(check)
    new_code = check.choice("new_code", "新規コード", {"0": "その他", "1": "第1回", "2": "変更"}, default="0")
    bank_name, branch_name = _bank_names(check, bank_code, branch_code, "被仕向")
    values = {
        "データ区分": "2",
        "被仕向銀行番号": bank_code,
        "被仕向銀行名": bank_name,
        "被仕向支店番号": branch_code,
        "被仕向支店名": branch_name,
        "手形交換所番号": "0000",  # unused (§8)
        "預金種目": account_type,
        "口座番号": account_number,
        "受取人名": name,
        "振込金額": str(amount),
        "新規コード": new_code,
    }
    if payroll:
        values["社員番号"] = check.digits("employee_number", "社員番号", 10, exact=False, default="0")
        values["所属コード"] = check.digits("department_code", "所属コード", 10, exact=False, default="0")
        return _render(PAYROLL_DATA_LAYOUT, values), amount
    values["振込指定区分"] = check.choice(
        "transfer_method", "振込指定区分", {"7": "電信", "8": "文書"}, default="7"
    )
    edi = check.kana("edi_info", "EDI情報", 20, required=False, abbreviate=False)
    codes = [
        check.kana(key, label, 10, required=False, abbreviate=False)
        for key, label in (("customer_code", "顧客コード1"), ("customer_code_2", "顧客コード2"))
    ]
    if edi and any(codes):
        raise ValueError(
            f"{where}: edi_info と customer_code は同じ桁（92–111）を使うので、どちらか一方だけです"
        )
    if edi:
        edi = edi.ljust(20)
        values.update({"顧客コード1": edi[:10], "顧客コード2": edi[10:], "識別表示": "Y"})
    else:
        values.update({"顧客コード1": codes[0], "顧客コード2": codes[1]})
    return _render(DATA_LAYOUT, values), amount


def zengin_transfer_records(
    *, kind: str, header: Mapping[str, Any], transfers: Sequence[Mapping[str, Any]]
) -> list[str]:
    """The 120-character records of a 総合振込 (``kind="21"``) or 給与/賞与振込 (``"11"``/``"12"``)
    file (§8): one header (1), a data record (2) per transfer, the trailer (8) and the end (9).

    ``header``: requester_code, requester_name, date (MMDD or a date), bank_code, branch_code,
    account_type, account_number, and optionally bank_name, branch_name, code_class ("0").
    Each transfer: bank_code, branch_code, account_type, account_number, name, amount, and
    optionally bank_name, branch_name, new_code; for "21" customer_code, customer_code_2 or
    edi_info, transfer_method ("7" 電信 / "8" 文書); for "11"/"12" employee_number, department_code.
    Bank and branch names not given come from the bank-code data. Raises ValueError naming the
    transfer and the field.
    """
    if kind not in KINDS:
        raise ValueError(
            f"kind（種別コード）は {', '.join(f'{k}({v})' for k, v in KINDS.items())} のどれかです: {kind!r}"
        )
    if isinstance(transfers, Mapping) or not isinstance(transfers, Sequence):
        raise ValueError("transfers は振込（辞書）のリストで渡してください")
    if not transfers:
        raise ValueError("振込が1件もありません")
    if len(transfers) > MAX_COUNT:
        raise ValueError(f"1ファイルの振込は{MAX_COUNT:,}件までです（{len(transfers):,}件）")
    records = [_header_record(kind, header)]
    total = 0
    for index, transfer in enumerate(transfers):
        record, amount = _data_record(kind, index, transfer)
        records.append(record)
        total += amount
    if total > MAX_TOTAL:
        raise ValueError(f"合計金額が{MAX_TOTAL:,}円（トレーラの12桁）を超えます: {total:,}円")
    records.append(
        _render(TRAILER_LAYOUT, {"データ区分": "8", "合計件数": str(len(transfers)), "合計金額": str(total)})
    )
    records.append(_render(END_LAYOUT, {"データ区分": "9"}))
    return records


ZENGIN_ENCODING = "cp932"  # §8: JIS8 in practice Shift_JIS/CP932 with single-byte characters only


def encode_zengin(records: Sequence[str], *, line_separator: Literal["\r\n", ""] = "\r\n") -> bytes:
    """The file's bytes: each record in CP932, exactly 120 bytes, followed by ``line_separator``.

    §8: records may be followed by CR LF (then 122 bytes each) or not — it depends on the bank;
    CR LF is the default, ``line_separator=""`` gives the bare 120-byte records.
    """
    if line_separator not in ("\r\n", ""):
        raise ValueError(f"line_separator は '\\r\\n' か '' です: {line_separator!r}")
    separator = line_separator.encode("ascii")
    chunks = []
    for number, record in enumerate(records, start=1):
        try:
            data = record.encode(ZENGIN_ENCODING)
        except UnicodeEncodeError as error:
            raise ValueError(
                f"{number}行目のレコードに Shift_JIS にない文字があります: {error.object[error.start]!r}"
            ) from None
        if len(data) != RECORD_LENGTH:
            raise ValueError(
                f"{number}行目のレコードが{RECORD_LENGTH}バイトではありません（{len(data)}バイト）"
            )
        chunks.append(data + separator)
    return b"".join(chunks)
