"""Confirming a payroll run (確定, issue 9): final. In one transaction, all or nothing: the run
row-locked and checked (a draft, with payslips, no anomaly of level "error", figures that add up),
the 全銀 給与振込 file made and filed in 文書 (「給与振込データ」, readable by 経理 and the admin),
ONE journal entry posted through ``ledger.services.post_entry`` dated the pay date (posting.py),
the payslips published, the run marked confirmed, one audit event with the totals; after commit,
a mail to each employee with a login telling them their payslip is there.

A confirmed run is never changed or confirmed again: a mistake found later is put right by a
correction run (a later slice) or in the next run (再計算), each posted and audited on its own.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.documents import services as document_services
from ennoshita.ledger import services as ledger_services
from ennoshita.payroll import posting, transfer
from ennoshita.payroll.models import PayrollRun, Payslip, RunKind, RunStatus
from ennoshita.payroll.permissions import CONFIRM_ROLES
from ennoshita.payroll.selectors import confirm as selectors
from ennoshita.payroll.services import payslip_documents

logger = logging.getLogger(__name__)

SOURCE_TYPE = "payroll.run"  # settings.ENNOSHITA_ENTRY_SOURCES["payroll.run"] = "payroll:run_detail"
FOLDER = "給与振込データ"  # not purchasing's 「振込データ」: pay is seen by 経理 and the admin only
DOCUMENT_TYPE = ""  # a transfer file is none of 電帳法's 書類の種類 (as purchasing files its own)
RUN_FIELDS = (
    "status",
    "headcount",
    "gross_total",
    "deduction_total",
    "net_total",
    "journal_entry_id",
    "transfer_document_id",
    "confirmed_at",
)


def _locked(company: Company, run: PayrollRun) -> PayrollRun:
    found = PayrollRun.objects.for_company(company).select_for_update().filter(pk=run.pk).first()
    if found is None:
        raise NotFound()
    return found


def _refuse(message: str, code: str, field: str, problems: list[str]) -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: problems})


def _check(run: PayrollRun, payslips: list[Payslip]) -> list[posting.SlipFigures]:
    if run.status == RunStatus.CONFIRMED:
        raise ServiceError(
            _("この給与計算は確定済みです。確定した給与は変更できません(訂正は訂正の計算で行います)。"),
            code="bad_state",
        )
    if run.status != RunStatus.DRAFT:
        raise ServiceError(
            _("「%(status)s」の給与計算は確定できません。") % {"status": run.get_status_display()},
            code="bad_state",
        )
    if not payslips:
        raise ServiceError(_("明細が1件もない給与計算は確定できません。"), code="empty")
    anomalies = selectors.blocking_anomalies(payslips)
    if anomalies:
        raise _refuse(
            _("確認事項(エラー)が %(n)d 件あるため確定できません。直してから再計算してください。")
            % {"n": len(anomalies)},
            "anomalies",
            "anomalies",
            anomalies,
        )
    figures, problems = selectors.figures_and_problems(payslips)
    totals = (
        sum(f.gross for f in figures),
        sum(f.gross - f.net for f in figures),
        sum(f.net for f in figures),
    )
    if not problems and totals != (int(run.gross_total), int(run.deduction_total), int(run.net_total)):
        problems.append(
            _("給与計算の合計(総支給 %(g)s円・控除 %(d)s円・差引 %(n)s円)が明細の合計と合いません。")
            % {"g": f"{run.gross_total:,}", "d": f"{run.deduction_total:,}", "n": f"{run.net_total:,}"}
        )
    if problems:
        raise _refuse(
            _("明細の数字が合わないため確定できません。再計算してください。"),
            "validation",
            "payslips",
            problems,
        )
    return figures


def _file_transfers(
    company: Company, actor: User, run: PayrollRun, payslips: list[Payslip]
) -> tuple[int | None, int]:
    """Make and file the 全銀 file; (document id, total) or (None, 0) when no one is transferred."""
    try:
        transfers = transfer.transfers_of(payslips)
    except ValueError as error:
        raise _refuse(_("振込データを作れません。"), "validation", "transfers", [str(error)]) from None
    if not transfers:
        return None, 0
    data = transfer.build_file(settings_row=selectors.settings_row(company), run=run, transfers=transfers)
    total = sum(t.amount for t in transfers)
    people = len({t.payslip_id for t in transfers})
    label = selectors.run_label(run)
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=FOLDER,
        roles=tuple(str(r) for r in CONFIRM_ROLES),
        name=transfer.file_name(run),
        data=data,
        transaction_date=run.pay_date,
        transaction_amount=total,
        counterparty=_("給与振込 %(n)d名") % {"n": people},
        document_type=DOCUMENT_TYPE,
        text=f"{label} {run.pay_date:%Y-%m-%d} 給与振込 {len(transfers)}件 {total}円",
    )
    return document.pk, total


@transaction.atomic
def confirm_run(*, company: Company, actor: User, membership: Membership, run: PayrollRun) -> PayrollRun:
    """確定: file the transfer file, post the entry, publish the payslips. Any refusal writes
    nothing: the run stays a draft, with no entry and no document."""
    require_role(membership, *CONFIRM_ROLES)
    run = _locked(company, run)
    payslips = list(selectors.payslips_of(run))
    figures = _check(run, payslips)
    document_id, transferred = _file_transfers(company, actor, run, payslips)
    label = selectors.run_label(run)
    lines = posting.postings(figures=figures, label=label, bonus=run.kind == RunKind.BONUS)
    try:
        inputs = posting.ledger_lines(company=company, lines=lines)
    except ValueError as error:
        raise _refuse(_("仕訳を記帳できません。"), "no_account", "ledger", [str(error)]) from None
    group = getattr(run.pay_group, "name", "")
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=run.pay_date,
        lines=inputs,
        memo=f"給与計算 {label} {group}".strip(),
        source_type=SOURCE_TYPE,
        source_id=str(run.pk),
        source_repr=f"{label} {group}".strip(),
    )
    now = timezone.now()
    Payslip.objects.filter(company=company, run=run).update(published_at=now)
    before = snapshot(run, RUN_FIELDS)
    run.status = RunStatus.CONFIRMED
    run.confirmed_by = actor
    run.confirmed_at = now
    run.journal_entry_id = entry.pk
    run.transfer_document_id = document_id
    run.save(
        update_fields=["status", "confirmed_by", "confirmed_at", "journal_entry_id", "transfer_document_id"]
    )
    record_event(
        company=company,
        actor=actor,
        action="confirm",
        instance=run,
        before=before,
        after=snapshot(run, RUN_FIELDS),
        extra={
            "headcount": len(payslips),
            "gross": sum(f.gross for f in figures),
            "net": sum(f.net for f in figures),
            "income_tax": sum(f.income_tax for f in figures),
            "resident_tax": sum(f.resident_tax for f in figures),
            "social_insurance": sum(f.social_insurance for f in figures),
            "employment_insurance": sum(f.employment for f in figures),
            "employer_premiums": sum(f.employer for f in figures),
            "transferred": transferred,
            "published_payslips": len(payslips),
            "entry_total": posting.totals(lines)[0],
        },
    )
    transaction.on_commit(partial(_after_commit, company, actor, run, [p.pk for p in payslips]))
    return run


def _after_commit(company: Company, actor: User, run: PayrollRun, payslip_ids: list[int]) -> None:
    """Once confirmed: start the job that files each payslip's PDF in 文書 (「給与明細」,
    services/payslip_documents.py; a failure to queue it is logged, the job can be started again),
    then the mails."""
    payslip_documents.queue_filing(company, actor, run.pk)
    _tell_employees(company, run, payslip_ids)


# ------------------------------------------------------------------------------ the mails
def _tell_employees(company: Company, run: PayrollRun, payslip_ids: list[int]) -> int:
    """One mail to each paid employee who has an active login with an address (the project has no
    in-app notices; attendance's 36協定 alerts mail the same way). A mail that cannot be handed
    over is logged: the payslip is on the screen all the same. Returns the mails sent."""
    try:
        path = reverse("payroll:my_payslips")
    except NoReverseMatch:  # the payslips part names this screen
        path = ""
    label = selectors.run_label(run)
    slips = Payslip.objects.filter(company=company, pk__in=payslip_ids).select_related("employee__user")
    sent = 0
    for slip in slips:
        user = slip.employee.user
        if user is None or not user.is_active or not user.email:
            continue
        body = [
            _("%(name)s さん") % {"name": slip.employee_name},
            "",
            _("%(label)s(支給日 %(day)s)の給与明細を公開しました。")
            % {"label": label, "day": f"{run.pay_date:%Y-%m-%d}"},
        ]
        if path:
            body.append(_("Ennoshita の「給与明細」(%(path)s)で確認してください。") % {"path": path})
        mail = EmailMessage(
            subject=_("[%(company)s] %(label)s の給与明細") % {"company": company.name, "label": label},
            body="\n".join(body),
            from_email=django_settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        try:
            mail.send(fail_silently=False)
        except OSError:
            logger.exception("payslip mail to user %s failed", user.pk)
            continue
        sent += 1
    return sent
