"""36協定 writes: recording the company's agreements (人事 and admins), and the daily check that
records each new warning or breach once and tells the employee, their 所属長 and 人事.

An agreement is never deleted once an alert was sent under it (the alerts keep pointing at it):
it is ended instead, by moving its end date (終了日) to the last day it applied. An agreement
without alerts may be deleted. Every change is in the audit trail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance import agreement_selectors as selectors
from ennoshita.attendance.models import OvertimeAgreement, OvertimeAlert
from ennoshita.attendance.rules import agreement_limits as limits_rules
from ennoshita.attendance.services.figures import keep_computed
from ennoshita.core import selectors as core_selectors
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

logger = logging.getLogger(__name__)

JOB_LABEL = "check_overtime_limits"
FIELDS = (
    "name",
    "department",
    "start_date",
    "end_date",
    "monthly_limit_hours",
    "yearly_limit_hours",
    "special_clause",
    "special_monthly_hours",
    "special_yearly_hours",
    "special_months_allowed",
    "warning_percent",
    "note",
)
HOURS_FIELDS = ("monthly_limit_hours", "yearly_limit_hours", "special_monthly_hours", "special_yearly_hours")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class AgreementInput:
    name: str
    start_date: date
    end_date: date
    department_id: int | None = None
    monthly_limit_hours: Decimal = Decimal(45)
    yearly_limit_hours: Decimal = Decimal(360)
    special_clause: bool = False
    special_monthly_hours: Decimal | None = None
    special_yearly_hours: Decimal | None = None
    special_months_allowed: int | None = None
    warning_percent: int = 80
    note: str = ""


def _hours(value: Any, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(name, []).append(_("時間は数値で入力してください。"))
        return None
    if not hours.is_finite() or hours != hours.quantize(TENTH) or hours < 0 or hours >= 10000:
        errors.setdefault(name, []).append(_("時間は0以上、小数点以下1桁までで入力してください。"))
        return None
    return hours.quantize(TENTH)


def _checked(company: Company, data: AgreementInput, current: OvertimeAgreement | None) -> dict[str, Any]:
    """The agreement's fields, or a ServiceError naming every field the law or the data refuses."""
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("名称を入力してください。")]
    elif len(name) > 100:
        errors["name"] = [_("名称は100文字以内で入力してください。")]
    if len(data.note or "") > 500:
        errors["note"] = [_("メモは500文字以内で入力してください。")]
    department: Department | None = None
    if data.department_id is not None:
        try:
            department = people_selectors.get_department(company=company, department_id=data.department_id)
        except NotFound:
            errors["department"] = [_("部署が見つかりません。")]
    hours = {f: _hours(getattr(data, f), f, errors) for f in HOURS_FIELDS}
    special = bool(data.special_clause)
    if not special:
        hours["special_monthly_hours"] = hours["special_yearly_hours"] = None
    months_allowed = data.special_months_allowed if special else None
    for f in ("monthly_limit_hours", "yearly_limit_hours"):
        if hours[f] is None and f not in errors:
            errors[f] = [_("時間を入力してください。")]
    law = limits_rules.agreement_errors(
        start_date=data.start_date,
        end_date=data.end_date,
        monthly_limit=hours["monthly_limit_hours"],
        yearly_limit=hours["yearly_limit_hours"],
        special_clause=special,
        special_monthly=hours["special_monthly_hours"],
        special_yearly=hours["special_yearly_hours"],
        special_months_allowed=months_allowed,
        warning_percent=data.warning_percent,
    )
    for key, messages in law.items():
        if key not in errors:
            errors[key] = [_(m) for m in messages]
    if not errors:
        overlapping = (
            OvertimeAgreement.objects.for_company(company)
            .select_for_update()
            .filter(start_date__lte=data.end_date, end_date__gte=data.start_date)
            .filter(Q(department=department) if department is not None else Q(department__isnull=True))
        )
        if current is not None:
            overlapping = overlapping.exclude(pk=current.pk)
        clash = overlapping.order_by("start_date").first()
        if clash is not None:
            scope = department.name if department is not None else _("全社")
            errors["start_date"] = [
                _("%(scope)sの36協定「%(name)s」(%(start)s〜%(end)s)と期間が重なっています。")
                % {
                    "scope": scope,
                    "name": clash.name,
                    "start": f"{clash.start_date:%Y-%m-%d}",
                    "end": f"{clash.end_date:%Y-%m-%d}",
                }
            ]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return {
        "name": name,
        "department": department,
        "start_date": data.start_date,
        "end_date": data.end_date,
        **hours,
        "special_clause": special,
        "special_months_allowed": months_allowed,
        "warning_percent": data.warning_percent,
        "note": (data.note or "").strip(),
    }


@transaction.atomic
def create_agreement(
    *, company: Company, actor: User, membership: Membership, data: AgreementInput
) -> OvertimeAgreement:
    """Record a 36協定 (人事 and admins). Refused, with nothing written: limits over the law
    (36条4項・5項), a period over one year or not after its 起算日, and an agreement whose period
    overlaps another one for the same scope (the whole company, or the same department)."""
    require_role(membership, *selectors.AGREEMENT_ROLES)
    agreement = OvertimeAgreement(company=company, created_by=actor, **_checked(company, data, None))
    agreement.save()
    record_event(
        company=company, actor=actor, action="create", instance=agreement, after=snapshot(agreement, FIELDS)
    )
    return agreement


@transaction.atomic
def update_agreement(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    agreement: OvertimeAgreement,
    data: AgreementInput,
) -> OvertimeAgreement:
    """Change an agreement (the same checks as when it was recorded). To end an agreement early,
    set its end date to the last day it applied."""
    require_role(membership, *selectors.AGREEMENT_ROLES)
    current = (
        OvertimeAgreement.objects.for_company(company).select_for_update().filter(pk=agreement.pk).first()
    )
    if current is None:
        raise NotFound()
    before = snapshot(current, FIELDS)
    for key, value in _checked(company, data, current).items():
        setattr(current, key, value)
    current.save()
    after = snapshot(current, FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=current, before=before, after=after
        )
    return current


@transaction.atomic
def delete_agreement(
    *, company: Company, actor: User, membership: Membership, agreement: OvertimeAgreement
) -> None:
    """Delete an agreement under which no alert was sent; one with alerts is ended instead."""
    require_role(membership, *selectors.AGREEMENT_ROLES)
    current = (
        OvertimeAgreement.objects.for_company(company).select_for_update().filter(pk=agreement.pk).first()
    )
    if current is None:
        raise NotFound()
    if OvertimeAlert.objects.for_company(company).filter(agreement=current).exists():
        message = _(
            "この36協定のもとで警告を送っているため削除できません。終了日を最後に適用した日に変更して、期間を終えてください。"
        )
        raise ServiceError(message, code="in_use", field_errors={"__all__": [message]})
    before = snapshot(current, FIELDS)
    record_event(company=company, actor=actor, action="delete", instance=current, before=before)
    current.delete()


# ------------------------------------------------------------------------------ the daily check


@dataclass
class CheckResult:
    checked: int = 0  # employees under an agreement
    alerts: list[OvertimeAlert] = field(default_factory=list)  # the new ones
    mails: int = 0

    def summary(self) -> str:
        return f"{self.checked} employee(s) checked, {len(self.alerts)} new alert(s), {self.mails} mail(s)"


def check_overtime_limits(*, company: Company, as_of: date) -> CheckResult:
    """For each employee in service on ``as_of`` under an agreement: the agreement year's months
    up to as_of's month against every limit (rules.agreement_limits); each warning or breach not
    yet recorded becomes an OvertimeAlert (once per employee, month, limit and level — for the
    year's limits the month is the agreement year's first month), and after the commit one mail
    per recipient lists everything new: to the employee, their 所属長 and the company's 人事.
    Safe to repeat: a second run records and sends nothing new. The figures are read before the
    transaction, which only writes."""
    hours = selectors.MonthHours(company)
    statuses, _uncovered = selectors.statuses_in_service(company=company, as_of=as_of, hours=hours)
    keep_computed(company=company, hours=hours)  # the morning's run leaves the dashboard little to compute
    result = CheckResult(checked=len(statuses))
    wanted: list[tuple[selectors.OvertimeStatus, limits_rules.LimitStatus, date]] = []
    for status in statuses:
        for finding in status.findings:
            month = status.year_start if finding.code in limits_rules.YEAR_CODES else status.month
            wanted.append((status, finding, month))
    if not wanted:
        return result
    with transaction.atomic():
        existing = set(
            OvertimeAlert.objects.for_company(company)
            .filter(employee_id__in={s.employee_id for s, _f, _m in wanted})
            .filter(month__gte=min(m for _s, _f, m in wanted))
            .values_list("employee_id", "month", "code", "level")
        )
        for status, finding, month in wanted:
            if (status.employee_id, month, finding.code, finding.level) in existing:
                continue
            alert = OvertimeAlert(
                company=company,
                employee_id=status.employee_id,
                agreement_id=status.agreement_id,
                month=month,
                code=finding.code,
                level=finding.level,
                hours=finding.hours.quantize(Decimal("0.01")),
                limit_hours=finding.limit.quantize(Decimal("0.01")),
                message=finding.message[:500],
            )
            try:
                with transaction.atomic():  # another run may have recorded it meanwhile
                    alert.save()
            except IntegrityError:
                continue
            result.alerts.append(alert)
        record_events(
            company=company,
            actor=None,
            actor_label=JOB_LABEL,
            events=[
                EventInput(
                    "create",
                    instance=a,
                    after={
                        "employee": a.employee_id,
                        "month": a.month,
                        "code": a.code,
                        "level": a.level,
                        "hours": a.hours,
                        "limit_hours": a.limit_hours,
                    },
                )
                for a in result.alerts
            ],
        )
        if result.alerts:
            by_id = {s.employee_id: s for s in statuses}
            transaction.on_commit(partial(_send_mails, company, as_of, result, by_id))
    return result


def _send_mails(
    company: Company, as_of: date, result: CheckResult, by_id: dict[int, selectors.OvertimeStatus]
) -> None:
    """One mail per recipient listing every new alert they are told of. A mail that cannot be
    handed over is logged (the alert stays recorded and is shown on the screens)."""
    for recipient in _recipients(company, as_of, result.alerts):
        alerts = recipient.alerts
        own = all(a.employee_id in recipient.own_ids for a in alerts)
        mail = EmailMessage(
            subject=_("[%(company)s] 36協定の上限に近い・超えた時間外労働が %(n)d 件あります")
            % {"company": company.name, "n": len(alerts)},
            body=_message(recipient.user, alerts, by_id, own=own),
            from_email=django_settings.DEFAULT_FROM_EMAIL,
            to=[recipient.user.email],
        )
        try:
            mail.send(fail_silently=False)
        except OSError:
            logger.exception("36協定 alert mail to user %s failed", recipient.user.pk)
            continue
        result.mails += 1


@dataclass
class Recipient:
    user: User
    alerts: list[OvertimeAlert] = field(default_factory=list)
    own_ids: set[int] = field(default_factory=set)  # the user's own employee record(s)


def _recipients(company: Company, as_of: date, alerts: list[OvertimeAlert]) -> list[Recipient]:
    """Each alert goes to the employee (their login), their 所属長 (the head of their department,
    or of the department above when they head it themself) and every active 人事 member; users
    without an e-mail address or inactive are left out."""
    today = timezone.localdate()
    hr_users = [
        m.user
        for m in core_selectors.memberships_of_company(company=company)
        if m.is_active and (m.expires_on is None or m.expires_on >= today) and m.has_any_role("hr")
    ]
    out: dict[int, Recipient] = {}
    heads: dict[int, User | None] = {}
    employees: dict[int, Any] = {}
    for alert in alerts:
        if alert.employee_id not in employees:
            employees[alert.employee_id] = people_selectors.employee_by_id(
                company=company, employee_id=alert.employee_id
            )
        employee = employees[alert.employee_id]
        if employee is None:
            continue
        told: list[User] = []
        login = employee.user
        if login is not None:
            told.append(login)
            out.setdefault(login.pk, Recipient(login)).own_ids.add(employee.pk)
        if employee.pk not in heads:
            heads[employee.pk] = _head_of(company, employee, as_of)
        head = heads[employee.pk]
        if head is not None:
            told.append(head)
        told.extend(hr_users)
        for user in {u.pk: u for u in told}.values():
            out.setdefault(user.pk, Recipient(user)).alerts.append(alert)
    return [r for r in out.values() if r.alerts and r.user.is_active and r.user.email]


def _head_of(company: Company, employee: Any, as_of: date) -> User | None:
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=as_of)
    department = placement.department if placement is not None else None
    head = people_selectors.department_head_user(company=company, department=department, as_of=as_of)
    if head is not None and head.pk == employee.user_id and department is not None:
        parent = department.parent if department.parent_id else None
        head = people_selectors.department_head_user(company=company, department=parent, as_of=as_of)
    return head


def _message(
    user: User, alerts: list[OvertimeAlert], by_id: dict[int, selectors.OvertimeStatus], *, own: bool
) -> str:
    path = reverse("attendance:my_overtime") if own else reverse("attendance:overtime_dashboard")
    lines = [
        _("%(name)s さん") % {"name": user.display_name()},
        "",
        _("36協定(時間外・休日労働に関する協定)の上限について、次のお知らせがあります。")
        if own
        else _("36協定(時間外・休日労働に関する協定)の上限に近い、または超えた社員がいます。"),
        _("Ennoshita の「%(screen)s」(%(path)s)で確認してください。")
        % {"screen": _("自分の時間外労働") if own else _("36協定の状況"), "path": path},
        "",
    ]
    for a in sorted(alerts, key=lambda a: (a.employee_id, a.level != "breach", a.code)):
        status = by_id.get(a.employee_id)
        who = f"{status.number} {status.name}" if status else str(a.employee_id)
        level = _("超過") if a.level == "breach" else _("注意")
        lines.append(f"・[{level}] {who}: {a.message}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ the demo


def build_demo_agreement(company: Company, *, today: date | None = None) -> None:
    """The demo company's 36協定: company-wide for the fiscal year from April 1 that holds today,
    with a 特別条項 (75 h a month with 休日, 600 h a year, 6 months). For ``ENNOSHITA_DEMO_EXTRAS``
    after the attendance demo; does nothing when the company has an agreement already."""
    if OvertimeAgreement.objects.for_company(company).exists():
        return
    admin = next(
        (m for m in core_selectors.memberships_of_company(company=company) if m.has_any_role("admin")), None
    )
    if admin is None:
        return
    today = today or timezone.localdate()
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    create_agreement(
        company=company,
        actor=admin.user,
        membership=admin,
        data=AgreementInput(
            name=_("%(year)d年度 36協定(全社)") % {"year": start.year},
            start_date=start,
            end_date=limits_rules.one_year_end(start),
            special_clause=True,
            special_monthly_hours=Decimal(75),
            special_yearly_hours=Decimal(600),
            special_months_allowed=6,
        ),
    )
