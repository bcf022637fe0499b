from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "ennoshita.sales"
    label = "sales"
    verbose_name = _("販売")

    def ready(self) -> None:
        from . import record_kinds

        record_kinds.register()  # what a work request may name (core.records)
        from django.db.models.signals import post_migrate

        post_migrate.connect(_repair_triggers, sender=self)


def _repair_triggers(sender, using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: put them back (the
    issued-invoice guards, and the word-search index's, refilling that index)."""
    from .search_index import ensure_search_index
    from .triggers import ensure_triggers

    ensure_triggers(using)
    ensure_search_index(using)
