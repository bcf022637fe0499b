"""/api/v1/affairs/: the rules part."""

from ninja import Router

router = Router(tags=["総務"])
