from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ennoshita.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) with a consistent snapshot of the database, every file under "
        "MEDIA_ROOT and a manifest of SHA-256 sums. Default: VAR_DIR/backups/ennoshita-YYYYMMDD-HHMMSS.tar.gz."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", help="a folder (a new archive name is chosen) or a file name ending in .tar.gz"
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="afterwards keep only the newest N archives of that folder (our names only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(
                output=options.get("output"), keep=options.get("keep"), say=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = len(result.manifest["files"]) - 1
        self.stdout.write(
            f"backup written: {result.path} ({result.path.stat().st_size} bytes, {files} file(s))"
        )
        for path in result.removed:
            self.stdout.write(f"removed old backup: {path}")
