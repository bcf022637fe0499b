"""社員CSV取込 (people/importing.py and its screen): all rows or none, every bad row reported."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import services
from ennoshita.people.importing import HEADER, RowError, import_employees
from ennoshita.people.models import Employee, Placement

from ..conftest import login, make_department, make_employee
from .helpers import counts, html

IMPORT = reverse("people:employee_import")
HEAD = "社員番号,姓,名,姓(フリガナ),名(フリガナ),生年月日,入社日,雇用形態,部署コード,役職コード,電話番号"


def _csv(*rows: str, head: str = HEAD) -> str:
    return "\r\n".join([head, *rows]) + "\r\n"


GOOD = _csv(
    "E101,山田,太郎,ヤマダ,タロウ,1990-05-01,2024-04-01,正社員,100,P1,03-1234-5678",
    "E102,髙橋,花子,ﾀｶﾊｼ,はなこ,平成2年1月8日,令和6年4月1日,part_time,100,,",
    'E103,"佐藤, 次郎",次郎,サトウ,ジロウ,,2024/10/1,契約社員,110,主任,',
)


@pytest.fixture
def setup(company, hr, department):
    make_department(company, hr, code="110", name="経理課", parent=department)
    services.create_position(company=company, actor=hr.user, membership=hr, code="P1", name="主任")
    return company, hr


def _run(setup, data: bytes, **kw):
    company, hr = setup
    return import_employees(company=company, actor=hr.user, membership=hr, data=data, **kw)


@pytest.mark.parametrize(
    ("encoding", "label"), [("utf-8-sig", "UTF-8 (BOM付き)"), ("utf-8", "UTF-8"), ("cp932", "Shift_JIS")]
)
def test_a_good_file_imports_in_each_encoding(setup, encoding, label):
    company, hr = setup
    result = _run(setup, GOOD.encode(encoding))
    assert result.errors == [] and result.imported == 3 and result.encoding_label == label
    rows = {e.number: e for e in Employee.objects.for_company(company)}
    assert set(rows) == {"E101", "E102", "E103"}
    assert (rows["E102"].family_name, rows["E102"].family_name_kana, rows["E102"].given_name_kana) == (
        "髙橋",
        "タカハシ",
        "ハナコ",
    )
    assert (rows["E102"].birth_date, rows["E102"].hire_date) == (date(1990, 1, 8), date(2024, 4, 1))
    assert rows["E102"].employment_type.code == "part_time"
    assert rows["E103"].family_name == "佐藤, 次郎" and rows["E103"].hire_date == date(2024, 10, 1)
    p = Placement.objects.get(employee=rows["E103"])
    assert (p.department.code, p.position.code, p.reason) == (
        "110",
        "P1",
        "hire",
    )  # position by name works too
    assert rows["E101"].phone == "03-1234-5678"


def test_each_imported_employee_is_audited_with_its_row(setup):
    company, _hr = setup
    _run(setup, GOOD.encode("utf-8-sig"))
    e = Employee.objects.get(number="E102")
    events = AuditEvent.objects.filter(company=company, object_type="people.employee", object_id=str(e.pk))
    assert [(ev.action, ev.changes.get("extra")) for ev in events.order_by("seq")] == [
        ("create", None),
        ("import", {"row": 3}),
    ]


def test_two_bad_rows_import_nothing_and_both_are_reported(setup):
    before = counts()
    data = _csv(
        "E101,山田,太郎,ヤマダ,タロウ,1990-05-01,2024-04-01,正社員,100,,",
        "E102,佐藤,,サトウ,ハナコ,,2024-13-01,正社員,100,,",
        "E103,鈴木,一郎,スズキ,イチロウ,,2024-04-01,正社員,999,,",
        "E104,田中,一郎,タナカ,イチロウ,,2024-04-01,正社員,100,,",
    ).encode("utf-8-sig")
    result = _run(setup, data)
    assert result.imported == 0 and result.rows == []
    assert result.errors == [
        RowError(3, "名", "必須です。"),
        RowError(
            3, "入社日", "「2024-13-01」は日付として読めません(例: 2025-04-01、2025/4/1、令和7年4月1日)。"
        ),
        RowError(4, "部署コード", "部署コード「999」が見つかりません。"),
    ]
    assert counts() == before


def test_the_services_own_rules_are_checked_on_every_row(setup):
    before = counts()
    data = _csv(
        "E101,山田,太郎,Yamada,タロウ,,2024-04-01,正社員,100,,",
        "E102,佐藤,花子,サトウ,ハナコ,2030-01-01,2024-04-01,正社員,100,,12",
        "E103,鈴木,一郎,スズキ,イチロウ,,2024-04-01,正社員,100,,",
    ).encode("utf-8")
    result = _run(setup, data)
    assert result.errors == [
        RowError(2, "姓(フリガナ)", "フリガナはカタカナで入力してください。"),
        RowError(3, "電話番号", "電話番号は0から始まる10桁または11桁で入力してください(例: 03-1234-5678)"),
    ]
    assert counts() == before  # E103 was fine, but it is all or nothing


def test_duplicate_numbers_in_the_file_and_in_the_database(setup, department):
    company, hr = setup
    make_employee(company, hr, department, number="E001")
    before = counts()
    data = _csv(
        "E101,山田,太郎,ヤマダ,タロウ,,2024-04-01,正社員,100,,",
        "ｅ１０１,佐藤,花子,サトウ,ハナコ,,2024-04-01,正社員,100,,",
        "E001,鈴木,一郎,スズキ,イチロウ,,2024-04-01,正社員,100,,",
    ).encode("utf-8")
    result = _run(setup, data)
    assert result.errors == [
        RowError(3, "社員番号", "社員番号「ｅ１０１」が 2 行目と重複しています。"),
        RowError(4, "社員番号", "社員番号「E001」は既に登録されています。"),
    ]
    assert counts() == before


def test_line_numbers_count_quoted_newlines_and_skip_blank_rows(setup):
    data = _csv(
        'E101,山田,太郎,ヤマダ,タロウ,,2024-04-01,正社員,100,,"03-1234-5678"',
        ",,,,,,,,,,",
        '"E102","改行\nあり",花子,サトウ,ハナコ,,2024-04-01,正社員,100,,',
        "E103,鈴木,一郎,スズキ,イチロウ,,令和7年2月30日,正社員,100,,",
    ).encode("utf-8")
    result = _run(setup, data)
    assert result.errors == [
        RowError(
            6, "入社日", "「令和7年2月30日」は日付として読めません(例: 2025-04-01、2025/4/1、令和7年4月1日)。"
        ),
    ]


def test_a_check_run_writes_nothing_and_lists_the_rows(setup):
    before = counts()
    result = _run(setup, GOOD.encode("utf-8"), dry_run=True)
    assert result.ok and result.imported == 0
    assert [(r.line, r.number, r.name, r.employee_id) for r in result.rows] == [
        (2, "E101", "山田 太郎", None),
        (3, "E102", "髙橋 花子", None),
        (4, "E103", "佐藤, 次郎 次郎", None),
    ]
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "ファイルが空です。"),
        (
            "社員番号,姓\nE1,山田\n".encode(),
            "1行目(見出し行): 必須の列がありません: 名、姓(フリガナ)、名(フリガナ)、入社日、雇用形態、部署コード。テンプレートの見出しを使ってください。",
        ),
        (
            _csv(head=HEAD + ",趣味").encode(),
            "1行目(見出し行): 知らない列があります: 趣味。テンプレートの見出しを使ってください。",
        ),
        (HEAD.encode() + b"\n", "取り込む行がありません(見出し行だけのファイルです)。"),
        (
            (HEAD + "\n").encode("utf-8")
            + "E1,山田,太郎,ヤマダ,タロウ,,2024-04-01,正社員,100,,\n".encode("cp932"),
            "UTF-8 の行(1 行目)と Shift_JIS の行(2 行目)が混在しています。一つの文字コードで保存し直してください。",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(setup, data, message):
    before = counts()
    with pytest.raises(ServiceError) as err:
        _run(setup, data)
    assert err.value.field_errors == {"file": [message]}
    assert counts() == before


def test_headers_in_full_width_or_english_keys_are_understood(setup):
    head = "number,family_name,given_name,姓（フリガナ）,名（フリガナ）,hire_date,employment_type,部署コード"
    result = _run(setup, _csv("E101,山田,太郎,ヤマダ,タロウ,2024-04-01,regular,100", head=head).encode())
    assert result.imported == 1


def test_only_hr_may_import(company, employee_member):
    with pytest.raises(PermissionDeniedError):
        import_employees(
            company=company, actor=employee_member.user, membership=employee_member, data=GOOD.encode()
        )


# ---------------------------------------------------------------------------- the screen
def _upload(content: bytes, name: str = "employees.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_screen_imports_a_shift_jis_file(client, setup):
    company, hr = setup
    c = login(client, hr)
    response = c.post(IMPORT, {"file": _upload(GOOD.encode("cp932")), "action": "import"})
    assert response.status_code == 302 and response["Location"] == reverse("people:employee_list")
    assert Employee.objects.for_company(company).count() == 3


def test_import_screen_check_only_then_import(client, setup):
    company, hr = setup
    c = login(client, hr)
    response = c.post(IMPORT, {"file": _upload(GOOD.encode("utf-8-sig")), "action": "check"})
    assert response.status_code == 200
    assert "3 件を取り込めます(文字コード: UTF-8 (BOM付き))" in html(response)
    assert Employee.objects.for_company(company).count() == 0


def test_import_screen_reports_every_bad_row_with_line_and_column(client, setup):
    _company, hr = setup
    c = login(client, hr)
    before = counts()
    data = _csv(
        "E101,山田,太郎,ヤマダ,タロウ,,2024-04-01,正社員,100,,",
        "E102,佐藤,花子,サトウ,ハナコ,,2024-04-01,正社員,999,,",
        "E103,鈴木,一郎,スズキ,イチロウ,,2024-04-01,アルバイト2,100,,",
    ).encode("cp932")
    response = c.post(IMPORT, {"file": _upload(data), "action": "import"})
    assert response.status_code == 400
    body = html(response)
    assert "2 行に誤りが 2 件あります。1件も取り込んでいません。" in body
    assert (
        '<tr data-line="3"><td class="num">3</td><td>部署コード</td><td>部署コード「999」が見つかりません。</td></tr>'
        in body
    )
    assert (
        '<tr data-line="4"><td class="num">4</td><td>雇用形態</td><td>雇用形態「アルバイト2」が見つかりません(コードか名称で指定してください)。</td></tr>'
        in body
    )
    assert counts() == before


def test_import_screen_shows_a_file_problem_on_the_file_field(client, setup):
    _company, hr = setup
    c = login(client, hr)
    response = c.post(IMPORT, {"file": _upload(b"PK\x03\x04\x14\x00binary", "book.xlsx"), "action": "import"})
    assert response.status_code == 400
    assert (
        response.context["form"].errors["file"][0].startswith("Excel ブックなどの CSV ではないファイルです。")
    )
    response = c.post(IMPORT, {"action": "import"})
    assert response.status_code == 400 and response.context["form"].errors["file"] == [
        "このフィールドは必須です。"
    ]


def test_import_screen_is_for_hr(client, employee_member):
    c = login(client, employee_member)
    assert c.get(IMPORT).status_code == 403
    assert c.post(IMPORT, {"file": _upload(GOOD.encode())}).status_code == 403
    assert c.get(reverse("people:employee_import_template")).status_code == 403


@pytest.mark.parametrize(("query", "encoding"), [({}, "utf-8-sig"), ({"encoding": "sjis"}, "cp932")])
def test_template_has_the_header_and_an_example_that_imports(client, setup, query, encoding):
    company, hr = setup
    c = login(client, hr)
    response = c.get(reverse("people:employee_import_template"), query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content
    if encoding == "utf-8-sig":
        assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode(encoding)
    assert text.splitlines()[0] == ",".join(HEADER)
    response = c.post(IMPORT, {"file": _upload(content), "action": "import"})
    assert response.status_code == 302
    assert Employee.objects.for_company(company).get(number="E0001").hire_date == date(2025, 4, 1)
