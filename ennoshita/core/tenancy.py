"""The active membership on each request: which company, which roles (ARCHITECTURE.md, tenancy).

The active company is kept in the session; a user who belongs to one company needs no choice.
Memberships that are inactive or past their expiry date (the outside team's) do not count.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import selectors

SESSION_KEY = "active_company_id"


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.company = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = selectors.active_memberships(user=user)
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.company_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
                request.session[SESSION_KEY] = chosen.company_id
            request.membership = chosen  # type: ignore[attr-defined]
            request.company = chosen.company if chosen else None  # type: ignore[attr-defined]
            request.memberships = memberships  # type: ignore[attr-defined]
        return self.get_response(request)
