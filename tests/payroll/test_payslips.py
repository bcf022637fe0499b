"""給与明細 on the web and as a PDF: an employee opens their own published payslips, never a
colleague's (404, not 403: the id reveals nothing), nor a draft; 人事 and 経理 open anyone's, drafts
marked 「下書き」; another company's id is a 404. Figures worked by hand in payslip_builders."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from ennoshita.payroll.selectors import payslips as selectors

from ..conftest import login, make_member
from .payslip_builders import build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_member(company):
    return make_member(company, "emp2", ["employee"], last_name="同僚", first_name="三郎")


@pytest.fixture
def accountant(company):
    return make_member(company, "acct1", ["accounting"], last_name="経理", first_name="四郎")


@pytest.fixture
def s(company, hr, department, employee_member, colleague_member):
    return build_scenario(company, hr, department, employee_member, colleague_member)


def text_of(response) -> str:
    """The page's text without tags, blanks squeezed."""
    body = re.sub(r"<style.*?</style>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_my_payslips_lists_own_published_ones_newest_first_by_year(client, s, employee_member):
    login(client, employee_member)
    r = client.get(reverse("payroll:my_payslips"))
    assert r.status_code == 200
    ids = [int(x) for x in re.findall(r"/payroll/payslips/(\d+)/\"", r.content.decode())]
    # 2026: the bonus (7/10), June, May — the draft July salary is not there, nor 2025, nor the colleague's
    assert ids == [s.bonus.pk, s.june.pk, s.may.pk]
    assert "¥264,681" in text_of(r)  # May's 差引支給額
    r = client.get(reverse("payroll:my_payslips"), {"year": 2025})
    ids = [int(x) for x in re.findall(r"/payroll/payslips/(\d+)/\"", r.content.decode())]
    assert ids == [s.dec2025.pk]


def test_a_member_without_an_employee_record_sees_an_empty_list(client, s, accountant):
    login(client, accountant)
    r = client.get(reverse("payroll:my_payslips"))
    assert r.status_code == 200
    assert "社員名簿にあなたの記録がない" in r.content.decode()


def test_own_payslip_page_shows_every_section_and_figure(client, s, employee_member):
    login(client, employee_member)
    r = client.get(reverse("payroll:payslip_detail", args=[s.may.pk]))
    assert r.status_code == 200
    text = text_of(r)
    assert "給与明細書" in text and "下書き" not in text
    assert "社員 次郎" in text and "2026-05-25" in text
    assert "2026-04-01 〜 2026-04-30" in text  # 賃金計算期間 (April's attendance)
    # 勤怠: 21日, 178:00, 時間外 10:00, 深夜 1:30
    assert "出勤日数 21日" in text and "労働時間 178:00" in text
    assert "時間外労働 10:00" in text and "深夜労働 1:30" in text
    # 支給 and 総支給額 335,438
    assert "基本給 ¥300,000" in text and "時間外手当 ¥23,438" in text and "通勤手当 ¥12,000" in text
    assert "総支給額 ¥335,438" in text
    # 控除: 健康保険料(介護含む) 17,205 … 控除合計 70,757
    assert "健康保険料(介護含む) ¥17,205" in text
    assert "子ども・子育て支援金 ¥345" in text and "厚生年金保険料 ¥27,450" in text
    assert "雇用保険料 ¥1,677" in text and "所得税 ¥7,080" in text and "住民税 ¥15,000" in text
    assert "組合費 ¥2,000" in text and "控除合計 ¥70,757" in text
    # 差引支給額 264,681 = 214,681 to the main account + 50,000 to the second
    assert "¥264,681" in text
    assert "****567" in text and "****321" in text and "1234567" not in text
    assert "三菱ＵＦＪ 渋谷 普通" in text
    assert "¥214,681" in text and "¥50,000" in text


def test_a_colleagues_payslip_is_a_404(client, s, employee_member):
    login(client, employee_member)
    for name in ("payroll:payslip_detail", "payroll:payslip_pdf"):
        assert client.get(reverse(name, args=[s.colleague.pk])).status_code == 404
        # and a made-up id answers the same
        assert client.get(reverse(name, args=[s.colleague.pk + 1000])).status_code == 404


def test_a_draft_runs_payslip_is_invisible_to_its_employee(client, s, employee_member):
    login(client, employee_member)
    assert client.get(reverse("payroll:payslip_detail", args=[s.draft.pk])).status_code == 404
    assert client.get(reverse("payroll:payslip_pdf", args=[s.draft.pk])).status_code == 404


def test_a_confirmed_but_unpublished_payslip_is_invisible_too(client, s, employee_member):
    s.june.published_at = None
    s.june.save()
    login(client, employee_member)
    assert client.get(reverse("payroll:payslip_detail", args=[s.june.pk])).status_code == 404


@pytest.mark.parametrize("who", ["hr", "accountant", "admin"])
def test_hr_and_accounting_see_anyones_payslip_and_drafts_marked(client, s, who, request):
    login(client, request.getfixturevalue(who))
    r = client.get(reverse("payroll:payslip_detail", args=[s.colleague.pk]))
    assert r.status_code == 200
    assert "同僚 三郎" in text_of(r) and "¥12,345" in text_of(r)
    r = client.get(reverse("payroll:payslip_detail", args=[s.draft.pk]))
    assert r.status_code == 200
    assert 'id="draft-badge"' in r.content.decode() and "下書き" in text_of(r)
    r = client.get(reverse("payroll:payslip_pdf", args=[s.draft.pk]))
    assert r.status_code == 200 and "(下書き)" in pdf_text(r.content)


def test_another_companys_payslip_is_a_404(client, s, outsider):
    login(client, outsider)
    assert client.get(reverse("payroll:payslip_detail", args=[s.may.pk])).status_code == 404
    assert client.get(reverse("payroll:payslip_pdf", args=[s.may.pk])).status_code == 404


def test_the_pdf_holds_name_net_and_income_tax(client, s, employee_member):
    login(client, employee_member)
    r = client.get(reverse("payroll:payslip_pdf", args=[s.may.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    text = pdf_text(r.content)
    assert "社員 次郎" in text
    assert "差引支給額" in text and "264,681" in text
    assert "所得税" in text and "7,080" in text
    assert "健康保険料(介護含む)" in text and "17,205" in text
    assert "****567" in text and "1234567" not in text
    assert "(下書き)" not in text


def test_a_bonus_payslip_is_a_bonus_statement_without_attendance(client, s, employee_member):
    login(client, employee_member)
    r = client.get(reverse("payroll:payslip_detail", args=[s.bonus.pk]))
    text = text_of(r)
    assert "賞与明細書" in text and 'id="attendance"' not in r.content.decode()
    assert "総支給額 ¥500,000" in text and "所得税 ¥17,254" in text and "¥405,246" in text


def test_the_sheet_lays_out_legal_deductions_in_order_and_zero_ones_too(s):
    sheet = selectors.payslip_sheet(s.colleague)
    codes = [c.code for c in sheet.deductions]
    assert codes == ["health", "child_support", "pension", "employment", "income_tax", "resident_tax"]
    assert [c.amount for c in sheet.deductions][2] == 37_515
    assert sheet.deductions[0].label == "健康保険料"  # no 介護 for him


def test_payslip_page_costs_the_same_few_queries(client, s, employee_member, hr):
    login(client, employee_member)
    url = reverse("payroll:payslip_detail", args=[s.may.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    payroll_queries = [q["sql"] for q in ctx.captured_queries if "payroll_" in q["sql"]]
    # the payslip with its run and group, then its lines
    assert len(payroll_queries) == 2, payroll_queries
    assert len(ctx.captured_queries) <= 8, [q["sql"] for q in ctx.captured_queries]


def test_my_year_costs_three_queries_whatever_the_count(company, s, employee_member):
    with CaptureQueriesContext(connection) as ctx:
        mine = selectors.my_payslips(company=company, membership=employee_member, year=2026)
        [p.run.pay_date for p in mine.payslips]
    assert len(ctx.captured_queries) == 3


def test_late_and_early_minutes_are_shown_when_they_were_deducted(client, s, employee_member):
    """A 欠勤控除 with no day absent comes from 遅刻・早退: the 勤怠 block says how many minutes."""
    from ennoshita.payroll.models import Payslip

    Payslip.objects.filter(pk=s.may.pk).update(inputs={**s.may.inputs, "late_early_minutes": 46})
    login(client, employee_member)
    text = text_of(client.get(reverse("payroll:payslip_detail", args=[s.may.pk])))
    assert "遅刻・早退 0:46" in text
    Payslip.objects.filter(pk=s.may.pk).update(inputs={**s.may.inputs, "late_early_minutes": 0})
    assert "遅刻・早退" not in text_of(client.get(reverse("payroll:payslip_detail", args=[s.may.pk])))
