from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ennoshita.documents"
    label = "documents"
    verbose_name = _("文書")

    def ready(self) -> None:
        from . import record_kinds

        record_kinds.register()  # what a work request may name (core.records)
        from django.db.models.signals import post_migrate

        post_migrate.connect(_repair_search_index, sender=self)


def _repair_search_index(sender, using: str = "default", **kwargs) -> None:
    """SQLite: a migration that rebuilt documents_document dropped the FTS triggers (search.py)."""
    from .search import ensure_sqlite_search_index

    ensure_sqlite_search_index(using)
