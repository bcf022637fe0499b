"""/api/v1/affairs/: the announcements part."""

from ninja import Router

router = Router(tags=["総務"])
