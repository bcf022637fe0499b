from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "ennoshita.legal"
    label = "legal"
    verbose_name = _("法務")

    def ready(self) -> None:
        from . import record_kinds

        record_kinds.register()  # what a work request may name (core.records)
