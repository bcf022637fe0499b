"""Writes of 間接経費: the company's choice of indirect accounts and of the rise threshold."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role

from .models import IndirectCostSettings
from .permissions import ACCOUNTING_ROLES
from .selectors import expense_accounts

MAX_THRESHOLD_PERCENT = 1000


def _locked_settings(company: Company) -> IndirectCostSettings:
    row = IndirectCostSettings.objects.for_company(company).select_for_update().first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return IndirectCostSettings.objects.create(company=company)
    except IntegrityError:  # created concurrently
        return IndirectCostSettings.objects.for_company(company).select_for_update().get()


@transaction.atomic
def update_cost_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    account_codes: Iterable[str],
    rise_threshold_percent: int,
) -> IndirectCostSettings:
    """Choose the indirect accounts (cost accounts of the company's chart) and the rise threshold
    (0–1000 %). 経理 / admin only; audited with the before and after."""
    require_role(membership, *ACCOUNTING_ROLES)
    if membership.company_id != company.pk:
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    allowed = [a.code for a in expense_accounts(company=company)]
    codes = [str(c).strip() for c in account_codes]
    unknown = sorted({c for c in codes if c not in allowed})
    if unknown:
        errors["account_codes"] = [
            _("費用の勘定科目ではないか、見つからないコードです: %(codes)s") % {"codes": ", ".join(unknown)}
        ]
    elif not codes:
        errors["account_codes"] = [_("間接経費とする勘定科目を1つ以上選んでください。")]
    if isinstance(rise_threshold_percent, bool) or not isinstance(rise_threshold_percent, int):
        errors["rise_threshold_percent"] = [_("上昇率は整数(%)で入力してください。")]
    elif not 0 <= rise_threshold_percent <= MAX_THRESHOLD_PERCENT:
        errors["rise_threshold_percent"] = [
            _("上昇率は0〜%(max)s%%で入力してください。") % {"max": MAX_THRESHOLD_PERCENT}
        ]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    row = _locked_settings(company)
    before = snapshot(row)
    # in the chart's code order, each once
    row.account_codes = [c for c in allowed if c in set(codes)]
    row.rise_threshold_percent = rise_threshold_percent
    row.save()
    record_event(
        company=company, actor=actor, action="update", instance=row, before=before, after=snapshot(row)
    )
    return row
