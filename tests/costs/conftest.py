"""A company whose indirect costs are known by hand (selected month: 2026-11; period 2025-12..2026-11).

Departments and people in service on 2026-11-30:
  営業部 310 (所属長 部長): 部長, 申請, 同僚                → 3
  経理部 500: 経理                                           → 1
  総務部 100: 総務一, 総務二 (総務三 retired 2026-10-31;
              新人 hired 2026-12-01: neither counted)       → 2
  company                                                   → 6

Postings (amounts 税抜 = what the books hold; every taxed line splits off 仮払消費税等):
  通信費 6270   営業部  2025-11 12,000 · 2026-08/09/10 10,000 each · 2026-11 13,500 (the claim)
  消耗品費 6310 経理部  2026-08 8,000 · 09 8,000 · 10 3,000 | 営業部 10 5,000
                経理部  2026-11 6,000 and a 返品 credit of 1,000 | 部門なし 2026-11 4,000
  地代家賃 6410 総務部  2026-08/09/10 100,000 each · 2026-11 120,000 (exactly +20%)
  旅費交通費 6260 営業部 2026-09 credit 3,000 · 10 6,000 · 11 5,000 (the claim)
  会議費 6250 (not indirect) 営業部 2026-11 50,000

The claim of 申請 (営業部, approved 2026-11): ABCモバイル 通信費 14,850 税込 and タクシー会社
旅費交通費 5,500 税込, both with a 適格請求書 (full credit of the 10%).
Vendor bills (ORM; not posted): ＡＢＣモバイル 22,000 (6270, 営業部), 大家不動産 132,000 (6410,
総務部), and ones that must not count (submitted; 会議費; outside the period).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ennoshita.expenses import services as expense_services
from ennoshita.expenses.models import ExpenseCategory
from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.models import Account, FiscalYear, TaxCode
from ennoshita.ledger.services import LineInput
from ennoshita.people import services as people_services
from ennoshita.purchasing.models import Vendor, VendorBill, VendorBillLine

from ..conftest import make_department, make_employee, make_member
from ..expenses.conftest import approval_type, decide, line, receipt, save, submit  # noqa: F401

T_NTA = "T7000012050002"  # 国税庁の法人番号: a valid 登録番号
MONTH = date(2026, 11, 1)
YEN = Decimal


class Org:
    pass


def _person(company, hr, dept, username, number, roles, family, **kw):
    m = make_member(company, username, roles, last_name=family, first_name="一") if username else None
    employee = make_employee(
        company,
        hr,
        dept,
        number=number,
        family_name=family,
        given_name="一",
        family_name_kana="テスト",
        given_name_kana="イチ",
        user=m.user if m else None,
        **kw,
    )
    return m, employee


def _fiscal_years(company):
    """The years 2025 and 2026 (期首 April) whatever today is."""
    for year in (2025, 2026):
        FiscalYear.objects.get_or_create(
            company=company, start=date(year, 4, 1), defaults={"end": date(year + 1, 3, 31)}
        )


def acct(company, code):
    return Account.objects.for_company(company).get(code=code)


def p10(company):
    return TaxCode.objects.for_company(company).get(key="P10")


def post(o, day, code, amount, dept=None, side="debit", memo="", included=True):
    """Post an expense line (P10) against 未払金 2130; ``side='credit'`` reverses the direction."""
    other = "credit" if side == "debit" else "debit"
    company = o.company
    tax = p10(company)
    net_in = LineInput(
        account=acct(company, code),
        side=side,
        amount=amount,
        tax_code=tax,
        tax_included=included,
        department=dept,
        memo=memo,
    )
    gross = YEN(amount) if included else YEN(amount) * 11 / 10
    return ledger_services.post_entry(
        company=company,
        actor=o.accountant.user,
        membership=o.accountant,
        date=day,
        lines=[net_in, LineInput(account=acct(company, "2130"), side=other, amount=gross, department=dept)],
        memo=memo or f"{code} {day}",
    )


def make_bill(o, vendor, day, code, amount, dept=None, status="approved", number=""):
    bill = VendorBill.objects.create(
        company=o.company,
        vendor=vendor,
        number=number or f"BILL-{VendorBill.objects.count() + 1:04d}",
        bill_date=day,
        due_date=day + timedelta(days=30),
        department=dept,
        status=status,
        total=amount,
        created_by=o.accountant.user,
    )
    VendorBillLine.objects.create(
        company=o.company, bill=bill, line_no=1, description="請求", account_code=code, amount=amount
    )
    return bill


def build_org(company, hr):
    ledger_services.ensure_books(company=company)
    _fiscal_years(company)
    o = Org()
    o.company = company
    o.hr = hr
    o.affairs = make_department(company, hr, "100", "総務部")
    o.sales = make_department(company, hr, "310", "営業部")
    o.back = make_department(company, hr, "500", "経理部")
    o.manager, e_mgr = _person(company, hr, o.sales, "bucho", "M001", ["manager"], "部長")
    o.applicant, _ = _person(company, hr, o.sales, "shinsei", "A001", ["employee"], "申請")
    o.colleague, _ = _person(company, hr, o.sales, "doryo", "A002", ["employee"], "同僚")
    o.accountant, _ = _person(company, hr, o.back, "keiri", "K001", ["accounting"], "経理")
    _person(company, hr, o.affairs, "", "G001", [], "総務一")
    _person(company, hr, o.affairs, "", "G002", [], "総務二")
    _person(company, hr, o.affairs, "", "G003", [], "総務三", retire_date=date(2026, 10, 31))
    _person(company, hr, o.affairs, "", "G004", [], "新人", hire_date=date(2026, 12, 1))
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=o.sales, head=e_mgr
    )
    o.sales.refresh_from_db()
    expense_services.ensure_setup(company=company)
    o.cat = {c.code: c for c in ExpenseCategory.objects.for_company(company)}
    return o


def post_books(o):
    """Every posting of the module docstring except the claim's."""
    d = date
    post(o, d(2025, 11, 20), "6270", 13200, o.sales)  # 12,000 + 1,200
    for m in (8, 9, 10):
        post(o, d(2026, m, 20), "6270", 11000, o.sales)  # 10,000 + 1,000
        post(o, d(2026, m, 25), "6410", 100000, o.affairs, included=False)
    post(o, d(2026, 8, 5), "6310", 8800, o.back)
    post(o, d(2026, 9, 5), "6310", 8800, o.back)
    post(o, d(2026, 10, 5), "6310", 3300, o.back)
    post(o, d(2026, 10, 6), "6310", 5500, o.sales)
    o.supplies_back = post(o, d(2026, 11, 5), "6310", 6600, o.back, memo="トナー")
    o.supplies_return = post(o, d(2026, 11, 12), "6310", 1100, o.back, side="credit", memo="トナー返品")
    o.supplies_none = post(o, d(2026, 11, 15), "6310", 4400, None, memo="共用の備品")
    post(o, d(2026, 11, 25), "6410", 120000, o.affairs, included=False)
    post(o, d(2026, 9, 10), "6260", 3300, o.sales, side="credit", memo="旅費の戻り")
    post(o, d(2026, 10, 10), "6260", 6600, o.sales)
    post(o, d(2026, 11, 18), "6250", 55000, o.sales)  # 会議費: not an indirect account


def approved_claim(o):
    claim = save(
        o,
        [
            line(
                o,
                "COMM",
                "14850",
                date(2026, 11, 10),
                payee="ABCモバイル",
                purpose="携帯電話料金",
                registration_number=T_NTA,
                is_qualified=True,
                receipt=receipt("c1"),
            ),
            line(
                o,
                "TAXI",
                "5500",
                date(2026, 11, 10),
                payee="タクシー会社",
                purpose="客先訪問",
                registration_number=T_NTA,
                is_qualified=True,
                receipt=receipt("c2"),
            ),
        ],
        title="11月の経費",
    )
    submit(o, claim)
    decide(o, claim, o.manager)
    decide(o, claim, o.accountant)
    claim.refresh_from_db()
    assert claim.status == "approved"
    return claim


def make_bills(o):
    abc = Vendor.objects.create(company=o.company, code="V001", name="ＡＢＣモバイル")
    landlord = Vendor.objects.create(company=o.company, code="V002", name="大家不動産")
    make_bill(o, abc, date(2026, 11, 2), "6270", 22000, o.sales)
    make_bill(o, landlord, date(2026, 11, 1), "6410", 132000, o.affairs)
    make_bill(o, landlord, date(2026, 11, 3), "6410", 99000, o.affairs, status="submitted")  # not approved
    make_bill(o, abc, date(2026, 11, 4), "6250", 77000, o.sales)  # 会議費: not indirect
    make_bill(o, abc, date(2025, 11, 30), "6270", 55000, o.sales)  # before the period


@pytest.fixture
def org(company, hr, approval_type):  # noqa: F811
    o = build_org(company, hr)
    post_books(o)
    o.claim = approved_claim(o)
    make_bills(o)
    return o
