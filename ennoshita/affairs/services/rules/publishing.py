"""規程's writes: publishing a draft version to an audience (周知, 既読確認 asked of each one) and
adding people to the audience of the version in force."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import RuleAcknowledgement, RuleVersion, RuleVersionStatus
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .base import (
    NOTIFY_KIND,
    RULE_MANAGER_ROLES,
    VERSION_FIELDS,
    _clean_summary,
    _fail,
    _locked_rule,
    _locked_version,
)


class AudienceKind:
    ALL = "all"
    DEPARTMENTS = "departments"
    EMPLOYEES = "employees"
    CHOICES = (ALL, DEPARTMENTS, EMPLOYEES)


@dataclass(frozen=True)
class Audience:
    """Who is asked to read a version: every employee in service, the employees of departments
    (with their sub-departments), or chosen employees."""

    kind: str = AudienceKind.ALL
    department_ids: Sequence[int] = field(default_factory=tuple)
    employee_ids: Sequence[int] = field(default_factory=tuple)


# ------------------------------------------------------------------------------ audience
def _audience_employees(company: Company, audience: Audience) -> list[object]:
    """The employees in service today that the audience names; a wrong id is an error, not ignored."""
    today = timezone.localdate()
    if audience.kind not in AudienceKind.CHOICES:
        raise _fail("audience", _("対象者の指定が不正です。"))
    if audience.kind == AudienceKind.ALL:
        found = people_selectors.employees_in_service(company=company, as_of=today)
    elif audience.kind == AudienceKind.DEPARTMENTS:
        wanted = {int(d) for d in audience.department_ids}
        if not wanted:
            raise _fail("department_ids", _("対象の部署を選んでください。"))
        known = set(
            people_selectors.departments(company=company, include_inactive=True)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        if known != wanted:
            raise _fail("department_ids", _("この会社の部署を選んでください。"))
        ids: set[int] = set()
        for pk in wanted:
            ids.update(people_selectors.descendant_ids(company=company, department_id=pk))
        found = people_selectors.employees_in_service(
            company=company, as_of=today, department_ids=sorted(ids)
        )
    else:
        wanted = {int(e) for e in audience.employee_ids}
        if not wanted:
            raise _fail("employee_ids", _("対象の社員を選んでください。"))
        in_service = people_selectors.employees_in_service(company=company, as_of=today)
        found = [e for e in in_service if e.pk in wanted]
        if len(found) != len(wanted):
            raise _fail("employee_ids", _("在籍中のこの会社の社員を選んでください。"))
    if not found:
        raise _fail("audience", _("対象になる在籍中の社員がいません。"))
    return list(found)


def _ask(
    company: Company, actor: User, version: RuleVersion, employees: Iterable[object]
) -> list[RuleAcknowledgement]:
    """Acknowledgement rows for the employees not yet asked about this version, and a notice to each
    one's user (an employee without a login is listed as not yet acknowledged)."""
    asked = set(
        RuleAcknowledgement.objects.for_company(company)
        .filter(version=version)
        .values_list("employee_id", flat=True)
    )
    new = [e for e in employees if e.pk not in asked]  # type: ignore[attr-defined]
    rows = RuleAcknowledgement.objects.bulk_create(
        [RuleAcknowledgement(company=company, version=version, employee=e) for e in new]  # type: ignore[misc]
    )
    users = [e.user for e in new if e.user_id is not None]  # type: ignore[attr-defined]
    url = reverse("affairs:rule_version_read", args=[version.pk])
    text = _("「%(title)s」第%(n)d版が公開されました。内容を読んで確認してください。") % {
        "title": version.rule.title,
        "n": version.number,
    }
    if version.acknowledge_by:
        text += _("(確認期限 %(d)s)") % {"d": version.acknowledge_by.isoformat()}
    for user in users:
        notify(
            company=company,
            user=user,
            kind=NOTIFY_KIND,
            text=text,
            url=url,
            object_type="affairs.ruleversion",
            object_id=version.pk,
        )
    return rows


# ------------------------------------------------------------------------------ publishing
@transaction.atomic
def publish_version(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    version: RuleVersion,
    audience: Audience,
    effective_from: date | None = None,
    summary: str | None = None,
    acknowledge_by: date | None = None,
    requires_acknowledgement: bool = True,
) -> RuleVersion:
    """公開: the draft becomes the rule's version in force; the one published before becomes
    改定済み (replaced) in the same transaction, so there is never a moment with two or none. The
    audience is asked to read and acknowledge it (one row each) and each is notified.

    周知 (労基法106条) is the company's duty for 就業規則: the acknowledgement records that each
    employee was shown the text; it is not their consent to it."""
    require_role(membership, *RULE_MANAGER_ROLES)
    rule = _locked_rule(company, version.rule)
    version = _locked_version(company, version)
    if version.status != RuleVersionStatus.DRAFT:
        raise _fail(
            "status",
            _("第%(n)d版は既に公開されています(%(s)s)。公開できるのは下書きの版だけです。")
            % {"n": version.number, "s": version.get_status_display()},
            code="not_draft",
        )
    if not rule.is_active:
        raise _fail("status", _("廃止した規程の版は公開できません。先に規程を再開してください。"))
    today = timezone.localdate()
    effective_from = effective_from or version.effective_from
    if summary is not None:
        version.summary = _clean_summary(summary)
    current = (
        RuleVersion.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(rule=rule, status=RuleVersionStatus.PUBLISHED)
        .first()
    )
    errors: dict[str, list[str]] = {}
    if current is not None and effective_from < current.effective_from:
        errors["effective_from"] = [
            _("施行日は現在の版(第%(n)d版)の施行日 %(d)s 以降にしてください。")
            % {"n": current.number, "d": current.effective_from.isoformat()}
        ]
    if acknowledge_by is not None and acknowledge_by < today:
        errors["acknowledge_by"] = [_("確認期限は今日以降の日付にしてください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    employees = _audience_employees(company, audience)
    now = timezone.now()
    if current is not None:
        before = snapshot(current, VERSION_FIELDS)
        current.status = RuleVersionStatus.REPLACED
        current.replaced_at = now
        current.save(update_fields=["status", "replaced_at"])
        record_event(
            company=company,
            actor=actor,
            action="replace",
            instance=current,
            before=before,
            after=snapshot(current, VERSION_FIELDS),
            extra={"rule_id": rule.pk, "replaced_by": version.number},
        )
    before = snapshot(version, VERSION_FIELDS)
    version.status = RuleVersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.acknowledge_by = acknowledge_by
    version.requires_acknowledgement = requires_acknowledgement
    version.published_at = now
    version.published_by = actor
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:  # another publish of this rule won the race
        raise _fail(
            "status", _("同時に別の版が公開されました。画面を更新してください。"), code="conflict"
        ) from exc
    rows = _ask(company, actor, version, employees)
    record_event(
        company=company,
        actor=actor,
        action="publish",
        instance=version,
        before=before,
        after=snapshot(version, VERSION_FIELDS),
        extra={
            "rule_id": rule.pk,
            "audience": audience.kind,
            "department_ids": sorted(int(d) for d in audience.department_ids),
            "asked": len(rows),
            "employee_ids": sorted(r.employee_id for r in rows),
        },
    )
    return version


@transaction.atomic
def add_audience(
    *, company: Company, actor: User, membership: Membership, version: RuleVersion, audience: Audience
) -> int:
    """対象者の追加 (a new hire, a transfer): asks those of ``audience`` not yet asked about the
    published version. Returns how many were added."""
    require_role(membership, *RULE_MANAGER_ROLES)
    version = _locked_version(company, version)
    if version.status != RuleVersionStatus.PUBLISHED or not version.rule.is_active:
        raise _fail("audience", _("対象者を追加できるのは公開中の版だけです。"), code="not_published")
    rows = _ask(company, actor, version, _audience_employees(company, audience))
    if rows:
        record_event(
            company=company,
            actor=actor,
            action="add_audience",
            instance=version,
            extra={
                "rule_id": version.rule_id,
                "asked": len(rows),
                "employee_ids": sorted(r.employee_id for r in rows),
            },
        )
    return len(rows)
