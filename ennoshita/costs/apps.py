from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    name = "ennoshita.costs"
    label = "costs"
    verbose_name = _("間接経費")
