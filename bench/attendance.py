"""Attendance benchmark: `.venv/bin/python bench/attendance.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

What is measured (results are written up by hand in docs/performance.md):

a. The month for everyone: ``attendance.timesheet_selectors.build_timesheet`` (the 出勤簿 and the
   monthly totals payroll reads) for every employee for the last full month — what a payroll run
   or 人事's month-end check computes.
b. The 出勤簿 screen (``/attendance/timesheet/``) of one employee, rendered through Django's test
   client, and 人事's view of another employee's 出勤簿.
c. Punch throughput through ``attendance.services.record_punch`` with its audit event, one
   transaction per punch, each employee clocking in once.

The data: 2,000 employees (the people benchmark's company, each with a sign-in) and 12 months of
punches before this month: every workday 出勤 between 8:40 and 9:20 and 退勤 between 17:30 and
21:30, one day in ten with a 休憩 pair — about a million punches, written with ``bulk_create`` in
the shape the service gives them. b also times the team-day screen (チームの勤怠) as 人事 (everyone) and as one 所属長.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from expenses import build_people
from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django

JST = ZoneInfo("Asia/Tokyo")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita attendance benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--employees", type=int, default=2_000)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--punches", type=int, default=1_000, help="record_punch calls to time")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=20261204)
    p.add_argument("--skip-dashboard", action="store_true", help="leave out the 36協定 dashboard")
    p.add_argument(
        "--profile-dashboard", action="store_true", help="print a cProfile of one warm 36協定 dashboard read"
    )
    return p.parse_args(argv)


def median_s(fn: Any, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def build_punches(
    world: dict[str, Any], args: argparse.Namespace, today: date, rng: random.Random
) -> dict[str, Any]:
    from django.db import transaction

    from ennoshita.attendance.models import Punch, PunchState
    from ennoshita.core.dates import is_holiday

    company = world["company"]
    first = today.replace(day=1)
    for _ in range(args.months):
        first = (first - timedelta(days=1)).replace(day=1)
    days = []
    day = first
    while day < today.replace(day=1):
        if day.weekday() < 5 and not is_holiday(day):
            days.append(day)
        day += timedelta(days=1)
    t0 = time.perf_counter()
    count = 0
    states = []
    with transaction.atomic():
        for e, u in zip(world["employees"], world["users"], strict=True):
            rows = []
            for d in days:
                start = datetime(d.year, d.month, d.day, 8, 40, tzinfo=JST) + timedelta(
                    seconds=rng.randrange(2400)
                )
                end = datetime(d.year, d.month, d.day, 17, 30, tzinfo=JST) + timedelta(
                    seconds=rng.randrange(14400)
                )
                times = [("in", start)]
                if rng.random() < 0.1:
                    times += [
                        ("break_start", datetime(d.year, d.month, d.day, 12, 0, tzinfo=JST)),
                        ("break_end", datetime(d.year, d.month, d.day, 13, 0, tzinfo=JST)),
                    ]
                times.append(("out", end))
                rows += [
                    Punch(
                        company=company,
                        employee_id=e.pk,
                        work_date=d,
                        kind=kind,
                        at=at,
                        source="web",
                        ip_address="192.0.2.10",
                        recorded_by=u,
                    )
                    for kind, at in times
                ]
            Punch.objects.bulk_create(rows, batch_size=5000)
            count += len(rows)
            last = rows[-1]
            states.append(
                PunchState(
                    company=company,
                    employee_id=e.pk,
                    last_kind="out",
                    last_at=last.at,
                    work_date=last.work_date,
                )
            )
        PunchState.objects.bulk_create(states, batch_size=2000)
    return {"punches": count, "days": len(days), "written_s": time.perf_counter() - t0, "first": first}


def bench_month(world: dict[str, Any], month: date) -> tuple[float, int]:
    from ennoshita.attendance import timesheet_selectors

    company = world["company"]
    t0 = time.perf_counter()
    overtime = 0
    # the product's path for 人事's export of a month for everyone (rules read once)
    for sheet in timesheet_selectors.month_for_everyone(company=company, month=month):
        overtime += sheet.totals.overtime
    return time.perf_counter() - t0, overtime


def bench_screens(world: dict[str, Any], month: date, repeat: int) -> list[tuple[str, float]]:
    from django.test import Client

    from ennoshita.core.tenancy import SESSION_KEY

    company = world["company"]
    user = world["users"][0]
    out = []
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = company.pk
    session.save()
    url = f"/attendance/timesheet/?month={month:%Y-%m}"
    assert client.get(url).status_code == 200
    out.append(
        ("出勤簿 screen /attendance/timesheet/ (own, one month)", median_s(lambda: client.get(url), repeat))
    )
    hr = Client()
    hr.force_login(world["hr"].user)
    session = hr.session
    session[SESSION_KEY] = company.pk
    session.save()
    other = world["employees"][1]
    url = f"/attendance/timesheet/{other.pk}/?month={month:%Y-%m}"
    assert hr.get(url).status_code == 200, hr.get(url).status_code
    out.append(("出勤簿 screen of another employee, as 人事", median_s(lambda: hr.get(url), repeat)))
    team = "/attendance/team/"  # today: who is in (the bench's punches end yesterday)
    assert hr.get(team).status_code == 200
    out.append(
        (
            f"チームの勤怠 screen, as 人事 (all {len(world['employees']):,})",
            median_s(lambda: hr.get(team), repeat),
        )
    )
    _head_employee, head_user = next(iter(world["heads"].values()))
    head = Client()
    head.force_login(head_user)
    session = head.session
    session[SESSION_KEY] = company.pk
    session.save()
    assert head.get(team).status_code == 200
    out.append(
        ("チームの勤怠 screen, as a 所属長 (one department)", median_s(lambda: head.get(team), repeat))
    )
    return out


def _client_for(user: Any, company: Any) -> Any:
    from django.test import Client

    from ennoshita.core.tenancy import SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = company.pk
    session.save()
    return client


def bench_dashboard(world: dict[str, Any], today: date, repeat: int) -> list[tuple[str, float]]:
    """The 36協定 dashboard for everyone (人事): a company-wide agreement from January of this year,
    so a status reads the year's months and the five before (the 2〜6か月平均). Cold: nothing
    stored yet (the first read after a work-rule change, or before the morning check ran); warm:
    everything stored; then after 100 employees clocked out today (their months marked)."""
    from ennoshita.attendance import services
    from ennoshita.attendance.models import MonthFigures
    from ennoshita.attendance.services import agreements as agreement_services
    from ennoshita.core.models import Membership

    company = world["company"]
    hr_member = world["hr"]
    start = date(today.year, 1, 1)
    agreement_services.create_agreement(
        company=company,
        actor=hr_member.user,
        membership=hr_member,
        data=agreement_services.AgreementInput(
            name="bench", start_date=start, end_date=date(today.year, 12, 31)
        ),
    )
    MonthFigures.objects.filter(company=company).delete()
    hr = _client_for(hr_member.user, company)
    url = "/attendance/agreements/status/?level=all"
    out = []
    t0 = time.perf_counter()
    assert hr.get(url).status_code == 200
    out.append(("36協定の状況, as 人事, cold (every month computed and stored)", time.perf_counter() - t0))
    out.append(("同, warm (every month stored)", median_s(lambda: hr.get(url), repeat)))
    users = world["users"][:100]
    members = {
        m.user_id: m
        for m in Membership.objects.filter(company=company, user__in=users).select_related("user")
    }
    for kind in ("in", "out"):
        for u in users:
            m = members[u.pk]
            services.record_punch(
                company=company, actor=m.user, membership=m, data=services.PunchInput(kind=kind)
            )
    MonthFigures.objects.filter(company=company, fresh=False).update(
        changed_at=datetime(2000, 1, 1, tzinfo=JST)
    )
    t0 = time.perf_counter()
    assert hr.get(url).status_code == 200
    out.append(("同, after 100 employees clocked out today (3 months each again)", time.perf_counter() - t0))
    return out


def bench_punching(world: dict[str, Any], n: int, kind: str = "in") -> float:
    from ennoshita.attendance import services
    from ennoshita.core.models import Membership

    company = world["company"]
    members = {
        m.user_id: m
        for m in Membership.objects.filter(company=company, user__in=world["users"][:n]).select_related(
            "user"
        )
    }
    t0 = time.perf_counter()
    done = 0
    for u in world["users"][:n]:
        m = members[u.pk]
        services.record_punch(
            company=company,
            actor=m.user,
            membership=m,
            data=services.PunchInput(kind=kind),
            ip_address="192.0.2.20",
        )
        done += 1
    return done / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(
        args.database_url, lambda pg: run(args, pg), prefix="enno-bench-attendance-"
    )


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "attendance")
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rng = random.Random(args.seed)
    today = date.today()
    world = build_people(args)
    built = build_punches(world, args, today, rng)
    print(
        f"punches: {built['punches']:,} for {len(world['employees']):,} employees over {built['days']} workdays "
        f"written in {built['written_s']:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    seconds, overtime = bench_month(world, month)
    print(
        f"{'the month for everyone: ' + str(len(world['employees'])) + ' 出勤簿 with totals (' + f'{month:%Y-%m}' + ')':<70} "
        f"{seconds:8.1f} s  ({seconds / len(world['employees']) * 1000:.1f} ms each; 時間外 {overtime:,} min in all)"
    )
    for label, value in bench_screens(world, month, args.repeat):
        print(f"{label:<70} {ms(value)}")
    n = min(args.punches, len(world["users"]))
    rate = bench_punching(world, n)
    print(f"{'punches through record_punch with audit, one transaction each (出勤)':<70} {rate:8.0f} /s")
    rate = bench_punching(world, n, "out")
    print(f"{'同, 退勤 (marks the 36協定 figures of three months)':<70} {rate:8.0f} /s")
    if not args.skip_dashboard:
        for label, value in bench_dashboard(world, today, args.repeat):
            print(f"{label:<70} {value:8.2f} s")
        if args.profile_dashboard:
            import cProfile
            import pstats

            hr = _client_for(world["hr"].user, world["company"])
            profile = cProfile.Profile()
            profile.runcall(hr.get, "/attendance/agreements/status/?level=all")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
