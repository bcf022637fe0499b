"""Documents' writes: a document's name, tags and 電子取引データ record (保存要件, jp-rules.md §7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.text import search_key
from ennoshita.documents import rules
from ennoshita.documents.files import clean_name
from ennoshita.documents.models import (
    Document,
    DocumentTag,
    DocumentType,
    Tag,
)

from .base import _check_edit, _fail, _search_text, _tag_names


@transaction.atomic
def rename_document(
    *, company: Company, actor: User, membership: Membership, document: Document, name: str
) -> Document:
    _check_edit(company, membership, document)
    new = clean_name(name)
    if new.rsplit(".", 1)[-1].lower() != document.name.rsplit(".", 1)[-1].lower():
        raise _fail("name", _("拡張子は変えられません。"))
    if (
        Document.objects.filter(company=company, folder=document.folder, name=new, trashed_at__isnull=True)
        .exclude(pk=document.pk)
        .exists()
    ):
        raise _fail("name", _("同じ名前の文書があります。"))
    before = snapshot(document)
    document.name = new
    document.search_text = _search_text(
        document,
        document.current_version.extracted_text if document.current_version else "",
        _tag_names(document),
    )
    document.save(update_fields=["name", "search_text", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=document,
        before=before,
        after=snapshot(document),
    )
    return document


@transaction.atomic
def set_tags(
    *, company: Company, actor: User, membership: Membership, document: Document, names: list[str]
) -> list[str]:
    _check_edit(company, membership, document)
    clean = sorted({search_key(n)[:50] and n.strip()[:50] for n in names if n.strip()})
    before = sorted(_tag_names(document))
    DocumentTag.objects.filter(document=document).delete()
    for name in clean:
        tag, _created = Tag.objects.get_or_create(company=company, name=name)
        DocumentTag.objects.create(company=company, document=document, tag=tag)
    document.search_text = _search_text(
        document, document.current_version.extracted_text if document.current_version else "", clean
    )
    document.save(update_fields=["search_text"])
    if before != clean:
        record_event(
            company=company,
            actor=actor,
            action="update",
            instance=document,
            before={"tags": before},
            after={"tags": clean},
        )
    return clean


@transaction.atomic
def set_transaction_record(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    document: Document,
    transaction_date: date | None,
    transaction_amount: Decimal | int | None,
    counterparty: str,
    document_type: str,
    retention_years: int = rules.DEFAULT_RETENTION_YEARS,
) -> Document:
    """電子取引データとして保存: 取引年月日・取引金額・取引先 are required (可視性の検索要件, jp-rules.md §7).

    Every later correction is audited with before/after (真実性: 訂正削除の履歴が残るシステム).
    """
    _check_edit(company, membership, document)
    errors: dict[str, list[str]] = {}
    if transaction_date is None:
        errors["transaction_date"] = [_("取引年月日を入力してください。")]
    elif not date(1900, 1, 1) <= transaction_date <= date(2999, 12, 31):
        # the retention period is counted from a fiscal year around the date
        errors["transaction_date"] = [_("日付は1900年から2999年の間で入力してください。")]
    if transaction_amount is None:
        errors["transaction_amount"] = [_("取引金額を入力してください。")]
    elif (
        Decimal(transaction_amount) != Decimal(transaction_amount).to_integral_value()
        or Decimal(transaction_amount) < 0
    ):
        errors["transaction_amount"] = [_("取引金額は0以上の円単位の整数で入力してください。")]
    if not counterparty.strip():
        errors["counterparty"] = [_("取引先を入力してください。")]
    if document_type not in DocumentType.values:
        errors["document_type"] = [_("書類の種類を選んでください。")]
    if retention_years not in (7, 10):
        errors["retention_years"] = [_("保存年数は7年か10年です。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    if transaction_date is None or transaction_amount is None:  # reported above; narrows the types
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation")
    return record_transaction(
        company=company,
        actor=actor,
        document=document,
        transaction_date=transaction_date,
        transaction_amount=transaction_amount,
        counterparty=counterparty,
        document_type=document_type,
        retention_years=retention_years,
    )


def record_transaction(
    *,
    company: Company,
    actor: User,
    document: Document,
    transaction_date: date,
    transaction_amount: Decimal | int,
    counterparty: str,
    document_type: str,
    retention_years: int = rules.DEFAULT_RETENTION_YEARS,
) -> Document:
    """Write the checked 電子取引 record and its retention period (the checks and the access are
    the caller's: set_transaction_record for a person, ``filing`` for another app)."""
    before = snapshot(document)
    document.is_transaction_record = True
    document.transaction_date = transaction_date
    document.transaction_amount = Decimal(transaction_amount)
    document.counterparty = counterparty.strip()[:200]
    document.counterparty_key = search_key(document.counterparty)[:200]
    document.document_type = document_type
    retention = rules.retention_until(
        transaction_date=transaction_date,
        fiscal_year_start_month=company.fiscal_year_start_month,
        years=retention_years,
        # 申告期限の延長 (法人税法75条の2) moves the start of the period (会社の設定)
        filing_months=rules.DEFAULT_FILING_MONTHS + company.filing_extension_months,
    )
    # A correction never shortens a retention period that was already running.
    if document.retention_until is None or retention > document.retention_until:
        document.retention_until = retention
    document.search_text = _search_text(
        document,
        document.current_version.extracted_text if document.current_version else "",
        _tag_names(document),
    )
    document.save(
        update_fields=[
            "is_transaction_record",
            "transaction_date",
            "transaction_amount",
            "counterparty",
            "counterparty_key",
            "document_type",
            "retention_until",
            "search_text",
            "updated_at",
        ]
    )
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=document,
        before=before,
        after=snapshot(document),
    )
    return document
