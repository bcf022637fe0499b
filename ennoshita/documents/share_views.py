"""文書 screens: sharing a folder or a document, and taking a share back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required

from . import selectors, services
from .document_views import _document_page, _get
from .forms import (
    ShareForm,
)
from .view_helpers import _ctx, _departments, _members, _refuse, _scope
from .views import _folder_page


def _add_share(request: HttpRequest, form: ShareForm, **target: Any) -> bool:
    """Validate and add one share; on refusal, the errors are on the form's fields."""
    if not form.is_valid():
        return False
    try:
        services.share(
            **_ctx(request),
            **target,
            grantee_kind=form.cleaned_data["grantee_kind"],
            grantee=form.grantee(),
            permission=form.cleaned_data["permission"],
            expires_at=form.expires_at(),
        )
    except ServiceError as exc:
        _refuse(exc)
        if "expires_at" in exc.field_errors:
            exc.field_errors["expires_on"] = exc.field_errors.pop("expires_at")
        if "grantee" in exc.field_errors:
            field = {"role": "role", "user": "user", "department": "department"}.get(
                form.cleaned_data["grantee_kind"], "grantee_kind"
            )
            exc.field_errors[field] = exc.field_errors.pop("grantee")
        apply_service_error(form, exc)
        return False
    messages.success(request, _("共有を追加しました。"))
    return True


@require_POST
@membership_required
def folder_share(request: HttpRequest, pk: int) -> HttpResponse:
    folder = selectors.get_folder(**_scope(request), folder_id=pk)
    form = ShareForm(request.POST, members=_members(request), departments=_departments(request))
    if _add_share(request, form, folder=folder):
        return redirect(reverse("documents:folder", args=[folder.pk]) + "#share")
    return _folder_page(request, folder, status=400, share_form=form)


@require_POST
@membership_required
def document_share(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(request, pk)
    form = ShareForm(request.POST, members=_members(request), departments=_departments(request))
    if _add_share(request, form, document=document):
        return redirect(reverse("documents:document", args=[document.pk]) + "#sharing")
    return _document_page(request, document, status=400, share_form=form)


@require_POST
@membership_required
def share_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    services.revoke_share(**_ctx(request), share_id=share_id)
    messages.success(request, _("共有を取り消しました。"))
    doc = request.POST.get("document", "")
    if doc.isdigit():
        return redirect(reverse("documents:document", args=[int(doc)]) + "#sharing")
    back = request.POST.get("folder", "")
    if back.isdigit():
        return redirect(reverse("documents:folder", args=[int(back)]) + "#share")
    return redirect("documents:home")
