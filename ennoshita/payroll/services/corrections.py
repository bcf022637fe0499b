"""訂正 (correction runs): a confirmed salary run is final; a mistake found afterwards that must be
paid now is put right by a separate run of kind ``correction`` that ``corrects`` it. The run
recomputes the chosen employees for the original month (its dates, its 源泉徴収税額表 and pay date,
today's settings and attendance — a closed month may have been reopened and corrected) and its
payslips hold only the DIFFERENCE from what stands paid for that month (the original payslip plus
earlier confirmed corrections). It is confirmed by the ordinary confirm flow (services/confirm.py):
the differences are posted (a negative amount on the opposite side; a negative net pay as
未収入金 from the employee), the transfer file carries the positive nets only, and the payslips
are published as 「給与明細(訂正)」. Settings changed back-dated need no correction run: their
arrears are paid by the next salary run (遡及差額, services/runs.py).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.payroll import run_inputs
from ennoshita.payroll.calculation import compute_payslip
from ennoshita.payroll.calculation_arrears import arrears_from_inputs, correction_difference
from ennoshita.payroll.calculation_dates import RunDates, bank_holidays
from ennoshita.payroll.calculation_inputs import EmployeeInput, PayslipOut
from ennoshita.payroll.models import PayrollRun, Payslip, PayslipLine, RunKind, RunStatus
from ennoshita.payroll.permissions import CONFIRM_ROLES

from .runs import RUN_FIELDS, _check_locked, _context, _fail, _repr, _settings, _write

__all__ = ["next_bank_day", "recompute_correction", "start_correction"]

# Payslip's database constraint (payroll_payslip_gte_0) keeps these three at 0 or more: a
# difference that lowers one of them cannot be held by a correction payslip (see the docs)
DROPPED = {"net_changed", "fixed_pay_changed", "split_short", "no_bank_account", "negative_net", "arrears"}
LABELS = {
    "gross": "総支給額",
    "income_tax": "所得税",
    "resident_tax": "住民税",
    "health": "健康保険料",
    "child_support": "子ども・子育て支援金",
    "pension": "厚生年金保険料",
    "employment": "雇用保険料",
    "other_deductions": "その他控除",
}


def next_bank_day(day: date) -> date:
    """The first bank business day on or after ``day`` (銀行法15条1項・施行令5条1項)."""
    from ennoshita.core.dates import is_business_day

    while not is_business_day(day, extra_closed=bank_holidays(day)):
        day += timedelta(days=1)
    return day


def _original(company: Company, run: PayrollRun) -> PayrollRun:
    original = PayrollRun.objects.for_company(company).select_related("pay_group").filter(pk=run.pk).first()
    if original is None:
        raise NotFound()
    if original.kind != RunKind.SALARY:
        raise _fail(
            _("訂正の計算は給与の計算にだけ作れます(賞与・訂正の計算は訂正できません)。"),
            code="not_supported",
        )
    if original.status != RunStatus.CONFIRMED:
        raise _fail(_("確定した給与計算だけを訂正できます。下書きは再計算してください。"), code="bad_state")
    return original


def _check_pay_date(original: PayrollRun, pay_date: date) -> None:
    if pay_date < original.pay_date:
        raise _fail(_("支給日は元の給与計算の支給日より後にしてください。"), "pay_date")
    if next_bank_day(pay_date) != pay_date:
        raise _fail(_("支給日が銀行の休業日です(振込ができません)。営業日を選んでください。"), "pay_date")


def _reason(diff_fields: dict[str, int], lines: list[Any]) -> str:
    parts = [f"{line.name} {line.amount:+,}円" for line in lines if line.kind != "info" and line.amount]
    if not parts:
        parts = [f"{LABELS.get(k, k)} {v:+,}円" for k, v in diff_fields.items() if v and k in LABELS]
    return "、".join(parts)


def _difference_slip(e: EmployeeInput, original: Any, now: PayslipOut, run: PayrollRun) -> PayslipOut | str:
    """The correction payslip of one employee, or why it cannot be made, or "" (no difference)."""
    diff = correction_difference(paid=original.paid, now=now)
    if diff.empty:
        return ""
    fields: dict[str, Any] = dict(diff.fields)
    fields["care_applies"] = bool(now.fields.get("care_applies"))
    fields["bank"] = {"main": e.main_account, "split": None}
    fields["transfer_amount"] = fields["split_transfer_amount"] = 0
    anomalies = [a for a in now.anomalies if a.get("code") not in DROPPED]
    net = fields["net"]
    reason = _reason(diff.fields, diff.lines)
    anomalies.append(
        {
            "level": "warning",
            "code": "correction",
            "message": f"{run.pay_month.year}年{run.pay_month.month}月分の訂正: {reason}(差引 {net:+,}円)",
        }
    )
    if net < 0:
        anomalies.append(
            {
                "level": "warning",
                "code": "negative_net",
                "message": f"訂正で差引支給額がマイナスです({net:,}円: {reason})。本人から{-net:,}円を返して"
                "もらう必要があります(振込データには入りません。仕訳では未収入金)。",
            }
        )
    elif net > 0 and e.main_account is None:
        anomalies.append(
            {
                "level": "warning",
                "code": "no_bank_account",
                "message": f"振込口座が登録されていません。{net:,}円は現金などで支払ってください。",
            }
        )
    elif net > 0:
        fields["transfer_amount"] = net
    inputs = {k: v for k, v in now.inputs.items() if k != "arrears"}
    inputs["repeated_arrears"] = now.inputs.get("arrears") or []
    inputs["correction"] = {
        "corrects_run": original.payslip.run_id,
        "corrects_payslip": original.payslip.pk,
        "pay_month": run.pay_month.strftime("%Y-%m"),
        "original_pay_date": original.payslip.run.pay_date.isoformat(),
        "corrected": {k: int(now.fields.get(k) or 0) for k in ("gross", "taxable", "income_tax", "net")},
    }
    return PayslipOut(fields=fields, lines=diff.lines, inputs=inputs, anomalies=anomalies)


def _differences(
    company: Company, original: PayrollRun, employee_ids: list[int], run: PayrollRun
) -> tuple[list[tuple[EmployeeInput, PayslipOut]], list[str]]:
    """(the correction payslips of those with a difference, the reasons others were left out)."""
    settings = _settings(company)
    originals = run_inputs.original_slips(company=company, run=original)
    dates = RunDates(original.pay_group, original.pay_month)
    attendance_month = original.attendance_month or dates.attendance_month
    payees = run_inputs.payees_by_id(
        company=company,
        employee_ids=employee_ids,
        pay_month=original.pay_month,
        attendance_month=attendance_month,
    )
    left_out: list[str] = []
    found = {p.employee.pk for p in payees}
    for pk in employee_ids:
        if pk not in found:
            missing = originals[pk].payslip
            left_out.append(
                _("%(who)s: その月の給与の基本設定が見つからないため計算できません。")
                % {"who": f"{missing.employee_number} {missing.employee_name}"}
            )
    _check_locked(company, payees, attendance_month)
    inputs = run_inputs.employee_inputs(
        company=company, people=payees, pay_month=original.pay_month, attendance_month=attendance_month
    )
    ctx = _context(original, settings, dates.period_start, run_inputs.item_codes(company=company))
    offsets = run_inputs.arrears_paid_for(
        company=company, employee_ids=employee_ids, month=original.pay_month
    )
    out: list[tuple[EmployeeInput, PayslipOut]] = []
    for e in inputs:
        slip = originals[e.employee_id]
        own = arrears_from_inputs((slip.payslip.inputs or {}).get("arrears") or [])
        try:
            now = compute_payslip(e, ctx, own, offsets.get(e.employee_id))
        except ValueError as exc:
            raise _fail(
                _("%(number)s %(name)s の計算ができません: %(error)s")
                % {"number": e.number, "name": e.name, "error": exc},
                "pay_date",
                "rules",
            ) from exc
        made = _difference_slip(e, slip, now, run)
        if isinstance(made, str):
            if made:
                left_out.append(f"{e.number} {e.name}: {made}")
            continue
        # the difference is booked where the original was: its department as the payslip had it
        e = dataclasses.replace(
            e, department_id=slip.payslip.department_id, department_name=slip.payslip.department_name
        )
        out.append((e, made))
    return out, left_out


def _chosen(originals: dict[int, Any], employee_ids: list[int] | None) -> list[int]:
    if not employee_ids:
        return list(originals)
    unknown = [pk for pk in employee_ids if pk not in originals]
    if unknown:
        raise _fail(_("元の給与計算に明細のない社員が選ばれています。"), "employee_ids")
    return list(dict.fromkeys(employee_ids))


@transaction.atomic
def start_correction(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    run: PayrollRun,
    pay_date: date | None = None,
    employee_ids: list[int] | None = None,
    title: str = "",
) -> PayrollRun:
    """「訂正の計算」 of a confirmed salary run (経理 and the admin): a draft correction run for the
    chosen employees (all by default) paid on ``pay_date`` (by default the next bank business day
    from today), holding the differences. Refused, nothing written: the run is not a confirmed
    salary run, a draft correction of it exists, the pay date is before the original's or a bank
    holiday, the attendance month is open again for someone, or no one has a difference (the
    message says why each person was left out). One audit event."""
    require_role(membership, *CONFIRM_ROLES)
    original = _original(company, run)
    PayrollRun.objects.for_company(company).select_for_update().filter(pk=original.pk).first()
    if PayrollRun.objects.for_company(company).filter(corrects=original, status=RunStatus.DRAFT).exists():
        raise _fail(
            _("この給与計算の訂正の計算(下書き)が既にあります。確定するか破棄してから作ってください。"),
            code="duplicate",
        )
    pay_date = pay_date or next_bank_day(timezone.localdate())
    _check_pay_date(original, pay_date)
    title = (title or "").strip() or _("訂正")
    if len(title) > 50:
        raise _fail(_("名称は50文字以内で入力してください。"), "title")
    originals = run_inputs.original_slips(company=company, run=original)
    chosen = _chosen(originals, employee_ids)
    run = PayrollRun(
        company=company,
        pay_group=original.pay_group,
        kind=RunKind.CORRECTION,
        corrects=original,
        pay_month=original.pay_month,
        attendance_month=original.attendance_month,
        closing_date=original.closing_date,
        pay_date=pay_date,
        title=title,
        withholding_method=original.withholding_method,
        created_by=actor,
    )
    results, left_out = _differences(company, original, chosen, run)
    if not results:
        raise _fail(
            _("差額のある人がいません。訂正の計算は作りませんでした。")
            + (" " + " ".join(left_out) if left_out else ""),
            "employee_ids",
            "no_difference",
        )
    run.save()
    _write(company, run, results)
    record_event(
        company=company,
        actor=actor,
        action="create_correction",
        instance=run,
        object_repr=_repr(run),
        after=snapshot(run, (*RUN_FIELDS, "corrects")),
        extra={
            "corrects": original.pk,
            "chosen": len(chosen),
            "employees": [e.number for e, _r in results],
            "left_out": left_out,
            "net": {e.number: int(r.fields["net"]) for e, r in results},
        },
    )
    run.left_out = left_out  # type: ignore[attr-defined]  # shown once by the screen
    return run


@transaction.atomic
def recompute_correction(
    *, company: Company, actor: User, membership: Membership, run: PayrollRun
) -> PayrollRun:
    """再計算 of a draft correction run: its people computed again from today's data (those with no
    difference any more drop out)."""
    require_role(membership, *CONFIRM_ROLES)
    locked = PayrollRun.objects.for_company(company).select_for_update().filter(pk=run.pk).first()
    if locked is None:
        raise NotFound()
    if locked.status != RunStatus.DRAFT:
        raise _fail(_("確定または破棄した給与計算は再計算できません。"), code=locked.status)
    original = _original(company, locked.corrects) if locked.corrects else None
    if original is None:
        raise NotFound()
    before = snapshot(locked, RUN_FIELDS)
    ids = list(Payslip.objects.filter(run=locked).values_list("employee_id", flat=True))
    results, left_out = _differences(company, original, ids, locked) if ids else ([], [])
    PayslipLine.objects.filter(payslip__run=locked).delete()
    Payslip.objects.filter(run=locked).delete()
    _write(company, locked, results)
    record_event(
        company=company,
        actor=actor,
        action="recompute",
        instance=locked,
        object_repr=_repr(locked),
        before=before,
        after=snapshot(locked, RUN_FIELDS),
        extra={"corrects": original.pk, "left_out": left_out},
    )
    return locked
