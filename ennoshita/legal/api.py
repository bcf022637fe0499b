"""/api/v1/legal/: 法務 — one router per part, mounted here."""

from ninja import Router

from . import api_contracts, api_ip

router = Router()
for part in (api_contracts, api_ip):
    router.add_router("", part.router)
