"""View helpers: require a membership or a role, and render a service error as a 404/403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from .errors import NotFound, PermissionDeniedError, ServiceError

View = Callable[..., HttpResponseBase]


def membership_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "membership", None) is None:
            return redirect("core:no_company")
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def role_required(*roles: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @membership_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.membership.has_any_role(*roles):  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login throttling.

    With ENNOSHITA_PROXY_COUNT = n (n trusted reverse proxies in front of the app), the address is
    the n-th entry from the right of X-Forwarded-For: the one our own outermost proxy saw. Entries
    further left are written by the client and are not trusted. With 0, REMOTE_ADDR.
    """
    from django.conf import settings

    count = getattr(settings, "ENNOSHITA_PROXY_COUNT", 0)
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def service_kwargs(request: HttpRequest) -> dict[str, Any]:
    """The keyword arguments every write service takes from the request: who acts, where."""
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def read_kwargs(request: HttpRequest) -> dict[str, Any]:
    """The keyword arguments every selector that checks roles takes from the request."""
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def error_text(exc: ServiceError) -> str:
    """A refusal's message and its field details in one line, for a toast on a screen whose form
    has no field to show them on."""
    details = [m for messages in exc.field_errors.values() for m in messages if m != exc.message]
    return " ".join([exc.message, *details])
