"""Writes of お知らせ・社内報: create, change, withdraw, attach documents, mark read, notify.

Decisions (docs/domains/affairs.md):
- **Edits after publication are allowed and audited.** A published notice with a wrong date or a
  typo must be put right where people read it; a new notice would leave the wrong one on the home
  page. Every change is an audit event with before/after, and an edit made once the notice was
  published says so (``extra.after_publication``), so the history shows what readers saw. Read
  marks stay: fixing a typo does not ask everyone to read again; a change of substance is a new
  announcement (and the old one withdrawn).
- **Withdrawal (取り下げ)** hides the notice from everyone but the managers; it stays, with its
  reads and history. Nothing is deleted.
- **Attachments** are documents of the documents app, attached to the announcement and shared for
  reading with its audience (全社 → everyone, each department → that department and below, each
  role → that role), the share expiring with the announcement. The documents app's own access
  rules then let exactly the audience open the file, from the notice and from 文書, and the
  shares are audited there. Uploading files them in the folder 「お知らせ添付」 (made on first use
  and shared for editing with 総務・人事). Attaching an existing document needs the right to edit
  it, because attaching widens who can read it.
- **Read marks** are the reader's own act, idempotent, and are not audit events (like reading a
  notification): the read row with its time is the record, and the read-status page shows it.
- **Notification**: an important (重要) announcement notifies its audience (in the app and by
  e-mail) once, when it is published: at once when saved with a publish time already passed, else
  by the scheduled job ``tasks_announcements`` (``notified_at`` makes it once only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementRead,
    AnnouncementTarget,
    AudienceKind,
)
from ennoshita.affairs.selectors import announcements as selectors
from ennoshita.affairs.selectors.announcements import MANAGER_ROLES, OBJECT_TYPE
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify_many
from ennoshita.core.permissions import require_role
from ennoshita.documents import selectors as document_selectors
from ennoshita.documents import services as document_services
from ennoshita.people import selectors as people_selectors

FIELDS = ("kind", "title", "body", "audience", "is_important", "publish_at", "expire_at", "is_withdrawn")
ATTACHMENT_FOLDER = "お知らせ添付"
NOTICE_KIND = "affairs.announcement"
TARGET_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)


@dataclass(frozen=True)
class AnnouncementInput:
    title: str
    body: str
    publish_at: datetime | None
    kind: str = AnnouncementKind.NOTICE
    audience: str = AudienceKind.COMPANY
    department_ids: Sequence[int] = field(default_factory=tuple)
    roles: Sequence[str] = field(default_factory=tuple)
    is_important: bool = False
    expire_at: datetime | None = None


def _fail(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _clean(company: Company, data: AnnouncementInput) -> tuple[dict[str, object], list[int], list[str]]:
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    body = (data.body or "").strip()
    if not title:
        errors["title"] = [_("件名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("件名は200文字以内で入力してください。")]
    if not body:
        errors["body"] = [_("本文を入力してください。")]
    elif len(body) > 20000:
        errors["body"] = [_("本文は20,000文字以内で入力してください。")]
    if data.kind not in AnnouncementKind.values:
        errors["kind"] = [_("種類を選んでください。")]
    if data.publish_at is None:
        errors["publish_at"] = [_("掲載開始の日時を入力してください。")]
    elif data.expire_at is not None and data.expire_at <= data.publish_at:
        errors["expire_at"] = [_("掲載終了は掲載開始より後の日時にしてください。")]
    department_ids: list[int] = []
    roles: list[str] = []
    if data.audience == AudienceKind.DEPARTMENTS:
        wanted = sorted({int(d) for d in data.department_ids})
        known = set(people_selectors.departments(company=company).values_list("pk", flat=True))
        if not wanted:
            errors["department_ids"] = [_("対象の部門を1つ以上選んでください。")]
        elif set(wanted) - known:
            errors["department_ids"] = [_("この会社の使用中の部門を選んでください。")]
        department_ids = wanted
    elif data.audience == AudienceKind.ROLES:
        roles = sorted(set(data.roles))
        if not roles:
            errors["roles"] = [_("対象の役割を1つ以上選んでください。")]
        elif set(roles) - set(TARGET_ROLES):
            errors["roles"] = [_("対象にできない役割が含まれています。")]
    elif data.audience != AudienceKind.COMPANY:
        errors["audience"] = [_("対象を選んでください。")]
    if errors:
        raise _fail(errors)
    values = {
        "kind": data.kind,
        "title": title,
        "body": body,
        "audience": data.audience,
        "is_important": bool(data.is_important),
        "publish_at": data.publish_at,
        "expire_at": data.expire_at,
    }
    return values, department_ids, roles


def _targets_snapshot(announcement: Announcement) -> list[str]:
    return sorted(
        f"department:{d}" if d else f"role:{r}"
        for d, r in announcement.targets.values_list("department_id", "role")
    )


def _set_targets(
    company: Company, announcement: Announcement, department_ids: list[int], roles: list[str]
) -> None:
    announcement.targets.all().delete()
    AnnouncementTarget.objects.bulk_create(
        [
            AnnouncementTarget(company=company, announcement=announcement, department_id=d)
            for d in department_ids
        ]
        + [AnnouncementTarget(company=company, announcement=announcement, role=r) for r in roles]
    )


def _locked(company: Company, announcement: Announcement) -> Announcement:
    found = (
        Announcement.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=announcement.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _published(announcement: Announcement, now: datetime) -> bool:
    return not announcement.is_withdrawn and announcement.publish_at <= now


def notify_if_due(*, company: Company, announcement: Announcement, actor: User | None) -> int:
    """Notify the audience of an important announcement once it is published (idempotent: the
    second call finds ``notified_at`` set). Runs inside the caller's transaction, on a locked row."""
    now = timezone.now()
    if (
        not announcement.is_important
        or announcement.notified_at is not None
        or selectors.status_of(announcement, now) != selectors.Status.PUBLISHED
    ):
        return 0
    users = selectors.audience_users(company=company, announcement=announcement)
    url = reverse("affairs:announcement_detail", args=[announcement.pk])
    count = notify_many(
        company=company,
        users=users,
        kind=NOTICE_KIND,
        text=_("重要なお知らせ: %(title)s") % {"title": announcement.title},
        url=url,
        object_type=OBJECT_TYPE,
        object_id=announcement.pk,
        email=True,
    )
    announcement.notified_at = now
    announcement.save(update_fields=["notified_at"])
    record_event(
        company=company,
        actor=actor,
        action="notify",
        instance=announcement,
        extra={"notified": count},
        actor_label="" if actor else "tasks_announcements",
    )
    return count


@transaction.atomic
def create_announcement(
    *, company: Company, actor: User, membership: Membership, data: AnnouncementInput
) -> Announcement:
    require_role(membership, *MANAGER_ROLES)
    values, department_ids, roles = _clean(company, data)
    announcement = Announcement(company=company, created_by=actor, **values)
    announcement.save()
    _set_targets(company, announcement, department_ids, roles)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=announcement,
        after={**snapshot(announcement, FIELDS), "targets": _targets_snapshot(announcement)},
    )
    notify_if_due(company=company, announcement=announcement, actor=actor)
    return announcement


@transaction.atomic
def update_announcement(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    announcement: Announcement,
    data: AnnouncementInput,
) -> Announcement:
    """Change an announcement, also after publication (audited as such; see the module's notes).
    A withdrawn one is not changed."""
    require_role(membership, *MANAGER_ROLES)
    announcement = _locked(company, announcement)
    if announcement.is_withdrawn:
        raise ServiceError(_("取り下げたお知らせは変更できません。"), code="withdrawn")
    values, department_ids, roles = _clean(company, data)
    now = timezone.now()
    was_published = _published(announcement, now)
    before = {**snapshot(announcement, FIELDS), "targets": _targets_snapshot(announcement)}
    for name, value in values.items():
        setattr(announcement, name, value)
    announcement.save()
    _set_targets(company, announcement, department_ids, roles)
    after = {**snapshot(announcement, FIELDS), "targets": _targets_snapshot(announcement)}
    if after != before:
        record_event(
            company=company,
            actor=actor,
            action="update",
            instance=announcement,
            before=before,
            after=after,
            extra={"after_publication": True} if was_published else None,
        )
        if before["targets"] != after["targets"] or before["audience"] != after["audience"]:
            _share_all_attachments(company, actor, membership, announcement)
    notify_if_due(company=company, announcement=announcement, actor=actor)
    return announcement


@transaction.atomic
def withdraw_announcement(
    *, company: Company, actor: User, membership: Membership, announcement: Announcement, reason: str = ""
) -> Announcement:
    """取り下げ: no longer shown to the audience; kept with its reads and history."""
    require_role(membership, *MANAGER_ROLES)
    announcement = _locked(company, announcement)
    if announcement.is_withdrawn:
        raise ServiceError(_("このお知らせは既に取り下げています。"), code="withdrawn")
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise _fail({"reason": [_("理由は300文字以内で入力してください。")]})
    announcement.is_withdrawn = True
    announcement.save(update_fields=["is_withdrawn", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="withdraw",
        instance=announcement,
        before={"is_withdrawn": False},
        after={"is_withdrawn": True},
        extra={"reason": reason} if reason else None,
    )
    return announcement


def mark_read(*, company: Company, membership: Membership, announcement_id: int) -> AnnouncementRead:
    """The member's own read mark on an announcement addressed to them (or any, for a manager).
    Idempotent: the first read's time stays."""
    announcement = selectors.get_announcement(
        company=company, membership=membership, announcement_id=announcement_id
    )
    row, _created = AnnouncementRead.objects.get_or_create(
        company=company, announcement=announcement, user_id=membership.user_id
    )
    return row


# ------------------------------------------------------------------------------------ attachments
def _principals(announcement: Announcement) -> list[tuple[str, str]]:
    if announcement.audience == AudienceKind.COMPANY:
        return [("everyone", "")]
    out = []
    for dept_id, role in announcement.targets.values_list("department_id", "role"):
        out.append(("department", str(dept_id)) if dept_id else ("role", role))
    return sorted(out)


def _share_with_audience(
    company: Company, actor: User, membership: Membership, announcement: Announcement, document: Any
) -> None:
    now = timezone.now()
    if announcement.expire_at is not None and announcement.expire_at <= now:
        return  # an expired notice reaches no one: nothing to share
    existing = {
        (s.grantee_kind, s.grantee)
        for s in document_selectors.shares_of(company=company, document=document)
        if s.expires_at is None
        or (announcement.expire_at is not None and s.expires_at >= announcement.expire_at)
    }
    for kind, grantee in _principals(announcement):
        if (kind, grantee) in existing:
            continue
        try:
            document_services.share(
                company=company,
                actor=actor,
                membership=membership,
                document=document,
                grantee_kind=kind,
                grantee=grantee,
                expires_at=announcement.expire_at,
            )
        except PermissionDeniedError as exc:
            raise ServiceError(
                _("「%(name)s」を対象者に公開する権限がありません(文書の編集権限が必要です)。")
                % {"name": document.name},
                code="forbidden",
                field_errors={"document_id": [_("この文書を編集できる人が添付してください。")]},
            ) from exc


def _share_all_attachments(
    company: Company, actor: User, membership: Membership, announcement: Announcement
) -> None:
    try:
        attached = document_selectors.attachments_for(
            company=company, membership=membership, object_type=OBJECT_TYPE, object_id=str(announcement.pk)
        )
    except NotFound:  # attachments not configured for announcements (settings): none to share
        return
    for row in attached:
        document = document_selectors.get_document(
            company=company, membership=membership, document_id=row.document_id
        )
        _share_with_audience(company, actor, membership, announcement, document)


@transaction.atomic
def attach_document(
    *, company: Company, actor: User, membership: Membership, announcement: Announcement, document_id: int
) -> Any:
    """Attach an existing document (one the actor may edit) and share it with the audience."""
    require_role(membership, *MANAGER_ROLES)
    announcement = _locked(company, announcement)
    if announcement.is_withdrawn:
        raise ServiceError(_("取り下げたお知らせには添付できません。"), code="withdrawn")
    document = document_selectors.get_document(
        company=company, membership=membership, document_id=document_id
    )
    _share_with_audience(company, actor, membership, announcement, document)
    return document_services.attach(
        company=company,
        actor=actor,
        membership=membership,
        document=document,
        object_type=OBJECT_TYPE,
        object_id=str(announcement.pk),
    )


def _attachment_folder(company: Company, actor: User, membership: Membership) -> Any:
    visible = document_selectors.visible_folders(company=company, membership=membership)
    folder = visible.filter(parent__isnull=True, name=ATTACHMENT_FOLDER).first()
    if folder is not None:
        if not document_selectors.can_edit_folder(membership=membership, folder=folder):
            raise PermissionDeniedError(_("「お知らせ添付」フォルダに登録する権限がありません。"))
        return folder
    try:
        folder = document_services.create_folder(
            company=company, actor=actor, membership=membership, name=ATTACHMENT_FOLDER, parent=None
        )
    except ServiceError as exc:  # the folder exists but is not shared with this member
        raise PermissionDeniedError(_("「お知らせ添付」フォルダに登録する権限がありません。")) from exc
    for role in (Role.AFFAIRS, Role.HR):
        document_services.share(
            company=company,
            actor=actor,
            membership=membership,
            folder=folder,
            grantee_kind="role",
            grantee=role,
            permission="edit",
        )
    return folder


@transaction.atomic
def upload_attachment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    announcement: Announcement,
    name: str,
    data: bytes,
) -> Any:
    """Upload a file into 「お知らせ添付」, share it with the audience and attach it. A file of the
    same name already there is refused by documents (``name_exists``): attach that one instead."""
    require_role(membership, *MANAGER_ROLES)
    announcement = _locked(company, announcement)
    if announcement.is_withdrawn:
        raise ServiceError(_("取り下げたお知らせには添付できません。"), code="withdrawn")
    folder = _attachment_folder(company, actor, membership)
    document = document_services.upload_document(
        company=company, actor=actor, membership=membership, folder=folder, name=name, data=data
    )
    _share_with_audience(company, actor, membership, announcement, document)
    return document_services.attach(
        company=company,
        actor=actor,
        membership=membership,
        document=document,
        object_type=OBJECT_TYPE,
        object_id=str(announcement.pk),
    )


def detach_document(
    *, company: Company, actor: User, membership: Membership, announcement: Announcement, attachment_id: int
) -> None:
    """Take a document off the announcement (its shares stay until they expire: other records may
    need them, and the documents app shows and revokes them)."""
    require_role(membership, *MANAGER_ROLES)
    row = document_selectors.get_attachment(company=company, attachment_id=attachment_id)
    if row.object_type != OBJECT_TYPE or row.object_id != str(announcement.pk):
        raise NotFound()
    document_services.detach(company=company, actor=actor, membership=membership, attachment_id=attachment_id)
