"""The SLA of a request skips the company's closed days (年末年始) as well as weekends and holidays."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.core import services as core_services
from ennoshita.requests import services

pytestmark = pytest.mark.django_db


def test_sla_skips_the_new_year_closure(admin, company):
    # 2026-12-28 (Mon) + 3 営業日: 12/29, 12/30, 12/31 without a closure
    assert services.sla_due(company, date(2026, 12, 28), 3) == date(2026, 12, 31)
    core_services.add_closed_days(
        company=company,
        actor=admin.user,
        membership=admin,
        start=date(2026, 12, 29),
        end=date(2027, 1, 3),
        name="年末年始休業",
    )
    # closed 12/29–1/3: 1/4 (Mon), 1/5, 1/6
    assert services.sla_due(company, date(2026, 12, 28), 3) == date(2027, 1, 6)
    # a request made on a closed day counts from the next business day
    assert services.sla_due(company, date(2026, 12, 30), 0) == date(2027, 1, 4)


def test_a_new_request_gets_the_shifted_sla(admin, requester, outside_team, entry_type, company):
    from tests.requests.fixtures import me

    core_services.add_closed_days(
        company=company,
        actor=admin.user,
        membership=admin,
        start=date(2026, 12, 29),
        end=date(2027, 1, 3),
        name="年末年始休業",
    )
    row = services.create_request(
        **me(requester),
        team_id=outside_team.pk,
        request_type_id=entry_type.pk,
        title="年末の入力",
        body="お願いします",
        today=date(2026, 12, 28),
    )
    assert row.sla_due_on == date(2027, 1, 6)  # 3 営業日 after 12/28 with the closure
