"""The backup screen (管理 → バックアップ): start a backup (run by the worker, with progress),
set the scheduled backup, list and download archives.

A backup holds the whole installation (every company), so the screen is for admins, and when
the installation serves more than one company only for admins who are also superusers: a company
admin must never download another company's data (tenancy). Downloads take a file name only from
the listing of the backup folder; any other name is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .audit import record_event
from .backup import list_archives
from .backup_jobs import backup_runner
from .errors import ServiceError
from .forms import BackupScheduleForm, apply_service_error
from .jobs import start_job
from .models import Company, Role
from .schedule import SCHEDULED_BACKUP, backup_schedule
from .web import role_required

BACKUP_KIND = f"{backup_runner.__module__}.{backup_runner.__qualname__}"


def _check_installation_admin(request: HttpRequest) -> None:
    if request.user.is_superuser:
        return
    if Company.objects.count() > 1:
        raise PermissionDenied(
            _("複数の会社があるため、バックアップはシステム管理者（スーパーユーザー）だけが扱えます。")
        )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def backups(request: HttpRequest) -> HttpResponseBase:
    _check_installation_admin(request)
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    schedule = backup_schedule()
    form = BackupScheduleForm(
        initial={"enabled": schedule.enabled, "hour": schedule.hour, "keep": schedule.keep}
    )
    if request.method == "POST" and request.POST.get("action") == "schedule":
        form = BackupScheduleForm(request.POST)
        if form.is_valid():
            try:
                services.update_backup_schedule(
                    company=company,
                    actor=request.user,  # type: ignore[arg-type]
                    membership=membership,
                    **form.cleaned_data,
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("定期バックアップの設定を保存しました。"))
                return redirect("core:backups")
    elif request.method == "POST":
        job = start_job(
            company=company,
            actor=request.user,  # type: ignore[arg-type]
            runner=backup_runner,
            label=_("バックアップ"),
        )
        return redirect(reverse("core:backups") + f"?job={job.pk}")
    jobs = selectors.recent_jobs(company=company, kind=BACKUP_KIND)
    watched = next((j for j in jobs if str(j.pk) == request.GET.get("job")), None)
    context = {
        "archives": list_archives(),
        "form": form,
        "schedule": schedule,
        "jobs": [j for j in jobs if j is not watched],
        "watched": watched,
        "scheduled_runs": selectors.recent_scheduled_runs(name=SCHEDULED_BACKUP.name),
    }
    return render(request, "core/backups.html", context)


@role_required(Role.ADMIN)
def backup_download(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    _check_installation_admin(request)
    found = {a.name: a for a in list_archives()}.get(name)
    if found is None:
        raise Http404
    with transaction.atomic():
        record_event(
            company=request.company,  # type: ignore[attr-defined]
            actor=request.user,  # type: ignore[arg-type]
            action="backup_download",
            object_type="core.backup",
            object_id=found.name,
            object_repr=found.name,
        )
    response = FileResponse(open(found.path, "rb"), as_attachment=True, filename=found.name)  # noqa: SIM115
    response["Content-Type"] = "application/gzip"
    response["X-Content-Type-Options"] = "nosniff"
    return response
