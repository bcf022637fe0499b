"""Attachments of お知らせ: uploaded into 「お知らせ添付」, attached, and readable by the audience
only (a department announcement's file is not readable by another department)."""

from __future__ import annotations

import pytest

from ennoshita.affairs.models import AudienceKind
from ennoshita.affairs.services import announcements as services
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.documents import selectors as document_selectors
from tests.affairs.announcements_fixtures import announce, ctx, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
HOOK = "ennoshita.affairs.selectors.announcements.announcement_attachment_target"


@pytest.fixture(autouse=True)
def _hook(settings, tmp_path):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    settings.ENNOSHITA_ATTACHMENT_TARGETS = {
        **settings.ENNOSHITA_ATTACHMENT_TARGETS,
        "affairs.announcement": HOOK,
    }


def attached(m, a):
    return document_selectors.attachments_for(
        company=m.company, membership=m, object_type="affairs.announcement", object_id=str(a.pk)
    )


def test_uploaded_file_is_readable_by_the_audience_only(world):
    a = announce(world["affairs"], audience=AudienceKind.DEPARTMENTS, department_ids=[world["sales"].pk])
    services.upload_attachment(
        **ctx(world["affairs"]), announcement=a, name="案内.txt", data="会場: 本社".encode()
    )
    assert [f.name for f in attached(world["seller1"], a)] == ["案内.txt"]
    doc_id = attached(world["seller1"], a)[0].document_id
    document_selectors.get_document(company=world["company"], membership=world["seller1"], document_id=doc_id)
    with pytest.raises(NotFound):  # 総務部 is not the audience: neither the notice nor the file
        attached(world["clerk"], a)
    with pytest.raises(NotFound):
        document_selectors.get_document(
            company=world["company"], membership=world["clerk"], document_id=doc_id
        )
    # a second manager (hr) uploads into the same folder
    services.upload_attachment(**ctx(world["hr"]), announcement=a, name="地図.txt", data=b"map")
    assert sorted(f.name for f in attached(world["seller"], a)) == ["地図.txt", "案内.txt"]


def test_widening_the_audience_shares_the_attachments_too(world):
    a = announce(world["affairs"], audience=AudienceKind.ROLES, roles=["accounting"])
    services.upload_attachment(**ctx(world["affairs"]), announcement=a, name="経理.txt", data=b"x")
    with pytest.raises(NotFound):
        attached(world["clerk"], a)
    data = services.AnnouncementInput(title=a.title, body=a.body, publish_at=a.publish_at)  # 全社
    services.update_announcement(**ctx(world["affairs"]), announcement=a, data=data)
    assert [f.name for f in attached(world["clerk"], a)] == ["経理.txt"]


def test_members_cannot_attach(world):
    a = announce(world["affairs"])
    with pytest.raises(PermissionDeniedError):
        services.upload_attachment(**ctx(world["clerk"]), announcement=a, name="x.txt", data=b"x")
