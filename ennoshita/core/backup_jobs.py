"""The backup an admin starts from the screen, run by the worker with its progress shown."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import record_event
from .backup import BackupError, create_backup
from .errors import ServiceError
from .jobs import Progress, job_runner
from .models import Job


@job_runner
def backup_runner(job: Job, progress: Progress) -> dict[str, Any]:
    def step(done: int, total: int, what: str) -> None:
        label = _("データベースを保存しています") if what == "database" else _("ファイルをまとめています")
        progress(done, total, f"{label} ({done}/{total})")

    try:
        result = create_backup(progress=step)
    except BackupError as exc:
        raise ServiceError(_("バックアップに失敗しました: %(error)s") % {"error": exc}) from exc
    with transaction.atomic():
        record_event(
            company=job.company,
            actor=job.created_by,
            action="backup",
            object_type="core.backup",
            object_id=result.path.name,
            object_repr=result.path.name,
        )
    return {
        "archive": result.path.name,
        "files": len(result.manifest["files"]) - 1,
        "size": result.path.stat().st_size,
    }
