"""Making a request and working on it: take (着手), hand over (引継ぎ, to a colleague or another
team), comment, ask the requester (回答待ち) and answer, close (完了) and cancel (取消). Each write
is one transaction with an audit event and a line in the request's own history; a refusal writes
nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.requests import permissions
from ennoshita.requests.models import (
    EventKind,
    RecurringRequest,
    RequestRecord,
    RequestType,
    Team,
    TeamMember,
    WorkRequest,
)

from .base import (
    REQUEST_FIELDS,
    S,
    add_event,
    check_move,
    fail,
    locked,
    new_number,
    sla_due,
    team_users,
    tell,
)
from .grants import sync_request_grants
from .records import add_files, add_records, clean_records

EDIT_FIELDS = ("title", "body", "due_on")


def _checked_text(
    title: str, body: str, due_on: date | None, *, today: date, kept_due_on: date | None = None
) -> tuple[str, str]:
    """件名, 依頼内容 and 期限 of a request being made or corrected: the trimmed title and body, or a
    ServiceError on every field at fault. A due date may not be in the past unless it is the one the
    request already had (``kept_due_on``)."""
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("件名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("件名は200文字以内で入力してください。")]
    if not body:
        errors["body"] = [_("依頼内容を入力してください。")]
    if due_on is not None and due_on != kept_due_on and due_on < today:
        errors["due_on"] = [_("期限に過去の日付は指定できません。")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="validation", field_errors=errors)
    return title, body


def _team(company: Company, team_id: int | None) -> Team:
    team = Team.objects.for_company(company).filter(pk=team_id or 0, is_active=True).first()
    if team is None:
        raise fail("team", _("依頼先のチームを選んでください。"))
    return team


def _type(company: Company, team: Team, type_id: int | None) -> RequestType | None:
    if not type_id:
        return None
    row = RequestType.objects.for_company(company).filter(pk=type_id, team=team, is_active=True).first()
    if row is None:
        raise fail("request_type", _("このチームの受付中の依頼の種類から選んでください。"))
    return row


@transaction.atomic
def create_request(
    *,
    company: Company,
    actor: User,
    membership: Membership | None,
    team_id: int | None,
    request_type_id: int | None,
    title: str,
    body: str,
    due_on: date | None = None,
    records: Sequence[tuple[str, str]] = (),
    files: Sequence[tuple[str, bytes]] = (),
    recurring: RecurringRequest | None = None,
    today: date | None = None,
) -> WorkRequest:
    """A request to a team. Any member but the outside team may make one (``membership`` None: the
    recurring job, for the recurring request's requester)."""
    if membership is not None and not permissions.can_request(membership):
        raise PermissionDeniedError(_("外部アシスタントは依頼を作成できません。"))
    today = today or timezone.localdate()
    team = _team(company, team_id)
    request_type = _type(company, team, request_type_id)
    title, body = _checked_text(title, body, due_on, today=today)
    named = clean_records(company, records)
    sla = sla_due(company, today, request_type.turnaround_days) if request_type else None
    request = WorkRequest.objects.create(
        company=company,
        number=new_number(company, today),
        team=team,
        request_type=request_type,
        title=title,
        body=body,
        requester=actor,
        due_on=due_on,
        sla_due_on=sla,
        recurring=recurring,
    )
    record_event(company=company, actor=actor, action="create", instance=request, after=snapshot(request))
    add_event(request, EventKind.CREATED, actor, body[:500])
    add_records(company, actor, request, named)
    add_files(company, actor, request, files)
    sync_request_grants(request)
    tell(team_users(team), request, _("新しい依頼が届きました。"), skip=actor)
    return request


def _visible(company: Company, membership: Membership, request: WorkRequest | int) -> WorkRequest:
    row = locked(company, request)
    if not permissions.can_see(membership, row):
        raise NotFound()
    return row


def _as_team(company: Company, membership: Membership, request: WorkRequest | int) -> WorkRequest:
    row = _visible(company, membership, request)
    if not permissions.works_on(membership, row):
        raise PermissionDeniedError(_("依頼先チームのメンバーだけが対応できます。"))
    return row


def _save(
    company: Company, actor: User, row: WorkRequest, before: dict, action: str, extra: dict | None = None
) -> None:
    row.save()
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=row,
        before=before,
        after=snapshot(row, fields=REQUEST_FIELDS),
        extra=extra,
    )


@transaction.atomic
def take_request(
    *, company: Company, actor: User, membership: Membership, request: WorkRequest | int
) -> WorkRequest:
    """A team member takes the request: 対応中, themselves as 担当者."""
    row = _as_team(company, membership, request)
    if row.status == S.IN_PROGRESS and row.assignee_id == actor.pk:
        raise fail("status", _("既にあなたが担当しています。"))
    if row.status not in (S.OPEN, S.IN_PROGRESS, S.WAITING):
        check_move(row, S.IN_PROGRESS)
    before = snapshot(row, fields=REQUEST_FIELDS)
    row.status = S.IN_PROGRESS
    row.assignee = actor
    row.taken_at = row.taken_at or timezone.now()
    _save(company, actor, row, before, "request_take")
    add_event(row, EventKind.TAKEN, actor)
    tell([row.requester], row, _("%(u)sさんが対応を始めました。") % {"u": actor.display_name()}, skip=actor)
    return row


@transaction.atomic
def hand_over(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: WorkRequest | int,
    note: str,
    to_user_id: int | None = None,
    to_team_id: int | None = None,
) -> WorkRequest:
    """引継ぎ: to another active member of the same team (with a note), or to another team (the
    request is open and unassigned there; the outside team's grants follow it)."""
    row = _as_team(company, membership, request)
    note = (note or "").strip()
    if row.status not in (S.OPEN, S.IN_PROGRESS, S.WAITING):
        raise fail("status", _("完了・取消した依頼は引き継げません。"))
    if not note:
        raise fail("note", _("引継ぎのメモを入力してください。"))
    if bool(to_user_id) == bool(to_team_id):
        raise fail("to_user", _("引き継ぐ相手(メンバー)か、依頼先のチームのどちらかを選んでください。"))
    before = snapshot(row, fields=REQUEST_FIELDS)
    if to_user_id:
        member = (
            TeamMember.objects.for_company(company)
            .filter(team_id=row.team_id, user_id=to_user_id, is_active=True)
            .select_related("user")
            .first()
        )
        if member is None:
            raise fail("to_user", _("同じチームの有効なメンバーを選んでください。"))
        if member.user_id == row.assignee_id:
            raise fail("to_user", _("既にその人が担当しています。"))
        row.assignee = member.user
        row.status = S.IN_PROGRESS if row.status == S.OPEN else row.status
        row.taken_at = row.taken_at or timezone.now()
        text = _("%(a)s → %(b)s: %(n)s") % {
            "a": actor.display_name(),
            "b": member.user.display_name(),
            "n": note,
        }
        _save(company, actor, row, before, "request_hand_over", {"note": note})
        add_event(row, EventKind.HANDED_OVER, actor, text)
        tell([member.user], row, _("依頼を引き継ぎました: %(n)s") % {"n": note[:100]}, skip=actor)
        return row
    team = Team.objects.for_company(company).filter(pk=to_team_id, is_active=True).first()
    if team is None or team.pk == row.team_id:
        raise fail("to_team", _("別の有効なチームを選んでください。"))
    old_team = row.team
    row.team = team
    row.request_type = None
    row.assignee = None
    row.status = S.OPEN
    _save(company, actor, row, before, "request_hand_over", {"note": note, "from_team": old_team.pk})
    add_event(
        row,
        EventKind.HANDED_OVER,
        actor,
        _("%(a)s → %(b)s: %(n)s") % {"a": old_team.name, "b": team.name, "n": note},
    )
    sync_request_grants(row)
    tell(team_users(team), row, _("%(t)sから依頼が回ってきました。") % {"t": old_team.name}, skip=actor)
    tell([row.requester], row, _("依頼先が%(t)sに変わりました。") % {"t": team.name}, skip=actor)
    return row


@transaction.atomic
def comment(
    *, company: Company, actor: User, membership: Membership, request: WorkRequest | int, body: str
) -> WorkRequest:
    """A comment by the requester or the team."""
    row = _visible(company, membership, request)
    body = (body or "").strip()
    if not body:
        raise fail("body", _("コメントを入力してください。"))
    if len(body) > 5000:
        raise fail("body", _("コメントは5000文字以内で入力してください。"))
    if row.status in (S.DONE, S.CANCELLED):
        raise fail("body", _("完了・取消した依頼にはコメントできません。"))
    add_event(row, EventKind.COMMENT, actor, body)
    record_event(
        company=company, actor=actor, action="request_comment", instance=row, extra={"body": body[:500]}
    )
    _tell_other_side(row, actor, _("コメントがありました: %(b)s") % {"b": body[:100]})
    return row


def _tell_other_side(row: WorkRequest, actor: User, text: str) -> None:
    if actor.pk == row.requester_id:
        tell([row.assignee] if row.assignee else team_users(row.team), row, text, skip=actor)
    else:
        tell([row.requester], row, text, skip=actor)


@transaction.atomic
def ask_requester(
    *, company: Company, actor: User, membership: Membership, request: WorkRequest | int, question: str
) -> WorkRequest:
    """The team asks the requester something: 依頼者の回答待ち until they answer."""
    row = _as_team(company, membership, request)
    question = (question or "").strip()
    if not question:
        raise fail("body", _("質問を入力してください。"))
    check_move(row, S.WAITING)
    before = snapshot(row, fields=REQUEST_FIELDS)
    row.status = S.WAITING
    _save(company, actor, row, before, "request_status", {"question": question[:500]})
    add_event(row, EventKind.STATUS, actor, _("依頼者への質問: %(q)s") % {"q": question})
    tell([row.requester], row, _("確認のお願いがあります: %(q)s") % {"q": question[:100]}, skip=actor)
    return row


@transaction.atomic
def answer(
    *, company: Company, actor: User, membership: Membership, request: WorkRequest | int, body: str
) -> WorkRequest:
    """The requester answers: back to 対応中 (受付待ち when nobody has taken it yet)."""
    row = _visible(company, membership, request)
    if not permissions.is_requester(membership, row):
        raise PermissionDeniedError(_("回答できるのは依頼者だけです。"))
    body = (body or "").strip()
    if not body:
        raise fail("body", _("回答を入力してください。"))
    if row.status != S.WAITING:
        raise fail("body", _("回答待ちの依頼ではありません。"))
    before = snapshot(row, fields=REQUEST_FIELDS)
    row.status = S.IN_PROGRESS if row.assignee_id else S.OPEN
    _save(company, actor, row, before, "request_status", {"answer": body[:500]})
    add_event(row, EventKind.STATUS, actor, _("依頼者の回答: %(b)s") % {"b": body})
    _tell_other_side(row, actor, _("依頼者から回答がありました。"))
    return row


@transaction.atomic
def close_request(
    *, company: Company, actor: User, membership: Membership, request: WorkRequest | int, resolution: str
) -> WorkRequest:
    """完了 with a report; the requester is told; the outside team's grants end."""
    row = _as_team(company, membership, request)
    resolution = (resolution or "").strip()
    if not resolution:
        raise fail("resolution", _("完了報告を入力してください。"))
    check_move(row, S.DONE)
    before = snapshot(row, fields=REQUEST_FIELDS)
    row.status = S.DONE
    row.resolution = resolution
    row.closed_at = timezone.now()
    row.assignee = row.assignee or actor
    _save(company, actor, row, before, "request_close")
    add_event(row, EventKind.CLOSED, actor, resolution)
    sync_request_grants(row)
    tell([row.requester], row, _("依頼が完了しました。"), skip=actor)
    return row


@transaction.atomic
def cancel_request(
    *, company: Company, actor: User, membership: Membership, request: WorkRequest | int, reason: str = ""
) -> WorkRequest:
    """The requester (or an admin) withdraws the request before it is done."""
    row = _visible(company, membership, request)
    if not (permissions.is_requester(membership, row) or permissions.is_admin(membership)):
        raise PermissionDeniedError(_("取り消せるのは依頼者だけです。"))
    check_move(row, S.CANCELLED)
    before = snapshot(row, fields=REQUEST_FIELDS)
    row.status = S.CANCELLED
    row.closed_at = timezone.now()
    _save(company, actor, row, before, "request_cancel", {"reason": (reason or "").strip()[:500]})
    add_event(
        row,
        EventKind.STATUS,
        actor,
        _("取消: %(r)s") % {"r": (reason or "").strip()} if reason else _("取消"),
    )
    sync_request_grants(row)
    tell(
        [row.assignee] if row.assignee else team_users(row.team),
        row,
        _("依頼が取り消されました。"),
        skip=actor,
    )
    return row


@transaction.atomic
def attach_files(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: WorkRequest | int,
    files: Sequence[tuple[str, bytes]],
) -> WorkRequest:
    """More files on an open request, by the requester or the team (the outside team's deliverables
    included); the outside team is granted them at once."""
    row = _visible(company, membership, request)
    if not (permissions.is_requester(membership, row) or permissions.works_on(membership, row)):
        raise PermissionDeniedError()
    if row.status not in (S.OPEN, S.IN_PROGRESS, S.WAITING):
        raise fail("files", _("完了・取消した依頼にはファイルを追加できません。"))
    if not files:
        raise fail("files", _("ファイルを選んでください。"))
    add_files(company, actor, row, files)
    sync_request_grants(row)
    return row


@transaction.atomic
def edit_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: WorkRequest | int,
    title: str,
    body: str,
    due_on: date | None,
    records: Sequence[tuple[str, str]] | None = None,
    today: date | None = None,
) -> WorkRequest:
    """The requester (or an admin) corrects an open request: 件名, 依頼内容, 期限 and — when
    ``records`` is given — the records it names (the full new list). Each change is a line in the
    request's history that the team reads, and the team is told; the outside team's grants follow
    the records at once. A due date already passed may stay, a new one may not be in the past."""
    row = _visible(company, membership, request)
    if not (permissions.is_requester(membership, row) or permissions.is_admin(membership)):
        raise PermissionDeniedError(_("依頼内容を変更できるのは依頼者だけです。"))
    if row.status not in (S.OPEN, S.IN_PROGRESS, S.WAITING):
        raise ServiceError(_("完了・取消した依頼は変更できません。"), code="validation")
    today = today or timezone.localdate()
    title, body = _checked_text(title, body, due_on, today=today, kept_due_on=row.due_on)
    changes: list[str] = []
    if title != row.title:
        changes.append(_("件名: %(a)s → %(b)s") % {"a": row.title, "b": title})
    if body != row.body:
        changes.append(_("依頼内容を変更しました。"))
    if due_on != row.due_on:
        changes.append(
            _("期限: %(a)s → %(b)s")
            % {"a": row.due_on.isoformat() if row.due_on else "—", "b": due_on.isoformat() if due_on else "—"}
        )
    removed: list[RequestRecord] = []
    added: list[tuple[str, str, str]] = []
    if records is not None:
        wanted = clean_records(company, records)
        current = {(r.object_type, r.object_id): r for r in row.records.all()}
        keys = {(t, i) for t, i, _label in wanted}
        removed = [r for k, r in current.items() if k not in keys]
        added = [w for w in wanted if (w[0], w[1]) not in current]
        changes += [_("対象を外しました: %(l)s") % {"l": r.label} for r in removed]
        changes += [_("対象を追加しました: %(l)s") % {"l": label} for _t, _i, label in added]
    if not changes:
        return row
    before = snapshot(row, fields=EDIT_FIELDS)
    row.title, row.body, row.due_on = title, body, due_on
    row.save(update_fields=["title", "body", "due_on"])
    record_event(
        company=company,
        actor=actor,
        action="request_edit",
        instance=row,
        before=before,
        after=snapshot(row, fields=EDIT_FIELDS),
        extra={"records_removed": [f"{r.object_type}:{r.object_id}" for r in removed]} if removed else None,
    )
    for r in removed:
        r.delete()
    add_records(company, actor, row, added)
    add_event(row, EventKind.EDITED, actor, "\n".join(changes))
    sync_request_grants(row)
    tell(
        [row.assignee] if row.assignee else team_users(row.team),
        row,
        _("依頼内容が変更されました。"),
        skip=actor,
    )
    return row
