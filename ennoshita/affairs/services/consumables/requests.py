"""消耗品's writes: employees' requests (依頼) and their handling — 払出, 却下, 取消.

A request moves by the table ``REQUEST_TRANSITIONS``; 払出 is an 出庫 (``stock._issue``) of the
requested quantity, refused whole when the stock is short (the request stays open).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    Consumable,
    ConsumableRequest,
    Location,
    RequestStatus,
    StockMove,
)
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .base import MANAGE_ROLES, REQUEST_ROLES, _date, _invalid, _note, _own, _quantity, can_manage
from .items import _locked_item
from .stock import _check_location, _issue

# 依頼の状態遷移: action → (states it may start from, state it ends in)
REQUEST_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "issue": (frozenset({RequestStatus.REQUESTED}), RequestStatus.ISSUED),
    "reject": (frozenset({RequestStatus.REQUESTED}), RequestStatus.REJECTED),
    "cancel": (frozenset({RequestStatus.REQUESTED}), RequestStatus.CANCELLED),
}
REQUEST_FIELDS = ("consumable", "quantity", "employee", "department", "note", "status", "decision_note")


@transaction.atomic
def request_consumable(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    consumable: Consumable,
    quantity: Any,
    note: str = "",
) -> ConsumableRequest:
    """An employee asks 総務 for an item (their employee record and department of today are kept
    on the request, so that the 出庫 is charged to them)."""
    require_role(membership, *REQUEST_ROLES)
    _own(company, consumable, "consumable")
    if not consumable.is_active:
        raise _invalid("consumable", _("この消耗品は現在取り扱っていません。"))
    n = _quantity(quantity)
    today = timezone.localdate()
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    department = people_selectors.employee_department(company=company, user=actor, as_of=today)
    req = ConsumableRequest(
        company=company,
        consumable=consumable,
        quantity=n,
        requested_by=actor,
        employee=employee,
        department=department,
        note=_note(note),
    )
    req.save()
    record_event(
        company=company,
        actor=actor,
        action="submit",
        instance=req,
        object_repr=f"{consumable.name} × {n}{consumable.unit}",
        after=snapshot(req, REQUEST_FIELDS),
    )
    return req


def _locked_request(company: Company, request: ConsumableRequest, action: str) -> ConsumableRequest:
    found = (
        ConsumableRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("consumable")
        .filter(pk=request.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    allowed, _target = REQUEST_TRANSITIONS[action]
    if found.status not in allowed:
        message = _("この依頼は「%(s)s」のため、この操作はできません。") % {"s": found.get_status_display()}
        raise ServiceError(message, code="invalid_state", field_errors={"status": [message]})
    return found


def _decide(
    company: Company, actor: User, req: ConsumableRequest, action: str, note: str, event_action: str
) -> None:
    before = snapshot(req, REQUEST_FIELDS)
    req.status = REQUEST_TRANSITIONS[action][1]
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_note = note
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        company=company,
        actor=actor,
        action=event_action,
        instance=req,
        object_repr=f"{req.consumable.name} × {req.quantity}{req.consumable.unit}",
        before=before,
        after=snapshot(req, REQUEST_FIELDS),
    )


def _tell_requester(company: Company, actor: User, req: ConsumableRequest, text: str) -> None:
    if req.requested_by_id != actor.pk:
        notify(
            company=company,
            user=req.requested_by,
            kind="affairs.consumable_request",
            text=text,
            url=reverse("affairs:consumable_my_requests"),
            object_type="affairs.consumablerequest",
            object_id=req.pk,
        )


@transaction.atomic
def issue_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: ConsumableRequest,
    location: Location | None,
    moved_on: date | None = None,
    note: str = "",
) -> StockMove:
    """払出: an 出庫 of the requested quantity from ``location`` to the requester (and the
    department they had when asking). Short stock → ServiceError, the request stays 依頼中."""
    require_role(membership, *MANAGE_ROLES)
    location = _check_location(company, location)
    req = _locked_request(company, request, "issue")
    item = _locked_item(company, req.consumable)
    text = _note(note)
    move = _issue(
        company=company,
        actor=actor,
        item=item,
        location=location,
        quantity=req.quantity,
        moved_on=_date(moved_on),
        department=req.department,
        employee=req.employee,
        request=req,
        note=text,
    )
    _decide(company, actor, req, "issue", text, "issue")
    _tell_requester(
        company,
        actor,
        req,
        _("依頼した %(item)s × %(n)s%(unit)s を払い出しました(%(place)s)。")
        % {"item": item.name, "n": req.quantity, "unit": item.unit, "place": location.name},
    )
    return move


@transaction.atomic
def reject_request(
    *, company: Company, actor: User, membership: Membership, request: ConsumableRequest, note: str = ""
) -> ConsumableRequest:
    """却下, with the reason told to the requester."""
    require_role(membership, *MANAGE_ROLES)
    text = _note(note, "decision_note")
    if not text:
        raise _invalid("decision_note", _("却下の理由を入力してください。"))
    req = _locked_request(company, request, "reject")
    _decide(company, actor, req, "reject", text, "reject")
    _tell_requester(
        company,
        actor,
        req,
        _("%(item)s の依頼は却下されました: %(why)s") % {"item": req.consumable.name, "why": text},
    )
    return req


@transaction.atomic
def cancel_request(
    *, company: Company, actor: User, membership: Membership, request: ConsumableRequest
) -> ConsumableRequest:
    """取消 of an open request, by the person who asked (or 総務)."""
    require_role(membership, *REQUEST_ROLES)
    if request.requested_by_id != actor.pk and not can_manage(membership):
        raise PermissionDeniedError(_("自分の依頼だけを取り消せます。"))
    req = _locked_request(company, request, "cancel")
    _decide(company, actor, req, "cancel", "", "withdraw")
    return req
