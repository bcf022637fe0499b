"""What every write of approvals shares: its two errors and the check that the actor is the member."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User


class InvalidInput(ServiceError):
    """Input the rules refuse (a missing reason): 422 in the API, the message on its field."""

    status = 422


class AlreadyDecided(ServiceError):
    """The request or its step was decided (or withdrawn) meanwhile: 409 in the API."""

    status = 409

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or _("この申請は既に処理されています。画面を更新して確認してください。"),
            code="already_decided",
        )


def _check_membership(company: Company, actor: User, membership: Membership) -> None:
    if membership is None or membership.company_id != company.pk or membership.user_id != actor.pk:
        raise PermissionDeniedError()
