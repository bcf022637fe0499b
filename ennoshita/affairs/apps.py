from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffairsConfig(AppConfig):
    name = "ennoshita.affairs"
    label = "affairs"
    verbose_name = _("総務")
