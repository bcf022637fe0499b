"""/api/v1/people/employees: list (filters, as_of, sort, pages), get, create (hire), PATCH, transfers,
placement history; who sees whom; problem+json for every bad input, with nothing written."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ennoshita.core.models import AuditEvent
from ennoshita.people import selectors, services
from ennoshita.people.models import Department, Employee, EmploymentType, Placement
from ennoshita.people.schemas import EmployeeOut

from ..apiclient import ApiClient, field_errors
from ..conftest import make_department, make_employee, make_member

URL = "/people/employees"
BANK = (
    "bank_code",
    "bank_branch_code",
    "bank_account_type",
    "bank_account_number",
    "bank_account_holder_kana",
)


def ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "code": obj.code, "name": obj.name}


def emp_json(e: Employee, dept: Department | None, pos=None) -> dict:
    """The API's view of ``e`` (without created_at/updated_at, checked by :func:`assert_employee`)."""
    e.refresh_from_db()
    return {
        "id": e.pk,
        "number": e.number,
        "family_name": e.family_name,
        "given_name": e.given_name,
        "family_name_kana": e.family_name_kana,
        "given_name_kana": e.given_name_kana,
        "full_name": f"{e.family_name} {e.given_name}",
        "full_name_kana": f"{e.family_name_kana} {e.given_name_kana}",
        "birth_date": e.birth_date.isoformat() if e.birth_date else None,
        "gender": e.gender,
        "hire_date": e.hire_date.isoformat(),
        "retire_date": e.retire_date.isoformat() if e.retire_date else None,
        "employment_type": ref(e.employment_type),
        "department": ref(dept),
        "position": ref(pos),
        "postal_code": e.postal_code,
        "address": e.address,
        "phone": e.phone,
        "email": e.email,
        "emergency_contact_name": e.emergency_contact_name,
        "emergency_contact_relation": e.emergency_contact_relation,
        "emergency_contact_phone": e.emergency_contact_phone,
        **{k: getattr(e, k) for k in BANK},
        "user_id": e.user_id,
    }


def assert_employee(got: dict, e: Employee, dept: Department | None, pos=None) -> None:
    got = dict(got)
    created, updated = got.pop("created_at"), got.pop("updated_at")
    assert got == emp_json(e, dept, pos)
    assert datetime.fromisoformat(created) == ms(e.created_at)
    assert datetime.fromisoformat(updated) == ms(e.updated_at)


def ms(value: datetime) -> datetime:
    """Timestamps go out in ECMA-262 form, to the millisecond (Django's JSON encoder)."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def counts() -> tuple[int, int, int, int]:
    return (
        Employee.objects.count(),
        Placement.objects.count(),
        Department.objects.count(),
        AuditEvent.objects.count(),
    )


def snapshot_rows() -> tuple:
    return (
        counts(),
        list(Employee.objects.order_by("pk").values()),
        list(Placement.objects.order_by("pk").values()),
    )


@pytest.fixture
def org(company, hr, department, employee_member):
    """総務部(100) > 人事課(110); 営業部(200). E001 is the ``employee_member`` (総務部)."""
    jinji = make_department(company, hr, "110", "人事課", parent=department)
    eigyo = make_department(company, hr, "200", "営業部")
    w = {"company": company, "actor": hr.user, "membership": hr}
    bucho = services.create_position(**w, code="M1", name="部長", rank=1)
    kacho = services.create_position(**w, code="M2", name="課長", rank=2)
    et = {t.code: t for t in EmploymentType.objects.for_company(company)}
    me = Employee.objects.get(company=company, number="E001")
    yamada = make_employee(
        company,
        hr,
        jinji,
        number="E002",
        position=kacho,
        birth_date=date(1985, 6, 15),
        gender="male",
        postal_code="100-0001",
        address="東京都千代田区千代田1-1",
        phone="03-1234-5678",
        email="yamada@example.jp",
        emergency_contact_name="山田 花子",
        emergency_contact_relation="妻",
        emergency_contact_phone="090-1111-2222",
        bank_code="0005",
        bank_branch_code="123",
        bank_account_type="1",
        bank_account_number="1234567",
        bank_account_holder_kana="ヤマダ タロウ",
    )
    sato = make_employee(
        company,
        hr,
        eigyo,
        number="E003",
        family_name="佐藤",
        given_name="花子",
        family_name_kana="サトウ",
        given_name_kana="ハナコ",
        hire_date=date(2022, 10, 1),
        employment_type=et["part_time"],
    )
    suzuki = make_employee(
        company,
        hr,
        eigyo,
        number="E004",
        family_name="鈴木",
        given_name="一郎",
        family_name_kana="スズキ",
        given_name_kana="イチロウ",
        hire_date=date(2015, 4, 1),
        retire_date=date(2023, 3, 31),
    )
    takahashi = make_employee(
        company,
        hr,
        department,
        number="E005",
        family_name="高橋",
        given_name="五郎",
        family_name_kana="タカハシ",
        given_name_kana="ゴロウ",
        hire_date=date(2025, 4, 1),
    )
    return SimpleNamespace(
        soumu=department,
        jinji=jinji,
        eigyo=eigyo,
        bucho=bucho,
        kacho=kacho,
        et=et,
        me=me,
        yamada=yamada,
        sato=sato,
        suzuki=suzuki,
        takahashi=takahashi,
    )


@pytest.fixture
def hr_api(client, hr):
    return ApiClient(client, hr)


@pytest.fixture
def me_api(client, employee_member):
    return ApiClient(client, employee_member)


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [e["number"] for e in response.json()["items"]]


# ------------------------------------------------------------------ list
def test_hr_lists_everyone_in_service_today_with_their_placement(hr_api, org):
    response = hr_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (4, 50, 0)
    assert body["as_of"] == timezone.localdate().isoformat()
    assert [e["number"] for e in body["items"]] == ["E001", "E002", "E003", "E005"]
    assert_employee(body["items"][1], org.yamada, org.jinji, org.kacho)
    assert_employee(body["items"][0], org.me, org.soumu)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", ["E001", "E002", "E003"]),
        ("retired", ["E004"]),
        ("future", ["E005"]),
        ("all", ["E001", "E002", "E003", "E004", "E005"]),
    ],
)
def test_status_is_judged_on_the_as_of_date(hr_api, org, status, expected):
    response = hr_api.get(URL, {"status": status, "as_of": "2024-04-01"})
    assert numbers(response) == expected
    assert response.json()["as_of"] == "2024-04-01"
    assert response.json()["count"] == len(expected)


def test_e004_was_in_service_before_retiring(hr_api, org):
    assert numbers(hr_api.get(URL, {"as_of": "2023-03-31"})) == ["E001", "E002", "E003", "E004"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "やまだ"}, ["E002"]),  # hiragana finds katakana
        ({"q": "ﾔﾏﾀﾞ"}, ["E002"]),  # so does half-width kana
        ({"q": "山田　太郎"}, ["E002"]),  # full-width space: every word must match
        ({"q": "e00"}, ["E001", "E002", "E003", "E005"]),
        ({"q": "yamada@"}, ["E002"]),
        ({"q": "該当なし"}, []),
        ({"employment_type_id": "part_time"}, ["E003"]),
        ({"department_id": "soumu"}, ["E001", "E002", "E005"]),  # 人事課 is under 総務部
        ({"department_id": "soumu", "include_sub_departments": "false"}, ["E001", "E005"]),
        ({"department_id": "jinji"}, ["E002"]),
        ({"department_id": "eigyo", "status": "all"}, ["E003", "E004"]),
        ({"sort": "kana"}, ["E003", "E001", "E005", "E002"]),
        ({"sort": "-number"}, ["E005", "E003", "E002", "E001"]),
        ({"sort": "hire_date"}, ["E001", "E002", "E003", "E005"]),
        ({"sort": "-hire_date"}, ["E005", "E003", "E002", "E001"]),
        ({"sort": "department"}, ["E001", "E005", "E002", "E003"]),
    ],
)
def test_it_filters_and_sorts(hr_api, org, params, expected):
    params = dict(params)
    for key, attr in (("department_id", None), ("employment_type_id", "et")):
        if key in params:
            params[key] = (org.et[params[key]] if attr else getattr(org, params[key])).pk
    assert numbers(hr_api.get(URL, params)) == expected


def test_the_department_is_the_placement_in_force_on_as_of(hr_api, hr, company, org):
    services.transfer_employee(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=org.yamada,
        department=org.eigyo,
        position=org.bucho,
        effective_from=date(2024, 10, 1),
        reason="promotion",
    )
    before = hr_api.get(URL, {"as_of": "2024-09-30", "q": "E002"}).json()["items"][0]
    after = hr_api.get(URL, {"as_of": "2024-10-01", "q": "E002"}).json()["items"][0]
    assert (before["department"], before["position"]) == (ref(org.jinji), ref(org.kacho))
    assert (after["department"], after["position"]) == (ref(org.eigyo), ref(org.bucho))
    assert numbers(hr_api.get(URL, {"as_of": "2024-10-01", "department_id": org.eigyo.pk})) == [
        "E002",
        "E003",
    ]


def test_it_pages_with_limit_and_offset_and_a_total(hr_api, org):
    page = hr_api.get(URL, {"status": "all", "limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [e["number"] for e in page["items"]] == ["E002", "E003"]
    last = hr_api.get(URL, {"status": "all", "limit": 2, "offset": 4}).json()
    assert [e["number"] for e in last["items"]] == ["E005"]
    assert hr_api.get(URL, {"offset": 100}).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "gone"}, "status"),
        ({"sort": "salary"}, "sort"),
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"offset": -5}, "offset"),
        ({"department_id": "abc"}, "department_id"),
        ({"department_id": 2**70}, "department_id"),
        ({"employment_type_id": 0}, "employment_type_id"),
        ({"include_sub_departments": "perhaps"}, "include_sub_departments"),
        ({"q": "あ" * 101}, "q"),
    ],
)
def test_bad_list_parameters_are_422_problems(hr_api, org, params, field):
    response = hr_api.get(URL, params)
    assert response.status_code == 422
    assert list(field_errors(response)) == [field]


def test_a_filter_on_an_unknown_department_says_which_field(hr_api, org, other_company, outsider):
    theirs = make_department(other_company, outsider, "100", "よその総務部")
    for params, field in (
        ({"department_id": 424242}, "department_id"),
        ({"department_id": theirs.pk}, "department_id"),
        (
            {"employment_type_id": EmploymentType.objects.for_company(other_company).first().pk},
            "employment_type_id",
        ),
    ):
        response = hr_api.get(URL, params)
        assert response.status_code == 400
        assert field_errors(response) == {field: ["見つかりません。"]}


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_and_30_rows(
    client, company, hr, department, rows, django_assert_num_queries
):
    kacho = services.create_position(company=company, actor=hr.user, membership=hr, code="M2", name="課長")
    for i in range(rows):
        make_employee(company, hr, department, number=f"N{i:03d}", position=kacho if i % 2 else None)
    api = ApiClient(client, hr)
    api.get(URL)  # the first call of a token stamps last_used_at
    # token → membership, count, page (placement, department and position as subqueries)
    with django_assert_num_queries(3):
        body = api.get(URL).json()
    assert body["count"] == rows
    assert len(body["items"]) == rows
    assert body["items"][1]["position"] == ref(kacho)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_filtered_list_costs_the_same_queries_for_3_and_30_rows(
    client, company, hr, department, rows, django_assert_num_queries
):
    for i in range(rows):
        make_employee(company, hr, department, number=f"N{i:03d}")
    api = ApiClient(client, hr)
    api.get(URL)
    params = {"department_id": department.pk, "q": "n0", "sort": "kana", "status": "all"}
    # + the department check and the department tree for sub-departments
    with django_assert_num_queries(5):
        body = api.get(URL, params).json()
    assert body["count"] == rows


# ------------------------------------------------------------------ who sees whom
def test_an_employee_lists_only_themself(me_api, org):
    body = me_api.get(URL, {"status": "all"}).json()
    assert body["count"] == 1
    assert_employee(body["items"][0], org.me, org.soumu)
    assert me_api.get(URL, {"q": "山田"}).json()["count"] == 0


def test_an_employee_gets_their_own_record_with_their_bank_account(me_api, hr, company, org):
    services.update_employee(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=org.me,
        bank_code="0001",
        bank_branch_code="001",
        bank_account_type="1",
        bank_account_number="7654321",
    )
    response = me_api.get(f"{URL}/{org.me.pk}")
    assert response.status_code == 200
    assert_employee(response.json(), org.me, org.soumu)
    assert response.json()["bank_account_number"] == "7654321"


def test_an_employee_gets_404_on_a_colleague(me_api, org):
    for other in (org.yamada, org.sato, org.suzuki):
        for path in (f"{URL}/{other.pk}", f"{URL}/{other.pk}/placements"):
            response = me_api.get(path)
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"


def test_a_manager_sees_only_their_own_record(client, company, hr, org):
    boss = make_member(company, "boss", ["manager"])
    assert ApiClient(client, boss).get(URL).json()["count"] == 0
    assert ApiClient(client, boss).get(f"{URL}/{org.yamada.pk}").status_code == 404


def test_the_bank_account_is_for_hr_admin_and_the_person_only(company, hr, admin, employee_member, org):
    boss = make_member(company, "boss", ["manager", "accounting"])
    assert selectors.can_see_bank_account(hr, org.yamada)
    assert selectors.can_see_bank_account(admin, org.yamada)
    assert selectors.can_see_bank_account(employee_member, org.me)
    assert not selectors.can_see_bank_account(employee_member, org.yamada)
    assert not selectors.can_see_bank_account(boss, org.yamada)
    assert not selectors.can_see_bank_account(boss, org.sato)  # no user linked: never "themself"
    row = selectors.employee_as_of(company=company, membership=hr, employee_id=org.yamada.pk)
    hidden = EmployeeOut.of(row, show_bank=False).model_dump()
    shown = EmployeeOut.of(row, show_bank=True).model_dump()
    assert {k: hidden[k] for k in BANK} == dict.fromkeys(BANK)
    assert {k: shown[k] for k in BANK} == {
        "bank_code": "0005",
        "bank_branch_code": "123",
        "bank_account_type": "1",
        "bank_account_number": "1234567",
        "bank_account_holder_kana": "ヤマダ タロウ",
    }
    assert hidden["phone"] == shown["phone"] == "03-1234-5678"


# ------------------------------------------------------------------ get
def test_hr_gets_one_employee(hr_api, org):
    response = hr_api.get(f"{URL}/{org.yamada.pk}")
    assert response.status_code == 200
    assert_employee(response.json(), org.yamada, org.jinji, org.kacho)


def test_get_shows_the_placement_on_as_of(hr_api, org):
    assert hr_api.get(f"{URL}/{org.takahashi.pk}", {"as_of": "2024-01-01"}).json()["department"] is None
    assert hr_api.get(f"{URL}/{org.takahashi.pk}", {"as_of": "2025-04-01"}).json()["department"] == ref(
        org.soumu
    )
    assert hr_api.get(f"{URL}/{org.takahashi.pk}", {"as_of": "2025-13-01"}).status_code == 422


@pytest.mark.parametrize(("emp_id", "status"), [("424242", 404), ("x", 422), ("0", 422), (str(10**30), 422)])
def test_an_unknown_or_malformed_employee_id_is_a_problem(hr_api, org, emp_id, status):
    response = hr_api.get(f"{URL}/{emp_id}")
    assert response.status_code == status
    field_errors(response)


# ------------------------------------------------------------------ create
def hire_body(org, **over) -> dict:
    body = {
        "number": "ｅ０１０",
        "family_name": "田中",
        "given_name": "三郎",
        "family_name_kana": "たなか",
        "given_name_kana": "ｻﾌﾞﾛｳ",
        "birth_date": "1990-05-06",
        "gender": "male",
        "hire_date": "2024-04-01",
        "employment_type_id": org.et["contract"].pk,
        "department_id": org.jinji.pk,
        "position_id": org.kacho.pk,
        "postal_code": "〒１００－０００１",
        "address": "東京都千代田区丸の内1-1",
        "phone": "０３（１２３４）５６７８",
        "email": "tanaka@example.jp",
        "emergency_contact_name": "田中 花",
        "emergency_contact_relation": "母",
        "emergency_contact_phone": "090-2222-3333",
        "bank_code": "０００５",
        "bank_branch_code": "123",
        "bank_account_type": "1",
        "bank_account_number": "12345",
        "bank_account_holder_kana": "たなか さぶろう",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not ...}


def test_hr_hires_an_employee_with_a_first_placement(hr_api, hr, company, org):
    response = hr_api.post(URL, hire_body(org))
    assert response.status_code == 201, response.content
    e = Employee.objects.get(company=company, number="E010")
    assert_employee(response.json(), e, org.jinji, org.kacho)
    got = response.json()
    assert (got["family_name_kana"], got["given_name_kana"]) == ("タナカ", "サブロウ")
    assert (got["postal_code"], got["phone"]) == ("100-0001", "03-1234-5678")
    assert (got["bank_code"], got["bank_account_number"], got["bank_account_holder_kana"]) == (
        "0005",
        "0012345",
        "タナカ サブロウ",
    )
    assert got["employment_type"] == ref(org.et["contract"])
    placement = Placement.objects.get(employee=e)
    assert (placement.department, placement.position, placement.effective_from, placement.reason) == (
        org.jinji,
        org.kacho,
        date(2024, 4, 1),
        "hire",
    )
    actions = list(
        AuditEvent.objects.filter(company=company)
        .filter(
            Q(object_type="people.employee", object_id=str(e.pk))
            | Q(object_type="people.placement", object_id=str(placement.pk))
        )
        .values_list("object_type", "action", "actor_id")
    )
    assert sorted(actions) == [
        ("people.employee", "create", hr.user_id),
        ("people.placement", "create", hr.user_id),
    ]


def test_only_the_required_fields_make_an_employee(hr_api, company, org):
    body = {
        "number": "E011",
        "family_name": "伊藤",
        "given_name": "六郎",
        "family_name_kana": "イトウ",
        "given_name_kana": "ロクロウ",
        "hire_date": "2024-04-01",
        "employment_type_id": org.et["regular"].pk,
        "department_id": org.eigyo.pk,
    }
    response = hr_api.post(URL, body)
    assert response.status_code == 201
    got = response.json()
    assert (got["gender"], got["birth_date"], got["position"], got["department"]) == (
        "unanswered",
        None,
        None,
        ref(org.eigyo),
    )
    assert all(got[k] == "" for k in BANK)


def test_hr_links_a_member_login_to_a_new_employee(hr_api, company, org):
    newcomer = make_member(company, "newcomer", ["employee"])
    response = hr_api.post(URL, hire_body(org, user_id=newcomer.user_id))
    assert response.status_code == 201
    assert response.json()["user_id"] == newcomer.user_id


def test_validation_errors_of_the_service_come_all_at_once_on_the_fields_sent(hr_api, org):
    before = snapshot_rows()
    response = hr_api.post(
        URL, hire_body(org, postal_code="12345", family_name_kana="Tanaka", phone="12-34", bank_code="12")
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "family_name_kana": ["フリガナはカタカナで入力してください。"],
        "postal_code": ["郵便番号は7桁の数字で入力してください(例: 100-0001)"],
        "phone": ["電話番号は0から始まる10桁または11桁で入力してください(例: 03-1234-5678)"],
        "bank_code": ["銀行コードは4桁の数字です。"],
    }
    body = response.json()
    assert (body["code"], body["title"]) == ("validation", "入力内容に誤りがあります。")
    assert snapshot_rows() == before


def test_missing_required_fields_are_listed_in_one_422(hr_api, org):
    before = snapshot_rows()
    response = hr_api.post(URL, {"number": "E099"})
    assert response.status_code == 422
    errors = field_errors(response)
    assert set(errors) == {
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "hire_date",
        "employment_type_id",
        "department_id",
    }
    assert all(messages for messages in errors.values())
    assert snapshot_rows() == before


@pytest.mark.parametrize(
    ("over", "status", "field"),
    [
        ({"hire_date": "2024-02-30"}, 422, "hire_date"),
        ({"hire_date": "来月"}, 422, "hire_date"),
        ({"birth_date": "1990/05/06x"}, 422, "birth_date"),
        ({"department_id": "総務部"}, 422, "department_id"),
        ({"department_id": 10**25}, 422, "department_id"),
        ({"position_id": -1}, 422, "position_id"),
        ({"gender": "robot"}, 422, "gender"),
        ({"bank_account_type": "3"}, 422, "bank_account_type"),
        ({"family_name": "山" * 51}, 422, "family_name"),
        ({"address": "丁" * 301}, 422, "address"),
        ({"email": "a" * 300}, 422, "email"),
        ({"number": ["E1"]}, 422, "number"),
        ({"given_name": "三\x00郎"}, 422, "given_name"),
        ({"salary": 1_000_000}, 422, "salary"),
        ({"family_name": ...}, 422, "family_name"),
        ({"family_name": None}, 422, "family_name"),
        ({"family_name": "  "}, 400, "family_name"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"number": "E001"}, 400, "number"),
        ({"birth_date": "2030-01-01"}, 400, "birth_date"),
        ({"retire_date": "2024-03-31"}, 400, "retire_date"),
        ({"bank_account_number": "12345678"}, 400, "bank_account_number"),
        ({"department_id": 424242}, 400, "department_id"),
        ({"position_id": 424242}, 400, "position_id"),
        ({"employment_type_id": 424242}, 400, "employment_type_id"),
        ({"user_id": 424242}, 400, "user_id"),
    ],
)
def test_bad_input_is_a_problem_on_the_field_sent_and_writes_nothing(hr_api, org, over, status, field):
    before = snapshot_rows()
    response = hr_api.post(URL, hire_body(org, **over))
    assert response.status_code == status, response.content
    assert list(field_errors(response)) == [field]
    assert snapshot_rows() == before


def test_a_login_already_linked_is_refused_on_user_id(hr_api, org, employee_member):
    response = hr_api.post(URL, hire_body(org, user_id=employee_member.user_id))
    assert response.status_code == 400
    assert field_errors(response) == {"user_id": ["このユーザーは既に別の社員に紐付いています。"]}


def test_an_inactive_department_is_refused_on_department_id(hr_api, hr, company, org):
    closed = make_department(company, hr, "800", "閉鎖部")
    services.update_department(
        company=company, actor=hr.user, membership=hr, department=closed, is_active=False
    )
    before = snapshot_rows()
    response = hr_api.post(URL, hire_body(org, department_id=closed.pk))
    assert response.status_code == 400
    assert field_errors(response) == {"department_id": ["無効な部署には配置できません。"]}
    assert snapshot_rows() == before


def test_references_into_another_company_are_unknown(hr_api, org, other_company, outsider):
    their_dept = make_department(other_company, outsider, "100", "よその総務部")
    their_pos = services.create_position(
        company=other_company, actor=outsider.user, membership=outsider, code="X", name="よその役職"
    )
    their_et = EmploymentType.objects.for_company(other_company).get(code="regular")
    before = snapshot_rows()
    for over, field in (
        ({"department_id": their_dept.pk}, "department_id"),
        ({"position_id": their_pos.pk}, "position_id"),
        ({"employment_type_id": their_et.pk}, "employment_type_id"),
        ({"user_id": outsider.user_id}, "user_id"),
    ):
        response = hr_api.post(URL, hire_body(org, **over))
        assert response.status_code == 400
        assert field_errors(response) == {field: ["見つかりません。"]}
    assert snapshot_rows() == before


def test_an_employee_cannot_hire(me_api, org):
    before = snapshot_rows()
    response = me_api.post(URL, hire_body(org))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert snapshot_rows() == before


def test_undecodable_text_is_a_problem_not_a_500(hr_api, client, org):
    before = snapshot_rows()
    lone_surrogate = json.dumps(hire_body(org, number="X1")).replace('"X1"', '"\\ud800"')
    response = hr_api.post(URL, raw_body=lone_surrogate)
    assert response.status_code == 422
    assert list(field_errors(response)) == ["number"]
    response = client.post(
        "/api/v1" + URL,
        b"\xff\xfe{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {hr_api.raw}",
    )
    assert response.status_code == 400
    assert field_errors(response) == {}
    response = client.get("/api/v1" + URL + "?q=%ff%fe", HTTP_AUTHORIZATION=f"Bearer {hr_api.raw}")
    assert response.status_code == 200
    assert snapshot_rows() == before


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(max_size=400)
    | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
EMPLOYEE_KEYS = st.sampled_from(
    [
        "number",
        "family_name",
        "family_name_kana",
        "birth_date",
        "gender",
        "hire_date",
        "retire_date",
        "employment_type_id",
        "department_id",
        "position_id",
        "postal_code",
        "phone",
        "email",
        "bank_code",
        "bank_account_type",
        "bank_account_number",
        "user_id",
        "unknown",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_body_a_client_can_send_makes_a_500(hr_api, org, data):
    """Whatever JSON arrives in any field, the answer is a success or a problem, never a crash."""
    over = data.draw(st.dictionaries(EMPLOYEE_KEYS, JSON_VALUES, max_size=4))
    assert hr_api.post(URL, hire_body(org, **over)).status_code in (201, 400, 422)
    assert hr_api.patch(f"{URL}/{org.yamada.pk}", over).status_code in (200, 400, 422)
    transfer = data.draw(
        st.dictionaries(
            st.sampled_from(["department_id", "position_id", "effective_from", "reason", "note"]),
            JSON_VALUES,
            max_size=4,
        )
    )
    assert hr_api.post(f"{URL}/{org.sato.pk}/transfers", transfer).status_code in (201, 400, 422)
    query = data.draw(
        st.dictionaries(
            st.sampled_from(
                ["q", "department_id", "employment_type_id", "status", "as_of", "sort", "limit", "offset"]
            ),
            st.text(max_size=30),
            max_size=4,
        )
    )
    assert hr_api.get(URL, query).status_code in (200, 400, 422)


# ------------------------------------------------------------------ update
def test_patch_changes_only_the_fields_sent(hr_api, hr, company, org):
    before = Employee.objects.filter(pk=org.yamada.pk).values().get()
    response = hr_api.patch(
        f"{URL}/{org.yamada.pk}",
        {"phone": "０９０-９９９９-８８８８", "employment_type_id": org.et["contract"].pk},
    )
    assert response.status_code == 200, response.content
    after = Employee.objects.filter(pk=org.yamada.pk).values().get()
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"phone", "employment_type_id", "updated_at"}
    assert (after["phone"], after["employment_type_id"]) == ("090-9999-8888", org.et["contract"].pk)
    assert_employee(response.json(), org.yamada, org.jinji, org.kacho)
    event = AuditEvent.objects.filter(company=company, object_type="people.employee").order_by("-seq").first()
    assert (event.action, event.object_id, event.actor_id) == ("update", str(org.yamada.pk), hr.user_id)


def test_patch_moves_the_hire_placement_with_the_hire_date(hr_api, org):
    response = hr_api.patch(f"{URL}/{org.sato.pk}", {"hire_date": "2022-09-01"})
    assert response.status_code == 200
    assert Placement.objects.get(employee=org.sato).effective_from == date(2022, 9, 1)


def test_patch_links_and_unlinks_a_login(hr_api, company, org):
    newcomer = make_member(company, "newcomer", ["employee"])
    assert (
        hr_api.patch(f"{URL}/{org.sato.pk}", {"user_id": newcomer.user_id}).json()["user_id"]
        == newcomer.user_id
    )
    assert hr_api.patch(f"{URL}/{org.sato.pk}", {"user_id": None}).json()["user_id"] is None


def test_patch_retires_an_employee(hr_api, org):
    body = hr_api.patch(f"{URL}/{org.sato.pk}", {"retire_date": "2024-12-31"}).json()
    assert body["retire_date"] == "2024-12-31"
    assert numbers(hr_api.get(URL, {"status": "retired", "as_of": "2025-01-01"})) == ["E003", "E004"]


def test_a_retirement_before_a_scheduled_transfer_is_refused(hr_api, hr, company, org):
    services.transfer_employee(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=org.sato,
        department=org.jinji,
        position=None,
        effective_from=date(2025, 1, 1),
    )
    before = snapshot_rows()
    response = hr_api.patch(f"{URL}/{org.sato.pk}", {"retire_date": "2024-12-31"})
    assert response.status_code == 400
    assert field_errors(response) == {
        "retire_date": ["退職日より後に予定された異動があります。先に取り消してください。"]
    }
    assert snapshot_rows() == before


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"family_name": None}, 422, "family_name"),
        ({"hire_date": None}, 422, "hire_date"),
        ({"employment_type_id": None}, 422, "employment_type_id"),
        ({"department_id": 1}, 422, "department_id"),  # moves are transfers
        ({"given_name_kana": "jiro"}, 400, "given_name_kana"),
        ({"postal_code": "100"}, 400, "postal_code"),
        ({"number": "E003"}, 400, "number"),
        ({"retire_date": "2019-01-01"}, 400, "retire_date"),
        ({"employment_type_id": 424242}, 400, "employment_type_id"),
        ({"user_id": 424242}, 400, "user_id"),
    ],
)
def test_bad_patches_are_problems_and_change_nothing(hr_api, org, body, status, field):
    before = snapshot_rows()
    response = hr_api.patch(f"{URL}/{org.yamada.pk}", body)
    assert response.status_code == status, response.content
    assert list(field_errors(response)) == [field]
    assert snapshot_rows() == before


def test_an_employee_cannot_change_their_own_record_through_the_api(me_api, org):
    before = snapshot_rows()
    response = me_api.patch(f"{URL}/{org.me.pk}", {"family_name": "改ざん"})
    assert response.status_code == 403
    assert me_api.patch(f"{URL}/{org.yamada.pk}", {"family_name": "改ざん"}).status_code == 404
    assert snapshot_rows() == before


# ------------------------------------------------------------------ transfers and placements
def test_hr_records_a_promotion_and_the_history_shows_it(hr_api, hr, company, org):
    response = hr_api.post(
        f"{URL}/{org.yamada.pk}/transfers",
        {
            "department_id": org.eigyo.pk,
            "position_id": org.bucho.pk,
            "effective_from": "2024-10-01",
            "reason": "promotion",
            "note": "営業部長に昇格",
        },
    )
    assert response.status_code == 201, response.content
    placement = Placement.objects.get(employee=org.yamada, effective_from=date(2024, 10, 1))
    got = response.json()
    assert datetime.fromisoformat(got.pop("created_at")) == ms(placement.created_at)
    assert got == {
        "id": placement.pk,
        "department": ref(org.eigyo),
        "position": ref(org.bucho),
        "effective_from": "2024-10-01",
        "reason": "promotion",
        "note": "営業部長に昇格",
    }
    history = hr_api.get(f"{URL}/{org.yamada.pk}/placements").json()
    assert [
        (p["effective_from"], p["reason"], p["department"]["code"], p["position"]["code"]) for p in history
    ] == [
        ("2024-10-01", "promotion", "200", "M1"),
        ("2020-04-01", "hire", "110", "M2"),
    ]
    event = AuditEvent.objects.filter(company=company, action="transfer").get()
    assert (event.object_id, event.actor_id) == (str(org.yamada.pk), hr.user_id)


def test_a_transfer_dated_ahead_takes_effect_on_its_day(hr_api, org):
    day = timezone.localdate() + timedelta(days=10)
    response = hr_api.post(
        f"{URL}/{org.sato.pk}/transfers", {"department_id": org.jinji.pk, "effective_from": day.isoformat()}
    )
    assert response.status_code == 201
    assert response.json()["reason"] == "transfer"
    assert hr_api.get(f"{URL}/{org.sato.pk}").json()["department"] == ref(org.eigyo)
    assert hr_api.get(f"{URL}/{org.sato.pk}", {"as_of": day.isoformat()}).json()["department"] == ref(
        org.jinji
    )


@pytest.mark.parametrize(
    ("over", "status", "field"),
    [
        ({"effective_from": ...}, 422, "effective_from"),
        ({"effective_from": "2024-13-01"}, 422, "effective_from"),
        ({"department_id": ...}, 422, "department_id"),
        ({"department_id": "営業部"}, 422, "department_id"),
        ({"reason": "hire"}, 422, "reason"),
        ({"note": "備" * 201}, 422, "note"),
        ({"colour": "blue"}, 422, "colour"),
        ({"effective_from": "2020-04-01"}, 400, "effective_from"),  # not after the hire date
        ({"effective_from": "2019-01-01"}, 400, "effective_from"),
        ({"department_id": 424242}, 400, "department_id"),
        ({"position_id": 424242}, 400, "position_id"),
    ],
)
def test_bad_transfers_are_problems_and_write_nothing(hr_api, org, over, status, field):
    body = {"department_id": org.eigyo.pk, "effective_from": "2024-10-01", **over}
    body = {k: v for k, v in body.items() if v is not ...}
    before = snapshot_rows()
    response = hr_api.post(f"{URL}/{org.yamada.pk}/transfers", body)
    assert response.status_code == status, response.content
    assert list(field_errors(response)) == [field]
    assert snapshot_rows() == before


def test_two_transfers_on_one_day_are_refused(hr_api, org):
    body = {"department_id": org.eigyo.pk, "effective_from": "2024-10-01"}
    assert hr_api.post(f"{URL}/{org.yamada.pk}/transfers", body).status_code == 201
    response = hr_api.post(f"{URL}/{org.yamada.pk}/transfers", {**body, "department_id": org.soumu.pk})
    assert field_errors(response) == {"effective_from": ["この発令日の配置は既に登録されています。"]}


def test_an_employee_reads_their_placements_but_cannot_transfer(me_api, org):
    history = me_api.get(f"{URL}/{org.me.pk}/placements")
    assert history.status_code == 200
    assert [(p["reason"], p["department"]["id"]) for p in history.json()] == [("hire", org.soumu.pk)]
    before = snapshot_rows()
    body = {"department_id": org.eigyo.pk, "effective_from": "2024-10-01"}
    assert me_api.post(f"{URL}/{org.me.pk}/transfers", body).status_code == 403
    assert me_api.post(f"{URL}/{org.yamada.pk}/transfers", body).status_code == 404
    assert snapshot_rows() == before


# ------------------------------------------------------------------ positions and employment types
def test_the_masters_for_ids_are_listed(hr_api, me_api, org):
    assert hr_api.get("/people/positions").json() == [ref(org.bucho), ref(org.kacho)]
    types = me_api.get("/people/employment-types").json()
    assert [t["code"] for t in types] == [
        "regular",
        "contract",
        "part_time",
        "arbeit",
        "dispatched",
        "officer",
    ]
    assert types[0] == ref(org.et["regular"])


# ------------------------------------------------------------------ another company
def test_another_companys_token_gets_404_on_every_id_and_writes_nothing(client, org, other_company, outsider):
    """``outsider`` is hr and admin of another company: it may write there, never here."""
    theirs = ApiClient(client, outsider)
    before = snapshot_rows()
    transfer = {"department_id": org.eigyo.pk, "effective_from": "2024-10-01"}
    for e in (org.me, org.yamada, org.sato, org.suzuki, org.takahashi):
        for response in (
            theirs.get(f"{URL}/{e.pk}"),
            theirs.get(f"{URL}/{e.pk}/placements"),
            theirs.patch(f"{URL}/{e.pk}", {"family_name": "乗っ取り", "retire_date": "2024-12-31"}),
            theirs.post(f"{URL}/{e.pk}/transfers", transfer),
        ):
            assert response.status_code == 404, response.content
            assert response.json()["code"] == "not_found"
            assert field_errors(response) == {}
    assert theirs.get(URL, {"status": "all"}).json()["count"] == 0
    response = theirs.post(URL, hire_body(org))  # A's department, position and employment type ids
    assert response.status_code == 400
    assert list(field_errors(response)) == ["department_id"]
    assert snapshot_rows() == before
