from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "ennoshita.expenses"
    label = "expenses"
    verbose_name = _("経費精算")
