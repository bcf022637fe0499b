"""Leavers on a real database: the 給与所得者異動届出書 figures (screen, CSV, API), and the leaver's
源泉徴収票 PDF (人事・経理 any leaver, the employee their own, a colleague 404). Payslips are written
by payslip_builders with figures chosen by hand; the 住民税 notice 250,300円 → June 21,500,
July–May 20,800 (jp-rules §3)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.payroll.selectors import leaving as selectors

from ..apiclient import ApiClient
from ..conftest import login, make_employee, make_member
from .factories import make_group, make_resident_tax
from .payslip_builders import make_payslip, make_run

pytestmark = pytest.mark.django_db

SALARY = {"base": 300_000, "commute": 12_000}  # 課税 300,000
PREMIUMS = {"health": 14_775, "pension": 27_450, "employment": 1_560, "income_tax": 4_710}
# the lump the April 2026 pay took (retiring 3/31, 末締め翌月払い: May's installment)
LUMP = {"amount": 20_800, "months": ["2026-05"], "fiscal_year": 2025, "rule": "required"}


@pytest.fixture
def leaver_member(company):
    return make_member(company, "leaver1", ["employee"], last_name="田中", first_name="一郎")


@pytest.fixture
def world(company, hr, department, employee_member, leaver_member):
    """田中 一郎 (L001) retires 2026-03-31 with a notice for 年度 2025; his pays June 2025 – April
    2026 are confirmed, the last one with the lump. 佐藤 (L002) retires 2026-02-28: his last pay took
    only February's installment (the lump did not fit). 鈴木 (L003) retires 2026-03-20 with no
    notice; 高橋 (L004) retires 2026-03-31 but his last pay is not confirmed."""
    company.corporate_number = "7000012050002"
    company.postal_code = "100-0001"
    company.address = "東京都千代田区千代田1-1"
    company.save()
    group = make_group(company)
    actor = hr.user
    tanaka = make_employee(company, hr, department, number="L001", family_name="田中", given_name="一郎",
                           family_name_kana="タナカ", given_name_kana="イチロウ", retire_date=date(2026, 3, 31),
                           postal_code="150-0001", address="東京都渋谷区神宮前1-2-3", birth_date=date(1980, 5, 5),
                           user=leaver_member.user)  # fmt: skip
    sato = make_employee(company, hr, department, number="L002", family_name="佐藤", given_name="次郎",
                         family_name_kana="サトウ", given_name_kana="ジロウ", retire_date=date(2026, 2, 28))  # fmt: skip
    suzuki = make_employee(company, hr, department, number="L003", family_name="鈴木", given_name="三郎",
                           family_name_kana="スズキ", given_name_kana="サブロウ", retire_date=date(2026, 3, 20))  # fmt: skip
    takahashi = make_employee(company, hr, department, number="L004", family_name="高橋", given_name="四郎",
                              family_name_kana="タカハシ", given_name_kana="シロウ", retire_date=date(2026, 3, 31))  # fmt: skip
    make_resident_tax(tanaka, 2025, 250_300, municipality="渋谷区")
    make_resident_tax(sato, 2025, 120_000)  # 10,000 a month
    make_resident_tax(takahashi, 2025, 250_300)
    runs = {}
    for y, m in [(2025, m) for m in range(6, 13)] + [(2026, m) for m in range(1, 5)]:
        runs[(y, m)] = make_run(group, actor, pay_date=date(y, m, 25))
    for (y, m), run in runs.items():
        resident = 21_500 if (y, m) == (2025, 6) else 20_800
        extra = {}
        if (y, m) == (2026, 4):  # the last pay: April's installment + the lump for May
            resident, extra = 41_600, {"resident_tax_lump": LUMP}
        make_payslip(run, tanaka, payments=SALARY, resident_tax=resident, attendance=extra, **PREMIUMS)
    bonus = make_run(group, actor, pay_date=date(2026, 3, 10), kind="bonus", title="決算賞与")
    make_payslip(bonus, tanaka, payments={"bonus": 200_000}, health=9_850, pension=18_300, employment=1_000,
                 income_tax=8_000)  # fmt: skip
    make_payslip(runs[(2026, 3)], sato, payments=SALARY, resident_tax=10_000,
                 attendance={"resident_tax_ordinary": {"amount": 30_000, "months": ["2026-04"], "fiscal_year": 2025,
                                                       "rule": "required", "reason": "short"}}, **PREMIUMS)  # fmt: skip
    make_payslip(runs[(2026, 4)], suzuki, payments=SALARY, **PREMIUMS)
    make_payslip(runs[(2026, 3)], takahashi, payments=SALARY, resident_tax=20_800, **PREMIUMS)
    draft = make_run(make_group(company, code="other", name="別グループ"), actor, pay_date=date(2026, 4, 24),
                     status="draft")  # fmt: skip
    make_payslip(draft, takahashi, payments=SALARY, resident_tax=41_600, **PREMIUMS)
    return {"tanaka": tanaka, "sato": sato, "suzuki": suzuki, "takahashi": takahashi}


def rows_by_number(data):
    return {r.number: r for r in data.rows}


def test_the_transfer_notice_figures_of_each_leaver(world, company, hr, django_assert_num_queries):
    with django_assert_num_queries(3):
        data = selectors.leavers(
            company=company, membership=hr, start=date(2026, 2, 1), end=date(2026, 3, 31)
        )
    assert [r.number for r in data.rows] == ["L002", "L003", "L001", "L004"]  # by 退職日, then number
    assert (data.payer.name, data.payer.corporate_number) == ("株式会社テスト", "7000012050002")
    assert data.payer.address == "東京都千代田区千代田1-1"
    rows = rows_by_number(data)
    t = rows["L001"]
    # 徴収済額: June 21,500 + July–March 9 × 20,800 + April 20,800 = 229,500 (the lump not included)
    # 未徴収税額: 250,300 − 229,500 = 20,800 = the lump taken in April
    assert (t.fiscal_year, t.municipality_name, t.annual, t.collected, t.uncollected) == (
        2025, "渋谷区", 250_300, 229_500, 20_800,
    )  # fmt: skip
    assert t.collected + t.uncollected == t.annual
    assert (t.method, t.method_text, t.lump_amount, t.lump_months) == (
        "lump", "一括徴収(2026年4月)", 20_800, ("2026-05",),
    )  # fmt: skip
    assert t.reason == "1月1日から4月30日までの退職(地方税法321条の5第2項2号)" and t.notes == ()
    assert (t.retire_date, t.reason_of_change, t.address) == (
        date(2026, 3, 31),
        "退職",
        "東京都渋谷区神宮前1-2-3",
    )
    assert t.final_pay_date == date(2026, 4, 25)
    s = rows["L002"]
    assert (s.annual, s.collected, s.uncollected, s.method) == (120_000, 10_000, 110_000, "ordinary")
    assert s.reason == "最終給与が未徴収税額に満たない(一括徴収できない)"
    assert s.collected + s.uncollected == s.annual
    assert (rows["L003"].method, rows["L003"].annual) == ("none", None)
    k = rows["L004"]  # his last pay (the April pay, March's work) is only a draft
    assert (k.method, k.collected, k.uncollected) == ("pending", 20_800, 229_500)


def test_only_staff_read_the_leavers(world, company, employee_member):
    with pytest.raises(PermissionDeniedError):
        selectors.leavers(
            company=company, membership=employee_member, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )


def test_the_leavers_screen_and_its_csv(world, client, hr, employee_member):
    login(client, hr)
    r = client.get("/payroll/leavers/", {"start": "2026-03-01", "end": "2026-03-31", "q": "田中"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "田中 一郎" in text and "鈴木" not in text
    assert "250,300" in text and "229,500" in text and "一括徴収(2026年4月)" in text
    assert f"/payroll/leavers/{world['tanaka'].pk}/withholding-slip/?year=2026" in text
    r = client.get("/payroll/leavers/", {"start": "2026-02-01", "end": "2026-03-31", "format": "csv"})
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("特別徴収義務者,株式会社テスト,法人番号,7000012050002")
    assert lines[1].startswith(
        "社員番号,受給者氏名,フリガナ,生年月日,郵便番号,住所,市区町村コード,市区町村,年度,年税額,徴収済額,未徴収税額,異動年月日,異動事由,徴収方法"
    )
    tanaka = next(x for x in lines if x.startswith("L001,"))
    assert ",2025,250300,229500,20800,2026-03-31,退職,一括徴収(2026年4月),20800,2026-04," in tanaka
    assert client.get("/payroll/leavers/", {"start": "x"}).status_code == 200  # a bad date: a message
    login(client, employee_member)
    assert client.get("/payroll/leavers/").status_code == 403


def test_the_api_lists_leavers_for_staff_only(world, client, hr, employee_member):
    r = ApiClient(client, hr).get("/payroll/leavers", {"start": "2026-03-01", "end": "2026-03-31"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["payer"]["corporate_number"] == "7000012050002"
    t = next(i for i in body["items"] if i["number"] == "L001")
    assert (t["annual"], t["collected"], t["uncollected"], t["method"], t["lump_month"]) == (
        250_300, 229_500, 20_800, "lump", "2026-04-01",
    )  # fmt: skip
    assert (
        ApiClient(client, employee_member)
        .get("/payroll/leavers", {"start": "2026-03-01", "end": "2026-03-31"})
        .status_code
        == 403
    )
    assert (
        ApiClient(client, hr).get("/payroll/leavers", {"start": "bad", "end": "2026-03-31"}).status_code
        == 422
    )


# ------------------------------------------------------------------------------ 源泉徴収票


def test_the_withholding_slip_figures(world, company, hr):
    slip = selectors.withholding_slip(
        company=company, membership=hr, employee_id=world["tanaka"].pk, year=2026
    )
    # paid in 2026: January–April salaries 4 × 300,000 (通勤手当 非課税) + the March bonus 200,000
    assert (slip.salary, slip.bonus, slip.paid) == (1_200_000, 200_000, 1_400_000)
    # 社会保険料等: 4 × (14,775 + 27,450 + 1,560) + (9,850 + 18,300 + 1,000) = 175,140 + 29,150
    assert slip.social_insurance == 204_290
    assert slip.income_tax == 4 * 4_710 + 8_000 == 26_840
    assert slip.final_pay_confirmed and not slip.hired_in_year


def test_the_withholding_slip_pdf_holds_the_name_and_the_amounts(world, client, hr):
    login(client, hr)
    r = client.get(f"/payroll/leavers/{world['tanaka'].pk}/withholding-slip/?year=2026")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    for expected in ("令和8年分 給与所得の源泉徴収票", "田中 一郎", "東京都渋谷区神宮前1-2-3", "1,400,000", "204,290",
                     "26,840", "給料・賞与", "株式会社テスト", "年末調整をしていません"):  # fmt: skip
        assert expected in text, expected
    assert "7000012050002" not in text  # 受給者交付用: no 法人番号


def test_an_employee_gets_their_own_slip_and_404_for_a_colleagues(world, client, company, hr, department,
                                                                   employee_member, leaver_member):  # fmt: skip
    tanaka = world["tanaka"]
    login(client, leaver_member)
    assert client.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip/?year=2026").status_code == 200
    assert (
        client.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip/?year=2025").status_code == 404
    )  # not his 退職 year
    assert client.get(f"/payroll/leavers/{world['sato'].pk}/withholding-slip/?year=2026").status_code == 404
    login(client, employee_member)
    assert client.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip/?year=2026").status_code == 404
    api = ApiClient(client, employee_member)
    assert api.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip/pdf", {"year": 2026}).status_code == 404
    assert api.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip", {"year": 2026}).status_code == 404
    own = ApiClient(client, leaver_member)
    r = own.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip/pdf", {"year": 2026})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert (
        own.get(f"/payroll/leavers/{tanaka.pk}/withholding-slip", {"year": 2026}).json()["paid"] == 1_400_000
    )
    assert selectors.own_slip_years(company=company, membership=leaver_member) == [2026]
    assert selectors.own_slip_years(company=company, membership=employee_member) == []


def test_another_company_sees_nothing(world, client, outsider):
    login(client, outsider)
    assert client.get(f"/payroll/leavers/{world['tanaka'].pk}/withholding-slip/?year=2026").status_code == 404
    r = client.get("/payroll/leavers/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert r.status_code == 200 and "田中" not in r.content.decode()


def test_a_non_leaver_has_no_leavers_slip(world, company, hr, employee_member):
    from ennoshita.people import selectors as people_selectors

    e001 = people_selectors.own_employee_record(company=company, membership=employee_member)
    with pytest.raises(NotFound):
        selectors.withholding_slip(company=company, membership=hr, employee_id=e001.pk, year=2026)


# ------------------------------------------------------------------------------ through a real run


def test_a_run_collects_the_requested_lump_at_the_last_pay(company, hr, department):
    """The run reads the 申出 (PayProfile.resident_tax_lump_sum) and the notice: retiring 9/30,
    当月払い, the September pay takes September's 20,800 and October–May 8 × 20,800 = 166,400."""
    from ennoshita.payroll import posting
    from ennoshita.payroll.models import Payslip
    from ennoshita.payroll.services import runs as run_services

    from .factories import make_grade, make_profile
    from .test_runs import BANK, close, punch_month

    e = make_employee(company, hr, department, number="0001", birth_date=date(1991, 4, 10),
                      retire_date=date(2026, 9, 30), **BANK)  # fmt: skip
    group = make_group(company, code="same", name="当月払い", pay_month_offset=0)
    make_profile(e, hr.user, group, commute_allowance=12_000, dependents=1, resident_tax_lump_sum=True,
                 si_lost_on=date(2026, 10, 1), ei_lost_on=date(2026, 10, 1))  # fmt: skip
    make_grade(e, 300_000, effective_from=date(2025, 9, 1))
    make_resident_tax(e, 2026, 250_300)
    punch_month(company, e, date(2026, 9, 1))
    close(company, hr, date(2026, 9, 1))
    run = run_services.create_run(company=company, actor=hr.user, membership=hr, pay_group=group,
                                  pay_month=date(2026, 9, 1))  # fmt: skip
    p = Payslip.objects.get(run=run)
    assert p.resident_tax == 20_800 + 166_400
    assert sorted((x.name, int(x.amount)) for x in p.lines.filter(code="resident_tax")) == [
        ("住民税", 20_800), ("住民税(一括徴収)", 166_400),
    ]  # fmt: skip
    assert p.inputs["resident_tax_lump"]["months"][0] == "2026-10"
    assert p.inputs["insurance_months"] == ["2026-08", "2026-09"]
    posting.figures_of(p, p.lines.all())  # what confirming checks: the figures add up
