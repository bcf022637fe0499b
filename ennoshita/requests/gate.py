"""What a request gives to whoever works on it — a record's card and a file — checked once for the
screens and the API alike.

A request the viewer may not see, a record or file the request does not name, and (for an outside
assistant) one without a live grant are all the same answer: ``NotFound``. When the viewer is an
assistant the refused attempt is recorded first (アクセス拒否 on the request when it is their team's,
and ``access_denied`` in the audit trail); what they do open is a 閲覧 line on the request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ennoshita.core import grants
from ennoshita.core import records as core_records
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User

from . import permissions, services
from .models import RequestRecord, WorkRequest
from .selectors import requests as selectors


@dataclass(frozen=True)
class Viewer:
    company: Company
    membership: Membership
    user: User
    path: str  # the page or endpoint opened, for the trail

    @property
    def assistant(self) -> bool:
        return permissions.is_assistant(self.membership)


@dataclass(frozen=True)
class GivenRecord:
    request: WorkRequest
    record: RequestRecord
    card: core_records.RecordCard
    kind: core_records.RecordKind | None


@dataclass(frozen=True)
class GivenFile:
    request: WorkRequest
    version: Any  # documents.DocumentVersion: the current version of the document


def _refused(viewer: Viewer, row: WorkRequest | None, object_type: str, object_id: str) -> NotFound:
    theirs = row if row is not None and row.team_id in permissions.team_ids(viewer.membership) else None
    services.record_denied(
        company=viewer.company,
        actor=viewer.user,
        membership=viewer.membership,
        request=theirs,
        object_type=object_type,
        object_id=object_id,
        path=viewer.path,
    )
    return NotFound()


def _checked(
    viewer: Viewer, request_id: int, object_type: str, object_id: str, named: Callable[[WorkRequest], bool]
) -> WorkRequest:
    row = selectors.find_request(company=viewer.company, request_id=request_id)
    if row is None or not permissions.can_see(viewer.membership, row):
        raise _refused(viewer, row, object_type, object_id) if viewer.assistant else NotFound()
    if not named(row) or (
        viewer.assistant
        and not grants.is_granted(membership=viewer.membership, object_type=object_type, object_id=object_id)
    ):
        raise _refused(viewer, row, object_type, object_id) if viewer.assistant else NotFound()
    return row


def _seen(viewer: Viewer, row: WorkRequest) -> None:
    if viewer.assistant:
        services.record_view(company=viewer.company, actor=viewer.user, request=row, page=viewer.path)


def given_record(viewer: Viewer, *, request_id: int, record_id: int) -> GivenRecord:
    """The card of a record the request names (``record_id`` is the request's line, not the
    record's own id)."""
    row = selectors.find_request(company=viewer.company, request_id=request_id)
    record = selectors.record_of(request=row, record_id=record_id) if row is not None else None
    object_type = record.object_type if record else "requests.requestrecord"
    object_id = record.object_id if record else str(record_id)
    row = _checked(viewer, request_id, object_type, object_id, lambda r: record is not None)
    assert record is not None
    card = core_records.load_card(company=viewer.company, object_type=object_type, object_id=object_id)
    if card is None:  # the record is gone from its app since the request named it
        raise NotFound()
    _seen(viewer, row)
    return GivenRecord(request=row, record=record, card=card, kind=core_records.kind_of(object_type))


def given_file(viewer: Viewer, *, request_id: int, document_id: int) -> GivenFile:
    """The current version of an attachment of the request or a document under a named record."""
    found: dict[str, Any] = {}

    def named(row: WorkRequest) -> bool:
        found["version"] = selectors.document_version(request=row, document_id=document_id)
        return found["version"] is not None

    row = _checked(viewer, request_id, services.DOCUMENT_TYPE, str(document_id), named)
    _seen(viewer, row)
    return GivenFile(request=row, version=found["version"])
