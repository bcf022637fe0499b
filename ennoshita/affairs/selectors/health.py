"""Reads of 健康診断・ストレスチェック・長時間労働. None of them decrypts anything: results, opinions and
measures are opened only through ``services.health.view_checkup_record`` (checked and audited).

人事・総務・管理者 (``HEALTH_STAFF_ROLES``) read the lists; an employee reads their own checkups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ennoshita.affairs.models import (
    Checkup,
    CheckupKind,
    CheckupStatus,
    HealthAccessGrant,
    HealthProfile,
    LongHoursCase,
    StressCheck,
    StressCheckStatus,
)
from ennoshita.affairs.rules import health as rules
from ennoshita.affairs.services.health import HEALTH_ACCESS_ROLES, has_health_access, is_health_staff
from ennoshita.core import selectors as core_selectors
from ennoshita.core.dates import fiscal_year as fiscal_year_of
from ennoshita.core.dates import fiscal_year_of as fiscal_year_containing
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors
from ennoshita.people.selectors.headcount import headcount

OPEN = (CheckupStatus.PLANNED, CheckupStatus.BOOKED)
REPORT_KINDS = (CheckupKind.PERIODIC, CheckupKind.SPECIFIC)  # 様式第6号: 定期 and 特定業務 (定期のもの)


def require_staff(membership: Membership) -> None:
    if not is_health_staff(membership):
        raise PermissionDeniedError()


def current_fiscal_year(company: Company, today: date | None = None) -> int:
    return fiscal_year_containing(
        today or timezone.localdate(), start_month=company.fiscal_year_start_month
    ).year


# ------------------------------------------------------------------------------ checkups


def _base(company: Company) -> QuerySet[Checkup]:
    return Checkup.objects.for_company(company).select_related("employee")


def get_checkup(*, company: Company, membership: Membership, checkup_id: int) -> Checkup:
    """Staff: any checkup of the company; an employee: their own; else NotFound."""
    qs = _base(company).filter(pk=checkup_id)
    if not is_health_staff(membership):
        qs = qs.filter(employee__user_id=membership.user_id)
    found = qs.first()
    if found is None:
        raise NotFound()
    return found


def _department_employee_ids(company: Company, department_id: int, today: date) -> list[int]:
    ids = people_selectors.descendant_ids(company=company, department_id=department_id)
    return [
        e.pk
        for e in people_selectors.employees_in_service(
            company=company, as_of=today, department_ids=ids, lean=True
        )
    ]


def checkup_list(
    *,
    company: Company,
    membership: Membership,
    year: int | None = None,
    kind: str = "",
    status: str = "",
    department_id: int | None = None,
    overdue: bool = False,
    unexamined: bool = False,
    q: str = "",
    today: date | None = None,
) -> QuerySet[Checkup]:
    """Checkups by due date. ``overdue``: open and past the due date; ``unexamined``: open (未予約 or
    予約済み); ``q``: 社員番号 or name (each word)."""
    require_staff(membership)
    today = today or timezone.localdate()
    qs = _base(company).order_by("due_on", "employee__number", "pk")
    if year:
        qs = qs.filter(fiscal_year=year)
    if kind in CheckupKind.values:
        qs = qs.filter(kind=kind)
    if status in CheckupStatus.values:
        qs = qs.filter(status=status)
    if unexamined or overdue:
        qs = qs.filter(status__in=OPEN)
    if overdue:
        qs = qs.filter(due_on__lt=today)
    if department_id:
        qs = qs.filter(employee_id__in=_department_employee_ids(company, department_id, today))
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(employee__number__icontains=word)
            | Q(employee__family_name__icontains=word)
            | Q(employee__given_name__icontains=word)
            | Q(employee__family_name_kana__icontains=word)
            | Q(employee__given_name_kana__icontains=word)
        )
    return qs


def unexamined_list(
    *, company: Company, membership: Membership, year: int, q: str = "", today: date | None = None
) -> QuerySet[Checkup]:
    """未受診者一覧: the year's checkups not yet had (未予約・予約済み), the overdue first."""
    return checkup_list(company=company, membership=membership, year=year, unexamined=True, q=q, today=today)


def opinions_due(
    *, company: Company, membership: Membership, overdue_only: bool = False, today: date | None = None
) -> QuerySet[Checkup]:
    """有所見 checkups without the doctor's opinion yet (安衛則51条の2: 3か月以内), by its due date."""
    require_staff(membership)
    today = today or timezone.localdate()
    qs = (
        _base(company)
        .filter(status=CheckupStatus.DONE, has_findings=True, opinion_on__isnull=True)
        .order_by("opinion_due_on", "pk")
    )
    if overdue_only:
        qs = qs.filter(opinion_due_on__lt=today)
    return qs


def my_checkups(*, company: Company, membership: Membership) -> QuerySet[Checkup]:
    """The reader's own checkups (newest due date first)."""
    return _base(company).filter(employee__user_id=membership.user_id).order_by("-due_on", "-pk")


def checkup_history(*, company: Company, checkup: Checkup) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="affairs.checkup", object_id=str(checkup.pk)
    )


def health_profile(*, company: Company, employee_id: int) -> HealthProfile | None:
    return HealthProfile.objects.for_company(company).filter(employee_id=employee_id).first()


@dataclass(frozen=True)
class StaffCounts:
    overdue: int
    due_soon: int  # open, due within 14 days
    opinions_due: int  # opinion not yet heard, due within 14 days or overdue
    opinions_overdue: int


def staff_counts(*, company: Company, today: date | None = None) -> StaffCounts:
    """The home panel's figures (two queries)."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=rules.REMIND_WITHIN_DAYS)
    c = Checkup.objects.for_company(company).aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN, due_on__lt=today)),
        due_soon=Count("pk", filter=Q(status__in=OPEN, due_on__gte=today, due_on__lte=soon)),
    )
    o = (
        Checkup.objects.for_company(company)
        .filter(status=CheckupStatus.DONE, has_findings=True, opinion_on__isnull=True)
        .aggregate(
            due=Count("pk", filter=Q(opinion_due_on__lte=soon)),
            overdue=Count("pk", filter=Q(opinion_due_on__lt=today)),
        )
    )
    return StaffCounts(c["overdue"], c["due_soon"], o["due"], o["overdue"])


def own_open_checkups(*, company: Company, membership: Membership) -> list[Checkup]:
    return list(
        Checkup.objects.for_company(company)
        .filter(employee__user_id=membership.user_id, status__in=OPEN)
        .order_by("due_on")
    )


# ------------------------------------------------------------------------------ 結果報告


@dataclass(frozen=True)
class ReportFigures:
    """定期健康診断結果報告 (安衛則52条, 様式第6号) figures of a period, for the company as one 事業場."""

    start: date
    end: date
    workers: int  # 在籍労働者数 (in service at the end of the period)
    examined: int  # 受診者数 (定期 + 特定業務, distinct employees)
    with_findings: int  # 有所見者数
    instructed: int  # 医師の指示人数
    opinions_heard: int  # 医師の意見を聴いた人数 (of those with findings)
    specific_workers: int  # うち特定業務従事者

    @property
    def required(self) -> bool:
        return rules.report_required(self.workers)

    @property
    def findings_rate(self) -> str:
        if not self.examined:
            return "—"
        return f"{self.with_findings * 1000 // self.examined / 10:.1f}%"


def report_figures(*, company: Company, membership: Membership, start: date, end: date) -> ReportFigures:
    require_staff(membership)
    done = Checkup.objects.for_company(company).filter(
        kind__in=REPORT_KINDS, status=CheckupStatus.DONE, examined_on__gte=start, examined_on__lte=end
    )
    figures = done.aggregate(
        examined=Count("employee", distinct=True),
        findings=Count("employee", distinct=True, filter=Q(has_findings=True)),
        instructed=Count("employee", distinct=True, filter=Q(doctor_instructed=True)),
        heard=Count("employee", distinct=True, filter=Q(has_findings=True, opinion_on__isnull=False)),
        specific=Count("employee", distinct=True, filter=Q(kind=CheckupKind.SPECIFIC)),
    )
    workers = headcount(company=company, as_of=end).total  # 常時使用する労働者 (part-timers included)
    return ReportFigures(
        start=start,
        end=end,
        workers=workers,
        examined=figures["examined"],
        with_findings=figures["findings"],
        instructed=figures["instructed"],
        opinions_heard=figures["heard"],
        specific_workers=figures["specific"],
    )


def fiscal_year_bounds(company: Company, year: int) -> tuple[date, date]:
    fy = fiscal_year_of(year, start_month=company.fiscal_year_start_month)
    return fy.start, fy.end


# ------------------------------------------------------------------------------ ストレスチェック


@dataclass(frozen=True)
class StressCounts:
    invited: int  # every row of the year
    taken: int
    not_taken: int
    declined: int
    notified: int
    consented: int
    interviews_requested: int
    interviews_done: int

    @property
    def rate(self) -> str:
        return f"{self.taken * 1000 // self.invited / 10:.1f}%" if self.invited else "—"


def stress_counts(*, company: Company, membership: Membership, year: int) -> StressCounts:
    require_staff(membership)
    c = (
        StressCheck.objects.for_company(company)
        .filter(fiscal_year=year)
        .aggregate(
            invited=Count("pk"),
            taken=Count("pk", filter=Q(status=StressCheckStatus.TAKEN)),
            not_taken=Count("pk", filter=Q(status=StressCheckStatus.INVITED)),
            declined=Count("pk", filter=Q(status=StressCheckStatus.DECLINED)),
            notified=Count("pk", filter=Q(notified_on__isnull=False)),
            consented=Count("pk", filter=Q(consent_on__isnull=False)),
            requested=Count("pk", filter=Q(interview_requested_on__isnull=False)),
            done=Count("pk", filter=Q(interview_done_on__isnull=False)),
        )
    )
    return StressCounts(
        c["invited"],
        c["taken"],
        c["not_taken"],
        c["declined"],
        c["notified"],
        c["consented"],
        c["requested"],
        c["done"],
    )


def stress_list(
    *, company: Company, membership: Membership, year: int, status: str = "", q: str = ""
) -> QuerySet[StressCheck]:
    """Participation only (the results are never read here). ``result_encrypted`` is deferred."""
    require_staff(membership)
    qs = (
        StressCheck.objects.for_company(company)
        .filter(fiscal_year=year)
        .select_related("employee")
        .defer("result_encrypted")
        .order_by("employee__number", "pk")
    )
    if status in StressCheckStatus.values:
        qs = qs.filter(status=status)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(employee__number__icontains=word)
            | Q(employee__family_name__icontains=word)
            | Q(employee__given_name__icontains=word)
        )
    return qs


def get_stress_check(*, company: Company, membership: Membership, check_id: int) -> StressCheck:
    qs = StressCheck.objects.for_company(company).select_related("employee").filter(pk=check_id)
    if not is_health_staff(membership):
        qs = qs.filter(employee__user_id=membership.user_id)
    found = qs.first()
    if found is None:
        raise NotFound()
    return found


def my_stress_checks(*, company: Company, membership: Membership) -> QuerySet[StressCheck]:
    return (
        StressCheck.objects.for_company(company)
        .filter(employee__user_id=membership.user_id)
        .defer("result_encrypted")
        .order_by("-fiscal_year")
    )


# ------------------------------------------------------------------------------ 長時間労働


def long_hours_list(
    *, company: Company, membership: Membership, month: date | None = None, open_only: bool = False
) -> QuerySet[LongHoursCase]:
    require_staff(membership)
    qs = (
        LongHoursCase.objects.for_company(company)
        .select_related("employee")
        .defer("opinion_encrypted")
        .order_by("-month", "-excess_minutes", "pk")
    )
    if month is not None:
        qs = qs.filter(month=month.replace(day=1))
    if open_only:
        qs = qs.filter(
            Q(notified_on__isnull=True)
            | Q(interview_requested_on__isnull=False, interview_done_on__isnull=True)
        )
    return qs


def get_long_hours_case(*, company: Company, membership: Membership, case_id: int) -> LongHoursCase:
    require_staff(membership)
    found = LongHoursCase.objects.for_company(company).select_related("employee").filter(pk=case_id).first()
    if found is None:
        raise NotFound()
    return found


# ------------------------------------------------------------------------------ grants


def grant_list(*, company: Company) -> QuerySet[HealthAccessGrant]:
    return (
        HealthAccessGrant.objects.for_company(company)
        .select_related("membership__user", "granted_by")
        .order_by("revoked_at", "-granted_at", "-pk")
    )


def get_grant(*, company: Company, grant_id: int) -> HealthAccessGrant:
    found = HealthAccessGrant.objects.for_company(company).filter(pk=grant_id).first()
    if found is None:
        raise NotFound()
    return found


def grant_candidates(*, company: Company) -> list[Membership]:
    """Active members with the 人事 or 管理者 role and no active grant."""
    granted = set(
        HealthAccessGrant.objects.for_company(company)
        .filter(revoked_at__isnull=True)
        .values_list("membership_id", flat=True)
    )
    return [
        m
        for m in core_selectors.memberships_of_company(company=company)
        if m.is_active and m.has_any_role(*HEALTH_ACCESS_ROLES) and m.pk not in granted
    ]


def get_member(*, company: Company, membership_id: int) -> Membership:
    found = next(
        (m for m in core_selectors.memberships_of_company(company=company) if m.pk == membership_id), None
    )
    if found is None:
        raise NotFound()
    return found


def can_open_results(*, company: Company, membership: Membership) -> bool:
    return has_health_access(company=company, membership=membership)


def employee_choices(*, company: Company, today: date | None = None) -> list[tuple[int, str]]:
    today = today or timezone.localdate()
    return [
        (e.pk, f"{e.number} {e.family_name} {e.given_name}")
        for e in people_selectors.employees_in_service(company=company, as_of=today, lean=True)
    ]


def department_choices(*, company: Company) -> list[tuple[str, str]]:
    return [
        (str(d.pk), ("　" * depth) + d.name) for d, depth in people_selectors.department_tree(company=company)
    ]


def profiles_by_employee(*, company: Company) -> dict[int, Any]:
    return {p.employee_id: p for p in HealthProfile.objects.for_company(company)}
