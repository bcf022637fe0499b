"""給与計算 (runs): create a pay group's run for a pay month and compute every payslip in the same
transaction, recompute a draft, discard a draft. Large groups are computed in a background job
(core.jobs) that calls the same services. docs/domains/payroll.md, 給与計算 (runs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.jobs import Progress, job_runner, start_job
from ennoshita.core.models import Company, Job, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.payroll import run_inputs
from ennoshita.payroll.calculation import compute_payslip
from ennoshita.payroll.calculation_arrears import Arrears, arrears_due
from ennoshita.payroll.calculation_dates import RunDates, previous_bank_day, run_dates
from ennoshita.payroll.calculation_inputs import PayslipOut, RunContext
from ennoshita.payroll.models import (
    PayGroup,
    PayrollRun,
    PayrollSettings,
    Payslip,
    PayslipLine,
    RunKind,
    RunStatus,
)
from ennoshita.payroll.permissions import RUN_ROLES

from . import bonus
from .payslip_rows import write_payslips

__all__ = [
    "BACKGROUND_OVER",
    "RunDates",
    "create_run",
    "discard_run",
    "previous_bank_day",
    "recompute_run",
    "run_dates",
    "start_create_job",
    "start_recompute_job",
]

BACKGROUND_OVER = 300  # a group with more people than this is computed in a background job
MAX_NAMES = 20  # names listed when a run is refused for months not closed
RUN_FIELDS = (
    "pay_group", "kind", "pay_month", "attendance_month", "closing_date", "pay_date", "title",
    "status", "withholding_method", "headcount", "gross_total", "deduction_total", "net_total",
)  # fmt: skip

ProgressFn = Callable[[int, int, str], None]


# ------------------------------------------------------------------------------ checks
def _fail(message: str, field: str = "__all__", code: str = "invalid") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _settings(company: Company) -> PayrollSettings:
    return PayrollSettings.objects.get_or_create(company=company)[0]


def _check_group(company: Company, pay_group: PayGroup) -> None:
    if pay_group.company_id != company.pk:
        raise NotFound()


def _check_kind(kind: str) -> None:
    if kind not in (RunKind.SALARY, RunKind.BONUS):
        raise _fail(_("種類が正しくありません。"), "kind")


def _check_no_live_run(
    company: Company, pay_group: PayGroup, pay_month: date, exclude: int | None = None
) -> None:
    qs = (
        PayrollRun.objects.for_company(company)
        .filter(pay_group=pay_group, pay_month=pay_month, kind=RunKind.SALARY)
        .exclude(status=RunStatus.DISCARDED)
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise _fail(
            _(
                "%(group)s の %(month)s支給の給与計算は既にあります。やり直すときは再計算するか、破棄してから作ってください。"
            )
            % {"group": pay_group.name, "month": f"{pay_month.year}年{pay_month.month}月"},
            "pay_month",
            "duplicate",
        )


def _check_locked(company: Company, people: list[run_inputs.Payee], attendance_month: date) -> None:
    """Refuse while anyone paid from attendance has the attendance month not closed (勤怠締め)."""
    missing = run_inputs.unlocked(company=company, people=people, attendance_month=attendance_month)
    if missing:
        names = "、".join(f"{p.employee.number} {p.name}" for p in missing[:MAX_NAMES])
        if len(missing) > MAX_NAMES:
            names += _("ほか%(n)d名") % {"n": len(missing) - MAX_NAMES}
        raise _fail(
            _(
                "%(month)s の勤怠が締められていない人がいます(%(count)d名: %(names)s)。勤怠締めを済ませてから計算してください。"
            )
            % {
                "month": f"{attendance_month.year}年{attendance_month.month}月",
                "count": len(missing),
                "names": names,
            },
            "pay_month",
            "attendance_open",
        )


# ------------------------------------------------------------------------------ computing
def _context(
    run: PayrollRun, settings: PayrollSettings, period_start: date, item_codes: tuple[str, ...]
) -> RunContext:
    # the premiums' rates: None = 協会けんぽ, else the company's 健康保険組合 (PayrollSettings)
    from ennoshita.payroll.services.settings import union_rates_of

    return RunContext(
        pay_month=run.pay_month,
        attendance_month=run.attendance_month or run.pay_month,
        period_start=period_start,
        period_end=run.closing_date,
        pay_date=run.pay_date,
        withholding_method=run.withholding_method,
        prefecture=settings.prefecture,
        business=settings.business,
        proration_rule=settings.proration_rule,
        annual_scheduled_hours=settings.annual_scheduled_hours,
        anomaly_percent=settings.anomaly_percent,
        item_codes=item_codes,
        insurer=union_rates_of(settings),
    )


def _compute(
    company: Company, run: PayrollRun, settings: PayrollSettings, progress: ProgressFn | None
) -> dict[str, Any]:
    """Compute and write every payslip of ``run``; set its totals. Returns the audit summary."""
    dates = RunDates(run.pay_group, run.pay_month)
    attendance_month = run.attendance_month or dates.attendance_month
    people = run_inputs.payees(
        company=company, pay_group=run.pay_group, pay_month=run.pay_month, attendance_month=attendance_month
    )
    _check_locked(company, people, attendance_month)
    inputs = run_inputs.employee_inputs(
        company=company,
        people=people,
        pay_month=run.pay_month,
        attendance_month=attendance_month,
        progress=progress,
    )
    codes = run_inputs.item_codes(company=company)
    ctx = _context(run, settings, dates.period_start, codes)
    arrears = _arrears(company, run, settings, [p.employee.pk for p in people], codes)
    results: list[tuple[Any, PayslipOut]] = []
    for e in inputs:
        try:
            results.append((e, compute_payslip(e, ctx, arrears.get(e.employee_id, ()))))
        except ValueError as exc:
            # the rules have no table for a date (e.g. a pay date in a year not loaded): nothing is written
            raise _fail(
                _("%(number)s %(name)s の計算ができません: %(error)s")
                % {"number": e.number, "name": e.name, "error": exc},
                "pay_month",
                "rules",
            ) from exc
    _write(company, run, results)
    return {
        "headcount": run.headcount,
        "arrears": {
            str(e.employee_id): sum(a.difference for a in arrears[e.employee_id])
            for e, _r in results
            if arrears.get(e.employee_id)
        },
        "errors": sum(1 for _e, r in results if r.has_error),
        "warnings": sum(1 for _e, r in results for a in r.anomalies if a["level"] == "warning"),
    }


def _arrears(
    company: Company, run: PayrollRun, settings: PayrollSettings, ids: list[int], codes: tuple[str, ...]
) -> dict[int, list[Arrears]]:
    """遡及差額 of the run's people (calculation_arrears): each month already paid by a confirmed
    salary run whose settings were changed back-dated afterwards is computed again — its own dates,
    its attendance as it stands, the settings in force for it now — and compared with what was paid
    for it. A month that cannot be computed again (no table) is left to a correction run."""
    late = run_inputs.late_settings_months(company=company, employee_ids=ids, pay_month=run.pay_month)
    if not late:
        return {}
    paid = run_inputs.paid_months(company=company, wanted=late)
    item_codes = run_inputs.arrears_item_codes(company=company)
    by_run: dict[int, tuple[PayrollRun, list[int]]] = {}
    for employee_id, runs in late.items():
        for past in runs:
            by_run.setdefault(past.pk, (past, []))[1].append(employee_id)
    out: dict[int, list[Arrears]] = {}
    for past, employee_ids in sorted(by_run.values(), key=lambda x: (x[0].pay_month, x[0].pk)):
        dates = RunDates(past.pay_group, past.pay_month)
        attendance_month = past.attendance_month or dates.attendance_month
        payees = run_inputs.payees_by_id(
            company=company,
            employee_ids=employee_ids,
            pay_month=past.pay_month,
            attendance_month=attendance_month,
        )
        ctx = _context(past, settings, dates.period_start, codes)
        for e in run_inputs.employee_inputs(
            company=company, people=payees, pay_month=past.pay_month, attendance_month=attendance_month
        ):
            try:
                now = compute_payslip(e, ctx)
            except ValueError:
                continue
            found = arrears_due(
                paid=paid[(e.employee_id, past.pay_month)], recomputed=now.lines, item_codes=item_codes
            )
            if found:
                out.setdefault(e.employee_id, []).extend(found)
    return out


def _write(company: Company, run: PayrollRun, results: list[tuple[Any, PayslipOut]]) -> None:
    write_payslips(company, run, results)
    run.headcount = len(results)
    run.gross_total = sum(int(r.fields["gross"]) for _e, r in results)
    run.deduction_total = sum(int(r.fields["deduction_total"]) for _e, r in results)
    run.net_total = sum(int(r.fields["net"]) for _e, r in results)
    run.computed_at = timezone.now()
    run.save(update_fields=["headcount", "gross_total", "deduction_total", "net_total", "computed_at"])


def _repr(run: PayrollRun) -> str:
    return f"{run.pay_group.name} {run.pay_month:%Y-%m} {run.get_kind_display()}"


# ------------------------------------------------------------------------------ the services
@transaction.atomic
def create_run(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    pay_group: PayGroup,
    pay_month: date,
    kind: str = "salary",
    title: str = "",
    progress: ProgressFn | None = None,
    pay_date: date | None = None,
    bonus_period_months: int = 6,
) -> PayrollRun:
    """A draft run of ``pay_group`` for ``pay_month`` with every payslip computed (one audit event
    for the run). Refused, nothing written: a live salary run for the group and month exists, the
    attendance month is not closed for someone paid from it, or the rules have no table for a date.
    ``kind="bonus"``: a bonus run paid on ``pay_date`` (``pay_month`` is ignored), its amounts
    entered afterwards (services/bonus.py)."""
    require_role(membership, *RUN_ROLES)
    _check_group(company, pay_group)
    _check_kind(kind)
    if kind == RunKind.BONUS:
        return bonus.create_bonus_run(
            company=company,
            actor=actor,
            membership=membership,
            pay_group=pay_group,
            pay_date=pay_date,
            title=title,
            bonus_period_months=bonus_period_months,
        )
    title = (title or "").strip()
    if len(title) > 50:
        raise _fail(_("名称は50文字以内で入力してください。"), "title")
    dates = RunDates(pay_group, pay_month)
    _check_no_live_run(company, pay_group, dates.pay_month)
    settings = _settings(company)
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(
                company=company,
                pay_group=pay_group,
                kind=kind,
                pay_month=dates.pay_month,
                attendance_month=dates.attendance_month,
                closing_date=dates.closing_date,
                pay_date=dates.pay_date,
                title=title,
                withholding_method=settings.withholding_method,
                created_by=actor,
            )
    except IntegrityError as exc:  # another request made the same run meanwhile
        raise _fail(
            _("同じ支給月の給与計算が同時に作られました。一覧を確認してください。"), "pay_month", "duplicate"
        ) from exc
    summary = _compute(company, run, settings, progress)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=run,
        object_repr=_repr(run),
        after=snapshot(run, RUN_FIELDS),
        extra=summary,
    )
    return run


def _draft(company: Company, run: PayrollRun) -> PayrollRun:
    locked = PayrollRun.objects.for_company(company).select_for_update().filter(pk=run.pk).first()
    if locked is None:
        raise NotFound()
    if locked.status == RunStatus.CONFIRMED:
        raise _fail(_("確定した給与計算は変更できません。"), code="confirmed")
    if locked.status == RunStatus.DISCARDED:
        raise _fail(_("破棄した給与計算は変更できません。"), code="discarded")
    return locked


@transaction.atomic
def recompute_run(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    run: PayrollRun,
    progress: ProgressFn | None = None,
) -> PayrollRun:
    """Delete the draft's payslips and compute them again from today's data (audited with the
    totals before and after). A confirmed or discarded run is refused. A bonus run is computed
    from its entered amounts (services/bonus.py)."""
    require_role(membership, *RUN_ROLES)
    if run.kind == RunKind.BONUS:
        return bonus.compute_bonus_payslips(company=company, actor=actor, membership=membership, run=run)
    if run.kind == RunKind.CORRECTION:
        from . import corrections

        return corrections.recompute_correction(company=company, actor=actor, membership=membership, run=run)
    run = _draft(company, run)
    before = snapshot(run, RUN_FIELDS)
    settings = _settings(company)
    PayslipLine.objects.filter(payslip__run=run).delete()
    Payslip.objects.filter(run=run).delete()
    run.withholding_method = settings.withholding_method
    run.save(update_fields=["withholding_method"])
    summary = _compute(company, run, settings, progress)
    record_event(
        company=company,
        actor=actor,
        action="recompute",
        instance=run,
        object_repr=_repr(run),
        before=before,
        after=snapshot(run, RUN_FIELDS),
        extra=summary,
    )
    return run


@transaction.atomic
def discard_run(
    *, company: Company, actor: User, membership: Membership, run: PayrollRun, reason: str
) -> PayrollRun:
    """破棄 with a reason: the draft stays readable but counts no more (a new run may be made)."""
    require_role(membership, *RUN_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise _fail(_("破棄の理由を入力してください。"), "reason")
    if len(reason) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    run = _draft(company, run)
    before = snapshot(run, RUN_FIELDS)
    run.status = RunStatus.DISCARDED
    run.save(update_fields=["status"])
    record_event(
        company=company,
        actor=actor,
        action="discard",
        instance=run,
        object_repr=_repr(run),
        before=before,
        after=snapshot(run, RUN_FIELDS),
        extra={"reason": reason},
    )
    return run


# ------------------------------------------------------------------------------ background
def _membership_of(job: Job) -> Membership:
    return Membership.objects.select_related("user").get(
        company=job.company, user=job.created_by, is_active=True
    )


@job_runner
def create_run_job(job: Job, progress: Progress) -> dict[str, Any]:
    membership = _membership_of(job)
    p = job.params
    group = PayGroup.objects.for_company(job.company).get(pk=p["pay_group"])
    run = create_run(
        company=job.company,
        actor=membership.user,
        membership=membership,
        pay_group=group,
        pay_month=date.fromisoformat(p["pay_month"]),
        kind=p.get("kind", "salary"),
        title=p.get("title", ""),
        progress=progress,
    )
    return {"run_id": run.pk, "headcount": run.headcount}


@job_runner
def recompute_run_job(job: Job, progress: Progress) -> dict[str, Any]:
    membership = _membership_of(job)
    run = PayrollRun.objects.for_company(job.company).select_related("pay_group").get(pk=job.params["run"])
    run = recompute_run(
        company=job.company, actor=membership.user, membership=membership, run=run, progress=progress
    )
    return {"run_id": run.pk, "headcount": run.headcount}


def start_create_job(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    pay_group: PayGroup,
    pay_month: date,
    kind: str = "salary",
    title: str = "",
) -> Job:
    """Queue ``create_run`` for a large group (the cheap checks first; the rest fail the job with
    the same message the service gives)."""
    require_role(membership, *RUN_ROLES)
    _check_group(company, pay_group)
    _check_kind(kind)
    if kind == RunKind.BONUS:  # a bonus run starts empty: nothing to compute in the background
        raise _fail(_("賞与の計算は裏で作る必要がありません。"), "kind", "not_supported")
    dates = RunDates(pay_group, pay_month)
    _check_no_live_run(company, pay_group, dates.pay_month)
    return start_job(
        company=company,
        actor=actor,
        runner=create_run_job,
        label=_("給与計算 %(group)s %(month)s支給")
        % {"group": pay_group.name, "month": f"{dates.pay_month:%Y-%m}"},
        params={
            "pay_group": pay_group.pk,
            "pay_month": dates.pay_month.isoformat(),
            "kind": kind,
            "title": title,
        },
    )


def start_recompute_job(*, company: Company, actor: User, membership: Membership, run: PayrollRun) -> Job:
    require_role(membership, *RUN_ROLES)
    if run.status != RunStatus.DRAFT:
        raise _fail(_("確定または破棄した給与計算は再計算できません。"), code=run.status)
    return start_job(
        company=company,
        actor=actor,
        runner=recompute_run_job,
        label=_("給与計算の再計算 %(group)s %(month)s支給")
        % {"group": run.pay_group.name, "month": f"{run.pay_month:%Y-%m}"},
        params={"run": run.pk},
    )
