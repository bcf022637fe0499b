"""健康診断's writes: health access (健康情報の閲覧権限) — who may see results, and its grant and
revocation.

An admin grants it to a member with the 人事 or 管理者 role; only such a member, while the grant is
active, records or opens results, doctors' opinions and measures (安衛法104条: 健康情報は必要な者
だけが扱う). 人事・総務 without it still plan, book and list checkups (``HEALTH_STAFF_ROLES``).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import HealthAccessGrant
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role

HEALTH_STAFF_ROLES = (Role.ADMIN, Role.HR, Role.AFFAIRS)  # plans, bookings, lists (no results)
HEALTH_ACCESS_ROLES = (Role.ADMIN, Role.HR)  # may be granted health access


def no_access_message() -> str:
    return _(
        "健康診断の結果を扱う権限がありません。管理者から健康情報の閲覧権限を付与された人事担当者だけが、"
        "結果・医師の意見・就業上の措置を閲覧・記録できます。"
    )


def active_grant(
    *, company: Company, membership: Membership, today: date | None = None
) -> HealthAccessGrant | None:
    today = today or timezone.localdate()
    grant = (
        HealthAccessGrant.objects.for_company(company)
        .filter(membership=membership, revoked_at__isnull=True)
        .first()
    )
    if grant is None or (grant.expires_on is not None and grant.expires_on < today):
        return None
    return grant


def has_health_access(*, company: Company, membership: Membership | None, today: date | None = None) -> bool:
    """An active grant, held by a member who still has the 人事 or 管理者 role."""
    if membership is None or not membership.is_active or not membership.has_any_role(*HEALTH_ACCESS_ROLES):
        return False
    return active_grant(company=company, membership=membership, today=today) is not None


def require_health_access(*, company: Company, membership: Membership | None) -> None:
    if not has_health_access(company=company, membership=membership):
        raise PermissionDeniedError(no_access_message())


def is_health_staff(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*HEALTH_STAFF_ROLES)


@transaction.atomic
def grant_health_access(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    grantee: Membership,
    expires_on: date | None = None,
) -> HealthAccessGrant:
    """管理者 only; the grantee must be 人事 or 管理者 of this company (安衛法104条: 健康情報は必要な
    者だけが扱う)."""
    require_role(membership, Role.ADMIN)
    if grantee.company_id != company.pk:
        raise NotFound()
    if not grantee.has_any_role(*HEALTH_ACCESS_ROLES):
        raise ServiceError(
            _("健康情報の閲覧権限は、人事または管理者のロールを持つメンバーにだけ付与できます。"),
            field_errors={"grantee": [_("人事または管理者のメンバーを選んでください。")]},
        )
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise ServiceError(
            _("期限は今日以降の日付にしてください。"), field_errors={"expires_on": [_("過去の日付です。")]}
        )
    if (
        HealthAccessGrant.objects.for_company(company)
        .filter(membership=grantee, revoked_at__isnull=True)
        .exists()
    ):
        raise ServiceError(
            _("このメンバーには既に健康情報の閲覧権限があります。"),
            field_errors={"grantee": [_("既に付与されています。")]},
        )
    try:
        with transaction.atomic():
            grant = HealthAccessGrant.objects.create(
                company=company, membership=grantee, granted_by=actor, expires_on=expires_on
            )
    except IntegrityError as exc:  # a grant made at the same moment
        raise ServiceError(_("このメンバーには既に健康情報の閲覧権限があります。")) from exc
    record_event(
        company=company,
        actor=actor,
        action="health.grant",
        instance=grant,
        object_repr=str(grantee.user.display_name()),
        after=snapshot(grant, fields=("membership", "expires_on")),
    )
    return grant


@transaction.atomic
def revoke_health_access(
    *, company: Company, actor: User, membership: Membership, grant: HealthAccessGrant
) -> HealthAccessGrant:
    require_role(membership, Role.ADMIN)
    if grant.company_id != company.pk:
        raise NotFound()
    if grant.revoked_at is not None:
        raise ServiceError(_("この権限は既に取り消されています。"))
    before = snapshot(grant, fields=("revoked_at",))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record_event(
        company=company,
        actor=actor,
        action="health.revoke",
        instance=grant,
        before=before,
        after=snapshot(grant, fields=("revoked_at",)),
    )
    return grant
