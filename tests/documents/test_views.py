"""文書 screens: folder browser, upload (form and JSON), document page, downloads, search, trash."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.documents import selectors, services
from ennoshita.documents.models import Document, DocumentVersion, Folder, Share

from ..conftest import make_member
from .conftest import make_pdf

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _upload(company, m, folder, name="請求書_202611.txt", data="請求書 株式会社サンプル".encode()):
    return services.upload_document(
        company=company, actor=m.user, membership=m, folder=folder, name=name, data=data
    )


def _counts() -> tuple[int, int, int]:
    return Document.objects.count(), DocumentVersion.objects.count(), AuditEvent.objects.count()


# ------------------------------------------------------------------------------ folders
def test_home_lists_root_folders_and_creates_one(as_member, admin, folder):
    client = as_member(admin)
    r = client.get(reverse("documents:home"))
    assert r.status_code == 200 and "経理" in r.content.decode()
    r = client.post(reverse("documents:folder_create"), {"name": "契約書"})
    created = Folder.objects.get(name="契約書")
    assert r.status_code == 302 and r["Location"] == reverse("documents:folder", args=[created.pk])
    r = client.post(reverse("documents:folder_create"), {"name": "請求書", "parent": str(created.pk)})
    assert Folder.objects.get(name="請求書").parent == created


def test_duplicate_folder_name_is_a_field_error(as_member, company, admin, folder):
    # (two root folders of the same name are not refused yet: the unique constraint's NULL parent)
    services.create_folder(company=company, actor=admin.user, membership=admin, name="2026年", parent=folder)
    before = Folder.objects.count()
    r = as_member(admin).post(reverse("documents:folder_create"), {"name": "2026年", "parent": folder.pk})
    assert r.status_code == 400 and "同じ名前のフォルダがあります" in r.content.decode()
    assert Folder.objects.count() == before


def test_folder_page_shows_breadcrumb_documents_and_shares(as_member, company, admin, folder):
    sub = services.create_folder(
        company=company, actor=admin.user, membership=admin, name="2026年", parent=folder
    )
    d = _upload(company, admin, sub)
    services.set_tags(company=company, actor=admin.user, membership=admin, document=d, names=["請求"])
    r = as_member(admin).get(reverse("documents:folder", args=[sub.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert reverse("documents:folder", args=[folder.pk]) in html  # breadcrumb to the parent
    assert "請求書_202611.txt" in html and "請求" in html and 'id="share-form"' in html


def test_share_add_and_revoke(as_member, company, admin, hr, folder):
    client = as_member(admin)
    url = reverse("documents:folder_share", args=[folder.pk])
    r = client.post(url, {"grantee_kind": "role", "role": "hr", "permission": "read"})
    assert r.status_code == 302
    share = Share.objects.get(folder=folder)
    assert (share.grantee_kind, share.grantee, share.permission) == ("role", "hr", "read")
    # a missing grantee is an error on its field, nothing written
    r = client.post(url, {"grantee_kind": "user", "permission": "read"})
    assert r.status_code == 400 and Share.objects.count() == 1
    r = client.post(url, {"grantee_kind": "user", "user": str(hr.user_id), "permission": "edit"})
    assert r.status_code == 302 and Share.objects.count() == 2
    page = client.get(reverse("documents:folder", args=[folder.pk])).content.decode()
    assert "個人: 人事 花子" in page and "ロール: 人事" in page
    r = client.post(reverse("documents:share_revoke", args=[share.pk]), {"folder": folder.pk})
    assert r.status_code == 302 and Share.objects.count() == 1


def test_folder_page_query_count_does_not_grow_with_documents(as_member, company, admin, folder):
    client = as_member(admin)
    url = reverse("documents:folder", args=[folder.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        d = _upload(company, admin, folder, f"a{i}.txt", f"a{i}".encode())
        services.set_tags(company=company, actor=admin.user, membership=admin, document=d, names=["x", "y"])
    few = count()
    for i in range(10):
        d = _upload(company, admin, folder, f"b{i}.txt", f"b{i}".encode())
        services.set_tags(company=company, actor=admin.user, membership=admin, document=d, names=[f"t{i}"])
    assert count() == few
    assert few <= 20


# ------------------------------------------------------------------------------ upload
def test_plain_form_uploads_several_files(as_member, admin, folder):
    files = [
        SimpleUploadedFile("議事録.txt", "議事録 第1回".encode()),
        SimpleUploadedFile("見積.pdf", make_pdf(), content_type="application/pdf"),
    ]
    r = as_member(admin).post(reverse("documents:upload", args=[folder.pk]), {"file": files})
    assert r.status_code == 302
    assert set(Document.objects.values_list("name", flat=True)) == {"議事録.txt", "見積.pdf"}


def test_json_endpoint_uploads_one_file_per_request(as_member, admin, folder):
    client = as_member(admin)
    url = reverse("documents:upload", args=[folder.pk])
    for name in ("a.txt", "b.txt"):
        r = client.post(url, {"file": SimpleUploadedFile(name, b"hello " + name.encode())}, **XHR)
        body = r.json()
        doc = Document.objects.get(name=name)
        assert r.status_code == 200 and body == {
            "ok": True,
            "name": name,
            "url": reverse("documents:document", args=[doc.pk]),
        }


def test_bad_file_is_refused_with_a_message_and_nothing_stored(as_member, admin, folder):
    before = _counts()
    r = as_member(admin).post(
        reverse("documents:upload", args=[folder.pk]), {"file": SimpleUploadedFile("x.exe", b"MZ...")}, **XHR
    )
    assert r.status_code == 400 and r.json()["ok"] is False and "登録できません" in r.json()["error"]
    assert _counts() == before


def test_same_name_offers_a_new_version(as_member, company, admin, folder):
    existing = _upload(company, admin, folder, "規程.txt", b"v1")
    client = as_member(admin)
    before = _counts()
    r = client.post(
        reverse("documents:upload", args=[folder.pk]), {"file": SimpleUploadedFile("規程.txt", b"v2")}, **XHR
    )
    body = r.json()
    assert r.status_code == 400 and body["code"] == "name_exists" and "上書きはしません" in body["error"]
    assert body["version_url"] == reverse("documents:version_upload", args=[existing.pk])
    assert _counts() == before
    # "新しい版として登録" posts the same file to the version URL
    r = client.post(body["version_url"], {"file": SimpleUploadedFile("規程.txt", b"v2")}, **XHR)
    assert r.json() == {"ok": True, "url": reverse("documents:document", args=[existing.pk]), "version": 2}
    existing.refresh_from_db()
    assert existing.current_version.number == 2


def test_plain_form_shows_name_exists_on_the_file_field(as_member, company, admin, folder):
    _upload(company, admin, folder, "規程.txt", b"v1")
    r = as_member(admin).post(
        reverse("documents:upload", args=[folder.pk]), {"file": SimpleUploadedFile("規程.txt", b"v2")}
    )
    html = r.content.decode()
    assert r.status_code == 400 and "上書きはしません" in html
    assert "data-name-conflict" in html and "新しい版として登録" in html
    assert DocumentVersion.objects.count() == 1


# ------------------------------------------------------------------------------ permissions
def test_without_a_share_document_and_downloads_are_404(as_member, company, admin, hr, folder):
    d = _upload(company, admin, folder)
    client = as_member(hr)
    before = _counts()
    for name in ("documents:document",):
        assert client.get(reverse(name, args=[d.pk])).status_code == 404
    for name in ("documents:download", "documents:inline", "documents:version_restore"):
        method = client.post if name.endswith("restore") else client.get
        assert method(reverse(name, args=[d.pk, 1])).status_code == 404
    assert client.get(reverse("documents:folder", args=[folder.pk])).status_code == 404
    r = client.post(
        reverse("documents:upload", args=[folder.pk]), {"file": SimpleUploadedFile("z.txt", b"z")}
    )
    assert r.status_code == 404
    assert _counts() == before


def test_read_share_can_read_but_not_change(as_member, company, admin, hr, folder):
    d = _upload(company, admin, folder)
    services.share(
        company=company, actor=admin.user, membership=admin, folder=folder, grantee_kind="role", grantee="hr"
    )
    client = as_member(hr)
    r = client.get(reverse("documents:document", args=[d.pk]))
    assert r.status_code == 200 and 'id="version-form"' not in r.content.decode()
    assert client.get(reverse("documents:download", args=[d.pk, 1])).status_code == 200
    before = _counts()
    r = client.post(reverse("documents:rename", args=[d.pk]), {"name": "別名.txt"})
    assert r.status_code == 403 and _counts() == before


def test_another_companys_document_is_404(as_member, company, admin, folder, outsider):
    d = _upload(company, admin, folder)
    client = as_member(outsider)
    assert client.get(reverse("documents:document", args=[d.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[d.pk, 1])).status_code == 404
    assert client.get(reverse("documents:inline", args=[d.pk, 1])).status_code == 404


# ------------------------------------------------------------------------------ downloads
def test_download_headers_with_japanese_filename(as_member, company, admin, folder):
    d = _upload(company, admin, folder, "請求書.txt", b"hello")
    r = as_member(admin).get(reverse("documents:download", args=[d.pk, 1]))
    assert r.status_code == 200 and r.content == b"hello"
    assert r["Content-Type"] == "text/plain"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.txt" in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"


def test_inline_only_for_previewable_types_and_without_scripts(as_member, company, admin, folder):
    pdf = services.upload_document(
        company=company, actor=admin.user, membership=admin, folder=folder, name="見積.pdf", data=make_pdf()
    )
    text = _upload(company, admin, folder, "メモ.txt", b"<script>alert(1)</script>")
    client = as_member(admin)
    r = client.get(reverse("documents:inline", args=[pdf.pk, 1]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline;")
    assert (
        "default-src 'none'" in r["Content-Security-Policy"]
        and "script-src" not in r["Content-Security-Policy"]
    )
    assert r["X-Content-Type-Options"] == "nosniff" and r["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(reverse("documents:inline", args=[text.pk, 1])).status_code == 404
    page = client.get(reverse("documents:document", args=[pdf.pk])).content.decode()
    assert f'<iframe class="preview" src="{reverse("documents:inline", args=[pdf.pk, 1])}"' in page


def test_unknown_version_is_404(as_member, company, admin, folder):
    d = _upload(company, admin, folder)
    assert as_member(admin).get(reverse("documents:download", args=[d.pk, 9])).status_code == 404


# ------------------------------------------------------------------------------ document page
def test_version_upload_restore_and_compare(as_member, company, admin, folder):
    d = _upload(company, admin, folder, "規程.txt", b"first")
    client = as_member(admin)
    r = client.post(
        reverse("documents:version_upload", args=[d.pk]),
        {"file": SimpleUploadedFile("規程.txt", b"second!"), "comment": "改訂"},
    )
    assert r.status_code == 302
    r = client.post(reverse("documents:version_restore", args=[d.pk, 1]))
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.current_version.number == 3 and d.current_version.restored_from.number == 1
    page = client.get(reverse("documents:document", args=[d.pk]) + "?a=1&b=2").content.decode()
    assert 'id="compare-table"' in page and "改訂" in page and "第1版を復元" in page
    assert 'data-version="3"' in page and "この版を復元" in page


def test_transaction_form_errors_are_on_the_fields(as_member, company, admin, folder):
    d = _upload(company, admin, folder)
    before = _counts()
    r = as_member(admin).post(
        reverse("documents:transaction", args=[d.pk]), {"transaction_amount": "1000", "retention_years": "7"}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "取引年月日を入力してください。" in html and "取引先を入力してください。" in html
    assert "書類の種類を選んでください。" in html
    assert _counts() == before
    d.refresh_from_db()
    assert not d.is_transaction_record


def test_transaction_form_saves_and_shows_the_retention_date(as_member, company, admin, folder):
    d = _upload(company, admin, folder)
    client = as_member(admin)
    r = client.post(
        reverse("documents:transaction", args=[d.pk]),
        {
            "transaction_date": "2026-11-10",
            "transaction_amount": "132000",
            "counterparty": "株式会社サンプル",
            "document_type": "invoice",
            "retention_years": "10",
        },
    )
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.is_transaction_record and d.transaction_amount == Decimal("132000")
    page = client.get(reverse("documents:document", args=[d.pk])).content.decode()
    assert d.retention_until.strftime("%Y-%m-%d") in page


def test_tags_and_rename(as_member, company, admin, folder):
    d = _upload(company, admin, folder, "a.txt", b"a")
    client = as_member(admin)
    assert (
        client.post(reverse("documents:tags", args=[d.pk]), {"tags": "請求, 2026年、経理"}).status_code == 302
    )
    assert selectors.tags_of(document=d) == sorted(["請求", "2026年", "経理"])
    r = client.post(reverse("documents:rename", args=[d.pk]), {"name": "b.pdf"})
    assert r.status_code == 400 and "拡張子は変えられません" in r.content.decode()
    assert client.post(reverse("documents:rename", args=[d.pk]), {"name": "b.txt"}).status_code == 302
    d.refresh_from_db()
    assert d.name == "b.txt"


def test_history_tab_shows_audit_events(as_member, company, admin, folder):
    d = _upload(company, admin, folder)
    page = as_member(admin).get(reverse("documents:document", args=[d.pk])).content.decode()
    assert 'id="history"' in page and "table history" in page


# ------------------------------------------------------------------------------ trash
def test_trash_restore_and_empty(as_member, company, admin, folder):
    d = _upload(company, admin, folder)
    client = as_member(admin)
    assert client.post(reverse("documents:trash_document", args=[d.pk])).status_code == 302
    assert client.get(reverse("documents:document", args=[d.pk])).status_code == 404
    page = client.get(reverse("documents:trash")).content.decode()
    assert d.name in page and "30日" in page and "ゴミ箱を空にする" in page
    assert client.post(reverse("documents:restore", args=[d.pk])).status_code == 302
    d.refresh_from_db()
    assert d.trashed_at is None
    client.post(reverse("documents:trash_document", args=[d.pk]))
    assert client.post(reverse("documents:trash_empty")).status_code == 302
    assert not Document.objects.filter(pk=d.pk).exists()


def test_only_admins_empty_the_trash(as_member, company, hr, folder, admin):
    own = services.create_folder(company=company, actor=hr.user, membership=hr, name="人事", parent=None)
    d = _upload(company, hr, own)
    services.trash_document(company=company, actor=hr.user, membership=hr, document=d)
    client = as_member(hr)
    page = client.get(reverse("documents:trash")).content.decode()
    assert d.name in page and "ゴミ箱を空にする" not in page
    assert client.post(reverse("documents:trash_empty")).status_code == 403
    assert Document.objects.filter(pk=d.pk).exists()


def test_transaction_record_cannot_be_trashed_before_retention(as_member, company, admin, folder):
    d = _upload(company, admin, folder)
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        transaction_date=timezone.localdate() - timedelta(days=3),
        transaction_amount=1000,
        counterparty="取引先",
        document_type="invoice",
    )
    r = as_member(admin).post(reverse("documents:trash_document", args=[d.pk]))
    assert r.status_code == 400 and "保存期限" in r.content.decode()
    d.refresh_from_db()
    assert d.trashed_at is None


# ------------------------------------------------------------------------------ search
@pytest.fixture
def invoices(company, admin, folder):
    a = _upload(company, admin, folder, "請求書_A.txt", "請求書 株式会社サンプル".encode())
    b = _upload(company, admin, folder, "メモ.txt", "カナ文字のメモ".encode())
    c = _upload(company, admin, folder, "other.txt", b"nothing")
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=a,
        transaction_date=timezone.localdate().replace(day=1),
        transaction_amount=132000,
        counterparty="株式会社サンプル",
        document_type="invoice",
    )
    return a, b, c


def test_search_in_japanese(as_member, admin, invoices):
    a, b, c = invoices
    client = as_member(admin)
    r = client.get(reverse("documents:search"), {"q": "請求"})
    assert r.status_code == 200 and [d.pk for d in r.context["page_obj"]] == [a.pk]
    r = client.get(reverse("documents:search"), {"q": "ｶﾅ"})
    assert [d.pk for d in r.context["page_obj"]] == [b.pk]
    r = client.get(reverse("documents:search"), {"amount_min": "100000", "counterparty": "サンプル"})
    assert [d.pk for d in r.context["page_obj"]] == [a.pk]


def test_search_form_errors_are_400(as_member, admin, invoices):
    r = as_member(admin).get(reverse("documents:search"), {"amount_min": "10", "amount_max": "5"})
    assert r.status_code == 400 and "範囲の終わり" in r.content.decode()


def test_search_export_is_utf8_csv_with_bom(as_member, admin, invoices):
    r = as_member(admin).get(reverse("documents:search_export"), {"q": "請求"})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    assert "請求書_A.txt" in text and "132000" in text and "管理 一郎" in text and "メモ.txt" not in text


def test_search_page_query_count_does_not_grow_with_results(as_member, company, admin, folder):
    client = as_member(admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("documents:search"), {"q": "請求"}).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        d = _upload(company, admin, folder, f"請求{i}.txt", f"請求 {i}".encode())
        services.set_tags(company=company, actor=admin.user, membership=admin, document=d, names=["x"])
    few = count()
    for i in range(2, 14):
        d = _upload(company, admin, folder, f"請求{i}.txt", f"請求 {i}".encode())
        services.set_tags(company=company, actor=admin.user, membership=admin, document=d, names=[f"t{i}"])
    assert count() == few
    assert few <= 20


def test_navigation_lists_the_documents_group(as_member, company, folder):
    member = make_member(
        company, "assist1", ["assistant"], expires_on=timezone.localdate() + timedelta(days=5)
    )
    page = as_member(member).get(reverse("documents:home")).content.decode()
    assert 'data-group="docs"' in page and reverse("documents:search") in page


def test_a_department_is_chosen_by_name_and_listed_by_name(company, admin, hr, as_member, tmp_path):
    from ennoshita.documents import services as doc_services
    from ennoshita.documents.models import Share

    from ..conftest import make_department

    dept = make_department(company, hr, code="210", name="経理部")
    folder = doc_services.create_folder(
        company=company, actor=admin.user, membership=admin, name="共有テスト", parent=None
    )
    client = as_member(admin)
    page = client.get(f"/documents/folders/{folder.pk}/").content.decode()
    assert f'<option value="{dept.pk}">210 経理部</option>' in page
    bad = client.post(
        f"/documents/folders/{folder.pk}/share/",
        {"grantee_kind": "department", "department": "999999", "permission": "read"},
    )
    assert bad.status_code == 400 and not Share.objects.exists()
    ok = client.post(
        f"/documents/folders/{folder.pk}/share/",
        {"grantee_kind": "department", "department": str(dept.pk), "permission": "read"},
    )
    assert ok.status_code == 302
    assert "部署: 210 経理部" in client.get(f"/documents/folders/{folder.pk}/").content.decode()


def test_share_one_document_from_its_page(company, admin, hr, as_member):
    from ennoshita.documents import services as doc_services
    from ennoshita.documents.models import Share

    folder = doc_services.create_folder(
        company=company, actor=admin.user, membership=admin, name="人事", parent=None
    )
    doc = doc_services.upload_document(
        company=company, actor=admin.user, membership=admin, folder=folder, name="評価表.txt", data=b"x"
    )
    client = as_member(admin)
    assert 'data-tab="sharing"' in client.get(f"/documents/{doc.pk}/").content.decode()
    r = client.post(
        f"/documents/{doc.pk}/share/", {"grantee_kind": "role", "role": "hr", "permission": "read"}
    )
    assert r.status_code == 302 and r["Location"].endswith("#sharing")
    share = Share.objects.get()
    assert (share.document_id, share.folder_id, share.grantee) == (doc.pk, None, "hr")
    page = as_member(hr).get(f"/documents/{doc.pk}/")
    assert page.status_code == 200 and 'data-tab="sharing"' not in page.content.decode()  # read only
    client = as_member(admin)
    bad = client.post(
        f"/documents/{doc.pk}/share/", {"grantee_kind": "role", "role": "", "permission": "read"}
    )
    assert bad.status_code == 400 and Share.objects.count() == 1
    back = client.post(f"/documents/shares/{share.pk}/revoke/", {"document": doc.pk})
    assert back["Location"].endswith(f"/documents/{doc.pk}/#sharing") and not Share.objects.exists()


def test_amounts_are_shown_as_yen(as_member, admin, invoices):
    page = as_member(admin).get(reverse("documents:search"), {"transaction_only": "on"}).content.decode()
    assert "¥132,000" in page
