from django.urls import include, path

app_name = "frontdesk"

urlpatterns = [
    path("", include("ennoshita.frontdesk.urls_rooms")),
    path("", include("ennoshita.frontdesk.urls_visits")),
]
