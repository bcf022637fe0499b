"""legal.rules.ip: the terms and deadlines of jp-rules §16, with the expected dates written out by
hand from §16 and the statutes (not computed by the code under test)."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.legal.rules import ip as rules
from ennoshita.legal.rules.ip import Deadline, ip_deadlines, ip_expiry, next_deadline


def _expiry(kind: str, **kw) -> date | None:
    return ip_expiry(kind=kind, filed_on=kw.get("filed"), registered_on=kw.get("registered"),
                     copyright_basis=kw.get("basis", ""), basis_year=kw.get("year"))  # fmt: skip


# ------------------------------------------------------------------------------ terms
def test_trademark_ten_years_from_registration_inpit_example():
    # INPIT FAQ (§16 D1): 登録日 4/10 → 満了日 10年後の 4/10
    assert _expiry("trademark", registered=date(2016, 4, 10)) == date(2026, 4, 10)


def test_a_term_from_29_february_ends_on_28_february():
    # 特許法3条1項: counted from 1 March, ending the day before 1 March ten years on
    assert _expiry("trademark", registered=date(2024, 2, 29)) == date(2034, 2, 28)


def test_patent_twenty_years_from_filing():
    assert _expiry("patent", filed=date(2020, 4, 1), registered=date(2023, 6, 1)) == date(2040, 4, 1)


@pytest.mark.parametrize(
    ("filed", "registered", "expected"),
    [
        (date(2020, 4, 1), date(2021, 1, 15), date(2045, 4, 1)),  # 25 years from filing (令和元年改正)
        (date(2020, 3, 31), date(2020, 10, 15), date(2040, 10, 15)),  # 20 years from registration
        (date(2007, 4, 1), date(2007, 12, 1), date(2027, 12, 1)),  # 20 years from registration
        (date(2007, 3, 30), date(2008, 1, 10), date(2023, 1, 10)),  # 15 years from registration
    ],
)
def test_design_terms_by_filing_date(filed, registered, expected):
    assert _expiry("design", filed=filed, registered=registered) == expected


def test_design_before_2020_needs_its_registration_date():
    assert _expiry("design", filed=date(2019, 5, 1)) is None


@pytest.mark.parametrize(
    ("filed", "expected"),
    [(date(2005, 4, 1), date(2015, 4, 1)), (date(2005, 3, 31), date(2011, 3, 31))],
)
def test_utility_model_ten_years_or_six_before_2005_04_01(filed, expected):
    assert _expiry("utility_model", filed=filed, registered=filed) == expected


def test_copyright_ends_31_december_seventy_years_on():
    assert _expiry("copyright", basis="death", year=2000) == date(2070, 12, 31)
    assert _expiry("copyright", basis="publication", year=2019) == date(2089, 12, 31)
    assert _expiry("copyright", basis="death") is None  # the author is alive


def test_domain_expiry_is_entered_not_computed():
    assert _expiry("domain", registered=date(2020, 1, 1)) is None


# ------------------------------------------------------------------------------ trademark deadlines
def test_trademark_renewal_window_and_late_period():
    (d,) = ip_deadlines(kind="trademark", registered_on=date(2016, 4, 10), expires_on=date(2026, 4, 10))
    assert d == Deadline(
        "tm_renewal",
        due_on=date(2026, 4, 10),
        opens_on=date(2025, 10, 11),  # INPIT: 9年目の 10/11 から
        grace_until=date(2026, 10, 10),  # 満了後6月以内 (割増登録料)
    )
    assert d.state(date(2025, 10, 10)) == "upcoming"
    assert d.state(date(2025, 10, 11)) == "open"
    assert d.state(date(2026, 4, 10)) == "open" and not d.surcharge(date(2026, 4, 10))
    assert d.state(date(2026, 4, 11)) == "grace" and d.surcharge(date(2026, 4, 11))
    assert d.state(date(2026, 10, 10)) == "grace"
    assert d.state(date(2026, 10, 11)) == "passed"


def test_trademark_installment_second_half_before_the_five_year_point():
    found = ip_deadlines(
        kind="trademark", registered_on=date(2021, 7, 1), expires_on=date(2031, 7, 1), installment=True
    )
    assert [(d.kind, d.due_on, d.grace_until) for d in found] == [
        ("tm_second_half", date(2026, 7, 1), date(2027, 1, 1)),
        ("tm_renewal", date(2031, 7, 1), date(2032, 1, 1)),
    ]


def test_installment_after_a_renewal_counts_from_the_new_term():
    # registered 2016-04-10, renewed once (満了 2036-04-10), the renewal fee paid in halves
    found = ip_deadlines(
        kind="trademark", registered_on=date(2016, 4, 10), expires_on=date(2036, 4, 10), installment=True
    )
    assert found[0].kind == "tm_second_half" and found[0].due_on == date(2031, 4, 10)


# ------------------------------------------------------------------------------ annuities
def test_patent_fourth_year_fee_before_the_anniversary_of_registration():
    found = ip_deadlines(
        kind="patent", registered_on=date(2022, 6, 15), expires_on=date(2040, 1, 10), paid_through_year=3
    )
    annuity, expiry = found
    assert (annuity.key, annuity.due_on, annuity.grace_until) == (
        "annuity:4",
        date(2025, 6, 15),
        date(2025, 12, 15),
    )
    assert annuity.label == "第4年分の年金(特許料・登録料)の納付"
    assert (expiry.kind, expiry.due_on, expiry.action) == ("expiry", date(2040, 1, 10), False)


def test_patent_without_paid_year_assumes_years_one_to_three_paid():
    found = ip_deadlines(kind="patent", registered_on=date(2022, 6, 15), expires_on=date(2040, 1, 10))
    assert found[0].key == "annuity:4"


def test_patent_later_year_after_payments():
    found = ip_deadlines(
        kind="patent", registered_on=date(2022, 6, 15), expires_on=date(2040, 1, 10), paid_through_year=5
    )
    assert (found[0].key, found[0].due_on) == ("annuity:6", date(2027, 6, 15))


def test_no_fee_for_a_year_that_would_start_after_the_term():
    # filed 2005-01-10 (満了 2025-01-10), registered 2010-05-20, paid through year 15: year 16 would
    # start 2025-05-20, after the end of the term
    found = ip_deadlines(
        kind="patent", registered_on=date(2010, 5, 20), expires_on=date(2025, 1, 10), paid_through_year=15
    )
    assert [d.kind for d in found] == ["expiry"]


def test_design_pays_from_year_two_and_utility_model_from_year_four():
    design = ip_deadlines(kind="design", registered_on=date(2023, 3, 1), expires_on=date(2047, 9, 1))
    assert (design[0].key, design[0].due_on) == ("annuity:2", date(2024, 3, 1))
    utility = ip_deadlines(kind="utility_model", registered_on=date(2023, 3, 1), expires_on=date(2032, 11, 1))
    assert (utility[0].key, utility[0].due_on) == ("annuity:4", date(2026, 3, 1))


def test_copyright_and_domain_deadlines():
    (c,) = ip_deadlines(kind="copyright", registered_on=None, expires_on=date(2089, 12, 31))
    assert (c.kind, c.action) == ("expiry", False)
    (d,) = ip_deadlines(kind="domain", registered_on=None, expires_on=date(2026, 12, 31))
    assert (d.kind, d.due_on, d.grace_until, d.label) == (
        "domain_expiry",
        date(2026, 12, 31),
        None,
        "ドメイン名の有効期限",
    )


# ------------------------------------------------------------------------------ next and missed
def test_next_deadline_is_the_first_still_open():
    kw = {
        "kind": "trademark",
        "registered_on": date(2021, 7, 1),
        "expires_on": date(2031, 7, 1),
        "installment": True,
    }
    assert next_deadline(**kw, today=date(2026, 6, 1)).kind == "tm_second_half"
    assert next_deadline(**kw, today=date(2026, 12, 1)).kind == "tm_second_half"  # inside its late period
    assert next_deadline(**kw, today=date(2027, 1, 2)).kind == "tm_renewal"  # the half is past even that
    assert (
        next_deadline(kind="trademark", registered_on=None, expires_on=None, today=date(2026, 1, 1)) is None
    )


def test_office_day_moves_past_weekends_holidays_and_year_end():
    assert rules.office_day(date(2026, 10, 10)) == date(2026, 10, 13)  # 土 → 日 → スポーツの日 → 火
    assert rules.office_day(date(2026, 12, 29)) == date(2027, 1, 4)  # 年末年始 (12/29〜1/3)
    assert rules.office_day(date(2026, 7, 1)) == date(2026, 7, 1)


def test_missed_waits_for_the_office_day_after_the_late_period():
    found = ip_deadlines(kind="trademark", registered_on=date(2016, 4, 10), expires_on=date(2026, 4, 10))
    # the late period ends 2026-10-10 (土); the office opens again 2026-10-13
    assert rules.missed(found, date(2026, 10, 13)) is None
    assert rules.missed(found, date(2026, 10, 14)).kind == "tm_renewal"


def test_an_ended_term_counts_as_missed_the_next_day():
    found = ip_deadlines(
        kind="design", registered_on=date(2008, 1, 10), expires_on=date(2023, 1, 10), paid_through_year=15
    )
    assert rules.missed(found, date(2023, 1, 10)) is None
    assert rules.missed(found, date(2023, 1, 11)).kind == "expiry"


def test_label_of_stored_kinds():
    assert rules.label_of("annuity:7") == "第7年分の年金(特許料・登録料)の納付"
    assert rules.label_of("tm_renewal") == "商標の更新登録申請"
