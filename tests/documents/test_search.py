"""Document search on its indexes (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) returns exactly
what the plain substring match returns: every kind of word, updates, trash, permissions and the
電子帳簿保存法 keys. Runs on both databases (DATABASE_URL=postgres://… for PostgreSQL)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection

from ennoshita.core.text import nfkc, search_key
from ennoshita.documents import search, services
from ennoshita.documents.models import Document
from ennoshita.documents.search import DocumentQuery, search_documents

from ..conftest import make_member

mig = import_module("ennoshita.documents.migrations.0002_search_indexes")
DENCHOHO = ["document_denchoho_live_idx", "document_denchoho_cp_idx", "document_live_name_idx"]

TEXTS = {
    "a.txt": "御請求書 株式会社サンプル 請求番号 INV-2026-001 合計 132,000円",
    "b.txt": "領収書 ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ 文具代として",
    "c.txt": "業務委託契約書 かぶしきがいしゃ さんぷる 甲乙",
    "d.txt": 'say "hello" (NEAR) AND foo* -bar: ^x {col} OR',
    "e.txt": "請求のお知らせ",
    "f.txt": "ＩＮＶ－２０２６－００２ 全角の英数字",
}


def _upload(company, m, folder, name, text):
    return services.upload_document(
        company=company, actor=m.user, membership=m, folder=folder, name=name, data=text.encode()
    )


def find(company, m, **kw) -> list[str]:
    return [d.name for d in search_documents(company=company, membership=m, query=DocumentQuery(**kw))]


def reference(company, m, q: str) -> list[str]:
    """The first implementation: every word as ``search_text LIKE '%word%'`` over what m may read."""
    from ennoshita.documents.selectors import visible_documents

    qs = visible_documents(company=company, membership=m)
    for word in [search_key(w) for w in nfkc(q).split() if search_key(w)]:
        qs = qs.filter(search_text__contains=word)
    return [d.name for d in qs.order_by("name")]


@pytest.fixture
def docs(company, admin, folder):
    return {name: _upload(company, admin, folder, name, text) for name, text in TEXTS.items()}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("請求書", ["a.txt"]),  # 3+ characters: the index
        ("請求", ["a.txt", "e.txt"]),  # 2 characters: SQLite's trigram LIKE bug must not hide them
        ("求", ["a.txt", "e.txt"]),  # 1 character
        ("領", ["b.txt"]),
        ("ｶﾌﾞｼｷ", ["b.txt", "c.txt"]),  # half-width query, half-width and hiragana text
        ("カブシキガイシャ", ["b.txt", "c.txt"]),  # full-width query finds half-width text
        ("かぶしきがいしゃ", ["b.txt", "c.txt"]),  # hiragana folds to katakana
        ("ｻﾝﾌﾟﾙ", ["a.txt", "c.txt"]),  # half-width query finds full-width and hiragana text
        ("INV-2026", ["a.txt", "f.txt"]),  # mixed ASCII; full-width ＩＮＶ－２０２６ in f
        ("inv-2026-001", ["a.txt"]),  # case-folded
        ("ＩＮＶ－２０２６－００２", ["f.txt"]),
        ("INV-2026 合計", ["a.txt"]),  # every word must match
        ("請求 INV", ["a.txt"]),  # a short and a long word together
        ("INV-2026 文具", []),
        ("txt", sorted(TEXTS)),  # the name is searched too
        ("存在しない言葉", []),
    ],
)
def test_text_search(company, admin, docs, q, expected):
    assert find(company, admin, q=q) == expected
    assert expected == reference(company, admin, q)


@pytest.mark.parametrize(
    "q",
    [
        '"hello"',
        '"',
        '""',
        "(NEAR)",
        "NEAR(",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "foo*",
        "*",
        "-bar:",
        "-",
        "^x",
        "{col}",
        "col:",
        'a"b',
        "say AND",
        "%",
        "_",
        "\\",
    ],
)
def test_fts5_syntax_in_a_word_is_literal(company, admin, docs, q):
    got = find(company, admin, q=q)  # never an FTS5 syntax error
    assert got == reference(company, admin, q)
    if q in {'"hello"', "(NEAR)", "foo*", "-bar:", "^x", "{col}", "say AND", "AND", "NEAR", "OR"}:
        assert got == ["d.txt"]
    if q in {"NEAR(", 'a"b', "%", "_", "\\", "NOT", '""'}:
        assert got == []


def test_search_follows_versions_renames_and_tags(company, admin, folder):
    d = _upload(company, admin, folder, "見積.txt", "見積書 旧版の本文 アルファ")
    assert find(company, admin, q="アルファ") == ["見積.txt"]
    services.add_version(
        company=company, actor=admin.user, membership=admin, document=d, data="見積書 改訂版 ベータ".encode()
    )
    assert find(company, admin, q="アルファ") == []  # the old version's text no longer matches
    assert find(company, admin, q="ベータ") == ["見積.txt"]
    assert find(company, admin, q="旧版") == []  # 2 characters, the old text is gone too
    d.refresh_from_db()
    services.rename_document(
        company=company, actor=admin.user, membership=admin, document=d, name="御見積.txt"
    )
    assert find(company, admin, q="御見積") == ["御見積.txt"]
    assert find(company, admin, q="見積.txt") == ["御見積.txt"]
    services.set_tags(
        company=company, actor=admin.user, membership=admin, document=d, names=["重要案件", "至急"]
    )
    assert find(company, admin, q="重要案件") == ["御見積.txt"]
    assert find(company, admin, q="至急") == ["御見積.txt"]
    assert find(company, admin, tag="至急") == ["御見積.txt"]
    services.set_tags(company=company, actor=admin.user, membership=admin, document=d, names=["保留"])
    assert find(company, admin, q="重要案件") == []
    assert find(company, admin, q="至急") == []
    assert find(company, admin, q="保留 ベータ") == ["御見積.txt"]


def test_trashed_documents_are_not_found(company, admin, folder, docs):
    services.trash_document(company=company, actor=admin.user, membership=admin, document=docs["a.txt"])
    assert find(company, admin, q="請求書") == []
    assert find(company, admin, q="請求") == ["e.txt"]
    services.restore_document(company=company, actor=admin.user, membership=admin, document=docs["a.txt"])
    assert find(company, admin, q="請求書") == ["a.txt"]


def test_documents_the_user_cannot_read_never_appear(company, admin, hr, folder, docs):
    other = services.create_folder(
        company=company, actor=admin.user, membership=admin, name="人事", parent=None
    )
    _upload(company, admin, other, "g.txt", "請求書 人事の控え")
    for q in ("請求書", "請求", "求", "txt", "INV-2026"):
        assert find(company, hr, q=q) == []
    services.share(
        company=company,
        actor=admin.user,
        membership=admin,
        document=docs["e.txt"],
        grantee_kind="role",
        grantee="hr",
    )
    assert find(company, hr, q="請求") == ["e.txt"]
    assert find(company, hr, q="請求書") == []
    services.share(
        company=company, actor=admin.user, membership=admin, folder=other, grantee_kind="role", grantee="hr"
    )
    assert find(company, hr, q="請求書") == ["g.txt"]
    assert find(company, hr, q="請求") == ["e.txt", "g.txt"]
    assert find(company, admin, q="請求書") == ["a.txt", "g.txt"]
    for q in ("請求書", "請求", "txt", "人事"):
        assert find(company, hr, q=q) == reference(company, hr, q)


def test_another_company_never_appears(company, admin, folder, docs, other_company, outsider):
    there = services.create_folder(
        company=other_company, actor=outsider.user, membership=outsider, name="経理", parent=None
    )
    _upload(other_company, outsider, there, "z.txt", "請求書 よその会社")
    assert find(company, admin, q="請求書") == ["a.txt"]
    assert find(other_company, outsider, q="請求書") == ["z.txt"]
    assert find(other_company, outsider, q="請求") == ["z.txt"]


@pytest.fixture
def records(company, admin, folder):
    rows = [
        ("r1.txt", date(2026, 4, 1), 132000, "株式会社サンプル", "invoice"),
        ("r2.txt", date(2026, 4, 30), 5500, "ｻﾝﾌﾟﾙ文具店", "receipt"),
        ("r3.txt", date(2026, 5, 1), 1100000, "東京商事株式会社", "contract"),
        ("r4.txt", date(2025, 12, 31), 0, "株式会社サンプル", "invoice"),
        ("r5.txt", date(2026, 4, 15), 10000, "大阪物産", "quote"),
    ]
    out = {}
    for name, day, amount, who, kind in rows:
        d = _upload(company, admin, folder, name, f"{kind} {who}")
        out[name] = services.set_transaction_record(
            company=company,
            actor=admin.user,
            membership=admin,
            document=d,
            transaction_date=day,
            transaction_amount=amount,
            counterparty=who,
            document_type=kind,
        )
    _upload(company, admin, folder, "plain.txt", "株式会社サンプル 取引記録ではない")
    return out


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"transaction_only": True}, ["r3.txt", "r2.txt", "r5.txt", "r1.txt", "r4.txt"]),
        (
            {"transaction_date_from": date(2026, 4, 1), "transaction_date_to": date(2026, 4, 30)},
            ["r1.txt", "r2.txt", "r5.txt"],
        ),
        ({"transaction_date_from": date(2026, 4, 30)}, ["r2.txt", "r3.txt"]),
        ({"transaction_date_to": date(2025, 12, 31)}, ["r4.txt"]),
        ({"amount_min": Decimal(5500), "amount_max": Decimal(132000)}, ["r1.txt", "r2.txt", "r5.txt"]),
        ({"amount_max": Decimal(0)}, ["r4.txt"]),
        ({"amount_min": Decimal(1000000)}, ["r3.txt"]),
        ({"counterparty": "サンプル"}, ["r1.txt", "r2.txt", "r4.txt"]),  # not plain.txt: not a record
        ({"counterparty": "ｻﾝﾌﾟﾙ"}, ["r1.txt", "r2.txt", "r4.txt"]),
        ({"counterparty": "さんぷる"}, ["r1.txt", "r2.txt", "r4.txt"]),
        ({"counterparty": "商事"}, ["r3.txt"]),  # 2 characters
        ({"counterparty": "株"}, ["r1.txt", "r3.txt", "r4.txt"]),  # 1 character
        ({"counterparty": "株式会社サンプル", "transaction_date_from": date(2026, 1, 1)}, ["r1.txt"]),
        ({"counterparty": "サンプル", "amount_min": Decimal(1000), "amount_max": Decimal(10000)}, ["r2.txt"]),
        (
            {
                "counterparty": "サンプル",
                "transaction_date_from": date(2026, 4, 1),
                "transaction_date_to": date(2026, 4, 30),
                "amount_min": Decimal(100000),
                "amount_max": Decimal(200000),
            },
            ["r1.txt"],
        ),
        ({"counterparty": "サンプル", "amount_min": Decimal(200000)}, []),
        ({"document_type": "invoice", "transaction_date_from": date(2026, 1, 1)}, ["r1.txt"]),
        ({"q": "invoice", "amount_min": Decimal(1)}, ["r1.txt"]),
        ({"q": "サンプル", "transaction_date_to": date(2026, 4, 30)}, ["r1.txt", "r2.txt", "r4.txt"]),
        ({"q": "サンプル"}, ["plain.txt", "r1.txt", "r2.txt", "r4.txt"]),
        ({"counterparty": '"NEAR*'}, []),
    ],
)
def test_denchoho_searches(company, admin, records, kw, expected):
    got = find(company, admin, **kw)
    assert (got if kw.get("transaction_only") else sorted(got)) == expected


def test_denchoho_search_skips_trash_and_respects_shares(company, admin, hr, folder, records):
    services.share(
        company=company,
        actor=admin.user,
        membership=admin,
        document=records["r2.txt"],
        grantee_kind="role",
        grantee="hr",
    )
    assert find(company, hr, counterparty="サンプル") == ["r2.txt"]
    assert find(company, hr, transaction_only=True) == ["r2.txt"]
    Document.objects.filter(pk=records["r1.txt"].pk).update(trashed_at=records["r1.txt"].created_at)
    assert find(company, admin, counterparty="サンプル") == ["r2.txt", "r4.txt"]


def test_random_words_match_the_plain_substring_search(company, admin, folder):
    """Random texts and queries from a small alphabet (kanji, kana in every width, ASCII, FTS5
    syntax characters): the indexed search returns exactly what the plain substring match does."""
    rng = random.Random(20261124)
    alphabet = [*'請求書領収株式会社カナかなｶﾅabAB-"*()^:', "NEAR", "AND", " "]
    for i in range(40):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        _upload(company, admin, folder, f"r{i:02}.txt", text or "空")
    for _ in range(150):
        q = " ".join(
            "".join(rng.choice(alphabet[:-1]) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 2))
        )
        assert find(company, admin, q=q) == reference(company, admin, q), q


# --------------------------------------------------------------------------- the indexes themselves
def _schema_editor():
    """What the migration's RunPython receives, enough for forwards/backwards inside a test."""

    def execute(sql, params=()):
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":  # the test's rows leave deferred FK checks pending
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(sql, params)

    return SimpleNamespace(connection=connection, execute=execute)


def _sqlite_objects() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master")
        return {r[0] for r in cur.fetchall()}


def _pg_indexes() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'documents_document'")
        return {r[0] for r in cur.fetchall()}


def _fts_rows() -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {search.FTS_TABLE}_docsize")
        return cur.fetchone()[0]


@pytest.mark.django_db
def test_the_migration_built_the_indexes():
    if connection.vendor == "sqlite":
        assert {search.FTS_TABLE, *mig.SQLITE_TRIGGER_NAMES, *DENCHOHO} <= _sqlite_objects()
    else:
        assert {"document_search_trgm_idx", "document_counterparty_trgm_idx", *DENCHOHO} <= _pg_indexes()


def test_the_index_answers_long_words(company, admin, docs):
    qs = search_documents(company=company, membership=admin, query=DocumentQuery(q="請求書"))
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            sql, params = qs.query.sql_with_params()
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            assert "VIRTUAL TABLE INDEX" in " ".join(str(r) for r in cur.fetchall())
        else:
            # on six rows the planner rightly prefers other paths; what matters is that it can
            cur.execute("SET LOCAL enable_seqscan = off")
            plan = Document.objects.filter(search_text__contains="請求書").explain()
            assert "document_search_trgm_idx" in plan, plan


def test_migration_reverses_and_reapplies_with_the_rows_present(company, admin, docs):
    editor = _schema_editor()
    mig.backwards(None, editor)
    if connection.vendor == "sqlite":
        assert not ({search.FTS_TABLE, *mig.SQLITE_TRIGGER_NAMES, *DENCHOHO} & _sqlite_objects())
    else:
        assert not ({"document_search_trgm_idx", "document_counterparty_trgm_idx", *DENCHOHO} & _pg_indexes())
        assert find(company, admin, q="請求書") == ["a.txt"]  # LIKE without the index
    mig.forwards(None, editor)  # existing rows are indexed again ('rebuild' on SQLite)
    assert find(company, admin, q="請求書") == ["a.txt"]
    assert find(company, admin, q="ｶﾌﾞｼｷ") == ["b.txt", "c.txt"]
    if connection.vendor == "sqlite":
        assert _fts_rows() == Document.objects.count()


def test_postgres_without_pg_trgm_still_migrates_and_searches(company, admin, docs, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    editor = _schema_editor()
    mig.backwards(None, editor)
    monkeypatch.setattr(mig, "create_pg_trgm", lambda schema_editor: False)  # e.g. no rights
    mig.forwards(None, editor)
    indexes = _pg_indexes()
    assert set(DENCHOHO) <= indexes and "document_search_trgm_idx" not in indexes
    assert find(company, admin, q="請求書") == ["a.txt"]
    assert find(company, admin, q="請求") == ["a.txt", "e.txt"]


def test_a_refused_create_extension_does_not_abort_the_migration(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    real = _schema_editor()

    def refusing(sql, params=()):
        if sql.startswith("CREATE EXTENSION"):
            sql = "CREATE EXTENSION no_such_extension_here"  # fails like a refused CREATE would
        real.execute(sql, params)

    editor = SimpleNamespace(connection=connection, execute=refusing)
    mig.create_pg_trgm(editor)  # the error stays inside its savepoint
    with connection.cursor() as cur:
        cur.execute("SELECT 1")  # the surrounding transaction is still usable
        assert cur.fetchone() == (1,)


def test_sqlite_triggers_dropped_by_a_table_rebuild_are_put_back(company, admin, folder, docs):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert search.ensure_sqlite_search_index() is False  # nothing to repair
    with connection.cursor() as cur:
        for name in mig.SQLITE_TRIGGER_NAMES:
            cur.execute(f"DROP TRIGGER {name}")
    _upload(company, admin, folder, "x.txt", "請求書 トリガーなしで登録")  # missed by the index
    assert search.ensure_sqlite_search_index() is True
    assert set(mig.SQLITE_TRIGGER_NAMES) <= _sqlite_objects()
    assert find(company, admin, q="請求書") == ["a.txt", "x.txt"]
    assert _fts_rows() == Document.objects.count()


def test_bulk_create_fills_the_index(company, admin, folder):
    Document.objects.bulk_create(
        [
            Document(
                company=company,
                folder=folder,
                name=f"bulk{i}.txt",
                created_by=admin.user,
                search_text=f"一括{i}請求書",
            )
            for i in range(5)
        ]
    )
    assert find(company, admin, q="請求書") == [f"bulk{i}.txt" for i in range(5)]
    assert find(company, admin, q="一括3") == ["bulk3.txt"]


@pytest.mark.django_db(transaction=True)
def test_flush_after_a_transactional_test_keeps_the_index_in_step():
    """Transactional tests end with a flush (DELETE FROM documents_document on SQLite); the FTS
    triggers follow it. The next transactional test starts with an empty index."""
    from ..conftest import make_company

    if connection.vendor == "sqlite":
        assert _fts_rows() == 0 == Document.objects.count()
    company = make_company()
    admin = make_member(company, "admin1", ["admin"])
    folder = services.create_folder(
        company=company, actor=admin.user, membership=admin, name="経理", parent=None
    )
    _upload(company, admin, folder, "t.txt", "請求書 トランザクション")
    assert find(company, admin, q="請求書") == ["t.txt"]
    assert find(company, admin, q="請求") == ["t.txt"]


@pytest.mark.django_db(transaction=True)
def test_flush_after_a_transactional_test_keeps_the_index_in_step_again():
    test_flush_after_a_transactional_test_keeps_the_index_in_step()
