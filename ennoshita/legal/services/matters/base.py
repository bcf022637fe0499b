"""法律相談・紛争's writes share: the status tables, the fields the audit trail records, the row lock,
the checks of named people and the recipients of notices."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import LegalMatter, MatterKind, MatterMember, MatterStatus

S = MatterStatus
NOTIFY_KIND = "legal.matter"
OBJECT_TYPE = "legal.legalmatter"
NUMBER_TYPES = {
    MatterKind.CONSULTATION: ("legal_consultation", "LC"),
    MatterKind.DISPUTE: ("legal_dispute", "LD"),
}
MAX_YEN = Decimal("999999999999999")
MAX_TEXT = 10000

# Every move 法務 may make, per kind; a move not here is refused. 回答済み is reached by
# answer_consultation (with the answer), and left again by 再開 (→ 対応中).
CONSULTATION_MOVES: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.IN_PROGRESS, S.CLOSED),
    S.IN_PROGRESS: (S.ANSWERED, S.CLOSED),
    S.ANSWERED: (S.IN_PROGRESS, S.CLOSED),
    S.CLOSED: (),
}
_ACTIVE = (S.NEGOTIATING, S.MEDIATION, S.LITIGATION)
DISPUTE_MOVES: dict[str, tuple[str, ...]] = {
    S.OPEN: (*_ACTIVE, S.SETTLED, S.CLOSED),
    S.NEGOTIATING: (S.MEDIATION, S.LITIGATION, S.SETTLED, S.CLOSED),
    S.MEDIATION: (S.NEGOTIATING, S.LITIGATION, S.SETTLED, S.CLOSED),
    S.LITIGATION: (S.NEGOTIATING, S.MEDIATION, S.SETTLED, S.CLOSED),
    S.SETTLED: (S.CLOSED,),
    S.CLOSED: (),
}
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    MatterKind.CONSULTATION: CONSULTATION_MOVES,
    MatterKind.DISPUTE: DISPUTE_MOVES,
}
# the statuses that end a matter (終結日 is set on reaching them)
ENDING = (S.SETTLED, S.CLOSED)
OPEN_STATUSES = tuple(s for s in S.values if s not in ENDING)

MATTER_FIELDS = (
    "number",
    "kind",
    "category",
    "title",
    "question",
    "department",
    "status",
    "handler",
    "opponent",
    "forum",
    "case_number",
    "claim_amount",
    "counsel",
    "opened_on",
    "closed_on",
)


def fail(name: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={name: [message]})


def invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def locked(company: Company, membership: Membership, matter: LegalMatter) -> LegalMatter:
    """The matter again, under a row lock — or a 404 when it is another company's or this member is
    not named on it (its existence is not revealed)."""
    found = (
        LegalMatter.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=matter.pk)
        .filter(permissions.visible_q(membership))
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def text(value: str | None, name: str, label: str, limit: int, errors: dict[str, list[str]]) -> str:
    """Stripped text, required, at most ``limit`` characters."""
    value = (value or "").strip()
    if not value:
        errors[name] = [_("%(l)sを入力してください。") % {"l": label}]
    elif len(value) > limit:
        errors[name] = [_("%(l)sは%(n)d文字以内で入力してください。") % {"l": label, "n": limit}]
    return value


def optional_text(value: str | None, name: str, label: str, limit: int, errors: dict[str, list[str]]) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors[name] = [_("%(l)sは%(n)d文字以内で入力してください。") % {"l": label, "n": limit}]
    return value


def yen(value: Any, name: str, errors: dict[str, list[str]], *, positive: bool) -> Decimal | None:
    """Whole yen: ≥ 0 (a claim amount) or > 0 (a cost); None when empty."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        errors[name] = [_("金額は数字で入力してください。")]
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        errors[name] = [_("金額は円単位(整数)で入力してください。")]
    elif positive and amount <= 0:
        errors[name] = [_("金額は1円以上で入力してください。")]
    elif amount < 0:
        errors[name] = [_("金額にマイナスは入力できません。")]
    elif amount > MAX_YEN:
        errors[name] = [_("金額が大きすぎます。")]
    else:
        return amount.quantize(Decimal(1))
    return None


def _active_memberships(company: Company) -> Any:
    today = timezone.localdate()
    return (
        Membership.objects.for_company(company)
        .filter(is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def nameable_user(company: Company, user_id: int | None) -> tuple[User | None, str]:
    """The user to name on a matter, or None with the reason (not a member; an outside assistant)."""
    if not user_id:
        return None, _("この会社のメンバーを選んでください。")
    found = _active_memberships(company).filter(user_id=user_id).select_related("user").first()
    if found is None:
        return None, _("この会社のメンバーを選んでください。")
    if found.has_any_role(Role.ASSISTANT):
        return None, _("外部アシスタントは法律相談・紛争の関係者にできません。")
    return found.user, ""


def named_users(
    company: Company, user_ids: Iterable[int], exclude: int | None, errors: dict[str, list[str]]
) -> list[User]:
    """Other people named at the start, each checked (an error on ``member_ids``)."""
    users: dict[int, User] = {}
    for user_id in user_ids or ():
        if user_id == exclude or user_id in users:
            continue
        user, why = nameable_user(company, user_id)
        if user is None:
            errors["member_ids"] = [why]
            break
        users[user.pk] = user
    if len(users) > 50:
        errors["member_ids"] = [_("関係者は50人までです。")]
    return list(users.values())


def handler_user(company: Company, user_id: int | None, errors: dict[str, list[str]]) -> User | None:
    """A 法務 (or 管理者) member who handles the matter."""
    if not user_id:
        return None
    found = _active_memberships(company).filter(user_id=user_id).select_related("user").first()
    if found is None or not permissions.manages_matters(found):
        errors["handler"] = [_("担当者には法務のメンバーを選んでください。")]
        return None
    return found.user


def legal_members(company: Company) -> list[User]:
    """The 法務 members (by role; 管理者 without 法務 are not told of every question)."""
    return [m.user for m in _active_memberships(company).select_related("user") if m.has_any_role(Role.LEGAL)]


def member_users(matter: LegalMatter, role: str | None = None) -> list[User]:
    qs = MatterMember.objects.filter(company_id=matter.company_id, matter=matter).select_related("user")
    if role:
        qs = qs.filter(role=role)
    return [m.user for m in qs.order_by("pk")]


def tell(
    company: Company, users: Iterable[User], matter: LegalMatter, message: str, actor: User | None
) -> None:
    """One notice to each of ``users`` (the actor is not told of their own act)."""
    from django.urls import reverse

    seen: set[int] = set()
    for user in users:
        if user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        notify(
            company=company,
            user=user,
            kind=NOTIFY_KIND,
            text=message,
            url=reverse("legal:matter_detail", args=[matter.pk]),
            object_type=OBJECT_TYPE,
            object_id=matter.pk,
        )


def label(status: str) -> str:
    return str(S(status).label)
