"""Reads of 備品: the register (search, filters), one item with its loans and history, what an
employee holds, the leavers who still hold items (人事・総務), the fixed-asset candidates (経理).

Who reads: admin and 総務 (who also write), 人事 and 経理; any employee reads the items they hold
themselves. Lists are one query for the rows (category, place and holder joined), whatever their length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from ennoshita.affairs.models import (
    AffairsSettings,
    Equipment,
    EquipmentCategory,
    EquipmentLoan,
    EquipmentStatus,
    Location,
)
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership, Role
from ennoshita.core.text import nfkc, search_key
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

WRITE_ROLES = (Role.ADMIN, Role.AFFAIRS)
READ_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR, Role.ACCOUNTING)
LEAVER_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR)
ASSET_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.ACCOUNTING)
LEAVER_DAYS = 60  # 退職予定者: what must come back is shown from 60 days before the 退職日
DEFAULT_THRESHOLD = Decimal(100000)


def can_write(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*WRITE_ROLES)


def can_read(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*READ_ROLES)


def _require_read(membership: Membership) -> None:
    if not can_read(membership):
        raise PermissionDeniedError()


def threshold_of(company: Company) -> Decimal:
    """The company's fixed-asset threshold (the default until 総務 saves the settings)."""
    value = (
        AffairsSettings.objects.for_company(company).values_list("fixed_asset_threshold", flat=True).first()
    )
    return DEFAULT_THRESHOLD if value is None else value


def _base(company: Company) -> QuerySet[Equipment]:
    return Equipment.objects.for_company(company).select_related("category", "location", "holder")


def equipment_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    category_id: int | None = None,
    status: str = "",
    location_id: int | None = None,
    holder_id: int | None = None,
    fixed_asset: bool | None = None,
    warranty_within: int | None = None,
    include_disposed: bool = False,
    as_of: date | None = None,
) -> QuerySet[Equipment]:
    """The register by 資産番号. ``q``: every word must match the asset number, name, serial number,
    maker or vendor, or the holder's name (kana too). ``status`` ""= every state but 廃棄済み (unless
    ``include_disposed``). ``fixed_asset``: price at or over the company's threshold.
    ``warranty_within``: warranty ending from today to that many days ahead."""
    _require_read(membership)
    qs = _base(company).order_by("asset_number", "pk")
    for word in nfkc(q or "").split()[:5]:
        key = search_key(word)
        qs = qs.filter(Q(search_key__contains=key) | Q(holder__search_key__contains=key))
    if category_id:
        qs = qs.filter(category_id=category_id)
    if status:
        qs = qs.filter(status=status)
    elif not include_disposed:
        qs = qs.exclude(status=EquipmentStatus.DISPOSED)
    if location_id:
        qs = qs.filter(location_id=location_id)
    if holder_id:
        qs = qs.filter(holder_id=holder_id)
    if fixed_asset is not None:
        candidate = Q(purchase_price__gte=threshold_of(company))
        qs = qs.filter(candidate) if fixed_asset else qs.exclude(candidate)
    if warranty_within is not None:
        today = as_of or timezone.localdate()
        qs = qs.filter(warranty_end__gte=today, warranty_end__lte=today + timedelta(days=warranty_within))
    return qs


def equipment_by_ids(*, company: Company, membership: Membership, ids: list[int]) -> QuerySet[Equipment]:
    _require_read(membership)
    return _base(company).filter(pk__in=ids).order_by("asset_number", "pk")


def get_equipment(*, company: Company, membership: Membership, equipment_id: int) -> Equipment:
    """One item, or NotFound (another company's id is the same as none)."""
    _require_read(membership)
    item = _base(company).filter(pk=equipment_id).first()
    if item is None:
        raise NotFound()
    return item


def is_fixed_asset_candidate(*, company: Company, equipment: Equipment) -> bool:
    return equipment.purchase_price is not None and equipment.purchase_price >= threshold_of(company)


def item_loans(*, company: Company, equipment: Equipment) -> QuerySet[EquipmentLoan]:
    """貸与履歴 of an item, newest first."""
    return (
        EquipmentLoan.objects.for_company(company)
        .filter(equipment=equipment)
        .select_related("employee", "lent_by", "returned_by")
        .order_by("-lent_on", "-pk")
    )


def employee_loans(*, company: Company, employee: Employee) -> QuerySet[EquipmentLoan]:
    """Every loan to an employee (open and returned), newest first."""
    return (
        EquipmentLoan.objects.for_company(company)
        .filter(employee=employee)
        .select_related("equipment", "equipment__category")
        .order_by("-lent_on", "-pk")
    )


def held_items(*, company: Company, employee: Employee) -> QuerySet[EquipmentLoan]:
    """The open loans of an employee (what they hold now), by asset number."""
    return (
        EquipmentLoan.objects.for_company(company)
        .filter(employee=employee, returned_on__isnull=True)
        .select_related("equipment", "equipment__category")
        .order_by("equipment__asset_number", "pk")
    )


def own_employee(*, company: Company, membership: Membership) -> Employee | None:
    return people_selectors.own_employee_record(company=company, membership=membership)


def may_see_holdings(*, membership: Membership, employee: Employee) -> bool:
    """Who may see what an employee holds: the readers of the register, and the employee."""
    return can_read(membership) or (employee.user_id is not None and employee.user_id == membership.user_id)


def get_loan_employee(*, company: Company, membership: Membership, employee_id: int) -> Employee:
    """An employee for the loan forms and filters (any employee of the company, retired too)."""
    _require_read(membership)
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    return found


def lendable_employees(*, company: Company, as_of: date | None = None) -> list[Employee]:
    """Employees who may be lent an item (in service or joining later; not those who have left)."""
    today = as_of or timezone.localdate()
    return list(
        Employee.objects.for_company(company)
        .filter(Q(retire_date__isnull=True) | Q(retire_date__gte=today))
        .only("pk", "company_id", "number", "family_name", "given_name")
        .order_by("number")
    )


@dataclass
class LeaverHoldings:
    employee: Employee
    items: list[Equipment] = field(default_factory=list)

    @property
    def has_left(self) -> bool:
        return self.employee.retire_date is not None and self.employee.retire_date < timezone.localdate()


def leavers_holding(
    *, company: Company, membership: Membership, as_of: date | None = None, days: int = LEAVER_DAYS
) -> list[LeaverHoldings]:
    """返却が必要な備品: employees whose 退職日 has passed or falls within ``days`` and who still hold
    items, with the items; the earliest 退職日 first. One query."""
    if not membership.has_any_role(*LEAVER_ROLES):
        raise PermissionDeniedError()
    today = as_of or timezone.localdate()
    rows = (
        _base(company)
        .filter(
            status=EquipmentStatus.LENT,
            holder__retire_date__isnull=False,
            holder__retire_date__lte=today + timedelta(days=days),
        )
        .order_by("holder__retire_date", "holder__number", "asset_number")
    )
    found: dict[int, LeaverHoldings] = {}
    for item in rows:
        assert item.holder is not None
        found.setdefault(item.holder_id, LeaverHoldings(item.holder)).items.append(item)  # type: ignore[arg-type]
    return list(found.values())


def leaver_item_count(
    *, company: Company, as_of: date | None = None, days: int = LEAVER_DAYS
) -> tuple[int, int]:
    """(leavers, items) still to come back, for the home panel."""
    today = as_of or timezone.localdate()
    rows = Equipment.objects.for_company(company).filter(
        status=EquipmentStatus.LENT,
        holder__retire_date__isnull=False,
        holder__retire_date__lte=today + timedelta(days=days),
    )
    items = rows.count()
    people = rows.values("holder_id").distinct().count() if items else 0
    return people, items


def fixed_asset_candidates(*, company: Company, membership: Membership) -> QuerySet[Equipment]:
    """固定資産候補: items (not disposed) bought at or over the company's threshold, newest first."""
    if not membership.has_any_role(*ASSET_ROLES):
        raise PermissionDeniedError()
    return (
        _base(company)
        .filter(purchase_price__gte=threshold_of(company))
        .exclude(status=EquipmentStatus.DISPOSED)
        .order_by("-purchase_date", "asset_number")
    )


def equipment_history(*, company: Company, equipment: Equipment) -> QuerySet[AuditEvent]:
    """変更履歴 of an item: events on the item and on its loans, newest first."""
    loan_ids = (
        EquipmentLoan.objects.for_company(company)
        .filter(equipment=equipment)
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    return (
        AuditEvent.objects.filter(company=company)
        .filter(
            Q(object_type="affairs.equipment", object_id=str(equipment.pk))
            | Q(object_type="affairs.equipmentloan", object_id__in=loan_ids)
        )
        .select_related("actor")
        .order_by("-seq")
    )


# ------------------------------------------------------------------------------ masters
def categories(*, company: Company) -> QuerySet[EquipmentCategory]:
    return EquipmentCategory.objects.for_company(company).order_by("sort_order", "name")


def get_category(*, company: Company, membership: Membership, category_id: int) -> EquipmentCategory:
    _require_read(membership)
    found = categories(company=company).filter(pk=category_id).first()
    if found is None:
        raise NotFound()
    return found


def locations(*, company: Company, include_inactive: bool = True) -> QuerySet[Location]:
    qs = Location.objects.for_company(company).order_by("name")
    return qs if include_inactive else qs.filter(is_active=True)


def get_location(*, company: Company, location_id: int) -> Location:
    found = Location.objects.for_company(company).filter(pk=location_id).first()
    if found is None:
        raise NotFound()
    return found


def status_choices() -> list[tuple[str, Any]]:
    return list(EquipmentStatus.choices)
