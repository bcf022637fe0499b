"""Writes of documents. Keyword-only, one transaction each, permission-checked, audited.

Files are stored in the content-addressed store before the rows are written; if the transaction
then fails, the stored bytes are unreferenced (never a row without its file) and the garbage
collector of the trash removes them later.

The writes live in the modules of this package, by subject; import them from here
(``from ennoshita.documents import services``).
"""

from __future__ import annotations

from .app_files import add_version_for_app, create_document_for_app, create_folder_for_app
from .attachments import attach, detach
from .base import TRASH_DAYS
from .filing import GeneratedFile, file_generated_document, file_generated_documents
from .folders import create_folder
from .metadata import rename_document, set_tags, set_transaction_record
from .sharing import revoke_share, share
from .trash import empty_trash, purge_expired_trash, restore_document, trash_document
from .versions import add_version, restore_version, upload_document

__all__ = [
    "TRASH_DAYS",
    "GeneratedFile",
    "add_version",
    "add_version_for_app",
    "attach",
    "create_document_for_app",
    "create_folder",
    "create_folder_for_app",
    "detach",
    "empty_trash",
    "file_generated_document",
    "file_generated_documents",
    "purge_expired_trash",
    "rename_document",
    "restore_document",
    "restore_version",
    "revoke_share",
    "set_tags",
    "set_transaction_record",
    "share",
    "trash_document",
    "upload_document",
]
