"""costs.selectors.dashboard: every figure against the hand computation of conftest's docstring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.costs import selectors, services
from ennoshita.costs.selectors.dashboard import TOP_PAYEES
from ennoshita.purchasing.models import Vendor

from ..conftest import make_company, make_member
from .conftest import MONTH, build_org, make_bill, post

pytestmark = pytest.mark.django_db
Y = Decimal
WINDOW_ZEROS = [Y(0)] * 8  # 2025-12 .. 2026-07


def _board(org, member=None, **kw):
    return selectors.dashboard(company=org.company, membership=member or org.accountant, month=MONTH, **kw)


def _rows(board):
    return {c.code: c for c in board.categories}


def test_the_period_is_the_twelve_months_ending_with_the_selected_one(org):
    board = _board(org)
    assert board.months[0] == date(2025, 12, 1) and board.months[-1] == date(2026, 11, 1)
    assert len(board.months) == 12
    # a day inside the month selects the month
    assert (
        selectors.dashboard(company=org.company, membership=org.accountant, month=date(2026, 11, 30)).month
        == MONTH
    )


def test_amounts_per_category_and_month_are_the_books_net_of_tax(org):
    rows = _rows(_board(org))
    # the default indirect accounts, in the settings' order
    assert list(rows) == ["6310", "6270", "6340", "6410", "6260", "6240", "6370", "6210"]
    assert rows["6270"].amounts == [*WINDOW_ZEROS, Y(10000), Y(10000), Y(10000), Y(13500)]
    # 返品 (a credit of 1,000) reduces November: 6,000 − 1,000 + 4,000 (no department)
    assert rows["6310"].amounts == [*WINDOW_ZEROS, Y(8000), Y(8000), Y(8000), Y(9000)]
    assert rows["6410"].amounts == [*WINDOW_ZEROS, Y(100000), Y(100000), Y(100000), Y(120000)]
    assert rows["6260"].amounts == [*WINDOW_ZEROS, Y(0), Y(-3000), Y(6000), Y(5000)]
    assert rows["6340"].amounts == [Y(0)] * 12
    assert "6250" not in rows  # 会議費 is not an indirect account
    assert [rows[c].period_total for c in ("6270", "6310", "6410", "6260")] == [
        Y(43500),
        Y(33000),
        Y(420000),
        Y(8000),
    ]


def test_totals_per_month_and_for_the_period(org):
    board = _board(org)
    assert board.month_totals == [*WINDOW_ZEROS, Y(118000), Y(115000), Y(124000), Y(147500)]
    assert board.month_total == Y(147500)
    assert board.period_total == Y(504500)


def test_month_over_month_and_year_over_year(org):
    rows = _rows(_board(org))
    c = rows["6270"]
    assert (c.mom.base, c.mom.amount, c.mom.percent) == (Y(10000), Y(3500), Y("35.0"))
    assert (c.yoy.base, c.yoy.amount, c.yoy.percent) == (Y(12000), Y(1500), Y("12.5"))
    s = rows["6310"]
    assert (s.mom.amount, s.mom.percent) == (Y(1000), Y("12.5"))
    assert (s.yoy.amount, s.yoy.percent) == (Y(9000), None)  # nothing a year before
    t = rows["6260"]
    assert (t.mom.amount, t.mom.percent) == (Y(-1000), Y("-16.7"))


def test_flags_a_rise_over_the_average_of_the_three_months_before(org):
    board = _board(org)
    assert [(f.code, f.percent, f.average) for f in board.flags] == [
        ("6270", 35, Y(10000)),
        ("6260", 400, Y(1000)),  # (0 − 3,000 + 6,000) / 3 = 1,000: a credit month counts
    ]
    assert board.flags[0].message == "通信費が直近3か月平均より35%増えています"
    rows = _rows(board)
    assert rows["6270"].flagged and rows["6260"].flagged
    assert not rows["6410"].flagged  # exactly +20%: not more than the threshold
    assert not rows["6310"].flagged  # +12.5%


def test_the_threshold_comes_from_the_settings(org):
    services.update_cost_settings(
        company=org.company,
        actor=org.accountant.user,
        membership=org.accountant,
        account_codes=["6270", "6410"],
        rise_threshold_percent=19,
    )
    board = _board(org)
    assert [c.code for c in board.categories] == ["6270", "6410"]  # in the chart's order
    assert [f.code for f in board.flags] == ["6270", "6410"]
    assert board.month_total == Y(133500)


def test_departments_with_their_headcount_and_per_head(org):
    board = _board(org)
    got = [
        (d.name, d.month_amount, d.period_amount, d.headcount, d.month_per_head, d.period_per_head)
        for d in board.departments
    ]
    assert got == [
        ("総務部", Y(120000), Y(420000), 2, Y(60000), Y(210000)),  # the retired and the new hire not counted
        ("営業部", Y(18500), Y(56500), 3, Y(6167), Y(18833)),
        ("経理部", Y(5000), Y(24000), 1, Y(5000), Y(24000)),
        ("部門なし(共通)", Y(4000), Y(4000), 0, None, None),
    ]
    assert sum((d.month_amount for d in board.departments), Y(0)) == board.month_total
    assert sum((d.period_amount for d in board.departments), Y(0)) == board.period_total


def test_per_head_of_the_company(org):
    board = _board(org)
    assert board.headcount == 6
    assert board.month_per_head == Y(24583)  # 147,500 ÷ 6 = 24,583.3
    assert board.period_per_head == Y(84083)  # 504,500 ÷ 6 = 84,083.3


def test_top_payees_merge_bills_and_claim_lines_by_name_tax_included(org):
    board = _board(org)
    got = [(p.name, p.amount, p.bills, p.claims, p.count) for p in board.top_payees]
    assert got == [
        ("大家不動産", Y(132000), Y(132000), Y(0), 1),  # the submitted bill does not count
        # ＡＢＣモバイル (bill) and ABCモバイル (claim) are one payee; the 会議費 bill and the
        # bill of 2025-11 (before the period) do not count
        ("ＡＢＣモバイル", Y(36850), Y(22000), Y(14850), 2),
        ("タクシー会社", Y(5500), Y(0), Y(5500), 1),
    ]


def test_a_department_filter(org):
    board = _board(org, department_id=org.back.pk)
    assert board.month_total == Y(5000)
    assert board.period_total == Y(24000)
    assert board.headcount == 1 and board.month_per_head == Y(5000)
    assert [d.name for d in board.departments] == ["経理部"]
    assert board.top_payees == []
    none = _board(org, department_id=0)
    assert none.month_total == Y(4000) and none.headcount is None and none.month_per_head is None
    assert [d.name for d in none.departments] == ["部門なし(共通)"]


def test_a_department_head_sees_only_the_departments_headed(org):
    board = _board(org, member=org.manager)
    assert not board.scope.everything
    assert [d.name for d in board.departments] == ["営業部"]
    rows = _rows(board)
    assert rows["6270"].current == Y(13500) and rows["6410"].current == Y(0)
    assert rows["6310"].amounts[-2] == Y(5000)  # 営業部's October supplies only
    assert board.month_total == Y(18500) and board.period_total == Y(56500)
    assert board.headcount == 3 and board.month_per_head == Y(6167)
    assert [(p.name, p.amount) for p in board.top_payees] == [
        ("ＡＢＣモバイル", Y(36850)),
        ("タクシー会社", Y(5500)),
    ]
    with pytest.raises(NotFound):
        _board(org, member=org.manager, department_id=org.back.pk)
    with pytest.raises(NotFound):
        _board(org, member=org.manager, department_id=0)


def test_a_head_also_sees_the_departments_below(org):
    from ennoshita.people import services as people_services

    team = people_services.create_department(
        company=org.company,
        actor=org.hr.user,
        membership=org.hr,
        code="311",
        name="営業一課",
        parent=org.sales,
    )
    post(org, date(2026, 11, 20), "6270", 1100, team)
    board = _board(org, member=org.manager)
    assert [d.name for d in board.departments] == ["営業部", "営業一課"]
    assert board.month_total == Y(19500)
    assert _board(org, member=org.manager, department_id=team.pk).month_total == Y(1000)


def test_staff_and_the_outside_team_may_not_see_it(org):
    for member in (
        org.applicant,
        org.colleague,
        make_member(org.company, "asst", ["assistant"], expires_on=date(2027, 12, 31)),
    ):
        with pytest.raises(PermissionDeniedError):
            _board(org, member=member)


def test_another_companys_departments_and_books_are_never_in_it(org):
    other = make_company("株式会社よそ")
    other_hr = make_member(other, "hr2", ["hr"])
    other_admin = make_member(other, "admin2", ["admin"])
    o2 = build_org(other, other_hr)
    post(o2, date(2026, 11, 5), "6270", 99000, o2.sales)
    board = selectors.dashboard(company=other, membership=other_admin, month=MONTH)
    assert board.month_total == Y(90000)
    assert [d.name for d in board.departments] == ["営業部"]
    with pytest.raises(NotFound):
        selectors.dashboard(company=other, membership=other_admin, month=MONTH, department_id=org.sales.pk)
    # and ours does not see theirs
    assert _board(org).month_total == Y(147500)
    with pytest.raises(NotFound):
        _board(org, department_id=o2.sales.pk)
    # a membership of another company is no reader here
    with pytest.raises(PermissionDeniedError):
        selectors.dashboard(company=org.company, membership=other_admin, month=MONTH)


def test_a_shorter_period_still_compares_with_the_months_before_it(org):
    board = _board(org, months=1)
    assert board.months == [MONTH]
    assert board.period_total == board.month_total == Y(147500)
    assert _rows(board)["6270"].mom.base == Y(10000)
    assert _rows(board)["6270"].yoy.base == Y(12000)
    assert [f.code for f in board.flags] == ["6270", "6260"]
    with pytest.raises(ServiceError):
        _board(org, months=0)
    with pytest.raises(ServiceError):
        _board(org, months=37)


@pytest.fixture
def bare(company, hr, approval_type):
    return build_org(company, hr)


def _queries(org):
    with CaptureQueriesContext(connection) as ctx:
        board = selectors.dashboard(company=org.company, membership=org.accountant, month=MONTH)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], board


def test_the_query_count_does_not_grow_with_the_book_and_no_line_is_read(bare):
    post(bare, date(2026, 11, 5), "6270", 1100, bare.sales)
    few, sqls, board = _queries(bare)
    assert board.month_total == Y(1000)
    for m in range(1, 12):
        for dept in (bare.sales, bare.back, bare.affairs, None):
            post(bare, date(2026, m, 3), "6310", 2200, dept)
            post(bare, date(2026, m, 4), "6270", 3300, dept)
    many, sqls, board = _queries(bare)
    assert board.month_total == Y(1000 + 4 * 2000 + 4 * 3000)
    assert many == few
    assert many <= 12
    assert not [s for s in sqls if "ledger_journalline" in s]


def test_top_payees_are_of_the_selected_month_unless_twelve_months_are_asked(org):
    abc = Vendor.objects.get(company=org.company, name="ＡＢＣモバイル")
    make_bill(org, abc, date(2026, 9, 15), "6270", 300000, org.sales)  # September: in the 12 months only
    month_only = [(p.name, p.amount) for p in _board(org).top_payees]
    assert month_only[:1] == [("大家不動産", Y(132000))]
    assert ("ＡＢＣモバイル", Y(36850)) in month_only
    year = _board(org, payee_months=12)
    assert year.payee_months == 12
    assert (year.top_payees[0].name, year.top_payees[0].amount) == ("ＡＢＣモバイル", Y(336850))
    with pytest.raises(ServiceError):
        _board(org, payee_months=13)


def test_the_dashboard_opens_on_this_month_once_it_has_postings_else_the_month_before(org):
    """Early in a month nothing is booked yet: the dashboard opens on the month before."""
    # the fixture's books run to 2026-11 (MONTH); nothing is posted in December
    assert selectors.default_month(company=org.company, today=date(2026, 11, 20)) == MONTH
    assert selectors.default_month(company=org.company, today=date(2026, 12, 3)) == MONTH
    assert selectors.default_month(company=org.company, today=date(2027, 2, 1)) == date(2027, 1, 1)


def test_only_the_top_ten_come_back_ranked_with_the_merge_counted_before_the_cut(org):
    # Twelve more vendors of 30,000..41,000 yen. ＡＢＣモバイル's bill alone (22,001) would be
    # below every one of them; with its claim line (14,850) it is 36,851 and in the top ten.
    for n in range(12):
        vendor = Vendor.objects.create(company=org.company, code=f"X{n:02d}", name=f"仕入先{n:02d}")
        make_bill(org, vendor, MONTH.replace(day=20), "6270", 30000 + 1000 * n, org.sales)
    abc = Vendor.objects.get(company=org.company, name="ＡＢＣモバイル")
    make_bill(org, abc, MONTH.replace(day=21), "6270", 1, org.sales)
    got = [(p.name, p.amount) for p in _board(org).top_payees]
    assert got == [
        ("大家不動産", Y(132000)),
        *[(f"仕入先{n:02d}", Y(30000 + 1000 * n)) for n in (11, 10, 9, 8, 7)],
        ("ＡＢＣモバイル", Y(36851)),
        *[(f"仕入先{n:02d}", Y(30000 + 1000 * n)) for n in (6, 5, 4)],
    ]
    assert len(got) == TOP_PAYEES == 10


def test_a_renamed_vendor_is_merged_under_its_new_name(org):
    landlord = Vendor.objects.get(company=org.company, name="大家不動産")
    landlord.name = "ＯＯＹＡ不動産"
    landlord.save(update_fields=["name"])  # the key follows the name even so
    landlord.refresh_from_db()
    assert landlord.name_key == "ooya不動産"
    assert _board(org).top_payees[0].name == "ＯＯＹＡ不動産"
