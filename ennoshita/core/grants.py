"""Grants of access for the outside assistant team (ARCHITECTURE.md, "Access for the outside team").

An assistant's roles open nothing of another app; what they may open is granted record by record,
by a source that names why (an open work request: ``requests.workrequest:17``). The source gives
and takes its grants back in its own transaction; revoking a membership or a whole team removes its
grants at once. Records are named as in the audit trail: the model's ``app_label.modelname`` and
the primary key as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from .models import AccessGrant, Company, Membership


def grant_access(
    *,
    company: Company,
    membership: Membership,
    object_type: str,
    object_id: str | int,
    source: str,
    expires_at: datetime | None = None,
) -> AccessGrant:
    """Give ``membership`` the record until ``source`` takes it back (or ``expires_at``). Repeating
    a grant updates its expiry instead of adding a row."""
    row, created = AccessGrant.objects.get_or_create(
        company=company,
        membership=membership,
        object_type=object_type,
        object_id=str(object_id),
        source=source,
        defaults={"expires_at": expires_at},
    )
    if not created and row.expires_at != expires_at:
        row.expires_at = expires_at
        row.save(update_fields=["expires_at"])
    return row


def revoke_source(*, company: Company, source: str, memberships: Iterable[int] | None = None) -> int:
    """Take back every grant ``source`` gave (only those of ``memberships`` when given)."""
    rows = AccessGrant.objects.for_company(company).filter(source=source)
    if memberships is not None:
        rows = rows.filter(membership_id__in=list(memberships))
    deleted, _ = rows.delete()
    return deleted


def revoke_membership(*, company: Company, membership: Membership) -> int:
    deleted, _ = AccessGrant.objects.for_company(company).filter(membership=membership).delete()
    return deleted


def _live(membership: Membership) -> Q:
    now = timezone.now()
    return Q(company_id=membership.company_id, membership=membership) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def is_granted(*, membership: Membership, object_type: str, object_id: str | int) -> bool:
    """Whether the membership holds a live grant on the record (an inactive or expired membership
    holds none)."""
    if not membership.is_active:
        return False
    if membership.expires_on is not None and membership.expires_on < timezone.localdate():
        return False
    return AccessGrant.objects.filter(
        _live(membership), object_type=object_type, object_id=str(object_id)
    ).exists()


def granted_ids(*, membership: Membership, object_type: str) -> set[str]:
    """The ids of one type the membership may open now."""
    if not membership.is_active:
        return set()
    return set(
        AccessGrant.objects.filter(_live(membership), object_type=object_type).values_list(
            "object_id", flat=True
        )
    )


def sources_for(*, membership: Membership, object_type: str, object_id: str | int) -> list[str]:
    """Which sources grant the record (the request a page view is recorded on)."""
    return list(
        AccessGrant.objects.filter(_live(membership), object_type=object_type, object_id=str(object_id))
        .order_by("source")
        .values_list("source", flat=True)
        .distinct()
    )
