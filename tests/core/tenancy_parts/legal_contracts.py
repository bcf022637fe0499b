"""Tenancy URL walk: the contracts part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.core.tenancy_probe import Probe, World


def _contract_body(own: World) -> dict[str, Any]:
    return {
        "title": "プローブ契約",
        "contract_type": "nda",
        "counterparty_name": "プローブ株式会社",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
    }


ROUTES: dict[str, Probe] = {
    "legal:contract_detail": Probe({"pk": "legal_contract"}),
    "legal:contract_edit": Probe({"pk": "legal_contract"}),
    "legal:contract_status": Probe({"pk": "legal_contract"}),
    "legal:contract_file_new": Probe({"pk": "legal_contract"}),
    "legal:contract_file": Probe({"pk": "legal_contract", "version_id": "legal_contract_version"}),
    "api:contract_get": Probe({"contract_id": "legal_contract"}),
    "api:contract_update": Probe({"contract_id": "legal_contract"}, body=_contract_body),
    "api:contract_change_status": Probe(
        {"contract_id": "legal_contract"}, body=lambda own: {"to": "in_review"}
    ),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """A draft contract with one file, made through the part's services by staff (admin + 人事)."""
    from ennoshita.legal.services import contracts as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    contract = services.create_contract(
        **w,
        data=services.ContractInput(
            title="テナンシー契約",
            contract_type="nda",
            counterparty_name="テナンシー株式会社",
            starts_on=date(2026, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
    )
    version = services.attach_contract_file(
        **w, contract=contract, file_name="契約書.txt", data="第1条 目的".encode(), kind="draft"
    )
    return {"legal_contract": contract, "legal_contract_version": version}
