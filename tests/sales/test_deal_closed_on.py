"""商談の完了日 (``Opportunity.closed_on``): set when a deal is won or lost (also by accepting its
quote), cleared when a lost deal is reopened, backfilled by migration 0006 from the last stage
change, shown on the deal's page, and what the board's "last 90 days" counts."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.sales.models import Opportunity
from ennoshita.sales.selectors import opportunities as selectors
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.opportunities import move_opportunity, update_opportunity
from ennoshita.sales.services.quotes import accept_quote, create_quote

from ..conftest import PASSWORD
from .test_opportunities import make_customer, make_opp, svc

TODAY = timezone.localdate()
Stage = Opportunity.Stage
migration = importlib.import_module("ennoshita.sales.migrations.0006_search_and_keys")


@pytest.fixture
def customer(books, company):
    return make_customer(company)


def test_won_and_lost_set_the_day_and_reopening_clears_it(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    assert opp.closed_on is None
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.PROPOSAL)
    assert Opportunity.objects.get(pk=opp.pk).closed_on is None
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.LOST, reason="予算なし")
    assert Opportunity.objects.get(pk=opp.pk).closed_on == TODAY
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.NEGOTIATION)
    assert Opportunity.objects.get(pk=opp.pk).closed_on is None
    event = AuditEvent.objects.filter(object_type="sales.opportunity", object_id=str(opp.pk)).latest("seq")
    assert event.changes["fields"]["closed_on"] == [TODAY.isoformat(), None]
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.WON)
    assert Opportunity.objects.get(pk=opp.pk).closed_on == TODAY


def test_accepting_the_quote_closes_the_deal_today(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, expected_amount=300_000)
    quote = create_quote(
        **svc(sales_admin),
        customer=customer,
        date=TODAY,
        valid_until=TODAY + timedelta(days=30),
        lines=[LineSpec("設計", quantity=1, unit_price=300000)],
        opportunity=opp,
    )
    accept_quote(**svc(sales_admin), quote=quote, date=TODAY)
    opp.refresh_from_db()
    assert (opp.stage, opp.closed_on) == (Stage.WON, TODAY)
    event = AuditEvent.objects.filter(object_type="sales.opportunity", object_id=str(opp.pk)).latest("seq")
    assert event.changes["extra"] == {"reason": "quote_accepted"}
    assert event.changes["fields"]["closed_on"] == [None, TODAY.isoformat()]


def test_the_board_counts_by_the_closing_day_not_the_last_change(company, sales_admin, customer):
    recent = make_opp(sales_admin, customer, title="最近", expected_amount=1_000)
    move_opportunity(**svc(sales_admin), opportunity=recent, stage=Stage.WON)
    old = make_opp(sales_admin, customer, title="昔", expected_amount=2_000)
    move_opportunity(**svc(sales_admin), opportunity=old, stage=Stage.WON)
    # closed long ago, changed today (as by a later correction): outside the window
    Opportunity.objects.filter(pk=old.pk).update(
        closed_on=TODAY - timedelta(days=91), updated_at=timezone.now()
    )
    edge = make_opp(sales_admin, customer, title="境界", expected_amount=4_000)
    move_opportunity(**svc(sales_admin), opportunity=edge, stage=Stage.LOST, reason="失注")
    # closed exactly 90 days ago, not changed since: inside
    Opportunity.objects.filter(pk=edge.pk).update(
        closed_on=TODAY - timedelta(days=90), updated_at=timezone.now() - timedelta(days=200)
    )
    data = selectors.board(company=company, membership=sales_admin)
    assert (data.won.count, data.won.total) == (1, Decimal(1_000))
    assert (data.lost.count, data.lost.total) == (1, Decimal(4_000))


def test_the_deal_page_shows_the_closing_day(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    client.login(username=sales_admin.user.username, password=PASSWORD)
    url = reverse("sales:opportunity_detail", args=[opp.pk])
    assert "data-closed-on" not in client.get(url).content.decode()
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.LOST, reason="他社に決定")
    page = client.get(url).content.decode()
    assert "data-closed-on" in page and TODAY.strftime("%Y-%m-%d") in page


def test_the_migration_fills_the_day_of_the_last_stage_change(company, sales_admin, customer):
    # the stage change of "won" happens at 23:30 UTC on 3 March: 4 March in Tokyo
    moved = datetime(2026, 3, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    won = make_opp(sales_admin, customer, title="受注済み")
    with mock.patch("django.utils.timezone.now", return_value=moved):
        move_opportunity(**svc(sales_admin), opportunity=won, stage=Stage.PROPOSAL)
        move_opportunity(**svc(sales_admin), opportunity=won, stage=Stage.WON)
    lost = make_opp(sales_admin, customer, title="失注")
    move_opportunity(**svc(sales_admin), opportunity=lost, stage=Stage.LOST, reason="予算")
    # a later event that does not change the stage does not count
    with mock.patch("django.utils.timezone.now", return_value=moved + timedelta(days=20)):
        move_opportunity(**svc(sales_admin), opportunity=lost, stage=Stage.NEGOTIATION)
        update_opportunity(
            **svc(sales_admin),
            opportunity=lost,
            customer=customer,
            title="失注",
            expected_amount=0,
            expected_date=None,
            owner=None,
            notes="再検討",
        )
    quiet = make_opp(sales_admin, customer, title="記録なし")
    make_opp(sales_admin, customer, title="進行中")
    # a deal closed with no event of it (written before the audit trail): the day of its last update
    Opportunity.objects.filter(pk=quiet.pk).update(
        stage=Stage.LOST, updated_at=datetime(2025, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    )
    Opportunity.objects.filter(pk=lost.pk).update(stage=Stage.LOST)  # lost again, by hand
    Opportunity.objects.update(closed_on=None)
    migration.fill_closed_on(apps, None)
    assert dict(Opportunity.objects.values_list("title", "closed_on")) == {
        "受注済み": date(2026, 3, 4),
        # reopened later (23 March 23:30 UTC), then set lost outside the services: its last update
        "失注": date(2026, 3, 24),
        "記録なし": date(2025, 12, 1),
        "進行中": None,
    }
