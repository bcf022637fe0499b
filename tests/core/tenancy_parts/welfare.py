"""Tenancy URL walk: the welfare part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _apply_body(world: World) -> dict[str, Any]:
    return {"used_on": timezone.localdate().isoformat(), "amount": 1000, "detail": "再申請"}


def _benefit_body(world: World) -> dict[str, Any]:
    return {"code": "PROBE", "name": "探り", "category": "other"}


ROUTES: dict[str, Probe] = {
    "affairs:benefit_detail": Probe({"pk": "welfare_benefit"}),
    "affairs:benefit_apply": Probe({"pk": "welfare_benefit"}),
    "affairs:benefit_edit": Probe({"pk": "welfare_benefit"}),
    "affairs:benefit_set_active": Probe({"pk": "welfare_benefit"}),
    "affairs:benefit_use_detail": Probe({"pk": "welfare_use"}),
    "affairs:benefit_use_withdraw": Probe({"pk": "welfare_use"}),
    "affairs:benefit_use_resubmit": Probe({"pk": "welfare_use"}),
    "api:benefit_update": Probe({"benefit_id": "welfare_benefit"}, body=_benefit_body),
    "api:benefit_use_get": Probe({"use_id": "welfare_use"}),
    "api:benefit_use_withdraw": Probe({"use_id": "welfare_use"}),
    "api:benefit_use_resubmit": Probe({"use_id": "welfare_use"}, body=_apply_body),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.affairs.services import welfare as services

    writer = {"company": company, "actor": staff.user, "membership": staff}
    benefit = services.create_benefit(
        **writer,
        data=services.BenefitInput(
            code="WELFARE", name="住宅手当", category="housing", requires_approval=False
        ),
    )
    # staff (admin) applies for the employee; no approval needed, so no 所属長 is required
    use = services.apply_benefit(
        **writer,
        benefit=benefit,
        used_on=timezone.localdate(),
        amount=20000,
        detail="家賃の補助",
        employee_id=employee.pk,
    )
    return {"welfare_benefit": benefit, "welfare_use": use}
