"""法律相談・紛争's deadlines (答弁書の提出期限, 期日, 回答期限 …) and costs (弁護士費用, 印紙・郵券 …),
both 法務's to record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import LegalMatter, MatterCost, MatterDeadline

from .base import ENDING, fail, invalid, locked, text, yen


def _manage(company: Company, membership: Membership, matter: LegalMatter, message: str) -> LegalMatter:
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(message)
    return matter


@transaction.atomic
def add_deadline(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    matter: LegalMatter,
    due_on: date | None,
    title: str,
) -> MatterDeadline:
    """A date that must not pass. A date already past is refused (record what happened in a note)."""
    matter = _manage(company, membership, matter, _("期限の登録は法務が行います。"))
    errors: dict[str, list[str]] = {}
    title = text(title, "title", _("期限の内容"), 200, errors)
    today = timezone.localdate()
    if due_on is None:
        errors["due_on"] = [_("期限を入力してください。")]
    elif due_on < today:
        errors["due_on"] = [_("過去の日付は期限にできません(今日以降の日付を入力してください)。")]
    if matter.status in ENDING:
        errors["due_on"] = [_("終結した案件には期限を登録できません。")]
    if errors or due_on is None:
        raise invalid(errors)
    deadline = MatterDeadline.objects.create(
        company=company, matter=matter, due_on=due_on, title=title, created_by=actor
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=deadline,
        object_repr=f"{matter.number} {title}"[:300],
        after=snapshot(deadline, ("matter", "due_on", "title")),
    )
    return deadline


@transaction.atomic
def complete_deadline(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    matter: LegalMatter,
    deadline_id: int,
    done_on: date | None = None,
) -> MatterDeadline:
    """Mark a deadline done (完了日: today unless given). Alerts stop for it."""
    matter = _manage(company, membership, matter, _("期限の完了は法務が記録します。"))
    deadline = (
        MatterDeadline.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(matter=matter, pk=deadline_id)
        .first()
    )
    if deadline is None:
        raise NotFound()
    if deadline.done_on is not None:
        raise fail("done_on", _("この期限は完了済みです。"))
    today = timezone.localdate()
    day = done_on or today
    if day > today:
        raise fail("done_on", _("完了日に未来の日付は入力できません。"))
    if day < matter.opened_on:
        raise fail("done_on", _("完了日が受付日より前です。"))
    deadline.done_on = day
    deadline.save(update_fields=["done_on"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=deadline,
        object_repr=f"{matter.number} {deadline.title}"[:300],
        before={"done_on": None},
        after={"done_on": day},
    )
    return deadline


@transaction.atomic
def add_cost(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    matter: LegalMatter,
    paid_on: date | None,
    payee: str,
    description: str,
    amount: Decimal | int | str | None,
) -> MatterCost:
    """What the matter cost (税込, whole yen, more than 0). Not a journal entry: 経理 books the
    payment from the bill as usual; this is the matter's own tally."""
    matter = _manage(company, membership, matter, _("費用の登録は法務が行います。"))
    errors: dict[str, list[str]] = {}
    payee = text(payee, "payee", _("支払先"), 200, errors)
    description = text(description, "description", _("内容"), 200, errors)
    value = yen(amount, "amount", errors, positive=True)
    if value is None and "amount" not in errors:
        errors["amount"] = [_("金額を入力してください。")]
    if paid_on is None:
        errors["paid_on"] = [_("支払日を入力してください。")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("支払日に未来の日付は入力できません。")]
    if errors or paid_on is None:
        raise invalid(errors)
    cost = MatterCost.objects.create(
        company=company,
        matter=matter,
        paid_on=paid_on,
        payee=payee,
        description=description,
        amount=value,
        created_by=actor,
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=cost,
        object_repr=f"{matter.number} {description}"[:300],
        after=snapshot(cost, ("matter", "paid_on", "payee", "description", "amount")),
    )
    return cost
