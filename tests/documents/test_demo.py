"""The demo company's documents: folders, versions, 電子取引 records, shares and the attachment."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import Membership
from ennoshita.documents import selectors
from ennoshita.documents.demo import build_demo_documents
from ennoshita.documents.models import Attachment, Document, Folder, Share
from ennoshita.documents.search import DocumentQuery, search_documents
from ennoshita.documents.storage import verify_blob
from ennoshita.people.management.commands.demo import COMPANY, build_demo
from ennoshita.people.models import Employee


def test_the_demo_company_has_its_documents(db):
    """One build (it takes a few seconds), every check on it."""
    started = time.monotonic()
    company = build_demo()
    seconds = time.monotonic() - started
    for check in (
        check_folders_documents_and_versions,
        check_transaction_records,
        check_shares,
        check_the_attachment,
        check_the_audit_chain_and_a_second_run,
    ):
        check(company, seconds)


def check_folders_documents_and_versions(company, seconds):
    assert company.name == COMPANY
    folders = {
        (f.parent.name if f.parent else None, f.name)
        for f in Folder.objects.for_company(company).select_related("parent")
    }
    # a dispute's files have a folder named by its number (LD-<fiscal year>-NNNN)
    matters = {f for f in folders if f[0] == "法律相談(法務管理)"}
    assert len(matters) == 1 and all(name.startswith("LD-") for _parent, name in matters)
    folders -= matters
    assert folders == {
        (None, "契約書"),
        ("契約書", "雇用契約書"),
        (None, "請求書(受領)"),
        (None, "社内規程"),
        (None, "議事録"),
        ("議事録", "取締役会"),
        ("議事録", "経営会議"),
        (None, "発行済み請求書"),  # the PDFs of the sales demo's 合計請求書
        (None, "経費精算の領収書"),  # the receipts of the expenses demo's claims
        (None, "仕入先請求書"),  # the bills of the purchasing demo
        (None, "振込データ"),  # the 全銀 files of the purchasing demo's payment runs
        (None, "給与振込データ"),  # the 全銀 給与振込 files of the payroll demo's runs
        (None, "退職所得の源泉徴収票"),  # the payroll demo's confirmed 退職金
        (None, "お知らせ添付"),  # the attachments of the affairs demo's announcements
        # the rules of 規程管理 (affairs): the demo's 「社内規程」 is shared with everyone, so the
        # rules app keeps its drafts and versions apart (docs/domains/affairs.md)
        (None, "社内規程(規程管理)"),
        # the files of 法務's contract register: the demo's own 「契約書」 folder is not theirs, so the
        # legal app keeps its drafts apart (docs/domains/legal.md)
        (None, "契約書(法務管理)"),
        # 法務's other parts: minutes of the corporate registry (the demo's 「議事録」 is not
        # theirs), the review drafts that name no contract, a dispute's files (one folder a matter)
        (None, "議事録(法務管理)"),
        (None, "リーガルチェック"),
        (None, "法律相談(法務管理)"),
        # the attachments of the requests demo
        (None, "業務依頼"),
    }
    documents = (
        Document.objects.for_company(company)
        .exclude(
            folder__name__in=[
                "発行済み請求書",
                "経費精算の領収書",
                "仕入先請求書",
                "振込データ",
                "給与振込データ",
                "退職所得の源泉徴収票",
                "お知らせ添付",
                "社内規程(規程管理)",
                "契約書(法務管理)",
                "議事録(法務管理)",
                "リーガルチェック",
                "法律相談(法務管理)",
                "業務依頼",
            ]
        )
        .exclude(folder__parent__name="法律相談(法務管理)")
    )
    assert documents.count() == 21
    assert documents.filter(current_version__content_type="application/pdf").count() == 7
    rules = documents.get(name="就業規則.pdf")
    assert [v.number for v in selectors.versions_of(document=rules)] == [3, 2, 1]
    assert rules.current_version.comment == "育児・介護休業法の改正に対応"
    assert selectors.tags_of(document=rules) == ["人事", "規程"]
    assert all(verify_blob(d.current_version.sha256) for d in documents.select_related("current_version"))
    # the PDFs carry Japanese text that search can find
    assert "テレワーク" in rules.current_version.extracted_text


def check_transaction_records(company, seconds):
    admin = Membership.objects.get(company=company, user__username="admin")
    records = (
        Document.objects.for_company(company)
        .filter(is_transaction_record=True)
        .exclude(
            folder__name__in=[
                "発行済み請求書",
                "経費精算の領収書",
                "仕入先請求書",
                "振込データ",
                "給与振込データ",
                "退職所得の源泉徴収票",
            ]
        )  # other demos
    )
    assert records.count() == 9
    invoice = records.get(name="請求書_みなと商会_2026-10.pdf")
    assert (
        invoice.transaction_date,
        invoice.transaction_amount,
        invoice.counterparty,
        invoice.document_type,
    ) == (
        date(2026, 10, 31),
        Decimal(352000),
        "株式会社みなと商会",
        "invoice",
    )
    assert invoice.current_version.number == 2 and invoice.retention_until == date(2034, 5, 31)
    found = search_documents(
        company=company,
        membership=admin,
        query=DocumentQuery(
            transaction_date_from=date(2026, 10, 1),
            transaction_date_to=date(2026, 10, 31),
            amount_min=Decimal(100000),
            counterparty="みなと",
        ),
    )
    assert [d.name for d in found] == ["請求書_みなと商会_2026-10.pdf"]


def check_shares(company, seconds):
    shares = {
        (s.folder.name, s.grantee_kind, s.grantee, s.permission)
        # folder shares (the affairs demo shares each お知らせ attachment as a document)
        for s in Share.objects.for_company(company).filter(folder__isnull=False).select_related("folder")
    }
    assert ("社内規程", "everyone", "", "read") in shares
    assert ("契約書", "role", "legal", "edit") in shares
    legal = Membership.objects.get(company=company, user__username="legal")
    employee = Membership.objects.get(company=company, user__username="employee")
    contract = Document.objects.for_company(company).get(name="取引基本契約書_株式会社みなと商会.pdf")
    rules = Document.objects.for_company(company).get(name="就業規則.pdf", folder__name="社内規程")
    assert selectors.get_document(company=company, membership=legal, document_id=contract.pk) == contract
    assert selectors.get_document(company=company, membership=employee, document_id=rules.pk) == rules
    visible = {d.name for d in selectors.visible_documents(company=company, membership=employee)}
    assert "取引基本契約書_株式会社みなと商会.pdf" not in visible


def check_the_attachment(company, seconds):
    employee = Employee.objects.for_company(company).get(user__username="employee")
    attachment = Attachment.objects.for_company(company).get(object_type="people.employee")
    assert (attachment.object_type, attachment.object_id) == ("people.employee", str(employee.pk))
    assert attachment.document.name == f"雇用契約書_{employee.full_name.replace(' ', '')}.pdf"
    assert attachment.document.folder.name == "雇用契約書"


def check_the_audit_chain_and_a_second_run(company, seconds):
    assert verify_company_chain(company.pk) is None
    admin = Membership.objects.get(company=company, user__username="admin")
    before = Document.objects.count(), Folder.objects.count(), Share.objects.count()
    build_demo_documents(company=company, admin_membership=admin)
    assert (Document.objects.count(), Folder.objects.count(), Share.objects.count()) == before
    assert verify_company_chain(company.pk) is None


# ------------------------------------------------------------------------------- the PDFs' font
def _fonts_of(data: bytes) -> list[dict]:
    import io

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[0]
    return [f.get_object() for f in page["/Resources"]["/Font"].values()]


def _embedded(font: dict) -> bool:
    """A simple TrueType font carries its descriptor; a Type0 font carries it on its descendant."""
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_demo_pdfs_embed_the_ipa_font_when_it_is_installed():
    import io

    import pytest
    from pypdf import PdfReader

    from ennoshita.documents import demo

    if demo.font_file() is None:
        pytest.skip("no IPA Gothic font file on this machine (fonts-ipafont-gothic)")
    data = demo.pdf("就業規則", ["第30条 テレワーク勤務を認める。", "ｻﾝﾌﾟﾙ ABC 123"])
    fonts = [f for f in _fonts_of(data) if "IPAGothic" in str(f["/BaseFont"])]
    assert fonts and all(_embedded(f) for f in fonts)
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "テレワーク勤務" in text and "就業規則" in text
    assert demo.pdf("就業規則", ["第30条 テレワーク勤務を認める。", "ｻﾝﾌﾟﾙ ABC 123"]) == data  # deterministic


def test_without_a_font_file_the_demo_falls_back_to_the_cid_font(monkeypatch):
    from ennoshita.documents import demo

    monkeypatch.setattr(demo, "FONT_FILES", ("/nonexistent/ipag.ttf",))
    assert demo.font_file() is None
    data = demo.pdf("請求書", ["ご請求金額 132,000円"])
    fonts = [f for f in _fonts_of(data) if "HeiseiKakuGo" in str(f["/BaseFont"])]
    assert fonts and not any(_embedded(f) for f in fonts)
    assert demo.pdf("請求書", ["ご請求金額 132,000円"]) == data
