"""受付の設定 of a company: how long visitors' personal data is kept, and whether the host is also
told of an arrival by e-mail. A company that never saved them has the defaults of the model.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models import FrontdeskSettings
from ennoshita.frontdesk.permissions_visits import SETTINGS_ROLES
from ennoshita.frontdesk.rules import visits as rules

SETTINGS_FIELDS = ("visitor_retention_days", "notify_host_by_email")


def settings_of(company: Company) -> FrontdeskSettings:
    """The company's 受付の設定 (the defaults until someone saves them)."""
    found = FrontdeskSettings.objects.for_company(company).first()
    return found or FrontdeskSettings(company=company)


@transaction.atomic
def update_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    visitor_retention_days: Any,
    notify_host_by_email: bool,
) -> FrontdeskSettings:
    """受付の設定 (admin / 受付): how long visitors' personal data is kept, and e-mail on arrival."""
    require_role(membership, *SETTINGS_ROLES)
    try:
        days = int(nfkc(str(visitor_retention_days)).strip())
    except ValueError:
        days = 0
    if not rules.MIN_RETENTION_DAYS <= days <= rules.MAX_RETENTION_DAYS:
        message = _("保存日数は%(a)s〜%(b)s日で入力してください。") % {
            "a": rules.MIN_RETENTION_DAYS,
            "b": rules.MAX_RETENTION_DAYS,
        }
        raise ServiceError(message, code="validation", field_errors={"visitor_retention_days": [message]})
    current = FrontdeskSettings.objects.for_company(company).select_for_update(of=("self",)).first()
    before = snapshot(current, SETTINGS_FIELDS) if current is not None else None
    obj = current or FrontdeskSettings(company=company)
    obj.visitor_retention_days = days
    obj.notify_host_by_email = bool(notify_host_by_email)
    obj.save()
    after = snapshot(obj, SETTINGS_FIELDS)
    if after != before:
        record_event(
            company=company,
            actor=actor,
            action="update" if current is not None else "create",
            instance=obj,
            before=before,
            after=after,
        )
    return obj
