"""The 商談 screens: the board (columns, counts, totals, overdue cards, 「自分の商談」, moving a card
with and without HTMX), the list with filters and CSV, register / edit / delete with errors on the
fields, 受注 → 見積書 through the screens, other companies' ids (404) and roles without access (403)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.sales.models import Opportunity, Quote
from ennoshita.sales.services.opportunities import create_opportunity, move_opportunity

from ..conftest import login, make_member
from .test_opportunities import make_customer, svc

TODAY = timezone.localdate()
Stage = Opportunity.Stage


@pytest.fixture
def customer(books, company):
    return make_customer(company)


@pytest.fixture
def manager(company):
    return make_member(company, "bucho", ["manager"], last_name="部長", first_name="三郎")


def make_opp(member, customer, title="基幹システム更改", **kw) -> Opportunity:
    return create_opportunity(**svc(member), customer=customer, title=title, **kw)


def line_post(rows, **head):
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", **head}
    for n, row in enumerate(rows):
        data.update({f"lines-{n}-{k}": v for k, v in row.items()})
    return data


# ------------------------------------------------------------------------------------- board
def test_board_shows_columns_with_counts_totals_cards_and_overdue(client, company, sales_admin, customer):
    worker = make_member(company, "eigyo2", ["employee"], last_name="営業", first_name="四郎")
    late = make_opp(
        sales_admin,
        customer,
        title="遅れている案件",
        expected_amount=120_000,
        expected_date=TODAY - timedelta(days=3),
    )
    make_opp(
        sales_admin, customer, title="提案中", stage=Stage.PROPOSAL, expected_amount=80_000, owner=worker.user
    )
    won = make_opp(sales_admin, customer, title="決まった案件", expected_amount=500_000)
    move_opportunity(**svc(sales_admin), opportunity=won, stage=Stage.WON)
    login(client, sales_admin)
    response = client.get(reverse("sales:opportunity_board"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-card=") == 2
    assert 'data-column="lead"' in html and 'data-column="negotiation"' in html
    assert "¥120,000" in html and "¥80,000" in html
    assert f'data-card="{late.pk}" data-overdue' in html
    assert "予定日超過" in html
    assert "営業 四郎" in html
    assert 'data-won><a href="/sales/opportunities/list/?stage=won">1件</a> · ¥500,000' in html
    assert 'hx-post="' + reverse("sales:opportunity_move", args=[late.pk]) in html


def test_board_mine_shows_only_my_opportunities(client, company, sales_admin, customer):
    worker = make_member(company, "eigyo2", ["employee"])
    make_opp(sales_admin, customer, title="わたしの案件", owner=sales_admin.user)
    make_opp(sales_admin, customer, title="ほかの人の案件", owner=worker.user)
    login(client, sales_admin)
    html = client.get(reverse("sales:opportunity_board"), {"mine": "on"}).content.decode()
    assert "わたしの案件" in html and "ほかの人の案件" not in html
    assert '<input type="hidden" name="mine" value="on">' in html


def test_board_query_count_does_not_grow_with_cards(client, company, sales_admin, customer):
    make_opp(sales_admin, customer, title="1", stage=Stage.LEAD)
    make_opp(sales_admin, customer, title="2", stage=Stage.PROPOSAL)
    make_opp(sales_admin, customer, title="3", stage=Stage.NEGOTIATION)
    login(client, sales_admin)
    url = reverse("sales:opportunity_board")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    worker = make_member(company, "eigyo2", ["employee"])
    for n in range(6):
        make_opp(sales_admin, customer, title=f"x{n}", stage=Stage.PROPOSAL, owner=worker.user)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_moving_a_card_without_javascript_redirects_to_the_board(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    login(client, sales_admin)
    response = client.post(
        reverse("sales:opportunity_move", args=[opp.pk]), {"stage": "proposal", "back": "board", "mine": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:opportunity_board") + "?mine=on"
    opp.refresh_from_db()
    assert opp.stage == Stage.PROPOSAL


def test_moving_a_card_with_htmx_swaps_the_board(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, expected_amount=300_000)
    login(client, sales_admin)
    url = reverse("sales:opportunity_move", args=[opp.pk])
    response = client.post(url, {"stage": "negotiation", "back": "board"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="board"')
    assert "<html" not in html
    assert "「基幹システム更改」を「交渉」にしました。" in html
    opp.refresh_from_db()
    assert opp.stage == Stage.NEGOTIATION
    # won: the notice offers to make the quote
    html = client.post(url, {"stage": "won", "back": "board"}, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("sales:opportunity_quote", args=[opp.pk]) in html


def test_lost_without_a_reason_is_refused_on_the_board(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    login(client, sales_admin)
    url = reverse("sales:opportunity_move", args=[opp.pk])
    html = client.post(url, {"stage": "lost", "back": "board"}, HTTP_HX_REQUEST="true").content.decode()
    assert "失注の理由を入力してください。" in html and "data-error" in html
    opp.refresh_from_db()
    assert opp.stage == Stage.LEAD
    client.post(url, {"stage": "lost", "reason": "予算凍結", "back": "board"}, HTTP_HX_REQUEST="true")
    opp.refresh_from_db()
    assert opp.stage == Stage.LOST and "予算凍結" in opp.notes


def test_move_from_the_detail_page_and_bad_stage(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    login(client, sales_admin)
    url = reverse("sales:opportunity_move", args=[opp.pk])
    response = client.post(url, {"stage": "nonsense"}, follow=True)
    assert "段階を選んでください。" in response.content.decode()
    response = client.post(url, {"stage": "proposal", "back": "detail"})
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opp.pk])
    opp.refresh_from_db()
    assert opp.stage == Stage.PROPOSAL
    assert client.get(url).status_code == 405


# ------------------------------------------------------------------------------------- list
def test_list_filters_and_csv(client, company, sales_admin, customer):
    suzuki = make_customer(company, code="C002", name="株式会社鈴木工業", kana="スズキコウギョウ")
    make_opp(
        sales_admin, customer, title="基幹システム更改", expected_amount=1_000_000, owner=sales_admin.user
    )
    make_opp(sales_admin, suzuki, title="工場ネットワーク", stage=Stage.NEGOTIATION, expected_date=TODAY)
    login(client, sales_admin)
    url = reverse("sales:opportunity_list")
    assert client.get(url).content.decode().count("data-opportunity=") == 2
    assert client.get(url, {"q": "すずき"}).content.decode().count("data-opportunity=") == 1
    assert client.get(url, {"stage": "negotiation"}).content.decode().count("data-opportunity=") == 1
    assert client.get(url, {"mine": "on"}).content.decode().count("data-opportunity=") == 1
    assert client.get(url, {"owner": sales_admin.user.pk}).content.decode().count("data-opportunity=") == 1
    bad = client.get(url, {"date_from": "2026-13-45"})
    assert bad.status_code == 400 and "日付を正しく入力してください" in bad.content.decode()

    csv = client.get(reverse("sales:opportunity_export"), {"stage": "open"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "商談名,得意先コード,得意先,段階,見込金額,受注予定日,担当,メモ"
    assert lines[1] == f"工場ネットワーク,C002,株式会社鈴木工業,交渉,0,{TODAY.isoformat()},,"
    assert lines[2].startswith("基幹システム更改,C001,株式会社山田商事,見込み,1000000,,eigyo")
    book = client.get(reverse("sales:opportunity_export"), {"format": "xlsx"})
    assert book.content[:2] == b"PK"


def test_list_query_count_does_not_grow(client, company, sales_admin, customer):
    make_opp(sales_admin, customer, title="1", owner=sales_admin.user)
    login(client, sales_admin)
    url = reverse("sales:opportunity_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        make_opp(sales_admin, customer, title=f"x{n}", owner=sales_admin.user)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# ------------------------------------------------------------------------------------- forms
def test_register_an_opportunity(client, company, sales_admin, customer):
    login(client, sales_admin)
    url = reverse("sales:opportunity_new")
    page = client.get(url, {"customer": customer.pk}).content.decode()
    assert f'<option value="{customer.pk}" selected>' in page
    assert f'<option value="{sales_admin.user.pk}" selected>' in page  # the one who registers owns it
    response = client.post(
        url,
        {
            "customer": customer.pk,
            "title": "基幹システム更改",
            "stage": "proposal",
            "expected_amount": "１，２００，０００円",
            "expected_date": "令和8年3月31日",
            "owner": sales_admin.user.pk,
            "notes": "",
        },
    )
    opp = Opportunity.objects.get()
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opp.pk])
    assert opp.expected_amount == Decimal(1_200_000)
    assert opp.expected_date == date(2026, 3, 31)
    assert opp.stage == Stage.PROPOSAL


def test_register_with_errors_shows_them_on_the_fields_and_writes_nothing(
    client, company, sales_admin, customer
):
    login(client, sales_admin)
    response = client.post(
        reverse("sales:opportunity_new"),
        {"customer": "", "title": "", "stage": "won", "expected_amount": "12.5", "expected_date": "あした"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "得意先を選んでください。",
        "商談名を入力してください。",
        "金額は円単位の整数で入力してください。",
        "日付を正しく入力してください",
    ):
        assert message in html
    assert not Opportunity.objects.exists()
    assert not AuditEvent.objects.filter(object_type="sales.opportunity").exists()


def test_edit_an_opportunity(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, expected_amount=100)
    login(client, sales_admin)
    url = reverse("sales:opportunity_edit", args=[opp.pk])
    assert "基幹システム更改" in client.get(url).content.decode()
    response = client.post(
        url, {"customer": customer.pk, "title": "基幹更改(第2期)", "expected_amount": "2,000", "owner": ""}
    )
    assert response.status_code == 302
    opp.refresh_from_db()
    assert (opp.title, opp.expected_amount) == ("基幹更改(第2期)", Decimal(2000))
    history = client.get(reverse("sales:opportunity_detail", args=[opp.pk])).content.decode()
    assert "基幹更改(第2期)" in history


def test_a_won_opportunity_is_not_edited(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.WON)
    login(client, sales_admin)
    response = client.get(reverse("sales:opportunity_edit", args=[opp.pk]))
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opp.pk])


def test_delete_an_opportunity(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    login(client, sales_admin)
    response = client.post(reverse("sales:opportunity_delete", args=[opp.pk]))
    assert response["Location"] == reverse("sales:opportunity_list")
    assert not Opportunity.objects.exists()


# ------------------------------------------------------------------------------------- win → quote
def test_win_then_make_the_quote_through_the_screens(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, title="基幹システム更改", expected_amount=1_000_000)
    login(client, sales_admin)
    response = client.post(
        reverse("sales:opportunity_move", args=[opp.pk]), {"stage": "won", "back": "board"}
    )
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opp.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "data-make-quote" in detail
    url = reverse("sales:opportunity_quote", args=[opp.pk])
    form = client.get(url).content.decode()
    assert "株式会社山田商事" in form and 'value="1000000"' in form
    # an empty line list is an error on the form, nothing written
    bad = client.post(
        url, line_post([], date=TODAY.isoformat(), valid_until=TODAY.isoformat(), prices_include_tax="0")
    )
    assert bad.status_code == 400 and not Quote.objects.exists()
    response = client.post(
        url,
        line_post(
            [{"description": "システム更改一式", "quantity": "1", "unit_price": "1000000", "tax": "S10"}],
            date=TODAY.isoformat(),
            valid_until=(TODAY + timedelta(days=30)).isoformat(),
            subject="基幹システム更改",
            prices_include_tax="0",
            notes="",
        ),
    )
    quote = Quote.objects.get()
    assert response["Location"] == reverse("sales:quote_detail", args=[quote.pk])
    assert quote.opportunity == opp and quote.customer == customer
    assert quote.total == Decimal(1_100_000)
    detail = client.get(reverse("sales:opportunity_detail", args=[opp.pk])).content.decode()
    assert f'data-quote="{quote.pk}"' in detail
    assert "data-confirm" not in detail  # no delete button once a quote points at it
    refused = client.post(reverse("sales:opportunity_delete", args=[opp.pk]), follow=True)
    assert "見積書が作成された商談は削除できません。" in refused.content.decode()


def test_accepting_the_quote_of_an_open_opportunity_wins_it(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, stage=Stage.NEGOTIATION)
    login(client, sales_admin)
    client.post(
        reverse("sales:opportunity_quote", args=[opp.pk]),
        line_post(
            [{"description": "保守", "quantity": "12", "unit_price": "50000", "tax": "S10"}],
            date=TODAY.isoformat(),
            valid_until=TODAY.isoformat(),
            prices_include_tax="0",
        ),
    )
    quote = Quote.objects.get()
    response = client.post(reverse("sales:quote_accept", args=[quote.pk]), {"date": TODAY.isoformat()})
    assert response.status_code == 302
    opp.refresh_from_db()
    assert opp.stage == Stage.WON


def test_no_quote_from_a_lost_opportunity(client, company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.LOST, reason="見送り")
    login(client, sales_admin)
    response = client.get(reverse("sales:opportunity_quote", args=[opp.pk]))
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opp.pk])


# ------------------------------------------------------------------------------------- access
ID_ROUTES = [
    ("get", "opportunity_detail"),
    ("get", "opportunity_edit"),
    ("post", "opportunity_edit"),
    ("post", "opportunity_move"),
    ("post", "opportunity_delete"),
    ("get", "opportunity_quote"),
    ("post", "opportunity_quote"),
]


@pytest.mark.parametrize(("method", "name"), ID_ROUTES)
def test_another_company_opportunity_is_404(client, company, sales_admin, other_company, method, name):
    theirs_member = make_member(other_company, "yoso_eigyo", ["sales_admin"])
    theirs = make_opp(theirs_member, make_customer(other_company, code="X001", name="株式会社よその客"))
    login(client, sales_admin)
    url = reverse(f"sales:{name}", args=[theirs.pk])
    response = getattr(client, method)(url, {"stage": "proposal", "title": "x"} if method == "post" else {})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == Stage.LEAD and theirs.title == "基幹システム更改"


def test_roles_without_access_get_403(client, company, sales_admin, manager, employee_member, customer):
    opp = make_opp(sales_admin, customer)
    login(client, employee_member)
    for name in ("opportunity_board", "opportunity_list", "opportunity_export", "opportunity_new"):
        assert client.get(reverse(f"sales:{name}")).status_code == 403
    assert client.get(reverse("sales:opportunity_detail", args=[opp.pk])).status_code == 403
    # a manager reads the pipeline but does not change it, and sees no buttons to
    login(client, manager)
    board = client.get(reverse("sales:opportunity_board"))
    assert board.status_code == 200 and "data-move" not in board.content.decode()
    detail = client.get(reverse("sales:opportunity_detail", args=[opp.pk])).content.decode()
    assert "data-make-quote" not in detail and "data-move" not in detail
    assert client.get(reverse("sales:opportunity_new")).status_code == 403
    assert client.post(reverse("sales:opportunity_move", args=[opp.pk]), {"stage": "won"}).status_code == 403
    assert client.get(reverse("sales:opportunity_quote", args=[opp.pk])).status_code == 403
    assert client.post(reverse("sales:opportunity_delete", args=[opp.pk])).status_code == 403
    opp.refresh_from_db()
    assert opp.stage == Stage.LEAD
