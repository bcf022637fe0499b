"""The stored kana key of customers (``Customer.kana_key``): computed by the customer services
with the bank matcher's folding, filled by migration 0006, and what bank matching and the customer
search look up (so that matching a payer name does not fold every customer's name each time)."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ennoshita.sales.models import BankStatementLine, Customer
from ennoshita.sales.selectors import bank
from ennoshita.sales.selectors.customers import customer_list
from ennoshita.sales.services.customers import create_customer, kana_key, update_customer

from .test_bank_import import make_invoice

migration = importlib.import_module("ennoshita.sales.migrations.0006_search_and_keys")


def make(company, member, code, name, kana=""):
    return create_customer(
        company=company, actor=member.user, membership=member, code=code, name=name, name_kana=kana
    )


def line(company, payer: str, amount: int) -> BankStatementLine:
    return BankStatementLine.objects.create(
        company=company,
        date=date(2026, 7, 31),
        amount=Decimal(amount),
        payer_name=payer,
        batch="t",
        fingerprint=payer,
    )


def test_the_key_is_the_bank_folding_of_the_kana_or_the_name(company, sales_admin):
    yamada = make(company, sales_admin, "C1", "株式会社山田商事", "やまだしょうじ")
    assert yamada.kana_key == "ヤマダシヨウジ" == kana_key("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ") == bank.payer_key("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")
    plain = make(company, sales_admin, "C2", "有限会社 タナカデンキ")  # no フリガナ: the name
    assert plain.kana_key == "タナカデンキ"
    yamada = update_customer(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        customer=yamada,
        name_kana="ヤマダコウギョウ",
    )
    assert Customer.objects.get(pk=yamada.pk).kana_key == "ヤマダコウギヨウ"


def test_the_migration_fills_existing_customers(company, sales_admin):
    make(company, sales_admin, "C1", "株式会社山田商事", "ヤマダショウジ")
    make(company, sales_admin, "C2", "合同会社スズキ工業", "")
    Customer.objects.update(kana_key="")
    migration.fill_kana_keys(apps, None)
    assert dict(Customer.objects.values_list("code", "kana_key")) == {
        "C1": "ヤマダシヨウジ",
        "C2": "スズキ工業",
    }


def test_matching_reads_the_stored_key_in_one_query(company, sales_admin):
    yamada = make(company, sales_admin, "C1", "株式会社山田商事", "ヤマダショウジ")
    partial = make(company, sales_admin, "C2", "山田商事販売", "ヤマダショウジハンバイ")
    make(company, sales_admin, "C3", "無関係", "ムカンケイ")
    with CaptureQueriesContext(connection) as queries:
        found = bank._name_matches(company, bank.payer_key("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ"))
    assert len(queries) == 1 and "kana_key" in queries[0]["sql"]
    assert [(c.pk, score) for c, score, _r in found] == [
        (yamada.pk, bank.SCORE_NAME),
        (partial.pk, bank.SCORE_NAME_PARTIAL),
    ]
    # the key, not the フリガナ as it stands, is what is matched
    Customer.objects.filter(pk=yamada.pk).update(kana_key="ベツメイ")
    assert [c.pk for c, _s, _r in bank._name_matches(company, "ベツメイ")] == [yamada.pk]
    assert [c.pk for c, _s, _r in bank._name_matches(company, "ヤマダシヨウジ")] == [partial.pk]


def test_partial_matches_both_ways_and_ranking(company, sales_admin):
    short = make(company, sales_admin, "C1", "ヤマダ", "ヤマダ")  # the customer's key inside the payer's
    long = make(company, sales_admin, "C2", "ヤマダシヨウジテン", "ヤマダシヨウジテン")  # payer's inside
    inactive = make(company, sales_admin, "C0", "ヤマダシヨウジ", "ヤマダシヨウジ")
    Customer.objects.filter(pk=inactive.pk).update(is_active=False)
    two = make(company, sales_admin, "C3", "ヤマ", "ヤマ")  # shorter than MIN_PARTIAL: never partial
    found = bank._name_matches(company, "ヤマダシヨウジ")
    assert [c.pk for c, _s, _r in found] == [inactive.pk, short.pk, long.pk]  # exact first, then by code
    assert two.pk not in [c.pk for c, _s, _r in bank._name_matches(company, "ヤマダ")]
    assert [c.pk for c, _s, _r in bank._name_matches(company, "ヤマ")] == [two.pk]  # exact only


def test_suggestions_name_the_customer_from_the_key(company, books, sales_admin, accountant):
    yamada = make(company, sales_admin, "C1", "株式会社山田商事", "ヤマダショウジ")
    other = make(company, sales_admin, "C2", "川村工業", "カワムラコウギョウ")
    mine = make_invoice(company, sales_admin, yamada, 100_000)  # 110,000
    make_invoice(company, sales_admin, other, 100_000)  # the same amount, another customer
    best = bank.suggestions(company, line(company, "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ", 110_000), membership=accountant)[0]
    assert best.customer == yamada and [a.invoice for a in best.allocations] == [mine]
    assert str(best.reasons[0]) == "名義一致"


def test_searches_find_a_customer_by_the_bank_spelling(company, sales_admin):
    yamada = make(company, sales_admin, "C1", "株式会社山田商事", "ヤマダショウジ")
    make(company, sales_admin, "C2", "川村工業", "カワムラコウギョウ")
    # ｼﾖｳｼﾞ (the bank writes small kana large) is not in the フリガナ ショウジ, but is in the key
    assert [c.pk for c in customer_list(company=company, membership=sales_admin, q="ｼﾖｳｼﾞ")] == [yamada.pk]
    assert [c.pk for c in bank.find_customers(company, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")] == [yamada.pk]


@pytest.mark.parametrize("payer", ["", "ｶ)"])
def test_an_empty_payer_key_matches_nobody(company, sales_admin, payer):
    make(company, sales_admin, "C1", "株式会社", "カブシキガイシャ")
    assert bank._name_matches(company, bank.payer_key(payer)) == []
