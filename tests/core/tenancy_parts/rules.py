"""Tenancy URL walk: the rules part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.core.tenancy_probe import Probe, World


def _publish_body(own: World) -> dict[str, Any]:
    return {"audience": "all"}


def _remind_body(own: World) -> dict[str, Any]:
    return {}


ROUTES: dict[str, Probe] = {
    "affairs:rule_detail": Probe({"pk": "rule"}),
    "api:rule_version_create": Probe({"rule_id": "rule"}),
    "affairs:rule_edit": Probe({"pk": "rule"}),
    "affairs:rule_set_active": Probe({"pk": "rule"}),
    "affairs:rule_version_new": Probe({"pk": "rule"}),
    "affairs:rule_version_detail": Probe({"pk": "rule_version"}),
    "affairs:rule_version_publish": Probe({"pk": "rule_draft"}),
    "affairs:rule_version_audience": Probe({"pk": "rule_version"}),
    "affairs:rule_not_yet": Probe({"pk": "rule_version"}),
    "affairs:rule_remind": Probe({"pk": "rule_version"}),
    "affairs:rule_version_file": Probe({"pk": "rule_version"}),
    "affairs:rule_version_read": Probe({"pk": "rule_version"}),
    "affairs:rule_acknowledge": Probe({"pk": "rule_version"}),
    "api:rule_detail": Probe({"rule_id": "rule"}),
    "api:rule_version_detail": Probe({"version_id": "rule_version"}),
    "api:rule_publish": Probe({"version_id": "rule_draft"}, body=_publish_body),
    "api:rule_acknowledge": Probe({"version_id": "rule_version"}),
    "api:rule_not_yet": Probe({"version_id": "rule_version"}),
    "api:rule_remind": Probe({"version_id": "rule_version"}, body=_remind_body),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """A rule whose 第1版 is published to everyone in service, and a draft 第2版."""
    from ennoshita.affairs.services import rules as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    rule = services.create_rule(
        **w,
        code="R-001",
        title="就業規則",
        category="work_rules",
        file_name="就業規則.txt",
        data="第1条 目的".encode(),
        effective_from=date(2026, 4, 1),
    )
    first = rule.versions.get(number=1)
    services.publish_version(**w, version=first, audience=services.Audience())
    draft = services.add_draft_version(
        **w,
        rule=rule,
        file_name="改定.txt",
        data="第1条 目的(改定)".encode(),
        effective_from=date(2026, 10, 1),
    )
    return {"rule": rule, "rule_version": first, "rule_draft": draft}
