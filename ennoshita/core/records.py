"""Record cards: how a work request names a record of another app and how it is shown to whoever
works on the request, the outside assistant team included, without the requests app importing the
app (ARCHITECTURE.md: ``requests`` points at records by a generic reference).

Each app registers the kinds of record a request may name (``register_kind``), with

- ``load(company, object_id) -> RecordCard | None``: the record's card (a title, labelled values, the
  documents that hang under it), read through the app's selectors; ``None`` when the company has no
  such record. The card holds only what the work needs: the app decides what an outside team may
  see of its record.
- ``search(company, text) -> list[tuple[str, str]]``: (id, label) pairs for the request form's
  record picker (at most 20).
- ``staff_url(object_id)``: the app's own page for its staff (never shown to an assistant).

Kinds are named like the audit trail: ``app_label.modelname``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Company


@dataclass(frozen=True)
class RecordCard:
    object_type: str
    object_id: str
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # documents of the documents app that belong to the record (attachments, the signed PDF …):
    # (document id, name); opening them is granted with the record
    documents: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RecordKind:
    object_type: str
    label: Any  # a lazy translation
    load: Callable[[Company, str], RecordCard | None]
    search: Callable[[Company, str], list[tuple[str, str]]]
    staff_url: Callable[[str], str] | None = None


_KINDS: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> None:
    """Called from an app's ``AppConfig.ready``; registering the same type again replaces it."""
    _KINDS[kind.object_type] = kind


def kinds() -> list[RecordKind]:
    return sorted(_KINDS.values(), key=lambda k: k.object_type)


def kind_of(object_type: str) -> RecordKind | None:
    return _KINDS.get(object_type)


def load_card(*, company: Company, object_type: str, object_id: str) -> RecordCard | None:
    kind = _KINDS.get(object_type)
    if kind is None or not str(object_id).strip():
        return None
    return kind.load(company, str(object_id))
