"""健康診断's writes: what the checkup writes share — the fields an audit event of a checkup shows
(never the encrypted contents), its row lock and save, and the date and error checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Checkup, CheckupStatus
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, User

CHECKUP_FIELDS = (
    "employee",
    "kind",
    "fiscal_year",
    "due_on",
    "status",
    "clinic",
    "booked_for",
    "examined_on",
    "has_findings",
    "doctor_instructed",
    "note",
    "result_notified_on",
    "opinion_due_on",
    "opinion_on",
    "keep_until",
)
OPEN_STATUSES = (CheckupStatus.PLANNED, CheckupStatus.BOOKED)
MAX_TEXT = 5000


def _repr(checkup: Checkup) -> str:
    return f"{checkup.employee} {checkup.get_kind_display()} {checkup.due_on.isoformat()}"


def _save(
    company: Company, actor: User | None, checkup: Checkup, before: dict[str, Any], action: str, **extra: Any
) -> None:
    checkup.save()
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=checkup,
        object_repr=_repr(checkup),
        before=before,
        after=snapshot(checkup, fields=CHECKUP_FIELDS),
        extra=extra or None,
    )


def _locked(company: Company, checkup: Checkup) -> Checkup:
    found = (
        Checkup.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk=checkup.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _check_date(errors: dict[str, list[str]], name: str, value: Any, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[name] = [_("日付を入力してください。")]
    elif not isinstance(value, date):
        errors[name] = [_("日付が正しくありません。")]


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _status_error(checkup: Checkup) -> ServiceError:
    return ServiceError(
        _("この健康診断は「%(s)s」のため、この操作はできません。") % {"s": checkup.get_status_display()},
        code="invalid_state",
    )


def _need_date(errors: dict[str, list[str]], name: str, value: Any) -> None:
    if not isinstance(value, date):
        errors[name] = [_("日付を入力してください。")]
    elif value > timezone.localdate():
        errors[name] = [_("未来の日付は入力できません。")]
