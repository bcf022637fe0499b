"""Calling /api/v1/ in tests as a token holder: ``ApiClient(client, membership).get(...)``."""

from __future__ import annotations

import json
from typing import Any

from ennoshita.core import services as core_services
from ennoshita.core.models import Membership

PROBLEM = "application/problem+json"


def token_for(membership: Membership, name: str = "test") -> str:
    _token, raw = core_services.create_api_token(membership=membership, name=name)
    return raw


class ApiClient:
    """The Django test client with ``Authorization: Bearer <raw token>`` on every call."""

    prefix = "/api/v1"

    def __init__(self, client: Any, membership: Membership | None = None, raw: str | None = None) -> None:
        self.client = client
        self.raw = raw if raw is not None else (token_for(membership) if membership else "")

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.raw}"} if self.raw else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(self.prefix + path, params or {}, **self._headers())

    def post(self, path: str, body: Any = None, *, raw_body: str | None = None) -> Any:
        data = raw_body if raw_body is not None else json.dumps(body, ensure_ascii=False)
        return self.client.post(self.prefix + path, data, content_type="application/json", **self._headers())

    def put(self, path: str, body: Any = None) -> Any:
        data = json.dumps(body, ensure_ascii=False)
        return self.client.put(self.prefix + path, data, content_type="application/json", **self._headers())

    def patch(self, path: str, body: Any = None, *, raw_body: str | None = None) -> Any:
        data = raw_body if raw_body is not None else json.dumps(body, ensure_ascii=False)
        return self.client.patch(self.prefix + path, data, content_type="application/json", **self._headers())


def field_errors(response: Any) -> dict[str, list[str]]:
    """The problem+json ``errors`` as {field: messages}, after checking the envelope."""
    assert response["Content-Type"] == PROBLEM, response.content
    body = response.json()
    assert body["status"] == response.status_code
    assert body["type"] == "about:blank" and body["title"]
    return {e["field"]: e["messages"] for e in body["errors"]}
