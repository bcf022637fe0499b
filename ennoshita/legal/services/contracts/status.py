"""契約書's status changes, by the table in ``base.TRANSITIONS``: 起案中 → 法務確認中 → 交渉中 → 締結済み
→ 有効 → 期間満了 / 解約・終了, with 差戻し (法務確認中 → 起案中), 再確認 (交渉中 → 法務確認中) and
取りやめ (before signing, with a reason). Any other move is refused with a message."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal import permissions
from ennoshita.legal.models import Contract, ContractStatus

from .base import NOT_YET_SIGNED, TRANSITIONS, fail, locked, stamp_duty_of

S = ContractStatus


def allowed_moves(membership: Membership, contract: Contract) -> list[str]:
    """The statuses this member may move the contract to now (for the buttons)."""
    return [to for to in TRANSITIONS[contract.status] if permissions.can_move(membership, contract, to)]


def _label(status: str) -> str:
    return str(S(status).label)


@transaction.atomic
def change_contract_status(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    contract: Contract,
    to: str,
    signed_on: date | None = None,
    terminated_on: date | None = None,
    reason: str = "",
) -> Contract:
    """Move the contract to ``to``. 締結済み needs the 締結日 (the 印紙税 is computed again for it);
    解約・終了 before signing (取りやめ) needs a reason, after signing the 解約日."""
    contract = locked(company, contract)
    if not permissions.can_see(membership, contract):
        raise NotFound()
    if to not in S.values:
        raise fail("status", _("状態が不正です。"))
    if to not in TRANSITIONS[contract.status]:
        raise ServiceError(
            _("「%(a)s」の契約を「%(b)s」にはできません。") % {"a": _label(contract.status), "b": _label(to)},
            code="bad_transition",
            field_errors={"status": [_("この状態には変更できません。")]},
        )
    if not permissions.can_move(membership, contract, to):
        raise PermissionDeniedError(_("この状態の変更は法務が行います。"))
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise fail("reason", _("理由は500文字以内で入力してください。"))
    before = {
        "status": contract.status,
        "signed_on": contract.signed_on,
        "terminated_on": contract.terminated_on,
    }
    if to == S.SIGNED:
        if signed_on is None:
            raise fail("signed_on", _("締結日を入力してください。"))
        old_duty = contract.stamp_duty
        contract.signed_on = signed_on
        contract.stamp_duty = stamp_duty_of(contract)
        if contract.stamp_duty != old_duty:
            before["stamp_duty"] = old_duty
    if to == S.TERMINATED:
        if contract.status in NOT_YET_SIGNED:
            if not reason:
                raise fail("reason", _("取りやめの理由を入力してください。"))
        else:
            if terminated_on is None:
                raise fail("terminated_on", _("解約日を入力してください。"))
            if contract.signed_on and terminated_on < contract.signed_on:
                raise fail("terminated_on", _("解約日が締結日より前です。"))
            contract.terminated_on = terminated_on
    contract.status = to
    contract.save()
    after = {
        "status": contract.status,
        "signed_on": contract.signed_on,
        "terminated_on": contract.terminated_on,
    }
    if "stamp_duty" in before:
        after["stamp_duty"] = contract.stamp_duty
    record_event(
        company=company,
        actor=actor,
        action="contract_status",
        instance=contract,
        before=before,
        after=after,
        extra={"reason": reason} if reason else None,
    )
    return contract
