"""法務 benchmark (契約書 and 知的財産): `.venv/bin/python bench/legal.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

What is measured (target from the issue: pages under 200 ms, the daily alert jobs under 30 s):

a. 契約書 pages rendered through Django's test client as the member who uses them: the list page 1
   and with a keyword, 期限が近い契約 (90 days) as 法務 and as an ordinary owner (only their
   contracts), the calendar of this month, and one contract's page.
b. 知的財産 pages as 法務: the register page 1, 期限が近い権利 (90 days) and 費用の集計; and the home
   page of 法務 and of 経理, which carries 法務's panels (期限が近い契約 30 days, 知的財産の期限).
d. 業務依頼 (``--requests N``, 200,000 by default; ``--requests-only`` skips a–c): the 経理 team's
   inbox (page 1, 期限超過のみ, a keyword over every status), the outside assistant's inbox with the
   per-record grant checks of the page, one request's page as the assistant (with its 閲覧 line),
   and the daily job (recurring requests, then the overdue alerts) twice on the same day.
c. One full run of the daily jobs over the whole database, as the scheduler calls them for every
   company (``tasks_contracts.run_all_companies`` then ``tasks_ip.alert_all_companies``): the first
   run sends the alerts due (no alert was sent before: every lead time reached is caught up with its
   nearest one), a second run the same day must send nothing.

The data: the expenses benchmark's company (2,000 employees with sign-ins in 48 departments) with a
法務 member, its 経理 and admin; 50,000 contracts registered over 5 years in every status (about
40 % 有効, half of those auto-renewing with a notice period of 1–3 months), the ends of those in
force spread so that a few hundred end or reach a notice deadline in the next 90 days (and a few
ended yesterday, for the job to renew or expire), some individual contracts and 覚書 under basic
contracts; 5,000 IP rights of every kind and status with ``expires_on`` and the next deadline
computed by the same functions the IP services call, and 10,000 IP costs. A second company with a
few thousand contracts and some rights makes the company scoping real. Rows are written with
``bulk_create`` in the shape the services give them (印紙税 by ``rules.stamp_duty``, numbers unique
per company); a benchmark is not a test and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from expenses import build_people
from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django

COUNTERPARTIES = [
    "株式会社アルファ",
    "ベータ工業株式会社",
    "ガンマ商事",
    "デルタ物産株式会社",
    "イプシロン技研",
]
SEARCH_WORD = "デルタ物産"
# (type, weight, stamp documents it may fall under when the original is on paper)
CONTRACT_TYPES = [
    ("basic", 15, ["7"]),
    ("outsourcing", 20, ["2", "none"]),
    ("work", 10, ["2", "2-construction"]),
    ("nda", 15, ["none"]),
    ("sale", 10, ["none", "1-1"]),
    ("lease", 8, ["none", "1-2"]),
    ("license", 7, ["none"]),
    ("employment", 5, ["none"]),
    ("loan", 2, ["1-3"]),
    ("other", 8, ["none"]),
]
TYPE_TITLES = {
    "basic": "取引基本契約書",
    "outsourcing": "業務委託契約書",
    "work": "請負契約書",
    "nda": "秘密保持契約書",
    "sale": "売買契約書",
    "lease": "賃貸借契約書",
    "license": "ライセンス契約書",
    "employment": "雇用契約書",
    "loan": "金銭消費貸借契約書",
    "other": "契約書",
}
STATUSES = [
    ("active", 40),
    ("signed", 5),
    ("expired", 22),
    ("terminated", 8),
    ("draft", 12),
    ("in_review", 7),
    ("negotiating", 6),
]
AMOUNTS = [50_000, 300_000, 800_000, 1_500_000, 4_000_000, 9_000_000, 30_000_000, 120_000_000]
IP_KINDS = [
    ("trademark", 45),
    ("patent", 25),
    ("design", 10),
    ("utility_model", 3),
    ("copyright", 7),
    ("domain", 10),
]
IP_STATUSES = [("registered", 72), ("applied", 12), ("lapsed", 10), ("abandoned", 6)]
IP_COST_KINDS = {
    "trademark": [("filing", 12_000), ("registration", 32_900), ("renewal", 43_600), ("agent", 55_000)],
    "patent": [("filing", 14_000), ("annuity", 10_200), ("annuity", 24_800), ("agent", 350_000)],
    "design": [("filing", 16_000), ("annuity", 8_500), ("agent", 80_000)],
    "utility_model": [("filing", 14_000), ("annuity", 6_100)],
    "copyright": [("other", 30_000)],
    "domain": [("domain", 7_480), ("domain", 3_960)],
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita 法務 (契約書・知的財産) benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--employees", type=int, default=2_000)
    p.add_argument("--contracts", type=int, default=50_000)
    p.add_argument(
        "--soon",
        type=int,
        default=400,
        help="contracts in force whose end or notice deadline is within 90 days",
    )
    p.add_argument("--ended", type=int, default=20, help="contracts in force whose end was yesterday")
    p.add_argument("--owners", type=int, default=400, help="members who own contracts and rights")
    p.add_argument("--rights", type=int, default=5_000)
    p.add_argument("--costs", type=int, default=10_000)
    p.add_argument("--other-contracts", type=int, default=3_000, help="contracts of a second company")
    p.add_argument("--other-rights", type=int, default=300, help="IP rights of the second company")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=20261205)
    p.add_argument("--explain", action="store_true", help="print each page's queries, slowest first")
    p.add_argument("--requests", type=int, default=200_000, help="業務依頼 (work requests) to write")
    p.add_argument(
        "--requests-only", action="store_true", help="only the 業務依頼 part (no contracts or IP rights)"
    )
    return p.parse_args(argv)


def median_s(fn: Any, repeat: int) -> float:
    fn()  # warm
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _client_for(user: Any, company: Any) -> Any:
    from django.test import Client

    from ennoshita.core.tenancy import SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = company.pk
    session.save()
    return client


def _pad(label: str, width: int = 64) -> str:
    """``label`` padded to ``width`` columns, a full-width character counting as two."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label)
    return label + " " * max(0, width - used)


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _w in table], weights=[w for _k, w in table])[0]


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


class Numbers:
    """「<prefix>-<年度>-0001」 per fiscal year of the day a row was registered, as core.numbering gives."""

    def __init__(self, prefix: str, start_month: int) -> None:
        self.prefix, self.start_month = prefix, start_month
        self.last: Counter[int] = Counter()

    def next(self, day: date) -> str:
        from ennoshita.core.dates import fiscal_year_of
        from ennoshita.core.numbering import format_number

        year = fiscal_year_of(day, start_month=self.start_month).year
        self.last[year] += 1
        return format_number(self.prefix, year, self.last[year], width=4)


# --------------------------------------------------------------------------- 契約書
def _term(
    rng: random.Random, status: str, today: date, plan: str, auto: bool, period: int, unit: str
) -> dict[str, Any]:
    """starts_on, ends_on, signed_on, terminated_on for a contract of ``status``; ``plan`` places the
    end of one in force: "ended" (yesterday), "soon" (end or notice deadline within 90 days), "far"
    (neither within 200 days) or "open" (no end)."""
    from ennoshita.legal.rules.terms import notice_deadline

    out: dict[str, Any] = {"signed_on": None, "terminated_on": None}
    if status in ("draft", "in_review", "negotiating"):
        starts = today + _days(rng, 0, 90)
        out.update(starts_on=starts, ends_on=starts + _days(rng, 180, 1095))
        out["registered"] = today - _days(rng, 0, 120)
        return out
    if status == "signed":
        starts = today + _days(rng, 1, 60)
        ends = starts + _days(rng, 365, 1095)
        out.update(starts_on=starts, ends_on=ends, signed_on=today - _days(rng, 0, 30))
    elif status == "active":
        if plan == "open":
            ends = None
        elif plan == "ended":
            ends = today - timedelta(days=1)
        elif plan == "soon":
            ends = today + _days(
                rng, 0, 90 + (31 * period if auto and unit == "months" else period if auto else 0)
            )
        else:
            ends = today + _days(rng, 200, 5 * 365)
        latest = ends if ends is not None else today
        if auto and ends is not None:
            latest = min(latest, notice_deadline(end_on=ends, period=period, unit=unit))
        starts = min(latest, today) - _days(rng, 0, 5 * 365 - 60)
        out.update(starts_on=starts, ends_on=ends, signed_on=starts - _days(rng, 0, 30))
    elif status == "expired":
        starts = today - _days(rng, 400, 5 * 365)
        ends = min(starts + _days(rng, 180, 1095), today - timedelta(days=2))
        out.update(starts_on=starts, ends_on=ends, signed_on=starts - _days(rng, 0, 30))
    else:  # terminated: most after signing, some given up before
        starts = today - _days(rng, 60, 5 * 365)
        ends = starts + _days(rng, 365, 1095)
        out.update(starts_on=starts, ends_on=ends)
        if rng.random() < 0.7:
            out["signed_on"] = starts - _days(rng, 0, 30)
            out["terminated_on"] = min(today, starts + _days(rng, 30, (ends - starts).days))
    out["registered"] = out["signed_on"] or out["starts_on"]
    return out


def build_contracts(
    *,
    company: Any,
    owners: list[tuple[Any, int | None]],
    legal_user: Any,
    n: int,
    soon: int,
    ended: int,
    rng: random.Random,
    today: date,
) -> dict[str, Any]:
    """``n`` contracts of ``company``; ``owners``: (user, department id) of those who own them."""
    from django.db import transaction

    from ennoshita.legal.models import Contract
    from ennoshita.legal.rules.stamp_duty import contract_stamp_duty
    from ennoshita.legal.services.contracts import deadline_of

    t0 = time.perf_counter()
    statuses = [_pick(rng, STATUSES) for _ in range(n)]
    autos = [s == "active" and rng.random() < 0.5 for s in statuses]
    # the ends of the contracts in force: a few ended yesterday, a few hundred near, the rest far
    with_end = [i for i, s in enumerate(statuses) if s == "active" and (autos[i] or rng.random() < 0.8)]
    rng.shuffle(with_end)
    plans = dict.fromkeys(range(n), "open")
    for k, i in enumerate(with_end):
        plans[i] = "ended" if k < ended else "soon" if k < ended + soon else "far"
    types = [(t, w) for t, w, _docs in CONTRACT_TYPES]
    docs_of = {t: docs for t, _w, docs in CONTRACT_TYPES}
    rows = []
    for i in range(n):
        status, auto = statuses[i], autos[i]
        ctype = _pick(rng, types)
        unit = "months" if not auto or rng.random() < 0.9 else "days"
        period = (rng.randint(1, 3) if unit == "months" else rng.choice([30, 60])) if auto else 0
        term = _term(rng, status, today, plans[i], auto, period, unit)
        owner, department_id = rng.choice(owners)
        counterparty = f"{rng.choice(COUNTERPARTIES)}{rng.randrange(800)}"
        amount = None if ctype in ("nda", "employment") or rng.random() < 0.1 else rng.choice(AMOUNTS)
        # 消費税額等 shown separately on half of them (the bracket is then the amount without it)
        tax = 0 if amount is None or rng.random() < 0.5 else amount // 10
        paper = rng.random() < 0.4
        document = rng.choice(docs_of[ctype])
        duty = contract_stamp_duty(  # as services.contracts.stamp_duty_of calls it
            document=document,
            amount=None if amount is None else amount + tax,
            made_on=term["signed_on"] or today,
            paper=paper,
            tax_shown_separately=0 if amount is None else tax,
        )
        c = Contract(
            company=company,
            title=f"{counterparty} {TYPE_TITLES[ctype]}",
            contract_type=ctype,
            our_side=rng.choice(["buyer", "seller", "mutual"]),
            counterparty_kind="other",
            counterparty_name=counterparty,
            amount=amount,
            tax_amount=tax,
            starts_on=term["starts_on"],
            ends_on=term["ends_on"],
            auto_renew=auto and term["ends_on"] is not None,
            renewal_months=(12 if rng.random() < 0.7 else None) if auto else None,
            notice_period=period if auto else None,
            notice_unit=unit,
            paper_original=paper,
            stamp_document=document,
            stamp_duty=duty,
            owner_department_id=department_id,
            owner=owner,
            status=status,
            signed_on=term["signed_on"],
            terminated_on=term["terminated_on"],
            current_end_on=term["ends_on"],
            created_by=owner if rng.random() < 0.7 else legal_user,
        )
        c.notice_deadline_on = deadline_of(c)  # as the services store it
        rows.append((term["registered"], c))
    rows.sort(key=lambda r: r[0])  # registered in this order: the numbers and the keys go up together
    numbers = Numbers("C", company.fiscal_year_start_month)
    contracts = []
    for day, c in rows:
        c.number = numbers.next(day)
        contracts.append(c)
    with transaction.atomic():
        Contract.objects.bulk_create(contracts, batch_size=2000)
        # 個別契約・覚書 under an earlier 取引基本契約 (about 6 % of the others)
        basics = [c for c in contracts if c.contract_type == "basic" and c.signed_on is not None]
        children = []
        for c in contracts:
            if c.contract_type != "basic" and basics and rng.random() < 0.06:
                parent = rng.choice(basics)
                if parent.pk < c.pk:
                    c.parent = parent
                    c.relation = "individual" if rng.random() < 0.8 else "amendment"
                    children.append(c)
        Contract.objects.bulk_update(children, ["parent", "relation"], batch_size=2000)
    by_parent = Counter(c.parent_id for c in children)
    in_force = [c for c in basics if c.status == "active"]
    detail = max(in_force or basics or contracts, key=lambda c: by_parent.get(c.pk, 0))
    return {
        "contracts": contracts,
        "detail": detail,
        "children": len(children),
        "statuses": Counter(c.status for c in contracts),
        "auto": sum(c.auto_renew for c in contracts),
        "seconds": time.perf_counter() - t0,
    }


# --------------------------------------------------------------------------- 知的財産
def _right_facts(rng: random.Random, kind: str, status: str, today: date) -> dict[str, Any]:
    """The facts one would type for a right of ``kind`` in ``status`` (dates before today)."""
    from ennoshita.legal.rules import ip as rules

    f: dict[str, Any] = {"country": "JP", "installment": False, "renewals": 0}
    if kind in ("trademark", "patent") and rng.random() < 0.08:
        f["country"] = rng.choice(["US", "CN", "KR"])
    if kind == "trademark":
        classes = sorted(rng.sample(range(1, 46), rng.randint(1, 4)))
        f.update(classes=", ".join(str(c) for c in classes), class_count=len(classes))
    if kind == "copyright":
        f.update(
            copyright_basis=rng.choice(["publication", "death"]), basis_year=rng.randint(1990, today.year)
        )
        return f
    if kind == "domain":
        month = rules.add_months(today, rng.randint(0, 11))
        f["expires_on"] = rules.add_months(month.replace(day=1), 1) - timedelta(days=1)
        if status != "registered":
            f["expires_on"] = today - _days(rng, 30, 900)
        return f
    if status == "applied":
        f["filed_on"] = today - _days(rng, 30, 700)
        return f
    if kind == "trademark":
        registered = today - _days(rng, 30, 30 * 365)
        first_end = rules.term_end(registered, rules.TRADEMARK_YEARS)
        renewals = 0
        while rules.term_end(registered, rules.TRADEMARK_YEARS * (1 + renewals)) < today:
            renewals += 1
        f.update(registered_on=registered, filed_on=registered - _days(rng, 180, 500), renewals=renewals)
        f["installment"] = rng.random() < 0.15 and first_end > today
    else:
        span = {"patent": (2, 18), "design": (1, 14), "utility_model": (1, 8)}[kind]
        filed = today - _days(rng, span[0] * 365, span[1] * 365)
        registered = min(filed + _days(rng, 180, 3 * 365), today - timedelta(days=1))
        years_in = (today - registered).days // 365  # whole years of the right so far
        paid = max(rules.PAID_AT_REGISTRATION[kind], years_in + 1)
        if rng.random() < 0.04:
            paid -= 1  # the fee of the year just started not paid yet: inside its late period
        f.update(filed_on=filed, registered_on=registered, paid_through_year=paid)
    if f["country"] != "JP":
        f["expires_on"] = today + _days(rng, 30, 15 * 365)
    return f


def _make_right(company: Any, kind: str, status: str, facts: dict[str, Any], today: date) -> Any:
    """A right with expires_on and the next deadline as ``services.ip.register`` derives them, or
    None when the service would refuse it (a deadline past even its late period)."""
    from ennoshita.legal.models import IpRight
    from ennoshita.legal.rules import ip as rules
    from ennoshita.legal.services.ip.base import deadlines_of, first_expiry, set_next_deadline, uses_jp_rules

    renewals = facts.pop("renewals", 0)
    right = IpRight(company=company, kind=kind, status=status, **facts)
    manual = kind == "domain" or not uses_jp_rules(kind, right.country)
    if not manual:
        expiry = first_expiry(right)
        if kind == "trademark" and expiry is not None and renewals and right.registered_on is not None:
            expiry = rules.term_end(right.registered_on, rules.TRADEMARK_YEARS * (1 + renewals))
        right.expires_on = expiry
    if rules.missed(deadlines_of(right, today), today) is not None:
        return None
    set_next_deadline(right, today)
    return right


def build_rights(
    *,
    company: Any,
    owners: list[tuple[Any, int | None]],
    legal_user: Any,
    n: int,
    n_costs: int,
    rng: random.Random,
    today: date,
) -> dict[str, Any]:
    from django.db import transaction

    from ennoshita.legal.models import IpCost, IpRight

    t0 = time.perf_counter()
    rows: list[tuple[date, Any]] = []
    refused = 0
    while len(rows) < n:
        kind, status = _pick(rng, IP_KINDS), _pick(rng, IP_STATUSES)
        if kind == "copyright":
            status = "registered" if rng.random() < 0.9 else "abandoned"
        right = _make_right(company, kind, status, _right_facts(rng, kind, status, today), today)
        if right is None:
            refused += 1
            continue
        owner, department_id = (legal_user, None) if rng.random() < 0.5 else rng.choice(owners)
        right.owner, right.owner_department_id = owner, department_id
        right.title = f"ベンチ{kind}{len(rows) + 1}"
        right.application_number = (
            f"出願{rng.randrange(10**8):08d}" if kind not in ("copyright", "domain") else ""
        )
        right.registration_number = f"第{rng.randrange(10**7):07d}号" if right.registered_on else ""
        right.agent = rng.choice(["", "ベンチ国際特許事務所", "サンプル特許業務法人"])
        right.created_by = legal_user
        rows.append((right.filed_on or right.registered_on or today - _days(rng, 0, 5 * 365), right))
    rows.sort(key=lambda r: r[0])
    numbers = Numbers("IP", company.fiscal_year_start_month)
    rights = []
    for day, right in rows:
        right.reference = numbers.next(max(day, today - timedelta(days=5 * 365)))
        rights.append(right)
    with transaction.atomic():
        IpRight.objects.bulk_create(rights, batch_size=2000)
        paying = [r for r in rights if r.status in ("registered", "lapsed")]
        costs = []
        for _ in range(n_costs if paying else 0):
            right = rng.choice(paying)
            first = max(right.filed_on or today - timedelta(days=5 * 365), today - timedelta(days=5 * 365))
            kind, amount = rng.choice(IP_COST_KINDS[right.kind])
            costs.append(
                IpCost(
                    company=company,
                    right=right,
                    paid_on=first + timedelta(days=rng.randint(0, max(0, (today - first).days))),
                    kind=kind,
                    amount=amount,
                    memo="ベンチ",
                    created_by=legal_user,
                )
            )
        IpCost.objects.bulk_create(costs, batch_size=5000)
    return {
        "rights": rights,
        "costs": len(costs),
        "refused": refused,
        "kinds": Counter(r.kind for r in rights),
        "statuses": Counter(r.status for r in rights),
        "seconds": time.perf_counter() - t0,
    }


# --------------------------------------------------------------------------- measures
def _page(client: Any, url: str) -> Any:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def _queries(fn: Any, explain: bool, label: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    if explain:
        found = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
        total = sum(float(q["time"]) for q in found)
        print(f"  {label}: {len(found)} queries, {total * 1000:.1f} ms in the database")
        for q in found[:6]:
            print(f"    {float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")
    return len(ctx.captured_queries)


def bench_pages(world: dict[str, Any], today: date, args: argparse.Namespace) -> list[tuple[str, float, int]]:
    from django.urls import reverse

    company = world["company"]
    legal = _client_for(world["legal"].user, company)
    owner = _client_for(world["owner"], company)
    keiri = _client_for(world["keiri"].user, company)
    contracts = reverse("legal:contract_list")
    upcoming = reverse("legal:contract_upcoming")
    detail = reverse("legal:contract_detail", args=[world["detail"].pk])
    cases = [
        ("契約一覧 1ページ目 (法務)", legal, contracts),
        (f"契約一覧 キーワード「{SEARCH_WORD}」 (法務)", legal, f"{contracts}?q={SEARCH_WORD}"),
        ("期限が近い契約 90日 (法務)", legal, f"{upcoming}?days=90"),
        (
            f"期限が近い契約 90日 (担当者本人, {world['owner_contracts']}件の担当)",
            owner,
            f"{upcoming}?days=90",
        ),
        (f"契約のカレンダー 今月 ({today:%Y-%m})", legal, reverse("legal:contract_calendar")),
        (f"契約の詳細 (個別契約 {world['detail_children']}件)", legal, detail),
        ("知的財産一覧 1ページ目 (法務)", legal, reverse("legal:ip_list")),
        ("期限が近い権利 90日 (法務)", legal, reverse("legal:ip_upcoming") + "?days=90"),
        ("知的財産の費用の集計 (法務)", legal, reverse("legal:ip_costs")),
        # the home page shows 期限が近い契約 (30 days) to every member who may register a contract
        ("ホーム (法務: 契約・知的財産のパネル)", legal, reverse("home")),
        ("ホーム (経理: 契約のパネルは自分の担当分だけ)", keiri, reverse("home")),
    ]
    out = []
    if args.explain:
        print("queries of each page (slowest first):")
    for label, client, url in cases:
        get = _page(client, url)
        get()
        queries = _queries(get, args.explain, label)
        out.append((label, median_s(get, args.repeat), queries))
    if args.explain:
        print()
    return out


def _counts() -> dict[str, int]:
    from ennoshita.core.models import AuditEvent, Notification
    from ennoshita.legal.models import ContractAlert, IpAlert

    return {
        "contract_alerts": ContractAlert.objects.count(),
        "ip_alerts": IpAlert.objects.count(),
        "notices": Notification.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def bench_jobs() -> list[tuple[str, float, str]]:
    """The daily jobs for every company, twice on the same day; (label, seconds, what they did)."""
    from ennoshita.legal import tasks_contracts, tasks_ip

    out = []
    for run in ("1回目", "2回目 (同じ日)"):
        before = _counts()
        t0 = time.perf_counter()
        contracts = tasks_contracts.run_all_companies()
        contracts_s = time.perf_counter() - t0
        middle = _counts()
        t1 = time.perf_counter()
        ip = tasks_ip.alert_all_companies()
        ip_s = time.perf_counter() - t1
        after = _counts()
        c_alerts = middle["contract_alerts"] - before["contract_alerts"]
        c_notices = middle["notices"] - before["notices"]
        i_alerts = after["ip_alerts"] - middle["ip_alerts"]
        i_notices = after["notices"] - middle["notices"]
        out += [
            (
                f"日次ジョブ {run}: 契約 (更新・満了・アラート)",
                contracts_s,
                f"{contracts}; {c_alerts:,} alerts, {c_notices:,} notices",
            ),
            (
                f"日次ジョブ {run}: 知的財産 (期限の更新・消滅・アラート)",
                ip_s,
                f"{ip}; {i_alerts:,} alerts, {i_notices:,} notices",
            ),
            (
                f"日次ジョブ {run}: 合計",
                contracts_s + ip_s,
                f"{after['events'] - before['events']:,} audit events",
            ),
        ]
        if run != "1回目" and (c_alerts or i_alerts or c_notices or i_notices):
            raise SystemExit(f"the second run on the same day sent alerts again: {out[-3:]}")
    return out


def _deadline_counts(world: dict[str, Any], today: date) -> str:
    from ennoshita.legal.selectors import contracts as contract_selectors
    from ennoshita.legal.selectors import ip as ip_selectors

    company, legal = world["company"], world["legal"]
    items = contract_selectors.upcoming(company=company, membership=legal, days=90, today=today)
    kinds = Counter(i.kind for i in items)
    rights = ip_selectors.upcoming(company=company, membership=legal, days=90, as_of=today).count()
    rights_180 = ip_selectors.upcoming(company=company, membership=legal, days=180, as_of=today).count()
    return (
        f"within 90 days: {kinds['expiry']:,} contract ends, {kinds['notice']:,} notice deadlines; "
        f"{rights:,} rights with a deadline (180 days: {rights_180:,})"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(args.database_url, lambda pg: run(args, pg), prefix="enno-bench-legal-")


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "法務 (契約書・知的財産)")
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rng = random.Random(args.seed)
    today = timezone.localdate()
    world = build_people(args)
    from ennoshita.core import services as core_services

    company = world["company"]
    world["legal"] = core_services.add_member(
        company=company, actor=None, username="bench-legal", roles=["legal"]
    )
    legal_user = world["legal"].user
    if args.requests_only:
        return run_requests(world, args, rng, today)
    staff = list(zip(world["employees"], world["users"], strict=True))
    chosen = rng.sample(staff, min(args.owners, len(staff)))
    owners = [(u, world["dept_of"][e.pk]) for e, u in chosen]
    built = build_contracts(
        company=company,
        owners=owners,
        legal_user=legal_user,
        n=args.contracts,
        soon=args.soon,
        ended=args.ended,
        rng=rng,
        today=today,
    )
    statuses = ", ".join(f"{k} {v:,}" for k, v in built["statuses"].most_common())
    print(
        f"contracts: {args.contracts:,} written in {built['seconds']:.1f} s ({statuses}; "
        f"{built['auto']:,} auto-renewing; {built['children']:,} under a basic contract)"
    )
    ip = build_rights(
        company=company,
        owners=owners,
        legal_user=legal_user,
        n=args.rights,
        n_costs=args.costs,
        rng=rng,
        today=today,
    )
    kinds = ", ".join(f"{k} {v:,}" for k, v in ip["kinds"].most_common())
    ip_statuses = ", ".join(f"{k} {v:,}" for k, v in ip["statuses"].most_common())
    print(
        f"IP rights: {args.rights:,} ({kinds}; {ip_statuses}) and {ip['costs']:,} costs written in "
        f"{ip['seconds']:.1f} s ({ip['refused']:,} drafts the services would refuse were drawn again)"
    )
    other = core_services.create_company(name="他社法務株式会社", actor=None)
    other_legal = core_services.add_member(
        company=other, actor=None, username="bench-legal-2", roles=["legal"]
    )
    other_built = build_contracts(
        company=other,
        owners=[(other_legal.user, None)],
        legal_user=other_legal.user,
        n=args.other_contracts,
        soon=args.soon // 10,
        ended=args.ended // 10,
        rng=rng,
        today=today,
    )
    other_ip = build_rights(
        company=other,
        owners=[(other_legal.user, None)],
        legal_user=other_legal.user,
        n=args.other_rights,
        n_costs=args.other_rights,
        rng=rng,
        today=today,
    )
    print(
        f"second company: {args.other_contracts:,} contracts and {args.other_rights:,} rights written in "
        f"{other_built['seconds'] + other_ip['seconds']:.1f} s"
    )
    # the ordinary owner of the most contracts in force (neither 法務 nor 経理: sees only their own)
    in_force = Counter(c.owner.pk for c in built["contracts"] if c.status in ("active", "signed") and c.owner)
    owner_pk = in_force.most_common(1)[0][0]
    world["owner"] = next(u for u, _d in owners if u.pk == owner_pk)
    world["owner_contracts"] = sum(1 for c in built["contracts"] if c.owner and c.owner.pk == owner_pk)
    world["detail"] = built["detail"]
    world["detail_children"] = sum(1 for c in built["contracts"] if c.parent_id == built["detail"].pk)
    if connection.vendor == "postgresql":
        # a real server's autovacuum analyses new tables soon after a bulk load; do what it does
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE (as autovacuum would) in {time.perf_counter() - t0:.1f} s")
    print(_deadline_counts(world, today))
    print()
    print(f"pages, median of {args.repeat} after a warm-up (target: under 200 ms)")
    for label, seconds, queries in bench_pages(world, today, args):
        print(f"{_pad(label)} {ms(seconds)} {queries:>4} queries")
    print()
    print("daily jobs over the whole database, every company (target: under 30 s)")
    for label, seconds, what in bench_jobs():
        print(f"{_pad(label)} {seconds:8.2f} s   {what}")
    if args.requests:
        print()
        run_requests(world, args, rng, today)
    print()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


# ---------------------------------------------------------------------------------------- 業務依頼
# The requests part: an in-house 経理 team (the benchmark's 経理 member) and an outside team with
# one assistant; N requests over two years (older than 30 days: done or cancelled; the last 30
# days: every status), 30 % to the outside team, each naming one record (sales.customer) and, for
# the outside team's open requests, the assistant's grants on it as the services give them. Written
# with bulk_create (created_at set as drawn); numbers WR-<year>-<n> unique per company.

REQUEST_OPEN = [("open", 35), ("in_progress", 40), ("waiting", 10), ("done", 12), ("cancelled", 3)]


def build_requests(world: dict[str, Any], n: int, rng: random.Random, today: date) -> dict[str, Any]:
    from datetime import datetime
    from datetime import time as dtime

    from django.db import transaction
    from django.utils import timezone

    from ennoshita.core import services as core_services
    from ennoshita.core.models import AccessGrant
    from ennoshita.requests import services
    from ennoshita.requests.models import RequestEvent, RequestRecord, TeamKind, WorkRequest

    company, admin = world["company"], world["admin"]
    w = {"company": company, "actor": admin.user, "membership": admin}
    t0 = time.perf_counter()
    assistant = core_services.add_member(
        company=company,
        actor=None,
        username="bench-assistant",
        roles=["assistant"],
        expires_on=today + timedelta(days=180),
    )
    keiri_team = services.save_team(**w, name="経理", kind=TeamKind.ACCOUNTING, hourly_rate=3500)
    outside = services.save_team(
        **w, name="オンラインアシスタント", kind=TeamKind.OUTSIDE, hourly_rate=2800, inhouse_hourly_cost=4000
    )
    services.add_team_member(**w, team=keiri_team, user_id=world["keiri"].user_id)
    services.add_team_member(**w, team=outside, user_id=assistant.user_id)
    types = {
        keiri_team.pk: [
            services.save_request_type(**w, team=keiri_team, name=f"経理の依頼{i}", turnaround_days=3)
            for i in range(4)
        ],
        outside.pk: [
            services.save_request_type(**w, team=outside, name=f"外部の依頼{i}", turnaround_days=2)
            for i in range(4)
        ],
    }
    requesters = world["users"][:500]
    fields = {f.name: f for f in WorkRequest._meta.fields}
    fields["created_at"].auto_now_add = False
    fields["updated_at"].auto_now = False
    event_created = RequestEvent._meta.get_field("created_at")
    event_created.auto_now_add = False
    tz = timezone.get_current_timezone()
    counts: Counter[str] = Counter()
    open_outside: list[WorkRequest] = []
    try:
        with transaction.atomic():
            seq: Counter[int] = Counter()
            batch: list[WorkRequest] = []
            for _i in range(n):
                age = rng.randint(0, 729) if rng.random() > 0.04 else rng.randint(0, 29)
                made = datetime.combine(today - timedelta(days=age), dtime(9 + rng.randint(0, 8)), tzinfo=tz)
                team = outside if rng.random() < 0.3 else keiri_team
                rtype = rng.choice(types[team.pk])
                status = (
                    _pick(rng, REQUEST_OPEN) if age < 30 else ("done" if rng.random() < 0.9 else "cancelled")
                )
                seq[made.year] += 1
                assignee = None
                if status in ("in_progress", "waiting", "done"):
                    assignee = assistant.user if team is outside else world["keiri"].user
                counts[status] += 1
                batch.append(
                    WorkRequest(
                        company=company,
                        number=f"WR-{made.year}-{seq[made.year]:06d}",
                        team=team,
                        request_type=rtype,
                        title=f"{rtype.name} #{_i}",
                        body="ベンチマークの依頼",
                        requester=rng.choice(requesters),
                        due_on=(made.date() + timedelta(days=rng.randint(3, 20)))
                        if rng.random() < 0.5
                        else None,
                        sla_due_on=services.add_business_days(made.date(), rtype.turnaround_days),
                        status=status,
                        assignee=assignee,
                        created_at=made,
                        updated_at=made,
                        closed_at=made + timedelta(days=2) if status in ("done", "cancelled") else None,
                    )
                )
                if len(batch) >= 5000:
                    WorkRequest.objects.bulk_create(batch, batch_size=1000)
                    open_outside += [
                        r
                        for r in batch
                        if r.team_id == outside.pk and r.status in ("open", "in_progress", "waiting")
                    ]
                    _request_children(batch, company, rng)
                    batch = []
            if batch:
                WorkRequest.objects.bulk_create(batch, batch_size=1000)
                open_outside += [
                    r
                    for r in batch
                    if r.team_id == outside.pk and r.status in ("open", "in_progress", "waiting")
                ]
                _request_children(batch, company, rng)
            # the assistant's grants on what their open requests name (as sync_request_grants gives)
            expires = timezone.make_aware(
                datetime.combine(assistant.expires_on + timedelta(days=1), dtime.min)
            )
            records = dict(
                RequestRecord.objects.filter(request_id__in=[r.pk for r in open_outside]).values_list(
                    "request_id", "object_id"
                )
            )
            AccessGrant.objects.bulk_create(
                [
                    AccessGrant(
                        company=company,
                        membership=assistant,
                        object_type="sales.customer",
                        object_id=records[r.pk],
                        source=f"requests.workrequest:{r.pk}",
                        expires_at=expires,
                    )
                    for r in open_outside
                ],
                batch_size=1000,
            )
    finally:
        fields["created_at"].auto_now_add = True
        fields["updated_at"].auto_now = True
        event_created.auto_now_add = True
    detail = max(open_outside, key=lambda r: r.pk)
    return {
        "seconds": time.perf_counter() - t0,
        "statuses": counts,
        "assistant": assistant,
        "open_outside": len(open_outside),
        "detail": detail,
    }


def _request_children(batch: list[Any], company: Any, rng: random.Random) -> None:
    """Each request's record (a 得意先 by id) and its history's first line."""
    from ennoshita.requests.models import RequestEvent, RequestRecord

    RequestRecord.objects.bulk_create(
        [
            RequestRecord(
                company=company,
                request=r,
                object_type="sales.customer",
                object_id=str(rng.randint(1, 5000)),
                label="得意先",
            )
            for r in batch
        ],
        batch_size=1000,
    )
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(
                company=company,
                request=r,
                kind="created",
                actor=r.requester,
                body="",
                created_at=r.created_at,
            )
            for r in batch
        ],
        batch_size=1000,
    )


def run_requests(world: dict[str, Any], args: argparse.Namespace, rng: random.Random, today: date) -> int:
    from django.db import connection
    from django.urls import reverse

    built = build_requests(world, args.requests, rng, today)
    statuses = ", ".join(f"{k} {v:,}" for k, v in built["statuses"].most_common())
    print(
        f"work requests: {args.requests:,} written in {built['seconds']:.1f} s ({statuses}; "
        f"{built['open_outside']:,} open with the outside team, each with the assistant's grant)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    company = world["company"]
    keiri = _client_for(world["keiri"].user, company)
    assistant = _client_for(built["assistant"].user, company)
    inbox = reverse("requests:inbox")
    cases = [
        ("業務依頼 チームの受信箱 1ページ目 (経理チーム)", keiri, inbox),
        ("業務依頼 チームの受信箱 期限超過のみ (経理チーム)", keiri, inbox + "?status=open&overdue=on"),
        ("業務依頼 チームの受信箱 キーワード (経理チーム)", keiri, inbox + "?q=経理の依頼1&status="),
        (
            f"業務依頼 アシスタントの受信箱 ({built['open_outside']:,}件, 記録ごとの許可の確認つき)",
            assistant,
            inbox,
        ),
        (
            "業務依頼 依頼の詳細 (アシスタント: 閲覧の記録つき)",
            assistant,
            reverse("requests:detail", args=[built["detail"].pk]),
        ),
    ]
    print(f"pages, median of {args.repeat} after a warm-up (target: under 200 ms)")
    for label, client, url in cases:
        get = _page(client, url)
        get()
        queries = _queries(get, args.explain, label)
        print(f"{_pad(label)} {ms(median_s(get, args.repeat))} {queries:>4} queries")
    print()
    print("overdue alert job over the whole database, every company (target: under 30 s)")
    from ennoshita.core.models import Notification
    from ennoshita.requests import tasks
    from ennoshita.requests.models import RequestAlert

    for run_label in ("1回目", "2回目 (同じ日)"):
        alerts, notices = RequestAlert.objects.count(), Notification.objects.count()
        t0 = time.perf_counter()
        result = tasks.run_all_companies()
        seconds = time.perf_counter() - t0
        sent = RequestAlert.objects.count() - alerts
        print(
            f"{_pad('業務依頼 日次ジョブ ' + run_label)} {seconds:8.2f} s   {result}; "
            f"{sent:,} alerts, {Notification.objects.count() - notices:,} notices"
        )
        if run_label != "1回目" and sent:
            raise SystemExit("the second run on the same day sent alerts again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
