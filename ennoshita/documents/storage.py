"""The content-addressed file store: ``blobs/ab/cd/<sha256>`` through Django's storage API.

The same bytes are stored once (a second upload of the same file only adds a row). Because every
path is derived from the content, a stored file is never overwritten with other bytes, and the
path tells nothing about the document (no guessable names: downloads go through a view that
checks permissions).
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages


def blob_storage() -> Storage:
    return storages["default"]


def blob_path(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(data: bytes) -> str:
    """Store ``data`` once; return its SHA-256. Safe to repeat."""
    sha = sha256_of(data)
    storage = blob_storage()
    path = blob_path(sha)
    if not storage.exists(path):
        saved = storage.save(path, ContentFile(data))
        if saved != path:  # a concurrent writer stored the same bytes first; ours is a duplicate
            storage.delete(saved)
    return sha


def open_blob(sha256: str) -> bytes:
    with blob_storage().open(blob_path(sha256), "rb") as fh:
        return fh.read()


def verify_blob(sha256: str) -> bool:
    return sha256_of(open_blob(sha256)) == sha256
