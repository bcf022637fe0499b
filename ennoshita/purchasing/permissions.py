"""Who may do what in 仕入先・仕入先請求書・買掛金.

- 経理 and the admin (``ACCOUNTING_ROLES``) keep the vendors, record and submit bills, and see every
  bill and the payables reports.
- An approver sees the bills they are asked to approve (or have decided): whoever the approval
  request of the bill shows itself to (``approvals.selectors.can_view``: assigned approvers, their
  substitutes, who acted on it). That is ``can_view_bill``; nothing else of 買掛金 is open to them.
- Everyone else sees nothing here.
"""

from __future__ import annotations

from typing import Any

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.core.models import Company, Membership, Role

REQUEST_TYPE = "purchasing.bill"

ACCOUNTING_ROLES = (Role.ADMIN, Role.ACCOUNTING)
# may open a bill's page: 経理 and the admin always; anybody else only through the bill's approval
# request (see can_view_bill). Every role but the outside team can be an approver.
BILL_VIEW_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)


def manages_payables(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*ACCOUNTING_ROLES)


def can_view_bill(*, company: Company, membership: Membership | None, bill: Any) -> bool:
    """経理 / admin; or an approver of the bill's request (never a draft: it has no request)."""
    if membership is None or bill.company_id != company.pk:
        return False
    if manages_payables(membership):
        return True
    if not membership.has_any_role(*BILL_VIEW_ROLES) or not bill.number:
        return False
    request = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=bill.pk)
    return request is not None and approval_selectors.can_view(
        company=company, membership=membership, request=request
    )
