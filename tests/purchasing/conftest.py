"""Personas of 仕入先請求書: 営業本部 (300, 本部長) over 営業部 (310, 部長); 経理部 (500) with 事務
(who records and submits bills) and 経理 (the final approver); a sales employee; the books of the
company (期首 April).

Bills go 所属長 of the bill's department → 経理 under 3万円, 所属長 → 上位所属長 → 経理 from 3万円
(the approvals app's default routes)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.ledger import services as ledger_services
from ennoshita.people import services as people_services
from ennoshita.purchasing.services import bills as bill_services
from ennoshita.purchasing.services import vendors as vendor_services

from ..conftest import make_department, make_employee, make_member

BILL_TYPE = {
    "label": "仕入先請求書",
    "on_decided": "ennoshita.purchasing.services.bills.on_bill_decided",
    "url_name": "purchasing:bill_detail",
}
T_NTA = "T7000012050002"  # 国税庁's 法人番号 (jp-rules §5.3: check digit verified)


@pytest.fixture(autouse=True)
def approval_type(settings):
    types = dict(getattr(settings, "ENNOSHITA_APPROVAL_TYPES", {}) or {})
    types["purchasing.bill"] = BILL_TYPE
    settings.ENNOSHITA_APPROVAL_TYPES = types


def png_bytes(text: str = "bill", size=(80, 50)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).text((2, 2), text, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(text: str = "INVOICE") -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return out.getvalue()


class Org:
    pass


def _person(company, hr, dept, username, number, roles, family):
    m = make_member(company, username, roles, last_name=family, first_name="一")
    employee = make_employee(
        company,
        hr,
        dept,
        number=number,
        family_name=family,
        given_name="一",
        family_name_kana="テスト",
        given_name_kana="イチ",
        user=m.user,
    )
    return m, employee


@pytest.fixture
def org(company, hr):
    ledger_services.ensure_books(company=company)
    o = Org()
    o.company = company
    o.hr = hr
    o.hq = make_department(company, hr, "300", "営業本部")
    o.sales = make_department(company, hr, "310", "営業部", parent=o.hq)
    o.back = make_department(company, hr, "500", "経理部")
    o.director, e_dir = _person(company, hr, o.hq, "honbucho", "D001", ["manager"], "本部")
    o.manager, e_mgr = _person(company, hr, o.sales, "bucho", "M001", ["manager"], "部長")
    o.clerk, _e = _person(company, hr, o.back, "jimu", "K001", ["accounting"], "事務")
    o.accountant, _e = _person(company, hr, o.back, "keiri", "K002", ["accounting"], "経理")
    o.employee, _e = _person(company, hr, o.sales, "eigyo", "A001", ["employee"], "営業")
    for dept, head in ((o.hq, e_dir), (o.sales, e_mgr)):
        people_services.update_department(
            company=company, actor=hr.user, membership=hr, department=dept, head=head
        )
    o.hq.refresh_from_db()
    o.sales.refresh_from_db()
    return o


def vendor_input(**kw) -> vendor_services.VendorInput:
    data = {
        "code": "V001",
        "name": "株式会社山田商事",
        "kana": "ヤマダショウジ",
        "registration_number": T_NTA,
        "bank_code": "0001",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "1234567",
        "account_holder": "カブシキガイシャ　ヤマダショウジ",
        "closing_day": 31,
        "payment_month_offset": 1,
        "payment_day": 31,
    }
    data.update(kw)
    return vendor_services.VendorInput(**data)


def make_vendor(org, member=None, **kw):
    member = member or org.clerk
    return vendor_services.create_vendor(
        company=org.company, actor=member.user, membership=member, data=vendor_input(**kw)
    )


@pytest.fixture
def vendor(org):
    return make_vendor(org)


def bill_line(
    description="事務用品", account_code="6310", amount="11000", tax_handling="P10", department_id=None
):
    return bill_services.BillLineSpec(
        description=description,
        account_code=account_code,
        amount=amount,
        tax_handling=tax_handling,
        department_id=department_id,
    )


def recent_day(days_ago: int = 3) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def save_bill(org, vendor, lines=None, bill=None, member=None, **kw):
    member = member or org.clerk
    args = {
        "bill_date": recent_day(),
        "due_date": None,
        "vendor_reference": "INV-001",
        "is_qualified": bool(vendor.registration_number),
        "payable_account_code": "2112",
        "department": org.sales,
        "memo": "",
    }
    args.update(kw)
    return bill_services.save_bill(
        company=org.company,
        actor=member.user,
        membership=member,
        bill=bill,
        vendor=vendor,
        lines=lines if lines is not None else [bill_line()],
        **args,
    )


def submit(org, bill, member=None):
    member = member or org.clerk
    return bill_services.submit_bill(company=org.company, actor=member.user, membership=member, bill=bill)


def request_of(org, bill):
    return approval_selectors.request_for(
        company=org.company, request_type="purchasing.bill", object_id=bill.pk
    )


def decide(org, bill, member, fn="approve", **kw):
    return getattr(approval_services, fn)(
        company=org.company, actor=member.user, membership=member, request=request_of(org, bill), **kw
    )


def approve_all(org, bill):
    """所属長 → (上位所属長 from 3万円) → 経理."""
    decide(org, bill, org.manager)
    if bill.total >= 30000:
        decide(org, bill, org.director)
    decide(org, bill, org.accountant)
    bill.refresh_from_db()
    return bill


def approved_bill(org, vendor, lines=None, **kw):
    bill = save_bill(org, vendor, lines, **kw)
    submit(org, bill)
    return approve_all(org, bill)


YEN = Decimal
