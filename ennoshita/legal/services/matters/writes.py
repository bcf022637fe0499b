"""法律相談・紛争's writes: asking a consultation, opening a dispute, the handler, the answer, the
running notes, the people named, and the record of who read a matter (it is confidential).

Every check runs before anything is written; a refusal raises ``ServiceError`` with the message on the
field that is wrong, and a matter the member may not see is a ``NotFound`` (404)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import (
    LegalMatter,
    MatterCategory,
    MatterKind,
    MatterMember,
    MatterNote,
    MatterRole,
    MatterStatus,
)
from ennoshita.people import selectors as people_selectors

from .base import (
    MATTER_FIELDS,
    MAX_TEXT,
    NUMBER_TYPES,
    S,
    fail,
    handler_user,
    invalid,
    legal_members,
    locked,
    member_users,
    nameable_user,
    named_users,
    optional_text,
    tell,
    text,
    yen,
)


def _number(company: Company, kind: str, day: date) -> str:
    doc_type, prefix = NUMBER_TYPES[MatterKind(kind)]
    fiscal_year, n = next_number_for_date(company=company, doc_type=doc_type, day=day)
    return format_number(prefix, fiscal_year, n, width=4)


def _name_people(
    company: Company, actor: User, matter: LegalMatter, requester: User | None, others: Sequence[User]
) -> None:
    rows = []
    if requester is not None:
        rows.append(
            MatterMember(
                company=company, matter=matter, user=requester, role=MatterRole.REQUESTER, added_by=actor
            )
        )
    rows += [
        MatterMember(company=company, matter=matter, user=u, role=MatterRole.INVOLVED, added_by=actor)
        for u in others
    ]
    for row in rows:
        row.save()


def _save(matter: LegalMatter) -> None:
    try:
        with transaction.atomic():
            matter.save()
    except IntegrityError as exc:  # a database check the validation did not foresee
        raise ServiceError(
            _("保存できませんでした。入力内容を確かめてください。"), code="validation"
        ) from exc


@transaction.atomic
def ask_consultation(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    title: str,
    question: str,
    category: str = MatterCategory.OTHER,
    member_ids: Sequence[int] = (),
) -> LegalMatter:
    """A question to 法務 (法律相談), 受付. The asker is named as 相談者; the other people named see it
    too. Its number is the next 「LC-<年度>-0001」; every 法務 member is told."""
    if not permissions.can_ask(membership):
        raise PermissionDeniedError(_("外部アシスタントは法律相談を登録できません。"))
    errors: dict[str, list[str]] = {}
    title = text(title, "title", _("件名"), 200, errors)
    question = text(question, "question", _("相談内容"), MAX_TEXT, errors)
    if category not in MatterCategory.values:
        errors["category"] = [_("分野を選んでください。")]
    others = named_users(company, member_ids, actor.pk, errors)
    if errors:
        raise invalid(errors)
    today = timezone.localdate()
    departments = people_selectors.department_ids_of_user(company=company, user_id=actor.pk)
    matter = LegalMatter(
        company=company,
        number=_number(company, MatterKind.CONSULTATION, today),
        kind=MatterKind.CONSULTATION,
        category=category,
        title=title,
        question=question,
        department_id=departments[0] if departments else None,
        status=MatterStatus.OPEN,
        opened_on=today,
        created_by=actor,
    )
    _save(matter)
    _name_people(company, actor, matter, actor, others)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=matter,
        after=snapshot(matter, MATTER_FIELDS),
        extra={"members": sorted([actor.pk, *(u.pk for u in others)])},
    )
    tell(
        company,
        legal_members(company),
        matter,
        _("法律相談「%(n)s %(t)s」が届きました。") % {"n": matter.number, "t": matter.title},
        actor,
    )
    return matter


@dataclass(frozen=True)
class DisputeInput:
    """A dispute as typed (screens and API). ``claim_amount`` in whole yen (None: 未定)."""

    title: str
    opponent: str
    question: str = ""
    category: str = MatterCategory.COLLECTION
    forum: str = ""
    case_number: str = ""
    claim_amount: Decimal | int | str | None = None
    counsel: str = ""
    handler_id: int | None = None
    opened_on: date | None = None
    member_ids: Sequence[int] = field(default_factory=tuple)


@transaction.atomic
def open_dispute(*, company: Company, actor: User, membership: Membership, data: DisputeInput) -> LegalMatter:
    """A dispute (紛争: a claim, mediation or a lawsuit), 受付, opened by 法務. Its number is the next
    「LD-<年度>-0001」; the handler and the people named are told."""
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("紛争の登録は法務が行います。"))
    errors: dict[str, list[str]] = {}
    title = text(data.title, "title", _("件名"), 200, errors)
    opponent = text(data.opponent, "opponent", _("相手方"), 200, errors)
    question = optional_text(data.question, "question", _("経緯"), MAX_TEXT, errors)
    forum = optional_text(data.forum, "forum", _("裁判所・機関"), 200, errors)
    case_number = optional_text(data.case_number, "case_number", _("事件番号"), 100, errors)
    counsel = optional_text(data.counsel, "counsel", _("外部弁護士・事務所"), 200, errors)
    if data.category not in MatterCategory.values:
        errors["category"] = [_("分野を選んでください。")]
    claim = yen(data.claim_amount, "claim_amount", errors, positive=False)
    today = timezone.localdate()
    opened_on = data.opened_on or today
    if opened_on > today:
        errors["opened_on"] = [_("受付日に未来の日付は入力できません。")]
    handler = handler_user(company, data.handler_id, errors)
    others = named_users(company, data.member_ids, None, errors)
    if errors:
        raise invalid(errors)
    matter = LegalMatter(
        company=company,
        number=_number(company, MatterKind.DISPUTE, opened_on),
        kind=MatterKind.DISPUTE,
        category=data.category,
        title=title,
        question=question,
        status=MatterStatus.OPEN,
        handler=handler,
        opponent=opponent,
        forum=forum,
        case_number=case_number,
        claim_amount=claim,
        counsel=counsel,
        opened_on=opened_on,
        created_by=actor,
    )
    _save(matter)
    _name_people(company, actor, matter, None, others)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=matter,
        after=snapshot(matter, MATTER_FIELDS),
        extra={"members": sorted(u.pk for u in others)} if others else None,
    )
    message = _("紛争「%(n)s %(t)s」に関係者として登録されました。") % {"n": matter.number, "t": title}
    tell(company, others, matter, message, actor)
    if handler is not None:
        tell(
            company,
            [handler],
            matter,
            _("紛争「%(n)s %(t)s」の担当になりました。") % {"n": matter.number, "t": title},
            actor,
        )
    return matter


@transaction.atomic
def update_dispute(
    *, company: Company, actor: User, membership: Membership, matter: LegalMatter, data: DisputeInput
) -> LegalMatter:
    """Change a dispute's facts (相手方, 裁判所, 事件番号, 請求額, 弁護士 …). Not its people or status."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("紛争の変更は法務が行います。"))
    if matter.kind != MatterKind.DISPUTE:
        raise fail("kind", _("法律相談は変更できません(経過メモに記入してください)。"))
    errors: dict[str, list[str]] = {}
    values = {
        "title": text(data.title, "title", _("件名"), 200, errors),
        "opponent": text(data.opponent, "opponent", _("相手方"), 200, errors),
        "question": optional_text(data.question, "question", _("経緯"), MAX_TEXT, errors),
        "forum": optional_text(data.forum, "forum", _("裁判所・機関"), 200, errors),
        "case_number": optional_text(data.case_number, "case_number", _("事件番号"), 100, errors),
        "counsel": optional_text(data.counsel, "counsel", _("外部弁護士・事務所"), 200, errors),
        "claim_amount": yen(data.claim_amount, "claim_amount", errors, positive=False),
        "category": data.category,
    }
    if data.category not in MatterCategory.values:
        errors["category"] = [_("分野を選んでください。")]
    if errors:
        raise invalid(errors)
    before = snapshot(matter, MATTER_FIELDS)
    for name, value in values.items():
        setattr(matter, name, value)
    _save(matter)
    after = snapshot(matter, MATTER_FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=matter, before=before, after=after
        )
    return matter


@transaction.atomic
def assign_handler(
    *, company: Company, actor: User, membership: Membership, matter: LegalMatter, handler_id: int | None
) -> LegalMatter:
    """The 法務 member who handles the matter (None: nobody yet). The new handler is told."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("担当者は法務が決めます。"))
    errors: dict[str, list[str]] = {}
    handler = handler_user(company, handler_id, errors)
    if errors:
        raise invalid(errors)
    if matter.handler_id == (handler.pk if handler else None):
        return matter
    before = {"handler": matter.handler_id}
    matter.handler = handler
    matter.save(update_fields=["handler", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=matter,
        before=before,
        after={"handler": matter.handler_id},
    )
    if handler is not None:
        tell(
            company,
            [handler],
            matter,
            _("「%(n)s %(t)s」の担当になりました。") % {"n": matter.number, "t": matter.title},
            actor,
        )
    return matter


@transaction.atomic
def answer_consultation(
    *, company: Company, actor: User, membership: Membership, matter: LegalMatter, answer: str
) -> LegalMatter:
    """法務's answer to a consultation: 回答済み, and the people who asked are told. Answering again
    (after 再開) replaces the answer; the earlier one stays in the history."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("回答は法務が行います。"))
    if matter.kind != MatterKind.CONSULTATION:
        raise fail("answer", _("回答できるのは法律相談です。"))
    if matter.status not in (S.OPEN, S.IN_PROGRESS):
        raise ServiceError(
            _("「%(s)s」の相談には回答できません(回答し直すときは先に再開してください)。")
            % {"s": S(matter.status).label},
            code="bad_transition",
            field_errors={"answer": [_("この状態では回答できません。")]},
        )
    errors: dict[str, list[str]] = {}
    answer = text(answer, "answer", _("回答"), MAX_TEXT, errors)
    if errors:
        raise invalid(errors)
    before = {"status": matter.status, "answer": matter.answer, "handler": matter.handler_id}
    matter.answer = answer
    matter.answered_at = timezone.now()
    matter.status = S.ANSWERED
    if matter.handler_id is None:
        matter.handler = actor
    matter.save(update_fields=["answer", "answered_at", "status", "handler", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="matter_answer",
        instance=matter,
        before=before,
        after={"status": matter.status, "answer": matter.answer, "handler": matter.handler_id},
    )
    tell(
        company,
        member_users(matter, MatterRole.REQUESTER),
        matter,
        _("法律相談「%(n)s %(t)s」に法務から回答がありました。") % {"n": matter.number, "t": matter.title},
        actor,
    )
    return matter


@transaction.atomic
def add_note(
    *, company: Company, actor: User, membership: Membership, matter: LegalMatter, body: str
) -> MatterNote:
    """A line in the running log, by 法務 or a person named. A named person's note tells the handler
    (or every 法務 member when nobody handles it yet); 法務's note tells the people named."""
    matter = locked(company, membership, matter)
    if not permissions.can_note(membership, matter):
        raise PermissionDeniedError(_("終結した案件には記入できません。法務に連絡してください。"))
    errors: dict[str, list[str]] = {}
    body = text(body, "body", _("内容"), 5000, errors)
    if errors:
        raise invalid(errors)
    note = MatterNote.objects.create(company=company, matter=matter, body=body, author=actor)
    record_event(
        company=company,
        actor=actor,
        action="matter_note",
        instance=matter,
        extra={"note": note.pk, "body": body[:500]},
    )
    message = _("「%(n)s %(t)s」に経過メモが追加されました。") % {"n": matter.number, "t": matter.title}
    if permissions.manages_matters(membership):
        tell(company, member_users(matter), matter, message, actor)
    else:
        tell(company, [matter.handler] if matter.handler else legal_members(company), matter, message, actor)
    return note


@transaction.atomic
def add_member(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    matter: LegalMatter,
    user_id: int | None,
    role: str = MatterRole.INVOLVED,
) -> MatterMember:
    """Name one more person on the matter (they see it from now on, and are told)."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("関係者の追加は法務が行います。"))
    if role not in MatterRole.values:
        raise fail("role", _("立場を選んでください。"))
    user, why = nameable_user(company, user_id)
    if user is None:
        raise fail("user", why)
    if MatterMember.objects.filter(company=company, matter=matter, user=user).exists():
        raise fail("user", _("%(u)sさんは既に関係者です。") % {"u": user.display_name()})
    row = MatterMember.objects.create(company=company, matter=matter, user=user, role=role, added_by=actor)
    record_event(
        company=company,
        actor=actor,
        action="matter_member_add",
        instance=matter,
        extra={"user": user.pk, "name": user.display_name(), "role": role},
    )
    tell(
        company,
        [user],
        matter,
        _("「%(n)s %(t)s」の関係者に追加されました。") % {"n": matter.number, "t": matter.title},
        actor,
    )
    return row


@transaction.atomic
def remove_member(
    *, company: Company, actor: User, membership: Membership, matter: LegalMatter, user_id: int | None
) -> None:
    """Take a person off the matter (they no longer see it). The 相談者 stays."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("関係者の削除は法務が行います。"))
    row = (
        MatterMember.objects.filter(company=company, matter=matter, user_id=user_id or 0)
        .select_related("user")
        .first()
    )
    if row is None:
        raise fail("user", _("この人は関係者ではありません。"))
    if row.role == MatterRole.REQUESTER:
        raise fail("user", _("相談者は関係者から外せません。"))
    row.delete()
    record_event(
        company=company,
        actor=actor,
        action="matter_member_remove",
        instance=matter,
        extra={"user": row.user_id, "name": row.user.display_name(), "role": row.role},
    )


@transaction.atomic
def record_matter_view(
    *, company: Company, actor: User, membership: Membership, matter: LegalMatter, file: str = ""
) -> None:
    """Who read a confidential matter (or one of its files), and when: the detail page, the file view
    and the API's detail call it."""
    if matter.company_id != company.pk or not permissions.can_see(membership, matter):
        raise NotFound()
    record_event(
        company=company, actor=actor, action="view", instance=matter, extra={"file": file} if file else None
    )
