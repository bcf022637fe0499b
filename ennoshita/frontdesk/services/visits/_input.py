"""A visit as typed (the form or the API), cleaned the same way for a 来訪予約 and a walk-in, and
its host: the actor, or — for the desk only — another member of the company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.text import nfkc, search_key
from ennoshita.frontdesk.permissions_visits import is_desk

MAX_VISITORS = 50


@dataclass(frozen=True)
class VisitInput:
    """A visit as typed in the form or sent to the API."""

    visitor_name: str
    expected_at: datetime
    visitor_company: str = ""
    visitor_count: Any = 1
    visitor_phone: str = ""
    visitor_email: str = ""
    purpose: str = ""
    expected_until: datetime | None = None
    host_id: int | None = None  # None: the actor is the host
    room_id: int | None = None  # reserve this room for expected_at–expected_until
    note: str = ""


def make_search_key(visitor_company: str, visitor_name: str) -> str:
    """The 会社名 and 氏名 folded for search (width, case, kana), each one word."""
    return " ".join(k for k in (search_key(visitor_company), search_key(visitor_name)) if k)[:400]


def host_of(company: Company, host_id: int | None, actor: User, membership: Membership) -> User:
    if host_id is None or host_id == actor.pk:
        return actor
    if not is_desk(membership):
        raise PermissionDeniedError(
            _("自分以外を担当者にして来訪を登録できるのは受付・総務・管理者だけです。")
        )
    found = (
        Membership.objects.for_company(company)
        .filter(user_id=host_id, is_active=True)
        .select_related("user")
        .first()
    )
    if found is None:
        raise ServiceError(
            _("担当者はこの会社の社員から選んでください。"),
            code="validation",
            field_errors={"host": [_("担当者はこの会社の社員から選んでください。")]},
        )
    return found.user


def _text(errors: dict[str, list[str]], name: str, value: str, limit: int, required: str = "") -> str:
    text = " ".join(nfkc(value or "").split()) if name != "note" else (value or "").strip()
    if required and not text:
        errors[name] = [required]
    elif len(text) > limit:
        errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]
    return text


def clean_visit(data: VisitInput, *, walk_in: bool = False) -> dict[str, Any]:
    """The visit's values, ready for the row (with its search key); every mistake at once as field
    errors. A walk-in may be dated in the past (it is registered as it happens)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "visitor_name": _text(
            errors, "visitor_name", data.visitor_name, 100, _("来訪者の氏名を入力してください。")
        ),
        "visitor_company": _text(errors, "visitor_company", data.visitor_company, 200),
        "visitor_phone": _text(errors, "visitor_phone", data.visitor_phone, 30),
        "visitor_email": _text(errors, "visitor_email", data.visitor_email, 254),
        "purpose": _text(errors, "purpose", data.purpose, 300),
        "note": _text(errors, "note", data.note, 300),
    }
    if values["visitor_email"]:
        try:
            validate_email(values["visitor_email"])
        except ValidationError:
            errors["visitor_email"] = [_("メールアドレスの形式が正しくありません。")]
    try:
        count = int(nfkc(str(data.visitor_count)).strip() or "1")
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_VISITORS:
        errors["visitor_count"] = [_("人数は1〜%(n)s人で入力してください。") % {"n": MAX_VISITORS}]
    values["visitor_count"] = count
    start, end = data.expected_at, data.expected_until
    if start is None:
        errors["expected_at"] = [_("来訪予定時刻を入力してください。")]
    elif not walk_in and timezone.localdate(start) < timezone.localdate():
        errors["expected_at"] = [_("過去の日付には来訪を予約できません。")]
    if start is not None and end is not None and end <= start:
        errors["expected_until"] = [_("退館予定時刻は来訪予定時刻より後にしてください。")]
    if data.room_id is not None and end is None:
        errors["expected_until"] = [
            _("会議室を予約するときは退館予定時刻(会議の終了時刻)を入力してください。")
        ]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    values["expected_at"] = start
    values["expected_until"] = end
    values["search_key"] = make_search_key(values["visitor_company"], values["visitor_name"])
    return values
