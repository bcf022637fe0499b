"""/api/v1/legal/: 法務 — one router per part, mounted here."""

from ninja import Router

from . import api_contracts, api_ip, api_matters, api_registry, api_reviews

router = Router()
for part in (api_contracts, api_ip, api_reviews, api_matters, api_registry):
    router.add_router("", part.router)
