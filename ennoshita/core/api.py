"""API plumbing shared by every router: bearer-token auth, one error format (RFC 9457), and the
small schema pieces and caller every app's API uses.

A token stands for one membership, so every API call knows its company and roles exactly like a
signed-in page does. Errors come back as ``application/problem+json`` with field errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from .assistant_trail import assistant_may_call
from .errors import NotFound, ServiceError
from .models import Company, Membership, User
from .services import authenticate_api_token
from .text import nfkc

PROBLEM = "application/problem+json"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        membership = authenticate_api_token(token)
        if membership is not None and not assistant_may_call(membership, request.path):
            # the outside team reaches only the API of its requests and its shared documents;
            # refused before the handler runs, as 404 (core.assistant_trail records the attempt)
            request.membership = membership  # type: ignore[attr-defined]
            raise NotFound()
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


def problem(
    status: int, title: str, *, detail: str = "", code: str = "", errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    import json

    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    body["errors"] = [{"field": k, "messages": v} for k, v in (errors or {}).items()]
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM)


def _loc_to_field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data", "form")]
    return ".".join(parts) or "__all__"


def validation_message(err: dict[str, Any]) -> str:
    """pydantic's error, said in the user's language (its own messages are English only)."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        # Our own validators raise ValueError with a message already in the user's language.
        return str(err.get("msg", "")).removeprefix("Value error, ")
    messages = {
        "missing": _("必須項目です。"),
        "extra_forbidden": _("この項目は受け付けていません。"),
        "string_type": _("文字列で入力してください。"),
        "string_too_long": _("%(n)s文字以内で入力してください。") % {"n": ctx.get("max_length", "")},
        "string_too_short": _("%(n)s文字以上で入力してください。") % {"n": ctx.get("min_length", "")},
        "string_pattern_mismatch": _("形式が正しくありません。"),
        "int_type": _("整数で入力してください。"),
        "int_parsing": _("整数で入力してください。"),
        "int_from_float": _("整数で入力してください。"),
        "bool_type": _("true か false で入力してください。"),
        "bool_parsing": _("true か false で入力してください。"),
        "date_type": _("日付を YYYY-MM-DD の形式で入力してください。"),
        "date_parsing": _("日付を YYYY-MM-DD の形式で入力してください。"),
        "date_from_datetime_parsing": _("日付を YYYY-MM-DD の形式で入力してください。"),
        "date_from_datetime_inexact": _("日付だけを入力してください(時刻は不要です)。"),
        "decimal_parsing": _("数値で入力してください。"),
        "decimal_type": _("数値で入力してください。"),
        "greater_than_equal": _("%(n)s 以上の値を入力してください。") % {"n": ctx.get("ge", "")},
        "greater_than": _("%(n)s より大きい値を入力してください。") % {"n": ctx.get("gt", "")},
        "less_than_equal": _("%(n)s 以下の値を入力してください。") % {"n": ctx.get("le", "")},
        "less_than": _("%(n)s 未満の値を入力してください。") % {"n": ctx.get("lt", "")},
        "literal_error": _("次のいずれかを指定してください: %(v)s") % {"v": ctx.get("expected", "")},
        "enum": _("次のいずれかを指定してください: %(v)s") % {"v": ctx.get("expected", "")},
        "json_invalid": _("JSON として読めません。"),
        "model_attributes_type": _("JSON オブジェクトで送ってください。"),
        "dict_type": _("JSON オブジェクトで送ってください。"),
        "model_type": _("JSON オブジェクトで送ってください。"),
        "list_type": _("配列で送ってください。"),
    }
    return str(messages.get(kind) or err.get("msg", _("値が正しくありません。")))


class ApiProblemMiddleware:
    """Answers that Django or ninja make before our handlers run (unknown API path, wrong HTTP
    method) come back in the API's one error format too."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.get("Content-Type", "").startswith(
            ("application/json", PROBLEM)
        ):
            return response
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            out = problem(
                405,
                _("このメソッドは使えません。"),
                detail=_("使えるメソッド: %(m)s") % {"m": allowed},
                code="method_not_allowed",
            )
            out["Allow"] = allowed
            return out
        if response.status_code == 404:
            return problem(404, _("見つかりません。"), code="not_found")
        return response


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return problem(exc.status, exc.message, code=exc.code, errors=exc.field_errors)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_loc_to_field(list(err.get("loc", []))), []).append(validation_message(err))
        return problem(422, _("入力内容に誤りがあります。"), code="validation", errors=fields)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            401,
            _("認証が必要です。有効なAPIトークンを Authorization: Bearer で送ってください。"),
            code="unauthorized",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, str(exc), code="http_error")


# ------------------------------------------------------------------ pieces every app's API shares

MAX_INT32 = 2**31 - 1  # what an integer query parameter may be (PostgreSQL's integer)
MAX_ID = 2**63 - 1


def printable(value: str) -> str:
    """No control characters in text sent to the API (tabs and line breaks are fine)."""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise ValueError("制御文字は使えません。")
    return value


# Bounded strings (the bound lives inside the type, so that it also holds in ``X | None``).
Str10 = Annotated[str, StringConstraints(max_length=10), AfterValidator(printable)]
Str20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(printable)]
Str30 = Annotated[str, StringConstraints(max_length=30), AfterValidator(printable)]
Str40 = Annotated[str, StringConstraints(max_length=40), AfterValidator(printable)]
Str50 = Annotated[str, StringConstraints(max_length=50), AfterValidator(printable)]
Str60 = Annotated[str, StringConstraints(max_length=60), AfterValidator(printable)]
Str100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(printable)]
Str200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(printable)]
Str254 = Annotated[str, StringConstraints(max_length=254), AfterValidator(printable)]
Str300 = Annotated[str, StringConstraints(max_length=300), AfterValidator(printable)]
Str500 = Annotated[str, StringConstraints(max_length=500), AfterValidator(printable)]
Text = Annotated[str, StringConstraints(max_length=5000), AfterValidator(printable)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def whole_yen_parser(*, minimum: int, maximum: int) -> Callable[[Any], Decimal]:
    """A validator for an amount as sent (JSON number or string such as "12,000") → whole yen
    between ``minimum`` and ``maximum``, or a ValueError said in Japanese."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError("金額は円単位の整数で入力してください。")
        try:
            amount = Decimal(nfkc(value).strip().replace(",", "") if isinstance(value, str) else str(value))
        except InvalidOperation:
            raise ValueError("金額は円単位の整数で入力してください。") from None
        if not amount.is_finite():
            raise ValueError("金額は円単位の整数で入力してください。")
        if amount != amount.to_integral_value():
            raise ValueError("1円未満の端数は入力できません。金額は円単位の整数で入力してください。")
        if amount < minimum:
            raise ValueError(f"金額は{minimum}円以上で入力してください。")
        if amount > maximum:
            raise ValueError(f"金額は{maximum:,}円以下で入力してください。")
        return amount.quantize(Decimal(1))

    return parse


class Input(Schema):
    """A request body: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# A PATCH body may leave a field out (it keeps its value) but may not send null for a field that is
# not nullable: such fields default to UNSET (None, never validated), and an explicit null fails the
# field's type like any other wrong value. ``Any`` keeps mypy quiet about a None default on ``str``.
UNSET: Any = None


class UserRef(Schema):
    id: int = Field(description="ユーザーID")
    name: str = Field(description="氏名(未登録ならユーザー名)")


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="1ページの件数(1〜200、既定 50)")
    offset: int = Field(0, ge=0, le=MAX_INT32, description="先頭から飛ばす件数(既定 0)")


@dataclass(frozen=True)
class Caller:
    """Who is calling, as ``TokenAuth`` put it on the request."""

    company: Company
    membership: Membership
    user: User

    def reader(self) -> dict[str, Any]:
        return {"company": self.company, "membership": self.membership}

    def writer(self) -> dict[str, Any]:
        """The keyword arguments every service takes."""
        return {"company": self.company, "membership": self.membership, "actor": self.user}


def caller_of(request: HttpRequest) -> Caller:
    return Caller(request.company, request.membership, request.membership.user)  # type: ignore[attr-defined]
