"""``python manage.py send_approval_reminders``: 催促 mails for every company (idempotent: an
assignment is reminded at most once per the company's number of days)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ennoshita.approvals.tasks import remind_all_companies


class Command(BaseCommand):
    help = "E-mail approvers whose requests have waited longer than each company's reminder days."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(remind_all_companies())
