"""給与明細 kept as documents: confirming a run files each published payslip's PDF in 文書 (folder
「給与明細」, 経理 and the admin only) by a background job started after the commit, with the
電子帳簿保存法 search keys (pay date, net, the employee); the employee's download serves the filed
bytes; the job is idempotent, and after a failure in the middle the next run files the rest."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from pypdf import PdfReader

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Job
from ennoshita.documents import selectors as document_selectors
from ennoshita.documents.models import Document, Share
from ennoshita.documents.storage import open_blob
from ennoshita.payroll.models import Payslip
from ennoshita.payroll.services import payslip_documents as filing
from ennoshita.payroll.services.confirm import confirm_run

from ..conftest import login, make_member
from .confirm_builders import add_slip, finish, make_org, make_run, person

pytestmark = pytest.mark.django_db

KIND = "ennoshita.payroll.services.payslip_documents.file_payslip_documents_job"


class FullDisk(FileSystemStorage):
    """A disk that fills up after ``room`` more files (what a crash in the middle looks like)."""

    room = 10**9

    def _save(self, name, content):
        if FullDisk.room <= 0:
            raise OSError(28, "No space left on device")
        FullDisk.room -= 1
        return super()._save(name, content)


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.payroll.test_payslip_documents.FullDisk"},
    }
    FullDisk.room = 10**9
    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


@pytest.fixture
def ichiro(org):
    """An employee with a login (role employee only) and the first payslip of the run."""
    member = make_member(org.company, "ichiro", ["employee"], last_name="山田", first_name="一郎")
    employee = person(org, org.sales, "1001", given_name="一郎")
    employee.user = member.user
    employee.save(update_fields=["user"])
    return member, employee


def run_of(org, ichiro, *, n: int = 3, kind: str = "salary"):
    """Ichiro (net 246,820 = 310,000 − 63,180, confirm_builders) and n − 1 colleagues with 1,000
    more base each."""
    run = make_run(org, kind=kind)
    add_slip(run, ichiro[1], department=org.sales)
    for i in range(1, n):
        add_slip(run, person(org, org.sales, f"{1001 + i}"), department=org.sales, base=300_000 + 1_000 * i)
    return finish(run)


def confirm(org, run, capture):
    """Confirm as 経理, then what happens after the commit (the job runs at once in tests)."""
    with capture(execute=True):
        confirm_run(company=org.company, actor=org.accountant.user, membership=org.accountant, run=run)
    run.refresh_from_db()
    return Job.objects.filter(company=org.company, kind=KIND).order_by("pk").last()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def filed_bytes(document: Document) -> bytes:
    return open_blob(document.versions.get(number=1).sha256)


def test_confirming_files_one_document_per_payslip_in_the_restricted_folder(
    org, ichiro, django_capture_on_commit_callbacks
):
    run = run_of(org, ichiro)
    job = confirm(org, run, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"run_id": run.pk, "total": 3, "filed": 3, "already": 0}
    assert (job.done, job.total, job.created_by_id) == (3, 3, org.accountant.user_id)

    slips = list(Payslip.objects.filter(run=run).order_by("employee_number"))
    documents = Document.objects.in_bulk([p.document_id for p in slips])
    assert len(documents) == 3  # one each, none shared
    for slip in slips:
        d = documents[slip.document_id]
        assert d.folder.name == "給与明細" and d.folder.parent_id is None
        assert d.is_transaction_record and d.transaction_date == run.pay_date
        assert d.transaction_amount == slip.net and d.counterparty == slip.employee_name
        assert (
            d.name
            == f"給与明細_{run.pay_date:%Y%m%d}_{slip.employee_number}_山田{slip.employee_name[3:]}_{slip.pk}.pdf"
        )
        assert d.retention_until is not None  # 保存期間 set as for every 電子取引 record
    first = documents[slips[0].document_id]
    assert int(first.transaction_amount) == 246_820
    assert "246820" in first.search_text and "山田一郎" in first.search_text
    text = pdf_text(filed_bytes(first))
    assert "給与明細書" in text and "山田 一郎" in text and "246,820" in text and "下書き" not in text
    # read by 経理 and the admin only (the confirm roles)
    shares = Share.objects.filter(folder=first.folder)
    assert sorted((s.grantee_kind, s.grantee, s.permission) for s in shares) == [
        ("role", "accounting", "read"),
        ("role", "admin", "read"),
    ]
    events = AuditEvent.objects.filter(company=org.company, action="file_document")
    assert sorted(e.object_id for e in events) == sorted(str(p.pk) for p in slips)


def test_search_in_documents_finds_payslips_by_the_search_keys_for_accounting(
    org, ichiro, django_capture_on_commit_callbacks
):
    run = run_of(org, ichiro)
    confirm(org, run, django_capture_on_commit_callbacks)
    seen = document_selectors.visible_documents(company=org.company, membership=org.accountant)
    found = seen.filter(
        transaction_date=run.pay_date, transaction_amount=246_820, counterparty_key__contains="一郎"
    )
    assert [d.pk for d in found] == [Payslip.objects.get(run=run, employee_number="1001").document_id]


def test_a_plain_employee_cannot_see_the_folder_but_downloads_their_filed_pdf(
    client, org, ichiro, django_capture_on_commit_callbacks
):
    run = run_of(org, ichiro)
    confirm(org, run, django_capture_on_commit_callbacks)
    member, employee = ichiro
    mine = Payslip.objects.get(run=run, employee=employee)
    document = Document.objects.get(pk=mine.document_id)
    # 文書: not in their list, the document and the folder are 404 (as for 人事, who is not 経理)
    for who in (member, org.hr):
        assert (
            not document_selectors.visible_documents(company=org.company, membership=who)
            .filter(folder=document.folder)
            .exists()
        )
    login(client, member)
    assert client.get(reverse("documents:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:folder", args=[document.folder_id])).status_code == 404
    # 給与明細: their own PDF is exactly the filed bytes, even after the payslip row changed
    Payslip.objects.filter(pk=mine.pk).update(employee_name="改名 後")
    r = client.get(reverse("payroll:payslip_pdf", args=[mine.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content == filed_bytes(document)
    assert "山田 一郎" in pdf_text(r.content) and "改名" not in pdf_text(r.content)
    # a colleague's filed payslip stays a 404
    other = Payslip.objects.filter(run=run).exclude(pk=mine.pk).first()
    assert client.get(reverse("payroll:payslip_pdf", args=[other.pk])).status_code == 404


def test_the_payslip_screen_links_the_document_for_those_who_may_open_it(
    client, org, ichiro, django_capture_on_commit_callbacks
):
    run = run_of(org, ichiro)
    confirm(org, run, django_capture_on_commit_callbacks)
    slip = Payslip.objects.get(run=run, employee_number="1001")
    url = reverse("payroll:payslip_detail", args=[slip.pk])
    link = reverse("documents:document", args=[slip.document_id])
    for who, shown in ((org.accountant, True), (org.admin, True), (org.hr, False), (ichiro[0], False)):
        login(client, who)
        r = client.get(url)
        assert r.status_code == 200
        assert (link in r.content.decode()) is shown, who.roles


def test_a_second_job_run_files_nothing_new(org, ichiro, django_capture_on_commit_callbacks):
    run = run_of(org, ichiro)
    confirm(org, run, django_capture_on_commit_callbacks)
    before = {p.pk: p.document_id for p in Payslip.objects.filter(run=run)}
    count, events = Document.objects.count(), AuditEvent.objects.count()
    job = filing.start_filing_job(company=org.company, actor=org.admin.user, membership=org.admin, run=run)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"run_id": run.pk, "total": 3, "filed": 0, "already": 3}
    assert Document.objects.count() == count and AuditEvent.objects.count() == events
    assert {p.pk: p.document_id for p in Payslip.objects.filter(run=run)} == before


def test_a_failure_in_the_middle_keeps_the_filed_ones_and_the_next_run_completes(
    settings, org, ichiro, django_capture_on_commit_callbacks
):
    settings.PAYROLL_PAYSLIP_FILING_BATCH = 2
    run = run_of(org, ichiro, n=5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm_run(company=org.company, actor=org.accountant.user, membership=org.accountant, run=run)
    run.refresh_from_db()
    FullDisk.room = 3  # the first batch (2 PDFs) fits, the second fails on its 2nd PDF
    for callback in callbacks:
        callback()
    job = Job.objects.get(company=org.company, kind=KIND)
    assert job.status == Job.Status.FAILED and "No space left on device" in job.error
    filed = Payslip.objects.filter(run=run, document_id__isnull=False)
    assert filed.count() == 2  # the failed batch left nothing: no document, no id, no event
    assert Document.objects.filter(folder__name="給与明細").count() == 2
    assert AuditEvent.objects.filter(action="file_document").count() == 2
    kept = {p.pk: p.document_id for p in filed}

    FullDisk.room = 10**9
    again = filing.start_filing_job(
        company=org.company, actor=org.accountant.user, membership=org.accountant, run=run
    )
    again.refresh_from_db()
    assert again.status == Job.Status.SUCCEEDED, again.error
    assert again.result == {"run_id": run.pk, "total": 5, "filed": 3, "already": 2}
    slips = list(Payslip.objects.filter(run=run))
    assert all(p.document_id for p in slips) and len({p.document_id for p in slips}) == 5
    assert {p.pk: p.document_id for p in slips if p.pk in kept} == kept
    assert Document.objects.filter(folder__name="給与明細").count() == 5


def test_a_bonus_run_files_bonus_statements(org, ichiro, django_capture_on_commit_callbacks):
    run = run_of(org, ichiro, n=1, kind="bonus")
    job = confirm(org, run, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.error
    document = Document.objects.get(pk=Payslip.objects.get(run=run).document_id)
    assert document.name.startswith(f"賞与明細_{run.pay_date:%Y%m%d}_1001_")
    assert "賞与明細書" in pdf_text(filed_bytes(document))


def test_only_accounting_and_the_admin_start_it_and_only_for_a_confirmed_run(org, ichiro):
    run = run_of(org, ichiro)
    for who in (org.hr, ichiro[0]):
        with pytest.raises(PermissionDeniedError):
            filing.start_filing_job(company=org.company, actor=who.user, membership=who, run=run)
    with pytest.raises(ServiceError) as refused:
        filing.start_filing_job(company=org.company, actor=org.admin.user, membership=org.admin, run=run)
    assert "確定してから" in refused.value.message
    assert not Job.objects.filter(kind=KIND).exists() and not Document.objects.exists()


def test_the_rerun_button_refuses_hr_and_starts_the_job_for_accounting(
    client, org, ichiro, django_capture_on_commit_callbacks
):
    run = run_of(org, ichiro)
    confirm(org, run, django_capture_on_commit_callbacks)
    url = reverse("payroll:file_payslip_documents", args=[run.pk])
    login(client, org.accountant)
    assert 'id="file-payslips"' in client.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    login(client, org.hr)
    assert client.post(url).status_code == 403
    login(client, org.accountant)
    r = client.post(url)
    job = Job.objects.filter(kind=KIND).order_by("pk").last()
    assert r.status_code == 302 and r.url == reverse("payroll:run_job", args=[job.pk])
    assert Job.objects.filter(kind=KIND).count() == 2
