"""/api/v1/affairs/: 総務 — one router per part, mounted here."""

from ninja import Router

from . import api_announcements, api_consumables, api_equipment, api_health, api_rules, api_welfare

router = Router()
for part in (api_equipment, api_consumables, api_health, api_rules, api_announcements, api_welfare):
    router.add_router("", part.router)
