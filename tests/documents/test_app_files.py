"""Files an app keeps in documents on behalf of its records (documents.services.app_files): the folder
is made by the keeping team's member, documents and versions are added for the app without asking
whether the actor edits the folder, a version may be of another kind, and bad files write nothing."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents import services
from ennoshita.documents.access import access_for
from ennoshita.documents.models import Document, DocumentVersion, Folder, Share
from tests.conftest import make_member
from tests.documents.conftest import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal(company):
    return make_member(company, "legal1", ["legal"])


@pytest.fixture
def app_folder(company, legal, employee_member):
    return services.create_folder_for_app(
        company=company, actor=employee_member.user, name="契約書", owner=legal.user, edit_roles=("legal",)
    )


def test_the_folder_is_the_keeping_teams_not_the_actors(company, legal, employee_member, app_folder):
    assert app_folder.created_by_id == legal.user_id
    assert Share.objects.filter(folder=app_folder, grantee="legal", permission="edit").count() == 1
    assert access_for(legal).can_edit_folder(app_folder.pk)
    assert not access_for(employee_member).can_read_folder(app_folder.pk)
    event = AuditEvent.objects.get(object_type="documents.folder", object_id=str(app_folder.pk))
    assert event.actor_id == employee_member.user_id


def test_a_second_folder_of_the_same_name_is_refused(company, legal, employee_member, app_folder):
    with pytest.raises(ServiceError) as err:
        services.create_folder_for_app(company=company, actor=legal.user, name="契約書", owner=legal.user)
    assert "name" in err.value.field_errors
    assert Folder.objects.count() == 1


def test_a_member_who_does_not_edit_the_folder_adds_a_document_and_versions_of_another_kind(
    company, employee_member, app_folder
):
    doc = services.create_document_for_app(
        company=company,
        actor=employee_member.user,
        folder=app_folder,
        name="C-2026-0001_業務委託.docx",
        data=b"PK draft",
        comment="案",
    )
    assert doc.current_version.number == 1 and doc.created_by_id == employee_member.user_id
    v2 = services.add_version_for_app(
        company=company,
        actor=employee_member.user,
        document=doc,
        name="締結版.pdf",
        data=make_pdf("締結版"),
        comment="締結版",
    )
    doc.refresh_from_db()
    assert v2.number == 2 and doc.current_version_id == v2.pk
    assert v2.content_type == "application/pdf" and v2.original_name == "締結版.pdf"
    assert DocumentVersion.objects.filter(document=doc).count() == 2
    event = AuditEvent.objects.filter(object_type="documents.document", action="new_version").get()
    assert event.actor_id == employee_member.user_id and "for_app" in str(event.changes)


def test_bad_files_write_nothing(company, employee_member, app_folder):
    with pytest.raises(ServiceError) as err:
        services.create_document_for_app(
            company=company, actor=employee_member.user, folder=app_folder, name="a.exe", data=b"x"
        )
    assert "file" in err.value.field_errors
    doc = services.create_document_for_app(
        company=company, actor=employee_member.user, folder=app_folder, name="a.txt", data=b"x"
    )
    with pytest.raises(ServiceError):
        services.add_version_for_app(
            company=company, actor=employee_member.user, document=doc, name="b.txt", data=b""
        )
    with pytest.raises(ServiceError):
        services.add_version_for_app(
            company=company, actor=employee_member.user, document=doc, name="b.pdf", data=b"not a pdf"
        )
    assert DocumentVersion.objects.count() == 1 and Document.objects.count() == 1


def test_another_companys_folder_or_document_is_not_found(
    company, other_company, outsider, employee_member, app_folder
):
    doc = services.create_document_for_app(
        company=company, actor=employee_member.user, folder=app_folder, name="a.txt", data=b"x"
    )
    with pytest.raises(NotFound):
        services.create_document_for_app(
            company=other_company, actor=outsider.user, folder=app_folder, name="b.txt", data=b"x"
        )
    with pytest.raises(NotFound):
        services.add_version_for_app(
            company=other_company, actor=outsider.user, document=doc, name="b.txt", data=b"y"
        )
    assert DocumentVersion.objects.count() == 1
