"""Backup and restore of a whole installation: the database and every stored file, in one archive.

Archive (``ennoshita-YYYYMMDD-HHMMSS.tar.gz``)::

    database/ennoshita.sqlite3   SQLite: the online backup API's copy of the live database
    database/ennoshita.pgdump    PostgreSQL: ``pg_dump --format=custom --no-owner --no-privileges``
    media/<path under MEDIA_ROOT>
    manifest.json                written last: format, versions, vendor, applied migrations,
                                 SHA-256 and size of every other member, row counts per table

The database snapshot is taken first and is consistent on its own (SQLite's backup API; on
PostgreSQL the row counts and migration list are read in the exported snapshot that ``pg_dump
--snapshot`` dumps). Files are copied after it: stored blobs are content-addressed and never
rewritten or deleted, so a file the snapshot refers to is always there; a blob uploaded during the
backup may be included without a row pointing at it, which is harmless.

Restore goes into an EMPTY installation only, and touches nothing until every member of the archive
has been checked against the manifest (see ``restore_archive`` in core/restore.py, re-exported
here). docs/operations.md §4 is the operator's guide.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from .backup_common import (
    ARCHIVE_RE,
    CHUNK,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    PG_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    Say,
    _pg_connect,
    _pg_params,
    _pg_tables,
    _tool,
)
from .restore import restore_archive, verify_archive

__all__ = [
    "ARCHIVE_RE",
    "CHUNK",
    "FORMAT_VERSION",
    "MANIFEST",
    "MEDIA_PREFIX",
    "PG_MEMBER",
    "SQLITE_MEMBER",
    "ArchiveInfo",
    "BackupError",
    "BackupResult",
    "Say",
    "app_version",
    "backup_dir",
    "create_backup",
    "list_archives",
    "prune",
    "restore_archive",
    "verify_archive",
]


def backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("ennoshita")
    except Exception:  # not installed as a distribution (a plain checkout)
        return "0.1.0"


# ---------------------------------------------------------------------------------------------
# Listing and retention
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveInfo:
    name: str
    path: Path
    size: int
    modified: datetime


def list_archives(folder: Path | None = None) -> list[ArchiveInfo]:
    """Our archives in ``folder`` (default: VAR_DIR/backups), newest first. Only names that match
    our pattern are listed: nothing else in the folder is ever offered or deleted."""
    folder = folder or backup_dir()
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        if ARCHIVE_RE.match(entry.name) and entry.is_file() and not entry.is_symlink():
            st = entry.stat()
            modified = datetime.fromtimestamp(st.st_mtime, tz=timezone.get_current_timezone())
            found.append(ArchiveInfo(entry.name, entry, st.st_size, modified))
    return sorted(found, key=_archive_order, reverse=True)


def _archive_order(info: ArchiveInfo) -> tuple[str, int]:
    m = ARCHIVE_RE.match(info.name)
    assert m is not None
    return m.group(1), int(m.group(2) or 0)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete our archives in ``folder`` beyond the newest ``keep``; return what was deleted."""
    if keep < 1:
        raise BackupError("--keep must be 1 or more")
    removed = []
    for info in list_archives(folder)[keep:]:
        info.path.unlink()
        removed.append(info.path)
    return removed


# ---------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------


def _default_name(folder: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = folder / f"ennoshita-{stamp}.tar.gz"
    n = 1
    while path.exists():
        path = folder / f"ennoshita-{stamp}-{n}.tar.gz"
        n += 1
    return path


def _output_path(output: str | Path | None) -> Path:
    if output is None:
        folder = backup_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _default_name(folder)
    out = Path(output)
    if out.is_dir() or not out.name.endswith(".tar.gz"):  # a folder (created if missing)
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _default_name(out)
    if out.exists():
        raise BackupError(f"{out} exists already; an archive is never overwritten")
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_snapshot(alias: str, dest: Path) -> tuple[list[list[str]], dict[str, int]]:
    """Copy the live database with SQLite's online backup API, from the connection Django holds
    (so that it works for an in-memory test database too); read migrations and counts from the copy."""
    conn = connections[alias]
    conn.ensure_connection()
    raw = conn.connection
    dst = sqlite3.connect(dest)
    try:
        raw.backup(dst)
        dst.commit()
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the database copy failed its integrity check: {check}")
        return _migrations_and_counts_sqlite(dst)
    finally:
        dst.close()


def _migrations_and_counts_sqlite(db: sqlite3.Connection) -> tuple[list[list[str]], dict[str, int]]:
    tables = [
        r[0]
        for r in db.execute(
            # a full-text index (CREATE VIRTUAL TABLE … fts5) is not counted: a contentless one
            # cannot be scanned, and its rows live in its shadow tables, which are counted
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    counts = {
        t: db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0]  # noqa: S608 (quoted table name)
        for t in tables
    }
    migrations: list[list[str]] = []
    if "django_migrations" in tables:
        migrations = [
            [app, name]
            for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    return migrations, counts


def _pg_snapshot(alias: str, dest: Path) -> tuple[list[list[str]], dict[str, int]]:
    """pg_dump of one exported snapshot; the counts and migrations are read in the same snapshot."""
    pg_dump = _tool("pg_dump")
    env, args, name = _pg_params(alias)
    with _pg_connect(alias) as conn:
        cur = conn.cursor()
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot_id = cur.fetchone()[0]
        counts = {}
        for t in _pg_tables(cur):
            cur.execute(f"SELECT COUNT(*) FROM {t}")  # noqa: S608 (t comes from quote_ident)
            counts[t.removeprefix("public.")] = cur.fetchone()[0]
        cur.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[app, mig] for app, mig in cur.fetchall()]
        cmd = [
            pg_dump,
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot_id}",
            f"--file={dest}",
            f"--dbname={name}",
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603 (fixed argv, no shell)
        conn.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed (exit {done.returncode}): {done.stderr.strip()}")
    return migrations, counts


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str, files: dict[str, dict[str, Any]]) -> None:
    info = tarfile.TarInfo(arcname)
    st = path.stat()
    info.size = st.st_size
    info.mtime = int(st.st_mtime)
    info.mode = 0o600
    with open(path, "rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    if reader.size != info.size:
        raise BackupError(f"{path} changed while it was being copied")
    files[arcname] = {"sha256": reader.sha.hexdigest(), "size": reader.size}


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fname in sorted(filenames):
            path = Path(dirpath) / fname
            if path.is_symlink() or not path.is_file():
                continue
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    removed: list[Path]


def create_backup(
    *,
    output: str | Path | None = None,
    keep: int | None = None,
    alias: str = "default",
    say: Say | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT; optionally keep only the newest ``keep``.

    ``progress(done, total, message)`` is told of each step (the snapshot, then every file), for a
    screen's progress bar.
    """
    say = say or (lambda _msg: None)
    step = progress or (lambda _done, _total, _msg: None)
    if keep is not None and keep < 1:
        raise BackupError("--keep must be 1 or more")
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of a {vendor} database are not supported")
    out = _output_path(output)
    partial = out.with_name(f".{out.name}.partial")
    created_at = timezone.now()
    with tempfile.TemporaryDirectory(prefix="ennoshita-backup-", dir=out.parent) as tmp:
        files: dict[str, dict[str, Any]] = {}
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        db_copy = Path(tmp) / Path(member).name
        media_root = Path(settings.MEDIA_ROOT)
        media = list(_media_files(media_root))
        total = len(media) + 1
        say(f"database snapshot ({vendor}) …")
        step(0, total, "database")
        if vendor == "sqlite":
            migrations, counts = _sqlite_snapshot(alias, db_copy)
        else:
            migrations, counts = _pg_snapshot(alias, db_copy)
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                _add_file(tar, db_copy, member, files)
                step(1, total, "files")
                for n, (path, arcname) in enumerate(media, start=2):
                    _add_file(tar, path, arcname, files)
                    step(n, total, "files")
                say(f"{len(media)} file(s) from {media_root}")
                manifest = {
                    "format": "ennoshita-backup",
                    "format_version": FORMAT_VERSION,
                    "created_at": created_at.isoformat(),
                    "app_version": app_version(),
                    "django_version": _django_version(),
                    "python_version": sys.version.split()[0],
                    "database_vendor": vendor,
                    "database_member": member,
                    "migrations": migrations,
                    "row_counts": counts,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created_at.timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            os.chmod(partial, 0o600)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    removed = prune(out.parent, keep) if keep is not None else []
    return BackupResult(out, manifest, removed)


def _django_version() -> str:
    import django

    return django.get_version()
