"""Payroll benchmark: `.venv/bin/python bench/payroll.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

Issue 9's figures (results are written up by hand in docs/performance.md):

a. One monthly run for everyone: ``payroll.services.runs.create_run`` — from attendance totals to
   the draft with every payslip computed and written — and then ``confirm_run`` (the journal entry,
   the 全銀 給与振込 file filed as a document, the payslips published and their notices).
b. The payslip page of one employee (own, published) and 人事's view of it, and the own list.
c. The 全銀 給与振込 file for 10,000 transfers (``payroll.transfer.build_file``) and its download.

The data: the people benchmark's company (10,000 employees, 9,162 in service, each with a sign-in),
last month's punches for everyone in service (attendance's bench shape), the month locked (勤怠締め
rows written in bulk: bench setup), pay settings with a year of history — a profile from two years
ago and a 昇給 this April, grades of last September's 定時決定, 住民税 of this 年度, fixed
allowances for a third of them — and the previous month's run, computed and confirmed by the product.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attendance import _client_for, build_punches
from expenses import build_people
from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita payroll benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--employees", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=20261204)
    p.add_argument("--profile-run", action="store_true", help="print a cProfile of create_run")
    args = p.parse_args(argv)
    args.months = 2  # punches: the two months before this one (the previous run's and this run's)
    return args


def median_s(fn: Any, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def build_pay_settings(world: dict[str, Any], this_month: date, rng: random.Random) -> dict[str, Any]:
    """Bench setup written in bulk (the settings screens' own writes are tested elsewhere)."""
    from django.db import transaction

    from ennoshita.payroll import rules
    from ennoshita.payroll.models import (
        EmployeePayItem,
        GradeReason,
        ItemKind,
        PayGroup,
        PayItem,
        PayProfile,
        PayrollSettings,
        ResidentTax,
        StandardRemuneration,
    )

    company = world["company"]
    actor = world["keiri"].user
    april = date(this_month.year if this_month.month >= 4 else this_month.year - 1, 4, 1)
    september = date(april.year - 1, 9, 1)
    fiscal_year = this_month.year if this_month.month >= 6 else this_month.year - 1
    with transaction.atomic():
        PayrollSettings.objects.update_or_create(
            company=company,
            defaults={
                "transfer_requester_code": "1234567890",
                "transfer_requester_name": "ﾍﾞﾝﾁ(ｶ",
                "transfer_bank_code": "0001",
                "transfer_branch_code": "001",
                "transfer_account_type": "1",
                "transfer_account_number": "1234567",
            },
        )
        group = PayGroup.objects.create(
            company=company, code="monthly", name="月給者", pay_day=25, pay_month_offset=1
        )
        allowance = PayItem.objects.create(
            company=company, code="R01", name="役職手当", kind=ItemKind.PAYMENT
        )
        family = PayItem.objects.create(
            company=company, code="R02", name="家族手当", kind=ItemKind.PAYMENT, premium_base=False
        )
        profiles, items, grades, taxes = [], [], [], []
        for e in world["employees"]:
            base = 200_000 + rng.randrange(0, 250) * 1_000
            commute = rng.choice((0, 8_000, 12_400, 18_900))
            common = {
                "company": company,
                "employee_id": e.pk,
                "pay_group": group,
                "commute_allowance": Decimal(commute),
                "dependents": rng.choice((0, 0, 1, 2, 3)),
                "si_acquired_on": e.hire_date,
                "ei_acquired_on": e.hire_date,
                "created_by": actor,
            }
            profiles.append(
                PayProfile(effective_from=add_months(april, -24), base_pay=Decimal(base - 6_000), **common)
            )
            profiles.append(PayProfile(effective_from=april, base_pay=Decimal(base), **common))  # 昇給
            if rng.random() < 0.33:
                items.append(
                    EmployeePayItem(
                        company=company,
                        employee_id=e.pk,
                        item=allowance,
                        effective_from=april,
                        amount=Decimal(20_000),
                    )
                )
                items.append(
                    EmployeePayItem(
                        company=company,
                        employee_id=e.pk,
                        item=family,
                        effective_from=april,
                        amount=Decimal(10_000),
                    )
                )
            g = rules.standard_remuneration(monthly_remuneration=base + commute, on=september)
            grades.append(
                StandardRemuneration(
                    company=company,
                    employee_id=e.pk,
                    effective_from=september,
                    monthly_remuneration=base + commute,
                    health_grade=g.health_grade,
                    health_standard=g.health_standard,
                    pension_grade=g.pension_grade,
                    pension_standard=g.pension_standard,
                    reason=GradeReason.ANNUAL,
                )
            )
            annual = base * 12 // 20 // 100 * 100
            june, monthly = rules.resident_tax_installments(annual=annual)
            taxes.append(
                ResidentTax(
                    company=company,
                    employee_id=e.pk,
                    fiscal_year=fiscal_year,
                    municipality_code="131016",
                    municipality_name="千代田区",
                    annual=annual,
                    june=june,
                    monthly=monthly,
                )
            )
        # the people benchmark gives account numbers only: put them at a real bank and branch
        from ennoshita.people.models import Employee

        paid_to = [e for e in world["employees"] if e.bank_account_number]
        for e in paid_to:
            e.bank_code, e.bank_branch_code, e.bank_account_type = "0001", "001", "1"
            e.bank_account_holder_kana = f"{e.family_name_kana} {e.given_name_kana}"
        Employee.objects.bulk_update(
            paid_to,
            ["bank_code", "bank_branch_code", "bank_account_type", "bank_account_holder_kana"],
            batch_size=1000,
        )
        PayProfile.objects.bulk_create(profiles, batch_size=2000)
        EmployeePayItem.objects.bulk_create(items, batch_size=2000)
        StandardRemuneration.objects.bulk_create(grades, batch_size=2000)
        ResidentTax.objects.bulk_create(taxes, batch_size=2000)
    return {"group": group}


def lock_months(world: dict[str, Any], months: list[date]) -> None:
    """勤怠締め for everyone, written in bulk (bench setup; the closing service is tested elsewhere)."""
    from django.utils import timezone

    from ennoshita.attendance.models import MonthClose

    now = timezone.now()
    user = world["hr"].user
    MonthClose.objects.bulk_create(
        [
            MonthClose(company=world["company"], employee_id=e.pk, month=m, locked_at=now, locked_by=user)
            for e in world["employees"]
            for m in months
        ],
        batch_size=2000,
    )


def bench_runs(world: dict[str, Any], group: Any, this_month: date, args: argparse.Namespace) -> list[str]:
    from ennoshita.payroll.services.confirm import confirm_run
    from ennoshita.payroll.services.runs import create_run

    keiri = world["keiri"]
    company = world["company"]
    out = []
    previous = add_months(this_month, -1)
    t0 = time.perf_counter()
    run = create_run(company=company, actor=keiri.user, membership=keiri, pay_group=group, pay_month=previous)
    t1 = time.perf_counter()
    confirm_run(company=company, actor=keiri.user, membership=keiri, run=run)
    t2 = time.perf_counter()
    out.append(
        f"{'the previous month: create_run (' + f'{run.headcount:,}' + ' payslips)':<70} {t1 - t0:8.1f} s"
    )
    out.append(f"{'同, confirm_run (entry, 全銀 file, publish)':<70} {t2 - t1:8.1f} s")
    if args.profile_run:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        run2 = profile.runcall(
            create_run,
            company=company,
            actor=keiri.user,
            membership=keiri,
            pay_group=group,
            pay_month=this_month,
        )
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        t3 = t4 = time.perf_counter()
    else:
        t3 = time.perf_counter()
        run2 = create_run(
            company=company, actor=keiri.user, membership=keiri, pay_group=group, pay_month=this_month
        )
        t4 = time.perf_counter()
    out.append(
        f"{'this month: create_run (' + f'{run2.headcount:,}' + ' payslips, anomalies against last month)':<70} "
        f"{t4 - t3:8.1f} s"
    )
    t5 = time.perf_counter()
    confirm_run(company=company, actor=keiri.user, membership=keiri, run=run2)
    out.append(f"{'同, confirm_run':<70} {time.perf_counter() - t5:8.1f} s")
    world["run"] = run2
    return out


def bench_pages(world: dict[str, Any], repeat: int) -> list[tuple[str, float]]:
    from ennoshita.payroll import transfer
    from ennoshita.payroll.models import PayrollSettings, Payslip

    company = world["company"]
    run = world["run"]
    slip = Payslip.objects.filter(run=run).order_by("pk").first()
    assert slip is not None
    user = next(
        u for e, u in zip(world["employees"], world["users"], strict=True) if e.pk == slip.employee_id
    )
    own = _client_for(user, company)
    url = f"/payroll/payslips/{slip.pk}/"
    assert own.get(url).status_code == 200
    out = [("給与明細 screen, own (published)", median_s(lambda: own.get(url), repeat))]
    assert own.get("/payroll/payslips/").status_code == 200
    out.append(("給与明細 list, own", median_s(lambda: own.get("/payroll/payslips/"), repeat)))
    hr = _client_for(world["keiri"].user, company)
    assert hr.get(url).status_code == 200
    out.append(("同 screen, as 経理", median_s(lambda: hr.get(url), repeat)))
    settings_row = PayrollSettings.objects.get(company=company)
    slips = list(Payslip.objects.filter(run=run))
    t0 = time.perf_counter()
    transfers = transfer.transfers_of(slips)
    data = transfer.build_file(settings_row=settings_row, run=run, transfers=transfers)
    out.append(
        (f"全銀 給与振込 file, {len(transfers):,} transfers ({len(data):,} bytes)", time.perf_counter() - t0)
    )
    file_url = f"/payroll/runs/{run.pk}/transfer/file/"
    assert hr.get(file_url).status_code == 200
    out.append(("同, the download (screen)", median_s(lambda: hr.get(file_url), 3)))
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(
        args.database_url, lambda pg: run(args, pg), prefix="enno-bench-payroll-"
    )


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "payroll")
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from ennoshita.ledger import services as ledger_services

    rng = random.Random(args.seed)
    today = date.today()
    this_month = today.replace(day=1)
    world = build_people(args)
    ledger_services.ensure_books(company=world["company"])
    t0 = time.perf_counter()
    built = build_punches(world, args, today, rng)
    lock_months(world, [add_months(this_month, -2), add_months(this_month, -1)])
    pay = build_pay_settings(world, this_month, rng)
    print(
        f"setup: {len(world['employees']):,} employees, {built['punches']:,} punches, locked months and pay "
        f"settings written in {time.perf_counter() - t0:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for line in bench_runs(world, pay["group"], this_month, args):
        print(line)
    for label, seconds in bench_pages(world, args.repeat):
        print(f"{label:<70} {ms(seconds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
