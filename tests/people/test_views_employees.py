"""社員一覧・社員詳細・登録・編集・異動・退職・削除の画面 (people/views.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.people import services
from ennoshita.people.models import Employee, EmploymentType, Placement

from ..conftest import login, make_department, make_employee, make_member
from .helpers import counts, employee_numbers, html

LIST = reverse("people:employee_list")


def _et(company, code):
    return EmploymentType.objects.for_company(company).get(code=code)


@pytest.fixture
def staff(company, hr, department):
    """A small company: 総務部 (100) with 経理課 (110) under it, and 営業部 (300)."""
    sub = make_department(company, hr, code="110", name="経理課", parent=department)
    sales = make_department(company, hr, code="300", name="営業部")
    people = {
        "a": make_employee(
            company,
            hr,
            department,
            number="A001",
            family_name="青木",
            given_name="一郎",
            family_name_kana="アオキ",
            given_name_kana="イチロウ",
            hire_date=date(2019, 4, 1),
            bank_account_number="1234567",
            emergency_contact_phone="090-1111-2222",
        ),
        "b": make_employee(
            company,
            hr,
            sub,
            number="B002",
            family_name="佐藤",
            given_name="花子",
            family_name_kana="サトウ",
            given_name_kana="ハナコ",
            hire_date=date(2021, 4, 1),
            employment_type=_et(company, "part_time"),
        ),
        "c": make_employee(
            company,
            hr,
            sales,
            number="C003",
            family_name="鈴木",
            given_name="次郎",
            family_name_kana="スズキ",
            given_name_kana="ジロウ",
            hire_date=date(2015, 4, 1),
            retire_date=date(2022, 3, 31),
        ),
        "d": make_employee(
            company,
            hr,
            sales,
            number="D004",
            family_name="高橋",
            given_name="三郎",
            family_name_kana="タカハシ",
            given_name_kana="サブロウ",
            hire_date=timezone.localdate() + timedelta(days=30),
        ),
    }
    return {"general": department, "sub": sub, "sales": sales, **people}


# ---------------------------------------------------------------------------- permission
def test_list_is_for_hr_and_admin_only(client, company, hr, admin, employee_member):
    assert login(client, employee_member).get(LIST).status_code == 403
    assert login(client, hr).get(LIST).status_code == 200
    assert login(client, admin).get(LIST).status_code == 200


def test_list_asks_anonymous_visitors_to_sign_in(client, company):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_employee_sees_own_record_but_not_a_colleague(client, company, hr, department, employee_member):
    colleague = make_employee(company, hr, department, number="X001")
    own = Employee.objects.get(user=employee_member.user)
    c = login(client, employee_member)
    response = c.get(reverse("people:employee_detail", args=[own.pk]))
    assert response.status_code == 200
    assert 'id="bank-account"' in html(response)  # the person sees their own pay account
    assert 'data-tab="history"' not in html(response)  # the audit trail is for hr
    assert c.get(reverse("people:employee_detail", args=[colleague.pk])).status_code == 404


def test_my_record_redirects_to_own_record_or_shows_empty_state(client, company, admin, employee_member):
    own = Employee.objects.get(user=employee_member.user)
    response = login(client, employee_member).get(reverse("people:my_record"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:employee_detail", args=[own.pk]
    )
    response = login(client, admin).get(reverse("people:my_record"))
    assert response.status_code == 200
    assert "このログインに紐付いた社員情報はまだありません" in html(response)


def test_employee_gets_403_on_every_hr_screen_and_nothing_is_written(
    client, company, hr, department, employee_member
):
    own = Employee.objects.get(user=employee_member.user)
    c = login(client, employee_member)
    before = counts()
    for name, args in [
        ("people:employee_create", []),
        ("people:employee_edit", [own.pk]),
        ("people:employee_transfer", [own.pk]),
        ("people:employee_retire", [own.pk]),
        ("people:employee_delete", [own.pk]),
        ("people:employee_export", []),
        ("people:employee_import", []),
        ("people:org_chart", []),
        ("people:department_list", []),
        ("people:department_create", []),
        ("people:position_list", []),
        ("people:position_create", []),
    ]:
        response = c.post(reverse(name, args=args), {"number": "Z9", "retire_date": "2030-01-01"})
        assert response.status_code == 403, name
    assert counts() == before


def test_outsider_gets_404_on_every_detail_url_and_nothing_is_written(
    client, company, hr, department, outsider
):
    e = make_employee(company, hr, department, number="E100")
    position = services.create_position(company=company, actor=hr.user, membership=hr, code="P1", name="課長")
    sales = make_department(company, hr, code="300", name="営業部")
    placement = services.transfer_employee(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=e,
        department=sales,
        position=None,
        effective_from=timezone.localdate() + timedelta(days=10),
    )
    c = login(client, outsider)
    before = counts()
    urls = [
        reverse("people:employee_detail", args=[e.pk]),
        reverse("people:employee_edit", args=[e.pk]),
        reverse("people:employee_transfer", args=[e.pk]),
        reverse("people:employee_retire", args=[e.pk]),
        reverse("people:employee_delete", args=[e.pk]),
        reverse("people:placement_cancel", args=[e.pk, placement.pk]),
        reverse("people:department_edit", args=[department.pk]),
        reverse("people:department_delete", args=[department.pk]),
        reverse("people:position_edit", args=[position.pk]),
    ]
    post_data = {
        "number": "HACK",
        "family_name": "x",
        "retire_date": "2030-01-01",
        "code": "X",
        "name": "x",
        "department": str(sales.pk),
        "effective_from": "2031-01-01",
        "reason": "transfer",
        "rank": "1",
        "sort_order": "0",
    }
    for url in urls:
        assert c.get(url).status_code in (404, 405), url
        assert c.post(url, post_data).status_code == 404, url
    assert counts() == before
    assert Employee.objects.get(pk=e.pk).number == "E100"
    # and the outsider's own lists do not show this company's people
    assert "E100" not in html(c.get(LIST))


# ---------------------------------------------------------------------------- list
def test_list_shows_people_in_service_today_by_default(client, hr, staff):
    response = login(client, hr).get(LIST)
    assert response.status_code == 200
    assert employee_numbers(response) == ["A001", "B002"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", ["A001", "B002"]),
        ("retired", ["C003"]),
        ("future", ["D004"]),
        ("all", ["A001", "B002", "C003", "D004"]),
    ],
)
def test_list_filters_by_status(client, hr, staff, status, expected):
    assert employee_numbers(login(client, hr).get(LIST, {"status": status})) == expected


def test_list_status_is_taken_as_of_the_chosen_date(client, hr, staff):
    response = login(client, hr).get(LIST, {"as_of": "2020-04-01"})
    assert employee_numbers(response) == ["A001", "C003"]  # 佐藤 joined in 2021, 鈴木 had not left yet


def test_list_department_filter_includes_sub_departments(client, hr, staff):
    c = login(client, hr)
    assert employee_numbers(c.get(LIST, {"department": staff["general"].pk})) == ["A001", "B002"]
    assert employee_numbers(c.get(LIST, {"department": staff["sub"].pk})) == ["B002"]
    # 高橋 joins 営業部 next month: as of today he is placed nowhere yet, as of his hire date he is there
    assert employee_numbers(c.get(LIST, {"department": staff["sales"].pk, "status": "all"})) == ["C003"]
    hired = staff["d"].hire_date.isoformat()
    assert employee_numbers(
        c.get(LIST, {"department": staff["sales"].pk, "status": "all", "as_of": hired})
    ) == ["C003", "D004"]


def test_list_filters_by_employment_type(client, company, hr, staff):
    response = login(client, hr).get(LIST, {"employment_type": _et(company, "part_time").pk})
    assert employee_numbers(response) == ["B002"]


def test_list_incomplete_shows_records_missing_bank_or_emergency_contact(client, hr, staff):
    assert employee_numbers(login(client, hr).get(LIST, {"incomplete": "1"})) == ["B002"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ｻﾄｳ", ["B002"]),
        ("さとう", ["B002"]),
        ("サトウ ハナコ", ["B002"]),
        ("青木", ["A001"]),
        ("a001", ["A001"]),
        ("ロウ", ["A001"]),
        ("ﾊﾅ", ["B002"]),
    ],
)
def test_list_search_matches_name_kana_and_number_in_any_width(client, hr, staff, q, expected):
    assert employee_numbers(login(client, hr).get(LIST, {"q": q})) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("number", ["A001", "B002", "C003", "D004"]),
        ("-number", ["D004", "C003", "B002", "A001"]),
        ("kana", ["A001", "B002", "C003", "D004"]),
        ("-kana", ["D004", "C003", "B002", "A001"]),
        ("-hire_date", ["D004", "B002", "A001", "C003"]),
        ("hire_date", ["C003", "A001", "B002", "D004"]),
    ],
)
def test_list_sorts_by_column(client, hr, staff, sort, expected):
    assert employee_numbers(login(client, hr).get(LIST, {"status": "all", "sort": sort})) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("department", ["B002", "A001", "C003"]), ("-department", ["C003", "A001", "B002"])],
)
def test_list_sorts_by_the_department_of_the_chosen_date(client, company, hr, staff, sort, expected):
    services.transfer_employee(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=staff["a"],
        department=staff["sales"],
        position=None,
        effective_from=date(2020, 1, 1),
    )
    # as of 2021-05-01: 青木 in 営業部 (300), 佐藤 in 経理課 (110), 鈴木 in 営業部 (300, not yet retired)
    response = login(client, hr).get(LIST, {"as_of": "2021-05-01", "sort": sort})
    assert employee_numbers(response) == expected


def test_sort_links_keep_the_filters_and_toggle_direction(client, hr, staff):
    body = html(login(client, hr).get(LIST, {"status": "all", "sort": "number", "page": "1"}))
    assert '<a href="?status=all&amp;sort=-number">社員番号 ▲</a>' in body


def test_list_reports_a_bad_date_on_its_field(client, hr, staff):
    response = login(client, hr).get(LIST, {"as_of": "2025-13-45", "q": "佐藤"})
    assert response.status_code == 400
    assert "日付を正しく入力してください" in html(response)
    assert employee_numbers(response) == ["B002"]  # the filters that are valid still apply


def test_list_paginates_fifty_a_page(client, company, hr, department):
    for i in range(55):
        make_employee(company, hr, department, number=f"N{i:03d}")
    c = login(client, hr)
    first, second = c.get(LIST), c.get(LIST, {"page": 2})
    assert len(employee_numbers(first)) == 50 and employee_numbers(first)[0] == "N000"
    assert employee_numbers(second) == [f"N{i:03d}" for i in range(50, 55)]
    assert "2 / 2 ページ（全55件）" in html(second)


@pytest.mark.parametrize("n", [5, 50])
def test_list_query_count_does_not_grow_with_employees(
    client, company, hr, department, django_assert_num_queries, n
):
    sales = make_department(company, hr, code="300", name="営業部")
    for i in range(n):
        make_employee(company, hr, department if i % 2 else sales, number=f"Q{i:03d}")
    c = login(client, hr)
    # session, user, memberships, department tree (filter), sub-department ids, count, page, employment types
    with django_assert_num_queries(8):
        response = c.get(LIST, {"q": "ヤマダ", "department": department.pk, "sort": "-department"})
    assert len(employee_numbers(response)) == n // 2


# ---------------------------------------------------------------------------- detail
def test_detail_shows_dates_in_wareki_and_the_bank_account_to_hr(client, company, hr, department):
    e = make_employee(
        company,
        hr,
        department,
        number="W001",
        birth_date=date(1989, 1, 8),
        hire_date=date(2019, 5, 1),
        bank_code="0001",
        bank_branch_code="123",
        bank_account_type="1",
        bank_account_number="7654321",
    )
    body = html(login(client, hr).get(reverse("people:employee_detail", args=[e.pk])))
    assert "平成元年1月8日" in body and "令和元年5月1日" in body
    assert "7654321" in body and 'id="bank-account"' in body


def test_history_tab_shows_field_before_and_after(client, company, hr, department):
    e = make_employee(company, hr, department, number="H001", address="東京都千代田区1-1")
    c = login(client, hr)
    data = _form_data(c, e)
    data["address"] = "大阪府大阪市北区2-2"
    assert c.post(reverse("people:employee_edit", args=[e.pk]), data).status_code == 302
    body = html(c.get(reverse("people:employee_detail", args=[e.pk])))
    history = body[body.index('data-panel="history"') :]
    assert (
        '<td>住所</td><td class="before">東京都千代田区1-1</td><td class="after">大阪府大阪市北区2-2</td>'
        in history
    )
    # the hire placement's event is part of the employee's history too
    assert "<td>所属</td>" in history and "100 総務部" in history


def _form_data(c, e) -> dict[str, str]:
    """What the edit form would post back unchanged."""
    response = c.get(reverse("people:employee_edit", args=[e.pk]))
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = "" if value is None else str(value)
    return data


# ---------------------------------------------------------------------------- create / edit
def _create_data(company, dept, **kw) -> dict[str, str]:
    data = {
        "number": "N100",
        "family_name": "田中",
        "given_name": "一郎",
        "family_name_kana": "たなか",
        "given_name_kana": "ｲﾁﾛｳ",
        "hire_date": "2024-04-01",
        "gender": "male",
        "employment_type": str(_et(company, "regular").pk),
        "department": str(dept.pk),
        "position": "",
        "bank_account_type": "",
    }
    data.update(kw)
    return data


def test_create_employee_with_first_placement(client, company, hr, department):
    position = services.create_position(company=company, actor=hr.user, membership=hr, code="P1", name="主任")
    c = login(client, hr)
    response = c.post(
        reverse("people:employee_create"),
        _create_data(company, department, position=str(position.pk), birth_date="平成2年5月1日"),
    )
    e = Employee.objects.get(company=company, number="N100")
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:employee_detail", args=[e.pk]
    )
    assert (e.family_name_kana, e.given_name_kana, e.birth_date) == ("タナカ", "イチロウ", date(1990, 5, 1))
    p = Placement.objects.get(employee=e)
    assert (p.department, p.position, p.effective_from, p.reason) == (
        department,
        position,
        date(2024, 4, 1),
        "hire",
    )


def test_create_with_bad_input_answers_400_with_each_error_on_its_field(client, company, hr, department):
    c = login(client, hr)
    before = counts()
    response = c.post(
        reverse("people:employee_create"),
        _create_data(
            company,
            department,
            family_name="",
            hire_date="2024-02-30",
            email="not-an-email",
            department="",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["family_name"] == ["このフィールドは必須です。"]
    assert errors["hire_date"] == ["日付を正しく入力してください(例: 2025-04-01、令和7年4月1日)。"]
    assert errors["email"] == ["有効なメールアドレスを入力してください。"]
    assert errors["department"] == ["このフィールドは必須です。"]
    assert counts() == before


def test_create_shows_the_services_errors_on_their_fields(client, company, hr, department):
    make_employee(company, hr, department, number="N100")
    c = login(client, hr)
    before = counts()
    response = c.post(
        reverse("people:employee_create"),
        _create_data(
            company,
            department,
            family_name_kana="Tanaka",
            postal_code="12-34",
            birth_date="2030-01-01",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["family_name_kana"] == ["フリガナはカタカナで入力してください。"]
    assert errors["postal_code"] == ["郵便番号は7桁の数字で入力してください(例: 100-0001)"]
    body = html(response)
    assert "フリガナはカタカナで入力してください。" in body
    assert counts() == before
    response = c.post(reverse("people:employee_create"), _create_data(company, department))  # number taken
    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["この社員番号は既に使われています。"]
    assert counts() == before


def test_edit_with_bad_input_writes_nothing(client, company, hr, department):
    e = make_employee(company, hr, department, number="E1", phone="03-1234-5678")
    c = login(client, hr)
    data = _form_data(c, e)
    before = counts()
    data.update(phone="12", family_name="鈴木")
    response = c.post(reverse("people:employee_edit", args=[e.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == [
        "電話番号は0から始まる10桁または11桁で入力してください(例: 03-1234-5678)"
    ]
    assert counts() == before
    e.refresh_from_db()
    assert (e.family_name, e.phone) == ("山田", "03-1234-5678")


# ---------------------------------------------------------------------------- transfer / cancel / retire / delete
def test_transfer_in_the_future_is_marked_and_can_be_cancelled(client, company, hr, department):
    sales = make_department(company, hr, code="300", name="営業部")
    e = make_employee(company, hr, department, number="T1")
    c = login(client, hr)
    day = timezone.localdate() + timedelta(days=20)
    response = c.post(
        reverse("people:employee_transfer", args=[e.pk]),
        {
            "department": str(sales.pk),
            "position": "",
            "effective_from": day.isoformat(),
            "reason": "promotion",
            "note": "昇格",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(employee=e, effective_from=day)
    assert (placement.department, placement.reason, placement.note) == (sales, "promotion", "昇格")
    body = html(c.get(reverse("people:employee_detail", args=[e.pk])))
    row = body[body.index(f'data-placement="{placement.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "予定" in row and reverse("people:placement_cancel", args=[e.pk, placement.pk]) in row
    assert c.post(reverse("people:placement_cancel", args=[e.pk, placement.pk])).status_code == 302
    assert not Placement.objects.filter(pk=placement.pk).exists()
    ev = (
        AuditEvent.objects.filter(object_type="people.employee", object_id=str(e.pk)).order_by("-seq").first()
    )
    assert ev.action == "cancel_transfer"


def test_hire_placement_cannot_be_cancelled(client, company, hr, department):
    e = make_employee(company, hr, department, number="T2")
    hire = Placement.objects.get(employee=e)
    c = login(client, hr)
    before = counts()
    response = c.post(reverse("people:placement_cancel", args=[e.pk, hire.pk]), follow=True)
    assert "入社時の配置は取り消せません。" in html(response)
    assert counts() == before


def test_transfer_with_bad_input_answers_400(client, company, hr, department):
    e = make_employee(company, hr, department, number="T3", hire_date=date(2020, 4, 1))
    c = login(client, hr)
    before = counts()
    response = c.post(
        reverse("people:employee_transfer", args=[e.pk]),
        {
            "department": str(department.pk),
            "effective_from": "2019-01-01",
            "reason": "transfer",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["effective_from"] == ["発令日は入社日より後の日付にしてください。"]
    response = c.post(
        reverse("people:employee_transfer", args=[e.pk]),
        {"department": "", "effective_from": "x", "reason": "hire"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"department", "effective_from", "reason"}
    assert counts() == before


def test_retire_sets_the_date_and_refuses_a_date_before_hire(client, company, hr, department):
    e = make_employee(company, hr, department, number="R1", hire_date=date(2020, 4, 1))
    c = login(client, hr)
    before = counts()
    response = c.post(reverse("people:employee_retire", args=[e.pk]), {"retire_date": "2019-03-31"})
    assert response.status_code == 400
    assert response.context["form"].errors["retire_date"] == ["退職日は入社日以降の日付にしてください。"]
    assert counts() == before
    assert (
        c.post(reverse("people:employee_retire", args=[e.pk]), {"retire_date": "令和7年3月31日"}).status_code
        == 302
    )
    e.refresh_from_db()
    assert e.retire_date == date(2025, 3, 31)


def test_delete_removes_the_record_and_its_placements(client, company, hr, department):
    e = make_employee(company, hr, department, number="X1")
    c = login(client, hr)
    body = html(c.get(reverse("people:employee_detail", args=[e.pk])))
    assert 'data-confirm="山田 太郎 さんの社員情報を削除しますか？' in body
    assert c.get(reverse("people:employee_delete", args=[e.pk])).status_code == 405
    response = c.post(reverse("people:employee_delete", args=[e.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    assert (
        not Employee.objects.filter(pk=e.pk).exists()
        and not Placement.objects.filter(employee_id=e.pk).exists()
    )
    assert (
        AuditEvent.objects.filter(object_type="people.employee", object_id=str(e.pk), action="delete").count()
        == 1
    )


def test_an_employee_can_be_linked_to_a_login(client, company, hr, department):
    m = make_member(company, "newbie", ["employee"])
    c = login(client, hr)
    c.post(reverse("people:employee_create"), _create_data(company, department, user=str(m.user.pk)))
    e = Employee.objects.get(number="N100")
    assert e.user == m.user
    response = login(client, m).get(reverse("people:my_record"))
    assert response["Location"] == reverse("people:employee_detail", args=[e.pk])
