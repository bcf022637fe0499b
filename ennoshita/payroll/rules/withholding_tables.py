"""The dated 源泉徴収税額表 that :mod:`ennoshita.payroll.rules.withholding` calculates with (jp-rules §1).

- ``monthly``: the 月額表 (所得税法185条1項, 別表第二, printed with 復興特別所得税 by 平成24年財務省告示第115号).
- ``formula``: the 月額表の甲欄の電算機計算の特例 (平成24年財務省告示第116号).
- ``bonus``: the 賞与に対する源泉徴収税額の算出率の表 (所得税法186条, 別表第四).

The tables are the dated files ``data/withholding_{monthly,bonus,formula}_*.json``, chosen by the
pay date (支払日: a table applies to pay paid on or after its first day). A pay date that no file
covers is refused.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")

# 月額表 甲欄 prints 0人〜7人; the 賞与 算出率の表 has "7人以上" as its last 甲 column.
KO_PRINTED_DEPENDENTS = 7

_WHAT = {
    "monthly": "源泉徴収税額表(月額表)",
    "bonus": "賞与に対する源泉徴収税額の算出率の表",
    "formula": "月額表の甲欄の電算機計算の特例",
}


# --- dated data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedWithholdingTable:
    file: str
    kind: str
    effective_from: date
    effective_to: date
    data: dict[str, Any]


@cache
def _all_tables() -> dict[str, tuple[DatedWithholdingTable, ...]]:
    groups: dict[str, list[DatedWithholdingTable]] = {}
    for path in sorted(DATA_DIR.glob("withholding_*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        table = DatedWithholdingTable(
            file=path.name,
            kind=raw["kind"],
            effective_from=date.fromisoformat(raw["effective_from"]),
            effective_to=date.fromisoformat(raw["effective_to"]),
            data=raw,
        )
        groups.setdefault(table.kind, []).append(table)
    return {kind: tuple(sorted(group, key=lambda t: t.effective_from)) for kind, group in groups.items()}


def withholding_tables(kind: str) -> tuple[DatedWithholdingTable, ...]:
    """Every loaded table of one kind ("monthly", "bonus", "formula"), oldest first."""
    return _all_tables().get(kind, ())


def _pick(kind: str, pay_date: date) -> DatedWithholdingTable:
    tables = withholding_tables(kind)
    found = [t for t in tables if t.effective_from <= pay_date <= t.effective_to]
    if not found:
        ranges = "、".join(f"{t.effective_from}〜{t.effective_to}" for t in tables) or "なし"
        raise ValueError(
            f"pay_date: {pay_date.isoformat()}に支払う{'賞与' if kind == 'bonus' else '給与'}に使う"
            f"{_WHAT[kind]}が登録されていません"
            f"(登録済みの支払日: {ranges})。"
        )
    if len(found) > 1:
        raise RuntimeError(f"{pay_date}に使う{_WHAT[kind]}が2つ以上あります: {[t.file for t in found]}")
    return found[0]


@dataclass(frozen=True)
class Segment:
    """月額表 740,000円以上: tax = ``base[column]`` + (A − ``start``) × ``rate``, 1円未満切捨て."""

    start: int
    rate: Decimal
    base: tuple[int, ...]


@dataclass(frozen=True)
class MonthlyTable:
    """A 月額表: rows ``(以上, 未満, 甲0人, …, 甲7人, 乙)`` below ``table_top``, then the segments."""

    file: str
    title: str
    url: str
    ko_zero_below: int
    otsu_flat_below: int
    otsu_flat_rate: Decimal
    per_person: int  # 1,610円: 7人超の1人ごと (甲) and 従たる給与の申告書の1人ごと (乙)
    table_top: int
    rows: tuple[tuple[int, ...], ...]
    ko_segments: tuple[Segment, ...]
    otsu_segments: tuple[Segment, ...]

    def row_for(self, amount: int) -> tuple[int, ...]:
        row = self.rows[bisect_right(self.mins, amount) - 1]
        if not row[0] <= amount < row[1]:
            raise RuntimeError(f"{self.file}: {amount}円の行がありません")
        return row

    @property
    def mins(self) -> tuple[int, ...]:
        return _row_mins(self.file)


@dataclass(frozen=True)
class Band:
    """One band of a 電算機 別表: amounts up to ``upto`` (None = no limit) → A × ``rate`` + ``add``."""

    upto: int | None
    rate: Decimal
    add: int


@dataclass(frozen=True)
class Formula:
    file: str
    title: str
    url: str
    employment_income_deduction: tuple[Band, ...]  # 別表第一
    dependent_deduction: int  # 別表第二, per person
    basic_deduction: tuple[Band, ...]  # 別表第三
    tax_rates: tuple[Band, ...]  # 別表第四: tax = B × rate − add


Span = tuple[int | None, int | None]  # 千円, [以上, 未満); None = open


@dataclass(frozen=True)
class BonusRow:
    rate: Decimal  # percent
    ko: tuple[Span, ...]  # 甲0人〜7人以上
    otsu: Span | None


@dataclass(frozen=True)
class BonusTable:
    file: str
    title: str
    url: str
    rows: tuple[BonusRow, ...]

    def rate_for(self, prev_month: int, column: str, dependents: int) -> Decimal:
        for row in self.rows:
            span = row.ko[min(dependents, KO_PRINTED_DEPENDENTS)] if column == "甲" else row.otsu
            if span is not None and _in_thousands(prev_month, span):
                return row.rate
        raise RuntimeError(f"{self.file}: {prev_month}円の率がありません")


def _in_thousands(amount: int, span: Span) -> bool:
    low, high = span
    return (low is None or amount >= low * 1000) and (high is None or amount < high * 1000)


def _dated(kind: str, file: str) -> dict[str, Any]:
    return next(t.data for t in withholding_tables(kind) if t.file == file)


def monthly_table(pay_date: date) -> MonthlyTable:
    """The 月額表 for pay paid on ``pay_date`` (ValueError naming pay_date when there is none)."""
    return _monthly_table(_pick("monthly", pay_date).file)


@cache
def _monthly_table(file: str) -> MonthlyTable:
    raw = _dated("monthly", file)
    return MonthlyTable(
        file=file,
        title=raw["title"],
        url=raw["source"]["url"],
        ko_zero_below=raw["ko_zero_below"],
        otsu_flat_below=raw["otsu_flat_below"],
        otsu_flat_rate=Decimal(raw["otsu_flat_rate"]),
        per_person=raw["extra_dependent_deduction"],
        table_top=raw["table_top"],
        rows=tuple(tuple(row) for row in raw["rows"]),
        ko_segments=tuple(
            Segment(s["from"], Decimal(s["rate"]), tuple(s["base"])) for s in raw["ko_segments"]
        ),
        otsu_segments=tuple(
            Segment(s["from"], Decimal(s["rate"]), (s["base"],)) for s in raw["otsu_segments"]
        ),
    )


@cache
def _row_mins(file: str) -> tuple[int, ...]:
    return tuple(row[0] for row in _monthly_table(file).rows)


def formula_table(pay_date: date) -> Formula:
    """The 電算機計算の特例 for pay paid on ``pay_date`` (ValueError naming pay_date when none)."""
    return _formula_table(_pick("formula", pay_date).file)


@cache
def _formula_table(file: str) -> Formula:
    raw = _dated("formula", file)

    def bands(rows: list[list[Any]]) -> tuple[Band, ...]:
        return tuple(Band(upto, Decimal(rate), add) for upto, rate, add in rows)

    return Formula(
        file=file,
        title=raw["title"],
        url=raw["source"]["url"],
        employment_income_deduction=bands(raw["employment_income_deduction"]),
        dependent_deduction=raw["dependent_deduction"],
        basic_deduction=bands(raw["basic_deduction"]),
        tax_rates=bands(raw["tax_rates"]),
    )


def bonus_table(pay_date: date) -> BonusTable:
    """The 賞与 算出率の表 for a bonus paid on ``pay_date`` (ValueError naming pay_date when none)."""
    return _bonus_table(_pick("bonus", pay_date).file)


@cache
def _bonus_table(file: str) -> BonusTable:
    raw = _dated("bonus", file)
    rows = tuple(
        BonusRow(
            Decimal(row["rate"]),
            tuple((low, high) for low, high in row["ko"]),
            None if row["otsu"] is None else (row["otsu"][0], row["otsu"][1]),
        )
        for row in raw["rows"]
    )
    return BonusTable(file=file, title=raw["title"], url=raw["source"]["url"], rows=rows)
