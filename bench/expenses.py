"""Expenses, approvals and payables benchmark: `.venv/bin/python bench/expenses.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

What is measured (results are written up by hand in docs/performance.md):

a. The approver's inbox (承認待ち): ``approvals.selectors.inbox`` page 1 (50 rows and the count a
   list page runs) for 経理, who holds the final step of every claim, and for one 所属長; and the
   whole inbox screen (``/approvals/``) rendered through Django's test client.
b. The indirect-cost dashboard (間接経費): ``costs.selectors.dashboard`` for the last 12 months,
   company-wide and for one department, and the whole screen (``/costs/``).
c. A payment run of 10,000 vendor bills: ``purchasing.services.payments.create_payment_run``
   (choose what is due), ``confirm_payment_run`` (the 全銀 総合振込 file built, filed as a
   document, one journal entry posted, bills marked paid), and ``transfer_file`` (the file read
   back for download).

The data: 2,000 employees in 48 departments, each department with its 所属長; 50,000 expense
claims of 4 lines each (200,000 claim lines) over 12 months, 95 % approved and posted, the rest
waiting at the 所属長 or at 経理; 1,000 vendors with bank accounts and 50,000 vendor bills, all
approved and posted, 10,000 of them unpaid and due. Claims, bills, approval requests and
assignments are written with ``bulk_create`` in the shape the services give them; their postings
go through ``ledger.services.post_entries`` (the real posting path, which keeps the monthly
balances the dashboard reads). What is timed goes through the real code.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ThrowawayPostgres, build_company, in_throwaway_installation, ms, start_django

CATEGORIES = ["TRANSIT", "TAXI", "SUPPLIES", "COMM", "BOOKS", "MEETING", "FEES", "HOTEL"]
BILL_ACCOUNTS = ["6410", "6270", "6210", "6310", "6340", "6370"]  # 地代家賃, 通信費, 外注費 …
BANKS = [("0001", "001"), ("0005", "001"), ("0009", "001")]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita expenses/approvals/payables benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--employees", type=int, default=2_000)
    p.add_argument("--claim-lines", type=int, default=200_000)
    p.add_argument("--bills", type=int, default=50_000)
    p.add_argument("--payments", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=20261203)
    p.add_argument("--explain", action="store_true", help="print the dashboard's queries with their times")
    return p.parse_args(argv)


def median_s(fn: Any, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _months_back(today: date, n: int) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return out[::-1]


def build_people(args: argparse.Namespace) -> dict[str, Any]:
    """Employees with sign-ins, a 所属長 for every department, 経理."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from ennoshita.core import services as core_services
    from ennoshita.core.models import Membership, User
    from ennoshita.people.models import Department, Placement

    base = build_company(args.employees, args.seed)
    company, leaves = base["company"], base["leaves"]
    from ennoshita.people.models import Employee

    employees = list(Employee.objects.for_company(company).filter(retire_date__isnull=True).order_by("pk"))
    dept_of = {}
    for p in Placement.objects.for_company(company).order_by("employee_id", "effective_from"):
        dept_of[p.employee_id] = p.department_id  # the latest placement wins
    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=f"staff{e.number}",
                    last_name=e.family_name,
                    first_name=e.given_name,
                    password=unusable,
                )
                for e in employees
            ],
            batch_size=1000,
        )
        heads: dict[int, Any] = {}
        memberships = []
        for e, u in zip(employees, users, strict=True):
            e.user = u
            dept = dept_of[e.pk]
            role = "employee"
            if dept not in heads:
                heads[dept] = (e, u)
                role = "manager"
            memberships.append(Membership(company=company, user=u, roles=[role]))
        Membership.objects.bulk_create(memberships, batch_size=1000)
        Employee.objects.bulk_update(employees, ["user"], batch_size=1000)
        for dept_id, (e, _u) in heads.items():
            Department.objects.filter(pk=dept_id).update(head=e)
    keiri = core_services.add_member(
        company=company, actor=None, username="bench-keiri", roles=["accounting"]
    )
    admin = core_services.add_member(company=company, actor=None, username="bench-admin", roles=["admin"])
    return {
        "company": company,
        "hr": base["hr"],
        "leaves": leaves,
        "employees": employees,
        "users": users,
        "dept_of": dept_of,
        "heads": heads,
        "keiri": keiri,
        "admin": admin,
    }


def _post_in_chunks(company: Any, entries: list[Any], source_type: str, chunk: int = 1000) -> list[int]:
    from ennoshita.ledger import services as ledger_services

    ids: list[int] = []
    for i in range(0, len(entries), chunk):
        posted = ledger_services.post_entries(
            company=company, actor=None, entries=entries[i : i + chunk], source_type=source_type
        )
        ids.extend(e.pk for e in posted)
    return ids


def build_claims(
    world: dict[str, Any], args: argparse.Namespace, today: date, rng: random.Random
) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from ennoshita.approvals.models import (
        ApprovalAction,
        ApprovalAssignment,
        ApprovalRequest,
        ApprovalRoute,
        RequestStatus,
    )
    from ennoshita.approvals.routing import ensure_default_routes, steps_snapshot
    from ennoshita.core.text import name_key
    from ennoshita.expenses import services as expense_services
    from ennoshita.expenses.models import ClaimStatus, ExpenseCategory, ExpenseClaim, ExpenseLine
    from ennoshita.ledger import entry_selectors
    from ennoshita.ledger import services as ledger_services

    company = world["company"]
    expense_services.ensure_setup(company=company)
    with transaction.atomic():
        ensure_default_routes(company=company, actor=world["admin"].user, request_type="expenses.claim")
    route = (
        ApprovalRoute.objects.for_company(company)
        .filter(request_type="expenses.claim")
        .order_by("priority")
        .first()
    )
    steps = steps_snapshot(route)
    cats = {c.code: c for c in ExpenseCategory.objects.for_company(company)}
    codes = {c.key: c for c in entry_selectors.tax_codes(company=company, active_only=False)}
    departments = {d.pk: d for d in world["leaves"]}
    months = _months_back(today, 12)
    n_claims = args.claim_lines // 4
    t0 = time.perf_counter()
    claims, lines = [], []
    pairs = list(zip(world["employees"], world["users"], strict=True))
    now = timezone.now()
    for n in range(n_claims):
        e, u = pairs[rng.randrange(len(pairs))]
        month = months[n * 12 // n_claims]
        day = month + timedelta(days=rng.randrange(27))
        day = min(day, today)
        approved = rng.random() < 0.95
        claim = ExpenseClaim(
            company=company,
            number=f"EXP-B-{n + 1:06d}",
            fiscal_year=day.year if day.month >= 4 else day.year - 1,
            applicant=u,
            employee=e,
            department_id=world["dept_of"][e.pk],
            title=f"{month.month}月の経費",
            status=ClaimStatus.APPROVED if approved else ClaimStatus.SUBMITTED,
            submitted_at=now,
            approved_at=now if approved else None,
            paid_at=now if approved else None,
        )
        claims.append(claim)
        for k in range(4):
            code = CATEGORIES[(n + k) % len(CATEGORIES)]
            lines.append(
                ExpenseLine(
                    company=company,
                    claim=claim,
                    line_no=k + 1,
                    date=day,
                    payee=(payee := f"支払先{rng.randrange(3000):04d}"),
                    payee_key=name_key(payee),  # bulk_create does not call save()
                    purpose="業務",
                    category=cats[code],
                    amount=Decimal(rng.randrange(300, 30000)),
                    is_qualified=code != "TRANSIT",
                    registration_number="T7000012050002" if code != "TRANSIT" else "",
                )
            )
    with transaction.atomic():
        ExpenseClaim.objects.bulk_create(claims, batch_size=1000)
        for ln in lines:
            ln.claim_id = ln.claim.pk
        ExpenseLine.objects.bulk_create(lines, batch_size=2000)
        requests, assignments, actions = [], [], []
        keiri_user = world["keiri"].user
        for claim in claims:
            pending = claim.status == ClaimStatus.SUBMITTED
            head_user = world["heads"][claim.department_id][1]
            step = 1 if not pending or rng.random() < 0.5 else 2
            requests.append(
                ApprovalRequest(
                    company=company,
                    request_type="expenses.claim",
                    object_id=str(claim.pk),
                    object_repr=f"{claim.number} {claim.title}",
                    url=f"/expenses/{claim.pk}/",
                    applicant=claim.applicant,
                    amount=Decimal(0),
                    department_id=claim.department_id,
                    account_codes=[],
                    route=route,
                    steps=steps,
                    status=RequestStatus.PENDING if pending else RequestStatus.APPROVED,
                    current_step=steps[step - 1]["order"] if pending else steps[-1]["order"],
                    round=1,
                    submitted_at=now,
                    step_started_at=now - timedelta(hours=rng.randrange(1, 500)),
                    decided_at=None if pending else now,
                )
            )
        ApprovalRequest.objects.bulk_create(requests, batch_size=1000)
        for claim, request in zip(claims, requests, strict=True):
            pending = request.status == RequestStatus.PENDING
            head_user = world["heads"][claim.department_id][1]
            orders = [s["order"] for s in steps]
            if head_user.pk == claim.applicant_id:
                head_user = keiri_user  # (the engine would skip to the next step; enough for timing)
            deciders = [head_user, keiri_user]
            for i, order in enumerate(orders[:2]):
                if pending and order > request.current_step:
                    break
                is_open = pending and order == request.current_step
                assignments.append(
                    ApprovalAssignment(
                        company=company,
                        request=request,
                        round=1,
                        step_order=order,
                        user=deciders[i],
                        applicant_id=claim.applicant_id,
                        is_open=is_open,
                    )
                )
                if not is_open:
                    actions.append(
                        ApprovalAction(
                            company=company,
                            request=request,
                            round=1,
                            step_order=order,
                            actor=deciders[i],
                            action="approve",
                        )
                    )
            actions.append(
                ApprovalAction(
                    company=company,
                    request=request,
                    round=1,
                    step_order=0,
                    actor=claim.applicant,
                    action="submit",
                )
            )
        ApprovalAssignment.objects.bulk_create(assignments, batch_size=2000)
        ApprovalAction.objects.bulk_create(actions, batch_size=2000)
    written_s = time.perf_counter() - t0

    # the postings of the approved claims (Dr expense 税込 by 税区分 / Cr 未払金), real path
    from ennoshita.ledger.models import Account

    accounts = {a.code: a for a in Account.objects.for_company(company)}
    lines_of: dict[int, list[Any]] = {}
    for ln in lines:
        lines_of.setdefault(ln.claim_id, []).append(ln)
    entries = []
    for claim in claims:
        if claim.status != ClaimStatus.APPROVED:
            continue
        ls = lines_of[claim.pk]
        dept = departments.get(claim.department_id)
        inputs = [
            ledger_services.LineInput(
                account=accounts[ln.category.account_code],
                side="debit",
                amount=ln.amount,
                tax_code=codes["P10"]
                if ln.is_qualified
                else codes["P10_NQ"]
                if "P10_NQ" in codes
                else codes["P10"],
                tax_included=True,
                department=dept,
                memo=ln.payee,
            )
            for ln in ls
        ]
        inputs.append(
            ledger_services.LineInput(
                account=accounts["2130"], side="credit", amount=sum(ln.amount for ln in ls), department=dept
            )
        )
        entries.append(
            ledger_services.EntryInput(
                date=ls[0].date,
                lines=inputs,
                memo=f"経費精算 {claim.number}",
                source_id=str(claim.pk),
                source_repr=claim.number,
            )
        )
    t1 = time.perf_counter()
    _post_in_chunks(company, entries, "expenses.claim")
    return {
        "claims": len(claims),
        "lines": len(lines),
        "written_s": written_s,
        "posted": len(entries),
        "post_s": time.perf_counter() - t1,
    }


def build_bills(
    world: dict[str, Any], args: argparse.Namespace, today: date, rng: random.Random
) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from ennoshita.core.text import name_key
    from ennoshita.ledger import entry_selectors
    from ennoshita.ledger import services as ledger_services
    from ennoshita.ledger.models import Account
    from ennoshita.purchasing.models import PurchasingSettings, Vendor, VendorBill, VendorBillLine

    company = world["company"]
    PurchasingSettings.objects.update_or_create(
        company=company,
        defaults={
            "requester_code": "1234567890",
            "requester_name": "ﾍﾞﾝﾁｼｮｳｼﾞ(ｶ",
            "bank_code": "0001",
            "branch_code": "001",
            "account_type": "1",
            "account_number": "1234567",
        },
    )
    t0 = time.perf_counter()
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(
                company=company,
                code=f"V{n:05d}",
                name=f"株式会社仕入{n:05d}",
                name_key=name_key(f"株式会社仕入{n:05d}"),
                kana=f"シイレ{n:05d}",
                registration_number="T7000012050002" if n % 10 else "",
                bank_code=BANKS[n % 3][0],
                branch_code=BANKS[n % 3][1],
                account_type="1",
                account_number=f"{n + 1:07d}",
                account_holder=f"ｶ)ｼｲﾚ{n:05d}",
            )
            for n in range(1000)
        ]
    )
    months = _months_back(today, 12)
    departments = world["leaves"]
    unpaid_from = args.bills - args.payments
    now = timezone.now()
    bills, bill_lines = [], []
    for n in range(args.bills):
        vendor = vendors[n % len(vendors)]
        month = months[n * 12 // args.bills]
        day = min(month + timedelta(days=rng.randrange(27)), today)
        unpaid = n >= unpaid_from
        bill = VendorBill(
            company=company,
            vendor=vendor,
            number=f"PB-B-{n + 1:06d}",
            fiscal_year=day.year if day.month >= 4 else day.year - 1,
            bill_date=day,
            due_date=today if unpaid else day + timedelta(days=30),
            department=departments[n % len(departments)],
            is_qualified=bool(vendor.registration_number),
            status="approved",
            total=Decimal(rng.randrange(1_000, 500_000)),
            created_by=world["keiri"].user,
            approved_at=now,
            paid_at=None if unpaid else now,
        )
        bills.append(bill)
        bill_lines.append(
            VendorBillLine(
                company=company,
                bill=bill,
                line_no=1,
                description="月額利用料",
                account_code=BILL_ACCOUNTS[n % len(BILL_ACCOUNTS)],
                tax_handling="P10",
                amount=bill.total,
                department=bill.department,
            )
        )
    with transaction.atomic():
        VendorBill.objects.bulk_create(bills, batch_size=1000)
        for ln in bill_lines:
            ln.bill_id = ln.bill.pk
        VendorBillLine.objects.bulk_create(bill_lines, batch_size=2000)
    written_s = time.perf_counter() - t0
    accounts = {a.code: a for a in Account.objects.for_company(company)}
    codes = {c.key: c for c in entry_selectors.tax_codes(company=company, active_only=False)}
    entries = []
    for bill, ln in zip(bills, bill_lines, strict=True):
        tax = codes["P10"] if bill.is_qualified else codes.get("P10_NQ", codes["P10"])
        entries.append(
            ledger_services.EntryInput(
                date=bill.bill_date,
                lines=[
                    ledger_services.LineInput(
                        account=accounts[ln.account_code],
                        side="debit",
                        amount=ln.amount,
                        tax_code=tax,
                        tax_included=True,
                        department=bill.department,
                        memo=bill.vendor.name,
                    ),
                    ledger_services.LineInput(account=accounts["2112"], side="credit", amount=bill.total),
                ],
                memo=f"仕入先請求書 {bill.number}",
                source_id=str(bill.pk),
                source_repr=bill.number,
            )
        )
    t1 = time.perf_counter()
    ids = _post_in_chunks(company, entries, "purchasing.bill")
    for chunk in range(0, len(bills), 1000):
        with transaction.atomic():
            for bill, entry_id in zip(bills[chunk : chunk + 1000], ids[chunk : chunk + 1000], strict=True):
                VendorBill.objects.filter(pk=bill.pk).update(journal_entry_id=entry_id)
    return {"bills": len(bills), "written_s": written_s, "post_s": time.perf_counter() - t1}


def bench_inbox(world: dict[str, Any], repeat: int) -> list[tuple[str, float]]:
    from django.test import Client

    from ennoshita.approvals import selectors
    from ennoshita.core.tenancy import SESSION_KEY

    company = world["company"]
    busiest_head = max(
        world["heads"].values(),
        key=lambda pair: selectors.inbox(company=company, user=pair[1]).count(),
    )[1]
    out = []
    for label, user in (("経理", world["keiri"].user), ("所属長", busiest_head)):
        count = selectors.inbox(company=company, user=user).count()

        def page(user: Any = user) -> None:
            qs = selectors.inbox(company=company, user=user)
            list(qs[:50])
            qs.count()

        out.append((f"inbox selector, page 1 + count ({label}, {count:,} waiting)", median_s(page, repeat)))
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_KEY] = company.pk
        session.save()

        def screen(client: Any = client) -> None:
            response = client.get("/approvals/")
            assert response.status_code == 200, response.status_code

        screen()
        out.append((f"inbox screen /approvals/ ({label})", median_s(screen, repeat)))
    return out


def bench_dashboard(world: dict[str, Any], today: date, repeat: int) -> list[tuple[str, float]]:
    from django.test import Client

    from ennoshita.core.tenancy import SESSION_KEY
    from ennoshita.costs import selectors

    company, keiri = world["company"], world["keiri"]
    month = today.replace(day=1)
    dept = world["leaves"][0]
    out = [
        (
            "dashboard selector, 12 months, company-wide",
            median_s(lambda: selectors.dashboard(company=company, membership=keiri, month=month), repeat),
        ),
        (
            "dashboard selector, 12 months, one department",
            median_s(
                lambda: selectors.dashboard(
                    company=company, membership=keiri, month=month, department_id=dept.pk
                ),
                repeat,
            ),
        ),
    ]
    out.append(
        (
            "dashboard selector, company-wide, top payees of 12 months",
            median_s(
                lambda: selectors.dashboard(company=company, membership=keiri, month=month, payee_months=12),
                repeat,
            ),
        )
    )
    client = Client()
    client.force_login(keiri.user)
    session = client.session
    session[SESSION_KEY] = company.pk
    session.save()

    for label, query in (("", ""), (", top payees of 12 months", "?payees=12")):

        def screen(query: str = query) -> None:
            response = client.get("/costs/" + query)
            assert response.status_code == 200, response.status_code

        screen()
        out.append((f"dashboard screen /costs/{label}", median_s(screen, repeat)))
    return out


def explain_dashboard(world: dict[str, Any], today: date) -> None:
    """Each query of one dashboard call with its time (to see where the time goes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ennoshita.costs import selectors

    selectors.dashboard(company=world["company"], membership=world["keiri"], month=today.replace(day=1))
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        selectors.dashboard(company=world["company"], membership=world["keiri"], month=today.replace(day=1))
        total = time.perf_counter() - t0
    print(f"dashboard: {len(queries.captured_queries)} queries, {total * 1000:.1f} ms in all")
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:300]}")


def profile_dashboard_screen(world: dict[str, Any], today: date) -> None:
    """Where the dashboard screen's time goes in Python (cProfile, cumulative, top 35)."""
    import cProfile
    import pstats

    from django.test import Client

    from ennoshita.core.tenancy import SESSION_KEY

    client = Client()
    client.force_login(world["keiri"].user)
    session = client.session
    session[SESSION_KEY] = world["company"].pk
    session.save()
    client.get("/costs/")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get("/costs/")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def bench_payment_run(world: dict[str, Any], today: date) -> list[tuple[str, float]]:
    from ennoshita.purchasing.services import payments

    company, admin = world["company"], world["admin"]
    payment_date = today + timedelta(days=1)
    while payment_date.weekday() >= 5:
        payment_date += timedelta(days=1)
    t0 = time.perf_counter()
    run = payments.create_payment_run(
        company=company, actor=admin.user, membership=admin, payment_date=payment_date, due_by=today
    )
    created = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = payments.confirm_payment_run(company=company, actor=admin.user, membership=admin, run=run)
    confirmed = time.perf_counter() - t0
    t0 = time.perf_counter()
    _name, data = payments.transfer_file(company=company, membership=admin, run=run)
    read = time.perf_counter() - t0
    from ennoshita.purchasing.models import PaymentItem, PurchasingSettings
    from ennoshita.purchasing.services.payment_confirm import build_transfer_file

    items = list(PaymentItem.objects.filter(run=run).order_by("pk"))
    settings_row = PurchasingSettings.objects.get(company=company)
    t0 = time.perf_counter()
    rebuilt = build_transfer_file(settings_row=settings_row, run=run, items=items)
    build = time.perf_counter() - t0
    assert rebuilt == data, "the file built again is the file filed"
    records = data.split(b"\r\n")
    assert run.count == len([r for r in records if r[:1] == b"2"]), "every payment is a data record"
    return [
        (f"payment run: choose {run.count:,} due bills (create_payment_run)", created),
        (f"payment run: confirm — 全銀 file of {run.count:,} transfers, filed, posted", confirmed),
        (f"payment run: read the file back ({len(data):,} bytes)", read),
        (f"the 全銀 file of {run.count:,} transfers built from the run's items (records + CP932)", build),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(
        args.database_url, lambda pg: run(args, pg), prefix="enno-bench-expenses-"
    )


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "expenses")
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host name
    # no collectstatic in a throwaway installation: plain static URLs, as the tests use
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from ennoshita.ledger import services as ledger_services

    rng = random.Random(args.seed)
    today = date.today()
    world = build_people(args)
    ledger_services.ensure_books(company=world["company"])
    claims = build_claims(world, args, today, rng)
    print(
        f"claims: {claims['claims']:,} claims / {claims['lines']:,} lines written in {claims['written_s']:.1f} s; "
        f"{claims['posted']:,} postings in {claims['post_s']:.1f} s"
    )
    bills = build_bills(world, args, today, rng)
    print(
        f"bills: {bills['bills']:,} written in {bills['written_s']:.1f} s; posted in {bills['post_s']:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    if args.explain:
        explain_dashboard(world, today)
        profile_dashboard_screen(world, today)
    for label, seconds in bench_inbox(world, args.repeat) + bench_dashboard(world, today, args.repeat):
        print(f"{label:<70} {ms(seconds)}")
    for label, seconds in bench_payment_run(world, today):
        print(f"{label:<70} {ms(seconds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
