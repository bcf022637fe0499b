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
has been checked against the manifest (see ``restore_archive``). docs/operations.md §4 is the
operator's guide.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/ennoshita.sqlite3"
PG_MEMBER = "database/ennoshita.pgdump"
MEDIA_PREFIX = "media/"
ARCHIVE_RE = re.compile(r"^ennoshita-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")
CHUNK = 1024 * 1024

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (and which member)."""


def backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("ennoshita")
    except Exception:  # not installed as a distribution (a plain checkout)
        return "0.1.0"


def _sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


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
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
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


def _pg_params(alias: str) -> tuple[dict[str, str], list[str], str]:
    """Environment and libpq arguments for pg_dump/pg_restore from settings.DATABASES[alias]."""
    s = connections[alias].settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env, [*args, "--no-password"], str(s["NAME"])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's "
            f"major version or later (Debian: apt-get install postgresql-client-15)."
        )
    return path


def _pg_connect(alias: str) -> Any:
    import psycopg

    s = connections[alias].settings_dict
    kwargs = {
        "dbname": s["NAME"],
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
    }
    return psycopg.connect(**{k: v for k, v in kwargs.items() if v}, autocommit=False)


def _pg_tables(cur: Any) -> list[str]:
    cur.execute(
        "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY 1"
    )
    return [r[0] for r in cur.fetchall()]


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
) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT; optionally keep only the newest ``keep``."""
    say = say or (lambda _msg: None)
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
        say(f"database snapshot ({vendor}) …")
        if vendor == "sqlite":
            migrations, counts = _sqlite_snapshot(alias, db_copy)
        else:
            migrations, counts = _pg_snapshot(alias, db_copy)
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                _add_file(tar, db_copy, member, files)
                media_root = Path(settings.MEDIA_ROOT)
                n = 0
                for path, arcname in _media_files(media_root):
                    _add_file(tar, path, arcname, files)
                    n += 1
                say(f"{n} file(s) from {media_root}")
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


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


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
