"""組織図 (org_chart): who was where on any date, headcounts, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.people import services

from ..conftest import login, make_department, make_employee
from .helpers import OrgChart, html

CHART = reverse("people:org_chart")


def chart(response) -> OrgChart:
    return OrgChart(html(response))


@pytest.fixture
def org(company, hr, department):
    sales = make_department(company, hr, code="300", name="営業部")
    team = make_department(company, hr, code="310", name="営業一課", parent=sales)
    chief = services.create_position(
        company=company, actor=hr.user, membership=hr, code="P10", name="部長", rank=10
    )
    staff = services.create_position(
        company=company, actor=hr.user, membership=hr, code="P90", name="担当", rank=90
    )
    e1 = make_employee(company, hr, sales, number="E1", family_name="営業", given_name="部長", position=chief)
    e2 = make_employee(company, hr, team, number="E2", family_name="一課", given_name="担当", position=staff)
    e3 = make_employee(company, hr, department, number="E3", family_name="総務", given_name="花子")
    return {"general": department, "sales": sales, "team": team, "staff": staff, "e1": e1, "e2": e2, "e3": e3}


def test_org_chart_is_a_nested_tree_with_headcounts_and_positions(client, hr, org):
    response = login(client, hr).get(CHART)
    body, c = html(response), chart(response)
    assert 'class="org-tree"' in body
    assert c.parent == {"100": None, "300": None, "310": "300"}
    assert c.headcount == {"100": 1, "300": 2, "310": 1}  # 営業部 counts its 営業一課 too
    assert c.members == {"100": ["E3"], "300": ["E1"], "310": ["E2"]}
    assert '一課 担当</a> <span class="muted small">担当</span>' in body
    assert '営業 部長</a> <span class="muted small">部長</span>' in body
    assert "在籍 3 名" in body


def test_org_chart_as_of_before_and_after_a_future_transfer(client, company, hr, org):
    day = timezone.localdate() + timedelta(days=15)
    services.transfer_employee(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=org["e3"],
        department=org["team"],
        position=org["staff"],
        effective_from=day,
    )
    c = login(client, hr)
    before = chart(c.get(CHART, {"as_of": (day - timedelta(days=1)).isoformat()}))
    after = chart(c.get(CHART, {"as_of": day.isoformat()}))
    today = chart(c.get(CHART))
    assert before.members == {"100": ["E3"], "300": ["E1"], "310": ["E2"]}
    assert after.members == {"100": [], "300": ["E1"], "310": ["E2", "E3"]}  # same rank: by number
    assert today.members == before.members
    assert (after.headcount["300"], after.headcount["100"]) == (3, 0)


def test_org_chart_before_anyone_was_hired_is_empty_of_people(client, hr, org):
    body = html(login(client, hr).get(CHART, {"as_of": "令和元年5月1日"}))
    assert "在籍 0 名" in body and "2019-05-01(令和元年5月1日)時点" in body


def test_org_chart_reports_a_bad_date(client, hr, org):
    response = login(client, hr).get(CHART, {"as_of": "昨日"})
    assert response.status_code == 400
    assert "日付を正しく入力してください" in html(response)


@pytest.mark.parametrize("n", [3, 40])
def test_org_chart_query_count_does_not_grow(client, company, hr, department, django_assert_num_queries, n):
    depts = [department] + [
        make_department(company, hr, code=f"2{i:02d}", name=f"課{i}", parent=department) for i in range(4)
    ]
    for i in range(n):
        make_employee(company, hr, depts[i % len(depts)], number=f"M{i:03d}")
    c = login(client, hr)
    # session, user, memberships, departments, people in service, their placements up to the date
    with django_assert_num_queries(6):
        c_ = chart(c.get(CHART))
    assert c_.headcount["100"] == n and sum(len(m) for m in c_.members.values()) == n


def test_org_chart_is_for_hr(client, employee_member):
    assert login(client, employee_member).get(CHART).status_code == 403


def test_employee_who_joins_later_is_not_in_todays_chart(client, company, hr, department):
    make_employee(company, hr, department, number="F1", hire_date=timezone.localdate() + timedelta(days=3))
    assert chart(login(client, hr).get(CHART)).members == {"100": []}
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert chart(login(client, hr).get(CHART, {"as_of": later})).members == {"100": ["F1"]}


def test_inactive_empty_departments_are_left_out(client, company, hr, department):
    old = make_department(company, hr, code="900", name="旧部署")
    services.update_department(company=company, actor=hr.user, membership=hr, department=old, is_active=False)
    assert set(chart(login(client, hr).get(CHART)).members) == {"100"}
