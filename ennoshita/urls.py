from django.urls import include, path

from ennoshita import home

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("ennoshita.core.urls")),
    path("people/", include("ennoshita.people.urls")),
    path("documents/", include("ennoshita.documents.urls")),
    path("ledger/", include("ennoshita.ledger.urls")),
    path("sales/", include("ennoshita.sales.urls")),
    path("approvals/", include("ennoshita.approvals.urls")),
    path("expenses/", include("ennoshita.expenses.urls")),
    path("purchasing/", include("ennoshita.purchasing.urls")),
    path("costs/", include("ennoshita.costs.urls")),
    path("attendance/", include("ennoshita.attendance.urls")),
    path("payroll/", include("ennoshita.payroll.urls")),
    path("affairs/", include("ennoshita.affairs.urls")),
    path("frontdesk/", include("ennoshita.frontdesk.urls")),
    path("legal/", include("ennoshita.legal.urls")),
    path("requests/", include("ennoshita.requests.urls")),
    path("api/v1/", include("ennoshita.api")),
    path("i18n/", include("django.conf.urls.i18n")),
]
