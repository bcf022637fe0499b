"""API of 給与 — severance (added to api.router by api.py)."""

from ninja import Router

router = Router(tags=["payroll"])
