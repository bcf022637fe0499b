"""/api/v1/purchasing/"""

from ninja import Router

router = Router(tags=["purchasing"])
