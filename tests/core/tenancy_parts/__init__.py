"""One module per part of the apps added after the first walk (総務, 受付): each has ``ROUTES`` and
``objects(...)``; test_tenancy.py merges them, so parts never edit the same file."""

from . import (
    announcements,
    consumables,
    equipment,
    health,
    legal_contracts,
    legal_ip,
    legal_matters,
    legal_registry,
    legal_reviews,
    requests,
    rooms,
    rules,
    visits,
    welfare,
)

PARTS = [
    equipment,
    consumables,
    health,
    rules,
    announcements,
    welfare,
    rooms,
    visits,
    legal_contracts,
    legal_ip,
    legal_reviews,
    legal_matters,
    legal_registry,
    requests,
]
