"""退職金 reads: the list (search, year, status), one payment, the employees a payment may be for,
and the defaults a new payment takes from people and the 住民税 notices. 人事, 経理 and the admin
only (payroll.permissions.RUN_ROLES): an employee sees no one's severance, not even their own on
this screen (the 退職所得の源泉徴収票 is handed to them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.payroll.models import ResidentTax, SeverancePay
from ennoshita.payroll.permissions import CONFIRM_ROLES, RUN_ROLES
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

__all__ = [
    "Municipality",
    "can_confirm",
    "employee_choices",
    "get_severance",
    "municipality_of",
    "severance_list",
    "severance_years",
]


def severance_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    year: int | None = None,
    status: str = "",
) -> QuerySet[SeverancePay]:
    """Newest payment first; ``q`` matches the 社員番号, the name (kanji or kana) or the note;
    ``year`` is the 支払日's year."""
    require_role(membership, *RUN_ROLES)
    qs = SeverancePay.objects.for_company(company).select_related("employee", "created_by")
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(employee__number__icontains=q)
            | Q(employee__family_name__icontains=q)
            | Q(employee__given_name__icontains=q)
            | Q(employee__family_name_kana__icontains=q)
            | Q(employee__given_name_kana__icontains=q)
            | Q(employee__search_key__icontains=q)
            | Q(note__icontains=q)
        )
    if year:
        qs = qs.filter(paid_on__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-paid_on", "-id")


def severance_years(*, company: Company) -> list[int]:
    return sorted(
        {d.year for d in SeverancePay.objects.for_company(company).dates("paid_on", "year")}, reverse=True
    )


def get_severance(*, company: Company, membership: Membership, severance_id: int) -> SeverancePay:
    require_role(membership, *RUN_ROLES)
    found = (
        SeverancePay.objects.for_company(company)
        .select_related("employee", "created_by", "confirmed_by")
        .filter(pk=severance_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def can_confirm(membership: Membership) -> bool:
    return membership.has_any_role(*CONFIRM_ROLES)


def employee_choices(*, company: Company) -> QuerySet[Employee]:
    """Everyone on the company's books, leavers first (they are who is paid a severance)."""
    return (
        Employee.objects.for_company(company)
        .order_by(F("retire_date").desc(nulls_last=True), "number")
        .only("id", "number", "family_name", "given_name", "hire_date", "retire_date")
    )


def employee_of(*, company: Company, employee_id: int) -> Employee | None:
    return people_selectors.employee_by_id(company=company, employee_id=employee_id)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str


def municipality_of(*, company: Company, employee: Employee, paid_on: date) -> Municipality | None:
    """Where the leaver lived on 1 January of the payment year, as the 住民税 notice of that 年度
    says (a 年度's 住民税 is levied by the municipality of 1 January of its year; 地方税法318条・
    328条): None when no notice for that 年度 was entered."""
    row = (
        ResidentTax.objects.for_company(company)
        .filter(employee=employee, fiscal_year=paid_on.year)
        .only("municipality_code", "municipality_name")
        .first()
    )
    if row is None:
        return None
    return Municipality(row.municipality_code, row.municipality_name)


def department_of(*, company: Company, employee: Employee, on: date) -> int | None:
    """The department the leaver belonged to on ``on`` (the 退職日): the debit line's department."""
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=on)
    return placement.department_id if placement else None
