"""賃金台帳 (労基法108条, 労基則54条1項) and the 源泉徴収簿's figures: made from the confirmed payslips
of the pay date's year only; totals equal the sum of the payslips; 課税対象額 = 課税支給額 −
社会保険料等; Excel, CSV and PDF; 人事・経理 only. Figures worked by hand in payslip_builders."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.payroll.models import Payslip
from ennoshita.payroll.selectors import ledgers

from ..conftest import login, make_member
from .payslip_builders import build_scenario
from .test_payslips import pdf_text, text_of

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


def _trimmed(row) -> list:
    """A sheet row without the empty cells openpyxl pads it with up to the widest row."""
    cells = list(row)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _ledger(company, membership, s, year=2026):
    return ledgers.wage_ledger(company=company, membership=membership, employee_id=s.employee.pk, year=year)


def test_columns_are_the_years_confirmed_payments_by_pay_date(company, hr, s):
    ledger = _ledger(company, hr, s)
    # the draft July salary, December 2025 and the colleague's payslip are not in it
    assert [c.payslip_id for c in ledger.columns] == [s.may.pk, s.june.pk, s.bonus.pk]
    assert [c.label for c in ledger.columns] == ["2026年5月分 給与", "2026年6月分 給与", "賞与 夏季賞与"]
    assert ledger.columns[0].period_start == "2026-04-01" and ledger.columns[0].period_end == "2026-04-30"
    assert ledger.gender_label  # 性別 (労基則54条1項1号) is shown
    assert [c.payslip_id for c in _ledger(company, hr, s, 2025).columns] == [s.dec2025.pk]


def test_rows_follow_a_stable_order_and_totals_equal_the_payslips(company, hr, s):
    ledger = _ledger(company, hr, s)
    codes = [r.code for r in ledger.rows]
    assert codes == [
        "days_worked",
        "worked_minutes",
        "overtime_minutes",
        "holiday_minutes",
        "night_minutes",
        "absences",
        "leave_paid_days",
        "base",
        "overtime",
        "commute",
        "bonus",
        "gross",
        "nontaxable",
        "health",
        "child_support",
        "pension",
        "employment",
        "income_tax",
        "resident_tax",
        "item:union",
        "deduction_total",
        "net",
    ]
    for row in ledger.rows:
        assert row.total == sum(row.values), row.code
    # against the payslips themselves
    confirmed = Payslip.objects.filter(pk__in=[s.may.pk, s.june.pk, s.bonus.pk])
    sums = confirmed.aggregate(
        g=Sum("gross"), d=Sum("deduction_total"), n=Sum("net"), t=Sum("income_tax"), h=Sum("health")
    )
    assert ledger.row("gross").total == sums["g"] == 1_147_438  # 335,438 + 312,000 + 500,000
    assert ledger.row("deduction_total").total == sums["d"] == 235_291  # 70,757 + 69,780 + 94,754
    assert ledger.row("net").total == sums["n"] == 912_147  # 264,681 + 242,220 + 405,246
    assert ledger.row("income_tax").total == sums["t"] == 30_554  # 7,080 + 6,220 + 17,254
    assert ledger.row("health").total == sums["h"] == 63_085
    assert ledger.row("health").label == "健康保険料(介護含む)"
    # 労働日数 and 労働時間数 from the salary runs only (the bonus column stays 0)
    assert ledger.row("days_worked").values == [21, 20, 0]
    assert ledger.row("worked_minutes").total == 178 * 60 + 160 * 60
    assert ledger.row("worked_minutes").total_text == "338:00"
    assert ledger.row("item:union").label == "組合費" and ledger.row("item:union").total == 4_000


def test_the_ledger_costs_three_queries(company, hr, s):
    with CaptureQueriesContext(connection) as ctx:
        ledger = _ledger(company, hr, s)
    assert ledger.rows and len(ctx.captured_queries) == 3


def test_only_run_roles_read_ledgers(company, employee_member, s):
    with pytest.raises(PermissionDeniedError):
        _ledger(company, employee_member, s)
    with pytest.raises(PermissionDeniedError):
        ledgers.withholding_book(
            company=company, membership=employee_member, employee_id=s.employee.pk, year=2026
        )


def test_wage_ledger_screen_excel_csv_and_pdf(client, accountant, s):
    login(client, accountant)
    url = reverse("payroll:wage_ledger")
    r = client.get(url)
    assert r.status_code == 200 and "社員と年を選んでください" in r.content.decode()
    r = client.get(url, {"q": "同僚", "year": 2026})
    assert f'value="{s.colleague_employee.pk}"' in r.content.decode()
    assert f'value="{s.employee.pk}"' not in r.content.decode()
    r = client.get(url, {"employee": s.employee.pk, "year": 2026})
    text = text_of(r)
    assert "総支給額 335,438 312,000 500,000 1,147,438" in text
    assert "差引支給額 264,681 242,220 405,246 912,147" in text
    assert "労働時間数 178:00 160:00 0:00 338:00" in text

    r = client.get(url, {"employee": s.employee.pk, "year": 2026, "format": "xlsx"})
    assert r.status_code == 200 and "wage-ledger-E001-2026.xlsx" in r["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["賃金台帳", "2026年"]
    assert rows[2][:6] == ["社員番号", "E001", "氏名", "社員 次郎", "性別", s.employee.get_gender_display()]
    assert rows[3] == ["項目", "2026年5月分 給与", "2026年6月分 給与", "賞与 夏季賞与", "年計"]
    by_label = {row[0]: row[1:] for row in rows[4:]}
    assert by_label["総支給額"] == [335_438, 312_000, 500_000, 1_147_438]
    assert by_label["所得税"] == [7_080, 6_220, 17_254, 30_554]
    assert by_label["労働時間数"] == ["178:00", "160:00", "0:00", "338:00"]
    assert by_label["賃金計算期間"][0] == "2026-04-01〜2026-04-30"

    r = client.get(url, {"employee": s.employee.pk, "year": 2026, "format": "csv"})
    assert r.status_code == 200 and "1147438" in r.content.decode("utf-8-sig")

    r = client.get(url, {"employee": s.employee.pk, "year": 2026, "format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "賃金台帳" in text and "社員 次郎" in text and "性別" in text
    assert "1,147,438" in text and "912,147" in text


def test_ledger_screens_refuse_others_and_hide_other_companies(client, employee_member, outsider, s):
    login(client, employee_member)
    assert client.get(reverse("payroll:wage_ledger"), {"employee": s.employee.pk}).status_code == 403
    assert client.get(reverse("payroll:withholding_book"), {"employee": s.employee.pk}).status_code == 403
    login(client, outsider)
    r = client.get(reverse("payroll:wage_ledger"), {"employee": s.employee.pk, "year": 2026})
    assert r.status_code == 404


def test_withholding_book_arithmetic(company, hr, s):
    book = ledgers.withholding_book(company=company, membership=hr, employee_id=s.employee.pk, year=2026)
    assert [x.payslip_id for x in book.salary] == [s.may.pk, s.june.pk]
    assert [x.payslip_id for x in book.bonus] == [s.bonus.pk]
    may, june = book.salary
    # 社会保険料等 = 17,205 + 345 + 27,450 + 1,677 = 46,677; 323,438 − 46,677 = 276,761
    assert (may.month, may.gross, may.taxable, may.social_insurance) == (5, 335_438, 323_438, 46_677)
    assert may.after_insurance == 276_761 and may.income_tax == 7_080
    assert (may.dependents, may.tax_column) == (0, "甲")
    assert june.after_insurance == 253_440  # 300,000 − 46,560
    assert book.bonus[0].after_insurance == 422_500  # 500,000 − 77,500
    for x in [*book.salary, *book.bonus]:
        assert x.after_insurance == x.taxable - x.social_insurance
    assert book.salary_total.after_insurance == 530_201
    assert book.salary_total.income_tax == 13_300
    assert book.bonus_total.income_tax == 17_254
    assert book.total.income_tax == 30_554 and book.total.social_insurance == Decimal(170_737)


def test_withholding_book_screen_and_excel(client, hr, s):
    login(client, hr)
    url = reverse("payroll:withholding_book")
    r = client.get(url, {"employee": s.employee.pk, "year": 2026})
    assert r.status_code == 200
    text = text_of(r)
    assert "¥276,761" in text and "¥253,440" in text and "¥422,500" in text and "¥30,554" in text
    r = client.get(url, {"employee": s.employee.pk, "year": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["源泉徴収簿", "2026年"]
    header = rows[3]
    assert header[0] == "区分" and header[6] == "社会保険料等控除後の金額" and header[9] == "税額"
    body = rows[4:]
    assert body[0][:2] == ["給与", 5] and body[0][3:8] == [335_438, 323_438, 46_677, 276_761, 0]
    assert body[0][8:] == ["甲", 7_080]
    assert body[2][0] == "給与 計" and body[2][6] == 530_201 and body[2][9] == 13_300
    assert body[3][:2] == ["賞与", 7] and body[3][6] == 422_500
    assert body[-1][0] == "合計" and body[-1][9] == 30_554
