"""Backup and restore lose nothing: every table row and every stored file comes back, the audit
chains verify, and a damaged archive or a non-empty target is refused before anything is written.

The round trip restores with the real command in a subprocess, into another installation: a new
SQLite file and MEDIA_ROOT, or on PostgreSQL a new database created and dropped here."""

from __future__ import annotations

import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from ennoshita.core import backup
from ennoshita.core.models import AuditEvent, Company
from ennoshita.documents import services as documents
from ennoshita.documents.storage import sha256_of

from ..conftest import make_company, make_department, make_employee, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _installation_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "live" / "media"
    settings.VAR_DIR = tmp_path / "live"
    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


def populate() -> Company:
    company = make_company()
    admin = make_member(company, "admin1", ["admin"], last_name="管理", first_name="一郎")
    hr = make_member(company, "hr1", ["hr"], last_name="人事", first_name="花子")
    dept = make_department(company, hr)
    make_employee(company, hr, dept, number="0001")
    make_employee(company, hr, dept, number="0002", family_name="佐藤", family_name_kana="サトウ")
    folder = documents.create_folder(
        company=company, actor=admin.user, membership=admin, name="経理", parent=None
    )
    doc = documents.upload_document(
        company=company,
        actor=admin.user,
        membership=admin,
        folder=folder,
        name="請求書.txt",
        data="請求書 株式会社サンプル 132,000円".encode(),
    )
    documents.add_version(
        company=company, actor=admin.user, membership=admin, document=doc, data=b"second version"
    )
    documents.upload_document(
        company=company,
        actor=admin.user,
        membership=admin,
        folder=folder,
        name="copy.txt",
        data=b"second version",
    )
    other = make_company("株式会社よそ")
    make_member(other, "outsider", ["hr", "admin"])
    return company


def _media_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _ordered_select(cur, table: str, pk: str | None, ncols: int, quote) -> str:
    order = [quote(pk)] if pk else []
    order += [str(i) for i in range(1, ncols + 1)]
    return f"SELECT * FROM {quote(table)} ORDER BY {', '.join(order)}"


def _dump_rows(raw_conn, table: str, pk: str | None, quote) -> list[tuple]:
    cur = raw_conn.cursor()
    cur.execute(f"SELECT * FROM {quote(table)} LIMIT 0")
    ncols = len(cur.description)
    cur.execute(_ordered_select(cur, table, pk, ncols, quote))
    return [tuple(r) for r in cur.fetchall()]


def _virtual_tables() -> set[str]:
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
        return {row[0] for row in cur.fetchall()}


def _pk(table: str) -> str | None:
    with connection.cursor() as cur:
        try:
            return connection.introspection.get_primary_key_column(cur, table)
        except Exception:
            return None


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ENNOSHITA_VAR_DIR")}
    full.update(env, ENNOSHITA_ENV="local")
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=full,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def target(tmp_path):
    """Another installation: its VAR_DIR, and a DATABASE_URL of the same vendor as the tests."""
    var = tmp_path / "restored"
    if connection.vendor == "sqlite":
        db_path = var / "ennoshita.sqlite3"

        def opener():
            types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            return sqlite3.connect(db_path, detect_types=types)

        yield {"ENNOSHITA_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{db_path}"}, opener, db_path
        return
    import psycopg

    s = connection.settings_dict
    name = f"enno_restore_{secrets.token_hex(4)}"
    params = {k: v for k, v in {"host": s["HOST"], "port": s["PORT"], "user": s["USER"]}.items() if v}
    if s.get("PASSWORD"):
        params["password"] = s["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin_conn:
        admin_conn.execute(f'CREATE DATABASE "{name}"')
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    opened = []

    def opener():
        c = psycopg.connect(dbname=name, **params)
        opened.append(c)
        return c

    try:
        yield {"ENNOSHITA_VAR_DIR": str(var), "DATABASE_URL": url}, opener, name
    finally:
        for c in opened:
            c.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin_conn:
            admin_conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _live_raw():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection, False
    import psycopg

    s = connection.settings_dict
    params = {k: v for k, v in {"host": s["HOST"], "port": s["PORT"], "user": s["USER"]}.items() if v}
    if s.get("PASSWORD"):
        params["password"] = s["PASSWORD"]
    return psycopg.connect(dbname=s["NAME"], **params), True


def test_round_trip_restores_every_row_and_every_file(tmp_path, target):
    populate()
    assert AuditEvent.objects.count() > 10
    result = backup.create_backup(output=tmp_path / "out")
    manifest = result.manifest
    assert manifest["database_vendor"] == connection.vendor
    assert ["core", "0002_audit_append_only_triggers"] in manifest["migrations"]
    assert manifest["row_counts"]["core_company"] == 2
    media_members = [m for m in manifest["files"] if m.startswith("media/")]
    assert len(media_members) == 2  # two distinct contents (the copy shares a blob)
    for name in media_members:
        assert manifest["files"][name]["sha256"] == name.rsplit("/", 1)[1]

    env, open_target, _ = target
    done = _run("restore", str(result.path), env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "company" in done.stdout and "audit chain OK" in done.stdout and "BROKEN" not in done.stdout

    live, close_live = _live_raw()
    restored = open_target()
    quote = connection.ops.quote_name
    try:
        tables = connection.introspection.table_names()
        assert "core_auditevent" in tables and "documents_documentversion" in tables
        for table in tables:
            if table in _virtual_tables():
                continue  # a full-text index: its rows are in its shadow tables, compared as tables
            pk = _pk(table)
            expected = _dump_rows(live, table, pk, quote)
            assert _dump_rows(restored, table, pk, quote) == expected, table
    finally:
        if close_live:
            live.close()

    live_files = _media_tree(Path(settings.MEDIA_ROOT))
    assert live_files and _media_tree(Path(env["ENNOSHITA_VAR_DIR"]) / "media") == live_files
    for rel, data in live_files.items():
        assert sha256_of(data) == rel.rsplit("/", 1)[1]

    again = _run("audit_verify", env=env)
    assert again.returncode == 0 and again.stdout.count(": OK") == 2


def _rewrite(archive: Path, dest: Path, change) -> Path:
    """Copy an archive member by member, letting ``change(name, data)`` alter the bytes."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(dest, "w:gz") as out:
        for info in src:
            data = src.extractfile(info).read()
            data = change(info.name, data)
            new = tarfile.TarInfo(info.name)
            new.size = len(data)
            out.addfile(new, io.BytesIO(data))
    return dest


def _counts() -> dict[str, int]:
    with connection.cursor() as cur:
        out = {}
        for t in set(connection.introspection.table_names()) - _virtual_tables():
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(t)}")
            out[t] = cur.fetchone()[0]
        return out


def test_a_tampered_archive_is_refused_naming_the_member_and_nothing_is_written(tmp_path, settings):
    populate()
    archive = backup.create_backup(output=tmp_path / "out").path
    victim = next(
        n for n in backup.verify_archive(archive, tmp_path / "x")["files"] if n.startswith("media/")
    )

    def flip(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name == victim else data

    bad = _rewrite(archive, tmp_path / "ennoshita-20260101-000000.tar.gz", flip)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    before = _counts()
    with pytest.raises(backup.BackupError) as err:
        backup.restore_archive(bad)
    assert victim in str(err.value) and "checksum" in str(err.value)
    assert not (tmp_path / "empty-media").exists()
    assert _counts() == before

    # The command says the same and exits non-zero; the database member is checked as well.
    bad_db = _rewrite(
        archive,
        tmp_path / "bad-db.tar.gz",
        lambda name, data: (
            data[:100] + bytes([data[100] ^ 1]) + data[101:] if name.startswith("database/") else data
        ),
    )
    with pytest.raises(Exception, match="database/ennoshita"):
        call_command("restore", str(bad_db))
    assert not (tmp_path / "empty-media").exists()


def test_restore_refuses_a_non_empty_target(tmp_path, settings):
    populate()
    archive = backup.create_backup(output=tmp_path / "out").path
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore_archive(archive)
    assert not (tmp_path / "empty-media").exists()
    assert Company.objects.count() == 2


def test_restore_refuses_another_database_vendor(tmp_path):
    archive = backup.create_backup(output=tmp_path / "out").path
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def swap(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database_vendor"] = other
        return json.dumps(manifest).encode()

    with pytest.raises(backup.BackupError, match="across database vendors"):
        backup.restore_archive(_rewrite(archive, tmp_path / "other.tar.gz", swap))


def test_backup_command_default_folder_and_retention(tmp_path, settings):
    folder = Path(settings.VAR_DIR) / "backups"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("keep me")
    (folder / "ennoshita-latest.tar.gz").write_text("not ours")
    old = folder / "ennoshita-20200101-000000.tar.gz"
    old.write_text("old")
    for _ in range(3):
        call_command("backup", "--keep", "2", stdout=io.StringIO())
    names = sorted(p.name for p in folder.iterdir())
    ours = [n for n in names if backup.ARCHIVE_RE.match(n)]
    assert len(ours) == 2 and old.name not in names
    assert "notes.txt" in names and "ennoshita-latest.tar.gz" in names
    newest = backup.list_archives(folder)[0]
    assert backup.verify_archive(newest.path, tmp_path / "check")["format_version"] == backup.FORMAT_VERSION


# --- the admin screen -----------------------------------------------------------------------------


def _login(client, membership):
    from ..conftest import login

    return login(client, membership)


def test_admin_sees_the_page_starts_a_backup_and_downloads_it(client, admin):
    page = _login(client, admin).get(reverse("core:backups"))
    assert page.status_code == 200 and "今すぐバックアップ" in page.content.decode()
    assert reverse("core:backups") in page.content.decode()  # the nav item

    done = client.post(reverse("core:backups"), follow=True)
    assert done.status_code == 200 and "バックアップを作成しました" in done.content.decode()
    archives = backup.list_archives()
    assert len(archives) == 1
    assert archives[0].name in done.content.decode()

    response = client.get(reverse("core:backup_download", args=[archives[0].name]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == archives[0].path.read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="backup_download", object_id=archives[0].name).exists()


def test_hr_gets_403(client, hr):
    _login(client, hr)
    assert client.get(reverse("core:backups")).status_code == 403
    assert client.post(reverse("core:backups")).status_code == 403
    assert backup.list_archives() == []


def test_download_takes_only_names_from_the_listing(client, admin, settings):
    Path(settings.VAR_DIR, "backups").mkdir(parents=True)
    Path(settings.VAR_DIR, "secret_key").write_text("secret")
    _login(client, admin)
    for name in (
        "..%2Fsecret_key",
        "..%2F..%2Fetc%2Fpasswd",
        "ennoshita-20990101-000000.tar.gz",
        "secret_key",
    ):
        assert client.get(f"/admin/backups/{name}/download/").status_code == 404, name


def test_with_several_companies_only_a_superuser_admin_may_back_up(client, admin, outsider):
    _login(client, admin)
    assert client.get(reverse("core:backups")).status_code == 403
    admin.user.is_superuser = True
    admin.user.save()
    assert client.get(reverse("core:backups")).status_code == 200
