"""The outside assistant team's gate and trail.

Default deny: an outside assistant reaches only the pages every person has (home, profile,
password, notifications, sign-out), the requests app (which shows them their team's open requests
and what those name, ``core.grants``) and the documents app (which admits them only to what is
shared with them personally, with an expiry). Every other page and API endpoint answers 404 before
its view runs, whatever that view's own role checks would say, so a new page of any app is closed
to them until it is opened here on purpose.

Every page an outside assistant opens goes into the audit trail (issue 11: "every page they open
and every change they make is in the audit trail"), and whatever is refused to them answers 404, so
that a refusal never tells them a record exists. The attempt is recorded as ``access_denied``.

Runs after ``ActiveMembershipMiddleware`` (pages) and sees API calls too: the API's token
authentication puts the membership on the request before the response comes back here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from .audit import record_event
from .models import Membership, Role

# what the browser fetches by itself is not a page the person opened
UNRECORDED_PREFIXES = ("/static/", "/favicon", "/jsi18n/", "/i18n/")


def is_assistant(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(Role.ASSISTANT)


# URL names (namespace:name) and namespaces an assistant may open; API paths by prefix, because the
# token that says who calls the API is read by the API itself
OPEN_URL_NAMES = frozenset(
    {
        "home",
        "core:logout",
        "core:login",
        "core:no_company",
        "core:switch_company",
        "core:profile",
        "core:password_change",
        "core:revoke_token",
        "core:notifications",
        "core:notifications_read_all",
        "core:notification_read",
        "set_language",
    }
)
OPEN_NAMESPACES = frozenset({"requests", "documents"})
OPEN_API_PREFIXES = ("/api/v1/requests/", "/api/v1/documents/")


def assistant_may_call(membership: Membership, path: str) -> bool:
    """Whether an API call is open to this membership (the API's token auth asks)."""
    return not is_assistant(membership) or path.startswith(OPEN_API_PREFIXES)


def _refused(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from .api import problem

        return problem(404, _("見つかりません。"), code="not_found")
    return page_not_found(request, exception=None)


class AssistantTrailMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object):
        """Refuse, before the view runs, whatever is not open to the outside team."""
        if request.path.startswith("/api/"):
            return None  # the API's token auth applies the same rule (assistant_may_call)
        if not is_assistant(getattr(request, "membership", None)):
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in OPEN_URL_NAMES or (match is not None and match.namespace in OPEN_NAMESPACES):
            return None
        return _refused(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        membership = getattr(request, "membership", None)
        if not is_assistant(membership) or request.path.startswith(UNRECORDED_PREFIXES):
            return response
        assert membership is not None
        status = response.status_code
        if status == 403:
            response = _refused(request)
        denied = status in (403, 404)
        with transaction.atomic():
            record_event(
                company=membership.company,
                actor=membership.user,
                action="access_denied" if denied else "page_view",
                object_type="page",
                object_id=request.path[:64],
                object_repr=f"{request.method} {request.get_full_path()}"[:200],
                extra={"status": status, "method": request.method or ""},
            )
        return response
