from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import AuditEvent, Company


class Command(BaseCommand):
    help = "Walk each company's audit chain and report the first broken link (exit 1 if any)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--company", type=int, help="only this company id")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = (
            [options["company"]]
            if options.get("company")
            else list(Company.objects.order_by("pk").values_list("pk", flat=True))
        )
        broken = 0
        for company_id in ids:
            result = verify_company_chain(company_id)
            count = AuditEvent.objects.filter(company_id=company_id).count()
            if result is None:
                self.stdout.write(f"company {company_id}: OK ({count} events)")
            else:
                broken += 1
                self.stdout.write(f"company {company_id}: BROKEN at seq {result.seq}: {result.reason}")
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken")
