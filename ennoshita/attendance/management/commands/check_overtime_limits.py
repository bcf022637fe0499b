"""``python manage.py check_overtime_limits [--date YYYY-MM-DD]``: the 36協定 check for every
company (idempotent: an alert is recorded and mailed once per employee, month, limit and level)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ennoshita.attendance.tasks_agreements import check_all_companies


class Command(BaseCommand):
    help = "Check 時間外・休日労働 against each company's 36協定 and mail new warnings and breaches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", default="", help="the day the figures stand at (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["date"]:
            try:
                as_of = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date: YYYY-MM-DD") from exc
        self.stdout.write(check_all_companies(as_of))
