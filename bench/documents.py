"""Benchmark of document search and upload: `.venv/bin/python bench/documents.py`.

What is measured (results are written up by hand in docs/performance.md):

a. ``documents.search.search_documents`` on 100,000 documents, as a search page runs it: **page 1**
   = the first 50 rows evaluated, and **count** = ``qs.count()`` (the paginator's total). Each case
   cycles through a list of search terms; p50 and p95 are over all timed runs of the case.
   Cases: name search, text search of 3+ characters (the trigram index), text search of 2
   characters (a scan), the 電子帳簿保存法 query (date range + amount range + counterparty) alone
   and combined, and a text search by a member who reaches only some folders through shares.
b. Upload throughput: ``documents.services.upload_document`` of small text files, each in its own
   transaction (store the bytes, extract the text, two rows, the FTS trigger, one audit event).

Before timing, the script checks that the index holds every bulk-inserted row (SQLite: the FTS5
triggers fire on ``bulk_create``'s multi-row INSERT) and that the indexed search returns the same
number of documents as the plain ``LIKE`` match for a few words.

The data lives in a throwaway database that this script creates and removes, like bench/run.py:
SQLite in a temporary directory by default; ``--database-url postgres://postgres@127.0.0.1:5432/NEW_DB``
creates that database (UTF-8, lc_ctype C.UTF-8), runs ``VACUUM ANALYZE`` after loading, and drops it.
It refuses a database that already exists.

Documents, their first versions and 電子取引 metadata are written with ``bulk_create`` (folders and
users go through the services). A benchmark is not a test and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django  # noqa: E402  (bench/run.py, next to this file)

PREFIX = [
    "東京",
    "大阪",
    "名古屋",
    "札幌",
    "福岡",
    "横浜",
    "京都",
    "神戸",
    "仙台",
    "広島",
    "青葉",
    "みどり",
    "さくら",
    "ひかり",
]
CORE = [
    "商事",
    "物産",
    "工業",
    "製作所",
    "システム",
    "サービス",
    "建設",
    "運輸",
    "食品",
    "電機",
    "印刷",
    "不動産",
    "コンサルティング",
    "ソリューションズ",
]
FORM = ["株式会社{}", "{}株式会社", "有限会社{}", "合同会社{}", "ｶﾌﾞｼｷｶﾞｲｼｬ{}"]
ITEMS = [
    "事務用品",
    "コピー用紙",
    "保守サービス",
    "システム開発",
    "清掃業務",
    "配送料",
    "会議室利用",
    "広告掲載",
    "研修講師",
    "部品",
]
BANKS = [
    "みずほ銀行 本店営業部 普通 1234567",
    "三菱UFJ銀行 新宿支店 当座 7654321",
    "ゆうちょ銀行 〇一八支店 普通 0011223",
]
KINDS = ["invoice", "receipt", "contract", "quote", "order", "delivery"]
KIND_LABEL = {
    "invoice": "請求書",
    "receipt": "領収書",
    "contract": "契約書",
    "quote": "見積書",
    "order": "注文書",
    "delivery": "納品書",
}
OTHER = ["議事録", "社内規程", "稟議書", "報告書"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita document search benchmark")
    p.add_argument(
        "--database-url",
        default="",
        help="postgres://user@host:port/NEW_DB_NAME (created and dropped here); default: a temporary SQLite file",
    )
    p.add_argument("--documents", type=int, default=100_000, help="documents to generate (default 100000)")
    p.add_argument("--folders", type=int, default=40, help="folders (default 40)")
    p.add_argument("--repeat", type=int, default=30, help="timed runs per search case (default 30)")
    p.add_argument("--uploads", type=int, default=300, help="upload_document calls to time (default 300)")
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--explain", action="store_true", help="print the query plan of each case's first query")
    return p.parse_args(argv)


# --------------------------------------------------------------------------- data
def company_names(rng: random.Random) -> list[tuple[str, str]]:
    """(full name, short name) pairs: 株式会社東京商事 / 東京商事, and so on."""
    out = []
    for pre in PREFIX:
        for core in CORE:
            short = pre + core
            out.append((rng.choice(FORM).format(short), short))
    rng.shuffle(out)
    return out


def make_text(rng: random.Random, kind: str, client: str, issuer: str, day: date, amount: int, n: int) -> str:
    item = rng.choice(ITEMS)
    if kind in ("invoice", "delivery", "order", "quote"):
        tax = amount // 11
        return (
            f"{KIND_LABEL[kind]} {client} 御中 {day:%Y年%m月%d日} 番号 INV-{day.year}-{n:06d} "
            f"下記の通り{'ご請求' if kind == 'invoice' else 'ご案内'}申し上げます。 品名 {item} 数量 {rng.randint(1, 50)} "
            f"小計 {amount - tax:,}円 消費税(10%) {tax:,}円 合計金額 {amount:,}円 "
            f"お振込先 {rng.choice(BANKS)} 支払期限 {day + timedelta(days=30):%Y年%m月%d日} {issuer}"
        )
    if kind == "receipt":
        return (
            f"領収書 {client} 様 金額 ¥{amount:,}- 但し {item}代として 上記正に領収いたしました。 "
            f"{day:%Y年%m月%d日} {issuer} 印 No.{n:06d}"
        )
    if kind == "contract":
        return (
            f"業務委託契約書 {client}(以下「甲」という)と{issuer}(以下「乙」という)は、{item}に関し、"
            f"次のとおり契約を締結する。第1条(目的) 甲は乙に{item}を委託し、乙はこれを受託する。"
            f"第2条(期間) {day:%Y年%m月%d日}から1年間とする。第3条(委託料) 月額{amount:,}円(税込)。"
            f"第4条(秘密保持) 甲及び乙は、本契約に関して知り得た秘密を第三者に漏らしてはならない。"
        )
    return (
        f"{kind} {day:%Y年%m月%d日} 出席者 総務部 経理部 {client} 議題 {item}について "
        f"決定事項 予算{amount:,}円で進める。次回は{day + timedelta(days=14):%m月%d日}。"
    )


def build(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import transaction

    from ennoshita.core import services as core_services
    from ennoshita.core.text import search_key
    from ennoshita.documents import rules, services
    from ennoshita.documents.models import Document, DocumentVersion

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    company = core_services.create_company(name="株式会社ベンチ", actor=None)
    admin = core_services.add_member(
        company=company, actor=None, username="bench-admin", roles=["admin"], password="bench-pass-12345"
    )
    member = core_services.add_member(
        company=company, actor=None, username="bench-staff", roles=["accounting"], password="bench-pass-12345"
    )
    folders = [
        services.create_folder(
            company=company, actor=admin.user, membership=admin, name=f"フォルダ{i:02d}", parent=None
        )
        for i in range(args.folders)
    ]
    for f in folders[: len(folders) // 4]:  # the member reaches a quarter of the folders
        services.share(
            company=company,
            actor=admin.user,
            membership=admin,
            folder=f,
            grantee_kind="role",
            grantee="accounting",
        )
    masters_s = time.perf_counter() - t0

    clients = company_names(rng)
    issuer = "株式会社ベンチ"
    first_doc = (Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_ver = (DocumentVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    t0 = time.perf_counter()
    batch = 5_000
    records = 0
    for start in range(0, args.documents, batch):
        docs, versions = [], []
        for n in range(start, min(start + batch, args.documents)):
            client, short = rng.choice(clients)
            day = date(2019, 1, 1) + timedelta(days=rng.randint(0, 8 * 365))
            is_record = rng.random() < 0.30
            kind = rng.choice(KINDS) if (is_record or rng.random() < 0.7) else rng.choice(OTHER)
            amount = rng.choice(
                [rng.randint(1, 99) * 100, rng.randint(1, 500) * 1000, rng.randint(1, 300) * 10000]
            )
            label = KIND_LABEL.get(kind, kind)
            name = f"{label}_{short}_{day:%Y%m}_{n:06d}.pdf"
            text = make_text(rng, kind, client, issuer, day, amount, n)
            folder = folders[n % len(folders)]
            doc = Document(
                pk=first_doc + n,
                company=company,
                folder=folder,
                name=name,
                current_version_id=first_ver + n,
                created_by=admin.user,
                search_text=search_key(" ".join([name, client if is_record else "", text])),
            )
            if is_record:
                records += 1
                doc.is_transaction_record = True
                doc.transaction_date = day
                doc.transaction_amount = Decimal(amount)
                doc.counterparty = client
                doc.counterparty_key = search_key(client)
                doc.document_type = kind
                doc.retention_until = rules.retention_until(
                    transaction_date=day, fiscal_year_start_month=company.fiscal_year_start_month, years=7
                )
            docs.append(doc)
            versions.append(
                DocumentVersion(
                    pk=first_ver + n,
                    company=company,
                    document_id=first_doc + n,
                    number=1,
                    sha256=f"{n:064x}",
                    size=len(text.encode()),
                    content_type="application/pdf",
                    original_name=name,
                    uploaded_by=admin.user,
                    extracted_text=text,
                )
            )
        with transaction.atomic():  # the FKs between the two are checked at commit
            Document.objects.bulk_create(docs)
            DocumentVersion.objects.bulk_create(versions)
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cur:  # explicit ids: move PostgreSQL's sequences past them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Document, DocumentVersion]):
            cur.execute(sql)
    bulk_s = time.perf_counter() - t0
    return {
        "company": company,
        "admin": admin,
        "member": member,
        "folders": folders,
        "clients": clients,
        "records": records,
        "masters_s": masters_s,
        "bulk_s": bulk_s,
        "rng": rng,
    }


# --------------------------------------------------------------------------- checks
def check_index(ctx: dict[str, Any]) -> list[str]:
    """The index holds every row, and indexed search counts equal the plain LIKE counts."""
    from django.db import connection

    from ennoshita.core.text import search_key
    from ennoshita.documents.models import Document
    from ennoshita.documents.search import FTS_TABLE, DocumentQuery, search_documents

    lines = []
    total = Document.objects.count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")
            indexed = cur.fetchone()[0]
        if indexed != total:
            raise SystemExit(f"FTS index holds {indexed:,} rows, the table {total:,}: triggers did not fire")
        lines.append(f"FTS5 index rows = documents = {indexed:,} (triggers fired on bulk_create)")
    else:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'documents_document' AND indexname LIKE '%trgm%'"
            )
            lines.append("pg_trgm indexes: " + ", ".join(sorted(r[0] for r in cur.fetchall())))
    for word in ["請求書", "東京商事", "ｶﾌﾞｼｷｶﾞｲｼｬ", "請求", "INV-2024", "第3条", "存在しない語"]:
        qs = search_documents(company=ctx["company"], membership=ctx["admin"], query=DocumentQuery(q=word))
        got = qs.count()
        want = Document.objects.filter(
            company=ctx["company"], trashed_at__isnull=True, search_text__contains=search_key(word)
        ).count()
        if got != want:
            raise SystemExit(f"search {word!r}: {got} documents, plain LIKE {want}")
        lines.append(f"  {word}: {got:,} = LIKE {want:,}")
    return lines


# --------------------------------------------------------------------------- timing
def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_case(
    ctx: dict[str, Any], queries: list[dict[str, Any]], repeat: int, membership: Any = None
) -> dict[str, Any]:
    from ennoshita.documents.search import DocumentQuery, search_documents

    m = membership or ctx["admin"]
    page_t, count_t, matches = [], [], []

    def run(kw: dict[str, Any]) -> tuple[float, float, int]:
        qs = search_documents(company=ctx["company"], membership=m, query=DocumentQuery(**kw))
        t0 = time.perf_counter()
        list(qs[:50])
        t1 = time.perf_counter()
        n = qs.count()
        return t1 - t0, time.perf_counter() - t1, n

    for kw in queries:  # warm-up: caches, plans
        run(kw)
    for i in range(repeat):
        p, c, n = run(queries[i % len(queries)])
        page_t.append(p)
        count_t.append(c)
        matches.append(n)
    return {
        "page50": statistics.median(page_t),
        "page95": pct(page_t, 95),
        "count50": statistics.median(count_t),
        "count95": pct(count_t, 95),
        "total50": statistics.median([a + b for a, b in zip(page_t, count_t, strict=True)]),
        "total95": pct([a + b for a, b in zip(page_t, count_t, strict=True)], 95),
        "matches": (min(matches), int(statistics.median(matches)), max(matches)),
    }


def search_cases(ctx: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]], Any]]:
    from ennoshita.documents.models import Document

    rng: random.Random = ctx["rng"]
    names = list(
        Document.objects.filter(company=ctx["company"]).order_by("?").values_list("name", flat=True)[:20]
    )
    shorts = [s for _f, s in ctx["clients"]]
    months = [date(rng.randint(2019, 2026), rng.randint(1, 12), 1) for _ in range(10)]

    def month_range(d: date) -> dict[str, date]:
        end = (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return {"transaction_date_from": d, "transaction_date_to": end}

    amount_ranges = [(Decimal(lo), Decimal(lo * 3)) for lo in (10_000, 50_000, 100_000, 300_000, 1_000_000)]
    return [
        ("name: exact file name (1 hit)", [{"q": n.rsplit(".", 1)[0]} for n in names], None),
        ("name: 6-digit number in the name", [{"q": n.rsplit("_", 1)[1][:6]} for n in names], None),
        (
            "text 3+ chars: 請求書 / 振込先 / 第4条 …",
            [{"q": w} for w in ["請求書", "振込先", "第4条", "コピー用紙", "ｿﾘｭｰｼｮﾝｽﾞ", "会議室利用"]],
            None,
        ),
        ("text 3+ chars: a company name", [{"q": s} for s in shorts[:10]], None),
        ("text 3+ chars: two words", [{"q": f"{s} 請求書"} for s in shorts[:10]], None),
        ("text 3+ chars: no match", [{"q": w} for w in ["存在しない語", "ZZZ-9999", "該当なし文書"]], None),
        (
            "text 2 chars: 請求 / 東京 / 委託 …",
            [{"q": w} for w in ["請求", "東京", "委託", "物産", "甲乙", "印刷"]],
            None,
        ),
        ("text 1 char: 甲 / 印", [{"q": w} for w in ["甲", "印", "株"]], None),
        (
            "text 3+ chars as a member (10 of 40 folders)",
            [{"q": w} for w in ["請求書", "振込先", "コピー用紙"]],
            ctx["member"],
        ),
        (
            "電帳法: date range (1 month)",
            [{**month_range(d), "transaction_only": True} for d in months],
            None,
        ),
        (
            "電帳法: amount range",
            [{"amount_min": lo, "amount_max": hi, "transaction_only": True} for lo, hi in amount_ranges],
            None,
        ),
        ("電帳法: counterparty", [{"counterparty": s, "transaction_only": True} for s in shorts[:10]], None),
        (
            "電帳法: date + amount + counterparty",
            [
                {
                    **month_range(date(d.year, 1, 1)),
                    "transaction_date_to": date(d.year, 12, 31),
                    "amount_min": lo,
                    "amount_max": hi,
                    "counterparty": s,
                    "transaction_only": True,
                }
                for d, (lo, hi), s in zip(months, amount_ranges * 2, shorts[:10], strict=True)
            ],
            None,
        ),
    ]


def bench_uploads(ctx: dict[str, Any], n: int) -> dict[str, float]:
    from ennoshita.documents import services

    folder = ctx["folders"][0]
    admin = ctx["admin"]
    rng: random.Random = ctx["rng"]
    payloads = [
        make_text(
            rng, "invoice", "株式会社アップロード", "株式会社ベンチ", date(2026, 11, 1), 1000 * (i + 1), i
        ).encode()
        for i in range(n)
    ]
    t0 = time.perf_counter()
    for i, data in enumerate(payloads):
        services.upload_document(
            company=ctx["company"],
            actor=admin.user,
            membership=admin,
            folder=folder,
            name=f"upload_{i:05d}.txt",
            data=data,
        )
    s = time.perf_counter() - t0
    return {"n": n, "s": s, "per_s": n / s, "bytes": sum(len(p) for p in payloads) / n}


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(args.database_url, lambda pg: run(args, pg), prefix="enno-bench-docs-")


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "Ennoshita document search benchmark")
    from django.db import connection

    ctx = build(args)
    print(
        f"data: {args.documents:,} documents (+ their first versions) in {args.folders} folders, "
        f"{ctx['records']:,} 電子取引 records, {len(ctx['clients'])} counterparties"
    )
    print(
        f"  masters through services {ms(ctx['masters_s'])};  bulk insert (with index upkeep) {ms(ctx['bulk_s'])}"
    )
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE {ms(time.perf_counter() - t0)}")
    else:
        with connection.cursor() as cur:
            cur.execute("PRAGMA page_count")
            pages = cur.fetchone()[0]
            cur.execute("PRAGMA page_size")
            print(f"  database file {pages * cur.fetchone()[0] / 2**20:,.0f} MiB")
    for line in check_index(ctx):
        print(f"  {line}")
    print()

    print(f"(a) search_documents, {args.repeat} timed runs per case (cycling through its terms)")
    print("    page 1 = the first 50 rows evaluated; count = qs.count() for the paginator")
    print(
        f"  {'case':<46} {'page p50':>9} {'p95':>9} {'count p50':>10} {'p95':>9} {'both p50':>9} {'p95':>9}  matches min/med/max"
    )
    for label, queries, membership in search_cases(ctx):
        r = bench_case(ctx, queries, args.repeat, membership)
        if args.explain:
            from ennoshita.documents.search import DocumentQuery, search_documents

            qs = search_documents(
                company=ctx["company"],
                membership=membership or ctx["admin"],
                query=DocumentQuery(**queries[0]),
            )
            print("    " + qs[:50].explain().replace("\n", "\n    "))
        lo, med, hi = r["matches"]
        print(
            f"  {label:<46} {r['page50'] * 1000:9.1f} {r['page95'] * 1000:9.1f} {r['count50'] * 1000:10.1f} "
            f"{r['count95'] * 1000:9.1f} {r['total50'] * 1000:9.1f} {r['total95'] * 1000:9.1f}  {lo:,}/{med:,}/{hi:,}"
        )
    print("  (milliseconds)")
    print()
    if args.uploads:
        u = bench_uploads(ctx, args.uploads)
        print("(b) upload_document of small text files, one transaction each")
        print(f"  {u['per_s']:,.0f} files/s ({u['n']:,} files of ~{u['bytes']:,.0f} bytes in {u['s']:.2f} s)")
    print()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
