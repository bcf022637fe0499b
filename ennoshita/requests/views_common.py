"""What every screen of 業務依頼 renders with: the tabs this member may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import permissions


def page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    m = request.membership  # type: ignore[attr-defined]
    nav = {
        "assistant": permissions.is_assistant(m),
        "perms_costs": permissions.reads_costs(m),
        "perms_admin": permissions.is_admin(m) and not permissions.is_assistant(m),
    }
    return render(request, template, {**nav, **context}, status=status)
