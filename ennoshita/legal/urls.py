from django.urls import include, path

app_name = "legal"

# one module per part, so that each part's screens are read (and changed) in one place
urlpatterns = [
    path("", include("ennoshita.legal.urls_contracts")),
    path("", include("ennoshita.legal.urls_ip")),
    path("", include("ennoshita.legal.urls_reviews")),
    path("", include("ennoshita.legal.urls_matters")),
    path("", include("ennoshita.legal.urls_registry")),
]
