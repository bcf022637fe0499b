"""Fixtures of the 業務依頼 tests (imported by test_*.py; no tests here).

Personas: 管理 一郎 (admin), 経理 一郎 (accounting, member of the 経理 team), 社員 次郎 (employee,
the requester), 外部 花子 (assistant of the outside team, expiring in 30 days), 外部 二郎 (another
assistant, not in the team), and the outsider (another company). A record kind ``tests.thing`` is
registered for each test (ids "1" … "9" exist; "404" does not) and removed after."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ennoshita.core import records as core_records
from ennoshita.core.models import Membership
from ennoshita.requests import services
from ennoshita.requests.models import Team, TeamKind, WorkRequest
from tests.conftest import make_member

THING = "tests.thing"


def _load(company, object_id: str):  # type: ignore[no-untyped-def]
    if object_id not in {str(i) for i in range(1, 10)}:
        return None
    return core_records.RecordCard(
        object_type=THING, object_id=object_id, title=f"テスト記録{object_id}", fields=[("番号", object_id)]
    )


def _search(company, text: str):  # type: ignore[no-untyped-def]
    return [(str(i), f"テスト記録{i}") for i in range(1, 10) if text in f"テスト記録{i}"][:20]


@pytest.fixture(autouse=True)
def thing_kind():
    before = core_records._KINDS.get(THING)
    core_records.register_kind(core_records.RecordKind(THING, "テスト記録", _load, _search))
    yield THING
    core_records._KINDS.pop(THING, None)
    if before is not None:
        core_records._KINDS[THING] = before


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


def me(m: Membership) -> dict[str, Any]:
    return {"company": m.company, "actor": m.user, "membership": m}


@pytest.fixture
def accounting(company):
    return make_member(company, "acc1", ["accounting"], last_name="経理", first_name="一郎")


@pytest.fixture
def requester(employee_member):
    return employee_member


@pytest.fixture
def assistant(company):
    return make_member(
        company,
        "asst1",
        ["assistant"],
        last_name="外部",
        first_name="花子",
        expires_on=timezone.localdate() + timedelta(days=30),
    )


@pytest.fixture
def assistant2(company):
    return make_member(
        company,
        "asst2",
        ["assistant"],
        last_name="外部",
        first_name="二郎",
        expires_on=timezone.localdate() + timedelta(days=30),
    )


@pytest.fixture
def acc_team(company, admin, accounting) -> Team:
    team = services.save_team(**me(admin), name="経理", kind=TeamKind.ACCOUNTING, hourly_rate=3500)
    services.add_team_member(**me(admin), team=team, user_id=accounting.user_id)
    return team


@pytest.fixture
def outside_team(company, admin, assistant) -> Team:
    team = services.save_team(
        **me(admin),
        name="オンラインアシスタント",
        kind=TeamKind.OUTSIDE,
        hourly_rate=2800,
        inhouse_hourly_cost=4000,
    )
    services.add_team_member(**me(admin), team=team, user_id=assistant.user_id)
    return team


@pytest.fixture
def entry_type(admin, outside_team):
    return services.save_request_type(
        **me(admin), team=outside_team, name="データ入力", needs="元データ", turnaround_days=3
    )


def make_request(m: Membership, team: Team, **kw: Any) -> WorkRequest:
    fields: dict[str, Any] = {
        "team_id": team.pk,
        "request_type_id": None,
        "title": "請求書の入力",
        "body": "添付の請求書を入力してください。",
    }
    fields.update(kw)
    return services.create_request(**me(m), **fields)
