"""What every write of a visit shares: its audit entry (which never holds the visitor's details),
the row lock, who may change a visit, and the allowed moves of its status.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.frontdesk.models import Visit, VisitStatus
from ennoshita.frontdesk.permissions_visits import is_desk
from ennoshita.frontdesk.rules import visits as rules

PERSONAL_FIELDS = ("visitor_name", "visitor_company", "visitor_phone", "visitor_email", "note")
AUDIT_FIELDS = (
    "host",
    "visitor_count",
    "purpose",
    "expected_at",
    "expected_until",
    "booking",
    "status",
    "is_walk_in",
    "badge_number",
    "checked_in_at",
    "checked_in_by",
    "checked_out_at",
    "personal_data_erased_at",
)
PERSONAL_KEY = "来訪者の個人情報"  # the one audit entry about the visitor's details (never their values)


def visit_label(visit: Visit) -> str:
    """How the audit trail names a visit: never by the visitor's name or company."""
    return f"来訪 #{visit.pk}"


def record_visit_event(
    *,
    company: Company,
    actor: User | None,
    action: str,
    visit: Visit,
    before: dict[str, Any] | None,
    personal: tuple[str | None, str | None] | None = None,
    extra: dict[str, Any] | None = None,
    actor_label: str = "",
) -> None:
    """The audit event of a visit; ``personal`` says in words (登録, 変更前/変更後) that the
    visitor's details were recorded or changed, without their values."""
    after = snapshot(visit, AUDIT_FIELDS)
    if personal is not None:
        before = {**(before or {}), PERSONAL_KEY: personal[0]}
        after[PERSONAL_KEY] = personal[1]
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=visit,
        object_repr=visit_label(visit),
        before=before,
        after=after,
        extra=extra,
        actor_label=actor_label,
    )


def locked_visit(company: Company, visit: Visit) -> Visit:
    found = Visit.objects.for_company(company).select_for_update(of=("self",)).filter(pk=visit.pk).first()
    if found is None:
        raise NotFound()
    return found


def require_may_change(visit: Visit, actor: User, membership: Membership) -> None:
    """The host, whoever registered it, or the desk."""
    if not (is_desk(membership) or actor.pk in (visit.host_id, visit.created_by_id)):
        raise PermissionDeniedError()


def require_move(visit: Visit, target: str) -> None:
    if not rules.may_move(rules.VISIT_TRANSITIONS, visit.status, target):
        raise ServiceError(
            _("「%(status)s」の来訪は「%(target)s」にできません。")
            % {"status": visit.get_status_display(), "target": VisitStatus(target).label},
            code="invalid_state",
        )
