"""/api/v1/: mounts every app's router (django-ninja). The OpenAPI document is docs/openapi.json."""

from django.urls import path
from ninja import NinjaAPI, Swagger

from ennoshita.affairs.api import router as affairs_router
from ennoshita.approvals.api import router as approvals_router
from ennoshita.attendance.api import router as attendance_router
from ennoshita.core.api import TokenAuth, install_error_handlers
from ennoshita.costs.api import router as costs_router
from ennoshita.documents.api import router as documents_router
from ennoshita.expenses.api import router as expenses_router
from ennoshita.frontdesk.api import router as frontdesk_router
from ennoshita.ledger.api import router as ledger_router
from ennoshita.ledger.report_api import router as ledger_report_router
from ennoshita.legal.api import router as legal_router
from ennoshita.payroll.api import router as payroll_router
from ennoshita.people.api import router as people_router
from ennoshita.purchasing.api import bills_router, payments_router, vendors_router
from ennoshita.requests.api import router as requests_router
from ennoshita.sales.api_customers import router as sales_customers_router
from ennoshita.sales.api_documents import router as sales_documents_router

api = NinjaAPI(
    title="Ennoshita API",
    version="1.0.0",
    description="縁の下 back-office API. Authenticate with a personal token from the profile page: "
    "`Authorization: Bearer enno_…`. Errors are RFC 9457 problem details.",
    auth=TokenAuth(),
    urls_namespace="api",
    # /api/v1/docs: Swagger UI from ninja's own static files (no CDN). validatorUrl=None stops it from
    # asking validator.swagger.io for a badge, which would send our schema URL to a third party.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
api.add_router("/people/", people_router)
api.add_router("/documents/", documents_router)
api.add_router("/ledger/", ledger_router)
api.add_router("/ledger/reports/", ledger_report_router)
api.add_router("/sales/", sales_customers_router)
api.add_router("/sales/", sales_documents_router)
api.add_router("/approvals/", approvals_router)
api.add_router("/expenses/", expenses_router)
api.add_router("/purchasing/", vendors_router)
api.add_router("/purchasing/", bills_router)
api.add_router("/purchasing/", payments_router)
api.add_router("/costs/", costs_router)
api.add_router("/attendance/", attendance_router)
api.add_router("/payroll/", payroll_router)
api.add_router("/affairs/", affairs_router)
api.add_router("/frontdesk/", frontdesk_router)
api.add_router("/legal/", legal_router)
api.add_router("/requests/", requests_router)

urlpatterns = [path("", api.urls)]
