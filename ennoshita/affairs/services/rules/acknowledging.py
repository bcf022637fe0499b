"""規程's writes: the employee's acknowledgement (既読確認) of the version in force, and 催促 of those
who have not acknowledged yet."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import RuleAcknowledgement, RuleVersion, RuleVersionStatus
from ennoshita.core.audit import record_event
from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .base import NOTIFY_KIND, RULE_MANAGER_ROLES, _fail, _locked_version


@transaction.atomic
def acknowledge(
    *, company: Company, actor: User, membership: Membership, version: RuleVersion
) -> RuleAcknowledgement:
    """既読確認 by the employee themself, of the version in force only. A version replaced since
    (the employee read an old page) is refused with the number of the one to read, nothing written.
    Acknowledging again is harmless: the first time stays recorded and nothing is written."""
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    version = _locked_version(company, version)
    row = (
        RuleAcknowledgement.objects.for_company(company).filter(version=version, employee=employee).first()
        if employee is not None
        else None
    )
    if row is None:
        raise PermissionDeniedError(_("この版の既読確認の対象ではありません。"))
    if version.status == RuleVersionStatus.REPLACED:
        newer = (
            RuleVersion.objects.for_company(company)
            .filter(rule_id=version.rule_id, status=RuleVersionStatus.PUBLISHED)
            .values_list("number", flat=True)
            .first()
        )
        message = _("第%(n)d版は改定され、新しい版に置き換えられました。") % {"n": version.number}
        if newer:
            message += _("最新の第%(m)d版を読んでから確認してください。") % {"m": newer}
        raise _fail("version", message, code="replaced")
    if version.status != RuleVersionStatus.PUBLISHED or not version.rule.is_active:
        raise _fail("version", _("この版は現在公開されていません。"), code="not_published")
    if row.acknowledged_at is not None:
        return row
    row.acknowledged_at = timezone.now()
    row.acknowledged_by = actor
    row.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record_event(
        company=company,
        actor=actor,
        action="acknowledge",
        instance=row,
        after={"acknowledged_at": row.acknowledged_at},
        object_repr=f"{version.rule.title} 第{version.number}版",
        extra={"rule_id": version.rule_id, "version": version.number, "employee_id": row.employee_id},
    )
    return row


@transaction.atomic
def remind(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    version: RuleVersion,
    employee_ids: Sequence[int] | None = None,
) -> int:
    """催促: a notice to each one asked who has not acknowledged yet (or to those of ``employee_ids``
    among them), and the time recorded on their row. Returns how many were reminded."""
    require_role(membership, *RULE_MANAGER_ROLES)
    version = _locked_version(company, version)
    if version.status != RuleVersionStatus.PUBLISHED or not version.rule.is_active:
        raise _fail("version", _("催促できるのは公開中の版だけです。"), code="not_published")
    rows = (
        RuleAcknowledgement.objects.for_company(company)
        .filter(version=version, acknowledged_at__isnull=True)
        .select_related("employee__user")
    )
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    found = list(rows)
    if not found:
        raise _fail("version", _("未確認の社員はいません。"), code="nothing_to_remind")
    now = timezone.now()
    url = reverse("affairs:rule_version_read", args=[version.pk])
    text = _("「%(title)s」第%(n)d版の既読確認がまだです。内容を読んで確認してください。") % {
        "title": version.rule.title,
        "n": version.number,
    }
    if version.acknowledge_by:
        text += _("(確認期限 %(d)s)") % {"d": version.acknowledge_by.isoformat()}
    for row in found:
        if row.employee.user_id is not None:
            notify(
                company=company,
                user=row.employee.user,
                kind=NOTIFY_KIND,
                text=text,
                url=url,
                object_type="affairs.ruleversion",
                object_id=version.pk,
            )
    RuleAcknowledgement.objects.for_company(company).filter(pk__in=[r.pk for r in found]).update(
        last_reminded_at=now
    )
    record_event(
        company=company,
        actor=actor,
        action="remind_rule",
        instance=version,
        extra={
            "rule_id": version.rule_id,
            "reminded": len(found),
            "employee_ids": sorted(r.employee_id for r in found),
        },
    )
    return len(found)
