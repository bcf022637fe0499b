"""API of 勤怠 — closing (mounted under /api/v1/attendance/ by api.py)."""

from ninja import Router

router = Router(tags=["attendance"])
