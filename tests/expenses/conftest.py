"""Personas of 経費精算: 営業部 (310) headed by 部長 (a manager); 申請 (an employee of 営業部) who
claims; 経理 who does the final check; a colleague; the books of the company (期首 April).

Claims go manager → 経理 (the approvals app's default route under 3万円)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.expenses import services
from ennoshita.expenses.models import ExpenseCategory
from ennoshita.ledger import services as ledger_services
from ennoshita.people import services as people_services

from ..conftest import make_department, make_employee, make_member

EXPENSE_TYPE = {
    "label": "経費精算",
    "on_decided": "ennoshita.expenses.services.on_claim_decided",
    "url_name": "expenses:claim_detail",
}


@pytest.fixture(autouse=True)
def approval_type(settings):
    """The entry settings.py carries (kept here too, so that a test that swaps the setting keeps it)."""
    types = dict(getattr(settings, "ENNOSHITA_APPROVAL_TYPES", {}) or {})
    types["expenses.claim"] = EXPENSE_TYPE
    settings.ENNOSHITA_APPROVAL_TYPES = types


def png_bytes(text: str = "receipt", size=(60, 40), color=(255, 255, 255)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).text((2, 2), text, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
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
    o.sales = make_department(company, hr, "310", "営業部")
    o.back = make_department(company, hr, "500", "経理部")
    o.manager, e_mgr = _person(company, hr, o.sales, "bucho", "M001", ["manager"], "部長")
    o.applicant, _ = _person(company, hr, o.sales, "shinsei", "A001", ["employee"], "申請")
    o.colleague, _ = _person(company, hr, o.sales, "doryo", "A002", ["employee"], "同僚")
    o.accountant, _ = _person(company, hr, o.back, "keiri", "K001", ["accounting"], "経理")
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=o.sales, head=e_mgr
    )
    o.sales.refresh_from_db()
    services.ensure_setup(company=company)
    o.cat = {c.code: c for c in ExpenseCategory.objects.for_company(company)}
    return o


def line(
    org, code="SUPPLIES", amount="1100", day=date(2026, 11, 5), payee="文具店", purpose="コピー用紙", **kw
):
    spec = {
        "date": day,
        "payee": payee,
        "purpose": purpose,
        "category_id": org.cat[code].pk,
        "amount": amount,
    }
    spec.update(kw)
    return services.LineSpec(**spec)


def receipt(text="r", name="receipt.png"):
    return services.ReceiptUpload(name, png_bytes(text))


def save(org, lines, title="11月の経費", claim=None, member=None):
    member = member or org.applicant
    return services.save_claim(
        company=org.company, actor=member.user, membership=member, claim=claim, title=title, lines=lines
    )


def submit(org, claim, member=None):
    member = member or org.applicant
    return services.submit_claim(company=org.company, actor=member.user, membership=member, claim=claim)


def request_of(org, claim):
    return approval_selectors.request_for(
        company=org.company, request_type="expenses.claim", object_id=claim.pk
    )


def decide(org, claim, member, fn="approve", **kw):
    request = request_of(org, claim)
    return getattr(approval_services, fn)(
        company=org.company, actor=member.user, membership=member, request=request, **kw
    )


def approve_all(org, claim):
    decide(org, claim, org.manager)
    decide(org, claim, org.accountant)
    claim.refresh_from_db()
    return claim


YEN = Decimal
