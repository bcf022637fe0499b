"""Legal rules that belong to no single domain, as pure functions."""

from __future__ import annotations


def corporate_number_check_digit(base: str) -> int:
    """The check digit of a 法人番号 from its 12-digit 基礎番号.

    法人番号の指定等に関する省令 (jp-rules.md §5.3): check = 9 − (Σ Pn × Qn mod 9), where Pn is the
    n-th digit counted from the right and Qn is 1 for odd n, 2 for even n. The result is 1–9.
    """
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError("a 基礎番号 is 12 digits")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return 9 - total % 9


def is_valid_corporate_number(number: str) -> bool:
    """True for 13 ASCII digits whose first digit is the check digit of the other twelve."""
    if len(number) != 13 or not number.isascii() or not number.isdigit():
        return False
    return int(number[0]) == corporate_number_check_digit(number[1:])
