"""Writes of 人事 master data: a company's employment types, departments and positions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import (
    nfkc,
)
from ennoshita.people.models import Department, Employee, EmploymentType, Placement, Position

from .base import HR_WRITERS, _fail, _full_clean, _save_unique

DEFAULT_EMPLOYMENT_TYPES = [
    ("regular", "正社員"),
    ("contract", "契約社員"),
    ("part_time", "パート"),
    ("arbeit", "アルバイト"),
    ("dispatched", "派遣"),
    ("officer", "役員"),
]


@transaction.atomic
def set_up_company_masters(*, company: Company, actor: User | None) -> None:
    """Seed the employment types every Japanese company uses (idempotent)."""
    for order, (code, name) in enumerate(DEFAULT_EMPLOYMENT_TYPES):
        et, created = EmploymentType.objects.get_or_create(
            company=company, code=code, defaults={"name": name, "sort_order": order}
        )
        if created:
            record_event(company=company, actor=actor, action="create", instance=et, after=snapshot(et))


# ------------------------------------------------------------------ departments
def _check_head(company: Company, head: Employee | None) -> None:
    """所属長: an employee of this company who has not left."""
    if head is None:
        return
    if head.company_id != company.pk:
        raise NotFound()
    if head.retire_date is not None and head.retire_date < timezone.localdate():
        raise _fail("head", _("退職した社員は所属長にできません。"))


def _check_parent(company: Company, department: Department | None, parent: Department | None) -> None:
    if parent is None:
        return
    if parent.company_id != company.pk:
        raise NotFound()
    node: Department | None = parent
    while node is not None:
        if department is not None and node.pk == department.pk:
            raise _fail("parent", _("自分自身や配下の部署を上位部署にはできません。"))
        node = node.parent


@transaction.atomic
def create_department(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    code: str,
    name: str,
    parent: Department | None = None,
    sort_order: int = 0,
    head: Employee | None = None,
) -> Department:
    require_role(membership, *HR_WRITERS)
    _check_parent(company, None, parent)
    _check_head(company, head)
    # 部署コード typed in full width (１００) is the same code as 100.
    dept = Department(
        company=company,
        code=nfkc(code).strip(),
        name=name.strip(),
        parent=parent,
        sort_order=sort_order,
        head=head,
    )
    _full_clean(dept, exclude=["company"])
    _save_unique(dept, "code", _("この部署コードは既に使われています。"))
    record_event(company=company, actor=actor, action="create", instance=dept, after=snapshot(dept))
    return dept


@transaction.atomic
def update_department(
    *, company: Company, actor: User, membership: Membership, department: Department, **changes: Any
) -> Department:
    require_role(membership, *HR_WRITERS)
    if department.company_id != company.pk:
        raise NotFound()
    allowed = {"code", "name", "parent", "sort_order", "is_active", "head"}
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(department)
    if "parent" in changes:
        _check_parent(company, department, changes["parent"])
    if changes.get("head") is not None and changes["head"].pk != department.head_id:
        _check_head(company, changes["head"])
    if changes.get("is_active") is False:
        from ennoshita.people.selectors import department_headcount

        if department_headcount(company=company, department=department, as_of=None) > 0:
            raise _fail("is_active", _("所属している社員がいる部署は無効にできません。"))
    if isinstance(changes.get("code"), str):
        changes["code"] = nfkc(changes["code"])
    for key, value in changes.items():
        setattr(department, key, value.strip() if isinstance(value, str) else value)
    _full_clean(department, exclude=["company"])
    _save_unique(department, "code", _("この部署コードは既に使われています。"))
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=department,
        before=before,
        after=snapshot(department),
    )
    return department


@transaction.atomic
def delete_department(
    *, company: Company, actor: User, membership: Membership, department: Department
) -> None:
    require_role(membership, *HR_WRITERS)
    if department.company_id != company.pk:
        raise NotFound()
    if department.children.exists() or Placement.objects.filter(department=department).exists():
        raise _fail("__all__", _("配下の部署や配置履歴がある部署は削除できません。無効にしてください。"))
    before = snapshot(department)
    pk, label = department.pk, str(department)
    department.delete()
    record_event(
        company=company,
        actor=actor,
        action="delete",
        object_type="people.department",
        object_id=str(pk),
        object_repr=label,
        before=before,
    )


# ------------------------------------------------------------------ positions
@transaction.atomic
def create_position(
    *, company: Company, actor: User, membership: Membership, code: str, name: str, rank: int = 0
) -> Position:
    require_role(membership, *HR_WRITERS)
    pos = Position(company=company, code=nfkc(code).strip(), name=name.strip(), rank=rank)
    _full_clean(pos, exclude=["company"])
    _save_unique(pos, "code", _("この役職コードは既に使われています。"))
    record_event(company=company, actor=actor, action="create", instance=pos, after=snapshot(pos))
    return pos


@transaction.atomic
def update_position(
    *, company: Company, actor: User, membership: Membership, position: Position, **changes: Any
) -> Position:
    require_role(membership, *HR_WRITERS)
    if position.company_id != company.pk:
        raise NotFound()
    before = snapshot(position)
    for key in changes:
        if key not in {"code", "name", "rank"}:
            raise ServiceError(f"unknown field: {key}")
        setattr(position, key, changes[key])
    _full_clean(position, exclude=["company"])
    _save_unique(position, "code", _("この役職コードは既に使われています。"))
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=position,
        before=before,
        after=snapshot(position),
    )
    return position
