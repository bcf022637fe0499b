"""/api/v1/affairs/: the health part."""

from ninja import Router

router = Router(tags=["総務"])
