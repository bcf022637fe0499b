"""What the 登記・機関 writes share: errors, row locks, the audited fields, the status table of a
registry change, the charter lookup and the text clean-up."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company
from ennoshita.core.text import nfkc
from ennoshita.legal.models import CharterSettings, RegistryChange

M = TypeVar("M", bound=Model)
NOTIFY_KIND = "legal.registry"
JOB_LABEL = "登記・機関の期限管理(自動)"

CHARTER_FIELDS = (
    "is_public_company",
    "has_board",
    "director_term_years",
    "auditor_term_years",
    "agm_months_after_year_end",
)
OFFICER_FIELDS = (
    "name",
    "name_kana",
    "position",
    "user",
    "elected_on",
    "took_office_on",
    "term_years",
    "term_ends_on",
    "left_on",
    "leave_reason",
    "previous",
)
CHANGE_FIELDS = (
    "item",
    "content",
    "effective_on",
    "deadline_on",
    "filed_on",
    "registered_on",
    "officer",
    "note",
)
MEETING_FIELDS = ("kind", "title", "held_on", "record_date", "resolutions", "minutes", "keep_minutes_until")

# a registry change: 未申請 → 申請済み → 登記完了 (derived from its dates)
PENDING, FILED, REGISTERED = "pending", "filed", "registered"
CHANGE_TRANSITIONS: dict[str, tuple[str, ...]] = {PENDING: (FILED,), FILED: (REGISTERED,), REGISTERED: ()}


def change_state(change: RegistryChange) -> str:
    if change.registered_on is not None:
        return REGISTERED
    if change.filed_on is not None:
        return FILED
    return PENDING


def fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def refuse(field: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def locked(company: Company, model: type[M], pk: int) -> M:
    found = model.objects.for_company(company).select_for_update(of=("self",)).filter(pk=pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise NotFound()
    return found


def text(value: str, *, keep_lines: bool = False) -> str:
    return (value or "").strip() if keep_lines else " ".join(nfkc(value or "").split())


def check_length(errors: dict[str, list[str]], name: str, value: str, limit: int, required: str = "") -> None:
    if required and not value:
        errors[name] = [required]
    elif len(value) > limit:
        errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]


def charter_of(company: Company) -> CharterSettings | None:
    return CharterSettings.objects.for_company(company).first()


def require_charter(company: Company) -> CharterSettings:
    charter = charter_of(company)
    if charter is None:
        message = _("先に定款の設定(役員の任期・定時株主総会の時期)を登録してください。")
        raise ServiceError(message, code="no_charter", field_errors={"__all__": [message]})
    return charter


def not_too_far(errors: dict[str, list[str]], name: str, day: date | None, *, future_days: int = 366) -> None:
    """Dates of the registry: not before 1900, and not more than a year ahead."""
    if day is None:
        return
    if day.year < 1900:
        errors[name] = [_("日付が正しくありません。")]
    elif (day - timezone.localdate()).days > future_days:
        errors[name] = [_("1年より先の日付は入力できません。")]
