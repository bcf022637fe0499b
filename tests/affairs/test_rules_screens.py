"""就業規則・社内規程: the screens (forms, lists with export, the file behind the audience check,
「読みました」 on a replaced version), the API, the home panels and the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ennoshita.affairs import home_rules
from ennoshita.affairs.demo_rules import build_demo_rules
from ennoshita.affairs.models import Rule, RuleAcknowledgement, RuleVersion
from ennoshita.affairs.services import rules as services
from ennoshita.core.models import AuditEvent
from tests.affairs.test_rules_services import TEXT_V2, first_version, make_rule, me, publish
from tests.apiclient import ApiClient
from tests.conftest import login, make_employee, make_member


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


@pytest.fixture
def published(affairs, employee_member):
    rule = make_rule(affairs)
    return publish(affairs, first_version(rule), acknowledge_by=timezone.localdate() + timedelta(days=7))


def test_a_manager_creates_a_rule_and_publishes_it_from_the_screens(client, affairs, employee_member):
    login(client, affairs)
    upload = SimpleUploadedFile("就業規則.txt", "第1条 目的".encode(), content_type="text/plain")
    r = client.post(
        reverse("affairs:rule_new"),
        {
            "code": "R-001",
            "title": "就業規則",
            "category": "work_rules",
            "file": upload,
            "effective_from": "2026-04-01",
        },
    )
    rule = Rule.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("affairs:rule_detail", args=[rule.pk])
    version = first_version(rule)
    r = client.post(
        reverse("affairs:rule_version_publish", args=[version.pk]),
        {"effective_from": "2026-04-01", "audience": "all", "requires_acknowledgement": "on"},
    )
    assert r.status_code == 302
    assert RuleAcknowledgement.objects.filter(version=version).count() == 1
    page = client.get(reverse("affairs:rule_detail", args=[rule.pk])).content.decode()
    assert "第1版" in page and "公開中" in page and "変更履歴" in page
    assert (
        client.get(reverse("affairs:rule_list") + "?format=csv")
        .content.decode("utf-8-sig")
        .startswith("規程番号")
    )
    xlsx = client.get(reverse("affairs:rule_not_yet", args=[version.pk]) + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_input_on_the_forms_shows_messages_and_writes_nothing(client, affairs, published):
    login(client, affairs)
    upload = SimpleUploadedFile("別.txt", "本文".encode(), content_type="text/plain")
    r = client.post(
        reverse("affairs:rule_new"),
        {
            "code": "R-001",
            "title": "別の規程",
            "category": "work_rules",
            "file": upload,
            "effective_from": "2026-04-01",
        },
    )
    assert r.status_code == 400 and "は既に使われています" in r.content.decode()
    r = client.post(
        reverse("affairs:rule_version_publish", args=[published.pk]),
        {"effective_from": "2026-04-01", "audience": "employees", "employee_numbers": "NOPE"},
    )
    assert r.status_code == 400 and "NOPE" in r.content.decode()
    assert Rule.objects.count() == 1 and RuleVersion.objects.count() == 1


def test_the_employee_reads_and_acknowledges_and_a_replaced_page_is_refused(
    client, affairs, published, employee_member
):
    login(client, employee_member)
    page = client.get(reverse("affairs:rule_version_read", args=[published.pk])).content.decode()
    assert "読みました" in page and "第1条" in page
    file = client.get(reverse("affairs:rule_version_file", args=[published.pk]))
    assert (
        file.status_code == 200
        and file["Content-Security-Policy"]
        and file["Content-Disposition"].startswith("attachment")
    )
    # a new version is published while the old page is open
    draft = services.add_draft_version(
        **me(affairs), rule=published.rule, file_name="v2.txt", data=TEXT_V2, effective_from=date(2026, 10, 1)
    )
    publish(affairs, draft)
    events = AuditEvent.objects.count()
    r = client.post(reverse("affairs:rule_acknowledge", args=[published.pk]), follow=True)
    assert "第1版は改定され" in r.content.decode()
    assert AuditEvent.objects.count() == events
    assert not RuleAcknowledgement.objects.filter(acknowledged_at__isnull=False).exists()
    client.post(reverse("affairs:rule_acknowledge", args=[draft.pk]))
    assert RuleAcknowledgement.objects.get(version=draft).acknowledged_at is not None
    assert "確認済み" in client.get(reverse("affairs:rule_library")).content.decode()


def test_employees_reach_neither_management_screens_nor_others_versions(
    client, company, published, employee_member
):
    login(client, employee_member)
    assert client.get(reverse("affairs:rule_list")).status_code == 403
    assert client.get(reverse("affairs:rule_not_yet", args=[published.pk])).status_code == 403
    stranger = make_member(company, "late", ["employee"])
    login(client, stranger)
    assert client.get(reverse("affairs:rule_version_file", args=[published.pk])).status_code == 404
    assert client.get(reverse("affairs:rule_version_read", args=[published.pk])).status_code == 404


def test_list_pages_cost_the_same_for_more_rows(
    client, affairs, hr, department, company, django_assert_max_num_queries
):
    for i in range(12):
        make_employee(company, hr, department, number=f"M{i:03d}")
    version = publish(affairs, first_version(make_rule(affairs)))
    login(client, affairs)
    for name, args in (
        ("affairs:rule_unacknowledged", []),
        ("affairs:rule_not_yet", [version.pk]),
        ("affairs:rule_list", []),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name, args=args)).status_code == 200


def test_home_panels(published, affairs, employee_member):
    mine = home_rules.panels(employee_member)
    assert mine[0]["key"] == "rules_pending" and "第1版" in str(mine[0]["items"][0]["text"])
    managed = {p["key"]: p for p in home_rules.panels(affairs)}
    assert "未確認 1 人 / 1 人" in str(managed["rules_open"]["items"][0]["text"])


# ------------------------------------------------------------------------------ API
def test_api_lists_publishes_and_acknowledges(client, affairs, employee_member):
    rule = make_rule(affairs)
    version = first_version(rule)
    api = ApiClient(client, affairs)
    r = api.get("/affairs/rules", {"q": "就業"})
    assert r.status_code == 200 and r.json()["items"][0]["code"] == "R-001"
    r = api.post(
        f"/affairs/rule-versions/{version.pk}/publish", {"audience": "all", "acknowledge_by": "2000-01-01"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "acknowledge_by"
    r = api.post(f"/affairs/rule-versions/{version.pk}/publish", {"audience": "all"})
    assert r.status_code == 200 and r.json()["status"] == "published"
    r = api.get(f"/affairs/rule-versions/{version.pk}/not-yet")
    assert [i["employee_number"] for i in r.json()["items"]] == ["E001"]
    emp = ApiClient(client, employee_member)
    assert emp.get("/affairs/rules").status_code == 403
    assert [i["version_id"] for i in emp.get("/affairs/rules/pending").json()] == [version.pk]
    r = emp.post(f"/affairs/rule-versions/{version.pk}/acknowledge")
    assert r.status_code == 200 and r.json()["acknowledged_at"]
    assert api.get(f"/affairs/rules/{rule.pk}").json()["versions"][0]["acknowledged"] == 1
    assert api.get("/affairs/rules/not-yet").json()["count"] == 0


def test_api_refuses_a_replaced_version(client, affairs, published, employee_member):
    draft = services.add_draft_version(
        **me(affairs), rule=published.rule, file_name="v2.txt", data=TEXT_V2, effective_from=date(2026, 10, 1)
    )
    publish(affairs, draft)
    r = ApiClient(client, employee_member).post(f"/affairs/rule-versions/{published.pk}/acknowledge")
    assert r.status_code == 400 and r.json()["code"] == "replaced"
    assert not RuleAcknowledgement.objects.filter(acknowledged_at__isnull=False).exists()


# ------------------------------------------------------------------------------ demo
def test_the_demo_builds_rules_once(company, hr, department, admin):
    make_member(company, "affairs", ["affairs"])
    for n, name in enumerate(("employee", "hr_user", "sales_admin")):
        m = make_member(company, name, ["employee"])
        make_employee(company, hr, department, number=f"D{n}", user=m.user)
    build_demo_rules(company)
    build_demo_rules(company)
    assert list(Rule.objects.order_by("code").values_list("title", flat=True)) == [
        "就業規則",
        "賃金規程",
        "情報セキュリティ規程",
    ]
    work = Rule.objects.get(code="R-001")
    current = work.versions.get(status="published")
    assert current.number == 2
    waiting = RuleAcknowledgement.objects.filter(version=current, acknowledged_at__isnull=True)
    assert list(waiting.values_list("employee__user__username", flat=True)) == ["employee"]
