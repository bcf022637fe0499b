"""健康診断's writes: each employee's health profile (特定業務, 海外派遣) and the plan of a fiscal
year's checkups.

``plan_checkups`` makes each employee's checkups from the rules (``rules.health.planned_checkups``);
running it again adds only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.affairs.models import AffairsSettings, Checkup, CheckupKind, CheckupStatus, HealthProfile
from ennoshita.affairs.rules import health as rules
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.dates import fiscal_year as fiscal_year_of
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .access import HEALTH_STAFF_ROLES
from .base import CHECKUP_FIELDS, _repr


def settings_of(company: Company) -> AffairsSettings:
    found = AffairsSettings.objects.for_company(company).first()
    return found if found is not None else AffairsSettings(company=company)


def _employee(company: Company, employee_id: int) -> Any:
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    return employee


@transaction.atomic
def set_health_profile(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int,
    specific_work: bool,
    specific_work_kind: str = "",
    overseas_from: date | None = None,
    overseas_until: date | None = None,
) -> HealthProfile:
    """特定業務 (安衛則45条: 深夜業 …) and 海外派遣 (45条の2) of one employee."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    employee = _employee(company, employee_id)
    errors: dict[str, list[str]] = {}
    kind = (specific_work_kind or "").strip()
    if len(kind) > 100:
        errors["specific_work_kind"] = [_("100文字以内で入力してください。")]
    if specific_work and not kind:
        errors["specific_work_kind"] = [_("特定業務の内容(例: 深夜業)を入力してください。")]
    if (overseas_from is None) != (overseas_until is None):
        errors["overseas_until" if overseas_from else "overseas_from"] = [
            _("海外派遣は開始日と終了日の両方を入力してください。")
        ]
    elif overseas_from and overseas_until and overseas_until < overseas_from:
        errors["overseas_until"] = [_("終了日は開始日より後の日付にしてください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    profile = HealthProfile.objects.for_company(company).filter(employee=employee).first()
    fields = ("specific_work", "specific_work_kind", "overseas_from", "overseas_until")
    before = snapshot(profile, fields=fields) if profile else None
    if profile is None:
        profile = HealthProfile(company=company, employee=employee)
    profile.specific_work = bool(specific_work)
    profile.specific_work_kind = kind
    profile.overseas_from = overseas_from
    profile.overseas_until = overseas_until
    profile.save()
    after = snapshot(profile, fields=fields)
    if after != before:
        record_event(
            company=company,
            actor=actor,
            action="update" if before else "create",
            instance=profile,
            object_repr=str(employee),
            before=before,
            after=after,
        )
    return profile


@dataclass(frozen=True)
class PlanResult:
    fiscal_year: int
    created: int
    existing: int


def _employees_during(company: Company, start: date, end: date) -> list[Any]:
    """Everyone in service on some day of start..end (checked on the first of each month and the
    last day, which covers whoever was employed for a month or more of it)."""
    seen: dict[int, Any] = {}
    day = start
    days = []
    while day <= end:
        days.append(day)
        day = rules.add_months(day.replace(day=1), 1)
    days.append(end)
    for as_of in days:
        for e in people_selectors.employees_in_service(company=company, as_of=as_of):
            seen.setdefault(e.pk, e)
    return sorted(seen.values(), key=lambda e: e.number)


@transaction.atomic
def plan_checkups(
    *, company: Company, actor: User | None, membership: Membership, fiscal_year: int
) -> PlanResult:
    """Make the fiscal year's checkups of every employee (those missing only; idempotent)."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    if not 2000 <= fiscal_year <= 2100:
        raise ServiceError(
            _("年度が正しくありません。"), field_errors={"fiscal_year": [_("年度を選んでください。")]}
        )
    fy = fiscal_year_of(fiscal_year, start_month=company.fiscal_year_start_month)
    month = settings_of(company).checkup_month
    profiles = {p.employee_id: p for p in HealthProfile.objects.for_company(company)}
    existing = Checkup.objects.for_company(company).filter(fiscal_year=fiscal_year)
    have = set(existing.values_list("employee_id", "kind", "due_on"))
    have_periodic = set(
        existing.filter(kind=CheckupKind.PERIODIC)
        .exclude(status=CheckupStatus.CANCELLED)
        .values_list("employee_id", flat=True)
    )
    rows: list[Checkup] = []
    skipped = 0
    for e in _employees_during(company, fy.start, fy.end):
        p = profiles.get(e.pk)
        profile = rules.Profile(
            hire_date=e.hire_date,
            retire_date=e.retire_date,
            specific_work=bool(p and p.specific_work),
            overseas_from=p.overseas_from if p else None,
            overseas_until=p.overseas_until if p else None,
        )
        for kind, due in rules.planned_checkups(
            profile, fy_start=fy.start, fy_end=fy.end, checkup_month=month
        ):
            if (e.pk, kind, due) in have or (kind == CheckupKind.PERIODIC and e.pk in have_periodic):
                skipped += 1
                continue
            rows.append(Checkup(company=company, employee=e, kind=kind, fiscal_year=fiscal_year, due_on=due))
    created = Checkup.objects.bulk_create(rows, batch_size=500)  # ids returned (SQLite ≥3.35, PostgreSQL)
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput("create", instance=c, object_repr=_repr(c), after=snapshot(c, fields=CHECKUP_FIELDS))
            for c in created
        ],
    )
    return PlanResult(fiscal_year=fiscal_year, created=len(created), existing=skipped)
