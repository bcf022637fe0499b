# ruff: noqa: F811  (the fixtures come from test_welfare_services)
"""福利厚生 screens: the catalogue with what I may use and what is left, applying, my uses, a use's
page with its approval steps and withdrawal, keeping the catalogue, the report; CSV / Excel on
each list; query counts that do not grow with the rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.affairs.models import Benefit, BenefitUse, BenefitUseStatus
from ennoshita.approvals.models import ApprovalRequest

from ..conftest import login, make_employee, make_member
from .test_welfare_services import (  # noqa: F401  (fixtures)
    affairs,
    apply,
    approval,
    boss,
    decide,
    housing,
    make_benefit,
    qualification,
    resort,
    today,
)

pytestmark = pytest.mark.django_db


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def test_the_catalogue_shows_what_i_may_use_and_what_is_left(
    client, employee_member, boss, qualification, resort, housing
):
    apply(employee_member, qualification, amount=30000)
    login(client, employee_member)
    response = client.get(reverse("affairs:benefit_catalogue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "資格取得支援" in page and "保養所" in page and "住宅手当" in page
    assert "正社員・契約社員、勤続6か月以上" in page
    assert "¥70,000" in page or "70,000" in page  # 100,000 less the pending 30,000
    url = reverse("affairs:benefit_catalogue")
    filtered = client.get(url, {"q": "保養"}).context["rows"]
    assert [r.benefit.code for r in filtered] == ["RESORT"]
    by_category = client.get(url, {"category": "housing"}).context["rows"]
    assert [r.benefit.code for r in by_category] == ["HOUSE"]
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "資格取得支援" in csv and "70000" in csv
    assert client.get(url, {"format": "xlsx"}).content[:2] == b"PK"


def test_the_catalogue_costs_the_same_with_more_benefits(client, employee_member, affairs):
    login(client, employee_member)
    make_benefit(affairs, code="A1")
    few = queries(client, reverse("affairs:benefit_catalogue"))
    for i in range(8):
        make_benefit(affairs, code=f"B{i}", name=f"制度{i}")
    assert queries(client, reverse("affairs:benefit_catalogue")) == few


def test_apply_through_the_screen_then_withdraw(client, company, employee_member, boss, qualification):
    login(client, employee_member)
    url = reverse("affairs:benefit_apply", args=[qualification.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"used_on": today().isoformat(), "amount": "40000", "detail": "受験料"})
    use = BenefitUse.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "affairs:benefit_use_detail", args=[use.pk]
    )
    assert use.status == BenefitUseStatus.PENDING
    page = client.get(response.url).content.decode()
    assert 'id="approval"' in page and "所属長" in page and "総務" in page  # the steps
    assert "取り下げ" in page
    client.post(reverse("affairs:benefit_use_withdraw", args=[use.pk]))
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.WITHDRAWN


def test_a_refused_application_shows_the_message_on_the_field(
    client, company, employee_member, boss, qualification
):
    login(client, employee_member)
    url = reverse("affairs:benefit_apply", args=[qualification.pk])
    response = client.post(url, {"used_on": today().isoformat(), "amount": "100001"})
    assert response.status_code == 400
    assert "この年度の上限額を超えます" in response.content.decode()
    assert response.context["form"].errors["amount"]
    assert not BenefitUse.objects.exists() and not ApprovalRequest.objects.exists()


def test_the_approver_sees_the_use_and_decides_from_its_page(
    client, company, employee_member, boss, affairs, qualification
):
    use = apply(employee_member, qualification)
    login(client, boss)
    page = client.get(reverse("affairs:benefit_use_detail", args=[use.pk])).content.decode()
    assert 'value="approve"' in page
    # a colleague who is neither the employee nor an approver sees nothing
    stranger = make_member(company, "stranger", ["employee"])
    login(client, stranger)
    assert client.get(reverse("affairs:benefit_use_detail", args=[use.pk])).status_code == 404
    assert client.post(reverse("affairs:benefit_use_withdraw", args=[use.pk])).status_code == 404
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.PENDING


def test_sent_back_use_is_resubmitted_from_its_screen(client, employee_member, boss, qualification):
    use = apply(employee_member, qualification, amount=50000)
    decide(boss, use, "send_back", reason="金額を確認してください")
    login(client, employee_member)
    page = client.get(reverse("affairs:benefit_use_detail", args=[use.pk])).content.decode()
    assert reverse("affairs:benefit_use_resubmit", args=[use.pk]) in page
    url = reverse("affairs:benefit_use_resubmit", args=[use.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"used_on": use.used_on.isoformat(), "amount": "45000"})
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.PENDING and use.amount == Decimal(45000)


def test_my_uses_list_filters_and_exports(
    client, company, hr, department, employee_member, boss, affairs, qualification, housing
):
    apply(employee_member, qualification, amount=30000)
    apply(employee_member, housing, amount=20000, detail="家賃")
    other = make_member(company, "other", ["employee"])
    make_employee(company, hr, department, number="E002", family_name="他人", user=other.user)
    apply(other, housing, amount=15000)
    login(client, employee_member)
    url = reverse("affairs:benefit_use_list")
    page = client.get(url).content.decode()
    assert page.count('data-use="') == 2  # not the colleague's
    assert client.get(url, {"scope": "all"}).content.decode().count('data-use="') == 2  # scope is ignored
    approved = client.get(url, {"status": "approved"}).content.decode()
    assert approved.count('data-use="') == 1
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "資格取得支援" in text and "住宅手当" in text and "他人" not in text
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"') and xlsx.content[:2] == b"PK"
    login(client, affairs)
    assert client.get(url, {"scope": "all"}).content.decode().count('data-use="') == 3
    assert client.get(url, {"scope": "all", "q": "他人"}).content.decode().count('data-use="') == 1


def test_the_use_list_costs_the_same_with_more_rows(client, company, employee_member, boss, affairs, housing):
    login(client, affairs)
    url = reverse("affairs:benefit_use_list")
    apply(employee_member, housing, amount=1000)
    few = queries(client, url, scope="all")
    for i in range(6):
        apply(employee_member, housing, amount=1000 + i)
    assert queries(client, url, scope="all") == few


def test_affairs_keeps_the_catalogue_from_its_screens(client, company, affairs, employee_member):
    login(client, affairs)
    assert client.get(reverse("affairs:benefit_manage")).status_code == 200
    response = client.post(
        reverse("affairs:benefit_new"),
        {
            "code": "CONDO",
            "name": "慶弔見舞金",
            "category": "condolence",
            "eligible_employment_types": ["regular", "contract"],
            "min_service_months": "0",
            "requires_approval": "on",
        },
    )
    benefit = Benefit.objects.get(code="CONDO")
    assert response.status_code == 302
    assert benefit.eligible_employment_types == ["contract", "regular"] and benefit.requires_approval
    bad = client.post(
        reverse("affairs:benefit_edit", args=[benefit.pk]),
        {"code": "", "name": "x", "category": "other", "min_service_months": "0"},
    )
    assert bad.status_code == 400
    client.post(reverse("affairs:benefit_set_active", args=[benefit.pk]), {"active": "0"})
    benefit.refresh_from_db()
    assert not benefit.is_active
    page = client.get(reverse("affairs:benefit_detail", args=[benefit.pk])).content.decode()
    assert 'id="history"' in page and "受付停止" in page
    export = client.get(reverse("affairs:benefit_manage"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "慶弔見舞金" in export and "正社員" in export
    # an employee may not
    login(client, employee_member)
    assert client.get(reverse("affairs:benefit_manage")).status_code == 403
    assert (
        client.post(reverse("affairs:benefit_set_active", args=[benefit.pk]), {"active": "1"}).status_code
        == 403
    )
    benefit.refresh_from_db()
    assert not benefit.is_active


def test_the_report_per_employee_and_year(
    client, company, hr, department, employee_member, boss, affairs, qualification, resort
):
    use = apply(employee_member, qualification, amount=60000)
    decide(boss, use)
    decide(affairs, use)
    apply(employee_member, qualification, amount=10000)  # pending
    apply(employee_member, resort, amount=0)
    login(client, affairs)
    url = reverse("affairs:benefit_report")
    response = client.get(url)
    rows = response.context["page_obj"].object_list
    by_benefit = {r.benefit_code: r for r in rows}
    q = by_benefit["QUAL"]
    assert (q.usage.approved_count, q.usage.approved_amount) == (1, Decimal(60000))
    assert (q.usage.pending_count, q.usage.pending_amount) == (1, Decimal(10000))
    assert q.remaining.amount == Decimal(30000) and q.department == "総務部"
    assert by_benefit["RESORT"].remaining.count == 1
    only = client.get(url, {"benefit": resort.pk}).context["page_obj"].object_list
    assert [r.benefit_code for r in only] == ["RESORT"]
    other = make_member(company, "x", ["hr"])
    from ..conftest import make_department

    sales = make_department(company, other, code="200", name="営業部")
    assert list(client.get(url, {"department": sales.pk}).context["page_obj"].object_list) == []
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "資格取得支援" in csv and "30000" in csv
    assert client.get(url, {"format": "xlsx"}).content[:2] == b"PK"
    login(client, employee_member)
    assert client.get(url).status_code == 403


def test_the_report_costs_the_same_with_more_rows(
    client, company, hr, department, employee_member, affairs, housing
):
    login(client, affairs)
    url = reverse("affairs:benefit_report")
    apply(employee_member, housing, amount=1000)
    few = queries(client, url)
    for i in range(4):
        m = make_member(company, f"e{i}", ["employee"])
        make_employee(company, hr, department, number=f"N{i}", user=m.user)
        apply(m, housing, amount=1000)
    assert queries(client, url) == few


def test_home_panel_lists_my_waiting_applications(client, employee_member, boss, qualification):
    use = apply(employee_member, qualification)
    login(client, employee_member)
    page = client.get(reverse("home")).content.decode()
    assert "福利厚生の申請" in page
    assert reverse("affairs:benefit_use_detail", args=[use.pk]) in page


def test_the_outside_assistant_sees_no_welfare(client, company, qualification):
    from datetime import timedelta

    from ennoshita.core.errors import PermissionDeniedError

    assistant = make_member(company, "helper", ["assistant"], expires_on=today() + timedelta(days=30))
    login(client, assistant)
    assert client.get(reverse("affairs:benefit_catalogue")).status_code == 404
    assert client.get(reverse("affairs:benefit_use_list")).status_code == 404
    with pytest.raises(PermissionDeniedError):
        apply(assistant, qualification)
    assert not BenefitUse.objects.exists()
