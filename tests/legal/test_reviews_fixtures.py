"""Fixtures and helpers of the リーガルチェック tests (imported by test_reviews_*.py; no tests here).

Personas (from contracts_fixtures): 法務 桜 (legal), 社員 次郎 (employee in 総務部), 営業 三郎 (employee in
営業部), 経理 一郎 (accounting), and the outsider of another company."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ennoshita.core.models import Membership
from ennoshita.legal.models import LegalReview
from ennoshita.legal.services import reviews as services
from tests.conftest import make_member
from tests.legal.contracts_fixtures import make_contract, me

DOCX_1 = "第1条 目的(案1)".encode()
DOCX_2 = "第1条 目的(案2)".encode()


@pytest.fixture
def legal2(company):
    return make_member(company, "legal2", ["legal"], last_name="法務", first_name="二郎")


@pytest.fixture
def assistant(company):
    return make_member(company, "asst1", ["assistant"], expires_on=later(30))


def later(days: int = 7):
    return timezone.localdate() + timedelta(days=days)


def submit(m: Membership, **kw: Any) -> LegalReview:
    fields: dict[str, Any] = {
        "title": "業務委託契約のチェック",
        "background": "新規の委託先。損害賠償の上限を確認してほしい。",
        "desired_on": later(),
        "file_name": "draft.txt",
        "data": DOCX_1,
    }
    fields.update(kw)
    return services.submit_review(**me(m), **fields)


def contract_review(owner: Membership, **kw: Any) -> LegalReview:
    contract = make_contract(owner)
    return submit(owner, contract_id=contract.pk, **kw)


def returned(legal: Membership, review: LegalReview, verdict: str = "ok_with_changes") -> LegalReview:
    services.assign_reviewer(**me(legal), review=review, reviewer_id=legal.user_id)
    services.add_comment(**me(legal), review=review, clause="第5条 損害賠償", comment="上限を設けること")
    return services.return_review(**me(legal), review=review, verdict=verdict)
