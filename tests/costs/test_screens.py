"""The /costs/ screens: who sees what, the SVG charts and their tables, the downloads, the settings."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.costs.models import IndirectCostSettings

from ..conftest import login, make_member

pytestmark = pytest.mark.django_db

URL = reverse("costs:dashboard")
DRILL = reverse("costs:drilldown")


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_accounting_sees_the_dashboard_with_charts_tables_and_flags(client, org):
    login(client, org.accountant)
    r = client.get(URL, {"month": "2026-11"})
    assert r.status_code == 200
    html = r.content.decode()
    # the stacked chart: a titled, linked segment per category and month
    assert html.count('<svg class="chart"') == 2
    assert "<title>2026年11月 通信費 ¥13,500</title>" in html
    assert "<title>2026年9月 旅費交通費 -¥3,000</title>" in html  # a credit month: below the axis
    assert 'href="/costs/drilldown/?month=2026-11&amp;account=6270"' in html
    assert "(万円)" in html  # the axis reaches 10万円
    # the table under it holds the same numbers
    row = re.search(r'<tr data-account="6270" class="flagged">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "¥13,500" in row.group(1) and "¥43,500" in row.group(1)
    assert "+¥3,500" in row.group(1) and "+35.0%" in row.group(1) and "+12.5%" in row.group(1)
    assert "通信費が直近3か月平均より35%増えています" in html
    # departments: bars linked to the department's lines, per head in the table
    assert f'href="/costs/drilldown/?month=2026-11&amp;department={org.sales.pk}"' in html
    dept = re.search(rf'<tr data-department="{org.sales.pk}">(.*?)</tr>', html, re.S)
    assert dept is not None and "¥18,500" in dept.group(1) and "¥6,167" in dept.group(1)
    assert "<title>営業部 ¥18,500</title>" in html
    assert "大家不動産" in html and "¥36,850" in html  # top payees, 税込 (of the month)
    assert 'data-payees="12"' in html
    year = client.get(reverse("costs:dashboard"), {"month": "2026-11", "payees": "12"}).content.decode()
    assert 'data-payees="1"' in year and "大家不動産" in year
    assert "¥24,583" in html  # per head of the company
    assert reverse("costs:settings") in html


def test_a_department_head_sees_his_department_only(client, org):
    login(client, org.manager)
    r = client.get(URL, {"month": "2026-11"})
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-department="{org.sales.pk}"' in html
    assert f'data-department="{org.affairs.pk}"' not in html and "総務部" not in html
    assert "大家不動産" not in html and "部門なし" not in html
    assert reverse("costs:settings") not in html
    assert client.get(URL, {"month": "2026-11", "department": org.back.pk}).status_code == 400  # not a choice
    assert (
        client.get(DRILL, {"month": "2026-11", "account": "6310", "department": org.back.pk}).status_code
        == 400
    )


def test_staff_get_403_everywhere(client, org):
    login(client, org.applicant)
    assert client.get(URL).status_code == 403
    assert client.get(DRILL, {"month": "2026-11", "account": "6270"}).status_code == 403
    assert client.get(reverse("costs:settings")).status_code == 403


def test_another_company_never_sees_our_figures(client, org, outsider):
    login(client, outsider)
    r = client.get(URL, {"month": "2026-11"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "¥13,500" not in html and "大家不動産" not in html and "ABCモバイル" not in html
    r = client.get(DRILL, {"month": "2026-11", "account": "6270"})
    assert r.status_code == 200 and "ABCモバイル" not in r.content.decode()


def test_a_bad_month_is_a_400_with_the_message_and_the_current_month(client, org):
    login(client, org.accountant)
    r = client.get(URL, {"month": "2026-13"})
    assert r.status_code == 400
    assert "月は YYYY-MM の形式で入力してください。" in r.content.decode()


def test_the_category_by_month_table_downloads_as_csv_and_excel(client, org):
    login(client, org.accountant)
    rows = _csv(client.get(URL, {"month": "2026-11", "format": "csv"}))
    assert rows[0][:3] == ["科目コード", "勘定科目", "2025-12"] and rows[0][13] == "2026-11"
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["6270"][2:] == ["0"] * 8 + [
        "10000",
        "10000",
        "10000",
        "13500",
        "43500",
        "3500",
        "35.0",
        "1500",
        "12.5",
    ]
    assert by_code["6310"][-2:] == ["9000", ""]  # no base a year before: no percent
    assert rows[-1][1] == "合計" and rows[-1][13:15] == ["147500", "504500"]
    r = client.get(URL, {"month": "2026-11", "format": "xlsx", "department": org.sales.pk})
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert int(values["6270"][13]) == 13500 and int(values["6310"][13]) == 0


def test_the_drilldown_screen_lists_the_lines_and_links_to_the_claim(client, org):
    login(client, org.accountant)
    r = client.get(DRILL, {"month": "2026-11", "account": "6270", "department": org.sales.pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<tr data-line=") == 1
    assert reverse("expenses:claim_detail", args=[org.claim.pk]) in html
    assert "ABCモバイル 携帯電話料金" in html and "¥13,500" in html
    rows = _csv(client.get(DRILL, {"month": "2026-11", "account": "6310", "format": "csv"}))
    assert rows[0][:2] == ["日付", "伝票番号"]
    assert [(r[0], r[4], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("2026-11-05", "経理部", "6000", "0", "6000"),
        ("2026-11-12", "経理部", "0", "1000", "-1000"),
        ("2026-11-15", "", "4000", "0", "4000"),
    ]
    # an account that is not an indirect one is not a choice
    r = client.get(DRILL, {"month": "2026-11", "account": "6250"})
    assert r.status_code == 400 and "会議費" not in r.content.decode()


def test_settings_change_the_accounts_and_threshold_with_an_audit_event(client, org):
    login(client, org.accountant)
    url = reverse("costs:settings")
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="6270"' in html and 'value="6250"' in html and 'value="1110"' not in html
    r = client.post(url, {"account_codes": ["6270", "6250"], "rise_threshold_percent": "30"})
    assert r.status_code == 302
    row = IndirectCostSettings.objects.get(company=org.company)
    assert (row.account_codes, row.rise_threshold_percent) == (["6250", "6270"], 30)
    event = AuditEvent.objects.filter(company=org.company, object_type="costs.indirectcostsettings").get()
    assert event.changes["fields"]["rise_threshold_percent"] == [20, 30]
    assert event.changes["fields"]["account_codes"][1] == ["6250", "6270"]
    assert event.actor_id == org.accountant.user_id
    r = client.get(URL, {"month": "2026-11"})
    assert "<title>2026年11月 会議費 ¥50,000</title>" in r.content.decode()
    assert "通信費が直近3か月平均より35%増えています" in r.content.decode()


def test_bad_settings_are_refused_on_their_field_and_nothing_is_written(client, org):
    login(client, org.accountant)
    url = reverse("costs:settings")
    r = client.post(url, {"account_codes": ["1110"], "rise_threshold_percent": "-1"})
    assert r.status_code == 400
    assert not IndirectCostSettings.objects.filter(company=org.company).exists()
    r = client.post(url, {"account_codes": [], "rise_threshold_percent": "20"})
    assert r.status_code == 400
    assert "間接経費とする勘定科目を1つ以上選んでください。" in r.content.decode()
    assert not AuditEvent.objects.filter(
        company=org.company, object_type="costs.indirectcostsettings"
    ).exists()


def test_only_accounting_and_admins_change_the_settings(client, org):
    login(client, org.manager)
    assert (
        client.post(
            reverse("costs:settings"), {"account_codes": ["6270"], "rise_threshold_percent": "5"}
        ).status_code
        == 403
    )
    admin = make_member(org.company, "kanri", ["admin"])
    login(client, admin)
    assert client.get(reverse("costs:settings")).status_code == 200
    assert client.get(URL).status_code == 200
