"""打刻修正申請 reads: who may correct whose day, one request, the lists, a day's punches (the
current ones and the whole history, voided punches included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee
from ennoshita.people.selectors.headcount import departments_headed_by

from .models import OPEN_STATES, Punch, PunchCorrection, PunchKind
from .rules.workday import TOKYO

REQUEST_TYPE = "attendance.correction"
READ_ALL_ROLES = ("admin", "hr")  # 人事 and admins: anyone's day


def _employee_department_id(company: Company, employee: Employee, day: date) -> int | None:
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=day)
    if placement is None:
        placement = people_selectors.placement_as_of(
            company=company, employee=employee, as_of=timezone.localdate()
        )
    return placement.department_id if placement is not None else None


def correction_scope(
    *, company: Company, membership: Membership, employee: Employee, work_date: date
) -> str | None:
    """How the member may correct the employee's day: "own", "hr" (人事・admin: anyone),
    "manager" (所属長 of the employee's department on that day, or of one above it), or None."""
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if own is not None and own.pk == employee.pk:
        return "own"
    if membership.has_any_role(*READ_ALL_ROLES):
        return "hr"
    headed = departments_headed_by(company=company, user_id=membership.user_id, as_of=timezone.localdate())
    if headed and _employee_department_id(company, employee, work_date) in headed:
        return "manager"
    return None


def employee_for_correction(
    *, company: Company, membership: Membership, employee_id: int | None, work_date: date
) -> Employee:
    """The employee whose day the member means to correct (their own when ``employee_id`` is None):
    NotFound for an id of no employee of this company, PermissionDeniedError outside their scope."""
    if employee_id is None:
        own = people_selectors.own_employee_record(company=company, membership=membership)
        if own is None:
            raise NotFound()
        return own
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    if (
        correction_scope(company=company, membership=membership, employee=employee, work_date=work_date)
        is None
    ):
        raise PermissionDeniedError(_no_scope_message())
    return employee


def _no_scope_message() -> str:
    from django.utils.translation import gettext as _

    return _("この社員の打刻を修正する申請はできません(本人、所属長、人事だけができます)。")


def day_punches(*, company: Company, employee_id: int, work_date: date) -> list[Punch]:
    """The day's current punches (not voided), in time order."""
    return list(
        Punch.objects.for_company(company)
        .filter(employee_id=employee_id, work_date=work_date, voided_at__isnull=True)
        .order_by("at", "pk")
    )


def day_punch_history(*, company: Company, employee_id: int, work_date: date) -> list[Punch]:
    """Every punch of the day ever recorded, voided ones included, with the requests that made or
    voided them: the day's history."""
    return list(
        Punch.objects.for_company(company)
        .filter(employee_id=employee_id, work_date=work_date)
        .select_related("correction", "voided_by", "recorded_by")
        .order_by("at", "pk")
    )


def open_correction(*, company: Company, employee_id: int, work_date: date) -> PunchCorrection | None:
    return (
        PunchCorrection.objects.for_company(company)
        .filter(employee_id=employee_id, work_date=work_date, state__in=OPEN_STATES)
        .first()
    )


def _visible(company: Company, membership: Membership) -> QuerySet[PunchCorrection]:
    """人事 all; others what they asked for, their own days, and their teams' days."""
    qs = PunchCorrection.objects.for_company(company)
    if membership.has_any_role(*READ_ALL_ROLES):
        return qs
    own = people_selectors.own_employee_record(company=company, membership=membership)
    cond = Q(requested_by_id=membership.user_id)
    if own is not None:
        cond |= Q(employee_id=own.pk)
    headed = departments_headed_by(company=company, user_id=membership.user_id, as_of=timezone.localdate())
    if headed:
        team = people_selectors.employees_in_service(
            company=company, as_of=timezone.localdate(), department_ids=headed
        )
        cond |= Q(employee_id__in=[e.pk for e in team])
    return qs.filter(cond)


def get_correction(*, company: Company, membership: Membership, correction_id: int) -> PunchCorrection:
    """One request the member may see (the requester, the employee, their 所属長, 人事, anyone the
    approval lets see it), else NotFound (another company's id looks the same)."""
    found = (
        PunchCorrection.objects.for_company(company)
        .select_related("employee", "requested_by")
        .filter(pk=correction_id)
        .first()
    )
    if found is None:
        raise NotFound()
    if _visible(company, membership).filter(pk=found.pk).exists():
        return found
    from ennoshita.approvals import selectors as approval_selectors

    request = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=found.pk)
    if request is not None and approval_selectors.can_view(
        company=company, membership=membership, request=request
    ):
        return found
    raise NotFound()


def correction_list(
    *,
    company: Company,
    membership: Membership,
    scope: str = "mine",
    state: str = "",
    q: str = "",
    month: date | None = None,
) -> QuerySet[PunchCorrection]:
    """``scope`` "mine": asked by the member or for their own days; "all": everything the member
    may see (人事: the company). Newest first."""
    if scope == "all":
        qs = _visible(company, membership)
    else:
        own = people_selectors.own_employee_record(company=company, membership=membership)
        cond = Q(requested_by_id=membership.user_id)
        if own is not None:
            cond |= Q(employee_id=own.pk)
        qs = PunchCorrection.objects.for_company(company).filter(cond)
    if state:
        qs = qs.filter(state=state)
    if month is not None:
        qs = qs.filter(work_date__year=month.year, work_date__month=month.month)
    for word in nfkc(q).split():
        qs = qs.filter(
            Q(employee__number__icontains=word)
            | Q(employee__family_name__icontains=word)
            | Q(employee__given_name__icontains=word)
            | Q(employee__family_name_kana__icontains=word)
        )
    return qs.select_related("employee", "requested_by").order_by("-created_at", "-pk")


# ------------------------------------------------------------------------------ showing a day
def day_time_label(work_date: date, at: datetime) -> str:
    """A time on the work day as the correction form and the CSV import write it: "9:05", or
    "25:30" for 1:30 of the next day (seconds shown when the punch has them, as the button
    records them)."""
    local = at.astimezone(TOKYO)
    minutes = (local.date() - work_date).days * 24 * 60 + local.hour * 60 + local.minute
    hours, rest = divmod(minutes, 60)
    label = f"{hours}:{rest:02d}"
    return f"{label}:{local.second:02d}" if local.second else label


@dataclass(frozen=True)
class PunchRow:
    kind: str
    kind_label: str
    at: datetime
    label: str  # "9:05" or "25:30" on the work day


def rows_of(work_date: date, stored: list[dict[str, Any]]) -> list[PunchRow]:
    """A request's ``before`` or ``proposed`` list as rows to show."""
    labels = dict(PunchKind.choices)
    rows = []
    for item in stored:
        at = parse_datetime(item["at"])
        if at is None:
            continue
        rows.append(
            PunchRow(
                item["kind"], str(labels.get(item["kind"], item["kind"])), at, day_time_label(work_date, at)
            )
        )
    return rows


def open_corrections_by_day(
    *, company: Company, employee_id: int, month: date
) -> dict[date, PunchCorrection]:
    """The month's open requests (承認待ち・差し戻し) of an employee by work day, in one query: for the
    出勤簿 to mark a day 「修正申請中」 and link to its request."""
    month = month.replace(day=1)
    return {
        c.work_date: c
        for c in PunchCorrection.objects.for_company(company).filter(
            employee_id=employee_id,
            work_date__year=month.year,
            work_date__month=month.month,
            state__in=OPEN_STATES,
        )
    }
