"""/api/v1/people/departments: list (q, active, limit/offset), get, create, PATCH."""

from __future__ import annotations

import pytest

from ennoshita.core.models import AuditEvent
from ennoshita.people import services
from ennoshita.people.models import Department

from ..apiclient import ApiClient, field_errors
from ..conftest import make_department, make_employee

URL = "/people/departments"


def dept_json(d: Department, parent: Department | None = None) -> dict:
    return {
        "id": d.pk,
        "code": d.code,
        "name": d.name,
        "parent_id": parent.pk if parent else None,
        "parent": {"id": parent.pk, "code": parent.code, "name": parent.name} if parent else None,
        "sort_order": d.sort_order,
        "is_active": d.is_active,
        "head_id": d.head_id,
    }


def counts() -> tuple[int, int]:
    return Department.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def tree(company, hr):
    """総務部(100) > 人事課(110); 営業部(200); 旧部署(900, inactive)."""
    soumu = make_department(company, hr, "100", "総務部")
    jinji = make_department(company, hr, "110", "人事課", parent=soumu)
    eigyo = make_department(company, hr, "200", "営業部")
    old = make_department(company, hr, "900", "旧部署")
    services.update_department(company=company, actor=hr.user, membership=hr, department=old, is_active=False)
    return {"soumu": soumu, "jinji": jinji, "eigyo": eigyo, "old": old}


@pytest.fixture
def hr_api(client, hr):
    return ApiClient(client, hr)


# ------------------------------------------------------------------ list
def test_it_lists_every_department_in_display_order(hr_api, tree):
    response = hr_api.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "count": 4,
        "limit": 50,
        "offset": 0,
        "items": [
            dept_json(tree["soumu"]),
            dept_json(tree["jinji"], tree["soumu"]),
            dept_json(tree["eigyo"]),
            dept_json(tree["old"]),
        ],
    }


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"active": "true"}, ["100", "110", "200"]),
        ({"active": "false"}, ["900"]),
        ({"q": "人事"}, ["110"]),
        ({"q": "部"}, ["100", "200", "900"]),
        ({"q": "部 営業"}, ["200"]),
        ({"q": "１１"}, ["110"]),  # full-width digits match the half-width code
        ({"q": "部署", "active": "true"}, []),
    ],
)
def test_it_filters_by_words_and_active(hr_api, tree, params, codes):
    body = hr_api.get(URL, params).json()
    assert [d["code"] for d in body["items"]] == codes
    assert body["count"] == len(codes)


def test_it_pages_with_limit_and_offset_and_a_total(hr_api, tree):
    first = hr_api.get(URL, {"limit": 2}).json()
    second = hr_api.get(URL, {"limit": 2, "offset": 2}).json()
    past = hr_api.get(URL, {"limit": 2, "offset": 10}).json()
    assert (first["count"], first["limit"], first["offset"]) == (4, 2, 0)
    assert [d["code"] for d in first["items"]] == ["100", "110"]
    assert (second["count"], second["offset"]) == (4, 2)
    assert [d["code"] for d in second["items"]] == ["200", "900"]
    assert (past["count"], past["items"]) == (4, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 2**40}, "offset"),
        ({"active": "maybe"}, "active"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_list_parameters_are_422_problems(hr_api, tree, params, field):
    response = hr_api.get(URL, params)
    assert response.status_code == 422
    assert list(field_errors(response)) == [field]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_and_30_rows(
    client, company, hr, rows, django_assert_num_queries
):
    parent = make_department(company, hr, "000", "本社")
    for i in range(rows - 1):
        make_department(company, hr, f"{i + 1:03d}", f"部署{i}", parent=parent)
    api = ApiClient(client, hr)
    api.get(URL)  # the first call of a token stamps last_used_at
    # token → membership, count, page (parents joined)
    with django_assert_num_queries(3):
        body = api.get(URL).json()
    assert body["count"] == rows
    assert len(body["items"]) == rows


def test_an_employee_reads_the_department_tree(client, company, employee_member, department):
    response = ApiClient(client, employee_member).get(URL)
    assert response.status_code == 200
    assert [d["code"] for d in response.json()["items"]] == ["100"]


# ------------------------------------------------------------------ get
def test_it_gets_one_department(hr_api, tree):
    response = hr_api.get(f"{URL}/{tree['jinji'].pk}")
    assert response.status_code == 200
    assert response.json() == dept_json(tree["jinji"], tree["soumu"])


@pytest.mark.parametrize("dept_id", ["424242", "abc", "0", "-1", str(2**70), "1.5"])
def test_an_unknown_or_malformed_id_is_a_problem_not_a_500(hr_api, tree, dept_id):
    response = hr_api.get(f"{URL}/{dept_id}")
    assert response.status_code == (404 if dept_id == "424242" else 422)
    body = response.json()
    assert body["code"] == ("not_found" if dept_id == "424242" else "validation")
    field_errors(response)


# ------------------------------------------------------------------ create
def test_hr_creates_a_department(hr_api, company, hr, tree):
    response = hr_api.post(
        URL, {"code": " 120 ", "name": "労務課", "parent_id": tree["soumu"].pk, "sort_order": 5}
    )
    assert response.status_code == 201
    created = Department.objects.get(company=company, code="120")
    assert response.json() == {
        "id": created.pk,
        "code": "120",
        "name": "労務課",
        "parent_id": tree["soumu"].pk,
        "parent": {"id": tree["soumu"].pk, "code": "100", "name": "総務部"},
        "sort_order": 5,
        "is_active": True,
        "head_id": None,
    }
    event = (
        AuditEvent.objects.filter(company=company, object_type="people.department").order_by("-seq").first()
    )
    assert (event.action, event.object_id, event.actor_id) == ("create", str(created.pk), hr.user_id)


def test_admin_creates_a_top_level_department(client, company, admin):
    response = ApiClient(client, admin).post(URL, {"code": "300", "name": "開発部"})
    assert response.status_code == 201
    assert response.json()["parent"] is None
    assert response.json()["sort_order"] == 0


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({}, 422, {"code", "name"}),
        ({"code": "300"}, 422, {"name"}),
        ({"code": "x" * 21, "name": "部"}, 422, {"code"}),
        ({"code": "300", "name": "部" * 101}, 422, {"name"}),
        ({"code": 300, "name": "部"}, 422, {"code"}),
        ({"code": "300", "name": "部", "sort_order": "first"}, 422, {"sort_order"}),
        ({"code": "300", "name": "部", "sort_order": 2**40}, 422, {"sort_order"}),
        ({"code": "300", "name": "部", "parent_id": "x"}, 422, {"parent_id"}),
        ({"code": "300", "name": "部", "is_active": False}, 422, {"is_active"}),  # not a create field
        ({"code": "300", "name": "部", "colour": "red"}, 422, {"colour"}),
        ({"code": "300", "name": "a\x00b"}, 422, {"name"}),
        ({"code": "   ", "name": "部"}, 400, {"code"}),
        ({"code": "100", "name": "二つ目の総務部"}, 400, {"code"}),
        ({"code": "300", "name": "部", "parent_id": 424242}, 400, {"parent_id"}),
    ],
)
def test_bad_input_is_a_problem_with_field_errors_and_writes_nothing(hr_api, tree, body, status, errors):
    before = counts()
    response = hr_api.post(URL, body)
    assert response.status_code == status
    assert set(field_errors(response)) == errors
    assert counts() == before


def test_a_duplicate_code_says_so_on_the_code_field(hr_api, tree):
    response = hr_api.post(URL, {"code": "100", "name": "総務部2"})
    assert field_errors(response) == {"code": ["この部署コードは既に使われています。"]}


def test_a_body_that_is_not_json_is_a_400_problem(hr_api, tree):
    before = counts()
    response = hr_api.post(URL, raw_body="{code: 1")
    assert response.status_code == 400
    assert field_errors(response) == {}
    for body in ([1, 2], "text", None):
        assert hr_api.post(URL, body).status_code in (400, 422)
    assert counts() == before


def test_an_employee_cannot_create_a_department(client, company, employee_member, department):
    api = ApiClient(client, employee_member)
    before = counts()
    response = api.post(URL, {"code": "300", "name": "開発部"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert counts() == before


def test_a_parent_from_another_company_is_unknown(client, hr_api, tree, other_company, outsider):
    theirs = make_department(other_company, outsider, "100", "よその総務部")
    before = counts()
    response = hr_api.post(URL, {"code": "300", "name": "開発部", "parent_id": theirs.pk})
    assert response.status_code == 400
    assert field_errors(response) == {"parent_id": ["見つかりません。"]}
    assert counts() == before


# ------------------------------------------------------------------ update
def test_patch_changes_only_the_fields_sent(hr_api, tree):
    jinji = tree["jinji"]
    response = hr_api.patch(f"{URL}/{jinji.pk}", {"name": "人事部", "sort_order": 3})
    assert response.status_code == 200
    jinji.refresh_from_db()
    assert (jinji.code, jinji.name, jinji.sort_order, jinji.parent_id) == (
        "110",
        "人事部",
        3,
        tree["soumu"].pk,
    )
    assert response.json() == dept_json(jinji, tree["soumu"])


def test_patch_moves_a_department_to_the_top_and_back(hr_api, tree):
    jinji = tree["jinji"]
    assert hr_api.patch(f"{URL}/{jinji.pk}", {"parent_id": None}).json()["parent"] is None
    moved = hr_api.patch(f"{URL}/{jinji.pk}", {"parent_id": tree["eigyo"].pk}).json()
    assert moved["parent"] == {"id": tree["eigyo"].pk, "code": "200", "name": "営業部"}


def test_patch_reactivates_a_department(hr_api, tree):
    assert hr_api.patch(f"{URL}/{tree['old'].pk}", {"is_active": True}).json()["is_active"] is True


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({"name": None}, 422, {"name"}),
        ({"code": None}, 422, {"code"}),
        ({"is_active": None}, 422, {"is_active"}),
        ({"name": "部" * 101}, 422, {"name"}),
        ({"nmae": "typo"}, 422, {"nmae"}),
        ({"name": ""}, 400, {"name"}),
        ({"code": "200"}, 400, {"code"}),
        ({"parent_id": 424242}, 400, {"parent_id"}),
    ],
)
def test_bad_patches_are_problems_and_change_nothing(hr_api, tree, body, status, errors):
    soumu = tree["soumu"]
    before = (counts(), Department.objects.filter(pk=soumu.pk).values().get())
    response = hr_api.patch(f"{URL}/{soumu.pk}", body)
    assert response.status_code == status
    assert set(field_errors(response)) == errors
    assert (counts(), Department.objects.filter(pk=soumu.pk).values().get()) == before


def test_a_department_cannot_move_under_its_own_child(hr_api, tree):
    response = hr_api.patch(f"{URL}/{tree['soumu'].pk}", {"parent_id": tree["jinji"].pk})
    assert response.status_code == 400
    assert field_errors(response) == {"parent_id": ["自分自身や配下の部署を上位部署にはできません。"]}


def test_a_department_with_people_cannot_be_deactivated(hr_api, company, hr, tree):
    make_employee(company, hr, tree["eigyo"], number="0001")
    response = hr_api.patch(f"{URL}/{tree['eigyo'].pk}", {"is_active": False})
    assert response.status_code == 400
    assert field_errors(response) == {"is_active": ["所属している社員がいる部署は無効にできません。"]}


def test_an_employee_cannot_change_a_department(client, company, employee_member, department):
    api = ApiClient(client, employee_member)
    before = (counts(), Department.objects.filter(pk=department.pk).values().get())
    response = api.patch(f"{URL}/{department.pk}", {"name": "乗っ取り"})
    assert response.status_code == 403
    assert (counts(), Department.objects.filter(pk=department.pk).values().get()) == before


def test_patching_an_unknown_department_is_404(hr_api, tree):
    response = hr_api.patch(f"{URL}/424242", {"name": "x"})
    assert response.status_code == 404
    assert field_errors(response) == {}


# ------------------------------------------------------------------ another company
def test_another_companys_token_gets_404_on_every_id_and_writes_nothing(
    client, tree, other_company, outsider
):
    """``outsider`` is hr and admin of another company: it may write there, never here."""
    theirs = ApiClient(client, outsider)
    before = (counts(), list(Department.objects.order_by("pk").values()))
    for dept in tree.values():
        assert theirs.get(f"{URL}/{dept.pk}").status_code == 404
        response = theirs.patch(f"{URL}/{dept.pk}", {"name": "乗っ取り", "is_active": False})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert theirs.get(URL).json() == {"count": 0, "limit": 50, "offset": 0, "items": []}
    assert theirs.post(URL, {"code": "999", "name": "x", "parent_id": tree["soumu"].pk}).status_code == 400
    assert (counts(), list(Department.objects.order_by("pk").values())) == before
