"""Reads of 就業規則・社内規程: the rule list, a rule's versions with their acknowledgement counts,
the not-yet list of a version, an employee's pending acknowledgements and the rules published to
them, the company-wide unacknowledged list, and who may read which version's file.

Rule managers (admin, 総務, 人事) read every rule; any other member reads only the versions they
were asked to acknowledge (their ``RuleAcknowledgement`` rows are the audience).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ennoshita.affairs.models import Rule, RuleAcknowledgement, RuleVersion, RuleVersionStatus
from ennoshita.affairs.services.rules import manages_rules
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Placement


def _require_manager(membership: Membership) -> None:
    if not manages_rules(membership):
        raise PermissionDeniedError()


def _open_q(prefix: str = "") -> Q:
    """Rows still waiting: not acknowledged, of the version in force of an active rule that asks
    for acknowledgement."""
    return Q(
        **{
            "acknowledged_at__isnull": True,
            f"{prefix}version__status": RuleVersionStatus.PUBLISHED,
            f"{prefix}version__requires_acknowledgement": True,
            f"{prefix}version__rule__is_active": True,
        }
    )


# ------------------------------------------------------------------------------ rules
def rule_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    category: str = "",
    active: bool | None = None,
) -> QuerySet[Rule]:
    """Rules by code, with the version in force (number, 施行日) and how many have not
    acknowledged it, in one query; ``q`` matches code or title (each word)."""
    _require_manager(membership)
    current = RuleVersion.objects.filter(rule=OuterRef("pk"), status=RuleVersionStatus.PUBLISHED)
    open_rows = (
        RuleAcknowledgement.objects.filter(
            version__rule=OuterRef("pk"),
            version__status=RuleVersionStatus.PUBLISHED,
            acknowledged_at__isnull=True,
        )
        .order_by()
        .values("version__rule")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs: Any = (
        Rule.objects.for_company(company)
        .select_related("owner_department")
        .annotate(
            current_number=Subquery(current.values("number")[:1]),
            current_effective_from=Subquery(current.values("effective_from")[:1]),
            current_id=Subquery(current.values("pk")[:1]),
            not_yet=Subquery(open_rows, output_field=IntegerField()),
        )
        .order_by("code", "pk")
    )
    if category:
        qs = qs.filter(category=category)
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(code__icontains=word) | Q(title__icontains=word))
    return qs


def get_rule(*, company: Company, membership: Membership, rule_id: int) -> Rule:
    _require_manager(membership)
    rule = (
        Rule.objects.for_company(company)
        .select_related("owner_department", "document", "created_by")
        .filter(pk=rule_id)
        .first()
    )
    if rule is None:
        raise NotFound()
    return rule


def rule_versions(*, company: Company, rule: Rule) -> QuerySet[RuleVersion]:
    """Every version of the rule, newest first, with asked / acknowledged counts (one query)."""
    qs: Any = (
        RuleVersion.objects.for_company(company)
        .filter(rule=rule)
        .select_related("document_version", "published_by", "created_by")
        .annotate(
            asked=Count("acknowledgements"),
            acknowledged=Count("acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=False)),
            not_yet=Count("acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=True)),
        )
        .order_by("-number")
    )
    return qs


def rule_history(*, company: Company, rule: Rule) -> QuerySet[AuditEvent]:
    """The rule's events and its versions' (created, published, replaced, reminders), newest first.
    Each acknowledgement has its own event too; they are listed per version, not here."""
    return (
        AuditEvent.objects.filter(company=company)
        .filter(
            Q(object_type="affairs.rule", object_id=str(rule.pk))
            | Q(object_type="affairs.ruleversion", changes__extra__rule_id=rule.pk)
        )
        .select_related("actor")
        .order_by("-seq")
    )


# ------------------------------------------------------------------------------ versions
def _version_qs(company: Company) -> QuerySet[RuleVersion]:
    return RuleVersion.objects.for_company(company).select_related(
        "rule", "document_version", "published_by", "created_by"
    )


def get_version(*, company: Company, membership: Membership, version_id: int) -> RuleVersion:
    """A version for the rule managers' screens."""
    _require_manager(membership)
    version = _version_qs(company).filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    return version


def can_read_version(*, company: Company, membership: Membership, version: RuleVersion) -> bool:
    """Rule managers read every version; anyone else only a version they were asked to read."""
    if version.company_id != company.pk:
        return False
    if manages_rules(membership):
        return True
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    return (
        employee is not None
        and RuleAcknowledgement.objects.for_company(company)
        .filter(version=version, employee=employee)
        .exists()
    )


def readable_version(*, company: Company, membership: Membership, version_id: int) -> RuleVersion:
    """A version this member may read (its file, summary, 施行日), or NotFound: a version one was
    not asked to read looks the same as another company's."""
    version = _version_qs(company).filter(pk=version_id).first()
    if version is None or not can_read_version(company=company, membership=membership, version=version):
        raise NotFound()
    return version


def own_acknowledgement(
    *, company: Company, membership: Membership, version: RuleVersion
) -> RuleAcknowledgement | None:
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        return None
    return RuleAcknowledgement.objects.for_company(company).filter(version=version, employee=employee).first()


def current_version_of(*, company: Company, rule_id: int) -> RuleVersion | None:
    return _version_qs(company).filter(rule_id=rule_id, status=RuleVersionStatus.PUBLISHED).first()


def _department_annotation(as_of: date) -> dict[str, Subquery]:
    placement = Placement.objects.filter(
        employee=OuterRef("employee_id"), effective_from__lte=as_of
    ).order_by("-effective_from")
    return {
        "dept_id": Subquery(placement.values("department_id")[:1]),
        "dept_name": Subquery(placement.values("department__name")[:1]),
    }


def _department_ids(company: Company, department_id: int | None) -> list[int] | None:
    if not department_id:
        return None
    return people_selectors.descendant_ids(company=company, department_id=department_id)


def version_acknowledgements(
    *,
    company: Company,
    membership: Membership,
    version: RuleVersion,
    state: str = "",
    department_id: int | None = None,
    q: str = "",
) -> QuerySet[RuleAcknowledgement]:
    """Who was asked to read the version: ``state`` "open" (not yet), "done" (acknowledged, when)
    or all; by 社員番号, with each one's department today. One query for any number of rows."""
    _require_manager(membership)
    qs: Any = (
        RuleAcknowledgement.objects.for_company(company)
        .filter(version=version)
        .select_related("employee")
        .annotate(**_department_annotation(timezone.localdate()))
    )
    if state == "open":
        qs = qs.filter(acknowledged_at__isnull=True)
    elif state == "done":
        qs = qs.filter(acknowledged_at__isnull=False)
    ids = _department_ids(company, department_id)
    if ids is not None:
        qs = qs.filter(dept_id__in=ids)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(employee__number__icontains=word)
            | Q(employee__family_name__icontains=word)
            | Q(employee__given_name__icontains=word)
        )
    return qs.order_by("employee__number", "pk")


def not_yet(
    *,
    company: Company,
    membership: Membership,
    version: RuleVersion,
    department_id: int | None = None,
    q: str = "",
) -> QuerySet[RuleAcknowledgement]:
    """未確認者一覧 of one version."""
    return version_acknowledgements(
        company=company,
        membership=membership,
        version=version,
        state="open",
        department_id=department_id,
        q=q,
    )


@dataclass(frozen=True)
class VersionCounts:
    asked: int
    acknowledged: int

    @property
    def not_yet(self) -> int:
        return self.asked - self.acknowledged


def version_counts(*, company: Company, version: RuleVersion) -> VersionCounts:
    row = (
        RuleAcknowledgement.objects.for_company(company)
        .filter(version=version)
        .aggregate(asked=Count("pk"), done=Count("pk", filter=Q(acknowledged_at__isnull=False)))
    )
    return VersionCounts(row["asked"], row["done"])


def version_history(*, company: Company, version: RuleVersion) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(
            company=company, object_type="affairs.ruleversion", object_id=str(version.pk)
        )
        .select_related("actor")
        .order_by("-seq")
    )


# ------------------------------------------------------------------------------ an employee's own
def pending_for(*, company: Company, membership: Membership) -> QuerySet[RuleAcknowledgement]:
    """The versions in force waiting for this member's acknowledgement, earliest deadline first."""
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        return RuleAcknowledgement.objects.none()
    return (
        RuleAcknowledgement.objects.for_company(company)
        .filter(_open_q(), employee=employee)
        .select_related("version__rule", "version__document_version")
        .order_by("version__acknowledge_by", "version__published_at", "pk")
    )


def my_rules(
    *, company: Company, membership: Membership, q: str = "", category: str = ""
) -> QuerySet[RuleAcknowledgement]:
    """「社内規程」 for an employee: the versions in force published to them (one row per rule), with
    whether and when they acknowledged it."""
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        return RuleAcknowledgement.objects.none()
    qs = (
        RuleAcknowledgement.objects.for_company(company)
        .filter(employee=employee, version__status=RuleVersionStatus.PUBLISHED, version__rule__is_active=True)
        .select_related("version__rule", "version__document_version")
        .order_by("version__rule__code", "pk")
    )
    if category:
        qs = qs.filter(version__rule__category=category)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(version__rule__code__icontains=word) | Q(version__rule__title__icontains=word))
    return qs


def published_rules(*, company: Company, q: str = "", category: str = "") -> QuerySet[RuleVersion]:
    """The versions in force of the active rules (what the managers see on 「社内規程」)."""
    qs = _version_qs(company).filter(status=RuleVersionStatus.PUBLISHED, rule__is_active=True)
    if category:
        qs = qs.filter(rule__category=category)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(rule__code__icontains=word) | Q(rule__title__icontains=word))
    return qs.order_by("rule__code")


# ------------------------------------------------------------------------------ company-wide
def unacknowledged(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    rule_id: int | None = None,
    department_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[RuleAcknowledgement]:
    """Every employee × version in force not yet acknowledged, across the company: by deadline,
    rule and 社員番号. A page costs one query for its rows (and one for the count), whatever the
    size of the company (the ``ruleack_open_idx`` index serves the filter)."""
    _require_manager(membership)
    qs: Any = (
        RuleAcknowledgement.objects.for_company(company)
        .filter(_open_q())
        .select_related("employee", "version__rule")
    )
    if rule_id:
        qs = qs.filter(version__rule_id=rule_id)
    if overdue:
        qs = qs.filter(version__acknowledge_by__lt=timezone.localdate())
    ids = _department_ids(company, department_id)
    if ids is not None:
        qs = qs.annotate(**_department_annotation(timezone.localdate())).filter(dept_id__in=ids)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(employee__number__icontains=word)
            | Q(employee__family_name__icontains=word)
            | Q(employee__given_name__icontains=word)
            | Q(version__rule__title__icontains=word)
        )
    return qs.order_by("version__acknowledge_by", "version__rule__code", "employee__number", "pk")


@dataclass(frozen=True)
class OpenCount:
    version_id: int
    rule_title: str
    number: int
    acknowledge_by: date | None
    not_yet: int
    asked: int


def open_counts(*, company: Company, membership: Membership) -> list[OpenCount]:
    """For the managers' home panel: each version in force with how many have not acknowledged it
    (only those with someone waiting), in one query."""
    _require_manager(membership)
    rows = (
        RuleVersion.objects.for_company(company)
        .filter(status=RuleVersionStatus.PUBLISHED, requires_acknowledgement=True, rule__is_active=True)
        .annotate(
            asked=Count("acknowledgements"),
            waiting=Count("acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=True)),
        )
        .filter(waiting__gt=0)
        .values_list("pk", "rule__title", "number", "acknowledge_by", "waiting", "asked")
        .order_by("acknowledge_by", "rule__code")
    )
    return [OpenCount(*row) for row in rows]
