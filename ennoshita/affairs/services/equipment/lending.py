"""備品's writes: 貸与 and 返却.

Lending an item that is already lent is refused with the holder's name — and when two people lend
the same item at the same moment, the database's one-open-loan constraint refuses the second with
the same message. The item's ``status`` and ``holder`` move together with its open loan.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Equipment, EquipmentLoan, EquipmentStatus
from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.people.models import Employee

from .base import STATE_FIELDS, WRITE_ROLES, _lent_message, _locked, _refuse

LOAN_FIELDS = ("equipment", "employee", "lent_on", "due_on", "returned_on", "note", "return_note")


def _employee(company: Company, employee: Employee | None) -> Employee:
    if employee is None or employee.company_id != company.pk:
        raise _refuse("employee", _("貸与先の社員を選んでください。"), code="validation")
    return employee


@transaction.atomic
def lend_equipment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    equipment: Equipment,
    employee: Employee | None,
    lent_on: date,
    due_on: date | None = None,
    note: str = "",
) -> EquipmentLoan:
    """貸与: the item goes to the employee from ``lent_on``. Refused (nothing written) when the item
    is lent already, under repair, lost or disposed, when its category is not lent out, when the
    employee has left by ``lent_on``, or when the dates do not add up."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    person = _employee(company, employee)
    today = timezone.localdate()
    if item.status == EquipmentStatus.LENT:
        raise _refuse("equipment", _lent_message(item), code="already_lent")
    if item.status != EquipmentStatus.IN_STOCK:
        raise _refuse(
            "equipment",
            _("「%(item)s」は%(status)sのため貸し出せません。")
            % {"item": f"{item.asset_number} {item.name}", "status": item.get_status_display()},
            code="not_available",
        )
    if not item.category.is_lendable:
        raise _refuse(
            "equipment",
            _("分類「%(c)s」の備品は貸与の対象外です。") % {"c": item.category.name},
            code="not_lendable",
        )
    if lent_on is None:
        raise _refuse("lent_on", _("貸出日を入力してください。"), code="validation")
    if lent_on > today:
        raise _refuse("lent_on", _("貸出日に未来の日付は指定できません。"), code="validation")
    if person.retire_date is not None and person.retire_date < lent_on:
        raise _refuse(
            "employee",
            _("%(name)s さんは %(date)s に退職しています。退職者には貸与できません。")
            % {"name": person.full_name, "date": person.retire_date.isoformat()},
            code="retired",
        )
    if due_on is not None and due_on < lent_on:
        raise _refuse("due_on", _("返却予定日は貸出日以降の日付にしてください。"), code="validation")
    loan = EquipmentLoan(
        company=company,
        equipment=item,
        employee=person,
        lent_on=lent_on,
        due_on=due_on,
        lent_by=actor,
        note=" ".join(nfkc(note or "").split())[:300],
    )
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:
        # another lending of this item committed between our read and our write
        other = (
            EquipmentLoan.objects.for_company(company)
            .filter(equipment=item, returned_on__isnull=True)
            .select_related("employee")
            .first()
        )
        holder = other.employee if other is not None else None
        raise _refuse("equipment", _lent_message(item, holder), code="already_lent") from None
    before = snapshot(item, STATE_FIELDS)
    item.status = EquipmentStatus.LENT
    item.holder = person
    item.save(update_fields=["status", "holder", "updated_at"])
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "lend",
                instance=item,
                before=before,
                after=snapshot(item, STATE_FIELDS),
                extra={"loan": loan.pk, "lent_on": lent_on, "due_on": due_on},
            ),
            EventInput("create", instance=loan, after=snapshot(loan, LOAN_FIELDS)),
        ],
    )
    return loan


@transaction.atomic
def return_equipment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    equipment: Equipment,
    returned_on: date,
    return_note: str = "",
    needs_repair: bool = False,
) -> EquipmentLoan:
    """返却: closes the open loan; the item is 保管中 again (修理中 when it came back broken)."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    loan = (
        EquipmentLoan.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(equipment=item, returned_on__isnull=True)
        .first()
    )
    if loan is None or item.status != EquipmentStatus.LENT:
        raise _refuse(
            "equipment",
            _("「%(item)s」は貸出中ではありません。") % {"item": f"{item.asset_number} {item.name}"},
            code="not_lent",
        )
    if returned_on is None:
        raise _refuse("returned_on", _("返却日を入力してください。"), code="validation")
    if returned_on > timezone.localdate():
        raise _refuse("returned_on", _("返却日に未来の日付は指定できません。"), code="validation")
    if returned_on < loan.lent_on:
        raise _refuse(
            "returned_on",
            _("返却日は貸出日(%(d)s)以降の日付にしてください。") % {"d": loan.lent_on.isoformat()},
            code="validation",
        )
    loan_before = snapshot(loan, LOAN_FIELDS)
    loan.returned_on = returned_on
    loan.returned_by = actor
    loan.return_note = " ".join(nfkc(return_note or "").split())[:300]
    loan.save()
    before = snapshot(item, STATE_FIELDS)
    item.status = EquipmentStatus.REPAIR if needs_repair else EquipmentStatus.IN_STOCK
    item.holder = None
    item.save(update_fields=["status", "holder", "updated_at"])
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "return",
                instance=item,
                before=before,
                after=snapshot(item, STATE_FIELDS),
                extra={"loan": loan.pk, "returned_on": returned_on},
            ),
            EventInput("update", instance=loan, before=loan_before, after=snapshot(loan, LOAN_FIELDS)),
        ],
    )
    return loan
