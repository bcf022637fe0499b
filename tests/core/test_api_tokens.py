"""Personal API tokens: created once, stored as a hash, bound to one membership, revocable; a token
that no longer stands for a live membership answers 401 problem+json."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.core import services as core_services
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import ApiToken, AuditEvent, Membership

from ..apiclient import PROBLEM, ApiClient, field_errors
from ..conftest import make_department, make_member

DEPARTMENTS = "/people/departments"


def assert_unauthorized(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "unauthorized"
    assert body["errors"] == []
    assert "Bearer" in body["title"]


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(hr):
    token, raw = core_services.create_api_token(membership=hr, name=" 給与連携 ")
    assert raw.startswith("enno_") and len(raw) > 40
    token.refresh_from_db()
    assert token.name == "給与連携"
    assert token.company_id == hr.company_id
    assert token.membership_id == hr.pk
    assert token.prefix == raw[5:13]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert token.revoked_at is None and token.last_used_at is None
    event = AuditEvent.objects.filter(company=hr.company, object_type="core.apitoken").get()
    assert (event.action, event.actor_id) == ("create", hr.user_id)
    assert raw not in str(event.changes)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name_of_1_to_100_characters(hr, name):
    with pytest.raises(ServiceError) as exc:
        core_services.create_api_token(membership=hr, name=name)
    assert list(exc.value.field_errors) == ["name"]
    assert ApiToken.objects.count() == 0


def test_a_token_authenticates_as_its_membership(client, company, hr, department):
    token, raw = core_services.create_api_token(membership=hr, name="cli")
    response = ApiClient(client, raw=raw).get(DEPARTMENTS)
    assert response.status_code == 200
    assert [d["code"] for d in response.json()["items"]] == ["100"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_answers_401_problem_json(client, company, hr, department):
    token, raw = core_services.create_api_token(membership=hr, name="cli")
    api = ApiClient(client, raw=raw)
    assert api.get(DEPARTMENTS).status_code == 200

    core_services.revoke_api_token(membership=hr, token_id=token.pk)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_unauthorized(api.get(DEPARTMENTS))
    assert_unauthorized(api.post(DEPARTMENTS, {"code": "200", "name": "経理部"}))
    assert (
        AuditEvent.objects.filter(company=company, object_type="core.apitoken", action="revoke").count() == 1
    )


def test_only_the_owner_revokes_a_token_and_only_once(hr, admin):
    token, _raw = core_services.create_api_token(membership=hr, name="cli")
    with pytest.raises(NotFound):
        core_services.revoke_api_token(membership=admin, token_id=token.pk)
    core_services.revoke_api_token(membership=hr, token_id=token.pk)
    with pytest.raises(NotFound):
        core_services.revoke_api_token(membership=hr, token_id=token.pk)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer enno_not-a-token",
        "Bearer not-our-prefix",
        "Basic dXNlcjpwYXNz",
        "enno_x",
        "Bearer enno_\u00e9\u00e9\u00e9",
    ],
)
def test_a_missing_or_unknown_token_answers_401(client, company, hr, header):
    core_services.create_api_token(membership=hr, name="cli")
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    assert_unauthorized(client.get("/api/v1" + DEPARTMENTS, **extra))


def test_an_expired_assistant_membership_answers_401(client, company, hr, department):
    today = timezone.localdate()
    assistant = make_member(company, "helper", ["assistant"], expires_on=today + timedelta(days=1))
    _token, raw = core_services.create_api_token(membership=assistant, name="assist")
    api = ApiClient(client, raw=raw)
    # While the membership runs the token works where the outside team may go (its requests),
    # and every other endpoint answers 404 (core.assistant_trail: default deny).
    assert api.get("/documents/").status_code == 200
    assert api.get("/people/employees").status_code == 404

    Membership.objects.filter(pk=assistant.pk).update(expires_on=today - timedelta(days=1))

    assert_unauthorized(api.get("/people/employees"))
    assert_unauthorized(api.get(DEPARTMENTS))


def test_an_assistant_does_not_read_the_department_tree(client, company, hr, department):
    assistant = make_member(
        company, "helper", ["assistant"], expires_on=timezone.localdate() + timedelta(days=5)
    )
    api = ApiClient(client, assistant)
    response = api.get(DEPARTMENTS)
    assert response.status_code == 404  # closed to the outside team before the handler runs
    assert field_errors(response) == {}
    assert api.get(f"{DEPARTMENTS}/{department.pk}").status_code == 404


def test_a_deactivated_membership_or_user_answers_401(client, company, hr, department):
    api = ApiClient(client, hr)
    assert api.get(DEPARTMENTS).status_code == 200
    Membership.objects.filter(pk=hr.pk).update(is_active=False)
    assert_unauthorized(api.get(DEPARTMENTS))
    Membership.objects.filter(pk=hr.pk).update(is_active=True)
    assert api.get(DEPARTMENTS).status_code == 200
    hr.user.is_active = False
    hr.user.save(update_fields=["is_active"])
    assert_unauthorized(api.get(DEPARTMENTS))


def test_a_token_stands_for_one_company_of_a_user_in_two(client, company, hr, department, other_company):
    """The same user is hr in both companies; each token sees its own company only."""
    there = make_member(other_company, "hr1", ["hr"])  # the same user as ``hr``
    assert there.user_id == hr.user_id
    make_department(other_company, there, code="900", name="よその部")

    here_api = ApiClient(client, hr)
    there_api = ApiClient(client, there)
    assert [d["code"] for d in here_api.get(DEPARTMENTS).json()["items"]] == ["100"]
    assert [d["code"] for d in there_api.get(DEPARTMENTS).json()["items"]] == ["900"]
    assert there_api.get(f"{DEPARTMENTS}/{department.pk}").status_code == 404


def test_a_signed_in_session_is_not_an_api_credential(client, company, hr, department):
    client.force_login(hr.user)
    assert_unauthorized(client.get("/api/v1" + DEPARTMENTS))
