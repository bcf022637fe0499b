"""チームの勤怠: who is in today — for a 所属長 their departments (and those below), for 人事 the
whole company or one department — from that day's punches and the work rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.selectors.headcount import departments_headed_by

from .leave_selectors import leave_on_day
from .models import Punch
from .rules import punches as punch_rules
from .timesheet_inputs import plan_of, published_shifts_on, rule_for, rules_with_default
from .timesheet_selectors import READ_ALL_ROLES, late_minutes

STATUSES = ("working", "on_break", "done", "not_in", "on_leave", "absent", "day_off")


@dataclass(frozen=True)
class TeamMember:
    employee_id: int
    number: str
    name: str
    department: str
    status: str  # one of STATUSES
    first_in: datetime | None
    last_out: datetime | None
    late_minutes: int
    leave: str = ""  # the day's leave (「年次有給休暇(午前半休)」; 「(申請中)」 until approved)
    leave_whole_day: bool = False  # an approved whole day: 休暇, not 欠勤 nor 未出勤


@dataclass(frozen=True)
class TeamDay:
    day: date
    kind: str  # the day under the work rule: workday, scheduled_holiday, statutory_holiday
    members: list[TeamMember]
    counts: dict[str, int]
    departments: list[tuple[int, str]]  # the departments the reader may choose from


def _scope(company: Company, membership: Membership, day: date) -> list[int] | None:
    """None: every department (人事, admins); else the ids a 所属長 heads, with those below."""
    if membership.has_any_role(*READ_ALL_ROLES):
        return None
    ids = departments_headed_by(company=company, user_id=membership.user_id, as_of=day)
    if not ids:
        raise PermissionDeniedError()
    return ids


def _status(kinds: list[str], day_is_work: bool, past: bool, on_leave: bool = False) -> str:
    if not kinds:
        if not day_is_work:
            return "day_off"
        if on_leave:
            return "on_leave"
        return "absent" if past else "not_in"
    last = kinds[-1]
    if last == punch_rules.OUT:
        return "done"
    if last == punch_rules.BREAK_START:
        return "on_break"
    return "working"


def team_day(
    *,
    company: Company,
    membership: Membership,
    day: date | None = None,
    department_id: int | None = None,
    today: date | None = None,
) -> TeamDay:
    """The day's status of each employee in the reader's scope and in service that day, in
    employee-number order: 勤務中, 休憩中, 退勤済, 未出勤 (today, a workday), 欠勤 (a past workday
    without a punch), 休日. PermissionDeniedError for a reader who heads no department."""
    today = today or timezone.localdate()
    day = day or today
    scope = _scope(company, membership, day)
    all_departments = people_selectors.department_tree(company=company)
    choices = [(d.pk, d.name) for d, _depth in all_departments if scope is None or d.pk in scope]
    wanted: list[int] | None = scope
    if department_id is not None:
        if department_id not in {pk for pk, _name in choices}:
            raise NotFound()
        wanted = people_selectors.descendant_ids(company=company, department_id=department_id)
        if scope is not None:
            wanted = [d for d in wanted if d in scope]
    employees = people_selectors.employees_in_service(
        company=company, as_of=day, department_ids=wanted, lean=True
    )
    by_employee: dict[int, list[Punch]] = defaultdict(list)
    for punch in (
        Punch.objects.for_company(company)
        .filter(work_date=day, employee_id__in=[e.pk for e in employees], voided_at__isnull=True)
        .order_by("at", "pk")
    ):
        by_employee[punch.employee_id].append(punch)
    rules_by_type = rules_with_default(company=company)
    standard = rule_for(rules_by_type, company, None)
    kind = plan_of(standard, day, None).kind
    ids = [e.pk for e in employees]
    shifts = published_shifts_on(company=company, day=day, employee_ids=ids)
    leave = leave_on_day(company=company, day=day, employee_ids=ids)
    members = []
    for e in employees:
        punches = by_employee.get(e.pk, [])
        ins = [p.at for p in punches if p.kind == punch_rules.IN]
        outs = [p.at for p in punches if p.kind == punch_rules.OUT]
        # each employee's day: their shift, else their employment type's rule
        rule = rule_for(rules_by_type, company, e)
        plan = plan_of(rule, day, shifts.get(e.pk))
        mark = leave.get(e.pk)
        whole = mark is not None and mark.approved and mark.unit == "full"
        timed = plan.kind == "workday" and rule.system != "flex" and not whole
        late = (
            late_minutes(rule, day, ins[0], plan.start)
            if timed and ins and not (mark and mark.unit == "am")
            else 0
        )
        members.append(
            TeamMember(
                employee_id=e.pk,
                number=e.number,
                name=f"{e.family_name} {e.given_name}",
                department=getattr(e, "dept_name", None) or "",  # annotated by people.selectors
                status=_status([p.kind for p in punches], plan.kind == "workday", day < today, whole),
                first_in=ins[0] if ins else None,
                last_out=outs[-1] if outs else None,
                late_minutes=late,
                leave=mark.label if mark is not None else "",
                leave_whole_day=whole,
            )
        )
    counts = {s: sum(1 for m in members if m.status == s) for s in STATUSES}
    return TeamDay(day=day, kind=kind, members=members, counts=counts, departments=choices)
