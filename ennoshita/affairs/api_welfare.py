"""/api/v1/affairs/: the welfare part."""

from ninja import Router

router = Router(tags=["総務"])
