"""36協定: the agreement's limits against the law, and how close a month is to each limit
(rules/agreement_limits.py). Figures computed by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance.rules import overtime_limit_violations
from ennoshita.attendance.rules.agreement_limits import (
    AgreementLimits,
    agreement_errors,
    agreement_status,
    findings,
    one_year_end,
    worst_level,
)

PLAIN = AgreementLimits()  # 45 h / 360 h, no 特別条項
SPECIAL = AgreementLimits(
    special_clause=True,
    special_monthly=Decimal(80),
    special_yearly=Decimal(720),
    special_months_allowed=6,
)


def by_code(limits, months, pct=80, earlier=()):
    return {
        s.code: s
        for s in agreement_status(limits=limits, warning_percent=pct, months=months, earlier_months=earlier)
    }


# ------------------------------------------------------------------------------ month limit


def test_exactly_80_percent_of_45_hours_is_a_warning():
    s = by_code(PLAIN, [(36, 0)])  # 36 / 45 = 80 %
    assert s["month_45"].level == "warning" and s["month_45"].percent == 80
    assert "80%以上に近づいています" in s["month_45"].message
    assert s["month_100"].level == "ok" and s["year_360"].level == "ok"  # 36 / 100, 36 / 360
    assert "average_80" not in s  # one month has no 2-month average


def test_just_under_80_percent_is_ok():
    s = by_code(PLAIN, [(Decimal("35.99"), 0)])
    assert s["month_45"].level == "ok" and findings(limits=PLAIN, warning_percent=80, months=[(35, 0)]) == []


def test_exactly_45_hours_is_within_the_limit():
    s = by_code(PLAIN, [(45, 0)])
    assert s["month_45"].level == "warning" and s["month_45"].percent == 100


def test_over_45_hours_is_a_breach_with_the_laws_message():
    s = by_code(PLAIN, [(Decimal("45.5"), 0)])
    assert s["month_45"].level == "breach"
    assert s["month_45"].message == "時間外労働が月45時間の限度時間を超えています(45.5時間、労基法36条4項)。"


def test_holiday_hours_do_not_count_toward_the_45_hours():
    s = by_code(PLAIN, [(40, 30)])  # 時間外 40, 休日 30: 40/45 warning; 70/100 ok
    assert s["month_45"].hours == 40 and s["month_45"].level == "warning"
    assert s["month_100"].hours == 70 and s["month_100"].level == "ok"


def test_the_agreements_lower_monthly_figure_is_the_limit():
    lower = AgreementLimits(monthly_limit=Decimal(30), yearly_limit=Decimal(300))
    assert by_code(lower, [(30, 0)])["month_45"].level == "warning"
    over = by_code(lower, [(31, 0)])["month_45"]
    assert over.level == "breach" and over.limit == 30
    assert over.message == "今月の時間外労働が31時間で、1か月の限度時間30時間を超えています。"
    assert "労基法36条4項" in over.rule


def test_a_custom_threshold():
    assert by_code(PLAIN, [(Decimal("40.5"), 0)], pct=90)["month_45"].level == "warning"  # 90 % of 45
    assert by_code(PLAIN, [(Decimal("40.4"), 0)], pct=90)["month_45"].level == "ok"


# ------------------------------------------------------------------------------ 100 h and 80 h


def test_exactly_100_hours_is_a_breach():
    s = by_code(SPECIAL, [(90, 10)])
    assert s["month_100"].level == "breach" and s["month_100"].hours == 100
    assert (
        s["month_100"].message == "時間外労働と休日労働の合計が月100時間以上です(100時間、労基法36条6項2号)。"
    )
    assert s["special_month"].level == "breach"  # 100 > the clause's 80


def test_80_hours_is_80_percent_of_the_100():
    s = by_code(SPECIAL, [(70, 10)])
    assert s["month_100"].level == "warning" and s["month_100"].percent == 80
    assert s["special_month"].level == "warning"  # exactly the clause's 80: within


def test_100_hours_applies_without_a_special_clause_too():
    s = by_code(PLAIN, [(45, 55)])
    assert s["month_100"].level == "breach" and s["month_45"].level == "warning"


def test_an_average_of_exactly_80_hours_is_not_a_breach():
    s = by_code(SPECIAL, [(80, 0), (80, 0)])
    assert s["average_80"].level == "warning" and s["average_80"].hours == 80


def test_an_average_over_80_is_a_breach_with_its_window():
    s = by_code(SPECIAL, [(50, 0), (79, 0), (80, 3)])  # 2か月: (79 + 83) / 2 = 81; 3か月: 212 / 3 = 70.67
    average = s["average_80"]
    assert average.level == "breach" and average.span == 2 and average.hours == 81
    assert average.message == (
        "時間外労働と休日労働の2か月平均が80時間を超えています(平均81時間、労基法36条6項3号)。"
    )


def test_64_hours_on_average_is_80_percent_of_the_80():
    s = by_code(SPECIAL, [(64, 0), (64, 0)])
    assert s["average_80"].level == "warning"
    assert by_code(SPECIAL, [(63, 0), (64, 0)])["average_80"].level == "ok"  # 63.5


def test_the_average_reaches_back_before_the_agreement_year():
    s = by_code(SPECIAL, [(70, 0)], earlier=[(20, 0), (20, 0), (20, 0), (20, 0), (20, 0), (95, 0)])
    # only the last 5 earlier months count; the 2-month window: (95 + 70) / 2 = 82.5
    assert s["average_80"].level == "breach" and s["average_80"].hours == Decimal("82.5")


# ------------------------------------------------------------------------------ the year


def test_80_percent_of_the_year():
    s = by_code(PLAIN, [(36, 0)] * 8)  # 288 = 80 % of 360
    assert s["year_360"].level == "warning" and s["year_360"].hours == 288


def test_360_hours_is_within_361_is_over():
    assert by_code(PLAIN, [(40, 0)] * 9)["year_360"].level == "warning"
    over = by_code(PLAIN, [(40, 0)] * 9 + [(1, 0)])["year_360"]
    assert over.level == "breach"
    assert over.message == "時間外労働が年360時間の限度時間を超えています(年361時間、労基法36条4項)。"


def test_a_year_over_stays_a_breach_in_a_month_without_overtime():
    assert by_code(PLAIN, [(40, 0)] * 9 + [(1, 0), (0, 0)])["year_360"].level == "breach"


def test_720_hours_under_the_special_clause():
    s = by_code(SPECIAL, [(60, 0)] * 12)  # 720: within; 60 > 45 in 12 months: 12 > 6
    assert s["year_720"].level == "warning" and "year_360" not in s
    assert s["months_over_45"].level == "breach"


# ------------------------------------------------------------------------------ months over 45


def test_the_count_of_months_over_the_limit():
    assert by_code(SPECIAL, [(50, 0)] * 4)["months_over_45"].level == "ok"  # 4 / 6 = 66 %
    assert by_code(SPECIAL, [(50, 0)] * 5)["months_over_45"].level == "warning"  # 83 %
    six = by_code(SPECIAL, [(50, 0)] * 6)["months_over_45"]
    assert six.level == "warning" and six.hours == 6 and six.limit == 6
    seven = by_code(SPECIAL, [(50, 0)] * 7)["months_over_45"]
    assert seven.level == "breach"
    assert (
        seven.message
        == "月45時間を超える月が年7回になり、特別条項で認められる年6回を超えています(労基法36条5項)。"
    )


def test_exactly_45_hours_is_not_a_month_over():
    assert by_code(SPECIAL, [(45, 0)] * 7)["months_over_45"].hours == 0


def test_the_agreements_fewer_months():
    three = AgreementLimits(
        special_clause=True,
        special_monthly=Decimal(70),
        special_yearly=Decimal(600),
        special_months_allowed=3,
    )
    s = by_code(three, [(50, 0)] * 4)
    assert s["months_over_45"].level == "breach" and s["months_over_45"].limit == 3
    assert "年4回で、特別条項で認められる年3回を超えています" in s["months_over_45"].message


def test_under_the_special_clause_45_hours_is_a_warning_only():
    s = by_code(SPECIAL, [(50, 0)])
    assert s["month_45"].level == "warning" and "特別条項の月" in s["month_45"].message
    assert s["special_month"].level == "ok"  # 50 / 80 = 62 %
    assert worst_level(list(s.values())) == "warning"


# ------------------------------------------------------------------------------ arguments


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"^months"):
        agreement_status(limits=PLAIN, warning_percent=80, months=[])
    with pytest.raises(ValueError, match=r"^warning_percent"):
        agreement_status(limits=PLAIN, warning_percent=0, months=[(1, 0)])
    with pytest.raises(ValueError, match=r"^months\[0\]"):
        agreement_status(limits=PLAIN, warning_percent=80, months=[(-1, 0)])


@given(
    months=st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=120, places=2),
            st.decimals(min_value=0, max_value=40, places=2),
        ),
        min_size=1,
        max_size=12,
    ),
    special=st.booleans(),
)
def test_every_legal_breach_is_a_breach_here(months, special):
    """Reuse, not duplication: each breach overtime_limit_violations finds is a breach row, with
    its message, for an agreement at the legal maximum figures."""
    limits = (
        AgreementLimits(
            special_clause=True,
            special_monthly=Decimal("99.9"),
            special_yearly=Decimal(720),
            special_months_allowed=6,
        )
        if special
        else PLAIN
    )
    rows = by_code(limits, months)
    for v in overtime_limit_violations(months=months, special_clause=special):
        assert rows[v.code].level == "breach" and rows[v.code].message == v.message


# ------------------------------------------------------------------------------ the agreement


def errors(**kw):
    args = {
        "start_date": date(2026, 4, 1),
        "end_date": date(2027, 3, 31),
        "monthly_limit": Decimal(45),
        "yearly_limit": Decimal(360),
        "special_clause": True,
        "special_monthly": Decimal("99.9"),
        "special_yearly": Decimal(720),
        "special_months_allowed": 6,
        "warning_percent": 80,
    }
    args.update(kw)
    return agreement_errors(**args)


def test_the_legal_maximums_are_accepted():
    assert errors() == {}
    assert (
        errors(special_clause=False, special_monthly=None, special_yearly=None, special_months_allowed=None)
        == {}
    )


@pytest.mark.parametrize(
    ("kw", "field", "article"),
    [
        ({"monthly_limit": Decimal("45.1")}, "monthly_limit_hours", "36条4項"),
        ({"yearly_limit": Decimal(361)}, "yearly_limit_hours", "36条4項"),
        ({"special_monthly": Decimal(100)}, "special_monthly_hours", "36条5項"),
        ({"special_yearly": Decimal("720.5")}, "special_yearly_hours", "36条5項"),
        ({"special_months_allowed": 7}, "special_months_allowed", "36条5項"),
        ({"end_date": date(2027, 4, 1)}, "end_date", "36条2項2号"),
    ],
)
def test_over_the_law_is_refused_with_the_article(kw, field, article):
    found = errors(**kw)
    assert list(found) == [field] and article in found[field][0]


def test_the_period():
    assert "end_date" in errors(end_date=date(2026, 4, 1))
    assert "end_date" in errors(end_date=date(2026, 3, 31))
    assert "start_date" in errors(start_date=date(2026, 4, 16), end_date=date(2027, 4, 15))
    assert one_year_end(date(2028, 2, 1)) == date(2029, 1, 31)
    assert one_year_end(date(2028, 2, 29)) == date(2029, 2, 28)


def test_the_clause_needs_its_figures():
    found = errors(special_monthly=None, special_yearly=None, special_months_allowed=None)
    assert set(found) == {"special_monthly_hours", "special_yearly_hours", "special_months_allowed"}
    assert "special_monthly_hours" in errors(special_monthly=Decimal(45))  # not above the 限度時間
