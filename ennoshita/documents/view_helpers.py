"""文書 screens: what every screen of the app shares (the request's scope, error text, share rows)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Role

from . import selectors
from .access import department_choices
from .models import Document, Folder, GranteeKind


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _scope(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _error_text(exc: ServiceError) -> str:
    details = [m for messages_ in exc.field_errors.values() for m in messages_]
    return " ".join(details) if details else exc.message


def _refuse(exc: ServiceError) -> None:
    """NotFound and PermissionDeniedError are ServiceErrors too: let them become a 404 / 403."""
    if isinstance(exc, NotFound | PermissionDeniedError):
        raise exc


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Requested-With"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("Accept", "")


def _members(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (str(m.user_id), m.user.display_name())
        for m in core_selectors.memberships_of_company(company=request.company)  # type: ignore[attr-defined]
    ]


def _departments(request: HttpRequest) -> list[tuple[str, str]]:
    return department_choices(request.company)  # type: ignore[attr-defined]


def _share_rows(
    request: HttpRequest,
    folder: Folder | None,
    members: list[tuple[str, str]],
    document: Document | None = None,
) -> list[dict[str, Any]]:
    names = dict(members)
    departments = {k: v.strip("　") for k, v in _departments(request)}
    roles = dict(Role.choices)
    rows = []
    target = {"document": document} if document is not None else {"folder": folder}
    for share in selectors.shares_of(company=request.company, **target):  # type: ignore[attr-defined]
        labels: dict[str, str] = {
            GranteeKind.EVERYONE.value: "",
            GranteeKind.ROLE.value: str(roles.get(share.grantee, share.grantee)),
            GranteeKind.USER.value: names.get(share.grantee, share.grantee),
            GranteeKind.DEPARTMENT.value: departments.get(share.grantee, share.grantee),
        }
        grantee = labels.get(share.grantee_kind, share.grantee)
        rows.append({"share": share, "grantee": grantee})
    return rows
