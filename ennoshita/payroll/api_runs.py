"""/api/v1/payroll/ — runs."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["payroll"])
