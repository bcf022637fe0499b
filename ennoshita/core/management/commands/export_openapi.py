import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the OpenAPI document of /api/v1/ (committed as docs/openapi.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The API object is named in settings so that core does not import the project's routers.
        from django.conf import settings
        from django.utils.module_loading import import_string

        api = import_string(settings.ENNOSHITA_API)
        schema = api.get_openapi_schema(path_prefix="/api/v1/")  # the prefix as served, with its slash
        self.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True))
