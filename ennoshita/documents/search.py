"""Document search: name, tag, folder, uploader, dates, the text inside, and the 電子帳簿保存法 keys.

A folder condition takes the folder and all its sub-folders (their ids computed once from the
folder tree, then one ``IN``), or only the folder itself with ``include_subfolders=False``. A tag
condition picks the tags whose name equals the query after the same folding as the text (so ＮＤＡ
finds the tag nda and ｹｲﾔｸｼｮ finds ケイヤクショ), then the documents carrying any of them.

Every text condition is matched on keys normalised by ``core.text.search_key`` (NFKC, case-folded,
hiragana → katakana), so 請求書, カナ and ｶﾅ find what they should. Each word must match.

Matching is index-backed for words of 3+ characters and a plain scan of the stored key for shorter
ones; the results are exactly those of ``search_text LIKE '%word%'`` for every word (the first,
index-free version), on both databases:

- SQLite: the FTS5 ``trigram`` table ``documents_document_fts`` (migration 0002, kept in step by
  triggers) answers ``MATCH '"word"'`` for 3+ characters, all such words in one ``MATCH``. Shorter
  words use ``instr(search_text, word) > 0``: SQLite 3.40 returns no rows for 1–2 character
  non-ASCII patterns on a trigram table, and a trigram index cannot help them anyway.
- PostgreSQL: ``search_text LIKE '%word%'`` is answered by the ``pg_trgm`` GIN index for 3+
  characters (a sequential scan if the extension could not be installed); shorter words use
  ``strpos(search_text, word) > 0``, a sequential scan that the planner cannot mistake for an index
  job (a trigram index has nothing to look up for them).

The stored key and the query are both ``search_key`` output (NFKC, case-folded, katakana, no
spaces), so exact substring matching is the same as the first version's ``LIKE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connections
from django.db.models import Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc, search_key

from .models import Document, DocumentTag
from .selectors import folder_and_descendant_ids, tag_ids_matching, visible_documents


@dataclass(frozen=True)
class DocumentQuery:
    q: str = ""  # words in the name, tags, counterparty or text
    folder_id: int | None = None
    include_subfolders: bool = True  # the folder and everything below it; False: the folder itself
    tag: str = ""  # a tag name, matched after search folding (selectors.tag_ids_matching)
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


FTS_TABLE = "documents_document_fts"
TRIGRAM = 3  # shortest word an index of trigrams can answer


def fts5_phrase(word: str) -> str:
    """One word as an FTS5 string: everything inside double quotes is literal (AND, NEAR, *, -, (,
    :, ^ …); a double quote is written twice."""
    return '"' + word.replace('"', '""') + '"'


def _text_filter(qs: QuerySet[Document], words: list[str]) -> QuerySet[Document]:
    long_words = [w for w in words if len(w) >= TRIGRAM]
    short_words = [w for w in words if len(w) < TRIGRAM]
    if long_words:
        if connections[qs.db].vendor == "sqlite":
            match = " AND ".join(fts5_phrase(w) for w in long_words)
            qs = qs.filter(
                # the words travel as one bound parameter, quoted as FTS5 strings above
                pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608,S611
            )
        else:
            for word in long_words:
                qs = qs.filter(search_text__contains=word)
    for word in short_words:
        qs = qs.filter(GreaterThan(StrIndex("search_text", Value(word)), 0))
    return qs


def ensure_sqlite_search_index(using: str = "default") -> bool:
    """Put back the FTS triggers if a table rebuild dropped them, and refill the index.

    Django alters a SQLite table by creating a new one, copying the rows and dropping the old one,
    which drops the triggers with it. Runs after every ``migrate`` (apps.py). Returns True when
    something had to be repaired.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    from importlib import import_module

    mig = import_module("ennoshita.documents.migrations.0002_search_indexes")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cur.fetchall()}
        if FTS_TABLE not in present or set(mig.SQLITE_TRIGGER_NAMES) <= present:
            return False
        for sql in mig.SQLITE_TRIGGERS:
            cur.execute(sql)
        cur.execute(mig.SQLITE_REBUILD)
    return True


def search_documents(*, company: Company, membership: Membership, query: DocumentQuery) -> QuerySet[Document]:
    qs = visible_documents(company=company, membership=membership)
    words = [search_key(w) for w in nfkc(query.q).split() if search_key(w)]
    qs = _text_filter(qs, words)
    if query.folder_id:
        if query.include_subfolders:
            qs = qs.filter(
                folder_id__in=folder_and_descendant_ids(company=company, folder_id=query.folder_id)
            )
        else:
            qs = qs.filter(folder_id=query.folder_id)
    if query.tag.strip():
        tagged = DocumentTag.objects.filter(tag_id__in=tag_ids_matching(company=company, name=query.tag))
        qs = qs.filter(pk__in=tagged.values("document_id"))
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
