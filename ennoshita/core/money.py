"""Yen amounts and the named rounding rules (ARCHITECTURE.md: "Money").

Every rounding of money in Ennoshita goes through :func:`round_yen` (or :func:`quantize`) with a
named rule, so that the rule applied is visible at each call site and in the audit trail.

- 切り捨て (truncate toward zero): the usual rule for consumption tax on an invoice and for
  withholding; 消費税法 leaves the rule to the business, truncation is the common choice.
- 切り上げ (away from zero).
- 四捨五入 (half away from zero): 0.5 goes up.
- 五捨五超入 (half toward zero: 0.5 goes down, more than 0.5 goes up): the rule for the employee's
  share of social insurance deducted from pay (健康保険・厚生年金の被保険者負担分, 通貨の単位及び
  貨幣の発行等に関する法律 第3条 as applied by 日本年金機構); jp-rules.md §2.3.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from enum import StrEnum

YEN = Decimal("1")
UNIT_PRICE_PLACES = 4


class Rounding(StrEnum):
    TRUNCATE = "truncate"  # 切り捨て
    ROUND_UP = "round_up"  # 切り上げ
    HALF_UP = "half_up"  # 四捨五入
    HALF_DOWN = "half_down"  # 五捨五超入
    FLOOR = "floor"  # 床関数 (toward −∞), for rules stated as "…未満切り捨て" on signed values
    CEILING = "ceiling"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Rounding.TRUNCATE: "切り捨て",
    Rounding.ROUND_UP: "切り上げ",
    Rounding.HALF_UP: "四捨五入",
    Rounding.HALF_DOWN: "五捨五超入",
    Rounding.FLOOR: "切り捨て(負の無限大方向)",
    Rounding.CEILING: "切り上げ(正の無限大方向)",
}

_DECIMAL_MODE = {
    Rounding.TRUNCATE: ROUND_DOWN,
    Rounding.ROUND_UP: ROUND_UP,
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.HALF_DOWN: ROUND_HALF_DOWN,
    Rounding.FLOOR: ROUND_FLOOR,
    Rounding.CEILING: ROUND_CEILING,
}


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Exact conversion. Floats are refused: 0.1 has no exact binary value."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}")
    result = Decimal(value.strip().replace(",", "")) if isinstance(value, str) else Decimal(value)
    if not result.is_finite():
        raise ValueError("money must be a finite number")
    return result


def quantize(value: Decimal | int | str, rule: Rounding, places: int = 0) -> Decimal:
    """Round ``value`` to ``places`` decimal places by the named rule."""
    exp = Decimal(1).scaleb(-places)
    return to_decimal(value).quantize(exp, rounding=_DECIMAL_MODE[Rounding(rule)])


def round_yen(value: Decimal | int | str, rule: Rounding) -> Decimal:
    """Round to whole yen by the named rule."""
    return quantize(value, rule, 0)


def yen(value: Decimal | int | str) -> Decimal:
    """A whole-yen amount. Refuses fractions instead of rounding them silently."""
    d = to_decimal(value)
    if d != d.to_integral_value():
        raise ValueError(f"{value} is not a whole yen amount; round it with a named rule first")
    return d.quantize(YEN)


def unit_price(value: Decimal | int | str) -> Decimal:
    """A unit price with at most 4 decimal places (refuses more)."""
    d = to_decimal(value)
    if d != d.quantize(Decimal(1).scaleb(-UNIT_PRICE_PLACES), rounding=ROUND_DOWN):
        raise ValueError(f"{value} has more than {UNIT_PRICE_PLACES} decimal places")
    return d


def format_yen(value: Decimal | int, *, symbol: bool = True) -> str:
    """12,345 → "¥12,345"; negatives as "-¥12,345" (a △ form can be added where forms ask for it)."""
    d = yen(value)
    body = f"{abs(int(d)):,}"
    sign = "-" if d < 0 else ""
    return f"{sign}¥{body}" if symbol else f"{sign}{body}"
