"""商談: the sales pipeline. An opportunity is opened at 見込み, 提案 or 交渉, moves between these
stages, and is closed as 受注 (won) or 失注 (lost, with a reason). A lost deal may be reopened
(再開); a won one stays won. Its quotes are made by ``services.quotes.create_quote(opportunity=…)``,
and accepting such a quote marks the opportunity won.

Every function is keyword-only, runs in one transaction, checks ``sales.permissions.WRITE_ROLES``
and records an audit event.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.sales.models import Customer, Opportunity, Quote
from ennoshita.sales.permissions import WRITE_ROLES

Stage = Opportunity.Stage
OPEN_STAGES: tuple[str, ...] = (Stage.LEAD, Stage.PROPOSAL, Stage.NEGOTIATION)
CLOSED_STAGES: tuple[str, ...] = (Stage.WON, Stage.LOST)
# The allowed moves, as data: open stages move anywhere, a lost deal can be reopened, won is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.LEAD: (Stage.PROPOSAL, Stage.NEGOTIATION, Stage.WON, Stage.LOST),
    Stage.PROPOSAL: (Stage.LEAD, Stage.NEGOTIATION, Stage.WON, Stage.LOST),
    Stage.NEGOTIATION: (Stage.LEAD, Stage.PROPOSAL, Stage.WON, Stage.LOST),
    Stage.LOST: OPEN_STAGES,
    Stage.WON: (),
}
FIELDS = ("customer", "title", "stage", "expected_amount", "expected_date", "owner", "notes")
MOVE_FIELDS = ("stage", "notes", "closed_on")
MAX_AMOUNT = Decimal(999_999_999_999)
MAX_TITLE = 200


def owner_memberships(company: Company) -> list[Membership]:
    """Who may own an opportunity: the company's active, unexpired members of any role except the
    outside assistant team (a person whose only role is ``assistant``)."""
    today = timezone.localdate()
    rows = Membership.objects.for_company(company).filter(is_active=True).select_related("user")
    return [
        m
        for m in rows
        if (m.expires_on is None or m.expires_on >= today)
        and m.user.is_active
        and m.role_set() - {Role.ASSISTANT}
    ]


def _may_own(company: Company, user: User) -> bool:
    return any(m.user_id == user.pk for m in owner_memberships(company))


def _raise(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ServiceError(message, code="validation", field_errors=errors)


def _amount(value: Any, errors: dict[str, list[str]]) -> Decimal:
    """Whole yen, 0 or more."""
    try:
        amount = Decimal(str(value).replace(",", "").strip() or "0")
    except (InvalidOperation, ValueError):
        errors["expected_amount"] = [_("見込金額は数字で入力してください。")]
        return Decimal(0)
    if not amount.is_finite() or amount != amount.to_integral_value():
        errors["expected_amount"] = [_("見込金額は円単位の整数で入力してください。")]
    elif amount < 0:
        errors["expected_amount"] = [_("見込金額は0円以上で入力してください。")]
    elif amount > MAX_AMOUNT:
        errors["expected_amount"] = [_("見込金額が大きすぎます。")]
    else:
        return amount.quantize(Decimal(1))
    return Decimal(0)


def _check(
    company: Company,
    errors: dict[str, list[str]],
    *,
    customer: Customer,
    title: str,
    expected_amount: Any,
    owner: User | None,
    current: Opportunity | None = None,
) -> tuple[str, Decimal]:
    """The checks of create and update; returns the cleaned title and amount."""
    if customer.company_id != company.pk:
        raise NotFound()
    if not customer.is_active and (current is None or current.customer_id != customer.pk):
        errors["customer"] = [_("取引を停止した得意先です。")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("商談名を入力してください。")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("商談名は200文字以内で入力してください。")]
    amount = _amount(expected_amount, errors)
    if (
        owner is not None
        and (current is None or current.owner_id != owner.pk)
        and not _may_own(company, owner)
    ):
        errors["owner"] = [_("担当者はこの会社の有効なメンバーから選んでください。")]
    return title, amount


def _locked(company: Company, opportunity: Opportunity) -> Opportunity:
    found = Opportunity.objects.for_company(company).select_for_update().filter(pk=opportunity.pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def create_opportunity(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    title: str,
    stage: str = Stage.LEAD,
    expected_amount: Decimal | int | str = 0,
    expected_date: date | None = None,
    owner: User | None = None,
    notes: str = "",
) -> Opportunity:
    """A new opportunity in an open stage (見込み・提案・交渉)."""
    require_role(membership, *WRITE_ROLES)
    errors: dict[str, list[str]] = {}
    title, amount = _check(
        company, errors, customer=customer, title=title, expected_amount=expected_amount, owner=owner
    )
    if stage not in OPEN_STAGES:
        errors["stage"] = [_("新しい商談の段階は「見込み」「提案」「交渉」から選んでください。")]
    _raise(errors, _("商談を登録できません。"))
    opportunity = Opportunity.objects.create(
        company=company,
        customer=customer,
        title=title,
        stage=stage,
        expected_amount=amount,
        expected_date=expected_date,
        owner=owner,
        notes=(notes or "").strip(),
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=opportunity,
        after=snapshot(opportunity, fields=FIELDS),
    )
    return opportunity


@transaction.atomic
def update_opportunity(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    opportunity: Opportunity,
    customer: Customer,
    title: str,
    expected_amount: Decimal | int | str,
    expected_date: date | None,
    owner: User | None,
    notes: str = "",
) -> Opportunity:
    """Change an open opportunity (its stage changes through :func:`move_opportunity`)."""
    require_role(membership, *WRITE_ROLES)
    opportunity = _locked(company, opportunity)
    if opportunity.stage in CLOSED_STAGES:
        raise ServiceError(
            _("「%(stage)s」の商談は変更できません。") % {"stage": opportunity.get_stage_display()},
            code="closed",
        )
    errors: dict[str, list[str]] = {}
    title, amount = _check(
        company,
        errors,
        customer=customer,
        title=title,
        expected_amount=expected_amount,
        owner=owner,
        current=opportunity,
    )
    _raise(errors, _("商談を保存できません。"))
    before = snapshot(opportunity, fields=FIELDS)
    opportunity.customer = customer
    opportunity.title = title
    opportunity.expected_amount = amount
    opportunity.expected_date = expected_date
    opportunity.owner = owner
    opportunity.notes = (notes or "").strip()
    opportunity.save()
    after = snapshot(opportunity, fields=FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=opportunity, before=before, after=after
        )
    return opportunity


@transaction.atomic
def move_opportunity(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    opportunity: Opportunity,
    stage: str,
    reason: str = "",
) -> Opportunity:
    """Move to another stage. 失注 needs a reason: it is added to the notes (with the date) and
    kept in the audit event. 受注 is final; a lost deal can be reopened at an open stage."""
    require_role(membership, *WRITE_ROLES)
    opportunity = _locked(company, opportunity)
    current = opportunity.get_stage_display()
    if stage not in Stage.values:
        raise ServiceError(
            _("段階を選んでください。"),
            code="validation",
            field_errors={"stage": [_("段階を選んでください。")]},
        )
    if stage == opportunity.stage:
        message = _("この商談はすでに「%(stage)s」です。") % {"stage": current}
        raise ServiceError(message, code="validation", field_errors={"stage": [message]})
    if stage not in TRANSITIONS[opportunity.stage]:
        message = _("「%(stage)s」の商談は「%(to)s」に移せません。") % {
            "stage": current,
            "to": Stage(stage).label,
        }
        raise ServiceError(message, code="invalid_transition", field_errors={"stage": [message]})
    reason = (reason or "").strip()
    if stage == Stage.LOST and not reason:
        message = _("失注の理由を入力してください。")
        raise ServiceError(message, code="validation", field_errors={"reason": [message]})
    before = snapshot(opportunity, fields=MOVE_FIELDS)
    opportunity.stage = stage
    # closed on the day it is won or lost; reopening a lost deal clears it
    opportunity.closed_on = timezone.localdate() if stage in CLOSED_STAGES else None
    if stage == Stage.LOST:
        line = _("失注理由(%(date)s): %(reason)s") % {
            "date": timezone.localdate().isoformat(),
            "reason": reason,
        }
        opportunity.notes = f"{opportunity.notes}\n{line}".strip()
    opportunity.save(update_fields=["stage", "notes", "closed_on", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=opportunity,
        before=before,
        after=snapshot(opportunity, fields=MOVE_FIELDS),
        extra={"reason": reason} if reason else None,
    )
    return opportunity


def win_by_accepted_quote(*, company: Company, actor: User, opportunity_id: int) -> Opportunity | None:
    """The deal behind an accepted quote is won, closed today (audited like any move of a deal).
    Called by ``services.quotes`` inside its transaction, after its own permission check; a deal
    already won is left as it is."""
    deal = Opportunity.objects.for_company(company).select_for_update().filter(pk=opportunity_id).first()
    if deal is None or deal.stage == Stage.WON:
        return deal
    before = snapshot(deal, fields=("stage", "closed_on"))
    deal.stage = Stage.WON
    deal.closed_on = timezone.localdate()
    deal.save(update_fields=["stage", "closed_on", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=deal,
        before=before,
        after=snapshot(deal, fields=("stage", "closed_on")),
        extra={"reason": "quote_accepted"},
    )
    return deal


@transaction.atomic
def delete_opportunity(
    *, company: Company, actor: User, membership: Membership, opportunity: Opportunity
) -> None:
    """Delete an opportunity that no quote points at (one with quotes is closed as 失注 instead)."""
    require_role(membership, *WRITE_ROLES)
    opportunity = _locked(company, opportunity)
    if Quote.objects.for_company(company).filter(opportunity=opportunity).exists():
        raise ServiceError(
            _("見積書が作成された商談は削除できません。不要なら失注にしてください。"), code="in_use"
        )
    before = snapshot(opportunity, fields=FIELDS)
    record_event(company=company, actor=actor, action="delete", instance=opportunity, before=before)
    opportunity.delete()
