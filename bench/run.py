"""Benchmarks of the foundation: `make bench` (or `.venv/bin/python bench/run.py`).

What is measured (results are written up by hand in docs/performance.md):

a. 人事 reads at scale: ``people.selectors.employee_list`` page 1 (the first 50 rows evaluated, plus
   the page count a list page also runs) with no search, with search terms, and with a department
   filter; ``people.selectors.org_chart`` for the whole company.
b. Audit trail: ``core.audit.record_event`` calls per second, each in its own transaction; and how
   long ``verify_company_chain`` takes to walk what was written.
c. Gapless numbering: ``core.numbering.next_number`` calls per second, each in its own transaction.
d. For scale, the cost of one hire through ``people.services.create_employee`` (the real write path).

The data lives in a throwaway database that this script creates and removes:

- SQLite (default): a fresh file under a temporary directory (``ENNOSHITA_VAR_DIR`` points there).
- PostgreSQL: ``--database-url postgres://postgres@127.0.0.1:5432/bench_enno``. The database named
  in the URL must not exist yet: the script creates it (UTF-8, lc_ctype C.UTF-8), runs, and drops
  it at the end. It refuses to touch a database that it did not create.

The 10,000 employees are written with ``bulk_create`` for speed (departments, positions and the
employment types go through the services); a benchmark is not a test and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita foundation benchmarks")
    p.add_argument(
        "--database-url",
        default="",
        help="postgres://user@host:port/NEW_DB_NAME (created and dropped here); default: a temporary SQLite file",
    )
    p.add_argument("--employees", type=int, default=10_000, help="employees to generate (default 10000)")
    p.add_argument("--repeat", type=int, default=7, help="timed runs per read case (median reported)")
    p.add_argument("--audit-events", type=int, default=3_000, help="record_event calls to time")
    p.add_argument("--numbers", type=int, default=3_000, help="next_number calls to time")
    p.add_argument("--hires", type=int, default=200, help="create_employee calls to time")
    p.add_argument("--seed", type=int, default=20261124)
    return p.parse_args(argv)


# --------------------------------------------------------------------------- database lifecycle
class ThrowawayPostgres:
    """Create the database named in the URL (it must not exist) and drop it afterwards."""

    def __init__(self, url: str) -> None:
        import dj_database_url

        cfg = dj_database_url.parse(url)
        self.name = cfg["NAME"]
        self.conninfo = {
            "dbname": "postgres",
            "user": cfg.get("USER") or None,
            "password": cfg.get("PASSWORD") or None,
            "host": cfg.get("HOST") or None,
            "port": cfg.get("PORT") or None,
        }
        self.created = False

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(**{k: v for k, v in self.conninfo.items() if v}, autocommit=True)

    def create(self) -> None:
        from psycopg import sql

        with self._connect() as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()
            if exists:
                raise SystemExit(
                    f"database {self.name!r} already exists; the benchmark only uses a database it creates "
                    "itself (pick another name, or drop it yourself if it is yours)"
                )
            conn.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ).format(sql.Identifier(self.name))
            )
            self.created = True

    def drop(self) -> None:
        if not self.created:
            return
        from psycopg import sql

        with self._connect() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
        self.created = False

    def server_version(self) -> str:
        with self._connect() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]


# --------------------------------------------------------------------------- timing helpers
def timed_runs(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    result = fn()  # warm-up: caches, query plans
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


@contextmanager
def count_queries() -> Iterator[list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    box = [0]
    with CaptureQueriesContext(connection) as ctx:
        yield box
    box[0] = len(ctx.captured_queries)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


# --------------------------------------------------------------------------- data
def build_company(n_employees: int, seed: int) -> dict[str, Any]:
    from django.db import transaction

    from ennoshita.core import services as core_services
    from ennoshita.people import services
    from ennoshita.people.management.demo_data import FAMILY, GIVEN, POSITIONS
    from ennoshita.people.models import Employee, EmploymentType, Placement, PlacementReason

    rng = random.Random(seed)
    today = date.today()
    t0 = time.perf_counter()
    company = core_services.create_company(name="株式会社ベンチ商事", actor=None)
    hr = core_services.add_member(company=company, actor=None, username="bench-hr", roles=["hr"])
    actor = hr.user
    services.set_up_company_masters(company=company, actor=actor)

    # 8 divisions (本部) of 6 departments (部) each: 56 departments in a two-level tree.
    divisions, leaves = [], []
    for d in range(8):
        div = services.create_department(
            company=company,
            actor=actor,
            membership=hr,
            code=f"{d + 1}00",
            name=f"第{d + 1}本部",
            sort_order=d * 10,
        )
        divisions.append(div)
        for k in range(6):
            leaves.append(
                services.create_department(
                    company=company,
                    actor=actor,
                    membership=hr,
                    code=f"{d + 1}{k + 1}0",
                    name=f"第{d + 1}本部 {k + 1}部",
                    parent=div,
                    sort_order=d * 10 + k + 1,
                )
            )
    positions = [
        services.create_position(company=company, actor=actor, membership=hr, code=c, name=n, rank=r)
        for c, n, r in POSITIONS
    ]
    types = list(EmploymentType.objects.for_company(company))
    masters_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    employees = []
    for i in range(n_employees):
        fam, fam_kana = FAMILY[(i * 7) % len(FAMILY)]
        giv, giv_kana, gender = GIVEN[(i * 5 + i // len(FAMILY)) % len(GIVEN)]
        hire = date(2000 + rng.randrange(26), rng.choice([4, 4, 4, 1, 7, 10]), 1)
        retire = None
        if rng.random() < 0.08:
            retire = min(hire + timedelta(days=400 + rng.randrange(3000)), today - timedelta(days=1))
            retire = max(retire, hire)
        e = Employee(
            company=company,
            number=f"{i + 1:06d}",
            family_name=fam,
            given_name=giv,
            family_name_kana=fam_kana,
            given_name_kana=giv_kana,
            gender=gender,
            birth_date=date(1960 + rng.randrange(40), rng.randrange(1, 13), rng.randrange(1, 29)),
            hire_date=hire,
            retire_date=retire,
            employment_type=types[i % len(types)],
            postal_code="100-0005",
            address="東京都千代田区丸の内1-1-1",
            phone="03-1234-5678",
            email=f"staff{i + 1:06d}@example.jp",
            emergency_contact_phone="" if i % 13 == 0 else "090-1234-5678",
            bank_account_number="" if i % 17 == 0 else f"{rng.randrange(1, 9_999_999):07d}",
        )
        # The same search key the services store (NFKC, folded kana, no spaces).
        e.search_key = services._search_key_of(e)
        employees.append(e)
    with transaction.atomic():
        Employee.objects.bulk_create(employees, batch_size=500)
        # bulk_create returns primary keys on both SQLite (3.35+) and PostgreSQL.
        placements = []
        first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        for e in employees:
            placements.append(
                Placement(
                    company=company,
                    employee=e,
                    department=rng.choice(leaves),
                    position=positions[-1] if rng.random() < 0.7 else rng.choice(positions[3:]),
                    effective_from=e.hire_date,
                    reason=PlacementReason.HIRE,
                )
            )
            last_day = e.retire_date or today
            if rng.random() < 0.35 and (last_day - e.hire_date).days > 400:
                moved = e.hire_date + timedelta(days=365 + rng.randrange((last_day - e.hire_date).days - 365))
                placements.append(
                    Placement(
                        company=company,
                        employee=e,
                        department=rng.choice(leaves),
                        position=rng.choice(positions[4:]),
                        effective_from=moved,
                        reason=PlacementReason.TRANSFER,
                    )
                )
            if e.retire_date is None and rng.random() < 0.03:
                placements.append(
                    Placement(
                        company=company,
                        employee=e,
                        department=rng.choice(leaves),
                        position=positions[4],
                        effective_from=first_of_next,
                        reason=PlacementReason.PROMOTION,
                    )
                )
        # A transfer may land on a day already used by that employee; keep the first one.
        seen: set[tuple[int, date]] = set()
        unique = []
        for p in placements:
            key = (p.employee.pk, p.effective_from)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        Placement.objects.bulk_create(unique, batch_size=1000)
    bulk_s = time.perf_counter() - t0
    return {
        "company": company,
        "hr": hr,
        "divisions": divisions,
        "leaves": leaves,
        "positions": positions,
        "types": types,
        "placements": len(unique),
        "masters_s": masters_s,
        "bulk_s": bulk_s,
    }


# --------------------------------------------------------------------------- cases
def bench_reads(ctx: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    from ennoshita.people import selectors

    company, hr = ctx["company"], ctx["hr"]
    today = date.today()
    division = ctx["divisions"][2]
    leaf = ctx["leaves"][10]

    def listing(**kw: Any) -> tuple[Callable[[], Any], Callable[[], Any]]:
        def rows() -> Any:
            return list(selectors.employee_list(company=company, membership=hr, **kw)[:50])

        def count() -> Any:
            return selectors.employee_list(company=company, membership=hr, **kw).count()

        return rows, count

    cases: list[tuple[str, tuple[Callable[[], Any], Callable[[], Any]]]] = [
        ("no search, sort 社員番号", listing()),
        ("no search, sort フリガナ", listing(sort="kana")),
        ("no search, sort 所属", listing(sort="department")),
        ("search 'ヤマダ' (common kana)", listing(q="ヤマダ")),
        ("search 'やまだ たろう' (hiragana, space)", listing(q="やまだ たろう")),
        ("search '山田' (2 kanji)", listing(q="山田")),
        ("search '009999' (one 社員番号)", listing(q="009999")),
        ("search 'ｻｻｷ' (half-width kana)", listing(q="ｻｻｷ")),
        ("search 'zzz' (no match)", listing(q="zzz")),
        ("department = one 部", listing(department_id=leaf.pk, include_sub_departments=False)),
        ("department = one 本部 + its 部", listing(department_id=division.pk)),
        ("status all (incl. retired, future)", listing(status="all")),
    ]
    out = []
    for label, (rows_fn, count_fn) in cases:
        with count_queries() as q:
            rows_fn()
        rows_t, _ = timed_runs(rows_fn, repeat)
        count_t, total = timed_runs(count_fn, repeat)
        out.append(
            {
                "case": label,
                "rows": statistics.median(rows_t),
                "count": statistics.median(count_t),
                "queries": q[0],
                "total": total,
            }
        )
    for label, as_of in (
        ("org_chart, whole company, today", today),
        ("org_chart, as of 2015-04-01", date(2015, 4, 1)),
    ):

        def chart(day: date = as_of) -> Any:
            return selectors.org_chart(company=company, as_of=day)

        with count_queries() as q:
            chart()
        times, roots = timed_runs(chart, repeat)
        out.append(
            {
                "case": label,
                "rows": statistics.median(times),
                "count": None,
                "queries": q[0],
                "total": sum(n.total for n in roots),
            }
        )
    return out


def bench_audit(ctx: dict[str, Any], n: int) -> dict[str, float]:
    from django.db import transaction

    from ennoshita.core.audit import record_event, verify_company_chain
    from ennoshita.core.models import AuditEvent

    company, actor = ctx["company"], ctx["hr"].user
    t0 = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            record_event(
                company=company,
                actor=actor,
                action="update",
                object_type="people.employee",
                object_id=str(i + 1),
                object_repr=f"{i + 1:06d} ベンチ 太郎",
                before={"address": "東京都千代田区丸の内1-1-1", "phone": "03-1234-5678"},
                after={"address": "東京都港区芝公園4-2-8", "phone": "03-1234-5679"},
            )
    append_s = time.perf_counter() - t0
    total = AuditEvent.objects.filter(company=company).count()
    t0 = time.perf_counter()
    broken = verify_company_chain(company.pk)
    verify_s = time.perf_counter() - t0
    if broken is not None:
        raise SystemExit(f"audit chain broken after the benchmark: {broken}")
    return {"n": n, "append_s": append_s, "per_s": n / append_s, "chain": total, "verify_s": verify_s}


def bench_numbers(ctx: dict[str, Any], n: int) -> dict[str, float]:
    from django.db import transaction

    from ennoshita.core.numbering import next_number

    company = ctx["company"]
    t0 = time.perf_counter()
    last = 0
    for _ in range(n):
        with transaction.atomic():
            last = next_number(company=company, doc_type="bench", fiscal_year=2026)
    s = time.perf_counter() - t0
    if last != n:
        raise SystemExit(f"numbering skipped or repeated: last={last}, expected {n}")
    return {"n": n, "s": s, "per_s": n / s}


def bench_hires(ctx: dict[str, Any], n: int) -> dict[str, float]:
    from ennoshita.people import services

    company, hr = ctx["company"], ctx["hr"]
    leaves, types = ctx["leaves"], ctx["types"]
    t0 = time.perf_counter()
    for i in range(n):
        services.create_employee(
            company=company,
            actor=hr.user,
            membership=hr,
            department=leaves[i % len(leaves)],
            number=f"H{i + 1:05d}",
            family_name="新人",
            given_name="太郎",
            family_name_kana="しんじん",
            given_name_kana="ﾀﾛｳ",
            hire_date=date(2026, 4, 1),
            employment_type=types[0],
            postal_code="１００ー０００５",
            phone="03(1234)5678",
        )
    s = time.perf_counter() - t0
    return {"n": n, "s": s, "per_s": n / s}


# --------------------------------------------------------------------------- main
def in_throwaway_installation(
    database_url: str | None, body: Callable[[ThrowawayPostgres | None], int], *, prefix: str = "enno-bench-"
) -> int:
    """Run ``body`` against a new installation: a temporary SQLite file, or a PostgreSQL database
    created for the run (refused if it exists) and dropped afterwards. Shared by every benchmark."""
    if database_url and not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must be a postgres:// URL (SQLite is the default)")
    pg = ThrowawayPostgres(database_url) if database_url else None
    if pg is not None:
        pg.create()  # refuses (and changes nothing) when the database already exists
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    # Everything the settings read from the environment is set before Django starts.
    os.environ["ENNOSHITA_VAR_DIR"] = str(tmp)
    os.environ["ENNOSHITA_ENV"] = "local"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ennoshita.settings"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    try:
        return body(pg)
    finally:
        with suppress(Exception):  # Django may not be set up yet
            from django.db import connections

            connections.close_all()
        if pg is not None:
            pg.drop()
        shutil.rmtree(tmp, ignore_errors=True)


def start_django(pg: ThrowawayPostgres | None, title: str) -> None:
    """Set Django up, migrate, and print what the figures were measured on."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t0
    if connection.vendor == "sqlite":
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL), file under {os.environ['ENNOSHITA_VAR_DIR']}"
    else:
        db = f"PostgreSQL {pg.server_version() if pg else '?'} ({connection.settings_dict['HOST']})"
    print(title)
    print(f"  date      {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"  python    {platform.python_version()}  django {django.get_version()}")
    print(f"  database  {db}")
    print(f"  cpus      {os.cpu_count()}  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  migrate   {ms(migrate_s)}")
    print()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(args.database_url, lambda pg: run(args, pg))


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "Ennoshita benchmarks")
    from django.db import connection

    ctx = build_company(args.employees, args.seed)
    if connection.vendor == "postgresql":
        # A normal server's autovacuum analyses new tables within a minute; do it now so that the
        # planner has statistics whether or not autovacuum is on where the benchmark runs.
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        ctx["analyze_s"] = time.perf_counter() - t0
    print(
        f"data: {args.employees:,} employees, {ctx['placements']:,} placements, "
        f"{len(ctx['divisions']) + len(ctx['leaves'])} departments"
    )
    print(f"  masters through services {ms(ctx['masters_s'])};  bulk insert {ms(ctx['bulk_s'])}")
    if "analyze_s" in ctx:
        print(f"  ANALYZE {ms(ctx['analyze_s'])}")
    print()

    print(f"(a) 人事 reads as hr, median of {args.repeat} runs")
    print("    employee_list: page 1 = the first 50 rows evaluated; count = the total a paginator asks for")
    print(f"  {'case':<40} {'page 1':>11} {'count':>11} {'queries':>8} {'matches':>8}")
    for r in bench_reads(ctx, args.repeat):
        count = ms(r["count"]) if r["count"] is not None else "-"
        print(f"  {r['case']:<40} {ms(r['rows']):>11} {count:>11} {r['queries']:>8} {r['total']:>8,}")
    print()

    a = bench_audit(ctx, args.audit_events)
    print("(b) audit trail")
    print(
        f"  record_event, one transaction each: {a['per_s']:,.0f} events/s ({a['n']:,} in {a['append_s']:.2f} s)"
    )
    print(f"  verify_company_chain over {a['chain']:,} events: {ms(a['verify_s'])}")
    print()

    n = bench_numbers(ctx, args.numbers)
    print("(c) gapless numbering")
    print(f"  next_number, one transaction each: {n['per_s']:,.0f} numbers/s ({n['n']:,} in {n['s']:.2f} s)")
    print()

    if args.hires:
        h = bench_hires(ctx, args.hires)
        print("(d) hires through people.services.create_employee (2 rows + 2 audit events each)")
        print(f"  {h['per_s']:,.0f} hires/s ({h['n']:,} in {h['s']:.2f} s)")
    print()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
