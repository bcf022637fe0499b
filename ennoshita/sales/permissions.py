"""Who may see and who may write sales documents and receivables."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

# 営業事務 keeps customers, quotes, orders and invoices; 経理 and 財務 see them and record payments.
READ_ROLES = (Role.ADMIN, Role.SALES_ADMIN, Role.ACCOUNTING, Role.FINANCE, Role.MANAGER)
WRITE_ROLES = (Role.ADMIN, Role.SALES_ADMIN, Role.ACCOUNTING)
PAYMENT_ROLES = (Role.ADMIN, Role.ACCOUNTING, Role.FINANCE)
SETTINGS_ROLES = (Role.ADMIN, Role.ACCOUNTING)


def can_read(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*READ_ROLES)


def can_write(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*WRITE_ROLES)


def can_record_payments(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*PAYMENT_ROLES)
