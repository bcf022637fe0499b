"""The playbook (条項メモ): 法務's reusable notes per kind of clause. Kept by 法務 and 管理者; a note no
longer used is deactivated (comments that used it keep pointing at it), never deleted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal import permissions_reviews as permissions
from ennoshita.legal.models import PlaybookClause

from .base import fail

FIELDS = ("title", "category", "guidance", "suggested_text", "is_active")


@dataclass(frozen=True)
class ClauseInput:
    title: str
    guidance: str
    category: str = ""
    suggested_text: str = ""


def _check(membership: Membership) -> None:
    if not permissions.manages_reviews(membership):
        raise PermissionDeniedError(_("条項メモは法務が登録します。"))


def _clean(company: Company, data: ClauseInput, exclude: int | None = None) -> dict[str, str]:
    values = {
        "title": (data.title or "").strip(),
        "category": (data.category or "").strip(),
        "guidance": (data.guidance or "").strip(),
        "suggested_text": (data.suggested_text or "").strip(),
    }
    errors: dict[str, list[str]] = {}
    if not values["title"]:
        errors["title"] = [_("条項の見出しを入力してください。")]
    elif len(values["title"]) > 200:
        errors["title"] = [_("200文字以内で入力してください。")]
    elif (
        PlaybookClause.objects.for_company(company).filter(title=values["title"]).exclude(pk=exclude).exists()
    ):
        errors["title"] = [_("同じ見出しの条項メモがあります。")]
    if len(values["category"]) > 100:
        errors["category"] = [_("100文字以内で入力してください。")]
    if not values["guidance"]:
        errors["guidance"] = [_("確認の観点を入力してください。")]
    for name in ("guidance", "suggested_text"):
        if len(values[name]) > 5000:
            errors[name] = [_("5000文字以内で入力してください。")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="validation", field_errors=errors)
    return values


def _duplicate() -> ServiceError:
    return fail("title", _("同じ見出しの条項メモがあります。"))


@transaction.atomic
def create_playbook_clause(
    *, company: Company, actor: User, membership: Membership, data: ClauseInput
) -> PlaybookClause:
    _check(membership)
    values = _clean(company, data)
    try:
        with transaction.atomic():
            clause = PlaybookClause.objects.create(company=company, created_by=actor, **values)
    except IntegrityError as exc:
        raise _duplicate() from exc
    record_event(
        company=company, actor=actor, action="create", instance=clause, after=snapshot(clause, FIELDS)
    )
    return clause


def _get(company: Company, clause: PlaybookClause) -> PlaybookClause:
    found = PlaybookClause.objects.for_company(company).select_for_update().filter(pk=clause.pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def update_playbook_clause(
    *, company: Company, actor: User, membership: Membership, clause: PlaybookClause, data: ClauseInput
) -> PlaybookClause:
    _check(membership)
    clause = _get(company, clause)
    values = _clean(company, data, exclude=clause.pk)
    before = snapshot(clause, FIELDS)
    for key, value in values.items():
        setattr(clause, key, value)
    try:
        with transaction.atomic():
            clause.save()
    except IntegrityError as exc:
        raise _duplicate() from exc
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=clause,
        before=before,
        after=snapshot(clause, FIELDS),
    )
    return clause


@transaction.atomic
def set_playbook_clause_active(
    *, company: Company, actor: User, membership: Membership, clause: PlaybookClause, active: bool
) -> PlaybookClause:
    """Deactivate (or use again) a clause note."""
    _check(membership)
    clause = _get(company, clause)
    if clause.is_active == active:
        return clause
    before = snapshot(clause, FIELDS)
    clause.is_active = active
    clause.save(update_fields=["is_active", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="deactivate" if not active else "activate",
        instance=clause,
        before=before,
        after=snapshot(clause, FIELDS),
    )
    return clause
