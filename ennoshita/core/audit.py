"""The audit trail: one append-only table of events, chained per company by SHA-256.

``record_event`` is called by every service, inside the service's transaction: it locks the
company's chain head (``select_for_update``), appends the event with ``prev_hash`` = the head's hash,
and moves the head. A rollback of the change rolls the event back with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent, Company, User
from .rows import insert_rows, new_instance, statement_cursor

GENESIS_HASH = "0" * 64


def _plain(value: Any) -> Any:
    """Turn a value into canonical JSON material: Decimals and dates become strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, float):
        raise TypeError("floats are not allowed in the audit trail")
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited state of a model instance: its editable concrete fields (FKs as ids).

    Timestamps kept by the database (auto_now) and derived columns (editable=False) are left
    out: the event's own time says when, and they would make every save look like a change.
    """
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("id", "company") or (fields is not None and field.name not in fields):
            continue
        if fields is None and not field.editable:
            continue
        result[field.name] = getattr(instance, field.attname)
    return _plain(result)


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """Field → [before, after] for the fields that changed (all fields on create/delete)."""
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def event_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def _plain_event_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    """``event_hash`` of a payload that is plain already (its changes went through ``_plain``):
    ``_plain`` leaves plain data as it is, so the text, and the hash, are the same without the
    second walk (every change of every app is hashed here)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    occurred = event.occurred_at.astimezone(UTC)
    return {
        "company": event.company_id,
        "seq": event.seq,
        "occurred_at": occurred.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
    }


def object_type_of(instance_or_model: models.Model | type[models.Model]) -> str:
    return instance_or_model._meta.label_lower


@dataclass(frozen=True)
class EventInput:
    """One event for :func:`record_events` (the same fields as :func:`record_event` takes)."""

    action: str
    instance: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    extra: dict[str, Any] | None = None


def record_event(
    *,
    company: Company,
    actor: User | None,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    actor_label: str = "",
    cursor: Any = None,
) -> AuditEvent:
    """Append one event to the company's chain. Must run inside the caller's transaction.
    ``cursor``: a statement cursor (core/rows.py) the caller has open on a hot path."""
    event = EventInput(action, instance, object_type, object_id, object_repr, before, after, extra)
    return record_events(
        company=company, actor=actor, events=[event], actor_label=actor_label, cursor=cursor
    )[0]


def record_change(
    *,
    company: Company,
    actor: User | None,
    instance: models.Model,
    fields: Iterable[str],
    before: dict[str, Any] | None,
    object_repr: str = "",
) -> AuditEvent | None:
    """Record a create (``before`` is None) or an update of ``instance``: the values of ``fields``
    as they were (``before``, a ``snapshot``) and as they are now. Nothing is recorded when no field
    changed — saving the same values again is not an event."""
    after = snapshot(instance, fields=fields)
    if after == before:
        return None
    return record_event(
        company=company,
        actor=actor,
        action="update" if before is not None else "create",
        instance=instance,
        object_repr=object_repr,
        before=before,
        after=after,
    )


def record_events(
    *,
    company: Company,
    actor: User | None,
    events: Sequence[EventInput],
    actor_label: str = "",
    cursor: Any = None,
) -> list[AuditEvent]:
    """Append several events to the company's chain in one go (one head lock, one insert), in order.
    For bulk work such as an import; each event is chained and hashed exactly as record_event does.
    Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    if not events:
        return []
    if cursor is None:
        with statement_cursor() as own:
            return record_events(
                company=company, actor=actor, events=events, actor_label=actor_label, cursor=own
            )
    last_seq, last_hash = _locked_head(company, cursor)
    label = actor_label or (actor.display_name() if actor else "system")
    occurred_at = timezone.now().astimezone(UTC)
    rows: list[AuditEvent] = []
    for item in events:
        object_type, object_id, object_repr = item.object_type, item.object_id, item.object_repr
        if item.instance is not None:
            object_type = object_type or object_type_of(item.instance)
            object_id = object_id or str(item.instance.pk)
            object_repr = object_repr or str(item.instance)[:300]
        changes: dict[str, Any] = {"fields": diff(item.before, item.after)}
        if item.extra:
            changes["extra"] = item.extra
        changes = _plain(changes)  # the one walk: what is stored is what is hashed
        event = new_instance(
            AuditEvent,
            company=company,
            seq=last_seq + 1,
            occurred_at=occurred_at,
            actor=actor,
            actor_label=label,
            action=item.action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            changes=changes,
            prev_hash=last_hash,
        )
        event.hash = _plain_event_hash(last_hash, _payload(event))
        last_seq, last_hash = event.seq, event.hash
        rows.append(event)
    if len(rows) == 1:
        insert_rows(rows, cursor=cursor)  # every change of every app comes through here: the lean insert
    else:
        AuditEvent.objects.bulk_create(rows, batch_size=500)
    cursor.execute(_MOVE_HEAD, [last_seq, last_hash, company.pk])
    return rows


# Raw statements on the hot path (every change of every app appends an event). The head row is
# locked until the transaction ends: FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction
# already holds the database's write lock.
_READ_HEAD = "SELECT last_seq, last_hash FROM core_auditchainhead WHERE company_id = %s"
_MOVE_HEAD = "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE company_id = %s"


def _locked_head(company: Company, cursor: Any) -> tuple[int, str]:
    connection = cursor.db
    sql = _READ_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    cursor.execute(sql, [company.pk])
    row = cursor.fetchone()
    if row is None:
        # First event of this company: create the head; a concurrent creator loses on the PK.
        with transaction.atomic():
            AuditChainHead.objects.get_or_create(company=company)
        cursor.execute(sql, [company.pk])
        row = cursor.fetchone()
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class ChainBreak:
    company_id: int
    seq: int
    reason: str


def verify_company_chain(company_id: int, *, batch: int = 2000) -> ChainBreak | None:
    """Walk one company's chain from the start; return the first broken link, or None."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event in _iter_events(company_id, batch):
        if event.seq != expected_seq:
            return ChainBreak(company_id, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainBreak(company_id, event.seq, "prev_hash does not match the previous event")
        if event_hash(event.prev_hash, _payload(event)) != event.hash:
            return ChainBreak(company_id, event.seq, "content does not match its hash (altered)")
        expected_prev = event.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(company_id=company_id).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return ChainBreak(company_id, expected_seq, "events after the last one were removed")
    return None


def _iter_events(company_id: int, batch: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(company_id=company_id, seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
