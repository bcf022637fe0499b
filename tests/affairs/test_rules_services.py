"""就業規則・社内規程: creating a rule with its file in 文書, drafts, publishing to an audience, the
employee's 既読確認 (a replaced version refused, nothing written), reminders, stopping a rule.

Personas: 管理 一郎 (admin), 総務 (affairs), 社員 次郎 (employee E001 in 総務部), 営業 三郎 (employee
E002 in 営業部), and the outsider (HR and admin of another company)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ennoshita.affairs.models import Rule, RuleAcknowledgement, RuleVersion, RuleVersionStatus
from ennoshita.affairs.selectors import rules as selectors
from ennoshita.affairs.services import rules as services
from ennoshita.affairs.services.rules import Audience
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.documents import selectors as document_selectors
from ennoshita.documents.models import Document, DocumentVersion, Folder, Share
from tests.conftest import make_department, make_employee, make_member

TEXT_V1 = "第1条 この規則は従業員の就業に関する事項を定める。".encode()
TEXT_V2 = "第1条 この規則は従業員の就業に関する事項を定める(改定)。".encode()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


@pytest.fixture
def affairs(company):
    return make_member(company, "affairs1", ["affairs"], last_name="総務", first_name="桜")


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


def me(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def make_rule(m, *, code="R-001", title="就業規則", data=TEXT_V1, name="就業規則.txt", **kw) -> Rule:
    return services.create_rule(
        **me(m),
        code=code,
        title=title,
        category=kw.pop("category", "work_rules"),
        file_name=name,
        data=data,
        effective_from=kw.pop("effective_from", date(2026, 4, 1)),
        summary=kw.pop("summary", "制定"),
        **kw,
    )


def first_version(rule: Rule) -> RuleVersion:
    return RuleVersion.objects.get(rule=rule, number=1)


def publish(m, version, audience=None, **kw):
    return services.publish_version(**me(m), version=version, audience=audience or Audience(), **kw)


@pytest.fixture
def published(affairs, employee_member, sales_member):
    """就業規則 第1版, published to everyone in service (E001 and E002)."""
    rule = make_rule(affairs)
    return publish(affairs, first_version(rule), acknowledge_by=timezone.localdate() + timedelta(days=14))


# ------------------------------------------------------------------------------ creating
def test_a_rule_keeps_its_file_in_a_rules_folder_of_documents(affairs):
    rule = make_rule(affairs)
    version = first_version(rule)
    assert version.status == RuleVersionStatus.DRAFT and version.number == 1
    assert version.document_version.document_id == rule.document_id
    folder = rule.document.folder
    assert folder.name == "社内規程" and folder.parent_id is None
    # 総務 and 人事 edit the folder; nobody else is given it (drafts live there)
    shares = set(Share.objects.filter(folder=folder).values_list("grantee_kind", "grantee", "permission"))
    assert shares == {("role", "affairs", "edit"), ("role", "hr", "edit")}
    second = make_rule(affairs, code="R-002", title="賃金規程", name="賃金規程.txt")
    assert second.document.folder_id == folder.pk
    assert AuditEvent.objects.filter(object_type="affairs.rule", action="create").count() == 2


def test_a_folder_someone_else_named_is_never_reused(company, admin, affairs):
    from ennoshita.documents import services as document_services

    theirs = document_services.create_folder(**me(admin), name="社内規程", parent=None)
    document_services.share(**me(admin), folder=theirs, grantee_kind="everyone", permission="read")
    rule = make_rule(affairs)
    assert rule.document.folder_id != theirs.pk
    assert rule.document.folder.name == "社内規程(規程管理)"
    assert not Share.objects.filter(folder=rule.document.folder, grantee_kind="everyone").exists()


def test_an_employee_cannot_manage_rules_and_nothing_is_written(employee_member):
    with pytest.raises(PermissionDeniedError):
        make_rule(employee_member)
    assert not Rule.objects.exists() and not Document.objects.exists() and not Folder.objects.exists()


def test_bad_rule_input_is_refused_on_its_field(affairs):
    make_rule(affairs)
    with pytest.raises(ServiceError) as exc:
        make_rule(affairs, title="", name="x.txt")
    assert set(exc.value.field_errors) == {"code", "title"}
    with pytest.raises(ServiceError) as exc:
        make_rule(affairs, code="R-009", name="virus.exe", data=b"MZ...")
    assert "file" in exc.value.field_errors
    assert Rule.objects.count() == 1 and Document.objects.count() == 1


def test_a_draft_version_is_a_new_document_version(affairs):
    rule = make_rule(affairs)
    draft = services.add_draft_version(
        **me(affairs),
        rule=rule,
        file_name="改定.txt",
        data=TEXT_V2,
        effective_from=date(2026, 10, 1),
        summary="第3条改定",
    )
    assert draft.number == 2 and draft.status == RuleVersionStatus.DRAFT
    assert list(
        DocumentVersion.objects.filter(document=rule.document)
        .order_by("number")
        .values_list("number", flat=True)
    ) == [1, 2]
    # a different kind of file is refused with the documents app's message
    with pytest.raises(ServiceError) as exc:
        services.add_draft_version(
            **me(affairs), rule=rule, file_name="改定.pdf", data=b"%PDF-1.4", effective_from=date(2026, 10, 1)
        )
    assert "file" in exc.value.field_errors
    assert RuleVersion.objects.filter(rule=rule).count() == 2


# ------------------------------------------------------------------------------ publishing
def test_publishing_asks_the_audience_and_notifies_each_user(published, employee_member, sales_member):
    assert published.status == RuleVersionStatus.PUBLISHED and published.published_at is not None
    asked = set(
        RuleAcknowledgement.objects.filter(version=published).values_list("employee__number", flat=True)
    )
    assert asked == {"E001", "E002"}
    notices = Notification.objects.filter(kind="affairs.rule")
    assert set(notices.values_list("user__username", flat=True)) == {"emp1", "emp2"}
    assert all(f"/rules/versions/{published.pk}/read/" in n.url for n in notices)
    event = AuditEvent.objects.get(object_type="affairs.ruleversion", action="publish")
    assert event.changes["extra"]["asked"] == 2


def test_publishing_to_a_department_asks_only_its_employees(
    affairs, employee_member, sales_member, sales_department
):
    rule = make_rule(affairs)
    version = publish(
        affairs, first_version(rule), Audience(kind="departments", department_ids=[sales_department.pk])
    )
    assert list(
        RuleAcknowledgement.objects.filter(version=version).values_list("employee__number", flat=True)
    ) == ["E002"]
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["emp2"]


def test_publishing_to_chosen_employees_refuses_an_unknown_one(
    affairs, employee_member, outsider, other_company
):
    rule = make_rule(affairs)
    stranger = make_employee(other_company, outsider, make_department(other_company, outsider), number="X1")
    with pytest.raises(ServiceError) as exc:
        publish(affairs, first_version(rule), Audience(kind="employees", employee_ids=[stranger.pk]))
    assert "employee_ids" in exc.value.field_errors
    assert first_version(rule).status == RuleVersionStatus.DRAFT
    assert not RuleAcknowledgement.objects.exists() and not Notification.objects.exists()


def test_a_new_version_replaces_the_old_in_the_same_transaction(published, affairs, employee_member):
    draft = services.add_draft_version(
        **me(affairs), rule=published.rule, file_name="v2.txt", data=TEXT_V2, effective_from=date(2026, 10, 1)
    )
    publish(affairs, draft)
    published.refresh_from_db()
    assert published.status == RuleVersionStatus.REPLACED and published.replaced_at is not None
    assert RuleVersion.objects.filter(rule=published.rule, status="published").get().pk == draft.pk
    # publishing it again is refused
    with pytest.raises(ServiceError) as exc:
        publish(affairs, draft)
    assert exc.value.code == "not_draft"


def test_an_effective_date_before_the_current_one_is_refused(published, affairs):
    draft = services.add_draft_version(
        **me(affairs), rule=published.rule, file_name="v2.txt", data=TEXT_V2, effective_from=date(2025, 1, 1)
    )
    with pytest.raises(ServiceError) as exc:
        publish(affairs, draft, acknowledge_by=date(2000, 1, 1))
    assert set(exc.value.field_errors) == {"effective_from", "acknowledge_by"}
    published.refresh_from_db()
    assert published.status == RuleVersionStatus.PUBLISHED
    assert RuleAcknowledgement.objects.filter(version=draft).count() == 0


# ------------------------------------------------------------------------------ acknowledging
def test_the_employee_acknowledges_once(published, employee_member):
    row = services.acknowledge(**me(employee_member), version=published)
    assert row.acknowledged_at is not None and row.acknowledged_by == employee_member.user
    again = services.acknowledge(**me(employee_member), version=published)
    assert again.acknowledged_at == row.acknowledged_at
    assert (
        AuditEvent.objects.filter(object_type="affairs.ruleacknowledgement", action="acknowledge").count()
        == 1
    )


def test_a_replaced_version_is_refused_and_nothing_is_written(published, affairs, employee_member):
    draft = services.add_draft_version(
        **me(affairs), rule=published.rule, file_name="v2.txt", data=TEXT_V2, effective_from=date(2026, 10, 1)
    )
    publish(affairs, draft)
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.acknowledge(**me(employee_member), version=published)
    assert exc.value.code == "replaced"
    assert "第1版は改定され" in exc.value.message and "第2版" in exc.value.message
    assert RuleAcknowledgement.objects.filter(version=published, acknowledged_at__isnull=False).count() == 0
    assert AuditEvent.objects.count() == events


def test_someone_not_asked_cannot_acknowledge(affairs, employee_member, sales_member, sales_department):
    rule = make_rule(affairs)
    version = publish(
        affairs, first_version(rule), Audience(kind="departments", department_ids=[sales_department.pk])
    )
    with pytest.raises(PermissionDeniedError):
        services.acknowledge(**me(employee_member), version=version)
    with pytest.raises(PermissionDeniedError):
        services.acknowledge(**me(affairs), version=version)  # no employee record


def test_a_draft_cannot_be_acknowledged(affairs, employee_member):
    rule = make_rule(affairs)
    with pytest.raises(PermissionDeniedError):
        services.acknowledge(**me(employee_member), version=first_version(rule))


# ------------------------------------------------------------------------------ reminders, audience, stop
def test_remind_notifies_only_those_not_yet(published, affairs, employee_member, sales_member):
    services.acknowledge(**me(employee_member), version=published)
    Notification.objects.all().delete()
    assert services.remind(**me(affairs), version=published) == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["emp2"]
    row = RuleAcknowledgement.objects.get(version=published, employee__number="E002")
    assert row.last_reminded_at is not None
    assert AuditEvent.objects.filter(action="remind_rule").count() == 1
    services.acknowledge(**me(sales_member), version=published)
    with pytest.raises(ServiceError) as exc:
        services.remind(**me(affairs), version=published)
    assert exc.value.code == "nothing_to_remind"


def test_add_audience_asks_a_new_hire_only(published, affairs, hr, department, company):
    m = make_member(company, "new1", ["employee"])
    make_employee(company, hr, department, number="E003", user=m.user, hire_date=date(2020, 5, 1))
    assert services.add_audience(**me(affairs), version=published, audience=Audience()) == 1
    assert RuleAcknowledgement.objects.filter(version=published).count() == 3


def test_a_stopped_rule_asks_no_one(published, affairs, employee_member):
    services.deactivate_rule(**me(affairs), rule=published.rule)
    assert list(selectors.pending_for(company=employee_member.company, membership=employee_member)) == []
    with pytest.raises(ServiceError):
        services.acknowledge(**me(employee_member), version=published)
    assert AuditEvent.objects.filter(object_type="affairs.rule", action="deactivate").count() == 1


# ------------------------------------------------------------------------------ reads
def test_pending_and_library_of_an_employee(published, employee_member):
    company = employee_member.company
    pending = list(selectors.pending_for(company=company, membership=employee_member))
    assert [a.version_id for a in pending] == [published.pk]
    services.acknowledge(**me(employee_member), version=published)
    assert list(selectors.pending_for(company=company, membership=employee_member)) == []
    library = list(selectors.my_rules(company=company, membership=employee_member))
    assert [a.version_id for a in library] == [published.pk] and library[0].acknowledged_at


def test_who_reads_a_version(published, employee_member, affairs, company, hr, department):
    assert selectors.can_read_version(company=company, membership=employee_member, version=published)
    assert selectors.can_read_version(company=company, membership=affairs, version=published)
    stranger = make_member(company, "late", ["employee"])
    assert not selectors.can_read_version(company=company, membership=stranger, version=published)
    with pytest.raises(NotFound):
        selectors.readable_version(company=company, membership=stranger, version_id=published.pk)
    # the rules folder is not shared with employees: the documents app does not show them the file
    with pytest.raises(NotFound):
        document_selectors.get_document(
            company=company, membership=employee_member, document_id=published.rule.document_id
        )


def test_counts_and_not_yet_lists(published, affairs, employee_member, sales_department):
    company = affairs.company
    services.acknowledge(**me(employee_member), version=published)
    versions = list(selectors.rule_versions(company=company, rule=published.rule))
    assert [(v.asked, v.acknowledged, v.not_yet) for v in versions] == [(2, 1, 1)]
    not_yet = list(selectors.not_yet(company=company, membership=affairs, version=published))
    assert [(a.employee.number, a.dept_name) for a in not_yet] == [("E002", "営業部")]
    assert list(
        selectors.not_yet(
            company=company, membership=affairs, version=published, department_id=sales_department.pk
        )
    )
    assert [a.employee.number for a in selectors.unacknowledged(company=company, membership=affairs)] == [
        "E002"
    ]
    counts = selectors.open_counts(company=company, membership=affairs)
    assert [(c.not_yet, c.asked) for c in counts] == [(1, 2)]
    rules = list(selectors.rule_list(company=company, membership=affairs))
    assert rules[0].current_number == 1 and rules[0].not_yet == 1
    with pytest.raises(PermissionDeniedError):
        selectors.unacknowledged(company=company, membership=employee_member)


def test_the_unacknowledged_list_costs_the_same_for_many_rows(
    affairs, hr, department, company, django_assert_num_queries
):
    for i in range(30):
        make_employee(company, hr, department, number=f"M{i:03d}")
    rule = make_rule(affairs)
    publish(affairs, first_version(rule))
    rule2 = make_rule(affairs, code="R-002", title="賃金規程", name="賃金.txt")
    publish(affairs, first_version(rule2))
    from ennoshita.core.paging import KeysFirstPaginator

    qs = selectors.unacknowledged(company=company, membership=affairs)
    with django_assert_num_queries(3):  # count, the page's keys, its rows
        page = KeysFirstPaginator(qs, 50).page(1)
        assert len([a.employee.number for a in page]) == 50
    version = first_version(rule)
    with django_assert_num_queries(1):
        rows = list(selectors.not_yet(company=company, membership=affairs, version=version))
        assert len({(a.employee.number, a.dept_name) for a in rows}) == 30
