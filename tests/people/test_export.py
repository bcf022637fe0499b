"""社員一覧の出力: CSV (UTF-8 with BOM, Shift_JIS) and Excel, with the list's filters."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ennoshita.people import services
from ennoshita.people.exporting import EXPORT_HEADER
from ennoshita.people.importing import import_employees
from ennoshita.people.models import Employee

from ..conftest import login, make_department, make_employee
from .helpers import html

EXPORT = reverse("people:employee_export")


@pytest.fixture
def staff(company, hr, department):
    sales = make_department(company, hr, code="300", name="営業部")
    chief = services.create_position(company=company, actor=hr.user, membership=hr, code="P1", name="部長")
    make_employee(
        company,
        hr,
        department,
        number="A001",
        family_name="髙橋",
        given_name="一郎",
        family_name_kana="タカハシ",
        given_name_kana="イチロウ",
        birth_date=date(1980, 1, 2),
        bank_code="0001",
        bank_branch_code="001",
        bank_account_type="1",
        bank_account_number="1234567",
        gender="male",
    )
    make_employee(
        company,
        hr,
        sales,
        number="B002",
        family_name="佐藤",
        given_name='=HYPERLINK("x")',
        family_name_kana="サトウ",
        given_name_kana="ハナコ",
        position=chief,
    )
    make_employee(
        company,
        hr,
        sales,
        number="C003",
        family_name="鈴木",
        given_name="次郎",
        family_name_kana="スズキ",
        given_name_kana="ジロウ",
        retire_date=date(2021, 3, 31),
    )
    return {"general": department, "sales": sales}


def _csv_rows(content: bytes, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode(encoding), newline="")))


def test_csv_is_utf8_with_bom_and_has_the_filtered_rows(client, hr, staff):
    response = login(client, hr).get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="employees-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(response.content, "utf-8-sig")
    assert [r["社員番号"] for r in rows] == ["A001", "B002"]  # 在籍 only, like the list
    a, b = rows
    assert (
        a["姓"],
        a["生年月日"],
        a["入社日"],
        a["性別"],
        a["部署コード"],
        a["部署名"],
        a["預金種目"],
        a["口座番号"],
    ) == ("髙橋", "1980-01-02", "2020-04-01", "男性", "100", "総務部", "普通", "1234567")
    assert (b["部署コード"], b["役職コード"], b["役職名"], b["雇用形態"]) == ("300", "P1", "部長", "正社員")
    assert b["名"] == '\'=HYPERLINK("x")'  # not run as a formula when opened in Excel


def test_export_takes_the_same_filters_as_the_list(client, hr, staff):
    c = login(client, hr)
    rows = _csv_rows(
        c.get(
            EXPORT, {"format": "csv", "department": staff["sales"].pk, "status": "all", "sort": "-number"}
        ).content,
        "utf-8-sig",
    )
    assert [r["社員番号"] for r in rows] == ["C003", "B002"]
    rows = _csv_rows(c.get(EXPORT, {"format": "csv", "q": "ﾀｶﾊｼ"}).content, "utf-8-sig")
    assert [r["社員番号"] for r in rows] == ["A001"]


def test_shift_jis_csv(client, hr, staff):
    response = login(client, hr).get(EXPORT, {"format": "csv", "encoding": "sjis"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=shift_jis"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(response.content, "cp932")
    assert [r["姓"] for r in rows] == ["髙橋", "佐藤"]  # 髙 (はしご高) is in Windows' Shift_JIS


def test_shift_jis_refuses_characters_it_cannot_hold_and_says_where(client, company, hr, department):
    make_employee(company, hr, department, number="Y001", family_name="𠮷田", given_name="太郎😀")
    c = login(client, hr)
    response = c.get(EXPORT, {"format": "csv", "encoding": "sjis"})
    assert response.status_code == 400
    body = html(response)
    assert "Shift_JIS で表せない文字が 2 か所あります。" in body
    assert '<tr><td class="num">2</td><td>姓</td><td>𠮷田</td><td>𠮷</td></tr>' in body
    assert '<tr><td class="num">2</td><td>名</td><td>太郎😀</td><td>😀</td></tr>' in body
    assert "replace=1" in body and "UTF-8 で出力する" in body
    # UTF-8 keeps them; Shift_JIS with an explicit replace marks them with 〓
    assert _csv_rows(c.get(EXPORT, {"format": "csv"}).content, "utf-8-sig")[0]["姓"] == "𠮷田"
    replaced = c.get(EXPORT, {"format": "csv", "encoding": "sjis", "replace": "1"})
    assert replaced.status_code == 200
    assert [(r["姓"], r["名"]) for r in _csv_rows(replaced.content, "cp932")] == [("〓田", "太郎〓")]


def test_excel_export_opens_and_has_the_rows(client, hr, staff):
    response = login(client, hr).get(EXPORT, {"format": "xlsx", "status": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "社員一覧"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADER
    assert [r[0] for r in rows[1:]] == ["A001", "B002", "C003"]
    header = {name: i for i, name in enumerate(EXPORT_HEADER)}
    a, b, c = rows[1:]
    assert a[header["入社日"]] == datetime(2020, 4, 1) and a[header["姓"]] == "髙橋"
    assert c[header["退職日"]] == datetime(2021, 3, 31)
    assert b[header["名"]] == '=HYPERLINK("x")'
    assert sheet.cell(row=3, column=header["名"] + 1).data_type == "s"  # text, not a formula


def test_export_is_for_hr(client, employee_member):
    c = login(client, employee_member)
    assert c.get(EXPORT, {"format": "csv"}).status_code == 403
    assert c.get(EXPORT, {"format": "xlsx"}).status_code == 403


def test_export_with_a_bad_filter_answers_400(client, hr, staff):
    response = login(client, hr).get(EXPORT, {"format": "csv", "as_of": "nope"})
    assert response.status_code == 400 and "日付を正しく入力してください" in html(response)


@pytest.mark.parametrize("n", [3, 30])
def test_export_query_count_does_not_grow(client, company, hr, department, django_assert_num_queries, n):
    for i in range(n):
        make_employee(company, hr, department, number=f"Q{i:03d}")
    c = login(client, hr)
    # session, user, memberships, department tree (filter form), the rows
    with django_assert_num_queries(5):
        response = c.get(EXPORT, {"format": "xlsx"})
    assert load_workbook(io.BytesIO(response.content)).active.max_row == n + 1


def test_an_exported_file_imports_into_another_company(client, hr, staff, other_company, outsider):
    content = login(client, hr).get(EXPORT, {"format": "csv", "encoding": "sjis"}).content
    make_department(other_company, outsider, code="100", name="総務部")
    make_department(other_company, outsider, code="300", name="営業部")
    services.create_position(
        company=other_company, actor=outsider.user, membership=outsider, code="P1", name="部長"
    )
    result = import_employees(company=other_company, actor=outsider.user, membership=outsider, data=content)
    assert result.errors == [] and result.imported == 2
    copied = Employee.objects.for_company(other_company).get(number="B002")
    assert copied.given_name == '=HYPERLINK("x")' and copied.family_name == "佐藤"
    assert Employee.objects.for_company(other_company).get(number="A001").bank_account_number == "1234567"
