from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "ennoshita.frontdesk"
    label = "frontdesk"
    verbose_name = _("受付")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_repair_room_triggers, sender=self)


def _repair_room_triggers(sender, using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: put the no-overlap
    triggers of the room bookings back (they are CREATE … IF NOT EXISTS; PostgreSQL keeps its
    exclusion constraint through ALTER TABLE)."""
    from importlib import import_module

    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='frontdesk_roombooking'")
        if cursor.fetchone():
            import_module("ennoshita.frontdesk.migrations.0002_rooms_more").install(cursor, "sqlite")
