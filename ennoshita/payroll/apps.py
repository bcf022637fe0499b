from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "ennoshita.payroll"
    label = "payroll"
    verbose_name = _("給与")
