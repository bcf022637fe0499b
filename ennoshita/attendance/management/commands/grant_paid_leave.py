"""``python manage.py grant_paid_leave [--date YYYY-MM-DD] [--no-warnings]``: grant the 年次有給休暇
due on or before the date to every company's employees (idempotent), then send the 年5日 warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ennoshita.attendance.services.leave_grants import grant_paid_leave, send_five_day_warnings
from ennoshita.core.models import Company


class Command(BaseCommand):
    help = "Grant the paid leave due (労基法39条) and warn about the five days a year (39条7項)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="the day to grant for (default: today)")
        parser.add_argument("--no-warnings", action="store_true", help="do not send the 5-day warnings")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date: YYYY-MM-DD") from exc
        for company in Company.objects.order_by("pk"):
            result = grant_paid_leave(company=company, as_of=as_of)
            warned = 0 if options["no_warnings"] else send_five_day_warnings(company=company, as_of=as_of)
            self.stdout.write(
                f"{company.name}: {result.granted} grant(s), {result.not_qualified} under 80%, "
                f"{warned} warning(s)"
            )
