"""法律相談・紛争's status changes, by the tables in ``base``:

- 法律相談: 受付 → 対応中 → 回答済み → 終結, 再開 (回答済み → 対応中), and 終結 from any open state
  (a question withdrawn). 回答済み is reached by ``answer_consultation`` (with the answer).
- 紛争: 受付 → 交渉中 / 調停・ADR / 訴訟 (back and forth between them) → 和解 / 終結; 和解 → 終結.

Reaching 和解 or 終結 sets the 終結日 (today unless given; never before the 受付日, never in the future).
Any other move is refused with a message; every change is 法務's."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import LegalMatter, MatterRole

from .base import ENDING, TRANSITIONS, S, fail, label, locked, member_users, tell


def allowed_moves(membership: Membership, matter: LegalMatter) -> list[str]:
    """The statuses this member may move the matter to now (for the buttons)."""
    if not permissions.manages_matters(membership):
        return []
    moves = TRANSITIONS[matter.kind][matter.status]
    # 回答済み comes with an answer (answer_consultation), not from the status buttons
    return [to for to in moves if to != S.ANSWERED]


@transaction.atomic
def set_status(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    matter: LegalMatter,
    to: str,
    closed_on: date | None = None,
    outcome: str = "",
) -> LegalMatter:
    """Move the matter to ``to``. 和解・終結 record the 終結日 and, optionally, the 結果."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("状態の変更は法務が行います。"))
    if to not in S.values:
        raise fail("status", _("状態が不正です。"))
    if to not in TRANSITIONS[matter.kind][matter.status]:
        raise ServiceError(
            _("「%(a)s」の案件を「%(b)s」にはできません。") % {"a": label(matter.status), "b": label(to)},
            code="bad_transition",
            field_errors={"status": [_("この状態には変更できません。")]},
        )
    if to == S.ANSWERED and not matter.answer:
        raise fail("status", _("回答済みにするには「回答する」から回答を入力してください。"))
    outcome = (outcome or "").strip()
    if len(outcome) > 5000:
        raise fail("outcome", _("結果は5000文字以内で入力してください。"))
    before = {"status": matter.status, "closed_on": matter.closed_on, "outcome": matter.outcome}
    today = timezone.localdate()
    if to in ENDING:
        day = closed_on or matter.closed_on or today
        if day < matter.opened_on:
            raise fail(
                "closed_on",
                _("終結日(%(c)s)が受付日(%(o)s)より前です。")
                % {"c": day.isoformat(), "o": matter.opened_on.isoformat()},
            )
        if day > today:
            raise fail("closed_on", _("終結日に未来の日付は入力できません。"))
        matter.closed_on = day
        if outcome:
            matter.outcome = outcome
    elif closed_on is not None:
        raise fail("closed_on", _("終結日は和解・終結にするときだけ入力します。"))
    matter.status = to
    matter.save(update_fields=["status", "closed_on", "outcome", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="matter_status",
        instance=matter,
        before=before,
        after={"status": matter.status, "closed_on": matter.closed_on, "outcome": matter.outcome},
    )
    if to in ENDING or (before["status"] == S.ANSWERED and to == S.IN_PROGRESS):
        tell(
            company,
            member_users(matter, MatterRole.REQUESTER),
            matter,
            _("「%(n)s %(t)s」は「%(s)s」になりました。")
            % {"n": matter.number, "t": matter.title, "s": label(to)},
            actor,
        )
    return matter
