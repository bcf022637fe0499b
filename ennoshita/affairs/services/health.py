"""Writing 健康診断 (安衛法66条〜66条の7, 安衛則43〜52条; jp-rules §13.1, §13.4).

- Health access (健康情報の閲覧権限): an admin grants it to a member with the 人事 or 管理者 role; only
  such a member, while the grant is active, records or opens results, doctors' opinions and
  measures. Every opening is an audit event (``health.viewed``); a refused one writes nothing.
- Results, opinions and measures are 要配慮個人情報 (個人情報保護法2条3項): stored as tokens of
  ``core.crypto``, never in an audit event (the events name what changed, not the contents).
- Plans: ``plan_checkups`` makes each employee's checkups of a fiscal year from the rules
  (``rules.health.planned_checkups``); running it again adds only what is missing.
- States: 未予約 → 予約済み → 受診済み; 未予約/予約済み → 対象外 (e.g. a certificate of an exam within
  3 months, 安衛則43条ただし書) or 取消.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    AffairsSettings,
    Checkup,
    CheckupKind,
    CheckupStatus,
    HealthAccessGrant,
    HealthProfile,
)
from ennoshita.affairs.rules import health as rules
from ennoshita.core import crypto
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.dates import fiscal_year as fiscal_year_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

HEALTH_STAFF_ROLES = (Role.ADMIN, Role.HR, Role.AFFAIRS)  # plans, bookings, lists (no results)
HEALTH_ACCESS_ROLES = (Role.ADMIN, Role.HR)  # may be granted health access
CHECKUP_FIELDS = (
    "employee",
    "kind",
    "fiscal_year",
    "due_on",
    "status",
    "clinic",
    "booked_for",
    "examined_on",
    "has_findings",
    "doctor_instructed",
    "note",
    "result_notified_on",
    "opinion_due_on",
    "opinion_on",
    "keep_until",
)
OPEN_STATUSES = (CheckupStatus.PLANNED, CheckupStatus.BOOKED)
MAX_TEXT = 5000


def no_access_message() -> str:
    return _(
        "健康診断の結果を扱う権限がありません。管理者から健康情報の閲覧権限を付与された人事担当者だけが、"
        "結果・医師の意見・就業上の措置を閲覧・記録できます。"
    )


# ------------------------------------------------------------------------------ access


def active_grant(
    *, company: Company, membership: Membership, today: date | None = None
) -> HealthAccessGrant | None:
    today = today or timezone.localdate()
    grant = (
        HealthAccessGrant.objects.for_company(company)
        .filter(membership=membership, revoked_at__isnull=True)
        .first()
    )
    if grant is None or (grant.expires_on is not None and grant.expires_on < today):
        return None
    return grant


def has_health_access(*, company: Company, membership: Membership | None, today: date | None = None) -> bool:
    """An active grant, held by a member who still has the 人事 or 管理者 role."""
    if membership is None or not membership.is_active or not membership.has_any_role(*HEALTH_ACCESS_ROLES):
        return False
    return active_grant(company=company, membership=membership, today=today) is not None


def require_health_access(*, company: Company, membership: Membership | None) -> None:
    if not has_health_access(company=company, membership=membership):
        raise PermissionDeniedError(no_access_message())


def is_health_staff(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*HEALTH_STAFF_ROLES)


@transaction.atomic
def grant_health_access(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    grantee: Membership,
    expires_on: date | None = None,
) -> HealthAccessGrant:
    """管理者 only; the grantee must be 人事 or 管理者 of this company (安衛法104条: 健康情報は必要な
    者だけが扱う)."""
    require_role(membership, Role.ADMIN)
    if grantee.company_id != company.pk:
        raise NotFound()
    if not grantee.has_any_role(*HEALTH_ACCESS_ROLES):
        raise ServiceError(
            _("健康情報の閲覧権限は、人事または管理者のロールを持つメンバーにだけ付与できます。"),
            field_errors={"grantee": [_("人事または管理者のメンバーを選んでください。")]},
        )
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise ServiceError(
            _("期限は今日以降の日付にしてください。"), field_errors={"expires_on": [_("過去の日付です。")]}
        )
    if (
        HealthAccessGrant.objects.for_company(company)
        .filter(membership=grantee, revoked_at__isnull=True)
        .exists()
    ):
        raise ServiceError(
            _("このメンバーには既に健康情報の閲覧権限があります。"),
            field_errors={"grantee": [_("既に付与されています。")]},
        )
    try:
        with transaction.atomic():
            grant = HealthAccessGrant.objects.create(
                company=company, membership=grantee, granted_by=actor, expires_on=expires_on
            )
    except IntegrityError as exc:  # a grant made at the same moment
        raise ServiceError(_("このメンバーには既に健康情報の閲覧権限があります。")) from exc
    record_event(
        company=company,
        actor=actor,
        action="health.grant",
        instance=grant,
        object_repr=str(grantee.user.display_name()),
        after=snapshot(grant, fields=("membership", "expires_on")),
    )
    return grant


@transaction.atomic
def revoke_health_access(
    *, company: Company, actor: User, membership: Membership, grant: HealthAccessGrant
) -> HealthAccessGrant:
    require_role(membership, Role.ADMIN)
    if grant.company_id != company.pk:
        raise NotFound()
    if grant.revoked_at is not None:
        raise ServiceError(_("この権限は既に取り消されています。"))
    before = snapshot(grant, fields=("revoked_at",))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record_event(
        company=company,
        actor=actor,
        action="health.revoke",
        instance=grant,
        before=before,
        after=snapshot(grant, fields=("revoked_at",)),
    )
    return grant


# ------------------------------------------------------------------------------ profiles and plans


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


def _repr(checkup: Checkup) -> str:
    return f"{checkup.employee} {checkup.get_kind_display()} {checkup.due_on.isoformat()}"


def _save(
    company: Company, actor: User | None, checkup: Checkup, before: dict[str, Any], action: str, **extra: Any
) -> None:
    checkup.save()
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=checkup,
        object_repr=_repr(checkup),
        before=before,
        after=snapshot(checkup, fields=CHECKUP_FIELDS),
        extra=extra or None,
    )


def _locked(company: Company, checkup: Checkup) -> Checkup:
    found = (
        Checkup.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk=checkup.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _check_date(errors: dict[str, list[str]], name: str, value: Any, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[name] = [_("日付を入力してください。")]
    elif not isinstance(value, date):
        errors[name] = [_("日付が正しくありません。")]


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _status_error(checkup: Checkup) -> ServiceError:
    return ServiceError(
        _("この健康診断は「%(s)s」のため、この操作はできません。") % {"s": checkup.get_status_display()},
        code="invalid_state",
    )


@transaction.atomic
def book_checkup(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    checkup: Checkup,
    clinic: str,
    booked_for: date | None,
) -> Checkup:
    """予約: by 人事・総務, or by the employee for their own checkup."""
    checkup = _locked(company, checkup)
    if not is_health_staff(membership) and checkup.employee.user_id != membership.user_id:
        raise PermissionDeniedError()
    if checkup.status not in OPEN_STATUSES:
        raise _status_error(checkup)
    errors: dict[str, list[str]] = {}
    name = (clinic or "").strip()
    if not name:
        errors["clinic"] = [_("医療機関を入力してください。")]
    elif len(name) > 200:
        errors["clinic"] = [_("200文字以内で入力してください。")]
    _check_date(errors, "booked_for", booked_for)
    _raise(errors)
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.clinic = name
    checkup.booked_for = booked_for
    checkup.status = CheckupStatus.BOOKED
    _save(company, actor, checkup, before, "health.book")
    return checkup


@transaction.atomic
def record_checkup_result(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    checkup: Checkup,
    examined_on: date | None,
    has_findings: bool,
    result: str,
    doctor_instructed: bool = False,
    clinic: str = "",
) -> Checkup:
    """受診済み with the result (encrypted). With findings, the doctor's opinion is due within 3
    months (安衛則51条の2); the 個人票 is kept 5 years (安衛則51条). A correction of a recorded
    result is allowed (the history shows it)."""
    require_health_access(company=company, membership=membership)
    checkup = _locked(company, checkup)
    if checkup.status not in (*OPEN_STATUSES, CheckupStatus.DONE):
        raise _status_error(checkup)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "examined_on", examined_on)
    if isinstance(examined_on, date) and examined_on > timezone.localdate():
        errors["examined_on"] = [_("受診日に未来の日付は入力できません。")]
    text = (result or "").strip()
    if not text:
        errors["result"] = [_("結果(所見・判定)を入力してください。")]
    elif len(text) > MAX_TEXT:
        errors["result"] = [_("%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]
    if len((clinic or "").strip()) > 200:
        errors["clinic"] = [_("200文字以内で入力してください。")]
    if doctor_instructed and not has_findings:
        errors["doctor_instructed"] = [
            _("医師の指示があるのは有所見の場合です。「有所見」も選んでください。")
        ]
    _raise(errors)
    assert examined_on is not None
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.examined_on = examined_on
    checkup.has_findings = bool(has_findings)
    checkup.doctor_instructed = bool(doctor_instructed)
    if (clinic or "").strip():
        checkup.clinic = clinic.strip()
    checkup.result_encrypted = crypto.encrypt_text(text)
    checkup.opinion_due_on = rules.opinion_due(examined_on) if has_findings else None
    checkup.keep_until = rules.keep_until(examined_on)
    checkup.status = CheckupStatus.DONE
    _save(company, actor, checkup, before, "health.result", encrypted=["result"])
    return checkup


@transaction.atomic
def record_doctor_opinion(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    checkup: Checkup,
    opinion_on: date | None,
    opinion: str,
    measures: str = "",
) -> Checkup:
    """医師の意見 (安衛法66条の4, 安衛則51条の2: 個人票に記載) and the 就業上の措置 taken (66条の5),
    both encrypted. Only for a checkup with findings."""
    require_health_access(company=company, membership=membership)
    checkup = _locked(company, checkup)
    if checkup.status != CheckupStatus.DONE or not checkup.has_findings:
        raise ServiceError(
            _("医師の意見は、受診済みで有所見の健康診断にだけ記録できます。"), code="invalid_state"
        )
    errors: dict[str, list[str]] = {}
    _check_date(errors, "opinion_on", opinion_on)
    if isinstance(opinion_on, date):
        if checkup.examined_on and opinion_on < checkup.examined_on:
            errors["opinion_on"] = [_("意見聴取日は受診日以降の日付にしてください。")]
        elif opinion_on > timezone.localdate():
            errors["opinion_on"] = [_("未来の日付は入力できません。")]
    text = (opinion or "").strip()
    if not text:
        errors["opinion"] = [_("医師の意見を入力してください。")]
    for name, value in (("opinion", text), ("measures", (measures or "").strip())):
        if len(value) > MAX_TEXT:
            errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]
    _raise(errors)
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.opinion_on = opinion_on
    checkup.opinion_encrypted = crypto.encrypt_text(text)
    checkup.measures_encrypted = crypto.encrypt_text((measures or "").strip())
    _save(company, actor, checkup, before, "health.opinion", encrypted=["opinion", "measures"])
    return checkup


@transaction.atomic
def mark_result_notified(
    *, company: Company, actor: User, membership: Membership, checkup: Checkup, notified_on: date | None
) -> Checkup:
    """結果を本人に通知した日 (安衛法66条の6: 遅滞なく)."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    checkup = _locked(company, checkup)
    if checkup.status != CheckupStatus.DONE:
        raise _status_error(checkup)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "notified_on", notified_on)
    if isinstance(notified_on, date) and checkup.examined_on and notified_on < checkup.examined_on:
        errors["notified_on"] = [_("通知日は受診日以降の日付にしてください。")]
    _raise(errors)
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.result_notified_on = notified_on
    _save(company, actor, checkup, before, "update")
    return checkup


@transaction.atomic
def close_checkup(
    *, company: Company, actor: User, membership: Membership, checkup: Checkup, status: str, note: str = ""
) -> Checkup:
    """対象外 (with the reason, e.g. 3か月以内の健診結果の提出 — 安衛則43条ただし書) or 取消."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    checkup = _locked(company, checkup)
    if status not in (CheckupStatus.EXEMPT, CheckupStatus.CANCELLED):
        raise ServiceError(
            _("状態が正しくありません。"), field_errors={"status": [_("対象外か取消を選んでください。")]}
        )
    if checkup.status not in OPEN_STATUSES:
        raise _status_error(checkup)
    text = (note or "").strip()
    if status == CheckupStatus.EXEMPT and not text:
        raise ServiceError(
            _("対象外にする理由を入力してください。"),
            code="validation",
            field_errors={"note": [_("理由を入力してください。")]},
        )
    if len(text) > 200:
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"note": [_("200文字以内で入力してください。")]},
        )
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.status = status
    checkup.note = text
    _save(company, actor, checkup, before, "update")
    return checkup


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class CheckupRecord:
    """The decrypted contents of a 健康診断個人票 entry."""

    result: str
    opinion: str
    measures: str


@transaction.atomic
def view_checkup_record(
    *, company: Company, actor: User, membership: Membership, checkup: Checkup
) -> CheckupRecord:
    """The result, opinion and measures, for a member with health access; the opening is an
    audit event (``health.viewed``). Without access: PermissionDeniedError, nothing written."""
    require_health_access(company=company, membership=membership)
    if checkup.company_id != company.pk:
        raise NotFound()
    record = CheckupRecord(
        result=crypto.decrypt_text(checkup.result_encrypted),
        opinion=crypto.decrypt_text(checkup.opinion_encrypted),
        measures=crypto.decrypt_text(checkup.measures_encrypted),
    )
    record_event(
        company=company,
        actor=actor,
        action="health.viewed",
        instance=checkup,
        object_repr=_repr(checkup),
        extra={"viewed": ["result", "opinion", "measures"]},
    )
    return record
