"""Which departments a reader of the dashboard sees, and the company's indirect-cost settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role
from ennoshita.costs.models import IndirectCostSettings
from ennoshita.costs.permissions import sees_all
from ennoshita.ledger.chart import SECTIONS_BY_KEY
from ennoshita.ledger.models import Account
from ennoshita.people.models import Department
from ennoshita.people.selectors.headcount import departments_headed_by

# ``department_id`` 0 is the costs posted without a department (Balance.dept_key 0).
NO_DEPARTMENT = 0
# The sections whose accounts can be chosen as indirect costs: the cost sections of the P/L.
EXPENSE_SECTIONS = ("cost_of_sales", "sga", "non_operating_expenses")


@dataclass(frozen=True)
class Scope:
    """What a reader may see: every department and the costs without one (``everything``), or
    only ``department_ids`` (a 所属長's departments)."""

    everything: bool
    department_ids: tuple[int, ...] = ()

    def allows(self, department_id: int) -> bool:
        return self.everything or department_id in self.department_ids

    def keys(self, company: Company, department_id: int | None) -> list[int] | None:
        """The Balance.dept_key values to read: None for everything, else a list. NotFound for a
        department outside the scope or not of the company (another company's id looks the same)."""
        if department_id is None:
            return None if self.everything else list(self.department_ids)
        if not self.allows(department_id):
            raise NotFound()
        if (
            self.everything
            and department_id != NO_DEPARTMENT
            and not Department.objects.for_company(company).filter(pk=department_id).exists()
        ):
            raise NotFound()
        return [department_id]


def scope_of(*, company: Company, membership: Membership | None, as_of: date) -> Scope:
    """経理 / admin: everything. A 所属長 in service on ``as_of``: the departments headed. Others
    (and the outside team): PermissionDeniedError."""
    if membership is None or membership.company_id != company.pk:
        raise PermissionDeniedError()
    if sees_all(membership):
        return Scope(everything=True)
    if membership.has_any_role(Role.ASSISTANT):  # the outside team sees only what it is given
        raise PermissionDeniedError()
    ids = departments_headed_by(company=company, user_id=membership.user_id, as_of=as_of)
    if not ids:
        raise PermissionDeniedError(_("間接経費は経理・管理者と部署の所属長だけが見られます。"))
    return Scope(everything=False, department_ids=tuple(ids))


def can_view(*, company: Company, membership: Membership | None, as_of: date) -> bool:
    try:
        scope_of(company=company, membership=membership, as_of=as_of)
    except PermissionDeniedError:
        return False
    return True


def department_choices(*, company: Company, scope: Scope) -> list[tuple[int, str]]:
    """(id, label) of the departments the reader may filter by; 0 (部門なし) for 経理."""
    qs = Department.objects.for_company(company).order_by("sort_order", "code")
    if not scope.everything:
        qs = qs.filter(pk__in=scope.department_ids)
    out = [(d.pk, f"{d.code} {d.name}") for d in qs.only("pk", "code", "name")]
    if scope.everything:
        out.append((NO_DEPARTMENT, _("部門なし(共通)")))
    return out


def settings_of(*, company: Company) -> IndirectCostSettings:
    """The company's settings; the defaults (not saved) until someone changes them."""
    found = IndirectCostSettings.objects.for_company(company).first()
    return found if found is not None else IndirectCostSettings(company=company)


def expense_accounts(*, company: Company) -> list[Account]:
    """The accounts that may be counted as indirect costs: the company's cost accounts (売上原価,
    販売費及び一般管理費, 営業外費用), in code order."""
    return list(
        Account.objects.for_company(company)
        .filter(section__in=[s for s in EXPENSE_SECTIONS if s in SECTIONS_BY_KEY])
        .order_by("code")
    )


def indirect_accounts(*, company: Company, codes: list[str]) -> list[Account]:
    """The company's accounts of ``codes``, in the order of ``codes`` (missing codes are left out)."""
    by_code = {a.code: a for a in Account.objects.for_company(company).filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]
