"""Daily: delete for good what has been in the trash for more than 30 days (every company).

Run it from cron or a systemd timer (docs/operations.md); it is idempotent.
"""

from typing import Any

from django.core.management.base import BaseCommand

from ennoshita.core.models import Company
from ennoshita.documents.services import purge_expired_trash


class Command(BaseCommand):
    help = "Delete documents that have been in the trash for more than 30 days."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for company in Company.objects.order_by("pk"):
            removed = purge_expired_trash(company=company)
            total += removed
            if removed:
                self.stdout.write(f"company {company.pk}: {removed} document(s) deleted")
        self.stdout.write(f"purge_trash: {total} document(s) deleted")
