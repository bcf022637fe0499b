"""costs.selectors.drilldown: exactly the posted lines behind a figure, each linked to its source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.costs import selectors
from ennoshita.ledger.models import JournalLine

from .conftest import MONTH, post

pytestmark = pytest.mark.django_db
Y = Decimal


def _drill(org, member=None, **kw):
    return selectors.drilldown(company=org.company, membership=member or org.accountant, month=MONTH, **kw)


def test_the_lines_of_an_account_month_and_department_link_to_the_claim(org):
    drill = _drill(org, account_code="6270", department_id=org.sales.pk)
    lines = list(drill.lines)
    assert [(d.line.account_code, d.line.date, d.line.debit, d.line.credit) for d in lines] == [
        ("6270", date(2026, 11, 10), Y(13500), Y(0))
    ]
    (only,) = lines
    expected = JournalLine.objects.get(entry_id=org.claim.journal_entry_id, account__code="6270")
    assert only.line.line_id == expected.pk
    assert only.line.entry_number == expected.entry.number
    assert only.line.memo == "ABCモバイル 携帯電話料金"
    assert only.source_url == reverse("expenses:claim_detail", args=[org.claim.pk])
    assert org.claim.number in only.source_label
    assert (drill.count, drill.total) == (1, Y(13500))
    assert drill.account_name == "通信費" and drill.department_name == "営業部"


def test_the_lines_add_up_to_the_dashboard_figure_with_credits_and_no_department(org):
    drill = _drill(org, account_code="6310")
    got = [
        (d.line.date, d.line.department_name, d.line.debit, d.line.credit, d.line.memo) for d in drill.lines
    ]
    assert got == [
        (date(2026, 11, 5), "経理部", Y(6000), Y(0), "トナー"),
        (date(2026, 11, 12), "経理部", Y(0), Y(1000), "トナー返品"),
        (date(2026, 11, 15), "", Y(4000), Y(0), "共用の備品"),
    ]
    assert (
        drill.total
        == Y(9000)
        == selectors.dashboard(company=org.company, membership=org.accountant, month=MONTH)
        .categories[0]
        .current
    )
    # without a source the link is the entry itself (for readers of the books)
    first = next(iter(drill.lines))
    assert first.source_url == reverse("ledger:entry_detail", args=[org.supplies_back.pk])
    assert first.source_label == f"No.{org.supplies_back.number}"


def test_no_department_and_every_indirect_account(org):
    drill = _drill(org, department_id=0)
    assert [(d.line.account_code, d.line.debit) for d in drill.lines] == [("6310", Y(4000))]
    everything = _drill(org)
    assert (
        everything.count == 6
    )  # 6310 ×3, 6270 and 6260 (the claim), 6410; 会議費 and tax lines are not in it
    assert everything.total == Y(147500)
    assert {d.line.account_code for d in everything.lines} == {"6310", "6270", "6260", "6410"}


def test_only_indirect_accounts_and_departments_in_scope(org):
    with pytest.raises(NotFound):
        _drill(org, account_code="6250")  # 会議費
    with pytest.raises(NotFound):
        _drill(org, account_code="2130")
    with pytest.raises(NotFound):
        _drill(org, member=org.manager, account_code="6310", department_id=org.back.pk)
    with pytest.raises(PermissionDeniedError):
        _drill(org, member=org.applicant, account_code="6270")


def test_a_department_head_gets_his_departments_lines_and_no_ledger_links(org):
    drill = _drill(org, member=org.manager, account_code="6310")
    assert drill.count == 0 and list(drill.lines) == []
    october = selectors.drilldown(
        company=org.company, membership=org.manager, month=date(2026, 10, 1), account_code="6310"
    )
    (only,) = list(october.lines)
    assert (only.line.department_name, only.line.debit) == ("営業部", Y(5000))
    assert only.source_url == ""  # a manager does not read the books; no source document
    claim_line = next(iter(_drill(org, member=org.manager, account_code="6270").lines))
    assert claim_line.source_url == reverse("expenses:claim_detail", args=[org.claim.pk])


def test_the_screen_shows_a_limited_number_and_the_export_streams_all(org):
    for day in range(1, 6):
        post(org, date(2026, 11, day), "6340", 1100, org.affairs)
    drill = _drill(org, account_code="6340", limit=3)
    assert drill.count == 5 and len(drill.lines) == 3 and drill.truncated  # type: ignore[arg-type]
    assert drill.total == Y(5000)
    full = _drill(org, account_code="6340", limit=None)
    assert len(list(full.lines)) == 5 and not full.truncated


def test_a_bill_posted_as_purchasing_bill_links_to_its_screen_when_it_exists(org, settings):
    from ennoshita.ledger import services as ledger_services
    from ennoshita.ledger.services import LineInput

    from .conftest import acct, p10

    entry = ledger_services.post_entry(
        company=org.company,
        actor=org.accountant.user,
        membership=org.accountant,
        date=date(2026, 11, 21),
        lines=[
            LineInput(
                account=acct(org.company, "6370"), side="debit", amount=1100, tax_code=p10(org.company)
            ),
            LineInput(account=acct(org.company, "2112"), side="credit", amount=1100),
        ],
        source_type="purchasing.bill",
        source_id="4242",
        source_repr="BILL-4242",
    )
    (line,) = list(_drill(org, account_code="6370").lines)
    try:
        expected = reverse(settings.ENNOSHITA_APPROVAL_TYPES["purchasing.bill"]["url_name"], args=[4242])
    except NoReverseMatch:  # the bill screens are not there yet: the entry instead
        expected = reverse("ledger:entry_detail", args=[entry.pk])
    assert line.source_url == expected
