"""Tenancy URL walk: the リーガルチェック part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe


def _file() -> dict[str, str]:
    return {"name": "probe.txt", "content_base64": base64.b64encode(b"probe").decode()}


ROUTES: dict[str, Probe] = {
    "legal:review_detail": Probe({"pk": "legal_review"}),
    "legal:review_assign": Probe({"pk": "legal_review"}),
    "legal:review_comment": Probe({"pk": "legal_review"}),
    "legal:review_return": Probe({"pk": "legal_review"}),
    "legal:review_resubmit": Probe({"pk": "legal_review"}),
    "legal:review_close": Probe({"pk": "legal_review"}),
    "legal:review_withdraw": Probe({"pk": "legal_review"}),
    "legal:review_file": Probe({"pk": "legal_review", "version_id": "legal_review_version"}),
    "legal:playbook_edit": Probe({"pk": "legal_playbook"}),
    "legal:playbook_toggle": Probe({"pk": "legal_playbook"}),
    "api:review_get": Probe({"review_id": "legal_review"}),
    "api:review_assign": Probe(
        {"review_id": "legal_review"}, body=lambda own: {"reviewer_id": own.staff.user_id}
    ),
    "api:review_comment": Probe(
        {"review_id": "legal_review"}, body=lambda own: {"clause": "第1条", "comment": "プローブ"}
    ),
    "api:review_return": Probe({"review_id": "legal_review"}, body=lambda own: {"verdict": "ok"}),
    "api:review_resubmit": Probe({"review_id": "legal_review"}, body=lambda own: {"file": _file()}),
    "api:review_close": Probe({"review_id": "legal_review"}),
    "api:review_withdraw": Probe({"review_id": "legal_review"}, body=lambda own: {"reason": ""}),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """A review with its first round's file and a playbook clause, made through the part's services
    by staff (admin + 人事)."""
    from ennoshita.legal.models import ReviewRound
    from ennoshita.legal.services import reviews as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    review = services.submit_review(
        **w,
        title="テナンシーのリーガルチェック",
        background="プローブ",
        desired_on=timezone.localdate() + timedelta(days=7),
        file_name="案.txt",
        data="第1条 目的".encode(),
    )
    clause = services.create_playbook_clause(
        **w, data=services.ClauseInput(title="テナンシー条項", guidance="プローブ")
    )
    version = ReviewRound.objects.get(review=review, number=1).version
    return {"legal_review": review, "legal_review_version": version, "legal_playbook": clause}
