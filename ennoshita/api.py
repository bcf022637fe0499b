"""/api/v1/: mounts every app's router (django-ninja). The OpenAPI document is docs/openapi.json."""

from django.urls import path
from ninja import NinjaAPI

from ennoshita.core.api import TokenAuth, install_error_handlers
from ennoshita.people.api import router as people_router

api = NinjaAPI(
    title="Ennoshita API",
    version="1.0.0",
    description="縁の下 back-office API. Authenticate with a personal token from the profile page: "
    "`Authorization: Bearer enno_…`. Errors are RFC 9457 problem details.",
    auth=TokenAuth(),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/people/", people_router)

urlpatterns = [path("", api.urls)]
