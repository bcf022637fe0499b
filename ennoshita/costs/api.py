"""/api/v1/costs/"""

from ninja import Router

router = Router(tags=["costs"])
