"""印紙税 on contracts (印紙税法 別表第一 第1号・第2号・第7号, 租特法91条; jp-rules.md §14.1, §14.3).

Expectations are the yen written in jp-rules table 14.1, cell by cell, on both sides of each
bracket boundary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.legal.models import StampDocument
from ennoshita.legal.rules.stamp_duty import DOCUMENTS, contract_stamp_duty

IN_WINDOW = date(2026, 11, 24)  # inside the 軽減措置 window (2014-04-01..2027-03-31)
AFTER_WINDOW = date(2027, 4, 1)

# 記載金額 (1号) → 本則
NO1_MAIN = [
    (0, 0),
    (9_999, 0),
    (10_000, 200),
    (100_000, 200),
    (100_001, 400),
    (500_000, 400),
    (500_001, 1_000),
    (1_000_000, 1_000),
    (1_000_001, 2_000),
    (5_000_000, 2_000),
    (5_000_001, 10_000),
    (10_000_000, 10_000),
    (10_000_001, 20_000),
    (50_000_000, 20_000),
    (50_000_001, 60_000),
    (100_000_000, 60_000),
    (100_000_001, 100_000),
    (500_000_000, 100_000),
    (500_000_001, 200_000),
    (1_000_000_000, 200_000),
    (1_000_000_001, 400_000),
    (5_000_000_000, 400_000),
    (5_000_000_001, 600_000),
    (100_000_000_000, 600_000),
]

# 記載金額 (2号) → 本則
NO2_MAIN = [
    (0, 0),
    (9_999, 0),
    (10_000, 200),
    (1_000_000, 200),
    (1_000_001, 400),
    (2_000_000, 400),
    (2_000_001, 1_000),
    (3_000_000, 1_000),
    (3_000_001, 2_000),
    (5_000_000, 2_000),
    (5_000_001, 10_000),
    (10_000_000, 10_000),
    (10_000_001, 20_000),
    (50_000_000, 20_000),
    (50_000_001, 60_000),
    (100_000_000, 60_000),
    (100_000_001, 100_000),
    (500_000_000, 100_000),
    (500_000_001, 200_000),
    (1_000_000_000, 200_000),
    (1_000_000_001, 400_000),
    (5_000_000_000, 400_000),
    (5_000_000_001, 600_000),
    (100_000_000_000, 600_000),
]

# 不動産の譲渡 (1の1) → 軽減
NO1_REDUCED = [
    (0, 0),
    (9_999, 0),
    (10_000, 200),
    (100_000, 200),
    (100_001, 200),
    (500_000, 200),
    (500_001, 500),
    (1_000_000, 500),
    (1_000_001, 1_000),
    (5_000_000, 1_000),
    (5_000_001, 5_000),
    (10_000_000, 5_000),
    (10_000_001, 10_000),
    (50_000_000, 10_000),
    (50_000_001, 30_000),
    (100_000_000, 30_000),
    (100_000_001, 60_000),
    (500_000_000, 60_000),
    (500_000_001, 160_000),
    (1_000_000_000, 160_000),
    (1_000_000_001, 320_000),
    (5_000_000_000, 320_000),
    (5_000_000_001, 480_000),
    (100_000_000_000, 480_000),
]

# 建設工事の請負 (2号) → 軽減
NO2_REDUCED = [
    (0, 0),
    (9_999, 0),
    (10_000, 200),
    (1_000_000, 200),
    (1_000_001, 200),
    (2_000_000, 200),
    (2_000_001, 500),
    (3_000_000, 500),
    (3_000_001, 1_000),
    (5_000_000, 1_000),
    (5_000_001, 5_000),
    (10_000_000, 5_000),
    (10_000_001, 10_000),
    (50_000_000, 10_000),
    (50_000_001, 30_000),
    (100_000_000, 30_000),
    (100_000_001, 60_000),
    (500_000_000, 60_000),
    (500_000_001, 160_000),
    (1_000_000_000, 160_000),
    (1_000_000_001, 320_000),
    (5_000_000_000, 320_000),
    (5_000_000_001, 480_000),
    (100_000_000_000, 480_000),
]


def duty(document: str, amount: int | Decimal | None, made_on: date = IN_WINDOW, **kw) -> int:
    return contract_stamp_duty(document=document, amount=amount, made_on=made_on, **kw)


def test_the_documents_are_the_model_choices():
    assert set(StampDocument.values) == DOCUMENTS


@pytest.mark.parametrize("document", ["1-1", "1-2", "1-3", "1-4"])
@pytest.mark.parametrize(("amount", "expected"), NO1_MAIN)
def test_no1_main_table(document, amount, expected):
    assert duty(document, amount) == expected


@pytest.mark.parametrize(("amount", "expected"), NO1_MAIN)
def test_real_estate_after_the_reduction_ends_pays_the_main_table(amount, expected):
    assert duty("1-1-real-estate", amount, AFTER_WINDOW) == expected


@pytest.mark.parametrize(("amount", "expected"), NO2_MAIN)
def test_no2_main_table(amount, expected):
    assert duty("2", amount) == expected


@pytest.mark.parametrize(("amount", "expected"), NO2_MAIN)
def test_construction_after_the_reduction_ends_pays_the_main_table(amount, expected):
    assert duty("2-construction", amount, AFTER_WINDOW) == expected


@pytest.mark.parametrize(("amount", "expected"), NO1_REDUCED)
def test_real_estate_reduced_table(amount, expected):
    assert duty("1-1-real-estate", amount) == expected


@pytest.mark.parametrize(("amount", "expected"), NO2_REDUCED)
def test_construction_reduced_table(amount, expected):
    assert duty("2-construction", amount) == expected


@pytest.mark.parametrize(
    ("document", "amount", "made_on", "expected"),
    [
        # 10万円超 (1号): 400 本則, 200 軽減
        ("1-1-real-estate", 100_001, date(2027, 3, 31), 200),
        ("1-1-real-estate", 100_001, date(2027, 4, 1), 400),
        ("1-1-real-estate", 5_000_000, date(2014, 4, 1), 1_000),
        ("1-1-real-estate", 5_000_000, date(2014, 3, 31), 2_000),
        ("1-1-real-estate", 5_000_000, date(2027, 3, 31), 1_000),
        ("1-1-real-estate", 5_000_000, date(2027, 4, 1), 2_000),
        ("2-construction", 1_000_001, date(2014, 3, 31), 400),
        ("2-construction", 1_000_001, date(2014, 4, 1), 200),
        ("2-construction", 3_000_000, date(2027, 3, 31), 500),
        ("2-construction", 3_000_000, date(2027, 4, 1), 1_000),
        ("2-construction", 5_000_001, date(2027, 3, 31), 5_000),
        ("2-construction", 5_000_001, date(2027, 4, 1), 10_000),
        # the other 1号・2号 documents are never reduced
        ("1-1", 100_001, date(2026, 4, 1), 400),
        ("1-2", 5_000_000, date(2026, 4, 1), 2_000),
        ("2", 3_000_000, date(2026, 4, 1), 1_000),
    ],
)
def test_reduction_window(document, amount, made_on, expected):
    assert duty(document, amount, made_on) == expected


@pytest.mark.parametrize("document", sorted(DOCUMENTS - {"none", "7"}))
@pytest.mark.parametrize("made_on", [date(2026, 4, 1), date(2027, 4, 1)])
def test_no_amount_stated_is_200(document, made_on):
    assert duty(document, None, made_on) == 200


@pytest.mark.parametrize("amount", [None, 0, 9_999, 10_000_000, 10**10])
def test_no7_is_4000_flat(amount):
    assert duty("7", amount) == 4_000


@pytest.mark.parametrize("amount", [None, 0, 10_000_000])
def test_not_a_taxable_document(amount):
    assert duty("none", amount) == 0


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
@pytest.mark.parametrize("amount", [None, 10_000_000])
def test_electronic_contract_pays_nothing(document, amount):
    assert duty(document, amount, paper=False) == 0


@pytest.mark.parametrize(
    ("document", "amount", "tax", "made_on", "expected"),
    [
        # 税込 1,100,000 showing 100,000 → 1,000,000 (1号 本則 1,000; 1,100,000 would be 2,000)
        ("1-1", 1_100_000, 100_000, IN_WINDOW, 1_000),
        ("1-1", 1_100_000, 0, IN_WINDOW, 2_000),
        # 2号: 税込 1,100,000 showing 100,000 → 1,000,000 → 200 (not 400)
        ("2", 1_100_000, 100_000, IN_WINDOW, 200),
        ("2", 1_100_000, 0, IN_WINDOW, 400),
        # 建設工事 軽減: 税込 3,300,000 showing 300,000 → 3,000,000 → 500 (not 1,000)
        ("2-construction", 3_300_000, 300_000, IN_WINDOW, 500),
        ("2-construction", 3_300_000, 300_000, AFTER_WINDOW, 1_000),
        # 不動産 軽減: 税込 5,500,000 showing 500,000 → 5,000,000 → 1,000 (not 5,000)
        ("1-1-real-estate", 5_500_000, 500_000, IN_WINDOW, 1_000),
        # below 1万円 once the tax is left out
        ("1-3", 10_999, 1_000, IN_WINDOW, 0),
        ("1-3", Decimal("11000"), Decimal("1000"), IN_WINDOW, 200),
    ],
)
def test_tax_shown_separately_is_left_out(document, amount, tax, made_on, expected):
    assert duty(document, amount, made_on, tax_shown_separately=tax) == expected


def test_decimal_amounts_are_accepted():
    assert duty("1-4", Decimal("500001")) == 1_000


@pytest.mark.parametrize(
    "kw",
    [
        {"document": "3", "amount": 1_000_000},
        {"document": "", "amount": 1_000_000},
        {"document": "17-1", "amount": 1_000_000},
        {"document": "1-1", "amount": -1},
        {"document": "none", "amount": -1},
        {"document": "1-1", "amount": 100_000, "tax_shown_separately": 100_001},
        {"document": "2", "amount": 1_000_000, "tax_shown_separately": -1},
        {"document": "1-1", "amount": Decimal("1000.5")},
    ],
)
def test_invalid_arguments_raise(kw):
    with pytest.raises(ValueError):
        contract_stamp_duty(made_on=IN_WINDOW, **kw)


def test_unknown_document_raises_even_for_an_electronic_contract():
    with pytest.raises(ValueError):
        contract_stamp_duty(document="8", amount=None, made_on=IN_WINDOW, paper=False)
