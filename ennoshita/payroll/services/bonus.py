"""賞与 (bonus runs): create a bonus run of a pay group for a pay date, enter each person's amount
(on the screen, through the API, or from a CSV), and compute the payslips from them. Every write
checks the role, runs in one transaction, is refused with nothing written, and is audited on the
run. Confirming is the same as for salary (services/confirm.py). docs: /tmp/doc_bonus.md → payroll.md.

Amounts and payslips are saved together: entering amounts recomputes the draft's payslips in the
same transaction, so what the run shows is always what was entered; ``compute_bonus_payslips`` (the
「再計算」 of the run screen) computes again from today's data (pay settings, confirmed runs)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.csvio import decode_upload, read_rows
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.payroll import bonus_inputs
from ennoshita.payroll.calculation_bonus import BonusContext, check_dates, compute_bonus
from ennoshita.payroll.calculation_dates import previous_bank_day
from ennoshita.payroll.calculation_inputs import PayslipOut
from ennoshita.payroll.models import (
    BonusPayment,
    PayGroup,
    PayrollRun,
    PayrollSettings,
    Payslip,
    PayslipLine,
    RunKind,
    RunStatus,
)
from ennoshita.payroll.permissions import RUN_ROLES
from ennoshita.payroll.services.payslip_rows import write_payslips
from ennoshita.payroll.services.settings import union_rates_of

__all__ = [
    "MAX_AMOUNT",
    "AmountIn",
    "compute_bonus_payslips",
    "create_bonus_run",
    "import_bonus_amounts",
    "set_bonus_amounts",
]

MAX_AMOUNT = 999_999_999  # one bonus: well above any real one, well inside the yen fields
MAX_IMPORT_ROWS = 50_000
MAX_PROBLEMS = 50
RUN_FIELDS = (
    "pay_group", "kind", "pay_month", "closing_date", "pay_date", "title", "status", "bonus_period_months",
    "withholding_method", "headcount", "gross_total", "deduction_total", "net_total",
)  # fmt: skip
PAYSLIP_FIELDS = (
    "gross", "taxable", "nontaxable", "social_insurance_wage", "employment_insurance_wage", "health",
    "care_applies", "child_support", "pension", "employment", "social_insurance_total", "income_tax",
    "resident_tax", "other_deductions", "deduction_total", "net", "employer_health",
    "employer_child_support", "employer_pension", "standard_bonus", "standard_bonus_health",
    "standard_bonus_pension", "transfer_amount", "split_transfer_amount", "bank",
)  # fmt: skip


@dataclass(frozen=True)
class AmountIn:
    """One person's bonus as entered: ``amount`` None removes the entry (no bonus)."""

    employee_number: str
    amount: int | None
    note: str = ""


def _fail(message: str, field: str = "__all__", code: str = "invalid") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _settings(company: Company) -> PayrollSettings:
    return PayrollSettings.objects.get_or_create(company=company)[0]


def _context(run: PayrollRun, settings: PayrollSettings) -> BonusContext:
    return BonusContext(
        pay_date=run.pay_date,
        prefecture=settings.prefecture,
        business=settings.business,
        period_months=run.bonus_period_months,
        insurer=union_rates_of(settings),
    )


def _repr(run: PayrollRun) -> str:
    return f"{run.pay_group.name} {run.pay_date:%Y-%m-%d} 賞与 {run.title}".strip()


# ------------------------------------------------------------------------------ create
def check_new_run(
    *, company: Company, pay_group: PayGroup, pay_date: date | None, title: str, bonus_period_months: Any
) -> tuple[date, str, int]:
    """The checks of a new bonus run (also for the preview): (pay date, title, period)."""
    if pay_group.company_id != company.pk:
        raise NotFound()
    if pay_date is None:
        raise _fail(_("賞与の支給日を入力してください。"), "pay_date", "required")
    scheduled = previous_bank_day(pay_date)
    if scheduled != pay_date:
        raise _fail(
            _("%(day)s は銀行の休業日のため振り込めません。前の営業日(%(prev)s)などにしてください。")
            % {"day": f"{pay_date:%Y-%m-%d}", "prev": f"{scheduled:%Y-%m-%d}"},
            "pay_date",
        )
    try:
        months = int(bonus_period_months)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= 12:
        raise _fail(_("賞与の計算期間は1〜12か月で入力してください。"), "bonus_period_months")
    title = (title or "").strip() or _("%(y)d年%(m)d月 賞与") % {"y": pay_date.year, "m": pay_date.month}
    if len(title) > 50:
        raise _fail(_("名称は50文字以内で入力してください。"), "title")
    settings = _settings(company)
    try:
        check_dates(
            BonusContext(
                pay_date, settings.prefecture, settings.business, months, insurer=union_rates_of(settings)
            )
        )
    except ValueError as exc:
        raise _fail(
            _("この支給日の賞与は計算できません: %(error)s") % {"error": exc}, "pay_date", "rules"
        ) from exc
    return pay_date, title, months


@transaction.atomic
def create_bonus_run(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    pay_group: PayGroup,
    pay_date: date | None,
    title: str = "",
    bonus_period_months: int = 6,
) -> PayrollRun:
    """A draft bonus run (no payslips until amounts are entered; no attendance needed). Refused,
    nothing written: no pay date, a bank holiday, a period outside 1–12 months, a pay date the rules
    have no table for. A group may be paid several bonuses, even on one day."""
    require_role(membership, *RUN_ROLES)
    day, title, months = check_new_run(
        company=company,
        pay_group=pay_group,
        pay_date=pay_date,
        title=title,
        bonus_period_months=bonus_period_months,
    )
    settings = _settings(company)
    run = PayrollRun.objects.create(
        company=company,
        pay_group=pay_group,
        kind=RunKind.BONUS,
        pay_month=day.replace(day=1),
        attendance_month=None,
        closing_date=day,  # a bonus's 締切日 for the 雇用保険 rate is its pay date
        pay_date=day,
        title=title,
        withholding_method=settings.withholding_method,
        bonus_period_months=months,
        created_by=actor,
        computed_at=timezone.now(),
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=run,
        object_repr=_repr(run),
        after=snapshot(run, RUN_FIELDS),
        extra={
            "payees": len(bonus_inputs.payees(company=company, pay_group=pay_group, pay_date=day)),
        },
    )
    return run


# ------------------------------------------------------------------------------ compute
def _draft_bonus(company: Company, run: PayrollRun) -> PayrollRun:
    locked = (
        PayrollRun.objects.for_company(company)
        .select_for_update()
        .select_related("pay_group")
        .filter(pk=run.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if locked.kind != RunKind.BONUS:
        raise _fail(_("賞与の計算ではありません。"), code="not_bonus")
    if locked.status == RunStatus.CONFIRMED:
        raise _fail(_("確定した賞与は変更できません。"), code="confirmed")
    if locked.status == RunStatus.DISCARDED:
        raise _fail(_("破棄した賞与は変更できません。"), code="discarded")
    return locked


def _totals(run: PayrollRun) -> None:
    """The run's totals from all its payslips (one query)."""
    sums = Payslip.objects.filter(run=run).aggregate(
        n=Count("pk"), g=Sum("gross"), d=Sum("deduction_total"), net=Sum("net")
    )
    run.headcount = sums["n"] or 0
    run.gross_total = sums["g"] or 0
    run.deduction_total = sums["d"] or 0
    run.net_total = sums["net"] or 0
    run.computed_at = timezone.now()
    run.save(update_fields=["headcount", "gross_total", "deduction_total", "net_total", "computed_at"])


def _compute(company: Company, run: PayrollRun, only: set[int] | None = None) -> dict[str, Any]:
    """Replace the draft's payslips with those computed from its amounts (inside the caller's
    transaction) — everyone's, or only those of the employees in ``only`` (one person's bonus
    changes no one else's: the caps and last month's pay are read from confirmed runs only).
    Returns the audit summary."""
    settings = _settings(company)
    stale = Payslip.objects.filter(run=run)
    if only is not None:
        stale = stale.filter(employee_id__in=only)
    PayslipLine.objects.filter(payslip__in=stale).delete()
    stale.delete()
    people = bonus_inputs.payees(company=company, pay_group=run.pay_group, pay_date=run.pay_date)
    entered = bonus_inputs.payments_of(run)
    if only is not None:
        entered = {pk: b for pk, b in entered.items() if pk in only}
    known = {p.employee.pk for p in people}
    strays = [b for b in entered.values() if b.amount > 0 and b.employee_id not in known]
    if strays:
        raise _fail(
            _(
                "支給対象でない人の金額が %(n)d 件あります(支給日に在籍していない、または支給グループが違います)。金額を消してから計算してください。"
            )
            % {"n": len(strays)},
            "amounts",
            "not_payee",
        )
    amounts = {pk: (int(b.amount), b.note) for pk, b in entered.items()}
    ctx = _context(run, settings)
    results: list[tuple[Any, PayslipOut]] = []
    for e in bonus_inputs.bonus_inputs(company=company, run=run, people=people, amounts=amounts):
        try:
            results.append((e, compute_bonus(e, ctx)))
        except ValueError as exc:
            raise _fail(
                _("%(number)s %(name)s の計算ができません: %(error)s")
                % {"number": e.number, "name": e.name, "error": exc},
                "pay_date",
                "rules",
            ) from exc
    write_payslips(company, run, results, PAYSLIP_FIELDS)
    _totals(run)
    return {
        "headcount": run.headcount,
        "computed": len(results),
        "gross_total": int(run.gross_total),
        "net_total": int(run.net_total),
        "warnings": sum(1 for _e, r in results for a in r.anomalies if a["level"] == "warning"),
    }


@transaction.atomic
def compute_bonus_payslips(
    *, company: Company, actor: User, membership: Membership, run: PayrollRun
) -> PayrollRun:
    """再計算: the draft's payslips again from its amounts and today's data (audited with the
    totals before and after). A confirmed or discarded run is refused."""
    require_role(membership, *RUN_ROLES)
    run = _draft_bonus(company, run)
    before = snapshot(run, RUN_FIELDS)
    settings = _settings(company)
    run.withholding_method = settings.withholding_method
    run.save(update_fields=["withholding_method"])
    summary = _compute(company, run)
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


# ------------------------------------------------------------------------------ amounts
def _amount_problems(row: AmountIn) -> list[str]:
    problems = []
    if row.amount is not None:
        if isinstance(row.amount, bool) or not isinstance(row.amount, int):
            problems.append(_("金額は円単位の整数で入力してください。"))
        elif row.amount < 0:
            problems.append(_("金額はマイナスにできません(0円以上)。"))
        elif row.amount > MAX_AMOUNT:
            problems.append(_("金額が大きすぎます(%(max)s円まで)。") % {"max": f"{MAX_AMOUNT:,}"})
    if len(row.note or "") > 200:
        problems.append(_("備考は200文字以内です。"))
    return problems


def _payees_by_number(company: Company, run: PayrollRun) -> dict[str, Any]:
    return {
        p.employee.number: p
        for p in bonus_inputs.payees(company=company, pay_group=run.pay_group, pay_date=run.pay_date)
    }


def _find(people: dict[str, Any], number: str) -> Any:
    key = nfkc(number or "").strip()
    return people.get(key) or people.get(key.upper())


def _check_rows(people: dict[str, Any], rows: Sequence[AmountIn], where: Sequence[str] | None) -> list[str]:
    """Every problem of the rows, each prefixed with where it is (社員番号 or the CSV line)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for i, row in enumerate(rows):
        label = where[i] if where else row.employee_number
        found = _find(people, row.employee_number)
        if found is None:
            problems.append(
                _(
                    "%(w)s: 社員番号「%(n)s」はこの賞与の支給対象にいません(支給日に在籍し、この支給グループの人)。"
                )
                % {"w": label, "n": nfkc(row.employee_number or "").strip()}
            )
            continue
        number = found.employee.number
        if number in seen:
            problems.append(
                _("%(w)s: 社員番号%(n)sが%(first)sにもあります。1人1行にしてください。")
                % {"w": label, "n": number, "first": seen[number]}
            )
            continue
        seen[number] = label
        problems.extend(f"{label}: {m}" for m in _amount_problems(row))
    return problems


def _refusal(message: str, field: str, problems: list[str]) -> ServiceError:
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    return ServiceError(
        message,
        code="validation",
        field_errors={field: shown + ([_("ほか%(n)d件") % {"n": more}] if more else [])},
    )


def _save(
    company: Company,
    actor: User,
    run: PayrollRun,
    people: dict[str, Any],
    rows: Sequence[AmountIn],
    source: str,
) -> PayrollRun:
    """Save the amounts of checked rows, recompute, audit (one event on the run)."""
    before_totals = snapshot(run, RUN_FIELDS)
    existing = bonus_inputs.payments_of(run)
    changes: list[dict[str, Any]] = []
    creates: list[BonusPayment] = []
    updates: list[BonusPayment] = []
    deletes: list[int] = []
    for row in rows:
        employee = _find(people, row.employee_number).employee
        old = existing.get(employee.pk)
        note = (row.note or "").strip()
        old_amount = int(old.amount) if old else None
        if row.amount is None:
            if old is None:
                continue
            deletes.append(old.pk)
        elif old is None:
            creates.append(
                BonusPayment(
                    company=company, run=run, employee=employee, amount=Decimal(row.amount), note=note
                )
            )
        elif old_amount != row.amount or old.note != note:
            old.amount, old.note = Decimal(row.amount), note
            updates.append(old)
        else:
            continue
        changes.append(
            {"employee_id": employee.pk, "number": employee.number, "before": old_amount, "after": row.amount}
        )
    BonusPayment.objects.filter(pk__in=deletes).delete()
    BonusPayment.objects.bulk_create(creates, batch_size=1000)
    BonusPayment.objects.bulk_update(updates, ["amount", "note"], batch_size=1000)
    summary = _compute(company, run, only={c["employee_id"] for c in changes})
    for c in changes:
        del c["employee_id"]
    record_event(
        company=company,
        actor=actor,
        action="bonus_amounts",
        instance=run,
        object_repr=_repr(run),
        before=before_totals,
        after=snapshot(run, RUN_FIELDS),
        extra={"source": source, "changes": changes, **summary},
    )
    return run


@transaction.atomic
def set_bonus_amounts(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    run: PayrollRun,
    rows: Iterable[AmountIn],
    source: str = "screen",
) -> PayrollRun:
    """Save each listed person's amount (None removes it; people not listed keep theirs) and
    recompute the draft's payslips — all in one transaction. Refused, nothing written: a confirmed
    or discarded run, a negative or non-integer amount, someone not paid by this run, a person twice."""
    require_role(membership, *RUN_ROLES)
    run = _draft_bonus(company, run)
    rows = list(rows)
    people = _payees_by_number(company, run)
    problems = _check_rows(people, rows, None)
    if problems:
        raise _refusal(_("賞与の額を保存できませんでした。何も変えていません。"), "amounts", problems)
    return _save(company, actor, run, people, rows, source)


IMPORT_HEADER = ("社員番号", "金額", "備考")


def _parse_amount(text: str) -> int | str | None:
    cleaned = nfkc(text).strip().replace(",", "").removesuffix("円").strip()
    if cleaned == "":
        return None
    if re.fullmatch(r"-?\d{1,12}", cleaned):
        return int(cleaned)
    return "bad"


@transaction.atomic
def import_bonus_amounts(
    *, company: Company, actor: User, membership: Membership, run: PayrollRun, data: bytes
) -> PayrollRun:
    """A CSV ``社員番号,金額[,備考]`` (UTF-8 or Shift_JIS; a header row is skipped): every line
    checked first; any problem refuses the whole file with the problems by line, nothing written.
    The amounts of the people listed are replaced (an empty 金額 removes one); others keep theirs."""
    require_role(membership, *RUN_ROLES)
    run = _draft_bonus(company, run)
    text, _encoding = decode_upload(data)
    rows: list[AmountIn] = []
    where: list[str] = []
    problems: list[str] = []
    for line, raw in read_rows(text):
        cells = [nfkc(c).strip() for c in raw]
        if not any(cells):
            continue
        if not rows and not where and not problems and cells[0] == IMPORT_HEADER[0]:
            continue
        label = _("%(line)d行目") % {"line": line}
        if len(rows) + len(problems) >= MAX_IMPORT_ROWS:
            raise _fail(_("行が多すぎます(%(n)d行まで)。") % {"n": MAX_IMPORT_ROWS}, "file", "too_many")
        number = cells[0]
        amount = _parse_amount(cells[1] if len(cells) > 1 else "")
        if not number:
            problems.append(_("%(w)s: 社員番号がありません。") % {"w": label})
            continue
        if amount == "bad":
            problems.append(
                _("%(w)s: 金額「%(a)s」は円単位の数字で入力してください。") % {"w": label, "a": cells[1]}
            )
            continue
        rows.append(
            AmountIn(number, amount if isinstance(amount, int) else None, cells[2] if len(cells) > 2 else "")
        )
        where.append(label)
    if not rows and not problems:
        raise _fail(_("取り込む行がありません。"), "file", "empty")
    people = _payees_by_number(company, run)
    problems += _check_rows(people, rows, where)
    if problems:
        problems.sort(key=_line_number)
        raise _refusal(_("取り込めませんでした。何も登録していません。"), "file", problems)
    return _save(company, actor, run, people, rows, "import")


def _line_number(problem: str) -> int:
    found = re.match(r"(\d+)", problem)
    return int(found.group(1)) if found else 0
