"""The 支払処理 screens, the payment settings screen, the API, and the demo."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.audit import verify_company_chain
from ennoshita.purchasing.models import PaymentItem, PaymentRun, PurchasingSettings

from ..apiclient import ApiClient, field_errors
from ..conftest import login, make_member
from .payments_fixtures import (  # noqa: F401
    REQUESTER,
    YEN,
    balance,
    confirm,
    counts,
    create_run,
    make_bill,
    make_claim,
    make_vendor,
    next_weekend_day,
    pay_fixture,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"purchasing:{name}", args=args)


@pytest.fixture
def accountant_client(client, pay):
    return login(client, pay.accountant)


# ------------------------------------------------------------------------------ screens
def test_the_list_shows_runs_and_downloads_csv(accountant_client, pay):
    make_bill(pay, 1000)
    run = create_run(pay)
    page = accountant_client.get(url("payment_run_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert run.number in body and "¥1,000" in body
    csv = accountant_client.get(url("payment_run_list"), {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "支払番号" in text and run.number in text and "1000" in text


def test_the_list_query_count_does_not_grow_with_runs(accountant_client, pay, django_assert_max_num_queries):
    for _n in range(3):
        create_run(pay, bill_ids=[make_bill(pay, 1000).pk])
    with django_assert_max_num_queries(12) as few:
        accountant_client.get(url("payment_run_list"))
    for _n in range(10):
        create_run(pay, bill_ids=[make_bill(pay, 1000).pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        accountant_client.get(url("payment_run_list"))


def test_new_run_lists_candidates_greys_the_unpayable_and_creates_the_run(accountant_client, pay):
    good = make_bill(pay, 2000)
    bad_vendor = make_vendor(pay, code="V9", name="口座なし", bank_code="", branch_code="", account_number="")
    bad = make_bill(pay, 3000, vendor=bad_vendor)
    claim = make_claim(pay, 500, employee=pay.employee)
    dates = {"due_by": timezone.localdate().isoformat(), "payment_date": pay.day.isoformat()}
    page = accountant_client.get(url("payment_run_new"), dates)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'value="vendor_bill:{good.pk}"' in body and f'value="expense_claim:{claim.pk}"' in body
    assert f'value="vendor_bill:{bad.pk}"' not in body  # not selectable
    assert f'data-candidate="vendor_bill:{bad.pk}" class="muted"' in body and "登録されていません" in body
    assert "選択 2件 合計 ¥2,500" in body

    totals = accountant_client.post(url("payment_run_totals"), {"pick": [f"vendor_bill:{good.pk}"]})
    assert totals.content.decode() == "選択 1件 合計 ¥2,000"

    response = accountant_client.post(
        url("payment_run_new"), {**dates, "pick": [f"vendor_bill:{good.pk}", f"expense_claim:{claim.pk}"]}
    )
    run = PaymentRun.objects.get(company=pay.company)
    assert response.status_code == 302 and response["Location"] == url("payment_run_detail", run.pk)
    assert (run.count, run.total) == (2, YEN(2500))


def test_new_run_with_a_weekend_date_shows_the_error_and_writes_nothing(accountant_client, pay):
    bill = make_bill(pay, 2000)
    before = counts()
    response = accountant_client.post(
        url("payment_run_new"),
        {
            "due_by": timezone.localdate().isoformat(),
            "payment_date": next_weekend_day().isoformat(),
            "pick": [f"vendor_bill:{bill.pk}"],
        },
    )
    assert response.status_code == 400
    assert "休業日" in response.content.decode()
    assert counts() == before


def test_detail_confirm_step_download_and_reverse(accountant_client, pay):
    make_bill(pay, 110000)
    make_claim(pay, 4400, employee=pay.employee)
    run = create_run(pay)
    detail = accountant_client.get(url("payment_run_detail", run.pk))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "三井住友" in body and "神保町" in body and "三菱ＵＦＪ" in body and "本店" in body
    assert "1112223" in body and "¥114,400" in body
    step = accountant_client.get(url("payment_run_confirm", run.pk))
    assert step.status_code == 200
    text = step.content.decode()
    assert "2件 ¥114,400 を確定する" in text
    assert PaymentRun.objects.get(pk=run.pk).status == "draft"  # the step itself writes nothing
    preview = accountant_client.get(url("payment_run_file", run.pk))
    done = accountant_client.post(url("payment_run_confirm", run.pk))
    assert done.status_code == 302
    run.refresh_from_db()
    assert run.status == "confirmed"
    filed = accountant_client.get(url("payment_run_file", run.pk))
    assert filed.status_code == 200 and filed["Content-Type"] == "text/plain; charset=Shift_JIS"
    assert f"sogo_furikomi_{pay.day:%Y%m%d}_{run.number}.txt" in filed["Content-Disposition"]
    assert filed.content == preview.content and filed.content.startswith(b"1210")
    body = accountant_client.get(url("payment_run_detail", run.pk)).content.decode()
    assert reverse("ledger:entry_detail", args=[run.journal_entry_id]) in body
    assert reverse("documents:document", args=[run.file_document_id]) in body
    assert accountant_client.get(url("payment_run_reverse", run.pk)).status_code == 200
    reversed_ = accountant_client.post(url("payment_run_reverse", run.pk), {"reversal_date": ""})
    assert reversed_.status_code == 302
    run.refresh_from_db()
    assert run.status == "cancelled" and balance(pay, "2112") == YEN(-110000)


def test_cancel_and_remove_item_from_the_screen(accountant_client, pay):
    first, second = make_bill(pay, 1000), make_bill(pay, 2000)
    run = create_run(pay)
    item = PaymentItem.objects.get(run=run, vendor_bill=first)
    assert accountant_client.post(url("payment_item_remove", run.pk, item.pk)).status_code == 302
    run.refresh_from_db()
    assert run.count == 1 and run.total == YEN(2000)
    assert accountant_client.post(url("payment_item_remove", run.pk, item.pk)).status_code == 404
    assert accountant_client.post(url("payment_run_cancel", run.pk)).status_code == 302
    assert PaymentRun.objects.get(pk=run.pk).status == "cancelled"
    assert PaymentItem.objects.get(run=run, vendor_bill=second).released


def test_screens_are_for_accounting_and_admin_only(client, pay):
    make_bill(pay, 1000)
    run = create_run(pay)
    login(client, pay.staff)
    for name, args in (
        ("payment_run_list", ()),
        ("payment_run_new", ()),
        ("payment_settings", ()),
        ("payment_run_detail", (run.pk,)),
        ("payment_run_file", (run.pk,)),
    ):
        assert client.get(url(name, *args)).status_code == 403, name
    before = counts()
    assert client.post(url("payment_run_confirm", run.pk)).status_code == 403
    assert counts() == before
    login(client, pay.admin)
    assert client.get(url("payment_run_detail", run.pk)).status_code == 200


def test_another_companys_run_is_a_404(client, pay, outsider):
    make_bill(pay, 1000)
    run = create_run(pay)
    item = PaymentItem.objects.get(run=run)
    login(client, outsider)
    for name, args in (
        ("payment_run_detail", (run.pk,)),
        ("payment_run_confirm", (run.pk,)),
        ("payment_run_reverse", (run.pk,)),
        ("payment_run_file", (run.pk,)),
    ):
        assert client.get(url(name, *args)).status_code == 404, name
    before = counts()
    for name, args in (
        ("payment_run_confirm", (run.pk,)),
        ("payment_run_cancel", (run.pk,)),
        ("payment_item_remove", (run.pk, item.pk)),
    ):
        assert client.post(url(name, *args)).status_code == 404, name
    assert counts() == before


def test_the_settings_screen_checks_what_a_bank_needs(accountant_client, pay):
    page = accountant_client.get(url("payment_settings"))
    assert page.status_code == 200 and "みずほ" in page.content.decode()
    bad = accountant_client.post(
        url("payment_settings"),
        {**REQUESTER, "requester_code": "12345", "requester_name": "縁の下株式会社", "branch_code": "999"},
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "10桁" in body, body
    assert "使えない文字" in body, re.findall(r"class=\"error\"[^<]*", body)
    assert "支店コードがその銀行にありません" in body
    assert PurchasingSettings.objects.get(company=pay.company).requester_code == "1234567890"
    good = accountant_client.post(
        url("payment_settings"),
        {**REQUESTER, "requester_name": "かぶしきがいしゃ　えんのした", "bank_code": "0005"},
    )
    assert good.status_code == 302
    row = PurchasingSettings.objects.get(company=pay.company)
    assert (row.requester_name, row.bank_code) == ("ｶ)ｴﾝﾉｼﾀ", "0005")


# ------------------------------------------------------------------------------ API
def test_the_api_makes_confirms_downloads_and_reverses(client, pay):
    api = ApiClient(client, pay.accountant)
    bill = make_bill(pay, 5000)
    claim = make_claim(pay, 700, employee=pay.employee)
    due_by = timezone.localdate().isoformat()
    found = api.get("/purchasing/payment-candidates", {"due_by": due_by})
    assert found.status_code == 200
    assert {(c["kind"], c["id"], c["payable"]) for c in found.json()} == {
        ("vendor_bill", bill.pk, True),
        ("expense_claim", claim.pk, True),
    }
    created = api.post(
        "/purchasing/payment-runs",
        {"payment_date": pay.day.isoformat(), "due_by": due_by, "bill_ids": [bill.pk]},
    )
    assert created.status_code == 201, created.content
    run = created.json()
    assert run["status"] == "draft" and run["count"] == 1 and run["total"] == 5000
    assert run["items"][0]["bank_name"] == "三井住友" and run["items"][0]["account_holder"] == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
    listed = api.get("/purchasing/payment-runs")
    assert listed.json()["count"] == 1
    confirmed = api.post(f"/purchasing/payment-runs/{run['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["journal_entry_id"] and confirmed.json()["file_document_id"]
    file = api.get(f"/purchasing/payment-runs/{run['id']}/file")
    assert file.status_code == 200 and file.content[:3] == b"121" and len(file.content) == 4 * 122
    again = api.post(f"/purchasing/payment-runs/{run['id']}/confirm")
    assert again.status_code == 400
    reversed_ = api.post(f"/purchasing/payment-runs/{run['id']}/reverse", {})
    assert reversed_.status_code == 200 and reversed_.json()["status"] == "cancelled"
    assert api.get(f"/purchasing/payment-runs/{run['id']}").json()["status"] == "cancelled"


def test_the_api_refuses_bad_input_on_its_field(client, pay):
    api = ApiClient(client, pay.accountant)
    make_bill(pay, 5000)
    before = counts()
    weekend = api.post(
        "/purchasing/payment-runs",
        {"payment_date": next_weekend_day().isoformat(), "due_by": timezone.localdate().isoformat()},
    )
    assert weekend.status_code == 422
    assert "payment_date" in field_errors(weekend)
    unknown = api.post(
        "/purchasing/payment-runs",
        {
            "payment_date": pay.day.isoformat(),
            "due_by": timezone.localdate().isoformat(),
            "bill_ids": [999999],
        },
    )
    assert unknown.status_code == 422 and "bill_ids" in field_errors(unknown)
    extra = api.post(
        "/purchasing/payment-runs",
        {"payment_date": pay.day.isoformat(), "due_by": timezone.localdate().isoformat(), "surprise": 1},
    )
    assert extra.status_code == 422
    assert counts() == before


def test_the_api_is_company_scoped_and_role_checked(client, pay, outsider):
    make_bill(pay, 5000)
    run = create_run(pay)
    foreign, staff = ApiClient(client, outsider), ApiClient(client, pay.staff)
    assert foreign.get(f"/purchasing/payment-runs/{run.pk}").status_code == 404
    assert foreign.get(f"/purchasing/payment-runs/{run.pk}/file").status_code == 404
    before = counts()
    assert foreign.post(f"/purchasing/payment-runs/{run.pk}/confirm").status_code == 404
    assert staff.get("/purchasing/payment-runs").status_code == 403
    assert staff.post(f"/purchasing/payment-runs/{run.pk}/confirm").status_code == 403
    assert counts() == before


def test_the_api_settings(client, pay):
    api = ApiClient(client, pay.accountant)
    got = api.get("/purchasing/payment-settings")
    assert got.status_code == 200 and got.json()["complete"] and got.json()["requester_name"] == "ｶ)ﾃｽﾄ"
    bad = client.put(
        "/api/v1/purchasing/payment-settings",
        data=json.dumps({**REQUESTER, "requester_code": "1"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )
    assert bad.status_code == 422 and "requester_code" in field_errors(bad)


# ------------------------------------------------------------------------------ demo
def test_the_payment_demo_pays_bills_and_claims_in_two_past_runs(pay):
    from ennoshita.purchasing.demo_payments import build_demo_payment_runs

    accounting = make_member(pay.company, "accounting", ["accounting"], last_name="経理", first_name="太郎")
    assert accounting
    make_bill(pay, 1000, due_date=timezone.localdate() - timedelta(days=40))
    make_bill(pay, 2000, due_date=timezone.localdate() - timedelta(days=3))
    make_bill(pay, 3000, due_date=timezone.localdate() + timedelta(days=20))
    claim = make_claim(pay, 700, employee=pay.employee)
    build_demo_payment_runs(pay.company)
    runs = list(PaymentRun.objects.for_company(pay.company).order_by("payment_date"))
    assert [r.status for r in runs] == ["confirmed", "confirmed", "draft"]
    assert all(r.payment_date < timezone.localdate() for r in runs[:2])
    assert [r.total for r in runs] == [YEN(1000), YEN(2700), YEN(3000)]
    claim.refresh_from_db()
    assert claim.paid_at is not None
    assert balance(pay, "2130") == 0
    build_demo_payment_runs(pay.company)  # a second run adds nothing
    assert PaymentRun.objects.for_company(pay.company).count() == 3
    assert verify_company_chain(pay.company.pk) is None


def test_the_payment_demo_with_nothing_to_pay_does_not_fail(pay):
    from ennoshita.purchasing.demo_payments import build_demo_payment_runs

    build_demo_payment_runs(pay.company)
    assert not PaymentRun.objects.for_company(pay.company).exists()


def test_the_whole_demo_builds_with_payment_runs(db):
    from ennoshita.people.management.commands.demo import build_demo

    company = build_demo(employees=5)
    runs = PaymentRun.objects.for_company(company)
    confirmed = runs.filter(status="confirmed")
    assert confirmed.count() >= 1
    assert all(r.journal_entry_id and r.file_document_id for r in confirmed)
    assert PurchasingSettings.objects.get(company=company).bank_code == "0001"
    assert verify_company_chain(company.pk) is None
