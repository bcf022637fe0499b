"""定時決定・随時改定 — recording the decision: the rows people tick on the list become
``StandardRemuneration`` rows (reason 定時決定 / 随時改定, from the row's first month, 報酬月額 = the
average), each through ``employee_pay.set_standard_remuneration`` (which takes the grades from the
法令の等級表 and audits the row). The list is read again here, so what is recorded is what the
payslips give now, never figures sent by the browser.

All or nothing: an employee who is not on the list, or is excluded by law (健康保険法41条3項), refuses
the whole request and nothing is written. Idempotent: a row already recorded (a 標準報酬月額 from the
same month exists, whoever wrote it) is skipped and reported, never overwritten. One audit event sums
up the request besides the event of each row. docs/domains/payroll.md 「定時決定・随時改定」."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.payroll.models import GradeReason, StandardRemuneration
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.selectors import revisions as selectors

from .employee_pay import set_standard_remuneration

ANNUAL = "annual"
INTERIM = "interim"
KINDS = (ANNUAL, INTERIM)
REASONS = {ANNUAL: GradeReason.ANNUAL, INTERIM: GradeReason.REVISION}
MAX_ROWS = 5000


@dataclass(frozen=True)
class Recorded:
    """What one request did: ``created`` the new rows, ``skipped`` the rows already recorded."""

    kind: str
    created: list[StandardRemuneration] = field(default_factory=list)
    skipped: list[selectors.RevisionRow] = field(default_factory=list)


def _refuse(message: str, problems: list[str] | None = None) -> ServiceError:
    return ServiceError(message, code="validation", field_errors={"employees": problems or [message]})


def _note(row: selectors.RevisionRow) -> str:
    months = "・".join(f"{c.month.month}月" for c in row.months if c.counted)
    if row.kind == ANNUAL:
        return _("%(year)d年の定時決定(%(months)sの平均)") % {"year": row.applies_from.year, "months": months}
    return _("%(month)sの固定的賃金の変動による随時改定(%(months)sの平均)") % {
        "month": f"{row.changed_month:%Y-%m}" if row.changed_month else "",
        "months": months,
    }


@transaction.atomic
def record_revisions(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    kind: str,
    employee_ids: Sequence[int],
    year: int | None = None,
    as_of: date | None = None,
) -> Recorded:
    """Record the 標準報酬月額 of ``employee_ids`` from the 定時決定 of ``year`` (kind "annual") or
    the 随時改定 found as of ``as_of`` (kind "interim", today by default). Refused, nothing written: no one chosen,
    someone not on the list or excluded by law, a grade the rules refuse."""
    require_role(membership, *SETTINGS_ROLES)
    if kind not in KINDS:
        message = _("定時決定か随時改定かを選んでください。")
        raise ServiceError(message, code="validation", field_errors={"kind": [message]})
    wanted = list(dict.fromkeys(employee_ids))
    if not wanted:
        raise _refuse(_("登録する人を選んでください。"))
    if len(wanted) > MAX_ROWS:
        raise _refuse(_("一度に登録できるのは%(n)d人までです。") % {"n": MAX_ROWS})
    if kind == ANNUAL:
        if year is None:
            message = _("年を指定してください。")
            raise ServiceError(message, code="validation", field_errors={"year": [message]})
        rows = selectors.annual_list(company=company, membership=membership, year=year)
    else:
        as_of = as_of or timezone.localdate()
        rows = selectors.interim_list(company=company, membership=membership, as_of=as_of)
    by_employee = {r.employee_id: r for r in rows}
    missing = [i for i in wanted if i not in by_employee]
    if missing:
        raise _refuse(
            _("選んだ人のうち%(n)d人は、この一覧にいません。画面を開き直してください。") % {"n": len(missing)}
        )
    excluded = [by_employee[i] for i in wanted if by_employee[i].excluded]
    if excluded:
        raise _refuse(
            _("対象外の人が含まれているため登録しませんでした。"),
            [f"{r.employee_number} {r.employee_name}: {r.excluded_label}" for r in excluded],
        )
    result = Recorded(kind=kind)
    for employee_id in wanted:
        row = by_employee[employee_id]
        if row.recorded:
            result.skipped.append(row)
            continue
        result.created.append(
            set_standard_remuneration(
                company=company,
                actor=actor,
                membership=membership,
                employee_id=employee_id,
                effective_from=row.applies_from,
                monthly_remuneration=Decimal(row.average),
                reason=REASONS[kind],
                note=_note(row),
            )
        )
    if not result.created:
        return result  # everything was already recorded: nothing written
    record_event(
        company=company,
        actor=actor,
        action="record_revisions",
        object_type="payroll.standardremuneration",
        object_repr=_("定時決定") if kind == ANNUAL else _("随時改定"),
        after={
            "kind": kind,
            "year": year if kind == ANNUAL else None,
            "as_of": as_of.isoformat() if kind == INTERIM and as_of else None,
            "created": [r.pk for r in result.created],
            "skipped": [r.employee_id for r in result.skipped],
        },
    )
    return result


__all__ = ["ANNUAL", "INTERIM", "KINDS", "Recorded", "record_revisions"]
