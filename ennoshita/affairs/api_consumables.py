"""/api/v1/affairs/: the consumables part."""

from ninja import Router

router = Router(tags=["総務"])
