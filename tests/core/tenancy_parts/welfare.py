"""Tenancy URL walk: the welfare part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from typing import Any

from tests.core.tenancy_probe import Probe

ROUTES: dict[str, Probe] = {}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    return {}
