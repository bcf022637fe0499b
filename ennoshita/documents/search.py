"""Document search: name, tag, folder, uploader, dates, the text inside, and the 電子帳簿保存法 keys.

Every text condition is matched on keys normalised by ``core.text.search_key`` (NFKC, case-folded,
hiragana → katakana), so 請求書, カナ and ｶﾅ find what they should. Each word must match.

This first version matches with ``LIKE`` on the stored key (correct on SQLite and PostgreSQL, any
query length); index-backed matching for large archives replaces the inside of ``_text_filter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc, search_key

from .models import Document
from .selectors import visible_documents


@dataclass(frozen=True)
class DocumentQuery:
    q: str = ""  # words in the name, tags, counterparty or text
    folder_id: int | None = None
    tag: str = ""
    uploader_id: int | None = None
    uploaded_from: date | None = None
    uploaded_to: date | None = None
    # 電子帳簿保存法 可視性: 取引年月日・取引金額 (ranges), 取引先, alone or combined
    transaction_only: bool = False
    transaction_date_from: date | None = None
    transaction_date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    counterparty: str = ""
    document_type: str = ""


def _text_filter(qs: QuerySet[Document], words: list[str]) -> QuerySet[Document]:
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs


def search_documents(*, company: Company, membership: Membership, query: DocumentQuery) -> QuerySet[Document]:
    qs = visible_documents(company=company, membership=membership)
    words = [search_key(w) for w in nfkc(query.q).split() if search_key(w)]
    qs = _text_filter(qs, words)
    if query.folder_id:
        qs = qs.filter(folder_id=query.folder_id)
    if query.tag:
        qs = qs.filter(document_tags__tag__name=query.tag.strip())
    if query.uploader_id:
        qs = qs.filter(created_by_id=query.uploader_id)
    if query.uploaded_from:
        qs = qs.filter(created_at__date__gte=query.uploaded_from)
    if query.uploaded_to:
        qs = qs.filter(created_at__date__lte=query.uploaded_to)
    transaction_terms = Q()
    if query.transaction_date_from:
        transaction_terms &= Q(transaction_date__gte=query.transaction_date_from)
    if query.transaction_date_to:
        transaction_terms &= Q(transaction_date__lte=query.transaction_date_to)
    if query.amount_min is not None:
        transaction_terms &= Q(transaction_amount__gte=query.amount_min)
    if query.amount_max is not None:
        transaction_terms &= Q(transaction_amount__lte=query.amount_max)
    if query.counterparty.strip():
        transaction_terms &= Q(counterparty_key__contains=search_key(query.counterparty))
    if query.document_type:
        transaction_terms &= Q(document_type=query.document_type)
    if query.transaction_only or transaction_terms:
        qs = qs.filter(Q(is_transaction_record=True) & transaction_terms)
    return qs.order_by("-transaction_date", "name") if query.transaction_only else qs.order_by("name")
