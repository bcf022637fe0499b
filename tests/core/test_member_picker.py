"""The 担当者・宛先 picker: the member search behind it, the field that resolves what was typed or
chosen, and the forms of 受付 that use it in place of a select of every member."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from ennoshita.core import selectors
from ennoshita.core.member_picker import MemberField, bind_member_fields, label_of
from ennoshita.frontdesk.models import Visit
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(company):
    return {
        "yamada": make_member(company, "yamada", ["employee"], last_name="山田", first_name="太郎"),
        "yamada2": make_member(company, "yamada2", ["employee"], last_name="山田", first_name="花子"),
        "sato": make_member(
            company, "sato", ["employee"], last_name="佐藤", first_name="健", email="ken@example.jp"
        ),
        "gone": make_member(
            company,
            "gone",
            ["assistant"],
            last_name="期限",
            first_name="切れ",
            expires_on=timezone.localdate() - timedelta(days=1),
        ),
    }


def names(users):
    return sorted(u.username for u in users)


def test_search_by_family_name_full_name_without_space_login_and_mail(company, people):
    assert names(selectors.search_members(company=company, q="山田")) == ["yamada", "yamada2"]
    assert names(selectors.search_members(company=company, q="山田太郎")) == ["yamada"]
    assert names(selectors.search_members(company=company, q="山田 太郎")) == ["yamada"]
    assert names(selectors.search_members(company=company, q="ＳＡＴＯ")) == ["sato"]  # 全角 folded
    assert names(selectors.search_members(company=company, q="ken@")) == ["sato"]
    assert selectors.search_members(company=company, q="  ") == []


def test_search_leaves_out_other_companies_expired_and_inactive_members(company, other_company, people):
    make_member(other_company, "yamada_other", ["employee"], last_name="山田", first_name="三郎")
    people["yamada2"].is_active = False
    people["yamada2"].save()
    assert names(selectors.search_members(company=company, q="山田")) == ["yamada"]
    assert selectors.search_members(company=company, q="期限") == []


def test_search_returns_at_most_the_limit(company):
    for i in range(25):
        make_member(company, f"suzuki{i:02d}", ["employee"], last_name="鈴木", first_name=f"{i}号")
    assert len(selectors.search_members(company=company, q="鈴木")) == selectors.MEMBER_SEARCH_LIMIT


def test_a_suggestion_label_typed_back_finds_exactly_that_person(company, people):
    label = label_of(people["yamada"].user)
    assert label == "山田 太郎(yamada)"
    assert names(selectors.search_members(company=company, q=label)) == ["yamada"]


class PickForm(forms.Form):
    who = MemberField(label="担当者", required=False)


def pick(company, data):
    form = PickForm(data)
    bind_member_fields(form, company)
    return form


def test_field_takes_the_chosen_id_or_a_single_match_and_explains_the_rest(company, other_company, people):
    yamada = people["yamada"].user
    form = pick(company, {"who": str(yamada.pk), "who_text": "なんでも"})
    assert form.is_valid() and form.cleaned_data["who"] == yamada.pk

    form = pick(company, {"who": "", "who_text": "佐藤"})
    assert form.is_valid() and form.cleaned_data["who"] == people["sato"].user_id

    form = pick(company, {"who": "", "who_text": "山田 太郎(yamada)"})
    assert form.is_valid() and form.cleaned_data["who"] == yamada.pk

    form = pick(company, {"who": "", "who_text": "山田"})
    assert not form.is_valid()
    assert "2人います" in form.errors["who"][0]

    form = pick(company, {"who": "", "who_text": "田中"})
    assert not form.is_valid()
    assert "見つかりません" in form.errors["who"][0]

    stranger = make_member(other_company, "stranger", ["employee"])
    form = pick(company, {"who": str(stranger.user_id), "who_text": ""})
    assert not form.is_valid()
    assert "この会社のメンバーではありません" in form.errors["who"][0]

    form = pick(company, {"who": str(people["gone"].user_id)})
    assert not form.is_valid()

    form = pick(company, {})
    assert form.is_valid() and form.cleaned_data["who"] is None


def test_the_widget_shows_the_chosen_persons_name(company, people):
    form = PickForm(initial={"who": people["sato"].user_id})
    bind_member_fields(form, company)
    html = str(form["who"])
    assert f'value="{people["sato"].user_id}"' in html
    assert 'value="佐藤 健(sato)"' in html
    assert reverse("core:member_search") in html


def test_search_endpoint_answers_json_to_members_but_not_to_an_outside_assistant(
    client, company, people, as_member
):
    as_member(people["sato"])
    response = client.get(reverse("core:member_search"), {"q": "山田"})
    assert response.status_code == 200
    labels = [r["label"] for r in response.json()["results"]]
    assert labels == ["山田 太郎(yamada)", "山田 花子(yamada2)"]

    assistant = make_member(
        company, "helper", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30)
    )
    as_member(assistant)
    assert client.get(reverse("core:member_search"), {"q": "山田"}).status_code == 404

    client.logout()
    assert client.get(reverse("core:member_search"), {"q": "山田"}).status_code == 302


def test_the_desk_registers_a_walk_in_by_typing_the_hosts_name(client, company, people, as_member):
    desk = make_member(company, "desk", ["frontdesk"], last_name="受付", first_name="桜")
    as_member(desk)
    board = client.get(reverse("frontdesk:visit_board"))
    assert board.status_code == 200
    assert "data-member-picker" in board.content.decode()
    assert "<option" not in board.content.decode().split('name="host"')[1].split("</form>")[0]

    response = client.post(
        reverse("frontdesk:visit_walk_in"),
        {"visitor_name": "飛込 一郎", "visitor_count": 1, "host": "", "host_text": "山田"},
    )
    assert response.status_code == 400
    assert "2人います" in response.content.decode()
    assert not Visit.objects.exists()

    response = client.post(
        reverse("frontdesk:visit_walk_in"),
        {"visitor_name": "飛込 一郎", "visitor_count": 1, "host": "", "host_text": "山田花子"},
    )
    assert response.status_code == 302
    assert Visit.objects.get().host_id == people["yamada2"].user_id


def test_visitor_log_filters_by_the_chosen_host(client, company, people, as_member):
    desk = make_member(company, "desk", ["frontdesk"])
    as_member(desk)
    response = client.get(reverse("frontdesk:visit_log"), {"host": people["sato"].user_id})
    assert response.status_code == 200
    assert 'value="佐藤 健(sato)"' in response.content.decode()
