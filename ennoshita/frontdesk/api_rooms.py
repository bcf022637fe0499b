"""/api/v1/frontdesk/: the rooms part."""

from ninja import Router

router = Router(tags=["受付"])
