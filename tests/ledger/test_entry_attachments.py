"""証憑: documents attached to journal entries through the one attachment mechanism of documents."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from ennoshita.core.models import AuditEvent
from ennoshita.documents import services as documents
from ennoshita.documents.models import Attachment

from ..apiclient import ApiClient
from ..conftest import login, make_member
from .conftest import line, post

D = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


@pytest.fixture
def receipt(company, admin):
    folder = documents.create_folder(
        company=company, actor=admin.user, membership=admin, name="証憑", parent=None
    )
    documents.share(
        company=company, actor=admin.user, membership=admin, folder=folder, grantee_kind="everyone"
    )
    return documents.upload_document(
        company=company,
        actor=admin.user,
        membership=admin,
        folder=folder,
        name="領収書.txt",
        data="領収書 11,000円".encode(),
    )


@pytest.fixture
def entry(books, accountant):
    return post(
        books,
        accountant,
        D,
        line(books, "消耗品費", "debit", 11000, "P10"),
        line(books, "現金", "credit", 11000),
    )


def test_accountant_attaches_a_receipt_to_a_posted_entry_and_detaches_it(client, accountant, entry, receipt):
    login(client, accountant)
    response = client.post(reverse("ledger:entry_attach", args=[entry.pk]), {"document": receipt.pk})
    assert response.status_code == 302
    page = client.get(reverse("ledger:entry_detail", args=[entry.pk])).content.decode()
    assert "領収書.txt" in page and 'id="attach-form"' in page
    row = Attachment.objects.get(document=receipt)
    assert (row.object_type, row.object_id) == ("ledger.journalentry", str(entry.pk))
    # the document shows where it is attached
    doc_page = client.get(reverse("documents:document", args=[receipt.pk])).content.decode()
    assert str(entry) in doc_page
    assert AuditEvent.objects.filter(action="attach", object_id=str(receipt.pk)).exists()
    client.post(reverse("ledger:entry_detach", args=[entry.pk, row.pk]))
    assert not Attachment.objects.exists()


def test_finance_sees_the_attachments_but_cannot_attach(client, company, entry, receipt, accountant):
    documents.attach(
        company=company,
        actor=accountant.user,
        membership=accountant,
        document=receipt,
        object_type="ledger.journalentry",
        object_id=str(entry.pk),
    )
    finance = make_member(company, "zaimu", ["finance"])
    login(client, finance)
    page = client.get(reverse("ledger:entry_detail", args=[entry.pk])).content.decode()
    assert "領収書.txt" in page and 'id="attach-form"' not in page
    assert (
        client.post(reverse("ledger:entry_attach", args=[entry.pk]), {"document": receipt.pk}).status_code
        == 403
    )


def test_the_api_attaches_to_an_entry_only_for_the_writing_roles(
    client, company, entry, receipt, accountant, hr
):
    body = {"object_type": "ledger.journalentry", "object_id": str(entry.pk)}
    refused = ApiClient(client, hr).post(f"/documents/{receipt.pk}/attachments", body)
    assert refused.status_code == 404  # hr may not even see the books
    done = ApiClient(client, accountant).post(f"/documents/{receipt.pk}/attachments", body)
    assert done.status_code == 201, done.content
    listed = ApiClient(client, accountant).get(
        "/documents/attachments", {"object_type": "ledger.journalentry", "object_id": str(entry.pk)}
    )
    rows = listed.json()
    rows = rows.get("items", rows) if isinstance(rows, dict) else rows
    assert [a["document"]["id"] for a in rows] == [receipt.pk]
    assert rows[0]["object_repr"] == str(entry)


def test_another_companys_entry_cannot_be_named(client, company, entry, receipt, outsider):
    from ennoshita.ledger.services import ensure_books

    ensure_books(company=outsider.company)
    response = ApiClient(client, outsider).post(
        f"/documents/{receipt.pk}/attachments",
        {"object_type": "ledger.journalentry", "object_id": str(entry.pk)},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()
