"""賞与 end to end: created from 「給与を計算する」 (種類 賞与), amounts typed on the screen and
imported from a CSV (all or nothing), confirmed (賞与 6130 in the books, 全銀 種別コード 12,
payslips published), the 賞与明細 for its employee only, the 賞与支払届 data, and the API."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.payroll.models import BonusPayment, PayrollRun, Payslip
from ennoshita.payroll.selectors import confirm as confirm_selectors
from ennoshita.payroll.services.confirm import confirm_run

from ..apiclient import ApiClient
from ..conftest import login, make_member
from .bonus_builders import bonus_run, pay, person, salary_paid, slip_of
from .confirm_builders import TRANSFER_SETTINGS
from .factories import make_group, settings_of

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 10)  # a Thursday, inside the books' open year


@pytest.fixture
def people(company, hr, department, employee_member):
    """0001 (35) and 0002 (45); the member E001 (社員 次郎) has a profile too."""
    settings_of(company, **TRANSFER_SETTINGS)
    a = person(company, hr, department, "0001", birth_date=date(1991, 4, 10))
    b = person(company, hr, department, "0002", birth_date=date(1981, 5, 20))
    from .factories import make_profile

    own = Payslip._meta.get_field("employee").related_model.objects.get(number="E001")
    own.birth_date = date(1990, 1, 1)
    own.save()
    make_profile(own, hr.user, make_group(company))
    return a, b, own


def test_new_bonus_from_the_run_screen_then_amounts_then_confirm(client, company, hr, admin, people):
    a, b, own = people
    login(client, hr)
    page = client.get(reverse("payroll:run_new"), {"kind": "bonus"})
    assert page.status_code == 200 and "賞与" in page.content.decode()
    form = {
        "kind": "bonus",
        "pay_group": make_group(company).pk,
        "pay_date": "2026-12-10",
        "title": "2026年冬季賞与",
        "bonus_period_months": "6",
    }
    preview = client.get(reverse("payroll:run_new"), form)
    assert preview.status_code == 200 and 'id="bonus-preview"' in preview.content.decode()
    assert PayrollRun.objects.count() == 0  # the preview writes nothing
    created = client.post(reverse("payroll:run_new"), form)
    run = PayrollRun.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "payroll:bonus_amounts", args=[run.pk]
    )
    assert (run.kind, run.title, run.pay_date) == ("bonus", "2026年冬季賞与", DECEMBER)

    screen = client.get(reverse("payroll:bonus_amounts", args=[run.pk]))
    assert screen.status_code == 200
    html = screen.content.decode()
    assert all(f'name="amount_{n}"' in html for n in ("0001", "0002", "E001"))
    saved = client.post(
        reverse("payroll:bonus_amounts", args=[run.pk]),
        {
            "number": ["0001", "0002", "E001"],
            "amount_0001": "500,500",
            "amount_0002": "800000",
            "amount_E001": "300000",
        },
    )
    assert saved.status_code == 302
    run.refresh_from_db()
    assert run.headcount == 3 and run.gross_total == 1_600_500
    # the run screen: the bonus facts and the way to its amounts
    detail = client.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    assert 'id="to-bonus-amounts"' in detail and "賞与の計算期間" in detail

    # 確定 by the admin: one entry with 賞与 6130, the 全銀 file with 種別コード 12
    run = confirm_run(company=company, actor=admin.user, membership=admin, run=run)
    assert run.status == "confirmed"
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    debits = {
        (line.account.code, int(line.debit))
        for line in JournalLine.objects.filter(entry=entry).select_related("account")
        if line.debit
    }
    assert ("6130", 1_600_500) in debits
    assert not any(code in ("6110", "6120") for code, _ in debits)
    name, data = confirm_selectors.transfer_file(company=company, membership=admin, run=run)
    assert name.startswith("shoyo_20261210")
    assert data[1:3].decode("cp932") == "12"  # header: 種別コード (jp-rules §8)
    assert Payslip.objects.filter(run=run, published_at__isnull=False).count() == 3

    # the 賞与支払届 data
    report = client.get(reverse("payroll:bonus_report", args=[run.pk]))
    assert report.status_code == 200
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("社員番号,氏名,氏名(カナ),生年月日,賞与支払年月日,賞与額(通貨)")
    assert lines[1].split(",")[:2] == ["0001", f"{a.family_name} {a.given_name}"]
    assert lines[1].split(",")[3:11] == [
        "1991-04-10", "2026-12-10", "500500", "0", "500500", "500000", "500000", "500000",
    ]  # fmt: skip
    # confirmed: the amounts can no longer be changed
    again = client.post(
        reverse("payroll:bonus_amounts", args=[run.pk]), {"number": ["0001"], "amount_0001": "1"}
    )
    assert again.status_code == 400
    assert BonusPayment.objects.get(run=run, employee=a).amount == 500_500


def test_the_report_waits_for_confirmation(client, company, hr, people):
    run = pay(company, hr, bonus_run(company, hr, DECEMBER), {"0001": 100_000})
    login(client, hr)
    response = client.get(reverse("payroll:bonus_report", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "payroll:run_detail", args=[run.pk]
    )


def test_a_bad_amount_on_the_screen_writes_nothing(client, company, hr, people):
    run = pay(company, hr, bonus_run(company, hr, DECEMBER), {"0001": 100_000})
    login(client, hr)
    events = AuditEvent.objects.count()
    for amount in ("-5", "abc"):
        response = client.post(
            reverse("payroll:bonus_amounts", args=[run.pk]),
            {"number": ["0001", "0002"], "amount_0001": amount, "amount_0002": "200000"},
        )
        assert response.status_code == 400
        assert 'id="amount-errors"' in response.content.decode()
    assert list(BonusPayment.objects.filter(run=run).values_list("amount", flat=True)) == [100_000]
    assert AuditEvent.objects.count() == events


def _csv(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("bonus.csv", text.encode(encoding), content_type="text/csv")


def test_csv_import_shift_jis_and_all_or_nothing(client, company, hr, people):
    a, b, _own = people
    run = bonus_run(company, hr, DECEMBER)
    login(client, hr)
    url = reverse("payroll:bonus_import", args=[run.pk])
    ok = client.post(url, {"file": _csv('社員番号,金額,備考\n0001,500000,査定A\n0002,"650,000"\n', "cp932")})
    assert ok.status_code == 302
    assert {(p.employee_id, int(p.amount), p.note) for p in BonusPayment.objects.filter(run=run)} == {
        (a.pk, 500_000, "査定A"),
        (b.pk, 650_000, ""),
    }
    # an unknown 社員番号 on line 3 and a negative amount on line 4: nothing written, each by line
    bad = client.post(url, {"file": _csv("0001,1\n0002,2\n9999,3\n0002,-4\n")})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "3行目" in html and "9999" in html and "4行目" in html
    assert slip_of(run, a).gross == 500_000
    assert {int(p.amount) for p in BonusPayment.objects.filter(run=run)} == {500_000, 650_000}


def test_employee_sees_their_own_bonus_payslip_and_not_a_colleagues(client, company, hr, admin, people):
    a, _b, own = people
    run = pay(
        company, hr, bonus_run(company, hr, DECEMBER, title="冬季賞与"), {"0001": 400_000, "E001": 300_000}
    )
    settings_of(company, **TRANSFER_SETTINGS)
    confirm_run(company=company, actor=admin.user, membership=admin, run=run)
    member = own.user.memberships.get(company=company)
    login(client, member)
    mine = client.get(reverse("payroll:my_payslips"), {"year": 2026}).content.decode()
    assert "冬季賞与" in mine and "賞与" in mine
    slip = slip_of(run, own)
    page = client.get(reverse("payroll:payslip_detail", args=[slip.pk]))
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "賞与明細" in html
        and "標準賞与額" in html
        and 'id="bonus-figures"' in html
    )
    assert client.get(reverse("payroll:payslip_pdf", args=[slip.pk])).status_code == 200
    assert client.get(reverse("payroll:payslip_detail", args=[slip_of(run, a).pk])).status_code == 404
    # and the bonus screens are not for an employee
    assert client.get(reverse("payroll:bonus_amounts", args=[run.pk])).status_code == 403


def test_ledgers_show_the_bonus_on_its_own_row(client, company, hr, admin, people):
    a, _b, _own = people
    salary_paid(company, hr, a, date(2026, 11, 25), taxable=300_000, si_total=43_000)
    run = pay(company, hr, bonus_run(company, hr, DECEMBER), {"0001": 500_500})
    confirm_run(company=company, actor=admin.user, membership=admin, run=run)
    login(client, hr)
    book = client.get(reverse("payroll:withholding_book"), {"employee": a.pk, "year": 2026, "format": "csv"})
    rows = [r.split(",") for r in book.content.decode("utf-8-sig").splitlines()]
    bonus_rows = [r for r in rows if r[0] == "賞与"]
    # 算出率 4.084 % (前月 257千円, 甲0人 → 94–260千円): 427,048 × 4.084 % = 17,440
    assert len(bonus_rows) == 1 and bonus_rows[0][-2] == "17440" and bonus_rows[0][-1] == "4.084"
    screen = client.get(
        reverse("payroll:withholding_book"), {"employee": a.pk, "year": 2026}
    ).content.decode()
    assert 'id="book-bonus"' in screen and "算出率" in screen
    ledger = client.get(reverse("payroll:wage_ledger"), {"employee": a.pk, "year": 2026}).content.decode()
    assert "賞与" in ledger


def test_the_api_creates_fills_and_refuses(client, company, hr, people, outsider):
    api = ApiClient(client, hr)
    r = api.post(
        "/payroll/runs",
        {"pay_group_id": make_group(company).pk, "kind": "bonus", "pay_date": "2026-12-10", "title": "冬"},
    )
    assert r.status_code == 201, r.content
    run_id = r.json()["id"]
    assert r.json()["kind"] == "bonus" and r.json()["bonus_period_months"] == 6
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.raw}"}
    url = f"/api/v1/payroll/runs/{run_id}/bonus-amounts"
    body = {
        "items": [
            {"employee_number": "0001", "amount": 500_500},
            {"employee_number": "0002", "amount": 800_000},
        ]
    }
    r = client.put(url, json.dumps(body), content_type="application/json", **headers)
    assert r.status_code == 200, r.content
    got = {i["employee_number"]: i for i in r.json()["items"]}
    assert r.json()["headcount"] == 2 and got["0001"]["amount"] == 500_500 and got["E001"]["amount"] is None
    bad = {"items": [{"employee_number": "0001", "amount": -1}]}
    r = client.put(url, json.dumps(bad), content_type="application/json", **headers)
    assert r.status_code == 400 and r["Content-Type"].startswith("application/problem+json")
    assert api.get(f"/payroll/runs/{run_id}/bonus-amounts").json()["items"][0]["amount"] == 500_500
    r = client.post(url + "/import", {"file": _csv("0001,1\n9999,2\n")}, **headers)
    assert r.status_code == 400
    assert BonusPayment.objects.get(run_id=run_id, employee__number="0001").amount == 500_500
    assert api.get(f"/payroll/runs/{run_id}/bonus-report").status_code == 400  # not confirmed
    # another company's HR: 404
    assert ApiClient(client, outsider).get(f"/payroll/runs/{run_id}/bonus-amounts").status_code == 404
    # an employee: 403, nothing written
    emp = make_member(company, "emp9", ["employee"])
    r = client.put(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiClient(client, emp).raw}",
    )
    assert r.status_code == 403
