"""The demo company's approvals: 所属長 for its departments and the default routes of every
registered request type (経費精算 under 30,000円: 所属長 → 経理; from 30,000円: 所属長 → 上位所属長 →
経理). Loaded by ``manage.py demo`` through ``ENNOSHITA_DEMO_EXTRAS``.
"""

from __future__ import annotations

from ennoshita.core.models import Company, Membership
from ennoshita.people import services as people_services
from ennoshita.people.models import Department, Employee

from .routing import ensure_default_routes, request_types, settings_of

# department code → the demo login whose employee record heads it
HEADS = {
    "100": "admin",
    "200": "admin",
    "210": "finance",
    "220": "hr",
    "230": "affairs",
    "240": "legal",
    "300": "admin",
    "310": "manager",
    "320": "manager",
    "330": "manager",
}


def build_demo_approvals(company: Company) -> None:
    admin = Membership.objects.for_company(company).select_related("user").get(user__username="admin")
    employees = {
        e.user.username: e
        for e in Employee.objects.for_company(company).filter(user__isnull=False).select_related("user")
    }
    for dept in Department.objects.for_company(company).filter(code__in=list(HEADS)):
        head = employees.get(HEADS[dept.code])
        if head is not None and dept.head_id != head.pk:
            people_services.update_department(
                company=company, actor=admin.user, membership=admin, department=dept, head=head
            )
    settings_of(company)
    for request_type in request_types():
        ensure_default_routes(company=company, actor=admin.user, request_type=request_type)
