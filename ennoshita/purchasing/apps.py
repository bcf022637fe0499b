from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "ennoshita.purchasing"
    label = "purchasing"
    verbose_name = _("買掛金・支払")

    def ready(self) -> None:
        from . import record_kinds

        record_kinds.register()  # what a work request may name (core.records)
