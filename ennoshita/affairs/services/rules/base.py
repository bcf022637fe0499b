"""規程's writes: who manages rules, and the checks and row locks every write of a rule or a version
shares."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.affairs.models import Rule, RuleVersion
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role

RULE_MANAGER_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR)
NOTIFY_KIND = "affairs.rule"
VERSION_FIELDS = (
    "number",
    "document_version",
    "effective_from",
    "summary",
    "status",
    "requires_acknowledgement",
    "acknowledge_by",
)


def _fail(name: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={name: [message]})


def manages_rules(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*RULE_MANAGER_ROLES)


def _clean_summary(summary: str) -> str:
    summary = (summary or "").strip()
    if len(summary) > 5000:
        raise _fail("summary", _("改定の概要は5000文字以内で入力してください。"))
    return summary


def _locked_rule(company: Company, rule: Rule) -> Rule:
    found = Rule.objects.for_company(company).select_for_update(of=("self",)).filter(pk=rule.pk).first()
    if found is None:
        raise NotFound()
    return found


def _locked_version(company: Company, version: RuleVersion) -> RuleVersion:
    found = (
        RuleVersion.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("rule")
        .filter(pk=version.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found
