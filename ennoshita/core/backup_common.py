"""What backup (core/backup.py) and restore (core/restore.py) share: the archive's format and
member names, the error they raise, and the PostgreSQL client helpers (pg_dump / pg_restore)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connections

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


def _sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


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
