"""The API's one error format reaches every answer a client can provoke, in the user's language."""

from __future__ import annotations

import json

from ennoshita.core.services import create_api_token
from ennoshita.people.models import Department


def _auth(membership):
    _, raw = create_api_token(membership=membership, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_wrong_method_is_problem_json(client, hr):
    response = client.put("/api/v1/people/departments", **_auth(hr))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == 405 and body["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_unknown_api_path_is_problem_json(client, hr):
    response = client.get("/api/v1/no-such-thing", **_auth(hr))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["code"] == "not_found"


def test_validation_messages_are_japanese_and_nothing_is_written(client, hr):
    before = Department.objects.count()
    response = client.post(
        "/api/v1/people/departments",
        data=json.dumps({"name": "x" * 500}),
        content_type="application/json",
        **_auth(hr),
    )
    assert response.status_code == 422
    errors = {e["field"]: e["messages"] for e in json.loads(response.content)["errors"]}
    assert errors["code"] == ["必須項目です。"]
    assert any("文字以内で入力してください" in m for m in errors["name"])
    assert Department.objects.count() == before


def test_validation_messages_in_english(client, hr):
    client.cookies["django_language"] = "en"
    response = client.post(
        "/api/v1/people/departments",
        data=json.dumps({}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_auth(hr),
    )
    errors = {e["field"]: e["messages"] for e in json.loads(response.content)["errors"]}
    assert errors["code"] == ["This field is required."]
