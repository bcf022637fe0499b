"""What the tenancy URL walk (test_tenancy.py) and its parts (tenancy_parts/) share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ennoshita.core.models import Company, Membership


@dataclass
class World:
    """One company's objects, one of each kind an id-taking URL can name, made through services."""

    company: Company
    staff: Membership  # HR + admin there
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    """How to fill an id-taking URL: each URL argument → the kind of object (a key of World.objects).
    ``body`` builds a JSON body that is valid apart from the foreign id in the URL (API writes
    validate the body before they look the object up; a 422 would prove nothing)."""

    args: dict[str, str]
    body: Callable[[World], dict[str, Any]] | None = None
