"""Writing 総務・一般事務への依頼 (名刺, 文房具, 修理・営繕, データ入力 …).

Request types are a small master (admin / 総務). Any member files a request of a type; it goes to
the type's team (総務 = role affairs, 一般事務 = role frontdesk, admin both), whose members are told
and take or assign it. Statuses move only as ``rules.visits.REQUEST_TRANSITIONS`` allows; the
requester is told of every change and may cancel while it is not done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify, notify_many
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models import OfficeRequest, OfficeRequestStatus, OfficeRequestType, Team
from ennoshita.frontdesk.permissions_visits import MEMBER_ROLES, REQUEST_TYPE_ROLES, TEAM_ROLES
from ennoshita.frontdesk.rules import visits as rules

TYPE_FIELDS = ("name", "team", "description", "is_active", "sort_order")
REQUEST_FIELDS = (
    "request_type",
    "title",
    "detail",
    "due_on",
    "requester",
    "assignee",
    "status",
    "resolution",
    "closed_at",
)


def _invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


# ------------------------------------------------------------------------------ request types


@dataclass(frozen=True)
class RequestTypeInput:
    name: str
    team: str = Team.AFFAIRS
    description: str = ""
    is_active: bool = True
    sort_order: Any = 0


def _clean_type(
    company: Company, data: RequestTypeInput, current: OfficeRequestType | None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = " ".join(nfkc(data.name or "").split())
    if not name:
        errors["name"] = [_("依頼の種類の名前を入力してください。")]
    elif len(name) > 100:
        errors["name"] = [_("%(n)s文字以内で入力してください。") % {"n": 100}]
    else:
        clash = OfficeRequestType.objects.for_company(company).filter(name=name)
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            errors["name"] = [_("「%(n)s」はすでにあります。") % {"n": name}]
    if data.team not in Team.values:
        errors["team"] = [_("担当を選んでください。")]
    description = (data.description or "").strip()
    if len(description) > 300:
        errors["description"] = [_("%(n)s文字以内で入力してください。") % {"n": 300}]
    try:
        order = int(nfkc(str(data.sort_order or 0)).strip() or "0")
    except ValueError:
        order = -1
    if not 0 <= order <= 32767:
        errors["sort_order"] = [_("表示順は0〜32767の整数で入力してください。")]
    if errors:
        raise _invalid(errors)
    return {
        "name": name,
        "team": data.team,
        "description": description,
        "is_active": bool(data.is_active),
        "sort_order": order,
    }


@transaction.atomic
def create_request_type(
    *, company: Company, actor: User, membership: Membership, data: RequestTypeInput
) -> OfficeRequestType:
    require_role(membership, *REQUEST_TYPE_ROLES)
    kind = OfficeRequestType(company=company, **_clean_type(company, data, None))
    kind.save()
    record_event(
        company=company, actor=actor, action="create", instance=kind, after=snapshot(kind, TYPE_FIELDS)
    )
    return kind


@transaction.atomic
def update_request_type(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request_type: OfficeRequestType,
    data: RequestTypeInput,
) -> OfficeRequestType:
    require_role(membership, *REQUEST_TYPE_ROLES)
    kind = (
        OfficeRequestType.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=request_type.pk)
        .first()
    )
    if kind is None:
        raise NotFound()
    values = _clean_type(company, data, kind)
    before = snapshot(kind, TYPE_FIELDS)
    for name, value in values.items():
        setattr(kind, name, value)
    kind.save()
    after = snapshot(kind, TYPE_FIELDS)
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=kind, before=before, after=after)
    return kind


# ------------------------------------------------------------------------------ requests


@dataclass(frozen=True)
class OfficeRequestInput:
    request_type_id: int | None
    title: str
    detail: str = ""
    due_on: date | None = None


def team_members(company: Company, team: str) -> list[User]:
    """The active members who work ``team``'s queue."""
    roles = TEAM_ROLES[team]
    members = Membership.objects.for_company(company).filter(is_active=True).select_related("user")
    return [m.user for m in members if m.has_any_role(*roles)]


def works_team(membership: Membership | None, team: str) -> bool:
    return membership is not None and membership.has_any_role(*TEAM_ROLES[team])


def request_url(req: OfficeRequest) -> str:
    return reverse("frontdesk:office_request_detail", args=[req.pk])


@transaction.atomic
def create_request(
    *, company: Company, actor: User, membership: Membership, data: OfficeRequestInput
) -> OfficeRequest:
    """依頼: any member; the team of the type is told."""
    require_role(membership, *MEMBER_ROLES)
    errors: dict[str, list[str]] = {}
    kind = None
    if data.request_type_id is not None:
        kind = (
            OfficeRequestType.objects.for_company(company)
            .filter(pk=data.request_type_id, is_active=True)
            .first()
        )
    if kind is None:
        errors["request_type"] = [_("依頼の種類を選んでください。")]
    title = " ".join(nfkc(data.title or "").split())
    if not title:
        errors["title"] = [_("件名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("%(n)s文字以内で入力してください。") % {"n": 200}]
    detail = (data.detail or "").strip()
    if len(detail) > 5000:
        errors["detail"] = [_("%(n)s文字以内で入力してください。") % {"n": 5000}]
    if data.due_on is not None and data.due_on < timezone.localdate():
        errors["due_on"] = [_("希望期限に過去の日付は指定できません。")]
    if errors:
        raise _invalid(errors)
    assert kind is not None
    req = OfficeRequest(
        company=company, request_type=kind, title=title, detail=detail, due_on=data.due_on, requester=actor
    )
    req.save()
    record_event(
        company=company, actor=actor, action="create", instance=req, after=snapshot(req, REQUEST_FIELDS)
    )
    notify_many(
        company=company,
        users=[u for u in team_members(company, kind.team) if u.pk != actor.pk],
        kind="frontdesk.office_request",
        text=_("%(team)sへの依頼「%(title)s」(%(type)s、%(who)s さん)")
        % {"team": kind.get_team_display(), "title": title, "type": kind.name, "who": actor.display_name()},
        url=request_url(req),
        object_type="frontdesk.officerequest",
        object_id=req.pk,
    )
    return req


def _locked(company: Company, req: OfficeRequest) -> OfficeRequest:
    found = (
        OfficeRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("request_type")
        .filter(pk=req.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _tell_requester(company: Company, actor: User, req: OfficeRequest) -> None:
    if req.requester_id == actor.pk:
        return
    text = _("依頼「%(title)s」は「%(status)s」になりました") % {
        "title": req.title,
        "status": req.get_status_display(),
    }
    if req.resolution and req.status in (OfficeRequestStatus.DONE, OfficeRequestStatus.CANCELLED):
        text += f": {req.resolution}"
    notify(
        company=company,
        user=req.requester,
        kind="frontdesk.office_request_status",
        text=text,
        url=request_url(req),
        object_type="frontdesk.officerequest",
        object_id=req.pk,
    )


@transaction.atomic
def transition_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: OfficeRequest,
    status: str,
    assignee_id: int | None = None,
    resolution: str = "",
) -> OfficeRequest:
    """Move a request: the team takes it (対応中, to themself or ``assignee_id``), returns it to the
    queue, closes it with a resolution (完了) or cancels it; the requester may cancel their own.
    Only the moves of ``REQUEST_TRANSITIONS``; the requester is told of each."""
    require_role(membership, *MEMBER_ROLES)
    req = _locked(company, request)
    team = req.request_type.team
    is_team = works_team(membership, team)
    is_requester = req.requester_id == actor.pk
    if status == OfficeRequestStatus.CANCELLED:
        if not (is_team or is_requester):
            raise PermissionDeniedError(_("依頼を取り消せるのは依頼者本人か担当チームだけです。"))
    elif not is_team:
        raise PermissionDeniedError(
            _("この依頼を処理できるのは%(team)sの担当者だけです。")
            % {"team": req.request_type.get_team_display()}
        )
    if status not in OfficeRequestStatus.values or not rules.may_move(
        rules.REQUEST_TRANSITIONS, req.status, status
    ):
        label = dict(OfficeRequestStatus.choices).get(status, status)
        raise ServiceError(
            _("「%(from)s」の依頼は「%(to)s」にできません。")
            % {"from": req.get_status_display(), "to": label},
            code="invalid_state",
            field_errors={"status": [_("この状態には変えられません。")]},
        )
    resolution = (resolution or "").strip()
    if len(resolution) > 500:
        raise _invalid({"resolution": [_("%(n)s文字以内で入力してください。") % {"n": 500}]})
    if status == OfficeRequestStatus.DONE and not resolution:
        raise _invalid({"resolution": [_("完了にするときは対応内容を入力してください。")]})
    before = snapshot(req, REQUEST_FIELDS)
    if status == OfficeRequestStatus.IN_PROGRESS:
        req.assignee = _assignee(company, team, actor, assignee_id)
    elif status == OfficeRequestStatus.OPEN:
        req.assignee = None
    elif status == OfficeRequestStatus.DONE and req.assignee_id is None:
        req.assignee = actor
    if status in (OfficeRequestStatus.DONE, OfficeRequestStatus.CANCELLED):
        req.closed_at = timezone.now()
        req.resolution = resolution
    req.status = status
    req.save()
    record_event(
        company=company,
        actor=actor,
        action=f"request_{status}",
        instance=req,
        before=before,
        after=snapshot(req, REQUEST_FIELDS),
    )
    _tell_requester(company, actor, req)
    if req.assignee is not None and req.assignee_id != actor.pk and status == OfficeRequestStatus.IN_PROGRESS:
        notify(
            company=company,
            user=req.assignee,
            kind="frontdesk.office_request_assigned",
            text=_("依頼「%(title)s」の担当になりました") % {"title": req.title},
            url=request_url(req),
            object_type="frontdesk.officerequest",
            object_id=req.pk,
        )
    return req


def _assignee(company: Company, team: str, actor: User, assignee_id: int | None) -> User:
    if assignee_id is None or assignee_id == actor.pk:
        return actor
    member = (
        Membership.objects.for_company(company)
        .filter(Q(user_id=assignee_id), is_active=True)
        .select_related("user")
        .first()
    )
    if member is None or not works_team(member, team):
        raise _invalid({"assignee": [_("担当者はこのチームのメンバーから選んでください。")]})
    return member.user


def cancel_request(
    *, company: Company, actor: User, membership: Membership, request: OfficeRequest, reason: str = ""
) -> OfficeRequest:
    return transition_request(
        company=company,
        actor=actor,
        membership=membership,
        request=request,
        status=OfficeRequestStatus.CANCELLED,
        resolution=reason,
    )
