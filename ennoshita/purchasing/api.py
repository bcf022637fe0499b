"""/api/v1/purchasing/: vendors, vendor bills, payment runs — three routers, each mounted at
/purchasing/ by ennoshita/api.py (ninja's nested routers with an empty prefix lose a slash in the
exported document)."""

from .api_bills import router as bills_router
from .api_payments import router as payments_router
from .api_vendors import router as vendors_router

__all__ = ["bills_router", "payments_router", "vendors_router"]
