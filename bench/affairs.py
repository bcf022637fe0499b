"""総務 and 受付 benchmark: `.venv/bin/python bench/affairs.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

What is measured (results are written up by hand in docs/performance.md; target: pages under 200 ms):

a. The room week view (one room, 7 days) and the day view of every room, rendered through Django's
   test client as a member would open them.
b. Booking throughput through ``frontdesk.services.rooms.book_room`` — one transaction per booking,
   with the no-overlap check under the room's lock and the database's own refusal (the exclusion
   constraint on PostgreSQL, the trigger on SQLite) — and how fast an overlapping booking is refused.
c. The visitor log (来訪者一覧) page 1, with a company search and with a date filter.
d. The list of who has not acknowledged the current rule versions (既読確認の未完了一覧).
e. For scale, the equipment register page 1 and an employee's held items.

The data: 2,000 employees with sign-ins (the expenses benchmark's company), 20,000 equipment items
(half lent), 200 rooms with 3 years of bookings on workdays (about 300,000), 100,000 visits over the
same 3 years, 10 rules with a published version asked of everyone (20,000 acknowledgements, about a
third still open). Rows are written with ``bulk_create`` in the shape the services give them; the
rule files go through the documents services.
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
SLOTS = [(9, 0, 10, 0), (10, 30, 12, 0), (13, 0, 14, 0), (14, 30, 16, 0), (16, 30, 17, 30)]
COMPANIES = ["株式会社アルファ", "ベータ工業株式会社", "ガンマ商事", "デルタ物産株式会社", "イプシロン技研"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita 総務・受付 benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--employees", type=int, default=2_000)
    p.add_argument("--equipment", type=int, default=20_000)
    p.add_argument("--rooms", type=int, default=200)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--per-day", type=int, default=2, help="bookings per room and workday (of 5 slots)")
    p.add_argument("--visits", type=int, default=100_000)
    p.add_argument("--rules", type=int, default=10)
    p.add_argument("--bookings", type=int, default=500, help="book_room calls to time")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=20261204)
    return p.parse_args(argv)


def median_s(fn: Any, repeat: int) -> float:
    fn()  # warm
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _client_for(user: Any, company: Any) -> Any:
    from django.test import Client

    from ennoshita.core.tenancy import SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = company.pk
    session.save()
    return client


def _workdays(start: date, end: date) -> list[date]:
    from ennoshita.core.dates import is_holiday

    days, day = [], start
    while day < end:
        if day.weekday() < 5 and not is_holiday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def build_equipment(world: dict[str, Any], args: argparse.Namespace, rng: random.Random) -> float:
    from django.db import transaction

    from ennoshita.affairs.models import Equipment, EquipmentCategory, EquipmentLoan, Location

    company, admin = world["company"], world["admin"]
    t0 = time.perf_counter()
    with transaction.atomic():
        cats = [
            EquipmentCategory.objects.create(company=company, name=n, sort_order=i)
            for i, n in enumerate(["PC", "スマートフォン", "鍵", "入館カード", "モニター", "家具"])
        ]
        places = [Location.objects.create(company=company, name=f"本社{k + 1}F") for k in range(5)]
        items, loans = [], []
        employees = world["employees"]
        for i in range(args.equipment):
            cat = cats[i % len(cats)]
            lent = cat.name != "家具" and rng.random() < 0.6
            holder = rng.choice(employees) if lent else None
            items.append(
                Equipment(
                    company=company,
                    asset_number=f"A{i + 1:06d}",
                    name=f"{cat.name} {i + 1}",
                    category=cat,
                    location=places[i % len(places)],
                    serial_number=f"SN{rng.randrange(10**9):09d}",
                    purchase_date=date(2020 + i % 6, 1 + i % 12, 1),
                    purchase_price=rng.choice([3000, 15000, 98000, 120000, 250000]),
                    status="lent" if lent else "in_stock",
                    holder=holder,
                    search_key=f"a{i + 1:06d} {cat.name.lower()} {i + 1}",
                )
            )
        Equipment.objects.bulk_create(items, batch_size=2000)
        for item in items:
            if item.holder is not None:
                loans.append(
                    EquipmentLoan(
                        company=company,
                        equipment=item,
                        employee=item.holder,
                        lent_on=date(2025, 4, 1),
                        lent_by=admin.user,
                    )
                )
        EquipmentLoan.objects.bulk_create(loans, batch_size=2000)
    world["equipment_holder"] = next(i.holder for i in items if i.holder is not None)
    return time.perf_counter() - t0


def build_rooms(
    world: dict[str, Any], args: argparse.Namespace, rng: random.Random, today: date
) -> tuple[int, float]:
    from django.db import transaction

    from ennoshita.frontdesk.models import Room, RoomBooking

    company = world["company"]
    users = world["users"]
    t0 = time.perf_counter()
    rooms = Room.objects.bulk_create(
        [
            Room(
                company=company,
                code=f"R{k + 1:03d}",
                name=f"会議室{k + 1:03d}",
                capacity=4 + (k % 5) * 4,
                sort_order=k,
            )
            for k in range(args.rooms)
        ]
    )
    days = _workdays(today - timedelta(days=365 * args.years - 60), today + timedelta(days=60))
    count = 0
    batch: list[Any] = []
    with transaction.atomic():
        for room in rooms:
            for day in days:
                for h1, m1, h2, m2 in rng.sample(SLOTS, args.per_day):
                    batch.append(
                        RoomBooking(
                            company=company,
                            room=room,
                            title="定例" if h1 == 9 else "打合せ",
                            starts_at=datetime(day.year, day.month, day.day, h1, m1, tzinfo=JST),
                            ends_at=datetime(day.year, day.month, day.day, h2, m2, tzinfo=JST),
                            booked_by=rng.choice(users),
                        )
                    )
            if len(batch) >= 20_000:
                RoomBooking.objects.bulk_create(batch, batch_size=5000)
                count += len(batch)
                batch = []
        RoomBooking.objects.bulk_create(batch, batch_size=5000)
        count += len(batch)
    world["rooms"] = rooms
    return count, time.perf_counter() - t0


def build_visits(world: dict[str, Any], args: argparse.Namespace, rng: random.Random, today: date) -> float:
    from django.db import transaction

    from ennoshita.frontdesk.models import Visit

    company, users = world["company"], world["users"]
    start = today - timedelta(days=365 * args.years)
    span = (today - start).days
    t0 = time.perf_counter()
    with transaction.atomic():
        batch = []
        for i in range(args.visits):
            day = start + timedelta(days=rng.randrange(span + 1))
            at = datetime(day.year, day.month, day.day, 9 + rng.randrange(8), rng.choice([0, 30]), tzinfo=JST)
            host = rng.choice(users)
            comp = f"{rng.choice(COMPANIES)}{i % 500}"
            name = f"来訪者{i}"
            past = day < today
            batch.append(
                Visit(
                    company=company,
                    host=host,
                    visitor_company=comp,
                    visitor_name=name,
                    purpose="打合せ",
                    expected_at=at,
                    status="left" if past else "expected",
                    checked_in_at=at if past else None,
                    checked_out_at=at + timedelta(hours=1) if past else None,
                    search_key=f"{comp} {name}".lower(),
                    created_by=host,
                )
            )
            if len(batch) == 10_000:
                Visit.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Visit.objects.bulk_create(batch, batch_size=5000)
    return time.perf_counter() - t0


def build_rules(world: dict[str, Any], args: argparse.Namespace, rng: random.Random) -> tuple[int, float]:
    from django.db import transaction
    from django.utils import timezone

    from ennoshita.affairs.models import Rule, RuleAcknowledgement, RuleVersion
    from ennoshita.documents import services as documents_services

    company, admin = world["company"], world["admin"]
    t0 = time.perf_counter()
    kw = {"company": company, "actor": admin.user, "membership": admin}
    folder = documents_services.create_folder(**kw, name="社内規程(ベンチ)", parent=None)
    now = timezone.now()
    open_count = 0
    with transaction.atomic():
        for r in range(args.rules):
            doc = documents_services.upload_document(
                **kw, folder=folder, name=f"規程{r + 1}.txt", data=f"第1条 規程{r + 1}".encode()
            )
            rule = Rule.objects.create(
                company=company,
                code=f"R{r + 1:02d}",
                title=f"規程{r + 1}",
                document=doc,
                created_by=admin.user,
            )
            version = RuleVersion.objects.create(
                company=company,
                rule=rule,
                number=1,
                document_version=doc.current_version,
                effective_from=date(2026, 4, 1),
                status="published",
                published_at=now,
                published_by=admin.user,
                created_by=admin.user,
            )
            acks = []
            for e in world["employees"]:
                done = rng.random() < 0.67
                open_count += not done
                acks.append(
                    RuleAcknowledgement(
                        company=company,
                        version=version,
                        employee=e,
                        acknowledged_at=now if done else None,
                        acknowledged_by=e.user if done else None,
                    )
                )
            RuleAcknowledgement.objects.bulk_create(acks, batch_size=5000)
    return open_count, time.perf_counter() - t0


def _page(client: Any, url: str) -> Any:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def _busy_host(company: Any) -> int:
    """The host of the most visits, for the log's 担当者 filter."""
    from django.db.models import Count

    from ennoshita.frontdesk.models import Visit

    row = (
        Visit.objects.filter(company=company).values("host_id").annotate(n=Count("pk")).order_by("-n").first()
    )
    return int(row["host_id"]) if row else 0


def bench_pages(world: dict[str, Any], today: date, repeat: int) -> list[tuple[str, float]]:
    from django.urls import reverse

    company = world["company"]
    admin = _client_for(world["admin"].user, company)
    affairs = _client_for(world["affairs"].user, company)
    frontdesk = _client_for(world["frontdesk"].user, company)
    room = world["rooms"][len(world["rooms"]) // 2]
    monday = today - timedelta(days=today.weekday())
    week = reverse("frontdesk:room_week", args=[room.pk])
    day = reverse("frontdesk:room_day")
    log = reverse("frontdesk:visit_log")
    rules = reverse("affairs:rule_unacknowledged")
    equipment = reverse("affairs:equipment_list")
    holder = world["equipment_holder"]
    out = [
        (
            f"会議室 週表示 (1室 × 7日, {monday:%Y-%m-%d}〜)",
            median_s(_page(admin, f"{week}?day={monday}"), repeat),
        ),
        ("会議室 日表示 (全室、今日)", median_s(_page(admin, f"{day}?day={today}"), repeat)),
        (
            "会議室 日表示 (全室、3年前の月曜)",
            median_s(_page(admin, f"{day}?day={monday - timedelta(days=364 * 3)}"), repeat),
        ),
        ("来訪者一覧 1ページ目 (絞り込みなし)", median_s(_page(frontdesk, log), repeat)),
        ("来訪者一覧 会社名で検索", median_s(_page(frontdesk, f"{log}?q=デルタ物産"), repeat)),
        (
            "来訪者一覧 期間で絞り込み (先月)",
            median_s(
                _page(
                    frontdesk,
                    f"{log}?date_from={today - timedelta(days=60)}&date_to={today - timedelta(days=30)}",
                ),
                repeat,
            ),
        ),
        ("受付 今日の来訪者", median_s(_page(frontdesk, reverse("frontdesk:visit_board")), repeat)),
        (
            "担当者の候補検索 (「山」, 20件まで)",
            median_s(_page(frontdesk, reverse("core:member_search") + "?q=%E5%B1%B1"), repeat),
        ),
        (
            "来訪者一覧 担当者で絞り込み",
            median_s(_page(frontdesk, f"{log}?host={_busy_host(company)}"), repeat),
        ),
        ("規程の既読確認 未完了一覧 1ページ目", median_s(_page(affairs, rules), repeat)),
        ("備品台帳 1ページ目", median_s(_page(affairs, equipment), repeat)),
        ("備品台帳 検索 (資産番号)", median_s(_page(affairs, f"{equipment}?q=A01234"), repeat)),
        (
            "社員の貸与品 (1名)",
            median_s(_page(affairs, reverse("affairs:equipment_employee_loans", args=[holder.pk])), repeat),
        ),
    ]
    return out


def bench_booking(world: dict[str, Any], today: date, n: int) -> list[tuple[str, str]]:
    from ennoshita.core.errors import ServiceError
    from ennoshita.frontdesk.services.rooms import book_room

    company, member = world["company"], world["frontdesk"]
    rooms = world["rooms"]
    # free evening slots (the generated bookings end by 17:30) in the coming weeks, one per call
    start = today + timedelta(days=70)
    calls = []
    for k in range(n):
        d = start + timedelta(days=k // len(rooms))
        at = datetime(d.year, d.month, d.day, 18, 0, tzinfo=JST)
        calls.append((rooms[k % len(rooms)], at))
    t0 = time.perf_counter()
    for room, at in calls:
        book_room(
            company=company,
            actor=member.user,
            membership=member,
            room=room,
            title="ベンチ",
            starts_at=at,
            ends_at=at + timedelta(hours=1),
        )
    rate = n / (time.perf_counter() - t0)
    refused = 0
    t0 = time.perf_counter()
    for room, at in calls[: min(n, 200)]:
        try:
            book_room(
                company=company,
                actor=member.user,
                membership=member,
                room=room,
                title="重複",
                starts_at=at + timedelta(minutes=30),
                ends_at=at + timedelta(minutes=90),
            )
        except ServiceError:
            refused += 1
    refuse_rate = refused / (time.perf_counter() - t0)
    assert refused == min(n, 200)
    return [
        ("book_room, one transaction each, with the no-overlap check", f"{rate:8.0f} /s"),
        ("book_room refused as overlapping (nothing written)", f"{refuse_rate:8.0f} /s"),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(
        args.database_url, lambda pg: run(args, pg), prefix="enno-bench-affairs-"
    )


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "affairs and frontdesk")
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
    from ennoshita.core import services as core_services

    for role in ("affairs", "frontdesk"):
        world[role] = core_services.add_member(
            company=world["company"], actor=None, username=f"bench-{role}", roles=[role]
        )
    print(f"equipment: {args.equipment:,} items written in {build_equipment(world, args, rng):.1f} s")
    count, seconds = build_rooms(world, args, rng, today)
    print(f"rooms: {args.rooms} with {count:,} bookings written in {seconds:.1f} s")
    print(f"visits: {args.visits:,} written in {build_visits(world, args, rng, today):.1f} s")
    open_count, seconds = build_rules(world, args, rng)
    print(
        f"rules: {args.rules} versions asked of {len(world['employees']):,} employees, {open_count:,} open, {seconds:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print()
    for label, value in bench_pages(world, today, args.repeat):
        print(f"{label:<72} {ms(value)}")
    for label, value in bench_booking(world, today, args.bookings):
        print(f"{label:<72} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
