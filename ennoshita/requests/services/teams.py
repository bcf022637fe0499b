"""The teams requests go to, their members, and their service catalogue (依頼の種類). 管理者 only.

An outside team's members are memberships with the ``assistant`` role and an 有効期限; an in-house
team's members are members without it. Revoking a team (契約解除) takes effect at once: the team is
closed, every grant its members hold is taken back, its open requests go back to 受付待ち unassigned
(with a line in their history), and its members' memberships are deactivated (the middleware drops
inactive memberships on the next page)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core import grants
from ennoshita.core import services as core_services
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.money import yen
from ennoshita.requests import permissions
from ennoshita.requests.models import (
    OPEN_STATUSES,
    EventKind,
    RequestType,
    Team,
    TeamKind,
    TeamMember,
    WorkRequest,
)

from .base import S, add_event, fail
from .grants import source_of, sync_request_grants

TEAM_FIELDS = ("kind", "name", "description", "hourly_rate", "inhouse_hourly_cost", "is_active", "revoked_at")
TYPE_FIELDS = ("team", "name", "description", "needs", "turnaround_days", "is_active", "sort_order")
MAX_RATE = Decimal("1000000")


def _admin(membership: Membership | None) -> None:
    if membership is not None and not (
        permissions.is_admin(membership) and not permissions.is_assistant(membership)
    ):
        raise PermissionDeniedError(_("チームとサービスカタログは管理者が管理します。"))


def _rate(field: str, value: Decimal | int | str | None) -> Decimal:
    try:
        amount = yen(value if value is not None else 0)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise fail(field, _("円単位の整数で入力してください。")) from exc
    if amount < 0 or amount > MAX_RATE:
        raise fail(field, _("0〜1,000,000円の範囲で入力してください。"))
    return amount


def _team_of(company: Company, team: Team | int) -> Team:
    pk = team if isinstance(team, int) else team.pk
    row = Team.objects.for_company(company).select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


@transaction.atomic
def save_team(
    *,
    company: Company,
    actor: User,
    membership: Membership | None,
    name: str,
    kind: str,
    hourly_rate: Decimal | int | str = 0,
    inhouse_hourly_cost: Decimal | int | str = 0,
    description: str = "",
    team: Team | int | None = None,
) -> Team:
    """Create a team (``team`` None) or change one. The kind of a team with members is fixed."""
    _admin(membership)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise fail("name", _("チーム名を100文字以内で入力してください。"))
    if kind not in TeamKind.values:
        raise fail("kind", _("チームの種類を選んでください。"))
    row = _team_of(company, team) if team is not None else Team(company=company, created_by=actor)
    if row.pk and not row.is_active:
        raise fail("name", _("契約解除したチームは変更できません。"))
    if Team.objects.for_company(company).filter(name=name).exclude(pk=row.pk).exists():
        raise fail("name", _("同じ名前のチームがあります。"))
    if row.pk and row.kind != kind and TeamMember.objects.filter(team=row, is_active=True).exists():
        raise fail("kind", _("メンバーのいるチームの種類は変えられません。"))
    before = snapshot(row, fields=TEAM_FIELDS) if row.pk else None
    row.name, row.kind, row.description = name, kind, (description or "").strip()
    row.hourly_rate = _rate("hourly_rate", hourly_rate)
    row.inhouse_hourly_cost = _rate("inhouse_hourly_cost", inhouse_hourly_cost)
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=row,
        before=before,
        after=snapshot(row, fields=TEAM_FIELDS),
    )
    return row


@transaction.atomic
def add_team_member(
    *, company: Company, actor: User, membership: Membership | None, team: Team | int, user_id: int
) -> TeamMember:
    """Add a member of the company to the team (again, when they were removed)."""
    _admin(membership)
    row = _team_of(company, team)
    if not row.is_active:
        raise fail("user", _("契約解除したチームにはメンバーを追加できません。"))
    target = (
        Membership.objects.for_company(company)
        .filter(user_id=user_id, is_active=True)
        .select_related("user")
        .first()
    )
    if target is None:
        raise fail("user", _("この会社の有効なメンバーを選んでください。"))
    assistant = target.has_any_role(Role.ASSISTANT)
    if row.kind == TeamKind.OUTSIDE:
        if not assistant:
            raise fail("user", _("外部チームのメンバーは外部アシスタントのロールの人だけです。"))
        if target.expires_on is None or target.expires_on < timezone.localdate():
            raise fail("user", _("有効期限が切れていない外部アシスタントを選んでください。"))
    elif assistant:
        raise fail("user", _("外部アシスタントは社内チームのメンバーにできません。"))
    member, created = TeamMember.objects.get_or_create(company=company, team=row, user=target.user)
    if not created and member.is_active:
        raise fail("user", _("既にこのチームのメンバーです。"))
    if not created:
        member.is_active = True
        member.save(update_fields=["is_active"])
    record_event(
        company=company, actor=actor, action="team_member_add", instance=row, extra={"user": target.user_id}
    )
    if row.kind == TeamKind.OUTSIDE:
        for request in _open_requests(company, row):
            sync_request_grants(request)
    return member


def _open_requests(company: Company, team: Team) -> list[WorkRequest]:
    return list(
        WorkRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("team", "company")
        .filter(team=team, status__in=OPEN_STATUSES)
        .order_by("pk")
    )


def _release(company: Company, actor: User, request: WorkRequest, text: str) -> None:
    before = snapshot(request, fields=("status", "assignee"))
    request.status = S.OPEN
    request.assignee = None
    request.save(update_fields=["status", "assignee", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="request_release",
        instance=request,
        before=before,
        after=snapshot(request, fields=("status", "assignee")),
    )
    add_event(request, EventKind.STATUS, actor, text)


@transaction.atomic
def remove_team_member(
    *, company: Company, actor: User, membership: Membership | None, team: Team | int, user_id: int
) -> TeamMember:
    """The member leaves the team: their grants under its requests end and the requests they had
    go back to 受付待ち."""
    _admin(membership)
    row = _team_of(company, team)
    member = (
        TeamMember.objects.for_company(company)
        .filter(team=row, user_id=user_id, is_active=True)
        .select_related("user")
        .first()
    )
    if member is None:
        raise NotFound()
    member.is_active = False
    member.save(update_fields=["is_active"])
    record_event(
        company=company, actor=actor, action="team_member_remove", instance=row, extra={"user": user_id}
    )
    core_membership = Membership.objects.for_company(company).filter(user_id=user_id).first()
    for request in _open_requests(company, row):
        if core_membership is not None:
            grants.revoke_source(company=company, source=source_of(request), memberships=[core_membership.pk])
        if request.assignee_id == user_id:
            _release(
                company,
                actor,
                request,
                _("%(u)sさんがチームを離れたため、担当者なしに戻しました。")
                % {"u": member.user.display_name()},
            )
    return member


@transaction.atomic
def revoke_team(*, company: Company, actor: User, membership: Membership | None, team: Team | int) -> Team:
    """契約解除: at once, nobody of the team reaches anything through it any more."""
    _admin(membership)
    row = _team_of(company, team)
    if not row.is_active:
        raise fail("team", _("このチームは既に契約解除されています。"))
    before = snapshot(row, fields=TEAM_FIELDS)
    row.is_active = False
    row.revoked_at = timezone.now()
    row.save(update_fields=["is_active", "revoked_at"])
    record_event(
        company=company,
        actor=actor,
        action="team_revoke",
        instance=row,
        before=before,
        after=snapshot(row, fields=TEAM_FIELDS),
    )
    requests = _open_requests(company, row)
    for request in requests:
        grants.revoke_source(company=company, source=source_of(request))
        _release(
            company,
            actor,
            request,
            _("依頼先チーム「%(t)s」の契約が解除されたため、担当者なしに戻しました。") % {"t": row.name},
        )
    user_ids = list(TeamMember.objects.filter(team=row, is_active=True).values_list("user_id", flat=True))
    for m in Membership.objects.for_company(company).filter(user_id__in=user_ids).order_by("pk"):
        grants.revoke_membership(company=company, membership=m)
        if (
            row.kind == TeamKind.OUTSIDE
            and m.has_any_role(Role.ASSISTANT)
            and m.is_active
            and not _in_other_team(m, row)
        ):
            _deactivate(company, actor, m)
    return row


def _in_other_team(membership: Membership, team: Team) -> bool:
    return (
        TeamMember.objects.filter(
            company_id=membership.company_id, user_id=membership.user_id, is_active=True, team__is_active=True
        )
        .exclude(team=team)
        .exists()
    )


def _deactivate(company: Company, actor: User, membership: Membership) -> None:
    core_services.deactivate_member(
        company=company, actor=actor, membership=membership, reason="team_revoked"
    )


# ---------------------------------------------------------------------- catalogue
@transaction.atomic
def save_request_type(
    *,
    company: Company,
    actor: User,
    membership: Membership | None,
    team: Team | int,
    name: str,
    needs: str = "",
    description: str = "",
    turnaround_days: int = 3,
    is_active: bool = True,
    sort_order: int = 0,
    request_type: RequestType | int | None = None,
) -> RequestType:
    """A catalogue entry: what the team does, what the requester should give, in how many 営業日."""
    _admin(membership)
    owner = _team_of(company, team)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise fail("name", _("依頼の種類を100文字以内で入力してください。"))
    if not isinstance(turnaround_days, int) or not 0 <= turnaround_days <= 60:
        raise fail("turnaround_days", _("標準の所要日数は0〜60営業日で入力してください。"))
    if request_type is not None:
        pk = request_type if isinstance(request_type, int) else request_type.pk
        row = RequestType.objects.for_company(company).filter(pk=pk, team=owner).first()
        if row is None:
            raise NotFound()
    else:
        row = RequestType(company=company, team=owner)
    if RequestType.objects.filter(team=owner, name=name).exclude(pk=row.pk).exists():
        raise fail("name", _("同じ名前の依頼の種類があります。"))
    before = snapshot(row, fields=TYPE_FIELDS) if row.pk else None
    row.name, row.needs, row.description = name, (needs or "").strip(), (description or "").strip()
    row.turnaround_days, row.is_active, row.sort_order = (
        turnaround_days,
        bool(is_active),
        max(0, min(int(sort_order), 32767)),
    )
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=row,
        before=before,
        after=snapshot(row, fields=TYPE_FIELDS),
    )
    return row
