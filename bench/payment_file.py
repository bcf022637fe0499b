"""Payment-run benchmark: `.venv/bin/python bench/payment_file.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

What is measured (through the real services, on a throwaway installation):

a. ``purchasing.services.payments.candidates``: every approved, unpaid bill and claim with its
   bank account checked, over ``--items`` of them (9 in 10 vendor bills of ``--vendors`` vendors,
   1 in 10 expense claims of 100 employees).
b. ``create_payment_run`` with every payable candidate (one item per bill and claim).
c. ``confirm_payment_run``: the 全銀 総合振込 file built and filed in 文書, one journal entry (one
   debit line per payee and payable account, the bank credited), every bill and claim paid with
   an audit event each.
d. ``transfer_file`` of the confirmed run (the filed bytes read back and checked), and
   ``build_transfer_file`` alone (the pure string work of 10,000 records).

The bills and claims are written with ``bulk_create`` in their approved state (their own posting
is not what is measured).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita payment-run benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--items", type=int, default=10_000, help="bills + claims paid by the one run")
    p.add_argument("--vendors", type=int, default=500)
    return p.parse_args(argv)


def build(n_items: int, n_vendors: int) -> dict[str, Any]:
    from django.utils import timezone

    from ennoshita.core import services as core_services
    from ennoshita.core.text import name_key
    from ennoshita.expenses.models import ExpenseClaim
    from ennoshita.ledger import entry_selectors
    from ennoshita.ledger import services as ledger_services
    from ennoshita.people import services as people_services
    from ennoshita.people.models import Employee, EmploymentType
    from ennoshita.purchasing.models import Vendor, VendorBill
    from ennoshita.purchasing.selectors.payments import next_bank_business_day
    from ennoshita.purchasing.services import payments

    company = core_services.create_company(name="株式会社支払ベンチ", actor=None)
    people_services.set_up_company_masters(company=company, actor=None)
    ledger_services.ensure_books(company=company)
    member = core_services.add_member(
        company=company, actor=None, username="bench-keiri", roles=["accounting", "admin"]
    )
    payments.update_payment_settings(
        company=company,
        actor=member.user,
        membership=member,
        requester_code="1234567890",
        requester_name="カブシキガイシャ シハライベンチ",
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number="1234567",
    )
    today = timezone.localdate()
    day = next_bank_business_day(today + timedelta(days=1))
    while entry_selectors.fiscal_year_of_day(company=company, day=day) is None:
        ledger_services.open_next_fiscal_year(company=company, actor=member.user, membership=member)
    t0 = time.perf_counter()
    banks = [("0001", "001"), ("0005", "001"), ("0009", "001"), ("0005", "002")]
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(
                company=company,
                code=f"V{n:05d}",
                name=f"株式会社ベンチ{n:05d}商事",
                name_key=name_key(f"株式会社ベンチ{n:05d}商事"),
                bank_code=banks[n % 4][0],
                branch_code=banks[n % 4][1],
                account_type="1",
                account_number=f"{n + 1:07d}",
                account_holder=f"カブシキガイシャ ベンチ{n:05d}",
            )
            for n in range(n_vendors)
        ]
    )
    regular = EmploymentType.objects.for_company(company).get(code="regular")
    employees = Employee.objects.bulk_create(
        [
            Employee(
                company=company,
                number=f"E{n:04d}",
                family_name="社員",
                given_name=f"{n:04d}",
                family_name_kana="シャイン",
                given_name_kana="タロウ",
                hire_date=today - timedelta(days=1000),
                employment_type=regular,
                bank_code=banks[n % 4][0],
                bank_branch_code=banks[n % 4][1],
                bank_account_type="1",
                bank_account_number=f"{n + 1:07d}",
                bank_account_holder_kana="シャイン タロウ",
            )
            for n in range(100)
        ]
    )
    n_claims = n_items // 10
    n_bills = n_items - n_claims
    now = timezone.now()
    VendorBill.objects.bulk_create(
        [
            VendorBill(
                company=company,
                vendor=vendors[n % n_vendors],
                number=f"AP-B-{n:06d}",
                bill_date=today - timedelta(days=20),
                due_date=today,
                status="approved",
                total=Decimal(1000 + n),
                created_by=member.user,
                approved_at=now,
            )
            for n in range(n_bills)
        ],
        batch_size=1000,
    )
    ExpenseClaim.objects.bulk_create(
        [
            ExpenseClaim(
                company=company,
                number=f"EXP-B-{n:06d}",
                applicant=member.user,
                employee=employees[n % 100],
                title="ベンチ",
                status="approved",
                total=Decimal(500 + n),
                approved_at=now,
            )
            for n in range(n_claims)
        ],
        batch_size=1000,
    )
    return {
        "company": company,
        "member": member,
        "day": day,
        "today": today,
        "bulk_s": time.perf_counter() - t0,
        "bills": n_bills,
        "claims": n_claims,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(args.database_url, lambda pg: run(args, pg), prefix="enno-bench-pay-")


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "purchasing: payment runs and the 全銀 総合振込 file")
    from django.db import connection

    from ennoshita.ledger.models import JournalLine
    from ennoshita.purchasing.models import PaymentItem
    from ennoshita.purchasing.selectors.payments import settings_of
    from ennoshita.purchasing.services import payments

    ctx = build(args.items, args.vendors)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    company, member = ctx["company"], ctx["member"]
    writer = {"company": company, "actor": member.user, "membership": member}
    print(
        f"data: {ctx['bills']:,} approved bills of {args.vendors:,} vendors, {ctx['claims']:,} approved claims"
    )
    print(f"  bulk insert {ms(ctx['bulk_s'])}")

    t0 = time.perf_counter()
    found = payments.candidates(company=company, due_by=ctx["today"])
    t_candidates = time.perf_counter() - t0
    payable = sum(1 for c in found if c.payable)

    t0 = time.perf_counter()
    run_ = payments.create_payment_run(**writer, payment_date=ctx["day"], due_by=ctx["today"])
    t_create = time.perf_counter() - t0

    t0 = time.perf_counter()
    run_ = payments.confirm_payment_run(**writer, run=run_)
    t_confirm = time.perf_counter() - t0

    t0 = time.perf_counter()
    _name, data = payments.transfer_file(company=company, membership=member, run=run_)
    t_read = time.perf_counter() - t0

    items = list(PaymentItem.objects.filter(run=run_).order_by("pk"))
    t0 = time.perf_counter()
    built = payments.build_transfer_file(settings_row=settings_of(company=company), run=run_, items=items)
    t_build = time.perf_counter() - t0
    assert built == data
    lines = JournalLine.objects.filter(entry_id=run_.journal_entry_id).count()

    print(f"(a) candidates: {len(found):,} ({payable:,} payable)            {ms(t_candidates)}")
    print(f"(b) create_payment_run: {run_.count:,} items                {ms(t_create)}")
    print(f"(c) confirm_payment_run: file filed, {lines:,} journal lines, paid   {ms(t_confirm)}")
    print(f"(d) transfer_file (filed bytes, {len(data):,} bytes)          {ms(t_read)}")
    print(f"    build_transfer_file alone ({run_.count:,} records)       {ms(t_build)}")
    print(f"    create + confirm + file                                  {ms(t_create + t_confirm + t_read)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
