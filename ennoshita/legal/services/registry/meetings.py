"""Shareholders' and board meetings: when held, the 基準日 a shareholders' meeting follows within 3
months (会社法124条2項), the resolutions, and the minutes — a document in the company's 「議事録」
folder, kept 10 years from the meeting (318条2項・371条1項)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, record_event, snapshot
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents import services as document_services
from ennoshita.documents.models import DocumentVersion, Folder
from ennoshita.legal.models import CorporateMeeting, MeetingKind
from ennoshita.legal.permissions_registry import require_manager
from ennoshita.legal.rules import registry as rules

from .base import MEETING_FIELDS, check_length, fail, locked, not_too_far, refuse, text

SHAREHOLDERS = (MeetingKind.AGM, MeetingKind.EGM, MeetingKind.WRITTEN_SHAREHOLDERS)
FOLDER_NAME = "議事録"
# a top-level folder of that name that is not ours (perhaps shared with everyone) is never reused
FOLDER_FALLBACK = "議事録(法務管理)"


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    title: str
    held_on: date | None
    record_date: date | None = None
    resolutions: str = ""


def _check_record_date(errors: dict[str, list[str]], data: MeetingInput) -> None:
    if data.record_date is None or data.held_on is None:
        return
    if data.kind not in SHAREHOLDERS:
        errors["record_date"] = [_("基準日は株主総会にだけ設定します。")]
        return
    if data.record_date > data.held_on:
        errors["record_date"] = [_("基準日は開催日より前の日付にしてください。")]
        return
    limit = rules.record_date_limit(record_date=data.record_date)
    if data.held_on > limit:
        errors["held_on"] = [
            _(
                "基準日(%(r)s)から3か月を超えています。基準日の株主が権利を行使できるのは %(l)s までです"
                "(会社法124条2項)。新しい基準日を定め、その2週間前までに公告してください(124条3項)。"
            )
            % {"r": data.record_date, "l": limit}
        ]


@transaction.atomic
def record_meeting(
    *, company: Company, actor: User, membership: Membership, data: MeetingInput
) -> CorporateMeeting:
    """A meeting held (or planned: a future date is allowed, to follow its 基準日's limit), with the
    day its minutes may be discarded."""
    require_manager(membership)
    errors: dict[str, list[str]] = {}
    if data.kind not in MeetingKind.values:
        errors["kind"] = [_("種類を選んでください。")]
    title = text(data.title) or (str(MeetingKind(data.kind).label) if data.kind in MeetingKind.values else "")
    resolutions = text(data.resolutions, keep_lines=True)
    check_length(errors, "title", title, 200, _("名称を入力してください。"))
    check_length(errors, "resolutions", resolutions, 5000)
    if data.held_on is None:
        errors["held_on"] = [_("開催日を入力してください。")]
    not_too_far(errors, "held_on", data.held_on)
    not_too_far(errors, "record_date", data.record_date)
    _check_record_date(errors, data)
    fail(errors)
    assert data.held_on is not None
    meeting = CorporateMeeting.objects.create(
        company=company,
        kind=data.kind,
        title=title,
        held_on=data.held_on,
        record_date=data.record_date,
        resolutions=resolutions,
        keep_minutes_until=rules.minutes_keep_until(held_on=data.held_on),
        created_by=actor,
    )
    record_change(company=company, actor=actor, instance=meeting, fields=MEETING_FIELDS, before=None)
    return meeting


def _minutes_folder(company: Company, actor: User, membership: Membership) -> Folder:
    existing = (
        CorporateMeeting.objects.for_company(company)
        .filter(minutes__isnull=False, minutes__folder__trashed_at__isnull=True)
        .select_related("minutes__folder")
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.minutes is not None:
        return existing.minutes.folder
    taken = set(
        Folder.objects.for_company(company)
        .filter(parent=None, trashed_at__isnull=True)
        .values_list("name", flat=True)
    )
    name = next(
        n
        for n in (FOLDER_NAME, FOLDER_FALLBACK, *(f"{FOLDER_FALLBACK}{i}" for i in range(2, 99)))
        if n not in taken
    )
    folder = document_services.create_folder(
        company=company, actor=actor, membership=membership, name=name, parent=None
    )
    for role in (Role.LEGAL, Role.ADMIN):
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


def _document_name(meeting: CorporateMeeting, file_name: str) -> str:
    ext = file_name.rsplit(".", 1)[-1] if "." in file_name else ""
    stem = "".join(
        ch if ch not in "/\\" and ord(ch) >= 32 else "_"
        for ch in f"{meeting.held_on.isoformat()}_{meeting.title}議事録"
    )[:200]
    return f"{stem}.{ext}" if ext else stem


@transaction.atomic
def attach_minutes(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    meeting: CorporateMeeting,
    file_name: str,
    data: bytes,
    comment: str = "",
) -> DocumentVersion:
    """The minutes (議事録) become the newest version of the meeting's document in the 「議事録」
    folder (shared for editing with 法務 and 管理者); earlier versions stay."""
    require_manager(membership)
    found = locked(company, CorporateMeeting, meeting.pk)
    if not data:
        raise refuse("file", _("ファイルを選んでください。"))
    note = (comment or "").strip()[:500]
    if found.minutes is None:
        folder = _minutes_folder(company, actor, membership)
        document = document_services.upload_document(
            company=company,
            actor=actor,
            membership=membership,
            folder=folder,
            name=_document_name(found, file_name),
            data=data,
            comment=note,
        )
        before = snapshot(found, MEETING_FIELDS)
        found.minutes = document
        found.save(update_fields=["minutes"])
        record_change(company=company, actor=actor, instance=found, fields=MEETING_FIELDS, before=before)
        version = document.current_version
    else:
        version = document_services.add_version(
            company=company,
            actor=actor,
            membership=membership,
            document=found.minutes,
            data=data,
            name=_document_name(found, file_name),
            comment=note,
        )
    assert version is not None
    record_event(
        company=company,
        actor=actor,
        action="new_version",
        instance=found,
        extra={"version": version.number, "file": version.original_name, "comment": note},
    )
    return version
