"""Writes of 人事 master data: what every one of them shares (roles that write, field errors)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Role

HR_WRITERS = (Role.ADMIN, Role.HR)


def _fail(field: str, message: str) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors={field: [message]})


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ServiceError.from_validation_error(exc) from exc


def _save_unique(obj: Any, field: str, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise _fail(field, message) from exc
