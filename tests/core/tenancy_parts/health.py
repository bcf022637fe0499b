"""Tenancy URL walk: the health part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _book_body(own: World) -> dict[str, Any]:
    return {"clinic": "丸の内クリニック", "booked_for": timezone.localdate().isoformat()}


def _result_body(own: World) -> dict[str, Any]:
    return {
        "examined_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "has_findings": False,
        "result": "異常なし",
    }


ROUTES: dict[str, Probe] = {
    "affairs:health_checkup_detail": Probe({"pk": "health_checkup"}),
    "affairs:health_checkup_result": Probe({"pk": "health_checkup"}),
    "affairs:health_checkup_record": Probe({"pk": "health_checkup"}),
    "affairs:health_checkup_opinion": Probe({"pk": "health_checkup"}),
    "affairs:health_checkup_book": Probe({"pk": "health_checkup"}),
    "affairs:health_checkup_notice": Probe({"pk": "health_checkup"}),
    "affairs:health_checkup_close": Probe({"pk": "health_checkup"}),
    "affairs:health_stress_step": Probe({"pk": "health_stress"}),
    "affairs:health_stress_result": Probe({"pk": "health_stress"}),
    "affairs:health_long_hours_step": Probe({"pk": "health_long_hours"}),
    "affairs:health_access_revoke": Probe({"pk": "health_grant"}),
    "api:health_get_checkup": Probe({"checkup_id": "health_checkup"}),
    "api:health_get_checkup_result": Probe({"checkup_id": "health_checkup"}, body=_result_body),
    "api:health_book_checkup": Probe({"checkup_id": "health_checkup"}, body=_book_body),
    "api:health_record_result": Probe({"checkup_id": "health_checkup"}, body=_result_body),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.affairs.models import Checkup, HealthAccessGrant, LongHoursCase, StressCheck
    from ennoshita.affairs.rules import health as rules
    from ennoshita.affairs.selectors import health as selectors
    from ennoshita.affairs.services import health as services
    from ennoshita.affairs.services import health_more as more

    w = {"company": company, "actor": staff.user, "membership": staff}
    services.grant_health_access(**w, grantee=staff)
    year = selectors.current_fiscal_year(company)
    services.plan_checkups(**w, fiscal_year=year)
    more.invite_stress_checks(**w, fiscal_year=year, as_of=timezone.localdate())
    last_month = rules.add_months(timezone.localdate().replace(day=1), -1)
    more.build_long_hours_cases(
        **w, month=last_month, excess=[more.MonthExcess(employee_id=employee.pk, excess_minutes=90 * 60)]
    )
    return {
        "health_checkup": Checkup.objects.for_company(company).filter(employee=employee).first(),
        "health_stress": StressCheck.objects.for_company(company).filter(employee=employee).first(),
        "health_long_hours": LongHoursCase.objects.for_company(company).get(employee=employee),
        "health_grant": HealthAccessGrant.objects.for_company(company).get(membership=staff),
    }
