"""商談 (the pipeline): the services that write opportunities (checks in Japanese on the field,
nothing written on refusal, an audit event for each write, the stage moves allowed) and the
selectors that read them (list filters, the board's columns and totals, other companies' ids)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Membership
from ennoshita.sales.models import Customer, Opportunity, Quote
from ennoshita.sales.selectors import opportunities as selectors
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.opportunities import (
    create_opportunity,
    delete_opportunity,
    move_opportunity,
    update_opportunity,
)
from ennoshita.sales.services.quotes import accept_quote, create_quote

from ..conftest import make_member

TODAY = timezone.localdate()
Stage = Opportunity.Stage


def make_customer(company, code="C001", name="株式会社山田商事", kana="ヤマダショウジ", **kw) -> Customer:
    fields = {
        "name_key": name.replace("株式会社", ""),
        "name_kana": kana,
        "closing_day": 99,
        "payment_months_after": 1,
        "payment_day": 99,
    }
    fields.update(kw)
    return Customer.objects.create(company=company, code=code, name=name, **fields)


def svc(m: Membership) -> dict:
    return {"company": m.company, "actor": m.user, "membership": m}


def make_opp(member, customer, title="基幹システム更改", **kw) -> Opportunity:
    return create_opportunity(**svc(member), customer=customer, title=title, **kw)


def events_of(opp) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="sales.opportunity", object_id=str(opp.pk)).order_by("seq")
    )


@pytest.fixture
def customer(books, company):
    return make_customer(company)


@pytest.fixture
def manager(company):
    return make_member(company, "bucho", ["manager"], last_name="部長", first_name="三郎")


# ------------------------------------------------------------------------------------- create
def test_create_opportunity_is_written_and_audited(company, sales_admin, customer):
    opp = make_opp(
        sales_admin,
        customer,
        title="  基幹システム更改  ",
        stage=Stage.PROPOSAL,
        expected_amount="1,200,000",
        expected_date=TODAY + timedelta(days=30),
        owner=sales_admin.user,
        notes="先方: 情報システム部",
    )
    opp.refresh_from_db()
    assert opp.company == company
    assert opp.title == "基幹システム更改"
    assert opp.stage == Stage.PROPOSAL
    assert opp.expected_amount == Decimal(1_200_000)
    assert opp.owner == sales_admin.user
    [event] = events_of(opp)
    assert event.action == "create"
    assert event.actor == sales_admin.user
    assert event.changes["fields"]["expected_amount"] == [None, "1200000"]
    assert event.changes["fields"]["stage"] == [None, "proposal"]


def test_create_refuses_bad_input_on_the_fields_and_writes_nothing(company, sales_admin, customer, outsider):
    stopped = make_customer(company, code="C009", name="株式会社停止", is_active=False)
    with pytest.raises(ServiceError) as caught:
        make_opp(
            sales_admin,
            stopped,
            title="   ",
            stage=Stage.WON,
            expected_amount="-1",
            owner=outsider.user,
        )
    errors = caught.value.field_errors
    assert errors == {
        "customer": ["取引を停止した得意先です。"],
        "title": ["商談名を入力してください。"],
        "expected_amount": ["見込金額は0円以上で入力してください。"],
        "owner": ["担当者はこの会社の有効なメンバーから選んでください。"],
        "stage": ["新しい商談の段階は「見込み」「提案」「交渉」から選んでください。"],
    }
    assert caught.value.message == "商談を登録できません。"
    assert not Opportunity.objects.exists()
    assert not AuditEvent.objects.filter(object_type="sales.opportunity").exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("10.5", "見込金額は円単位の整数で入力してください。"),
        ("abc", "見込金額は数字で入力してください。"),
        ("1000000000000", "見込金額が大きすぎます。"),
        ("NaN", "見込金額は円単位の整数で入力してください。"),
    ],
)
def test_expected_amount_must_be_whole_yen(company, sales_admin, customer, amount, message):
    with pytest.raises(ServiceError) as caught:
        make_opp(sales_admin, customer, expected_amount=amount)
    assert caught.value.field_errors == {"expected_amount": [message]}


def test_zero_amount_and_no_owner_are_allowed(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, expected_amount=0)
    assert opp.expected_amount == 0 and opp.owner is None and opp.stage == Stage.LEAD


def test_title_longer_than_200_is_refused(company, sales_admin, customer):
    with pytest.raises(ServiceError) as caught:
        make_opp(sales_admin, customer, title="あ" * 201)
    assert caught.value.field_errors == {"title": ["商談名は200文字以内で入力してください。"]}


def test_owner_must_be_an_active_member_who_is_not_the_outside_team(company, sales_admin, customer):
    helper = make_member(company, "gaibu", ["assistant"], expires_on=TODAY + timedelta(days=30))
    left = make_member(company, "taishoku", ["sales_admin"])
    Membership.objects.filter(pk=left.pk).update(is_active=False)
    expired = make_member(company, "kigengire", ["employee"], expires_on=TODAY - timedelta(days=1))
    for member in (helper, left, expired):
        with pytest.raises(ServiceError) as caught:
            make_opp(sales_admin, customer, owner=member.user)
        assert set(caught.value.field_errors) == {"owner"}
    worker = make_member(company, "eigyo2", ["employee"])
    assert make_opp(sales_admin, customer, owner=worker.user).owner == worker.user


def test_another_company_customer_is_not_found(company, sales_admin, other_company):
    theirs = make_customer(other_company, code="X001", name="株式会社よその客")
    with pytest.raises(NotFound):
        make_opp(sales_admin, theirs)
    assert not Opportunity.objects.exists()


def test_roles_without_write_cannot_create_move_or_delete(company, sales_admin, manager, customer):
    with pytest.raises(PermissionDeniedError):
        make_opp(manager, customer)
    opp = make_opp(sales_admin, customer)
    with pytest.raises(PermissionDeniedError):
        move_opportunity(**svc(manager), opportunity=opp, stage=Stage.PROPOSAL)
    with pytest.raises(PermissionDeniedError):
        update_opportunity(
            **svc(manager),
            opportunity=opp,
            customer=customer,
            title="x",
            expected_amount=0,
            expected_date=None,
            owner=None,
        )
    with pytest.raises(PermissionDeniedError):
        delete_opportunity(**svc(manager), opportunity=opp)
    opp.refresh_from_db()
    assert opp.stage == Stage.LEAD and opp.title == "基幹システム更改"
    assert len(events_of(opp)) == 1


# ------------------------------------------------------------------------------------- update
def test_update_changes_the_fields_and_records_before_and_after(company, sales_admin, customer):
    other = make_customer(company, code="C002", name="株式会社鈴木工業", kana="スズキコウギョウ")
    opp = make_opp(sales_admin, customer, expected_amount=100_000)
    update_opportunity(
        **svc(sales_admin),
        opportunity=opp,
        customer=other,
        title="保守契約",
        expected_amount="250000",
        expected_date=TODAY,
        owner=sales_admin.user,
        notes="訪問済み",
    )
    opp.refresh_from_db()
    assert (opp.customer, opp.title, opp.expected_amount) == (other, "保守契約", Decimal(250_000))
    event = events_of(opp)[-1]
    assert event.action == "update"
    assert event.changes["fields"]["expected_amount"] == ["100000", "250000"]
    assert event.changes["fields"]["customer"] == [customer.pk, other.pk]
    assert "stage" not in event.changes["fields"]


def test_update_without_a_change_records_nothing(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, expected_amount=5000)
    update_opportunity(
        **svc(sales_admin),
        opportunity=opp,
        customer=customer,
        title=opp.title,
        expected_amount=5000,
        expected_date=None,
        owner=None,
    )
    assert len(events_of(opp)) == 1


def test_update_keeps_a_customer_that_was_stopped_since(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    Customer.objects.filter(pk=customer.pk).update(is_active=False)
    customer.refresh_from_db()
    update_opportunity(
        **svc(sales_admin),
        opportunity=opp,
        customer=customer,
        title="名前だけ変更",
        expected_amount=0,
        expected_date=None,
        owner=None,
    )
    opp.refresh_from_db()
    assert opp.title == "名前だけ変更"


def test_closed_opportunity_cannot_be_edited(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.WON)
    with pytest.raises(ServiceError) as caught:
        update_opportunity(
            **svc(sales_admin),
            opportunity=opp,
            customer=customer,
            title="変更",
            expected_amount=0,
            expected_date=None,
            owner=None,
        )
    assert caught.value.message == "「受注」の商談は変更できません。"


def test_another_company_opportunity_is_not_found_for_every_write(
    company, sales_admin, outsider, other_company
):
    theirs = make_opp(
        make_member(other_company, "yoso_eigyo", ["sales_admin"]),
        make_customer(other_company, code="X001", name="株式会社よその客"),
    )
    with pytest.raises(NotFound):
        move_opportunity(**svc(sales_admin), opportunity=theirs, stage=Stage.PROPOSAL)
    with pytest.raises(NotFound):
        delete_opportunity(**svc(sales_admin), opportunity=theirs)
    with pytest.raises(NotFound):
        update_opportunity(
            **svc(sales_admin),
            opportunity=theirs,
            customer=theirs.customer,
            title="x",
            expected_amount=0,
            expected_date=None,
            owner=None,
        )
    theirs.refresh_from_db()
    assert theirs.stage == Stage.LEAD


# ------------------------------------------------------------------------------------- move
def test_move_walks_the_open_stages_and_closes_as_won(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    for stage in (Stage.PROPOSAL, Stage.NEGOTIATION, Stage.LEAD, Stage.NEGOTIATION, Stage.WON):
        opp = move_opportunity(**svc(sales_admin), opportunity=opp, stage=stage)
        opp.refresh_from_db()
        assert opp.stage == stage
    moves = [e.changes["fields"]["stage"] for e in events_of(opp)[1:]]
    assert moves == [
        ["lead", "proposal"],
        ["proposal", "negotiation"],
        ["negotiation", "lead"],
        ["lead", "negotiation"],
        ["negotiation", "won"],
    ]
    for stage in (Stage.LEAD, Stage.LOST):
        with pytest.raises(ServiceError) as caught:
            move_opportunity(**svc(sales_admin), opportunity=opp, stage=stage, reason="x")
        assert caught.value.code == "invalid_transition"
    assert len(events_of(opp)) == 6


def test_move_to_the_same_stage_or_an_unknown_one_is_refused(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    with pytest.raises(ServiceError) as caught:
        move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.LEAD)
    assert caught.value.field_errors == {"stage": ["この商談はすでに「見込み」です。"]}
    with pytest.raises(ServiceError) as caught:
        move_opportunity(**svc(sales_admin), opportunity=opp, stage="closed")
    assert caught.value.field_errors == {"stage": ["段階を選んでください。"]}
    assert len(events_of(opp)) == 1


def test_lost_needs_a_reason_kept_in_notes_and_audit_and_can_be_reopened(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, notes="初回訪問")
    with pytest.raises(ServiceError) as caught:
        move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.LOST, reason="  ")
    assert caught.value.field_errors == {"reason": ["失注の理由を入力してください。"]}
    opp.refresh_from_db()
    assert opp.stage == Stage.LEAD
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.LOST, reason="価格で他社に決定")
    opp.refresh_from_db()
    assert opp.stage == Stage.LOST
    assert opp.notes == f"初回訪問\n失注理由({TODAY.isoformat()}): 価格で他社に決定"
    event = events_of(opp)[-1]
    assert event.changes["extra"] == {"reason": "価格で他社に決定"}
    assert event.changes["fields"]["stage"] == ["lead", "lost"]
    move_opportunity(**svc(sales_admin), opportunity=opp, stage=Stage.PROPOSAL)
    opp.refresh_from_db()
    assert opp.stage == Stage.PROPOSAL


# ------------------------------------------------------------------------------------- delete
def test_delete_without_quotes_is_audited(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    pk = opp.pk
    delete_opportunity(**svc(sales_admin), opportunity=opp)
    assert not Opportunity.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.filter(object_type="sales.opportunity", object_id=str(pk)).latest("seq")
    assert event.action == "delete"
    assert event.changes["fields"]["title"] == ["基幹システム更改", None]


def test_delete_is_refused_when_a_quote_points_at_it(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer)
    create_quote(
        **svc(sales_admin),
        customer=customer,
        date=TODAY,
        valid_until=TODAY + timedelta(days=30),
        lines=[LineSpec("設計", quantity=1, unit_price=100000)],
        opportunity=opp,
    )
    with pytest.raises(ServiceError) as caught:
        delete_opportunity(**svc(sales_admin), opportunity=opp)
    assert caught.value.code == "in_use"
    assert Opportunity.objects.filter(pk=opp.pk).exists()


# ------------------------------------------------------------------------------------- selectors
def test_list_searches_and_filters(company, sales_admin, customer):
    suzuki = make_customer(company, code="C002", name="株式会社鈴木工業", kana="スズキコウギョウ")
    worker = make_member(company, "eigyo2", ["employee"])
    a = make_opp(sales_admin, customer, title="基幹システム更改", expected_date=TODAY, owner=sales_admin.user)
    b = make_opp(sales_admin, suzuki, title="工場ネットワーク", expected_date=TODAY + timedelta(days=40))
    c = make_opp(sales_admin, suzuki, title="保守契約", owner=worker.user)
    move_opportunity(**svc(sales_admin), opportunity=c, stage=Stage.LOST, reason="予算なし")

    def ids(**filters):
        return [o.pk for o in selectors.opportunity_list(company=company, membership=sales_admin, **filters)]

    assert ids() == [a.pk, b.pk, c.pk]  # by expected date, those without one last
    assert ids(q="システム") == [a.pk]
    assert ids(q="すずき") == [b.pk, c.pk]  # customer フリガナ typed in hiragana
    assert ids(q="鈴木 保守") == [c.pk]
    assert ids(q="C001") == [a.pk]
    assert ids(stage="open") == [a.pk, b.pk]
    assert ids(stage="closed") == [c.pk]
    assert ids(stage="lost") == [c.pk]
    assert ids(owner=sales_admin.user) == [a.pk]
    assert ids(owner=worker.user.pk) == [c.pk]
    assert ids(date_from=TODAY + timedelta(days=1)) == [b.pk]
    assert ids(date_to=TODAY) == [a.pk]


def test_reads_need_a_read_role_and_other_companies_ids_are_not_found(
    company, sales_admin, employee_member, customer, other_company
):
    opp = make_opp(sales_admin, customer)
    with pytest.raises(PermissionDeniedError):
        selectors.opportunity_list(company=company, membership=employee_member)
    with pytest.raises(PermissionDeniedError):
        selectors.board(company=company, membership=employee_member)
    with pytest.raises(PermissionDeniedError):
        selectors.get_opportunity(company=company, membership=employee_member, opportunity_id=opp.pk)
    theirs_member = make_member(other_company, "yoso_eigyo", ["sales_admin"])
    with pytest.raises(NotFound):
        selectors.get_opportunity(company=other_company, membership=theirs_member, opportunity_id=opp.pk)
    assert selectors.get_opportunity(company=company, membership=sales_admin, opportunity_id=opp.pk) == opp


def test_board_columns_counts_totals_and_closed_of_90_days(company, sales_admin, customer):
    worker = make_member(company, "eigyo2", ["employee"])
    make_opp(sales_admin, customer, title="A", expected_amount=100_000, owner=sales_admin.user)
    make_opp(
        sales_admin, customer, title="B", expected_amount=250_000, expected_date=TODAY, owner=worker.user
    )
    make_opp(sales_admin, customer, title="C", stage=Stage.NEGOTIATION, expected_amount=1_000_000)
    won = make_opp(sales_admin, customer, title="D", expected_amount=500_000, owner=sales_admin.user)
    move_opportunity(**svc(sales_admin), opportunity=won, stage=Stage.WON)
    lost = make_opp(sales_admin, customer, title="E", expected_amount=70_000)
    move_opportunity(**svc(sales_admin), opportunity=lost, stage=Stage.LOST, reason="時期尚早")
    old = make_opp(sales_admin, customer, title="F", expected_amount=999)
    move_opportunity(**svc(sales_admin), opportunity=old, stage=Stage.LOST, reason="古い")
    Opportunity.objects.filter(pk=old.pk).update(closed_on=TODAY - timedelta(days=91))

    data = selectors.board(company=company, membership=sales_admin)
    assert [c.stage for c in data.columns] == ["lead", "proposal", "negotiation"]
    lead, proposal, negotiation = data.columns
    assert [card.title for card in lead.cards] == ["B", "A"]  # by expected date, none last
    assert (lead.count, lead.total) == (2, Decimal(350_000))
    assert (proposal.count, proposal.total, proposal.cards) == (0, Decimal(0), [])
    assert (negotiation.count, negotiation.total) == (1, Decimal(1_000_000))
    assert (data.won.count, data.won.total) == (1, Decimal(500_000))
    assert (data.lost.count, data.lost.total) == (1, Decimal(70_000))
    assert data.since == TODAY - timedelta(days=90)

    mine = selectors.board(company=company, membership=sales_admin, owner=sales_admin.user)
    assert [c.count for c in mine.columns] == [1, 0, 0]
    assert (mine.won.count, mine.lost.count) == (1, 0)


def test_won_by_accepting_its_quote_counts_in_the_board(company, sales_admin, customer):
    opp = make_opp(sales_admin, customer, expected_amount=300_000)
    Opportunity.objects.filter(pk=opp.pk).update(updated_at=timezone.now() - timedelta(days=200))
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
    assert opp.stage == Stage.WON
    data = selectors.board(company=company, membership=sales_admin)
    assert (data.won.count, data.won.total) == (1, Decimal(300_000))
    assert [q.pk for q in selectors.opportunity_quotes(company=company, opportunity=opp)] == [quote.pk]
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.ACCEPTED


def test_board_costs_the_same_queries_for_few_and_many(company, sales_admin, customer):
    make_opp(sales_admin, customer, title="1")
    with CaptureQueriesContext(connection) as few:
        selectors.board(company=company, membership=sales_admin)
    for n in range(6):
        make_opp(
            sales_admin, customer, title=f"x{n}", stage=[Stage.LEAD, Stage.PROPOSAL, Stage.NEGOTIATION][n % 3]
        )
    with CaptureQueriesContext(connection) as many:
        data = selectors.board(company=company, membership=sales_admin)
        [card.customer.name for column in data.columns for card in column.cards]
        [card.owner for column in data.columns for card in column.cards]
    assert len(many) <= len(few) + 2  # a column with no cards skips its query
    assert len(many) == 5


def test_owner_choices_are_active_members_without_the_outside_team(company, sales_admin, manager):
    make_member(company, "gaibu", ["assistant"], expires_on=TODAY + timedelta(days=30))
    left = make_member(company, "taishoku", ["sales_admin"])
    Membership.objects.filter(pk=left.pk).update(is_active=False)
    names = {u.username for u in selectors.owner_choices(company=company)}
    assert names == {"eigyo", "bucho"}
    kept = {u.username for u in selectors.owner_choices(company=company, include=left.user)}
    assert kept == {"eigyo", "bucho", "taishoku"}
