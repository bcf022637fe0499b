"""労働保険 年度更新 — writes: the company's 労災保険率 (per 1,000, from the 労災保険率表 or typed in,
e.g. when the メリット制 changed it) and whether a 労働保険事務組合 handles its 労働保険 (other 延納
due dates). Role-checked (SETTINGS_ROLES), audited, refused with field errors before anything is
written. docs/domains/payroll.md 「労働保険の年度更新」."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.payroll.models import PayrollSettings
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.rules import labour_insurance as rules
from ennoshita.payroll.selectors.settings import payroll_settings_of

LABOUR_FIELDS = ("workers_comp_rate", "labour_insurance_association")


@transaction.atomic
def set_labour_insurance_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    workers_comp_rate: Decimal | int | str,
    association: bool,
) -> PayrollSettings:
    """Save the 労災保険率 (above 0, at most 200 per 1,000, 2 decimals: 徴収法12条2項・3項, 施行規則
    別表第1) and the 事務組合 flag on 給与の設定."""
    require_role(membership, *SETTINGS_ROLES)
    try:
        rate = rules.check_workers_comp_rate(workers_comp_rate)
    except ValueError as exc:
        message = str(exc).partition(": ")[2] or str(exc)
        raise ServiceError(
            _("労災保険率を保存できません。"),
            code="validation",
            field_errors={"workers_comp_rate": [message]},
        ) from exc
    payroll_settings_of(company=company)
    row = PayrollSettings.objects.select_for_update().get(company=company)
    before = snapshot(row, LABOUR_FIELDS)
    row.workers_comp_rate = rate.quantize(Decimal("0.01"))
    row.labour_insurance_association = bool(association)
    row.save(update_fields=[*LABOUR_FIELDS, "updated_at"])
    record_change(company=company, actor=actor, instance=row, fields=LABOUR_FIELDS, before=before)
    return row
