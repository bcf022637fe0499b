"""The backup screen (管理 → バックアップ): list the archives, start one, download one.

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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .audit import record_event
from .backup import BackupError, create_backup, list_archives
from .models import Company, Role
from .web import role_required


def _check_installation_admin(request: HttpRequest) -> None:
    if request.user.is_superuser:
        return
    if Company.objects.count() > 1:
        raise PermissionDenied(
            _("複数の会社があるため、バックアップはシステム管理者（スーパーユーザー）だけが扱えます。")
        )


def _record(request: HttpRequest, action: str, name: str) -> None:
    with transaction.atomic():
        record_event(
            company=request.company,  # type: ignore[attr-defined]
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            object_type="core.backup",
            object_id=name,
            object_repr=name,
        )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def backups(request: HttpRequest) -> HttpResponseBase:
    _check_installation_admin(request)
    if request.method == "POST":
        try:
            result = create_backup()
        except BackupError as exc:
            messages.error(request, _("バックアップに失敗しました: %(error)s") % {"error": exc})
        else:
            _record(request, "backup", result.path.name)
            messages.success(
                request,
                _("バックアップを作成しました: %(name)s（ファイル %(files)s 件）")
                % {"name": result.path.name, "files": len(result.manifest["files"]) - 1},
            )
        return redirect("core:backups")
    return render(request, "core/backups.html", {"archives": list_archives()})


@role_required(Role.ADMIN)
def backup_download(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    _check_installation_admin(request)
    found = {a.name: a for a in list_archives()}.get(name)
    if found is None:
        raise Http404
    _record(request, "backup_download", found.name)
    response = FileResponse(open(found.path, "rb"), as_attachment=True, filename=found.name)  # noqa: SIM115
    response["Content-Type"] = "application/gzip"
    response["X-Content-Type-Options"] = "nosniff"
    return response
