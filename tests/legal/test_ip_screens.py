"""知的財産 screens: the register (search, filters, CSV / Excel, query count), the form of each kind,
the page of a right (deadlines with 割増, payments, costs, status), 期限が近い権利, 費用の集計; who
sees what (another company's right and a colleague's right are 404)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from ennoshita.legal.models import IpCost, IpRight
from ennoshita.legal.services import ip as services
from tests.conftest import make_member

from .ip_fixtures import make_right, patent, today, years_ago

pytest_plugins = ["tests.legal.ip_fixtures"]


def test_list_search_filters_and_downloads(as_member, org, django_assert_max_num_queries):
    make_right(org, title="エンノシタ", owner_id=org.employee.user_id)
    patent(org, due_in=20)
    client = as_member(org.legal)
    r = client.get(reverse("legal:ip_list"))
    assert r.status_code == 200 and "エンノシタ" in r.text and "配送ルート" in r.text
    r = client.get(reverse("legal:ip_list"), {"q": "特願2021", "kind": ""})
    assert "配送ルート" in r.text and "エンノシタ</a>" not in r.text
    r = client.get(reverse("legal:ip_list"), {"kind": "trademark"})
    assert "エンノシタ" in r.text and "配送ルート" not in r.text
    r = client.get(reverse("legal:ip_list"), {"within": "30"})
    assert "配送ルート" in r.text and "エンノシタ</a>" not in r.text
    r = client.get(reverse("legal:ip_list"), {"format": "csv"})
    assert r["Content-Type"].startswith("text/csv") and "管理番号" in r.content.decode("utf-8-sig")
    r = client.get(reverse("legal:ip_list"), {"format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].endswith("sheet")
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("legal:ip_list"))
    for i in range(10):
        make_right(org, title=f"商標{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("legal:ip_list"))


def test_the_form_shows_the_fields_of_its_kind(as_member, org):
    client = as_member(org.legal)
    r = client.get(reverse("legal:ip_new"))
    assert "特許" in r.text and "?kind=patent" in r.text
    r = client.get(reverse("legal:ip_new"), {"kind": "trademark"})
    assert 'name="classes"' in r.text and 'name="paid_through_year"' not in r.text
    r = client.get(reverse("legal:ip_new"), {"kind": "patent"})
    assert 'name="paid_through_year"' in r.text and 'name="classes"' not in r.text
    r = client.get(reverse("legal:ip_new"), {"kind": "domain"})
    assert 'name="expires_on"' in r.text and 'name="filed_on"' not in r.text


def test_register_from_the_screen_and_a_refusal(as_member, org):
    client = as_member(org.legal)
    body = {
        "kind": "trademark",
        "title": "エンノシタ",
        "country": "JP",
        "status": "registered",
        "classes": "9, 42",
        "filed_on": years_ago(12).isoformat(),
        "registered_on": years_ago(11).isoformat(),
        "renewals": "0",
    }
    r = client.post(reverse("legal:ip_new") + "?kind=trademark", body)
    assert r.status_code == 400 and "更新の回数" in r.text and IpRight.objects.count() == 0
    r = client.post(reverse("legal:ip_new") + "?kind=trademark", {**body, "renewals": "1"})
    right = IpRight.objects.get()
    assert r.status_code == 302 and r.url == reverse("legal:ip_detail", args=[right.pk])


def test_detail_shows_deadlines_with_surcharge_and_records_payments(as_member, org):
    right = patent(org, due_in=-10)
    client = as_member(org.legal)
    r = client.get(reverse("legal:ip_detail", args=[right.pk]))
    assert "第4年分の年金" in r.text and "割増(同額・計2倍)が必要" in r.text
    assert 'id="ip-payment-form"' in r.text and "変更履歴" in r.text
    r = client.post(
        reverse("legal:ip_payment", args=[right.pk]),
        {"what": "annuity", "paid_on": today().isoformat(), "amount": "5200", "years": "1"},
    )
    assert IpCost.objects.count() == 0  # refused: the surcharge is missing
    r = client.post(
        reverse("legal:ip_payment", args=[right.pk]),
        {
            "what": "annuity",
            "paid_on": today().isoformat(),
            "amount": "5200",
            "surcharge": "5200",
            "years": "1",
        },
    )
    assert r.status_code == 302 and IpRight.objects.get().paid_through_year == 4
    client.post(
        reverse("legal:ip_cost", args=[right.pk]),
        {"kind": "agent", "paid_on": today().isoformat(), "amount": "22000", "memo": "年金管理"},
    )
    assert IpCost.objects.count() == 3
    r = client.get(reverse("legal:ip_detail", args=[right.pk]))
    assert "年金管理" in r.text and "第5年分" in r.text
    client.post(reverse("legal:ip_status", args=[right.pk]), {"status": "abandoned", "reason": "製品終了"})
    assert IpRight.objects.get().status == "abandoned"


def test_upcoming_and_costs(as_member, org):
    soon = patent(org, due_in=60)
    services.record_ip_cost(**org.w(), right=soon, kind="agent", paid_on=today(), amount=1000)
    client = as_member(org.legal)
    r = client.get(reverse("legal:ip_upcoming"))
    assert "配送ルート" not in r.text
    r = client.get(reverse("legal:ip_upcoming"), {"days": "90"})
    assert "配送ルート" in r.text
    client = as_member(org.accounting)
    r = client.get(reverse("legal:ip_costs"))
    assert r.status_code == 200 and "特許" in r.text and "1,000" in r.text
    r = client.get(reverse("legal:ip_costs"), {"format": "csv"})
    assert "合計" in r.content.decode("utf-8-sig")
    assert as_member(org.employee).get(reverse("legal:ip_costs")).status_code == 403


def test_who_sees_what(as_member, org, other_company):
    mine = make_right(org, owner_id=org.employee.user_id, title="担当の商標")
    theirs = make_right(org, title="ほかの商標")
    client = as_member(org.employee)
    r = client.get(reverse("legal:ip_list"))
    assert "担当の商標" in r.text and "ほかの商標" not in r.text and "権利を登録" not in r.text
    assert client.get(reverse("legal:ip_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("legal:ip_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("legal:ip_new")).status_code == 403
    assert client.post(reverse("legal:ip_cost", args=[mine.pk]), {}).status_code == 403
    outsider = make_member(other_company, "legal9", ["legal", "admin"])
    client = as_member(outsider)
    assert client.get(reverse("legal:ip_detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("legal:ip_edit", args=[mine.pk])).status_code == 404
    r = client.post(
        reverse("legal:ip_cost", args=[mine.pk]),
        {"kind": "agent", "paid_on": today().isoformat(), "amount": "1"},
    )
    assert r.status_code == 404 and IpCost.objects.count() == 0


def test_edit_keeps_the_renewals(as_member, org):
    right = make_right(org, registered_on=years_ago(11), filed_on=years_ago(12), renewals=1)
    client = as_member(org.legal)
    r = client.get(reverse("legal:ip_edit", args=[right.pk]))
    assert 'name="renewals" value="1"' in r.text and 'name="status"' not in r.text
    assert right.expires_on > today() + timedelta(days=365)
