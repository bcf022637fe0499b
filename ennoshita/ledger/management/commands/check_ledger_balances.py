"""Compare the kept monthly balances with the sums of the posted lines, for every company (or one);
with --repair, rebuild the balances of the companies that differ. Exits 1 when a difference is found
and not repaired."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ennoshita.core.models import Company
from ennoshita.ledger.maintenance import compare_balances, rebuild_balances


class Command(BaseCommand):
    help = "Check the ledger's kept balances against its lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", type=int, help="company id (default: every company)")
        parser.add_argument("--repair", action="store_true", help="rebuild the balances that differ")

    def handle(self, *args: Any, **options: Any) -> None:
        companies = Company.objects.order_by("pk")
        if options["company"]:
            companies = companies.filter(pk=options["company"])
        failed = False
        for company in companies:
            differences = compare_balances(company=company)
            if not differences:
                self.stdout.write(f"company {company.pk}: balances agree with the lines")
                continue
            for d in differences[:20]:
                self.stdout.write(
                    f"company {company.pk}: account {d.account_id} sub {d.sub_key} dept {d.dept_key} "
                    f"{d.month:%Y-%m}: kept {d.kept} vs lines {d.from_lines}"
                )
            if options["repair"]:
                rows = rebuild_balances(company=company)
                self.stdout.write(f"company {company.pk}: rebuilt {rows} balance row(s)")
            else:
                failed = True
        if failed:
            raise SystemExit(1)
