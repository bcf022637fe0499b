"""Fixtures and helpers of the contract tests (imported by test_contracts_*.py; no tests here).

Personas: 法務 桜 (legal), 経理 一郎 (accounting), 社員 次郎 (employee E001 in 総務部), 営業 三郎 (employee
E002 in 営業部), and the outsider (HR and admin of another company)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ennoshita.core.models import Membership
from ennoshita.legal.models import Contract
from ennoshita.legal.services import contracts as services
from tests.conftest import make_department, make_employee, make_member

PDF_1 = "第1条 目的(案)".encode()
PDF_2 = "第1条 目的(締結版)".encode()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


@pytest.fixture
def legal(company):
    return make_member(company, "legal1", ["legal"], last_name="法務", first_name="桜")


@pytest.fixture
def accounting(company):
    return make_member(company, "acc1", ["accounting"], last_name="経理", first_name="一郎")


@pytest.fixture
def sales_department(company, hr):
    return make_department(company, hr, code="200", name="営業部")


@pytest.fixture
def sales_member(company, hr, sales_department):
    m = make_member(company, "emp2", ["employee"], last_name="営業", first_name="三郎")
    make_employee(
        company, hr, sales_department, number="E002", family_name="営業", given_name="三郎", user=m.user
    )
    return m


def me(m: Membership) -> dict[str, Any]:
    return {"company": m.company, "actor": m.user, "membership": m}


def data(**kw: Any) -> services.ContractInput:
    fields: dict[str, Any] = {
        "title": "業務委託契約書",
        "contract_type": "outsourcing",
        "counterparty_name": "株式会社みなと商会",
        "amount": 1_000_000,
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2027, 3, 31),
    }
    fields.update(kw)
    return services.ContractInput(**fields)


def make_contract(m: Membership, **kw: Any) -> Contract:
    status = kw.pop("status", "draft")
    signed_on = kw.pop("signed_on", None)
    return services.create_contract(**me(m), data=data(**kw), status=status, signed_on=signed_on)
