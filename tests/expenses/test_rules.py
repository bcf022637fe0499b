"""The pure rules of 経費精算, against the law's numbers (sources in ennoshita/expenses/rules.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.money import Rounding
from ennoshita.expenses import rules


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("T7000012050002", True),  # 国税庁 (jp-rules §5.3)
        ("T1180301018771", True),
        ("T1000011000005", True),
        ("T8000012050002", False),  # wrong check digit: a warning, not a refusal
    ],
)
def test_registration_check_digit(value, ok):
    assert rules.is_well_formed_registration_number(value)
    assert rules.registration_check_digit_ok(value) is ok


@pytest.mark.parametrize(
    "value", ["T123", "7000012050002", "TT000012050002", "T70000120500021", "T７000012050002"]
)
def test_malformed_registration_numbers(value):
    assert not rules.is_well_formed_registration_number(value)


def test_registration_number_is_normalized():
    assert rules.normalize_registration_number(" ｔ7000-0120-50002 ") == "T7000012050002"


def test_per_person_is_floored():
    assert rules.per_person_amount(amount=Decimal(25000), attendee_count=3) == Decimal(8333)
    with pytest.raises(ValueError):
        rules.per_person_amount(amount=Decimal(1000), attendee_count=0)


def test_statutory_limit_is_10000_from_2024_04_01():
    assert rules.statutory_entertainment_limit(spent_on=date(2024, 3, 31)) == Decimal(5000)
    assert rules.statutory_entertainment_limit(spent_on=date(2024, 4, 1)) == Decimal(10000)


def test_entertainment_limit_compares_the_amount_without_tax_and_includes_the_limit():
    # 税込 11,000 for 1 person at 10% = 税抜 10,000: 「1万円以下」 → not over
    assert not rules.over_entertainment_limit(amount=11000, rate_percent=10, attendee_count=1, limit=10000)
    assert rules.over_entertainment_limit(amount=11012, rate_percent=10, attendee_count=1, limit=10000)
    # 8% (take-out food): 税込 10,800 = 税抜 10,000
    assert not rules.over_entertainment_limit(amount=10800, rate_percent=8, attendee_count=1, limit=10000)


@pytest.mark.parametrize(
    ("amount", "day", "qualified", "small", "expected"),
    [
        (11000, date(2026, 11, 1), True, False, "P10"),
        (11000, date(2026, 11, 1), False, False, "P10_NQ"),
        (9999, date(2026, 11, 1), False, True, "P10"),  # 少額特例
        (10000, date(2026, 11, 1), False, True, "P10_NQ"),  # 1万円 is not 未満
        (9999, date(2029, 10, 1), False, True, "P10_NQ"),  # after 2029-09-30
    ],
)
def test_line_tax_key(amount, day, qualified, small, expected):
    key = rules.line_tax_key(
        tax_handling="P10",
        kind="normal",
        books_only=False,
        amount=amount,
        purchase_date=day,
        is_qualified=qualified,
        small_amount_exception=small,
    )
    assert key == expected


def test_books_only_special_for_public_transport_under_30000_and_per_diem():
    common = {
        "tax_handling": "P10",
        "books_only": True,
        "purchase_date": date(2026, 11, 1),
        "is_qualified": False,
        "small_amount_exception": False,
    }
    assert rules.line_tax_key(kind="travel", amount=29999, **common) == "P10"
    assert rules.line_tax_key(kind="travel", amount=30000, **common) == "P10_NQ"
    assert rules.line_tax_key(kind="per_diem", amount=50000, **common) == "P10"
    assert (
        rules.line_tax_key(
            kind="normal",
            amount=100,
            tax_handling="OUT",
            books_only=False,
            purchase_date=date(2026, 11, 1),
            is_qualified=False,
            small_amount_exception=False,
        )
        == "OUT"
    )


@pytest.mark.parametrize(
    ("day", "deductible"),
    [(date(2026, 9, 30), Decimal(800)), (date(2026, 10, 1), Decimal(700)), (date(2028, 10, 1), Decimal(500))],
)
def test_input_tax_of_a_non_qualified_receipt_by_date(day, deductible):
    tax = rules.line_input_tax(amount=11000, purchase_date=day, tax_key="P10_NQ", rounding=Rounding.TRUNCATE)
    assert (tax.rate, tax.tax, tax.deductible) == (Decimal(10), Decimal(1000), deductible)


def test_input_tax_of_reduced_rate_and_out_of_scope():
    assert rules.line_input_tax(
        amount=1080, purchase_date=date(2026, 11, 1), tax_key="P8R", rounding=Rounding.TRUNCATE
    ).tax == Decimal(80)
    assert (
        rules.line_input_tax(
            amount=5000, purchase_date=date(2026, 11, 1), tax_key="OUT", rounding=Rounding.TRUNCATE
        ).tax
        == 0
    )


def test_per_diem():
    assert rules.per_diem_amount(kind="overnight", days=3, day_trip=1000, overnight=3000) == Decimal(9000)
    assert rules.per_diem_amount(kind="day_trip", days=1, day_trip=1000, overnight=3000) == Decimal(1000)
    with pytest.raises(ValueError):
        rules.per_diem_amount(kind="abroad", days=1, day_trip=1000, overnight=3000)


def test_flags_from_plain_facts():
    settings = rules.RuleSettings(
        receipt_threshold=Decimal(1), missing_receipt_blocks=True, entertainment_limit=Decimal(10000)
    )
    facts = rules.LineFacts(
        line_no=1,
        date=date(2026, 11, 1),
        amount=Decimal(100),
        kind="normal",
        tax_handling="P10",
        receipt_required=True,
        has_receipt=False,
        attendee_count=None,
        registration_number="",
        is_qualified=False,
    )
    [flag] = rules.check_lines([facts], settings)
    assert (flag.code, flag.blocking) == ("missing_receipt", True)
    relaxed = rules.RuleSettings(
        receipt_threshold=Decimal(1), missing_receipt_blocks=False, entertainment_limit=Decimal(10000)
    )
    assert not rules.check_lines([facts], relaxed)[0].blocking
