"""Importing a statement (duplicates skipped, an audit event per import), the suggestions for a
line (name + amount first, a deducted fee, several invoices), and matching: it records the
payment, a line is matched once, another company's line is not found."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.sales.models import BankStatementLine, Customer, Invoice, Payment
from ennoshita.sales.selectors import bank as selectors
from ennoshita.sales.services.bank_import import (
    dismiss_statement_line,
    import_statement,
    match_statement_line,
    restore_statement_line,
)
from ennoshita.sales.services.customers import create_customer
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation

from ..conftest import make_member
from .test_bank_statement import sample_zengin, zengin_data, zengin_file

PAID_ON = date(2026, 7, 31)


def make_customer(company, member, code: str, name: str, kana: str = "") -> Customer:
    return create_customer(
        company=company, actor=member.user, membership=member, code=code, name=name, name_kana=kana
    )


def make_invoice(company, member, customer, net: int, *, day=date(2026, 4, 30), due=PAID_ON) -> Invoice:
    """An issued invoice of ``net`` yen + 10% (so its total is net × 1.1)."""
    draft = save_invoice_draft(
        company=company,
        actor=member.user,
        membership=member,
        customer=customer,
        date=day,
        due_date=due,
        lines=[LineSpec("作業", quantity=1, unit_price=net, tax="S10")],
    )
    return issue_invoice(company=company, actor=member.user, membership=member, invoice=draft)


def csv_file(*rows: str) -> bytes:
    return ("日付,金額,振込依頼人,摘要\r\n" + "".join(r + "\r\n" for r in rows)).encode("cp932")


def import_rows(company, member, *rows: str):
    return import_statement(
        company=company, actor=member.user, membership=member, data=csv_file(*rows), filename="nyukin.csv"
    )


@pytest.fixture
def people(company, books, sales_admin, accountant):
    return {
        "yamada": make_customer(
            company, sales_admin, "C001", "株式会社山田商事", "カブシキガイシャヤマダショウジ"
        ),
        "tanaka": make_customer(company, sales_admin, "C002", "有限会社田中電機", "タナカデンキ"),
        "suzuki": make_customer(company, sales_admin, "C003", "鈴木工業合同会社", "スズキコウギョウ"),
    }


# ---------------------------------------------------------------------------- import
def test_it_imports_the_credits_and_records_one_audit_event(company, books, accountant):
    result = import_statement(
        company=company,
        actor=accountant.user,
        membership=accountant,
        data=sample_zengin(),
        filename="meisai.dat",
    )
    assert len(result.created) == 2 and result.duplicates == 0 and result.debits == 1
    lines = list(BankStatementLine.objects.for_company(company).order_by("date"))
    assert [(ln.date, ln.amount, ln.payer_name) for ln in lines] == [
        (date(2026, 7, 30), Decimal(32_340), "タナカ デンキ(ユ"),
        (date(2026, 7, 31), Decimal(110_000), "カ)ヤマダシヨウジ"),
    ]
    assert {ln.batch for ln in lines} == {result.batch}
    event = AuditEvent.objects.get(company=company, action="import", object_id=result.batch)
    assert event.actor == accountant.user and event.object_repr == "meisai.dat"
    assert event.changes["extra"]["imported"] == 2
    assert event.changes["extra"]["debits_skipped"] == 1
    assert event.changes["extra"]["layout"] == "zengin"


def test_importing_the_same_lines_again_skips_them(company, books, accountant):
    import_rows(company, accountant, "2026-07-31,1000,ｱ,", "2026-07-31,1000,ｱ,", "2026-07-31,2000,ｲ,")
    assert BankStatementLine.objects.for_company(company).count() == 3  # two equal transfers stay two
    again = import_rows(
        company,
        accountant,
        "2026-07-31,1000,ｱ,",
        "2026-07-31,1000,ｱ,",
        "2026-07-31,2000,ｲ,",
        "2026-08-01,500,ｳ,",
    )
    assert len(again.created) == 1 and again.duplicates == 3
    assert BankStatementLine.objects.for_company(company).count() == 4
    events = AuditEvent.objects.filter(company=company, action="import").order_by("seq")
    assert [e.changes["extra"]["duplicates"] for e in events] == [0, 3]


def test_a_file_with_an_error_imports_nothing(company, books, accountant):
    with pytest.raises(ServiceError) as caught:
        import_rows(company, accountant, "2026-07-31,1000,ｱ,", "2026-07-31,x,ｲ,")
    assert caught.value.field_errors["file"] == ["3 行目: 金額「x」を円単位の数値として読めません。"]
    assert not BankStatementLine.objects.for_company(company).exists()
    assert not AuditEvent.objects.filter(company=company, action="import").exists()


def test_only_payment_roles_import(company, books, sales_admin):
    with pytest.raises(PermissionDeniedError):
        import_rows(company, sales_admin, "2026-07-31,1000,ｱ,")
    assert not BankStatementLine.objects.for_company(company).exists()


def test_each_company_keeps_its_own_lines(company, books, accountant, other_company):
    import_rows(company, accountant, "2026-07-31,1000,ｱ,")
    keiri = make_member(other_company, "keiri_other", ["accounting"])
    result = import_rows(other_company, keiri, "2026-07-31,1000,ｱ,")
    assert len(result.created) == 1 and result.duplicates == 0


# ---------------------------------------------------------------------------- suggestions
def _line(company, accountant, row: str) -> BankStatementLine:
    return import_rows(company, accountant, row).created[0]


def test_a_name_and_amount_match_comes_first(company, sales_admin, accountant, people):
    yamada_invoice = make_invoice(company, sales_admin, people["yamada"], 100_000)  # 110,000
    other = make_invoice(company, sales_admin, people["suzuki"], 100_000)  # same amount, other name
    make_invoice(company, sales_admin, people["yamada"], 20_000)  # 22,000: not this payment
    line = _line(company, accountant, "2026-07-31,110000,ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ,")
    found = selectors.suggestions(company, line)
    first = found[0]
    assert first.customer == people["yamada"]
    assert [(a.invoice, a.amount) for a in first.allocations] == [(yamada_invoice, Decimal(110_000))]
    assert first.fee == 0
    assert "名義一致" in first.reasons and "金額一致" in first.reasons
    assert other in [a.invoice for s in found[1:] for a in s.allocations]
    amount_only = next(s for s in found if s.customer == people["suzuki"])
    assert amount_only.score < first.score and "名義一致" not in amount_only.reasons


def test_a_deducted_transfer_fee_is_suggested(company, sales_admin, accountant, people):
    invoice = make_invoice(company, sales_admin, people["tanaka"], 30_000)  # 33,000
    line = _line(company, accountant, "2026-07-31,32340,ﾀﾅｶﾃﾞﾝｷ(ﾕ,")  # 660 yen kept back
    first = selectors.suggestions(company, line)[0]
    assert first.customer == people["tanaka"]
    assert first.fee == Decimal(660)
    assert [(a.invoice, a.amount) for a in first.allocations] == [(invoice, Decimal(33_000))]
    assert first.reason.startswith("名義一致・手数料差引(660円)")


def test_more_than_880_yen_short_is_not_a_fee(company, sales_admin, accountant, people):
    make_invoice(company, sales_admin, people["suzuki"], 30_000)  # 33,000
    line = _line(company, accountant, "2026-07-31,32119,ﾍﾞﾂｼﾞﾝ,")  # 881 short, unknown payer
    assert selectors.suggestions(company, line) == []


def test_several_invoices_that_add_up_are_suggested(company, sales_admin, accountant, people):
    a = make_invoice(company, sales_admin, people["suzuki"], 10_000, due=date(2026, 6, 30))  # 11,000
    b = make_invoice(company, sales_admin, people["suzuki"], 20_000, due=date(2026, 7, 31))  # 22,000
    make_invoice(company, sales_admin, people["suzuki"], 50_000, due=date(2026, 8, 31))  # 55,000
    line = _line(company, accountant, "2026-07-31,33000,ｽｽﾞｷｺｳｷﾞｮｳ(ﾄﾞ,")
    first = selectors.suggestions(company, line)[0]
    assert first.customer == people["suzuki"]
    assert sorted(x.invoice.pk for x in first.allocations) == [a.pk, b.pk]
    assert first.fee == 0 and first.applied == Decimal(33_000)
    assert "請求書2件の合計と一致" in first.reasons


def test_a_set_that_skips_an_invoice_is_found_too(company, sales_admin, accountant, people):
    a = make_invoice(company, sales_admin, people["suzuki"], 10_000, due=date(2026, 5, 31))  # 11,000
    make_invoice(company, sales_admin, people["suzuki"], 20_000, due=date(2026, 6, 30))  # 22,000
    c = make_invoice(company, sales_admin, people["suzuki"], 40_000, due=date(2026, 7, 31))  # 44,000
    line = _line(company, accountant, "2026-07-31,54780,ｽｽﾞｷｺｳｷﾞﾖｳ,")  # 55,000 − 220 fee
    first = selectors.suggestions(company, line)[0]
    assert sorted(x.invoice.pk for x in first.allocations) == [a.pk, c.pk]
    assert first.fee == Decimal(220)


def test_a_name_alone_proposes_the_oldest_invoices(company, sales_admin, accountant, people):
    old = make_invoice(company, sales_admin, people["yamada"], 10_000, due=date(2026, 5, 31))  # 11,000
    make_invoice(company, sales_admin, people["yamada"], 100_000, due=date(2026, 7, 31))  # 110,000
    line = _line(company, accountant, "2026-07-31,50000,ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ,")
    first = selectors.suggestions(company, line)[0]
    assert first.customer == people["yamada"]
    assert first.allocations[0].invoice == old and first.allocations[0].amount == Decimal(11_000)
    assert first.applied == Decimal(50_000)
    assert "名義一致" in first.reasons


def test_suggestions_cost_the_same_queries_however_many_invoices(
    company, sales_admin, accountant, people, django_assert_max_num_queries
):
    for n in range(30):
        make_invoice(company, sales_admin, people["suzuki"], 1_000 + n)
    line = _line(company, accountant, "2026-07-31,110000,ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ,")
    with django_assert_max_num_queries(4):  # customers, one named customer's invoices, amount match
        selectors.suggestions(company, line)


def test_payer_keys_fold_the_bank_spellings():
    key = selectors.payer_key
    assert (
        key("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")
        == key("カブシキガイシャ ヤマダショウジ")
        == key("やまだしょうじ")
        == "ヤマダシヨウジ"
    )
    assert key("ﾀﾅｶﾃﾞﾝｷ(ﾕ") == key("ユウゲンガイシャ タナカデンキ") == "タナカデンキ"
    assert key("ｽｽﾞｷ(ﾄﾞ)ｺｳｷﾞｮｳ") == key("スズキコウギョウ") == "スズキコウギヨウ"


# ---------------------------------------------------------------------------- matching
def test_matching_records_the_payment_once(company, sales_admin, accountant, people):
    invoice = make_invoice(company, sales_admin, people["tanaka"], 30_000)  # 33,000
    line = _line(company, accountant, "2026-07-31,32340,ﾀﾅｶﾃﾞﾝｷ(ﾕ,7月分")
    assert list(selectors.unmatched_lines(company)) == [line]
    payment = match_statement_line(
        company=company,
        actor=accountant.user,
        membership=accountant,
        line=line,
        customer=people["tanaka"],
        allocations=[Allocation(invoice, 33_000)],
        fee=660,
    )
    assert (
        payment.statement_line == line and payment.amount == Decimal(32_340) and payment.fee == Decimal(660)
    )
    assert payment.date == PAID_ON and payment.payer_name == "タナカデンキ(ユ" and payment.memo == "7月分"
    assert Invoice.objects.get(pk=invoice.pk).open_amount == 0
    assert list(selectors.unmatched_lines(company)) == []
    assert selectors.line_status(selectors.get_line(company, line.pk)) == selectors.STATUS_MATCHED
    with pytest.raises(ServiceError) as caught:
        match_statement_line(
            company=company,
            actor=accountant.user,
            membership=accountant,
            line=line,
            customer=people["tanaka"],
            allocations=[],
        )
    assert caught.value.field_errors["statement_line"] == ["この入金明細はすでに消込済みです。"]
    assert Payment.objects.for_company(company).count() == 1


def test_matching_without_invoices_keeps_the_money_as_advance(company, sales_admin, accountant, people):
    line = _line(company, accountant, "2026-07-31,5000,ｽｽﾞｷ,")
    payment = match_statement_line(
        company=company,
        actor=accountant.user,
        membership=accountant,
        line=line,
        customer=people["suzuki"],
        allocations=[],
    )
    assert payment.unapplied == Decimal(5000)


def test_another_companys_line_is_not_found(company, sales_admin, accountant, people, other_company):
    keiri = make_member(other_company, "keiri_other", ["accounting"])
    theirs = import_rows(other_company, keiri, "2026-07-31,1000,ｱ,").created[0]
    with pytest.raises(NotFound):
        selectors.get_line(company, theirs.pk)
    with pytest.raises(NotFound):
        selectors.suggestions(company, theirs)
    with pytest.raises(NotFound):
        match_statement_line(
            company=company,
            actor=accountant.user,
            membership=accountant,
            line=theirs,
            customer=people["yamada"],
            allocations=[],
        )
    with pytest.raises(NotFound):
        dismiss_statement_line(company=company, actor=accountant.user, membership=accountant, line=theirs)
    assert not Payment.objects.exists()


def test_a_dismissed_line_leaves_the_list_until_restored(company, books, accountant, people):
    line = _line(company, accountant, "2026-07-31,100,ﾘｿｸ,")
    dismiss_statement_line(
        company=company, actor=accountant.user, membership=accountant, line=line, reason="利息"
    )
    assert list(selectors.unmatched_lines(company)) == []
    assert list(selectors.statement_lines(company, status=selectors.STATUS_DISMISSED)) == [line]
    with pytest.raises(ServiceError):
        match_statement_line(
            company=company,
            actor=accountant.user,
            membership=accountant,
            line=line,
            customer=people["yamada"],
            allocations=[],
        )
    with pytest.raises(ServiceError):
        dismiss_statement_line(company=company, actor=accountant.user, membership=accountant, line=line)
    event = AuditEvent.objects.get(company=company, action="dismiss")
    assert event.object_id == str(line.pk) and event.changes["extra"]["reason"] == "利息"
    restore_statement_line(company=company, actor=accountant.user, membership=accountant, line=line)
    assert list(selectors.unmatched_lines(company)) == [line]


def test_a_matched_line_cannot_be_dismissed(company, sales_admin, accountant, people):
    line = _line(company, accountant, "2026-07-31,5000,ｽｽﾞｷ,")
    match_statement_line(
        company=company,
        actor=accountant.user,
        membership=accountant,
        line=line,
        customer=people["suzuki"],
        allocations=[],
    )
    with pytest.raises(ServiceError):
        dismiss_statement_line(company=company, actor=accountant.user, membership=accountant, line=line)
    assert not AuditEvent.objects.filter(company=company, action="dismiss").exists()


def test_only_payment_roles_match(company, sales_admin, accountant, people):
    line = _line(company, accountant, "2026-07-31,5000,ｽｽﾞｷ,")
    with pytest.raises(PermissionDeniedError):
        match_statement_line(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            line=line,
            customer=people["suzuki"],
            allocations=[],
        )
    assert not Payment.objects.exists()


def test_an_overlapping_zengin_statement_adds_only_the_new_lines(company, books, accountant):
    first = zengin_file([zengin_data(1, 1000, "ｱ")], credits=[1000])
    second = zengin_file([zengin_data(1, 1000, "ｱ"), zengin_data(2, 2000, "ｲ")], credits=[1000, 2000])
    import_statement(
        company=company, actor=accountant.user, membership=accountant, data=first, filename="a.dat"
    )
    result = import_statement(
        company=company, actor=accountant.user, membership=accountant, data=second, filename="b.dat"
    )
    assert len(result.created) == 1 and result.duplicates == 1
