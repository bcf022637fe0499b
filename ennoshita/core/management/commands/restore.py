from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ennoshita.core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an EMPTY installation (the database of "
        "DATABASE_URL and MEDIA_ROOT). Every SHA-256 sum is checked before anything is written; "
        "afterwards row counts and every company's audit chain are verified (exit 1 on any failure)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_archive(options["archive"], say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        self.stdout.write(
            f"restore complete: backup of {manifest['created_at']} (Ennoshita {manifest['app_version']}). "
            "Run `manage.py migrate` if this version has newer migrations."
        )
