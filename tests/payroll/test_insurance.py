"""社会保険料・雇用保険料 (ennoshita.payroll.rules.insurance) against jp-rules §2: the grade tables
row by row, the 協会けんぽ 東京 令和8年 保険料額表, the rate switches by insurance month, the 介護
age limits, the 50銭 rule in exact arithmetic, the bonus caps and the 雇用保険 rate by closing date.
The expected figures are written out here from jp-rules and the 額表, not read from the module."""

from __future__ import annotations

import itertools
import json
import math
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.payroll.rules import insurance
from ennoshita.payroll.rules.insurance import (
    Grade,
    Premiums,
    bonus_social_insurance,
    bonus_social_insurance_steps,
    care_months,
    employment_insurance,
    employment_insurance_steps,
    social_insurance,
    social_insurance_steps,
    standard_remuneration,
    standard_remuneration_steps,
)
from ennoshita.payroll.rules.steps import Step

DATA = Path(insurance.__file__).with_name("data")

# jp-rules §2.2: (健保等級, 厚年等級 or None, 標準報酬月額, 報酬月額 以上, 未満)
GRADES = [
    (1, None, 58_000, 0, 63_000), (2, None, 68_000, 63_000, 73_000), (3, None, 78_000, 73_000, 83_000),
    (4, 1, 88_000, 83_000, 93_000), (5, 2, 98_000, 93_000, 101_000), (6, 3, 104_000, 101_000, 107_000),
    (7, 4, 110_000, 107_000, 114_000), (8, 5, 118_000, 114_000, 122_000), (9, 6, 126_000, 122_000, 130_000),
    (10, 7, 134_000, 130_000, 138_000), (11, 8, 142_000, 138_000, 146_000), (12, 9, 150_000, 146_000, 155_000),
    (13, 10, 160_000, 155_000, 165_000), (14, 11, 170_000, 165_000, 175_000),
    (15, 12, 180_000, 175_000, 185_000), (16, 13, 190_000, 185_000, 195_000),
    (17, 14, 200_000, 195_000, 210_000), (18, 15, 220_000, 210_000, 230_000),
    (19, 16, 240_000, 230_000, 250_000), (20, 17, 260_000, 250_000, 270_000),
    (21, 18, 280_000, 270_000, 290_000), (22, 19, 300_000, 290_000, 310_000),
    (23, 20, 320_000, 310_000, 330_000), (24, 21, 340_000, 330_000, 350_000),
    (25, 22, 360_000, 350_000, 370_000), (26, 23, 380_000, 370_000, 395_000),
    (27, 24, 410_000, 395_000, 425_000), (28, 25, 440_000, 425_000, 455_000),
    (29, 26, 470_000, 455_000, 485_000), (30, 27, 500_000, 485_000, 515_000),
    (31, 28, 530_000, 515_000, 545_000), (32, 29, 560_000, 545_000, 575_000),
    (33, 30, 590_000, 575_000, 605_000), (34, 31, 620_000, 605_000, 635_000),
    (35, 32, 650_000, 635_000, 665_000), (36, None, 680_000, 665_000, 695_000),
    (37, None, 710_000, 695_000, 730_000), (38, None, 750_000, 730_000, 770_000),
    (39, None, 790_000, 770_000, 810_000), (40, None, 830_000, 810_000, 855_000),
    (41, None, 880_000, 855_000, 905_000), (42, None, 930_000, 905_000, 955_000),
    (43, None, 980_000, 955_000, 1_005_000), (44, None, 1_030_000, 1_005_000, 1_055_000),
    (45, None, 1_090_000, 1_055_000, 1_115_000), (46, None, 1_150_000, 1_115_000, 1_175_000),
    (47, None, 1_210_000, 1_175_000, 1_235_000), (48, None, 1_270_000, 1_235_000, 1_295_000),
    (49, None, 1_330_000, 1_295_000, 1_355_000), (50, None, 1_390_000, 1_355_000, None),
]  # fmt: skip
HEALTH_STANDARDS = [g[2] for g in GRADES]

# jp-rules §2.1: 都道府県, R8 (2026年3月分〜), R7 (2025年3月分〜2026年2月分), R8 + 介護1.62
PREFECTURES = """
北海道 10.28 10.31 11.90|青森県 9.85 9.85 11.47|岩手県 9.51 9.62 11.13|宮城県 10.10 10.11 11.72
秋田県 10.01 10.01 11.63|山形県 9.75 9.75 11.37|福島県 9.50 9.62 11.12|茨城県 9.52 9.67 11.14
栃木県 9.82 9.82 11.44|群馬県 9.68 9.77 11.30|埼玉県 9.67 9.76 11.29|千葉県 9.73 9.79 11.35
東京都 9.85 9.91 11.47|神奈川県 9.92 9.92 11.54|新潟県 9.21 9.55 10.83|富山県 9.59 9.65 11.21
石川県 9.70 9.88 11.32|福井県 9.71 9.94 11.33|山梨県 9.55 9.89 11.17|長野県 9.63 9.69 11.25
岐阜県 9.80 9.93 11.42|静岡県 9.61 9.80 11.23|愛知県 9.93 10.03 11.55|三重県 9.77 9.99 11.39
滋賀県 9.88 9.97 11.50|京都府 9.89 10.03 11.51|大阪府 10.13 10.24 11.75|兵庫県 10.12 10.16 11.74
奈良県 9.91 10.02 11.53|和歌山県 10.06 10.19 11.68|鳥取県 9.86 9.93 11.48|島根県 9.94 9.94 11.56
岡山県 10.05 10.17 11.67|広島県 9.78 9.97 11.40|山口県 10.15 10.36 11.77|徳島県 10.24 10.47 11.86
香川県 10.02 10.21 11.64|愛媛県 9.98 10.18 11.60|高知県 10.05 10.13 11.67|福岡県 10.11 10.31 11.73
佐賀県 10.55 10.78 12.17|長崎県 10.06 10.41 11.68|熊本県 10.08 10.12 11.70|大分県 10.08 10.25 11.70
宮崎県 9.77 10.09 11.39|鹿児島県 10.13 10.31 11.75|沖縄県 9.44 9.44 11.06
"""
RATES = {
    name: (Fraction(r8), Fraction(r7), Fraction(combined))
    for name, r8, r7, combined in (
        item.split() for item in PREFECTURES.replace("\n", "|").split("|") if item.strip()
    )
}

# 協会けんぽ 東京 令和8年3月分からの保険料額表 (R8_13tokyo.pdf, as extracted in fiestared/keiri-tools
# tests/fixtures/kyoukaikenpo_tokyo_r08.json): 標準報酬月額 → 折半額 of 健康保険 9.85%, 介護込み 11.47%,
# 子ども・子育て支援金 0.23%, and 厚生年金 18.3% on the 厚年 standard.
TOKYO_HALVES = {
    58_000: ("2856.5", "3326.3", "66.7"), 68_000: ("3349.0", "3899.8", "78.2"),
    78_000: ("3841.5", "4473.3", "89.7"), 88_000: ("4334.0", "5046.8", "101.2"),
    98_000: ("4826.5", "5620.3", "112.7"), 104_000: ("5122.0", "5964.4", "119.6"),
    110_000: ("5417.5", "6308.5", "126.5"), 118_000: ("5811.5", "6767.3", "135.7"),
    126_000: ("6205.5", "7226.1", "144.9"), 134_000: ("6599.5", "7684.9", "154.1"),
    142_000: ("6993.5", "8143.7", "163.3"), 150_000: ("7387.5", "8602.5", "172.5"),
    160_000: ("7880.0", "9176.0", "184.0"), 170_000: ("8372.5", "9749.5", "195.5"),
    180_000: ("8865.0", "10323.0", "207.0"), 190_000: ("9357.5", "10896.5", "218.5"),
    200_000: ("9850.0", "11470.0", "230.0"), 220_000: ("10835.0", "12617.0", "253.0"),
    240_000: ("11820.0", "13764.0", "276.0"), 260_000: ("12805.0", "14911.0", "299.0"),
    280_000: ("13790.0", "16058.0", "322.0"), 300_000: ("14775.0", "17205.0", "345.0"),
    320_000: ("15760.0", "18352.0", "368.0"), 340_000: ("16745.0", "19499.0", "391.0"),
    360_000: ("17730.0", "20646.0", "414.0"), 380_000: ("18715.0", "21793.0", "437.0"),
    410_000: ("20192.5", "23513.5", "471.5"), 440_000: ("21670.0", "25234.0", "506.0"),
    470_000: ("23147.5", "26954.5", "540.5"), 500_000: ("24625.0", "28675.0", "575.0"),
    530_000: ("26102.5", "30395.5", "609.5"), 560_000: ("27580.0", "32116.0", "644.0"),
    590_000: ("29057.5", "33836.5", "678.5"), 620_000: ("30535.0", "35557.0", "713.0"),
    650_000: ("32012.5", "37277.5", "747.5"), 680_000: ("33490.0", "38998.0", "782.0"),
    710_000: ("34967.5", "40718.5", "816.5"), 750_000: ("36937.5", "43012.5", "862.5"),
    790_000: ("38907.5", "45306.5", "908.5"), 830_000: ("40877.5", "47600.5", "954.5"),
    880_000: ("43340.0", "50468.0", "1012.0"), 930_000: ("45802.5", "53335.5", "1069.5"),
    980_000: ("48265.0", "56203.0", "1127.0"), 1_030_000: ("50727.5", "59070.5", "1184.5"),
    1_090_000: ("53682.5", "62511.5", "1253.5"), 1_150_000: ("56637.5", "65952.5", "1322.5"),
    1_210_000: ("59592.5", "69393.5", "1391.5"), 1_270_000: ("62547.5", "72834.5", "1460.5"),
    1_330_000: ("65502.5", "76275.5", "1529.5"), 1_390_000: ("68457.5", "79716.5", "1598.5"),
}  # fmt: skip
TOKYO_PENSION_HALVES = {
    88_000: "8052.0", 98_000: "8967.0", 104_000: "9516.0", 110_000: "10065.0", 118_000: "10797.0",
    126_000: "11529.0", 134_000: "12261.0", 142_000: "12993.0", 150_000: "13725.0", 160_000: "14640.0",
    170_000: "15555.0", 180_000: "16470.0", 190_000: "17385.0", 200_000: "18300.0", 220_000: "20130.0",
    240_000: "21960.0", 260_000: "23790.0", 280_000: "25620.0", 300_000: "27450.0", 320_000: "29280.0",
    340_000: "31110.0", 360_000: "32940.0", 380_000: "34770.0", 410_000: "37515.0", 440_000: "40260.0",
    470_000: "43005.0", 500_000: "45750.0", 530_000: "48495.0", 560_000: "51240.0", 590_000: "53985.0",
    620_000: "56730.0", 650_000: "59475.0",
}  # fmt: skip

APRIL_2026 = date(2026, 4, 1)
AGE_30 = date(1996, 1, 15)  # never 介護 in 2025–2027
AGE_45 = date(1981, 1, 15)  # always 介護 in 2025–2027


def half_down(x: Fraction) -> int:
    """50銭以下切捨て・50銭超切上げ for x ≥ 0, written independently of core.money."""
    return math.ceil(x - Fraction(1, 2))


def pct(rate: str | Fraction) -> Fraction:
    return Fraction(rate) / 100


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _file(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# 1. The data files
# ---------------------------------------------------------------------------------------------


def test_every_data_file_names_its_source_and_dates():
    files = sorted(DATA.glob("insurance_*.json"))
    assert len(files) >= 10
    for path in files:
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw["source"]["url"].startswith("https://"), path.name
        assert raw["source"]["law"], path.name
        start = date.fromisoformat(raw["effective_from"])
        if raw["effective_to"] is not None:
            assert date.fromisoformat(raw["effective_to"]) > start, path.name


@pytest.mark.parametrize(
    "kind",
    [
        "health_grades",
        "pension_grades",
        "kyoukai_rates",
        "child_support_rates",
        "pension_rate",
        "child_contribution_rate",
        "employment_rates",
    ],
)
def test_tables_of_one_kind_never_overlap(kind):
    tables = insurance.dated_tables(kind)
    assert tables
    for earlier, later in itertools.pairwise(tables):
        assert earlier.effective_to is not None
        assert earlier.effective_to < later.effective_from


def _rows(name: str) -> list[tuple]:
    return [(r["grade"], r["standard"], r["from"], r["below"]) for r in _file(name)["rows"]]


def test_health_grade_table_is_jp_rules_2_2_row_for_row():
    assert _rows("insurance_grades_health.json") == [(g, s, lo, hi) for g, _, s, lo, hi in GRADES]


def test_pension_grade_table_is_jp_rules_2_2_with_open_ends():
    expected = [(pg, s, lo, hi) for _, pg, s, lo, hi in GRADES if pg is not None]
    expected[0] = (1, 88_000, 0, 93_000)  # 第1級 covers every 報酬月額 below 93,000
    expected[-1] = (32, 650_000, 635_000, None)  # 第32級 covers 635,000 and above
    assert _rows("insurance_grades_pension_2020.json") == expected
    # 令和7年法律第74号: 第33級 680,000 (報酬月額 665,000以上) from 2027-09-01
    assert _rows("insurance_grades_pension_2027.json") == [
        *expected[:-1],
        (32, 650_000, 635_000, 665_000),
        (33, 680_000, 665_000, None),
    ]


@pytest.mark.parametrize(
    "name", ["insurance_grades_health.json", *[f"insurance_grades_pension_{y}.json" for y in (2020, 2027)]]
)
def test_grade_rows_are_contiguous_and_each_standard_lies_in_its_row(name):
    rows = _file(name)["rows"]
    assert rows[0]["from"] == 0
    assert rows[-1]["below"] is None
    for n, row in enumerate(rows, start=1):
        assert row["grade"] == n
        if n < len(rows):
            assert row["below"] == rows[n]["from"]
            assert rows[n]["standard"] > row["standard"]
        assert row["from"] <= row["standard"] and (row["below"] is None or row["standard"] < row["below"])


@pytest.mark.parametrize(
    ("name", "column"), [("insurance_kyoukai_r08.json", 0), ("insurance_kyoukai_r07.json", 1)]
)
def test_kyoukai_rates_are_jp_rules_2_1_for_all_47_prefectures(name, column):
    rates = _file(name)["health_rates"]
    assert len(rates) == 47
    assert {p: Fraction(r) for p, r in rates.items()} == {p: v[column] for p, v in RATES.items()}


def test_r8_health_plus_care_is_the_printed_combined_rate_everywhere():
    raw = _file("insurance_kyoukai_r08.json")
    assert raw["care_rate"] == "1.62"
    assert _file("insurance_kyoukai_r07.json")["care_rate"] == "1.59"
    for pref, rate in raw["health_rates"].items():
        assert Fraction(rate) + Fraction("1.62") == RATES[pref][2], pref


def test_fixed_rates_and_their_dates():
    assert _file("insurance_pension_rate.json")["rate"] == "18.3"
    assert _file("insurance_child_support_r08.json")["rate"] == "0.23"
    assert _file("insurance_child_support_r08.json")["effective_from"] == "2026-04-01"
    assert _file("insurance_child_contribution.json")["rate"] == "0.36"
    assert _file("insurance_kyoukai_r08.json")["effective_from"] == "2026-03-01"
    assert _file("insurance_kyoukai_r07.json")["effective_to"] == "2026-02-28"
    r8 = _file("insurance_employment_r08.json")
    r7 = _file("insurance_employment_r07.json")
    assert (r7["effective_to"], r8["effective_from"]) == ("2026-03-31", "2026-04-01")
    assert {b: (v["worker"], v["employer"]) for b, v in r8["rates"].items()} == {
        "一般": ("5", "8.5"),
        "農林水産・清酒製造": ("6", "9.5"),
        "建設": ("6", "10.5"),
    }
    assert {b: (v["worker"], v["employer"]) for b, v in r7["rates"].items()} == {
        "一般": ("5.5", "9"),
        "農林水産・清酒製造": ("6.5", "10"),
        "建設": ("6.5", "11"),
    }


# ---------------------------------------------------------------------------------------------
# 2. standard_remuneration — every row edge of both tables
# ---------------------------------------------------------------------------------------------

ON = date(2026, 9, 1)


@pytest.mark.parametrize(
    "row", _file("insurance_grades_health.json")["rows"], ids=lambda r: f"健保{r['grade']}"
)
def test_health_grade_row_edges(row):
    grade = standard_remuneration(monthly_remuneration=row["from"], on=ON)
    assert (grade.health_grade, grade.health_standard) == (row["grade"], row["standard"])
    if row["grade"] > 1:
        below = standard_remuneration(monthly_remuneration=row["from"] - 1, on=ON)
        assert below.health_grade == row["grade"] - 1
    if row["below"] is not None:
        top = standard_remuneration(monthly_remuneration=row["below"] - 1, on=ON)
        assert top.health_grade == row["grade"]


@pytest.mark.parametrize(
    ("name", "on"),
    [("insurance_grades_pension_2020.json", ON), ("insurance_grades_pension_2027.json", date(2027, 9, 1))],
)
def test_pension_grade_row_edges(name, on):
    for row in _file(name)["rows"]:
        grade = standard_remuneration(monthly_remuneration=row["from"], on=on)
        assert (grade.pension_grade, grade.pension_standard) == (row["grade"], row["standard"])
        if row["grade"] > 1:
            assert (
                standard_remuneration(monthly_remuneration=row["from"] - 1, on=on).pension_grade
                == row["grade"] - 1
            )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, Grade(1, 58_000, 1, 88_000)),
        (62_999, Grade(1, 58_000, 1, 88_000)),
        (92_999, Grade(4, 88_000, 1, 88_000)),
        (93_000, Grade(5, 98_000, 2, 98_000)),
        (300_000, Grade(22, 300_000, 19, 300_000)),
        (634_999, Grade(34, 620_000, 31, 620_000)),
        (635_000, Grade(35, 650_000, 32, 650_000)),
        (700_000, Grade(37, 710_000, 32, 650_000)),
        (1_354_999, Grade(49, 1_330_000, 32, 650_000)),
        (1_355_000, Grade(50, 1_390_000, 32, 650_000)),
        (50_000_000, Grade(50, 1_390_000, 32, 650_000)),
        (Decimal("93000"), Grade(5, 98_000, 2, 98_000)),
    ],
)
def test_standard_remuneration_examples(amount, expected):
    assert standard_remuneration(monthly_remuneration=amount, on=ON) == expected


def test_pension_grade_33_starts_on_2027_09_01():
    before = standard_remuneration(monthly_remuneration=700_000, on=date(2027, 8, 31))
    after = standard_remuneration(monthly_remuneration=700_000, on=date(2027, 9, 1))
    assert (before.pension_grade, before.pension_standard) == (32, 650_000)
    assert (after.pension_grade, after.pension_standard) == (33, 680_000)
    assert standard_remuneration(monthly_remuneration=664_999, on=date(2027, 9, 1)).pension_grade == 32
    assert standard_remuneration(monthly_remuneration=665_000, on=date(2027, 9, 1)).pension_grade == 33
    assert after.health_grade == before.health_grade == 37


@pytest.mark.parametrize("on", [date(2016, 3, 31), date(2020, 8, 31), date(2028, 9, 1)])
def test_standard_remuneration_refuses_a_date_no_table_covers(on):
    with pytest.raises(ValueError, match=f"{on.year}年{on.month}月{on.day}日"):
        standard_remuneration(monthly_remuneration=300_000, on=on)


@pytest.mark.parametrize("bad", [-1, 1.0, "300000", Decimal("300000.5"), True, None, Decimal("NaN")])
def test_standard_remuneration_refuses_bad_amounts(bad):
    with pytest.raises(ValueError, match=r"^monthly_remuneration: 0以上の整数\(円\)で入れてください。"):
        standard_remuneration(monthly_remuneration=bad, on=ON)


def test_standard_remuneration_refuses_a_non_date():
    with pytest.raises(ValueError, match=r"^on:"):
        standard_remuneration(monthly_remuneration=1, on="2026-09-01")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# 3. social_insurance
# ---------------------------------------------------------------------------------------------


def test_niigata_110000_half_of_5065_5_is_5065():
    # jp-rules §2.3: 9.21% × 110,000 ÷ 2 = 5,065.5 exactly → 5,065 (floats give 5,066)
    p = social_insurance(
        standard_monthly=110_000, prefecture="新潟県", birth_date=AGE_30, month=date(2026, 3, 1)
    )
    assert (p.health, p.employer_health) == (5_065, 5_066)
    assert p.care_applies is False
    assert (p.child_support, p.employer_child_support) == (0, 0)  # 支援金 starts with 4月分
    assert (p.pension, p.employer_pension) == (10_065, 10_065)
    assert p.employer_child_contribution == 396  # 110,000 × 0.36%
    assert p.standard_bonus == 0
    for field in ("health", "child_support", "pension", "employer_health", "employer_pension"):
        assert _is_int(getattr(p, field))


@pytest.mark.parametrize("standard", HEALTH_STANDARDS)
def test_tokyo_r8_premium_table_for_every_grade(standard):
    health, health_care, child = (Fraction(x) for x in TOKYO_HALVES[standard])
    pension_standard = min(max(standard, 88_000), 650_000)
    pension = Fraction(TOKYO_PENSION_HALVES[pension_standard])
    young = social_insurance(
        standard_monthly=standard, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026
    )
    older = social_insurance(
        standard_monthly=standard, prefecture="東京都", birth_date=AGE_45, month=APRIL_2026
    )
    assert young.health == half_down(health)
    assert older.health == half_down(health_care)
    assert young.child_support == older.child_support == half_down(child)
    assert young.pension == older.pension == half_down(pension)
    assert (young.care_applies, older.care_applies) == (False, True)


def test_the_insurance_month_picks_the_rates():
    """One person (東京, 45, 300,000) across the switches of jp-rules §2.1."""
    months = {m: social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_45, month=date(2026, m, 20)) for m in (2, 3, 4, 5)}  # fmt: skip
    # 2026年2月分: R7 9.91 + 1.59 = 11.50%, no 支援金
    assert (months[2].health, months[2].child_support) == (17_250, 0)
    # 2026年3月分: R8 9.85 + 1.62 = 11.47%, still no 支援金
    assert (months[3].health, months[3].child_support) == (17_205, 0)
    # 2026年4月分: 支援金 0.23% begins: 300,000 × 0.23% ÷ 2 = 345
    assert (months[4].health, months[4].child_support) == (17_205, 345)
    assert months[5] == months[4]
    assert {p.pension for p in months.values()} == {27_450}


def test_the_insurance_month_picks_the_rates_niigata_under_40():
    seq = [social_insurance(standard_monthly=110_000, prefecture="新潟県", birth_date=AGE_30, month=date(2026, m, 1)) for m in (2, 3, 4, 5)]  # fmt: skip
    # R7 9.55%: 10,505 ÷ 2 = 5,252.5 → 5,252; R8 9.21% → 5,065; 支援金 110,000 × 0.23% ÷ 2 = 126.5 → 126
    assert [(p.health, p.child_support) for p in seq] == [(5_252, 0), (5_065, 0), (5_065, 126), (5_065, 126)]


def test_first_and_last_covered_months():
    first = social_insurance(
        standard_monthly=200_000, prefecture="東京都", birth_date=AGE_30, month=date(2025, 3, 1)
    )
    assert first.health == half_down(200_000 * pct("9.91") / 2)
    last = social_insurance(
        standard_monthly=200_000, prefecture="東京都", birth_date=AGE_30, month=date(2027, 2, 28)
    )
    assert last.health == half_down(200_000 * pct("9.85") / 2)


@pytest.mark.parametrize("month", [date(2025, 2, 1), date(2027, 3, 1)])
def test_a_month_without_rates_is_refused_by_name(month):
    with pytest.raises(ValueError, match=f"{month.year}年{month.month}月分"):
        social_insurance(standard_monthly=200_000, prefecture="東京都", birth_date=AGE_30, month=month)


def test_any_day_of_the_month_is_the_same_insurance_month():
    a = social_insurance(
        standard_monthly=200_000, prefecture="東京都", birth_date=AGE_45, month=date(2026, 4, 1)
    )
    b = social_insurance(
        standard_monthly=200_000, prefecture="東京都", birth_date=AGE_45, month=date(2026, 4, 30)
    )
    c = social_insurance(
        standard_monthly=200_000, prefecture="東京都", birth_date=AGE_45, month=datetime(2026, 4, 15, 9)
    )
    assert a == b == c


# 介護: from the month containing the day before the 40th birthday, until the month before the one
# containing the day before the 65th birthday (jp-rules §2.3).
@pytest.mark.parametrize(
    ("birth", "month", "applies"),
    [
        (date(1986, 4, 1), date(2026, 2, 1), False),
        (date(1986, 4, 1), date(2026, 3, 1), True),  # 40 reached 2026-03-31
        (date(1986, 4, 2), date(2026, 3, 1), False),
        (date(1986, 4, 2), date(2026, 4, 1), True),  # 40 reached 2026-04-01
        (date(1961, 4, 1), date(2026, 2, 1), True),
        (date(1961, 4, 1), date(2026, 3, 1), False),  # 65 reached 2026-03-31
        (date(1961, 4, 2), date(2026, 3, 1), True),
        (date(1961, 4, 2), date(2026, 4, 1), False),  # 65 reached 2026-04-01
        (date(1986, 3, 1), date(2026, 2, 1), True),  # 40 reached 2026-02-28
        (date(1961, 3, 1), date(2026, 1, 1), True),
        (date(1961, 3, 1), date(2026, 2, 1), False),  # 65 reached 2026-02-28
    ],
)
def test_care_age_limits(birth, month, applies):
    p = social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=birth, month=month)
    assert p.care_applies is applies
    rate = RATES["東京都"][0 if month >= date(2026, 3, 1) else 1]
    care = Fraction("1.62" if month >= date(2026, 3, 1) else "1.59")
    assert p.health == half_down(300_000 * (rate + (care if applies else 0)) / 100 / 2)


def test_care_months_for_a_29_february_birthday():
    # 年齢計算ニ関スル法律: born 29 Feb, the age is reached on 28 Feb in a common year
    assert care_months(date(1988, 2, 29)) == (date(2028, 2, 1), date(2053, 2, 1))
    assert care_months(date(1986, 4, 1)) == (date(2026, 3, 1), date(2051, 3, 1))


def test_health_and_care_are_one_combined_rate():
    # 東京 R8 134,000: combined 11.47% → 7,684.9 → 7,685 (the 額表's 介護込み column);
    # 9.85% and 1.62% rounded apart would give 6,599 + 1,085 = 7,684.
    p = social_insurance(standard_monthly=134_000, prefecture="東京都", birth_date=AGE_45, month=APRIL_2026)
    assert p.health == 7_685


def test_child_support_is_rounded_on_its_own():
    # 東京 R8 110,000 under 40: 健保 5,417.5 → 5,417 and 支援金 126.5 → 126 (5,543), where rounding
    # them together would give 5,544. Decision documented in the module (jp-rules: Unverified).
    p = social_insurance(standard_monthly=110_000, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026)
    assert (p.health, p.child_support) == (5_417, 126)
    assert (p.employer_health, p.employer_child_support) == (5_418, 127)


@pytest.mark.parametrize(
    ("standard", "pension"), [(58_000, 8_052), (78_000, 8_052), (680_000, 59_475), (1_390_000, 59_475)]
)
def test_pension_uses_the_pension_grade_of_the_health_standard(standard, pension):
    p = social_insurance(standard_monthly=standard, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026)
    assert p.pension == p.employer_pension == pension
    assert p.employer_child_contribution == math.floor(min(max(standard, 88_000), 650_000) * pct("0.36"))


@pytest.mark.parametrize("prefecture", ["東京", " 東京都 ", "東京都"])
def test_prefecture_accepts_the_full_or_short_name(prefecture):
    p = social_insurance(standard_monthly=200_000, prefecture=prefecture, birth_date=AGE_30, month=APRIL_2026)
    assert p.health == half_down(200_000 * pct("9.85") / 2)


def test_prefecture_short_names_for_hokkaido_and_kyoto():
    hokkaido = social_insurance(
        standard_monthly=200_000, prefecture="北海道", birth_date=AGE_30, month=APRIL_2026
    )
    kyoto = social_insurance(standard_monthly=200_000, prefecture="京都", birth_date=AGE_30, month=APRIL_2026)
    assert hokkaido.health == half_down(200_000 * pct("10.28") / 2)
    assert kyoto.health == half_down(200_000 * pct("9.89") / 2)


@pytest.mark.parametrize("prefecture", ["東京府", "Tokyo", "", "北海", 13, None])
def test_unknown_prefecture_is_refused(prefecture):
    with pytest.raises(ValueError, match=r"^prefecture:"):
        social_insurance(standard_monthly=200_000, prefecture=prefecture, birth_date=AGE_30, month=APRIL_2026)


@pytest.mark.parametrize("standard", [250_000, 1_400_000, 0, 57_999])
def test_standard_monthly_must_be_a_grade_amount(standard):
    with pytest.raises(ValueError, match=r"^standard_monthly:"):
        social_insurance(standard_monthly=standard, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026)


@pytest.mark.parametrize("bad", [-300_000, 300_000.0, "300000", Decimal("300000.1"), False])
def test_standard_monthly_must_be_whole_yen(bad):
    with pytest.raises(ValueError, match=r"^standard_monthly: 0以上の整数\(円\)"):
        social_insurance(standard_monthly=bad, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026)


def test_decimal_amounts_without_fraction_are_accepted():
    a = social_insurance(
        standard_monthly=Decimal("300000"), prefecture="東京都", birth_date=AGE_30, month=APRIL_2026
    )
    assert a == social_insurance(
        standard_monthly=300_000, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026
    )


def test_bad_dates_are_refused():
    with pytest.raises(ValueError, match=r"^month:"):
        social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_30, month="2026-04")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^birth_date:"):
        social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=None, month=APRIL_2026)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^birth_date:"):
        social_insurance(
            standard_monthly=300_000, prefecture="東京都", birth_date=date(2026, 5, 1), month=APRIL_2026
        )


# Property tests: an independent computation with Fraction.

MONTHS = st.dates(min_value=date(2025, 3, 1), max_value=date(2027, 2, 28))
BIRTHS = st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31))
PREFS = st.sampled_from(sorted(RATES))


def _expected_rates(prefecture: str, month: date, birth: date) -> tuple[Fraction, Fraction]:
    r8 = month >= date(2026, 3, 1)
    care_from, care_until = care_months(birth)
    care = Fraction("1.62" if r8 else "1.59") if care_from <= month.replace(day=1) < care_until else 0
    child = Fraction("0.23") if month >= APRIL_2026 else Fraction(0)
    return (RATES[prefecture][0 if r8 else 1] + care) / 100, child / 100


@given(standard=st.sampled_from(HEALTH_STANDARDS), prefecture=PREFS, month=MONTHS, birth=BIRTHS)
def test_property_shares_add_up_to_the_exact_premium(standard, prefecture, month, birth):
    p = social_insurance(standard_monthly=standard, prefecture=prefecture, birth_date=birth, month=month)
    health_rate, child_rate = _expected_rates(prefecture, month, birth)
    pension_standard = min(max(standard, 88_000), 650_000)
    for employee, employer, total in (
        (p.health, p.employer_health, standard * health_rate),
        (p.child_support, p.employer_child_support, standard * child_rate),
        (p.pension, p.employer_pension, pension_standard * Fraction("18.3") / 100),
    ):
        assert employee == half_down(total / 2)
        assert employee + employer == math.floor(total)  # within 1円 of the exact premium
        assert total - 1 < employee + employer <= total
        assert employee >= 0 and employer >= 0


@given(prefecture=PREFS, month=MONTHS, birth=BIRTHS)
def test_property_premiums_grow_with_the_standard_amount(prefecture, month, birth):
    previous = None
    for standard in HEALTH_STANDARDS:
        p = social_insurance(standard_monthly=standard, prefecture=prefecture, birth_date=birth, month=month)
        values = (p.health, p.child_support, p.pension, p.employer_health, p.employer_child_support, p.employer_pension, p.employer_child_contribution)  # fmt: skip
        if previous is not None:
            assert all(a <= b for a, b in zip(previous, values, strict=True))
        previous = values


# ---------------------------------------------------------------------------------------------
# 4. bonus_social_insurance
# ---------------------------------------------------------------------------------------------


def test_bonus_standard_amount_drops_under_1000_yen():
    p = bonus_social_insurance(bonus=500_999, prefecture="東京都", birth_date=AGE_30, month=date(2026, 7, 10))
    assert p.standard_bonus == 500_000
    assert p.health == half_down(500_000 * pct("9.85") / 2)  # 24,625
    assert p.child_support == half_down(500_000 * pct("0.23") / 2)  # 575
    assert p.pension == half_down(500_000 * pct("18.3") / 2)  # 45,750
    assert (p.health, p.child_support, p.pension) == (24_625, 575, 45_750)
    assert p.employer_child_contribution == 1_800


def test_bonus_under_1000_yen_has_no_premium():
    p = bonus_social_insurance(bonus=999, prefecture="東京都", birth_date=AGE_45, month=APRIL_2026)
    assert p == Premiums(0, True, 0, 0, 0, 0, 0, 0, 0)


def test_bonus_health_cap_is_573_man_per_fiscal_year_cumulative():
    # 5,000,000 counted since April; 1,000,000 more → 健保・介護・支援金 on 730,000, 厚年 on 1,000,000
    p = bonus_social_insurance(
        bonus=1_000_000,
        prefecture="東京都",
        birth_date=AGE_45,
        month=date(2026, 12, 10),
        standard_bonus_so_far_this_fiscal_year=5_000_000,
    )
    assert p.standard_bonus == 1_000_000
    assert p.health == half_down(730_000 * pct("11.47") / 2) == 41_865  # 41,865.5 → 41,865
    assert p.employer_health == 41_866
    assert p.child_support == half_down(730_000 * pct("0.23") / 2) == 839
    assert p.pension == 91_500


def test_bonus_after_the_cap_is_reached_pays_pension_only():
    p = bonus_social_insurance(
        bonus=800_000,
        prefecture="東京都",
        birth_date=AGE_45,
        month=date(2027, 1, 10),
        standard_bonus_so_far_this_fiscal_year=5_730_000,
    )
    assert (p.health, p.employer_health, p.child_support, p.employer_child_support) == (0, 0, 0, 0)
    assert p.pension == 73_200


def test_bonus_pension_cap_is_150_man_per_month():
    p = bonus_social_insurance(bonus=2_000_000, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026)
    assert p.pension == p.employer_pension == 137_250  # 1,500,000 × 18.3% ÷ 2
    assert p.employer_child_contribution == 5_400  # 1,500,000 × 0.36%
    assert p.health == half_down(2_000_000 * pct("9.85") / 2)  # under the yearly cap: not capped
    assert p.standard_bonus == 2_000_000


def test_bonus_above_573_man_in_one_payment():
    p = bonus_social_insurance(bonus=6_000_000, prefecture="東京都", birth_date=AGE_30, month=APRIL_2026)
    assert p.health == half_down(5_730_000 * pct("9.85") / 2)
    assert p.child_support == half_down(5_730_000 * pct("0.23") / 2)


def test_bonus_rates_follow_the_payment_month():
    kwargs: dict[str, Any] = {"bonus": 400_000, "prefecture": "東京都", "birth_date": AGE_45}
    march = bonus_social_insurance(**kwargs, month=date(2026, 3, 25))
    april = bonus_social_insurance(**kwargs, month=date(2026, 4, 25))
    february = bonus_social_insurance(**kwargs, month=date(2026, 2, 25))
    assert february.health == half_down(400_000 * pct("11.50") / 2)
    assert march.health == april.health == half_down(400_000 * pct("11.47") / 2)
    assert (march.child_support, april.child_support) == (0, 460)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("bonus", -1),
        ("bonus", 1.5),
        ("standard_bonus_so_far_this_fiscal_year", -1000),
        ("standard_bonus_so_far_this_fiscal_year", "0"),
    ],
)
def test_bonus_refuses_bad_amounts(argument, value):
    kwargs: dict[str, Any] = {
        "bonus": 100_000,
        "prefecture": "東京都",
        "birth_date": AGE_30,
        "month": APRIL_2026,
        argument: value,
    }
    with pytest.raises(ValueError, match=rf"^{argument}: 0以上の整数"):
        bonus_social_insurance(**kwargs)


@given(
    bonus=st.integers(min_value=0, max_value=8_000_000),
    so_far=st.integers(min_value=0, max_value=7_000_000),
    prefecture=PREFS,
    month=MONTHS,
    birth=BIRTHS,
)
def test_property_bonus_matches_an_independent_computation(bonus, so_far, prefecture, month, birth):
    p = bonus_social_insurance(
        bonus=bonus,
        prefecture=prefecture,
        birth_date=birth,
        month=month,
        standard_bonus_so_far_this_fiscal_year=so_far,
    )
    standard = bonus - bonus % 1000
    health_base = min(standard, max(0, 5_730_000 - so_far))
    pension_base = min(standard, 1_500_000)
    health_rate, child_rate = _expected_rates(prefecture, month, birth)
    assert p.standard_bonus == standard
    for employee, employer, total in (
        (p.health, p.employer_health, health_base * health_rate),
        (p.child_support, p.employer_child_support, health_base * child_rate),
        (p.pension, p.employer_pension, pension_base * Fraction("18.3") / 100),
    ):
        assert employee == half_down(total / 2)
        assert employee + employer == math.floor(total)
        assert employee >= 0 and employer >= 0
    assert p.employer_child_contribution == math.floor(pension_base * Fraction("0.36") / 100)


@given(
    bonus=st.integers(min_value=0, max_value=7_000_000),
    so_far=st.integers(min_value=0, max_value=7_000_000),
    month=MONTHS,
)
def test_property_bonus_premiums_grow_with_the_bonus(bonus, so_far, month):
    def values(amount: int) -> tuple[int, ...]:
        p = bonus_social_insurance(bonus=amount, prefecture="佐賀県", birth_date=AGE_45, month=month, standard_bonus_so_far_this_fiscal_year=so_far)  # fmt: skip
        return (p.health, p.child_support, p.pension, p.employer_health, p.employer_child_support, p.employer_pension)  # fmt: skip

    assert all(a <= b for a, b in zip(values(bonus), values(bonus + 1_000), strict=True))


# ---------------------------------------------------------------------------------------------
# 5. employment_insurance
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wages", "business", "closing_date", "expected"),
    [
        (300_000, "一般", date(2026, 4, 1), 1_500),  # 5/1000 from the 締切日 2026-04-01
        (300_000, "一般", date(2026, 3, 31), 1_650),  # 5.5/1000: 締切 3/31, even if paid in April
        (300_100, "一般", date(2026, 4, 30), 1_500),  # 1,500.5 → 1,500 (50銭以下切捨て)
        (300_101, "一般", date(2026, 4, 30), 1_501),  # 1,500.505 → 1,501
        (300_100, "一般", date(2026, 3, 31), 1_651),  # 1,650.55 → 1,651
        (1_000, "一般", date(2025, 4, 30), 5),  # 5.5 → 5
        (300_000, "農林水産・清酒製造", date(2026, 4, 30), 1_800),
        (300_000, "建設", date(2026, 4, 30), 1_800),
        (300_000, "農林水産・清酒製造", date(2026, 3, 31), 1_950),
        (300_000, "建設", date(2025, 4, 1), 1_950),
        (250_000 + 15_000, "一般", date(2026, 5, 31), 1_325),  # base pay + commuting allowance
        (0, "一般", date(2026, 5, 31), 0),
        (Decimal("300000"), "一般", date(2026, 5, 31), 1_500),
    ],
)
def test_employment_insurance(wages, business, closing_date, expected):
    result = employment_insurance(wages=wages, business=business, closing_date=closing_date)
    assert result == expected
    assert _is_int(result)


def test_employment_insurance_default_business_is_ippan():
    assert employment_insurance(wages=300_000, closing_date=date(2026, 4, 30)) == 1_500


@pytest.mark.parametrize("closing_date", [date(2025, 3, 31), date(2027, 4, 1)])
def test_employment_insurance_refuses_a_closing_date_without_rates(closing_date):
    with pytest.raises(ValueError, match=f"{closing_date.year}年{closing_date.month}月{closing_date.day}日"):
        employment_insurance(wages=300_000, closing_date=closing_date)


def test_employment_insurance_refuses_bad_input():
    with pytest.raises(ValueError, match=r"^business:"):
        employment_insurance(wages=300_000, business="製造業", closing_date=APRIL_2026)
    with pytest.raises(ValueError, match=r"^wages: 0以上の整数\(円\)"):
        employment_insurance(wages=-1, closing_date=APRIL_2026)
    with pytest.raises(ValueError, match=r"^closing_date:"):
        employment_insurance(wages=1, closing_date=None)  # type: ignore[arg-type]


@given(
    wages=st.integers(min_value=0, max_value=20_000_000),
    closing_date=st.dates(min_value=date(2025, 4, 1), max_value=date(2027, 3, 31)),
    business=st.sampled_from(["一般", "農林水産・清酒製造", "建設"]),
)
def test_property_employment_insurance(wages, closing_date, business):
    r8 = closing_date >= APRIL_2026
    rate = {"一般": ("5", "5.5"), "農林水産・清酒製造": ("6", "6.5"), "建設": ("6", "6.5")}[business][
        0 if r8 else 1
    ]
    result = employment_insurance(wages=wages, business=business, closing_date=closing_date)
    assert result == half_down(wages * Fraction(rate) / 1000)
    assert 0 <= result <= employment_insurance(wages=wages + 1, business=business, closing_date=closing_date)


# ---------------------------------------------------------------------------------------------
# 6. Steps
# ---------------------------------------------------------------------------------------------


def test_steps_show_the_same_figures_as_the_calculation():
    kwargs: dict[str, Any] = {
        "standard_monthly": 110_000,
        "prefecture": "新潟県",
        "birth_date": date(1986, 4, 1),
        "month": date(2026, 4, 1),
    }
    p = social_insurance(**kwargs)
    steps = social_insurance_steps(**kwargs)
    assert all(isinstance(s, Step) and s.label and s.value and s.rule for s in steps)
    text = "\n".join(f"{s.label} {s.value} {s.rule}" for s in steps)
    assert "10.83% = 9.21% + 1.62%" in text
    assert f"{p.health:,}円 / {p.employer_health:,}円" in text
    assert "5,956.5円 → 5,956円" in text
    assert "0.23%" in text and "insurance_child_support_r08.json" in text
    assert steps[-1].value == f"{p.health + p.child_support + p.pension:,}円"


def test_bonus_steps_show_the_caps():
    steps = bonus_social_insurance_steps(
        bonus=1_234_567,
        prefecture="東京都",
        birth_date=AGE_30,
        month=date(2026, 6, 30),
        standard_bonus_so_far_this_fiscal_year=5_000_000,
    )
    text = "\n".join(f"{s.label} {s.value}" for s in steps)
    assert "1,234,567円 → 1,234,000円" in text
    assert "2026年度の累計5,730,000円まで" in text
    assert "残り 730,000円 → 730,000円" in text


def test_other_steps():
    grade_steps = standard_remuneration_steps(monthly_remuneration=92_999, on=ON)
    assert "第4級 88,000円" in grade_steps[1].value
    assert "第1級 88,000円(0円以上 93,000円未満)" in grade_steps[2].value
    ei = employment_insurance_steps(wages=300_100, closing_date=date(2026, 4, 30))
    assert ei[-1].value == "300,100円 × 5/1000 = 1,500.5円 → 1,500円"
