"""知的財産's writes: the status (消滅・放棄, 登録, 回復), the payments that keep a right alive (年金,
後期分割登録料, 商標の更新, ドメイン名の更新) and other costs.

A payment is an ``IpCost`` row (and a 割増 row when paid late) and moves the right on:
- 年金 (特許・意匠・実用新案): ``paid_through_year`` advances by the years paid;
- 後期分割登録料 (商標): the current term is then paid in full, so ``installment`` is cleared (the
  audit trail and the cost row keep that it was paid in halves);
- 更新 (商標): ``expires_on`` moves 10 years on (商標法19条3項: the new term starts at the old one's
  end); ``installment`` says whether the new term is paid in halves again;
- ドメイン名: the new expiry from the registrar.
Paying inside the late period needs the 割増 (the same amount again, §16); after it is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.legal.models import IpCost, IpCostKind, IpRight
from ennoshita.legal.permissions_ip import MANAGER_ROLES
from ennoshita.legal.rules import ip as rules

from .base import (
    COST_FIELDS,
    NEEDS_REASON,
    STATE_FIELDS,
    TRANSITIONS,
    K,
    S,
    deadlines_of,
    fail,
    first_expiry,
    locked,
    missed_message,
    refuse,
    set_next_deadline,
    text,
    uses_jp_rules,
)

MAX_AMOUNT = Decimal(10**12)
PAYMENTS = ("annuity", "second_half", "renewal", "domain")
STATUS_ACTIONS: dict[str, str] = {
    S.LAPSED: "ip_lapse",
    S.ABANDONED: "ip_abandon",
    S.REGISTERED: "ip_register",
}


def _amount(errors: dict[str, list[str]], field: str, value: Any, *, required: bool = True) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = [_("金額を入力してください。")]
        return None
    raw = nfkc(str(value)).strip().replace(",", "").replace("円", "").replace("¥", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        errors[field] = [_("金額は円単位の整数で入力してください。")]
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        errors[field] = [_("金額は円単位の整数で入力してください(1円未満の端数は入力できません)。")]
    elif amount <= 0:
        errors[field] = [_("金額は1円以上で入力してください。")]
    elif amount > MAX_AMOUNT:
        errors[field] = [_("金額が大きすぎます。")]
    else:
        return amount.quantize(Decimal(1))
    return None


def _paid_on(errors: dict[str, list[str]], paid_on: date | None) -> None:
    if paid_on is None:
        errors["paid_on"] = [_("支払日を入力してください。")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("支払日に未来の日付は入力できません。")]


def _cost(right: IpRight, actor: User, kind: str, paid_on: date, amount: Decimal, memo: str) -> IpCost:
    return IpCost.objects.create(
        company=right.company,
        right=right,
        paid_on=paid_on,
        kind=kind,
        amount=amount,
        memo=memo[:200],
        created_by=actor,
    )


@transaction.atomic
def record_ip_cost(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    right: IpRight,
    kind: str,
    paid_on: date | None,
    amount: Any,
    memo: str = "",
) -> IpCost:
    """A cost of a right (出願料, 代理人費用 …) that moves no deadline."""
    require_role(membership, *MANAGER_ROLES)
    found = locked(company, right)
    errors: dict[str, list[str]] = {}
    if kind not in IpCostKind.values:
        errors["kind"] = [_("費用の種類を選んでください。")]
    _paid_on(errors, paid_on)
    value = _amount(errors, "amount", amount)
    note = text(memo)
    if len(note) > 200:
        errors["memo"] = [_("200文字以内で入力してください。")]
    fail(errors)
    cost = _cost(found, actor, kind, paid_on, value, note)  # type: ignore[arg-type]
    record_events(
        company=company,
        actor=actor,
        events=[EventInput("create", instance=cost, after=snapshot(cost, COST_FIELDS))],
    )
    return cost


def _deadline(right: IpRight, kind: str, today: date) -> rules.Deadline | None:
    return next((d for d in deadlines_of(right, today) if d.kind == kind), None)


def _check_timing(
    errors: dict[str, list[str]], d: rules.Deadline, paid_on: date, surcharge: Decimal | None
) -> None:
    if d.opens_on is not None and paid_on < d.opens_on:
        errors["paid_on"] = [
            _("%(what)sは %(d)s からです(満了の6か月前から)。")
            % {"what": d.label, "d": d.opens_on.isoformat()}
        ]
    elif paid_on > rules.office_day(d.last_day):
        errors["paid_on"] = [
            _("%(what)sの期限(割増での納付を含む)は %(d)s に終わっています。")
            % {"what": d.label, "d": d.last_day.isoformat()}
        ]
    elif paid_on > d.due_on and surcharge is None:
        errors["surcharge"] = [
            _("期限(%(d)s)を過ぎた納付には、同額の割増料金が必要です。割増料金の額を入力してください。")
            % {"d": d.due_on.isoformat()}
        ]


@transaction.atomic
def record_ip_payment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    right: IpRight,
    what: str,
    paid_on: date | None,
    amount: Any,
    surcharge: Any = None,
    years: int = 1,
    new_expires_on: date | None = None,
    installment: bool = False,
    memo: str = "",
) -> IpRight:
    """A payment that keeps the right alive (see the module docstring). ``what``: ``annuity`` (年金,
    ``years`` years at once), ``second_half`` (後期分割登録料), ``renewal`` (商標の更新; ``installment``:
    the new term paid in halves), ``domain`` (``new_expires_on``)."""
    require_role(membership, *MANAGER_ROLES)
    found = locked(company, right)
    today = timezone.localdate()
    if found.status != S.REGISTERED:
        raise refuse(
            "what",
            _("存続中の権利にだけ納付を記録できます(現在: %(s)s)。") % {"s": found.get_status_display()},
        )
    expected = {
        "annuity": rules.ANNUITY_KINDS,
        "second_half": (K.TRADEMARK,),
        "renewal": (K.TRADEMARK,),
        "domain": (K.DOMAIN,),
    }
    if what not in PAYMENTS or found.kind not in expected[what]:
        raise refuse("what", _("この種類の権利にはこの納付は記録できません。"))
    errors: dict[str, list[str]] = {}
    _paid_on(errors, paid_on)
    value = _amount(errors, "amount", amount)
    extra = _amount(errors, "surcharge", surcharge, required=False)
    fail(errors)
    assert paid_on is not None
    assert value is not None
    before = snapshot(found, STATE_FIELDS)
    cost_kind, label = IpCostKind.OTHER, ""
    if what == "domain":
        if new_expires_on is None or (found.expires_on and new_expires_on <= found.expires_on):
            raise refuse("new_expires_on", _("今の有効期限より後の、新しい有効期限を入力してください。"))
        cost_kind = IpCostKind.DOMAIN
        label = _("ドメイン名の更新(〜%(d)s)") % {"d": new_expires_on.isoformat()}
        found.expires_on = new_expires_on
    else:
        kind = {"annuity": rules.ANNUITY, "second_half": rules.TM_SECOND_HALF, "renewal": rules.TM_RENEWAL}[
            what
        ]
        d = _deadline(found, kind, today)
        if d is None:
            message = {
                "annuity": _("納付する年金はありません(存続期間の終わりまで納付済みです)。"),
                "second_half": _("後期分割登録料の納付はありません(分割納付ではありません)。"),
                "renewal": _("更新できる満了日がありません。"),
            }[what]
            fail({"what": [message]})
        assert d is not None
        _check_timing(errors, d, paid_on, extra)
        first_year = d.fee_year or 0
        if what == "annuity":
            assert found.registered_on is not None
            if not 1 <= years <= 25:
                errors["years"] = [_("納付する年数は1〜25で入力してください。")]
            elif (
                found.expires_on
                and rules.annuity_due(found.registered_on, first_year + years - 1) >= found.expires_on
            ):
                errors["years"] = [_("存続期間の終わりを超える年分は納付できません。")]
        fail(errors)
        if what == "annuity":
            last = first_year + years - 1
            found.paid_through_year = last
            cost_kind = IpCostKind.ANNUITY
            label = (
                _("第%(a)s年分") % {"a": d.fee_year}
                if years == 1
                else _("第%(a)s〜%(b)s年分") % {"a": d.fee_year, "b": last}
            )
        elif what == "second_half":
            found.installment = False
            cost_kind = (
                IpCostKind.REGISTRATION if found.expires_on == _first_term_end(found) else IpCostKind.RENEWAL
            )
            label = _("後期分割登録料")
        else:
            terms = _terms(found) + 1
            found.expires_on = rules.term_end(found.registered_on, rules.TRADEMARK_YEARS * terms)  # type: ignore[arg-type]
            found.installment = bool(installment)
            cost_kind = IpCostKind.RENEWAL
            label = _("更新登録(〜%(d)s)") % {"d": found.expires_on.isoformat()}
            if installment:
                label += _("・前期分")
    note = " ".join(p for p in (label, text(memo)) if p)
    cost = _cost(found, actor, cost_kind, paid_on, value, note)
    events = [EventInput("create", instance=cost, after=snapshot(cost, COST_FIELDS))]
    if extra is not None:
        late = _cost(found, actor, IpCostKind.SURCHARGE, paid_on, extra, _("割増(%(l)s)") % {"l": label})
        events.append(EventInput("create", instance=late, after=snapshot(late, COST_FIELDS)))
    set_next_deadline(found, today)
    found.save()
    events.insert(
        0,
        EventInput(
            "ip_renew" if what in ("renewal", "domain") else "ip_pay",
            instance=found,
            before=before,
            after=snapshot(found, STATE_FIELDS),
            extra={"paid_on": paid_on, "amount": value, "surcharge": extra},
        ),
    )
    record_events(company=company, actor=actor, events=events)
    return found


def _first_term_end(right: IpRight) -> date | None:
    if right.registered_on is None:
        return None
    return rules.term_end(right.registered_on, rules.TRADEMARK_YEARS)


def _terms(right: IpRight) -> int:
    """How many 10-year terms a trademark's ``expires_on`` covers (1 before any renewal)."""
    first = _first_term_end(right)
    if first is None or right.expires_on is None:
        return 1
    return 1 + max(0, round((right.expires_on - first).days / 3652.5))


@transaction.atomic
def set_ip_status(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    right: IpRight,
    status: str,
    reason: str = "",
    registered_on: date | None = None,
    registration_number: str = "",
) -> IpRight:
    """消滅・放棄 (with a reason), 登録 (出願中 → 存続中, with the 設定登録日) and 回復 (消滅 → 存続中,
    with a reason). The moves are ``TRANSITIONS``; a right brought back to 存続中 is checked like a
    new one (a deadline past its late period is refused)."""
    require_role(membership, *MANAGER_ROLES)
    found = locked(company, right)
    if status not in TRANSITIONS.get(found.status, ()):
        raise refuse(
            "status",
            _("「%(a)s」から「%(b)s」には変更できません。")
            % {"a": found.get_status_display(), "b": S(status).label if status in S.values else status},
            code="invalid_transition",
        )
    why = text(reason)
    if (status in NEEDS_REASON or found.status == S.LAPSED) and not why:
        fail({"reason": [_("理由を入力してください。")]})
    if len(why) > 300:
        fail({"reason": [_("300文字以内で入力してください。")]})
    before = snapshot(found, STATE_FIELDS)
    today = timezone.localdate()
    found.status = status
    if status == S.REGISTERED:
        if registered_on is not None:
            if registered_on > today or (found.filed_on and registered_on < found.filed_on):
                fail({"registered_on": [_("設定登録日は出願日以降、今日までの日付にしてください。")]})
            found.registered_on = registered_on
        if registration_number:
            found.registration_number = text(registration_number)[:40]
        if found.kind in rules.REGISTERED_KINDS and found.registered_on is None:
            fail({"registered_on": [_("設定登録日を入力してください。")]})
        if found.kind == K.DOMAIN and found.expires_on is None:
            fail({"expires_on": [_("先にドメイン名の有効期限を入力してください。")]})
        computed = found.kind != K.DOMAIN and uses_jp_rules(found.kind, found.country)
        if computed and (found.kind != K.TRADEMARK or found.expires_on is None):
            found.expires_on = first_expiry(found)
        missed = rules.missed(deadlines_of(found, today), today)
        if missed is not None:
            field, message = missed_message(missed, found)
            fail({field: [message]})
    set_next_deadline(found, today)
    found.save()
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                STATUS_ACTIONS.get(status, "update"),
                instance=found,
                before=before,
                after=snapshot(found, STATE_FIELDS),
                extra={"reason": why} if why else None,
            )
        ],
    )
    return found
