"""Changes of the registered items (商号・本店・目的・資本金…): the new content, when it took effect,
the 登記 deadline (2 weeks, 会社法915条1項), and when it was filed and registered.

A change moves 未申請 → 申請済み → 登記完了 (``CHANGE_TRANSITIONS``); a late filing is accepted
(the 登記所 takes it; the 過料 of 976条1号 is the court's matter) and recorded as late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal.models import RegistryChange, RegistryItem
from ennoshita.legal.permissions_registry import require_manager
from ennoshita.legal.rules import registry as rules

from .base import (
    CHANGE_FIELDS,
    CHANGE_TRANSITIONS,
    FILED,
    REGISTERED,
    change_state,
    check_length,
    fail,
    locked,
    not_too_far,
    text,
)


@dataclass(frozen=True)
class ChangeInput:
    item: str
    content: str
    effective_on: date | None
    note: str = ""
    filed_on: date | None = None  # a past change recorded with its filing
    registered_on: date | None = None


def _past(errors: dict[str, list[str]], name: str, day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        errors[name] = [_("未来の日付は入力できません。")]


def _filing_errors(
    errors: dict[str, list[str]], effective_on: date, filed_on: date | None, registered_on: date | None
) -> None:
    _past(errors, "filed_on", filed_on)
    _past(errors, "registered_on", registered_on)
    if filed_on is not None and filed_on < effective_on:
        errors["filed_on"] = [_("申請日は変更の効力発生日(%(d)s)以降にしてください。") % {"d": effective_on}]
    if registered_on is not None and filed_on is None:
        errors["registered_on"] = [_("登記完了日を入れるには申請日も入力してください。")]
    elif registered_on is not None and filed_on is not None and registered_on < filed_on:
        errors["registered_on"] = [_("登記完了日は申請日(%(d)s)以降にしてください。") % {"d": filed_on}]


@transaction.atomic
def record_registry_change(
    *, company: Company, actor: User, membership: Membership, data: ChangeInput
) -> RegistryChange:
    """A change of a registered item, with its deadline (効力発生日 + 14日). Officers' changes come
    from the officer services (appointment, 重任, 退任); other 役員に関する事項 (an address, a
    代表取締役's 住所) may be recorded here."""
    require_manager(membership)
    errors: dict[str, list[str]] = {}
    if data.item not in RegistryItem.values:
        errors["item"] = [_("登記事項を選んでください。")]
    content = text(data.content, keep_lines=True)
    note = text(data.note, keep_lines=True)
    check_length(errors, "content", content, 2000, _("変更後の内容を入力してください。"))
    check_length(errors, "note", note, 2000)
    if data.effective_on is None:
        errors["effective_on"] = [_("変更の効力発生日を入力してください。")]
    else:
        not_too_far(errors, "effective_on", data.effective_on)
        _filing_errors(errors, data.effective_on, data.filed_on, data.registered_on)
    fail(errors)
    assert data.effective_on is not None
    change = RegistryChange.objects.create(
        company=company,
        item=data.item,
        content=content,
        effective_on=data.effective_on,
        deadline_on=rules.filing_deadline(effective_on=data.effective_on),
        filed_on=data.filed_on,
        registered_on=data.registered_on,
        note=note,
        created_by=actor,
    )
    record_change(company=company, actor=actor, instance=change, fields=CHANGE_FIELDS, before=None)
    return change


def _move(change: RegistryChange, to: str) -> None:
    state = change_state(change)
    if to not in CHANGE_TRANSITIONS[state]:
        message = (
            _("この変更は既に申請済みです。")
            if to == FILED
            else _("先に申請日を記録してください。")
            if state == "pending"
            else _("この変更は既に登記が完了しています。")
        )
        raise ServiceError(message, code="invalid_transition", field_errors={f"{to}_on": [message]})


@transaction.atomic
def mark_filed(
    *, company: Company, actor: User, membership: Membership, change: RegistryChange, filed_on: date | None
) -> RegistryChange:
    """申請済み: the day the 登記 was applied for (on or after the change took effect)."""
    require_manager(membership)
    found = locked(company, RegistryChange, change.pk)
    _move(found, FILED)
    errors: dict[str, list[str]] = {}
    if filed_on is None:
        errors["filed_on"] = [_("申請日を入力してください。")]
    else:
        _filing_errors(errors, found.effective_on, filed_on, None)
    fail(errors)
    assert filed_on is not None
    before = snapshot(found, CHANGE_FIELDS)
    found.filed_on = filed_on
    found.save(update_fields=["filed_on"])
    record_event(
        company=company,
        actor=actor,
        action="registry_filed",
        instance=found,
        before=before,
        after=snapshot(found, CHANGE_FIELDS),
        extra={"late": filed_on > found.deadline_on},
    )
    return found


@transaction.atomic
def mark_registered(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    change: RegistryChange,
    registered_on: date | None,
) -> RegistryChange:
    """登記完了: the day the 登記 was made (on or after the filing)."""
    require_manager(membership)
    found = locked(company, RegistryChange, change.pk)
    _move(found, REGISTERED)
    errors: dict[str, list[str]] = {}
    if registered_on is None:
        errors["registered_on"] = [_("登記完了日を入力してください。")]
    else:
        _filing_errors(errors, found.effective_on, found.filed_on, registered_on)
    fail(errors)
    before = snapshot(found, CHANGE_FIELDS)
    found.registered_on = registered_on
    found.save(update_fields=["registered_on"])
    record_event(
        company=company,
        actor=actor,
        action="registry_registered",
        instance=found,
        before=before,
        after=snapshot(found, CHANGE_FIELDS),
    )
    return found
