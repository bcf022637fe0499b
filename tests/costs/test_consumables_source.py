"""The dashboard shows 総務's 消耗品の払出 by department (affairs' public read), within the reader's
scope, beside the books and not added to them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from ennoshita.affairs.services import consumables as consumable_services
from ennoshita.affairs.services import settings as affairs_settings
from ennoshita.costs.selectors.consumables import consumable_use

from ..conftest import login, make_member

URL = reverse("costs:dashboard")


def _issues(org):
    staff = make_member(org.company, "somu", ["affairs"])
    w = {"company": org.company, "actor": staff.user, "membership": staff}
    place = affairs_settings.create_location(**w, name="倉庫")
    item = consumable_services.create_consumable(
        **w, data=consumable_services.ConsumableInput(code="T-1", name="トナー", unit="本", unit_cost="18500")
    )
    consumable_services.receive_stock(
        **w, consumable=item, location=place, quantity=10, moved_on=date(2026, 9, 1)
    )
    for day, n, dept in (
        (date(2026, 10, 5), 1, org.sales),
        (date(2026, 11, 5), 2, org.sales),
        (date(2026, 11, 6), 1, org.back),
    ):
        consumable_services.issue_stock(
            **w, consumable=item, location=place, quantity=n, department=dept, moved_on=day
        )


def test_consumable_use_by_department_for_the_window(org):
    _issues(org)
    months = [date(2026, 10, 1), date(2026, 11, 1)]
    rows = consumable_use(company=org.company, months=months, department_ids=None)
    assert [(r.name, r.month_amount, r.period_amount) for r in rows] == [
        ("営業部", Decimal(37000), Decimal(55500)),
        ("経理部", Decimal(18500), Decimal(18500)),
    ]
    only_sales = consumable_use(company=org.company, months=months, department_ids=[org.sales.pk])
    assert [r.department_id for r in only_sales] == [org.sales.pk]


def test_the_dashboard_shows_the_issues_within_the_scope(client, org):
    _issues(org)
    login(client, org.accountant)
    html = client.get(URL, {"month": "2026-11"}).content.decode()
    section = html[html.index('id="consumables"') : html.index('id="top-payees"')]
    assert "営業部" in section and "¥37,000" in section and "¥55,500" in section and "経理部" in section
    login(client, org.manager)  # 営業部's head: only 営業部
    html = client.get(URL, {"month": "2026-11"}).content.decode()
    section = html[html.index('id="consumables"') : html.index('id="top-payees"')]
    assert "¥37,000" in section and "経理部" not in section
