"""Personas of approvals: 営業本部 (300) over 営業部 (310) over 営業一課 (311); 本部長 heads 300,
部長 heads 310; an applicant in 310, a clerk in 311, an accountant (経理), an admin. The request type
``test`` calls ``record_outcome`` when a request ends."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ennoshita.approvals import services
from ennoshita.people import services as people_services

from ..conftest import make_department, make_employee, make_member

outcomes: list[tuple[int, str]] = []
FAIL = {"on": False}

TYPES = {
    "test": {"label": "テスト申請", "on_decided": "tests.approvals.conftest.record_outcome", "url_name": ""},
    "other": {"label": "その他申請", "on_decided": "", "url_name": ""},
}


def record_outcome(*, company, actor, request, outcome):
    if FAIL["on"]:
        raise RuntimeError("owner posting failed")
    outcomes.append((request.pk, outcome))


@pytest.fixture(autouse=True)
def approval_types(settings):
    # the project's own types (経費精算 …) stay, so that the demo and other apps keep working
    settings.ENNOSHITA_APPROVAL_TYPES = {**settings.ENNOSHITA_APPROVAL_TYPES, **TYPES}
    outcomes.clear()
    FAIL["on"] = False
    yield
    outcomes.clear()
    FAIL["on"] = False


class Org:
    pass


def _person(company, hr, dept, username, number, roles, family):
    m = make_member(
        company, username, roles, last_name=family, first_name="一", email=f"{username}@example.jp"
    )
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
    o = Org()
    o.company = company
    o.hq = make_department(company, hr, "300", "営業本部")
    o.sales = make_department(company, hr, "310", "営業部", parent=o.hq)
    o.team = make_department(company, hr, "311", "営業一課", parent=o.sales)
    o.other = make_department(company, hr, "500", "総務部")
    o.director, e_dir = _person(company, hr, o.hq, "honbucho", "D001", ["manager"], "本部")
    o.manager, e_mgr = _person(company, hr, o.sales, "bucho", "M001", ["manager"], "部長")
    o.applicant, _ = _person(company, hr, o.sales, "shinsei", "A001", ["employee"], "申請")
    o.clerk, _ = _person(company, hr, o.team, "kakari", "A002", ["employee"], "係員")
    o.accountant, _ = _person(company, hr, o.other, "keiri", "K001", ["accounting"], "経理")
    o.colleague, _ = _person(company, hr, o.sales, "doryo", "A003", ["employee"], "同僚")
    o.admin = make_member(company, "kanri", ["admin"], last_name="管理", first_name="一")
    for dept, head in ((o.hq, e_dir), (o.sales, e_mgr)):
        people_services.update_department(
            company=company, actor=hr.user, membership=hr, department=dept, head=head
        )
    o.hq.refresh_from_db()
    o.sales.refresh_from_db()
    o.team.refresh_from_db()
    return o


def submit(org, member=None, amount=10000, object_id="1", department=None, codes=(), request_type="test"):
    member = member or org.applicant
    return services.submit_request(
        company=org.company,
        actor=member.user,
        membership=member,
        request_type=request_type,
        object_id=object_id,
        object_repr=f"テスト {object_id}",
        amount=Decimal(amount),
        department=department,
        account_codes=codes,
        url="/x/",
    )


def act(fn, org, member, request, **kw):
    return fn(company=org.company, actor=member.user, membership=member, request=request, **kw)
