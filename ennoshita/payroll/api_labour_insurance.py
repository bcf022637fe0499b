"""API of 給与 — labour_insurance (added to api.router by api.py)."""

from ninja import Router

router = Router(tags=["payroll"])
