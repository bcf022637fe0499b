"""就業規則・社内規程 through the API: a new rule and a new version carry their file as
multipart/form-data; a bad file or date is a 422 on the field with nothing written, an employee is
refused, another company's rule is a 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ennoshita.affairs.models import Rule, RuleVersion
from ennoshita.documents.models import DocumentVersion
from tests.affairs.test_rules_services import make_rule
from tests.apiclient import token_for
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


@pytest.fixture
def affairs(company):
    return make_member(company, "affairs1", ["affairs"])


def _post(client, member, path, data):
    return client.post(f"/api/v1{path}", data, HTTP_AUTHORIZATION=f"Bearer {token_for(member)}")


def _file(text="第1条 目的"):
    return SimpleUploadedFile("規程.txt", text.encode(), content_type="text/plain")


def test_a_rule_and_its_new_version_are_made_with_their_files(client, affairs):
    r = _post(
        client,
        affairs,
        "/affairs/rules",
        {
            "file": _file(),
            "code": "R-100",
            "title": "旅費規程",
            "category": "travel",
            "effective_from": "2026-04-01",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["code"], body["versions"][0]["number"], body["versions"][0]["status"]) == (
        "R-100",
        1,
        "draft",
    )
    rule = Rule.objects.get(code="R-100")
    r = _post(
        client,
        affairs,
        f"/affairs/rules/{rule.pk}/versions",
        {"file": _file("第1条 目的(改定)"), "effective_from": "2026-10-01", "summary": "日当を改定"},
    )
    assert r.status_code == 201, r.content
    assert (r.json()["number"], r.json()["summary"]) == (2, "日当を改定")
    assert DocumentVersion.objects.filter(document=rule.document).count() == 2


def test_a_missing_file_or_bad_date_is_422_and_writes_nothing(client, affairs):
    r = _post(
        client, affairs, "/affairs/rules", {"code": "R-1", "title": "規程", "effective_from": "2026-04-01"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    r = _post(
        client,
        affairs,
        "/affairs/rules",
        {"file": _file(), "code": "R-1", "title": "規程", "effective_from": "4月1日"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "effective_from"
    assert not Rule.objects.exists() and not DocumentVersion.objects.exists()


def test_an_employee_may_not_and_another_companys_rule_is_404(client, affairs, employee_member, outsider):
    r = _post(
        client,
        employee_member,
        "/affairs/rules",
        {"file": _file(), "code": "R-1", "title": "規程", "effective_from": "2026-04-01"},
    )
    assert r.status_code == 403
    rule = make_rule(affairs)
    before = RuleVersion.objects.count()
    r = _post(
        client,
        outsider,
        f"/affairs/rules/{rule.pk}/versions",
        {"file": _file(), "effective_from": "2026-10-01"},
    )
    assert r.status_code == 404  # HR of another company: not one of ours
    assert RuleVersion.objects.count() == before
