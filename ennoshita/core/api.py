"""API plumbing shared by every router: bearer-token auth and one error format (RFC 9457).

A token stands for one membership, so every API call knows its company and roles exactly like a
signed-in page does. Errors come back as ``application/problem+json`` with field errors.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from .errors import ServiceError
from .models import Membership
from .services import authenticate_api_token

PROBLEM = "application/problem+json"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        membership = authenticate_api_token(token)
        if membership is not None:
            request.membership = membership  # type: ignore[attr-defined]
            request.company = membership.company  # type: ignore[attr-defined]
            request.user = membership.user
        return membership


class FieldError(Schema):
    field: str
    messages: list[str]


class Problem(Schema):
    """RFC 9457 problem details, with ``errors`` listing the fields that are wrong."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    code: str = ""
    errors: list[FieldError] = []


def problem(status: int, title: str, *, detail: str = "", code: str = "", errors: dict[str, list[str]] | None = None) -> HttpResponse:
    import json

    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail, "code": code}
    body["errors"] = [{"field": k, "messages": v} for k, v in (errors or {}).items()]
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM)


def _loc_to_field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return problem(exc.status, exc.message, code=exc.code, errors=exc.field_errors)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_loc_to_field(list(err.get("loc", []))), []).append(str(err.get("msg", "")))
        return problem(422, _("入力内容に誤りがあります。"), code="validation", errors=fields)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(401, _("認証が必要です。有効なAPIトークンを Authorization: Bearer で送ってください。"), code="unauthorized")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, str(exc), code="http_error")
