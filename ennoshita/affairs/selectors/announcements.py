"""Reads of お知らせ・社内報: who an announcement is for, what a member sees now (with 既読), the
managers' list with its states, and who has read one and who has not.

Audience (対象):
- 全社: every active member of the company except the outside assistant team (外部アシスタント),
  who sees only what it is given personally (ARCHITECTURE.md, "Access for the outside team");
- 部門: the employees whose placement in force today is in one of the departments or below it
  (a notice to 営業本部 reaches 第一営業部 too), as the people app answers it;
- 役割: the members who hold one of the roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ennoshita.affairs.models import Announcement, AnnouncementRead, AnnouncementTarget, AudienceKind
from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors

MANAGER_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR)
OBJECT_TYPE = "affairs.announcement"


class Status:
    """The state of an announcement at a moment (derived from its dates, not stored)."""

    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

    LABELS = {
        SCHEDULED: _("掲載予定"),
        PUBLISHED: _("掲載中"),
        EXPIRED: _("掲載終了"),
        WITHDRAWN: _("取り下げ"),
    }
    CHOICES = list(LABELS.items())


def status_of(announcement: Announcement, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if announcement.is_withdrawn:
        return Status.WITHDRAWN
    if announcement.publish_at > now:
        return Status.SCHEDULED
    if announcement.expire_at is not None and announcement.expire_at <= now:
        return Status.EXPIRED
    return Status.PUBLISHED


def status_label(announcement: Announcement) -> str:
    return str(Status.LABELS[status_of(announcement)])


def is_manager(membership: Membership) -> bool:
    return membership.has_any_role(*MANAGER_ROLES)


def _require_manager(membership: Membership) -> None:
    if not is_manager(membership):
        raise PermissionDeniedError()


def _status_q(status: str, now: datetime) -> Q:
    live = Q(is_withdrawn=False)
    not_expired = Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    return {
        Status.SCHEDULED: live & Q(publish_at__gt=now),
        Status.PUBLISHED: live & Q(publish_at__lte=now) & not_expired,
        Status.EXPIRED: live & Q(publish_at__lte=now) & Q(expire_at__lte=now),
        Status.WITHDRAWN: Q(is_withdrawn=True),
    }.get(status, Q())


def _search(qs: QuerySet[Announcement], q: str) -> QuerySet[Announcement]:
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs


# ------------------------------------------------------------------------------------ audience
def audience_q(*, company: Company, membership: Membership) -> Q:
    """The announcements addressed to ``membership`` (whatever their dates)."""
    if membership.has_any_role(Role.ASSISTANT):
        return Q(pk__in=[])
    departments = people_selectors.department_ids_of_user(company=company, user_id=membership.user_id)
    roles = [r for r in membership.roles if r != Role.ASSISTANT]
    targeted = AnnouncementTarget.objects.filter(announcement=OuterRef("pk")).filter(
        Q(department_id__in=departments) | Q(role__in=roles)
    )
    return Q(audience=AudienceKind.COMPANY) | Q(Exists(targeted))


def audience_users(*, company: Company, announcement: Announcement) -> list[User]:
    """Who the announcement is for, today: active members, by name."""
    members = [
        m
        for m in core_selectors.memberships_of_company(company=company).filter(is_active=True)
        if (m.expires_on is None or m.expires_on >= timezone.localdate())
        and not m.has_any_role(Role.ASSISTANT)
    ]
    if announcement.audience == AudienceKind.COMPANY:
        chosen = members
    elif announcement.audience == AudienceKind.ROLES:
        roles = set(announcement.targets.exclude(role="").values_list("role", flat=True))
        chosen = [m for m in members if m.role_set() & roles]
    else:
        department_ids: set[int] = set()
        for dept_id in announcement.targets.filter(department__isnull=False).values_list(
            "department_id", flat=True
        ):
            department_ids.update(people_selectors.descendant_ids(company=company, department_id=dept_id))
        employees = people_selectors.employees_in_service(
            company=company, as_of=timezone.localdate(), department_ids=sorted(department_ids)
        )
        user_ids = {e.user_id for e in employees if e.user_id}
        chosen = [m for m in members if m.user_id in user_ids]
    return sorted((m.user for m in chosen), key=lambda u: (u.last_name, u.first_name, u.username))


def targets_of(announcement: Announcement) -> list[AnnouncementTarget]:
    return list(announcement.targets.select_related("department").order_by("department__code", "role"))


def audience_label(announcement: Announcement, targets: list[AnnouncementTarget] | None = None) -> str:
    if announcement.audience == AudienceKind.COMPANY:
        return str(_("全社"))
    targets = targets if targets is not None else targets_of(announcement)
    roles = dict(Role.choices)
    names = [t.department.name if t.department else str(roles.get(t.role, t.role)) for t in targets]
    return "・".join(names)


# ------------------------------------------------------------------------------------ members
def _with_read(qs: QuerySet[Announcement], user_id: int) -> QuerySet[Announcement]:
    reads = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user_id=user_id)
    return qs.annotate(is_read=Exists(reads), read_at=Subquery(reads.values("read_at")[:1]))


def visible_announcements(
    *, company: Company, membership: Membership, q: str = "", kind: str = "", unread: bool = False
) -> QuerySet[Announcement]:
    """What ``membership`` sees now: published, not expired, not withdrawn, addressed to them;
    important ones first, then the newest; each with ``is_read`` and ``read_at``."""
    now = timezone.now()
    qs: QuerySet[Announcement] = (
        Announcement.objects.for_company(company)
        .filter(_status_q(Status.PUBLISHED, now))
        .filter(audience_q(company=company, membership=membership))
        .select_related("created_by")
    )
    if kind:
        qs = qs.filter(kind=kind)
    qs = _with_read(_search(qs, q), membership.user_id)
    if unread:
        qs = qs.filter(Q(is_read=False))
    return qs.order_by("-is_important", "-publish_at", "-pk")


def unread_count(*, company: Company, membership: Membership) -> int:
    return visible_announcements(company=company, membership=membership, unread=True).count()


def get_announcement(*, company: Company, membership: Membership, announcement_id: int) -> Announcement:
    """One announcement: a manager reads any of the company's; a member only one visible to them
    now. Anything else — another company's id too — is NotFound."""
    qs = Announcement.objects.for_company(company).select_related("created_by")
    if not is_manager(membership):
        qs = qs.filter(_status_q(Status.PUBLISHED, timezone.now())).filter(
            audience_q(company=company, membership=membership)
        )
    found = _with_read(qs, membership.user_id).filter(pk=announcement_id).first()
    if found is None:
        raise NotFound()
    return found


def announcement_attachment_target(
    *, company: Company, membership: Membership, object_id: str, for_edit: bool
) -> str:
    """documents' hook for ``affairs.announcement`` (settings.ENNOSHITA_ATTACHMENT_TARGETS): a member
    reads the attachments of what they may read; only managers attach."""
    if not object_id.isdigit() or len(object_id) > 18:
        raise NotFound()
    announcement = get_announcement(company=company, membership=membership, announcement_id=int(object_id))
    if for_edit and not is_manager(membership):
        raise PermissionDeniedError()
    return announcement.title


# ------------------------------------------------------------------------------------ managers
def manage_list(
    *, company: Company, membership: Membership, q: str = "", kind: str = "", status: str = ""
) -> QuerySet[Announcement]:
    """Every announcement of the company for 総務・人事・管理者, newest first, with ``read_count``."""
    _require_manager(membership)
    qs = Announcement.objects.for_company(company).select_related("created_by")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(_status_q(status, timezone.now()))
    return _search(qs, q).annotate(read_count=Count("reads")).order_by("-publish_at", "-pk")


@dataclass(frozen=True)
class ReadRow:
    user: User
    read_at: datetime | None


@dataclass(frozen=True)
class ReadStatus:
    rows: list[ReadRow]
    read: int
    unread: int
    others: int  # read by people no longer in the audience (moved department, role taken away)


def read_status(
    *, company: Company, membership: Membership, announcement: Announcement, state: str = ""
) -> ReadStatus:
    """Who of today's audience has read it (and when) and who has not; ``state`` "read" or
    "unread" keeps only those. A fixed number of queries however large the audience."""
    _require_manager(membership)
    audience = audience_users(company=company, announcement=announcement)
    reads = dict(
        AnnouncementRead.objects.for_company(company)
        .filter(announcement=announcement)
        .values_list("user_id", "read_at")
    )
    rows = [ReadRow(u, reads.get(u.pk)) for u in audience]
    read = sum(1 for r in rows if r.read_at is not None)
    in_audience = {u.pk for u in audience}
    others = sum(1 for pk in reads if pk not in in_audience)
    if state == "read":
        rows = [r for r in rows if r.read_at is not None]
    elif state == "unread":
        rows = [r for r in rows if r.read_at is None]
    return ReadStatus(rows=rows, read=read, unread=len(audience) - read, others=others)


def due_for_notice(*, now: datetime | None = None) -> QuerySet[Announcement]:
    """Important announcements of every company published by ``now`` whose audience has not yet
    been notified (for the scheduled job)."""
    now = now or timezone.now()
    return (
        Announcement.objects.filter(_status_q(Status.PUBLISHED, now))
        .filter(is_important=True, notified_at__isnull=True)
        .select_related("company")
        .order_by("company_id", "publish_at", "pk")
    )
