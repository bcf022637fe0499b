"""/api/v1/affairs/: the equipment part."""

from ninja import Router

router = Router(tags=["総務"])
