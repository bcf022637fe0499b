"""部署 and 役職 screens: the tree, create, edit (with its 変更履歴), delete when unused."""

from __future__ import annotations

import re

from django.urls import reverse

from ennoshita.people import services
from ennoshita.people.models import Department, Position

from ..conftest import login, make_department, make_employee
from .helpers import counts, html


def _tree(response) -> list[tuple[str, int]]:
    return [
        (code, int(depth))
        for code, depth in re.findall(r'data-dept="([^"]+)" data-depth="(\d+)"', html(response))
    ]


def test_department_list_is_the_tree_in_order(client, company, hr, department):
    sales = make_department(company, hr, code="300", name="営業部")
    make_department(company, hr, code="310", name="営業一課", parent=sales)
    make_department(company, hr, code="110", name="経理課", parent=department)
    response = login(client, hr).get(reverse("people:department_list"))
    assert _tree(response) == [("100", 0), ("110", 1), ("300", 0), ("310", 1)]


def test_create_department_under_a_parent(client, company, hr, department):
    c = login(client, hr)
    form = c.get(reverse("people:department_create"), {"parent": department.pk}).context["form"]
    assert str(form.initial["parent"]) == str(department.pk)
    response = c.post(
        reverse("people:department_create"),
        {"code": "120", "name": " 人事課 ", "parent": str(department.pk), "sort_order": "5"},
    )
    assert response.status_code == 302
    d = Department.objects.get(company=company, name="人事課")
    assert (d.code, d.parent, d.sort_order, d.is_active) == ("120", department, 5, True)


def test_create_department_with_a_taken_code_shows_it_on_the_field(client, company, hr, department):
    c = login(client, hr)
    before = counts()
    response = c.post(reverse("people:department_create"), {"code": "100", "name": "重複", "sort_order": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["この部署コードは既に使われています。"]
    response = c.post(reverse("people:department_create"), {"code": "", "name": "", "sort_order": "x"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"code", "name", "sort_order"}
    assert counts() == before


def test_edit_department_and_see_its_history(client, company, hr, department):
    sales = make_department(company, hr, code="300", name="営業部")
    c = login(client, hr)
    url = reverse("people:department_edit", args=[department.pk])
    response = c.post(
        url,
        {"code": "100", "name": "総務人事部", "parent": str(sales.pk), "sort_order": "3", "is_active": "on"},
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.parent, department.sort_order) == ("総務人事部", sales, 3)
    body = html(c.get(url))
    history = body[body.index('id="history"') :]
    assert '<td>部署名</td><td class="before">総務部</td><td class="after">総務人事部</td>' in history
    assert '<td>上位部署</td><td class="before">—</td><td class="after">300 営業部</td>' in history


def test_a_department_cannot_move_under_its_own_sub_department(client, company, hr, department):
    sub = make_department(company, hr, code="110", name="経理課", parent=department)
    c = login(client, hr)
    form = c.get(reverse("people:department_edit", args=[department.pk])).context["form"]
    assert [v for v, _label in form.fields["parent"].choices] == [""]  # itself and 経理課 are not offered
    before = counts()
    response = c.post(
        reverse("people:department_edit", args=[department.pk]),
        {"code": "100", "name": "総務部", "parent": str(sub.pk), "sort_order": "0", "is_active": "on"},
    )
    assert response.status_code == 400 and "parent" in response.context["form"].errors
    assert counts() == before


def test_a_department_with_people_cannot_be_deactivated(client, company, hr, department):
    make_employee(company, hr, department)
    c = login(client, hr)
    before = counts()
    response = c.post(
        reverse("people:department_edit", args=[department.pk]),
        {"code": "100", "name": "総務部", "parent": "", "sort_order": "0"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["is_active"] == ["所属している社員がいる部署は無効にできません。"]
    assert counts() == before


def test_delete_an_unused_department(client, company, hr, department):
    empty = make_department(company, hr, code="900", name="空の部署")
    c = login(client, hr)
    body = html(c.get(reverse("people:department_edit", args=[empty.pk])))
    assert 'data-confirm="部署「空の部署」を削除しますか？"' in body
    response = c.post(reverse("people:department_delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Department.objects.filter(pk=empty.pk).exists()


def test_a_used_department_is_not_deleted_and_the_reason_is_shown(client, company, hr, department):
    make_employee(company, hr, department)
    c = login(client, hr)
    before = counts()
    response = c.post(reverse("people:department_delete", args=[department.pk]))
    assert response.status_code == 400
    assert "配下の部署や配置履歴がある部署は削除できません。無効にしてください。" in html(response)
    assert counts() == before


def test_positions_list_create_and_edit(client, company, hr):
    c = login(client, hr)
    assert (
        c.post(reverse("people:position_create"), {"code": "P20", "name": "課長", "rank": "20"}).status_code
        == 302
    )
    assert (
        c.post(reverse("people:position_create"), {"code": "P10", "name": "部長", "rank": "10"}).status_code
        == 302
    )
    body = html(c.get(reverse("people:position_list")))
    assert re.findall(r'data-position="([^"]+)"', body) == ["P10", "P20"]  # by rank
    pos = Position.objects.get(company=company, code="P20")
    assert (
        c.post(
            reverse("people:position_edit", args=[pos.pk]), {"code": "P20", "name": "課長代理", "rank": "25"}
        ).status_code
        == 302
    )
    pos.refresh_from_db()
    assert (pos.name, pos.rank) == ("課長代理", 25)
    body = html(c.get(reverse("people:position_edit", args=[pos.pk])))
    assert '<td>役職名</td><td class="before">課長</td><td class="after">課長代理</td>' in body


def test_position_with_a_taken_code_answers_400(client, company, hr):
    services.create_position(company=company, actor=hr.user, membership=hr, code="P1", name="部長")
    c = login(client, hr)
    before = counts()
    response = c.post(reverse("people:position_create"), {"code": "P1", "name": "別", "rank": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["この役職コードは既に使われています。"]
    assert counts() == before
