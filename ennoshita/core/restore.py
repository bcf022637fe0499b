"""Restore of a backup archive (core/backup.py writes them) into an EMPTY installation.

Nothing is touched until every member of the archive has been checked against the manifest (see
``restore_archive``). docs/operations.md §4 is the operator's guide.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from .backup_common import (
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
    _sha256_file,
    _tool,
)


def _safe_member_name(name: str) -> bool:
    p = PurePosixPath(name)
    if p.is_absolute() or not p.parts or any(part in ("", ".", "..") for part in p.parts):
        return False
    if "\\" in name or any(ord(c) < 32 for c in name):
        return False
    return name == MANIFEST or name in (SQLITE_MEMBER, PG_MEMBER) or name.startswith(MEDIA_PREFIX)


def verify_archive(archive: str | Path, workdir: Path) -> dict[str, Any]:
    """Unpack ``archive`` into ``workdir`` and check every member against the manifest: names,
    sizes and SHA-256 sums, nothing missing, nothing extra. Raise BackupError naming the member."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no such archive: {archive}")
    seen: dict[str, dict[str, Any]] = {}
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                name = info.name
                if not info.isfile():
                    raise BackupError(f"archive member {name!r} is not a regular file")
                if not _safe_member_name(name):
                    raise BackupError(f"archive member {name!r} has a name a backup never contains")
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"archive member {name!r} appears twice")
                fh = tar.extractfile(info)
                assert fh is not None
                if name == MANIFEST:
                    manifest_bytes = fh.read()
                    continue
                target = workdir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                size = 0
                with open(target, "wb") as out:
                    while chunk := fh.read(CHUNK):
                        h.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"sha256": h.hexdigest(), "size": size}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"the archive cannot be read ({exc}); it is damaged or not a backup") from exc
    if manifest_bytes is None:
        raise BackupError("the archive has no manifest.json; it is not an Ennoshita backup")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"manifest.json is not valid JSON: {exc}") from exc
    if manifest.get("format") != "ennoshita-backup" or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"unsupported backup format {manifest.get('format')!r} v{manifest.get('format_version')!r}"
        )
    expected: dict[str, dict[str, Any]] = manifest.get("files") or {}
    for name in sorted(set(expected) | set(seen)):
        if name not in seen:
            raise BackupError(f"archive member {name!r} is listed in the manifest but missing")
        if name not in expected:
            raise BackupError(f"archive member {name!r} is not listed in the manifest")
        if seen[name]["sha256"] != expected[name].get("sha256") or seen[name]["size"] != expected[name].get(
            "size"
        ):
            raise BackupError(
                f"checksum mismatch for archive member {name!r}: the archive is damaged or altered"
            )
    if manifest.get("database_member") not in seen:
        raise BackupError("the archive holds no database snapshot")
    return manifest


def _check_migrations_known(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest.get("migrations", []) if (a, n) not in known]
    if unknown:
        raise BackupError(
            "the backup was made by a newer version of Ennoshita (migrations unknown here: "
            + ", ".join(unknown[:5])
            + (" …" if len(unknown) > 5 else "")
            + "); install that version first"
        )


def _media_has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _sqlite_target_state(path: Path) -> tuple[bool, int]:
    """(has tables, companies) of an SQLite file, read without Django's connection."""
    if not path.exists() or path.stat().st_size == 0:
        return False, 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        companies = (
            db.execute("SELECT COUNT(*) FROM core_company").fetchone()[0] if "core_company" in tables else 0
        )
        return bool(tables), companies
    finally:
        db.close()


def _pg_target_state(alias: str) -> tuple[list[str], int]:
    with _pg_connect(alias) as conn:
        cur = conn.cursor()
        tables = _pg_tables(cur)
        companies = 0
        if "public.core_company" in tables:
            cur.execute("SELECT COUNT(*) FROM public.core_company")
            companies = cur.fetchone()[0]
        conn.rollback()
    return tables, companies


def _companies_via(conn: Any) -> int:
    if "core_company" not in conn.introspection.table_names():
        return 0
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM core_company")
        return int(cur.fetchone()[0])


def _refuse_nonempty(companies: int) -> None:
    if companies:
        raise BackupError(
            f"the target database is not empty ({companies} compan{'y' if companies == 1 else 'ies'} in "
            "core_company). Restore only goes into an empty installation: create a new database "
            "(or move the SQLite file away) and run restore again"
        )


def _fsync_copy(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout, CHUNK)
        fout.flush()
        os.fsync(fout.fileno())


def _restore_sqlite(alias: str, snapshot: Path, say: Say) -> None:
    conn = connections[alias]
    target = Path(str(conn.settings_dict["NAME"]))
    if conn.is_in_memory_db():  # type: ignore[attr-defined]
        raise BackupError("the target database is in memory; point DATABASE_URL at a file")
    conn.close()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    _fsync_copy(snapshot, staging)
    check = sqlite3.connect(staging)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        staging.unlink(missing_ok=True)
        raise BackupError(f"the database snapshot failed its integrity check: {result}")
    if target.exists():
        # An existing (empty, maybe migrated) database file is kept beside, never deleted.
        aside = target.with_name(f"{target.name}.before-restore-{timezone.localtime():%Y%m%d-%H%M%S}")
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(target) + suffix)
            if p.exists():
                os.replace(p, Path(str(aside) + suffix))
        say(f"the previous (empty) database file was moved to {aside}")
    os.replace(staging, target)
    os.chmod(target, 0o600)
    say(f"database restored to {target}")


def _restore_pg(alias: str, dump: Path, say: Say) -> None:
    pg_restore = _tool("pg_restore")
    env, args, name = _pg_params(alias)
    connections[alias].close()
    cmd = [
        pg_restore,
        *args,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={name}",
        str(dump),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603 (fixed argv, no shell)
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore failed (exit {done.returncode}); nothing was kept: {done.stderr.strip()}"
        )
    say(f"database restored into {name}")


def _restore_media(workdir: Path, manifest: dict[str, Any], media_root: Path, say: Say) -> None:
    media = {k: v for k, v in manifest["files"].items() if k.startswith(MEDIA_PREFIX)}
    for name in sorted(media):
        rel = name[len(MEDIA_PREFIX) :]
        dest = media_root / rel
        if media_root.resolve() not in dest.resolve().parents:
            raise BackupError(f"archive member {name!r} would land outside MEDIA_ROOT")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.restoring")
        _fsync_copy(workdir / name, tmp)
        os.replace(tmp, dest)
    bad = [
        name
        for name in sorted(media)
        if _sha256_file(media_root / name[len(MEDIA_PREFIX) :])[0] != media[name]["sha256"]
    ]
    if bad:
        raise BackupError(f"file(s) differ after writing them: {', '.join(bad[:5])}")
    say(f"{len(media)} file(s) restored to {media_root} and verified")


def _check_restored(alias: str, manifest: dict[str, Any], say: Say) -> list[str]:
    """Row counts against the manifest, then every company's audit chain. Returns the problems."""
    from .audit import verify_company_chain
    from .models import AuditEvent, Company

    problems = []
    conn = connections[alias]
    conn.close()
    with conn.cursor() as cur:
        for table, expected in sorted((manifest.get("row_counts") or {}).items()):
            ident = (
                ".".join(conn.ops.quote_name(p) for p in table.split("."))
                if "." in table
                else conn.ops.quote_name(table)
            )
            cur.execute(f"SELECT COUNT(*) FROM {ident}")  # noqa: S608 (quote_name)
            got = cur.fetchone()[0]
            if got != expected:
                problems.append(f"table {table}: {got} rows, the backup had {expected}")
    for company_id in Company.objects.order_by("pk").values_list("pk", flat=True):
        broken = verify_company_chain(company_id)
        count = AuditEvent.objects.filter(company_id=company_id).count()
        if broken is None:
            say(f"company {company_id}: audit chain OK ({count} events)")
        else:
            problems.append(f"company {company_id}: audit chain BROKEN at seq {broken.seq}: {broken.reason}")
            say(problems[-1])
    return problems


def restore_archive(archive: str | Path, *, alias: str = "default", say: Say | None = None) -> dict[str, Any]:
    """Restore ``archive`` into this installation (settings.DATABASES[alias] and MEDIA_ROOT).

    Order: unpack into a temporary folder and check every member against the manifest; refuse a
    different database vendor, migrations this code does not know, a database with companies or
    (PostgreSQL) with any table, and a MEDIA_ROOT that holds files. Only then write the database
    (SQLite: staged copy renamed into place; PostgreSQL: pg_restore in one transaction), copy and
    re-check the files, compare row counts with the manifest and verify every audit chain.
    """
    say = say or (lambda _msg: None)
    conn = connections[alias]
    media_root = Path(settings.MEDIA_ROOT)
    scratch_parent = Path(settings.VAR_DIR)
    scratch_parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=scratch_parent) as tmp:
        workdir = Path(tmp)
        manifest = verify_archive(archive, workdir)
        say(f"archive verified: {len(manifest['files'])} member(s), SHA-256 sums match")
        vendor = manifest.get("database_vendor")
        if vendor != conn.vendor:
            raise BackupError(
                f"the archive holds a {vendor} database and this installation uses {conn.vendor}; "
                "restoring across database vendors is not supported"
            )
        _check_migrations_known(manifest)
        if conn.vendor == "sqlite":
            if conn.is_in_memory_db():  # type: ignore[attr-defined]
                _refuse_nonempty(_companies_via(conn))
                raise BackupError("the target database is in memory; point DATABASE_URL at a file")
            _has_tables, companies = _sqlite_target_state(Path(str(conn.settings_dict["NAME"])))
            _refuse_nonempty(companies)
        else:
            tables, companies = _pg_target_state(alias)
            _refuse_nonempty(companies)
            if tables:
                raise BackupError(
                    f"the target database {conn.settings_dict['NAME']} already has {len(tables)} table(s). "
                    "Restore into a newly created, empty database (createdb), without running migrate first"
                )
        if _media_has_files(media_root):
            raise BackupError(f"MEDIA_ROOT ({media_root}) already holds files; restore needs an empty folder")
        snapshot = workdir / manifest["database_member"]
        if conn.vendor == "sqlite":
            _restore_sqlite(alias, snapshot, say)
        else:
            _restore_pg(alias, snapshot, say)
        _restore_media(workdir, manifest, media_root, say)
    problems = _check_restored(alias, manifest, say)
    if problems:
        raise BackupError("restored, but the checks failed:\n" + "\n".join(problems))
    return manifest
