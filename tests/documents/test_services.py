"""Documents: versions are kept, names never overwritten, 電子取引 records kept, access by shares."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents import selectors, services
from ennoshita.documents.models import Document, DocumentVersion
from ennoshita.documents.storage import blob_path, blob_storage, open_blob, sha256_of

from ..conftest import make_department, make_employee, make_member
from .conftest import make_pdf


def _upload(company, m, folder, name="請求書_202611.txt", data="請求書 株式会社サンプル 132,000円".encode()):
    return services.upload_document(
        company=company, actor=m.user, membership=m, folder=folder, name=name, data=data
    )


def test_upload_stores_the_bytes_once_by_content(company, admin, folder):
    d1 = _upload(company, admin, folder, "a.txt", b"same bytes")
    d2 = _upload(company, admin, folder, "b.txt", b"same bytes")
    sha = sha256_of(b"same bytes")
    assert d1.current_version.sha256 == d2.current_version.sha256 == sha
    assert blob_storage().exists(blob_path(sha)) and open_blob(sha) == b"same bytes"
    assert d1.current_version.size == 10 and d1.current_version.content_type == "text/plain"


def test_same_name_is_never_overwritten(company, admin, folder):
    _upload(company, admin, folder, "規程.txt", b"v1")
    with pytest.raises(ServiceError) as err:
        _upload(company, admin, folder, "規程.txt", b"v2")
    assert err.value.code == "name_exists" and "file" in err.value.field_errors
    assert Document.objects.filter(name="規程.txt").count() == 1


def test_every_version_is_kept_and_an_old_one_can_be_restored(company, admin, folder):
    d = _upload(company, admin, folder, "規程.txt", b"first")
    services.add_version(
        company=company, actor=admin.user, membership=admin, document=d, data=b"second", comment="改訂"
    )
    v1 = selectors.get_version(document=d, number=1)
    v3 = services.restore_version(company=company, actor=admin.user, membership=admin, document=d, version=v1)
    d.refresh_from_db()
    assert [v.number for v in selectors.versions_of(document=d)] == [3, 2, 1]
    assert d.current_version == v3 and v3.restored_from == v1 and open_blob(v3.sha256) == b"first"
    assert open_blob(selectors.get_version(document=d, number=2).sha256) == b"second"
    actions = list(
        AuditEvent.objects.filter(object_type="documents.document", object_id=str(d.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "new_version", "restore_version"]
    assert verify_company_chain(company.pk) is None


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.txt", b"", "空のファイル"),
        ("virus.exe", b"MZ\x90\x00", "登録できません"),
        ("script.txt", b"#!/bin/sh\nrm -rf /", "実行ファイル"),
        ("page.html", b"<script>alert(1)</script>", "登録できません"),
        ("../../etc/passwd.txt", b"x", "使えない文字"),
        ("名前\x07.txt", b"x", "使えない文字"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF として読めません"),
        ("fake.pdf", b"hello", "PDF として読めません"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(company, admin, folder, name, data, fragment):
    with pytest.raises(ServiceError) as err:
        _upload(company, admin, folder, name, data)
    assert fragment in err.value.field_errors["file"][0]
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0


def test_files_over_the_limit_are_refused(company, admin, folder, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ServiceError) as err:
        _upload(company, admin, folder, "big.txt", b"x" * 11)
    assert "大きすぎます" in err.value.field_errors["file"][0]


def test_a_valid_pdf_is_accepted(company, admin, folder):
    d = _upload(company, admin, folder, "契約書.pdf", make_pdf())
    assert d.current_version.content_type == "application/pdf"


def test_text_is_extracted_for_search(company, admin, folder):
    d = _upload(company, admin, folder, "memo.txt", "議事録 ｶﾅ".encode("cp932"))
    assert "議事録" in d.current_version.extracted_text
    assert "カナ" in d.search_text  # NFKC: half-width kana is stored full width


def test_transaction_record_needs_the_three_search_keys(company, admin, folder):
    d = _upload(company, admin, folder)
    with pytest.raises(ServiceError) as err:
        services.set_transaction_record(
            company=company,
            actor=admin.user,
            membership=admin,
            document=d,
            transaction_date=None,
            transaction_amount=Decimal("10.5"),
            counterparty=" ",
            document_type="x",
        )
    assert set(err.value.field_errors) == {
        "transaction_date",
        "transaction_amount",
        "counterparty",
        "document_type",
    }


def test_transaction_record_is_kept_until_its_retention_date(company, admin, folder):
    d = _upload(company, admin, folder)
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        transaction_date=date(2026, 6, 10),
        transaction_amount=132000,
        counterparty="株式会社サンプル",
        document_type="invoice",
    )
    assert d.retention_until == date(2034, 5, 31)  # 2026年度 ends 2027-03-31, filed by 05-31, +7 years
    with pytest.raises(ServiceError) as err:
        services.trash_document(company=company, actor=admin.user, membership=admin, document=d)
    assert err.value.code == "retention"
    # a correction is recorded with before/after (訂正削除の履歴)
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        transaction_date=date(2026, 6, 10),
        transaction_amount=133000,
        counterparty="株式会社サンプル",
        document_type="invoice",
    )
    ev = AuditEvent.objects.filter(object_type="documents.document", object_id=str(d.pk)).last()
    assert ev.changes["fields"]["transaction_amount"] == ["132000", "133000"]


def test_trash_restore_and_empty(company, admin, folder):
    d = _upload(company, admin, folder)
    services.trash_document(company=company, actor=admin.user, membership=admin, document=d)
    assert not selectors.visible_documents(company=company, membership=admin).exists()
    services.restore_document(company=company, actor=admin.user, membership=admin, document=d)
    assert selectors.visible_documents(company=company, membership=admin).count() == 1
    services.trash_document(company=company, actor=admin.user, membership=admin, document=d)
    assert services.empty_trash(company=company, actor=admin.user, membership=admin, older_than_days=30) == 0
    assert services.empty_trash(company=company, actor=admin.user, membership=admin) == 1
    assert not Document.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="documents.document", object_id=str(d.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "trash", "restore", "trash", "delete"]


def test_only_admins_empty_the_trash(company, hr, folder):
    with pytest.raises(PermissionDeniedError):
        services.empty_trash(company=company, actor=hr.user, membership=hr)


def test_a_folder_is_private_until_shared(company, admin, hr, folder):
    d = _upload(company, admin, folder)
    assert not selectors.visible_documents(company=company, membership=hr).exists()
    with pytest.raises(NotFound):
        selectors.get_document(company=company, membership=hr, document_id=d.pk)
    services.share(
        company=company, actor=admin.user, membership=admin, folder=folder, grantee_kind="role", grantee="hr"
    )
    assert selectors.get_document(company=company, membership=hr, document_id=d.pk) == d
    with pytest.raises(PermissionDeniedError):
        services.add_version(company=company, actor=hr.user, membership=hr, document=d, data=b"x")


def test_a_department_share_reaches_its_sub_departments(company, admin, hr, folder):
    top = make_department(company, hr, code="200", name="管理本部")
    sub = make_department(company, hr, code="210", name="経理部", parent=top)
    m = make_member(company, "keiri", ["accounting"])
    make_employee(company, hr, sub, number="K1", user=m.user)
    _upload(company, admin, folder)
    assert not selectors.visible_documents(company=company, membership=m).exists()
    services.share(
        company=company,
        actor=admin.user,
        membership=admin,
        folder=folder,
        grantee_kind="department",
        grantee=str(top.pk),
        permission="edit",
    )
    assert selectors.visible_documents(company=company, membership=m).count() == 1


def test_assistant_shares_expire(company, admin, folder):
    helper = make_member(
        company, "outside", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30)
    )
    d = _upload(company, admin, folder)
    with pytest.raises(ServiceError) as err:
        services.share(
            company=company,
            actor=admin.user,
            membership=admin,
            document=d,
            grantee_kind="user",
            grantee=str(helper.user_id),
        )
    assert "expires_at" in err.value.field_errors
    s = services.share(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        grantee_kind="user",
        grantee=str(helper.user_id),
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert selectors.get_document(company=company, membership=helper, document_id=d.pk) == d
    from ennoshita.documents.models import Share

    Share.objects.filter(pk=s.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        selectors.get_document(company=company, membership=helper, document_id=d.pk)


def test_everyone_shares_do_not_reach_the_outside_team(company, admin, folder):
    helper = make_member(
        company, "outside", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30)
    )
    _upload(company, admin, folder)
    services.share(
        company=company, actor=admin.user, membership=admin, folder=folder, grantee_kind="everyone"
    )
    assert not selectors.visible_documents(company=company, membership=helper).exists()


def test_another_companys_document_is_not_found(company, admin, folder, outsider):
    d = _upload(company, admin, folder)
    with pytest.raises(NotFound):
        selectors.get_document(company=outsider.company, membership=outsider, document_id=d.pk)
    with pytest.raises(NotFound):
        services.add_version(
            company=outsider.company, actor=outsider.user, membership=outsider, document=d, data=b"x"
        )


def test_attachments_link_documents_to_records(company, admin, hr, department, folder):
    e = make_employee(company, hr, department)
    d = _upload(company, admin, folder, "雇用契約書.txt", b"contract")
    services.attach(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        object_type="people.employee",
        object_id=str(e.pk),
    )
    rows = selectors.attachments_for(
        company=company, membership=admin, object_type="people.employee", object_id=str(e.pk)
    )
    assert [(r.name, r.version, r.object_repr) for r in rows] == [("雇用契約書.txt", 1, e.full_name)]
    assert [
        (a.object_type, a.object_id, a.object_repr)
        for a in selectors.attachments_of_document(company=company, membership=admin, document=d)
    ] == [("people.employee", str(e.pk), e.full_name)]
    assert (
        selectors.attachments_for(
            company=company, membership=hr, object_type="people.employee", object_id=str(e.pk)
        )
        == []
    )


def test_search_by_text_in_japanese_and_by_denchoho_keys(company, admin, folder):
    from ennoshita.documents.search import DocumentQuery, search_documents

    a = _upload(company, admin, folder, "a.txt", "御請求書 ｶﾌﾞｼｷｶﾞｲｼｬ".encode())
    b = _upload(company, admin, folder, "b.txt", "領収書".encode())
    for d, day, amount, who in (
        (a, date(2026, 4, 10), 132000, "株式会社サンプル"),
        (b, date(2026, 5, 1), 5500, "文具店"),
    ):
        services.set_transaction_record(
            company=company,
            actor=admin.user,
            membership=admin,
            document=d,
            transaction_date=day,
            transaction_amount=amount,
            counterparty=who,
            document_type="invoice",
        )
    find = lambda **kw: [
        d.name for d in search_documents(company=company, membership=admin, query=DocumentQuery(**kw))
    ]
    assert find(q="請求書") == ["a.txt"]
    assert find(q="請求") == ["a.txt"]  # two characters
    assert find(q="カブシキガイシャ") == ["a.txt"]
    assert find(transaction_date_from=date(2026, 4, 1), transaction_date_to=date(2026, 4, 30)) == ["a.txt"]
    assert find(amount_min=Decimal(1000), amount_max=Decimal(10000)) == ["b.txt"]
    assert find(counterparty="ｻﾝﾌﾟﾙ") == ["a.txt"]
    assert find(counterparty="サンプル", amount_min=Decimal(200000)) == []


def test_the_daily_job_deletes_only_what_is_older_than_30_days(company, admin, folder):
    from django.core.management import call_command

    from ennoshita.documents.models import Document as Doc

    old = _upload(company, admin, folder, "old.txt", b"old")
    new = _upload(company, admin, folder, "new.txt", b"new")
    for d in (old, new):
        services.trash_document(company=company, actor=admin.user, membership=admin, document=d)
    Doc.objects.filter(pk=old.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    call_command("purge_trash")
    call_command("purge_trash")  # idempotent
    assert list(Doc.objects.values_list("name", flat=True)) == ["new.txt"]
    ev = AuditEvent.objects.filter(
        object_type="documents.document", object_id=str(old.pk), action="delete"
    ).get()
    assert ev.actor_id is None and ev.actor_label == "job:purge_trash"
    assert verify_company_chain(company.pk) is None


def test_two_root_folders_cannot_share_a_name(company, admin, folder):
    with pytest.raises(ServiceError) as err:
        services.create_folder(company=company, actor=admin.user, membership=admin, name="経理", parent=None)
    assert "name" in err.value.field_errors


def test_a_folder_name_with_a_slash_is_reported_on_the_name(company, admin):
    with pytest.raises(ServiceError) as err:
        services.create_folder(company=company, actor=admin.user, membership=admin, name="a/b", parent=None)
    assert "使えない文字" in err.value.field_errors["name"][0]


def test_a_stale_copy_does_not_roll_back_the_current_version(company, admin, folder):
    d = _upload(company, admin, folder, "x.txt", b"one")
    stale = Document.objects.get(pk=d.pk)
    services.add_version(company=company, actor=admin.user, membership=admin, document=d, data=b"two")
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=stale,
        transaction_date=date(2026, 4, 1),
        transaction_amount=1,
        counterparty="A",
        document_type="receipt",
    )
    assert Document.objects.get(pk=d.pk).current_version.number == 2


def test_a_new_version_keeps_the_documents_file_type(company, admin, folder):
    d = _upload(company, admin, folder, "規程.txt", b"v1")
    with pytest.raises(ServiceError) as err:
        services.add_version(
            company=company, actor=admin.user, membership=admin, document=d, data=make_pdf(), name="規程.pdf"
        )
    assert ".txt" in err.value.field_errors["file"][0]
    assert d.versions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_purging_removes_bytes_no_version_uses_any_more(company, admin, folder):
    keep = _upload(company, admin, folder, "keep.txt", b"shared bytes")
    gone = _upload(company, admin, folder, "gone.txt", b"shared bytes")
    services.add_version(
        company=company, actor=admin.user, membership=admin, document=gone, data=b"only mine"
    )
    services.trash_document(company=company, actor=admin.user, membership=admin, document=gone)
    services.empty_trash(company=company, actor=admin.user, membership=admin)
    storage = blob_storage()
    assert storage.exists(blob_path(sha256_of(b"shared bytes")))  # still used by keep.txt
    assert not storage.exists(blob_path(sha256_of(b"only mine")))
    assert open_blob(keep.current_version.sha256) == b"shared bytes"


def test_deletion_is_not_offered_while_the_record_must_be_kept(company, admin, folder, as_member):
    d = _upload(company, admin, folder)
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        transaction_date=timezone.localdate(),
        transaction_amount=1000,
        counterparty="株式会社サンプル",
        document_type="receipt",
    )
    html = as_member(admin).get(f"/documents/{d.pk}/").content.decode()
    assert "data-retention" in html and "ゴミ箱に移動</button>" not in html


def test_the_filing_extension_of_the_company_moves_the_retention_date(company, admin, folder):
    company.filing_extension_months = 1  # 申告期限の延長 (会社の設定)
    company.save()
    d = _upload(company, admin, folder)
    services.set_transaction_record(
        company=company,
        actor=admin.user,
        membership=admin,
        document=d,
        transaction_date=date(2026, 6, 10),
        transaction_amount=132000,
        counterparty="株式会社サンプル",
        document_type="invoice",
    )
    # 2026年度 ends 2027-03-31, filed by 06-30 with the 1-month extension, kept 7 years after
    assert d.retention_until == date(2034, 6, 30)


def test_a_transaction_date_outside_1900_2999_is_refused_not_a_crash(company, admin, folder):
    d = _upload(company, admin, folder)
    with pytest.raises(ServiceError) as err:
        services.set_transaction_record(
            company=company,
            actor=admin.user,
            membership=admin,
            document=d,
            transaction_date=date(1, 1, 1),
            transaction_amount=100,
            counterparty="株式会社サンプル",
            document_type="invoice",
        )
    assert "transaction_date" in err.value.field_errors
