"""備品's writes: who may write, the row lock of an item, and the refusals the register and the
lending share (an item on loan names its holder)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.affairs.models import Equipment
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Role
from ennoshita.people.models import Employee

WRITE_ROLES = (Role.ADMIN, Role.AFFAIRS)
STATE_FIELDS = ("status", "holder", "disposed_on")


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _locked(company: Company, item: Equipment) -> Equipment:
    found = (
        Equipment.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("holder", "category")
        .filter(pk=item.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _refuse(field: str, message: str, code: str = "invalid") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _lent_message(item: Equipment, holder_employee: Employee | None = None) -> str:
    person = holder_employee or item.holder
    holder = person.full_name if person is not None else "?"
    return _("「%(item)s」は %(holder)s さんに貸出中です。先に返却を記録してください。") % {
        "item": f"{item.asset_number} {item.name}",
        "holder": holder,
    }
