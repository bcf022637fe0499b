"""Reads of 福利厚生: the catalogue (with who may use each benefit, and for the signed-in employee
whether they may and what is left this 年度), an employee's uses, one use with its approval, and
the report of use per employee and 年度 against the limits.

Uses that count against a limit: approved, and pending (so that two applications waiting at once
cannot together pass it). 下書き (after 差し戻し), rejected and withdrawn uses do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Benefit, BenefitUse, BenefitUseStatus
from ennoshita.affairs.rules import welfare as rules
from ennoshita.approvals import selectors as approval_selectors
from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership, Role
from ennoshita.core.text import nfkc, search_key
from ennoshita.people import selectors as people_selectors

REQUEST_TYPE = "affairs.benefit"
MANAGE_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR)  # keep the catalogue, see every use, the report
ON_BEHALF_ROLES = (Role.ADMIN, Role.AFFAIRS)  # apply or withdraw for another employee (総務)
# every role but the outside assistant team, which sees only what it is given
MEMBER_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)
COUNTED = (BenefitUseStatus.APPROVED, BenefitUseStatus.PENDING)
ZERO = Decimal(0)


def can_manage(membership: Membership) -> bool:
    return membership.has_any_role(*MANAGE_ROLES)


def can_apply_for_others(membership: Membership) -> bool:
    return membership.has_any_role(*ON_BEHALF_ROLES)


def current_fiscal_year(*, company: Company, today: date | None = None) -> int:
    return rules.fiscal_year(today or timezone.localdate(), start_month=company.fiscal_year_start_month)


# ---------------------------------------------------------------------------- counting
@dataclass(frozen=True)
class Counted:
    count: int
    amount: Decimal


def counted_usage(
    *, company: Company, employee_id: int, benefit_id: int, fiscal_year: int, exclude_pk: int | None = None
) -> Counted:
    """Approved + pending uses of one benefit by one employee in one 年度 (what the limits see)."""
    qs = BenefitUse.objects.for_company(company).filter(
        employee_id=employee_id, benefit_id=benefit_id, fiscal_year=fiscal_year, status__in=COUNTED
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    row = qs.aggregate(n=Count("pk"), total=Sum("amount"))
    return Counted(row["n"], row["total"] or ZERO)


@dataclass(frozen=True)
class Usage:
    """One employee's use of one benefit in a 年度."""

    approved_count: int = 0
    approved_amount: Decimal = ZERO
    pending_count: int = 0
    pending_amount: Decimal = ZERO

    @property
    def counted_count(self) -> int:
        return self.approved_count + self.pending_count

    @property
    def counted_amount(self) -> Decimal:
        return self.approved_amount + self.pending_amount


def _usage_annotations() -> dict[str, Any]:
    approved, pending = Q(status=BenefitUseStatus.APPROVED), Q(status=BenefitUseStatus.PENDING)
    return {
        "approved_count": Count("pk", filter=approved),
        "approved_amount": Sum("amount", filter=approved),
        "pending_count": Count("pk", filter=pending),
        "pending_amount": Sum("amount", filter=pending),
    }


def _usage(row: dict[str, Any]) -> Usage:
    return Usage(
        row["approved_count"],
        row["approved_amount"] or ZERO,
        row["pending_count"],
        row["pending_amount"] or ZERO,
    )


def usage_by_benefit(*, company: Company, employee_id: int, fiscal_year: int) -> dict[int, Usage]:
    """benefit id → the employee's use of it in the 年度 (one query)."""
    rows = (
        BenefitUse.objects.for_company(company)
        .filter(employee_id=employee_id, fiscal_year=fiscal_year, status__in=COUNTED)
        .values("benefit_id")
        .annotate(**_usage_annotations())
        .order_by()
    )
    return {r["benefit_id"]: _usage(r) for r in rows}


# ---------------------------------------------------------------------------- the catalogue
def catalogue(
    *, company: Company, q: str = "", category: str = "", active: bool | None = True
) -> QuerySet[Benefit]:
    """Benefits by code; ``q`` matches code, name or description (each word)."""
    qs = Benefit.objects.for_company(company).order_by("code", "pk")
    if active is not None:
        qs = qs.filter(is_active=active)
    if category:
        qs = qs.filter(category=category)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(code__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word))
    return qs


def get_benefit(*, company: Company, benefit_id: int) -> Benefit:
    found = Benefit.objects.for_company(company).filter(pk=benefit_id).first()
    if found is None:
        raise NotFound()
    return found


def employment_type_names(*, company: Company) -> dict[str, str]:
    return {et.code: et.name for et in people_selectors.employment_types(company=company)}


def employment_type_choices(*, company: Company) -> list[tuple[str, str]]:
    return [(et.code, et.name) for et in people_selectors.employment_types(company=company)]


def who_may_use(benefit: Benefit, names: dict[str, str]) -> str:
    """「正社員・契約社員、勤続6か月以上」 (「全社員」 without conditions)."""
    codes: list[str] = [str(c) for c in benefit.eligible_employment_types or []]
    ordered = [c for c in names if c in codes] + [c for c in codes if c not in names]
    parts = ["・".join(names.get(c) or c for c in ordered) if codes else _("全社員")]
    if benefit.min_service_months:
        parts.append(_("勤続%(m)dか月以上") % {"m": benefit.min_service_months})
    return "、".join(parts)


def limits_text(benefit: Benefit) -> str:
    parts = []
    if benefit.yearly_amount_limit is not None:
        parts.append(_("年%(a)s円まで") % {"a": f"{benefit.yearly_amount_limit:,.0f}"})
    if benefit.yearly_count_limit is not None:
        parts.append(_("年%(n)d回まで") % {"n": benefit.yearly_count_limit})
    return "、".join(parts) or _("上限なし")


@dataclass
class CatalogueRow:
    """A benefit as the signed-in employee sees it."""

    benefit: Benefit
    who: str
    limits: str
    eligible: bool | None  # None: the member has no employee record
    problems: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    remaining: rules.Remaining = field(default_factory=lambda: rules.Remaining(None, None))


def catalogue_rows(
    *,
    company: Company,
    membership: Membership,
    benefits: list[Benefit],
    fiscal_year: int,
    on: date | None = None,
) -> list[CatalogueRow]:
    """The benefits with who may use them and, for the member's own employee record, whether they
    may use each on ``on`` (today) and what is left in ``fiscal_year`` (three queries at most)."""
    names = employment_type_names(company=company)
    employee = own_employee(company=company, membership=membership)
    usage = (
        usage_by_benefit(company=company, employee_id=employee.pk, fiscal_year=fiscal_year)
        if employee
        else {}
    )
    day = on or timezone.localdate()
    rows = []
    for b in benefits:
        used = usage.get(b.pk, Usage())
        problems: list[str] = []
        if employee is not None:
            problems = rules.eligibility_problems(
                employment_type_code=employee.employment_type.code,
                eligible_codes=b.eligible_employment_types or [],
                hire_date=employee.hire_date,
                retire_date=employee.retire_date,
                min_service_months=b.min_service_months,
                on=day,
            )
        left = rules.remaining(
            amount_limit=b.yearly_amount_limit,
            count_limit=b.yearly_count_limit,
            used_amount=used.counted_amount,
            used_count=used.counted_count,
        )
        rows.append(
            CatalogueRow(
                b,
                who_may_use(b, names),
                limits_text(b),
                None if employee is None else not problems,
                problems,
                used,
                left,
            )
        )
    return rows


def own_employee(*, company: Company, membership: Membership) -> Any:
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is not None:
        # the type is read for eligibility; one more query only for the member's own record
        employee.employment_type  # noqa: B018
    return employee


def benefit_history(*, company: Company, benefit: Benefit) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="affairs.benefit", object_id=str(benefit.pk)
    )


# ---------------------------------------------------------------------------- uses
SCOPES = ("mine", "all")


def use_list(
    *,
    company: Company,
    membership: Membership,
    scope: str = "mine",
    q: str = "",
    status: str = "",
    benefit_id: int | None = None,
    fiscal_year: int | None = None,
    employee_id: int | None = None,
) -> QuerySet[BenefitUse]:
    """``mine``: the member's own uses and those they applied for; ``all`` (admin, 総務, 人事):
    every use. ``q`` matches the employee (number, name, kana), the benefit or the detail."""
    qs = (
        BenefitUse.objects.for_company(company)
        .select_related("benefit", "employee", "applicant")
        .order_by("-used_on", "-pk")
    )
    if scope == "all":
        if not can_manage(membership):
            raise PermissionDeniedError()
    else:
        qs = qs.filter(Q(employee__user_id=membership.user_id) | Q(applicant_id=membership.user_id))
    if status:
        qs = qs.filter(status=status)
    if benefit_id:
        qs = qs.filter(benefit_id=benefit_id)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(employee__search_key__contains=search_key(word))
            | Q(benefit__name__icontains=word)
            | Q(benefit__code__icontains=word)
            | Q(detail__icontains=word)
        )
    return qs


def can_see_use(*, company: Company, membership: Membership, use: BenefitUse) -> bool:
    """The employee it is for, who applied, admin / 総務 / 人事, and whoever may see its approval
    (the approvers)."""
    if use.company_id != company.pk:
        return False
    if use.employee.user_id == membership.user_id or use.applicant_id == membership.user_id:
        return True
    if can_manage(membership):
        return True
    approval = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=use.pk)
    return approval is not None and approval_selectors.can_view(
        company=company, membership=membership, request=approval
    )


def get_use(*, company: Company, membership: Membership, use_id: int) -> BenefitUse:
    use = (
        BenefitUse.objects.for_company(company)
        .select_related("benefit", "employee", "employee__employment_type", "applicant")
        .filter(pk=use_id)
        .first()
    )
    if use is None or not can_see_use(company=company, membership=membership, use=use):
        raise NotFound()
    return use


def can_withdraw(*, membership: Membership, use: BenefitUse) -> bool:
    if use.status not in (BenefitUseStatus.PENDING, BenefitUseStatus.DRAFT):
        return False
    return (
        use.employee.user_id == membership.user_id
        or use.applicant_id == membership.user_id
        or can_apply_for_others(membership)
    )


def can_resubmit(*, membership: Membership, use: BenefitUse) -> bool:
    return use.status == BenefitUseStatus.DRAFT and use.applicant_id == membership.user_id


def approval_of(*, company: Company, use: BenefitUse) -> Any:
    """The use's approval request (None when the benefit needed none)."""
    return approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=use.pk)


@dataclass(frozen=True)
class ApprovalStep:
    order: int
    label: str
    state: str  # done, current, waiting, stopped
    approvers: list[str]
    decisions: list[str]


@dataclass(frozen=True)
class ApprovalState:
    status: str
    status_label: str
    steps: list[ApprovalStep]


def approval_state(*, company: Company, use: BenefitUse) -> ApprovalState | None:
    """The approval's state and its steps (for the API; the screen embeds the approvals panel)."""
    approval = approval_of(company=company, use=use)
    if approval is None:
        return None
    actions = approval_selectors.history(company=company, request=approval)
    steps = [
        ApprovalStep(
            s.order,
            s.label,
            s.state,
            [u.display_name() for u in s.approvers],
            [f"{a.get_action_display()}: {a.actor.display_name()}" for a in s.actions],
        )
        for s in approval_selectors.step_rows(company=company, request=approval, actions=actions)
    ]
    return ApprovalState(approval.status, approval.get_status_display(), steps)


def use_history(*, company: Company, use: BenefitUse) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="affairs.benefituse", object_id=str(use.pk)
    )


# ---------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class ReportRow:
    employee_id: int
    employee_number: str
    employee_name: str
    department: str
    benefit_id: int
    benefit_code: str
    benefit_name: str
    usage: Usage
    amount_limit: Decimal | None
    count_limit: int | None
    remaining: rules.Remaining


def report(
    *,
    company: Company,
    membership: Membership,
    fiscal_year: int,
    department_id: int | None = None,
    benefit_id: int | None = None,
    q: str = "",
) -> list[ReportRow]:
    """Use per employee and benefit in ``fiscal_year`` (approved and pending) against the limits,
    in 社員番号 order; the department is the one the employee is placed in on the 年度's last day
    (or today, during the 年度). Two queries, however many rows."""
    if not can_manage(membership):
        raise PermissionDeniedError()
    _start, end = rules.fiscal_year_bounds(fiscal_year, start_month=company.fiscal_year_start_month)
    as_of = min(end, timezone.localdate())
    wanted = (
        people_selectors.descendant_ids(company=company, department_id=department_id)
        if department_id
        else None
    )
    placed = {
        e.pk: e.dept_name or ""  # type: ignore[attr-defined]
        for e in people_selectors.employees_in_service(
            company=company, as_of=as_of, department_ids=wanted, lean=True
        )
    }
    qs = BenefitUse.objects.for_company(company).filter(fiscal_year=fiscal_year, status__in=COUNTED)
    if wanted is not None:
        qs = qs.filter(employee_id__in=list(placed))
    if benefit_id:
        qs = qs.filter(benefit_id=benefit_id)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(employee__search_key__contains=search_key(word))
    rows = (
        qs.values(
            "employee_id",
            "employee__number",
            "employee__family_name",
            "employee__given_name",
            "benefit_id",
            "benefit__code",
            "benefit__name",
            "benefit__yearly_amount_limit",
            "benefit__yearly_count_limit",
        )
        .annotate(**_usage_annotations())
        .order_by("employee__number", "benefit__code")
    )
    out = []
    for r in rows:
        used = _usage(r)
        amount_limit, count_limit = r["benefit__yearly_amount_limit"], r["benefit__yearly_count_limit"]
        out.append(
            ReportRow(
                r["employee_id"],
                r["employee__number"],
                f"{r['employee__family_name']} {r['employee__given_name']}",
                placed.get(r["employee_id"], ""),
                r["benefit_id"],
                r["benefit__code"],
                r["benefit__name"],
                used,
                amount_limit,
                count_limit,
                rules.remaining(
                    amount_limit=amount_limit,
                    count_limit=count_limit,
                    used_amount=used.counted_amount,
                    used_count=used.counted_count,
                ),
            )
        )
    return out


def department_choices(*, company: Company) -> list[tuple[str, str]]:
    return people_selectors.department_choices(company=company)


def employee_choices(*, company: Company) -> list[tuple[int, str]]:
    """Employees in service today, for 総務 applying on someone's behalf."""
    return [
        (e.pk, f"{e.number} {e.family_name} {e.given_name}")
        for e in people_selectors.employees_in_service(company=company, as_of=timezone.localdate(), lean=True)
    ]


# ---------------------------------------------------------------------------- home
def pending_uses_of(*, company: Company, user_id: int, limit: int = 5) -> list[BenefitUse]:
    """The member's own uses waiting for approval, or sent back to them (下書き)."""
    return list(
        BenefitUse.objects.for_company(company)
        .filter(
            Q(employee__user_id=user_id) | Q(applicant_id=user_id),
            status__in=(BenefitUseStatus.PENDING, BenefitUseStatus.DRAFT),
        )
        .select_related("benefit")
        .order_by("used_on", "pk")[:limit]
    )
