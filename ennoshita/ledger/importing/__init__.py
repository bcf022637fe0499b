"""仕訳CSV取込: a journal from 弥生会計 (仕訳日記帳, 弥生インポート形式) or in our generic layout.

Every row is checked first, without writing: the account exists and is in use, the sub-account
belongs to it, the department and the 税区分 are known, amounts are whole yen, the date is inside
an open fiscal year and an unlocked month, and every voucher balances (after its tax). Any error →
nothing is written and the result lists every bad row (line, column, message in Japanese). When
all is good, every voucher is posted through ``services.post_entry`` (source_type
``ledger.import``) in ONE transaction: all of them, or none.

Big files run as a background job (:func:`start_import` → :func:`import_runner`), with progress.
The formats are described in ``ledger.interchange`` and docs/ledger-csv.md.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.csvio import decode_upload
from ennoshita.core.errors import ServiceError
from ennoshita.core.jobs import Progress, job_runner, start_job
from ennoshita.core.models import Company, Job, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.ledger.permissions import WRITE_ROLES

from .cells import parse_date, parse_yen
from .generic import GENERIC_HEADERS, GENERIC_IGNORED
from .results import (
    MAX_ERRORS_IN_JOB,
    MAX_ROWS,
    PREVIEW_ROWS,
    SOURCE_TYPE,
    ImportResult,
    ParsedLine,
    PreviewRow,
    ProgressFn,
    RowError,
    Voucher,
)
from .run import check_journal, import_journal

__all__ = [
    "GENERIC_HEADERS",
    "GENERIC_IGNORED",
    "MAX_ERRORS_IN_JOB",
    "MAX_ROWS",
    "PREVIEW_ROWS",
    "SOURCE_TYPE",
    "ImportResult",
    "ParsedLine",
    "PreviewRow",
    "ProgressFn",
    "RowError",
    "Voucher",
    "check_journal",
    "import_journal",
    "import_runner",
    "parse_date",
    "parse_yen",
    "start_import",
]

# The runner stays here, so that its job kind (module + qualname) is still
# "ennoshita.ledger.importing.import_runner" and importing the package registers it.


def start_import(
    *, company: Company, actor: User, membership: Membership, data: bytes, layout: str, filename: str
) -> Job:
    """Queue the import for the worker (the screen watches the job). The caller checks first; the
    job checks again, since the books may change in between."""
    require_role(membership, *WRITE_ROLES)
    text, _encoding = decode_upload(data)
    return start_job(
        company=company,
        actor=actor,
        runner=import_runner,
        label=_("仕訳CSV取込: %(file)s") % {"file": filename[:120]},
        params={
            "layout": layout,
            "filename": filename[:200],
            "sha256": hashlib.sha256(data).hexdigest(),
            "text": text,
        },
    )


def _error_summary(errors: list[RowError]) -> str:
    head = _("%(n)d 件の誤りがあり、1件も取り込んでいません。") % {"n": len(errors)}
    lines = [
        _("%(line)d 行目 %(col)s: %(msg)s") % {"line": e.line, "col": e.column or "—", "msg": e.message}
        for e in errors[:MAX_ERRORS_IN_JOB]
    ]
    more = (
        [_("…ほか %(n)d 件") % {"n": len(errors) - MAX_ERRORS_IN_JOB}]
        if len(errors) > MAX_ERRORS_IN_JOB
        else []
    )
    return "\n".join([head, *lines, *more])


@job_runner
def import_runner(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side of :func:`start_import`. The file's text is dropped from the job once read."""
    params = dict(job.params)
    text = params.pop("text", "")
    Job.objects.filter(pk=job.pk).update(params=params)
    membership = (
        Membership.objects.for_company(job.company).filter(user=job.created_by, is_active=True).first()
    )
    if membership is None or not membership.has_any_role(*WRITE_ROLES):
        raise ServiceError(_("仕訳の取込には経理の権限が必要です。"), code="forbidden")
    progress(0, 1, _("ファイルを確認しています"))
    result = import_journal(
        company=job.company,
        actor=job.created_by,
        membership=membership,
        data=text.encode("utf-8"),
        layout=params["layout"],
        filename=params.get("filename", ""),
        ref=f"job{job.pk}",
        progress=progress,
        actor_label=f"{SOURCE_TYPE} (job {job.pk})",
    )
    if result.errors:
        raise ServiceError(_error_summary(result.errors), code="validation")
    return {"entries": result.posted, "rows": result.rows, "filename": params.get("filename", "")}
