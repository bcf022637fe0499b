"""/api/v1/documents/: folders, search, upload, versions, download, tags, 電子取引 metadata, trash.

Personas: 管理 一郎 (admin, who made the 経理 folder), 社員 次郎 (an employee, who sees only what is
shared with him), and the outsider (HR and admin of another company, with his own token).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import AuditEvent
from ennoshita.documents import rules, services
from ennoshita.documents.models import Document, DocumentTag, DocumentVersion, Folder, Share
from ennoshita.documents.storage import blob_storage, sha256_of

from ..apiclient import PROBLEM, ApiClient, field_errors
from .conftest import make_pdf

INVOICE = "請求書 株式会社サンプル 132,000円".encode()


def when(value: Any) -> str:
    """A date or datetime as the API writes it."""
    return DjangoJSONEncoder().default(value)


class DocsApi(ApiClient):
    """ApiClient plus multipart uploads and PUT."""

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(self.prefix + path, data, **self._headers())

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            self.prefix + path,
            json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            **self._headers(),
        )


def upload(api: DocsApi, folder: Folder, name: str, data: bytes, comment: str = "") -> Any:
    return api.upload(
        "/documents/",
        {"file": SimpleUploadedFile(name, data), "folder_id": str(folder.pk), "comment": comment},
    )


def stored_files() -> list[str]:
    storage = blob_storage()
    root = storage.path("")  # type: ignore[attr-defined]
    import os

    return sorted(os.path.join(d, f) for d, _s, files in os.walk(root) for f in files)


def state() -> tuple[int, int, int, int, int, int, list[str]]:
    return (
        Folder.objects.count(),
        Document.objects.count(),
        DocumentVersion.objects.count(),
        DocumentTag.objects.count(),
        Share.objects.count(),
        AuditEvent.objects.count(),
        stored_files(),
    )


def user_json(m) -> dict:
    return {"id": m.user.pk, "name": m.user.display_name()}


def document_json(d: Document, *, tags: list[str] | None = None) -> dict:
    d.refresh_from_db()
    v = d.current_version
    return {
        "id": d.pk,
        "name": d.name,
        "folder": {"id": d.folder.pk, "name": d.folder.name},
        "tags": tags or [],
        "current_version": {
            "id": v.pk,
            "number": v.number,
            "sha256": v.sha256,
            "size": v.size,
            "content_type": v.content_type,
            "uploaded_at": when(v.uploaded_at),
        },
        "created_by": {"id": d.created_by.pk, "name": d.created_by.display_name()},
        "created_at": when(d.created_at),
        "updated_at": when(d.updated_at),
        "trashed_at": when(d.trashed_at) if d.trashed_at else None,
        "is_transaction_record": d.is_transaction_record,
        "transaction_date": when(d.transaction_date) if d.transaction_date else None,
        "transaction_amount": int(d.transaction_amount) if d.transaction_amount is not None else None,
        "counterparty": d.counterparty,
        "document_type": d.document_type,
        "retention_until": when(d.retention_until) if d.retention_until else None,
    }


def version_json(v: DocumentVersion, restored_from: int | None = None) -> dict:
    return {
        "id": v.pk,
        "number": v.number,
        "sha256": v.sha256,
        "size": v.size,
        "content_type": v.content_type,
        "original_name": v.original_name,
        "comment": v.comment,
        "uploaded_by": {"id": v.uploaded_by.pk, "name": v.uploaded_by.display_name()},
        "uploaded_at": when(v.uploaded_at),
        "restored_from_number": restored_from,
    }


@pytest.fixture
def api(client, admin) -> DocsApi:
    return DocsApi(client, admin)


def _upload(company, m, folder, name="請求書_202611.txt", data=INVOICE):
    return services.upload_document(
        company=company, actor=m.user, membership=m, folder=folder, name=name, data=data
    )


# ------------------------------------------------------------------ folders
def test_it_creates_and_lists_folders_at_the_root_and_below(api, admin, folder):
    created = api.post("/documents/folders", {"name": "契約書"})
    assert created.status_code == 201
    keiyaku = Folder.objects.get(name="契約書")
    assert created.json() == {
        "id": keiyaku.pk,
        "name": "契約書",
        "parent_id": None,
        "created_at": when(keiyaku.created_at),
        "document_count": 0,
    }
    child = api.post("/documents/folders", {"name": "2026年度", "parent_id": keiyaku.pk})
    assert child.status_code == 201
    sub = Folder.objects.get(name="2026年度")
    assert child.json()["parent_id"] == keiyaku.pk
    _upload(admin.company, admin, folder)

    root = api.get("/documents/folders")
    assert root.status_code == 200
    assert root.json() == [
        {
            "id": keiyaku.pk,
            "name": "契約書",
            "parent_id": None,
            "created_at": when(keiyaku.created_at),
            "document_count": 0,
        },
        {
            "id": folder.pk,
            "name": "経理",
            "parent_id": None,
            "created_at": when(folder.created_at),
            "document_count": 1,
        },
    ]
    below = api.get("/documents/folders", {"parent_id": keiyaku.pk}).json()
    assert [f["id"] for f in below] == [sub.pk]
    detail = api.get(f"/documents/folders/{sub.pk}")
    assert detail.json() == {
        "id": sub.pk,
        "name": "2026年度",
        "parent_id": keiyaku.pk,
        "created_at": when(sub.created_at),
        "path": [{"id": keiyaku.pk, "name": "契約書"}, {"id": sub.pk, "name": "2026年度"}],
    }


def test_a_folder_name_is_unique_within_its_parent(api, folder):
    assert api.post("/documents/folders", {"name": "2026年度", "parent_id": folder.pk}).status_code == 201
    before = state()
    response = api.post("/documents/folders", {"name": "2026年度", "parent_id": folder.pk})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["name"]
    assert state() == before


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "x", "parent_id": 999999}, 400, "parent_id"),
        ({"name": ""}, 400, "name"),
        ({"name": "a/b"}, 400, "name"),
        ({"name": "x" * 201}, 422, "name"),
        ({"name": "x", "extra": 1}, 422, "extra"),
    ],
)
def test_bad_folders_are_refused(api, folder, body, status, field):
    before = state()
    response = api.post("/documents/folders", body)
    assert response.status_code == status
    assert list(field_errors(response)) == [field]
    assert state() == before


def test_an_unknown_parent_filter_is_a_400_on_that_field(api, folder):
    response = api.get("/documents/folders", {"parent_id": 999999})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["parent_id"]


# ------------------------------------------------------------------ upload
def test_upload_returns_201_with_the_first_version(api, admin, folder):
    response = upload(api, folder, "請求書_202611.txt", INVOICE, comment="11月分")
    assert response.status_code == 201
    d = Document.objects.get()
    v = d.current_version
    assert (v.number, v.size, v.sha256, v.comment, v.content_type) == (
        1,
        len(INVOICE),
        sha256_of(INVOICE),
        "11月分",
        "text/plain",
    )
    assert response.json() == document_json(d)
    assert response.json()["current_version"]["sha256"] == sha256_of(INVOICE)
    assert AuditEvent.objects.filter(object_type="documents.document", action="create").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.txt", b"", "空のファイル"),
        ("virus.exe", b"MZ\x90\x00", "登録できません"),
        ("script.txt", b"#!/bin/sh\nrm -rf /", "実行ファイル"),
        ("page.html", b"<script>alert(1)</script>", "登録できません"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF として読めません"),
    ],
)
def test_bad_uploads_are_problems_on_file_and_nothing_is_written(api, folder, name, data, fragment):
    before = state()
    response = upload(api, folder, name, data)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_file"
    errors = field_errors(response)
    assert list(errors) == ["file"] and fragment in errors["file"][0]
    assert state() == before


def test_an_upload_over_the_size_limit_is_refused(api, folder, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1024 * 1024
    before = state()
    response = upload(api, folder, "big.txt", b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert field_errors(response) == {"file": ["ファイルが大きすぎます(1.0 MB)。上限は 1 MB です。"]}
    assert state() == before


def test_an_upload_without_a_file_is_a_422_on_file(api, folder):
    before = state()
    response = api.upload("/documents/", {"folder_id": str(folder.pk)})
    assert response.status_code == 422
    assert field_errors(response) == {"file": ["必須項目です。"]}
    assert state() == before


def test_an_upload_into_an_unknown_folder_is_a_400_on_folder_id(api, folder):
    before = state()
    response = api.upload("/documents/", {"file": SimpleUploadedFile("a.txt", b"a"), "folder_id": "999999"})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["folder_id"]
    assert state() == before


def test_the_same_name_is_never_overwritten(api, admin, folder):
    _upload(admin.company, admin, folder, "規程.txt", b"v1")
    before = state()
    response = upload(api, folder, "規程.txt", b"v2")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "name_exists"
    assert list(field_errors(response)) == ["file"]
    assert state() == before


# ------------------------------------------------------------------ get, search
def test_get_returns_metadata_tags_transaction_fields_and_the_current_version(api, company, admin, folder):
    d = _upload(company, admin, folder)
    services.set_tags(
        company=company, actor=admin.user, membership=admin, document=d, names=["経理", "2026年11月"]
    )
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        transaction_date=date(2026, 11, 5),
        transaction_amount=132000,
        counterparty="株式会社サンプル",
        document_type="invoice",
    )
    response = api.get(f"/documents/{d.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body == {**document_json(d, tags=["2026年11月", "経理"]), "attachments": []}
    assert (
        body["transaction_date"],
        body["transaction_amount"],
        body["counterparty"],
        body["retention_until"],
    ) == (
        "2026-11-05",
        132000,
        "株式会社サンプル",
        "2034-05-31",
    )


@pytest.fixture
def library(company, admin, folder):
    """Three documents in 経理: an invoice (電子取引), a receipt (電子取引) and plain minutes."""
    m = {"company": company, "actor": admin.user, "membership": admin}
    invoice = _upload(company, admin, folder, "01_請求書_サンプル.txt", "請求書 サンプル商事".encode())
    services.set_transaction_record(
        **m,
        document=invoice,
        transaction_date=date(2026, 10, 31),
        transaction_amount=132000,
        counterparty="株式会社サンプル商事",
        document_type="invoice",
    )
    receipt = _upload(company, admin, folder, "02_領収書_タクシー.txt", "領収書 ﾀｸｼｰ".encode())
    services.set_transaction_record(
        **m,
        document=receipt,
        transaction_date=date(2026, 11, 2),
        transaction_amount=2480,
        counterparty="日本交通株式会社",
        document_type="receipt",
    )
    minutes = _upload(company, admin, folder, "03_議事録_定例.txt", "議事録 定例会議".encode())
    services.set_tags(**m, document=minutes, names=["会議"])
    return {"invoice": invoice, "receipt": receipt, "minutes": minutes}


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["01_請求書_サンプル.txt", "02_領収書_タクシー.txt", "03_議事録_定例.txt"]),
        ({"q": "請求書"}, ["01_請求書_サンプル.txt"]),
        ({"q": "たくしー"}, ["02_領収書_タクシー.txt"]),  # hiragana finds half-width katakana
        ({"tag": "会議"}, ["03_議事録_定例.txt"]),
        ({"transaction_only": "true"}, ["02_領収書_タクシー.txt", "01_請求書_サンプル.txt"]),
        ({"transaction_date_from": "2026-11-01"}, ["02_領収書_タクシー.txt"]),
        ({"transaction_date_to": "2026-10-31"}, ["01_請求書_サンプル.txt"]),
        ({"amount_min": 10000}, ["01_請求書_サンプル.txt"]),
        ({"amount_max": 10000}, ["02_領収書_タクシー.txt"]),
        ({"counterparty": "サンプル"}, ["01_請求書_サンプル.txt"]),
        ({"document_type": "receipt"}, ["02_領収書_タクシー.txt"]),
        (
            {"transaction_date_from": "2026-10-01", "amount_min": 100000, "counterparty": "サンプル商事"},
            ["01_請求書_サンプル.txt"],
        ),
        ({"transaction_date_from": "2026-11-01", "amount_min": 100000}, []),
    ],
)
def test_the_list_searches_by_every_field(api, library, folder, params, names):
    response = api.get("/documents/", params)
    assert response.status_code == 200
    body = response.json()
    assert [d["name"] for d in body["items"]] == names
    assert body["count"] == len(names)


def test_the_list_filters_by_folder_uploader_and_upload_date(api, library, admin, folder, hr):
    # the filter takes local (Asia/Tokyo) dates: between 0:00 and 9:00 JST the UTC date is the day before
    today = timezone.localdate(library["invoice"].created_at).isoformat()
    assert api.get("/documents/", {"folder_id": folder.pk}).json()["count"] == 3
    assert api.get("/documents/", {"uploader_id": admin.user.pk}).json()["count"] == 3
    assert api.get("/documents/", {"uploader_id": hr.user.pk}).json()["count"] == 0
    assert api.get("/documents/", {"uploaded_from": today, "uploaded_to": today}).json()["count"] == 3
    assert api.get("/documents/", {"uploaded_to": "2000-01-01"}).json()["count"] == 0


def test_the_list_pages_with_a_total_and_items_in_full(api, library):
    first = api.get("/documents/", {"limit": 2}).json()
    rest = api.get("/documents/", {"limit": 2, "offset": 2}).json()
    assert (first["count"], first["limit"], first["offset"]) == (3, 2, 0)
    assert first["items"] == [document_json(library["invoice"]), document_json(library["receipt"])]
    assert rest["items"] == [document_json(library["minutes"], tags=["会議"])]
    assert rest["count"] == 3


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"folder_id": 999999}, 400, "folder_id"),
        ({"limit": 0}, 422, "limit"),
        ({"limit": 201}, 422, "limit"),
        ({"amount_min": -1}, 422, "amount_min"),
        ({"transaction_date_from": "2026-13-01"}, 422, "transaction_date_from"),
        ({"document_type": "memo"}, 422, "document_type"),
        ({"q": "a\x00b"}, 422, "q"),
    ],
)
def test_bad_search_parameters_are_problems(api, library, params, status, field):
    response = api.get("/documents/", params)
    assert response.status_code == status
    assert list(field_errors(response)) == [field]


# ------------------------------------------------------------------ versions
def test_new_version_list_download_and_restore(api, company, admin, folder):
    d = _upload(company, admin, folder, "規程.txt", b"first")
    added = api.upload(
        f"/documents/{d.pk}/versions", {"file": SimpleUploadedFile("規程.txt", b"second"), "comment": "改訂"}
    )
    assert added.status_code == 201
    v2 = DocumentVersion.objects.get(document=d, number=2)
    assert added.json() == version_json(v2)
    assert (v2.comment, v2.size, v2.sha256) == ("改訂", 6, sha256_of(b"second"))

    v1 = DocumentVersion.objects.get(document=d, number=1)
    listed = api.get(f"/documents/{d.pk}/versions")
    assert listed.status_code == 200
    assert listed.json() == [version_json(v2), version_json(v1)]

    download = api.get(f"/documents/{d.pk}/versions/{v1.pk}/download")
    assert download.status_code == 200
    assert download.content == b"first"
    assert download["Content-Type"] == "text/plain"
    assert download["Content-Disposition"] == (
        "attachment; filename=\"__.txt\"; filename*=UTF-8''%E8%A6%8F%E7%A8%8B.txt"
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Length"] == "5"

    restored = api.post(f"/documents/{d.pk}/versions/{v1.pk}/restore")
    assert restored.status_code == 201
    v3 = DocumentVersion.objects.get(document=d, number=3)
    assert restored.json() == version_json(v3, restored_from=1)
    assert v3.comment == "第1版を復元" and v3.sha256 == v1.sha256
    assert api.get(f"/documents/{d.pk}").json()["current_version"]["number"] == 3
    assert verify_company_chain(company.pk) is None


def test_a_pdf_downloads_as_an_attachment_never_inline(api, company, admin, folder):
    d = _upload(company, admin, folder, "contract 2026.pdf", make_pdf())
    response = api.get(f"/documents/{d.pk}/versions/{d.current_version.pk}/download")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"contract 2026.pdf\"; filename*=UTF-8''contract%202026.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_bad_new_version_is_refused_and_nothing_is_written(api, company, admin, folder):
    d = _upload(company, admin, folder, "規程.txt", b"first")
    before = state()
    empty = api.upload(f"/documents/{d.pk}/versions", {"file": SimpleUploadedFile("規程.txt", b"")})
    missing = api.upload(f"/documents/{d.pk}/versions", {"comment": "x"})
    assert (empty.status_code, list(field_errors(empty))) == (400, ["file"])
    assert (missing.status_code, field_errors(missing)) == (422, {"file": ["必須項目です。"]})
    assert state() == before


def test_a_version_of_another_document_is_not_found(api, company, admin, folder):
    a = _upload(company, admin, folder, "a.txt", b"a")
    b = _upload(company, admin, folder, "b.txt", b"b")
    before = state()
    assert api.get(f"/documents/{a.pk}/versions/{b.current_version.pk}/download").status_code == 404
    assert api.post(f"/documents/{a.pk}/versions/{b.current_version.pk}/restore").status_code == 404
    assert state() == before


# ------------------------------------------------------------------ tags, 電子取引
def test_tags_are_replaced(api, company, admin, folder):
    d = _upload(company, admin, folder)
    response = api.put(f"/documents/{d.pk}/tags", {"tags": ["経理", " 2026年11月 ", "経理"]})
    assert response.status_code == 200
    assert response.json() == document_json(d, tags=["2026年11月", "経理"])
    cleared = api.put(f"/documents/{d.pk}/tags", {"tags": []})
    assert cleared.json()["tags"] == []


def test_transaction_metadata_is_set_and_audited(api, company, admin, folder):
    d = _upload(company, admin, folder)
    body = {
        "transaction_date": "2026-06-10",
        "transaction_amount": 132000,
        "counterparty": "株式会社サンプル",
        "document_type": "invoice",
    }
    response = api.put(f"/documents/{d.pk}/transaction-record", body)
    assert response.status_code == 200
    got = response.json()
    assert got == document_json(d)
    assert (got["is_transaction_record"], got["transaction_date"], got["transaction_amount"]) == (
        True,
        "2026-06-10",
        132000,
    )
    assert (got["counterparty"], got["document_type"], got["retention_until"]) == (
        "株式会社サンプル",
        "invoice",
        when(rules.retention_until(transaction_date=date(2026, 6, 10), fiscal_year_start_month=4)),
    )
    assert got["retention_until"] == "2034-05-31"
    ten = api.put(f"/documents/{d.pk}/transaction-record", {**body, "retention_years": 10}).json()
    assert ten["retention_until"] == "2037-05-31"
    event = AuditEvent.objects.filter(object_type="documents.document", action="update").last()
    assert event.changes["fields"] == {"retention_until": ["2034-05-31", "2037-05-31"]}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"counterparty": "  "}, 400, "counterparty"),
        ({"transaction_amount": -1}, 422, "transaction_amount"),
        ({"transaction_amount": 1.5}, 422, "transaction_amount"),
        ({"document_type": "memo"}, 422, "document_type"),
        ({"retention_years": 8}, 422, "retention_years"),
        ({"transaction_date": None}, 422, "transaction_date"),
    ],
)
def test_bad_transaction_metadata_is_refused(api, company, admin, folder, change, status, field):
    d = _upload(company, admin, folder)
    body = {
        "transaction_date": "2026-06-10",
        "transaction_amount": 132000,
        "counterparty": "株式会社サンプル",
        "document_type": "invoice",
        **change,
    }
    before = state()
    response = api.put(f"/documents/{d.pk}/transaction-record", body)
    assert response.status_code == status
    assert list(field_errors(response)) == [field]
    assert state() == before


# ------------------------------------------------------------------ trash
def test_trash_and_restore(api, company, admin, folder):
    d = _upload(company, admin, folder)
    trashed = api.post(f"/documents/{d.pk}/trash")
    assert trashed.status_code == 200
    d.refresh_from_db()
    assert d.trashed_at is not None and d.trashed_by == admin.user
    assert trashed.json() == document_json(d)
    assert api.get("/documents/").json()["count"] == 0
    restored = api.post(f"/documents/{d.pk}/restore")
    assert restored.status_code == 200
    assert restored.json()["trashed_at"] is None
    assert api.get("/documents/").json()["count"] == 1
    actions = list(
        AuditEvent.objects.filter(object_id=str(d.pk), object_type="documents.document").values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "trash", "restore"]


def test_a_transaction_record_under_retention_cannot_be_trashed(api, company, admin, folder):
    d = _upload(company, admin, folder)
    api.put(
        f"/documents/{d.pk}/transaction-record",
        {
            "transaction_date": "2026-06-10",
            "transaction_amount": 1,
            "counterparty": "A社",
            "document_type": "receipt",
        },
    )
    before = state()
    response = api.post(f"/documents/{d.pk}/trash")
    assert response.status_code == 400
    assert response.json()["code"] == "retention"
    assert state() == before


# ------------------------------------------------------------------ permissions
def test_a_member_without_a_share_gets_404_and_with_read_gets_403_on_writes(
    client, company, admin, employee_member, folder
):
    d = _upload(company, admin, folder)
    v = d.current_version
    emp = DocsApi(client, employee_member)
    before = state()
    assert emp.get(f"/documents/{d.pk}").status_code == 404
    assert emp.get(f"/documents/folders/{folder.pk}").status_code == 404
    assert emp.get("/documents/").json()["count"] == 0
    assert emp.get("/documents/folders").json() == []
    assert state() == before

    services.share(
        company=company,
        actor=admin.user,
        membership=admin,
        folder=folder,
        grantee_kind="everyone",
        permission="read",
    )
    before = state()
    assert emp.get(f"/documents/{d.pk}").status_code == 200
    assert emp.get(f"/documents/{d.pk}/versions/{v.pk}/download").content == INVOICE
    refused = [
        emp.upload(f"/documents/{d.pk}/versions", {"file": SimpleUploadedFile("請求書_202611.txt", b"x")}),
        emp.post(f"/documents/{d.pk}/versions/{v.pk}/restore"),
        emp.put(f"/documents/{d.pk}/tags", {"tags": ["x"]}),
        emp.post(f"/documents/{d.pk}/trash"),
        upload(emp, folder, "新しい.txt", b"x"),
        emp.post("/documents/folders", {"name": "下", "parent_id": folder.pk}),
    ]
    assert [r.status_code for r in refused] == [403] * 6
    assert all(r["Content-Type"] == PROBLEM for r in refused)
    assert state() == before


def test_another_companys_token_gets_404_on_every_id_and_writes_nothing(
    client, company, admin, folder, outsider
):
    d = _upload(company, admin, folder)
    v = d.current_version
    them = DocsApi(client, outsider)
    transaction = {
        "transaction_date": "2026-06-10",
        "transaction_amount": 1,
        "counterparty": "A社",
        "document_type": "receipt",
    }
    before = state()
    responses = {
        "folder": them.get(f"/documents/folders/{folder.pk}"),
        "get": them.get(f"/documents/{d.pk}"),
        "versions": them.get(f"/documents/{d.pk}/versions"),
        "add_version": them.upload(
            f"/documents/{d.pk}/versions", {"file": SimpleUploadedFile("a.txt", b"x")}
        ),
        "download": them.get(f"/documents/{d.pk}/versions/{v.pk}/download"),
        "restore_version": them.post(f"/documents/{d.pk}/versions/{v.pk}/restore"),
        "tags": them.put(f"/documents/{d.pk}/tags", {"tags": ["x"]}),
        "transaction": them.put(f"/documents/{d.pk}/transaction-record", transaction),
        "trash": them.post(f"/documents/{d.pk}/trash"),
        "restore": them.post(f"/documents/{d.pk}/restore"),
    }
    assert {k: r.status_code for k, r in responses.items()} == dict.fromkeys(responses, 404)
    assert all(r["Content-Type"] == PROBLEM for r in responses.values())
    # ids in a form, a body or a filter are a 400 on that field
    assert list(field_errors(upload(them, folder, "a.txt", b"x"))) == ["folder_id"]
    assert list(field_errors(them.post("/documents/folders", {"name": "x", "parent_id": folder.pk}))) == [
        "parent_id"
    ]
    assert list(field_errors(them.get("/documents/folders", {"parent_id": folder.pk}))) == ["parent_id"]
    assert list(field_errors(them.get("/documents/", {"folder_id": folder.pk}))) == ["folder_id"]
    assert them.get("/documents/").json()["count"] == 0
    assert state() == before


def test_without_a_token_every_endpoint_is_401(client, company, admin, folder):
    d = _upload(company, admin, folder)
    anon = DocsApi(client)
    assert anon.get("/documents/").status_code == 401
    assert anon.get(f"/documents/{d.pk}/versions/{d.current_version.pk}/download").status_code == 401


# ------------------------------------------------------------------ query counts
@pytest.mark.parametrize("rows", [3, 30])
def test_the_document_list_costs_the_same_queries_for_3_and_30_rows(
    client, company, admin, employee_member, folder, rows, django_assert_num_queries
):
    m = {"company": company, "actor": admin.user, "membership": admin}
    services.share(**m, folder=folder, grantee_kind="everyone", permission="read")
    for i in range(rows):
        d = _upload(company, admin, folder, f"文書{i:02d}.txt", f"本文{i}".encode())
        services.set_tags(**m, document=d, names=["経理", f"t{i}"])
    for membership, queries in ((admin, 5), (employee_member, 10)):
        emp = DocsApi(client, membership)
        with django_assert_num_queries(queries):
            body = emp.get("/documents/", {"limit": 200}).json()
        assert body["count"] == rows and len(body["items"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_folder_and_version_lists_cost_the_same_queries_for_3_and_30_rows(
    client, company, admin, folder, rows, django_assert_num_queries
):
    m = {"company": company, "actor": admin.user, "membership": admin}
    for i in range(rows):
        services.create_folder(**m, name=f"フォルダ{i:02d}", parent=None)
    d = _upload(company, admin, folder, "規程.txt", b"v1")
    for i in range(rows - 1):
        services.add_version(**m, document=d, data=f"v{i + 2}".encode())
    api = DocsApi(client, admin)
    with django_assert_num_queries(3):
        assert len(api.get("/documents/folders").json()) == rows + 1
    with django_assert_num_queries(3):
        assert len(api.get(f"/documents/{d.pk}/versions").json()) == rows


# ------------------------------------------------------------------------------- shares
def test_share_a_folder_and_a_document_then_revoke(api, client, company, admin, hr, folder):
    from django.utils import timezone

    doc = _upload(company, admin, folder, "規程.txt", b"rules")
    r = api.post(
        f"/documents/folders/{folder.pk}/shares",
        {"grantee_kind": "role", "grantee": "hr", "permission": "read"},
    )
    assert r.status_code == 201
    body = r.json()
    assert (
        body["folder_id"],
        body["document_id"],
        body["grantee_kind"],
        body["grantee"],
        body["permission"],
    ) == (folder.pk, None, "role", "hr", "read")
    hr_api = DocsApi(client, hr)
    assert hr_api.get(f"/documents/{doc.pk}").status_code == 200
    assert [s["id"] for s in api.get(f"/documents/folders/{folder.pk}/shares").json()] == [body["id"]]
    assert (
        hr_api.get(f"/documents/folders/{folder.pk}/shares").status_code == 403
    )  # read-only: may not see who else has access
    expires = (timezone.now() + timezone.timedelta(days=3)).isoformat()
    r2 = api.post(
        f"/documents/{doc.pk}/shares",
        {"grantee_kind": "user", "grantee": str(hr.user_id), "permission": "edit", "expires_at": expires},
    )
    assert r2.status_code == 201 and r2.json()["document_id"] == doc.pk
    assert [s["permission"] for s in api.get(f"/documents/{doc.pk}/shares").json()] == ["edit"]
    assert (
        api.client.delete(f"{api.prefix}/documents/shares/{body['id']}", **api._headers()).status_code == 204
    )
    assert not Share.objects.filter(pk=body["id"]).exists()
    assert AuditEvent.objects.filter(company=company, action="unshare").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grantee_kind": "role", "grantee": "nobody"}, "grantee"),
        ({"grantee_kind": "department", "grantee": "999999"}, "grantee"),
        ({"grantee_kind": "user", "grantee": "abc"}, "grantee"),
        ({"grantee_kind": "everyone", "permission": "own"}, "permission"),
        ({"grantee_kind": "planet"}, "grantee_kind"),
        ({"grantee_kind": "everyone", "expires_at": "2000-01-01T00:00:00+09:00"}, "expires_at"),
    ],
)
def test_bad_shares_are_refused_and_nothing_is_written(api, folder, body, field):
    r = api.post(f"/documents/folders/{folder.pk}/shares", body)
    assert r.status_code in (400, 422) and r["Content-Type"] == PROBLEM
    assert field in field_errors(r)
    assert not Share.objects.exists()
