"""/api/v1/frontdesk/: the visits part."""

from ninja import Router

router = Router(tags=["受付"])
