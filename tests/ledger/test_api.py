"""/api/v1/ledger/: accounts, 税区分, fiscal years, month locks, journal entries (draft, post, reverse).

Personas: 経理 (accounting, who keeps the books), 財務 (finance, who may only read them), 人事 (hr, who
may do neither) and the outsider (hr and admin of another company, with his own token and books).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from ennoshita.core.models import AuditEvent, Company
from ennoshita.ledger import services
from ennoshita.ledger.models import (
    Account,
    Balance,
    FiscalYear,
    JournalEntry,
    JournalLine,
    PeriodLock,
    SubAccount,
)

from ..apiclient import PROBLEM, ApiClient, field_errors
from ..conftest import make_department, make_member
from .conftest import acct, line, post

URL = "/ledger"
SUPPLIES, CASH, BANK, RECEIVABLE, SALES = "6310", "1110", "1121", "1132", "4100"


class LedgerApi(ApiClient):
    """ApiClient plus PUT and DELETE."""

    def put(self, path: str, body: Any) -> Any:
        data = json.dumps(body, ensure_ascii=False)
        return self.client.put(self.prefix + path, data, content_type="application/json", **self._headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(self.prefix + path, **self._headers())


@pytest.fixture
def day(books) -> date:
    """A day in the company's current (latest) fiscal year, which is open."""
    return FiscalYear.objects.for_company(books).order_by("-start").first().start + timedelta(days=9)


@pytest.fixture
def api(client, books, accountant) -> LedgerApi:
    return LedgerApi(client, accountant)


def state() -> tuple[int, int, int, int, int, int]:
    """Everything a ledger request could write; a refused request leaves all of it unchanged."""
    return (
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        Balance.objects.count(),
        Account.objects.count(),
        PeriodLock.objects.count(),
        AuditEvent.objects.count(),
    )


def ln(account: str, side: str, amount: Any, **kw: Any) -> dict[str, Any]:
    return {"account": account, "side": side, "amount": amount, **kw}


def body(day: date, *lines: dict[str, Any], post: bool = True, **kw: Any) -> dict[str, Any]:
    return {"date": day.isoformat(), "post": post, "lines": list(lines), **kw}


def line_json(no: int, code: str, name: str, debit: int = 0, credit: int = 0, **kw: Any) -> dict[str, Any]:
    return {
        "line_no": no,
        "account": {"code": code, "name": name},
        "sub_account": None,
        "department_id": None,
        "debit": debit,
        "credit": credit,
        "tax_code": None,
        "tax_base": None,
        "tax_amount": None,
        "tax_for": None,
        "memo": "",
        **kw,
    }


def no_times(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in ("created_at", "posted_at")}


# ------------------------------------------------------------------ entries: create and read
def test_it_posts_a_taxed_entry_and_reads_it_back_with_its_tax_line(api, books, day):
    response = api.post(
        f"{URL}/entries",
        body(
            day,
            ln(SUPPLIES, "debit", 11000, tax_code="P10", memo="コピー用紙"),
            ln(CASH, "credit", "11,000"),
            memo="文具店",
        ),
    )
    assert response.status_code == 201
    entry = JournalEntry.objects.get(company=books)
    expected = {
        "id": entry.pk,
        "number": 1,
        "fiscal_year": day.year,
        "date": day.isoformat(),
        "kind": "transfer",
        "status": "posted",
        "memo": "文具店",
        "total": 11000,
        "source_type": "",
        "source_id": "",
        "source_repr": "",
        "reversal_of_id": None,
        "reversed_by_id": None,
        "lines": [
            # 税込 11,000 at 10%: 消耗品費 10,000 + 仮払消費税等 1,000 (a line of its own, pointing back)
            line_json(
                1,
                SUPPLIES,
                "消耗品費",
                debit=10000,
                tax_code="P10",
                tax_base=10000,
                tax_amount=1000,
                memo="コピー用紙",
            ),
            line_json(2, "1171", "仮払消費税等", debit=1000, tax_for=1, memo="コピー用紙"),
            # 現金's default 税区分 is OUT (不課税): no tax, the whole amount is the base
            line_json(3, CASH, "現金", credit=11000, tax_code="OUT", tax_base=11000, tax_amount=0),
        ],
    }
    assert no_times(response.json()) == expected
    again = api.get(f"{URL}/entries/{entry.pk}")
    assert again.status_code == 200
    assert again.json() == response.json()
    assert all(isinstance(x["debit"], int) and isinstance(x["credit"], int) for x in again.json()["lines"])
    assert Balance.objects.filter(company=books, account=acct(books, "仮払消費税等"), debit=1000).exists()


def test_an_omitted_tax_code_is_the_accounts_default_and_null_is_none(api, books, day):
    default = api.post(f"{URL}/entries", body(day, ln(RECEIVABLE, "debit", 1100), ln(SALES, "credit", 1100)))
    assert [(x["account"]["code"], x["credit"], x["tax_code"]) for x in default.json()["lines"]] == [
        (RECEIVABLE, 0, "OUT"),
        (SALES, 1000, "S10"),
        ("2171", 100, None),
    ]
    none = api.post(
        f"{URL}/entries",
        body(day, ln(RECEIVABLE, "debit", 1100, tax_code=None), ln(SALES, "credit", 1100, tax_code=None)),
    )
    assert [(x["account"]["code"], x["credit"], x["tax_code"]) for x in none.json()["lines"]] == [
        (RECEIVABLE, 0, None),
        (SALES, 1100, None),
    ]


def test_a_tax_excluded_line_adds_its_tax(api, books, day):
    response = api.post(
        f"{URL}/entries",
        body(
            day, ln(SUPPLIES, "debit", 10000, tax_code="P10", tax_included=False), ln(CASH, "credit", 11000)
        ),
    )
    assert response.status_code == 201
    assert [(x["debit"], x["credit"]) for x in response.json()["lines"]] == [
        (10000, 0),
        (1000, 0),
        (0, 11000),
    ]


def test_sub_accounts_and_departments_are_named_by_code_and_id(api, books, accountant, hr, day):
    sales_dept = make_department(books, hr, "200", "営業部")
    bank = acct(books, "普通預金")
    # No service adds sub-accounts yet: the row is made directly, as the chart screen will.
    mizuho = SubAccount.objects.create(company=books, account=bank, code="01", name="みずほ銀行")
    listed = api.get(f"{URL}/accounts/{bank.pk}/sub-accounts")
    assert listed.json() == [
        {"id": mizuho.pk, "code": "01", "name": "みずほ銀行", "kana": "", "is_active": True}
    ]
    response = api.post(
        f"{URL}/entries",
        body(
            day,
            ln(BANK, "debit", 5000, sub_account_code="01"),
            ln("7110", "credit", 5000, department_id=sales_dept.pk, tax_code=None),
        ),
    )
    assert response.status_code == 201, response.json()
    first, second = response.json()["lines"]
    assert first["sub_account"] == {"code": "01", "name": "みずほ銀行"}
    assert second["department_id"] == sales_dept.pk


# ------------------------------------------------------------------ entries: refusals
def test_an_unbalanced_entry_is_a_problem_and_writes_nothing(api, books, day):
    before = state()
    response = api.post(
        f"{URL}/entries", body(day, ln(CASH, "debit", 1000), ln(SALES, "credit", 999, tax_code=None))
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "仕訳を記帳できません。"
    assert field_errors(response) == {"lines": ["借方合計(1,000円)と貸方合計(999円)が一致しません。"]}
    assert state() == before


@pytest.mark.parametrize("amount", [1000.5, "1000.5", "1,000.01"])
def test_a_fraction_of_a_yen_is_refused_on_the_amount(api, books, day, amount):
    before = state()
    response = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", amount), ln(SALES, "credit", amount)))
    assert response.status_code == 422
    message = "1円未満の端数は入力できません。金額は円単位の整数で入力してください。"
    assert field_errors(response) == {"lines.0.amount": [message], "lines.1.amount": [message]}
    assert state() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "金額は1円以上で入力してください。"),
        (-5, "金額は1円以上で入力してください。"),
        ("abc", "金額は円単位の整数で入力してください。"),
        (True, "金額は円単位の整数で入力してください。"),
        (10**12, "金額は999,999,999,999円以下で入力してください。"),
    ],
)
def test_other_bad_amounts_are_refused_on_the_amount(api, books, day, amount, message):
    before = state()
    response = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", amount), ln(SALES, "credit", 1)))
    assert response.status_code == 422
    assert field_errors(response) == {"lines.0.amount": [message]}
    assert state() == before


def test_whole_yen_as_a_string_or_a_decimal_zero_fraction_is_accepted(api, books, day):
    response = api.post(
        f"{URL}/entries",
        body(day, ln(CASH, "debit", "１，２００"), ln(SALES, "credit", 1200.0, tax_code=None)),
    )
    assert response.status_code == 201
    assert response.json()["total"] == 1200


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (ln("9999", "credit", 100), "lines.1.account", "科目コード「9999」の勘定科目はありません。"),
        (ln(SALES, "credit", 100, tax_code="S99"), "lines.1.tax_code", "税区分「S99」は登録されていません。"),
        (ln(SALES, "credit", 100, department_id=424242), "lines.1.department_id", "部門が見つかりません。"),
        (
            ln(SALES, "credit", 100, sub_account_code="01"),
            "lines.1.sub_account_code",
            "勘定科目「売上高」に補助コード「01」の補助科目はありません。",
        ),
    ],
)
@pytest.mark.parametrize("post", [True, False])
def test_an_unknown_code_or_id_is_a_422_naming_the_line(api, books, day, line, field, message, post):
    before = state()
    response = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 100), line, post=post))
    assert response.status_code == 422
    assert field_errors(response) == {field: [message]}
    assert state() == before


def test_another_companys_department_is_unknown(api, books, day, other_company, outsider):
    theirs = make_department(other_company, outsider, "100", "よその総務部")
    before = state()
    response = api.post(
        f"{URL}/entries", body(day, ln(CASH, "debit", 100, department_id=theirs.pk), ln(SALES, "credit", 100))
    )
    assert response.status_code == 422
    assert field_errors(response) == {"lines.0.department_id": ["部門が見つかりません。"]}
    assert state() == before


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"post": True, "lines": []}, {"date"}),
        ({"date": "2026-13-01", "lines": []}, {"date"}),
        ({"date": "2026-11-10", "lines": [{"account": CASH, "side": "left", "amount": 1}]}, {"lines.0.side"}),
        ({"date": "2026-11-10", "kind": "reversal", "lines": []}, {"kind"}),
        ({"date": "2026-11-10", "lines": [], "colour": "red"}, {"colour"}),
        ({"date": "2026-11-10", "lines": [{"account": CASH, "side": "debit"}]}, {"lines.0.amount"}),
    ],
)
def test_malformed_bodies_are_422_problems(api, books, payload, fields):
    before = state()
    response = api.post(f"{URL}/entries", payload)
    assert response.status_code == 422
    assert set(field_errors(response)) == fields
    assert state() == before


def test_an_empty_entry_is_refused_by_the_service(api, books, day):
    response = api.post(f"{URL}/entries", body(day))
    assert response.status_code == 400
    assert field_errors(response) == {"lines": ["明細を1行以上入力してください。"]}


# ------------------------------------------------------------------ drafts
def test_a_draft_is_saved_replaced_posted_and_then_final(api, books, day):
    created = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 500), post=False, memo="途中"))
    assert created.status_code == 201
    draft = created.json()
    assert (draft["status"], draft["number"], draft["total"]) == ("draft", None, 500)
    assert not Balance.objects.exists()

    not_yet = api.post(f"{URL}/entries/{draft['id']}/post")
    assert not_yet.status_code == 400
    assert field_errors(not_yet) == {"lines": ["借方合計(500円)と貸方合計(0円)が一致しません。"]}

    replaced = api.put(
        f"{URL}/entries/{draft['id']}",
        {
            "date": day.isoformat(),
            "memo": "雑収入",
            "lines": [ln(CASH, "debit", 500), ln("7190", "credit", 500, tax_code=None)],
        },
    )
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["memo"] == "雑収入"
    assert [x["account"]["code"] for x in replaced.json()["lines"]] == [CASH, "7190"]
    assert JournalLine.objects.filter(entry_id=draft["id"]).count() == 2

    posted = api.post(f"{URL}/entries/{draft['id']}/post")
    assert posted.status_code == 200
    assert (posted.json()["status"], posted.json()["number"]) == ("posted", 1)

    before = state()
    put_again = api.put(
        f"{URL}/entries/{draft['id']}", {"date": day.isoformat(), "lines": [ln(CASH, "debit", 1)]}
    )
    assert put_again.status_code == 400
    deleted = api.delete(f"{URL}/entries/{draft['id']}")
    assert deleted.status_code == 400
    assert deleted.json()["title"] == "記帳済みの仕訳は削除できません。反対仕訳で訂正してください。"
    assert api.post(f"{URL}/entries/{draft['id']}/post").status_code == 400
    assert state() == before


def test_a_draft_is_deleted(api, books, day):
    draft = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 500), post=False)).json()
    response = api.delete(f"{URL}/entries/{draft['id']}")
    assert response.status_code == 204
    assert not JournalEntry.objects.filter(pk=draft["id"]).exists()
    assert api.get(f"{URL}/entries/{draft['id']}").status_code == 404


# ------------------------------------------------------------------ reversal
def test_a_posted_entry_is_reversed_once(api, books, day):
    original = api.post(
        f"{URL}/entries", body(day, ln(SUPPLIES, "debit", 11000, tax_code="P10"), ln(CASH, "credit", 11000))
    ).json()
    response = api.post(
        f"{URL}/entries/{original['id']}/reverse", {"date": day.isoformat(), "memo": "二重計上"}
    )
    assert response.status_code == 201
    reversal = response.json()
    assert (reversal["kind"], reversal["number"], reversal["memo"]) == ("reversal", 2, "二重計上")
    assert reversal["reversal_of_id"] == original["id"]
    assert [(x["debit"], x["credit"]) for x in reversal["lines"]] == [
        (x["credit"], x["debit"]) for x in original["lines"]
    ]
    assert api.get(f"{URL}/entries/{original['id']}").json()["reversed_by_id"] == reversal["id"]
    for bal in Balance.objects.filter(company=books):
        assert bal.debit == bal.credit, bal.account

    before = state()
    again = api.post(f"{URL}/entries/{original['id']}/reverse", {"date": day.isoformat()})
    assert again.status_code == 400
    assert again.json()["title"] == "この仕訳はすでに取り消されています。"
    assert state() == before


def test_a_draft_cannot_be_reversed(api, books, day):
    draft = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 1), post=False)).json()
    response = api.post(f"{URL}/entries/{draft['id']}/reverse", {"date": day.isoformat()})
    assert response.status_code == 400
    assert response.json()["title"] == "記帳済みの仕訳だけが取り消せます。下書きは削除してください。"


# ------------------------------------------------------------------ entry list
@pytest.fixture
def journal(books, accountant, day):
    """Three posted entries and a draft, one from 'another app' with a source reference."""
    rent = post(
        books,
        accountant,
        day,
        line(books, "地代家賃", "debit", 100000),
        line(books, "普通預金", "credit", 100000),
        memo="10月分 家賃",
    )
    cash = post(
        books,
        accountant,
        day + timedelta(days=1),
        line(books, "現金", "debit", 3000),
        line(books, "売上高", "credit", 3000),
        memo="店頭売上",
    )
    invoice = services.post_entry(
        company=books,
        actor=None,
        date=day + timedelta(days=2),
        lines=[line(books, "売掛金", "debit", 1100), line(books, "売上高", "credit", 1100, "S10")],
        memo="請求書",
        source_type="sales.invoice",
        source_id="42",
        source_repr="INV-000042",
    )
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=day,
        lines=[line(books, "現金", "debit", 1)],
    )
    return {"rent": rent, "cash": cash, "invoice": invoice, "draft": draft}


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["rent", "draft", "cash", "invoice"]),
        ({"sort": "-date"}, ["invoice", "cash", "draft", "rent"]),
        ({"status": "draft"}, ["draft"]),
        ({"status": "posted", "account": SALES}, ["cash", "invoice"]),
        ({"account": "2171"}, ["invoice"]),
        ({"q": "家賃"}, ["rent"]),
        ({"q": "売上 店頭"}, ["cash"]),
        ({"source_type": "sales.invoice", "source_id": "42"}, ["invoice"]),
        ({"source_id": "43"}, []),
    ],
)
def test_entries_are_filtered(api, journal, day, params, names):
    response = api.get(f"{URL}/entries", params)
    assert response.status_code == 200
    assert [e["id"] for e in response.json()["items"]] == [journal[n].pk for n in names]
    assert response.json()["count"] == len(names)


def test_entries_are_filtered_by_date_and_paged(api, journal, day):
    later = api.get(f"{URL}/entries", {"date_from": (day + timedelta(days=1)).isoformat()}).json()
    assert [e["id"] for e in later["items"]] == [journal["cash"].pk, journal["invoice"].pk]
    first = api.get(f"{URL}/entries", {"limit": 2}).json()
    second = api.get(f"{URL}/entries", {"limit": 2, "offset": 2}).json()
    assert (first["count"], first["limit"], first["offset"]) == (4, 2, 0)
    assert [e["id"] for e in first["items"] + second["items"]] == [
        journal[n].pk for n in ("rent", "draft", "cash", "invoice")
    ]
    invoice = next(e for e in second["items"] if e["id"] == journal["invoice"].pk)
    assert (invoice["source_type"], invoice["source_id"], invoice["source_repr"]) == (
        "sales.invoice",
        "42",
        "INV-000042",
    )


def test_an_unknown_account_in_the_filter_is_a_422(api, journal):
    response = api.get(f"{URL}/entries", {"account": "9999"})
    assert response.status_code == 422
    assert field_errors(response) == {"account": ["科目コード「9999」の勘定科目はありません。"]}


@pytest.mark.parametrize("rows", [3, 30])
def test_the_entry_list_costs_the_same_queries_for_3_and_30_rows(
    client, books, accountant, day, rows, django_assert_num_queries
):
    for i in range(rows):
        entry = post(
            books,
            accountant,
            day,
            line(books, "現金", "debit", i + 1),
            line(books, "雑収入", "credit", i + 1),
        )
        if i == 0:
            services.reverse_entry(
                company=books, actor=accountant.user, membership=accountant, entry=entry, date=day
            )
    api = LedgerApi(client, accountant)
    api.get(f"{URL}/entries")  # the first call of a token stamps last_used_at
    # token → membership, the books (ensure_books finds its settings row), count, page
    with django_assert_num_queries(4):
        result = api.get(f"{URL}/entries", {"limit": 200}).json()
    assert result["count"] == rows + 1
    assert len(result["items"]) == rows + 1


def test_an_entry_costs_the_same_queries_for_any_number_of_lines(
    client, books, accountant, day, django_assert_num_queries
):
    many = [line(books, "消耗品費", "debit", 1100, "P10") for _ in range(20)]
    entry = post(books, accountant, day, *many, line(books, "現金", "credit", 22000))
    api = LedgerApi(client, accountant)
    api.get(f"{URL}/entries/{entry.pk}")
    # token → membership, the books, the entry, its lines
    with django_assert_num_queries(4):
        assert len(api.get(f"{URL}/entries/{entry.pk}").json()["lines"]) == 41


# ------------------------------------------------------------------ months and years
def test_a_month_is_locked_and_unlocked_with_a_reason(api, books, accountant, day):
    locked = api.post(f"{URL}/period-locks/lock", {"month": day.isoformat(), "reason": "月次決算"})
    assert locked.status_code == 200
    month = day.replace(day=1).isoformat()
    assert {k: v for k, v in locked.json().items() if k != "changed_at"} == {
        "month": month,
        "locked": True,
        "reason": "月次決算",
        "changed_by": {"id": accountant.user.pk, "name": accountant.user.display_name()},
    }
    before = state()
    refused = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 1), ln(SALES, "credit", 1)))
    assert refused.status_code == 400
    assert field_errors(refused) == {"date": [f"{day.year}年{day.month}月 は月次締め済みです。"]}
    assert api.post(f"{URL}/period-locks/lock", {"month": month}).status_code == 400
    no_reason = api.post(f"{URL}/period-locks/unlock", {"month": month, "reason": "  "})
    assert no_reason.status_code == 400
    assert field_errors(no_reason) == {"reason": ["理由は必須です。"]}
    assert field_errors(api.post(f"{URL}/period-locks/unlock", {"month": month})) == {
        "reason": ["必須項目です。"]
    }
    assert state() == before

    unlocked = api.post(f"{URL}/period-locks/unlock", {"month": month, "reason": "請求書の計上漏れ"})
    assert unlocked.status_code == 200
    assert (unlocked.json()["locked"], unlocked.json()["reason"]) == (False, "請求書の計上漏れ")
    assert [(p["month"], p["locked"]) for p in api.get(f"{URL}/period-locks").json()] == [(month, False)]
    assert (
        api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 1), ln(SALES, "credit", 1))).status_code == 201
    )
    assert AuditEvent.objects.filter(action="unlock", changes__extra__reason="請求書の計上漏れ").exists()


def test_a_year_is_closed_and_reopened_with_a_reason(api, books, day):
    years = api.get(f"{URL}/fiscal-years").json()
    assert [(y["year"], y["status"]) for y in years] == [(day.year - 1, "open"), (day.year, "open")]
    last, current = years
    early = date.fromisoformat(last["start"])

    assert (
        api.post(f"{URL}/fiscal-years/{current['id']}/close").json()["title"]
        == "前の年度を先に締めてください。"
    )
    closed = api.post(f"{URL}/fiscal-years/{last['id']}/close")
    assert closed.status_code == 200
    assert closed.json() == {**last, "status": "closed"}
    refused = api.post(f"{URL}/entries", body(early, ln(CASH, "debit", 1), ln(SALES, "credit", 1)))
    assert refused.status_code == 400
    assert "date" in field_errors(refused)

    assert field_errors(api.post(f"{URL}/fiscal-years/{last['id']}/reopen", {"reason": ""})) == {
        "reason": ["理由は必須です。"]
    }
    reopened = api.post(f"{URL}/fiscal-years/{last['id']}/reopen", {"reason": "決算修正"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open"
    # the months stay locked until unlocked one by one
    assert (
        api.post(f"{URL}/entries", body(early, ln(CASH, "debit", 1), ln(SALES, "credit", 1))).status_code
        == 400
    )
    assert (
        api.post(f"{URL}/period-locks/unlock", {"month": early.isoformat(), "reason": "決算修正"}).status_code
        == 200
    )
    assert (
        api.post(f"{URL}/entries", body(early, ln(CASH, "debit", 1), ln(SALES, "credit", 1))).status_code
        == 201
    )


def test_a_year_with_drafts_is_not_closed(api, books, day):
    api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 1), post=False))
    current = FiscalYear.objects.for_company(books).get(start__lte=day, end__gte=day)
    FiscalYear.objects.filter(company=books, start__lt=current.start).update(status="closed")
    response = api.post(f"{URL}/fiscal-years/{current.pk}/close")
    assert response.status_code == 400
    assert "下書きの仕訳が1件" in response.json()["title"]


def test_the_next_fiscal_year_is_opened(api, books, day):
    response = api.post(f"{URL}/fiscal-years/next")
    assert response.status_code == 201
    assert (response.json()["year"], response.json()["status"]) == (day.year + 1, "open")
    assert len(api.get(f"{URL}/fiscal-years").json()) == 3


# ------------------------------------------------------------------ accounts and tax codes
def test_accounts_are_searched_by_half_width_kana_and_filtered(api, books):
    assert [a["name"] for a in api.get(f"{URL}/accounts", {"q": "ｹﾞﾝｷﾝ"}).json()] == ["現金", "小口現金"]
    assert [a["name"] for a in api.get(f"{URL}/accounts", {"q": "こぐち"}).json()] == ["小口現金"]
    assert [a["code"] for a in api.get(f"{URL}/accounts", {"q": "１１１０"}).json()] == ["1110"]
    sales = api.get(f"{URL}/accounts", {"section": "sales"}).json()
    assert sales and {a["section"] for a in sales} == {"sales"}
    assert len(api.get(f"{URL}/accounts").json()) == Account.objects.for_company(books).count()
    assert set(field_errors(api.get(f"{URL}/accounts", {"section": "nope"}))) == {"section"}


def test_an_account_is_created_renamed_and_deactivated(api, books, day):
    created = api.post(
        f"{URL}/accounts",
        {
            "code": "6395",
            "name": "資格取得費",
            "kana": "シカクシュトクヒ",
            "section": "sga",
            "default_tax_code": "P10",
        },
    )
    assert created.status_code == 201
    account = Account.objects.get(company=books, code="6395")
    assert created.json() == {
        "id": account.pk,
        "code": "6395",
        "name": "資格取得費",
        "kana": "シカクシュトクヒ",
        "section": "sga",
        "section_label": "販売費及び一般管理費",
        "normal_side": "debit",
        "is_contra": False,
        "default_tax_code": "P10",
        "is_active": True,
    }
    assert [a["code"] for a in api.get(f"{URL}/accounts", {"q": "ｼｶｸ"}).json()] == ["6395"]

    renamed = api.patch(f"{URL}/accounts/{account.pk}", {"name": "資格取得支援費"})
    assert renamed.status_code == 200
    assert {k: renamed.json()[k] for k in ("name", "kana", "default_tax_code", "is_active")} == {
        "name": "資格取得支援費",
        "kana": "シカクシュトクヒ",
        "default_tax_code": "P10",
        "is_active": True,
    }
    assert (
        api.patch(f"{URL}/accounts/{account.pk}", {"default_tax_code": None}).json()["default_tax_code"]
        is None
    )

    deactivated = api.patch(f"{URL}/accounts/{account.pk}", {"is_active": False})
    assert deactivated.json()["is_active"] is False
    assert [a["code"] for a in api.get(f"{URL}/accounts", {"q": "資格", "active": "true"}).json()] == []
    refused = api.post(f"{URL}/entries", body(day, ln("6395", "debit", 100), ln(CASH, "credit", 100)))
    assert refused.status_code == 400
    assert field_errors(refused) == {"lines.0": ["勘定科目「資格取得支援費」は使用停止です。"]}


@pytest.mark.parametrize(
    ("payload", "status", "errors"),
    [
        (
            {"code": CASH, "name": "現金2", "section": "current_assets"},
            400,
            {"code": ["この科目コードは使われています。"]},
        ),
        (
            {"code": "1199", "name": "現金", "section": "current_assets"},
            400,
            {"name": ["この科目名は使われています。"]},
        ),
        (
            {"code": "ｱ1", "name": "x", "section": "sga"},
            400,
            {"code": ["科目コードは半角英数字で入力してください。"]},
        ),
        (
            {"code": "6395", "name": "x", "section": "sga", "default_tax_code": "S99"},
            422,
            {"default_tax_code": ["税区分「S99」は登録されていません。"]},
        ),
        ({"code": "6395", "name": "x"}, 422, {"section": ["必須項目です。"]}),
    ],
)
def test_bad_accounts_are_problems_and_write_nothing(api, books, payload, status, errors):
    before = state()
    response = api.post(f"{URL}/accounts", payload)
    assert response.status_code == status
    assert field_errors(response) == errors
    assert state() == before


def test_the_code_of_an_account_is_not_changed_through_the_api(api, books):
    cash = acct(books, "現金")
    response = api.patch(f"{URL}/accounts/{cash.pk}", {"code": "9990"})
    assert response.status_code == 422
    assert set(field_errors(response)) == {"code"}


def test_tax_codes_are_listed_with_their_rates(api, books):
    codes = {t["key"]: t for t in api.get(f"{URL}/tax-codes").json()}
    assert codes["P10"]["rate"] == "10.00" and codes["P10"]["kind"] == "taxable_purchase"
    assert codes["P10_NQ"]["qualified"] is False


def test_a_company_made_before_the_ledger_gets_its_books_on_first_read(client, db):
    company = Company.objects.create(name="株式会社むかし")
    member = make_member(company, "keiri_old", ["accounting"])
    assert not Account.objects.for_company(company).exists()
    response = LedgerApi(client, member).get(f"{URL}/accounts", {"q": "現金"})
    assert [a["name"] for a in response.json()] == ["現金", "小口現金"]


# ------------------------------------------------------------------ who may
def test_finance_reads_but_does_not_write(client, books, day):
    finance = make_member(books, "zaimu", ["finance"])
    api = LedgerApi(client, finance)
    assert api.get(f"{URL}/entries").status_code == 200
    assert api.get(f"{URL}/accounts").status_code == 200
    before = state()
    response = api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 1), ln(SALES, "credit", 1)))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert state() == before


def test_hr_can_neither_read_nor_write_the_books(client, books, hr, accountant, day):
    entry = post(books, accountant, day, line(books, "現金", "debit", 1), line(books, "売上高", "credit", 1))
    year = FiscalYear.objects.for_company(books).first()
    cash = acct(books, "現金")
    api = LedgerApi(client, hr)
    before = state()
    responses = [
        api.get(f"{URL}/accounts"),
        api.get(f"{URL}/accounts/{cash.pk}/sub-accounts"),
        api.get(f"{URL}/tax-codes"),
        api.get(f"{URL}/fiscal-years"),
        api.get(f"{URL}/period-locks"),
        api.get(f"{URL}/entries"),
        api.get(f"{URL}/entries/{entry.pk}"),
        api.post(f"{URL}/entries", body(day, ln(CASH, "debit", 1), ln(SALES, "credit", 1))),
        api.put(f"{URL}/entries/{entry.pk}", {"date": day.isoformat(), "lines": []}),
        api.post(f"{URL}/entries/{entry.pk}/post"),
        api.post(f"{URL}/entries/{entry.pk}/reverse", {"date": day.isoformat()}),
        api.delete(f"{URL}/entries/{entry.pk}"),
        api.post(f"{URL}/accounts", {"code": "6395", "name": "x", "section": "sga"}),
        api.patch(f"{URL}/accounts/{cash.pk}", {"name": "x"}),
        api.post(f"{URL}/fiscal-years/next"),
        api.post(f"{URL}/fiscal-years/{year.pk}/close"),
        api.post(f"{URL}/fiscal-years/{year.pk}/reopen", {"reason": "x"}),
        api.post(f"{URL}/period-locks/lock", {"month": day.isoformat()}),
        api.post(f"{URL}/period-locks/unlock", {"month": day.isoformat(), "reason": "x"}),
    ]
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert {r.json()["code"] for r in responses} == {"forbidden"}
    assert state() == before


def test_another_companys_ids_are_404_on_every_id_route_and_nothing_is_written(
    client, books, accountant, day, other_company, outsider
):
    """``outsider`` is hr and admin of another company (with its own books): it may keep the books
    there, never here."""
    draft = services.save_draft(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=day,
        lines=[line(books, "現金", "debit", 1)],
    )
    posted = post(books, accountant, day, line(books, "現金", "debit", 1), line(books, "売上高", "credit", 1))
    year = FiscalYear.objects.for_company(books).first()
    cash = acct(books, "現金")
    theirs = LedgerApi(client, outsider)
    theirs.get(f"{URL}/accounts")  # their books exist; the first call stamps the token
    valid_entry = {"date": day.isoformat(), "lines": [ln(CASH, "debit", 1), ln(SALES, "credit", 1)]}
    before = (
        state(),
        list(JournalEntry.objects.order_by("pk").values()),
        list(Account.objects.order_by("pk").values()),
    )
    responses = {}
    for entry in (draft, posted):
        responses |= {
            f"get {entry.pk}": theirs.get(f"{URL}/entries/{entry.pk}"),
            f"put {entry.pk}": theirs.put(f"{URL}/entries/{entry.pk}", valid_entry),
            f"post {entry.pk}": theirs.post(f"{URL}/entries/{entry.pk}/post"),
            f"reverse {entry.pk}": theirs.post(
                f"{URL}/entries/{entry.pk}/reverse", {"date": day.isoformat()}
            ),
            f"delete {entry.pk}": theirs.delete(f"{URL}/entries/{entry.pk}"),
        }
    responses |= {
        "patch account": theirs.patch(f"{URL}/accounts/{cash.pk}", {"name": "乗っ取り", "is_active": False}),
        "sub-accounts": theirs.get(f"{URL}/accounts/{cash.pk}/sub-accounts"),
        "close": theirs.post(f"{URL}/fiscal-years/{year.pk}/close"),
        "reopen": theirs.post(f"{URL}/fiscal-years/{year.pk}/reopen", {"reason": "乗っ取り"}),
    }
    assert {k: r.status_code for k, r in responses.items()} == dict.fromkeys(responses, 404)
    assert {r.json()["code"] for r in responses.values()} == {"not_found"}
    # their own lists show none of ours
    assert theirs.get(f"{URL}/entries").json()["count"] == 0
    assert theirs.get(f"{URL}/entries", {"source_type": ""}).json()["items"] == []
    after = (
        state(),
        list(JournalEntry.objects.order_by("pk").values()),
        list(Account.objects.order_by("pk").values()),
    )
    assert after == before


def test_unknown_ids_are_404_problems(api, books):
    for path in ("/entries/424242", "/accounts/424242/sub-accounts"):
        response = api.get(URL + path)
        assert response.status_code == 404
        assert field_errors(response) == {}
    assert api.get(f"{URL}/entries/abc").status_code == 422
