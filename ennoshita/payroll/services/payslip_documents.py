"""給与明細 kept as documents: after a run is confirmed, every published payslip's PDF is rendered
once and filed in 文書, in the restricted folder 「給与明細」 (readable by 経理 and the admin, the
roles that confirm: ``CONFIRM_ROLES``), as an 電子取引 record with the search keys 電子帳簿保存法
asks for (取引年月日 = the pay date, 取引金額 = 差引支給額, 取引先 = the employee; 施行規則4条1項,
jp-rules §7), and its 保存期間. The employee's own download then serves those filed bytes, so the
PDF a person received never changes afterwards.

A run may have 10,000 payslips, so the filing is a background job (core.jobs) that
``confirm_run`` starts after its transaction commits. The job is idempotent: it takes only the
payslips without a ``document_id``, in batches of ``PAYROLL_PAYSLIP_FILING_BATCH`` (100), each
batch in one transaction (the documents, ``Payslip.document_id`` and one audit event per payslip
together); a crash loses at most the batch in hand, and running the job again files the rest.
docs/domains/payroll.md, 「給与明細の文書保存」.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.jobs import Progress, job_runner, start_job
from ennoshita.core.models import Company, Job, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.documents import services as document_services
from ennoshita.payroll.models import PayrollRun, Payslip, PayslipLine, RunKind, RunStatus
from ennoshita.payroll.pdf import payslip_pdf
from ennoshita.payroll.permissions import CONFIRM_ROLES
from ennoshita.payroll.selectors import confirm as confirm_selectors
from ennoshita.payroll.selectors.payslips import payslip_sheet

__all__ = [
    "FOLDER",
    "FilingResult",
    "file_name",
    "file_payslip_documents",
    "file_payslip_documents_job",
    "queue_filing",
    "start_filing_job",
]

FOLDER = "給与明細"  # a folder of its own: pay is seen by 経理 and the admin only (as 「給与振込データ」)
DOCUMENT_TYPE = ""  # a payslip is none of 電帳法's 書類の種類 (請求書・領収書 …)
BATCH = 100  # payslips filed per transaction (settings.PAYROLL_PAYSLIP_FILING_BATCH)
TITLES: dict[str, str] = {
    RunKind.SALARY: "給与明細",
    RunKind.BONUS: "賞与明細",
    RunKind.CORRECTION: "給与明細(訂正)",
}
logger = logging.getLogger(__name__)
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f/\\\s]+")  # 文書 refuses separators and control characters


@dataclass(frozen=True)
class FilingResult:
    total: int  # published payslips of the run
    filed: int  # filed by this call
    already: int  # filed before (skipped)


def _batch_size() -> int:
    return max(1, int(getattr(django_settings, "PAYROLL_PAYSLIP_FILING_BATCH", BATCH)))


def _title(run: PayrollRun) -> str:
    return TITLES.get(run.kind, "給与明細")


def file_name(payslip: Payslip, run: PayrollRun) -> str:
    """給与明細_20250425_1001_山田太郎_<payslip id>.pdf: unique per payslip (the id), so filing is
    keyed by it, and readable in 文書's list."""
    number = _NOT_IN_NAMES.sub("_", payslip.employee_number).strip("_") or "-"
    name = _NOT_IN_NAMES.sub("", payslip.employee_name)[:40] or "-"
    return f"{_title(run)}_{run.pay_date:%Y%m%d}_{number}_{name}_{payslip.pk}.pdf"


def _search_text(payslip: Payslip, run: PayrollRun, label: str) -> str:
    """What 文書's search finds (the PDF's own text is not read back: it is ours)."""
    return " ".join(
        part
        for part in (
            _title(run),
            label,
            f"支給日 {run.pay_date:%Y-%m-%d}",
            payslip.employee_number,
            payslip.employee_name,
            payslip.department_name,
            f"総支給額 {int(payslip.gross)}円",
            f"控除合計 {int(payslip.deduction_total)}円",
            f"差引支給額 {int(payslip.net)}円",
        )
        if part
    )


def _generated(company: Company, run: PayrollRun, payslip: Payslip, label: str) -> Any:
    data = payslip_pdf(company=company, sheet=payslip_sheet(payslip))
    return document_services.GeneratedFile(
        name=file_name(payslip, run),
        data=data,
        transaction_date=run.pay_date,
        # 取引金額 is never negative in 文書; a correction's negative net keeps its sign in the text
        transaction_amount=abs(int(payslip.net)),
        counterparty=payslip.employee_name,
        document_type=DOCUMENT_TYPE,
        text=_search_text(payslip, run, label),
    )


def _pending(company: Company, run: PayrollRun) -> Any:
    return Payslip.objects.filter(
        company=company, run=run, published_at__isnull=False, document_id__isnull=True
    )


def _file_batch(company: Company, actor: User, run: PayrollRun, ids: list[int], label: str) -> int:
    """File one batch in one transaction; payslips filed meanwhile (another job) are skipped."""
    lines = PayslipLine.objects.order_by("kind", "sort_order", "pk")
    with transaction.atomic():
        slips = list(
            _pending(company, run)
            .filter(pk__in=ids)
            .select_for_update(of=("self",))
            .select_related("run", "run__pay_group")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("pk")
        )
        if not slips:
            return 0
        documents = document_services.file_generated_documents(
            company=company,
            actor=actor,
            folder_name=FOLDER,
            roles=tuple(str(r) for r in CONFIRM_ROLES),
            files=[_generated(company, run, p, label) for p in slips],
        )
        for slip, document in zip(slips, documents, strict=True):
            slip.document_id = document.pk
        Payslip.objects.bulk_update(slips, ["document_id"])
        record_events(
            company=company,
            actor=actor,
            events=[
                EventInput(
                    "file_document",
                    slip,
                    before={"document_id": None},
                    after={"document_id": slip.document_id},
                    extra={"run": run.pk, "folder": FOLDER},
                )
                for slip in slips
            ],
        )
    return len(slips)


def file_payslip_documents(
    *, company: Company, actor: User, run: PayrollRun, progress: Progress | None = None
) -> FilingResult:
    """File the PDF of every published payslip of a confirmed run that has none yet (the work of the
    job; safe to repeat). Each batch commits on its own: call it outside a transaction."""
    if run.company_id != company.pk:
        raise NotFound()
    if run.status != RunStatus.CONFIRMED:
        raise ServiceError(_("明細のPDFは給与計算を確定してから文書に保存します。"), code="bad_state")
    published = Payslip.objects.filter(company=company, run=run, published_at__isnull=False)
    total = published.count()
    already = published.filter(document_id__isnull=False).count()
    ids = list(_pending(company, run).order_by("pk").values_list("pk", flat=True))
    label = confirm_selectors.run_label(run)
    size = _batch_size()
    done, filed = already, 0
    if progress is not None:
        progress(done, total, _("明細PDFを文書に保存しています"))
    for start in range(0, len(ids), size):
        count = _file_batch(company, actor, run, ids[start : start + size], label)
        filed += count
        done += count
        if progress is not None:
            progress(done, total, _("明細PDFを文書に保存しています"))
    return FilingResult(total=total, filed=filed, already=already)


# ------------------------------------------------------------------------------ the job
@job_runner
def file_payslip_documents_job(job: Job, progress: Progress) -> dict[str, Any]:
    run = PayrollRun.objects.for_company(job.company).filter(pk=job.params["run"]).first()
    if run is None:
        raise ServiceError(_("給与計算が見つかりません。"), code="not_found")
    if job.created_by is None:
        raise ServiceError(_("保存する人が分かりません。"), code="no_actor")
    result = file_payslip_documents(company=job.company, actor=job.created_by, run=run, progress=progress)
    return {"run_id": run.pk, "total": result.total, "filed": result.filed, "already": result.already}


def _start(company: Company, actor: User, run: PayrollRun) -> Job:
    return start_job(
        company=company,
        actor=actor,
        runner=file_payslip_documents_job,
        label=_("明細PDFの文書保存 %(label)s 支給日 %(day)s")
        % {"label": confirm_selectors.run_label(run), "day": f"{run.pay_date:%Y-%m-%d}"},
        params={"run": run.pk},
    )


def queue_filing(company: Company, actor: User, run_id: int) -> Job | None:
    """What ``confirm_run`` runs after its commit: start the job for the run just confirmed (the
    confirmer's permission was checked there). The run is confirmed whatever happens here: a
    failure to queue is logged and returns None (``start_filing_job`` starts it again)."""
    try:
        run = PayrollRun.objects.for_company(company).filter(pk=run_id, status=RunStatus.CONFIRMED).first()
        return _start(company, actor, run) if run is not None else None
    except Exception:
        logger.exception("payslip filing job for run %s could not be queued", run_id)
        return None


def start_filing_job(*, company: Company, actor: User, membership: Membership, run: PayrollRun) -> Job:
    """Start the job again by hand (after a crash, or for a run confirmed before this existed):
    経理 and the admin, for a confirmed run. What is filed already is skipped."""
    require_role(membership, *CONFIRM_ROLES)
    if run.company_id != company.pk:
        raise NotFound()
    if run.status != RunStatus.CONFIRMED:
        raise ServiceError(_("明細のPDFは給与計算を確定してから文書に保存します。"), code="bad_state")
    return _start(company, actor, run)
