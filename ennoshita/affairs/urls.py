from django.urls import include, path

app_name = "affairs"

# one module per part, so that each part's screens are read (and changed) in one place
urlpatterns = [
    path("", include("ennoshita.affairs.urls_equipment")),
    path("", include("ennoshita.affairs.urls_consumables")),
    path("", include("ennoshita.affairs.urls_health")),
    path("", include("ennoshita.affairs.urls_rules")),
    path("", include("ennoshita.affairs.urls_announcements")),
    path("", include("ennoshita.affairs.urls_welfare")),
]
