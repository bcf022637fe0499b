"""/api/v1/frontdesk/: 受付・一般事務 — one router per part, mounted here."""

from ninja import Router

from . import api_rooms, api_visits

router = Router()
for part in (api_rooms, api_visits):
    router.add_router("", part.router)
