"""代理承認: an approver names a substitute for a date range, and ends it. Re-exported by
``approvals.services``."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, User

from ._base import AlreadyDecided, InvalidInput, _check_membership
from .models import Delegation
from .permissions import sees_all


@transaction.atomic
def set_delegation(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    approver: User,
    substitute: User,
    start: date,
    end: date,
    reason: str = "",
) -> Delegation:
    """代理承認: the approver (or an admin / 経理 for them) names a substitute for a date range."""
    _check_membership(company, actor, membership)
    if approver.pk != actor.pk and not sees_all(membership):
        raise PermissionDeniedError(_("自分の代理承認だけを設定できます。"))
    from .routing import active_member_ids

    members = active_member_ids(company, [approver.pk, substitute.pk])
    errors: dict[str, list[str]] = {}
    if approver.pk not in members:
        errors["approver"] = [_("この会社のユーザーを選んでください。")]
    if substitute.pk not in members:
        errors["substitute"] = [_("この会社のユーザーを選んでください。")]
    elif substitute.pk == approver.pk:
        errors["substitute"] = [_("自分自身を代理人にはできません。")]
    if not isinstance(start, date) or not isinstance(end, date):
        errors["start"] = [_("期間を入力してください。")]
    elif end < start:
        errors["end"] = [_("終了日は開始日以降の日付にしてください。")]
    text = (reason or "").strip()
    if len(text) > 200:
        errors["reason"] = [_("200文字以内で入力してください。")]
    if errors:
        raise InvalidInput(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    # The approver's membership row is locked so that two overlapping delegations cannot both be written.
    Membership.objects.for_company(company).select_for_update().filter(user=approver).first()
    mine = Delegation.objects.for_company(company).filter(approver=approver, ended_at__isnull=True)
    clash = next((d for d in mine if d.start <= end and start <= d.end), None)
    if clash is not None:
        message = _("期間が重なる代理承認があります(%(start)s〜%(end)s)。") % {
            "start": clash.start,
            "end": clash.end,
        }
        raise InvalidInput(message, code="overlap", field_errors={"start": [message]})
    delegation = Delegation.objects.create(
        company=company,
        approver=approver,
        substitute=substitute,
        start=start,
        end=end,
        reason=text,
        created_by=actor,
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=delegation,
        after={
            "approver": approver.pk,
            "substitute": substitute.pk,
            "start": start,
            "end": end,
            "reason": text,
        },
    )
    return delegation


@transaction.atomic
def end_delegation(
    *, company: Company, actor: User, membership: Membership, delegation: Delegation
) -> Delegation:
    """Stop a delegation now (the approver, or an admin / 経理)."""
    _check_membership(company, actor, membership)
    found = Delegation.objects.for_company(company).select_for_update().filter(pk=delegation.pk).first()
    if found is None:
        raise NotFound()
    if found.approver_id != actor.pk and not sees_all(membership):
        raise NotFound()
    if found.ended_at is not None:
        raise AlreadyDecided(_("この代理承認は既に終了しています。"))
    found.ended_at = timezone.now()
    found.save(update_fields=["ended_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=found,
        before={"ended_at": None},
        after={"ended_at": found.ended_at},
    )
    return found
